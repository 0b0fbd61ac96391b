//! Grading cost, in process: one full `nabla::grade::grade` call (answer
//! compiled, default 5 trials sampled, F differentiated, answer compared) on a
//! `Problem` built once.
//!
//! - `tutor`: the problems of the course, at the sizes a student meets
//!   (dimension symbols, drawn from 2..=7).
//! - `sweep_small` / `sweep_big`: `tr(A X B)` by X and `x' A x` by x with
//!   integer sizes n×n, n = 4 … 512 (few samples for the big ones).
//!
//! - `report`: one whole `report::check` call, the JSON contract's `check`
//!   (declarations parsed, problem built, graded, the verdict object made),
//!   what the Python package's `nabla.check` and `nabla check --json` run
//!   (docs/performance.md, "From Python").
//!
//! Run: `cargo bench --bench grading` (results in docs/performance.md).

use divan::{Bencher, black_box};
use nabla::calculus::{Layout, Problem};
use nabla::expr::Decls;
use nabla::grade::{self, Options, Verdict};

fn main() {
    divan::main();
}

fn problem(f: &str, wrt: &str, given: &str) -> Problem {
    let decls = Decls::parse(given).expect("declarations parse");
    Problem::new(decls, f, Some(wrt), Layout::Numerator).expect("the problem is valid")
}

/// Grades once outside the timing (checking the verdict), then times grading.
fn bench_grade(bencher: Bencher, p: &Problem, answer: &str, verdict: Verdict) {
    let opts = Options::default();
    let g = grade::grade(p, answer, &opts).expect("gradable");
    assert_eq!(g.verdict, verdict, "{answer}: {}", g.message);
    bencher.bench_local(|| grade::grade(black_box(p), black_box(answer), black_box(&opts)));
}

/// The whole contract call from the text of its inputs, as the Python
/// package and the command line make it.
#[divan::bench_group(max_time = 2)]
mod report {
    use super::*;
    use nabla::report::{self, CheckRequest};

    #[divan::bench]
    fn check_quadratic_form(b: Bencher) {
        let req = CheckRequest {
            wrt: Some("x"),
            ..CheckRequest::new("x' A x", "A: n x n; x: n", "(A + A')x")
        };
        let v = report::check(&req).expect("a valid problem");
        assert_eq!(v["verdict"], "correct");
        b.bench_local(|| report::check(black_box(&req)));
    }
}

/// The course's problems at tutor sizes.
#[divan::bench_group(max_time = 2)]
mod tutor {
    use super::*;

    #[divan::bench]
    fn quadratic_form(b: Bencher) {
        let p = problem("x' A x", "x", "A: n x n; x: n");
        bench_grade(b, &p, "(A + A')x", Verdict::Correct);
    }

    /// The most expensive path: incorrect, every diagnosis tried, the last
    /// (symmetric_only) re-evaluating each trial on symmetrized matrices.
    #[divan::bench]
    fn quadratic_form_symmetric_only(b: Bencher) {
        let p = problem("x' A x", "x", "A: n x n; x: n");
        bench_grade(b, &p, "2 A x", Verdict::Incorrect);
    }

    #[divan::bench]
    fn trace_axb(b: Bencher) {
        let p = problem("tr(A X B)", "X", "A: p x m; X: m x n; B: n x p");
        bench_grade(b, &p, "A' B'", Verdict::Correct);
    }

    #[divan::bench]
    fn least_squares_by_w(b: Bencher) {
        let p = problem("0.5 ||W x + b - t||^2", "W", "W: m x n; x: n; b, t: m");
        bench_grade(b, &p, "(W x + b - t) x'", Verdict::Correct);
    }

    #[divan::bench]
    fn cross_entropy_softmax(b: Bencher) {
        let p = problem("-y' log(softmax(z))", "z", "y: n onehot; z: n");
        bench_grade(b, &p, "softmax(z) - y", Verdict::Correct);
    }

    #[divan::bench]
    fn sigmoid_jacobian(b: Bencher) {
        let p = problem("sigmoid(x)", "x", "x: n");
        bench_grade(
            b,
            &p,
            "diag(sigmoid(x) .* (1 - sigmoid(x)))",
            Verdict::Correct,
        );
    }
}

fn trace(n: usize) -> Problem {
    problem("tr(A X B)", "X", &format!("A, X, B: {n} x {n}"))
}

fn quadratic(n: usize) -> Problem {
    problem("x' A x", "x", &format!("A: {n} x {n}; x: {n}"))
}

/// n = 4 … 64: cheap enough for divan's default sampling (capped at 2 s).
#[divan::bench_group(max_time = 2)]
mod sweep_small {
    use super::*;

    #[divan::bench(args = [4, 8, 16, 32, 64])]
    fn trace_axb(b: Bencher, n: usize) {
        bench_grade(b, &trace(n), "A' B'", Verdict::Correct);
    }

    #[divan::bench(args = [4, 8, 16, 32, 64])]
    fn quadratic_form(b: Bencher, n: usize) {
        bench_grade(b, &quadratic(n), "(A + A')x", Verdict::Correct);
    }
}

/// n = 128 … 512: one grade per sample, a handful of samples.
#[divan::bench_group(sample_count = 7, sample_size = 1)]
mod sweep_big {
    use super::*;

    #[divan::bench(args = [128, 256, 512])]
    fn trace_axb(b: Bencher, n: usize) {
        bench_grade(b, &trace(n), "A' B'", Verdict::Correct);
    }

    #[divan::bench(args = [128, 256, 512])]
    fn quadratic_form(b: Bencher, n: usize) {
        bench_grade(b, &quadratic(n), "(A + A')x", Verdict::Correct);
    }
}
