//! `nabla progress` from the command line: the per-lesson summary with the
//! mistakes by kind, `--history`, `--export json|csv`, `--reset` (asking, or
//! `--yes`), a damaged file and a JSON file of the previous release, run
//! against the real binary.
//! Every run is given `--progress` in a fresh folder under the system temp
//! dir, so the real data directory is never touched.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use nabla::lesson::exercise::{self, Located};
use nabla::lesson::load;
use nabla::progress::{self, Attempt, MistakeKind, Progress, QuizRecord, Rating, Store};

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

fn attempt(id: &str, seed: u64, kind: Option<MistakeKind>, hints: u32, at: i64) -> Attempt {
    Attempt {
        at,
        exercise: id.to_string(),
        lesson_file: Some("00-notation.toml".to_string()),
        exercise_version: Some("00000000000000aa".to_string()),
        seed,
        step: None,
        answer: if kind.is_some() { "x'A" } else { "A'x" }.to_string(),
        correct: kind.is_none(),
        completes: kind.is_none(),
        kind,
        mistake: None,
        hints,
        solution: false,
        millis: Some(4200),
    }
}

/// Some progress in the first lesson: one exercise solved after two
/// transposes, one reviewed and due again, and a quiz.
fn some_progress(file: &Path) -> Progress {
    let (lesson, _, ids) = first_lesson();
    let now = progress::now();
    let mut store = Store::new(file.to_path_buf());
    store.record_attempt(attempt(
        &ids[0],
        1,
        Some(MistakeKind::Transpose),
        0,
        now - 3000,
    ));
    store.record_attempt(attempt(
        &ids[0],
        1,
        Some(MistakeKind::Transpose),
        1,
        now - 2900,
    ));
    store.record_attempt(attempt(&ids[0], 1, None, 1, now - 2800));
    store.review(&ids[0], Rating::Hard, now - 2800);
    store.record_attempt(attempt(&ids[1], 9, Some(MistakeKind::Sign), 0, now - 2700));
    store.review(&ids[1], Rating::Again, now - 2700);
    store.open_lesson(&lesson, 2);
    store.record_quiz(QuizRecord {
        finished_at: now - 2610,
        asked: 4,
        correct_first_time: 3,
        seconds: 300,
        lessons: vec![lesson.clone()],
    });
    store.save().unwrap();
    store.progress().clone()
}

