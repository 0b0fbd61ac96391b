//! The progress database at 1k, 10k and 100k attempts (docs/performance.md,
//! "Progress database"): one graded answer saved (an insert and a review, in
//! one transaction), the database opened (the view read from the derived
//! tables), and opening plus the tutor's first frame of the home screen.
//! Goals: a save under 2 ms median, the home screen's first frame under
//! 30 ms at 100k attempts.
//!
//! The databases are built once in the target folder's scratch space (the
//! disk a user's data directory is on, not a RAM-backed /tmp) and reused.

use std::path::PathBuf;

use nabla::progress::{Attempt, MistakeKind, QuizRecord, Rating, Store};
use nabla::tui;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tui::app::{App, Start};
use tui::theme::Theme;

fn main() {
    divan::main();
}

const SIZES: [usize; 3] = [1_000, 10_000, 100_000];

const KINDS: [MistakeKind; 4] = [
    MistakeKind::Transpose,
    MistakeKind::Sign,
    MistakeKind::Scale { factor: 2.0 },
    MistakeKind::WrongShape,
];

fn attempt(exercise: &str, n: usize, at: i64) -> Attempt {
    let correct = n.is_multiple_of(3);
    Attempt {
        at,
        exercise: exercise.to_string(),
        lesson_file: Some("lessons/01-scalar-by-vector.toml".to_string()),
        exercise_version: Some(format!("{:016x}", n % 97)),
        seed: n as u64,
        step: None,
        answer: "(A + A')x".to_string(),
        correct,
        completes: correct,
        kind: (!correct).then(|| KINDS[n % 4]),
        mistake: None,
        hints: (n % 2) as u32,
        solution: false,
        millis: Some(4000),
    }
}

/// A database of `n` attempts spread over the built-in course's exercises,
/// a review after every right answer and a quiz every 30 attempts.
fn database(n: usize) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("progress-bench");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("progress-{n}.db"));
    let (mut store, _) = Store::open(Some(&file));
    let have: usize = store
        .progress()
        .exercises
        .values()
        .map(|e| e.attempts as usize)
        .sum();
    if have >= n {
        return file;
    }
    let course = nabla::lesson::load::builtin();
    let ids: Vec<String> = nabla::lesson::exercise::all(&course)
        .iter()
        .map(|l| l.id())
        .collect();
    let t0 = nabla::progress::now() - 86_400 * 365;
    for i in have..n {
        let id = &ids[i % ids.len()];
        let at = t0 + i as i64 * 60;
        let a = attempt(id, i, at);
        let correct = a.correct;
        store.record_attempt(a);
        if correct {
            store.review(id, Rating::Good, at);
        }
        if i % 30 == 29 {
            store.record_quiz(QuizRecord {
                finished_at: at,
                asked: 10,
                correct_first_time: 4,
                seconds: 300,
                lessons: vec!["scalar-by-vector".into()],
            });
        }
        if i % 1000 == 999 {
            store.save().unwrap();
        }
    }
    store.save().unwrap();
    file
}

/// One graded answer and its review, saved: what the tutor does after each
/// verdict. The log grows by one row per iteration (a few hundred on 100k).
#[divan::bench(args = SIZES, sample_count = 200)]
fn save_one_answer(bencher: divan::Bencher, n: usize) {
    let file = database(n);
    let (mut store, _) = Store::open(Some(&file));
    let mut i = n;
    bencher.bench_local(|| {
        i += 1;
        let id = "scalar-by-vector/quadratic-form";
        store.record_attempt(attempt(id, i, nabla::progress::now()));
        store.review(id, Rating::Hard, nabla::progress::now());
        store.save().unwrap();
    });
}

/// `Store::open`: the file opened, its schema checked, the view read.
#[divan::bench(args = SIZES, sample_count = 100)]
fn open(bencher: divan::Bencher, n: usize) {
    let file = database(n);
    bencher.bench_local(|| Store::open(Some(&file)));
}

/// Opening and the first frame of the home screen (course built in,
/// completion per lesson and reviews due from the view), into a TestBackend.
#[divan::bench(args = SIZES, sample_count = 50)]
fn open_and_home_first_frame(bencher: divan::Bencher, n: usize) {
    let file = database(n);
    bencher.bench_local(|| {
        let course = nabla::lesson::load::builtin();
        let mut app = App::new(course, Start::Home, Theme { color: false }, (100, 30));
        let (store, _) = Store::open(Some(&file));
        app.store = Some(store);
        let mut term = Terminal::new(TestBackend::new(100, 30)).unwrap();
        term.draw(|f| tui::view(&app, f)).unwrap();
        term
    });
}
