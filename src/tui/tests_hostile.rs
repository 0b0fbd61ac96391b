//! The tutor with a hostile lesson (`tests/data/hostile/`: escape sequences,
//! BEL, C1 and DEL controls, bidi controls and zero-width joiners in every
//! field, and a file beside it that does not parse): no screen may hold a
//! control character, a bidi control or a zero-width character, and no
//! escape sequence's payload may show as text (sequences are removed whole
//! before layout, not just their ESC dropped by ratatui).

use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::app::{App, Start};
use super::tests::press;
use super::theme::Theme;

fn hostile_app(start: Start, size: (u16, u16)) -> App {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/hostile");
    let course = nabla_engine::lesson::load::folder(&dir);
    assert_eq!(course.lessons.len(), 1, "{:?}", course.errors);
    assert_eq!(course.errors.len(), 1, "broken.toml is skipped");
    App::new(course, start, Theme { color: false }, size)
}

/// Draws the app and checks every cell; returns the screen as text.
fn checked_screen(app: &App, what: &str) -> String {
    let mut t = Terminal::new(TestBackend::new(app.size.0, app.size.1)).unwrap();
    t.draw(|f| super::view(app, f)).unwrap();
    for (i, cell) in t.backend().buffer().content.iter().enumerate() {
        let bad: Vec<char> = cell
            .symbol()
            .chars()
            .filter(|&c| c == '\t' || nabla_engine::text::classify(c).is_some())
            .collect();
        assert!(bad.is_empty(), "{what}: cell {i} holds {bad:?}");
    }
    let text = t.backend().to_string();
    for payload in ["pwned", "evil.example", "SGVsbG8", "52;c", "[2J", "[31m"] {
        assert!(
            !text.contains(payload),
            "{what}: an escape sequence's payload {payload:?} is on screen:\n{text}"
        );
    }
    text
}

#[test]
fn no_screen_of_a_hostile_lesson_holds_a_control_character() {
    for size in [(80, 24), (120, 40), (44, 12)] {
        let mut a = hostile_app(Start::Home, size);
        let home = checked_screen(&a, "home");
        if size.1 >= 24 {
            assert!(
                home.contains("Skipped"),
                "the skipped file is named:\n{home}"
            );
            assert!(home.contains("broken.toml"), "{home}");
        }
        // The reader, every page, and its table of contents.
        press(&mut a, "<Enter>");
        for page in 0..20 {
            checked_screen(&a, &format!("reader page {page} at {size:?}"));
            press(&mut a, "<PgDn>");
        }
        press(&mut a, "t");
        checked_screen(&a, "contents");
        press(&mut a, "<Esc>");
        // The choice exercise: its choices, both hints, the solution, a
        // wrong answer.
        press(&mut a, "e");
        checked_screen(&a, "choice exercise");
        press(&mut a, "<F2><F2><F3>1<Enter>");
        checked_screen(&a, "choice with hints, solution and verdict");
        // The derive exercise: a known mistake's feedback.
        press(&mut a, "<PgDn>");
        press(&mut a, "a'<Enter>");
        let s = checked_screen(&a, "derive with feedback");
        assert!(
            s.contains("Feedback"),
            "the mistake's feedback is shown:\n{s}"
        );
        press(&mut a, "<F2><F3>");
        checked_screen(&a, "derive with hint and solution");
        // Characters typed into the answer are drawn sanitised too.
        press(&mut a, "<C-u>");
        for c in ['\u{202E}', '\u{200D}', '\u{1b}', '\u{7}', '\u{9b}'] {
            super::handle_key(
                &mut a,
                &crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char(c)),
            );
        }
        checked_screen(&a, "typed controls");
        press(&mut a, "<Esc><Esc><Esc>");
        press(&mut a, "p");
        checked_screen(&a, "progress");
    }
}
