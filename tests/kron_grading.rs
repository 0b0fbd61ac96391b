//! Matrix-by-matrix, vector-by-matrix and matrix-by-vector derivatives in
//! the vec convention (issue 18): ∂vec(F)/∂vec(X), graded by the same
//! grader as every Jacobian. Each formula is checked both ways — its right
//! answer is graded correct in numerator layout, and its transpose in
//! denominator layout — and the near misses a student writes (the factors
//! swapped, a transpose missing or extra, K(n, m) for K(m, n)) are never
//! graded correct, at any of many seeds.
//!
//! The formulas are Magnus & Neudecker's and The Matrix Cookbook's (§10.2,
//! "vec"); each is derived in its comment from the differential.

use nabla_engine::calculus::vec_jacobian::derive_vec_jacobian;
use nabla_engine::calculus::{Layout, Problem};
use nabla_engine::expr::Decls;
use nabla_engine::grade::{Options, Verdict, grade};

const SEEDS: u64 = 12;

struct Formula {
    f: &'static str,
    wrt: &'static str,
    given: &'static str,
    answer: &'static str,
    wrong: &'static [&'static str],
}

fn verdict(f: &Formula, layout: Layout, answer: &str, seed: u64) -> Verdict {
    let decls = Decls::parse(f.given).unwrap();
    let p = Problem::new(decls, f.f, Some(f.wrt), layout)
        .unwrap_or_else(|e| panic!("{}: {}", f.f, e.report()));
    let opts = Options { trials: 5, seed };
    grade(&p, answer, &opts)
        .unwrap_or_else(|e| panic!("{} / {answer}: {}", f.f, e.report()))
        .verdict
}

