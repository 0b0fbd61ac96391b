//! `nabla._nabla`, the native half of the Python package `nabla`.
//!
//! Every function here is one call into [`nabla_engine::report`], the JSON
//! contract (`docs/json.md`): the object it builds becomes a Python dict with
//! the same fields, and a [`Failure`] becomes an exception of the class the
//! pure-Python half defines for its kind (`nabla/_errors.py`), carrying
//! `kind`, `message` and `location`. The engine runs with the GIL released,
//! inside `catch_unwind`: a panic in the engine is an `InternalError`, never
//! a crash of the interpreter.
//!
//! The public, documented functions are the wrappers in `nabla/__init__.py`;
//! these take their arguments positionally.

use std::ffi::CString;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use nabla_engine::calculus::Layout;
use nabla_engine::lesson::{Course, load};
use nabla_engine::report::{self, CheckRequest, Failure, FailureKind};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyInt, PyList, PyString};
use serde_json::Value;

/// The built-in course, loaded once per process (it is embedded, pre-parsed,
/// in the engine).
fn builtin() -> &'static Course {
    static BUILTIN: OnceLock<Course> = OnceLock::new();
    BUILTIN.get_or_init(load::builtin)
}

/// The largest `trials` the command line accepts (`--trials 1..=1000`).
const MAX_TRIALS: usize = 1000;

// ---------------------------------------------------------------------------
// Engine calls: GIL released, panics caught.

/// What an engine call gave: its object, or why it could not run, and the
/// messages of lesson files that did not load (warned about once the GIL is
/// back).
struct Done {
    result: Result<Value, Failure>,
    warnings: Vec<String>,
}

/// Runs `f` with the GIL released and panics caught, then turns its result
/// into a Python object or exception.
fn run<F>(py: Python<'_>, f: F) -> PyResult<Py<PyAny>>
where
    F: FnOnce() -> Done + Send,
{
    let done = py.detach(move || catch_unwind(AssertUnwindSafe(f)));
    let done = match done {
        Ok(d) => d,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic without a message".to_string());
            return Err(raise(
                py,
                "internal",
                &format!("nabla's engine failed (a bug; please report it): {what}"),
                None,
            ));
        }
    };
    for w in &done.warnings {
        warn(py, w)?;
    }
    match done.result {
        Ok(v) => Ok(to_py(py, &v)?.unbind()),
        Err(e) => Err(failure(py, &e)),
    }
}

