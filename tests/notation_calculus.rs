//! The functions and derive results of issue 16: each new function graded
//! both ways (its true derivative correct at several seeds, a plausible
//! wrong one not), derived to the form a textbook prints, and every derive
//! output reading back and graded correct by `check`.

use nabla::calculus::symbolic::derive;
use nabla::calculus::{Layout, Problem};
use nabla::expr::{Decls, parse};
use nabla::grade::{Options, Verdict, grade};
use proptest::prelude::*;

fn problem(given: &str, f: &str, wrt: &str) -> Problem {
    let decls = Decls::parse(given).unwrap();
    Problem::new(decls, f, Some(wrt), Layout::Numerator)
        .unwrap_or_else(|e| panic!("{f}: {}", e.message))
}

fn verdict(p: &Problem, answer: &str, seed: u64) -> Verdict {
    let opts = Options {
        seed,
        ..Options::default()
    };
    grade(p, answer, &opts)
        .unwrap_or_else(|e| panic!("{answer}: {}", e.message))
        .verdict
}

/// `right` is graded correct and `wrong` not, at every one of several seeds.
fn both_ways(given: &str, f: &str, wrt: &str, right: &str, wrong: &str) {
    let p = problem(given, f, wrt);
    for seed in 0..6 {
        assert_eq!(
            verdict(&p, right, seed),
            Verdict::Correct,
            "{f}: {right}, seed {seed}"
        );
        assert_ne!(
            verdict(&p, wrong, seed),
            Verdict::Correct,
            "{f}: {wrong}, seed {seed}"
        );
    }
}

const G: &str = "x, a, b: n; y: n; W: m x n; t: m; A, X: n x n; s: scalar";

#[test]
fn step_is_the_slope_of_relu() {
    both_ways(G, "sum(relu(x))", "x", "step(x)", "relu(x) ./ abs(x) + 1");
    both_ways(G, "sum(relu(W x))", "W", "step(W x) x'", "relu(W x) x'");
    both_ways(G, "sum(heaviside(x) .* x)", "x", "step(x)", "ones(n)");
    // step is flat off its kink: its own derivative is zero.
    both_ways(G, "sum(step(x))", "x", "zeros(n)", "step(x)");
}

#[test]
fn sign_is_the_slope_of_abs() {
    both_ways(G, "sum(abs(x))", "x", "sign(x)", "ones(n)");
    both_ways(G, "sign(x)' x", "x", "sign(x)", "abs(x)");
    both_ways(G, "sum(abs(A x))", "x", "A' sign(A x)", "A sign(A x)");
}

#[test]
fn max_outer_logsumexp_frobenius_and_sizes_are_graded() {
    both_ways(G, "sum(max(0, x))", "x", "step(x)", "sign(x)");
    both_ways(G, "a' outer(x, b) a", "x", "(b' a) a", "(b' a) b");
    both_ways(G, "logsumexp(x)", "x", "softmax(x)", "exp(x)");
    both_ways(G, "A : X", "X", "A", "A'");
    both_ways(G, "⟨X, X⟩", "X", "2X", "X");
    both_ways(G, "x' x / n", "x", "2x/n", "2x");
    both_ways(G, "0.5‖W x - t‖²/m", "W", "(W x - t) x'/m", "(W x - t) x'");
    both_ways(
        G,
        "a' X^-T b",
        "X",
        "-inv(X)' b a' inv(X)'",
        "-inv(X) b a' inv(X)",
    );
    both_ways(G, "x**2' a", "x", "2 x .* a", "2 x");
    both_ways(G, "a' (A\\b)", "b", "inv(A)' a", "inv(A) a");
}

fn derived(given: &str, f: &str, wrt: &str) -> String {
    derive(&problem(given, f, wrt))
        .unwrap_or_else(|e| panic!("{f} by {wrt}: {e}"))
        .text
}

