//! Errors of the expression language: a message a student can act on, and the
//! character span of the input it concerns (so a caret can point at it).

use std::fmt;

/// A half-open range of *character* (not byte) offsets into the source text.
/// Characters, because the contract reports spans in characters and carets are
/// drawn one column per character.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// What stage refused the input; callers map these to verdicts and exit codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The text does not follow the grammar (or breaks a size limit).
    Syntax,
    /// A name that is not declared, or a names-run-together that does not split.
    Name,
    /// Shapes do not fit together.
    Shape,
    /// A declaration is malformed.
    Declaration,
    /// Evaluation failed on a concrete instance (singular matrix, log of a negative).
    Eval,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ExprError {
    pub kind: ErrorKind,
    pub message: String,
    pub span: Span,
}

impl ExprError {
    pub fn new(kind: ErrorKind, message: impl Into<String>, span: Span) -> Self {
        ExprError {
            kind,
            message: message.into(),
            span,
        }
    }

    pub fn syntax(message: impl Into<String>, span: Span) -> Self {
        Self::new(ErrorKind::Syntax, message, span)
    }

    pub fn shape(message: impl Into<String>, span: Span) -> Self {
        Self::new(ErrorKind::Shape, message, span)
    }

    pub fn eval(message: impl Into<String>, span: Span) -> Self {
        Self::new(ErrorKind::Eval, message, span)
    }

    /// The source line with a caret line under the span, as `nabla parse` prints it:
    ///
    /// ```text
    /// (A + ) x
    ///      ^ expected an expression after '+'
    /// ```
    pub fn with_caret(&self, source: &str) -> String {
        caret_report(source, self.span, &self.message)
    }
}

impl fmt::Display for ExprError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ExprError {}

/// Draws `source` on one line and `^^^ message` under `span`. Multi-line
/// sources show only the line the span starts on.
pub fn caret_report(source: &str, span: Span, message: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let start = span.start.min(chars.len());
    // Find the line containing `start`.
    let line_start = chars[..start]
        .iter()
        .rposition(|&c| c == '\n')
        .map_or(0, |i| i + 1);
    let line_end = chars[start..]
        .iter()
        .position(|&c| c == '\n')
        .map_or(chars.len(), |i| start + i);
    let line: String = chars[line_start..line_end].iter().collect();
    let col = start - line_start;
    let width = span.end.min(line_end).saturating_sub(start).max(1);
    format!("{line}\n{}{} {message}", " ".repeat(col), "^".repeat(width))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_points_under_the_span() {
        let r = caret_report(
            "(A + ) x",
            Span::new(5, 6),
            "expected an expression after '+'",
        );
        assert_eq!(r, "(A + ) x\n     ^ expected an expression after '+'");
    }

    #[test]
    fn caret_at_end_of_input_still_draws_one_caret() {
        let r = caret_report("A +", Span::new(3, 3), "expected an expression after '+'");
        assert_eq!(r, "A +\n   ^ expected an expression after '+'");
    }

    #[test]
    fn caret_covers_a_wide_span() {
        let r = caret_report("x A", Span::new(0, 3), "cannot multiply");
        assert_eq!(r, "x A\n^^^ cannot multiply");
    }
}
