//! The spellings students bring from LaTeX, NumPy and MATLAB (issue 16):
//! each reads as the student means it, shown by its read-back in the
//! canonical form and its shape, and the read-back parses to the same tree.
//! Spellings nabla does not support are refused with a message that says so.

use nabla_engine::expr::{Decls, compile, parse};

const GIVEN: &str = "A, X, W: n x n; x, y, a, b: n; s: scalar; M: m x n; t: m";

fn decls() -> Decls {
    Decls::parse(GIVEN).unwrap()
}

/// `src` reads back as `read_as` with shape `shape`, and the read-back
/// parses to the same tree.
fn reads(src: &str, read_as: &str, shape: &str) {
    let d = decls();
    let c = compile(src, Some(&d)).unwrap_or_else(|e| panic!("{src}: {}", e.message));
    assert_eq!(c.read_as, read_as, "{src}");
    assert_eq!(c.shape().to_string(), shape, "{src}");
    let back = parse(&c.read_as, Some(&d)).unwrap();
    assert!(
        back.same_tree(&c.ast),
        "{src}: {read_as} parses differently"
    );
}

fn refused(src: &str, says: &str) -> String {
    let e = compile(src, Some(&decls())).unwrap_err();
    assert!(e.message.contains(says), "{src}: {}", e.message);
    e.message
}

#[test]
fn latex_spellings() {
    for (src, read_as, shape) in [
        (r"x^\top A x", "xᵀ·A·x", "1×1"),
        (r"x^{\top} A x", "xᵀ·A·x", "1×1"),
        (r"X^{-1}", "X⁻¹", "n×n"),
        (r"X^{T}", "Xᵀ", "n×n"),
        (r"A^{\top}", "Aᵀ", "n×n"),
        (r"X^\intercal", "Xᵀ", "n×n"),
        (r"\frac{1}{2} x^\top x", "1/2·xᵀ·x", "1×1"),
        (r"\frac{x}{s}", "x/s", "n×1"),
        (r"\sigma(x)", "σ(x)", "n×1"),
        (r"\|x\|^2", "‖x‖²", "1×1"),
        (r"\left\| A x - b \right\|^2", "‖A·x - b‖²", "1×1"),
        (r"A \cdot x", "A·x", "n×1"),
        (r"x \odot y", "x ⊙ y", "n×1"),
        (r"x \circ y", "x ⊙ y", "n×1"),
        (r"\log(s)", "log(s)", "1×1"),
        (r"\ln(s)", "log(s)", "1×1"),
        (r"\exp(x)", "exp(x)", "n×1"),
        (r"\operatorname{tr}(X)", "tr(X)", "1×1"),
        (r"\mathrm{tr}(X^\top A)", "tr(Xᵀ·A)", "1×1"),
        (r"\det(X)", "det(X)", "1×1"),
        (r"\mathbf{1}^\top x", "onesᵀ·x", "1×1"),
        (r"\left(A + X\right) x", "(A + X)·x", "n×1"),
        (r"\langle A, X \rangle", "sum(A ⊙ X)", "1×1"),
        (r"\sqrt{s}", "sqrt(s)", "1×1"),
    ] {
        reads(src, read_as, shape);
    }
}

#[test]
fn numpy_spellings() {
    for (src, read_as, shape) in [
        // `**` is entry by entry in NumPy, and the read-back says so: `.^`.
        ("x**2", "x.^2", "n×1"),
        ("A**-1", "A.^-1", "n×n"),
        ("s**2", "s.^2", "1×1"),
        ("np.exp(x)", "exp(x)", "n×1"),
        ("numpy.log(s)", "log(s)", "1×1"),
        ("np.diag(x)", "diag(x)", "n×n"),
        ("np.linalg.inv(X)", "inv(X)", "n×n"),
        ("np.linalg.det(X)", "det(X)", "1×1"),
        ("np.linalg.norm(x)", "‖x‖", "1×1"),
        ("A.dot(x)", "A·x", "n×1"),
        ("np.dot(A, x)", "A·x", "n×1"),
        ("np.matmul(A, X)", "A·X", "n×n"),
        ("np.outer(a, b)", "a·bᵀ", "n×n"),
        ("np.eye(n)", "I(n)", "n×n"),
        ("np.ones(n)", "ones(n)", "n×1"),
        ("np.trace(X)", "tr(X)", "1×1"),
        ("np.maximum(0, x)", "relu(x)", "n×1"),
        ("x.T", "xᵀ", "1×n"),
        ("np.sum(x)", "sum(x)", "1×1"),
    ] {
        reads(src, read_as, shape);
    }
}

