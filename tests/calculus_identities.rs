//! Every identity of the tutorial and 30 first-order identities of The Matrix
//! Cookbook (Petersen & Pedersen, 2012; equation numbers in the comments),
//! verified both ways: the engine's reverse mode against finite differences
//! and dual numbers, and the textbook form graded `correct`.

use nabla::calculus::{Layout, Problem, finite_diff, forward, reverse, tape};
use nabla::expr::Decls;
use nabla::grade::{Options, Verdict, grade};
use nabla::sample;
use nalgebra::DMatrix;
use rand::RngExt;

/// (given, F, wrt, textbook derivative)
const TUTORIAL: &[(&str, &str, &str, &str)] = &[
    ("a, x: n", "a' x", "x", "a"),                        // identity 1
    ("x: n", "x' x", "x", "2x"),                          // identity 2
    ("A: n x n; x: n", "x' A x", "x", "(A + A') x"),      // identity 3
    ("S: n x n symmetric; x: n", "x' S x", "x", "2 S x"), // its symmetric case
    ("x, a: n", "||x - a||^2", "x", "2(x - a)"),          // identity 4 (L2 loss)
    ("A: m x n; x: n", "A x", "x", "A"),                  // identity 5
    ("A: n x m; x: n", "x' A", "x", "A'"),                // identity 6
    (
        "x: n",
        "sigmoid(x)",
        "x",
        "diag(sigmoid(x) .* (1 - sigmoid(x)))",
    ), // identity 7
    ("A: n x m; X: m x n", "tr(A X)", "X", "A'"),         // identity 8
    ("A, X: m x n", "tr(X' A)", "X", "A"),                // identity 9
    ("X: m x n", "tr(X' X)", "X", "2X"),                  // identity 10
    ("A: p x m; X: m x n; B: n x p", "tr(A X B)", "X", "A' B'"), // identity 11
    ("W: m x n; x: n; b, g: m", "g' (W x + b)", "x", "W' g"), // backprop equation
    ("W: m x n; x: n; b, g: m", "g' (W x + b)", "W", "g x'"), // linear layer, weights
    ("W: m x n; x: n; b, g: m", "g' (W x + b)", "b", "g"), // linear layer, bias
    (
        "x, g: n",
        "g' sigmoid(x)",
        "x",
        "g .* sigmoid(x) .* (1 - sigmoid(x))",
    ), // activation
    ("x, g: n", "g' tanh(x)", "x", "g .* (1 - tanh(x).^2)"),
    (
        "y: n onehot; z: n",
        "-y' log(softmax(z))",
        "z",
        "softmax(z) - y",
    ), // softmax + CE
    (
        "y: n probability; z: n",
        "-y' log(softmax(z))",
        "z",
        "softmax(z) - y",
    ),
    (
        "G: m x p; A: m x n; B: n x p",
        "sum(G .* (A B))",
        "A",
        "G B'",
    ), // matmul backward
    (
        "G: m x p; A: m x n; B: n x p",
        "sum(G .* (A B))",
        "B",
        "A' G",
    ),
    (
        "W: m x n; x: n; b, t: m",
        "0.5 ||W x + b - t||^2",
        "W",
        "(W x + b - t) x'",
    ),
];

