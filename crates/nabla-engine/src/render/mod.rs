//! Terminal rendering of lesson text: a LaTeX math subset drawn as 2-D
//! Unicode (`latex`), Markdown with `$…$`/`$$…$$` math wrapped to a width
//! (`markdown`), and the styled-text types both produce (`style`).
//! Pure: no terminal code; the TUI adapts [`Line`]s to its own widgets.

pub mod charset;
pub mod grid;
mod latex;
pub(crate) mod markdown;
mod style;
mod symbols;

pub use style::{Line, Span, Style, char_width, str_width};

/// A problem in the source, with the byte offset it was found at.
#[derive(Clone, Debug, PartialEq)]
pub struct RenderError {
    pub message: String,
    /// Byte offset into the source given.
    pub offset: usize,
}

impl RenderError {
    pub fn new(message: impl Into<String>, offset: usize) -> RenderError {
        RenderError {
            message: message.into(),
            offset,
        }
    }
}

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (at byte {})", self.message, self.offset)
    }
}

impl std::error::Error for RenderError {}

/// A rectangle of styled text with a baseline row (for aligning fractions,
/// matrices, big operators). Every line is padded to the same width.
#[derive(Clone, Debug, PartialEq)]
pub struct MathBlock {
    pub lines: Vec<Line>,
    pub baseline: usize,
}

impl MathBlock {
    /// Width in display columns.
    pub fn width(&self) -> usize {
        self.lines.iter().map(Line::width).max().unwrap_or(0)
    }
}

/// Render LaTeX math. Display mode lays out fractions, matrices and limits
/// in two dimensions; inline mode always yields exactly one line.
pub fn render_math(src: &str, display: bool) -> Result<MathBlock, RenderError> {
    let block = latex::render(src, display)?;
    Ok(MathBlock {
        lines: block.rows,
        baseline: block.baseline,
    })
}

/// One-line plain-text form of math (for prompts in JSON output, e.g.
/// `∂f/∂x = (A + Aᵀ)x`).
pub fn math_to_plain(src: &str) -> Result<String, RenderError> {
    let block = latex::render(src, false)?;
    Ok(block.baseline_text().trim().to_string())
}

/// Markdown with `$inline$` and `$$display$$` math, wrapped to `width`
/// columns (clamped to 10..=4096). Fails with the first problem
/// [`check_markdown`] would report, so raw LaTeX never reaches the screen.
pub fn render_markdown(src: &str, width: usize) -> Result<Vec<Line>, RenderError> {
    markdown::render(src, width)
}

/// Every error in a Markdown+math text (for `nabla lint`), offsets into
/// `src`.
pub fn check_markdown(src: &str) -> Vec<RenderError> {
    markdown::check(src)
}

/// Markdown+math as plain text, one logical paragraph per line, math
/// rendered inline (for `nabla show` text output).
pub fn markdown_to_plain(src: &str) -> Result<String, RenderError> {
    markdown::to_plain(src)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_math_display_block() {
        let Ok(block) = render_math(
            r"\frac{\partial f}{\partial \mathbf{x}} = (A + A^T)\mathbf{x}",
            true,
        ) else {
            panic!("render failed");
        };
        let text: Vec<String> = block.lines.iter().map(Line::plain_text).collect();
        assert_eq!(
            text,
            vec!["∂f            ", "── = (A + Aᵀ)x", "∂x            "]
        );
        assert_eq!(block.baseline, 1);
        assert_eq!(block.width(), 14);
        assert!(
            block
                .lines
                .iter()
                .flat_map(|l| &l.spans)
                .all(|s| s.style.math)
        );
    }

    #[test]
    fn render_math_inline_is_one_line() {
        let Ok(block) = render_math(r"\begin{bmatrix} a & b \\ c & d \end{bmatrix}", false) else {
            panic!("render failed");
        };
        assert_eq!(block.lines.len(), 1);
        assert_eq!(block.baseline, 0);
        assert_eq!(block.lines[0].plain_text(), "[a b; c d]");
    }

    #[test]
    fn plain_math() {
        assert_eq!(
            math_to_plain(r"\frac{\partial f}{\partial \mathbf{x}} = (A + A^T)\mathbf{x}"),
            Ok("∂f/∂x = (A + Aᵀ)x".to_string())
        );
        assert_eq!(
            math_to_plain(
                r"\nabla_{\mathbf{x}} \|\mathbf{x} - \mathbf{a}\|^2 = 2(\mathbf{x} - \mathbf{a})"
            ),
            Ok("∇ₓ‖x − a‖² = 2(x − a)".to_string())
        );
        let err = math_to_plain(r"a + \foo").err();
        assert_eq!(err.as_ref().map(|e| e.offset), Some(4));
        assert_eq!(
            err.map(|e| e.to_string()),
            Some("unsupported command \\foo (at byte 4)".to_string())
        );
    }

    #[test]
    fn markdown_entry_points() {
        let src = "Let $\\mathbf{x} \\in \\mathbb{R}^n$.";
        let lines = render_markdown(src, 80).unwrap_or_default();
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].plain_text(), "Let x ∈ ℝⁿ.");
        assert_eq!(markdown_to_plain(src), Ok("Let x ∈ ℝⁿ.".to_string()));
        assert!(check_markdown(src).is_empty());
        assert_eq!(check_markdown("$\\foo$")[0].offset, 1);
        // Huge widths are clamped rather than allocating huge rules.
        assert!(render_markdown("a\n\n---\n", usize::MAX).is_ok());
    }

    #[test]
    fn deep_but_valid_nesting_renders_without_overflow() {
        for (open, close) in [
            (r"\frac{", "}{x}"),
            (r"\sqrt{", "}"),
            ("x^{", "}"),
            ("x_{", "}"),
            (r"\left(", r"\right)"),
            (r"\begin{bmatrix}", r"\end{bmatrix}"),
            (r"\hat{", "}"),
            (r"\mathbf{", "}"),
            ("{", "}"),
        ] {
            for depth in [20, 31, 40, 63, 64, 65, 200] {
                let src = format!("{}y{}", open.repeat(depth), close.repeat(depth));
                for display in [true, false] {
                    match render_math(&src, display) {
                        Ok(block) => assert!(!block.lines.is_empty()),
                        Err(e) => assert_eq!(e.message, "nested too deeply", "{src}"),
                    }
                }
            }
        }
    }
}