/// A call that needs no course.
fn plain<F>(py: Python<'_>, f: F) -> PyResult<Py<PyAny>>
where
    F: FnOnce() -> Result<Value, Failure> + Send,
{
    run(py, move || Done {
        result: f(),
        warnings: Vec::new(),
    })
}

/// A call on the course: the built-in one, or the lessons folder's (read
/// afresh on every call, so an edited lesson is seen at once).
fn on_course<F>(py: Python<'_>, lessons: Option<PathBuf>, f: F) -> PyResult<Py<PyAny>>
where
    F: FnOnce(&Course) -> Result<Value, Failure> + Send,
{
    run(py, move || match lessons {
        None => Done {
            result: f(builtin()),
            warnings: Vec::new(),
        },
        Some(dir) => match folder(&dir) {
            Ok((course, warnings)) => Done {
                result: f(&course),
                warnings,
            },
            Err(e) => Done {
                result: Err(e),
                warnings: Vec::new(),
            },
        },
    })
}

/// The course of a lessons folder, with the errors of the files that did
/// not load (the rest are used, as on the command line). A folder that is
/// not there, or where no lesson loads, is the contract's `lessons` failure.
fn folder(dir: &Path) -> Result<(Course, Vec<String>), Failure> {
    if !dir.is_dir() {
        return Err(Failure::new(
            FailureKind::Lessons,
            format!("lessons={}: no such folder", dir.display()),
        ));
    }
    let course = load::course(Some(dir));
    let errors: Vec<String> = course.errors.iter().map(|e| e.to_string()).collect();
    if course.lessons.is_empty() {
        let why = match errors.first() {
            None => "it has no lesson files (*.toml)".to_string(),
            Some(first) => format!("none of its lesson files loads; the first error:\n{first}"),
        };
        return Err(Failure::new(
            FailureKind::Lessons,
            format!("lessons={}: {why}", dir.display()),
        ));
    }
    Ok((course, errors))
}

// ---------------------------------------------------------------------------
// Exceptions and warnings: the classes live in `nabla/_errors.py`.

fn errors_module(py: Python<'_>) -> PyResult<&Bound<'_, PyModule>> {
    static ERRORS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();
    ERRORS
        .get_or_try_init(py, || Ok(py.import("nabla._errors")?.unbind()))
        .map(|m| m.bind(py))
}

/// The exception class of a failure kind.
fn class_name(kind: &str) -> &'static str {
    match kind {
        "usage" => "UsageError",
        "invalid_problem" => "InvalidProblem",
        "invalid_declarations" => "InvalidDeclarations",
        "unknown_exercise" => "UnknownExercise",
        "invalid_exercise" => "InvalidExercise",
        "lessons" => "LessonsError",
        "internal" => "InternalError",
        _ => "Error",
    }
}

/// The `nabla.Error` subclass of `kind`, made with its message and location.
fn raise(py: Python<'_>, kind: &str, message: &str, location: Option<&Value>) -> PyErr {
    let made = || -> PyResult<PyErr> {
        let class = errors_module(py)?.getattr(class_name(kind))?;
        let location = match location {
            Some(l) => to_py(py, l)?,
            None => py.None().into_bound(py),
        };
        Ok(PyErr::from_value(class.call1((kind, message, location))?))
    };
    made().unwrap_or_else(|e| e)
}

/// A failure of the engine as its exception.
fn failure(py: Python<'_>, e: &Failure) -> PyErr {
    // The location as the contract writes it (`{"input", "span"}`).
    let json = e.to_json();
    raise(py, e.kind.code(), &e.message, json["error"].get("location"))
}

/// A bad argument on the Python side: `nabla.UsageError`.
fn usage(py: Python<'_>, message: String) -> PyErr {
    raise(py, "usage", &message, None)
}

/// A lesson file that did not load: `nabla.LessonsWarning`.
fn warn(py: Python<'_>, message: &str) -> PyResult<()> {
    let category = errors_module(py)?.getattr("LessonsWarning")?;
    let text = CString::new(message.replace('\0', " ")).unwrap_or_default();
    PyErr::warn(py, &category, &text, 2)
}

// ---------------------------------------------------------------------------
// Arguments.

fn layout(py: Python<'_>, name: &str) -> PyResult<Layout> {
    match name {
        "numerator" => Ok(Layout::Numerator),
        "denominator" => Ok(Layout::Denominator),
        _ => Err(usage(
            py,
            format!("layout must be 'numerator' or 'denominator', not {name:?}"),
        )),
    }
}

/// An optional whole number (a Python `int`, not a `bool`), at least `min`
/// and at most `max`: a `TypeError` for another type, a `UsageError` out of
/// range.
fn whole(
    py: Python<'_>,
    what: &str,
    value: Option<&Bound<'_, PyAny>>,
    min: u64,
    max: u64,
) -> PyResult<Option<u64>> {
    let Some(v) = value.filter(|v| !v.is_none()) else {
        return Ok(None);
    };
    if !v.is_instance_of::<PyInt>() || v.is_instance_of::<PyBool>() {
        let ty = v.get_type().name()?;
        return Err(PyTypeError::new_err(format!(
            "{what} must be an int or None, not {ty}"
        )));
    }
    match v.extract::<u64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(Some(n)),
        _ => Err(usage(
            py,
            format!("{what} must be a whole number from {min} to {max}, not {v}"),
        )),
    }
}

fn seed(py: Python<'_>, value: Option<&Bound<'_, PyAny>>) -> PyResult<Option<u64>> {
    whole(py, "seed", value, 0, u64::MAX)
}

// ---------------------------------------------------------------------------
// serde_json → Python.

fn to_py<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else {
                n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any()
            }
        }
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for x in items {
                list.append(to_py(py, x)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, x) in map {
                dict.set_item(k, to_py(py, x)?)?;
            }
            dict.into_any()
        }
    })
}