const COOKBOOK: &[(&str, &str, &str, &str)] = &[
    ("a, x: n", "x' a", "x", "a"),                              // (69)
    ("a: m; b: n; X: m x n", "a' X b", "X", "a b'"),            // (70)
    ("a: n; b: m; X: m x n", "a' X' b", "X", "b a'"),           // (71)
    ("a: n; X: n x n", "a' X a", "X", "a a'"),                  // (72)
    ("b, c: n; X: m x n", "b' X' X c", "X", "X (b c' + c b')"), // (77)
    (
        "B: m x n; b: m; C: m x p; D: p x n; d: p; x: n",
        "(B x + b)' C (D x + d)",
        "x",
        "B' C (D x + d) + D' C' (B x + b)",
    ), // (78)
    ("B: n x n; x: n", "x' B x", "x", "(B + B') x"),            // (81)
    (
        "b, c: n; D: m x m; X: m x n",
        "b' X' D X c",
        "X",
        "D' X b c' + D X c b'",
    ), // (82)
    (
        "b: n; c: m; D: m x m; X: m x n",
        "(X b + c)' D (X b + c)",
        "X",
        "(D + D') (X b + c) b'",
    ), // (83)
    ("X: n x n", "det(X)", "X", "det(X) inv(X)'"),              // (49)
    ("A, B, X: n x n", "det(A X B)", "X", "det(A X B) inv(X)'"), // (50)
    ("X: n x n", "logdet(X)", "X", "inv(X)'"),                  // (57)
    ("X: n x n", "logdet(X' X)", "X", "2 inv(X)'"),             // (55), square X
    (
        "a, b: n; X: n x n",
        "a' inv(X) b",
        "X",
        "-inv(X)' a b' inv(X)'",
    ), // (61)
    ("X: n x n", "tr(X)", "X", "I"),                            // (99)
    ("A: n x m; X: m x n", "tr(X A)", "X", "A'"),               // (100)
    ("A: p x m; X: m x n; B: n x p", "tr(A X B)", "X", "A' B'"), // (101)
    ("A: p x n; X: m x n; B: m x p", "tr(A X' B)", "X", "B A"), // (102)
    ("A, X: m x n", "tr(X' A)", "X", "A"),                      // (103)
    ("X: n x n", "tr(X^2)", "X", "2 X'"),                       // (106)
    ("B, X: n x n", "tr(X^2 B)", "X", "(X B + B X)'"),          // (107)
    ("B: m x m; X: m x n", "tr(X' B X)", "X", "B X + B' X"),    // (108)
    ("B: n x n; X: m x n", "tr(X B X')", "X", "X B' + X B"),    // (110)
    (
        "A: n x m; B: n x m; X: m x n",
        "tr(A X B X)",
        "X",
        "A' X' B' + B' X' A'",
    ), // (111)
    ("X: m x n", "tr(X' X)", "X", "2 X"),                       // (112)
    ("B: m x m; X: m x n", "tr(B X X')", "X", "(B + B') X"),    // (113)
    ("X: n x n", "tr(X^3)", "X", "3 (X^2)'"),                   // (121), k = 3
    (
        "A: n x n; B: n x n; X: n x n",
        "tr(A inv(X) B)",
        "X",
        "-(inv(X) B A inv(X))'",
    ), // (124)
    ("x: n", "norm(x)", "x", "x / norm(x)"),                    // (129) with a = 0
    ("x, a: n", "||x - a||", "x", "(x - a)/||x - a||"),         // (129)
    ("X: m x n", "||X||^2", "X", "2X"),                         // Frobenius norm
    ("A: m x n; x: n; b: m", "A x + b", "x", "A"),              // Jacobian of an affine map
    ("x, a: n", "x .* a", "x", "diag(a)"),                      // Hadamard Jacobian
    ("x: n", "log(sum(exp(x)))", "x", "softmax(x)"),            // log-sum-exp
    ("x: n", "exp(x)", "x", "diag(exp(x))"),
    ("s: scalar; A: m x n", "s A", "s", "A"), // by a scalar
    ("a: n; s: scalar", "s^2 a", "s", "2 s a"), // negative bases under
    ("a: n; s: scalar", "s^3 a", "s", "3 s^2 a"), // whole powers (dual numbers)
    (
        "s: scalar; A: n x n",
        "inv(I + s A)",
        "s",
        "-inv(I + s A) A inv(I + s A)",
    ),
];

