//! The scriptable face of the engine: one module per subcommand, each owning
//! its text output and exit codes; the JSON objects are built by the engine
//! (`nabla_engine::report`) and written down in `docs/json.md`.

/// `println!` through the sanitiser (`nabla_engine::text::sanitize`: lesson
/// and user text cannot drive the terminal). A closed stdout (`nabla list |
/// head`) is not an error: output stops quietly and the command ends as it
/// would have. Any other failure to write (a full disk) ends the process
/// with a message on stderr and exit status 2. See `output::write_stdout`.
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::cli::output::write_stdout(format_args!($($arg)*))
    };
}

/// `eprintln!` through the sanitiser; a failure to write to stderr is
/// ignored (there is nowhere left to tell it), never a panic.
macro_rules! tell {
    ($($arg:tt)*) => {
        $crate::cli::output::write_stderr(format_args!($($arg)*))
    };
}

pub mod args;
pub mod assignment_cmd;
pub mod check_cmd;
pub mod colour;
pub mod derive_cmd;
pub mod examples;
pub mod grade_cmd;
pub mod grade_submissions_cmd;
pub mod help_cmd;
pub mod home;
pub mod key_cmd;
pub mod lint_cmd;
pub mod list_cmd;
pub mod new_cmd;
pub mod output;
pub mod parse_cmd;
pub mod progress_cmd;
pub mod show_cmd;
