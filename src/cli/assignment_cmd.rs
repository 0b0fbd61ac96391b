//! `nabla assignment FILE --student ID` opens the tutor on an assignment
//! (its exercises in order, each on the student's own instance), and
//! `nabla submit FILE --student ID` writes the submission file from the
//! progress database, where the tutor keeps every graded answer. Leaving
//! the tutor writes the submission too.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use nabla_engine::classroom::Assignment;
use nabla_engine::classroom::assignment::check_student;
use nabla_engine::classroom::collect::from_log;
use nabla_engine::lesson::Course;
use nabla_engine::progress::{Store, now};
use nabla_engine::report::{Failure, FailureKind};

use super::args::{AssignmentArgs, Global};
use super::output::{BAD_INPUT, OK, course, exit};

/// The course and the assignment read against it, for `student`.
pub fn load(global: &Global, file: &Path, student: &str) -> Result<(Course, Assignment), Failure> {
    check_student(student).map_err(|m| Failure::new(FailureKind::Usage, m))?;
    let course = course(global)?;
    let a = Assignment::read(file, &course).map_err(|m| Failure::new(FailureKind::Usage, m))?;
    Ok((course, a))
}

fn fail(e: &Failure) -> ExitCode {
    tell!("nabla: {}", e.message);
    exit(BAD_INPUT)
}

/// Where the submission goes: `--out`, or `STEM-STUDENT.json` here.
fn out_path(args: &AssignmentArgs) -> PathBuf {
    args.out.clone().unwrap_or_else(|| {
        let stem = args
            .assignment
            .file_stem()
            .map_or("assignment".into(), |s| s.to_string_lossy().into_owned());
        PathBuf::from(format!("{stem}-{}.json", args.student))
    })
}

/// Writes the submission from the progress log; says where and how much.
fn write_submission(
    global: &Global,
    a: &Assignment,
    args: &AssignmentArgs,
) -> Result<PathBuf, String> {
    let (mut store, message) = Store::open(global.progress.as_deref());
    if let Some(m) = message {
        tell!("nabla: {m}");
    }
    let log = store
        .history(None)
        .map_err(|e| format!("cannot read the progress in {}: {e}", store.path.display()))?;
    let s = from_log(a, &args.student, &log, now());
    let path = out_path(args);
    std::fs::write(&path, s.to_json() + "\n")
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    let answered = s.exercises.iter().filter(|e| !e.answers.is_empty()).count();
    let answers: usize = s.exercises.iter().map(|e| e.answers.len()).sum();
    say!(
        "Wrote {}: {answers} answer{} to {answered} of the {} exercises of \"{}\". Hand this file in.",
        path.display(),
        if answers == 1 { "" } else { "s" },
        a.items.len(),
        a.title
    );
    Ok(path)
}

pub fn submit(global: &Global, args: &AssignmentArgs) -> ExitCode {
    let (_, a) = match load(global, &args.assignment, &args.student) {
        Ok(x) => x,
        Err(e) => return fail(&e),
    };
    match write_submission(global, &a, args) {
        Ok(_) => exit(OK),
        Err(m) => {
            tell!("nabla: {m}");
            exit(BAD_INPUT)
        }
    }
}

pub fn open(global: &Global, args: &AssignmentArgs) -> ExitCode {
    let (course, a) = match load(global, &args.assignment, &args.student) {
        Ok(x) => x,
        Err(e) => return fail(&e),
    };
    drop(course);
    let seeds = a
        .items
        .iter()
        .map(|i| (i.id.clone(), a.seed(&args.student, &i.id)))
        .collect();
    let ids = a.items.iter().map(|i| i.id.clone()).collect();
    let notice = format!(
        "{}: {} exercises; the first {} answers to each count. Leaving writes your submission.",
        a.title,
        a.items.len(),
        a.attempts
    );
    let code = super::home::assignment(global, ids, seeds, a.attempts, notice);
    if code != exit(OK) {
        return code;
    }
    match write_submission(global, &a, args) {
        Ok(_) => exit(OK),
        Err(m) => {
            tell!("nabla: {m}");
            exit(BAD_INPUT)
        }
    }
}