fn check_both_ways(cases: &[(&str, &str, &str, &str)]) {
    let mut failures = Vec::new();
    for &(given, f, wrt, textbook) in cases {
        let decls = Decls::parse(given).unwrap();
        let problem = Problem::new(decls, f, Some(wrt), Layout::Numerator).unwrap();
        // 1. The engine against finite differences and dual numbers, on random
        //    instances and random directions.
        let mut rng = sample::rng(42);
        for _ in 0..4 {
            let inst = problem.sample(&mut rng, &[]).unwrap();
            let x = &inst.values[problem.wrt];
            let v = DMatrix::from_fn(x.nrows(), x.ncols(), |_, _| rng.random_range(-1.0..1.0));
            let fd = finite_diff::directional(
                &problem.f.typed,
                &inst.sizes,
                &inst.values,
                problem.wrt,
                &v,
            )
            .unwrap();
            let dual =
                forward::jvp(&problem.f.typed, &inst.sizes, &inst.values, problem.wrt, &v).unwrap();
            // Reverse mode: ⟨F̄, dF[V]⟩ = ⟨vjp(F̄), V⟩ for a random F̄.
            let fbar = DMatrix::from_fn(fd.nrows(), fd.ncols(), |_, _| rng.random_range(-1.0..1.0));
            let t = tape::record(&problem.f.typed, &inst.sizes, &inst.values).unwrap();
            let g =
                reverse::vjp(&problem.f.typed, &t, fbar.clone(), problem.wrt, x.shape()).unwrap();
            let by_reverse = g.dot(&v);
            let by_fd = fbar.dot(&fd);
            let by_dual = fbar.dot(&dual);
            let scale = by_dual.abs().max(1e-3);
            if (by_reverse - by_fd).abs() > 1e-5 * scale.max(1.0) {
                failures.push(format!(
                    "{f} by {wrt}: reverse {by_reverse} vs finite differences {by_fd}"
                ));
            }
            if (by_reverse - by_dual).abs() > 1e-9 * scale.max(1.0) {
                failures.push(format!(
                    "{f} by {wrt}: reverse {by_reverse} vs dual {by_dual}"
                ));
            }
        }
        // 2. The textbook form is graded correct.
        let g = grade(&problem, textbook, &Options::default()).unwrap();
        if g.verdict != Verdict::Correct {
            failures.push(format!(
                "{f} by {wrt}: textbook {textbook} graded {:?}: {}",
                g.verdict, g.message
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn tutorial_identities_hold_both_ways() {
    check_both_ways(TUTORIAL);
}

#[test]
fn cookbook_identities_hold_both_ways() {
    assert!(COOKBOOK.len() >= 30);
    check_both_ways(COOKBOOK);
}

#[test]
fn denominator_layout_transposes_the_jacobian() {
    let decls = Decls::parse("A: m x n; x: n").unwrap();
    let p = Problem::new(decls, "A x", Some("x"), Layout::Denominator).unwrap();
    assert_eq!(p.expected.to_string(), "n×m");
    assert_eq!(
        grade(&p, "A'", &Options::default()).unwrap().verdict,
        Verdict::Correct
    );
    let g = grade(&p, "A", &Options::default()).unwrap();
    assert_eq!(g.verdict, Verdict::WrongShape);
    assert_eq!(g.diagnosis.map(|d| d.code()), Some("transpose"));
}

#[test]
fn symmetric_variables_still_have_every_entry_free() {
    // d tr(A S)/dS = Aᵀ even for S declared symmetric: properties shape the
    // instances, not the derivative.
    let decls = Decls::parse("A: n x n; S: n x n symmetric").unwrap();
    let p = Problem::new(decls, "tr(A S)", Some("S"), Layout::Numerator).unwrap();
    assert_eq!(
        grade(&p, "A'", &Options::default()).unwrap().verdict,
        Verdict::Correct
    );
    assert_eq!(
        grade(&p, "(A + A')/2", &Options::default())
            .unwrap()
            .verdict,
        Verdict::Incorrect
    );
}
