//! The JSON contract (`docs/json.md`): every result of the scriptable
//! commands — parse, check, derive, list, show, grade — and every failure as
//! one JSON object carrying [`SCHEMA_VERSION`]. Built here, once, so the
//! command line's `--json` and the Python package give the same fields.
//!
//! A *result* is what the command was asked for, whatever the verdict: a
//! wrong or unreadable answer is a result (exit 1 on the command line). A
//! [`Failure`] is a command that could not run — a bad problem, unknown
//! exercise, bad declarations — (exit 2), always in one shape:
//! `{"schema_version": 1, "error": {"kind", "message", "location"?}}`.
//!
//! ```
//! use nabla_engine::report::{self, CheckRequest};
//!
//! let req = CheckRequest {
//!     wrt: Some("x"),
//!     ..CheckRequest::new("x' A x", "A: n x n; x: n", "(A + A')x")
//! };
//! let v = report::check(&req).unwrap();
//! assert_eq!(v["verdict"], "correct");
//! assert_eq!(v["schema_version"], report::SCHEMA_VERSION);
//!
//! let bad = CheckRequest { f: "x' A y", ..req };
//! let e = report::check(&bad).unwrap_err();
//! assert_eq!(e.kind.code(), "invalid_problem");
//! assert_eq!(e.to_json()["error"]["location"]["input"], "f");
//! ```

use serde_json::{Value, json};

use crate::calculus::symbolic::derive as derive_symbolic;
use crate::calculus::{Layout, Problem, ProblemError};
use crate::expr::{self, Decls, ErrorKind, ExprError, Span};
use crate::grade::{self, Diagnosis, Grade, Options};
use crate::lesson::Course;
use crate::lesson::exercise::{Located, find};
use crate::lesson::grading::{Outcome, grade_answer};
use crate::lesson::instance::{DEFAULT_SEED, Shown, show};

/// The version of every object's fields. Raised when a field changes meaning
/// or goes away; a new field does not raise it.
pub const SCHEMA_VERSION: u32 = 1;

/// Why a command could not run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailureKind {
    /// The command line itself is wrong (an unknown flag, a missing value).
    Usage,
    /// F, X or the declarations of a check or derive cannot make a problem
    /// (F does not parse, X is not declared, an unsupported derivative, F has
    /// no usable instance).
    InvalidProblem,
    /// `parse --given`: the declarations do not parse.
    InvalidDeclarations,
    /// No exercise with this id in the course.
    UnknownExercise,
    /// The exercise exists but this request cannot be served (a step it does
    /// not have; an instance that cannot be drawn).
    InvalidExercise,
    /// The lessons folder is missing or holds no usable lesson.
    Lessons,
}

impl FailureKind {
    /// The `error.kind` string of the contract.
    pub fn code(self) -> &'static str {
        match self {
            FailureKind::Usage => "usage",
            FailureKind::InvalidProblem => "invalid_problem",
            FailureKind::InvalidDeclarations => "invalid_declarations",
            FailureKind::UnknownExercise => "unknown_exercise",
            FailureKind::InvalidExercise => "invalid_exercise",
            FailureKind::Lessons => "lessons",
        }
    }
}

/// Where in the input a failure (or an answer's error) lies: which input
/// (`"f"`, `"wrt"`, `"given"`, `"answer"`, `"expr"`) and the span, in
/// characters of that input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub input: &'static str,
    pub span: Span,
}

impl Location {
    fn to_json(&self) -> Value {
        json!({ "input": self.input, "span": [self.span.start, self.span.end] })
    }
}

/// A command that could not run: the contract's one error object.
#[derive(Clone, Debug, PartialEq)]
pub struct Failure {
    pub kind: FailureKind,
    pub message: String,
    pub location: Option<Location>,
    /// The text the location points into, for a caret under it.
    pub source: Option<String>,
}

impl Failure {
    pub fn new(kind: FailureKind, message: impl Into<String>) -> Self {
        Failure {
            kind,
            message: message.into(),
            location: None,
            source: None,
        }
    }

    /// `{"schema_version", "error": {"kind", "message", "location"?}}`.
    pub fn to_json(&self) -> Value {
        let mut error = json!({ "kind": self.kind.code(), "message": self.message });
        if let Some(l) = &self.location {
            error["location"] = l.to_json();
        }
        json!({ "schema_version": SCHEMA_VERSION, "error": error })
    }

