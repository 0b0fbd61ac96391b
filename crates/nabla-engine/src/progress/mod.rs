//! A student's progress. The log of every graded answer, hint, give-up and
//! review is kept by `store` in a SQLite database; [`Progress`] is the view
//! of it the tutor and `nabla progress` read — per exercise the attempts,
//! hints, solved, last seed, the mistakes by kind and the FSRS review card;
//! per lesson whether it was opened and where the reader was; the quizzes
//! taken. `attempt` is one logged answer, `schedule` the FSRS card and the
//! rating of a go, `pick` the one choice of what to practise, `import` reads
//! the JSON file earlier releases kept.
//!
//! No terminal code here: the TUI and `nabla progress` both call this.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub mod attempt;
#[cfg(feature = "store")]
mod db;
#[cfg(feature = "store")]
pub mod history;
pub mod import;
pub mod pick;
pub mod schedule;
#[cfg(feature = "store")]
pub mod store;

pub use attempt::{Attempt, MistakeKind, exercise_version};
pub use pick::{mistake_weight, pick_quiz};
pub use schedule::{Card, CardState, Rating, StepRatings};
#[cfg(feature = "store")]
pub use store::Store;

/// Everything nabla remembers about one student, as derived from the log.
/// Its serde form is also the JSON progress file of earlier releases (read
/// once by `import`), so field names are kept.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Progress {
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
    /// Graded answers (not counting unparseable input), every step counted.
    pub attempts: u32,
    pub correct: u32,
    /// The most hints revealed in one go at it.
    pub hints_used: u32,
    pub solved: bool,
    /// The solution was shown before it was solved.
    pub gave_up: bool,
    pub last_seed: Option<u64>,
    /// Mistake kind ([`MistakeKind::code`]: `"transpose"`, `"sign"`,
    /// `"scale"`, `"symmetric_only"`, `"known_mistake"`, `"wrong_shape"`,
    /// `"incorrect"`) → how many wrong answers were of that kind.
    pub diagnoses: BTreeMap<String, u32>,
    /// Unix seconds.
    pub last_attempt: Option<i64>,
    /// Whether the latest answer was right (`None`: no answer logged yet, or
    /// imported from a file that did not say).
    pub last_correct: Option<bool>,
    /// The kind of the latest answer when it was wrong.
    pub last_kind: Option<String>,
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
    /// A fresh record.
    pub fn new() -> Progress {
        Progress::default()
    }

    fn exercise(&mut self, id: &str) -> &mut ExerciseProgress {
        self.exercises.entry(id.to_string()).or_default()
    }

    /// Takes in one logged answer, as the database's triggers do
    /// (`db.rs`): the two must agree, and `tests/progress_store.rs` checks
    /// that a view built here equals one read back.
    pub fn apply(&mut self, a: &Attempt) {
        self.record_answer(
            &a.exercise,
            a.seed,
            a.correct,
            a.completes,
            a.kind.map(MistakeKind::code),
            a.hints,
            a.at,
        );
    }

    /// Records one graded answer: attempts, correct, the mistake kind, seed,
    /// time; `completes` (a right answer that finishes the exercise: the last
    /// step of a multi-step one) sets `solved`. `hints_used` is how many hints
    /// were showing (the record keeps the most in one go). Scheduling is
    /// separate: see [`Progress::review`].
    #[allow(clippy::too_many_arguments)]
    pub fn record_answer(
        &mut self,
        id: &str,
        seed: u64,
        correct: bool,
        completes: bool,
        kind: Option<&str>,
        hints_used: u32,
        now: i64,
    ) {
        let e = self.exercise(id);
        e.attempts = e.attempts.saturating_add(1);
        if correct {
            e.correct = e.correct.saturating_add(1);
        }
        if correct && completes {
            e.solved = true;
        }
        if let Some(d) = kind {
            let n = e.diagnoses.entry(d.to_string()).or_default();
            *n = n.saturating_add(1);
        }
        e.hints_used = e.hints_used.max(hints_used);
        e.last_seed = Some(seed);
        e.last_attempt = Some(now);
        e.last_correct = Some(correct);
        e.last_kind = kind.map(str::to_string);
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

    /// Exercises to show under "Recent mistakes": those whose latest answer
    /// was wrong, or that are due for review at `now`, having been missed;
    /// the latest first (ties by id). An exercise answered right since its
    /// mistake is not listed until it falls due again.
    pub fn recent_mistakes(&self, now: i64) -> Vec<(&str, &ExerciseProgress)> {
        let mut v: Vec<(&str, &ExerciseProgress)> = self
            .exercises
            .iter()
            .filter(|(_, e)| {
                let missed = e.attempts > e.correct || e.gave_up || !e.diagnoses.is_empty();
                let due = e.card.as_ref().is_some_and(|c| !c.is_new() && c.due <= now);
                e.last_correct == Some(false) || (missed && due)
            })
            .map(|(id, e)| (id.as_str(), e))
            .collect();
        v.sort_by(|a, b| {
            b.1.last_attempt
                .cmp(&a.1.last_attempt)
                .then_with(|| a.0.cmp(b.0))
        });
        v
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
        p.record_answer("l/e", 7, false, false, Some("transpose"), 0, T0);
        p.record_answer("l/e", 8, false, false, Some("transpose"), 1, T0 + 5);
        p.record_answer("l/e", 8, true, true, None, 0, T0 + 9);
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
        p.record_answer("l/f", 1, true, true, None, 0, T0);
        p.record_gave_up("l/f");
        assert!(!p.exercises["l/f"].gave_up, "solved first, so not given up");
    }

    #[test]
    fn completion_takes_full_or_bare_ids() {
        let mut p = Progress::new();
        p.record_answer("l/a", 1, true, true, None, 0, T0);
        p.record_answer("l/b", 1, false, false, None, 0, T0);
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
        p.record_answer("l/unreviewed", 1, true, true, None, 0, T0);
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
    fn a_right_step_is_not_a_solve_and_recent_mistakes_tell_the_truth() {
        let mut p = Progress::new();
        p.record_answer("l/bp", 1, true, false, None, 0, T0);
        assert!(!p.exercises["l/bp"].solved, "step 1 of several");
        p.record_answer("l/bp", 1, true, true, None, 0, T0 + 1);
        assert!(p.exercises["l/bp"].solved);
        // Wrong, then right: not a recent mistake until it is due again.
        p.record_answer("l/fixed", 1, false, false, Some("sign"), 0, T0);
        p.record_answer("l/fixed", 1, true, true, None, 0, T0 + 2);
        p.review("l/fixed", Rating::Hard, T0 + 2);
        p.record_answer("l/wrong", 1, false, false, Some("transpose"), 0, T0 + 3);
        let recent = |p: &Progress, now| -> Vec<String> {
            p.recent_mistakes(now)
                .into_iter()
                .map(|(id, _)| id.to_string())
                .collect()
        };
        assert_eq!(recent(&p, T0 + 10), vec!["l/wrong"]);
        assert_eq!(recent(&p, T0 + 86_400), vec!["l/wrong", "l/fixed"]);
    }
}