fn check_all(formulas: &[Formula]) {
    let mut failures = Vec::new();
    for f in formulas {
        for seed in 0..SEEDS {
            let right = verdict(f, Layout::Numerator, f.answer, seed);
            if right != Verdict::Correct {
                failures.push(format!(
                    "{} by {}: {} is {right:?} (seed {seed})",
                    f.f, f.wrt, f.answer
                ));
            }
            let transposed = format!("({})'", f.answer);
            let denominator = verdict(f, Layout::Denominator, &transposed, seed);
            if denominator != Verdict::Correct {
                failures.push(format!(
                    "{} by {} in denominator layout: {transposed} is {denominator:?} (seed {seed})",
                    f.f, f.wrt
                ));
            }
            for w in f.wrong {
                let v = verdict(f, Layout::Numerator, w, seed);
                if v == Verdict::Correct {
                    failures.push(format!(
                        "{} by {}: the wrong {w} is graded correct (seed {seed})",
                        f.f, f.wrt
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The four formulas the issue names.
#[test]
fn the_issues_formulas_are_graded_and_their_near_misses_never_pass() {
    check_all(&[
        // d(A X B) = A dX B, vec: (Bᵀ ⊗ A) vec(dX).
        Formula {
            f: "A X B",
            wrt: "X",
            given: "A: m x n; X: n x p; B: p x q",
            answer: "B' ⊗ A",
            wrong: &[
                "A ⊗ B'",
                "B ⊗ A",
                "B ⊗ A'",
                "A' ⊗ B",
                "A ⊗ B",
                "-(B' ⊗ A)",
                "2 (B' ⊗ A)",
            ],
        },
        // Square A and B: a swapped or untransposed factor has the right shape.
        Formula {
            f: "A X B",
            wrt: "X",
            given: "A, X, B: n x n",
            answer: "B' ⊗ A",
            wrong: &[
                "A ⊗ B'",
                "B ⊗ A",
                "A ⊗ B",
                "B' ⊗ A'",
                "B ⊗ A'",
                "A' ⊗ B",
                "(B' ⊗ A)'",
            ],
        },
        // d(W x + b) = dW x = vec(I dW x) = (xᵀ ⊗ I) vec(dW).
        Formula {
            f: "W x + b",
            wrt: "W",
            given: "W: m x n; x: n; b: m",
            answer: "x' ⊗ I(m)",
            wrong: &["I(m) ⊗ x'", "x ⊗ I(m)", "x'"],
        },
        // vec(Xᵀ) = K(m, n) vec(X).
        Formula {
            f: "X'",
            wrt: "X",
            given: "X: m x n",
            answer: "K(m, n)",
            wrong: &["K(n, m)", "I(m) ⊗ I(n)"],
        },
        Formula {
            f: "X'",
            wrt: "X",
            given: "X: n x n",
            answer: "K(n, n)",
            wrong: &["I(n) ⊗ I(n)"],
        },
        // d(X⁻¹) = −X⁻¹ dX X⁻¹, vec: −(X⁻ᵀ ⊗ X⁻¹).
        Formula {
            f: "inv(X)",
            wrt: "X",
            given: "X: n x n",
            answer: "-inv(X)' ⊗ inv(X)",
            wrong: &[
                "-inv(X) ⊗ inv(X)'",
                "-inv(X) ⊗ inv(X)",
                "inv(X)' ⊗ inv(X)",
                "-inv(X)' ⊗ inv(X)'",
            ],
        },
    ]);
}

/// Further matrix-by-matrix, vector-by-matrix and matrix-by-vector
/// formulas (The Matrix Cookbook §10.2 and Magnus & Neudecker ch. 9).
#[test]
fn cookbook_formulas_in_the_vec_convention() {
    check_all(&[
        // dX: the identity map.
        Formula {
            f: "X",
            wrt: "X",
            given: "X: m x n",
            answer: "I(n) ⊗ I(m)",
            wrong: &["K(m, n)"],
        },
        Formula {
            f: "vec(X)",
            wrt: "X",
            given: "X: m x n",
            answer: "I(n) ⊗ I(m)",
            wrong: &["K(m, n)"],
        },
        // A dX = A dX I: I ⊗ A.
        Formula {
            f: "A X",
            wrt: "X",
            given: "A: m x n; X: n x p",
            answer: "I(p) ⊗ A",
            wrong: &["A ⊗ I(p)", "I(p) ⊗ A'"],
        },
        // dX B = I dX B: Bᵀ ⊗ I.
        Formula {
            f: "X B",
            wrt: "X",
            given: "X: m x n; B: n x p",
            answer: "B' ⊗ I(m)",
            wrong: &["B ⊗ I(m)", "I(m) ⊗ B'"],
        },
        // d(X²) = dX X + X dX: Xᵀ ⊗ I + I ⊗ X.
        Formula {
            f: "X^2",
            wrt: "X",
            given: "X: n x n",
            answer: "X' ⊗ I(n) + I(n) ⊗ X",
            wrong: &[
                "X ⊗ I(n) + I(n) ⊗ X",
                "2 (I(n) ⊗ X)",
                "X' ⊗ I(n) + I(n) ⊗ X'",
            ],
        },
        // d(X³) = dX X² + X dX X + X² dX.
        Formula {
            f: "X^3",
            wrt: "X",
            given: "X: n x n",
            answer: "(X^2)' ⊗ I(n) + X' ⊗ X + I(n) ⊗ X^2",
            wrong: &["3 (I(n) ⊗ X^2)", "(X^2)' ⊗ I(n) + X ⊗ X' + I(n) ⊗ X^2"],
        },
        // d(XᵀX) = dXᵀ X + Xᵀ dX: (Xᵀ ⊗ I) K(m, n) + I ⊗ Xᵀ.
        Formula {
            f: "X' X",
            wrt: "X",
            given: "X: m x n",
            answer: "(X' ⊗ I(n)) K(m, n) + I(n) ⊗ X'",
            wrong: &["2 (I(n) ⊗ X')", "(X' ⊗ I(n)) K(n, m) + I(n) ⊗ X'"],
        },
        // d(X Xᵀ) = dX Xᵀ + X dXᵀ: X ⊗ I + (I ⊗ X) K(m, n).
        Formula {
            f: "X X'",
            wrt: "X",
            given: "X: m x n",
            answer: "X ⊗ I(m) + (I(m) ⊗ X) K(m, n)",
            wrong: &["2 (X ⊗ I(m))", "X ⊗ I(m) + I(m) ⊗ X"],
        },
        // A dXᵀ B = (Bᵀ ⊗ A) vec(dXᵀ) = (Bᵀ ⊗ A) K(m, n) vec(dX).
        Formula {
            f: "A X' B",
            wrt: "X",
            given: "A: p x n; X: m x n; B: m x q",
            answer: "(B' ⊗ A) K(m, n)",
            wrong: &["B' ⊗ A", "(B' ⊗ A) K(n, m)", "K(q, p) (B' ⊗ A)"],
        },
        // d(A X⁻¹ B) = −A X⁻¹ dX X⁻¹ B: −(X⁻¹B)ᵀ ⊗ (A X⁻¹).
        Formula {
            f: "A inv(X) B",
            wrt: "X",
            given: "A: m x n; X: n x n; B: n x p",
            answer: "-(inv(X) B)' ⊗ (A inv(X))",
            wrong: &["-(A inv(X))' ⊗ (inv(X) B)", "-(inv(X) B) ⊗ (A inv(X))'"],
        },
        // d(X⁻ᵀ) = K d(X⁻¹).
        Formula {
            f: "inv(X)'",
            wrt: "X",
            given: "X: n x n",
            answer: "-K(n, n) (inv(X)' ⊗ inv(X))",
            wrong: &["-inv(X)' ⊗ inv(X)", "-inv(X) ⊗ inv(X)'"],
        },
        // d(X ⊙ A) = dX ⊙ A: diag(vec(A)).
        Formula {
            f: "X .* A",
            wrt: "X",
            given: "X, A: m x n",
            answer: "diag(vec(A))",
            wrong: &["diag(vec(A'))", "I(n) ⊗ A"],
        },
        // d exp(X) = exp(X) ⊙ dX: diag(vec(exp(X))).
        Formula {
            f: "exp(X)",
            wrt: "X",
            given: "X: m x n",
            answer: "diag(vec(exp(X)))",
            wrong: &["diag(vec(exp(X')))", "exp(X)' ⊗ I(m)"],
        },
        // d tr(X) A = vec(A) vec(I)ᵀ vec(dX).
        Formula {
            f: "tr(X) A",
            wrt: "X",
            given: "X: n x n; A: m x p",
            answer: "vec(A) vec(I(n))'",
            wrong: &["vec(A') vec(I(n))'", "vec(A) ones(n*n)'"],
        },
        // A layer: d σ(W x) = σ'(W x) ⊙ (dW x).
        Formula {
            f: "sigmoid(W x)",
            wrt: "W",
            given: "W: m x n; x: n",
            answer: "diag(sigmoid(W x) .* (1 - sigmoid(W x))) (x' ⊗ I(m))",
            wrong: &["x' ⊗ diag(sigmoid(W x))", "I(m) ⊗ x'"],
        },
        // Matrix by vector: d(x xᵀ) = dx xᵀ + x dxᵀ: x ⊗ I + I ⊗ x.
        Formula {
            f: "x x'",
            wrt: "x",
            given: "x: n",
            answer: "x ⊗ I(n) + I(n) ⊗ x",
            wrong: &["2 (x ⊗ I(n))", "x' ⊗ I(n) + I(n) ⊗ x'"],
        },
        // d(x bᵀ) = dx bᵀ: b ⊗ I.
        Formula {
            f: "x b'",
            wrt: "x",
            given: "x: n; b: k",
            answer: "b ⊗ I(n)",
            wrong: &["I(n) ⊗ b", "b' ⊗ I(n)"],
        },
        // d(Xᵀ A X) = dXᵀ A X + Xᵀ A dX.
        Formula {
            f: "X' A X",
            wrt: "X",
            given: "X, A: n x n",
            answer: "((A X)' ⊗ I(n)) K(n, n) + I(n) ⊗ (X' A)",
            wrong: &[
                "((A' X)' ⊗ I(n)) K(n, n) + I(n) ⊗ (X' A)",
                "(A X)' ⊗ I(n) + I(n) ⊗ (X' A)",
            ],
        },
        // d(A ⊗ X) for vec: the structure of the Kronecker product itself,
        // checked by F written with ⊗ (A fixed 1×1-free: a vector a).
        Formula {
            f: "a ⊗ X",
            wrt: "X",
            given: "a: k; X: m x n",
            answer: "I(n) ⊗ (a ⊗ I(m))",
            wrong: &["I(n) ⊗ (I(m) ⊗ a)", "a ⊗ (I(n) ⊗ I(m))"],
        },
    ]);
}

/// A wrong shape is reported as such, and a transposed Jacobian is named.
#[test]
fn a_transposed_kronecker_answer_is_named_as_the_layout_slip() {
    let decls = Decls::parse("A: m x n; X: n x p; B: p x q").unwrap();
    let p = Problem::new(decls, "A X B", Some("X"), Layout::Numerator).unwrap();
    let g = grade(&p, "B ⊗ A'", &Options::default()).unwrap();
    assert_eq!(g.verdict, Verdict::WrongShape);
    assert_eq!(g.diagnosis.map(|d| d.code()), Some("transpose"));
    assert_eq!(g.expected_shape, "(m·q)×(n·p)");
}

/// `nabla derive` reads the vec-convention Jacobian off the gradient of
/// ⟨U, F⟩: the issue's four formulas come out in their textbook form, in
/// both layouts, and each is graded correct.
#[test]
fn the_issues_formulas_are_derived_in_both_layouts() {
    for (f, wrt, given, numerator, denominator) in [
        (
            "A X B",
            "X",
            "A: m x n; X: n x p; B: p x q",
            "Bᵀ ⊗ A",
            "B ⊗ Aᵀ",
        ),
        (
            "W x + b",
            "W",
            "W: m x n; x: n; b: m",
            "xᵀ ⊗ I(m)",
            "x ⊗ I(m)",
        ),
        ("X'", "X", "X: m x n", "K(m, n)", "K(n, m)"),
        (
            "inv(X)",
            "X",
            "X: n x n",
            "-(inv(X)ᵀ ⊗ inv(X))",
            "-(inv(X) ⊗ inv(X)ᵀ)",
        ),
    ] {
        for (layout, want) in [
            (Layout::Numerator, numerator),
            (Layout::Denominator, denominator),
        ] {
            let p = Problem::new(Decls::parse(given).unwrap(), f, Some(wrt), layout).unwrap();
            let d = derive_vec_jacobian(&p).unwrap_or_else(|e| panic!("{f}: {e}"));
            assert_eq!(d.text, want, "{f} ({layout:?})");
            for seed in 0..SEEDS {
                let g = grade(&p, &d.text, &Options { trials: 5, seed }).unwrap();
                assert_eq!(g.verdict, Verdict::Correct, "{f}: {} (seed {seed})", d.text);
            }
        }
    }
}

/// Where the reading works, derive's answer is graded correct; where it
/// does not (an elementwise function), the refusal says so.
#[test]
fn derived_vec_jacobians_are_graded_correct_or_refused_plainly() {
    for (f, wrt, given) in [
        ("X' X", "X", "X: m x n"),
        ("X X'", "X", "X: m x n"),
        ("X^2", "X", "X: n x n"),
        ("A X' B", "X", "A: p x n; X: m x n; B: m x q"),
        ("x x'", "x", "x: n"),
        ("x b'", "x", "x: n; b: k"),
        ("A inv(X) B", "X", "A: m x n; X: n x n; B: n x p"),
        ("X' A X", "X", "X, A: n x n"),
    ] {
        let p = Problem::new(
            Decls::parse(given).unwrap(),
            f,
            Some(wrt),
            Layout::Numerator,
        )
        .unwrap();
        let d = derive_vec_jacobian(&p).unwrap_or_else(|e| panic!("{f}: {e}"));
        let g = grade(&p, &d.text, &Options::default()).unwrap();
        assert_eq!(g.verdict, Verdict::Correct, "{f}: {}", d.text);
    }
    let p = Problem::new(
        Decls::parse("W: m x n; x: n").unwrap(),
        "sigmoid(W x)",
        Some("W"),
        Layout::Numerator,
    )
    .unwrap();
    let e = derive_vec_jacobian(&p).unwrap_err();
    assert!(e.contains("cannot yet read"), "{e}");
}
