//! Progress in the tutor: graded answers saved at once, "continue where you
//! left off", the progress screen, and a corrupt progress file.

use nabla::progress::Store;

use super::app::{App, Start};
use super::tests::{app, press, screen};

/// A scratch folder for one test's progress file.
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("nabla-tui-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("progress.json")
}

fn with_store(path: &std::path::Path, start: Start) -> App {
    let mut a = app(Start::Home, (80, 24));
    let (store, message) = Store::open(Some(path));
    a.store = Some(store);
    a.notice = message;
    a.start(start);
    a
}

#[test]
fn every_graded_answer_is_on_disk_at_once() {
    let path = scratch("graded");
    let mut a = with_store(&path, super::tests::lesson("scalar-by-vector"));
    press(&mut a, "ea'<Enter>");
    // Read the file as another process would, before anything else happens.
    let (again, msg) = Store::open(Some(&path));
    assert!(msg.is_none());
    let e = &again.progress.exercises["scalar-by-vector/linear-flipped"];
    assert_eq!((e.attempts, e.solved), (1, false));
    press(&mut a, "<C-u>a<Enter>");
    let (again, _) = Store::open(Some(&path));
    let e = &again.progress.exercises["scalar-by-vector/linear-flipped"];
    assert_eq!((e.attempts, e.correct, e.solved), (2, 1, true));
    assert!(e.card.is_some(), "a solved go is scheduled for review");
    // Input that does not parse is not an attempt.
    press(&mut a, "<PgDn>(A + ) x<Enter>");
    let (again, _) = Store::open(Some(&path));
    assert!(
        !again
            .progress
            .exercises
            .contains_key("scalar-by-vector/linear")
    );
}

#[test]
fn the_tutor_continues_where_the_student_left_off() {
    let path = scratch("continue");
    let mut a = with_store(&path, super::tests::lesson("chain-rule"));
    press(&mut a, "]]]<Esc>");
    let (again, _) = Store::open(Some(&path));
    assert_eq!(again.progress.last_lesson.as_deref(), Some("chain-rule"));
    let mut b = with_store(&path, Start::Continue("chain-rule".into()));
    assert_eq!(b.selected, 4, "home selects the last lesson read");
    assert!(screen(&b).contains("Continue where you left off: The chain rule"));
    press(&mut b, "<Enter>");
    let r = b.reader.as_ref().unwrap();
    assert_eq!(
        r.current_anchor(),
        Some(2),
        "the reader opens at the same section"
    );
}

#[test]
fn the_progress_screen_shows_lessons_skills_and_mistakes() {
    let path = scratch("screen");
    let mut a = with_store(&path, super::tests::lesson("scalar-by-vector"));
    press(&mut a, "ea'<Enter><Esc><Esc>p");
    let s = screen(&a);
    assert!(
        s.contains("1/13  Scalar-by-vector") || s.contains("0/13  Scalar-by-vector"),
        "{s}"
    );
    assert!(s.contains("By skill"), "{s}");
    assert!(
        s.contains("scalar-by-vector/linear-flipped"),
        "recent mistakes list it: {s}"
    );
    press(&mut a, "<Esc>");
    assert!(!a.show_progress && !a.quit);
}

#[test]
fn a_corrupt_progress_file_is_moved_aside_with_a_message() {
    let path = scratch("corrupt");
    std::fs::write(&path, b"{ not json").unwrap();
    let a = with_store(&path, Start::Home);
    let notice = a.notice.clone().expect("the student is told");
    assert!(
        notice.contains("corrupt") || notice.contains("moved"),
        "{notice}"
    );
    assert!(screen(&a).contains("Lessons"), "the tutor starts fresh");
    let kept: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .filter_map(Result::ok)
        .collect();
    assert!(
        kept.iter()
            .any(|e| e.file_name().to_string_lossy().contains(".corrupt-")),
        "the old file is kept"
    );
}

#[test]
fn practising_opens_the_first_unsolved_exercise() {
    let path = scratch("unsolved");
    let mut a = with_store(&path, super::tests::lesson("scalar-by-vector"));
    press(&mut a, "ea<Enter><Esc>e");
    let e = a.exercise.as_ref().unwrap();
    assert_eq!(e.index, 1, "the solved first exercise is skipped");
}
