//! Grading a derivative: the verdicts of the contract, decided in order —
//! `invalid_answer`, `wrong_shape`, `incorrect`, `correct` — and diagnoses
//! (`transpose`, `sign`, `scale`, `symmetric_only`) tested on the same random
//! instances, with a message a student can act on.

mod compare;
mod message;
pub mod slip;
mod swamp;
mod trials;

use nalgebra::DMatrix;

use crate::calculus::{Kind, Problem, ProblemError, cost};
use crate::expr::{Compiled, ExprError, compile_expecting, eval, parse, print};
use crate::sample;

use compare::Probed;
pub use compare::{TOLERANCE, common_scale, relative_error};
use trials::{Judge, Trial, Trials, agree, evaluate};

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

/// An answer whose own evaluation is over the budget (a long chain of large
/// products typed by hand) is not evaluated: it is an invalid answer.
fn affordable(c: Compiled, problem: &Problem, answer: &str) -> Result<Compiled, ExprError> {
    match cost::answer(&c.typed, &problem.f.typed, &problem.decls).refusal("This answer") {
        None => Ok(c),
        Some(why) => Err(ExprError::new(
            crate::expr::ErrorKind::Eval,
            why,
            crate::expr::Span::new(0, answer.chars().count()),
        )),
    }
}

/// Like `grade`, but an answer that does not type-check only because one
/// factor needs a transpose (or two factors their order) is a wrong answer
/// with the `transpose` diagnosis, naming the fix (`slip`), rather than
/// `invalid_answer`. The tutor grades so; `nabla grade` keeps the
/// contract's verdicts.
pub fn grade_naming_slips(
    problem: &Problem,
    answer: &str,
    opts: &Options,
) -> Result<Grade, ProblemError> {
    let mut g = grade(problem, answer, opts)?;
    if g.verdict == Verdict::InvalidAnswer
        && let Some(e) = &g.error
        && let Some(fixed) = slip::fix(answer, &problem.decls, &problem.expected, e)
    {
        g.message = message::needs_transpose(e, &fixed);
        g.verdict = Verdict::Incorrect;
        g.diagnosis = Some(Diagnosis::Transpose);
        g.error = None;
    }
    Ok(g)
}

/// Grades `answer` as ∂F/∂X. A problem that cannot be graded is an error;
/// everything about the answer is in the `Grade`.
///
/// ```
/// use nabla_engine::calculus::{Layout, Problem};
/// use nabla_engine::expr::Decls;
/// use nabla_engine::grade::{Diagnosis, Options, Verdict, grade};
///
/// let decls = Decls::parse("A: n x n; x: n").unwrap();
/// let p = Problem::new(decls, "x' A x", Some("x"), Layout::Numerator).unwrap();
///
/// let right = grade(&p, "(A + A')x", &Options::default()).unwrap();
/// assert_eq!(right.verdict, Verdict::Correct);
///
/// // The classic slip: right only when A is symmetric, and named.
/// let slip = grade(&p, "2 A x", &Options::default()).unwrap();
/// assert_eq!(slip.verdict, Verdict::Incorrect);
/// assert_eq!(slip.diagnosis, Some(Diagnosis::SymmetricOnly));
/// ```
pub fn grade(problem: &Problem, answer: &str, opts: &Options) -> Result<Grade, ProblemError> {
    let expected_shape = problem.expected.to_string();
    // A problem too large to grade is refused before anything is drawn.
    if let Some(why) = cost::grading(&problem.f.typed, &problem.decls).refusal("F") {
        return Err(ProblemError {
            message: why,
            source: None,
        });
    }
    let compiled = match compile_expecting(answer, Some(&problem.decls), Some(&problem.expected))
        .and_then(|c| affordable(c, problem, answer))
    {
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
        if let Some(zeros) = zero_of_any_shape(&compiled, &problem.expected) {
            let mut g = base;
            g.answer_shape = Some(problem.expected.to_string());
            return values(problem, &zeros, answer, opts, g);
        }
        return wrong_shape(problem, &compiled, opts, base);
    }
    values(problem, &compiled, answer, opts, base)
}

