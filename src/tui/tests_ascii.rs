//! `--ascii`: every screen drawn with ASCII only, and every character it
//! shows had a faithful ASCII form (none folded to `?` for want of one, or
//! cut to one cell by the last pass over the frame). Snapshots
//! of the main screens at 80×24 show how they read.

use nabla_engine::render::charset;

use super::app::{App, Start};
use super::tests::{app, lesson, press, screen};

/// Draws with ASCII on this test's thread, from building the app (lessons
/// are laid out when opened) to the last frame; restores Unicode after.
struct Ascii;

impl Ascii {
    fn on() -> Ascii {
        charset::set_ascii(true);
        charset::take_unfaithful();
        Ascii
    }
}

impl Drop for Ascii {
    fn drop(&mut self) {
        charset::set_ascii(false);
    }
}

/// The screen, after checking it is ASCII and nothing in it lacked an
/// ASCII form.
fn ascii_screen(a: &App, what: &str) -> String {
    let s = screen(a);
    let bad: Vec<char> = s.chars().filter(|c| !c.is_ascii()).collect();
    assert!(bad.is_empty(), "{what}: not ASCII: {bad:?}\n{s}");
    let unfaithful = charset::take_unfaithful();
    assert!(
        unfaithful.is_empty(),
        "{what}: shown without a faithful ASCII form: {unfaithful:?}\n{s}"
    );
    s
}

#[test]
fn every_lesson_page_is_ascii() {
    let _ascii = Ascii::on();
    let ids: Vec<String> = app(Start::Home, (80, 24))
        .course
        .lessons
        .iter()
        .map(|l| l.id().to_string())
        .collect();
    for id in ids {
        let mut a = app(lesson(&id), (80, 24));
        // Every page of the lesson, every derivation revealed.
        press(&mut a, "R");
        for page in 0..200 {
            let s = ascii_screen(&a, &format!("{id}, page {page}"));
            press(&mut a, "<PgDn>");
            if screen(&a) == s {
                break;
            }
        }
    }
}

#[test]
fn every_exercise_is_ascii_with_its_feedback_and_solution() {
    let _ascii = Ascii::on();
    let lessons: Vec<(String, usize)> = app(Start::Home, (80, 24))
        .course
        .lessons
        .iter()
        .map(|l| (l.id().to_string(), l.data.exercises.len()))
        .collect();
    for (id, n) in lessons {
        let mut a = app(lesson(&id), (80, 24));
        press(&mut a, "e");
        for i in 0..n {
            let what = format!("{id}, exercise {}", i + 1);
            ascii_screen(&a, &what);
            // A wrong answer's feedback, the hints, the solution.
            press(&mut a, "1<Enter>");
            ascii_screen(&a, &format!("{what}, answered"));
            press(&mut a, "<F2><F2><F3>");
            ascii_screen(&a, &format!("{what}, solution"));
            press(&mut a, "<PgDn>");
        }
    }
}

#[test]
fn snapshots_in_ascii() {
    let _ascii = Ascii::on();
    let home = app(Start::Home, (80, 24));
    insta::assert_snapshot!("ascii_home_80x24", ascii_screen(&home, "home"));

    let mut help = app(Start::Home, (80, 24));
    press(&mut help, "?");
    insta::assert_snapshot!("ascii_help_80x24", ascii_screen(&help, "help"));

    let mut reader = app(lesson("scalar-by-matrix"), (80, 24));
    press(&mut reader, "]]");
    insta::assert_snapshot!("ascii_reader_80x24", ascii_screen(&reader, "reader"));

    let mut derive = app(lesson("scalar-by-vector"), (80, 24));
    press(&mut derive, "e2 a<Enter>");
    insta::assert_snapshot!(
        "ascii_exercise_wrong_80x24",
        ascii_screen(&derive, "exercise")
    );

    let mut toc = app(lesson("chain-rule"), (80, 24));
    press(&mut toc, "t");
    insta::assert_snapshot!("ascii_toc_80x24", ascii_screen(&toc, "contents"));

    let mut quiz = app(Start::Home, (80, 24));
    press(&mut quiz, "z");
    insta::assert_snapshot!("ascii_quiz_80x24", ascii_screen(&quiz, "quiz"));

    // The last lesson's exercises end with the multi-step backprop ones.
    let mut backprop = app(lesson("backprop"), (80, 24));
    press(&mut backprop, "e<F3>");
    insta::assert_snapshot!("ascii_solution_80x24", ascii_screen(&backprop, "solution"));

    let mut progress = app(Start::Home, (80, 24));
    press(&mut progress, "p");
    insta::assert_snapshot!("ascii_progress_80x24", ascii_screen(&progress, "progress"));
}
