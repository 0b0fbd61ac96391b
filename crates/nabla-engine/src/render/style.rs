//! Styled text primitives shared by the math and Markdown renderers:
//! [`Style`] flags, [`Span`]s of uniformly styled text, [`Line`]s of spans,
//! and the display-width rules used for every alignment decision.
//!
//! Widths are counted in terminal columns by [`char_width`]: the renderers
//! only emit characters that are one column wide (or zero-width combining
//! marks), so a tiny table is enough and no Unicode-width dependency is needed.

/// Text style flags; the TUI maps them to colours/modifiers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Style {
    pub bold: bool,
    pub italic: bool,
    pub code: bool,
    pub math: bool,
    /// 0 = not a heading, 1..=6 = heading level.
    pub heading: u8,
    pub quote: bool,
    pub dim: bool,
}

impl Style {
    /// The style every piece of rendered math starts from.
    pub const MATH: Style = Style {
        bold: false,
        italic: false,
        code: false,
        math: true,
        heading: 0,
        quote: false,
        dim: false,
    };

    /// Overlay the flags of `other` that are set onto `self` (used to put
    /// math inside a heading or a block quote without losing either style).
    pub fn merge(self, other: Style) -> Style {
        Style {
            bold: self.bold || other.bold,
            italic: self.italic || other.italic,
            code: self.code || other.code,
            math: self.math || other.math,
            heading: self.heading.max(other.heading),
            quote: self.quote || other.quote,
            dim: self.dim || other.dim,
        }
    }
}

/// A run of text in one style.
#[derive(Clone, Debug, PartialEq)]
pub struct Span {
    pub text: String,
    pub style: Style,
}

impl Span {
    pub fn new(text: impl Into<String>, style: Style) -> Span {
        Span {
            text: text.into(),
            style,
        }
    }

    /// Display columns of this span.
    pub fn width(&self) -> usize {
        str_width(&self.text)
    }
}

/// One row of styled text.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Line {
    pub spans: Vec<Span>,
}

impl Line {
    pub fn new() -> Line {
        Line::default()
    }

    /// A line holding a single span.
    pub fn styled(text: impl Into<String>, style: Style) -> Line {
        let mut line = Line::new();
        line.push_str(&text.into(), style);
        line
    }

    /// The text without styles.
    pub fn plain_text(&self) -> String {
        self.spans.iter().map(|s| s.text.as_str()).collect()
    }

    /// Display columns.
    pub fn width(&self) -> usize {
        self.spans.iter().map(Span::width).sum()
    }

    /// Append text, merging with the last span when the style matches so
    /// lines stay short lists of spans however they were assembled.
    ///
    /// With ASCII output chosen on this thread ([`super::charset`]) the text
    /// is folded to ASCII here, before anything measures it.
    pub fn push_str(&mut self, text: &str, style: Style) {
        if text.is_empty() {
            return;
        }
        let folded;
        let text = if !text.is_ascii() && super::charset::ascii() {
            folded = super::charset::fold(text);
            folded.as_ref()
        } else {
            text
        };
        match self.spans.last_mut() {
            Some(last) if last.style == style => last.text.push_str(text),
            _ => self.spans.push(Span::new(text, style)),
        }
    }

    pub fn push_char(&mut self, c: char, style: Style) {
        let mut buf = [0u8; 4];
        self.push_str(c.encode_utf8(&mut buf), style);
    }

    /// Append every span of `other`.
    pub fn append(&mut self, other: &Line) {
        for span in &other.spans {
            self.push_str(&span.text, span.style);
        }
    }

    /// Append `n` spaces in `style`.
    pub fn pad(&mut self, n: usize, style: Style) {
        if n > 0 {
            self.push_str(&" ".repeat(n), style);
        }
    }

    /// Remove trailing spaces (Markdown output should not carry the padding
    /// of centred or boxed content to the end of the line).
    pub fn trim_end(&mut self) {
        while let Some(last) = self.spans.last_mut() {
            let trimmed = last.text.trim_end_matches(' ').len();
            last.text.truncate(trimmed);
            if last.text.is_empty() {
                self.spans.pop();
            } else {
                break;
            }
        }
    }

    /// Apply `f` to the style of every span (e.g. to mark a whole line bold).
    pub fn restyle(&mut self, f: impl Fn(Style) -> Style) {
        let spans = std::mem::take(&mut self.spans);
        for span in spans {
            self.push_str(&span.text, f(span.style));
        }
    }
}

pub use crate::text::{char_width, str_width};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_ignore_combining_marks() {
        assert_eq!(str_width("x\u{0302}y"), 2);
        assert_eq!(str_width("∂f/∂x₁"), 6);
        assert_eq!(char_width('⎡'), 1);
    }

    #[test]
    fn push_merges_equal_styles() {
        let mut line = Line::new();
        line.push_str("a", Style::MATH);
        line.push_str("b", Style::MATH);
        line.push_str("c", Style::default());
        assert_eq!(line.spans.len(), 2);
        assert_eq!(line.plain_text(), "abc");
        assert_eq!(line.width(), 3);
    }

    #[test]
    fn trim_end_drops_trailing_spaces_across_spans() {
        let mut line = Line::styled("ab ", Style::default());
        line.push_str("   ", Style::MATH);
        line.trim_end();
        assert_eq!(line.plain_text(), "ab");
        assert_eq!(line.spans.len(), 1);
    }

    #[test]
    fn merge_combines_flags() {
        let heading = Style {
            heading: 2,
            bold: true,
            ..Style::default()
        };
        let merged = Style::MATH.merge(heading);
        assert!(merged.math && merged.bold);
        assert_eq!(merged.heading, 2);
    }
}
