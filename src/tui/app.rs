//! The application model and its update function (The Elm Architecture):
//! keys become `Action`s, `App::update` changes the model, `view` draws it.

use nabla_engine::lesson::Course;

use super::action::Action;
use super::exercise::{ExerciseState, Graded};
use super::keys::Context;
use super::quiz::Quiz;
use super::reader::ReaderState;
use super::screen::{Screen, Stack};
use super::theme::Theme;

/// Where the tutor opens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Start {
    Home,
    /// Home, with this lesson (the last one read) selected.
    Continue(String),
    Lesson(String),
}

pub struct App {
    pub course: Course,
    pub theme: Theme,
    /// The terminal's size, columns × rows.
    pub size: (u16, u16),
    /// The selected lesson on the home screen.
    pub selected: usize,
    /// What is shown over the home screen; its top has the keys.
    pub screens: Stack,
    /// A self-quiz in progress.
    pub quiz: Option<Quiz>,
    /// Where progress is kept (None: nothing is kept).
    pub store: Option<nabla_engine::progress::Store>,
    pub help: bool,
    pub quit: bool,
    /// A one-line message for the user (shown in the bottom bar).
    pub notice: Option<String>,
    /// Seeds for fresh variants: a base chosen at start, and a counter.
    pub seed_base: u64,
    pub seed_counter: u64,
    /// Exercises whose instance is fixed (an assignment: each student's
    /// own seed), by full id; every other exercise gets a fresh variant.
    pub fixed_seeds: std::collections::BTreeMap<String, u64>,
    /// An assignment's attempt rule, told as answers pass it.
    pub attempt_rule: Option<AttemptRule>,
    /// Progress changed and is not written yet (`record::flush`).
    pub(super) save_pending: bool,
    /// Grade on another thread (the real tutor sets it; tests grade in
    /// place, so a key sequence sees its verdict at once).
    pub background: bool,
    /// A grading running on another thread.
    pub grading: Option<Grading>,
}

/// How many answers to each exercise of an assignment (each backprop step)
/// count, and how many each has had on the student's own instance, before
/// this session and in it (the gradebook counts the same way).
#[derive(Clone, Debug, Default)]
pub struct AttemptRule {
    pub limit: u32,
    /// Answers so far, by exercise id and step (0-based; None: one-step).
    pub answered: std::collections::BTreeMap<(String, Option<u32>), u32>,
}

impl AttemptRule {
    /// Counts one more answer; says what the student should know about it.
    fn count(&mut self, id: &str, step: Option<u32>, correct: bool) -> Option<String> {
        let n = self.answered.entry((id.to_string(), step)).or_insert(0);
        *n += 1;
        let limit = self.limit;
        if *n > limit {
            Some(format!(
                "This answer does not count for the assignment: only the first {limit} to each exercise (each step) do. It is graded for practice."
            ))
        } else if *n == limit && !correct {
            Some(format!(
                "That was the last of the {limit} answers to this exercise (step) that count for the assignment; practise on if you like."
            ))
        } else {
            None
        }
    }
}

/// A grading in flight: its result arrives on `result`; Esc gives up on it.
pub struct Grading {
    result: std::sync::mpsc::Receiver<Result<Graded, String>>,
    /// Set when the student gives up on it, so the thread stops at its next
    /// trial instead of running to the end for nobody.
    pub(super) cancel: nabla_engine::cancel::Cancel,
    text: String,
    attempts_before: u32,
}

impl App {
    pub fn new(course: Course, start: Start, theme: Theme, size: (u16, u16)) -> App {
        let mut app = App {
            course,
            theme,
            size,
            selected: 0,
            screens: Stack::default(),
            quiz: None,
            store: None,
            help: false,
            quit: false,
            notice: None,
            seed_base: 0,
            seed_counter: 0,
            fixed_seeds: std::collections::BTreeMap::new(),
            attempt_rule: None,
            save_pending: false,
            background: false,
            grading: None,
        };
        if let Some(e) = app.course.errors.first() {
            app.notice = Some(format!(
                "{} lesson file(s) could not be loaded ({}:{}); run `nabla lint`",
                app.course.errors.len(),
                e.file,
                e.line
            ));
        }
        app.start(start);
        app
    }

