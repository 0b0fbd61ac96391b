//! The log read back: every graded answer (of one lesson or all) and every
//! review, oldest first, for `nabla progress --history` and `--export`.

use rusqlite::{Connection, params};

use super::{Attempt, MistakeKind};

/// A graded answer and its place in the log.
#[derive(Clone, Debug, PartialEq)]
pub struct LoggedAttempt {
    /// The row number: increasing, never reused.
    pub id: i64,
    pub attempt: Attempt,
}

/// One FSRS rating of a go at an exercise.
#[derive(Clone, Debug, PartialEq)]
pub struct LoggedReview {
    pub id: i64,
    pub at: i64,
    pub exercise: String,
    /// `again`, `hard` or `good`.
    pub rating: String,
}

/// The attempts of `lesson` (exercise ids `lesson/…`), or of all lessons.
pub fn attempts(conn: &Connection, lesson: Option<&str>) -> rusqlite::Result<Vec<LoggedAttempt>> {
    // `lesson/` as a range rather than LIKE: ids may hold `%` or `_`.
    let (lo, hi) = match lesson {
        Some(l) => (format!("{l}/"), format!("{l}0")),
        None => (String::new(), "\u{10ffff}".to_string()),
    };
    let mut st = conn.prepare(
        "SELECT id, at, exercise, lesson_file, exercise_version, seed, step, answer, correct,
            completes, kind, factor, mistake, hints, solution, millis
         FROM attempts WHERE exercise >= ?1 AND exercise < ?2 ORDER BY id",
    )?;
    let rows = st.query_map(params![lo, hi], |r| {
        let kind: Option<String> = r.get(10)?;
        let factor: Option<f64> = r.get(11)?;
        Ok(LoggedAttempt {
            id: r.get(0)?,
            attempt: Attempt {
                at: r.get(1)?,
                exercise: r.get(2)?,
                lesson_file: r.get(3)?,
                exercise_version: r.get(4)?,
                seed: r.get::<_, i64>(5)?.cast_unsigned(),
                step: r.get(6)?,
                answer: r.get(7)?,
                correct: r.get(8)?,
                completes: r.get(9)?,
                kind: kind.and_then(|k| MistakeKind::from_code(&k, factor)),
                mistake: r.get(12)?,
                hints: r.get(13)?,
                solution: r.get(14)?,
                millis: r
                    .get::<_, Option<i64>>(15)?
                    .map(|m| u64::try_from(m).unwrap_or(0)),
            },
        })
    })?;
    rows.collect()
}

/// Every review, oldest first.
pub fn reviews(conn: &Connection) -> rusqlite::Result<Vec<LoggedReview>> {
    let mut st = conn.prepare("SELECT id, at, exercise, rating FROM reviews ORDER BY id")?;
    let rows = st.query_map([], |r| {
        Ok(LoggedReview {
            id: r.get(0)?,
            at: r.get(1)?,
            exercise: r.get(2)?,
            rating: r.get(3)?,
        })
    })?;
    rows.collect()
}
