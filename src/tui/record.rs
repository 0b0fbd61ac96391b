//! Keeping progress: every graded answer (with its mistake kind, step, time
//! and help used), hint, give-up and review goes into the progress database
//! (`nabla_engine::progress::Store`) before the tutor waits for another key,
//! so a crash loses at most the answer in flight. Without a store (tests, or
//! a file that cannot be opened) the tutor works the same and keeps nothing.
//!
//! A save is one small SQLite transaction (an insert; see
//! docs/performance.md), still more than the ~50 µs of grading: so recording
//! queues the change and marks a save as pending, and the event loop draws
//! the frame — the verdict — first and then calls `flush` (`tui::present`),
//! and once more on the way out.

use nabla_engine::grade::Verdict;
use nabla_engine::lesson::exercise::Located;
use nabla_engine::lesson::grading::Outcome;
use nabla_engine::progress::{Attempt, MistakeKind, QuizRecord, Rating, exercise_version, now};

use super::app::App;
use super::exercise::ExerciseState;
use super::quiz::Quiz;

impl App {
    /// Asks for the changes to be written: by the next `flush`, which comes
    /// after the next frame is drawn and before the next key is read.
    pub fn save(&mut self) {
        if self.store.is_some() {
            self.save_pending = true;
        }
    }

    /// Writes the queued changes if a save is pending. A failure is told (in
    /// the notice), not fatal; the return value says whether it was, so that
    /// the frame can be drawn again to show it.
    pub fn flush(&mut self) -> bool {
        if !std::mem::take(&mut self.save_pending) {
            return false;
        }
        if let Some(store) = &mut self.store
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

    /// Reads the progress again if another nabla wrote to the same file
    /// (before the progress screen or a quiz is chosen from it).
    pub fn refresh_progress(&mut self) {
        if let Some(store) = &mut self.store
            && let Err(e) = store.refresh()
        {
            self.notice = Some(format!(
                "Progress could not be read again from {}: {e}",
                store.path.display()
            ));
        }
    }

    pub fn record_graded(&mut self, e: &ExerciseState, outcome: &Outcome) {
        let Some(store) = &mut self.store else {
            return;
        };
        let loc = Located {
            lesson: &self.course.lessons[e.lesson],
            ex: &self.course.lessons[e.lesson].data.exercises[e.index],
        };
        let id = loc.id();
        let correct = outcome.grade.verdict == Verdict::Correct;
        let at = now();
        store.record_attempt(Attempt {
            at,
            exercise: id.clone(),
            lesson_file: Some(loc.lesson.file.name.clone()),
            exercise_version: Some(exercise_version(loc.ex)),
            seed: e.seed,
            step: e.graded_step.map(|s| u32::try_from(s).unwrap_or(u32::MAX)),
            answer: e.graded.clone(),
            correct,
            completes: correct && e.solved,
            kind: MistakeKind::of(outcome),
            mistake: outcome
                .mistake
                .map(|m| u32::try_from(m).unwrap_or(u32::MAX)),
            hints: e.hints as u32,
            solution: e.solution,
            millis: Some(e.last_millis),
        });
        // A go that ends solved is rated, step by step; one left unsolved is
        // rated when left.
        if e.solved && correct {
            store.review(&id, e.ratings.rating(), at);
        }
        self.save();
    }

    pub fn record_hint(&mut self, e: &ExerciseState) {
        let id = e.id(&self.course);
        if let Some(store) = &mut self.store {
            store.record_hint(&id, e.hints as u32, now());
        }
        self.save();
    }

    pub fn record_gave_up(&mut self, e: &ExerciseState) {
        let id = e.id(&self.course);
        if let Some(store) = &mut self.store {
            store.record_gave_up(&id, now());
            store.review(&id, Rating::Again, now());
        }
        self.save();
    }

    /// Leaving an exercise tried but not solved (nor given up) is a lapse,
    /// also when its solution came on screen after the misses it allows.
    pub fn record_left(&mut self, e: &ExerciseState) {
        if e.solved || (e.solution && !e.revealed) || e.attempts == 0 {
            return;
        }
        let id = e.id(&self.course);
        if let Some(store) = &mut self.store {
            store.review(&id, Rating::Again, now());
        }
        self.save();
    }

    /// Remembers the lesson being read and where, for "continue where you left off".
    pub fn record_position(&mut self, lesson: usize, anchor: usize) {
        let Some(id) = self.course.lessons.get(lesson).map(|l| l.id().to_string()) else {
            return;
        };
        if let Some(store) = &mut self.store {
            store.open_lesson(&id, anchor);
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
            store.record_quiz(QuizRecord {
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
        Some(store.progress().lesson_completion(l.id(), &ids))
    }

    /// The quiz's exercises, by the one picker (`progress::pick_quiz`): due
    /// reviews, then past mistakes, then new ones. Without a store every
    /// exercise is new, so it is a seeded shuffle.
    pub fn pick_quiz(&mut self, candidates: &[String], count: usize) -> Vec<String> {
        self.refresh_progress();
        let empty = nabla_engine::progress::Progress::new();
        let progress = self.store.as_ref().map_or(&empty, |s| s.progress());
        nabla_engine::progress::pick_quiz(progress, candidates, count, now(), self.seed_base)
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
                !store
                    .progress()
                    .exercises
                    .get(&id)
                    .is_some_and(|p| p.solved)
            })
            .unwrap_or(0)
    }

    /// How many reviews are due now.
    pub fn due_count(&self) -> usize {
        self.store
            .as_ref()
            .map_or(0, |s| s.progress().due(now()).len())
    }
}