    /// Goes where the tutor was asked to open. Separate from `new` so that a
    /// progress store can be attached first and the opening is recorded.
    pub fn start(&mut self, start: Start) {
        if let Start::Continue(id) = &start
            && let Some(i) = self.course.lessons.iter().position(|l| l.id() == id)
        {
            self.selected = i;
        }
        if let Start::Lesson(id) = start {
            match self.course.lessons.iter().position(|l| l.id() == id) {
                Some(i) => {
                    self.selected = i;
                    self.open_lesson();
                }
                None => {
                    let ids: Vec<&str> = self.course.lessons.iter().map(|l| l.id()).collect();
                    self.notice = Some(format!(
                        "no lesson '{id}'; the lessons are {}",
                        ids.join(", ")
                    ));
                }
            }
        }
    }

    pub fn context(&self) -> Context {
        self.screens.top().map_or(Context::Home, Screen::context)
    }

    /// The lesson being read (under the exercise, if one is open over it).
    pub fn reader(&self) -> Option<&ReaderState> {
        self.screens.reader()
    }

    pub fn reader_mut(&mut self) -> Option<&mut ReaderState> {
        self.screens.reader_mut()
    }

    /// The exercise on screen.
    pub fn exercise(&self) -> Option<&ExerciseState> {
        self.screens.exercise()
    }

    /// The summary of the quiz just finished, while it is shown.
    pub fn summary(&self) -> Option<&super::quiz::Summary> {
        self.screens.summary()
    }

    pub fn showing_progress(&self) -> bool {
        matches!(self.screens.top(), Some(Screen::Progress { .. }))
    }

    fn open_lesson(&mut self) {
        if self.selected < self.course.lessons.len() {
            let mut r = ReaderState::new(self, self.selected);
            // Continue where the student left off.
            let id = self.course.lessons[self.selected].id();
            let kept = self
                .store
                .as_ref()
                .and_then(|s| s.progress().lessons.get(id))
                .map(|l| l.position);
            if let Some(a) = kept.and_then(|p| r.doc.anchors.get(p)) {
                r.scroll = a.line;
            }
            self.record_position(self.selected, kept.unwrap_or(0));
            self.screens.push(Screen::Reader(r));
        }
    }

    pub fn update(&mut self, action: Action) {
        if let Action::Resize(w, h) = action {
            if self.size == (w, h) {
                return;
            }
            self.size = (w, h);
            // Below the minimum only a notice is drawn; the lesson is laid
            // out again when a resize brings back enough room.
            let fits = w >= super::MIN_SIZE.0 && h >= super::MIN_SIZE.1;
            if fits {
                self.relayout();
            }
            return;
        }
        if action == Action::Quit {
            self.quit = true;
            return;
        }
        // The help overlay takes any key as "close".
        if self.help {
            self.help = false;
            return;
        }
        if action == Action::Help {
            self.help = true;
            return;
        }
        self.notice = None;
        match self.screens.top() {
            Some(Screen::Progress { .. }) => self.update_progress(action),
            Some(Screen::Summary(_)) => {
                if matches!(action, Action::Back | Action::Open) {
                    self.screens.pop();
                }
            }
            Some(Screen::Exercise(_)) => self.update_exercise(action),
            Some(Screen::Reader(_)) | None => self.update_lessons(action),
        }
    }

    /// Lays every reader out again for the new size.
    fn relayout(&mut self) {
        let mut screens = std::mem::take(&mut self.screens);
        screens.map_readers(|r| r.relayout(self));
        self.screens = screens;
    }

    fn update_progress(&mut self, action: Action) {
        let Some(Screen::Progress { scroll }) = self.screens.pop() else {
            return;
        };
        let scroll = match action {
            Action::Back | Action::Progress => return,
            Action::Down => scroll + 1,
            Action::Up => scroll.saturating_sub(1),
            _ => scroll,
        };
        self.screens.push(Screen::Progress { scroll });
    }

