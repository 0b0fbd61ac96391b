//! The exercise screen: the prompt with its math and declared shapes, the
//! instance's numbers for `compute`, an answer box with a live read-back (or
//! the parse error with a caret) and the grade with its diagnosis and the
//! lesson's feedback; hints, the worked solution and fresh variants.

use nabla_engine::expr::decl::parse_shape;
use nabla_engine::expr::{Decls, Shape, compile, compile_expecting};
use nabla_engine::grade::{Diagnosis, Verdict};
use nabla_engine::lesson::backprop::step_problem;
use nabla_engine::lesson::exercise::{Located, problem};
use nabla_engine::lesson::grading::{Outcome, grade_answer, read_choice};
use nabla_engine::lesson::instance::{Shown, show};
use nabla_engine::lesson::{Course, Kind, Lesson};
use nabla_engine::progress::StepRatings;
use std::time::Instant;

use super::input::Input;

/// What the answer box reads as, updated on every keystroke.
#[derive(Clone, Debug, PartialEq)]
pub enum Preview {
    Empty,
    /// Parsed: the read-back, its shape, and whether the shape is the
    /// expected one (None where saying so would give the answer away).
    Reading {
        read_as: String,
        shape: String,
        fits: Option<bool>,
    },
    /// Does not parse: the message and the character span.
    Error {
        message: String,
        start: usize,
        end: usize,
    },
}

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
    /// Why the last Enter graded nothing, when the exercise itself could not
    /// be graded (a message for the notice bar).
    pub trouble: Option<String>,
    /// Declarations and expected shape for the live preview.
    reading: Option<(Decls, Shape)>,
}

impl ExerciseState {
    pub fn new(course: &Course, lesson: usize, index: usize, seed: u64) -> ExerciseState {
        let loc = located(course, lesson, index);
        let mut s = ExerciseState {
            lesson,
            index,
            seed,
            shown: show(loc, seed),
            kind: loc.kind().ok(),
            input: Input::default(),
            preview: Preview::Empty,
            outcome: None,
            graded: String::new(),
            trouble: None,
            hints: 0,
            solution: false,
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
            reading: None,
        };
        s.reading = s.reading_context(course);
        s
    }

    pub fn id(&self, course: &Course) -> String {
        located(course, self.lesson, self.index).id()
    }

    /// Declarations and expected shape against which answers are read.
    fn reading_context(&self, course: &Course) -> Option<(Decls, Shape)> {
        let ex = located(course, self.lesson, self.index).ex;
        match self.kind? {
            Kind::Derive => problem(ex).ok().map(|p| (p.decls, p.expected)),
            Kind::Backprop => step_problem(ex, self.step)
                .ok()
                .map(|p| (p.decls, p.expected)),
            _ => None,
        }
    }

    pub fn total_steps(&self, course: &Course) -> usize {
        located(course, self.lesson, self.index).ex.steps.len()
    }

    /// Works the derivative out with `nabla_engine::calculus::symbolic` (derive and
    /// backprop exercises: the step in progress).
    pub fn derive(&mut self, course: &Course) {
        let ex = located(course, self.lesson, self.index).ex;
        let problem = match self.kind {
            Some(Kind::Derive) => problem(ex),
            Some(Kind::Backprop) => step_problem(ex, self.step),
            _ => Err("a derivation is shown for derive and backprop exercises".to_string()),
        };
        self.derivation = Some(
            problem
                .and_then(|p| nabla_engine::calculus::symbolic::derive(&p))
                .map(|d| (format!("{}   {}", d.text, d.shape), d.steps)),
        );
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
            };
            return;
        }
        let text = self.input.text();
        self.preview = if text.trim().is_empty() {
            Preview::Empty
        } else {
            match self.kind {
                Some(Kind::Derive | Kind::Backprop) => match &self.reading {
                    Some((decls, expected)) => {
                        match compile_expecting(&text, Some(decls), Some(expected)) {
                            Ok(c) => Preview::Reading {
                                fits: Some(c.shape() == expected),
                                shape: c.shape().to_string(),
                                read_as: c.read_as,
                            },
                            Err(e) => Preview::Error {
                                message: e.message,
                                start: e.span.start,
                                end: e.span.end,
                            },
                        }
                    }
                    None => Preview::Empty,
                },
                Some(Kind::Compute) => match compile(&text, Some(&Decls::default())) {
                    Ok(c) => {
                        let expected = self
                            .shown
                            .as_ref()
                            .ok()
                            .and_then(|s| s.expected_shape.clone());
                        let shape = c.shape().to_string();
                        Preview::Reading {
                            fits: expected.map(|e| e == shape),
                            shape,
                            read_as: c.read_as,
                        }
                    }
                    Err(e) => Preview::Error {
                        message: if e.kind == nabla_engine::expr::ErrorKind::Name {
                            "type numbers, like [1; 2] or [1, 2; 3, 4]".to_string()
                        } else {
                            e.message
                        },
                        start: e.span.start,
                        end: e.span.end,
                    },
                },
                Some(Kind::Shape) => match parse_shape(&text) {
                    // No ✓ here: the shape is the answer.
                    Ok(s) => Preview::Reading {
                        read_as: s.to_string(),
                        shape: String::new(),
                        fits: None,
                    },
                    Err(e) => Preview::Error {
                        message: e.message,
                        start: e.span.start,
                        end: e.span.end,
                    },
                },
                Some(Kind::Choice) => {
                    let n = self
                        .shown
                        .as_ref()
                        .ok()
                        .and_then(|s| s.choices.as_ref())
                        .map_or(0, Vec::len);
                    match read_choice(&text, n) {
                        Some(k) => Preview::Reading {
                            read_as: format!("choice {k}"),
                            shape: String::new(),
                            fits: None,
                        },
                        None => Preview::Error {
                            message: format!("type the number of a choice, 1 to {n}"),
                            start: 0,
                            end: text.chars().count(),
                        },
                    }
                }
                None => Preview::Empty,
            }
        };
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
        if text.trim().is_empty() || matches!(self.preview, Preview::Error { .. }) {
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
        result: Result<Outcome, String>,
    ) -> Option<Outcome> {
        let outcome = match result {
            Ok(o) => o,
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
                self.reading = self.reading_context(course);
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

/// Below this many estimated operations (about a millisecond) a grading is
/// done in place: a thread would only add its start-up, and on a busy
/// machine the wait for a core, to the verdict.
const IN_PLACE_FLOPS: f64 = 1e8;

impl GradeJob {
    /// Whether this grading is quick enough to run on the tutor's thread
    /// (from the cost estimate of its F; an exercise whose problem does not
    /// even build is quick to refuse).
    pub fn is_quick(&self) -> bool {
        let ex = &self.lesson.data.exercises[self.index];
        let p = match self.step {
            Some(i) => step_problem(ex, i),
            None => problem(ex),
        };
        p.map_or(true, |p| {
            nabla_engine::calculus::cost::grading(&p.f.typed, &p.decls).flops < IN_PLACE_FLOPS
        })
    }

    pub fn run(&self) -> Result<Outcome, String> {
        let loc = Located {
            lesson: &self.lesson,
            ex: &self.lesson.data.exercises[self.index],
        };
        grade_answer(loc, self.seed, &self.text, self.step)
    }
}

pub fn located(course: &Course, lesson: usize, index: usize) -> Located<'_> {
    let lesson = &course.lessons[lesson];
    Located {
        lesson,
        ex: &lesson.data.exercises[index],
    }
}
