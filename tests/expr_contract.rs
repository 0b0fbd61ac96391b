//! The expression language against its contract (`/work/shared/contract/expressions.md`):
//! one test per row of the contract's tables and per class of error, asserting
//! readings, shapes, values, messages and spans a student would see.

use nabla::expr::limits::{MAX_NESTING, MAX_TREE_DEPTH};
use nabla::expr::{
    BinOp, Decls, Dim, ErrorKind, Expr, ExprError, ExprKind, Fill, Func, Property, Shape, Sizes,
    Span, compile, eval, parse, print,
};
use nalgebra::DMatrix;

/// The declarations most tests use. Sizes: n = 3, m = 2.
const G: &str = "A, B: n x n; x, y, a: n; s, t: scalar; M: m x n; b: m; r: 1 x n";

fn decls(text: &str) -> Decls {
    Decls::parse(text).unwrap_or_else(|e| panic!("{text}: {}", e.message))
}

fn read(src: &str) -> String {
    read_in(src, G)
}

fn read_in(src: &str, given: &str) -> String {
    let d = decls(given);
    compile(src, Some(&d))
        .unwrap_or_else(|e| panic!("{src}: {}", e.with_caret(src)))
        .read_as
}

fn shape(src: &str) -> String {
    shape_in(src, G)
}

fn shape_in(src: &str, given: &str) -> String {
    let d = decls(given);
    compile(src, Some(&d))
        .unwrap_or_else(|e| panic!("{src}: {}", e.with_caret(src)))
        .shape()
        .to_string()
}

fn err(src: &str) -> ExprError {
    err_in(src, G)
}

fn err_in(src: &str, given: &str) -> ExprError {
    let d = decls(given);
    match compile(src, Some(&d)) {
        Ok(c) => panic!(
            "{src} should fail but reads as {} ({})",
            c.read_as,
            c.shape()
        ),
        Err(e) => e,
    }
}

fn tree(src: &str) -> Expr {
    let d = decls(G);
    parse(src, Some(&d)).unwrap_or_else(|e| panic!("{src}: {}", e.with_caret(src)))
}

fn same(a: &str, b: &str) -> bool {
    tree(a).same_tree(&tree(b))
}

/// The text a span covers.
fn spanned(src: &str, span: Span) -> String {
    src.chars()
        .skip(span.start)
        .take(span.end - span.start)
        .collect()
}

fn m(rows: usize, cols: usize, row_major: &[f64]) -> DMatrix<f64> {
    DMatrix::from_row_slice(rows, cols, row_major)
}

fn col(v: &[f64]) -> DMatrix<f64> {
    DMatrix::from_column_slice(v.len(), 1, v)
}

fn scalar(v: f64) -> DMatrix<f64> {
    DMatrix::from_element(1, 1, v)
}

/// The instance every evaluation test uses (n = 3, m = 2). `A` is not
/// symmetric, so a lost transpose shows.
fn instance(name: &str) -> DMatrix<f64> {
    match name {
        "A" => m(3, 3, &[2.0, 1.0, 0.0, 0.5, 3.0, 1.0, 0.0, -1.0, 4.0]),
        "B" => m(3, 3, &[1.0, 0.0, 2.0, 0.0, 1.0, 0.0, -1.0, 0.0, 1.0]),
        "x" => col(&[1.0, 2.0, 3.0]),
        "y" => col(&[0.5, -1.0, 2.0]),
        "a" => col(&[1.0, -1.0, 1.0]),
        "s" => scalar(2.0),
        "t" => scalar(3.0),
        "M" => m(2, 3, &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]),
        "b" => col(&[1.0, -1.0]),
        "r" => m(1, 3, &[1.0, 0.0, 2.0]),
        other => panic!("no instance for {other}"),
    }
}

fn sizes() -> Sizes {
    Sizes::from([("n".to_string(), 3), ("m".to_string(), 2)])
}

fn try_value_with(
    src: &str,
    given: &str,
    inst: &dyn Fn(&str) -> DMatrix<f64>,
) -> Result<DMatrix<f64>, ExprError> {
    let d = decls(given);
    let c = compile(src, Some(&d)).unwrap_or_else(|e| panic!("{src}: {}", e.with_caret(src)));
    let values: Vec<DMatrix<f64>> = d.names().map(inst).collect();
    eval(&c.typed, &sizes(), &values)
}

fn try_value(src: &str) -> Result<DMatrix<f64>, ExprError> {
    try_value_with(src, G, &instance)
}

fn value(src: &str) -> DMatrix<f64> {
    try_value(src).unwrap_or_else(|e| panic!("{src}: {}", e.message))
}

#[track_caller]
fn assert_close(got: &DMatrix<f64>, want: &DMatrix<f64>) {
    assert_eq!(got.shape(), want.shape(), "got {got} want {want}");
    let scale = 1.0 + want.amax();
    let diff = (got - want).amax();
    assert!(diff <= 1e-12 * scale, "got {got} want {want}");
}

#[track_caller]
fn assert_value(src: &str, want: DMatrix<f64>) {
    assert_close(&value(src), &want);
}

fn sigmoid(v: f64) -> f64 {
    1.0 / (1.0 + (-v).exp())
}

// ---------------------------------------------------------------- transpose

#[test]
fn every_transpose_spelling_reads_as_one_transpose() {
    for src in ["A'", "A^T", "Aᵀ", "A.T", "transpose(A)"] {
        let e = tree(src);
        assert!(
            matches!(&e.kind, ExprKind::Transpose(inner) if matches!(&inner.kind, ExprKind::Name(n) if n == "A")),
            "{src}: {e:?}"
        );
        assert_eq!(read(src), "Aᵀ", "{src}");
    }
    for src in ["M'", "M^T", "Mᵀ", "M.T", "transpose(M)"] {
        assert_eq!(shape(src), "n×m", "{src}");
        assert_value(src, instance("M").transpose());
    }
    assert_value("A'", instance("A").transpose());
}

#[test]
fn transpose_of_a_transpose_and_of_a_product() {
    assert_eq!(read("x''"), "xᵀᵀ");
    assert_eq!(shape("x''"), "n×1");
    assert_eq!(read("(A x)'"), "(A·x)ᵀ");
    assert_eq!(shape("(M x)'"), "1×m");
    assert_value("(M x)'", (instance("M") * instance("x")).transpose());
}

// ----------------------------------------------------------- matrix product

#[test]
fn every_product_spelling_is_the_matrix_product() {
    for src in ["A*x", "A@x", "A·x", "A x"] {
        assert!(same(src, "A*x"), "{src}");
        let e = tree(src);
        assert!(matches!(e.kind, ExprKind::Binary(BinOp::Mul, ..)), "{src}");
        assert_eq!(read(src), "A·x", "{src}");
        assert_eq!(shape(src), "n×1", "{src}");
        assert_value(src, instance("A") * instance("x"));
    }
    assert_eq!(shape("M A"), "m×n");
    assert_value("M A", instance("M") * instance("A"));
    assert_value("x y'", instance("x") * instance("y").transpose());
    assert_eq!(shape("x y'"), "n×n");
}

#[test]
fn a_scalar_or_any_one_by_one_result_scales_anything() {
    assert_eq!(shape("s M"), "m×n");
    assert_eq!(shape("M s"), "m×n");
    assert_value("s*M", instance("M") * 2.0);
    assert_value("M*s", instance("M") * 2.0);
    // x'y is 1×1 and then scales M (m×n), whatever the inner sizes say.
    assert_eq!(shape("(x'y) M"), "m×n");
    let xy = (instance("x").transpose() * instance("y"))[(0, 0)];
    assert_value("(x'y) M", instance("M") * xy);
    assert_eq!(shape("x (y'a)"), "n×1");
    // r x is 1×1, so r x M scales M.
    assert_eq!(shape("r x M"), "m×n");
    assert_eq!(read("2x"), "2x");
    assert_value("2x", instance("x") * 2.0);
}

// ---------------------------------------------------- elementwise operators

