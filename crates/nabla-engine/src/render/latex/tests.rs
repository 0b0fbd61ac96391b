//! Rendering tests for the math subset, asserting exact output.

use super::render;

fn show(src: &str, display: bool) -> String {
    match render(src, display) {
        Ok(block) => block
            .rows
            .iter()
            .map(|l| l.plain_text().trim_end().to_string())
            .collect::<Vec<_>>()
            .join("\n"),
        Err(e) => format!("ERROR {} at {}", e.message, e.offset),
    }
}

#[test]
fn print_samples() {
    for src in [
        r"\frac{\partial}{\partial \mathbf{x}} \left( \mathbf{x}^T A \mathbf{x} \right) = (A + A^T) \mathbf{x}",
        r"\frac{\partial}{\partial X} \operatorname{tr}(X^T A) = A, \quad (AB)^T = B^T A^T, (A^{-1})^T",
        r"\mathbf{J} = \frac{\partial \mathbf{f}}{\partial \mathbf{x}} \in \mathbb{R}^{m \times n}",
        r"\sigma(x) = \frac{1}{1 + e^{-x}}",
        r"\nabla_W L = \sum_{i=1}^{N} \delta_i \mathbf{x}_i^T",
        r"x_{t+1} = x_t - \eta \nabla f(x_t), \quad f: \mathbb{R}^n \to \mathbb{R}",
        r"\left\| A \right\|_F^2 = \sum_{i,j} A_{ij}^2 = \operatorname{tr}(A^T A)",
        r"\frac{d}{dx} e^{x} = e^x, \quad \frac{\partial^2 f}{\partial \mathbf{x} \partial \mathbf{x}^T} = H",
        r"\mathcal{L}(\theta) = -\sum_{k} y_k \log \hat{y}_k",
        r"\det(A)\, \operatorname{tr}(A^{-1}\, dA)",
    ] {
        println!("{src}\n{}\n{}\n", show(src, true), show(src, false));
    }
}

/// Assert the display (2-D) and inline renderings of `src`.
fn check(src: &str, display: &str, inline: &str) {
    assert_eq!(show(src, true), display, "display rendering of {src}");
    assert_eq!(show(src, false), inline, "inline rendering of {src}");
}

#[test]
fn gradient_of_quadratic_form() {
    check(
        r"\frac{\partial f}{\partial \mathbf{x}} = (A + A^T)\mathbf{x}",
        "∂f\n── = (A + Aᵀ)x\n∂x",
        "∂f/∂x = (A + Aᵀ)x",
    );
}

#[test]
fn gradient_column_vector() {
    check(
        r"\begin{bmatrix} \frac{\partial f}{\partial x_1} \\ \vdots \\ \frac{\partial f}{\partial x_n} \end{bmatrix}",
        "⎡ ∂f  ⎤\n⎢ ─── ⎥\n⎢ ∂x₁ ⎥\n⎢     ⎥\n⎢  ⋮  ⎥\n⎢     ⎥\n⎢ ∂f  ⎥\n⎢ ─── ⎥\n⎣ ∂xₙ ⎦",
        "[∂f/∂x₁; ⋮; ∂f/∂xₙ]",
    );
}

#[test]
fn jacobian_with_dots() {
    check(
        r"J = \begin{bmatrix} \frac{\partial f_1}{\partial x_1} & \cdots & \frac{\partial f_1}{\partial x_n} \\ \vdots & \ddots & \vdots \\ \frac{\partial f_m}{\partial x_1} & \cdots & \frac{\partial f_m}{\partial x_n} \end{bmatrix}",
        "    ⎡ ∂f₁     ∂f₁ ⎤
    ⎢ ───  ⋯  ─── ⎥
    ⎢ ∂x₁     ∂xₙ ⎥
    ⎢             ⎥
J = ⎢  ⋮   ⋱   ⋮  ⎥
    ⎢             ⎥
    ⎢ ∂fₘ     ∂fₘ ⎥
    ⎢ ───  ⋯  ─── ⎥
    ⎣ ∂x₁     ∂xₙ ⎦",
        "J = [∂f₁/∂x₁ ⋯ ∂f₁/∂xₙ; ⋮ ⋱ ⋮; ∂fₘ/∂x₁ ⋯ ∂fₘ/∂xₙ]",
    );
}

