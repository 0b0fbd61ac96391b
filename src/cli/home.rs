//! `nabla`, `nabla learn [LESSON]`, `nabla quiz` and `nabla assignment`:
//! open the tutor.

use std::io::IsTerminal;
use std::process::ExitCode;

use super::args::{Global, QuizArgs};
use super::output::{BAD_INPUT, OK, exit, load_course};
use crate::tui::{self, app::App, app::Start, theme::Theme};

fn needs_terminal() -> Option<ExitCode> {
    // A full-screen app on a pipe only makes a mess; say what to do instead.
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        tell!(
            "nabla: the tutor needs a terminal. For scripts, use the subcommands (`nabla --help`)."
        );
        return Some(exit(BAD_INPUT));
    }
    None
}

fn new_app(global: &Global, start: Start) -> App {
    let course = load_course(global);
    // A corrupt or newer progress file is moved aside; the message says where.
    let (store, message) = nabla_engine::progress::Store::open(global.progress.as_deref());
    let last = store.progress().last_lesson.clone();
    let start = match (start, last) {
        (Start::Home, Some(l)) => Start::Continue(l),
        (s, _) => s,
    };
    // The real size from the start, so the first lesson is laid out once.
    let size = crossterm::terminal::size().unwrap_or((80, 24));
    let mut app = App::new(
        course,
        Start::Home,
        Theme {
            color: super::colour::wanted(global.color, true),
        },
        size,
    );
    app.store = Some(store);
    app.start(start);
    if message.is_some() {
        app.notice = message;
    }
    // A fresh variant each run; tests keep the default for reproducibility.
    app.seed_base = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    app
}

fn run_app(app: App) -> ExitCode {
    match tui::run(app) {
        Ok(()) => exit(OK),
        Err(e) => {
            tell!("nabla: the terminal failed: {e}");
            exit(BAD_INPUT)
        }
    }
}

pub fn run(global: &Global, lesson: Option<String>) -> ExitCode {
    if let Some(code) = needs_terminal() {
        return code;
    }
    run_app(new_app(global, lesson.map_or(Start::Home, Start::Lesson)))
}

pub fn quiz(global: &Global, args: &QuizArgs) -> ExitCode {
    let mut app = new_app(global, Start::Home);
    let known: Vec<&str> = app.course.lessons.iter().map(|l| l.id()).collect();
    if let Some(bad) = args.only.iter().find(|l| !known.contains(&l.as_str())) {
        tell!(
            "nabla: no lesson '{bad}'; the lessons are {}",
            known.join(", ")
        );
        return exit(BAD_INPUT);
    }
    let ids: Vec<String> = nabla_engine::lesson::exercise::all(&app.course)
        .iter()
        .filter(|l| args.only.is_empty() || args.only.iter().any(|x| x == l.lesson.id()))
        .map(|l| l.id())
        .collect();
    if let Some(code) = needs_terminal() {
        return code;
    }
    // The same picker as `z` in the tutor: due reviews, past mistakes, new.
    let picked = app.pick_quiz(&ids, args.count as usize);
    app.start_quiz(picked);
    run_app(app)
}

/// The tutor on an assignment: its exercises as a quiz, in order, each on
/// the instance `seeds` fixes (the student's own).
pub fn assignment(
    global: &Global,
    ids: Vec<String>,
    seeds: std::collections::BTreeMap<String, u64>,
    attempts: u32,
    notice: String,
) -> ExitCode {
    if let Some(code) = needs_terminal() {
        return code;
    }
    let mut app = new_app(global, Start::Home);
    // The answers of earlier sessions count towards the limit too.
    let mut rule = crate::tui::app::AttemptRule {
        limit: attempts,
        ..Default::default()
    };
    if let Some(log) = app.store.as_mut().and_then(|s| s.history(None).ok()) {
        for l in log {
            let t = &l.attempt;
            if seeds.get(&t.exercise) == Some(&t.seed) {
                *rule
                    .answered
                    .entry((t.exercise.clone(), t.step))
                    .or_insert(0) += 1;
            }
        }
    }
    app.attempt_rule = Some(rule);
    app.fixed_seeds = seeds;
    app.start_quiz(ids);
    app.notice = Some(notice);
    run_app(app)
}