#[test]
fn every_elementwise_product_spelling() {
    for src in ["x.*y", "x⊙y", "x∘y"] {
        assert!(same(src, "x.*y"), "{src}");
        assert!(matches!(
            tree(src).kind,
            ExprKind::Binary(BinOp::Hadamard, ..)
        ));
        assert_eq!(read(src), "x ⊙ y");
        assert_eq!(shape(src), "n×1");
        assert_value(src, instance("x").component_mul(&instance("y")));
    }
    // One side a scalar.
    assert_eq!(shape("s .* M"), "m×n");
    assert_value("M .* s", instance("M") * 2.0);
    let e = err("x .* b");
    assert_eq!(e.kind, ErrorKind::Shape);
    assert_eq!(
        e.message,
        "cannot multiply entry by entry x (n×1) and b (m×1): the shapes must be equal (or one side 1×1)"
    );
}

#[test]
fn elementwise_division_and_division_by_a_scalar() {
    assert_eq!(read("x./y"), "x ./ y");
    assert_eq!(shape("x./y"), "n×1");
    assert_value("x./y", col(&[2.0, -2.0, 1.5]));
    assert_eq!(read("A/s"), "A/s");
    assert_eq!(shape("A/s"), "n×n");
    assert_value("A/s", instance("A") / 2.0);
    assert_value("1/s", scalar(0.5));
    let e = err("x/y");
    assert_eq!(e.kind, ErrorKind::Shape);
    assert!(e.message.contains("./"), "{}", e.message);
    assert!(e.message.contains("y (n×1) is not 1×1"), "{}", e.message);
}

#[test]
fn sums_and_differences_broadcast_a_scalar() {
    assert_eq!(read("A + B"), "A + B");
    assert_value("A + B", instance("A") + instance("B"));
    assert_value("A - B", instance("A") - instance("B"));
    assert_eq!(read("1 - sigmoid(x)"), "1 - σ(x)");
    assert_eq!(shape("1 - sigmoid(x)"), "n×1");
    assert_value("1 - sigmoid(x)", instance("x").map(|v| 1.0 - sigmoid(v)));
    assert_eq!(shape("x + s"), "n×1");
    assert_value("x + s", instance("x").map(|v| v + 2.0));
    assert_value("s - x", instance("x").map(|v| 2.0 - v));
    let e = err("A + x");
    assert_eq!(
        e.message,
        "cannot add A (n×n) and x (n×1): the shapes must be equal (or one side 1×1)"
    );
    assert_eq!(e.span, Span::new(0, 5));
    let e = err("x - A");
    assert_eq!(
        e.message,
        "cannot subtract A (n×n) from x (n×1): the shapes must be equal (or one side 1×1)"
    );
}

#[test]
fn negation() {
    assert_eq!(read("-x"), "-x");
    assert!(matches!(tree("-x").kind, ExprKind::Neg(_)));
    assert_value("-x", -instance("x"));
    assert_value("--x", instance("x"));
    assert_value("-A x", -(instance("A") * instance("x")));
    assert_value("x - -y", instance("x") + instance("y"));
}

// ------------------------------------------------------------------- powers

#[test]
fn powers_of_scalars() {
    assert_eq!(read("s^2"), "s²");
    assert_value("s^2", scalar(4.0));
    assert_eq!(read("s^0.5"), "s^0.5");
    assert_value("s^0.5", scalar(2f64.sqrt()));
    assert_value("s^-1", scalar(0.5));
    assert_value("2^3", scalar(8.0));
    assert_eq!(shape("s^t"), "1×1");
    assert_value("s^t", scalar(8.0));
}

#[test]
fn powers_of_square_matrices_are_matrix_powers() {
    let a = instance("A");
    assert_eq!(read("A^2"), "A²");
    assert_eq!(shape("A^2"), "n×n");
    assert_value("A^2", &a * &a);
    assert_value("A^3", &a * &a * &a);
    assert_value("A^0", DMatrix::identity(3, 3));
    assert_eq!(read("A^-1"), "A⁻¹");
    let inv = a.clone().try_inverse().unwrap();
    assert_value("A^-1", inv.clone());
    assert_value("A^-2", &inv * &inv);
    assert_value("(A + B)^-1", (&a + instance("B")).try_inverse().unwrap());
}

#[test]
fn a_power_of_a_vector_is_an_error_that_suggests_the_fix() {
    let e = err("x^2");
    assert_eq!(e.kind, ErrorKind::Shape);
    assert_eq!(e.span, Span::new(0, 3));
    assert!(e.message.contains("x is a vector (n×1)"), "{}", e.message);
    assert!(e.message.contains("x.^2"), "{}", e.message);
    assert!(e.message.contains("x'x"), "{}", e.message);
    // A row vector too.
    let e = err("r^2");
    assert!(e.message.contains("r.^2"), "{}", e.message);
}

#[test]
fn matrix_powers_need_a_square_matrix_and_a_whole_number() {
    let e = err("M^2");
    assert!(e.message.contains("not square"), "{}", e.message);
    assert!(e.message.contains(".^"), "{}", e.message);
    let e = err("A^0.5");
    assert!(e.message.contains("whole number"), "{}", e.message);
    assert_eq!(e.span, Span::new(2, 5));
    let e = err("A^s");
    assert!(e.message.contains("whole number"), "{}", e.message);
    let e = err("s^x");
    assert!(
        e.message.contains("exponent x (n×1) must be a number"),
        "{}",
        e.message
    );
}

#[test]
fn elementwise_power() {
    assert_eq!(read("x.^2"), "x.^2");
    assert_eq!(shape("x.^2"), "n×1");
    assert_value("x.^2", col(&[1.0, 4.0, 9.0]));
    assert_value("M.^2", instance("M").map(|v| v * v));
    assert_value("x.^s", col(&[1.0, 4.0, 9.0]));
    assert_value("x.^-1", col(&[1.0, 0.5, 1.0 / 3.0]));
    assert_value("x.^y", col(&[1.0, 0.5, 9.0]));
    // `.^` keeps its operands' shape even on a square matrix.
    assert_value("A.^2", instance("A").map(|v| v * v));
}

// -------------------------------------------------------------------- norms

#[test]
fn every_norm_spelling() {
    for src in ["norm(x)", "‖x‖", "||x||"] {
        assert!(same(src, "norm(x)"), "{src}");
        assert!(matches!(tree(src).kind, ExprKind::Call(Func::Norm, _)));
        assert_eq!(read(src), "‖x‖");
        assert_eq!(shape(src), "1×1");
        assert_value(src, scalar(14f64.sqrt()));
    }
}

#[test]
fn squared_norm_and_the_frobenius_norm() {
    assert_eq!(read("‖x‖^2"), "‖x‖²");
    assert_value("‖x‖^2", scalar(14.0));
    assert_value("||x||^2", scalar(14.0));
    assert_value("‖x - y‖", scalar((0.25f64 + 9.0 + 1.0).sqrt()));
    // Frobenius norm of a matrix: sqrt(1 + 4 + 9 + 16 + 25 + 36).
    assert_eq!(shape("norm(M)"), "1×1");
    assert_value("norm(M)", scalar(91f64.sqrt()));
    assert_value("‖M‖", scalar(91f64.sqrt()));
}

#[test]
fn norms_nest_and_multiply() {
    assert_value("‖x‖ ‖y‖", scalar(14f64.sqrt() * 5.25f64.sqrt()));
    assert_value("‖‖x‖ y‖", scalar(14f64.sqrt() * 5.25f64.sqrt()));
    assert_value("‖x‖‖y‖", scalar(14f64.sqrt() * 5.25f64.sqrt()));
    assert_value("2‖x‖", scalar(2.0 * 14f64.sqrt()));
}

// ------------------------------------------------------------ superscripts

#[test]
fn superscript_powers_beyond_the_contract() {
    // Not in the contract, accepted as a courtesy: x² is x^2, A⁻¹ is A^-1.
    assert!(same("s²", "s^2"));
    assert!(same("A⁻¹", "A^-1"));
    assert!(same("A²³", "A^23"));
    assert!(same("Aᵀ²", "(A')^2"));
    assert_value("s²", scalar(4.0));
    assert_value("A⁻¹ A", DMatrix::identity(3, 3));
    assert!(err("x²").message.contains("x.^2"));
}

