//! `nabla lint [PATH...]`: every error as `file:line:column: message` with
//! the source line, then every warning (characters students will not see
//! as written: controls, escape sequences, bidi controls, zero-width
//! characters) the same way; exit 1 if any error, 0 otherwise (warnings
//! alone do not fail).
//!
//! A pack is checked with what it builds on: the built-in course (unless
//! `--no-builtin`) and the `--lessons` folders not being linted. Those are
//! not linted again, but a lesson id of theirs reused is an error.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use nabla_engine::lesson::characters::warnings;
use nabla_engine::lesson::lint::lint_on;
use nabla_engine::lesson::load::{
    builtin_files, builtin_names_among, folder_files, layered, read_file,
};

use super::args::{Global, LintArgs};
use super::output::{NOT_OK, OK, exit};

pub fn run(global: &Global, args: &LintArgs) -> ExitCode {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let paths: Vec<PathBuf> = if args.paths.is_empty() {
        global.lessons.clone()
    } else {
        args.paths.clone()
    };
    // Nothing named: the built-in course itself is what is checked.
    let linting_builtin = paths.is_empty();
    if linting_builtin {
        files = builtin_files();
    }
    for p in &paths {
        let read = if p.is_dir() {
            folder_files(p)
        } else {
            Ok(vec![read_file(p)])
        };
        match read {
            Ok(fs) => {
                for f in fs {
                    match f {
                        Ok(f) => files.push(f),
                        Err(e) => errors.push(e),
                    }
                }
            }
            Err(e) => errors.push(e),
        }
    }
    let mut base = base_ids(global, &paths, linting_builtin);
    // Linting nabla's own lessons/ folder (or a copy of a built-in lesson)
    // lints those lessons; they do not clash with themselves.
    let same = builtin_names_among(&files);
    base.retain(|(_, name)| !same.contains(name));
    // Files that could not be read count as checked (and failed).
    let count = files.len() + errors.len();
    let warned: Vec<_> = files.iter().flat_map(warnings).collect();
    errors.extend(lint_on(&base, files));
    for e in errors.iter().chain(&warned) {
        say!("{e}\n");
    }
    let s = |n: usize| if n == 1 { "" } else { "s" };
    let and_warnings = match warned.len() {
        0 => String::new(),
        n => format!(", {n} warning{}", s(n)),
    };
    if errors.is_empty() {
        say!(
            "{count} lesson file{} checked: no errors{and_warnings}",
            s(count)
        );
        exit(OK)
    } else {
        say!(
            "{} error{} in {count} lesson file{}{and_warnings}",
            errors.len(),
            s(errors.len()),
            s(count)
        );
        exit(NOT_OK)
    }
}

/// The lessons the linted files build on, as `(id, file)`: the built-in
/// course (unless it is what is being linted, or `--no-builtin`) and the
/// `--lessons` folders that are not among the linted paths.
fn base_ids(global: &Global, linted: &[PathBuf], linting_builtin: bool) -> Vec<(String, String)> {
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    };
    let dirs: Vec<&Path> = global
        .lessons
        .iter()
        .filter(|d| !linted.iter().any(|p| same(p, d)))
        .map(PathBuf::as_path)
        .collect();
    let base = layered(!global.no_builtin && !linting_builtin, &dirs);
    base.lessons
        .iter()
        .map(|l| (l.id().to_string(), l.file.name.clone()))
        .collect()
}
