//! Where in a lesson file something is: byte offsets to `line:column`, and
//! errors printed the way compilers print them, with the source line.

use std::fmt;
use std::ops::Range;

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
    /// The source line the error is on, for display.
    pub source_line: String,
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
        let source_line = self.text[line_start..]
            .lines()
            .next()
            .unwrap_or("")
            .to_string();
        LessonError {
            file: self.name.clone(),
            line,
            column,
            message: message.into(),
            source_line,
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

impl fmt::Display for LessonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )?;
        let gutter = self.line.to_string();
        writeln!(f, "{} |", " ".repeat(gutter.len()))?;
        writeln!(f, "{gutter} | {}", self.source_line)?;
        let caret_pad: String = self
            .source_line
            .chars()
            .take(self.column.saturating_sub(1))
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
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
    fn errors_inside_a_value_point_at_the_character() {
        let src = SourceFile {
            name: "a.toml".into(),
            text: "f = \"x' q x\"\n".into(),
        };
        let e = src.error_inside(&(4..12), "x' q x", 3, "unknown name 'q'");
        assert_eq!((e.line, e.column), (1, 9));
    }
}
