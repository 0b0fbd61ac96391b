//! Markdown rendering tests, asserting exact output.

use super::super::style::Line;
use super::{check, render, to_plain};

fn show(src: &str, width: usize) -> String {
    match render(src, width) {
        Ok(lines) => lines
            .iter()
            .map(Line::plain_text)
            .collect::<Vec<_>>()
            .join("\n"),
        Err(e) => format!("ERROR {} at {}", e.message, e.offset),
    }
}

const LESSON: &str = r"# Gradients

The **gradient** of $f(\mathbf{x}) = \mathbf{x}^T A \mathbf{x}$ collects the partials $\frac{\partial f}{\partial x_i}$ into a column:

$$
\nabla f = \begin{bmatrix} \frac{\partial f}{\partial x_1} \\ \vdots \\ \frac{\partial f}{\partial x_n} \end{bmatrix}
$$

- first item with `code` and *emphasis*
- second item that is long enough to wrap around the width
  1. nested one
  2. nested two

> A quote with $\sigma(x)$ math.

```
let x = 1;
```

| Expression | Gradient |
|:-----------|:--------:|
| $\mathbf{a}^T \mathbf{x}$ | $\mathbf{a}$ |
| $\mathbf{x}^T A \mathbf{x}$ | $(A + A^T)\mathbf{x}$ |

---
Done.";

#[test]
fn print_lesson() {
    println!(
        "{}\n\n{}",
        show(LESSON, 40),
        to_plain(LESSON).unwrap_or_default()
    );
}

#[test]
fn whole_lesson_at_40_columns() {
    let expected = "Gradients

The gradient of f(x) = xᵀAx collects the
partials ∂f/∂xᵢ into a column:

                   ⎡ ∂f  ⎤
                   ⎢ ─── ⎥
                   ⎢ ∂x₁ ⎥
                   ⎢     ⎥
              ∇f = ⎢  ⋮  ⎥
                   ⎢     ⎥
                   ⎢ ∂f  ⎥
                   ⎢ ─── ⎥
                   ⎣ ∂xₙ ⎦

• first item with code and emphasis
• second item that is long enough to
  wrap around the width
  1. nested one
  2. nested two

│ A quote with σ(x) math.

  let x = 1;

┌────────────┬───────────┐
│ Expression │ Gradient  │
├────────────┼───────────┤
│ aᵀx        │     a     │
│ xᵀAx       │ (A + Aᵀ)x │
└────────────┴───────────┘

────────────────────────────────────────

Done.";
    assert_eq!(show(LESSON, 40), expected);
}

#[test]
fn plain_text_form() {
    let expected = "Gradients
The gradient of f(x) = xᵀAx collects the partials ∂f/∂xᵢ into a column:
∇f = [∂f/∂x₁; ⋮; ∂f/∂xₙ]
• first item with code and emphasis
• second item that is long enough to wrap around the width
  1. nested one
  2. nested two
│ A quote with σ(x) math.
  let x = 1;
Expression | Gradient
aᵀx | a
xᵀAx | (A + Aᵀ)x
Done.";
    assert_eq!(to_plain(LESSON), Ok(expected.to_string()));
    assert_eq!(
        to_plain("bad $\\foo$").map_err(|e| e.offset),
        Err(5),
        "errors carry source offsets"
    );
}

#[test]
fn paragraph_wraps_without_splitting_math() {
    let src = "Since $\\frac{\\partial f}{\\partial \\mathbf{x}} = (A + A^T)\\mathbf{x}$ holds for every square matrix $A$, the gradient vanishes when $(A + A^T)\\mathbf{x} = 0$.";
    assert_eq!(
        show(src, 40),
        "Since ∂f/∂x = (A + Aᵀ)x holds for every\n\
         square matrix A, the gradient vanishes\n\
         when (A + Aᵀ)x = 0."
    );
    // At 30 columns the last formula would straddle the line end: it moves
    // down whole.
    assert_eq!(
        show(src, 30),
        "Since ∂f/∂x = (A + Aᵀ)x holds\n\
         for every square matrix A, the\n\
         gradient vanishes when\n\
         (A + Aᵀ)x = 0."
    );
    let Ok(lines) = render(src, 40) else {
        panic!("render failed");
    };
    assert!(lines.iter().all(|l| l.width() <= 40));
    let math: String = lines[0]
        .spans
        .iter()
        .filter(|s| s.style.math)
        .map(|s| s.text.as_str())
        .collect();
    assert_eq!(math, "∂f/∂x = (A + Aᵀ)x");
}