#[test]
fn a_superscript_too_large_for_a_number_is_an_error_not_a_different_number() {
    let src = format!("s{}", "²".repeat(25));
    let e = err(&src);
    assert_eq!(e.kind, ErrorKind::Syntax);
    assert!(e.message.contains("too large"), "{}", e.message);
    assert_eq!(e.span, Span::new(1, 26));
    let e = err(&format!("A⁻{}", "⁹".repeat(19)));
    assert!(e.message.contains("too large"), "{}", e.message);
    // The largest that fits is still read exactly (and refused as a matrix power).
    let e = err("A⁹⁹");
    assert_eq!(e.message, "matrix powers are limited to ±64");
}

// ------------------------------------------------------------------ numbers

#[test]
fn numbers_in_every_spelling() {
    for (src, want, read_as) in [
        ("2", 2.0, "2"),
        ("0.5", 0.5, "0.5"),
        ("1e-3", 1e-3, "0.001"),
        ("2.5e2", 250.0, "250"),
        (".5", 0.5, "0.5"),
    ] {
        assert!(
            matches!(tree(src).kind, ExprKind::Number(v) if v == want),
            "{src}"
        );
        assert_eq!(read(src), read_as, "{src}");
        assert_eq!(shape(src), "1×1");
        assert_value(src, scalar(want));
    }
    // 1/2 is a division that evaluates to a half.
    assert_eq!(read("1/2"), "1/2");
    assert_value("1/2", scalar(0.5));
    assert_value("1/2 x", instance("x") * 0.5);
}

#[test]
fn numbers_that_are_not_usable_are_refused() {
    let e = err("1e999");
    assert_eq!(e.kind, ErrorKind::Syntax);
    assert!(e.message.contains("not a number"), "{}", e.message);
    assert_eq!(e.span, Span::new(0, 5));
}

// ---------------------------------------------------- I, ones and zeros

#[test]
fn identity_ones_and_zeros_with_sizes() {
    assert_eq!(shape("I(n)"), "n×n");
    assert_eq!(read("I(n)"), "I(n)");
    assert_eq!(shape("ones(n)"), "n×1");
    assert_eq!(shape("ones(m, n)"), "m×n");
    assert_eq!(shape("zeros(m, n)"), "m×n");
    assert_eq!(shape("zeros(m)"), "m×1");
    assert_eq!(shape("I(3)"), "3×3");
    assert_eq!(read("ones(m, n)"), "ones(m, n)");
    assert_value("I(n)", DMatrix::identity(3, 3));
    assert_value("ones(m, n)", DMatrix::from_element(2, 3, 1.0));
    assert_value("zeros(m, n)", DMatrix::zeros(2, 3));
    assert_value("ones(n)", DMatrix::from_element(3, 1, 1.0));
    assert_value("I(2)", DMatrix::identity(2, 2));
    assert_value("ones(m)' M ones(n)", scalar(21.0));
    assert!(matches!(
        tree("ones(m, n)").kind,
        ExprKind::Fill(Fill::Ones, Some((Dim::Sym(ref r), Dim::Sym(ref c)))) if r == "m" && c == "n"
    ));
}

#[test]
fn identity_ones_and_zeros_take_their_size_from_context() {
    assert_eq!(shape("A + I"), "n×n");
    assert_value("A + I", instance("A") + DMatrix::identity(3, 3));
    assert_eq!(shape("x' I x"), "1×1");
    assert_value("x' I x", scalar(14.0));
    assert_eq!(shape("ones' x"), "1×1");
    assert_value("ones' x", scalar(6.0));
    assert_eq!(shape("M ones"), "m×1");
    assert_value("M ones", col(&[6.0, 15.0]));
    assert_eq!(shape("M + zeros"), "m×n");
    assert_value("M - zeros", instance("M"));
    assert_eq!(shape("I M"), "m×n");
    assert_value("I M", instance("M"));
    assert_eq!(shape("x + ones"), "n×1");
    assert_value("x + ones", col(&[2.0, 3.0, 4.0]));
}

#[test]
fn a_sum_written_with_ones_broadcasts_like_a_scalar() {
    // `ones' x` is 1×1 (the sum of x), also where a row or column vector
    // decides the broadcast first.
    assert_eq!(shape("r - ones' x"), "1×n");
    assert_value("r - ones' x", instance("r").map(|v| v - 6.0));
    assert_eq!(shape("x' + ones' x"), "1×n");
    assert_value("(ones' x) .* r", instance("r") * 6.0);
    assert_value("r .* (ones' x)", instance("r") * 6.0);
    assert_value("s - ones' x", scalar(-4.0));
    // Against a whole matrix too: the ones stay a column, so the sum of x
    // is taken from every entry of M (not an n×m matrix of ones).
    assert_eq!(shape("M - ones' x"), "m×n");
    assert_value("M - ones' x", instance("M").map(|v| v - 6.0));
}

#[test]
fn diag_of_an_unsized_vector_takes_the_size_context_gives() {
    // diag makes a square matrix from a column: `diag(ones) x` is I x.
    assert_eq!(shape("diag(ones) x"), "n×1");
    assert_value("diag(ones) x", instance("x"));
    assert_eq!(shape("diag(M ones)"), "m×m");
    assert_eq!(shape("diag(ones' A)"), "n×n");
}

#[test]
fn sizes_that_cannot_be_known_or_used_are_errors() {
    let e = err("I");
    assert_eq!(
        e.message,
        "nothing here fixes the size of I: write I(n) with a size"
    );
    assert_eq!(e.span, Span::new(0, 1));
    let e = err("I(k)");
    assert!(e.message.contains("'k' belongs to no declared name"));
    assert!(e.message.contains("n, m"), "{}", e.message);
    let e = err("I(n, m)");
    assert_eq!(e.message, "I takes one size: I(n)");
    let e = err("ones(1, 2, 3)");
    assert!(e.message.contains("one or two sizes"), "{}", e.message);
    let e = err("ones(x)");
    assert!(e.message.contains("takes sizes"), "{}", e.message);
    let e = err("I(2) + A");
    assert!(e.message.contains("cannot add"), "{}", e.message);
}

#[test]
fn a_size_out_of_range_is_named_not_read_as_a_product() {
    // `I(0)` and `I(99999)` are attempts at a size; reading them as `I·0`
    // (and then complaining that I has no size) would mislead.
    for src in ["I(0)", "I(99999)", "ones(0, 3)", "zeros(3, 5000)"] {
        let e = err(src);
        assert_eq!(e.kind, ErrorKind::Syntax, "{src}");
        assert!(e.message.contains("from 1 to 2048"), "{src}: {}", e.message);
    }
    let e = err("A + I(99999)");
    assert_eq!(spanned("A + I(99999)", e.span), "99999");
    // A non-integer in parentheses after I is still a product: I·0.5.
    assert_eq!(read("A + I(0.5)"), "A + I·0.5");
}

// --------------------------------------------------------- matrix literals

#[test]
fn matrix_literals_in_every_spelling() {
    let want = m(2, 2, &[1.0, 2.0, 3.0, 4.0]);
    for src in [
        "[1 2; 3 4]",
        "[[1, 2], [3, 4]]",
        "[1, 2; 3, 4]",
        "[[1 2]; [3 4]]",
    ] {
        assert_eq!(shape(src), "2×2", "{src}");
        assert_eq!(read(src), "[1, 2; 3, 4]", "{src}");
        assert_value(src, want.clone());
    }
    assert_eq!(shape("[1; 2; 3]"), "3×1");
    assert_value("[1; 2; 3]", col(&[1.0, 2.0, 3.0]));
    assert_eq!(shape("[1 2 3]"), "1×3");
    // Literals combine with declared names.
    assert_value("[1 2 3] [1; 2; 3]", scalar(14.0));
    assert_value("[1; 2; 3] + [1; 2; 3]", col(&[2.0, 4.0, 6.0]));
    // A literal's sizes are numbers, never a declared symbol.
    let e = err("[1 2 3] x");
    assert_eq!(
        e.message,
        "cannot multiply [1, 2, 3] (1×3) by x (n×1): inner sizes 3 and n differ"
    );
    assert_value("[1 2; 3 4]'", want.transpose());
}

#[test]
fn a_space_before_a_minus_splits_a_literal_entry() {
    assert_eq!(shape("[1 -2]"), "1×2");
    assert_value("[1 -2]", m(1, 2, &[1.0, -2.0]));
    assert_eq!(shape("[1 - 2]"), "1×1");
    assert_value("[1 - 2]", scalar(-1.0));
    assert_value("[1-2]", scalar(-1.0));
    assert_value("[1 -2; -3 4]", m(2, 2, &[1.0, -2.0, -3.0, 4.0]));
    assert_value("[s -t]", m(1, 2, &[2.0, -3.0]));
    assert_value("[s - t]", scalar(-1.0));
    assert_value("[1 +2]", m(1, 2, &[1.0, 2.0]));
}

