//! The progress database: its schema and migrations, and the few statements
//! that read the view ([`Progress`]) and append to the log.
//!
//! The log is `attempts` (one row per graded answer), `events` (hints shown,
//! solutions shown), `reviews` (one row per FSRS rating) and `quizzes`. The
//! per-exercise totals (`exercise_stats`, `mistake_counts`) are derived from
//! the log by triggers inside the same transaction as the insert, so every
//! writer — two tutors and a `nabla progress` at once — keeps them true, and
//! opening reads a few hundred rows however long the log is. `cards` holds
//! the FSRS state, rewritten from the stored card at each review.
//!
//! WAL mode (readers never block the writer, nor see half a transaction),
//! `synchronous = NORMAL` (a commit is durable against a crash or `kill -9`
//! of nabla; after a power cut the last commits may be lost but the file is
//! never corrupt, SQLite's guarantee in WAL mode) and a busy timeout, so a
//! second writer waits its turn instead of failing.

use std::path::Path;
use std::time::Duration;

use rusqlite::{
    Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior, params,
};

use super::{
    Attempt, Card, CardState, ExerciseProgress, LessonProgress, MistakeKind, Progress, QuizRecord,
    Rating,
};

/// The schema this nabla writes; `PRAGMA user_version` of the file. A file
/// with a higher one is from a newer nabla and is moved aside, never misread.
pub const SCHEMA_VERSION: i64 = 1;

/// How long a writer waits for another's transaction before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// `MIGRATIONS[v]` takes a file from schema version `v` to `v + 1`.
const MIGRATIONS: &[&str] = &[
    // 0 → 1: the first schema.
    r"
CREATE TABLE attempts (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    exercise TEXT NOT NULL,
    lesson_file TEXT,
    exercise_version TEXT,
    seed INTEGER NOT NULL,
    step INTEGER,
    answer TEXT NOT NULL,
    correct INTEGER NOT NULL,
    completes INTEGER NOT NULL,
    kind TEXT,
    factor REAL,
    mistake INTEGER,
    hints INTEGER NOT NULL,
    solution INTEGER NOT NULL,
    millis INTEGER
);
CREATE INDEX attempts_by_exercise ON attempts (exercise, id);
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    exercise TEXT NOT NULL,
    what TEXT NOT NULL,
    hints INTEGER NOT NULL
);
CREATE TABLE reviews (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    exercise TEXT NOT NULL,
    rating TEXT NOT NULL
);
CREATE TABLE quizzes (
    id INTEGER PRIMARY KEY,
    finished_at INTEGER NOT NULL,
    asked INTEGER NOT NULL,
    correct_first_time INTEGER NOT NULL,
    seconds INTEGER NOT NULL,
    lessons TEXT NOT NULL
);
CREATE TABLE exercise_stats (
    exercise TEXT PRIMARY KEY,
    attempts INTEGER NOT NULL DEFAULT 0,
    correct INTEGER NOT NULL DEFAULT 0,
    hints_used INTEGER NOT NULL DEFAULT 0,
    solved INTEGER NOT NULL DEFAULT 0,
    gave_up INTEGER NOT NULL DEFAULT 0,
    last_seed INTEGER,
    last_attempt INTEGER,
    last_correct INTEGER,
    last_kind TEXT
);
CREATE TABLE mistake_counts (
    exercise TEXT NOT NULL,
    kind TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (exercise, kind)
) WITHOUT ROWID;
CREATE TABLE cards (
    exercise TEXT PRIMARY KEY,
    due INTEGER NOT NULL,
    stability REAL NOT NULL,
    difficulty REAL NOT NULL,
    elapsed_days INTEGER NOT NULL,
    scheduled_days INTEGER NOT NULL,
    reps INTEGER NOT NULL,
    lapses INTEGER NOT NULL,
    state TEXT NOT NULL,
    last_review INTEGER NOT NULL
);
CREATE TABLE lessons (
    lesson TEXT PRIMARY KEY,
    opened INTEGER NOT NULL,
    position INTEGER NOT NULL
);
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TRIGGER attempt_totals AFTER INSERT ON attempts BEGIN
    INSERT INTO exercise_stats
        (exercise, attempts, correct, hints_used, solved, last_seed, last_attempt, last_correct, last_kind)
        VALUES (NEW.exercise, 1, NEW.correct, NEW.hints, NEW.correct AND NEW.completes,
                NEW.seed, NEW.at, NEW.correct, NEW.kind)
        ON CONFLICT (exercise) DO UPDATE SET
            attempts = attempts + 1,
            correct = correct + NEW.correct,
            hints_used = max(hints_used, NEW.hints),
            solved = max(solved, NEW.correct AND NEW.completes),
            last_seed = NEW.seed,
            last_attempt = NEW.at,
            last_correct = NEW.correct,
            last_kind = NEW.kind;
    INSERT INTO mistake_counts (exercise, kind, n)
        SELECT NEW.exercise, NEW.kind, 1 WHERE NEW.kind IS NOT NULL
        ON CONFLICT (exercise, kind) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER event_totals AFTER INSERT ON events BEGIN
    INSERT INTO exercise_stats (exercise, hints_used) VALUES (NEW.exercise, NEW.hints)
        ON CONFLICT (exercise) DO UPDATE SET hints_used = max(hints_used, NEW.hints);
    UPDATE exercise_stats SET gave_up = 1
        WHERE exercise = NEW.exercise AND NEW.what = 'solution' AND solved = 0;
