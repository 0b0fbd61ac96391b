//! `nabla lint [PATH...]`: every error as `file:line:column: message` with
//! the source line; exit 1 if any error, 0 otherwise.

use std::process::ExitCode;

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
            read_file(p).map(|f| vec![f])
        };
        match read {
            Ok(fs) => files.extend(fs),
            Err(e) => errors.push(e),
        }
    }
    // Files that could not be read count as checked (and failed).
    let count = files.len() + errors.len();
    errors.extend(lint_files(files));
    for e in &errors {
        say!("{e}\n");
    }
    if errors.is_empty() {
        say!(
            "{count} lesson file{} checked: no errors",
            if count == 1 { "" } else { "s" }
        );
        exit(OK)
    } else {
        say!(
            "{} error{} in {count} lesson file{}",
            errors.len(),
            if errors.len() == 1 { "" } else { "s" },
            if count == 1 { "" } else { "s" }
        );
        exit(NOT_OK)
    }
}
