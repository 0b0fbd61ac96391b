//! Progress in the tutor: graded answers saved after their verdict is drawn
//! and before the next key, "continue where you left off", the progress screen
//! (mistakes by kind, only real recent mistakes), a corrupt progress file,
//! backprop exercises rated step by step, `z` using the one picker, and two
//! tutors on one file.

use nabla_engine::progress::Store;
use ratatui::Terminal;
use ratatui::backend::{Backend, ClearType, TestBackend, WindowSize};
use ratatui::layout::{Position, Size};

use super::app::{App, Start};
use super::tests::{app, for_each_key, press, screen};

/// A scratch folder for one test's progress file.
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("nabla-tui-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("progress.db")
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
    let e = &again.progress().exercises["scalar-by-vector/linear-flipped"];
    assert_eq!((e.attempts, e.solved), (1, false));
    press(&mut a, "<C-u>a<Enter>");
    let (again, _) = Store::open(Some(&path));
    let e = &again.progress().exercises["scalar-by-vector/linear-flipped"];
    assert_eq!((e.attempts, e.correct, e.solved), (2, 1, true));
    assert!(e.card.is_some(), "a solved go is scheduled for review");
    // Input that does not parse is not an attempt.
    press(&mut a, "<PgDn>(A + ) x<Enter>");
    let here = a.exercise().unwrap().id(&a.course);
    let (again, _) = Store::open(Some(&path));
    assert!(
        again
            .progress()
            .exercises
            .get(&here)
            .is_none_or(|e| e.attempts == 0),
        "{here}: input that does not parse was counted"
    );
}

/// Attempts at `linear-flipped` in the progress file, as another process
/// would read them.
fn attempts_on_disk(path: &std::path::Path) -> u32 {
    let (on_disk, _) = Store::open(Some(path));
    on_disk
        .progress()
        .exercises
        .get("scalar-by-vector/linear-flipped")
        .map_or(0, |e| e.attempts)
}

/// A test terminal that notes, each time a frame is finished (flushed), what
/// the progress file holds at that moment.
struct Witness {
    screen: TestBackend,
    path: std::path::PathBuf,
    seen: Vec<u32>,
}

