//! Can `nabla check` be trusted? The cases of the grading-trust issue, one
//! test per class, run through the real binary (contract: cli.md, "nabla
//! check"). Every case asserts the verdict AND the exit status.
//!
//! 1. the domain: trial points come from F's own domain, never from the
//!    answer, with values of both signs;
//! 2. an answer undefined where F is fine is `incorrect` (saying where);
//!    `invalid_problem` only when F itself has no usable instance;
//! 3. exact zeros: an identically zero derivative is answered by `zeros(…)`,
//!    `0`, `0 z`, and nothing else;
//! 4. scale-aware comparison: tiny and huge scales, a term dwarfed by another;
//!    equivalent spellings stay correct;
//! 5. trials vary what matters (the sign of det, the parity of n);
//! 6. stable evaluation (log-sum-exp far from 0);
//! 7. `nabla derive` and `nabla check` agree;
//!
//! and, at the end, what an adversarial session found beyond the issue.
//!
//! Each test collects all its failing cases before failing, so one run shows
//! the whole class.

mod common;

use common::cli::nabla;
use common::grading::{CORRECT, Failures, INCORRECT, INVALID_PROBLEM, check, message};
use serde_json::Value;

// ------------------------------------------------------------------ 1. domain

#[test]
fn trial_points_come_from_fs_domain_with_both_signs() {
    let mut t = Failures::default();
    // log|s| is defined for every s ≠ 0; its derivative is 1/s, not 1/|s|
    // (they differ exactly where s < 0, which the trials must reach).
    let p = ("log(abs(s))", "s", "s: scalar");
    t.expect(p, "1/abs(s)", &[], INCORRECT);
    t.expect(p, "1/s", &[], CORRECT);

    let p = ("sum(log(abs(x)))", "x", "x: n");
    t.expect(p, "1 ./ abs(x)", &[], INCORRECT);
    t.expect(p, "1 ./ x", &[], CORRECT);

    // The log barrier: defined where A x < b, which random values do not
    // give by chance for every row; the problem is still gradable.
    let p = ("-sum(log(b - A x))", "x", "A: m x n; b: m; x: n");
    t.expect(p, "A' (1 ./ (b - A x))", &[], CORRECT);
    t.expect(p, "A' (1 ./ (A x - b))", &[], INCORRECT);

    // F is defined for every x; the answer only where x > 0. Drawing x
    // positive to suit the answer would accept it.
    t.expect(("x'x", "x", "x: n"), "2 exp(log(x))", &[], INCORRECT);

    // relu(x - 2) is not flat for x > 2: trials must reach past the kink.
    t.expect(
        ("sum(relu(x - 2))", "x", "x: n"),
        "zeros(n)",
        &[],
        INCORRECT,
    );
    t.done();
}

// ------------------------------------------- 2. answers undefined where F is fine