END;
",
];

/// Why a database cannot be used.
pub enum Unusable {
    Corrupt(String),
    Newer(i64),
    /// Another process held it locked for longer than [`BUSY_TIMEOUT`]:
    /// nothing is wrong with the file, so it is never moved aside.
    Busy(String),
}

/// Whether `e` is another connection's lock, not a fault of the file.
pub fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// Runs `step` again while another connection holds the lock, for up to
/// [`BUSY_TIMEOUT`]. SQLite's busy handler does not cover every step of
/// opening: switching a new file to WAL while a second nabla opens it too
/// fails at once with "database is locked".
fn retry_busy<T>(mut step: impl FnMut() -> rusqlite::Result<T>) -> Result<T, Unusable> {
    let start = std::time::Instant::now();
    loop {
        match step() {
            Ok(v) => return Ok(v),
            Err(e) if is_busy(&e) && start.elapsed() < BUSY_TIMEOUT => {
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(e) if is_busy(&e) => return Err(Unusable::Busy(e.to_string())),
            Err(e) => return Err(Unusable::Corrupt(e.to_string())),
        }
    }
}

/// Opens (creating if need be) the database at `path`: WAL, the busy
/// timeout, and the schema brought up to [`SCHEMA_VERSION`].
pub fn connect(path: &Path) -> Result<Connection, Unusable> {
    let corrupt = |e: rusqlite::Error| Unusable::Corrupt(e.to_string());
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(corrupt)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(corrupt)?;
    // Reading the version is the first real read: a file that is not a
    // database fails here ("file is not a database").
    let version: i64 = retry_busy(|| conn.pragma_query_value(None, "user_version", |r| r.get(0)))?;
    if version > SCHEMA_VERSION {
        return Err(Unusable::Newer(version));
    }
    retry_busy(|| conn.pragma_update(None, "journal_mode", "WAL"))?;
    retry_busy(|| conn.pragma_update(None, "synchronous", "NORMAL"))?;
    if version < SCHEMA_VERSION {
        retry_busy(|| migrate(&conn))?;
    }
    Ok(conn)
}

/// Applies the missing migrations in one transaction; a second process
/// migrating at the same moment waits, then finds nothing left to do.
fn migrate(conn: &Connection) -> rusqlite::Result<()> {
    let tx = Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
    let version: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let from = usize::try_from(version.max(0)).unwrap_or(usize::MAX);
    for sql in MIGRATIONS.iter().skip(from) {
        tx.execute_batch(sql)?;
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    tx.commit()
}

/// One write to the log, queued by `Store` and written by [`write`].
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    Attempt(Attempt),
    Hint {
        exercise: String,
        shown: u32,
        at: i64,
    },
    Solution {
        exercise: String,
        at: i64,
    },
    Review {
        exercise: String,
        rating: Rating,
        at: i64,
    },
    Lesson {
        lesson: String,
        position: usize,
    },
    LastLesson(String),
    Quiz(QuizRecord),
}

/// Writes `events` in one transaction; returns the cards the reviews left,
/// (exercise, card), computed from the card stored — another process may
/// have reviewed the same exercise since this one read it.
pub fn write(conn: &mut Connection, events: &[Event]) -> rusqlite::Result<Vec<(String, Card)>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut cards = Vec::new();
    for e in events {
        match e {
            Event::Attempt(a) => insert_attempt(&tx, a)?,
            Event::Hint {
                exercise,
                shown,
                at,
            } => {
                tx.prepare_cached(
                    "INSERT INTO events (at, exercise, what, hints) VALUES (?1, ?2, 'hint', ?3)",
                )?
                .execute(params![at, exercise, shown])?;
            }
            Event::Solution { exercise, at } => {
                tx.prepare_cached(
                    "INSERT INTO events (at, exercise, what, hints) VALUES (?1, ?2, 'solution', 0)",
                )?
                .execute(params![at, exercise])?;
            }
            Event::Review {
                exercise,
                rating,
                at,
            } => {
                let before = read_card(&tx, exercise)?.unwrap_or_default();
                let card = before.reviewed(*rating, *at);
                tx.prepare_cached(
                    "INSERT INTO reviews (at, exercise, rating) VALUES (?1, ?2, ?3)",
                )?
                .execute(params![at, exercise, rating.code()])?;
                write_card(&tx, exercise, &card)?;
                cards.push((exercise.clone(), card));
            }
            Event::Lesson { lesson, position } => {
                tx.prepare_cached(
                    "INSERT INTO lessons (lesson, opened, position) VALUES (?1, 1, ?2)
                     ON CONFLICT (lesson) DO UPDATE SET opened = 1, position = ?2",
                )?
                .execute(params![
                    lesson,
                    i64::try_from(*position).unwrap_or(i64::MAX)
                ])?;
                set_last_lesson(&tx, lesson)?;
            }
            Event::LastLesson(lesson) => set_last_lesson(&tx, lesson)?,
            Event::Quiz(q) => insert_quiz(&tx, q)?,
        }
    }
    tx.commit()?;
    Ok(cards)
}