impl Backend for Witness {
    type Error = std::convert::Infallible;
    fn draw<'a, I>(&mut self, content: I) -> Result<(), Self::Error>
    where
        I: Iterator<Item = (u16, u16, &'a ratatui::buffer::Cell)>,
    {
        self.screen.draw(content)
    }
    fn hide_cursor(&mut self) -> Result<(), Self::Error> {
        self.screen.hide_cursor()
    }
    fn show_cursor(&mut self) -> Result<(), Self::Error> {
        self.screen.show_cursor()
    }
    fn get_cursor_position(&mut self) -> Result<Position, Self::Error> {
        self.screen.get_cursor_position()
    }
    fn set_cursor_position<P: Into<Position>>(&mut self, at: P) -> Result<(), Self::Error> {
        self.screen.set_cursor_position(at)
    }
    fn clear(&mut self) -> Result<(), Self::Error> {
        self.screen.clear()
    }
    fn clear_region(&mut self, clear_type: ClearType) -> Result<(), Self::Error> {
        self.screen.clear_region(clear_type)
    }
    fn size(&self) -> Result<Size, Self::Error> {
        self.screen.size()
    }
    fn window_size(&mut self) -> Result<WindowSize, Self::Error> {
        self.screen.window_size()
    }
    fn flush(&mut self) -> Result<(), Self::Error> {
        self.seen.push(attempts_on_disk(&self.path));
        self.screen.flush()
    }
}

#[test]
fn the_verdict_is_drawn_before_the_answer_is_saved() {
    let path = scratch("order");
    let mut a = with_store(&path, super::tests::lesson("scalar-by-vector"));
    press(&mut a, "ea'");
    // Enter grades and asks for a save, but does not write yet.
    for_each_key("<Enter>", |k| super::handle_key(&mut a, &k));
    assert!(a.save_pending);
    assert_eq!(attempts_on_disk(&path), 0);
    // What the event loop does next, before it reads another key.
    let mut t = Terminal::new(Witness {
        screen: TestBackend::new(80, 24),
        path: path.clone(),
        seen: Vec::new(),
    })
    .unwrap();
    super::present(&mut t, &mut a).unwrap();
    let frame = t.backend().screen.to_string();
    assert!(
        frame.contains("✗ Wrong shape"),
        "the verdict is drawn: {frame}"
    );
    assert_eq!(
        t.backend().seen,
        [0],
        "one frame, finished while the answer was not yet on disk"
    );
    assert!(!a.save_pending);
    assert_eq!(attempts_on_disk(&path), 1, "written before the next key");
    // A key that changes no progress asks for no save.
    for_each_key("<Down>", |k| super::handle_key(&mut a, &k));
    assert!(!a.save_pending);
}

#[test]
fn the_tutor_continues_where_the_student_left_off() {
    let path = scratch("continue");
    let mut a = with_store(&path, super::tests::lesson("chain-rule"));
    press(&mut a, "]]]<Esc>");
    let (again, _) = Store::open(Some(&path));
    assert_eq!(again.progress().last_lesson.as_deref(), Some("chain-rule"));
    let mut b = with_store(&path, Start::Continue("chain-rule".into()));
    assert_eq!(b.selected, 4, "home selects the last lesson read");
    assert!(screen(&b).contains("Continue where you left off: The chain rule"));
    press(&mut b, "<Enter>");
    let r = b.reader().unwrap();
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
    let total = a.course.lessons[1].data.exercises.len();
    assert!(
        s.contains(&format!("1/{total}  Scalar-by-vector"))
            || s.contains(&format!("0/{total}  Scalar-by-vector")),
        "{s}"
    );
    assert!(s.contains("By skill"), "{s}");
    assert!(
        s.contains("scalar-by-vector/linear-flipped"),
        "recent mistakes list it: {s}"
    );
    press(&mut a, "<Esc>");
    assert!(!a.showing_progress() && !a.quit);
}

#[test]
fn a_corrupt_progress_file_is_moved_aside_with_a_message() {
    let path = scratch("corrupt");
    std::fs::write(&path, b"not a database, not JSON").unwrap();
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
    let e = a.exercise().unwrap();
    assert_eq!(e.index, 1, "the solved first exercise is skipped");
}

/// Opens exercise `id` (`lesson/exercise`) in a tutor keeping progress in
/// `path`.
fn open_at(path: &std::path::Path, id: &str) -> App {
    let (l, x) = id.split_once('/').unwrap();
    let mut a = with_store(path, Start::Home);
    let li = a.course.lessons.iter().position(|le| le.id() == l).unwrap();
    let xi = a.course.lessons[li]
        .data
        .exercises
        .iter()
        .position(|e| e.id.get_ref() == x)
        .unwrap();
    a.open_exercise(li, xi);
    a
}

fn step_answers(a: &App, id: &str) -> Vec<String> {
    nabla_engine::lesson::exercise::find(&a.course, id)
        .unwrap()
        .ex
        .steps
        .iter()
        .map(|s| s.answer.get_ref().clone())
        .collect()
}

/// The ratings logged for `id`, oldest first.
fn ratings(path: &std::path::Path, id: &str) -> Vec<String> {
    let mut s = Store::open(Some(path)).0;
    s.reviews()
        .unwrap()
        .into_iter()
        .filter(|r| r.exercise == id)
        .map(|r| r.rating)
        .collect()
}

const BACKPROP: &str = "backprop/two-layer-classifier";

#[test]
fn a_flawless_backprop_solve_is_rated_good_and_logged_step_by_step() {
    let path = scratch("steps-good");
    let mut a = open_at(&path, BACKPROP);
    let answers = step_answers(&a, BACKPROP);
    assert!(answers.len() >= 3, "a multi-step exercise");
    for ans in &answers {
        press(&mut a, &format!("<C-u>{ans}<Enter>"));
    }
    assert!(a.exercise().unwrap().solved);
    a.flush();
    assert_eq!(ratings(&path, BACKPROP), vec!["good"], "not 'needed hints'");
    let mut s = Store::open(Some(&path)).0;
    let log = s.history(Some("backprop")).unwrap();
    let steps: Vec<Option<u32>> = log.iter().map(|l| l.attempt.step).collect();
    let expected: Vec<Option<u32>> = (0..answers.len() as u32).map(Some).collect();
    assert_eq!(steps, expected);
    assert!(log.iter().all(|l| l.attempt.correct));
    let completes: Vec<bool> = log.iter().map(|l| l.attempt.completes).collect();
    assert_eq!(completes.iter().filter(|c| **c).count(), 1);
    assert!(completes[answers.len() - 1], "only the last step solves it");
    assert!(log.iter().all(|l| l.attempt.exercise_version.is_some()));
    assert_eq!(
        s.progress().exercises[BACKPROP].attempts,
        answers.len() as u32
    );
}

#[test]
fn a_hint_or_a_slip_on_one_step_counts_for_that_step() {
    let path = scratch("steps-hard");
    let mut a = open_at(&path, BACKPROP);
    let answers = step_answers(&a, BACKPROP);
    for (i, ans) in answers.iter().enumerate() {
        if i == 1 {
            press(&mut a, "<F2>");
        }
        press(&mut a, &format!("<C-u>{ans}<Enter>"));
    }
    a.flush();
    assert_eq!(ratings(&path, BACKPROP), vec!["hard"]);
    let mut s = Store::open(Some(&path)).0;
    let hints: Vec<u32> = s
        .history(Some("backprop"))
        .unwrap()
        .iter()
        .map(|l| l.attempt.hints)
        .collect();
    assert_eq!(hints[0], 0, "the hint came on step 2: {hints:?}");
    assert!(hints[1] >= 1, "{hints:?}");

    // A wrong answer to the last step only: still Hard, and kept with its kind.
    let path = scratch("steps-slip");
    let mut a = open_at(&path, BACKPROP);
    let last = answers.len() - 1;
    for (i, ans) in answers.iter().enumerate() {
        if i == last {
            press(&mut a, &format!("<C-u>-({ans})<Enter>"));
        }
        press(&mut a, &format!("<C-u>{ans}<Enter>"));
    }
    a.flush();
    assert_eq!(ratings(&path, BACKPROP), vec!["hard"]);
    let mut s = Store::open(Some(&path)).0;
    let wrong: Vec<_> = s
        .history(Some("backprop"))
        .unwrap()
        .into_iter()
        .filter(|l| !l.attempt.correct)
        .collect();
    assert_eq!(wrong.len(), 1);
    assert_eq!(wrong[0].attempt.step, Some(last as u32));
    assert_eq!(wrong[0].attempt.kind.map(|k| k.code()), Some("sign"));
}

#[test]
fn z_in_the_tutor_uses_the_one_picker() {
    let path = scratch("picker");
    // A mistake on record: the picker puts it before the new exercises.
    let mut a = with_store(&path, super::tests::lesson("scalar-by-vector"));
    press(&mut a, "ea'<Enter><Esc><Esc>");
    a.flush();
    let mut b = with_store(&path, Start::Home);
    press(&mut b, "z");
    let quiz = b.quiz.as_ref().expect("a quiz started");
    let all: Vec<String> = nabla_engine::lesson::exercise::all(&b.course)
        .iter()
        .map(|l| l.id())
        .collect();
    let expected = nabla_engine::progress::pick_quiz(
        b.store.as_ref().unwrap().progress(),
        &all,
        10,
        nabla_engine::progress::now(),
        b.seed_base,
    );
    assert_eq!(quiz.ids, expected);
    assert_eq!(
        quiz.ids[0], "scalar-by-vector/linear-flipped",
        "past mistakes first"
    );
}

#[test]
fn two_tutors_on_one_file_keep_both_answers() {
    let path = scratch("two-tutors");
    let mut a = with_store(&path, super::tests::lesson("scalar-by-vector"));
    let mut b = with_store(&path, super::tests::lesson("scalar-by-vector"));
    press(&mut a, "ea'<Enter>");
    a.flush();
    // b goes to bilinear (after linear-flipped and linear-compute).
    press(&mut b, "e<PgDn><PgDn>x<Enter>");
    b.flush();
    press(&mut a, "<C-u>a<Enter>");
    a.flush();
    let on_disk = Store::open(Some(&path)).0;
    let e = &on_disk.progress().exercises;
    assert_eq!(e["scalar-by-vector/linear-flipped"].attempts, 2);
    assert_eq!(
        e["scalar-by-vector/bilinear"].attempts, 1,
        "b's answer survived a's saves"
    );
    // Opening b's progress screen reads a's answers in.
    press(&mut b, "<Esc><Esc>p");
    assert!(
        screen(&b).contains("scalar-by-vector/bilinear"),
        "b's own mistake"
    );
    assert_eq!(
        b.store.as_ref().unwrap().progress().exercises["scalar-by-vector/linear-flipped"].attempts,
        2
    );
}

#[test]
fn recent_mistakes_leave_once_put_right_and_kinds_are_counted() {
    let path = scratch("recent");
    let mut a = with_store(&path, super::tests::lesson("scalar-by-vector"));
    press(&mut a, "ea'<Enter><C-u>a'<Enter><Esc><Esc>p");
    let s = screen(&a);
    assert!(s.contains("scalar-by-vector/linear-flipped"), "{s}");
    assert!(s.contains("×2"), "counted by kind: {s}");
    press(&mut a, "<Esc>ea<Enter><Esc><Esc>p");
    let s = screen(&a);
    let recent = &s[s.find("Recent mistakes").expect(&s)..];
    assert!(
        !recent.contains("linear-flipped"),
        "answered right since: not a recent mistake: {s}"
    );
}
