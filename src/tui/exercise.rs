//! The exercise screen: the prompt with its math and declared shapes, the
//! instance's numbers for `compute`, an answer box with a live read-back (or
//! the parse error with a caret) and the grade with its diagnosis and the
//! lesson's feedback; hints, the worked solution and fresh variants.

use nabla_engine::grade::{Diagnosis, Verdict};
use nabla_engine::lesson::coaching::{self, Coaching};
use nabla_engine::lesson::exercise::Located;
use nabla_engine::lesson::grading::{Outcome, Slips, grade_answer_as};
use nabla_engine::lesson::instance::{Shown, show};
use nabla_engine::lesson::kinds::{self, Reader};
use nabla_engine::lesson::worked::{self, WorkedStep};
use nabla_engine::lesson::{Course, Kind, Lesson};
use nabla_engine::progress::StepRatings;
use std::time::Instant;

use super::action::Action;
use super::input::Input;

pub use nabla_engine::lesson::kinds::Preview;

pub struct ExerciseState {
    pub lesson: usize,
    pub index: usize,
    pub seed: u64,
    pub shown: Result<Shown, String>,
    pub kind: Option<Kind>,
    pub input: Input,
    pub preview: Preview,
    pub outcome: Option<Outcome>,
    /// The answer the outcome is about.
    pub graded: String,
    pub hints: usize,
    pub solution: bool,
    /// The solution came on screen by itself, after the misses the exercise
    /// allows (not asked for: nothing was recorded as given up).
    pub revealed: bool,
    pub solved: bool,
    pub attempts: u32,
    /// The current step of a backprop exercise.
    pub step: usize,
    /// Wrong answers to the current step (or to a one-step exercise).
    pub step_wrong: u32,
    /// `hints` when the current step began: the hints since are its own.
    pub step_hints_from: usize,
    /// The rating of this go so far, step by step (`progress::StepRatings`).
    pub ratings: StepRatings,
    /// When the current step was shown, for the time an answer took.
    pub step_shown: Instant,
    /// The milliseconds the last graded answer took.
    pub last_millis: u64,
    /// The backprop step the last graded answer was to.
    pub graded_step: Option<usize>,
    pub scroll: usize,
    /// The grid editor, when a matrix answer is being entered cell by cell.
    pub grid: Option<super::grid::Grid>,
    /// nabla's own derivation, once asked for: the result and its steps.
    pub derivation: Option<Result<(String, Vec<String>), String>>,
    /// A key that gives up (F3, F6) pressed once: pressed again, it does.
    pub confirm_give_up: Option<Action>,
    /// Why the last Enter graded nothing, when the exercise itself could not
    /// be graded (a message for the notice bar).
    pub trouble: Option<String>,
    /// What the last wrong answer brought on screen (the engine's stepped
    /// feedback); `None` before a miss and after a right answer.
    pub coaching: Option<Coaching>,
    /// The hint (numbered from 1) the last wrong answer opened, if it did.
    pub opened_hint: Option<usize>,
    /// A compute exercise's reference answer worked out on the numbers
    /// shown, innermost step first (shown with the solution); empty for the
    /// other kinds.
    pub worked: Vec<WorkedStep>,
    /// How the answer box is read (the engine's, for this exercise and step).
    reader: Reader,
}

impl ExerciseState {
    pub fn new(course: &Course, lesson: usize, index: usize, seed: u64) -> ExerciseState {
        let loc = located(course, lesson, index);
        let shown = show(loc, seed);
        let reader = Reader::new(loc, shown.as_ref().ok(), 0);
        ExerciseState {
            lesson,
            index,
            seed,
            shown,
            kind: loc.kind().ok(),
            input: Input::default(),
            preview: Preview::Empty,
            outcome: None,
            graded: String::new(),
            trouble: None,
            confirm_give_up: None,
            hints: 0,
            solution: false,
            revealed: false,
            solved: false,
            attempts: 0,
            step: 0,
            step_wrong: 0,
            step_hints_from: 0,
            ratings: StepRatings::default(),
            step_shown: Instant::now(),
            last_millis: 0,
            graded_step: None,
            scroll: 0,
            grid: None,
            derivation: None,
            coaching: None,
            opened_hint: None,
            worked: worked::on_numbers(loc, seed).unwrap_or_default(),
            reader,
        }
    }

    pub fn id(&self, course: &Course) -> String {
        located(course, self.lesson, self.index).id()
    }

    pub fn total_steps(&self, course: &Course) -> usize {
        located(course, self.lesson, self.index).ex.steps.len()
    }