#[test]
fn matlab_spellings() {
    for (src, read_as, shape) in [
        ("eye(n)", "I(n)", "n×n"),
        ("A\\b", "inv(A)·b", "n×1"),
        ("x'*A*x", "xᵀ·A·x", "1×1"),
        ("x.^2'", "(x.^2)ᵀ", "1×n"),
    ] {
        reads(src, read_as, shape);
    }
}

#[test]
fn inverse_transposes_and_norms() {
    for (src, read_as, shape) in [
        ("X^-T", "(X⁻¹)ᵀ", "n×n"),
        ("X⁻ᵀ", "(X⁻¹)ᵀ", "n×n"),
        ("X^{-T}", "(X⁻¹)ᵀ", "n×n"),
        (r"X^{-\top}", "(X⁻¹)ᵀ", "n×n"),
        ("A^-1'", "(A⁻¹)ᵀ", "n×n"),
        ("A^2'", "(A²)ᵀ", "n×n"),
        ("‖x‖_2", "‖x‖", "1×1"),
        ("‖x‖₂", "‖x‖", "1×1"),
        ("||x||_2^2", "‖x‖²", "1×1"),
        ("‖x‖_{2}^2", "‖x‖²", "1×1"),
        ("‖X‖_F", "‖X‖", "1×1"),
        ("‖X‖_F^2", "‖X‖²", "1×1"),
        ("norm(x, 2)", "‖x‖", "1×1"),
        ("norm(X, 'fro')", "‖X‖", "1×1"),
        ("norm(X, \"fro\")", "‖X‖", "1×1"),
    ] {
        reads(src, read_as, shape);
    }
}

#[test]
fn the_two_norm_of_a_matrix_is_refused_with_the_frobenius_norm_offered() {
    let m = refused("‖X‖_2", "largest singular value");
    assert!(m.contains("‖X‖_F"), "{m}");
    refused("norm(M, 2)", "largest singular value");
    refused("norm(x, 1)", "norm(x, 2)");
}

#[test]
fn new_spellings_of_functions() {
    for (src, read_as, shape) in [
        ("max(0, x)", "relu(x)", "n×1"),
        ("max(x, 0)", "relu(x)", "n×1"),
        ("outer(a, b)", "a·bᵀ", "n×n"),
        ("logsumexp(x)", "log(sum(exp(x)))", "1×1"),
        ("A : X", "sum(A ⊙ X)", "1×1"),
        ("⟨a, b⟩", "sum(a ⊙ b)", "1×1"),
        ("x/n", "x/n", "n×1"),
        ("0.5‖W x - a‖²/n", "0.5·‖W·x - a‖²/n", "1×1"),
        ("sum(x)/n", "sum(x)/n", "1×1"),
        ("m n s", "m·n·s", "1×1"),
    ] {
        reads(src, read_as, shape);
    }
}

/// Issue 18 made kron, ⊗, vec and mean part of the language (they were
/// refused as "not supported yet" before).
#[test]
fn kron_vec_and_mean_are_spelled_every_way() {
    reads("kron(A, X)", "A ⊗ X", "(n·n)×(n·n)");
    reads("A ⊗ X", "A ⊗ X", "(n·n)×(n·n)");
    reads(r"A \otimes X", "A ⊗ X", "(n·n)×(n·n)");
    reads("vec(X)", "vec(X)", "(n·n)×1");
    reads("mean(x)", "mean(x)", "1×1");
    reads("K(n, n) vec(X)", "K(n, n)·vec(X)", "(n·n)×1");
    refused("A ⊗ I", "sizes of both sides of ⊗ must be known");
}