#[test]
fn a_coefficient_written_against_a_name_stays_one_literal_entry() {
    // `[2s 1]` is two entries, 2s and 1 — not three.
    assert_eq!(shape("[2s 1]"), "1×2");
    assert_value("[2s 1]", m(1, 2, &[4.0, 1.0]));
    assert_eq!(read("[2s 1]"), "[2·s, 1]");
    // With a space they are separate entries.
    assert_eq!(shape("[2 s 1]"), "1×3");
}

#[test]
fn malformed_literals_are_errors() {
    let e = err("[1 2; 3]");
    assert_eq!(
        e.message,
        "row 2 has 1 entries but row 1 has 2: every row needs the same number"
    );
    assert_eq!(e.span, Span::new(0, 8));
    assert_eq!(
        err("[]").message,
        "a matrix literal needs at least one entry"
    );
    assert_eq!(err("[1,,2]").message, "an entry is missing after ','");
    let e = err("[x]");
    assert_eq!(e.kind, ErrorKind::Shape);
    assert_eq!(
        e.message,
        "matrix entries must be numbers, but x (n×1) is not 1×1"
    );
    assert_eq!(e.span, Span::new(1, 2));
    let e = err("[1 2");
    assert!(e.message.contains("expected ']'"), "{}", e.message);
}

// ---------------------------------------------------------------- functions

#[test]
fn trace_in_both_spellings() {
    for src in ["tr(A)", "trace(A)"] {
        assert_eq!(read(src), "tr(A)");
        assert_eq!(shape(src), "1×1");
        assert_value(src, scalar(9.0));
    }
    assert_value("tr(x y')", scalar(instance("x").dot(&instance("y"))));
    assert!(err("tr(M)").message.contains("tr needs a square matrix"));
}

#[test]
fn det_logdet_and_inv() {
    let a = instance("A");
    assert_eq!(shape("det(A)"), "1×1");
    assert_value("det(A)", scalar(a.determinant()));
    assert_value("det(A)", scalar(24.0));
    assert_eq!(shape("logdet(A)"), "1×1");
    assert_value("logdet(A)", scalar(24f64.ln()));
    assert_eq!(shape("inv(A)"), "n×n");
    assert_value("inv(A)", a.clone().try_inverse().unwrap());
    assert_value("inv(A) A", DMatrix::identity(3, 3));
    assert!(err("det(M)").message.contains("det needs a square matrix"));
    assert!(err("inv(x)").message.contains("inv needs a square matrix"));
    assert!(
        err("logdet(M)")
            .message
            .contains("logdet needs a square matrix")
    );
}

#[test]
fn diag_both_ways() {
    assert_eq!(shape("diag(x)"), "n×n");
    assert_value(
        "diag(x)",
        m(3, 3, &[1.0, 0.0, 0.0, 0.0, 2.0, 0.0, 0.0, 0.0, 3.0]),
    );
    assert_eq!(shape("diag(A)"), "n×1");
    assert_value("diag(A)", col(&[2.0, 3.0, 4.0]));
    assert_eq!(shape("diag(r)"), "n×n");
    assert_value(
        "diag(r)",
        m(3, 3, &[1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0]),
    );
    let e = err("diag(M)");
    assert!(e.message.contains("neither"), "{}", e.message);
}

#[test]
fn sum_of_all_entries() {
    assert_eq!(shape("sum(M)"), "1×1");
    assert_value("sum(M)", scalar(21.0));
    assert_value("sum(x)", scalar(6.0));
}

#[test]
fn functions_of_one_number_apply_entry_by_entry() {
    let a = instance("A");
    let x = instance("x");
    assert_value("exp(x)", x.map(f64::exp));
    // exp(A) is not the matrix exponential.
    assert_eq!(shape("exp(A)"), "n×n");
    assert_value("exp(A)", a.map(f64::exp));
    assert_value("log(x)", x.map(f64::ln));
    assert_value("sqrt(x)", x.map(f64::sqrt));
    assert_value("abs(y)", col(&[0.5, 1.0, 2.0]));
    assert_value("tanh(y)", instance("y").map(f64::tanh));
    assert_value("relu(y)", col(&[0.5, 0.0, 2.0]));
    assert_value("relu(A)", a.map(|v| v.max(0.0)));
    for src in ["sigmoid(y)", "sigma(y)", "σ(y)"] {
        assert_eq!(read(src), "σ(y)");
        assert!(matches!(tree(src).kind, ExprKind::Call(Func::Sigmoid, _)));
        assert_value(src, instance("y").map(sigmoid));
    }
    for src in [
        "exp(M)", "log(M)", "sqrt(M)", "abs(M)", "tanh(M)", "σ(M)", "relu(M)",
    ] {
        assert_eq!(shape(src), "m×n", "{src}");
    }
}

#[test]
fn softmax_of_a_vector_and_of_a_matrix_column_by_column() {
    let e: f64 = [1f64, 2.0, 3.0].iter().map(|v| v.exp()).sum();
    assert_eq!(shape("softmax(x)"), "n×1");
    assert_value(
        "softmax(x)",
        col(&[1f64.exp() / e, 2f64.exp() / e, 3f64.exp() / e]),
    );
    assert_value("sum(softmax(x))", scalar(1.0));
    // A matrix: each column separately (columns of M are (1,4), (2,5), (3,6)).
    assert_eq!(shape("softmax(M)"), "m×n");
    let lo = 1.0 / (1.0 + 3f64.exp());
    let hi = 3f64.exp() / (1.0 + 3f64.exp());
    assert_value("softmax(M)", m(2, 3, &[lo, lo, lo, hi, hi, hi]));
    // A row vector counts as a vector.
    let er: f64 = [1f64, 0.0, 2.0].iter().map(|v| v.exp()).sum();
    assert_value(
        "softmax(r)",
        m(1, 3, &[1f64.exp() / er, 1.0 / er, 2f64.exp() / er]),
    );
    // Large entries do not overflow.
    assert_value("softmax(1000 x)", col(&[0.0, 0.0, 1.0]));
}

#[test]
fn functions_need_parentheses_and_one_argument() {
    let e = err("sigmoid x");
    assert_eq!(e.message, "'sigmoid' is a function: write sigmoid(...)");
    assert_eq!(e.span, Span::new(0, 7));
    assert_eq!(err("tr()").message, "tr(...) needs an argument");
    let e = err("tr(A, B)");
    assert_eq!(e.message, "tr(...) takes one argument");
    assert_eq!(e.span, Span::new(4, 5));
}

// --------------------------------------------------------------- precedence

#[test]
fn a_quadratic_form_groups_from_the_left() {
    assert!(same("x' A x", "(x' A) x"));
    assert!(!same("x' A x", "x' (A x)"));
    assert_eq!(read("x' A x"), "xᵀ·A·x");
    assert_eq!(shape("x' A x"), "1×1");
    let x = instance("x");
    assert_value("x' A x", x.transpose() * instance("A") * &x);
}

#[test]
fn a_coefficient_binds_to_the_first_factor() {
    assert!(same("2 A x", "(2 A) x"));
    assert!(!same("2 A x", "2 (A x)"));
    assert_eq!(read("2 A x"), "2A·x");
}

#[test]
fn transpose_binds_before_a_product() {
    assert!(same("a^T x", "(a') x"));
    assert!(same("a^T x", "a' * x"));
    assert_eq!(read("a^T x"), "aᵀ·x");
    assert_eq!(shape("a^T x"), "1×1");
    assert_value("a^T x", scalar(2.0));
    // The transpose binds to the name, not the product.
    assert!(!same("A x'", "(A x)'"));
    assert!(same("A B'", "A (B')"));
}

