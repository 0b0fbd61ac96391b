//! The crash and concurrency tests of the progress database, with real
//! processes: `examples/progress_writer.rs` saves answers in a loop,
//! printing how many are saved after each save.
//!
//! - Killed with SIGKILL (`Child::kill`) at random moments: every time the
//!   file passes SQLite's integrity check, the totals agree with the log, and
//!   it holds every answer whose save had completed (the last number
//!   printed) and at most one more, the one being saved when the kill landed.
//! - Two writers on one file at once, while this test reads it: both
//!   writers' answers are all there afterwards, every round, and no read
//!   ever sees half of a write.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime};

use nabla::progress::Store;

/// Builds the writer (a no-op when it is up to date) and returns its path,
/// as cargo reports it.
fn writer() -> PathBuf {
    let out = Command::new(env!("CARGO"))
        .args([
            "build",
            "--example",
            "progress_writer",
            "--message-format=json",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stderr(Stdio::inherit())
        .output()
        .expect("cargo runs");
    assert!(out.status.success(), "building the writer failed");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|m| m["target"]["name"] == "progress_writer")
        .find_map(|m| m["executable"].as_str().map(PathBuf::from))
        .expect("cargo names the writer's executable")
}

fn scratch(name: &str) -> PathBuf {
    let stamp = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let dir = std::env::temp_dir().join(format!(
        "nabla-progress-kill-{}-{stamp}-{name}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// What the file itself says, read in one transaction: SQLite's integrity
/// check, the attempt rows whose exercise starts with `tag`, and whether the
/// derived totals agree with the log (they are written in the same
/// transaction as each row, so any disagreement is a half-seen write).
/// `None` while the file has no schema yet: created, its first transaction
/// (the migration) not committed — a whole state too.
fn try_inspect(file: &Path, tag: &str) -> Option<(String, u64, bool)> {
    let mut conn =
        rusqlite::Connection::open_with_flags(file, rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE)
            .expect("the file opens");
    conn.busy_timeout(Duration::from_secs(10)).unwrap();
    let tx = conn.transaction().unwrap();
    let schema: i64 = tx
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name = 'attempts'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    if schema == 0 {
        return None;
    }
    let check: String = tx
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    let lo = format!("{tag}-");
    let hi = format!("{tag}.");
    let mine: u64 = tx
        .query_row(
            "SELECT count(*) FROM attempts WHERE exercise >= ?1 AND exercise < ?2",
            [&lo, &hi],
            |r| r.get(0),
        )
        .unwrap();
    let logged: i64 = tx
        .query_row("SELECT count(*) FROM attempts", [], |r| r.get(0))
        .unwrap();
    let totalled: i64 = tx
        .query_row(
            "SELECT coalesce(sum(attempts), 0) FROM exercise_stats",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let reviews: i64 = tx
        .query_row("SELECT count(*) FROM reviews", [], |r| r.get(0))
        .unwrap();
    tx.commit().unwrap();
    // Each answer is saved with its review, in one transaction.
    Some((check, mine, logged == totalled && logged == reviews))
}

fn inspect(file: &Path, tag: &str) -> (String, u64, bool) {
    try_inspect(file, tag).expect("the file has its schema")
}

/// xorshift64*: enough randomness for kill times, reproducible from the seed printed.
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n
    }
}

/// Starts the writer; returns it and a channel of the numbers it prints
/// (whole lines only: a number cut off by a kill was never promised).
fn spawn(exe: &Path, file: &Path, args: &[&str]) -> (std::process::Child, mpsc::Receiver<u64>) {
    let mut child = Command::new(exe)
        .arg(file)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the writer starts");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut r = BufReader::new(stdout);
        let mut line = Vec::new();
        while r.read_until(b'\n', &mut line).is_ok_and(|n| n > 0) {
            if line.ends_with(b"\n") {
                let n: u64 = String::from_utf8_lossy(&line).trim().parse().unwrap();
                if tx.send(n).is_err() {
                    break;
                }
            }
            line.clear();
        }
    });
    (child, rx)
}

#[test]
fn killed_mid_save_the_file_holds_every_completed_answer() {
    let exe = writer();
    let dir = scratch("store");
    let file = dir.join("progress.db");
    let seed = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64
        | 1;
    let mut rng = Rng(seed);
    eprintln!("kill test: seed {seed}, file {}", file.display());

    const ROUNDS: usize = 12;
    let mut previous = 0;
    for round in 0..ROUNDS {
        let (mut child, rx) = spawn(&exe, &file, &[]);
        // Wait until it is saving, then kill it at a random moment.
        let first = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the writer saves at least once");
        assert!(first > previous, "round {round}: resumed from the file");
        let delay = Duration::from_micros(rng.below(60_000));
        let started = Instant::now();
        std::thread::sleep(delay);
        child.kill().expect("kill -9");
        let status = child.wait().unwrap();
        // The reader thread ends with the pipe; collect what it read.
        std::thread::sleep(Duration::from_millis(20));
        let promised = rx.try_iter().last().unwrap_or(first);

        let (check, held, agree) = inspect(&file, "w");
        assert_eq!(check, "ok", "round {round}: integrity check after the kill");
        assert!(agree, "round {round}: the totals disagree with the log");
        let (store, message) = Store::open(Some(&file));
        assert_eq!(message, None, "round {round}: the store opens cleanly");
        let in_view: u64 = store
            .progress()
            .exercises
            .values()
            .map(|e| u64::from(e.attempts))
            .sum();
        assert_eq!(in_view, held, "round {round}: the view is the log's");
        assert!(
            held >= promised,
            "round {round}: the file holds {held} answers, {promised} were saved"
        );
        assert!(
            held <= promised + 1,
            "round {round}: {held} answers but only {promised} printed"
        );
        eprintln!(
            "round {round}: killed after {:?} ({status}); {promised} saved and printed, {held} in the file",
            started.elapsed()
        );
        previous = held;
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn two_writers_at_once_lose_nothing() {
    let exe = writer();
    let dir = scratch("two");
    let file = dir.join("progress.db");
    const ROUNDS: u64 = 3;
    const EACH: u64 = 150;
    for round in 1..=ROUNDS {
        let target = (round * EACH).to_string();
        let (mut a, rx_a) = spawn(&exe, &file, &[&target, "a"]);
        let (mut b, rx_b) = spawn(&exe, &file, &[&target, "b"]);
        // Read while they write: every read sees whole transactions only.
        let mut reads = 0;
        while a.try_wait().unwrap().is_none() || b.try_wait().unwrap().is_none() {
            if file.exists()
                && let Some((check, _, agree)) = try_inspect(&file, "a")
            {
                assert_eq!(check, "ok");
                assert!(agree, "round {round}: a read saw half of a write");
                reads += 1;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(
            a.wait().unwrap().success(),
            "round {round}: writer a failed"
        );
        assert!(
            b.wait().unwrap().success(),
            "round {round}: writer b failed"
        );
        assert_eq!(rx_a.iter().last(), Some(round * EACH));
        assert_eq!(rx_b.iter().last(), Some(round * EACH));
        let (check, held_a, agree) = inspect(&file, "a");
        let (_, held_b, _) = inspect(&file, "b");
        assert_eq!(check, "ok");
        assert!(agree);
        assert_eq!(
            (held_a, held_b),
            (round * EACH, round * EACH),
            "round {round}: both writers' answers are all there"
        );
        eprintln!("round {round}: {held_a} + {held_b} answers, {reads} reads while writing");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Found when two writers started on a new file at once (under load): the
/// second one's switch of the fresh file to WAL failed at once with
/// "database is locked", which SQLite's busy handler does not cover, and
/// opening took the lock for a broken file. Several writers start on a new
/// file together, again and again: every one saves all its answers and no
/// file is set aside as corrupt.
#[test]
fn writers_starting_together_on_a_new_file_all_save() {
    let exe = writer();
    let dir = scratch("together");
    const WRITERS: usize = 6;
    const EACH: u64 = 5;
    for round in 0..10 {
        let file = dir.join(format!("progress-{round}.db"));
        let tags: Vec<String> = (0..WRITERS).map(|w| format!("w{w}")).collect();
        let children: Vec<_> = tags
            .iter()
            .map(|t| spawn(&exe, &file, &[&EACH.to_string(), t]))
            .collect();
        for (i, (mut child, rx)) in children.into_iter().enumerate() {
            assert!(
                child.wait().unwrap().success(),
                "round {round}: writer {i} failed"
            );
            assert_eq!(rx.iter().last(), Some(EACH), "round {round}: writer {i}");
        }
        let aside: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("corrupt"))
            .collect();
        assert!(aside.is_empty(), "round {round}: set aside {aside:?}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