#[test]
fn two_by_two_jacobian() {
    check(
        r"\begin{bmatrix} \frac{\partial f_1}{\partial x_1} & \frac{\partial f_1}{\partial x_2} \\ \frac{\partial f_2}{\partial x_1} & \frac{\partial f_2}{\partial x_2} \end{bmatrix}",
        "⎡ ∂f₁  ∂f₁ ⎤
⎢ ───  ─── ⎥
⎢ ∂x₁  ∂x₂ ⎥
⎢          ⎥
⎢ ∂f₂  ∂f₂ ⎥
⎢ ───  ─── ⎥
⎣ ∂x₁  ∂x₂ ⎦",
        "[∂f₁/∂x₁ ∂f₁/∂x₂; ∂f₂/∂x₁ ∂f₂/∂x₂]",
    );
}

#[test]
fn matrices_of_plain_cells() {
    check(
        r"A = \begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}, \det\begin{vmatrix} a & b \\ c & d \end{vmatrix}",
        "A = ⎛ 1  2 ⎞, det │ a  b │\n    ⎝ 3  4 ⎠      │ c  d │",
        "A = (1 2; 3 4), det |a b; c d|",
    );
    check(
        r"\begin{bmatrix} 1 & 2 & 3 \end{bmatrix} \begin{bmatrix} a \\ b \end{bmatrix}^T",
        "[ 1 2 3 ] ⎡ a ⎤ᵀ\n          ⎣ b ⎦",
        "[1 2 3] [a; b]ᵀ",
    );
    check(
        r"\begin{matrix} 10 & 2 \\ 3 & 4 \end{matrix}",
        "10  2\n3   4",
        "10 2; 3 4",
    );
    check(
        r"\begin{array}{lr} a & bbb \\ ccc & d \end{array}",
        "a    bbb\nccc    d",
        "a bbb; ccc d",
    );
}

#[test]
fn cases_and_aligned() {
    check(
        r"f(x) = \begin{cases} x & x > 0 \\ 0 & \text{otherwise} \end{cases}",
        "f(x) = ⎧ x  x > 0\n       ⎩ 0  otherwise",
        "f(x) = {x, x > 0; 0, otherwise}",
    );
    check(
        r"\begin{aligned} a &= b + c \\ &= \frac{1}{2} \end{aligned}",
        "a = b + c\n\n    1\n  = ─\n    2",
        "a = b + c; = 1/2",
    );
}

#[test]
fn sum_with_limits() {
    check(r"\sum_{i=1}^{n} a_i x_i", " n\n Σ aᵢxᵢ\ni=1", "Σᵢ₌₁ⁿ aᵢxᵢ");
    check(r"\prod_{k} p_k", "Π pₖ\nk", "Πₖ pₖ");
}

#[test]
fn norm_squared() {
    check(r"\|\mathbf{x} - \mathbf{a}\|^2", "‖x − a‖²", "‖x − a‖²");
    check(r"\lVert x \rVert_2", "‖x‖₂", "‖x‖₂");
}

#[test]
fn backprop_delta() {
    check(
        r"\delta_W = \delta_{\mathbf{y}} \mathbf{x}^T",
        "δ  = δ xᵀ\n W    y",
        "δ_W = δ_y xᵀ",
    );
}

#[test]
fn softmax() {
    check(
        r"p_i = \frac{e^{z_i}}{\sum_j e^{z_j}}",
        "       zᵢ\n      e\npᵢ = ──────\n         zⱼ\n     Σⱼ e",
        "pᵢ = e^(zᵢ)/(Σⱼ e^(zⱼ))",
    );
}

#[test]
fn real_matrix_space() {
    check(r"\mathbb{R}^{m \times n}", "ℝᵐˣⁿ", "ℝᵐˣⁿ");
    check(
        r"\mathbb{N} \mathbb{Z} \mathbb{Q} \mathbb{C}",
        "ℕℤℚℂ",
        "ℕℤℚℂ",
    );
}

#[test]
fn sigmoid_derivative() {
    check(
        r"\text{diag}(\sigma(\mathbf{x}) \odot (1 - \sigma(\mathbf{x})))",
        "diag(σ(x) ⊙ (1 − σ(x)))",
        "diag(σ(x) ⊙ (1 − σ(x)))",
    );
}