#[test]
fn unary_minus_binds_looser_than_powers() {
    assert!(same("-s^2", "-(s^2)"));
    assert!(!same("-s^2", "(-s)^2"));
    assert_value("-s^2", scalar(-4.0));
    assert_value("(-s)^2", scalar(4.0));
    let e = tree("-x^2");
    assert!(
        matches!(&e.kind, ExprKind::Neg(inner) if matches!(inner.kind, ExprKind::Binary(BinOp::Pow, ..)))
    );
    assert_eq!(read_in("-x.^2", G), "-x.^2");
    assert_value("-x.^2", col(&[-1.0, -4.0, -9.0]));
}

#[test]
fn unary_minus_binds_tighter_than_products() {
    assert!(same("-A x", "(-A) x"));
    assert!(same("s - t x", "s - (t x)"));
}

#[test]
fn powers_group_from_the_right() {
    assert!(same("s^t^2", "s^(t^2)"));
    assert!(!same("s^t^2", "(s^t)^2"));
    assert_value("2^3^2", scalar(512.0));
    assert!(same("x.^s.^t", "x.^(s.^t)"));
    assert!(same("s^-t^2", "s^(-(t^2))"));
}

#[test]
fn products_and_divisions_group_from_the_left() {
    assert!(same("s / t / s", "(s / t) / s"));
    assert_value("8 / 2 / 2", scalar(2.0));
    assert!(same("s / t x", "(s / t) x"));
    assert_value("1/2 x", col(&[0.5, 1.0, 1.5]));
    assert!(same("x .* y ./ a", "(x .* y) ./ a"));
    assert!(same("x - y - a", "(x - y) - a"));
    assert_value("x - y - a", instance("x") - instance("y") - instance("a"));
    // Sums bind loosest.
    assert!(same("x + A x", "x + (A x)"));
    assert!(same("x .* y + a", "(x .* y) + a"));
}

// ---------------------------------------------------- names run together

#[test]
fn names_run_together_split_into_declared_names() {
    let given = "A: n x n; x: n";
    let d = decls(given);
    let split = parse("Ax", Some(&d)).unwrap();
    let spaced = parse("A x", Some(&d)).unwrap();
    assert!(split.same_tree(&spaced));
    assert_eq!(read_in("Ax", given), "A·x");
    let split = parse("x'Ax", Some(&d)).unwrap();
    let spaced = parse("x' A x", Some(&d)).unwrap();
    assert!(split.same_tree(&spaced));
    assert_eq!(read_in("x'Ax", given), "xᵀ·A·x");
    assert_eq!(shape_in("x'Ax", given), "1×1");
    assert_eq!(read_in("2Ax", given), "2A·x");
    // Names with more than one letter take part.
    assert_eq!(read_in("Wxb", "W: m x n; x: n; b: scalar"), "W·x·b");
}

#[test]
fn a_name_that_is_declared_is_not_split() {
    let given = "A: n x n; x: n; Ax: n";
    assert_eq!(read_in("Ax", given), "Ax");
    assert_eq!(shape_in("Ax", given), "n×1");
}

#[test]
fn a_run_that_does_not_split_names_the_declared_names() {
    let e = err_in("Aq", "A: n x n; x: n");
    assert_eq!(e.kind, ErrorKind::Name);
    assert_eq!(e.message, "unknown name 'Aq': the declared names are A, x");
    assert_eq!(e.span, Span::new(0, 2));
    let e = err_in("q", "A: n x n; x: n");
    assert_eq!(e.message, "unknown name 'q': the declared names are A, x");
    let e = err_in("x + zz", "A: n x n; x: n");
    assert_eq!(e.span, Span::new(4, 6));
}

#[test]
fn a_run_that_splits_several_ways_names_the_readings_and_the_declared_names() {
    let given = "a: scalar; b: scalar; ab: scalar";
    let e = err_in("abab", given);
    assert_eq!(e.kind, ErrorKind::Name);
    assert_eq!(e.span, Span::new(0, 4));
    assert!(e.message.contains("'abab' can be read as"), "{}", e.message);
    assert!(e.message.contains("a·b·a·b"), "{}", e.message);
    assert!(e.message.contains("ab·a·b"), "{}", e.message);
    assert!(
        e.message.contains("the declared names are a, b, ab"),
        "{}",
        e.message
    );
}

#[test]
fn without_declarations_every_name_is_accepted_with_an_unknown_shape() {
    let c = compile("(A + A')x", None).unwrap();
    assert_eq!(c.read_as, "(A + Aᵀ)·x");
    assert_eq!(c.shape().to_string(), "?×?");
    let c = compile("x'x + 1", None).unwrap();
    assert_eq!(c.read_as, "xᵀ·x + 1");
    // Without declarations, a run of letters is one name.
    let c = compile("Ax", None).unwrap();
    assert_eq!(c.read_as, "Ax");
}

// ------------------------------------------------------------- declarations

#[test]
fn every_declaration_form() {
    let d = decls("A: m x n; x: n; r: 1 x n; s: scalar; S: n x n symmetric; P, Q: n x n");
    let sym = |s: &str| Dim::Sym(s.to_string());
    assert_eq!(d.get("A").unwrap().shape, Shape::new(sym("m"), sym("n")));
    assert_eq!(d.get("x").unwrap().shape, Shape::new(sym("n"), Dim::Lit(1)));
    assert_eq!(d.get("r").unwrap().shape, Shape::new(Dim::Lit(1), sym("n")));
    assert_eq!(d.get("s").unwrap().shape, Shape::scalar());
    assert_eq!(d.get("S").unwrap().props, vec![Property::Symmetric]);
    assert_eq!(d.get("P").unwrap().shape, Shape::new(sym("n"), sym("n")));
    assert_eq!(d.get("Q").unwrap().shape, Shape::new(sym("n"), sym("n")));
    assert_eq!(
        d.names().collect::<Vec<_>>(),
        ["A", "x", "r", "s", "S", "P", "Q"]
    );
    assert_eq!(d.symbols(), ["m", "n"]);
    // `x: n` is the same as `x: n x 1`.
    assert_eq!(decls("x: n x 1"), decls("x: n"));
}

#[test]
fn declarations_separate_by_semicolons_or_newlines() {
    assert_eq!(decls("A: m x n; x: n"), decls("A: m x n\nx: n"));
    assert_eq!(decls("A: m x n; x: n"), decls("A: m x n;\n\n x: n;"));
    assert_eq!(decls("A: m x n\r\nx: n").entries.len(), 2);
}

#[test]
fn every_size_separator_and_integer_sizes() {
    for text in ["A: m x n", "A: m × n", "A: m * n", "A: m×n", "A: m*n"] {
        assert_eq!(
            decls(text).entries[0].shape,
            Shape::new(Dim::Sym("m".into()), Dim::Sym("n".into())),
            "{text}"
        );
    }
    assert_eq!(
        decls("A: 3 x 4").entries[0].shape,
        Shape::new(Dim::Lit(3), Dim::Lit(4))
    );
    assert_eq!(shape_in("A x", "A: 3 x 4; x: 4"), "3×1");
    // Symbols are lowercase words; several letters and digits are fine.
    assert_eq!(shape_in("A", "A: rows x d2"), "rows×d2");
}

#[test]
fn every_property_with_spaces_or_commas() {
    let d = decls(
        "S: n x n symmetric; P: n x n spd; D: n x n diagonal; Q: n x n orthogonal; \
         w: n positive; e: k onehot; p: k probability; T2: n x n symmetric, positive",
    );
    let props = |n: &str| d.get(n).unwrap().props.clone();
    assert_eq!(props("S"), [Property::Symmetric]);
    assert_eq!(props("P"), [Property::Spd]);
    assert_eq!(props("D"), [Property::Diagonal]);
    assert_eq!(props("Q"), [Property::Orthogonal]);
    assert_eq!(props("w"), [Property::Positive]);
    assert_eq!(props("e"), [Property::Onehot]);
    assert_eq!(props("p"), [Property::Probability]);
    assert_eq!(props("T2"), [Property::Symmetric, Property::Positive]);
    // Properties shape instances, not expressions: S' is still n×n.
    assert_eq!(
        shape_in("S' + P", "S: n x n symmetric; P: n x n spd"),
        "n×n"
    );
}

#[test]
fn a_lesson_table_declares_the_same_as_text() {
    let table = Decls::from_pairs([("A", "m x n"), ("x", "n"), ("S", "n x n spd")]).unwrap();
    assert_eq!(table, decls("A: m x n; x: n; S: n x n spd"));
    let e = Decls::from_pairs([("A", "m x n symmetric")]).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Declaration);
    assert!(e.message.contains("needs a square matrix"), "{}", e.message);
    let e = Decls::from_pairs([("tr", "n")]).unwrap_err();
    assert!(e.message.contains("reserved"), "{}", e.message);
}

