//! The scriptable face of the engine: one module per subcommand, each owning
//! its text and JSON output and its exit codes (see `docs/cli.md`).

pub mod args;
pub mod check_cmd;
pub mod home;
pub mod output;
pub mod parse_cmd;