    /// Home or a lesson's reader: what opens from there, then their own keys.
    fn update_lessons(&mut self, action: Action) {
        if action == Action::Progress && self.screens.top().is_none() {
            self.refresh_progress();
            self.screens.push(Screen::Progress { scroll: 0 });
            return;
        }
        if action == Action::Quiz {
            let ids: Vec<String> = nabla_engine::lesson::exercise::all(&self.course)
                .iter()
                .map(|l| l.id())
                .collect();
            let picked = self.pick_quiz(&ids, 10);
            self.start_quiz(picked);
            return;
        }
        if action == Action::Practise {
            let lesson = self.reader().map_or(self.selected, |r| r.lesson);
            let first = self.first_unsolved(lesson);
            self.open_exercise(lesson, first);
            return;
        }
        match self.screens.pop() {
            Some(Screen::Reader(r)) => {
                let (lesson, anchor) = (r.lesson, r.current_anchor().unwrap_or(0));
                match r.update(self, action) {
                    Some(r) => self.screens.push(Screen::Reader(r)),
                    None => self.record_position(lesson, anchor),
                }
            }
            Some(other) => self.screens.push(other),
            None => self.update_home(action),
        }
    }

    /// Opens exercise `index` of lesson `lesson` with a fresh seed.
    pub fn open_exercise(&mut self, lesson: usize, index: usize) {
        let count = self
            .course
            .lessons
            .get(lesson)
            .map_or(0, |l| l.data.exercises.len());
        if index >= count {
            self.notice = Some("this lesson has no exercises".to_string());
            return;
        }
        self.seed_counter += 1;
        let full_id = format!(
            "{}/{}",
            self.course.lessons[lesson].id(),
            self.course.lessons[lesson].data.exercises[index]
                .id
                .get_ref()
        );
        let seed = match self.fixed_seeds.get(&full_id) {
            Some(&s) => s,
            None => self.seed_base.wrapping_add(self.seed_counter),
        };
        let e = ExerciseState::new(&self.course, lesson, index, seed);
        // Practising a lesson is where the student left off, too.
        let id = self.course.lessons[lesson].id().to_string();
        if let Some(store) = &mut self.store {
            store.set_last_lesson(&id);
        }
        self.screens.show_exercise(e);
    }