#[test]
fn what_is_not_supported_is_said_plainly() {
    refused("max(x, y)", "relu");
    // `\ ` is a LaTeX space and MATLAB's left division: both readings offered.
    let m = refused("A \\ b", "left division");
    assert!(m.contains("inv(A)·b") && m.contains("A b"), "{m}");
}

#[test]
fn one_transposed_is_the_sum_most_texts_mean() {
    // Decided (docs/expressions.md): `1'x` is 𝟙ᵀx, the sum of x, not x.
    reads("1'x", "onesᵀ·x", "1×1");
    reads("𝟙'x", "onesᵀ·x", "1×1");
    // The number 1 in parentheses stays the number.
    reads("(1)'x", "(1)ᵀ·x", "n×1");
}

#[test]
fn messages_that_used_to_mislead() {
    // A product of two vectors of one shape: the entry-by-entry product is offered.
    let m = refused("σ(x)(1 - σ(x))", "cannot multiply");
    assert!(m.contains("σ(x) .* (1 - σ(x))"), "{m}");
    // `(ones' x)^2` is a square of a number, not a refused vector power.
    reads("(ones' x)^2", "(onesᵀ·x)²", "1×1");
    // A vector power names a compound base in parentheses.
    let m = refused("(x + y)^2", "is a vector");
    assert!(
        m.contains("(x + y).^2") && m.contains("(x + y)'(x + y)"),
        "{m}"
    );
}

#[test]
fn spellings_work_without_declarations_too() {
    for (src, read_as) in [
        (r"x^\top A x", "xᵀ·A·x"),
        ("np.exp(x)", "exp(x)"),
        ("X^-T", "(X⁻¹)ᵀ"),
        ("x**2", "x.^2"),
    ] {
        let c = compile(src, None).unwrap_or_else(|e| panic!("{src}: {}", e.message));
        assert_eq!(c.read_as, read_as, "{src}");
        assert!(parse(read_as, None).unwrap().same_tree(&c.ast), "{src}");
    }
}

#[test]
fn eye_is_reserved_like_i() {
    let e = Decls::parse("eye: n").unwrap_err();
    assert!(e.message.contains("reserved"), "{}", e.message);
}

/// Found by the `parse` fuzz target: `\operatorname{1trr}` made a name
/// `1trr`, which read back as 1·trr. A braced word that is no name (nor
/// the `1` of ones) is not taken as one.
#[test]
fn a_braced_word_that_is_no_name_does_not_become_one() {
    let d = decls();
    for src in [r"\operatorname{1tr}(X)", r"X \mathrm{2x}", r"\text{0f1}"] {
        if let Ok(c) = compile(src, Some(&d)) {
            let back = parse(&c.read_as, Some(&d)).unwrap();
            assert!(back.same_tree(&c.ast), "{src} reads as {}", c.read_as);
        }
    }
    reads(r"\mathbf{1}^\top x", "onesᵀ·x", "1×1");
}

/// Issue 15: Greek names are declarable, and typed as the letter, spelled
/// out, or in LaTeX, whichever way they were declared.
#[test]
fn greek_names_are_typed_as_letters_words_or_latex() {
    let d = Decls::parse("λ: scalar; x: n; beta: n").unwrap();
    for (src, read_as) in [
        ("λ x'x", "λ·xᵀ·x"),
        ("lambda x'x", "λ·xᵀ·x"),
        (r"\lambda x^\top x", "λ·xᵀ·x"),
        ("β' x", "betaᵀ·x"),
        (r"\beta^\top x", "betaᵀ·x"),
        ("beta' x", "betaᵀ·x"),
    ] {
        let c = compile(src, Some(&d)).unwrap_or_else(|e| panic!("{src}: {}", e.message));
        assert_eq!(c.read_as, read_as, "{src}");
    }
    // σ stays the sigmoid; an undeclared Greek name is still unknown.
    assert_eq!(compile(r"\sigma(x)", Some(&d)).unwrap().read_as, "σ(x)");
    let e = compile("mu x", Some(&d)).unwrap_err();
    assert!(e.message.contains("unknown name 'mu'"), "{}", e.message);
}
