//! Grading a derivative: the verdicts of the contract, decided in order —
//! `invalid_answer`, `wrong_shape`, `incorrect`, `correct` — and diagnoses
//! (`transpose`, `sign`, `scale`, `symmetric_only`) tested on the same random
//! instances, with a message a student can act on.

mod compare;
mod message;

use nalgebra::DMatrix;

use crate::calculus::{Kind, Problem, ProblemError};
use crate::expr::eval::eval;
use crate::expr::{Compiled, ExprError, compile_expecting, parse, print};
use crate::sample::{self, Instance};

pub use compare::{TOLERANCE, common_scale, relative_error};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    InvalidAnswer,
    WrongShape,
    Incorrect,
    Correct,
}

impl Verdict {
    pub fn code(self) -> &'static str {
        match self {
            Verdict::InvalidAnswer => "invalid_answer",
            Verdict::WrongShape => "wrong_shape",
            Verdict::Incorrect => "incorrect",
            Verdict::Correct => "correct",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Diagnosis {
    /// The answer's transpose is the derivative (the layout slip).
    Transpose,
    /// The answer is minus the derivative.
    Sign,
    /// The answer is c times the derivative, c ≠ 1.
    Scale(f64),
    /// Right whenever the declared square matrices are symmetric.
    SymmetricOnly,
}

impl Diagnosis {
    pub fn code(self) -> &'static str {
        match self {
            Diagnosis::Transpose => "transpose",
            Diagnosis::Sign => "sign",
            Diagnosis::Scale(_) => "scale",
            Diagnosis::SymmetricOnly => "symmetric_only",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Options {
    pub trials: usize,
    pub seed: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            trials: 5,
            // "nabla" in ASCII: a fixed default, so a run is reproducible unless --seed says otherwise.
            seed: 0x006e_6162_6c61,
        }
    }
}

/// The outcome of grading one answer.
#[derive(Clone, Debug)]
pub struct Grade {
    pub verdict: Verdict,
    pub diagnosis: Option<Diagnosis>,
    pub message: String,
    pub expected_shape: String,
    pub answer_shape: Option<String>,
    pub read_as: Option<String>,
    /// For `invalid_answer`: what is wrong with the answer, with its span.
    pub error: Option<ExprError>,
    pub trials: usize,
    pub max_rel_error: Option<f64>,
}

/// Grades `answer` as ∂F/∂X. A problem that cannot be graded is an error;
/// everything about the answer is in the `Grade`.
pub fn grade(problem: &Problem, answer: &str, opts: &Options) -> Result<Grade, ProblemError> {
    let expected_shape = problem.expected.to_string();
    let compiled = match compile_expecting(answer, Some(&problem.decls), Some(&problem.expected)) {
        Ok(c) => c,
        Err(e) => {
            let read_as = parse(answer, Some(&problem.decls)).ok().map(|a| print(&a));
            return Ok(Grade {
                verdict: Verdict::InvalidAnswer,
                diagnosis: None,
                message: message::invalid(&e),
                expected_shape,
                answer_shape: None,
                read_as,
                error: Some(e),
                trials: 0,
                max_rel_error: None,
            });
        }
    };
    let answer_shape = compiled.shape().clone();
    let base = Grade {
        verdict: Verdict::Correct,
        diagnosis: None,
        message: String::new(),
        expected_shape,
        answer_shape: Some(answer_shape.to_string()),
        read_as: Some(compiled.read_as.clone()),
        error: None,
        trials: 0,
        max_rel_error: None,
    };
    if answer_shape != problem.expected {
        return wrong_shape(problem, &compiled, opts, base);
    }
    values(problem, &compiled, opts, base)
}

/// One trial: an instance, the probes of the true derivative, and the
/// answer's value on it.
struct Trial {
    inst: Instance,
    seeds: Vec<DMatrix<f64>>,
    truth: Vec<DMatrix<f64>>,
    answer: DMatrix<f64>,
}

fn run_trials(
    problem: &Problem,
    answer: &Compiled,
    opts: &Options,
) -> Result<Vec<Trial>, ProblemError> {
    let mut rng = sample::rng(opts.seed);
    let mut trials = Vec::with_capacity(opts.trials);
    for _ in 0..opts.trials.max(1) {
        let inst = problem.sample(&mut rng, &[&answer.typed])?;
        let seeds = problem.seeds(&inst, &mut rng);
        let truth = problem
            .true_probes(&inst, &seeds)
            .map_err(|e| ProblemError {
                message: format!("F cannot be differentiated here: {}", e.message),
                source: None,
            })?;
        let value = eval(&answer.typed, &inst.sizes, &inst.values).map_err(|e| ProblemError {
            message: format!("the answer cannot be evaluated: {}", e.message),
            source: None,
        })?;
        trials.push(Trial {
            inst,
            seeds,
            truth,
            answer: value,
        });
    }
    Ok(trials)
}

fn wrong_shape(
    problem: &Problem,
    answer: &Compiled,
    opts: &Options,
    mut g: Grade,
) -> Result<Grade, ProblemError> {
    g.verdict = Verdict::WrongShape;
    // The layout slip: the answer's transpose has the expected shape and value.
    if answer.shape().transposed() == problem.expected {
        let trials = run_trials(problem, answer, opts)?;
        g.trials = trials.len();
        let fits = trials.iter().all(|t| {
            let probes = problem.probe(&t.answer.transpose(), &t.seeds);
            relative_error(&probes, &t.truth) <= TOLERANCE
        });
        if fits {
            g.diagnosis = Some(crate::grade::Diagnosis::Transpose);
        }
    }
    g.message = message::wrong_shape(problem, answer, g.diagnosis);
    Ok(g)
}

fn values(
    problem: &Problem,
    answer: &Compiled,
    opts: &Options,
    mut g: Grade,
) -> Result<Grade, ProblemError> {
    let trials = run_trials(problem, answer, opts)?;
    g.trials = trials.len();
    let errors: Vec<f64> = trials
        .iter()
        .map(|t| relative_error(&problem.probe(&t.answer, &t.seeds), &t.truth))
        .collect();
    let worst = errors.iter().copied().fold(0.0, f64::max);
    g.max_rel_error = Some(worst);
    if worst <= TOLERANCE {
        g.message = message::correct(problem, answer);
        return Ok(g);
    }
    g.verdict = Verdict::Incorrect;
    g.diagnosis = diagnose(problem, answer, &trials);
    g.message = message::incorrect(problem, answer, g.diagnosis, worst);
    Ok(g)
}

/// Tries each diagnosis on the trials' own instances, in the contract's order.
fn diagnose(problem: &Problem, answer: &Compiled, trials: &[Trial]) -> Option<Diagnosis> {
    let all = |f: &dyn Fn(&Trial) -> bool| trials.iter().all(f);
    if problem.expected.is_square() && !problem.expected.is_scalar() {
        let transposed = all(&|t| {
            relative_error(&problem.probe(&t.answer.transpose(), &t.seeds), &t.truth) <= TOLERANCE
        });
        if transposed {
            return Some(Diagnosis::Transpose);
        }
    }
    if all(&|t| relative_error(&problem.probe(&(-&t.answer), &t.seeds), &t.truth) <= TOLERANCE) {
        return Some(Diagnosis::Sign);
    }
    if let Some(c) = compare::common_scale(
        trials
            .iter()
            .map(|t| (problem.probe(&t.answer, &t.seeds), t.truth.clone())),
    ) {
        return Some(Diagnosis::Scale(c));
    }
    if symmetric_only(problem, answer, trials) {
        return Some(Diagnosis::SymmetricOnly);
    }
    None
}

/// Right on the same instances with every general square matrix symmetrized.
fn symmetric_only(problem: &Problem, answer: &Compiled, trials: &[Trial]) -> bool {
    let mut any = false;
    for t in trials {
        let Some(mut sym) = sample::symmetrized(&problem.decls, &t.inst) else {
            return false;
        };
        if problem.complete(&mut sym).is_err() {
            return false;
        }
        if !problem.well_conditioned(&sym, &[&answer.typed]) {
            continue;
        }
        let (Ok(truth), Ok(value)) = (
            problem.true_probes(&sym, &t.seeds),
            eval(&answer.typed, &sym.sizes, &sym.values),
        ) else {
            return false;
        };
        if relative_error(&problem.probe(&value, &t.seeds), &truth) > TOLERANCE {
            return false;
        }
        any = true;
    }
    any
}

/// Whether the derivative is a plain gradient (for wording messages).
pub fn is_gradient(problem: &Problem) -> bool {
    problem.kind == Kind::Gradient
}
