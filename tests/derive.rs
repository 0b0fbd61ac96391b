//! `nabla derive`: every identity of the tutorial and the first-order
//! identities of The Matrix Cookbook (the list of `calculus_identities.rs`)
//! derive to a result that `grade` finds `correct`, no longer than twice the
//! textbook form; a property test over random expressions; and the steps.

mod common;

use nabla::calculus::symbolic::{Derivation, derive, derive_unchecked};
use nabla::calculus::{Layout, Problem};
use nabla::expr::{Decls, parse, print};
use nabla::grade::{Options, Verdict, grade};
use nabla::sample;
use proptest::prelude::*;
use rand::RngExt;

use common::{COOKBOOK, GIVEN, Gen, TUTORIAL};

/// Results allowed to be longer than twice the textbook form, with why.
const LONGER: &[(&str, &str, &str)] = &[(
    "tr(X)",
    "X",
    "the derivative is I(n): a bare I has no size of its own, so a derivative that is only an identity names its size",
)];

fn problem(given: &str, f: &str, wrt: &str) -> Problem {
    let decls = Decls::parse(given).unwrap();
    Problem::new(decls, f, Some(wrt), Layout::Numerator).unwrap()
}

fn derived(given: &str, f: &str, wrt: &str) -> Derivation {
    derive(&problem(given, f, wrt)).unwrap_or_else(|e| panic!("{f} by {wrt}: {e}"))
}

fn len(s: &str) -> usize {
    s.chars().count()
}

/// Derives every case; returns the failures (wrong, or too long).
fn check(cases: &[(&str, &str, &str, &str)]) -> Vec<String> {
    let mut failures = Vec::new();
    for &(given, f, wrt, textbook) in cases {
        let p = problem(given, f, wrt);
        let d = match derive(&p) {
            Ok(d) => d,
            Err(e) => {
                failures.push(format!("{f} by {wrt}: no derivation: {e}"));
                continue;
            }
        };
        let g = grade(&p, &d.text, &Options::default()).unwrap();
        if g.verdict != Verdict::Correct {
            failures.push(format!(
                "{f} by {wrt}: derived {} graded {:?}: {}",
                d.text, g.verdict, g.message
            ));
        }
        let book = print(&parse(textbook, Some(&p.decls)).unwrap());
        let excused = LONGER.iter().any(|&(lf, lw, _)| lf == f && lw == wrt);
        eprintln!("{f:>28} by {wrt}: {:<40} textbook {book}", d.text);
        if len(&d.text) > 2 * len(&book) && !excused {
            failures.push(format!(
                "{f} by {wrt}: derived {} ({} characters), textbook {book} ({})",
                d.text,
                len(&d.text),
                len(&book)
            ));
        }
    }
    failures
}