#[test]
fn nested_fractions_roots_binomials() {
    check(
        r"\frac{1}{1 + \frac{1}{x}} = \sqrt{\frac{a}{b}} \binom{n}{k}",
        "  1      ⎛a⎞
───── = √⎜─⎟ ⎛n⎞
    1    ⎝b⎠ ⎝k⎠
1 + ─
    x",
        "1/(1+1/x) = √(a/b)C(n, k)",
    );
    check(
        r"\frac{a+b}{c} \dfrac{1}{2} \tfrac{x}{y}",
        "a + b 1 x\n───── ─ ─\n  c   2 y",
        "((a+b)/c)(1/2)(x/y)",
    );
}

#[test]
fn inline_fractions_are_bracketed_against_neighbours() {
    check(
        r"\frac{a}{b}\frac{c}{d} + \frac{1}{2}(x+y)",
        "a c   1\n─ ─ + ─ (x + y)\nb d   2",
        "(a/b)(c/d) + (1/2)(x + y)",
    );
    assert_eq!(show(r"\frac{\partial f}{\partial x_1}", false), "∂f/∂x₁");
    assert_eq!(show(r"\frac{-x}{2}", false), "−x/2");
    assert_eq!(show(r"\frac{a}{b}^2", false), "(a/b)²");
}

#[test]
fn scripts_fall_back_when_unicode_lacks_forms() {
    check(
        r"x^{\text{new}} = x_{\text{old}} - \eta \nabla L",
        "xⁿᵉʷ = x    − η∇L\n        old",
        "xⁿᵉʷ = x_(old) − η∇L",
    );
    check(r"e^{-\frac{x^2}{2}}", " −x²/2\ne", "e^(−x²/2)");
    check(r"x_{ij} A^{-1} W_{ij} x_1", "xᵢⱼA⁻¹Wᵢⱼx₁", "xᵢⱼA⁻¹Wᵢⱼx₁");
    check(r"A^\top B^{T} C^T", "AᵀBᵀCᵀ", "AᵀBᵀCᵀ");
    check(
        r"\left(\frac{a}{b}\right)^2",
        "⎛ a ⎞²\n⎜ ─ ⎟\n⎝ b ⎠",
        "(a/b)²",
    );
}

#[test]
fn a_script_inside_a_script_is_not_flattened() {
    // One level of Unicode scripts cannot show a second: `eˣⁱ` reads as
    // e^{xi}, `xₐ₂` as x_{a2}. Such a script falls back like one whose
    // characters lack script forms, whether or not the inner script had
    // Unicode forms (`e^{x_y}` and `e^{x_i}` are drawn alike).
    check(r"e^{x_i}", " xᵢ\ne", "e^(xᵢ)");
    check(r"e^{x_y}", " x_y\ne", "e^(x_y)");
    check(r"e^{x^2}", " x²\ne", "e^(x²)");
    check(r"x_{a^2}", "x\n a²", "x_(a²)");
    check(r"x_{i_j} + 1", "x   + 1\n iⱼ", "x_(iⱼ) + 1");
    check(r"\sqrt[n_i]{x}", "^(nᵢ)√x", "^(nᵢ)√x");
    // Primes and stars are marks, not scripts: they still go up.
    check(r"f^{\prime\prime} A^{*}", "f′′A*", "f′′A*");
}

#[test]
fn limits_keep_clear_of_what_follows() {
    // Limits wider than their operator must not run into a neighbour's
    // rows: the `i=1` under Σ touched the denominator beside it.
    check(
        r"\sum_{i=1}^n \frac{\partial L}{\partial y_i} \frac{\partial y_i}{\partial x}",
        " n  ∂L  ∂yᵢ\n Σ  ─── ───\ni=1 ∂yᵢ ∂x",
        "Σᵢ₌₁ⁿ (∂L/∂yᵢ)(∂yᵢ/∂x)",
    );
    check(
        r"\frac{a}{b} \sum_{i=1}^{n} x_i",
        "a  n\n─  Σ xᵢ\nb i=1",
        "(a/b) Σᵢ₌₁ⁿ xᵢ",
    );
    // With nothing beside the limits the operator's own margin suffices.
    check(r"\sum_{i=1}^{n} a_i x_i", " n\n Σ aᵢxᵢ\ni=1", "Σᵢ₌₁ⁿ aᵢxᵢ");
}

