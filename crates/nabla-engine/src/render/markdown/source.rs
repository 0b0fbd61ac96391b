//! Mapping back to the Markdown source: where an event's math text starts
//! (so math errors get offsets into the whole document), and lint checks
//! on the source of plain text (stray `$`, LaTeX commands outside math).

use std::ops::Range;

use super::super::RenderError;

/// Report `$` that did not open math and LaTeX commands outside math,
/// judged on the source text (escapes like `\$` are fine).
pub fn lint(src: &str, range: Range<usize>) -> Vec<RenderError> {
    let mut errors = Vec::new();
    let Some(text) = src.get(range.clone()) else {
        return errors;
    };
    let bytes = src.as_bytes();
    for (i, c) in text.char_indices() {
        let at = range.start + i;
        let escaped = at > 0 && bytes.get(at - 1) == Some(&b'\\');
        if c == '$' && !escaped {
            errors.push(RenderError::new(
                "unmatched $: math was not recognised (unbalanced braces, or a space just \
                 inside $…$?); write \\$ for a dollar sign",
                at,
            ));
        }
        if c == '\\' && !escaped {
            let name: String = text
                .get(i + 1..)
                .unwrap_or_default()
                .chars()
                .take_while(char::is_ascii_alphabetic)
                .collect();
            if !name.is_empty() {
                errors.push(RenderError::new(
                    format!("LaTeX command \\{name} outside math (wrap it in $…$)"),
                    at,
                ));
            }
        }
    }
    errors
}

/// Where the math text of an event starts in `src`: after its `$`/`$$`
/// when the source matches the event text, otherwise wherever the text is
/// found (pulldown-cmark may have unescaped `\|` in tables).
pub fn math_offset(src: &str, range: Range<usize>, math: &str) -> usize {
    let start = range.start;
    let Some(slice) = src.get(range) else {
        return start;
    };
    for delim in ["$$", "$"] {
        let inner = slice
            .strip_prefix(delim)
            .and_then(|s| s.strip_suffix(delim));
        if inner == Some(math) {
            return start + delim.len();
        }
    }
    slice.find(math).map_or(start, |p| start + p)
}