#[test]
fn an_empty_summary_lists_every_lesson() {
    let dir = scratch("empty");
    let file = dir.join("p.db");
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
    let file = dir.join("p.db");
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
    assert!(
        out.contains("most common mistakes: transposed answers ×2, sign slips ×1"),
        "{out}"
    );
    assert!(
        out.contains("Mistakes by kind: transposed answers ×2, sign slips ×1."),
        "{out}"
    );
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
    let file = dir.join("p.db");
    let lessons = dir.join("lessons");
    fs::create_dir(&lessons).unwrap();
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons/00-notation.toml");
    fs::copy(&source, lessons.join("00-notation.toml")).unwrap();
    some_progress(&file);
    let (code, out, err) = nabla(
        &file,
        &[
            "progress",
            "--no-builtin",
            "--lessons",
            lessons.to_str().unwrap(),
        ],
    );
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
fn export_json_prints_the_whole_log() {
    let dir = scratch("export");
    let file = dir.join("p.db");
    let saved = some_progress(&file);
    let (code, out, err) = nabla(&file, &["progress", "--export", "json"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 1, "one object on one line");
    let v: serde_json::Value = serde_json::from_str(&out).expect("stdout is JSON");
    assert_eq!(v["schema_version"], 1);
    let attempts = v["attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 4);
    assert_eq!(attempts[0]["kind"], "transpose");
    assert_eq!(attempts[0]["answer"], "x'A");
    assert_eq!(attempts[2]["correct"], true);
    assert_eq!(attempts[2]["kind"], serde_json::Value::Null);
    assert_eq!(v["reviews"].as_array().unwrap().len(), 2);
    assert_eq!(v["reviews"][0]["rating"], "hard");
    assert_eq!(v["quizzes"].as_array().unwrap().len(), 1);
    let exercises: std::collections::BTreeMap<String, progress::ExerciseProgress> =
        serde_json::from_value(v["exercises"].clone()).unwrap();
    assert_eq!(exercises, saved.exercises);

    // With no file yet: an empty log, still JSON, and no file made.
    let none = dir.join("none.db");
    let (code, out, _) = nabla(&none, &["progress", "--export", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["attempts"], serde_json::json!([]));
    assert!(!none.exists());

    // Only json and csv are offered.
    let (code, _, err) = nabla(&file, &["progress", "--export", "xml"]);
    assert_eq!(code, 2, "{err}");
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn export_csv_has_a_row_per_attempt() {
    let dir = scratch("csv");
    let file = dir.join("p.db");
    some_progress(&file);
    let (code, out, err) = nabla(&file, &["progress", "--export", "csv"]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 5, "a header and four attempts: {out}");
    assert!(lines[0].starts_with("id,at,exercise,"), "{out}");
    let header: Vec<&str> = lines[0].split(',').collect();
    let kind = header.iter().position(|c| *c == "kind").unwrap();
    assert_eq!(lines[1].split(',').nth(kind), Some("transpose"), "{out}");
    assert_eq!(lines[3].split(',').nth(kind), Some(""), "{out}");
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn history_lists_attempts_by_lesson_with_their_kinds() {
    let dir = scratch("history");
    let file = dir.join("p.db");
    some_progress(&file);
    let (lesson, _, ids) = first_lesson();
    let (code, out, err) = nabla(&file, &["progress", "--history"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.matches(&ids[0]).count(), 3, "{out}");
    assert!(out.contains("transposed answers: x'A"), "{out}");
    assert!(out.contains("sign slips"), "{out}");
    assert!(out.contains("right: A'x  (1 hint, 4.2 s)"), "{out}");
    assert!(out.contains("4 attempts."), "{out}");
    let (_, out, _) = nabla(&file, &["progress", "--history", "--lesson", "no-such"]);
    assert!(out.contains("No attempts recorded yet in no-such"), "{out}");
    let (code, out, _) = nabla(
        &file,
        &["progress", "--history", "--lesson", &lesson, "--json"],
    );
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["attempts"].as_array().unwrap().len(), 4);
    assert_eq!(v["attempts"][3]["kind"], "sign");
    // --lesson and --json belong to --history.
    let (code, _, _) = nabla(&file, &["progress", "--json"]);
    assert_eq!(code, 2);
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn reset_moves_the_file_aside_and_says_where() {
    let dir = scratch("reset");
    let file = dir.join("p.db");
    let saved = some_progress(&file);
    // Not on a terminal: it will not go ahead without --yes.
    let (code, _, err) = nabla(&file, &["progress", "--reset"]);
    assert_eq!(code, 2);
    assert!(err.contains("--yes"), "{err}");
    assert_eq!(
        Store::open(Some(&file)).0.progress(),
        &saved,
        "nothing changed"
    );
    let (code, out, err) = nabla(&file, &["progress", "--reset", "--yes"]);
    assert_eq!(code, 0, "{err}");
    let files = files_in(&dir);
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(files[0].starts_with("p.db.reset-"), "{files:?}");
    assert!(
        out.contains(&dir.join(&files[0]).display().to_string()),
        "{out}"
    );
    let aside = dir.join(&files[0]);
    assert_eq!(Store::open(Some(&aside)).0.progress(), &saved, "kept whole");
    let (fresh, message) = Store::open(Some(&file));
    assert_eq!(message, None);
    assert_eq!(*fresh.progress(), Progress::new());

    // Resetting again with nothing there: said so, nothing deleted.
    let (code, out, _) = nabla(&file, &["progress", "--reset", "--yes"]);
    assert_eq!(code, 0);
    assert!(out.contains("no progress to reset"), "{out}");
    assert_eq!(files_in(&dir).len(), 1);
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_json_file_of_the_previous_release_opens_with_all_its_progress() {
    let dir = scratch("legacy");
    let file = dir.join("progress.json");
    fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/progress-v1.json"),
        &file,
    )
    .unwrap();
    let course = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/quiz-course");
    let (code, out, err) = nabla(
        &file,
        &[
            "progress",
            "--no-builtin",
            "--lessons",
            course.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("was brought into the database"), "{err}");
    assert!(out.contains("solved 2/2, 6 attempts"), "{out}");
    assert!(out.contains("classic mistakes ×2"), "{out}");
    assert!(out.contains("Last quiz"), "{out}");
    // Once: the second run says nothing.
    let (_, out2, err2) = nabla(
        &file,
        &[
            "progress",
            "--no-builtin",
            "--lessons",
            course.to_str().unwrap(),
        ],
    );
    assert_eq!(err2, "");
    assert_eq!(out2.lines().count(), out.lines().count());
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_corrupt_file_is_reported_on_stderr_and_moved_aside() {
    let dir = scratch("corrupt");
    let file = dir.join("p.db");
    fs::write(&file, "{\"version\": 1, \"exercises\": {\"a/b\": {\"attem").unwrap();
    let (code, out, err) = nabla(&file, &["progress"]);
    assert_eq!(code, 0, "{err}");
    let files = files_in(&dir);
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(files[0].starts_with("p.db.corrupt-"), "{files:?}");
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
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["attempts"], serde_json::json!([]));
    assert!(files_in(&dir).iter().any(|f| f.starts_with("p.db.newer-")));
    let _ = fs::remove_dir_all(&dir);
}

#[cfg(all(unix, not(target_os = "macos")))]
#[test]
fn the_default_json_file_is_imported_into_the_default_database_beside_it() {
    // The platform's data directory, pointed into a scratch folder: the
    // previous release's progress.json there becomes progress.db beside it.
    let dir = scratch("default-dir");
    let data = dir.join("nabla");
    fs::create_dir_all(&data).unwrap();
    fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/progress-v1.json"),
        data.join("progress.json"),
    )
    .unwrap();
    let course = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/quiz-course");
    let run = || {
        let out = assert_cmd::Command::cargo_bin("nabla")
            .unwrap()
            .env("XDG_DATA_HOME", &dir)
            .env("HOME", &dir)
            .args([
                "--no-builtin",
                "--lessons",
                course.to_str().unwrap(),
                "progress",
            ])
            .output()
            .unwrap();
        (
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let (out, err) = run();
    assert!(err.contains("was brought into the database"), "{err}");
    assert!(
        out.contains(&data.join("progress.db").display().to_string()),
        "{out}"
    );
    assert!(out.contains("solved 2/2, 6 attempts"), "{out}");
    let files = files_in(&data);
    assert!(files.contains(&"progress.db".to_string()), "{files:?}");
    assert!(!files.contains(&"progress.json".to_string()), "{files:?}");
    assert_eq!(
        files
            .iter()
            .filter(|f| f.starts_with("progress.json.imported-"))
            .count(),
        1,
        "{files:?}"
    );
    // Once only.
    let (again, err) = run();
    assert_eq!(err, "");
    assert!(again.contains("solved 2/2, 6 attempts"), "{again}");
    let _ = fs::remove_dir_all(&dir);
}
