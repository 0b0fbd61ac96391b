//! `nabla` with no subcommand: opens the tutor. Until the TUI lands it
//! explains what the command line offers.

use std::process::ExitCode;

use clap::CommandFactory;

use super::args::{Cli, Global};

pub fn run(_global: &Global) -> ExitCode {
    let mut cmd = Cli::command();
    let _ = cmd.print_help();
    ExitCode::SUCCESS
}