fn insert_attempt(tx: &Connection, a: &Attempt) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO attempts (at, exercise, lesson_file, exercise_version, seed, step, answer,
            correct, completes, kind, factor, mistake, hints, solution, millis)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?
    .execute(params![
        a.at,
        a.exercise,
        a.lesson_file,
        a.exercise_version,
        // SQLite integers are signed: a u64 seed is kept bit for bit.
        a.seed.cast_signed(),
        a.step,
        a.answer,
        a.correct,
        a.completes,
        a.kind.map(MistakeKind::code),
        a.kind
            .and_then(MistakeKind::factor)
            .filter(|f| f.is_finite()),
        a.mistake,
        a.hints,
        a.solution,
        a.millis.map(|m| i64::try_from(m).unwrap_or(i64::MAX)),
    ])?;
    Ok(())
}

fn insert_quiz(tx: &Connection, q: &QuizRecord) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO quizzes (finished_at, asked, correct_first_time, seconds, lessons)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        q.finished_at,
        q.asked,
        q.correct_first_time,
        q.seconds,
        serde_json::to_string(&q.lessons).unwrap_or_else(|_| "[]".to_string()),
    ])?;
    Ok(())
}

fn set_last_lesson(tx: &Connection, lesson: &str) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO settings (key, value) VALUES ('last_lesson', ?1)
         ON CONFLICT (key) DO UPDATE SET value = ?1",
    )?
    .execute(params![lesson])?;
    Ok(())
}

fn read_card(tx: &Connection, exercise: &str) -> rusqlite::Result<Option<Card>> {
    tx.prepare_cached(
        "SELECT due, stability, difficulty, elapsed_days, scheduled_days, reps, lapses, state,
            last_review FROM cards WHERE exercise = ?1",
    )?
    .query_row(params![exercise], card_row)
    .optional()
}

fn card_row(r: &rusqlite::Row) -> rusqlite::Result<Card> {
    Ok(Card {
        due: r.get(0)?,
        stability: r.get(1)?,
        difficulty: r.get(2)?,
        elapsed_days: r.get(3)?,
        scheduled_days: r.get(4)?,
        reps: r.get(5)?,
        lapses: r.get(6)?,
        state: state_from(&r.get::<_, String>(7)?),
        last_review: r.get(8)?,
    })
}

fn write_card(tx: &Connection, exercise: &str, c: &Card) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT OR REPLACE INTO cards (exercise, due, stability, difficulty, elapsed_days,
            scheduled_days, reps, lapses, state, last_review)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        exercise,
        c.due,
        c.stability,
        c.difficulty,
        c.elapsed_days,
        c.scheduled_days,
        c.reps,
        c.lapses,
        state_code(c.state),
        c.last_review,
    ])?;
    Ok(())
}

fn state_code(s: CardState) -> &'static str {
    match s {
        CardState::New => "new",
        CardState::Learning => "learning",
        CardState::Review => "review",
        CardState::Relearning => "relearning",
    }
}

/// An unknown state reads as new: the card is then scheduled afresh.
fn state_from(s: &str) -> CardState {
    match s {
        "learning" => CardState::Learning,
        "review" => CardState::Review,
        "relearning" => CardState::Relearning,
        _ => CardState::New,
    }
}

