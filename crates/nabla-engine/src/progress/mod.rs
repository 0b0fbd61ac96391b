//! A student's progress: per exercise the attempts, hints, solved, last seed,
//! the diagnoses seen and the FSRS review card; per lesson whether it was
//! opened and where the reader was; the quizzes taken. `store` keeps it in a
//! versioned JSON file written atomically; `schedule` decides what to review.
//!
//! No terminal code here: the TUI and `nabla progress` both call this.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub mod schedule;
pub mod store;

pub use schedule::{Card, CardState, Rating, mistake_weight, pick_quiz};
pub use store::Store;

/// The progress file's format version. A file with a newer one is moved aside,
/// never misread.
pub const VERSION: u32 = 1;

/// Everything nabla remembers about one student.
///
/// `Default` gives `version: 0`; use [`Progress::new`] (as [`Store`] does) for
/// a fresh record. The file is always written with [`VERSION`].
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Progress {
    pub version: u32,
    /// Key: `"lesson/exercise"`.
    pub exercises: BTreeMap<String, ExerciseProgress>,
    /// Key: the lesson id.
    pub lessons: BTreeMap<String, LessonProgress>,
    /// The lesson to offer under "continue where you left off".
    pub last_lesson: Option<String>,
    pub quizzes: Vec<QuizRecord>,
}

/// One exercise's history.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct ExerciseProgress {
    /// Graded answers (not counting unparseable input).
    pub attempts: u32,
    pub correct: u32,
    /// The most hints revealed in one go at it.
    pub hints_used: u32,
    pub solved: bool,
    /// The solution was shown before it was solved.
    pub gave_up: bool,
    pub last_seed: Option<u64>,
    /// Diagnosis code (`"transpose"`, `"sign"`, `"scale"`, `"symmetric_only"`,
    /// `"known_mistake"`, `"wrong_shape"`, `"incorrect"`) → how often seen.
    pub diagnoses: BTreeMap<String, u32>,
    /// Unix seconds.
    pub last_attempt: Option<i64>,
    /// The FSRS review state; `None` until first reviewed.
    pub card: Option<Card>,
}

/// One lesson's reading state.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct LessonProgress {
    pub opened: bool,
    /// The reader's scroll anchor index.
    pub position: usize,
}

/// One finished self-quiz.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct QuizRecord {
    /// Unix seconds.
    pub finished_at: i64,
    pub asked: u32,
    pub correct_first_time: u32,
    pub seconds: u32,
    pub lessons: Vec<String>,
}

impl Progress {
    /// A fresh record at the current format version.
    pub fn new() -> Progress {
        Progress {
            version: VERSION,
            ..Progress::default()
        }
    }

    fn exercise(&mut self, id: &str) -> &mut ExerciseProgress {
        self.exercises.entry(id.to_string()).or_default()
    }

    /// Records one graded answer: attempts, correct, diagnoses, seed, time; on the
    /// first correct answer `solved = true`. `hints_used` is how many hints were
    /// showing (the record keeps the most in one go). A `diagnosis` is counted
    /// as given (the caller passes `"wrong_shape"` or `"incorrect"` when there
    /// is no finer one). Scheduling is separate: see [`Progress::review`].
    pub fn record_answer(
        &mut self,
        id: &str,
        seed: u64,
        correct: bool,
        diagnosis: Option<&str>,
        hints_used: u32,
        now: i64,
    ) {
        let e = self.exercise(id);
        e.attempts = e.attempts.saturating_add(1);
        if correct {
            e.correct = e.correct.saturating_add(1);
            e.solved = true;
        }
        if let Some(d) = diagnosis {
            let n = e.diagnoses.entry(d.to_string()).or_default();
            *n = n.saturating_add(1);
        }
        e.hints_used = e.hints_used.max(hints_used);
        e.last_seed = Some(seed);
        e.last_attempt = Some(now);
    }

    /// Notes that `hints_shown` hints are now showing in the current go.
    pub fn record_hint(&mut self, id: &str, hints_shown: u32) {
        let e = self.exercise(id);
        e.hints_used = e.hints_used.max(hints_shown);
    }

    /// Notes that the solution was shown; counts as giving up only when the
    /// exercise was not already solved.
    pub fn record_gave_up(&mut self, id: &str) {
        let e = self.exercise(id);
        if !e.solved {
            e.gave_up = true;
        }
    }

    /// Schedules the exercise's next review from a rating (FSRS). Call it once
    /// per go at an exercise, when the go is settled: solved (the rating from
    /// [`Rating::from_outcome`]) or given up / left unsolved (`Again`).
    pub fn review(&mut self, id: &str, rating: Rating, now: i64) {
        let e = self.exercise(id);
        let card = e.card.take().unwrap_or_default();
        e.card = Some(card.reviewed(rating, now));
    }

    /// Exercise ids whose review is due at `now`, most overdue first (ties by id).
    pub fn due(&self, now: i64) -> Vec<String> {
        let mut due: Vec<(i64, &String)> = self
            .exercises
            .iter()
            .filter_map(|(id, e)| {
                let c = e.card.as_ref().filter(|c| !c.is_new())?;
                (c.due <= now).then_some((c.due, id))
            })
            .collect();
        due.sort();
        due.into_iter().map(|(_, id)| id.clone()).collect()
    }

    /// The next review still to come after `now`: (exercise id, due time).
    pub fn next_review(&self, now: i64) -> Option<(String, i64)> {
        self.exercises
            .iter()
            .filter_map(|(id, e)| {
                let c = e.card.as_ref().filter(|c| !c.is_new())?;
                (c.due > now).then_some((c.due, id))
            })
            .min()
            .map(|(due, id)| (id.clone(), due))
    }