    fn update_exercise(&mut self, action: Action) {
        let Some(mut e) = self.screens.take_exercise() else {
            return;
        };
        if matches!(
            action,
            Action::Back | Action::Another | Action::NextExercise | Action::PrevExercise
        ) {
            self.record_left(&e);
        }
        // Seeing the solution before solving it is giving up: the key asks
        // first, and only the same key again does it.
        let asked = e.confirm_give_up.take();
        if matches!(action, Action::Solution | Action::Derivation)
            && !e.solution
            && !e.solved
            && asked != Some(action)
        {
            e.confirm_give_up = Some(action);
            let key = if action == Action::Solution {
                "F3"
            } else {
                "F6"
            };
            self.notice = Some(format!(
                "Show the answer? That counts as giving up on this exercise: {key} again to show it, any other key to go on."
            ));
            self.screens.push(Screen::Exercise(e));
            return;
        }
        // Typing, moving and editing act on the answer box or the grid.
        if e.edit(action) {
            self.screens.push(Screen::Exercise(e));
            return;
        }
        match action {
            Action::Back => {
                // Leaving a quiz ends it: the summary shows what was done.
                if self.quiz.is_some() {
                    self.finish_quiz();
                }
                return;
            }
            Action::ToggleGrid => e.toggle_grid(),
            Action::Derivation => {
                // Like the worked solution: seeing it first is giving up.
                if !e.solution && !e.solved {
                    self.on_gave_up(&e);
                }
                e.solution = true;
                e.derive(&self.course);
                e.scroll = usize::MAX / 2;
            }
            Action::Down => e.scroll += 1,
            Action::Up => e.scroll = e.scroll.saturating_sub(1),
            Action::Hint => {
                let ex = &self.course.lessons[e.lesson].data.exercises[e.index];
                let step_hints = ex.steps.get(e.step).map_or(0, |s| s.hints.len());
                e.hints = (e.hints + 1).min(ex.hints.len() + step_hints);
                self.on_hint(&e);
            }
            Action::Solution => {
                if !e.solution && !e.solved {
                    self.on_gave_up(&e);
                }
                e.solution = true;
            }
            Action::Submit if self.background => {
                match e.begin_submit(&self.course) {
                    Some(job) if job.is_quick() => {
                        let before = e.attempts;
                        let result = job.run();
                        match e.finish_submit(&self.course, &job.text, result) {
                            Some(outcome) => self.on_graded(&e, &outcome, before),
                            None => self.nothing_to_grade(&e),
                        }
                        e.scroll = usize::MAX / 2;
                    }
                    Some(job) => {
                        let (tx, rx) = std::sync::mpsc::channel();
                        let text = job.text.clone();
                        // If the tutor gives up on it (Esc), the flag stops
                        // it at its next trial and whatever it sends is
                        // dropped.
                        let cancel = nabla_engine::cancel::Cancel::new();
                        let flag = cancel.clone();
                        std::thread::spawn(move || {
                            let _ = tx.send(flag.scope(|| job.run()));
                        });
                        self.grading = Some(Grading {
                            result: rx,
                            cancel,
                            text,
                            attempts_before: e.attempts,
                        });
                        self.notice = Some("Grading… (Esc to cancel)".to_string());
                    }
                    None => self.nothing_to_grade(&e),
                }
            }
            Action::Submit => {
                let before = e.attempts;
                if let Some(outcome) = e.submit(&self.course) {
                    self.on_graded(&e, &outcome, before);
                } else {
                    self.nothing_to_grade(&e);
                }
                // The grade is at the bottom of the exercise: bring it into view.
                e.scroll = usize::MAX / 2;
            }
            Action::Another => {
                let (lesson, index) = (e.lesson, e.index);
                let symbolic = e.shown.as_ref().is_ok_and(|s| s.values.is_none());
                self.open_exercise(lesson, index);
                if symbolic {
                    self.notice = Some(
                        "A fresh variant: the question reads the same, but grading draws new random sizes and values.".to_string(),
                    );
                }
                return;
            }
            Action::NextExercise | Action::PrevExercise => {
                let forward = action == Action::NextExercise;
                if let Some(q) = &mut self.quiz {
                    if forward {
                        q.position += 1;
                    } else {
                        q.position = q.position.saturating_sub(1);
                    }
                    if q.position >= q.ids.len() {
                        self.finish_quiz();
                        return;
                    }
                    self.open_quiz_item();
                    return;
                }
                let count = self.course.lessons[e.lesson].data.exercises.len();
                let index = if forward {
                    (e.index + 1).min(count - 1)
                } else {
                    e.index.saturating_sub(1)
                };
                if index != e.index {
                    self.open_exercise(e.lesson, index);
                    return;
                }
            }
            _ => {}
        }
        self.screens.push(Screen::Exercise(e));
    }

    fn update_home(&mut self, action: Action) {
        let n = self.course.lessons.len();
        match action {
            Action::Down => self.selected = (self.selected + 1).min(n.saturating_sub(1)),
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Top => self.selected = 0,
            Action::Bottom => self.selected = n.saturating_sub(1),
            Action::Open => self.open_lesson(),
            // Esc on the home screen leaves the tutor.
            Action::Back => self.quit = true,
            _ => {}
        }
    }
}

/// What happens around grading: progress records, quiz bookkeeping. Kept
/// apart from the key handling above.
impl App {
    fn on_hint(&mut self, e: &ExerciseState) {
        self.record_hint(e);
    }

    fn on_gave_up(&mut self, e: &ExerciseState) {
        self.record_gave_up(e);
        let id = e.id(&self.course);
        if let Some(q) = &mut self.quiz {
            q.item(&id).gave_up = true;
        }
    }