// ---------------------------------------------------------------------------
// The functions.

/// parse(expr, given) -> dict
#[pyfunction]
#[pyo3(signature = (expr, given=None))]
fn parse(py: Python<'_>, expr: &str, given: Option<&str>) -> PyResult<Py<PyAny>> {
    plain(py, || report::parse(expr, given))
}

/// check(f, wrt, given, answer, layout, seed, trials) -> dict
#[pyfunction]
#[pyo3(signature = (f, wrt, given, answer, layout="numerator", seed=None, trials=None))]
#[allow(clippy::too_many_arguments)]
fn check(
    py: Python<'_>,
    f: &str,
    wrt: Option<&str>,
    given: &str,
    answer: &str,
    layout: &str,
    seed: Option<&Bound<'_, PyAny>>,
    trials: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let req = CheckRequest {
        f,
        wrt,
        given,
        answer,
        layout: self::layout(py, layout)?,
        seed: self::seed(py, seed)?,
        trials: whole(py, "trials", trials, 1, MAX_TRIALS as u64)?.map(|t| t as usize),
    };
    plain(py, || report::check(&req))
}

/// derive(f, wrt, given, steps, layout) -> dict
#[pyfunction]
#[pyo3(signature = (f, wrt, given, steps=false, layout="numerator"))]
fn derive(
    py: Python<'_>,
    f: &str,
    wrt: Option<&str>,
    given: &str,
    steps: bool,
    layout: &str,
) -> PyResult<Py<PyAny>> {
    let layout = self::layout(py, layout)?;
    plain(py, || report::derive(f, wrt, given, layout, steps))
}

/// lessons(lessons) -> dict
#[pyfunction]
#[pyo3(signature = (lessons=None))]
fn lessons(py: Python<'_>, lessons: Option<PathBuf>) -> PyResult<Py<PyAny>> {
    on_course(py, lessons, |c| Ok(report::list(c)))
}

/// exercise(id, seed, lessons) -> dict
#[pyfunction]
#[pyo3(signature = (id, seed=None, lessons=None))]
fn exercise(
    py: Python<'_>,
    id: &str,
    seed: Option<&Bound<'_, PyAny>>,
    lessons: Option<PathBuf>,
) -> PyResult<Py<PyAny>> {
    let seed = self::seed(py, seed)?;
    on_course(py, lessons, |c| report::exercise(c, id, seed))
}

/// grade(id, seed, answer, lessons, step) -> dict; `step` from 1.
#[pyfunction]
#[pyo3(signature = (id, seed, answer, lessons=None, step=None))]
fn grade(
    py: Python<'_>,
    id: &str,
    seed: Option<&Bound<'_, PyAny>>,
    answer: &str,
    lessons: Option<PathBuf>,
    step: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let seed = self::seed(py, seed)?;
    // 1-based like the command line's --step K; the report's is 0-based.
    let step = whole(py, "step", step, 1, u32::MAX as u64)?.map(|k| k as usize - 1);
    on_course(py, lessons, |c| report::grade(c, id, seed, answer, step))
}

/// Panics inside the engine-call wrapper: for the tests of `InternalError`.
#[pyfunction]
fn _panic_for_tests(py: Python<'_>) -> PyResult<Py<PyAny>> {
    plain(py, || panic!("a panic asked for by the tests"))
}

#[pymodule]
fn _nabla(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("SCHEMA_VERSION", report::SCHEMA_VERSION)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(parse, m)?)?;
    m.add_function(wrap_pyfunction!(check, m)?)?;
    m.add_function(wrap_pyfunction!(derive, m)?)?;
    m.add_function(wrap_pyfunction!(lessons, m)?)?;
    m.add_function(wrap_pyfunction!(exercise, m)?)?;
    m.add_function(wrap_pyfunction!(grade, m)?)?;
    m.add_function(wrap_pyfunction!(_panic_for_tests, m)?)?;
    Ok(())
}