    /// The message, with the offending text and a caret under it when the
    /// failure points into an input.
    pub fn report(&self) -> String {
        match (&self.location, &self.source) {
            (Some(l), Some(text)) => {
                let e = ExprError::new(ErrorKind::Syntax, "", l.span);
                format!("{}\n{}", self.message, e.with_caret(text).trim_end())
            }
            _ => self.message.clone(),
        }
    }

    /// A problem error, located in whichever of the request's inputs it
    /// points into.
    fn problem(e: ProblemError, inputs: &[(&'static str, &str)]) -> Self {
        let mut f = Failure::new(FailureKind::InvalidProblem, e.message);
        if let Some((text, err)) = e.source {
            f.location = inputs
                .iter()
                .find(|(_, t)| *t == text)
                .map(|(input, _)| Location {
                    input,
                    span: err.span,
                });
            f.source = Some(text);
        }
        f
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Failure {}

/// The `error` object of a result whose expression did not read (parse,
/// or check's `invalid_answer`): `{"kind", "message", "span", "location"}`.
/// `span` is the first contract's field; `location` says the same with the
/// input's name.
pub fn expr_error_json(e: &ExprError, input: &'static str) -> Value {
    let kind = match e.kind {
        ErrorKind::Syntax => "syntax",
        ErrorKind::Name => "name",
        ErrorKind::Shape => "shape",
        ErrorKind::Declaration => "declaration",
        ErrorKind::Eval => "undefined",
    };
    json!({
        "kind": kind,
        "message": e.message,
        "span": [e.span.start, e.span.end],
        "location": Location { input, span: e.span }.to_json(),
    })
}

/// `parse`: the read-back and shape of `expr` under `given`. An expression
/// that does not read is a result with `error` (and exit 1 on the command
/// line); declarations that do not parse are a failure.
pub fn parse(text: &str, given: Option<&str>) -> Result<Value, Failure> {
    let decls = match given.map(Decls::parse).transpose() {
        Ok(d) => d,
        Err(e) => {
            return Err(Failure {
                kind: FailureKind::InvalidDeclarations,
                message: format!("in --given: {}", e.message),
                location: Some(Location {
                    input: "given",
                    span: e.span,
                }),
                source: given.map(str::to_string),
            });
        }
    };
    Ok(match expr::compile(text, decls.as_ref()) {
        Ok(c) => json!({
            "schema_version": SCHEMA_VERSION,
            "read_as": c.read_as,
            "shape": c.shape().to_string(),
        }),
        Err(e) => {
            let read_as = expr::parse(text, decls.as_ref())
                .ok()
                .map(|a| expr::print(&a));
            json!({
                "schema_version": SCHEMA_VERSION,
                "read_as": read_as,
                "shape": null,
                "error": expr_error_json(&e, "expr"),
            })
        }
    })
}

/// What `check` is asked: ∂F/∂X under the declarations, and the answer.
#[derive(Clone, Debug)]
pub struct CheckRequest<'a> {
    pub f: &'a str,
    /// Left out when F has exactly one declared name.
    pub wrt: Option<&'a str>,
    pub given: &'a str,
    pub answer: &'a str,
    pub layout: Layout,
    /// The default seed (the contract's) when `None`.
    pub seed: Option<u64>,
    /// The default trial count when `None`.
    pub trials: Option<usize>,
}

impl<'a> CheckRequest<'a> {
    /// A request with the defaults: X inferred, numerator layout, the
    /// default seed and trial count.
    pub fn new(f: &'a str, given: &'a str, answer: &'a str) -> Self {
        CheckRequest {
            f,
            wrt: None,
            given,
            answer,
            layout: Layout::Numerator,
            seed: None,
            trials: None,
        }
    }
}

/// ∂F/∂X as a [`Problem`], a failure located in F, X or the declarations.
pub fn problem(
    f: &str,
    wrt: Option<&str>,
    given: &str,
    layout: Layout,
) -> Result<Problem, Failure> {
    let inputs = [("f", f), ("wrt", wrt.unwrap_or("")), ("given", given)];
    let decls = Decls::parse(given).map_err(|e| Failure {
        kind: FailureKind::InvalidProblem,
        message: format!("--given: {}", e.message),
        location: Some(Location {
            input: "given",
            span: e.span,
        }),
        source: Some(given.to_string()),
    })?;
    Problem::new(decls, f, wrt, layout).map_err(|e| Failure::problem(e, &inputs))
}

/// The grading options of a request: its seed and trials, or the defaults.
fn options(seed: Option<u64>, trials: Option<usize>) -> Options {
    let d = Options::default();
    Options {
        trials: trials.unwrap_or(d.trials),
        seed: seed.unwrap_or(d.seed),
    }
}

/// `check`: the typed grade (for a front end that words it itself).
pub fn check_grade(req: &CheckRequest<'_>) -> Result<Grade, Failure> {
    let p = problem(req.f, req.wrt, req.given, req.layout)?;
    let inputs = [("f", req.f), ("given", req.given)];
    grade::grade(&p, req.answer, &options(req.seed, req.trials))
        .map_err(|e| Failure::problem(e, &inputs))
}

/// `check --order 2`: grades `req.answer` as the Hessian of a scalar F by
/// a vector (the layout does not matter: a Hessian is symmetric in form).
pub fn check_hessian_grade(req: &CheckRequest<'_>) -> Result<Grade, Failure> {
    let p = hessian_problem(req.f, req.wrt, req.given)?;
    let inputs = [("f", req.f), ("given", req.given)];
    grade::grade(&p, req.answer, &options(req.seed, req.trials))
        .map_err(|e| Failure::problem(e, &inputs))
}

/// `derive --order 2`: the Hessian, derived and checked (`calculus::second`).
pub fn derive_hessian(
    f: &str,
    wrt: Option<&str>,
    given: &str,
    steps: bool,
) -> Result<Value, Failure> {
    let p = hessian_problem(f, wrt, given)?;
    let d = crate::calculus::second::derive_hessian(&p)
        .map_err(|m| Failure::new(FailureKind::InvalidProblem, m))?;
    Ok(derivation_json(&d, steps))
}

/// The object `derive` prints: the derivative, its shape, and the steps on request.
fn derivation_json(d: &crate::calculus::symbolic::Derivation, steps: bool) -> Value {
    let mut v = json!({
        "schema_version": SCHEMA_VERSION,
        "derivative": d.text,
        "shape": d.shape.to_string(),
    });
    if steps {
        v["steps"] = json!(d.steps);
    }
    v
}

fn hessian_problem(f: &str, wrt: Option<&str>, given: &str) -> Result<Problem, Failure> {
    let first = problem(f, wrt, given, Layout::Numerator)?;
    let inputs = [("f", f), ("wrt", wrt.unwrap_or("")), ("given", given)];
    let x = first.wrt_name().to_string();
    Problem::hessian(first.decls, f, Some(&x)).map_err(|e| Failure::problem(e, &inputs))
}

/// `check`: the verdict object.
pub fn check(req: &CheckRequest<'_>) -> Result<Value, Failure> {
    check_grade(req).map(|g| grade_json(&g))
}

/// The fields of a grade: `verdict`, `message`, `expected_shape`,
/// `answer_shape`, `read_as`, `diagnosis`, `scale` (with the scale
/// diagnosis), `error` (when the answer did not read, or is undefined where
/// F is fine), `trials`, `max_rel_error`.
pub fn grade_json(g: &Grade) -> Value {
    let mut v = json!({
        "schema_version": SCHEMA_VERSION,
        "verdict": g.verdict.code(),
        "message": g.message,
        // Choice exercises have no shape to expect.
        "expected_shape": (!g.expected_shape.is_empty()).then_some(&g.expected_shape),
        "answer_shape": g.answer_shape,
        "read_as": g.read_as,
        "diagnosis": g.diagnosis.map(Diagnosis::code),
        "trials": g.trials,
        "max_rel_error": g.max_rel_error,
    });
    if let Some(Diagnosis::Scale(c)) = g.diagnosis {
        v["scale"] = json!(c);
    }
    if let Some(e) = &g.error {
        v["error"] = expr_error_json(e, "answer");
    }
    v
}

/// `derive`: the derivative nabla works out, its shape, and with `steps`
/// the derivation rule by rule.
pub fn derive(
    f: &str,
    wrt: Option<&str>,
    given: &str,
    layout: Layout,
    steps: bool,
) -> Result<Value, Failure> {
    let p = problem(f, wrt, given, layout)?;
    // A matrix F or X: the vec-convention Jacobian, read off ⟨U, F⟩'s gradient.
    let vec_convention = p.kind == crate::calculus::Kind::Jacobian
        && !(p.f.shape().is_vector() && p.decls.entries[p.wrt].shape.is_vector());
    let d = if vec_convention {
        crate::calculus::vec_jacobian::derive_vec_jacobian(&p)
    } else {
        derive_symbolic(&p)
    }
    .map_err(|m| Failure::new(FailureKind::InvalidProblem, m))?;
    Ok(derivation_json(&d, steps))
}

/// `list`: the lessons in order, each with its exercises.
pub fn list(course: &Course) -> Value {
    let lessons: Vec<Value> = course
        .lessons
        .iter()
        .map(|l| {
            let exercises: Vec<Value> = l
                .data
                .exercises
                .iter()
                .map(|ex| {
                    let loc = Located { lesson: l, ex };
                    json!({ "id": loc.id(), "kind": ex.kind.get_ref(), "title": ex.title.get_ref() })
                })
                .collect();
            json!({
                "id": l.id(),
                "title": l.title(),
                "order": l.data.order,
                "summary": l.data.summary.as_ref().map(|s| s.get_ref()),
                "exercises": exercises,
            })
        })
        .collect();
    // The files that were not loaded, so a script sees the course is
    // incomplete (the text output says it on stderr).
    let skipped: Vec<Value> = course
        .errors
        .iter()
        .map(
            |e| json!({ "file": e.file, "line": e.line, "column": e.column, "message": e.message }),
        )
        .collect();
    json!({ "schema_version": SCHEMA_VERSION, "lessons": lessons, "skipped": skipped })
}

fn locate<'a>(course: &'a Course, id: &str) -> Result<Located<'a>, Failure> {
    find(course, id).map_err(|m| Failure::new(FailureKind::UnknownExercise, m))
}

/// `show`: one instance of an exercise (the same id and seed, the same
/// instance): `id`, `lesson`, `kind`, `title`, `prompt`, `given`, and where
/// the kind has them `f`, `wrt`, `values`, `choices`, `expected_shape`,
/// `forward`, `steps`; `hints` (how many), `seed`.
pub fn exercise(course: &Course, id: &str, seed: Option<u64>) -> Result<Value, Failure> {
    let seed = seed.unwrap_or(DEFAULT_SEED);
    let shown = shown(course, id, Some(seed))?;
    let mut v = serde_json::to_value(&shown).unwrap_or_default();
    v["schema_version"] = json!(SCHEMA_VERSION);
    v["seed"] = json!(seed);
    Ok(v)
}

/// `show`: the typed instance (for a front end that lays it out itself).
pub fn shown(course: &Course, id: &str, seed: Option<u64>) -> Result<Shown, Failure> {
    show(locate(course, id)?, seed.unwrap_or(DEFAULT_SEED))
        .map_err(|m| Failure::new(FailureKind::InvalidExercise, m))
}

/// `grade`: an answer to the instance `show` gives for this id and seed
/// (`step`, 0-based, for a backprop step): the fields of [`grade_json`], plus
/// `feedback` and `diagnosis: "known_mistake"` when a lesson's known mistake
/// matched, and `wrong_entries` (1-based `[row, column]`) for numbers.
pub fn grade(
    course: &Course,
    id: &str,
    seed: Option<u64>,
    answer: &str,
    step: Option<usize>,
) -> Result<Value, Failure> {
    grade_outcome(course, id, seed, answer, step).map(|o| outcome_json(&o))
}

/// `grade`: the typed outcome.
pub fn grade_outcome(
    course: &Course,
    id: &str,
    seed: Option<u64>,
    answer: &str,
    step: Option<usize>,
) -> Result<Outcome, Failure> {
    let loc = locate(course, id)?;
    grade_answer(loc, seed.unwrap_or(DEFAULT_SEED), answer, step)
        .map_err(|m| Failure::new(FailureKind::InvalidExercise, m))
}

/// The JSON of a lesson grade.
pub fn outcome_json(out: &Outcome) -> Value {
    let mut v = grade_json(&out.grade);
    if let Some(f) = &out.feedback {
        v["feedback"] = json!(f);
        v["diagnosis"] = json!("known_mistake");
    }
    if !out.wrong_entries.is_empty() {
        v["wrong_entries"] = json!(
            out.wrong_entries
                .iter()
                .map(|(i, j)| [i, j])
                .collect::<Vec<_>>()
        );
    }
    v
}

/// Whether a result object says the answer is right (exit 0), for a caller
/// that only has the JSON.
pub fn is_correct(v: &Value) -> bool {
    v["verdict"] == "correct"
}
