//! Saves progress as fast as it can, for the kill test (`tests/progress_kill.rs`)
//! and for anyone curious how fast an atomic save is:
//!
//!     cargo run --example progress_writer -- /tmp/p.json
//!
//! It opens the file (resuming its count), then loops: record one graded
//! answer, save, print the number of answers now saved. Each printed number is
//! a promise that the file holds at least that many answers, whenever the
//! process is killed.

use std::io::Write;
use std::path::PathBuf;

use nabla::progress::{Rating, Store};

const DIAGNOSES: [&str; 4] = ["transpose", "sign", "scale", "symmetric_only"];

fn main() {
    let Some(path) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: progress_writer FILE [MAX_ANSWERS]");
        std::process::exit(2);
    };
    let max: u64 = std::env::args()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(u64::MAX);
    let (mut store, message) = Store::open(Some(&path));
    if let Some(m) = message {
        eprintln!("{m}");
        std::process::exit(1);
    }
    let mut saved: u64 = store
        .progress
        .exercises
        .values()
        .map(|e| u64::from(e.attempts))
        .sum();
    let mut out = std::io::stdout().lock();
    let now = nabla::progress::now();
    while saved < max {
        let n = saved + 1;
        // Sixty exercises in six lessons, so the file is tens of kilobytes.
        let id = format!("lesson-{}/exercise-{}", n % 6, n % 60);
        let correct = n.is_multiple_of(3);
        let diagnosis = (!correct).then(|| DIAGNOSES[(n % 4) as usize]);
        let at = now + i64::try_from(n).unwrap_or(i64::MAX);
        store
            .progress
            .record_answer(&id, n, correct, diagnosis, (n % 2) as u32, at);
        let rating = if correct { Rating::Good } else { Rating::Again };
        store.progress.review(&id, rating, at);
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
