//! Saves graded answers as fast as it can, for the kill and two-writer tests
//! (`tests/progress_kill.rs`) and for anyone curious how fast a save is:
//!
//!     cargo run --example progress_writer -- /tmp/p.db [MAX_ANSWERS [TAG]]
//!
//! It opens the database (resuming its own count: the answers to exercises
//! whose ids start with TAG, default `w`), then loops: record one graded
//! answer and a review, save, print the number of its answers now saved.
//! Each printed number is a promise that the file holds at least that many
//! of its answers, whenever the process is killed.

use std::io::Write;
use std::path::PathBuf;

use nabla::progress::{Attempt, MistakeKind, Rating, Store};

const KINDS: [MistakeKind; 4] = [
    MistakeKind::Transpose,
    MistakeKind::Sign,
    MistakeKind::Scale { factor: 2.0 },
    MistakeKind::SymmetricOnly,
];

fn main() {
    let Some(path) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: progress_writer FILE [MAX_ANSWERS [TAG]]");
        std::process::exit(2);
    };
    let max: u64 = std::env::args()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(u64::MAX);
    let tag = std::env::args().nth(3).unwrap_or_else(|| "w".to_string());
    let (mut store, message) = Store::open(Some(&path));
    if let Some(m) = message {
        eprintln!("{m}");
        std::process::exit(1);
    }
    let prefix = format!("{tag}-");
    let mut saved: u64 = store
        .progress()
        .exercises
        .iter()
        .filter(|(id, _)| id.starts_with(&prefix))
        .map(|(_, e)| u64::from(e.attempts))
        .sum();
    let mut out = std::io::stdout().lock();
    let now = nabla::progress::now();
    while saved < max {
        let n = saved + 1;
        // Sixty exercises in six lessons.
        let id = format!("{tag}-lesson-{}/exercise-{}", n % 6, n % 60);
        let correct = n.is_multiple_of(3);
        let at = now + i64::try_from(n).unwrap_or(i64::MAX);
        store.record_attempt(Attempt {
            at,
            exercise: id.clone(),
            lesson_file: Some(format!("{tag}-lesson-{}.toml", n % 6)),
            exercise_version: Some(format!("{:016x}", n % 60)),
            seed: n,
            step: None,
            answer: format!("answer {n}"),
            correct,
            completes: correct,
            kind: (!correct).then(|| KINDS[(n % 4) as usize]),
            mistake: None,
            hints: (n % 2) as u32,
            solution: false,
            millis: Some(n % 5000),
        });
        let rating = if correct { Rating::Good } else { Rating::Again };
        store.review(&id, rating, at);
        if let Err(e) = store.save() {
            eprintln!("save failed: {e}");
            std::process::exit(1);
        }
        saved = n;
        if writeln!(out, "{saved}").and_then(|()| out.flush()).is_err() {
            return;
        }
    }
}