#[test]
fn tutorial_identities_derive_to_correct_short_forms() {
    let failures = check(TUTORIAL);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn cookbook_identities_derive_to_correct_short_forms() {
    assert!(COOKBOOK.len() >= 30);
    let failures = check(COOKBOOK);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ---------------------------------------------------------------------------
// Property: random well-shaped scalar functions (the generator of
// `calculus_properties.rs`) derive, unchecked, to a result graded correct.

/// One of the names `f` uses (F by a name it does not use is 0: too easy).
fn pick_wrt(given: &str, f: &str, which: usize) -> Option<String> {
    let decls = Decls::parse(given).unwrap();
    let names = nabla::expr::parse(f, Some(&decls)).unwrap().names();
    (!names.is_empty()).then(|| names[which % names.len()].clone())
}

/// Derives `f` by `wrt` without the built-in numeric cross-check and grades
/// the result: Ok(true) when derived and correct, Ok(false) when derive
/// declined, Err when the result is wrong.
fn derive_and_grade(given: &str, f: &str, wrt: &str) -> Result<bool, String> {
    let decls = Decls::parse(given).unwrap();
    let p =
        Problem::new(decls, f, Some(wrt), Layout::Numerator).map_err(|e| format!("{f}: {e}"))?;
    let Ok(d) = derive_unchecked(&p) else {
        return Ok(false);
    };
    match grade(&p, &d.text, &Options::default()) {
        Ok(g) if g.verdict == Verdict::Correct => Ok(true),
        // Where the derivative is 0 the grader's relative error is 100% for
        // any rounding noise; compare absolutely there.
        Ok(_) if zero_and_equal(&p, &d) => Ok(true),
        Ok(g) => Err(format!(
            "{f} by {wrt}: derived {} graded {:?}: {}",
            d.text, g.verdict, g.message
        )),
        // No instance keeps F defined (`norm(A' - A')`): nothing to compare.
        Err(_) => Ok(true),
    }
}

/// Whether the true derivative is (numerically) zero and the result too.
fn zero_and_equal(p: &Problem, d: &Derivation) -> bool {
    let c = nabla::expr::compile(&d.text, Some(&p.decls)).unwrap();
    let mut rng = sample::rng(7);
    (0..3).all(|_| {
        let Ok(inst) = p.sample(&mut rng) else {
            return true;
        };
        let truth = p.derivative(&inst).unwrap();
        let value = nabla::expr::eval(&c.typed, &inst.sizes, &inst.values).unwrap();
        // Rounding noise scales with F itself (det of a large matrix).
        let f = nabla::expr::eval(&p.f.typed, &inst.sizes, &inst.values).unwrap();
        let noise = 1e-9 * f.norm().max(1.0);
        truth.norm() < noise && (value - truth).norm() < noise
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn derived_gradients_are_graded_correct(seed in any::<u64>(), depth in 1u32..4, which in 0usize..8) {
        let f = Gen { rng: sample::rng(seed) }.scalar(depth);
        let Some(wrt) = pick_wrt(GIVEN, &f, which) else { return Ok(()); };
        if let Err(e) = derive_and_grade(GIVEN, &f, &wrt) {
            prop_assert!(false, "{}", e);
        }
    }
}

#[test]
fn derive_succeeds_for_the_large_majority() {
    let mut declined = Vec::new();
    let total = 300;
    for seed in 0..total {
        let f = Gen {
            rng: sample::rng(seed),
        }
        .scalar(3);
        let Some(wrt) = pick_wrt(GIVEN, &f, seed as usize) else {
            continue;
        };
        match derive_and_grade(GIVEN, &f, &wrt) {
            Ok(true) => {}
            Ok(false) => declined.push(format!("{f} by {wrt}")),
            Err(e) => panic!("{e}"),
        }
    }
    assert!(
        declined.len() * 50 <= total as usize,
        "derive declined {} of {total}:\n{}",
        declined.len(),
        declined.join("\n")
    );
}

/// A second generator, for what the first leaves out: log, sqrt, abs, relu,
/// det, logdet, inverse powers, entry-by-entry division and powers,
/// broadcast scalars, division by a scalar, softmax of a matrix, row vectors.
const GIVEN2: &str = "A, B: n x n; P: n x n spd; x, y: n; p: n positive; r: 1 x n; s, t: scalar";

struct Gen2 {
    rng: sample::Rng,
}

impl Gen2 {
    fn pick<'a>(&mut self, options: &[&'a str]) -> &'a str {
        options[self.rng.random_range(0..options.len())]
    }

    fn scalar(&mut self, depth: u32) -> String {
        if depth == 0 {
            return self.pick(&["s", "t", "3", "0.5"]).to_string();
        }
        let d = depth - 1;
        match self.rng.random_range(0..12) {
            0 => format!("(det({} + 4 I))", self.matrix(d)),
            1 => format!("(logdet({m} {m}' + I))", m = self.matrix(d)),
            2 => format!("(sum(log(1 + exp({}))))", self.vector(d)),
            3 => format!("(sum(sqrt({v} .* {v} + 1)))", v = self.vector(d)),
            4 => format!("(({}) {})", self.row(d), self.vector(d)),
            5 => format!("(({}) / ({s} {s} + 1))", self.scalar(d), s = self.scalar(d)),
            6 => format!("(({})^3)", self.scalar(d)),
            7 => format!("(sum(abs({})))", self.vector(d)),
            8 => format!("(sum(relu({})))", self.vector(d)),
            9 => format!("(tr(softmax({})))", self.matrix(d)),
            10 => format!("(norm({})^3)", self.vector(d)),
            _ => format!("(x' ({})^-2 y)", self.matrix(d)),
        }
    }

    fn vector(&mut self, depth: u32) -> String {
        if depth == 0 {
            return self.pick(&["x", "y", "p"]).to_string();
        }
        let d = depth - 1;
        match self.rng.random_range(0..8) {
            0 => format!("({} ./ p)", self.vector(d)),
            1 => format!("(({}).^2)", self.vector(d)),
            2 => format!("(p.^0.5 .* {})", self.vector(d)),
            3 => format!("({} - {})", self.scalar(d), self.vector(d)),
            4 => format!("(({})')", self.row(d)),
            5 => format!("(({}) {})", self.matrix(d), self.vector(d)),
            6 => format!("(tanh({}))", self.vector(d)),
            _ => format!("({} / ({s} {s} + 1))", self.vector(d), s = self.scalar(d)),
        }
    }

    fn row(&mut self, depth: u32) -> String {
        if depth == 0 {
            return self.pick(&["r", "x'", "p'"]).to_string();
        }
        let d = depth - 1;
        match self.rng.random_range(0..4) {
            0 => format!("(({}) ({}))", self.row(d), self.matrix(d)),
            1 => format!("(({})')", self.vector(d)),
            2 => format!("(sigmoid({}))", self.row(d)),
            _ => format!("(softmax({}))", self.row(d)),
        }
    }

    fn matrix(&mut self, depth: u32) -> String {
        if depth == 0 {
            return self.pick(&["A", "B", "P", "A'"]).to_string();
        }
        let d = depth - 1;
        match self.rng.random_range(0..7) {
            0 => format!("(({}) ({}))", self.matrix(d), self.matrix(d)),
            1 => format!("(({}) .* ({}))", self.matrix(d), self.matrix(d)),
            2 => format!("(({} + 4 I)^-1)", self.matrix(d)),
            3 => format!("(({}) ({}))", self.vector(d), self.row(d)),
            4 => format!("(({}) ({})^2)", self.scalar(d), self.matrix(d)),
            5 => format!("(diag({}))", self.vector(d)),
            _ => format!("(inv(P) ({}))", self.matrix(d)),
        }
    }
}

#[test]
fn the_second_generator_is_well_shaped_and_derived_correctly() {
    let decls = Decls::parse(GIVEN2).unwrap();
    let mut declined = Vec::new();
    let total = 300;
    for seed in 0..total {
        let f = Gen2 {
            rng: sample::rng(seed),
        }
        .scalar(3);
        let c =
            nabla::expr::compile(&f, Some(&decls)).unwrap_or_else(|e| panic!("{f}: {}", e.message));
        assert!(c.shape().is_scalar(), "{f}");
        let Some(wrt) = pick_wrt(GIVEN2, &f, seed as usize) else {
            continue;
        };
        match derive_and_grade(GIVEN2, &f, &wrt) {
            Ok(true) => {}
            Ok(false) => declined.push(format!("{f} by {wrt}")),
            Err(e) => panic!("{e}"),
        }
    }
    assert!(
        declined.len() * 50 <= total as usize,
        "derive declined {} of {total}:\n{}",
        declined.len(),
        declined.join("\n")
    );
}

// ---------------------------------------------------------------------------
// The written forms, the steps, Jacobians, derivatives by a scalar, refusals.

#[test]
fn key_results_read_as_the_tutorial_writes_them() {
    for (given, f, wrt, want) in [
        ("A: n x n; x: n", "x' A x", "x", "(A + Aᵀ)·x"),
        ("S: n x n symmetric; x: n", "x' S x", "x", "2S·x"),
        ("x, a: n", "||x - a||^2", "x", "2(x - a)"),
        ("A: p x m; X: m x n; B: n x p", "tr(A X B)", "X", "Aᵀ·Bᵀ"),
        (
            "y: n onehot; z: n",
            "-y' log(softmax(z))",
            "z",
            "softmax(z) - y",
        ),
        ("W: m x n; x: n; b, g: m", "g' (W x + b)", "W", "g·xᵀ"),
        ("X: n x n", "det(X)", "X", "det(X)·inv(X)ᵀ"),
        ("x: n", "log(sum(exp(x)))", "x", "softmax(x)"),
    ] {
        let d = derived(given, f, wrt);
        assert_eq!(d.text, want, "{f} by {wrt}");
        // The expression is what the text reads as.
        assert_eq!(print(&d.expr), d.text);
    }
}

#[test]
fn steps_name_the_rules_of_the_tutorial() {
    let d = derived("A: n x n; x: n", "x' A x", "x");
    assert_eq!(
        d.steps,
        [
            "product rule: d(xᵀ·A·x) = dxᵀ·A·x + xᵀ·A·dx",
            "product rule (dxᵀ term): ∂(xᵀ·A·x)/∂x += A·x",
            "product rule (dx term): ∂(xᵀ·A·x)/∂x += Aᵀ·x",
            "sum the contributions: ∂(xᵀ·A·x)/∂x = A·x + Aᵀ·x",
            "simplify: A·x + Aᵀ·x = (A + Aᵀ)·x",
        ]
    );
    let d = derived("A: p x m; X: m x n; B: n x p", "tr(A X B)", "X");
    assert!(
        d.steps
            .contains(&"trace identity: ∂ tr(A·X·B)/∂X = Aᵀ·Bᵀ".to_string()),
        "{:#?}",
        d.steps
    );
    let d = derived("W: m x n; x: n; b, g: m", "g' (W x + b)", "x");
    assert_eq!(
        d.steps.last().unwrap(),
        "chain rule / backprop equation: ∂(gᵀ·(W·x + b))/∂x = Wᵀ·g"
    );
    let d = derived("x, a: n", "||x - a||^2", "x");
    assert!(d.steps[0].starts_with("square of a norm"), "{:#?}", d.steps);
    let d = derived("y: n onehot; z: n", "-y' log(softmax(z))", "z");
    assert!(
        d.steps
            .last()
            .unwrap()
            .starts_with("softmax + cross-entropy"),
        "{:#?}",
        d.steps
    );
    // Jacobians and derivatives by a scalar explain the seed they start from.
    let d = derived("x: n", "sigmoid(x)", "x");
    assert!(d.steps[0].starts_with("seed: "), "{:#?}", d.steps);
    assert!(d.steps.last().unwrap().starts_with("Jacobian: "));
    let d = derived("s: scalar; A: n x n", "inv(I + s A)", "s");
    assert!(
        d.steps
            .last()
            .unwrap()
            .starts_with("derivative by a scalar: ")
    );
}

/// The rule a step names: what comes before its first `: ` (`let F = …`
/// names none).
fn rule_name(step: &str) -> Option<&str> {
    step.split_once(':').map(|(rule, _)| rule.trim())
}

#[test]
fn every_step_names_its_rule() {
    // A sum, difference, negation or transpose at the top of F passes its
    // adjoint on unchanged: those steps once showed an empty rule name
    // (`: ∂L/∂(A·x) = ū`).
    let tops: &[(&str, &str, &str)] = &[
        ("W: m x n; x: n; b: m", "sum(tanh(W x + b))", "W"),
        ("W: m x n; x: n; b: m", "-sum(tanh(W x + b))", "W"),
        ("p, v: n; s: scalar", "p + s v", "s"),
        ("A: n x n; a, x: n", "x' A x + a' x", "x"),
        ("A: n x n; a, x: n", "a' x - x' A x", "x"),
        ("A: m x n; x: n", "(A x)'", "x"),
        ("A: m x n; x: n", "-A x", "x"),
        ("x: n", "sum(x)'", "x"),
        ("x: n", "exp(x)'", "x"),
        ("x: n", "-x", "x"),
    ];
    let cases = TUTORIAL
        .iter()
        .chain(COOKBOOK)
        .map(|&(given, f, wrt, _)| (given, f, wrt))
        .chain(tops.iter().copied());
    let mut unnamed = Vec::new();
    for (given, f, wrt) in cases {
        for step in &derived(given, f, wrt).steps {
            if rule_name(step).is_some_and(str::is_empty) {
                unnamed.push(format!("{f} by {wrt}: {step}"));
            }
        }
    }
    assert!(unnamed.is_empty(), "{}", unnamed.join("\n"));
}

#[test]
fn jacobians_and_derivatives_by_a_scalar() {
    let cases = [
        (
            "x: n",
            "softmax(x)",
            "x",
            "diag(softmax(x)) - softmax(x)·softmax(x)ᵀ",
        ),
        (
            "A: m x n; x: n",
            "tanh(A x)",
            "x",
            "diag(1 - tanh(A·x).^2)·A",
        ),
        ("x: n", "x / norm(x)", "x", "I/‖x‖ - x·xᵀ/‖x‖³"),
        (
            "A, W: n x n; x: n",
            "A' sigmoid(W x)",
            "x",
            "Aᵀ·diag(σ(W·x) ⊙ (1 - σ(W·x)))·W",
        ),
        ("x: n positive", "log(x)", "x", "diag(1 ./ x)"),
        ("x: n", "relu(x)", "x", "diag(step(x))"),
        (
            "A: n x n; x: n",
            "diag(x) A x",
            "x",
            "diag(A·x) + diag(x)·A",
        ),
        ("s: scalar; A: m x n", "exp(s A)", "s", "exp(s·A) ⊙ A"),
        (
            "s: scalar; A, B: n x n",
            "s^2 A + inv(s B + I)",
            "s",
            "2s·A - inv(s·B + I)·B·inv(s·B + I)",
        ),
        ("s: scalar; x: n", "s x", "s", "x"),
    ];
    let mut failures = Vec::new();
    for (given, f, wrt, want) in cases {
        let p = problem(given, f, wrt);
        let d = derive(&p).unwrap_or_else(|e| panic!("{f} by {wrt}: {e}"));
        let g = grade(&p, &d.text, &Options::default()).unwrap();
        if g.verdict != Verdict::Correct || d.text != want {
            failures.push(format!(
                "{f} by {wrt}: {} ({:?}), wanted {want}",
                d.text, g.verdict
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_denominator_layout_transposes_the_jacobian() {
    let decls = Decls::parse("A: m x n; x: n").unwrap();
    let p = Problem::new(decls, "A x", Some("x"), Layout::Denominator).unwrap();
    let d = derive(&p).unwrap();
    assert_eq!(d.text, "Aᵀ");
    assert_eq!(d.shape.to_string(), "n×m");
    assert_eq!(
        grade(&p, &d.text, &Options::default()).unwrap().verdict,
        Verdict::Correct
    );
}

#[test]
fn a_derivative_that_is_only_an_identity_names_its_size() {
    // `I` alone has no size: `nabla parse` must read the derivative on its own.
    let d = derived("X: n x n", "tr(X)", "X");
    assert_eq!(d.text, "I(n)");
    // Where the rest of the expression fixes the size, the size is left out.
    let d = derived("X: n x n; A: n x n", "tr(X) + tr(A X)", "X");
    assert_eq!(d.text, "I + Aᵀ");
    let d = derived("x: n", "sum(x)", "x");
    assert_eq!(d.text, "ones(n)");
}

#[test]
fn what_is_not_supported_is_said_plainly() {
    let err = derive(&problem("s: scalar", "sum([s, 1; 2, s])", "s")).unwrap_err();
    assert!(err.contains("matrix literal"), "{err}");
}

#[test]
fn f_without_the_variable_has_derivative_zero() {
    assert_eq!(derived("A: n x n; x, y: n", "y' A y", "x").text, "zeros(n)");
    assert_eq!(derived("A: n x n; s: scalar", "tr(A)", "s").text, "0");
}

/// Found by fuzzing: `log(0)` derived to `zeros(n)`. A function that no
/// instance keeps defined is refused, with `check`'s message.
#[test]
fn a_function_undefined_everywhere_is_refused() {
    for f in [
        "log(0)",
        "log(0) + a'x",
        "sqrt(-1 - x'x)",
        "1e300*1e300*a'x",
    ] {
        let err = derive(&problem("a, x: n", f, "x")).unwrap_err();
        assert!(err.contains("F has no usable instance"), "{f}: {err}");
    }
    // Defined somewhere is enough.
    assert_eq!(derived("x: n", "log(x'x)", "x").text, "2x/(xᵀ·x)");
}

/// Found by fuzzing: constants folded to ∞ printed as `infx`, which is no
/// number (nor any name). They are refused plainly, never printed.
#[test]
fn constants_that_overflow_are_refused_not_printed() {
    let err = derive(&problem("x: n", "x'x*1e200*1e200", "x")).unwrap_err();
    assert!(err.contains("not a number nabla can use"), "{err}");
    assert!(
        !err.contains("inf") && !err.contains("please report"),
        "{err}"
    );
    // Large constants that stay finite are fine.
    assert_eq!(
        derived("x: n", "(1e200*x)'(1e200*x)*1e-300", "x").text,
        "2e100x"
    );
}

/// Found by fuzzing: derive's own numeric cross-check took its correct
/// result for a bug where the gradient's entries are near 1e300 (the norm
/// of the difference overflowed).
#[test]
fn huge_but_finite_gradients_pass_the_self_check() {
    let d = derived("a: n; x: n", "(a' 1e150x)^2", "x");
    assert_eq!(d.text, "1.9999999999999998e300(aᵀ·x)·a");
}

/// Found by the `check` fuzz target: the slope of s⁰ was 0·s⁻¹, NaN where
/// s = 0, so `zeros - (a'0x)^0` (derivative zeros) had no instance check
/// could judge on.
#[test]
fn a_power_zero_has_slope_zero_even_at_zero() {
    let p = problem("a: n; x: n", "zeros-(a' 0x)^0", "x");
    let d = derive_unchecked(&p).unwrap();
    assert_eq!(d.text, "zeros(n)");
    let g = grade(&p, &d.text, &Options::default()).unwrap();
    assert_eq!(g.verdict, Verdict::Correct, "{}", g.message);
    let wrong = grade(&p, "x", &Options::default()).unwrap();
    assert_ne!(wrong.verdict, Verdict::Correct);
}

/// Found by the `check` fuzz target: with `s: sc x alaar; c: 2` the size
/// `sc` also splits into the names s·c, so derive's `zeros(sc, alaar)` did
/// not read back. A declared size is never split.
#[test]
fn a_size_that_also_splits_into_names_reads_back_as_the_size() {
    let d = derived("c: 2; s: scxalaar", "2", "s");
    assert_eq!(d.text, "zeros(sc, alaar)");
    let decls = Decls::parse("c: 2; s: scxalaar").unwrap();
    let e = nabla::expr::compile("zeros(sc) + c' c ones(sc)", Some(&decls)).unwrap();
    assert_eq!(e.shape().to_string(), "sc×1");
}

/// Found by the `check` fuzz target: derive's (correct) gradient of a steep F
/// was graded incorrect at every seed, because on most instances reverse mode
/// passes through an adjoint beyond 1e308 (the denominator's, `F/b`) while F
/// and its gradient are finite. Such instances tell nothing and are drawn
/// again; a wrong answer is still refused.
#[test]
fn a_steep_function_whose_adjoints_overflow_is_graded_on_instances_that_can_judge() {
    let f = ".051/.56 .^||8 ./- a||³";
    let p = problem("a: l", f, "a");
    let d = derive_unchecked(&p).unwrap();
    for seed in 0..12 {
        let opts = Options {
            seed,
            ..Options::default()
        };
        let g = grade(&p, &d.text, &opts).unwrap();
        assert_eq!(g.verdict, Verdict::Correct, "seed {seed}: {}", g.message);
        let wrong = grade(&p, &format!("-{}", d.text), &opts).unwrap();
        assert_ne!(wrong.verdict, Verdict::Correct, "seed {seed}");
        let wrong = grade(&p, &d.text.replace("512", "511"), &opts).unwrap();
        assert_ne!(wrong.verdict, Verdict::Correct, "seed {seed}");
    }
}

/// Found by the `check` fuzz target: in `x'(ones.^1e30)·1e290` the
/// derivative (1e290·𝟙) is finite, but the bound on its rounding error
/// (1e30 from the power's slope, times 1e290) is not. An infinite bound
/// would let any answer pass, so nothing is graded, and the message says
/// why instead of calling the derivative infinite. (𝟙 itself is exact and
/// no longer enters the bound; 𝟙 + 0 is computed, so it still does.)
#[test]
fn a_derivative_whose_rounding_bound_overflows_is_not_graded() {
    let p = problem("x: l", "x'((ones(l) + 0).^1e30)*1e290", "x");
    for answer in ["1e290 ones(l)", "2e290 ones(l)", "x"] {
        let e = grade(&p, answer, &Options::default()).unwrap_err();
        assert!(
            e.message
                .starts_with("F has no usable instance for grading")
                && e.message.contains("rounding error"),
            "{answer}: {}",
            e.message
        );
    }
    let p = problem("x: l", "x'(ones(l).^3)*1e10", "x");
    let g = grade(&p, "1e10 ones(l)", &Options::default()).unwrap();
    assert_eq!(g.verdict, Verdict::Correct, "{}", g.message);
    let g = grade(&p, "1.001e10 ones(l)", &Options::default()).unwrap();
    assert_ne!(g.verdict, Verdict::Correct);
}

/// Found with the test above: where the rounding bound of the truth is
/// finite but dwarfs the derivative, the tolerance passed wrong answers.
/// In `x'(𝟙.^1e30)·1e10` the power's slope (1e30) entered the bound
/// although 𝟙 is exact; in `1e20 (x'x − x'x) + x'𝟙` the cancelling terms
/// keep their size in it. Now exact values round by nothing, and a swamped
/// truth is taken from F simplified (docs/grading.md, "What the grader
/// cannot see", which names what is still beyond it).
#[test]
fn a_rounding_bound_that_dwarfs_the_derivative_passes_nothing_wrong() {
    for (f, right, wrong) in [
        ("x'(ones(l).^1e30)*1e10", "1e10 ones(l)", "2e10 ones(l)"),
        ("1e20 (x'x - x'x) + x'ones(l)", "ones(l)", "2 ones(l)"),
        ("1e20 (x'x - x'x) + x'ones(l)", "ones(l)", "zeros(l)"),
        (
            "exp(40 + sum(x)) - exp(40 + sum(x)) + sum(x)",
            "ones(l)",
            "2 ones(l)",
        ),
        // The 1 is absorbed into 1e20 and the truth computes to exactly 0;
        // the algebra that simplifies F for the truth must not do the same.
        ("x + 1e20 x - 1e20 x", "I(l)", "zeros(l, l)"),
    ] {
        let p = problem("x: l", f, "x");
        let verdict = |answer: &str| {
            grade(&p, answer, &Options::default())
                .unwrap_or_else(|e| panic!("{f}: {e}"))
                .verdict
        };
        assert_eq!(verdict(right), Verdict::Correct, "{f}: {right}");
        assert_ne!(
            verdict(wrong),
            Verdict::Correct,
            "{f}: {wrong} graded correct"
        );
    }
    // Finding 8's F: the truth by s is exactly 0 (the −2 absorbed, then
    // cancelled), and only −2·𝟙 is right.
    let p = problem(
        "p: n; v: n; s: scalar",
        "p - s - v - s - v + 1e300 s v - 1e300 s v",
        "s",
    );
    let g = grade(&p, "-2 ones(n)", &Options::default()).unwrap();
    assert_eq!(g.verdict, Verdict::Correct, "{}", g.message);
    let g = grade(&p, "zeros(n)", &Options::default()).unwrap();
    assert_ne!(g.verdict, Verdict::Correct, "zeros(n) graded correct");
    // A derivative computed as exactly 0 because it is 0: graded as usual.
    for (given, f, wrt, zero, wrong) in [
        (
            "A: n x n; B: n x n",
            "tr(A B - B A)",
            "A",
            "zeros(n, n)",
            "B'",
        ),
        (
            "x: n; A: n x n",
            "x'A x - x'A'x",
            "x",
            "zeros(n)",
            "(A - A')x",
        ),
    ] {
        let p = problem(given, f, wrt);
        let g = grade(&p, zero, &Options::default()).unwrap();
        assert_eq!(g.verdict, Verdict::Correct, "{f}: {}", g.message);
        let g = grade(&p, wrong, &Options::default()).unwrap();
        assert_ne!(g.verdict, Verdict::Correct, "{f}: {wrong}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    #[test]
    fn derived_gradients_of_the_second_generator_are_graded_correct(seed in any::<u64>(), depth in 1u32..4, which in 0usize..8) {
        let f = Gen2 { rng: sample::rng(seed) }.scalar(depth);
        let Some(wrt) = pick_wrt(GIVEN2, &f, which) else { return Ok(()); };
        if let Err(e) = derive_and_grade(GIVEN2, &f, &wrt) {
            prop_assert!(false, "{}", e);
        }
    }
}

/// Found by the `check` fuzz target: F cancels terms of 1e300 exactly
/// (`1e300 s v − 1e300 s v`), so its computed derivative is rounding noise
/// and derive's plain cross-check called its right result (−2·ones) a bug.
#[test]
fn exactly_cancelling_huge_terms_do_not_make_derive_report_a_bug() {
    let d = derived(
        "p: n; v: n; s: scalar",
        "p - s - v - s - v + 1e300 s v - 1e300 s v",
        "s",
    );
    assert_eq!(d.text, "-2ones(n)");
}

/// Found by the `check` fuzz target (finding 9): an exponent that mentions
/// x but stands still (`‖·‖^0`, `0·sum(x) + 1`, `sum(x) − sum(x)`) over a
/// base that is not positive. `derive` simplified it away and answered
/// zeros; `check` refused F as "not differentiable here". Both now agree:
/// the gradient is zero, and a wrong answer is still wrong.
#[test]
fn a_power_whose_exponent_stands_still_is_graded_like_derive_answers() {
    let given = "W: m x n; x: n; b: m; t: m";
    for f in [
        "0 ** ||W x + b - t||^0",
        "(-2) ** (0*sum(x) + 1)",
        "(-2) ** (sum(x) - sum(x))",
        "0 ** (x'x - x'x + 1)",
    ] {
        assert_eq!(derived(given, f, "x").text, "zeros(n)", "{f}");
        let p = problem(given, f, "x");
        let verdict = |answer: &str| {
            grade(&p, answer, &Options::default())
                .unwrap_or_else(|e| panic!("{f}: {e}"))
                .verdict
        };
        assert_eq!(verdict("zeros(n)"), Verdict::Correct, "{f}");
        assert_ne!(verdict("ones(n)"), Verdict::Correct, "{f}");
    }
}
