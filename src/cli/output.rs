//! Shared output helpers: every line written to stdout or stderr (through
//! `say!` and `tell!`, sanitised), JSON on stdout, exit codes.

use std::fmt;
use std::io::{self, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use nabla_engine::text::sanitize;

use nabla_engine::report::{Failure, FailureKind};
use serde_json::{Value, json};

/// Exit statuses of the contract.
pub const OK: u8 = 0;
pub const NOT_OK: u8 = 1;
pub const BAD_INPUT: u8 = 2;

pub fn exit(code: u8) -> ExitCode {
    ExitCode::from(code)
}

/// Set once stdout is found closed: nothing more is written to it.
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Text for a terminal that may lack Unicode fonts (`--ascii`): what the
/// renderer drew is ASCII already; this spells out whatever else a message
/// carries (`Aᵀ` → `A^T`). JSON is never folded: it is data, not drawing.
fn ascii_if_wanted(text: std::borrow::Cow<'_, str>) -> std::borrow::Cow<'_, str> {
    if nabla_engine::render::charset::ascii() && !text.is_ascii() {
        std::borrow::Cow::Owned(nabla_engine::render::charset::fold(&text).into_owned())
    } else {
        text
    }
}

/// One line on stdout (the `say!` macro), sanitised. A closed pipe stops
/// the output quietly; any other write error (`> /dev/full`, a full disk)
/// is said on stderr and ends the process with exit status 2 — a command
/// whose output was lost has failed.
pub fn write_stdout(args: fmt::Arguments<'_>) {
    let text = match args.as_str() {
        Some(s) => std::borrow::Cow::Borrowed(s),
        None => std::borrow::Cow::Owned(args.to_string()),
    };
    write_line(&text, true);
}

/// `text` and a newline on stdout, sanitised, and folded to ASCII with
/// `--ascii` when it is text for a person (`fold`), not data.
fn write_line(text: &str, fold: bool) {
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return;
    }
    let clean = sanitize(text);
    let clean = if fold { ascii_if_wanted(clean) } else { clean };
    let mut out = io::stdout().lock();
    // stdout is line-buffered: the newline flushes, so a failure shows here.
    let written = out
        .write_all(clean.as_bytes())
        .and_then(|()| out.write_all(b"\n"));
    match written {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
            STDOUT_CLOSED.store(true, Ordering::Relaxed);
        }
        Err(e) => {
            drop(out);
            tell!("nabla: cannot write the output: {e}");
            std::process::exit(BAD_INPUT.into());
        }
    }
}

/// One line on stderr (the `tell!` macro), sanitised; a failure is ignored.
pub fn write_stderr(args: fmt::Arguments<'_>) {
    let text = args.to_string();
    let mut line = ascii_if_wanted(sanitize(&text)).into_owned();
    line.push('\n');
    let _ = io::stderr().lock().write_all(line.as_bytes());
}

/// Every string of `v` (keys too) sanitised: JSON on a terminal (an
/// autograder's log) is as safe as text. serde_json escapes C0 controls
/// but writes C1 controls and bidi controls raw, and a consumer would
/// decode `\u001b` back into ESC.
pub fn sanitize_json(v: &mut Value) {
    match v {
        Value::String(s) => {
            if let std::borrow::Cow::Owned(clean) = sanitize(s) {
                *s = clean;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(sanitize_json),
        Value::Object(map) => {
            if map.keys().any(|k| !nabla_engine::text::is_clean(k)) {
                let old = std::mem::take(map);
                for (k, mut item) in old {
                    sanitize_json(&mut item);
                    map.insert(sanitize(&k).into_owned(), item);
                }
            } else {
                map.values_mut().for_each(sanitize_json);
            }
        }
        _ => {}
    }
}

pub fn print_json(v: &Value) {
    let mut v = v.clone();
    sanitize_json(&mut v);
    // One object, one line: easy for scripts to read. Data, so never
    // folded to ASCII (`--ascii` is about drawing).
    write_line(&v.to_string(), false);
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
        tell!("nabla: {}", e.report());
    } else {
        tell!("nabla: {what}: {}", e.report());
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

/// The course the command line asked for: the built-in lessons (unless
/// `--no-builtin`) and every `--lessons` pack on top; lessons that fail to
/// load (a clash of ids among them) are reported on stderr and the rest are
/// used. A `--lessons` folder that is not there is a failure (a bad command
/// line, not an empty course).
pub fn course(global: &super::args::Global) -> Result<nabla_engine::lesson::Course, Failure> {
    if let Some(dir) = global.lessons.iter().find(|d| !d.is_dir()) {
        return Err(Failure::new(
            FailureKind::Lessons,
            format!("--lessons {}: no such folder", dir.display()),
        ));
    }
    let dirs: Vec<&std::path::Path> = global.lessons.iter().map(|d| d.as_path()).collect();
    let course = nabla_engine::lesson::load::layered(!global.no_builtin, &dirs);
    if course.lessons.is_empty() && course.errors.is_empty() {
        tell!("nabla: no lesson files (*.toml) in the lessons folder");
    }
    for e in &course.errors {
        tell!("nabla: skipped {}", e.one_line());
    }
    if !course.errors.is_empty() {
        tell!(
            "nabla: {} lesson file{} skipped; the rest of the course is loaded (`nabla lint` shows every error)",
            course.errors.len(),
            if course.errors.len() == 1 { "" } else { "s" }
        );
    }
    Ok(course)
}

/// `course`, for a command without JSON output: a failure ends the process
/// with its message (exit 2).
pub fn load_course(global: &super::args::Global) -> nabla_engine::lesson::Course {
    course(global).unwrap_or_else(|e| {
        tell!("nabla: {}", e.message);
        std::process::exit(BAD_INPUT.into());
    })
}
