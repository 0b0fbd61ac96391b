//! Text that leaves the program: [`sanitize`] (the one sanitiser for
//! strings from lesson files and users, see its module), the columns text
//! takes on a terminal ([`width`]), and [`excerpt`], a long source line cut
//! around the column a message points at.
//!
//! `build.rs` includes this module by path (for `lesson::source`), so it
//! uses nothing else of the crate.

pub mod sanitize;
pub mod width;

pub use sanitize::{REPLACEMENT, Unsafe, classify, is_clean, sanitize};
pub use width::{char_width, str_width};

/// The most characters of a source line an error quotes.
pub const EXCERPT_CHARS: usize = 120;

/// At most `max` characters of `line` around the character at `column`
/// (0-based), with `…` where it was cut, and how many characters of the
/// line it leaves out before what it shows (the `…` not counted). A line
/// that fits is returned whole. The column's character is at index
/// `column - skipped + 1` of the excerpt when `skipped > 0`, else `column`.
///
/// ```
/// use nabla_engine::text::excerpt;
/// assert_eq!(excerpt("short", 2, 120), ("short".to_string(), 0));
/// let long = "x".repeat(1000) + "!" + &"y".repeat(1000);
/// let (cut, skipped) = excerpt(&long, 1000, 21);
/// assert_eq!(cut.chars().count(), 21);
/// assert_eq!(cut.chars().nth(1000 - skipped + 1), Some('!'));
/// assert!(cut.starts_with('…') && cut.ends_with('…'));
/// ```
pub fn excerpt(line: &str, column: usize, max: usize) -> (String, usize) {
    let max = max.max(3);
    let total = line.chars().count();
    if total <= max {
        return (line.to_string(), 0);
    }
    let column = column.min(total);
    // Room for the text itself once the marks are in.
    let room = max - 2;
    let start = column.saturating_sub(room / 2).min(total - room);
    let lead = if start == 0 { "" } else { "…" };
    let keep = if start == 0 { max - 1 } else { room };
    let end = (start + keep).min(total);
    let trail = if end < total { "…" } else { "" };
    let mut out = String::with_capacity(max * 4);
    out.push_str(lead);
    out.extend(line.chars().skip(start).take(end - start));
    out.push_str(trail);
    (out, start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_keep_the_column_in_view() {
        let line: String = (0..5000)
            .map(|i| char::from(b'a' + (i % 26) as u8))
            .collect();
        for column in [0, 1, 10, 59, 60, 61, 2500, 4939, 4940, 4998, 4999, 5000] {
            let (cut, skipped) = excerpt(&line, column, EXCERPT_CHARS);
            assert!(cut.chars().count() <= EXCERPT_CHARS, "{column}");
            let at = column - skipped + usize::from(skipped > 0);
            assert_eq!(cut.chars().nth(at), line.chars().nth(column), "{column}");
        }
    }
}
