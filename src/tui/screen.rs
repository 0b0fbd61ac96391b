//! Which screen is on top: the one source of it. The screens form a stack
//! over the home screen (which is the empty stack): a lesson's reader, an
//! exercise opened from it, a quiz summary or the progress report. The key
//! context, what is drawn and who handles a key all come from the top.
//!
//! To add a screen: a module with its state, `view` and `update`, and one
//! `Screen` variant here (with its arm in `context` and in `tui::draw`).

use super::exercise::ExerciseState;
use super::keys::Context;
use super::quiz::Summary;
use super::reader::ReaderState;

pub enum Screen {
    Reader(ReaderState),
    /// Boxed: much larger than the other screens.
    Exercise(Box<ExerciseState>),
    /// The progress report, scrolled this far.
    Progress {
        scroll: usize,
    },
    Summary(Summary),
}

impl Screen {
    /// Where keys pressed on this screen are looked up.
    pub fn context(&self) -> Context {
        match self {
            Screen::Reader(r) if r.toc.is_some() => Context::Toc,
            Screen::Reader(_) => Context::Reader,
            Screen::Exercise(_) => Context::Exercise,
            Screen::Progress { .. } | Screen::Summary(_) => Context::Report,
        }
    }
}

/// The screens above home, bottom first.
#[derive(Default)]
pub struct Stack {
    screens: Vec<Screen>,
}

impl Stack {
    pub fn top(&self) -> Option<&Screen> {
        self.screens.last()
    }

    pub fn push(&mut self, s: Screen) {
        self.screens.push(s);
    }

    pub fn pop(&mut self) -> Option<Screen> {
        self.screens.pop()
    }

    /// The exercise on top, taken off to be worked on (put it back with
    /// `push`); None when the top is another screen.
    pub fn take_exercise(&mut self) -> Option<Box<ExerciseState>> {
        match self.screens.pop() {
            Some(Screen::Exercise(e)) => Some(e),
            Some(other) => {
                self.screens.push(other);
                None
            }
            None => None,
        }
    }

    /// Shows `e`: in place of the exercise on top, or over what is there.
    pub fn show_exercise(&mut self, e: ExerciseState) {
        let _ = self.take_exercise();
        self.screens.push(Screen::Exercise(Box::new(e)));
    }

    /// The reader nearest the top (an exercise may be open over it).
    pub fn reader(&self) -> Option<&ReaderState> {
        self.screens.iter().rev().find_map(|s| match s {
            Screen::Reader(r) => Some(r),
            _ => None,
        })
    }

    pub fn reader_mut(&mut self) -> Option<&mut ReaderState> {
        self.screens.iter_mut().rev().find_map(|s| match s {
            Screen::Reader(r) => Some(r),
            _ => None,
        })
    }

    pub fn exercise(&self) -> Option<&ExerciseState> {
        match self.top() {
            Some(Screen::Exercise(e)) => Some(e),
            _ => None,
        }
    }

    pub fn summary(&self) -> Option<&Summary> {
        match self.top() {
            Some(Screen::Summary(s)) => Some(s),
            _ => None,
        }
    }

    pub fn summary_mut(&mut self) -> Option<&mut Summary> {
        match self.screens.last_mut() {
            Some(Screen::Summary(s)) => Some(s),
            _ => None,
        }
    }

    /// Each reader replaced by `f` of it (laid out for a new width).
    pub fn map_readers(&mut self, mut f: impl FnMut(ReaderState) -> ReaderState) {
        self.screens = std::mem::take(&mut self.screens)
            .into_iter()
            .map(|s| match s {
                Screen::Reader(r) => Screen::Reader(f(r)),
                other => other,
            })
            .collect();
    }
}
