//! `nabla` and `nabla learn [LESSON]`: open the tutor.

use std::io::IsTerminal;
use std::process::ExitCode;

use super::args::Global;
use super::output::{BAD_INPUT, OK, exit, load_course};
use crate::tui::{self, app::App, app::Start, theme::Theme};

pub fn run(global: &Global, lesson: Option<String>) -> ExitCode {
    // A full-screen app on a pipe only makes a mess; say what to do instead.
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        eprintln!(
            "nabla: the tutor needs a terminal. For scripts, use the subcommands (`nabla --help`)."
        );
        return exit(BAD_INPUT);
    }
    let course = load_course(global);
    let start = lesson.map_or(Start::Home, Start::Lesson);
    let mut app = App::new(course, start, Theme::from_env(), (80, 24));
    // A fresh variant each run; tests keep the default for reproducibility.
    app.seed_base = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    match tui::run(app) {
        Ok(()) => exit(OK),
        Err(e) => {
            eprintln!("nabla: the terminal failed: {e}");
            exit(BAD_INPUT)
        }
    }
}