    /// (solved, total) for a lesson given its exercise ids, either full
    /// (`"lesson/exercise"`) or bare (`"exercise"`, taken within `lesson`).
    pub fn lesson_completion(&self, lesson: &str, exercise_ids: &[String]) -> (usize, usize) {
        let solved = exercise_ids
            .iter()
            .filter(|id| {
                let key = if id.contains('/') {
                    (*id).clone()
                } else {
                    format!("{lesson}/{id}")
                };
                self.exercises.get(&key).is_some_and(|e| e.solved)
            })
            .count();
        (solved, exercise_ids.len())
    }

    /// Notes that a lesson was opened with the reader at `position`, and makes
    /// it the one to continue.
    pub fn open_lesson(&mut self, lesson: &str, position: usize) {
        let l = self.lessons.entry(lesson.to_string()).or_default();
        l.opened = true;
        l.position = position;
        self.last_lesson = Some(lesson.to_string());
    }

    /// Adds a finished quiz.
    pub fn record_quiz(&mut self, quiz: QuizRecord) {
        self.quizzes.push(quiz);
    }

    /// The diagnoses seen across `ids` (full ids), most frequent first (ties by name).
    pub fn diagnosis_totals<'a>(
        &self,
        ids: impl IntoIterator<Item = &'a str>,
    ) -> Vec<(String, u32)> {
        let mut totals: BTreeMap<&str, u32> = BTreeMap::new();
        for id in ids {
            if let Some(e) = self.exercises.get(id) {
                for (d, n) in &e.diagnoses {
                    let t = totals.entry(d).or_default();
                    *t = t.saturating_add(*n);
                }
            }
        }
        let mut v: Vec<(String, u32)> = totals
            .into_iter()
            .map(|(d, n)| (d.to_string(), n))
            .collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v
    }
}

/// The current time, in unix seconds (0 if the clock is before 1970).
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_700_000_000;

    #[test]
    fn answers_are_counted() {
        let mut p = Progress::new();
        p.record_answer("l/e", 7, false, Some("transpose"), 0, T0);
        p.record_answer("l/e", 8, false, Some("transpose"), 1, T0 + 5);
        p.record_answer("l/e", 8, true, None, 0, T0 + 9);
        let e = &p.exercises["l/e"];
        assert_eq!((e.attempts, e.correct, e.hints_used), (3, 1, 1));
        assert!(e.solved && !e.gave_up);
        assert_eq!(e.last_seed, Some(8));
        assert_eq!(e.last_attempt, Some(T0 + 9));
        assert_eq!(e.diagnoses["transpose"], 2);
        assert_eq!(
            p.diagnosis_totals(["l/e", "l/missing"]),
            vec![("transpose".to_string(), 2)]
        );
    }

    #[test]
    fn hints_and_giving_up() {
        let mut p = Progress::new();
        p.record_hint("l/e", 2);
        p.record_hint("l/e", 1);
        assert_eq!(p.exercises["l/e"].hints_used, 2);
        p.record_gave_up("l/e");
        assert!(p.exercises["l/e"].gave_up);
        p.record_answer("l/f", 1, true, None, 0, T0);
        p.record_gave_up("l/f");
        assert!(!p.exercises["l/f"].gave_up, "solved first, so not given up");
    }

    #[test]
    fn completion_takes_full_or_bare_ids() {
        let mut p = Progress::new();
        p.record_answer("l/a", 1, true, None, 0, T0);
        p.record_answer("l/b", 1, false, None, 0, T0);
        let full: Vec<String> = ["l/a", "l/b", "l/c"].map(String::from).into();
        let bare: Vec<String> = ["a", "b", "c"].map(String::from).into();
        assert_eq!(p.lesson_completion("l", &full), (1, 3));
        assert_eq!(p.lesson_completion("l", &bare), (1, 3));
        assert_eq!(p.lesson_completion("l", &[]), (0, 0));
    }

    #[test]
    fn due_is_most_overdue_first() {
        let mut p = Progress::new();
        p.review("l/late", Rating::Again, T0);
        p.review("l/early", Rating::Again, T0 - 1000);
        p.review("l/later", Rating::Good, T0);
        p.record_answer("l/unreviewed", 1, true, None, 0, T0);
        assert_eq!(p.due(T0 - 2000), Vec::<String>::new());
        assert_eq!(p.due(T0 + 120), vec!["l/early", "l/late"]);
        assert_eq!(p.due(T0 + 100_000), vec!["l/early", "l/late", "l/later"]);
        let (id, at) = p.next_review(T0 + 120).unwrap();
        assert_eq!(id, "l/later");
        assert!(at > T0 + 120);
    }

    #[test]
    fn lessons_and_quizzes() {
        let mut p = Progress::new();
        p.open_lesson("gradients", 4);
        assert_eq!(p.last_lesson.as_deref(), Some("gradients"));
        assert_eq!(
            p.lessons["gradients"],
            LessonProgress {
                opened: true,
                position: 4
            }
        );
        p.record_quiz(QuizRecord {
            finished_at: T0,
            asked: 5,
            correct_first_time: 3,
            seconds: 200,
            lessons: vec!["gradients".into()],
        });
        assert_eq!(p.quizzes.len(), 1);
    }

    #[test]
    fn version_comes_first_in_the_json() {
        let text = serde_json::to_string_pretty(&Progress::new()).unwrap();
        assert!(text.starts_with("{\n  \"version\": 1,"), "{text}");
    }
}