#[test]
fn derive_prints_the_textbook_forms() {
    for (given, f, wrt, textbook) in [
        ("X: n x n", "log(abs(det(X)))", "X", "inv(X)ᵀ"),
        ("x: n", "sum(log(abs(x)))", "x", "1 ./ x"),
        (
            "x, y: n",
            "-(y' log(σ(x)) + (1 - y)' log(1 - σ(x)))",
            "x",
            "σ(x) - y",
        ),
        (
            "x: n; y: m; W: m x n",
            "-(y' log(σ(W x)) + (1 - y)' log(1 - σ(W x)))",
            "W",
            "(σ(W·x) - y)·xᵀ",
        ),
        (
            "z: n; y: n onehot",
            "-log(y' softmax(z))",
            "z",
            "softmax(z) - y",
        ),
        (
            "W: m x n; x: n; t: m",
            "‖W x - t‖^2/3",
            "W",
            "2/3·(W·x - t)·xᵀ",
        ),
        ("x: n", "x' x/6", "x", "1/3·x"),
        ("x: n", "0.1 x' x", "x", "0.2x"),
        ("W: m x n; x: n", "sum(relu(W x))", "W", "step(W·x)·xᵀ"),
        ("x: n", "sum(abs(x))", "x", "sign(x)"),
        ("x: n", "logsumexp(x)", "x", "softmax(x)"),
        // exp(z)/sum(exp(z)) folds to softmax inside a chain and a Hadamard
        // product too: unfolded it overflows where F is fine (CI, seed of
        // session 7).
        ("x: n; A: n x n", "logsumexp(A x)", "x", "Aᵀ·softmax(A·x)"),
        (
            "x: n; A: n x n",
            "logsumexp(exp(A x))",
            "x",
            "Aᵀ·(softmax(exp(A·x)) ⊙ exp(A·x))",
        ),
        (
            "x: n; X: n x n",
            "logsumexp(exp(exp(X^-T x)))",
            "x",
            "inv(X)·(softmax(exp(exp(inv(X)ᵀ·x))) ⊙ exp(exp(inv(X)ᵀ·x)) ⊙ exp(inv(X)ᵀ·x))",
        ),
        ("x: n; A: n x n", "sum(A)", "x", "zeros(n)"),
        ("s: scalar; A: n x n", "3", "s", "0"),
        (
            "x, a: n; W: m x n; t: m",
            "0.5‖W x - t‖²/m",
            "W",
            "(W·x - t)·xᵀ/m",
        ),
    ] {
        assert_eq!(derived(given, f, wrt), textbook, "{f} by {wrt}");
    }
}

#[test]
fn a_long_chain_is_printed_as_powers_the_parser_accepts() {
    let f = format!("tr({} X)", vec!["A"; 130].join(" "));
    let d = derived("A, X: n x n", &f, "X");
    assert_eq!(d, "(A⁶⁴·A⁶⁴·A²)ᵀ");
}

/// Random F from the spellings and functions above.
fn f_of(choices: &[usize]) -> String {
    const UNARY: &[&str] = &[
        "relu",
        "step",
        "sign",
        "abs",
        "exp",
        "tanh",
        "σ",
        "softmax",
        "heaviside",
    ];
    const SCALAR: &[&str] = &[
        "sum({})",
        "a' {}",
        "logsumexp({})",
        "‖{}‖^2",
        "‖{}‖_2^2/n",
        "{} : a",
        "⟨{}, b⟩",
        "sum(max(0, {}))",
        "-(a' log(σ({})) + (1 - a)' log(1 - σ({})))",
        "sum(log(abs({})))",
    ];
    const VECTOR: &[&str] = &[
        "x",
        "A x",
        "A.dot(x) + b",
        "x**2",
        "x ⊙ b",
        "A\\x",
        "outer(a, b) x",
        "X^-T x",
    ];
    let mut k = choices.iter().copied();
    let mut pick = |n: usize| k.next().unwrap_or(0) % n;
    let mut v = VECTOR[pick(VECTOR.len())].to_string();
    for _ in 0..pick(3) {
        v = format!("{}({v})", UNARY[pick(UNARY.len())]);
    }
    SCALAR[pick(SCALAR.len())].replace("{}", &format!("({v})"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Whatever derive prints parses back under the declarations and is
    /// graded correct by check.
    #[test]
    fn every_derive_output_parses_back_and_is_accepted(choices in prop::collection::vec(any::<usize>(), 6)) {
        let given = "x, a, b: n; A, X: n x n";
        let f = f_of(&choices);
        let p = problem(given, &f, "x");
        if let Ok(d) = derive(&p) {
            let back = parse(&d.text, Some(&p.decls));
            prop_assert!(back.is_ok(), "{f}: derived {}, which does not parse", d.text);
            prop_assert_eq!(verdict(&p, &d.text, 7), Verdict::Correct, "{}: derived {}", f, d.text);
        }
    }
}
