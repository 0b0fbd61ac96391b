//! Keeping progress: every graded answer, hint and give-up is written to the
//! progress file (atomically, by `nabla_engine::progress::Store`) before the tutor
//! waits for another key, so a crash loses at most the answer in flight.
//! Without a store (tests, or a file that cannot be opened) the tutor works
//! the same and keeps nothing.
//!
//! The write is an fsync'd atomic rename, milliseconds (about 10 ms median
//! here) against the ~50 µs of grading: so recording only marks a save as
//! pending, and the event loop draws the frame — the verdict — first and then
//! calls `flush` (`tui::present`), and once more on the way out.

use nabla_engine::grade::Verdict;
use nabla_engine::lesson::grading::Outcome;
use nabla_engine::progress::{QuizRecord, Rating, now};

use super::app::App;
use super::exercise::ExerciseState;
use super::quiz::{Quiz, diagnosis_code};

impl App {
    /// Asks for the progress file to be written: by the next `flush`, which
    /// comes after the next frame is drawn and before the next key is read.
    pub fn save(&mut self) {
        if self.store.is_some() {
            self.save_pending = true;
        }
    }

    /// Writes the progress file if a save is pending. A failure is told (in
    /// the notice), not fatal; the return value says whether it was, so that
    /// the frame can be drawn again to show it.
    pub fn flush(&mut self) -> bool {
        if !std::mem::take(&mut self.save_pending) {
            return false;
        }
        if let Some(store) = &self.store
            && let Err(e) = store.save()
        {
            self.notice = Some(format!(
                "Progress could not be saved to {}: {e}",
                store.path.display()
            ));
            return true;
        }
        false
    }

    pub fn record_graded(&mut self, e: &ExerciseState, outcome: &Outcome, attempts_before: u32) {
        let id = e.id(&self.course);
        let correct = outcome.grade.verdict == Verdict::Correct;
        let code = diagnosis_code(outcome);
        if let Some(store) = &mut self.store {
            let p = &mut store.progress;
            p.record_answer(&id, e.seed, correct, code.as_deref(), e.hints as u32, now());
            // A go that ends solved is rated; one left unsolved is rated when left.
            if e.solved {
                p.review(
                    &id,
                    Rating::from_outcome(true, attempts_before, e.hints as u32),
                    now(),
                );
            }
        }
        self.save();
    }

    pub fn record_hint(&mut self, e: &ExerciseState) {
        let id = e.id(&self.course);
        if let Some(store) = &mut self.store {
            store.progress.record_hint(&id, e.hints as u32);
        }
        self.save();
    }

    pub fn record_gave_up(&mut self, e: &ExerciseState) {
        let id = e.id(&self.course);
        if let Some(store) = &mut self.store {
            store.progress.record_gave_up(&id);
            store.progress.review(&id, Rating::Again, now());
        }
        self.save();
    }

    /// Leaving an exercise tried but not solved (nor given up) is a lapse.
    pub fn record_left(&mut self, e: &ExerciseState) {
        if e.solved || e.solution || e.attempts == 0 {
            return;
        }
        let id = e.id(&self.course);
        if let Some(store) = &mut self.store {
            store.progress.review(&id, Rating::Again, now());
        }
        self.save();
    }

    /// Remembers the lesson being read and where, for "continue where you left off".
    pub fn record_position(&mut self, lesson: usize, anchor: usize) {
        let Some(id) = self.course.lessons.get(lesson).map(|l| l.id().to_string()) else {
            return;
        };
        if let Some(store) = &mut self.store {
            store.progress.open_lesson(&id, anchor);
        }
        self.save();
    }

    pub fn record_quiz(&mut self, q: &Quiz, first_time: usize) {
        let mut lessons: Vec<String> = q
            .ids
            .iter()
            .filter_map(|id| id.split('/').next())
            .map(str::to_string)
            .collect();
        lessons.sort();
        lessons.dedup();
        if let Some(store) = &mut self.store {
            store.progress.record_quiz(QuizRecord {
                finished_at: now(),
                asked: q.ids.len() as u32,
                correct_first_time: first_time as u32,
                seconds: q.started.elapsed().as_secs() as u32,
                lessons,
            });
        }
        self.save();
    }

    /// Solved and total exercises of a lesson, from the progress kept.
    pub fn completion(&self, lesson: usize) -> Option<(usize, usize)> {
        let store = self.store.as_ref()?;
        let l = self.course.lessons.get(lesson)?;
        let ids: Vec<String> = l
            .data
            .exercises
            .iter()
            .map(|e| format!("{}/{}", l.id(), e.id.get_ref()))
            .collect();
        Some(store.progress.lesson_completion(l.id(), &ids))
    }

    /// The quiz's exercises: due reviews, then new ones, then past mistakes
    /// (or a seeded shuffle when no progress is kept).
    pub fn pick_quiz(&self, candidates: &[String], count: usize) -> Vec<String> {
        match &self.store {
            Some(store) => nabla_engine::progress::pick_quiz(
                &store.progress,
                candidates,
                count,
                now(),
                self.seed_base,
            ),
            None => super::app::pick_for_quiz(candidates, count, self.seed_base),
        }
    }

    /// The first exercise of a lesson not yet solved (the first one when all
    /// are, or when no progress is kept).
    pub fn first_unsolved(&self, lesson: usize) -> usize {
        let (Some(store), Some(l)) = (&self.store, self.course.lessons.get(lesson)) else {
            return 0;
        };
        l.data
            .exercises
            .iter()
            .position(|e| {
                let id = format!("{}/{}", l.id(), e.id.get_ref());
                !store.progress.exercises.get(&id).is_some_and(|p| p.solved)
            })
            .unwrap_or(0)
    }

    /// How many reviews are due now.
    pub fn due_count(&self) -> usize {
        self.store
            .as_ref()
            .map_or(0, |s| s.progress.due(now()).len())
    }
}
