//! TUI tests: snapshots of every screen (TestBackend + insta), a no-panic
//! sweep over tiny sizes, key sequences written as (start, keys, expected),
//! and a check that no lesson puts raw LaTeX on screen.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::action::Action;
use super::app::{App, Start};
use super::reader::layout;
use super::theme::Theme;
use super::view;

pub(super) fn app(start: Start, size: (u16, u16)) -> App {
    // Parsed once: the sweep below builds hundreds of apps.
    static COURSE: std::sync::OnceLock<nabla_engine::lesson::Course> = std::sync::OnceLock::new();
    let course = COURSE
        .get_or_init(nabla_engine::lesson::load::builtin)
        .clone();
    App::new(course, start, Theme { color: false }, size)
}

pub(super) fn lesson(id: &str) -> Start {
    Start::Lesson(id.to_string())
}

pub(super) fn screen(app: &App) -> String {
    let mut t = Terminal::new(TestBackend::new(app.size.0, app.size.1)).unwrap();
    t.draw(|f| view(app, f)).unwrap();
    t.backend().to_string()
}

/// Presses keys written as in the help: single characters, or <Enter>,
/// <Esc>, <Down>, <Up>, <PgDn>, <Tab>, <C-c> (any <C-x>, <M-x>). After each key the pending
/// progress is written, as the event loop does before it reads the next one.
pub(super) fn press(app: &mut App, keys: &str) {
    for_each_key(keys, |ev| {
        super::handle_key(app, &ev);
        app.flush();
    });
}

/// The key events of `keys`, written as for `press`.
pub(super) fn for_each_key(keys: &str, mut f: impl FnMut(KeyEvent)) {
    let mut rest = keys;
    while let Some(c) = rest.chars().next() {
        let (ev, len) = if c == '<' {
            let end = rest.find('>').expect("a closing >");
            let code = match &rest[1..end] {
                "Enter" => KeyEvent::from(KeyCode::Enter),
                "Esc" => KeyEvent::from(KeyCode::Esc),
                "Down" => KeyEvent::from(KeyCode::Down),
                "Up" => KeyEvent::from(KeyCode::Up),
                "PgDn" => KeyEvent::from(KeyCode::PageDown),
                "Tab" => KeyEvent::from(KeyCode::Tab),
                "F1" => KeyEvent::from(KeyCode::F(1)),
                "F2" => KeyEvent::from(KeyCode::F(2)),
                "F3" => KeyEvent::from(KeyCode::F(3)),
                "F4" => KeyEvent::from(KeyCode::F(4)),
                "F6" => KeyEvent::from(KeyCode::F(6)),
                "PgUp" => KeyEvent::from(KeyCode::PageUp),
                "BS" => KeyEvent::from(KeyCode::Backspace),
                "Left" => KeyEvent::from(KeyCode::Left),
                "Right" => KeyEvent::from(KeyCode::Right),
                "Home" => KeyEvent::from(KeyCode::Home),
                "End" => KeyEvent::from(KeyCode::End),
                "Del" => KeyEvent::from(KeyCode::Delete),
                "M-BS" => KeyEvent::new(KeyCode::Backspace, KeyModifiers::ALT),
                "C-Down" => KeyEvent::new(KeyCode::Down, KeyModifiers::CONTROL),
                "C-Up" => KeyEvent::new(KeyCode::Up, KeyModifiers::CONTROL),
                // <C-x>: Ctrl and a letter; <M-x>: Alt and a letter.
                ctrl if ctrl.len() == 3 && ctrl.starts_with("C-") => KeyEvent::new(
                    KeyCode::Char(ctrl.chars().nth(2).expect("a letter")),
                    KeyModifiers::CONTROL,
                ),
                alt if alt.len() == 3 && alt.starts_with("M-") => KeyEvent::new(
                    KeyCode::Char(alt.chars().nth(2).expect("a letter")),
                    KeyModifiers::ALT,
                ),
                other => panic!("unknown key <{other}>"),
            };
            (code, end + 1)
        } else {
            (KeyEvent::from(KeyCode::Char(c)), c.len_utf8())
        };
        f(ev);
        rest = &rest[len..];
    }
}

#[test]
fn snapshot_home() {
    insta::assert_snapshot!("home_80x24", screen(&app(Start::Home, (80, 24))));
    insta::assert_snapshot!("home_120x40", screen(&app(Start::Home, (120, 40))));
}

#[test]
fn snapshot_every_lesson_opening_page() {
    for l in nabla_engine::lesson::load::builtin().lessons {
        let id = l.id().to_string();
        insta::assert_snapshot!(
            format!("reader_{id}_80x24"),
            screen(&app(lesson(&id), (80, 24)))
        );
    }
    insta::assert_snapshot!(
        "reader_vector-by-vector_120x40",
        screen(&app(lesson("vector-by-vector"), (120, 40)))
    );
}

