//! The progress store and review scheduler through the library's public API:
//! the file round trip, atomic saves, damaged and newer files moved aside,
//! answers recorded, the FSRS schedule, and the quiz picker. Every file lives
//! in a fresh folder under the system temp dir, never the real data dir.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use nabla::progress::{
    self, ExerciseProgress, LessonProgress, Progress, QuizRecord, Rating, Store, VERSION, pick_quiz,
};

const T0: i64 = 1_700_000_000;
const DAY: i64 = 86_400;

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

/// A record using every field.
fn busy_progress() -> Progress {
    let mut p = Progress::new();
    p.record_answer("grad/quad", 11, false, Some("transpose"), 0, T0);
    p.record_answer("grad/quad", 12, false, Some("symmetric_only"), 1, T0 + 30);
    p.record_answer("grad/quad", 12, true, None, 1, T0 + 60);
    p.review("grad/quad", Rating::Hard, T0 + 60);
    p.record_answer("grad/lin", 5, true, None, 0, T0 + 90);
    p.review("grad/lin", Rating::Good, T0 + 90);
    p.record_hint("jac/chain", 2);
    p.record_gave_up("jac/chain");
    p.review("jac/chain", Rating::Again, T0 + 120);
    p.open_lesson("grad", 7);
    p.record_quiz(QuizRecord {
        finished_at: T0 + 200,
        asked: 3,
        correct_first_time: 1,
        seconds: 95,
        lessons: vec!["grad".into(), "jac".into()],
    });
    p
}