#[test]
fn a_prime_attaches_to_an_operator_name() {
    // `f'` is `f^{\prime}` in TeX: no operator space before the prime.
    check(
        r"\tanh'(z) = 1 - \tanh^2(z)",
        "tanh′(z) = 1 − tanh²(z)",
        "tanh′(z) = 1 − tanh²(z)",
    );
    check(
        r"\tanh^\prime(z) \log' x + \sin''",
        "tanh′(z) log′ x + sin′′",
        "tanh′(z) log′ x + sin′′",
    );
    check(r"f'(x) + \sigma'", "f′(x) + σ′", "f′(x) + σ′");
}

#[test]
fn symbols_and_spacing() {
    check(
        r"a \cdot b \le -x, \quad y \mapsto \log y, \ \forall i",
        "a · b ≤ −x,  y ↦ log y, ∀i",
        "a · b ≤ −x,  y ↦ log y, ∀i",
    );
    check(
        r"\nabla a \odot b \circ c \otimes d \times e \in f \notin g \to h \rightarrow i \Rightarrow j",
        "∇a ⊙ b ∘ c ⊗ d × e ∈ f ∉ g → h → i ⇒ j",
        "∇a ⊙ b ∘ c ⊗ d × e ∈ f ∉ g → h → i ⇒ j",
    );
    check(
        r"a \leftarrow b \approx c \neq d \leq e \geq f \le g \ge h \equiv i \propto j",
        "a ← b ≈ c ≠ d ≤ e ≥ f ≤ g ≥ h ≡ i ∝ j",
        "a ← b ≈ c ≠ d ≤ e ≥ f ≤ g ≥ h ≡ i ∝ j",
    );
    check(
        r"\infty \exists \cdots \vdots \ddots \ldots \dots \prime \ell",
        "∞∃⋯⋮⋱……′ℓ",
        "∞∃⋯⋮⋱……′ℓ",
    );
    check(
        r"a \pm b \mp c \star d \ast e = \pm 1",
        "a ± b ∓ c ⋆ d ∗ e = ±1",
        "a ± b ∓ c ⋆ d ∗ e = ±1",
    );
    check(r"-\sum_k x_k", "−Σ xₖ\n k", "−Σₖ xₖ");
    check(
        r"\langle x, y \rangle \{ a \mid b \} \top",
        "⟨x, y⟩{a | b}⊤",
        "⟨x, y⟩{a | b}⊤",
    );
    check(r"a\,b\;c\:d\!e\qquad f", "a b c de    f", "a b c de    f");
}

#[test]
fn greek_letters() {
    check(
        r"\alpha\beta\gamma\delta\epsilon\varepsilon\zeta\eta\theta\vartheta\iota\kappa\lambda\mu\nu\xi\pi\rho\sigma\tau\upsilon\phi\varphi\chi\psi\omega",
        "αβγδϵεζηθϑικλμνξπρστυϕφχψω",
        "αβγδϵεζηθϑικλμνξπρστυϕφχψω",
    );
    check(
        r"\Gamma\Delta\Theta\Lambda\Xi\Pi\Sigma\Upsilon\Phi\Psi\Omega",
        "ΓΔΘΛΞΠΣΥΦΨΩ",
        "ΓΔΘΛΞΠΣΥΦΨΩ",
    );
}

#[test]
fn functions_and_upright_text() {
    check(
        r"\frac{\partial^2 f}{\partial x \partial y} = \operatorname{tr}(A^\top B) \mathrm{d}x \max_{x} f(x)",
        "∂²f\n──── = tr(AᵀB)dx max f(x)\n∂x∂y              x",
        "∂²f/∂x∂y = tr(AᵀB)dx maxₓ f(x)",
    );
    check(
        r"\log x + \exp(y) - \ln z \det A \tr B \min_i \sin \cos \tanh \diag",
        "log x + exp(y) − ln z det A tr B min sin cos tanh diag\n                                  i",
        "log x + exp(y) − ln z det A tr B minᵢ sin cos tanh diag",
    );
    check(r"\text{if } x \textbf{ big}", "if x big", "if x big");
}

#[test]
fn roots_and_accents() {
    check(
        r"\sqrt{x} + \sqrt{x^2+1} + \sqrt[3]{y} + \sqrt{10}",
        "√x + √(x² + 1) + ³√y + √10",
        "√x + √(x² + 1) + ³√y + √10",
    );
    check(
        r"\hat{x} \bar{x} \tilde{x} \bar{AB} \hat{AB} \tilde{xy}",
        "x̂x̄x̃A̅B̅hat(AB)tilde(xy)",
        "x̂x̄x̃A̅B̅hat(AB)tilde(xy)",
    );
}