#[test]
fn snapshot_identity_with_derivation_revealed() {
    let mut a = app(lesson("scalar-by-vector"), (80, 24));
    let identity = a
        .reader()
        .unwrap()
        .doc
        .anchors
        .iter()
        .position(|x| x.identity == Some(2))
        .unwrap();
    press(&mut a, "t");
    a.reader_mut().unwrap().toc = Some(identity);
    press(&mut a, "<Enter>rr");
    insta::assert_snapshot!("reader_identity_revealed_80x24", screen(&a));
}

#[test]
fn snapshot_overlays_and_too_small() {
    let mut a = app(Start::Home, (80, 24));
    press(&mut a, "?");
    insta::assert_snapshot!("help_home_80x24", screen(&a));
    let mut a = app(lesson("chain-rule"), (80, 24));
    press(&mut a, "t");
    insta::assert_snapshot!("toc_80x24", screen(&a));
    press(&mut a, "<Esc>?");
    insta::assert_snapshot!("help_reader_80x24", screen(&a));
    insta::assert_snapshot!("too_small_30x8", screen(&app(Start::Home, (30, 8))));
}

#[test]
fn no_screen_panics_at_tiny_sizes() {
    let states: Vec<(Start, &str)> = vec![
        (Start::Home, ""),
        (Start::Home, "?"),
        (lesson("backprop"), ""),
        (lesson("backprop"), "t"),
        (lesson("backprop"), "?"),
        (lesson("notation"), "GR"),
        (lesson("scalar-by-vector"), "e(A + A')x<Enter>"),
        (
            lesson("scalar-by-vector"),
            "e<PgDn><PgDn><PgDn><PgDn><PgDn><PgDn><PgDn><PgDn><PgDn><PgDn><PgDn><C-g>1",
        ),
        (lesson("backprop"), "e"),
        (Start::Home, "p"),
        (
            Start::Home,
            "z<PgDn><PgDn><PgDn><PgDn><PgDn><PgDn><PgDn><PgDn><PgDn><PgDn>",
        ),
    ];
    for (start, keys) in states {
        for w in 0..=20 {
            for h in 0..=5 {
                let mut a = app(start.clone(), (w, h));
                press(&mut a, keys);
                a.update(Action::Resize(w, h));
                // Draw only: TestBackend cannot print a zero-width buffer.
                let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
                t.draw(|f| view(&a, f)).unwrap();
            }
        }
    }
}

#[test]
fn key_sequences() {
    // (where it starts, the keys, what must hold after)
    type Check = fn(&App) -> bool;
    let cases: &[(Start, &str, Check, &str)] = &[
        (
            Start::Home,
            "jj<Enter>",
            |a| a.reader().is_some_and(|r| r.lesson == 2),
            "Enter opens the selected lesson",
        ),
        (
            Start::Home,
            "jjjjjjjjjj",
            |a| a.selected == 5,
            "the selection stops at the last lesson",
        ),
        (Start::Home, "jjk", |a| a.selected == 1, "k moves up"),
        (
            Start::Home,
            "G",
            |a| a.selected == 5,
            "G goes to the last lesson",
        ),
        (
            Start::Home,
            "Gg",
            |a| a.selected == 0,
            "g goes to the first lesson",
        ),
        (Start::Home, "q", |a| a.quit, "q quits"),
        (
            Start::Home,
            "<Esc>",
            |a| a.quit,
            "Esc on home leaves the tutor",
        ),
        (Start::Home, "<C-c>", |a| a.quit, "Ctrl-C quits"),
        (Start::Home, "?", |a| a.help && !a.quit, "? opens help"),
        (Start::Home, "?q", |a| a.quit, "q quits even from help"),
        (
            Start::Home,
            "?x",
            |a| !a.help && !a.quit,
            "any other key closes help",
        ),
        (Start::Home, "<F1>", |a| a.help, "F1 opens help too"),
        (
            lesson("backprop"),
            "<Esc>",
            |a| a.reader().is_none() && !a.quit && a.selected == 5,
            "Esc goes back home, on the same lesson",
        ),
        (
            lesson("backprop"),
            "jjj",
            |a| a.reader().is_some_and(|r| r.scroll == 3),
            "j scrolls a line",
        ),
        (
            lesson("backprop"),
            "jjjk",
            |a| a.reader().is_some_and(|r| r.scroll == 2),
            "k scrolls back",
        ),
        (
            lesson("backprop"),
            "<PgDn>",
            |a| a.reader().is_some_and(|r| r.scroll == 20),
            "PgDn scrolls a page less two lines",
        ),
        (
            lesson("backprop"),
            "G",
            |a| {
                a.reader()
                    .is_some_and(|r| r.scroll + 22 == r.doc.lines.len())
            },
            "G shows the end",
        ),
        (
            lesson("backprop"),
            "Gjjjj",
            |a| {
                a.reader()
                    .is_some_and(|r| r.scroll + 22 == r.doc.lines.len())
            },
            "scrolling stops at the end",
        ),
        (
            lesson("backprop"),
            "Gg",
            |a| a.reader().is_some_and(|r| r.scroll == 0),
            "g returns to the top",
        ),
        (
            lesson("backprop"),
            "]",
            |a| {
                a.reader()
                    .is_some_and(|r| r.scroll == r.doc.anchors[0].line)
            },
            "] jumps to the first section",
        ),
        (
            lesson("backprop"),
            "]][",
            |a| {
                a.reader()
                    .is_some_and(|r| r.scroll == r.doc.anchors[0].line)
            },
            "[ jumps back a section",
        ),
        (
            lesson("backprop"),
            "tjj<Enter>",
            |a| {
                a.reader()
                    .is_some_and(|r| r.toc.is_none() && r.scroll == r.doc.anchors[2].line)
            },
            "the table of contents jumps",
        ),
        (
            lesson("backprop"),
            "t<Esc>",
            |a| a.reader().is_some_and(|r| r.toc.is_none()),
            "Esc closes the table of contents only",
        ),
        (
            lesson("backprop"),
            "t<Tab>",
            |a| a.reader().is_some_and(|r| r.toc.is_none()),
            "Tab toggles it",
        ),
        (
            lesson("backprop"),
            "R",
            |a| {
                let r = a.reader().unwrap();
                let ids = &a.course.lessons[r.lesson].data.identities;
                ids.iter()
                    .enumerate()
                    .all(|(i, id)| r.revealed[i] == id.derivation.len())
            },
            "R reveals every derivation",
        ),
    ];
    for (start, keys, check, what) in cases {
        let mut a = app(start.clone(), (80, 24));
        press(&mut a, keys);
        assert!(check(&a), "{what} (keys {keys:?})");
    }
}