    /// Why Enter graded nothing: the exercise's trouble, or an answer that
    /// does not read yet.
    fn nothing_to_grade(&mut self, e: &ExerciseState) {
        if let Some(t) = &e.trouble {
            self.notice = Some(t.clone());
        } else if matches!(e.preview, super::exercise::Preview::Error { .. }) {
            self.notice = Some(
                "The answer does not read yet (see below); fix it first: no attempt was counted."
                    .to_string(),
            );
        }
    }

    /// Takes in the grading in flight if it has finished, waiting for it up
    /// to `wait`; true when it has (the screen changed).
    pub fn poll_grading(&mut self, wait: std::time::Duration) -> bool {
        let Some(g) = &self.grading else {
            return false;
        };
        let result = match g.result.recv_timeout(wait) {
            Ok(r) => r,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => return false,
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                Err("the grading stopped without a result".to_string())
            }
        };
        let g = self.grading.take().expect("checked above");
        self.notice = None;
        let Some(mut e) = self.screens.take_exercise() else {
            return true;
        };
        if let Some(outcome) = e.finish_submit(&self.course, &g.text, result) {
            self.on_graded(&e, &outcome, g.attempts_before);
        } else {
            self.nothing_to_grade(&e);
        }
        e.scroll = usize::MAX / 2;
        self.screens.push(Screen::Exercise(e));
        true
    }

    /// Gives up on the grading in flight: nothing is counted or recorded.
    pub fn cancel_grading(&mut self) {
        if let Some(g) = self.grading.take() {
            g.cancel.cancel();
            self.notice = Some("Grading cancelled: no attempt was counted.".to_string());
        }
    }

    fn on_graded(
        &mut self,
        e: &ExerciseState,
        outcome: &nabla_engine::lesson::grading::Outcome,
        attempts_before: u32,
    ) {
        self.record_graded(e, outcome);
        let correct = outcome.grade.verdict == nabla_engine::grade::Verdict::Correct;
        let id = e.id(&self.course);
        if let Some(rule) = &mut self.attempt_rule
            && self.fixed_seeds.get(&id) == Some(&e.seed)
        {
            let step = e.graded_step.map(|s| u32::try_from(s).unwrap_or(u32::MAX));
            if let Some(told) = rule.count(&id, step, correct) {
                self.notice = Some(told);
            }
        }
        if let Some(q) = &mut self.quiz {
            let item = q.item(&id);
            if let Some(code) = super::quiz::diagnosis_code(outcome) {
                item.diagnoses.push(code);
            }
            if e.solved && !item.solved {
                item.solved = true;
                item.first_time = correct && attempts_before == 0 && e.hints == 0 && !item.gave_up;
            }
        }
    }

    /// Starts a quiz over the given exercise ids.
    pub fn start_quiz(&mut self, ids: Vec<String>) {
        if ids.is_empty() {
            self.notice = Some("no exercises to quiz on".to_string());
            return;
        }
        self.quiz = Some(Quiz::new(ids));
        self.open_quiz_item();
    }

    fn open_quiz_item(&mut self) {
        let Some(q) = &self.quiz else { return };
        let Some(id) = q.ids.get(q.position).cloned() else {
            return;
        };
        let found = self.course.lessons.iter().enumerate().find_map(|(li, l)| {
            l.data
                .exercises
                .iter()
                .position(|ex| format!("{}/{}", l.id(), ex.id.get_ref()) == id)
                .map(|xi| (li, xi))
        });
        match found {
            Some((li, xi)) => self.open_exercise(li, xi),
            None => self.notice = Some(format!("exercise {id} is not in this course")),
        }
    }

    fn finish_quiz(&mut self) {
        let Some(q) = self.quiz.take() else { return };
        let _ = self.screens.take_exercise();
        let summary = super::quiz::Summary::of(&q, &self.course);
        self.record_quiz(&q, summary.first_time);
        self.screens.push(Screen::Summary(summary));
    }
}
