//! Where in a lesson file something is: byte offsets to `line:column`, and
//! errors printed the way compilers print them, with the source line — cut
//! to [`EXCERPT_CHARS`] characters around the column when longer, and
//! sanitised ([`crate::text::sanitize`]), since a lesson file is untrusted.

use std::fmt;
use std::ops::Range;

use crate::text::{EXCERPT_CHARS, excerpt, sanitize, str_width};

/// A lesson file's name (for messages) and text.
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
}

/// An error in a lesson file, located at a line and column (1-based).
#[derive(Clone, Debug, PartialEq)]
pub struct LessonError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// The source line the error is on, for display: the whole line, or
    /// at most [`EXCERPT_CHARS`] characters of it around the column, with
    /// `…` where cut. Raw text of the file (not yet sanitised).
    pub source_line: String,
    /// How many characters of the line `source_line` leaves out before
    /// what it shows (0 when it starts with the line; the `…` not counted).
    pub source_skip: usize,
}

impl SourceFile {
    /// An error at byte offset `offset`.
    pub fn error_at(&self, offset: usize, message: impl Into<String>) -> LessonError {
        let offset = offset.min(self.text.len());
        let offset = (0..=offset)
            .rev()
            .find(|&o| self.text.is_char_boundary(o))
            .unwrap_or(0);
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = self.text[line_start..offset].chars().count() + 1;
        let whole = self.text[line_start..].lines().next().unwrap_or("");
        let (source_line, source_skip) = excerpt(whole, column - 1, EXCERPT_CHARS);
        LessonError {
            file: self.name.clone(),
            line,
            column,
            message: message.into(),
            source_line,
            source_skip,
        }
    }

    pub fn error_in(&self, span: &Range<usize>, message: impl Into<String>) -> LessonError {
        self.error_at(span.start, message)
    }

    /// An error inside a string value whose span (with its quotes) is `span`:
    /// `inner` is a character offset into the value's text. Multi-line and
    /// escaped strings make exact positions guesswork, so this points into the
    /// value only when the value appears literally in the file.
    pub fn error_inside(
        &self,
        span: &Range<usize>,
        value: &str,
        inner_chars: usize,
        message: impl Into<String>,
    ) -> LessonError {
        let raw = self.text.get(span.clone()).unwrap_or("");
        let offset = raw
            .find(value)
            .map(|at| {
                let byte_inner: usize = value.chars().take(inner_chars).map(char::len_utf8).sum();
                span.start + at + byte_inner
            })
            .unwrap_or(span.start);
        self.error_at(offset, message)
    }
}

/// The most characters of a reason [`LessonError::one_line`] gives.
pub const ONE_LINE_CHARS: usize = 160;

impl LessonError {
    /// The error on one line, `FILE:LINE:COLUMN: why`, the reason's first
    /// line cut to [`ONE_LINE_CHARS`] characters and the whole sanitised:
    /// for "skipped" notes (`nabla list`, the tutor's home screen).
    pub fn one_line(&self) -> String {
        let why = self.message.lines().next().unwrap_or("");
        let why = if why.chars().count() > ONE_LINE_CHARS {
            let cut: String = why.chars().take(ONE_LINE_CHARS - 1).collect();
            format!("{cut}…")
        } else {
            why.to_string()
        };
        sanitize(&format!(
            "{}:{}:{}: {why}",
            self.file, self.line, self.column
        ))
        .into_owned()
    }
}

impl fmt::Display for LessonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )?;
        let gutter = self.line.to_string();
        writeln!(f, "{} |", " ".repeat(gutter.len()))?;
        writeln!(f, "{gutter} | {}", sanitize(&self.source_line))?;
        // The caret goes under the column's character as the sanitised line
        // shows it (a tab is four spaces there, an escape sequence one mark).
        let lead = usize::from(self.source_skip > 0);
        let before: String = self
            .source_line
            .chars()
            .take((self.column.saturating_sub(1) + lead).saturating_sub(self.source_skip))
            .collect();
        let caret_pad = " ".repeat(str_width(&sanitize(&before)));
        write!(f, "{} | {caret_pad}^", " ".repeat(gutter.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_lines_and_columns() {
        let src = SourceFile {
            name: "a.toml".into(),
            text: "x = 1\ny = \"ab\"\n".into(),
        };
        let e = src.error_at(10, "bad");
        assert_eq!((e.line, e.column), (2, 5));
        assert_eq!(e.source_line, "y = \"ab\"");
        assert_eq!(
            e.to_string(),
            "a.toml:2:5: bad\n  |\n2 | y = \"ab\"\n  |     ^"
        );
    }

    #[test]
    fn long_lines_are_cut_around_the_error_and_controls_made_visible() {
        let line = format!(
            "x = \"{}\u{1b}]0;t\u{7}{}\"",
            "a".repeat(300_000),
            "b".repeat(300_000)
        );
        let src = SourceFile {
            name: "a.toml".into(),
            text: format!("{line}\n"),
        };
        let e = src.error_at(5 + 300_000, "here");
        assert_eq!(e.column, 300_006);
        let shown = e.to_string();
        assert!(shown.len() < 1000, "{} bytes", shown.len());
        assert!(!shown.contains('\u{1b}') && !shown.contains('\u{7}'));
        let lines: Vec<&str> = shown.lines().collect();
        let caret = lines[3].chars().position(|c| c == '^').unwrap();
        assert_eq!(lines[2].chars().nth(caret), Some('\u{FFFD}'), "{shown}");
    }

    #[test]
    fn the_caret_follows_tabs_and_escapes() {
        let src = SourceFile {
            name: "a.toml".into(),
            text: "\t\u{1b}[31mx = ?\n".into(),
        };
        let e = src.error_at(src.text.find('?').unwrap(), "bad");
        let shown = e.to_string();
        let lines: Vec<&str> = shown.lines().collect();
        let caret = lines[3].chars().position(|c| c == '^').unwrap();
        assert_eq!(lines[2].chars().nth(caret), Some('?'), "{shown}");
    }

    #[test]
    fn errors_inside_a_value_point_at_the_character() {
        let src = SourceFile {
            name: "a.toml".into(),
            text: "f = \"x' q x\"\n".into(),
        };
        let e = src.error_inside(&(4..12), "x' q x", 3, "unknown name 'q'");
        assert_eq!((e.line, e.column), (1, 9));
    }
}
