//! Shared output helpers: JSON on stdout, spans as `[start, end]`, exit codes.

use std::process::ExitCode;

use nabla_engine::expr::ExprError;
use serde_json::{Value, json};

/// Exit statuses of the contract.
pub const OK: u8 = 0;
pub const NOT_OK: u8 = 1;
pub const BAD_INPUT: u8 = 2;

pub fn exit(code: u8) -> ExitCode {
    ExitCode::from(code)
}

pub fn print_json(v: &Value) {
    // One object, one line: easy for scripts to read.
    say!("{v}");
}

pub fn error_json(e: &ExprError) -> Value {
    json!({ "message": e.message, "span": [e.span.start, e.span.end] })
}

/// The course the command line asked for; lessons that fail to load are
/// reported on stderr and the rest are used.
pub fn load_course(global: &super::args::Global) -> nabla_engine::lesson::Course {
    if let Some(dir) = &global.lessons
        && !dir.is_dir()
    {
        // A course folder that is not there is a bad command line, not an empty course.
        eprintln!("nabla: --lessons {}: no such folder", dir.display());
        std::process::exit(BAD_INPUT.into());
    }
    let course = nabla_engine::lesson::load::course(global.lessons.as_deref());
    if course.lessons.is_empty() && course.errors.is_empty() {
        eprintln!("nabla: no lesson files (*.toml) in the lessons folder");
    }
    for e in &course.errors {
        eprintln!(
            "nabla: skipping a lesson that does not load (run `nabla lint` for all errors):\n{e}"
        );
    }
    course
}

/// ∂F/∂X from the command line's F, --wrt, --given and --layout; a bad
/// declaration is reported with a caret into --given.
pub fn problem_from(
    f: &str,
    wrt: Option<&str>,
    given: &str,
    layout: nabla_engine::calculus::Layout,
) -> Result<nabla_engine::calculus::Problem, nabla_engine::calculus::ProblemError> {
    let decls = nabla_engine::expr::Decls::parse(given).map_err(|e| {
        nabla_engine::calculus::ProblemError {
            message: format!("--given: {}", e.message),
            source: Some((given.to_string(), e)),
        }
    })?;
    nabla_engine::calculus::Problem::new(decls, f, wrt, layout)
}