#[test]
fn inline_code_moves_down_whole() {
    // A code span is something to type as it stands: like a formula it
    // moves to the next line rather than break at its own spaces.
    let src = "Type the Jacobian as `diag(1 - tanh(x).^2)`, not the vector.";
    assert_eq!(
        show(src, 30),
        "Type the Jacobian as\ndiag(1 - tanh(x).^2), not the\nvector."
    );
    let Ok(lines) = render(src, 30) else {
        panic!("render failed");
    };
    let code: String = lines[1]
        .spans
        .iter()
        .filter(|s| s.style.code)
        .map(|s| s.text.as_str())
        .collect();
    assert_eq!(code, "diag(1 - tanh(x).^2)");
    // Only a span wider than the whole line breaks: at its spaces first,
    // then by characters.
    assert_eq!(
        show("Run `nabla derive --steps` now", 12),
        "Run nabla\nderive\n--steps now"
    );
    assert_eq!(show("`abcdefghijklmn`", 10), "abcdefghij\nklmn");
}

#[test]
fn inline_code_in_a_narrowed_table_cell_moves_down_whole() {
    let src = "| math | typed |\n|---|---|\n| $2(\\mathbf{x} - \\mathbf{a})$ | `2 (x - a)` or `2*(x - a)` |";
    assert_eq!(
        show(src, 33),
        "┌──────────┬────────────────────┐
│ math     │ typed              │
├──────────┼────────────────────┤
│ 2(x − a) │ 2 (x - a) or       │
│          │ 2*(x - a)          │
└──────────┴────────────────────┘"
    );
    // Narrower than a span, the column still gives: the span breaks at its
    // spaces rather than push the table off the screen.
    assert!(show(src, 20).lines().all(|l| l.chars().count() <= 20));
}

#[test]
fn table_with_math_cells() {
    let src = "| Expression | Gradient | Note |\n\
               |---|:---:|---:|\n\
               | $\\mathbf{a}^T \\mathbf{x}$ | $\\mathbf{a}$ | linear |\n\
               | $\\|\\mathbf{x}\\|^2$ | $2\\mathbf{x}$ | $\\frac{1}{2}$ |\n\
               | $\\mathbf{x}^T A \\mathbf{x}$ | $(A + A^T)\\mathbf{x}$ | |";
    let expected = "┌────────────┬───────────┬────────┐
│ Expression │ Gradient  │   Note │
├────────────┼───────────┼────────┤
│ aᵀx        │     a     │ linear │
│ |x|²       │    2x     │    1/2 │
│ xᵀAx       │ (A + Aᵀ)x │        │
└────────────┴───────────┴────────┘";
    assert_eq!(show(src, 80), expected);
    // Too wide for the screen: still drawn whole.
    assert_eq!(show(src, 10), expected);
}

#[test]
fn display_math_is_centred_or_left_aligned_when_too_wide() {
    assert_eq!(
        show("Text before\n$$\\sum_{i=1}^{n} a_i x_i$$\nand after.", 30),
        "Text before\n\n            n\n            Σ aᵢxᵢ\n           i=1\n\nand after."
    );
    assert_eq!(
        show(
            "$$\\begin{bmatrix} 1 & 2 & 3 & 4 & 5 & 6 & 7 & 8 & 9 & 10 \\end{bmatrix}$$",
            10
        ),
        "[ 1 2 3 4 5 6 7 8 9 10 ]"
    );
}

#[test]
fn lists_quotes_code_links() {
    assert_eq!(
        show(
            "1. one\n2. two that wraps around\n\n   second para\n3. three",
            20
        ),
        "1. one\n2. two that wraps\n   around\n\n   second para\n3. three"
    );
    assert_eq!(
        show("3. three\n4. four\n\n- a\n  - b\n    - c", 20),
        "3. three\n4. four\n\n• a\n  ◦ b\n    ▪ c"
    );
    assert_eq!(
        show(
            "> quoted text that wraps around the width\n>\n> > nested",
            20
        ),
        "│ quoted text that\n│ wraps around the\n│ width\n│\n│ │ nested"
    );
    assert_eq!(
        show(
            "    fn very_long_code_line_that_should_not_be_wrapped() {}\n",
            20
        ),
        "  fn very_long_code_line_that_should_not_be_wrapped() {}"
    );
    assert_eq!(
        show(
            "See [the docs](https://example.com) and <https://x.y>.\nLine  \nbreak",
            40
        ),
        "See the docs (https://example.com) and\nhttps://x.y. Line\nbreak"
    );
    assert_eq!(show("a\n\n***\n\nb", 12), "a\n\n────────────\n\nb");
}