#[test]
fn reveal_shows_one_more_step_of_the_identity_in_view() {
    let mut a = app(lesson("scalar-by-vector"), (80, 24));
    let line = a
        .reader()
        .unwrap()
        .doc
        .anchors
        .iter()
        .find(|x| x.identity == Some(0))
        .unwrap()
        .line;
    a.reader_mut().unwrap().scroll = line;
    press(&mut a, "r");
    assert_eq!(a.reader().unwrap().revealed[0], 1);
    assert!(screen(&a).contains(" 1. "));
    press(&mut a, "rrrrrrrr");
    let total = a.course.lessons[1].data.identities[0].derivation.len();
    assert_eq!(
        a.reader().unwrap().revealed[0],
        total,
        "reveal stops at the last step"
    );
}

#[test]
fn resizing_keeps_the_reader_in_the_same_section() {
    let mut a = app(lesson("backprop"), (80, 24));
    press(&mut a, "]]]");
    let before = a.reader().unwrap().current_anchor();
    a.update(Action::Resize(120, 40));
    assert_eq!(a.reader().unwrap().current_anchor(), before);
    assert!(screen(&a).lines().count() == 40);
}

#[test]
fn no_lesson_puts_raw_latex_on_screen() {
    let course = nabla_engine::lesson::load::builtin();
    for l in &course.lessons {
        let all: Vec<usize> = l
            .data
            .identities
            .iter()
            .map(|i| i.derivation.len())
            .collect();
        for width in [76, 116] {
            let doc = layout(l, Theme { color: false }, width, &all);
            for line in &doc.lines {
                let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
                let raw = text.contains('$')
                    || text.contains("\\frac")
                    || text.contains("\\mathbf")
                    || text.contains("cannot be drawn")
                    || text
                        .split('\\')
                        .skip(1)
                        .any(|rest| rest.starts_with(|c: char| c.is_ascii_alphabetic()));
                assert!(!raw, "{}: raw LaTeX on screen: {text}", l.id());
            }
        }
    }
}

#[test]
fn an_unknown_lesson_is_a_notice_not_a_crash() {
    let a = app(lesson("no-such-lesson"), (80, 24));
    assert!(a.reader().is_none());
    assert!(screen(&a).contains("no lesson 'no-such-lesson'"));
}

#[test]
fn snapshot_every_screen_at_both_sizes() {
    // (name, where it starts, the keys that reach the screen)
    let screens: &[(&str, Start, &str)] = &[
        ("home", Start::Home, ""),
        ("help", Start::Home, "?"),
        ("reader", lesson("scalar-by-matrix"), ""),
        ("contents", lesson("scalar-by-matrix"), "t"),
        ("exercise", lesson("vector-by-vector"), "e"),
        ("exercise_graded", lesson("scalar-by-vector"), "ea'<Enter>"),
        (
            "grid",
            lesson("scalar-by-vector"),
            "e<PgDn><PgDn><PgDn><PgDn><PgDn><PgDn><PgDn><PgDn><PgDn><PgDn><PgDn><C-g>",
        ),
        ("progress", Start::Home, "p"),
        ("too_small", Start::Home, ""),
    ];
    for (name, start, keys) in screens {
        for (w, h) in [(80, 24), (120, 40)] {
            let size = if *name == "too_small" {
                (w / 3, h / 3)
            } else {
                (w, h)
            };
            let mut a = app(start.clone(), size);
            press(&mut a, keys);
            insta::assert_snapshot!(format!("screen_{name}_{w}x{h}"), screen(&a));
        }
    }
}