#[test]
fn delimiters_grow() {
    check(
        r"\left[ \begin{matrix} a \\ b \\ c \end{matrix} \right]",
        "⎡ a ⎤\n⎢ b ⎥\n⎣ c ⎦",
        "[a; b; c]",
    );
    check(r"\left\{ \frac{a}{b} \right.", "⎧ a\n⎨ ─\n⎩ b", "{a/b");
    check(r"\left( x \right)", "(x)", "(x)");
    check(
        r"\left\{ x \in \mathbb{R} \middle| x > 0 \right\}",
        "{x ∈ ℝ | x > 0}",
        "{x ∈ ℝ | x > 0}",
    );
    check(r"\bigl( x \bigr)", "(x)", "(x)");
}

#[test]
fn integrals_and_limits() {
    check(
        r"\int_0^1 f(x)\,dx \quad \lim_{n \to \infty} \frac{1}{n}",
        "                 1\n∫₀¹ f(x) dx  lim ─\n             n→∞ n",
        "∫₀¹ f(x) dx  lim_(n→∞) (1/n)",
    );
    check(
        r"\overset{!}{=} \underset{x}{\arg}",
        "!\n= arg\n   x",
        "=^! argₓ",
    );
}

#[test]
fn calligraphic_and_bold() {
    check(r"\mathcal{L} \mathcal{A} \mathcal{F}", "ℒAℱ", "ℒAℱ");
    let Ok(block) = render(r"\mathbf{x} y \mathcal{A}", false) else {
        panic!("render failed");
    };
    let spans = &block.rows[0].spans;
    assert_eq!(spans[0].text, "x");
    assert!(spans[0].style.bold && spans[0].style.math);
    assert_eq!(spans[1].text, "y");
    assert!(!spans[1].style.bold && spans[1].style.math);
    assert_eq!(spans[2].text, "A");
    assert!(spans[2].style.italic);
}

#[test]
fn errors_name_the_problem() {
    assert_eq!(
        show(r"x + \foo", true),
        "ERROR unsupported command \\foo at 4"
    );
    assert_eq!(
        show(r"\frac{a}{b", false),
        "ERROR unbalanced braces: missing } at 8"
    );
    assert_eq!(
        show(r"{a}}", false),
        "ERROR unbalanced braces: unexpected } at 3"
    );
    assert_eq!(
        show(r"\mathbb{X}", false),
        "ERROR \\mathbb{X} is not supported (only N, Z, Q, R, C) at 8"
    );
    let deep = "x^{".repeat(70) + &"}".repeat(70);
    assert_eq!(show(&deep, true), "ERROR nested too deeply at 192");
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

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        let i = (self.next() % items.len() as u64) as usize;
        items.get(i).copied().unwrap_or("")
    }
}

#[test]
fn garbage_never_panics_and_inline_is_one_line() {
    let pieces = [
        "\\",
        "{",
        "}",
        "^",
        "_",
        "&",
        "$",
        "a",
        "x",
        "1",
        " ",
        "\\frac",
        "\\left(",
        "\\right)",
        "\\begin{bmatrix}",
        "\\end{bmatrix}",
        "\\\\",
        "\\sqrt",
        "[",
        "]",
        "\\sum",
        "\\hat",
        "\\mathbb",
        "\\text",
        "\\middle|",
        "\\left.",
        "\\right\\}",
        "-",
        "=",
        "\\alpha",
        "\\|",
        "\\begin{cases}",
        "\\end{cases}",
        "\\overset",
        "\\binom",
        "'",
        "\\mathbf",
        "é",
        "\\limits",
        "\\begin{array}",
        "{c|l}",
        "\\end{array}",
        "\\operatorname*",
        "\\big",
        "\\not",
        "\\,",
    ];
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let mut ok = 0;
    for _ in 0..20_000 {
        let len = (rng.next() % 24) as usize;
        let src: String = (0..len).map(|_| rng.pick(&pieces)).collect();
        for display in [false, true] {
            if let Ok(block) = render(&src, display) {
                ok += 1;
                assert!(block.baseline < block.height(), "{src}");
                assert!(block.rows.iter().all(|r| r.width() == block.width), "{src}");
                if !display {
                    assert_eq!(block.height(), 1, "inline must be one line: {src}");
                }
            }
        }
    }
    assert!(ok > 1000, "too few valid samples: {ok}");
}
