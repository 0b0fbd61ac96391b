//! Hessians (`--order 2`, issue 18): ∂²F/∂x∂xᵀ of a scalar F by a vector,
//! graded against F's own second derivatives (hyper-dual numbers, exact)
//! and derived as the Jacobian of the derived gradient. Each formula is
//! checked both ways: its right answer is graded correct at many seeds and
//! derive's own answer is graded correct; its near misses never are.
//! Formulas from The Matrix Cookbook §2.4 and the issue.

mod common;

use common::cli::nabla;
use nabla_engine::calculus::Problem;
use nabla_engine::calculus::second::derive_hessian;
use nabla_engine::expr::Decls;
use nabla_engine::grade::{Options, Verdict, grade};

const SEEDS: u64 = 10;

/// (F, declarations, the Hessian by x, near misses).
const FORMULAS: &[(&str, &str, &str, &[&str])] = &[
    (
        "x' A x",
        "A: n x n; x: n",
        "A + A'",
        &["2A", "A", "2A'", "A A'"],
    ),
    ("x' A x", "A: n x n symmetric; x: n", "2A", &["A", "4A"]),
    (
        "norm(A x - b)^2",
        "A: m x n; x: n; b: m",
        "2 A' A",
        &["A' A", "2 A' A + 2 I(n)"],
    ),
    (
        "log(sum(exp(x)))",
        "x: n",
        "diag(softmax(x)) - softmax(x) softmax(x)'",
        &[
            "diag(softmax(x))",
            "softmax(x) softmax(x)' - diag(softmax(x))",
            "I(n) - softmax(x) softmax(x)'",
        ],
    ),
    ("a' x", "a: n; x: n", "0", &["a a'", "I(n)"]),
    ("x' x", "x: n", "2 I(n)", &["I(n)", "2 x x'"]),
    ("(a' x)^2", "a: n; x: n", "2 a a'", &["a a'", "2 a' a I(n)"]),
    (
        "sum(exp(x))",
        "x: n",
        "diag(exp(x))",
        &["exp(x) exp(x)'", "I(n)"],
    ),
    (
        "sum(log(x))",
        "x: n positive",
        "-diag(1 ./ x.^2)",
        &["diag(1 ./ x.^2)", "-diag(1 ./ x)"],
    ),
    (
        "(x' x)^2",
        "x: n",
        "4 (x' x) I(n) + 8 x x'",
        &["4 (x' x) I(n)", "8 x x'", "4 (x' x) I(n) + 4 x x'"],
    ),
    (
        "norm(x)",
        "x: n",
        "(I(n) - x x' / (x' x)) / norm(x)",
        &["I(n) / norm(x)", "(I(n) + x x' / (x' x)) / norm(x)"],
    ),
    (
        "(x - a)' A (x - a)",
        "A: n x n; a: n; x: n",
        "A + A'",
        &["2A", "A"],
    ),
    (
        "x' A x + b' x + c",
        "A: n x n; b: n; c: scalar; x: n",
        "A + A'",
        &["A + A' + b b'"],
    ),
    (
        "sum(sigmoid(x))",
        "x: n",
        "diag(sigmoid(x) .* (1 - sigmoid(x)) .* (1 - 2 sigmoid(x)))",
        &["diag(sigmoid(x) .* (1 - sigmoid(x)))"],
    ),
    ("x' A' A x", "A: m x n; x: n", "2 A' A", &["A' A", "2 A A'"]),
];

fn problem(f: &str, given: &str) -> Problem {
    Problem::hessian(Decls::parse(given).unwrap(), f, Some("x"))
        .unwrap_or_else(|e| panic!("{f}: {}", e.report()))
}

fn verdict(p: &Problem, answer: &str, seed: u64) -> Verdict {
    grade(p, answer, &Options { trials: 5, seed })
        .unwrap_or_else(|e| panic!("{answer}: {}", e.report()))
        .verdict
}

#[test]
fn hessians_are_graded_right_and_near_misses_never_pass() {
    let mut failures = Vec::new();
    for (f, given, right, wrong) in FORMULAS {
        let p = problem(f, given);
        for seed in 0..SEEDS {
            let v = verdict(&p, right, seed);
            if v != Verdict::Correct {
                failures.push(format!("{f}: {right} is {v:?} (seed {seed})"));
            }
            for w in *wrong {
                if verdict(&p, w, seed) == Verdict::Correct {
                    failures.push(format!(
                        "{f}: the wrong {w} is graded correct (seed {seed})"
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn derived_hessians_are_graded_correct() {
    let mut failures = Vec::new();
    for (f, given, _, _) in FORMULAS {
        let p = problem(f, given);
        match derive_hessian(&p) {
            Ok(d) => {
                for seed in 0..3 {
                    let v = verdict(&p, &d.text, seed);
                    if v != Verdict::Correct {
                        failures.push(format!("{f}: derived {} is {v:?}", d.text));
                    }
                }
            }
            Err(e) => failures.push(format!("{f}: derive failed: {e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Past 8×8 the Hessian is seen through random direction pairs, not entry
/// by entry: a wrong answer still fails, one wrong entry included.
#[test]
fn a_large_hessian_is_probed_at_random_and_still_catches_one_wrong_entry() {
    let p = problem("x' A x", "A: 16 x 16; x: 16");
    let mut one_off = String::from("A + A' + [");
    for i in 0..16 {
        let row: Vec<&str> = (0..16)
            .map(|j| if i == 3 && j == 5 { "1" } else { "0" })
            .collect();
        one_off.push_str(&row.join(", "));
        one_off.push_str(if i < 15 { "; " } else { "]" });
    }
    for seed in 0..SEEDS {
        assert_eq!(verdict(&p, "A + A'", seed), Verdict::Correct, "seed {seed}");
        assert_ne!(verdict(&p, "2A", seed), Verdict::Correct, "seed {seed}");
        assert_ne!(verdict(&p, &one_off, seed), Verdict::Correct, "seed {seed}");
    }
}

#[test]
fn the_cli_checks_and_derives_order_two() {
    let (code, out, _) = nabla(&[
        "check",
        "x' A x",
        "--wrt",
        "x",
        "--given",
        "A: n x n; x: n",
        "--order",
        "2",
        "--answer",
        "A + A'",
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("is the Hessian by x"), "{out}");
    let (code, out, _) = nabla(&[
        "derive",
        "norm(A x - b)^2",
        "--wrt",
        "x",
        "--given",
        "A: m x n; x: n; b: m",
        "--order",
        "2",
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("2Aᵀ·A"), "{out}");
    // A Hessian needs a scalar F and a vector x.
    let (code, _, err) = nabla(&[
        "check",
        "A x",
        "--wrt",
        "x",
        "--given",
        "A: n x n; x: n",
        "--order",
        "2",
        "--answer",
        "A",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("--order 2 asks for a Hessian"), "{err}");
}