/// A plain `0` stands for the zero matrix of whatever shape is expected: the
/// contract's answer for an identically zero derivative.
fn zero_of_any_shape(answer: &Compiled, expected: &crate::expr::Shape) -> Option<Compiled> {
    let t = &answer.typed;
    let zero = t.shape.is_scalar()
        && t.is_constant()
        && eval::<f64>(t, &Default::default(), &[]).is_ok_and(|v| v[(0, 0)] == 0.0);
    zero.then(|| Compiled {
        ast: answer.ast.clone(),
        typed: crate::expr::Typed {
            op: crate::expr::Op::Fill(crate::expr::Fill::Zeros),
            shape: expected.clone(),
            span: t.span,
        },
        read_as: answer.read_as.clone(),
    })
}

fn wrong_shape(
    problem: &Problem,
    answer: &Compiled,
    opts: &Options,
    mut g: Grade,
) -> Result<Grade, ProblemError> {
    g.verdict = Verdict::WrongShape;
    // The layout slip: the answer's transpose has the expected shape and value.
    if answer.shape().transposed() == problem.expected
        && let Trials::Ran(ran) = trials::run(problem, answer, opts, Judge::Transposed)?
    {
        g.trials = ran.len();
        if ran.judged.iter().all(|&fits| fits) {
            g.diagnosis = Some(crate::grade::Diagnosis::Transpose);
        }
    }
    g.message = message::wrong_shape(problem, answer, g.diagnosis);
    Ok(g)
}

fn values(
    problem: &Problem,
    answer: &Compiled,
    text: &str,
    opts: &Options,
    mut g: Grade,
) -> Result<Grade, ProblemError> {
    let ran = match trials::run(problem, answer, opts, Judge::Answer)? {
        Trials::Ran(ran) => ran,
        Trials::Undefined(e) => {
            g.verdict = Verdict::Incorrect;
            g.message = message::undefined(problem, &e, &part_of(text, &e));
            g.error = Some(e);
            return Ok(g);
        }
    };
    g.trials = ran.len();
    let worst = ran.worst;
    g.max_rel_error = Some(worst);
    if ran.judged.iter().all(|&fits| fits) {
        g.message = message::correct(problem, answer);
        return Ok(g);
    }
    // Wrong: the diagnoses look at every trial again.
    let trials = ran.whole(problem, answer)?;
    g.verdict = Verdict::Incorrect;
    g.diagnosis = diagnose(problem, answer, &trials);
    g.message = if g.diagnosis.is_none()
        && trials.iter().all(|t| {
            let z = DMatrix::zeros(t.answer.nrows(), t.answer.ncols());
            t.fits(problem, &z, &z)
        }) {
        message::not_zero(problem)
    } else {
        message::incorrect(problem, answer, g.diagnosis, worst)
    };
    Ok(g)
}

/// The part of the answer an evaluation error points at, as typed.
fn part_of(text: &str, e: &ExprError) -> String {
    let part: String = text
        .chars()
        .skip(e.span.start)
        .take(e.span.end.saturating_sub(e.span.start))
        .collect();
    part.trim().to_string()
}

/// Tries each diagnosis on the trials' own instances, in the contract's order.
fn diagnose(problem: &Problem, answer: &Compiled, trials: &[Trial]) -> Option<Diagnosis> {
    let all = |f: &dyn Fn(&Trial) -> bool| trials.iter().all(f);
    if problem.expected.is_square()
        && !problem.expected.is_scalar()
        && all(&|t| t.transpose_fits(problem))
    {
        return Some(Diagnosis::Transpose);
    }
    if all(&|t| t.fits(problem, &(-&t.answer), &t.answer_mag)) {
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
        let Some(mut tape) = problem.record_checked(&sym) else {
            continue;
        };
        let (Ok(truth), Ok(truth_mag), Ok((value, mag))) = (
            problem.true_probes_on(&sym, &tape, &t.seeds),
            problem.truth_magnitudes_on(&sym, &mut tape, &t.seeds),
            evaluate(answer, &sym),
        ) else {
            return false;
        };
        let fits = agree(
            &sym,
            Probed {
                values: &problem.probe(&value, &t.seeds),
                mags: &problem.probe_magnitude(&mag, &t.seeds),
            },
            Probed {
                values: &truth,
                mags: &truth_mag,
            },
        );
        if !fits {
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
