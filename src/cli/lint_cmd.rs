//! `nabla lint [PATH...]`: every error as `file:line:column: message` with
//! the source line, then every warning (characters students will not see
//! as written: controls, escape sequences, bidi controls, zero-width
//! characters) the same way; exit 1 if any error, 0 otherwise (warnings
//! alone do not fail).

use std::process::ExitCode;

use nabla_engine::lesson::characters::warnings;
use nabla_engine::lesson::lint::lint_files;
use nabla_engine::lesson::load::{builtin_files, folder_files, read_file};

use super::args::{Global, LintArgs};
use super::output::{NOT_OK, OK, exit};

pub fn run(global: &Global, args: &LintArgs) -> ExitCode {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let paths: Vec<std::path::PathBuf> = if args.paths.is_empty() {
        global.lessons.iter().cloned().collect()
    } else {
        args.paths.clone()
    };
    if paths.is_empty() {
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
    // Files that could not be read count as checked (and failed).
    let count = files.len() + errors.len();
    let warned: Vec<_> = files.iter().flat_map(warnings).collect();
    errors.extend(lint_files(files));
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