#[test]
fn every_reserved_word_is_refused_as_a_name() {
    for word in [
        "tr", "trace", "det", "logdet", "inv", "diag", "sum", "exp", "log", "sqrt", "abs", "tanh",
        "sigmoid", "sigma", "σ", "relu", "softmax", "I", "ones", "zeros", "T",
    ] {
        let text = format!("{word}: n");
        let e = Decls::parse(&text).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Declaration, "{word}");
        assert_eq!(
            e.message,
            format!("'{word}' is a reserved word and cannot be declared")
        );
        assert_eq!(spanned(&text, e.span), word);
    }
}

#[test]
fn declaration_errors_say_what_is_wrong_and_where() {
    // (text, message fragment, the text the span covers)
    let cases = [
        ("A m x n", "is not a declaration", "A m x n"),
        ("A:", "a shape is missing", ""),
        ("A: m x", "a column size is missing", "x"),
        ("A: M x n", "'M' is not a size", "M"),
        ("A: 0 x 2", "a size must be at least 1", "0"),
        ("A: 99999 x 2", "sizes are limited to 2048", "99999"),
        (
            "x: n; A: m x n symmetric",
            "'symmetric' needs a square matrix, but A is m×n",
            "A",
        ),
        ("x: n x n onehot", "'onehot' needs a vector", "x"),
        ("p: n x n probability", "'probability' needs a vector", "p"),
        (
            "Q: m x n orthogonal",
            "'orthogonal' needs a square matrix",
            "Q",
        ),
        (
            "A: n x n hermitian",
            "unknown property 'hermitian'",
            "hermitian",
        ),
        ("A: n; A: m", "'A' is declared twice", "A"),
        ("x: n; y: n; x: m", "'x' is declared twice", "x"),
        ("2A: n", "'2A' is not a valid name", "2A"),
        (": n", "a name is missing", ""),
    ];
    for (text, want, at) in cases {
        let e = Decls::parse(text).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Declaration, "{text}");
        assert!(e.message.contains(want), "{text}: {}", e.message);
        if !at.is_empty() {
            assert_eq!(spanned(text, e.span), at, "{text}: {:?}", e.span);
        }
    }
    // The twice-declared name is the second one.
    let e = Decls::parse("x: n; y: n; x: m").unwrap_err();
    assert_eq!(e.span, Span::new(12, 13));
    // Every property is listed when one is unknown.
    let e = Decls::parse("A: n x n hermitian").unwrap_err();
    assert!(
        e.message
            .contains("symmetric, spd, diagonal, orthogonal, positive, onehot, probability"),
        "{}",
        e.message
    );
}

#[test]
fn an_expression_uses_only_declared_sizes_and_names() {
    let e = err_in("A + B", "A: n x n");
    assert_eq!(e.message, "unknown name 'B': the declared names are A");
    assert_eq!(e.span, Span::new(4, 5));
}

// ---------------------------------------------------------------- read-back

#[test]
fn read_back_examples() {
    for (src, want) in [
        ("(A + A')x", "(A + Aᵀ)·x"),
        ("x'*A*x", "xᵀ·A·x"),
        ("2*A*x", "2A·x"),
        ("-2*(x - y)", "-2(x - y)"),
        ("A^-1 x", "A⁻¹·x"),
        ("inv(A)*x", "inv(A)·x"),
        ("sigma(x).*(1-sigma(x))", "σ(x) ⊙ (1 - σ(x))"),
        ("||x||^2", "‖x‖²"),
        ("trace(A'*B)", "tr(Aᵀ·B)"),
        ("x - (-y)", "x - (-y)"),
        ("x - -y", "x - (-y)"),
        ("(x'y)^2", "(xᵀ·y)²"),
        ("(-s)^2", "(-s)²"),
        ("x .^ (s + 1)", "x.^(s + 1)"),
        ("A (B x)", "A·(B·x)"),
        ("M'*(M*x - b)", "Mᵀ·(M·x - b)"),
        ("s/(t*s)", "s/(t·s)"),
        ("[1 -2; 3 4]", "[1, -2; 3, 4]"),
        ("transpose(A + B)", "(A + B)ᵀ"),
    ] {
        assert_eq!(read(src), want, "{src}");
        // The read-back parses to the same tree.
        assert!(same(&read(src), src), "{src} vs {want}");
    }
}

#[test]
fn read_back_is_idempotent() {
    for src in [
        "(A + A')x",
        "x'Ax",
        "diag(sigmoid(x) .* (1 - sigmoid(x)))",
        "‖M x - b‖^2",
    ] {
        let once = read(src);
        assert_eq!(read(&once), once, "{src}");
    }
}

#[test]
fn read_back_of_a_negated_zero_power_keeps_the_minus() {
    // `x^-0` printed as `x⁰` would parse to a different tree.
    let e = parse("s^-0", None).unwrap();
    let printed = print(&e);
    assert!(parse(&printed, None).unwrap().same_tree(&e), "{printed}");
}

#[test]
fn read_back_of_a_coefficient_inside_a_norm_parses_back() {
    // `‖2‖x‖‖` would be ambiguous: which bar closes which norm?
    for src in ["‖2·‖x‖‖", "‖2 ‖x‖ y‖", "‖-2·‖x‖‖"] {
        let e = parse(src, None).unwrap();
        let printed = print(&e);
        let back = parse(&printed, None)
            .unwrap_or_else(|err| panic!("{src} printed {printed}: {}", err.message));
        assert!(back.same_tree(&e), "{src} printed {printed}");
    }
}

#[test]
fn read_back_of_a_literal_entry_that_is_a_literal_parses_back() {
    for src in [
        "[([1]), 2]",
        "[([1]); 2]",
        "[[([1])], [2]]",
        "[([1] + 1) 2]",
        "[([1]') 2]",
    ] {
        let e = parse(src, None).unwrap();
        let printed = print(&e);
        let back = parse(&printed, None)
            .unwrap_or_else(|err| panic!("{src} printed {printed}: {}", err.message));
        assert!(back.same_tree(&e), "{src} printed {printed}");
    }
}

// ------------------------------------------------------------------- errors

#[test]
fn the_contract_error_for_a_missing_operand() {
    let src = "(A + ) x";
    let e = err(src);
    assert_eq!(e.kind, ErrorKind::Syntax);
    assert_eq!(e.message, "expected an expression after '+'");
    assert_eq!(e.span, Span::new(5, 6));
    assert_eq!(
        e.with_caret(src),
        "(A + ) x\n     ^ expected an expression after '+'"
    );
}

#[test]
fn the_contract_error_for_an_ill_shaped_product() {
    let src = "x A";
    let e = err_in(src, "A: m x n; x: n");
    assert_eq!(e.kind, ErrorKind::Shape);
    assert_eq!(
        e.message,
        "cannot multiply x (n×1) by A (m×n): inner sizes 1 and m differ"
    );
    assert_eq!(e.span, Span::new(0, 3));
    assert_eq!(
        e.with_caret(src),
        "x A\n^^^ cannot multiply x (n×1) by A (m×n): inner sizes 1 and m differ"
    );
    // The contract's other example: A x with A m×n and x m×1.
    let e = err_in("A x", "A: m x n; x: m");
    assert_eq!(
        e.message,
        "cannot multiply A (m×n) by x (m×1): inner sizes n and m differ"
    );
    // Inside a larger expression the span covers just the product.
    let src = "s + x' (A y)";
    let e = err_in(src, "A: m x n; x: n; y: n; s: scalar");
    assert_eq!(spanned(src, e.span), "x' (A y)");
    assert!(
        e.message
            .starts_with("cannot multiply xᵀ (1×n) by A·y (m×1)"),
        "{}",
        e.message
    );
}

