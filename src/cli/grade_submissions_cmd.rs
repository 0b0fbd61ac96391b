//! `nabla grade-submissions ASSIGNMENT DIR [--format csv|json|gradescope]
//! [--out FILE]`: every submission file of DIR re-graded from its answers
//! (`nabla_engine::classroom::gradebook`), the gradebook on stdout or in
//! FILE, and on stderr the submissions not graded (with why) and the
//! mistakes most common in the class, per exercise. Exit 0 when every
//! submission was graded, 1 when some were not (they are in the gradebook
//! with 0), 2 when nothing could be graded (a bad assignment or folder).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use nabla_engine::classroom::export;
use nabla_engine::classroom::gradebook::Gradebook;
use nabla_engine::classroom::submission::{self, Problem, Submission};
use nabla_engine::classroom::{Assignment, grade_all};

use super::args::{Global, GradeSubmissionsArgs, GradebookFormat};
use super::output::{BAD_INPUT, NOT_OK, OK, course, exit, sanitize_json};

/// The submission files: DIR's `*.json` files (not recursive), sorted by
/// name, or DIR itself when it is a file.
fn submission_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    if dir.is_file() {
        return Ok(vec![dir.to_path_buf()]);
    }
    let entries = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: cannot read the folder: {e}", dir.display()))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    Ok(files)
}

fn read_all(files: &[PathBuf], a: &Assignment) -> Vec<(String, Result<Submission, Problem>)> {
    files
        .iter()
        .map(|p| (p.display().to_string(), submission::read(p, a)))
        .collect()
}

fn render(g: &Gradebook, format: GradebookFormat) -> String {
    let pretty = |mut v: serde_json::Value| {
        sanitize_json(&mut v);
        serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
    };
    match format {
        GradebookFormat::Csv => export::csv(g),
        GradebookFormat::Json => pretty(export::json(g)),
        GradebookFormat::Gradescope => pretty(export::gradescope(g)),
    }
}

/// What an instructor reads after grading: who was not graded, and what
/// the class got wrong most.
fn summary(g: &Gradebook) {
    let graded = g.students.len();
    tell!(
        "{}: {graded} submission{} graded, {} not graded.",
        g.title,
        if graded == 1 { "" } else { "s" },
        g.problems.len()
    );
    for p in &g.problems {
        tell!("  not graded (0 points): {}: {}", p.file, p.reason);
    }
    for s in &g.students {
        for n in &s.notes {
            tell!("  {}: {n}", s.student);
        }
        for e in &s.exercises {
            for n in &e.notes {
                tell!("  {}, {}: {n}", s.student, e.id);
            }
        }
    }
    if graded == 0 {
        return;
    }
    tell!("Most common mistakes, per exercise:");
    for e in &g.exercises {
        let top: Vec<String> = e
            .mistakes
            .iter()
            .take(3)
            .map(|m| {
                format!(
                    "{} ({} student{})",
                    m.words,
                    m.students,
                    if m.students == 1 { "" } else { "s" }
                )
            })
            .collect();
        let what = if top.is_empty() {
            "no wrong answers".to_string()
        } else {
            top.join(", ")
        };
        tell!(
            "  {}: solved by {} of {}; {what}",
            e.id,
            e.solved_by,
            e.students
        );
    }
}

pub fn run(global: &Global, args: &GradeSubmissionsArgs) -> ExitCode {
    let course = match course(global) {
        Ok(c) => c,
        Err(e) => {
            tell!("nabla: {}", e.message);
            return exit(BAD_INPUT);
        }
    };
    let a = match Assignment::read(&args.assignment, &course) {
        Ok(a) => a,
        Err(m) => {
            tell!("nabla: {m}");
            return exit(BAD_INPUT);
        }
    };
    let files = match submission_files(&args.submissions) {
        Ok(f) => f,
        Err(m) => {
            tell!("nabla: {m}");
            return exit(BAD_INPUT);
        }
    };
    let g = grade_all(&a, &course, read_all(&files, &a));
    let text = render(&g, args.format);
    match &args.out {
        Some(path) => {
            if let Err(e) = std::fs::write(path, &text) {
                tell!("nabla: cannot write {}: {e}", path.display());
                return exit(BAD_INPUT);
            }
            say!("Wrote the gradebook to {}.", path.display());
        }
        None => say!("{}", text.trim_end()),
    }
    summary(&g);
    exit(if g.problems.is_empty() { OK } else { NOT_OK })
}
