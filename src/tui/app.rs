//! The application model and its update function (The Elm Architecture):
//! keys become `Action`s, `App::update` changes the model, `view` draws it.

use nabla::lesson::Course;

use super::keys::Context;
use super::reader::ReaderState;
use super::theme::Theme;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Open,
    Back,
    Quit,
    Help,
    NextSection,
    PrevSection,
    Toc,
    Reveal,
    RevealAll,
    Resize(u16, u16),
}

/// Where the tutor opens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Start {
    Home,
    Lesson(String),
}

pub struct App {
    pub course: Course,
    pub theme: Theme,
    /// The terminal's size, columns × rows.
    pub size: (u16, u16),
    /// The selected lesson on the home screen.
    pub selected: usize,
    pub reader: Option<ReaderState>,
    pub help: bool,
    pub quit: bool,
    /// A one-line message for the user (shown in the bottom bar).
    pub notice: Option<String>,
}

impl App {
    pub fn new(course: Course, start: Start, theme: Theme, size: (u16, u16)) -> App {
        let mut app = App {
            course,
            theme,
            size,
            selected: 0,
            reader: None,
            help: false,
            quit: false,
            notice: None,
        };
        if let Some(e) = app.course.errors.first() {
            app.notice = Some(format!(
                "{} lesson file(s) could not be loaded ({}:{}); run `nabla lint`",
                app.course.errors.len(),
                e.file,
                e.line
            ));
        }
        if let Start::Lesson(id) = start {
            match app.course.lessons.iter().position(|l| l.id() == id) {
                Some(i) => {
                    app.selected = i;
                    app.open_lesson();
                }
                None => {
                    let ids: Vec<&str> = app.course.lessons.iter().map(|l| l.id()).collect();
                    app.notice = Some(format!(
                        "no lesson '{id}'; the lessons are {}",
                        ids.join(", ")
                    ));
                }
            }
        }
        app
    }

    pub fn context(&self) -> Context {
        match &self.reader {
            Some(r) if r.toc.is_some() => Context::Toc,
            Some(_) => Context::Reader,
            None => Context::Home,
        }
    }

    fn open_lesson(&mut self) {
        if self.selected < self.course.lessons.len() {
            self.reader = Some(ReaderState::new(self, self.selected));
        }
    }

    pub fn update(&mut self, action: Action) {
        if let Action::Resize(w, h) = action {
            self.size = (w, h);
            // Below the minimum only a notice is drawn; the lesson is laid
            // out again when a resize brings back enough room.
            let fits = w >= super::MIN_SIZE.0 && h >= super::MIN_SIZE.1;
            if fits && let Some(r) = self.reader.take() {
                self.reader = Some(r.relayout(self));
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
        match self.reader.take() {
            Some(r) => self.reader = r.update(self, action),
            None => self.update_home(action),
        }
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