    /// nabla's own derivation (derive and backprop exercises: the step in
    /// progress), worked out by the engine.
    pub fn derive(&mut self, course: &Course) {
        let loc = located(course, self.lesson, self.index);
        self.derivation = Some(kinds::derivation(loc, self.step));
    }

    /// Applies an editing action to the grid (when one is open) or to the
    /// answer box, and reads the answer again if it changed; false when
    /// `action` is not an editing one.
    pub fn edit(&mut self, action: Action) -> bool {
        if let Some(g) = &mut self.grid {
            // In the grid editor, typing and moving act on cells.
            match action {
                Action::Type(c) => g.type_char(c),
                Action::Backspace => g.backspace(),
                Action::NextCell | Action::Right => g.next(),
                Action::PrevCell | Action::Left => g.prev(),
                Action::HistoryPrev => g.up(),
                Action::HistoryNext => g.down(),
                Action::ClearInput => *g = super::grid::Grid::new(g.rows, g.cols),
                _ => return self.edit_box(action),
            }
            self.sync_grid();
            return true;
        }
        self.edit_box(action)
    }

    /// An editing action on the typed answer.
    fn edit_box(&mut self, action: Action) -> bool {
        let changes = match action {
            Action::Type(c) => {
                self.input.insert(c);
                true
            }
            Action::Backspace => {
                self.input.backspace();
                true
            }
            Action::Delete => {
                self.input.delete();
                true
            }
            Action::ClearInput => {
                self.input.kill_to_start();
                true
            }
            Action::DeleteWordBack => {
                self.input.delete_word_back();
                true
            }
            Action::DeleteWordForward => {
                self.input.delete_word_forward();
                true
            }
            Action::RuboutBack => {
                self.input.rubout_back();
                true
            }
            Action::KillToEnd => {
                self.input.kill_to_end();
                true
            }
            Action::Yank => {
                self.input.yank();
                true
            }
            Action::WordLeft => {
                self.input.word_left();
                false
            }
            Action::WordRight => {
                self.input.word_right();
                false
            }
            Action::HistoryPrev => {
                self.input.previous();
                true
            }
            Action::HistoryNext => {
                self.input.next();
                true
            }
            Action::Left => {
                self.input.left();
                false
            }
            Action::Right => {
                self.input.right();
                false
            }
            Action::Home => {
                self.input.home();
                false
            }
            Action::End => {
                self.input.end();
                false
            }
            _ => return false,
        };
        if changes {
            self.refresh_preview();
        }
        true
    }

    /// Switches a compute exercise between the typed literal and the grid.
    pub fn toggle_grid(&mut self) {
        if self.kind != Some(Kind::Compute) {
            return;
        }
        if self.grid.take().is_none() {
            let shape = self
                .shown
                .as_ref()
                .ok()
                .and_then(|s| s.expected_shape.clone());
            self.grid = shape.and_then(|s| super::grid::Grid::for_shape(&s));
        }
        self.sync_grid();
    }

    /// The typed answer follows the grid, so preview and grading are shared.
    pub fn sync_grid(&mut self) {
        if let Some(g) = &self.grid {
            let text = if g.cells.iter().all(|c| c.trim().is_empty()) {
                String::new()
            } else {
                g.literal()
            };
            self.input.set(&text);
        }
        self.refresh_preview();
    }

    pub fn refresh_preview(&mut self) {
        if let Some(g) = &self.grid
            && !g.is_complete()
            && !g.cells.iter().all(|c| c.trim().is_empty())
        {
            self.preview = Preview::Error {
                message: "fill every cell (Tab or the arrows move between cells)".to_string(),
                start: 0,
                end: 0,
                gradable: false,
            };
            return;
        }
        self.preview = self.reader.preview(&self.input.text());
    }

    /// Grades the answer in the box. Input that does not parse costs no
    /// attempt: the preview already says what is wrong. Returns the outcome
    /// when an answer was graded.
    pub fn submit(&mut self, course: &Course) -> Option<Outcome> {
        let job = self.begin_submit(course)?;
        let result = job.run();
        self.finish_submit(course, &job.text, result)
    }

    /// What Enter would grade, or `None` when there is nothing to grade yet
    /// (an empty or unreadable answer).
    pub fn begin_submit(&mut self, course: &Course) -> Option<GradeJob> {
        let text = self.input.text();
        let unreadable = matches!(
            self.preview,
            Preview::Error {
                gradable: false,
                ..
            }
        );
        if text.trim().is_empty() || unreadable {
            return None;
        }
        self.trouble = None;
        Some(GradeJob {
            lesson: course.lessons[self.lesson].clone(),
            index: self.index,
            seed: self.seed,
            step: (self.kind == Some(Kind::Backprop)).then_some(self.step),
            text,
        })
    }

