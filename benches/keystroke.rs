//! Keystroke to updated preview: one key typed into an exercise's answer box,
//! through the real TUI code (update, live read-back, and the whole frame drawn
//! into a TestBackend). Goal: under 1 ms. The TUI is the `nabla` library's
//! `tui` module.
//!
//! Also Enter to verdict with a real progress file (`enter_*`): the answer
//! graded, its save, and the frame, in the order the tutor does them now
//! (frame, then save) and in the order it did before (save, then frame).

use crossterm::event::{KeyCode, KeyEvent};
use nabla::tui;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tui::app::{App, Start};
use tui::theme::Theme;

fn main() {
    divan::main();
}

fn exercise(id_lesson: &str, pgdn: usize, typed: &str) -> App {
    let course = nabla::lesson::load::builtin();
    let mut app = App::new(
        course,
        Start::Lesson(id_lesson.into()),
        Theme { color: false },
        (80, 24),
    );
    tui::handle_key(&mut app, &KeyEvent::from(KeyCode::Char('e')));
    for _ in 0..pgdn {
        tui::handle_key(&mut app, &KeyEvent::from(KeyCode::PageDown));
    }
    for c in typed.chars() {
        tui::handle_key(&mut app, &KeyEvent::from(KeyCode::Char(c)));
    }
    app
}

/// Types one character and deletes it again (so the text stays the same
/// from one iteration to the next), drawing the frame after each.
fn keystroke(bencher: divan::Bencher, lesson: &str, pgdn: usize, typed: &str) {
    let mut app = exercise(lesson, pgdn, typed);
    let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
    bencher.bench_local(|| {
        tui::handle_key(&mut app, &KeyEvent::from(KeyCode::Char(' ')));
        term.draw(|f| tui::view(&app, f)).unwrap();
        tui::handle_key(&mut app, &KeyEvent::from(KeyCode::Backspace));
        term.draw(|f| tui::view(&app, f)).unwrap();
    });
}

/// Two keystrokes per iteration: halve the time for one.
#[divan::bench]
fn derive_quadratic_form_two_keys(bencher: divan::Bencher) {
    keystroke(bencher, "scalar-by-vector", 2, "(A + A')x");
}

#[divan::bench]
fn derive_chain_rule_first_exercise_two_keys(bencher: divan::Bencher) {
    keystroke(bencher, "chain-rule", 0, "(W x + b - t) x'");
}

#[divan::bench]
fn compute_literal_two_keys(bencher: divan::Bencher) {
    keystroke(bencher, "scalar-by-vector", 8, "[-16; 8]");
}

/// A fresh app with a progress file, an exercise open and `typed` in its
/// answer box, and a terminal to draw it on. Each progress file is in the
/// target folder's scratch space (the disk a user's data directory is on,
/// not a RAM-backed /tmp), so the save pays a real fsync.
fn with_answer(lesson: &str, pgdn: usize, typed: &str) -> (App, Terminal<TestBackend>) {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("keystroke-enter");
    std::fs::create_dir_all(&dir).unwrap();
    let mut app = exercise(lesson, pgdn, typed);
    app.store = Some(nabla::progress::Store::new(dir.join("progress.db")));
    (app, Terminal::new(TestBackend::new(80, 24)).unwrap())
}

/// Enter → verdict on screen, as the tutor does it (`App::background`): a
/// grading this small is done in place (a long one would run on another
/// thread and be taken in when done), then the frame. The save follows the
/// frame (`tui::present`) and is not timed here.
#[divan::bench]
fn enter_to_verdict(bencher: divan::Bencher) {
    bencher
        .with_inputs(|| {
            let (mut app, term) = with_answer("scalar-by-vector", 2, "(A + A')x");
            app.background = true;
            (app, term)
        })
        .bench_local_values(|(mut app, mut term)| {
            tui::handle_key(&mut app, &KeyEvent::from(KeyCode::Enter));
            if app.grading.is_some() {
                assert!(app.poll_grading(std::time::Duration::from_secs(10)));
            }
            term.draw(|f| tui::view(&app, f)).unwrap();
            (app, term)
        });
}

/// The same without the tutor's setting (as the tests drive it): always in
/// place.
#[divan::bench]
fn enter_to_verdict_in_place(bencher: divan::Bencher) {
    bencher
        .with_inputs(|| with_answer("scalar-by-vector", 2, "(A + A')x"))
        .bench_local_values(|(mut app, mut term)| {
            tui::handle_key(&mut app, &KeyEvent::from(KeyCode::Enter));
            term.draw(|f| tui::view(&app, f)).unwrap();
            (app, term)
        });
}

/// The whole turn after Enter: grade, draw, then the fsync'd save — what
/// happens before the tutor reads the next key.
#[divan::bench]
fn enter_to_verdict_then_save(bencher: divan::Bencher) {
    bencher
        .with_inputs(|| with_answer("scalar-by-vector", 2, "(A + A')x"))
        .bench_local_values(|(mut app, mut term)| {
            tui::handle_key(&mut app, &KeyEvent::from(KeyCode::Enter));
            tui::present(&mut term, &mut app).unwrap();
            (app, term)
        });
}

/// The order before: the save ran inside the update, so the verdict waited
/// for the fsync.
#[divan::bench]
fn enter_to_verdict_save_first(bencher: divan::Bencher) {
    bencher
        .with_inputs(|| with_answer("scalar-by-vector", 2, "(A + A')x"))
        .bench_local_values(|(mut app, mut term)| {
            tui::handle_key(&mut app, &KeyEvent::from(KeyCode::Enter));
            app.flush();
            term.draw(|f| tui::view(&app, f)).unwrap();
            (app, term)
        });
}