/// (problem: F, X, given), an answer, and words of which the message must
/// contain one.
type Worded<'a> = ((&'a str, &'a str, &'a str), &'a str, &'a [&'a str]);

/// Whether `m` (lowercased) contains any of `words`.
fn says_any(m: &str, words: &[&str]) -> bool {
    let m = m.to_lowercase();
    words.iter().any(|w| m.contains(&w.to_lowercase()))
}

#[test]
fn an_answer_undefined_where_f_is_fine_is_incorrect_and_says_where() {
    let mut t = Failures::default();
    let division: &[&str] = &[
        "division by zero",
        "divides by zero",
        "divide by zero",
        "dividing by zero",
        "divided by zero",
        "by 0",
    ];
    let log: &[&str] = &[
        "log of a non-positive",
        "log of a negative",
        "log of 0",
        "log of zero",
        "non-positive",
        "nonpositive",
        "negative",
        "not positive",
        "≤ 0",
        "<= 0",
    ];
    let singular: &[&str] = &["singular", "not invertible", "no inverse", "determinant 0"];
    let cases: &[Worded] = &[
        (("x'x", "x", "x: n"), "1 ./ (x - x)", division),
        (("x'x", "x", "x: n"), "2x + 0 ./ (x - x)", division),
        (("s^2", "s", "s: scalar"), "2s + 0/(s - s)", division),
        (("x'x", "x", "x: n"), "2 exp(log(x))", log),
        (("x'x", "x", "x: n"), "2x + 0 log(x - x)", log),
        (("x'x", "x", "x: n"), "2 sqrt(x) .* sqrt(x)", log),
        (("tr(X)", "X", "X: n x n"), "I + 0 inv(X - X)", singular),
    ];
    for &(p, answer, words) in cases {
        let v = t.expect(p, answer, &[], INCORRECT);
        let m = message(&v);
        if v["verdict"] == "incorrect" && !says_any(&m, words) {
            t.fail(format!(
                "{} answer {answer}: the message should say where the answer is undefined (one of {words:?}): {m}",
                p.0
            ));
        }
    }
    t.done();
}

#[test]
fn invalid_problem_only_when_f_has_no_usable_instance_and_names_the_failing_part() {
    let mut t = Failures::default();
    // Texts naming the failing part of F: any one will do.
    let cases: &[Worded] = &[
        (
            ("log(-exp(x))", "x", "x: scalar"),
            "1",
            &["log(-exp(x))", "-exp(x)", "log("],
        ),
        (
            ("sqrt(-(x'x) - 1)", "x", "x: n"),
            "x",
            &[
                "sqrt(-(x'x) - 1)",
                "-(x'x) - 1",
                "-(xᵀ·x) - 1",
                "-(xᵀx) - 1",
                "sqrt(",
            ],
        ),
    ];
    for &(p, answer, names) in cases {
        let v = t.expect(p, answer, &[], INVALID_PROBLEM);
        let m = message(&v);
        if !names.iter().any(|n| m.contains(n)) {
            t.fail(format!(
                "{}: the message should name the part of F that fails (one of {names:?}): {m}",
                p.0
            ));
        }
    }
    // F fine, the answer undefined everywhere: the answer's fault, not F's.
    t.expect(("x'x", "x", "x: n"), "1 ./ (x - x)", &[], INCORRECT);
    t.done();
}

// ------------------------------------------------------------- 3. exact zeros

#[test]
fn an_identically_zero_derivative_is_answered_by_zero_and_nothing_else() {
    let mut t = Failures::default();
    let p = ("sum(softmax(z))", "z", "z: n");
    for zero in ["zeros(n)", "0", "0 z"] {
        t.expect(p, zero, &[], CORRECT);
    }
    for nonzero in ["0.001 z", "1e-9 z", "z"] {
        t.expect(p, nonzero, &[], INCORRECT);
    }

    // xᵀAx - xᵀAᵀx is 0 for every A: a zero answer is right, not "right
    // only for symmetric A".
    let p = ("x'Ax - x'A'x", "x", "A: n x n; x: n");
    for zero in ["zeros(n)", "0", "0 x"] {
        let v = t.expect(p, zero, &[], CORRECT);
        if v["diagnosis"] == "symmetric_only" {
            t.fail(format!(
                "{} answer {zero}: diagnosis symmetric_only: {v}",
                p.0
            ));
        }
    }
    for nonzero in ["0.001 x", "1e-9 x", "x"] {
        t.expect(p, nonzero, &[], INCORRECT);
    }

    // σ(x) + σ(-x) = 1.
    let p = ("sum(sigmoid(x) + sigmoid(-x))", "x", "x: n");
    for zero in ["zeros(n)", "0", "0 x"] {
        t.expect(p, zero, &[], CORRECT);
    }
    for nonzero in ["0.001 x", "1e-9 x", "x"] {
        t.expect(p, nonzero, &[], INCORRECT);
    }
    t.done();
}

// ------------------------------------------------ 4. scale-aware comparison

#[test]
fn comparison_is_scale_aware() {
    let mut t = Failures::default();
    // Tiny: 4e-400 underflows, but a sign error is still a sign error.
    let p = ("1e-200 x'x", "x", "x: n");
    t.expect(p, "-2e-200 x", &[], INCORRECT);
    t.expect(p, "2e-200 x", &[], CORRECT);
    t.expect(p, "0", &[], INCORRECT);
    // Huge.
    t.expect(("1e200 x'x", "x", "x: n"), "2e200 x", &[], CORRECT);
    t.expect(("1e200 x'x", "x", "x: n"), "2.002e200 x", &[], INCORRECT);
    // A term dwarfed by another is still part of the derivative.
    let p = ("1e8 a'x + x'x", "x", "a, x: n");
    t.expect(p, "1e8 a", &[], INCORRECT);
    t.expect(p, "1e8 a + 2x", &[], CORRECT);
    // A relative error of 5e-9 is a wrong answer, not rounding.
    t.expect(("x'x", "x", "x: n"), "2x + 1e-8 x", &[], INCORRECT);
    t.done();
}

#[test]
fn equivalent_spellings_stay_correct() {
    let mut t = Failures::default();
    let p = ("logdet(X)", "X", "X: n x n");
    for answer in [
        "inv(X)'",
        "inv(X')",
        "transpose(inv(X))",
        "inv(X') X' inv(X)'",
        "inv(X)' X' inv(X')",
        "(X^-1)'",
        "(X')^-1",
    ] {
        t.expect(p, answer, &[], CORRECT);
    }
    // Not a spelling of inv(X)ᵀ (the issue listed it as one): inv(Xᵀ)·X·inv(X)ᵀ
    // = inv(X)ᵀ only when X = Xᵀ.
    t.expect(p, "inv(X')*X*inv(X)'", &[], INCORRECT);

    let p = ("tr(inv(X) A)", "X", "A, X: n x n");
    t.expect(p, "-(inv(X) A inv(X))'", &[], CORRECT);
    t.expect(p, "-inv(X)' A' inv(X)'", &[], CORRECT);

    let p = ("x'Ax", "x", "A: n x n; x: n");
    t.expect(p, "A'x + Ax", &[], CORRECT);
    t.expect(p, "(A + A')x", &[], CORRECT);
    t.expect(p, "2 A' x", &[], INCORRECT);
    t.done();
}

// ------------------------------------------ 5. trials that vary what matters

/// How many of `seeds` accept `answer` for det(X).
fn det_accepted(answer: &str, seeds: std::ops::Range<u32>) -> Vec<u32> {
    seeds
        .filter(|s| {
            let seed = s.to_string();
            let (code, v) = check(
                "det(X)",
                "X",
                "X: n x n",
                answer,
                &["--seed", seed.as_str()],
            );
            assert!(code == 0 || code == 1, "seed {s}: exit {code}: {v}");
            assert_eq!(code == 0, v["verdict"] == "correct", "seed {s}: {v}");
            code == 0
        })
        .collect()
}

#[test]
fn trials_vary_the_sign_of_det_and_the_parity_of_n() {
    // |det X| inv(X)ᵀ is right exactly where det X > 0, det(-X) inv(X)ᵀ
    // exactly where n is even: every seed must find the trial that shows it.
    let mut t = Failures::default();
    for answer in ["abs(det(X)) inv(X)'", "det(-X) inv(X)'"] {
        let accepted = det_accepted(answer, 0..200);
        if !accepted.is_empty() {
            t.fail(format!(
                "det(X) answer {answer}: accepted with --seed {accepted:?} ({} of 200)",
                accepted.len()
            ));
        }
    }
    let accepted = det_accepted("det(X) inv(X)'", 0..8);
    if accepted.len() != 8 {
        t.fail(format!(
            "det(X) answer det(X) inv(X)': accepted only with --seed {accepted:?} of 0..8"
        ));
    }
    t.done();
}

// ------------------------------------------------------ 6. stable evaluation

#[test]
fn log_sum_exp_far_from_zero_is_evaluated_stably() {
    let mut t = Failures::default();
    for f in ["log(sum(exp(x - 1000)))", "log(sum(exp(x + 1000)))"] {
        t.expect((f, "x", "x: n"), "softmax(x)", &[], CORRECT);
        t.expect((f, "x", "x: n"), "2 softmax(x)", &[], INCORRECT);
    }
    t.done();
}

// ---------------------------------------------------- 7. derive and check agree

/// (given, F, wrt)
const AGREE: &[(&str, &str, &str)] = &[
    ("a, x: n", "a' x", "x"),
    ("x: n", "x' x", "x"),
    ("A: n x n; x: n", "x' A x", "x"),
    ("S: n x n symmetric; x: n", "x' S x", "x"),
    ("x, a: n", "||x - a||^2", "x"),
    ("A: m x n; x: n", "A x", "x"),
    ("A: n x m; x: n", "x' A", "x"),
    ("x: n", "sigmoid(x)", "x"),
    ("A: n x m; X: m x n", "tr(A X)", "X"),
    ("A, X: m x n", "tr(X' A)", "X"),
    ("X: m x n", "tr(X' X)", "X"),
    ("A: p x m; X: m x n; B: n x p", "tr(A X B)", "X"),
    ("W: m x n; x: n; b, g: m", "g' (W x + b)", "W"),
    ("x, g: n", "g' tanh(x)", "x"),
    ("y: n onehot; z: n", "-y' log(softmax(z))", "z"),
    ("y: n probability; z: n", "-y' log(softmax(z))", "z"),
    ("W: m x n; x: n; b, t: m", "0.5 ||W x + b - t||^2", "W"),
    ("X: n x n", "det(X)", "X"),
    ("X: n x n", "logdet(X)", "X"),
    ("A, X: n x n", "tr(inv(X) A)", "X"),
    ("x: n", "norm(x)", "x"),
    ("x: n", "log(sum(exp(x)))", "x"),
    // The zero-gradient ones.
    ("z: n", "sum(softmax(z))", "z"),
    ("A: n x n; x: n", "x'Ax - x'A'x", "x"),
    ("x: n", "sum(sigmoid(x) + sigmoid(-x))", "x"),
    // Domains.
    ("A: m x n; b: m; x: n", "-sum(log(b - A x))", "x"),
    ("s: scalar", "log(abs(s))", "s"),
    ("x: n", "sum(log(abs(x)))", "x"),
    ("x: n", "sum(relu(x - 2))", "x"),
    ("x: n", "sum(abs(x))", "x"),
    // Scales and stability.
    ("x: n", "1e-200 x'x", "x"),
    ("a, x: n", "1e8 a'x + x'x", "x"),
    ("x: n", "log(sum(exp(x - 1000)))", "x"),
];

#[test]
fn derive_and_check_agree() {
    let mut t = Failures::default();
    for &(given, f, wrt) in AGREE {
        let (code, stdout, stderr) =
            nabla(&["derive", f, "--wrt", wrt, "--given", given, "--json"]);
        if code != 0 {
            t.fail(format!(
                "{f} by {wrt}: nabla derive exits {code}: {stdout}{stderr}"
            ));
            continue;
        }
        let v: Value = serde_json::from_str(stdout.trim()).unwrap();
        let d = v["derivative"].as_str().expect("derivative is a string");
        t.expect((f, wrt, given), d, &[], CORRECT);
    }
    t.done();
}

// ------------------------------------------------------- found by an adversary
//
// Wrong answers accepted and right answers rejected on the code of the issue,
// each checked against an independent oracle (central finite differences in
// numpy at a point of F's domain) before it was written down here.

/// `nabla check` accepts `answer` with none of `seeds`.
fn never_accepted(
    t: &mut Failures,
    p: (&str, &str, &str),
    answer: &str,
    seeds: std::ops::Range<u32>,
) {
    let accepted: Vec<u32> = seeds
        .clone()
        .filter(|s| {
            let seed = s.to_string();
            let (code, v) = check(p.0, p.1, p.2, answer, &["--seed", seed.as_str()]);
            if v["verdict"] == "correct" || code == 0 {
                return true;
            }
            if code != 1 || v["verdict"] != "incorrect" {
                t.fail(format!(
                    "{} answer {answer} --seed {s}: want incorrect (exit 1), got {} (exit {code})",
                    p.0, v["verdict"]
                ));
            }
            false
        })
        .collect();
    if !accepted.is_empty() {
        t.fail(format!(
            "{} answer {answer}: accepted with --seed {accepted:?} ({} of {})",
            p.0,
            accepted.len(),
            seeds.len()
        ));
    }
}

#[test]
fn adversary_kinks_near_zero_are_reached() {
    // Values are drawn with magnitude in [0.25, 1.5], so a kink of F in
    // (-0.25, 0.25) is never crossed: d|s - 0.1|/ds is -1 at s = 0.05, but
    // s/|s| says +1 there. Oracle: finite differences at s = 0.05, x = (0.05,
    // -0.7, 1), x = (0.1, 0.7, -0.4), x = (0.1, -0.05, 0.9).
    let mut t = Failures::default();
    let p = ("abs(s - 0.1)", "s", "s: scalar");
    t.expect(p, "s/abs(s)", &[], INCORRECT);
    t.expect(p, "(s - 0.1)/abs(s - 0.1)", &[], CORRECT);
    let p = ("sum(abs(x - 0.1))", "x", "x: n");
    t.expect(p, "x ./ abs(x)", &[], INCORRECT);
    t.expect(p, "(x - 0.1) ./ abs(x - 0.1)", &[], CORRECT);
    let p = ("sum(relu(x - 0.2))", "x", "x: n");
    t.expect(p, "relu(x) ./ x", &[], INCORRECT);
    t.expect(p, "relu(x - 0.2) ./ (x - 0.2)", &[], CORRECT);
    // A ramp of slope 1 on (-0.2, 0.2), flat elsewhere.
    let p = ("sum(relu(x + 0.2) - relu(x - 0.2))", "x", "x: n");
    t.expect(p, "zeros(n)", &[], INCORRECT);
    t.done();
}

#[test]
fn adversary_an_answer_cannot_carve_out_the_domain() {
    // The answer's own conditions (a divisor off zero, a log argument
    // positive) pick the trial points today: `0 ./ relu(x)` restricts the
    // trials to x > 0, where 2 relu(x) = 2x. Oracle at x = (-0.5, 0.7).
    let mut t = Failures::default();
    let p = ("x'x", "x", "x: n");
    t.expect(p, "2 relu(x) + 0 ./ relu(x)", &[], INCORRECT);
    t.expect(p, "2 abs(x) + 0 log(x)", &[], INCORRECT);
    t.expect(
        ("sum(relu(x))", "x", "x: n"),
        "ones(n) + 0 ./ relu(x)",
        &[],
        INCORRECT,
    );
    // Every name under a log is drawn positive, though log(xᵀx) is defined
    // for every x ≠ 0: 2|x|/(xᵀx) is accepted. Oracle at x = (-0.5, 0.7).
    let p = ("log(x'x)", "x", "x: n");
    t.expect(p, "2 abs(x)/(x'x)", &[], INCORRECT);
    t.expect(p, "2x/(x'x)", &[], CORRECT);
    t.done();
}

#[test]
fn adversary_narrow_domains_are_still_gradable() {
    // F is defined for x > 2 (s > 5, s > 100), far outside [-1.5, 1.5]:
    // today invalid_problem, though F has a usable instance everywhere there.
    let mut t = Failures::default();
    let p = ("sum(log(x - 2))", "x", "x: n");
    t.expect(p, "1 ./ (x - 2)", &[], CORRECT);
    t.expect(p, "1 ./ x", &[], INCORRECT);
    t.expect(("log(s - 5)", "s", "s: scalar"), "1/(s - 5)", &[], CORRECT);
    t.expect(
        ("sqrt(s - 100)", "s", "s: scalar"),
        "0.5/sqrt(s - 100)",
        &[],
        CORRECT,
    );
    t.done();
}

#[test]
fn adversary_log_softmax_log_sigmoid_and_softplus_grade_right_or_refuse() {
    // Cross-entropy with large logits: softmax(1000 z) underflows to 0 in
    // some entry and log gives -inf. F is finite (≈ 2100 at z = (0.3, -1.2,
    // 0.9), y = e₂); the oracle's stable evaluation confirms
    // 1000 (softmax(1000 z) - y) to 2e-9. log σ(u) for u ≈ -1000 is ≈ u;
    // softplus log(1 + e^u) for u ≈ 1000 is ≈ u.
    //
    // Only log(sum(exp(·))) is fused and shifted so far (docs/grading.md):
    // these three are refused as having no usable instance. What must hold
    // already: at moderate scales they grade right, and at the extreme ones
    // no wrong answer is ever called correct.
    let mut t = Failures::default();
    let p = ("-y' log(softmax(10 z))", "z", "y: n onehot; z: n");
    t.expect(p, "10 (softmax(10 z) - y)", &[], CORRECT);
    t.expect(p, "softmax(10 z) - y", &[], INCORRECT);
    let p = ("sum(log(sigmoid(x - 5)))", "x", "x: n");
    t.expect(p, "1 - sigmoid(x - 5)", &[], CORRECT);
    t.expect(p, "-sigmoid(x - 5)", &[], INCORRECT);
    let p = ("sum(log(1 + exp(x + 5)))", "x", "x: n");
    t.expect(p, "sigmoid(x + 5)", &[], CORRECT);
    t.expect(p, "zeros(n)", &[], INCORRECT);
    for (f, given, wrong) in [
        (
            "-y' log(softmax(1000 z))",
            "y: n onehot; z: n",
            "softmax(1000 z) - y",
        ),
        ("sum(log(sigmoid(x - 1000)))", "x: n", "-sigmoid(x - 1000)"),
        ("sum(log(1 + exp(x + 1000)))", "x: n", "zeros(n)"),
    ] {
        let wrt = if f.contains('z') { "z" } else { "x" };
        let (code, v) = check(f, wrt, given, wrong, &[]);
        if code == 0 || v["verdict"] == "correct" {
            t.0.push(format!("{f}: the wrong answer {wrong} was graded correct"));
        }
    }
    t.done();
}

#[test]
fn adversary_a_wrong_entry_is_not_hidden_by_large_ones() {
    // d/dx_i (e^{20 x_i} + x_i) = 20 e^{20 x_i} + 1; dropping the 1 is off by
    // 100% in every entry with x_i < 0, but the error relative to the norm of
    // the whole gradient (dominated by an entry near 1.5) is ~1e-9, so it
    // was accepted for 17 of seeds 0..49. Oracle, entry by entry: at
    // x_i = -0.6 the derivative is 1.00012, the answer 0.000123.
    let mut t = Failures::default();
    let p = ("sum(exp(20 x) + x)", "x", "x: n");
    never_accepted(&mut t, p, "20 exp(20 x)", 0..50);
    t.expect(p, "20 exp(20 x) + 1", &[], CORRECT);
    t.done();
}

#[test]
fn adversary_trials_vary_the_parity_of_n() {
    // det(-I(n)) = (-1)^n: right exactly when n is even. Accepted with 12 of
    // seeds 0..199 (x'x) and 7 of 0..199 (tr(X)).
    let mut t = Failures::default();
    never_accepted(&mut t, ("x'x", "x", "x: n"), "2 det(-I(n)) x", 0..200);
    never_accepted(&mut t, ("tr(X)", "X", "X: n x n"), "det(-I(n)) I", 0..200);
    t.done();
}

#[test]
fn adversary_the_true_derivative_survives_overflow_and_cancellation() {
    let mut t = Failures::default();
    // The rule for a quotient computes a·b'/(b·b): b = e^{400 s} is finite
    // but b·b overflows for s > 0.89, the term becomes 0 and nabla's "true"
    // derivative of exp(400 s)/exp(400 s) + s is 401 instead of 1. Oracle:
    // finite differences give 1.0000000000 at s = 0.9, 1.2 and -0.5.
    t.expect(
        ("exp(400 s) / exp(400 s) + s", "s", "s: scalar"),
        "1",
        &[],
        CORRECT,
    );
    t.expect(
        ("exp(400 s) / exp(400 s)", "s", "s: scalar"),
        "0",
        &[],
        CORRECT,
    );
    t.expect(
        ("sum(exp(400 x) ./ exp(400 x) + x)", "x", "x: n"),
        "ones(n)",
        &[],
        CORRECT,
    );
    // F's own rounding: the gradient 1e10 a - 1e10 a + 2x carries an absolute
    // error ~1e10·ε ≈ 1e-6, so the exact 2x is 8.6e-7 "off" and rejected. A
    // scale-aware comparison must allow for the noise of F's terms (while
    // 1e8 a'x + x'x with 1e8 a stays incorrect: 2x is far above 1e8·ε).
    let p = ("1e10 a'x + x'x - 1e10 a'x", "x", "a, x: n");
    t.expect(p, "2x", &[], CORRECT);
    t.expect(p, "2.002 x", &[], INCORRECT);
    t.done();
}

/// A value that underflows (exp(−740) keeps a few bits) has an absolute
/// error no multiple of ε·|value| covers, and a later division by p² scales
/// it up; the tolerance must carry it, in the answer and in the truth alike.
/// Seeds 395 and 521 draw such entries (the grader without the underflow
/// term called the right answer incorrect there).
#[test]
fn underflowed_entries_do_not_make_a_right_answer_wrong() {
    let mut t = Failures::default();
    let given = "x: n; p: n positive";
    let f = "sum(log(1 + exp((x ./ p) ./ p)))";
    let right = "exp(x ./ (p .* p)) ./ ((1 + exp(x ./ (p .* p))) .* p .* p)";
    for seed in ["395", "521", "0"] {
        t.expect((f, "x", given), right, &["--seed", seed], CORRECT);
        t.expect((f, "x", given), "2 x ./ p", &["--seed", seed], INCORRECT);
    }
    t.done();
}