/// The whole view, read in one transaction (so never half of another
/// process's write). Reads the derived tables only: its cost grows with the
/// number of exercises and quizzes, not with the length of the log.
pub fn load(conn: &mut Connection) -> rusqlite::Result<Progress> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
    let mut p = Progress::new();
    {
        let mut st = tx.prepare_cached(
            "SELECT exercise, attempts, correct, hints_used, solved, gave_up, last_seed,
                last_attempt, last_correct, last_kind FROM exercise_stats",
        )?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                ExerciseProgress {
                    attempts: r.get(1)?,
                    correct: r.get(2)?,
                    hints_used: r.get(3)?,
                    solved: r.get(4)?,
                    gave_up: r.get(5)?,
                    last_seed: r.get::<_, Option<i64>>(6)?.map(i64::cast_unsigned),
                    last_attempt: r.get(7)?,
                    last_correct: r.get(8)?,
                    last_kind: r.get(9)?,
                    ..ExerciseProgress::default()
                },
            ))
        })?;
        for row in rows {
            let (id, e) = row?;
            p.exercises.insert(id, e);
        }
    }
    {
        let mut st = tx.prepare_cached("SELECT exercise, kind, n FROM mistake_counts")?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, u32>(2)?,
            ))
        })?;
        for row in rows {
            let (id, kind, n) = row?;
            p.exercises.entry(id).or_default().diagnoses.insert(kind, n);
        }
    }
    {
        let mut st = tx.prepare_cached(
            "SELECT due, stability, difficulty, elapsed_days, scheduled_days, reps, lapses,
                state, last_review, exercise FROM cards",
        )?;
        let rows = st.query_map([], |r| Ok((r.get::<_, String>(9)?, card_row(r)?)))?;
        for row in rows {
            let (id, card) = row?;
            p.exercises.entry(id).or_default().card = Some(card);
        }
    }
    {
        let mut st = tx.prepare_cached("SELECT lesson, opened, position FROM lessons")?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                LessonProgress {
                    opened: r.get(1)?,
                    position: usize::try_from(r.get::<_, i64>(2)?).unwrap_or(0),
                },
            ))
        })?;
        for row in rows {
            let (id, l) = row?;
            p.lessons.insert(id, l);
        }
    }
    p.last_lesson = tx
        .prepare_cached("SELECT value FROM settings WHERE key = 'last_lesson'")?
        .query_row([], |r| r.get(0))
        .optional()?;
    {
        let mut st = tx.prepare_cached(
            "SELECT finished_at, asked, correct_first_time, seconds, lessons FROM quizzes ORDER BY id",
        )?;
        let rows = st.query_map([], |r| {
            Ok(QuizRecord {
                finished_at: r.get(0)?,
                asked: r.get(1)?,
                correct_first_time: r.get(2)?,
                seconds: r.get(3)?,
                lessons: serde_json::from_str(&r.get::<_, String>(4)?).unwrap_or_default(),
            })
        })?;
        for row in rows {
            p.quizzes.push(row?);
        }
    }
    tx.commit()?;
    Ok(p)
}

/// Writes a whole view read from an old JSON file as the derived rows it
/// stands for (the file kept totals, not a log: there are no attempt rows to
/// make up), in one transaction, noting where it came from.
pub fn import(conn: &mut Connection, p: &Progress, from: &str, now: i64) -> rusqlite::Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    for (id, e) in &p.exercises {
        tx.execute(
            "INSERT OR REPLACE INTO exercise_stats (exercise, attempts, correct, hints_used, solved,
                gave_up, last_seed, last_attempt, last_correct, last_kind)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                id,
                e.attempts,
                e.correct,
                e.hints_used,
                e.solved,
                e.gave_up,
                e.last_seed.map(u64::cast_signed),
                e.last_attempt,
                e.last_correct,
                e.last_kind,
            ],
        )?;
        for (kind, n) in &e.diagnoses {
            tx.execute(
                "INSERT OR REPLACE INTO mistake_counts (exercise, kind, n) VALUES (?1, ?2, ?3)",
                params![id, kind, n],
            )?;
        }
        if let Some(c) = &e.card {
            write_card(&tx, id, c)?;
        }
    }
    for (id, l) in &p.lessons {
        tx.execute(
            "INSERT OR REPLACE INTO lessons (lesson, opened, position) VALUES (?1, ?2, ?3)",
            params![id, l.opened, i64::try_from(l.position).unwrap_or(0)],
        )?;
    }
    if let Some(l) = &p.last_lesson {
        set_last_lesson(&tx, l)?;
    }
    for q in &p.quizzes {
        insert_quiz(&tx, q)?;
    }
    tx.execute(
        "INSERT OR REPLACE INTO settings (key, value) VALUES ('imported_from', ?1)",
        params![format!("{from} at {now}")],
    )?;
    tx.commit()
}

/// A number that changes whenever another connection commits to the file
/// (`PRAGMA data_version`): the view is read again only then.
pub fn data_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.pragma_query_value(None, "data_version", |r| r.get(0))
}

/// Folds the WAL back into the main file, so a file moved aside (`reset`)
/// is whole on its own.
pub fn checkpoint(conn: &Connection) {
    let _ = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
}
