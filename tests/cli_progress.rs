//! `nabla progress` from the command line: the per-lesson summary,
//! `--export json`, `--reset` and a damaged file, run against the real binary.
//! Every run is given `--progress` in a fresh folder under the system temp
//! dir, so the real data directory is never touched.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use nabla::lesson::exercise::{self, Located};
use nabla::lesson::load;
use nabla::progress::{self, Progress, QuizRecord, Rating, Store};

fn scratch(name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "nabla-cli-progress-{}-{}-{name}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `nabla --progress FILE ARGS...`: (exit code, stdout, stderr).
fn nabla(file: &Path, args: &[&str]) -> (i32, String, String) {
    let file = file.to_str().expect("a UTF-8 temp path");
    let mut all = vec!["--progress", file];
    all.extend_from_slice(args);
    common::cli::nabla(&all)
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// The first lesson of the built-in course and its exercise ids.
fn first_lesson() -> (String, String, Vec<String>) {
    let course = load::builtin();
    let lesson = &course.lessons[0];
    let ids = lesson
        .data
        .exercises
        .iter()
        .map(|ex| Located { lesson, ex }.id())
        .collect();
    (lesson.id().to_string(), lesson.title().to_string(), ids)
}

/// Some progress in the first lesson: one exercise solved after two
/// transposes, one reviewed and due again, and a quiz.
fn some_progress(file: &Path) -> Progress {
    let (lesson, _, ids) = first_lesson();
    let now = progress::now();
    let mut store = Store::new(file.to_path_buf());
    let p = &mut store.progress;
    p.record_answer(&ids[0], 1, false, Some("transpose"), 0, now - 3000);
    p.record_answer(&ids[0], 1, false, Some("transpose"), 1, now - 2900);
    p.record_answer(&ids[0], 1, true, None, 1, now - 2800);
    p.review(&ids[0], Rating::Hard, now - 2800);
    p.record_answer(&ids[1], 9, false, Some("sign"), 0, now - 2700);
    p.review(&ids[1], Rating::Again, now - 2700);
    p.open_lesson(&lesson, 2);
    p.record_quiz(QuizRecord {
        finished_at: now - 2610,
        asked: 4,
        correct_first_time: 3,
        seconds: 300,
        lessons: vec![lesson.clone()],
    });
    store.save().unwrap();
    store.progress
}

#[test]
fn an_empty_summary_lists_every_lesson() {
    let dir = scratch("empty");
    let file = dir.join("p.json");
    let (code, out, err) = nabla(&file, &["progress"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(err, "");
    assert!(out.contains(&file.display().to_string()), "{out}");
    assert!(out.contains("No answers recorded yet"), "{out}");
    let course = load::builtin();
    for lesson in &course.lessons {
        assert!(out.contains(lesson.id()), "{} missing:\n{out}", lesson.id());
        let total = exercise::all(&course)
            .iter()
            .filter(|l| l.lesson.id() == lesson.id())
            .count();
        assert!(out.contains(&format!("solved 0/{total}")), "{out}");
    }
    assert!(out.contains("No reviews due now"), "{out}");
    assert!(!file.exists(), "a summary writes nothing");
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn the_summary_shows_solved_attempts_mistakes_reviews_and_the_last_quiz() {
    let dir = scratch("summary");
    let file = dir.join("p.json");
    some_progress(&file);
    let (lesson, title, ids) = first_lesson();
    let (code, out, err) = nabla(&file, &["progress"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(err, "");
    assert!(out.contains(&format!("{lesson}  {title}")), "{out}");
    assert!(
        out.contains(&format!("solved 1/{}, 4 attempts", ids.len())),
        "{out}"
    );
    assert!(out.contains("transposed ×2, sign ×1"), "{out}");
    assert!(out.contains("Reviews due now: 2"), "{out}");
    assert!(out.contains(&ids[1]), "{out}");
    assert!(out.contains("Last quiz: 43 minutes ago"), "{out}");
    assert!(
        out.contains("3 of 4 right first time, in 5 minutes"),
        "{out}"
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn the_summary_follows_lessons_dir() {
    let dir = scratch("lessons-dir");
    let file = dir.join("p.json");
    let lessons = dir.join("lessons");
    fs::create_dir(&lessons).unwrap();
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons/00-notation.toml");
    fs::copy(&source, lessons.join("00-notation.toml")).unwrap();
    some_progress(&file);
    let (code, out, err) = nabla(&file, &["progress", "--lessons", lessons.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let (lesson, _, _) = first_lesson();
    assert!(out.contains(&lesson), "{out}");
    let others = load::builtin().lessons.len() - 1;
    assert_eq!(
        out.matches("    solved ").count(),
        1,
        "one lesson of {}: {out}",
        others + 1
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn export_json_prints_the_whole_record() {
    let dir = scratch("export");
    let file = dir.join("p.json");
    let saved = some_progress(&file);
    let (code, out, err) = nabla(&file, &["progress", "--export", "json"]);
    assert_eq!(code, 0, "{err}");
    let exported: Progress = serde_json::from_str(&out).expect("stdout is the progress as JSON");
    assert_eq!(exported, saved);
    let value: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(value["version"], 1);

    // With no file yet: an empty record, still JSON.
    let (code, out, _) = nabla(&dir.join("none.json"), &["progress", "--export", "json"]);
    assert_eq!(code, 0);
    assert_eq!(
        serde_json::from_str::<Progress>(&out).unwrap(),
        Progress::new()
    );

    // Only json is offered.
    let (code, _, err) = nabla(&file, &["progress", "--export", "xml"]);
    assert_eq!(code, 2, "{err}");
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn reset_moves_the_file_aside_and_says_where() {
    let dir = scratch("reset");
    let file = dir.join("p.json");
    some_progress(&file);
    let before = fs::read(&file).unwrap();
    let (code, out, err) = nabla(&file, &["progress", "--reset"]);
    assert_eq!(code, 0, "{err}");
    let files = files_in(&dir);
    assert_eq!(files.len(), 2, "{files:?}");
    let aside = files
        .iter()
        .find(|f| f.starts_with("p.json.reset-"))
        .unwrap();
    assert!(
        out.contains(&dir.join(aside).display().to_string()),
        "{out}"
    );
    assert_eq!(fs::read(dir.join(aside)).unwrap(), before, "kept intact");
    let (fresh, message) = Store::open(Some(&file));
    assert_eq!(message, None);
    assert_eq!(fresh.progress, Progress::new());

    // Resetting again moves the fresh file aside too: nothing is ever deleted.
    let (code, _, _) = nabla(&file, &["progress", "--reset"]);
    assert_eq!(code, 0);
    assert_eq!(files_in(&dir).len(), 3);
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn reset_where_nothing_can_be_written_exits_2() {
    let dir = scratch("unwritable");
    fs::write(dir.join("blocker"), "a file, not a folder").unwrap();
    let file = dir.join("blocker/p.json");
    let (code, _, err) = nabla(&file, &["progress", "--reset"]);
    assert_eq!(code, 2);
    assert!(err.contains("could not write"), "{err}");
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_corrupt_file_is_reported_on_stderr_and_moved_aside() {
    let dir = scratch("corrupt");
    let file = dir.join("p.json");
    fs::write(&file, "{\"version\": 1, \"exercises\": {\"a/b\": {\"attem").unwrap();
    let (code, out, err) = nabla(&file, &["progress"]);
    assert_eq!(code, 0, "{err}");
    let files = files_in(&dir);
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(files[0].starts_with("p.json.corrupt-"), "{files:?}");
    assert!(err.contains("could not be read"), "{err}");
    assert!(
        err.contains(&dir.join(&files[0]).display().to_string()),
        "{err}"
    );
    assert!(!out.contains("could not be read"), "messages go to stderr");
    assert!(out.contains("No answers recorded yet"), "{out}");

    // A newer file, with --export: stdout stays pure JSON.
    fs::write(&file, r#"{"version": 99}"#).unwrap();
    let (code, out, err) = nabla(&file, &["progress", "--export", "json"]);
    assert_eq!(code, 0);
    assert!(err.contains("newer nabla"), "{err}");
    assert_eq!(
        serde_json::from_str::<Progress>(&out).unwrap(),
        Progress::new()
    );
    assert!(
        files_in(&dir)
            .iter()
            .any(|f| f.starts_with("p.json.newer-"))
    );
    let _ = fs::remove_dir_all(&dir);
}