#[test]
fn syntax_errors_point_at_the_culprit() {
    // (source, message, the text the span covers — empty at the end of the input)
    let cases = [
        ("A +", "expected an expression after '+'", ""),
        ("A * ", "expected an expression after '*'", ""),
        (
            "(x",
            "expected ')' to close the one opened at column 1, found the end of the input",
            "",
        ),
        ("x)", "this ')' has no matching '('", ")"),
        (
            "‖x",
            "expected '‖' to close the one opened at column 1, found the end of the input",
            "",
        ),
        ("x $ y", "unexpected character '$'", "$"),
        ("x = y", "unexpected character '='", "="),
        (
            "x | y",
            "a single '|' is not an operator: write ||x|| or ‖x‖ for a norm, abs(x) for absolute values",
            "|",
        ),
        ("x.y", "a '.' must start '.*', './', '.^' or '.T'", "."),
        ("A^", "expected an exponent after '^'", ""),
        (
            "A⁻",
            "a superscript minus must be followed by superscript digits (⁻¹)",
            "⁻",
        ),
        (
            "T",
            "'T' is reserved for the transpose: write A' or A^T",
            "T",
        ),
        ("x ]", "unexpected ']' after a complete expression", "]"),
        ("", "the expression is empty", ""),
        ("   ", "the expression is empty", ""),
    ];
    for (src, want, at) in cases {
        let e = err(src);
        assert_eq!(e.kind, ErrorKind::Syntax, "{src}");
        assert_eq!(e.message, want, "{src}");
        if at.is_empty() {
            assert!(
                e.span.start >= src.trim_end().chars().count(),
                "{src}: {:?}",
                e.span
            );
        } else {
            assert_eq!(spanned(src, e.span), at, "{src}: {:?}", e.span);
        }
        // A caret can always be drawn.
        assert!(e.with_caret(src).contains('^'), "{src}");
    }
}

#[test]
fn a_missing_operand_quotes_the_operator_as_typed() {
    for (src, op) in [
        ("A * )", "*"),
        ("A @ )", "@"),
        ("A · )", "·"),
        ("x .* )", ".*"),
        ("x ⊙ )", "⊙"),
        ("x ∘ )", "∘"),
        ("x ./ )", "./"),
        ("x / )", "/"),
    ] {
        let e = err(&format!("({src})"));
        assert_eq!(
            e.message,
            format!("expected an expression after '{op}'"),
            "{src}"
        );
        assert_eq!(spanned(&format!("({src})"), e.span), ")", "{src}");
    }
}

#[test]
fn a_caret_at_the_end_of_the_input_points_past_the_last_character() {
    let e = err("x +");
    assert_eq!(
        e.with_caret("x +"),
        "x +\n   ^ expected an expression after '+'"
    );
}

// --------------------------------------------------------------- evaluation

#[test]
fn evaluation_of_a_typical_answer() {
    let a = instance("A");
    let x = instance("x");
    let (m_, b) = (instance("M"), instance("b"));
    assert_value("(A + A')x", (&a + a.transpose()) * &x);
    assert_value("M' (M x - b)", m_.transpose() * (&m_ * &x - &b));
    let sx = x.map(sigmoid);
    assert_value(
        "diag(sigmoid(x) .* (1 - sigmoid(x)))",
        DMatrix::from_diagonal(&sx.component_mul(&sx.map(|v| 1.0 - v)).column(0)),
    );
    assert_value("-x'x", scalar(-14.0));
    assert_value("x'Ax", x.transpose() * &a * &x);
}

fn singular(name: &str) -> DMatrix<f64> {
    match name {
        // Rank 2 (the third row is the sum of the first two), built so that
        // rounding leaves a determinant a hair away from zero.
        "A" => {
            let u = col(&[0.3, -1.7, 2.2, 0.9]);
            let v = col(&[1.1, 0.4, -0.6, 2.5]);
            let w = col(&[-0.8, 1.3, 0.7, 0.2]);
            &u * v.transpose() + &w * u.transpose()
        }
        // Exactly singular.
        "B" => m(
            4,
            4,
            &[
                1.0, 2.0, 3.0, 4.0, 2.0, 4.0, 6.0, 8.0, 0.3, 0.1, 0.7, 0.9, 1.1, 1.3, 1.7, 1.9,
            ],
        ),
        other => panic!("{other}"),
    }
}

#[test]
fn a_singular_matrix_has_no_inverse_and_no_logdet() {
    let given = "A, B: 4 x 4";
    for name in ["A", "B"] {
        for (src, want) in [
            (format!("inv({name})"), "singular"),
            (format!("{name}^-1"), "singular"),
            (format!("logdet({name})"), "singular"),
            (format!("inv({name}) + {name}"), "singular"),
        ] {
            let e = try_value_with(&src, given, &singular)
                .map(|v| format!("{v}"))
                .expect_err(&src);
            assert_eq!(e.kind, ErrorKind::Eval, "{src}");
            assert!(e.message.contains(want), "{src}: {}", e.message);
        }
        // The determinant of a singular matrix is (up to rounding) zero, not an error.
        let d = try_value_with(&format!("det({name})"), given, &singular).unwrap();
        assert!(d[(0, 0)].abs() < 1e-12, "{name}: {d}");
    }
    // The span is the call, so a caret can point at it.
    let e = try_value_with("x' inv(B) x", "B: 4 x 4; x: 4", &|n| match n {
        "x" => col(&[1.0, 2.0, 3.0, 4.0]),
        n => singular(n),
    })
    .unwrap_err();
    assert_eq!(spanned("x' inv(B) x", e.span), "inv(B)");
}

#[test]
fn an_invertible_but_poorly_scaled_matrix_still_inverts() {
    let tiny = |_: &str| DMatrix::identity(3, 3) * 1e-9;
    let v = try_value_with("inv(A)", "A: 3 x 3", &tiny).unwrap();
    assert_close(&v, &(DMatrix::identity(3, 3) * 1e9));
    let v = try_value_with("logdet(A)", "A: 3 x 3", &tiny).unwrap();
    assert!((v[(0, 0)] - 3.0 * 1e-9f64.ln()).abs() < 1e-9);
}

#[test]
fn values_outside_a_function_domain_are_clear_errors() {
    let e = try_value("log(y)").unwrap_err();
    assert_eq!(e.kind, ErrorKind::Eval);
    assert_eq!(e.message, "log of an entry that is not positive");
    assert_eq!(e.span, Span::new(0, 6));
    let e = try_value("sqrt(y)").unwrap_err();
    assert_eq!(e.message, "sqrt of a negative entry");
    let e = try_value("x ./ (y - y)").unwrap_err();
    assert_eq!(e.message, "division by zero");
    let e = try_value("A / (s - s)").unwrap_err();
    assert_eq!(e.message, "division by zero");
}

// ------------------------------------------------------------------- limits

#[test]
fn limits_refuse_with_a_clear_error() {
    let long = vec!["x"; 2_500].join("+");
    let e = err(&long);
    assert_eq!(e.kind, ErrorKind::Syntax);
    assert_eq!(
        e.message,
        "the expression is 4999 characters long; the limit is 4000"
    );
    assert_eq!(e.span, Span::new(0, 4999));
    let e = err("A^65");
    assert_eq!(e.message, "matrix powers are limited to ±64");
    assert_eq!(spanned("A^65", e.span), "65");
    assert_value("A^64 - A^64", DMatrix::zeros(3, 3));
    let k = MAX_NESTING + 1;
    let e = err(&format!("{}x{}", "(".repeat(k), ")".repeat(k)));
    assert_eq!(
        e.message,
        format!("the expression nests more than {MAX_NESTING} levels deep")
    );
    let chain = vec!["s"; MAX_TREE_DEPTH + 1].join("+");
    let e = err(&chain);
    assert_eq!(
        e.message,
        format!("the expression is nested more than {MAX_TREE_DEPTH} levels deep")
    );
    let e = Decls::parse(&"x".repeat(5_000)).unwrap_err();
    assert!(e.message.contains("4000"), "{}", e.message);
    let many: Vec<String> = (0..65).map(|i| format!("v{i}: n")).collect();
    let e = Decls::parse(&many.join("; ")).unwrap_err();
    assert!(e.message.contains("at most 64 names"), "{}", e.message);
}

