//! The `nabla` binary: reads the command line and hands it to one function
//! per subcommand. Everything else lives in the library (`nabla::cli`,
//! `nabla::tui`) and the engine it re-exports.

use std::process::ExitCode;

use nabla::cli;

fn main() -> ExitCode {
    // SAFETY: the first thing `main` does, before any thread is started.
    unsafe { nabla::parallel::use_every_core() };
    nabla::allocator::keep_freed_memory();
    let args = match cli::args::parse_args() {
        Ok(args) => args,
        Err(code) => return code,
    };
    match args.command {
        None => cli::home::run(&args.global, None),
        Some(cli::args::Command::Learn(a)) => cli::home::run(&args.global, a.lesson),
        Some(cli::args::Command::Quiz(a)) => cli::home::quiz(&args.global, &a),
        Some(cli::args::Command::Parse(a)) => cli::parse_cmd::run(&a),
        Some(cli::args::Command::Check(a)) => cli::check_cmd::run(&a),
        Some(cli::args::Command::Derive(a)) => cli::derive_cmd::run(&a),
        Some(cli::args::Command::List(a)) => cli::list_cmd::run(&args.global, &a),
        Some(cli::args::Command::Show(a)) => cli::show_cmd::run(&args.global, &a),
        Some(cli::args::Command::Grade(a)) => cli::grade_cmd::run(&args.global, &a),
        Some(cli::args::Command::Lint(a)) => cli::lint_cmd::run(&args.global, &a),
        Some(cli::args::Command::New(a)) => cli::new_cmd::run(&a),
        Some(cli::args::Command::Progress(a)) => cli::progress_cmd::run(&args.global, &a),
        Some(cli::args::Command::Key(a)) => cli::key_cmd::run(&args.global, &a),
        Some(cli::args::Command::Assignment(a)) => cli::assignment_cmd::open(&args.global, &a),
        Some(cli::args::Command::Submit(a)) => cli::assignment_cmd::submit(&args.global, &a),
        Some(cli::args::Command::GradeSubmissions(a)) => {
            cli::grade_submissions_cmd::run(&args.global, &a)
        }
        Some(cli::args::Command::Help(a)) => cli::help_cmd::help(&a),
        Some(cli::args::Command::Completions(a)) => cli::help_cmd::completions(&a),
        Some(cli::args::Command::Man(a)) => cli::help_cmd::man(&a),
    }
}