    /// The grade of `text` taken in: the attempt counted, the verdict kept.
    pub fn finish_submit(
        &mut self,
        course: &Course,
        text: &str,
        result: Result<Graded, String>,
    ) -> Option<Outcome> {
        let Graded {
            outcome,
            feedback_gives_away,
        } = match result {
            Ok(g) => g,
            Err(e) => {
                self.trouble = Some(format!("This exercise cannot be graded: {e}"));
                return None;
            }
        };
        if outcome.grade.verdict == Verdict::InvalidAnswer {
            self.outcome = Some(outcome);
            return None;
        }
        self.attempts += 1;
        self.input.remember(text);
        self.graded = text.to_string();
        self.graded_step = (self.kind == Some(Kind::Backprop)).then_some(self.step);
        self.last_millis = u64::try_from(self.step_shown.elapsed().as_millis()).unwrap_or(u64::MAX);
        let correct = outcome.grade.verdict == Verdict::Correct;
        self.outcome = Some(outcome.clone());
        if !correct {
            self.step_wrong += 1;
            let step = (self.kind == Some(Kind::Backprop)).then_some(self.step);
            let c = coaching::after_miss(
                located(course, self.lesson, self.index).ex,
                step,
                self.step_wrong,
                self.hints,
                &outcome,
                feedback_gives_away,
            );
            // Hints opened by misses count like hints asked for (the
            // step's rating sees them).
            self.opened_hint = (c.hints > self.hints).then_some(c.hints);
            self.hints = c.hints;
            if c.reveal && !self.solution {
                self.solution = true;
                self.revealed = true;
                self.ratings.answer_seen();
            }
            self.coaching = Some(c);
        } else {
            self.coaching = None;
            self.opened_hint = None;
        }
        if correct {
            // Each step is rated on its own wrong answers and hints.
            let step_hints = self.hints.saturating_sub(self.step_hints_from);
            self.ratings.step_solved(
                self.step_wrong,
                u32::try_from(step_hints).unwrap_or(u32::MAX),
            );
            self.step_wrong = 0;
            self.step_hints_from = self.hints;
            self.step_shown = Instant::now();
            if self.kind == Some(Kind::Backprop) && self.step + 1 < self.total_steps(course) {
                // On to the next step; the earlier step's gradient is now a name.
                self.step += 1;
                self.reader = Reader::new(
                    located(course, self.lesson, self.index),
                    self.shown.as_ref().ok(),
                    self.step,
                );
                self.input.clear();
                self.preview = Preview::Empty;
            } else {
                self.solved = true;
            }
        }
        Some(outcome)
    }

    /// A short line for the diagnosis, for the verdict banner.
    pub fn diagnosis_words(d: Diagnosis) -> &'static str {
        match d {
            Diagnosis::Transpose => "transposed (layout)",
            Diagnosis::Sign => "sign",
            Diagnosis::Scale(_) => "constant factor",
            Diagnosis::SymmetricOnly => "only true for symmetric matrices",
        }
    }
}

/// A grading's result: the outcome, and whether its feedback would give the
/// answer away (found with it, off the tutor's thread when grading is slow).
pub struct Graded {
    pub outcome: Outcome,
    pub feedback_gives_away: bool,
}

/// One grading, with everything it needs owned, so it can run on another
/// thread while the tutor stays responsive (`App::update` with
/// `background` set).
pub struct GradeJob {
    lesson: Lesson,
    index: usize,
    seed: u64,
    step: Option<usize>,
    pub text: String,
}

impl GradeJob {
    /// Whether this grading is quick enough to run on the tutor's thread
    /// (from the cost estimate of its F; an exercise whose problem does not
    /// even build is quick to refuse).
    pub fn is_quick(&self) -> bool {
        kinds::is_quick(&self.lesson.data.exercises[self.index], self.step)
    }

    pub fn run(&self) -> Result<Graded, String> {
        let loc = Located {
            lesson: &self.lesson,
            ex: &self.lesson.data.exercises[self.index],
        };
        // The tutor names the missing transpose (and counts it).
        let outcome = grade_answer_as(loc, self.seed, &self.text, self.step, Slips::Named)?;
        let feedback_gives_away = outcome.grade.verdict != Verdict::Correct
            && coaching::feedback_gives_away(loc, self.seed, self.step, &outcome);
        Ok(Graded {
            outcome,
            feedback_gives_away,
        })
    }
}

pub fn located(course: &Course, lesson: usize, index: usize) -> Located<'_> {
    let lesson = &course.lessons[lesson];
    Located {
        lesson,
        ex: &lesson.data.exercises[index],
    }
}
