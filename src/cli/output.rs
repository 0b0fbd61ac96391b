//! Shared output helpers: JSON on stdout, spans as `[start, end]`, exit codes.

use std::process::ExitCode;

use nabla_engine::report::{Failure, FailureKind};
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

/// A command that could not run: the contract's error object on stdout
/// with `--json` (docs/json.md), and `nabla: WHAT: message` with a caret on
/// stderr either way (`nabla: message` when WHAT is empty). Exit 2.
pub fn fail(json_out: bool, what: &str, e: &Failure) -> ExitCode {
    if json_out {
        print_json(&e.to_json());
    }
    tell(what, e)
}

fn tell(what: &str, e: &Failure) -> ExitCode {
    if what.is_empty() {
        eprintln!("nabla: {}", e.report());
    } else {
        eprintln!("nabla: {what}: {}", e.report());
    }
    exit(BAD_INPUT)
}

/// `fail` for `check` and `grade`, whose failures also carry the first
/// contract's `verdict: "invalid_problem"` and `message`.
pub fn fail_with_verdict(json_out: bool, what: &str, e: &Failure) -> ExitCode {
    if json_out {
        let mut v = e.to_json();
        v["verdict"] = json!("invalid_problem");
        v["message"] = json!(e.message);
        print_json(&v);
    }
    tell(what, e)
}

/// The course the command line asked for; lessons that fail to load are
/// reported on stderr and the rest are used. A `--lessons` folder that is
/// not there is a failure (a bad command line, not an empty course).
pub fn course(global: &super::args::Global) -> Result<nabla_engine::lesson::Course, Failure> {
    if let Some(dir) = &global.lessons
        && !dir.is_dir()
    {
        return Err(Failure::new(
            FailureKind::Lessons,
            format!("--lessons {}: no such folder", dir.display()),
        ));
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
    Ok(course)
}

/// `course`, for a command without JSON output: a failure ends the process
/// with its message (exit 2).
pub fn load_course(global: &super::args::Global) -> nabla_engine::lesson::Course {
    course(global).unwrap_or_else(|e| {
        eprintln!("nabla: {}", e.message);
        std::process::exit(BAD_INPUT.into());
    })
}