#[test]
fn expressions_at_the_limits_are_accepted_and_evaluated() {
    // On the test thread's own stack, in a debug build: every stage of the
    // deepest accepted expression fits.
    let k = MAX_NESTING;
    let nested = format!("{}x{}", "(".repeat(k), ")".repeat(k));
    assert_eq!(shape(&nested), "n×1");
    let calls = format!("{}y{}", "relu(".repeat(k), ")".repeat(k));
    assert_value(&calls, col(&[0.5, 0.0, 2.0]));
    let chain = vec!["s"; MAX_TREE_DEPTH].join("+");
    assert_value(&chain, scalar(2.0 * MAX_TREE_DEPTH as f64));
    assert_eq!(read(&chain), chain.replace('+', " + "));
    let chain = vec!["s"; MAX_TREE_DEPTH].join(" .* ");
    assert_eq!(shape(&chain), "1×1");
    let negs = format!("{}s", "-(".repeat(k / 2)) + &")".repeat(k / 2);
    assert_value(
        &negs,
        scalar(if (k / 2).is_multiple_of(2) { 2.0 } else { -2.0 }),
    );
}

// ------------------------------------------------------------ hostile input
//
// Bad input never panics, never hangs and never overflows the stack: these
// run on the test thread's own (default) stack, in whatever build the tests
// use. No timings are asserted; they only have to return.

fn refused(src: &str) -> ExprError {
    let d = decls(G);
    let e = compile(src, Some(&d)).expect_err("hostile input must be refused");
    // Without declarations every name is welcome; it must not panic either.
    let _ = compile(src, None);
    // A caret can be drawn under any error.
    let caret = e.with_caret(src);
    assert!(caret.contains('^'));
    e
}

#[test]
fn hostile_100_000_nested_parentheses() {
    let src = format!("{}x{}", "(".repeat(100_000), ")".repeat(100_000));
    let e = refused(&src);
    assert!(e.message.contains("the limit is 4000"), "{}", e.message);
    // Within the length limit, the nesting limit refuses it.
    let src = format!("{}x{}", "(".repeat(1_999), ")".repeat(1_999));
    let e = refused(&src);
    assert!(e.message.contains("levels deep"), "{}", e.message);
    let src = "(".repeat(3_999);
    let e = refused(&src);
    assert!(e.message.contains("levels deep"), "{}", e.message);
}

#[test]
fn hostile_100_000_minus_signs() {
    let e = refused(&format!("{}x", "-".repeat(100_000)));
    assert!(e.message.contains("the limit is 4000"), "{}", e.message);
    let e = refused(&format!("{}x", "-".repeat(3_999)));
    assert!(e.message.contains("levels deep"), "{}", e.message);
    let e = refused(&"-".repeat(3_999));
    assert!(e.message.contains("levels deep"), "{}", e.message);
    let e = refused(&format!("x{}", "-".repeat(3_000)));
    assert!(e.message.contains("levels deep"), "{}", e.message);
}

#[test]
fn hostile_100_000_transposes() {
    let e = refused(&format!("x{}", "'".repeat(100_000)));
    assert!(e.message.contains("the limit is 4000"), "{}", e.message);
    let e = refused(&format!("x{}", "'".repeat(3_999)));
    assert!(e.message.contains("levels deep"), "{}", e.message);
    let e = refused(&format!("x{}", "ᵀ".repeat(3_999)));
    assert!(e.message.contains("levels deep"), "{}", e.message);
    let e = refused(&"'".repeat(3_999));
    assert_eq!(e.span, Span::new(0, 1));
}

/// Found by the `parse` fuzz target: a text under the limit whose read-back
/// (spaces around `-`) is over it was accepted, so its own read-back was then
/// refused. The limit now holds for both.
#[test]
fn the_length_limit_holds_for_the_read_back_too() {
    let group = "(x-x-x-x-x-x-x-x)";
    let long = vec![group; 200].join("+");
    assert!(long.chars().count() < 4_000);
    let e = err(&long);
    assert_eq!(e.kind, ErrorKind::Syntax);
    assert!(
        e.message.contains("as nabla writes it back") && e.message.contains("the limit is 4000"),
        "{}",
        e.message
    );
    // Half as long reads back within the limit, and its read-back reads
    // back the same.
    let half = vec![group; 100].join("+");
    let back = print(&parse(&half, None).unwrap());
    assert!(back.chars().count() > half.chars().count());
    assert_eq!(print(&parse(&back, None).unwrap()), back);
}

#[test]
fn hostile_100_kilobyte_expressions() {
    let e = refused(&"x+".repeat(50_000));
    assert!(e.message.contains("the limit is 4000"), "{}", e.message);
    let e = refused(&"é".repeat(100_000));
    assert!(e.message.contains("characters long"), "{}", e.message);
    // Just under the limit: a long, flat product chain and a long name.
    let e = refused(&vec!["s"; 1_999].join("*"));
    assert!(e.message.contains("levels deep"), "{}", e.message);
    let e = refused(&"q".repeat(3_999));
    assert!(e.message.starts_with("unknown name"), "{}", e.message);
    let e = refused(&"9".repeat(3_999));
    assert!(e.message.contains("not a number"), "{}", e.message);
}

#[test]
fn hostile_runs_of_bars_brackets_and_norms() {
    for unit in [
        "|", "||", "‖", "[", "[[", "]", "(", ")", "[(", "‖(", "exp(", "I(", "ones(", "^", ".^",
        "^-", "ᵀ", "⁻", "²", ",", ";", ".", "σ(", "norm(",
    ] {
        for k in [3, 100, 1_000, 100_000] {
            let src = unit.repeat(k);
            let _ = refused(&src);
            let with_name = format!("{src}x{src}");
            let d = decls(G);
            // Some short ones are fine (`x^^x` is not, `(x)` is); none may panic.
            let _ = compile(&with_name, Some(&d));
            let _ = compile(&with_name, None);
        }
    }
}

#[test]
fn hostile_deep_chains() {
    // Beyond the limits, whatever the construct: a clear error.
    for k in [MAX_TREE_DEPTH + 1, 1_000, 3_000] {
        let chains = [
            vec!["s"; k].join("+"),
            vec!["s"; k].join(" "),
            vec!["s"; k].join("^"),
            vec!["s"; k].join(".^"),
            vec!["x"; k].join(" .* "),
            format!("{}s{}", "-(".repeat(k), ")".repeat(k)),
            format!("{}x{}", "exp(".repeat(k), ")".repeat(k)),
            format!("{}x{}", "‖".repeat(k), "‖".repeat(k)),
            format!("{}s{}", "[".repeat(k), "]".repeat(k)),
            format!("x{}", "'".repeat(k)),
            format!("s{}", "²".repeat(k)),
            format!("{}s", "-".repeat(k)),
        ];
        for src in chains {
            let e = refused(&src);
            assert!(
                e.message.contains("levels deep")
                    || e.message.contains("the limit is")
                    || e.message.contains("too large"),
                "{}…: {}",
                &src[..20],
                e.message
            );
        }
    }
}

#[test]
fn hostile_names_run_together() {
    // Many ways to split, and long words: refused quickly, without a huge search.
    let given = "a: scalar; aa: scalar; aaa: scalar";
    let d = decls(given);
    for k in [10, 64, 65, 1_000, 3_999] {
        let src = "a".repeat(k);
        let e = compile(&src, Some(&d)).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Name);
        let src = format!("{}b", "a".repeat(k - 1));
        let e = compile(&src, Some(&d)).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Name);
    }
    // Inside the deepest nesting allowed.
    let k = MAX_NESTING;
    let src = format!("{}{}{}", "(".repeat(k), "a".repeat(3_400), ")".repeat(k));
    let e = compile(&src, Some(&d)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Name);
}

#[test]
fn hostile_declarations() {
    for text in [
        "x".repeat(100_000),
        ";".repeat(3_999),
        ":".repeat(3_999),
        "A: ".to_string() + &"n x ".repeat(900),
        "A, ".repeat(1_000) + ": n",
        "A: n ".to_string() + &"symmetric ".repeat(300),
        "A: 99999999999999999999999999 x 2".to_string(),
        (0..100)
            .map(|i| format!("v{i}: n"))
            .collect::<Vec<_>>()
            .join("\n"),
        "é: ×××".to_string(),
    ] {
        // Either refused with a span inside the text, or accepted.
        if let Err(e) = Decls::parse(&text) {
            assert_eq!(e.kind, ErrorKind::Declaration);
            assert!(e.span.end <= text.chars().count(), "{:?}", e.span);
            assert!(e.with_caret(&text).contains('^'));
        }
    }
}
