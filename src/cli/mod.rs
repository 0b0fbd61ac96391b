//! The scriptable face of the engine: one module per subcommand, each owning
//! its text output and exit codes; the JSON objects are built by the engine
//! (`nabla_engine::report`) and written down in `docs/json.md`.

/// `println!` that ignores a closed stdout (`nabla list | head`): a reader
/// that stops early is not an error worth a panic.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

pub mod args;
pub mod check_cmd;
pub mod derive_cmd;
pub mod grade_cmd;
pub mod home;
pub mod lint_cmd;
pub mod list_cmd;
pub mod new_cmd;
pub mod output;
pub mod parse_cmd;
pub mod progress_cmd;
pub mod show_cmd;