#[test]
fn styles_are_set() {
    let Ok(lines) = render("## Heading with $x^2$\n\n**bold** *it* `code`\n\n> q", 40) else {
        panic!("render failed");
    };
    let texts: Vec<String> = lines.iter().map(Line::plain_text).collect();
    assert_eq!(
        texts,
        vec!["Heading with x²", "", "bold it code", "", "│ q"]
    );
    let heading = &lines[0].spans;
    assert!(heading.iter().all(|s| s.style.heading == 2 && s.style.bold));
    assert!(heading[1].style.math);
    let body = &lines[2].spans;
    assert!(body[0].style.bold);
    assert!(body.iter().any(|s| s.text == "it" && s.style.italic));
    assert!(body.iter().any(|s| s.text == "code" && s.style.code));
    assert!(lines[4].spans.iter().all(|s| s.style.quote));
}

#[test]
fn math_errors_point_into_the_markdown_source() {
    let src = "Intro.\n\nBad $x + \\foo$ here.";
    assert_eq!(show(src, 40), "ERROR unsupported command \\foo at 17");
    let src = "$$\n\\left( \\frac{a}{b}\n$$";
    assert_eq!(show(src, 40), "ERROR \\left without matching \\right at 3");
    // pulldown-cmark does not even see math with an unclosed brace; the
    // stray `$` is reported instead of showing raw LaTeX.
    let src = "ok $\\frac{a}{b$ no";
    assert_eq!(
        show(src, 40),
        "ERROR unmatched $: math was not recognised (unbalanced braces, or a space just \
         inside $…$?); write \\$ for a dollar sign at 3"
    );
}

#[test]
fn check_lists_every_problem() {
    let src =
        "A $\\foo$ and $\\frac{1}$.\n\nStray \\alpha and cost $5 but \\$6 is fine.\n\n`\\code` ok";
    let found: Vec<(String, usize)> = check(src)
        .into_iter()
        .map(|e| (e.message, e.offset))
        .collect();
    assert_eq!(
        found,
        vec![
            ("unsupported command \\foo".to_string(), 3),
            ("missing argument for \\frac".to_string(), 22),
            (
                "LaTeX command \\alpha outside math (wrap it in $…$)".to_string(),
                32
            ),
            (
                "unmatched $: math was not recognised (unbalanced braces, or a space just \
                 inside $…$?); write \\$ for a dollar sign"
                    .to_string(),
                48
            ),
        ]
    );
    assert!(check(LESSON).is_empty());
}

#[test]
fn tiny_widths_do_not_panic() {
    for width in [0, 1, 5, 9] {
        assert_eq!(render(LESSON, width).map(|_| ()), Ok(()));
        assert_eq!(render(LESSON, width), render(LESSON, 10));
    }
}

/// Tiny deterministic xorshift generator (no proptest here).
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn garbage_markdown_never_panics() {
    let pieces = [
        "$",
        "$$",
        "\\",
        "{",
        "}",
        "^",
        "_",
        "&",
        "a",
        "x",
        " ",
        "\n",
        "\n\n",
        "# ",
        "- ",
        "1. ",
        "> ",
        "|",
        "---",
        "`",
        "**",
        "*",
        "\\frac",
        "\\begin{bmatrix}",
        "\\\\",
        "\\end{bmatrix}",
        "    ",
        "[l](u)",
        "\t",
        "é",
        "\\sum_",
        "| a |\n|---|\n",
        "```\n",
    ];
    let mut rng = XorShift(0x2545_F491_4F6C_DD1D);
    for _ in 0..3000 {
        let len = (rng.next() % 40) as usize;
        let src: String = (0..len)
            .map(|_| pieces[(rng.next() % pieces.len() as u64) as usize])
            .collect();
        let width = (rng.next() % 50) as usize;
        let _ = render(&src, width);
        let _ = to_plain(&src);
        for error in check(&src) {
            assert!(error.offset <= src.len(), "{src:?}: {error:?}");
        }
    }
}
