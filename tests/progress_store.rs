//! The progress database through the library's public API: the round trip,
//! the file-safety rules (mode, symlinks, never a FIFO or a folder), damaged
//! and newer files moved aside, the one-time import of a JSON file written
//! by the previous release (`tests/data/progress-v1.json`), mistake kinds
//! kept as kinds, the FSRS schedule, and the quiz picker. Every file lives in
//! a fresh folder under the system temp dir, never the real data dir.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use nabla::progress::{
    self, Attempt, LessonProgress, MistakeKind, Progress, QuizRecord, Rating, Store, pick_quiz,
};

const T0: i64 = 1_700_000_000;
const DAY: i64 = 86_400;

/// The JSON file the previous release wrote (its tutor, a two-question
/// quiz: a known mistake, a sign slip, a hint, a scale slip), kept as it was.
const FIXTURE: &str = include_str!("data/progress-v1.json");

/// A fresh, empty folder for one test.
fn scratch(name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "nabla-progress-store-{}-{}-{name}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn ids(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// A graded answer with the fields a test does not care about filled in.
fn attempt(id: &str, seed: u64, kind: Option<MistakeKind>, hints: u32, at: i64) -> Attempt {
    Attempt {
        at,
        exercise: id.to_string(),
        lesson_file: Some("lessons/x.toml".to_string()),
        exercise_version: Some("0123456789abcdef".to_string()),
        seed,
        step: None,
        answer: format!("answer to {id}"),
        correct: kind.is_none(),
        completes: kind.is_none(),
        kind,
        mistake: None,
        hints,
        solution: false,
        millis: Some(2500),
    }
}

/// A store using every kind of change.
fn busy(store: &mut Store) {
    store.record_attempt(attempt(
        "grad/quad",
        11,
        Some(MistakeKind::Transpose),
        0,
        T0,
    ));
    store.record_hint("grad/quad", 1, T0 + 20);
    let mut known = attempt(
        "grad/quad",
        12,
        Some(MistakeKind::SymmetricOnly),
        1,
        T0 + 30,
    );
    known.mistake = Some(2);
    store.record_attempt(known);
    store.record_attempt(attempt("grad/quad", 12, None, 1, T0 + 60));
    store.review("grad/quad", Rating::Hard, T0 + 60);
    store.record_attempt(attempt("grad/lin", 5, None, 0, T0 + 90));
    store.review("grad/lin", Rating::Good, T0 + 90);
    store.record_hint("jac/chain", 2, T0 + 100);
    store.record_gave_up("jac/chain", T0 + 110);
    store.review("jac/chain", Rating::Again, T0 + 120);
    store.open_lesson("grad", 7);
    store.record_quiz(QuizRecord {
        finished_at: T0 + 200,
        asked: 3,
        correct_first_time: 1,
        seconds: 95,
        lessons: vec!["grad".into(), "jac".into()],
    });
}

#[test]
fn round_trip() {
    let dir = scratch("round-trip");
    let file = dir.join("progress.db");
    let (mut store, message) = Store::open(Some(&file));
    assert_eq!(message, None, "a missing file is a fresh start, silently");
    assert_eq!(*store.progress(), Progress::new());
    assert!(!file.exists(), "opening writes nothing");

    busy(&mut store);
    assert!(store.is_dirty());
    store.save().unwrap();
    assert!(!store.is_dirty());
    let (mut back, message) = Store::open(Some(&file));
    assert_eq!(message, None);
    assert_eq!(back.path, file);
    assert_eq!(
        back.progress(),
        store.progress(),
        "the view read back is the one kept"
    );
    let e = &back.progress().exercises["grad/quad"];
    assert_eq!((e.attempts, e.correct, e.hints_used), (3, 1, 1));
    assert!(e.solved && e.last_correct == Some(true));
    assert!(back.progress().exercises["jac/chain"].gave_up);

    // Saving with nothing queued writes nothing and changes nothing.
    back.save().unwrap();
    assert_eq!(Store::open(Some(&file)).0.progress(), store.progress());
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn every_attempt_is_kept_with_its_kind() {
    let dir = scratch("kinds");
    let file = dir.join("p.db");
    let mut store = Store::open(Some(&file)).0;
    let kinds = [
        MistakeKind::Transpose,
        MistakeKind::Sign,
        MistakeKind::Scale { factor: -0.5 },
        MistakeKind::SymmetricOnly,
        MistakeKind::KnownMistake,
        MistakeKind::WrongShape,
        MistakeKind::Incorrect,
    ];
    let mut sent = Vec::new();
    for (i, k) in kinds.iter().enumerate() {
        let mut a = attempt(
            "bp/net",
            u64::MAX - i as u64,
            Some(*k),
            i as u32,
            T0 + i as i64,
        );
        a.step = Some(i as u32);
        a.mistake = (i % 2 == 0).then_some(i as u32);
        a.answer = format!("W'·δ{i} «typed», with ünïcode");
        a.solution = i == 3;
        a.millis = Some(1000 + i as u64);
        store.record_attempt(a.clone());
        sent.push(a);
    }
    // Fifteen transposes, counted as transposes, not "known mistakes".
    for i in 0..15 {
        let mut a = attempt("grad/quad", i, Some(MistakeKind::Transpose), 0, T0 + 100);
        a.mistake = Some(0);
        store.record_attempt(a);
    }
    store.save().unwrap();
    let mut back = Store::open(Some(&file)).0;
    let log: Vec<Attempt> = back
        .history(Some("bp"))
        .unwrap()
        .into_iter()
        .map(|l| l.attempt)
        .collect();
    assert_eq!(log, sent, "every field of every attempt comes back");
    assert_eq!(back.history(None).unwrap().len(), kinds.len() + 15);
    assert_eq!(
        back.history(Some("b")).unwrap().len(),
        0,
        "a lesson is a whole id"
    );
    let totals = back.progress().diagnosis_totals(["grad/quad", "bp/net"]);
    assert_eq!(totals[0], ("transpose".to_string(), 16));
    assert!(
        totals.iter().all(|(k, n)| k == "transpose" || *n == 1),
        "{totals:?}"
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_json_file_from_the_previous_release_is_imported_once_and_kept() {
    let dir = scratch("import");
    let file = dir.join("progress.json");
    fs::write(&file, FIXTURE).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&file, fs::Permissions::from_mode(0o640)).unwrap();
    }
    let old: serde_json::Value = serde_json::from_str(FIXTURE).unwrap();
    let (mut store, message) = Store::open(Some(&file));
    let message = message.expect("the import is told");
    let kept: Vec<String> = names(&dir)
        .into_iter()
        .filter(|n| n.starts_with("progress.json.imported-"))
        .collect();
    assert_eq!(kept.len(), 1, "{:?}", names(&dir));
    assert!(message.contains(&kept[0]), "{message}");
    assert_eq!(
        fs::read_to_string(dir.join(&kept[0])).unwrap(),
        FIXTURE,
        "the JSON file is kept as it was"
    );
    assert!(
        fs::read(&file).unwrap().starts_with(b"SQLite format 3\0"),
        "--progress FILE: the file is now the database"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640, "the database keeps the JSON file's mode");
    }
    // All of its progress is there.
    let p = store.progress().clone();
    for (id, e) in old["exercises"].as_object().unwrap() {
        let got = &p.exercises[id];
        assert_eq!(
            u64::from(got.attempts),
            e["attempts"].as_u64().unwrap(),
            "{id}"
        );
        assert_eq!(
            u64::from(got.correct),
            e["correct"].as_u64().unwrap(),
            "{id}"
        );
        assert_eq!(u64::from(got.hints_used), e["hints_used"].as_u64().unwrap());
        assert_eq!(got.solved, e["solved"].as_bool().unwrap());
        assert_eq!(got.last_seed, e["last_seed"].as_u64());
        for (kind, n) in e["diagnoses"].as_object().unwrap() {
            assert_eq!(
                u64::from(got.diagnoses[kind]),
                n.as_u64().unwrap(),
                "{id} {kind}"
            );
        }
        let card = got.card.as_ref().unwrap();
        assert_eq!(card.due, e["card"]["due"].as_i64().unwrap());
        assert_eq!(card.stability, e["card"]["stability"].as_f64().unwrap());
    }
    assert_eq!(p.last_lesson.as_deref(), old["last_lesson"].as_str());
    assert_eq!(p.quizzes.len(), old["quizzes"].as_array().unwrap().len());
    // New answers go on top; opening again imports nothing twice.
    store.record_attempt(attempt("quiz/square", 1, None, 0, T0));
    store.save().unwrap();
    let (again, message) = Store::open(Some(&file));
    assert_eq!(message, None);
    assert_eq!(again.progress().exercises["quiz/square"].attempts, 4);
    assert_eq!(
        names(&dir)
            .iter()
            .filter(|n| n.contains("imported"))
            .count(),
        1
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_half_done_import_is_done_again_from_the_json_file() {
    // A temp database left by an import killed before the rename: the JSON
    // file is still in place, so it is imported (again, whole).
    let dir = scratch("half-import");
    let file = dir.join("p.json");
    fs::write(&file, FIXTURE).unwrap();
    fs::write(dir.join(".p.json.import-1-0"), b"half").unwrap();
    let (store, message) = Store::open(Some(&file));
    assert!(message.is_some());
    assert_eq!(store.progress().exercises["quiz/linear"].attempts, 3);
    let _ = fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn the_files_mode_is_kept_and_a_new_file_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let dir = scratch("mode");
    let file = dir.join("progress.db");
    let mut store = Store::open(Some(&file)).0;
    store.record_attempt(attempt("l/e", 1, None, 0, T0));
    store.save().unwrap();
    assert_eq!(
        mode(&file),
        0o600,
        "a new progress file is the student's alone"
    );
    let wal = dir.join("progress.db-wal");
    if wal.exists() {
        assert_eq!(mode(&wal), 0o600, "and so is its log");
    }
    for kept in [0o640, 0o600, 0o644] {
        fs::set_permissions(&file, fs::Permissions::from_mode(kept)).unwrap();
        let mut store = Store::open(Some(&file)).0;
        store.record_attempt(attempt("l/e", 1, None, 0, T0));
        store.save().unwrap();
        assert_eq!(mode(&file), kept, "the mode survives a save");
    }
    let _ = fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn a_save_writes_through_a_symlink_even_a_dangling_one() {
    let dir = scratch("symlink");
    fs::create_dir_all(dir.join("real")).unwrap();
    let link = dir.join("progress.db");
    // Dangling, relative: the target does not exist yet.
    std::os::unix::fs::symlink("real/kept.db", &link).unwrap();
    let mut store = Store::open(Some(&link)).0;
    store.record_attempt(attempt("l/e", 1, None, 0, T0));
    store.save().unwrap();
    let is_link = |p: &Path| fs::symlink_metadata(p).unwrap().file_type().is_symlink();
    assert!(is_link(&link));
    assert!(dir.join("real/kept.db").is_file(), "the target is created");
    // A chain of links: the save still lands at the end of it.
    let outer = dir.join("outer.db");
    std::os::unix::fs::symlink(&link, &outer).unwrap();
    let mut store = Store::open(Some(&outer)).0;
    store.record_attempt(attempt("l/e", 2, Some(MistakeKind::Sign), 0, T0));
    store.save().unwrap();
    assert!(is_link(&outer) && is_link(&link));
    assert_eq!(
        Store::open(Some(&dir.join("real/kept.db")))
            .0
            .progress()
            .exercises["l/e"]
            .attempts,
        2
    );
    // The database's own files sit beside the target, not the link.
    assert!(
        names(&dir)
            .iter()
            .all(|n| !n.contains("-wal") && !n.contains("-shm"))
    );
    let _ = fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn a_save_never_replaces_a_fifo_or_a_folder() {
    let dir = scratch("not-a-file");
    use std::os::unix::fs::FileTypeExt;
    let fifo = dir.join("fifo.db");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        let (mut store, message) = Store::open(Some(&fifo));
        assert!(message.unwrap().contains("not a regular file"));
        store.record_attempt(attempt("l/e", 1, None, 0, T0));
        assert!(store.save().is_err());
        assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    }
    let folder = dir.join("folder.db");
    fs::create_dir_all(&folder).unwrap();
    let mut store = Store::open(Some(&folder)).0;
    store.record_attempt(attempt("l/e", 1, None, 0, T0));
    assert!(store.save().is_err());
    assert!(folder.is_dir());
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_save_that_cannot_happen_is_an_error_not_a_panic() {
    let dir = scratch("unwritable");
    // The "folder" is a file, so nothing can be created inside it.
    fs::write(dir.join("blocker"), "x").unwrap();
    let mut store = Store::new(dir.join("blocker/progress.db"));
    store.record_attempt(attempt("l/e", 1, None, 0, T0));
    assert!(store.save().is_err());
    assert!(store.is_dirty(), "the answer stays queued for the next try");
    // A folder where the file should be: the save fails, nothing is left behind.
    fs::create_dir(dir.join("p.db")).unwrap();
    let (mut store, message) = Store::open(Some(&dir.join("p.db")));
    assert!(message.is_some());
    store.record_attempt(attempt("l/e", 1, None, 0, T0));
    assert!(store.save().is_err());
    assert_eq!(names(&dir), vec!["blocker", "p.db"]);
    let _ = fs::remove_dir_all(&dir);
}

/// Opens a file holding `bytes`; the file must be moved aside as
/// `p.db.<tag>-<time>` with its bytes intact, and a message naming it.
fn assert_moved_aside(name: &str, bytes: &[u8], tag: &str) -> String {
    let dir = scratch(name);
    let file = dir.join("p.db");
    fs::write(&file, bytes).unwrap();
    let (mut store, message) = Store::open(Some(&file));
    let message = message.unwrap_or_else(|| panic!("{name}: no message"));
    assert_eq!(*store.progress(), Progress::new(), "{name}: a fresh start");
    let left = names(&dir);
    assert_eq!(left.len(), 1, "{name}: {left:?}");
    let aside = &left[0];
    let stamp = aside
        .strip_prefix(&format!("p.db.{tag}-"))
        .unwrap_or_else(|| panic!("{name}: moved to {aside}"));
    let stamp: i64 = stamp.parse().unwrap();
    assert!(
        (stamp - progress::now()).abs() < 60,
        "{name}: stamp {stamp}"
    );
    assert_eq!(
        fs::read(dir.join(aside)).unwrap(),
        bytes,
        "{name}: kept intact"
    );
    assert!(
        message.contains(&dir.join(aside).display().to_string()),
        "{name}: the message says where the old file is: {message}"
    );
    assert!(message.contains("fresh"), "{name}: {message}");
    // And the fresh store saves and reopens cleanly beside it.
    store.record_attempt(attempt("l/e", 1, None, 0, T0));
    store.save().unwrap();
    assert_eq!(Store::open(Some(&file)).1, None);
    let _ = fs::remove_dir_all(&dir);
    message
}

/// A real database, its bytes, after `edit` has been run on it.
fn database_bytes(edit: &str) -> Vec<u8> {
    let dir = scratch("make-db");
    let file = dir.join("p.db");
    let mut store = Store::open(Some(&file)).0;
    busy(&mut store);
    store.save().unwrap();
    drop(store);
    let conn = rusqlite::Connection::open(&file).unwrap();
    conn.execute_batch(edit).unwrap();
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;")
        .unwrap();
    drop(conn);
    let bytes = fs::read(&file).unwrap();
    let _ = fs::remove_dir_all(&dir);
    bytes
}

#[test]
fn corrupt_files_are_moved_aside() {
    let mut good = FIXTURE.as_bytes().to_vec();
    assert_moved_aside("garbage", &[0xff, 0x00, 0x13, 0x37, b'{', 0x80], "corrupt");
    good.truncate(good.len() / 2);
    let m = assert_moved_aside("truncated-json", &good, "corrupt");
    assert!(m.contains("not valid JSON"), "{m}");
    assert_moved_aside(
        "wrong-types",
        br#"{"version": 1, "exercises": {"a/b": {"attempts": "three"}}}"#,
        "corrupt",
    );
    assert_moved_aside("no-version", br#"{"exercises": {}}"#, "corrupt");
    assert_moved_aside("version-string", br#"{"version": "1"}"#, "corrupt");
    assert_moved_aside(
        "negative-count",
        br#"{"version": 1, "exercises": {"a/b": {"attempts": -1}}}"#,
        "corrupt",
    );
    // A database cut short, and one whose pages are overwritten.
    let db = database_bytes("");
    assert_moved_aside("truncated-db", &db[..db.len() / 2], "corrupt");
    let mut scribbled = db.clone();
    for b in &mut scribbled[100..] {
        *b = 0x5a;
    }
    assert_moved_aside("scribbled-db", &scribbled, "corrupt");
}

#[test]
fn newer_files_are_moved_aside_as_newer() {
    let m = assert_moved_aside(
        "newer-json",
        br#"{"version": 2, "exercises": {"a/b": {"whatever": "new"}}}"#,
        "newer",
    );
    assert!(m.contains("newer nabla") && m.contains("version 2"), "{m}");
    let m = assert_moved_aside(
        "newer-db",
        &database_bytes("PRAGMA user_version = 9;"),
        "newer",
    );
    assert!(
        m.contains("newer nabla") && m.contains("schema version 9"),
        "{m}"
    );
}

#[test]
fn an_empty_file_is_an_empty_database() {
    // SQLite's own reading of a file of no bytes: nothing to keep, nothing
    // moved aside.
    let dir = scratch("empty");
    let file = dir.join("p.db");
    fs::write(&file, b"").unwrap();
    let (mut store, message) = Store::open(Some(&file));
    assert_eq!(message, None);
    store.record_attempt(attempt("l/e", 1, None, 0, T0));
    store.save().unwrap();
    assert_eq!(
        Store::open(Some(&file)).0.progress().exercises["l/e"].attempts,
        1
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn reset_moves_the_file_aside_whole() {
    let dir = scratch("reset");
    let file = dir.join("p.db");
    let mut store = Store::new(file.clone());
    assert_eq!(store.reset().unwrap(), None, "nothing to move");
    busy(&mut store);
    store.save().unwrap();
    let before = store.progress().clone();
    let aside = store.reset().unwrap().expect("moved");
    assert_eq!(*store.progress(), Progress::new());
    assert!(!file.exists());
    assert!(
        aside
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("p.db.reset-")
    );
    // The file moved aside is a whole database on its own.
    assert_eq!(*Store::open(Some(&aside)).0.progress(), before);
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_second_store_sees_the_first_ones_answers_on_refresh() {
    let dir = scratch("two-stores");
    let file = dir.join("p.db");
    let mut one = Store::open(Some(&file)).0;
    let mut two = Store::open(Some(&file)).0;
    one.record_attempt(attempt("a/x", 1, Some(MistakeKind::Sign), 0, T0));
    one.save().unwrap();
    two.record_attempt(attempt("b/y", 1, None, 0, T0));
    two.save().unwrap();
    // Each save is an insert: neither erases the other's answer.
    assert!(
        two.progress().exercises.contains_key("a/x"),
        "read again after its save"
    );
    one.refresh().unwrap();
    assert_eq!(one.progress(), two.progress());
    assert_eq!(Store::open(Some(&file)).0.history(None).unwrap().len(), 2);
    // Both review the same exercise: each review builds on the stored card.
    one.review("a/x", Rating::Good, T0 + 10);
    one.save().unwrap();
    two.review("a/x", Rating::Good, T0 + 20);
    two.save().unwrap();
    assert_eq!(
        two.progress().exercises["a/x"].card.as_ref().unwrap().reps,
        2
    );
    assert_eq!(Store::open(Some(&file)).0.reviews().unwrap().len(), 2);
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn the_default_path_is_in_a_data_directory() {
    if let Some(p) = Store::default_path() {
        assert!(p.ends_with("progress.db"), "{}", p.display());
        assert!(p.parent().unwrap().ends_with("nabla"), "{}", p.display());
    }
}

#[test]
fn record_answer_keeps_the_story() {
    let mut p = Progress::new();
    p.record_answer("grad/quad", 3, false, false, Some("transpose"), 0, T0);
    assert!(!p.exercises["grad/quad"].solved);
    p.record_hint("grad/quad", 1);
    p.record_answer("grad/quad", 3, false, false, Some("transpose"), 1, T0 + 10);
    p.record_answer("grad/quad", 4, true, true, None, 1, T0 + 20);
    p.record_answer("grad/quad", 5, true, true, None, 0, T0 + 30);
    let e = &p.exercises["grad/quad"];
    assert_eq!(e.attempts, 4);
    assert_eq!(e.correct, 2);
    assert!(e.solved);
    assert_eq!(e.hints_used, 1);
    assert_eq!(e.last_seed, Some(5));
    assert_eq!(e.last_attempt, Some(T0 + 30));
    assert_eq!(e.diagnoses.get("transpose"), Some(&2));
    assert_eq!(e.card, None, "scheduling is review()'s job");
    p.record_gave_up("grad/quad");
    assert!(!p.exercises["grad/quad"].gave_up, "it was solved first");

    let lesson = ids(&["grad/quad", "grad/lin"]);
    assert_eq!(p.lesson_completion("grad", &lesson), (1, 2));
    p.open_lesson("grad", 3);
    assert_eq!(
        p.lessons["grad"],
        LessonProgress {
            opened: true,
            position: 3
        }
    );
    assert_eq!(p.last_lesson.as_deref(), Some("grad"));
}

#[test]
fn ratings_come_from_the_grade() {
    assert_eq!(Rating::from_outcome(true, 0, 0), Rating::Good);
    assert_eq!(Rating::from_outcome(true, 0, 2), Rating::Hard);
    assert_eq!(Rating::from_outcome(true, 1, 0), Rating::Hard);
    assert_eq!(Rating::from_outcome(false, 0, 0), Rating::Again);
}

#[test]
fn again_is_due_sooner_than_good() {
    let mut p = Progress::new();
    p.review("l/again", Rating::Again, T0);
    p.review("l/hard", Rating::Hard, T0);
    p.review("l/good", Rating::Good, T0);
    let due = |id: &str| p.exercises[id].card.as_ref().unwrap().due;
    assert!(due("l/again") < due("l/hard"));
    assert!(due("l/hard") < due("l/good"));
    assert!(due("l/again") > T0);

    // Learnt well, the interval grows to days; one lapse brings it back to minutes.
    let mut q = Progress::new();
    let mut now = T0;
    for _ in 0..4 {
        q.review("l/e", Rating::Good, now);
        now = q.exercises["l/e"].card.as_ref().unwrap().due;
    }
    let card = q.exercises["l/e"].card.clone().unwrap();
    assert!(card.due - card.last_review >= 2 * DAY, "{card:?}");
    q.review("l/e", Rating::Again, now);
    let lapsed = q.exercises["l/e"].card.clone().unwrap();
    assert!(lapsed.due - now < DAY, "{lapsed:?}");
    assert_eq!(lapsed.lapses, 1);
}

#[test]
fn due_lists_the_most_overdue_first() {
    let mut p = Progress::new();
    p.review("a/one", Rating::Again, T0); // due T0 + 1 min
    p.review("a/two", Rating::Again, T0 - 3600); // due an hour earlier
    p.review("a/three", Rating::Good, T0); // due T0 + 10 min
    p.record_answer("a/never-reviewed", 1, false, false, None, 0, T0);
    assert_eq!(p.due(T0 - 4000), Vec::<String>::new());
    assert_eq!(p.due(T0), ids(&["a/two"]));
    assert_eq!(p.due(T0 + 61), ids(&["a/two", "a/one"]));
    assert_eq!(p.due(T0 + DAY), ids(&["a/two", "a/one", "a/three"]));
}

/// Five exercises: two due (one more overdue), one never tried, two tried
/// but not due (one with more mistakes).
fn quiz_progress() -> (Progress, Vec<String>) {
    let mut p = Progress::new();
    // Not due for days, few mistakes.
    p.record_answer("l/clean", 1, true, true, None, 0, T0 - DAY);
    p.review("l/clean", Rating::Good, T0 - DAY);
    p.review("l/clean", Rating::Good, T0 - DAY + 600);
    // Not due for days, many mistakes.
    for d in ["transpose", "transpose", "sign"] {
        p.record_answer("l/messy", 1, false, false, Some(d), 0, T0 - DAY);
    }
    p.record_answer("l/messy", 1, true, true, None, 0, T0 - DAY);
    p.review("l/messy", Rating::Good, T0 - DAY);
    p.review("l/messy", Rating::Good, T0 - DAY + 600);
    // Due, and more overdue than the other.
    p.record_answer("l/due-old", 1, false, false, Some("sign"), 0, T0 - 7200);
    p.review("l/due-old", Rating::Again, T0 - 7200);
    p.record_answer("l/due-new", 1, false, false, None, 0, T0 - 3600);
    p.review("l/due-new", Rating::Again, T0 - 3600);
    let candidates = ids(&["l/clean", "l/messy", "l/new", "l/due-new", "l/due-old"]);
    (p, candidates)
}

#[test]
fn pick_quiz_prefers_due_then_mistakes_then_new() {
    let (p, candidates) = quiz_progress();
    assert!(p.due(T0).contains(&"l/due-old".to_string()));
    assert!(!p.due(T0).contains(&"l/messy".to_string()));
    for seed in 0..20 {
        let all = pick_quiz(&p, &candidates, 10, T0, seed);
        assert_eq!(
            all,
            ids(&["l/due-old", "l/due-new", "l/messy", "l/new", "l/clean"]),
            "seed {seed}"
        );
        assert_eq!(
            pick_quiz(&p, &candidates, 2, T0, seed),
            ids(&["l/due-old", "l/due-new"])
        );
        assert_eq!(
            pick_quiz(&p, &candidates, 0, T0, seed),
            Vec::<String>::new()
        );
    }
}

#[test]
fn pick_quiz_has_no_repeats_and_is_deterministic() {
    let (p, mut candidates) = quiz_progress();
    candidates.extend(ids(&["l/new", "l/messy", "l/new"]));
    let picked = pick_quiz(&p, &candidates, 100, T0, 7);
    assert_eq!(picked.len(), 5);
    let mut unique = picked.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 5);

    // Many untried exercises: the same seed gives the same quiz; seeds differ.
    let many: Vec<String> = (0..40).map(|i| format!("m/e{i}")).collect();
    let empty = Progress::new();
    let a = pick_quiz(&empty, &many, 10, T0, 1);
    assert_eq!(a, pick_quiz(&empty, &many, 10, T0, 1));
    assert_eq!(a.len(), 10);
    let others: Vec<Vec<String>> = (2..6)
        .map(|s| pick_quiz(&empty, &many, 10, T0, s))
        .collect();
    assert!(others.iter().any(|o| *o != a), "seeds vary the quiz");
    assert!(a.iter().all(|id| many.contains(id)));
}

#[test]
fn pick_quiz_leans_on_the_diagnoses() {
    // Among exercises not due and all tried, more diagnoses come earlier.
    let mut p = Progress::new();
    let candidates = ids(&["x/a", "x/b", "x/c", "x/d"]);
    for (id, misses) in [("x/a", 0), ("x/b", 5), ("x/c", 2), ("x/d", 1)] {
        for _ in 0..misses {
            p.record_answer(id, 1, false, false, Some("scale"), 0, T0);
        }
        p.record_answer(id, 1, true, true, None, 0, T0);
        p.review(id, Rating::Good, T0);
        p.review(id, Rating::Good, T0 + 600);
    }
    assert!(p.due(T0 + 700).is_empty());
    for seed in 0..10 {
        assert_eq!(
            pick_quiz(&p, &candidates, 4, T0 + 700, seed),
            ids(&["x/b", "x/c", "x/d", "x/a"])
        );
    }
}