#[test]
fn round_trip() {
    let dir = scratch("round-trip");
    let file = dir.join("progress.json");
    let (fresh, message) = Store::open(Some(&file));
    assert_eq!(message, None, "a missing file is a fresh start, silently");
    assert_eq!(fresh.progress, Progress::new());
    assert_eq!(fresh.progress.version, VERSION);
    assert!(!file.exists(), "opening writes nothing");

    let mut store = fresh;
    store.progress = busy_progress();
    store.save().unwrap();
    let (back, message) = Store::open(Some(&file));
    assert_eq!(message, None);
    assert_eq!(back.path, file);
    assert_eq!(back.progress, store.progress);

    // Saved twice over: still the same, and pretty JSON with the version first.
    back.save().unwrap();
    let text = fs::read_to_string(&file).unwrap();
    assert!(text.starts_with("{\n  \"version\": 1,\n"), "{text}");
    assert_eq!(Store::open(Some(&file)).0.progress, store.progress);
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn the_file_is_always_written_at_the_current_version() {
    let dir = scratch("version");
    let file = dir.join("p.json");
    let store = Store {
        path: file.clone(),
        progress: Progress::default(), // version 0
    };
    store.save().unwrap();
    let (back, message) = Store::open(Some(&file));
    assert_eq!(message, None);
    assert_eq!(back.progress.version, VERSION);
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn fields_added_later_default_and_unknown_ones_are_ignored() {
    let dir = scratch("lenient");
    let file = dir.join("p.json");
    fs::write(
        &file,
        r#"{"version": 1, "exercises": {"a/b": {"attempts": 2, "solved": true}}, "from_the_future": [1]}"#,
    )
    .unwrap();
    let (store, message) = Store::open(Some(&file));
    assert_eq!(message, None);
    let e = &store.progress.exercises["a/b"];
    assert_eq!(
        *e,
        ExerciseProgress {
            attempts: 2,
            solved: true,
            ..ExerciseProgress::default()
        }
    );
    assert_eq!(names(&dir), vec!["p.json"]);
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn atomic_save_leaves_no_temp_files_and_makes_the_folder() {
    let dir = scratch("atomic");
    let file = dir.join("nested/deeper/progress.json");
    let mut store = Store::open(Some(&file)).0;
    for i in 0..50u32 {
        store
            .progress
            .record_answer("l/e", u64::from(i), i % 2 == 0, None, 0, T0);
        store.save().unwrap();
    }
    assert_eq!(names(&dir.join("nested/deeper")), vec!["progress.json"]);
    assert_eq!(
        Store::open(Some(&file)).0.progress.exercises["l/e"].attempts,
        50
    );
    let _ = fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn a_save_keeps_the_files_mode_and_a_new_file_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let dir = scratch("mode");
    let file = dir.join("progress.json");
    let mut store = Store::open(Some(&file)).0;
    store.save().unwrap();
    assert_eq!(
        mode(&file),
        0o600,
        "a new progress file is the student's alone"
    );
    for kept in [0o640, 0o600, 0o644] {
        fs::set_permissions(&file, fs::Permissions::from_mode(kept)).unwrap();
        store.progress.record_answer("l/e", 1, true, None, 0, T0);
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
    let link = dir.join("progress.json");
    // Dangling, relative: the target does not exist yet.
    std::os::unix::fs::symlink("real/kept.json", &link).unwrap();
    let mut store = Store::open(Some(&link)).0;
    store.progress.record_answer("l/e", 1, true, None, 0, T0);
    store.save().unwrap();
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        dir.join("real/kept.json").is_file(),
        "the target is created"
    );
    // A chain of links: the save still lands at the end of it.
    let outer = dir.join("outer.json");
    std::os::unix::fs::symlink(&link, &outer).unwrap();
    let mut store = Store::open(Some(&outer)).0;
    store.progress.record_answer("l/e", 2, false, None, 0, T0);
    store.save().unwrap();
    assert!(
        fs::symlink_metadata(&outer)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        Store::open(Some(&dir.join("real/kept.json")))
            .0
            .progress
            .exercises["l/e"]
            .attempts,
        2
    );
    let _ = fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn a_save_never_replaces_a_fifo_or_a_folder() {
    let dir = scratch("not-a-file");
    use std::os::unix::fs::FileTypeExt;
    let fifo = dir.join("fifo.json");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        let mut store = Store::open(Some(&fifo)).0;
        store.progress.record_answer("l/e", 1, true, None, 0, T0);
        assert!(store.save().is_err());
        assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    }
    let folder = dir.join("folder.json");
    fs::create_dir_all(&folder).unwrap();
    let store = Store::open(Some(&folder)).0;
    assert!(store.save().is_err());
    assert!(folder.is_dir());
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_save_that_cannot_happen_is_an_error_not_a_panic() {
    let dir = scratch("unwritable");
    // The "folder" is a file, so nothing can be created inside it.
    fs::write(dir.join("blocker"), "x").unwrap();
    let store = Store::new(dir.join("blocker/progress.json"));
    assert!(store.save().is_err());
    // A folder where the file should be: the save fails, nothing is left behind.
    fs::create_dir(dir.join("p.json")).unwrap();
    let (store, message) = Store::open(Some(&dir.join("p.json")));
    assert!(message.is_some());
    assert!(store.save().is_err());
    assert_eq!(names(&dir), vec!["blocker", "p.json"]);
    let _ = fs::remove_dir_all(&dir);
}

/// Opens a file holding `bytes`; the file must be moved aside as
/// `p.json.corrupt-<time>` with its bytes intact, and a message naming it.
fn assert_moved_aside(name: &str, bytes: &[u8], tag: &str) -> String {
    let dir = scratch(name);
    let file = dir.join("p.json");
    fs::write(&file, bytes).unwrap();
    let (store, message) = Store::open(Some(&file));
    let message = message.unwrap_or_else(|| panic!("{name}: no message"));
    assert_eq!(store.progress, Progress::new(), "{name}: a fresh start");
    let left = names(&dir);
    assert_eq!(left.len(), 1, "{name}: {left:?}");
    let aside = &left[0];
    let stamp = aside
        .strip_prefix(&format!("p.json.{tag}-"))
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
    store.save().unwrap();
    assert_eq!(Store::open(Some(&file)).1, None);
    let _ = fs::remove_dir_all(&dir);
    message
}

#[test]
fn corrupt_files_are_moved_aside() {
    let mut good = serde_json::to_vec_pretty(&busy_progress()).unwrap();
    assert_moved_aside("garbage", &[0xff, 0x00, 0x13, 0x37, b'{', 0x80], "corrupt");
    assert_moved_aside("empty", b"", "corrupt");
    good.truncate(good.len() / 2);
    let m = assert_moved_aside("truncated", &good, "corrupt");
    assert!(m.contains("not valid JSON"), "{m}");
    assert_moved_aside(
        "wrong-types",
        br#"{"version": 1, "exercises": {"a/b": {"attempts": "three"}}}"#,
        "corrupt",
    );
    assert_moved_aside("not-an-object", b"[1, 2, 3]", "corrupt");
    assert_moved_aside("no-version", br#"{"exercises": {}}"#, "corrupt");
    assert_moved_aside("version-string", br#"{"version": "1"}"#, "corrupt");
    assert_moved_aside(
        "negative-count",
        br#"{"version": 1, "exercises": {"a/b": {"attempts": -1}}}"#,
        "corrupt",
    );
}

#[test]
fn a_newer_file_is_moved_aside_as_newer() {
    let m = assert_moved_aside(
        "newer",
        br#"{"version": 2, "exercises": {"a/b": {"whatever": "new"}}}"#,
        "newer",
    );
    assert!(m.contains("newer nabla"), "{m}");
    assert!(m.contains("version 2"), "{m}");
}

#[test]
fn reset_moves_the_file_aside() {
    let dir = scratch("reset");
    let file = dir.join("p.json");
    let mut store = Store::new(file.clone());
    assert_eq!(store.reset().unwrap(), None, "nothing to move");
    store.progress = busy_progress();
    store.save().unwrap();
    let before = fs::read(&file).unwrap();
    let aside = store.reset().unwrap().expect("moved");
    assert_eq!(store.progress, Progress::new());
    assert!(!file.exists());
    assert!(
        aside
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("p.json.reset-")
    );
    assert_eq!(fs::read(&aside).unwrap(), before);
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn the_default_path_is_in_a_data_directory() {
    if let Some(p) = Store::default_path() {
        assert!(p.ends_with("progress.json"), "{}", p.display());
        assert!(p.parent().unwrap().ends_with("nabla"), "{}", p.display());
    }
}

#[test]
fn record_answer_keeps_the_story() {
    let mut p = Progress::new();
    p.record_answer("grad/quad", 3, false, Some("transpose"), 0, T0);
    assert!(!p.exercises["grad/quad"].solved);
    p.record_hint("grad/quad", 1);
    p.record_answer("grad/quad", 3, false, Some("transpose"), 1, T0 + 10);
    p.record_answer("grad/quad", 4, true, None, 1, T0 + 20);
    p.record_answer("grad/quad", 5, true, None, 0, T0 + 30);
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
    p.record_answer("a/never-reviewed", 1, false, None, 0, T0);
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
    p.record_answer("l/clean", 1, true, None, 0, T0 - DAY);
    p.review("l/clean", Rating::Good, T0 - DAY);
    p.review("l/clean", Rating::Good, T0 - DAY + 600);
    // Not due for days, many mistakes.
    for d in ["transpose", "transpose", "sign"] {
        p.record_answer("l/messy", 1, false, Some(d), 0, T0 - DAY);
    }
    p.record_answer("l/messy", 1, true, None, 0, T0 - DAY);
    p.review("l/messy", Rating::Good, T0 - DAY);
    p.review("l/messy", Rating::Good, T0 - DAY + 600);
    // Due, and more overdue than the other.
    p.record_answer("l/due-old", 1, false, Some("sign"), 0, T0 - 7200);
    p.review("l/due-old", Rating::Again, T0 - 7200);
    p.record_answer("l/due-new", 1, false, None, 0, T0 - 3600);
    p.review("l/due-new", Rating::Again, T0 - 3600);
    let candidates = ids(&["l/clean", "l/messy", "l/new", "l/due-new", "l/due-old"]);
    (p, candidates)
}

#[test]
fn pick_quiz_prefers_due_then_new_then_mistakes() {
    let (p, candidates) = quiz_progress();
    assert!(p.due(T0).contains(&"l/due-old".to_string()));
    assert!(!p.due(T0).contains(&"l/messy".to_string()));
    for seed in 0..20 {
        let all = pick_quiz(&p, &candidates, 10, T0, seed);
        assert_eq!(
            all,
            ids(&["l/due-old", "l/due-new", "l/new", "l/messy", "l/clean"]),
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
            p.record_answer(id, 1, false, Some("scale"), 0, T0);
        }
        p.record_answer(id, 1, true, None, 0, T0);
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
