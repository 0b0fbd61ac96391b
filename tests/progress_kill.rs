//! The crash test of the progress store: `examples/progress_writer.rs` saves
//! answers in a loop, printing how many are saved after each save, and is
//! killed with SIGKILL (`Child::kill`) at random moments. Every time, the file
//! must still parse cleanly and hold at least every answer whose save had
//! completed (the last number printed) — and at most one more, the one being
//! saved when the kill landed.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime};

use nabla::progress::{Progress, Store};

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

fn answers(p: &Progress) -> u64 {
    p.exercises.values().map(|e| u64::from(e.attempts)).sum()
}

fn temp_files(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.file_name().to_string_lossy().contains(".tmp-"))
        })
        .count()
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

#[test]
fn killed_mid_save_the_file_holds_every_completed_answer() {
    let exe = writer();
    let dir = scratch("store");
    let file = dir.join("progress.json");
    let seed = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64
        | 1;
    let mut rng = Rng(seed);
    eprintln!("kill test: seed {seed}, file {}", file.display());

    const ROUNDS: usize = 12;
    let mut caught_mid_save = 0;
    let mut previous = 0;
    for round in 0..ROUNDS {
        let mut child = Command::new(&exe)
            .arg(&file)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the writer starts");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            let mut line = Vec::new();
            // Only whole lines count: a number cut off by the kill was never promised.
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
        reader.join().unwrap();
        let promised = rx.try_iter().last().unwrap_or(first);
        let temps = temp_files(&dir);

        let bytes = std::fs::read(&file).expect("the file is there");
        let parsed: Progress = serde_json::from_slice(&bytes).unwrap_or_else(|e| {
            panic!("round {round}: the file does not parse after the kill: {e}")
        });
        let (store, message) = Store::open(Some(&file));
        assert_eq!(message, None, "round {round}: the store opens cleanly");
        assert_eq!(store.progress, parsed);
        let held = answers(&store.progress);
        assert!(
            held >= promised,
            "round {round}: the file holds {held} answers, {promised} were saved"
        );
        assert!(
            held <= promised + 1,
            "round {round}: {held} answers but only {promised} printed"
        );
        assert!(temps <= 1, "round {round}: {temps} temp files");
        if held == promised + 1 || temps == 1 {
            caught_mid_save += 1;
        }
        eprintln!(
            "round {round}: killed after {:?} ({status}); {promised} saved and printed, {held} in the file, {temps} temp file(s) left",
            started.elapsed()
        );
        // Clear a left temp file so the next round's count is its own.
        for e in std::fs::read_dir(&dir).unwrap().flatten() {
            if e.file_name().to_string_lossy().contains(".tmp-") {
                std::fs::remove_file(e.path()).unwrap();
            }
        }
        previous = held;
    }
    eprintln!(
        "kill test: {ROUNDS} kills, {caught_mid_save} landed inside a save (temp file left or file ahead of the count)"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
