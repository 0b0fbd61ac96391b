//! How long each text field of a lesson may be (in characters). A lesson
//! whose field is longer does not load, and `nabla lint` names the field and
//! its limit: a title of 50 MB must not reach the home screen, where every
//! frame would lay it out again. The limits are far above what a lesson
//! needs (the built-in course's longest title is 48 characters, its longest
//! section body about 1,500) and are listed in `docs/authoring.md`.

use super::load::Lesson;
use super::schema::{Given, Mistake};
use super::source::LessonError;
use super::spanned::Spanned;

/// Ids (lesson, exercise) and short words (`kind`, `layout`, `wrt`).
pub const ID: usize = 100;
/// Titles of lessons, sections and exercises, and identity names.
pub const TITLE: usize = 200;
/// A lesson's summary.
pub const SUMMARY: usize = 2_000;
/// A section's body.
pub const BODY: usize = 200_000;
/// Prompts (of exercises and backprop steps), solutions and identity notes.
pub const PROMPT: usize = 20_000;
/// One choice of a `choice` exercise.
pub const CHOICE: usize = 2_000;
/// One hint, and a mistake's feedback.
pub const HINT: usize = 4_000;
/// Expressions (`f`, `answer`, `result`, a mistake's `answer`, a forward
/// line), declarations (`given`, each entry of a `given` table), LaTeX
/// statements and derivation lines.
pub const EXPRESSION: usize = 4_000;

/// The lesson being checked and the fields found too long so far.
struct Check<'a> {
    file: &'a Lesson,
    errors: Vec<LessonError>,
}

impl Check<'_> {
    fn field(&mut self, name: &str, value: &Spanned<String>, limit: usize) {
        self.text(name, value.get_ref(), &value.span(), limit);
    }

    fn text(&mut self, name: &str, text: &str, span: &std::ops::Range<usize>, limit: usize) {
        // Counting stops past the limit: a 4 MB field is not counted whole.
        if text.len() > limit && text.chars().nth(limit).is_some() {
            let length = text.chars().count();
            self.errors.push(self.file.file.error_in(
                span,
                format!(
                    "{name} is too long: {length} characters, and the limit is {limit} (see docs/authoring.md)"
                ),
            ));
        }
    }

    fn opt(&mut self, name: &str, value: &Option<Spanned<String>>, limit: usize) {
        if let Some(v) = value {
            self.field(name, v, limit);
        }
    }

    fn each(&mut self, name: &str, values: &[Spanned<String>], limit: usize) {
        for v in values {
            self.field(name, v, limit);
        }
    }

    fn given(&mut self, name: &str, given: &Spanned<Given>) {
        let span = given.span();
        match given.get_ref() {
            Given::Text(t) => self.text(name, t, &span, EXPRESSION),
            Given::Table(m) => {
                for (k, v) in m {
                    self.text(&format!("{name} name"), k, &span, ID);
                    self.text(&format!("{name} entry '{k}'"), v, &span, EXPRESSION);
                }
            }
        }
    }

    fn mistakes(&mut self, mistakes: &[Mistake]) {
        for m in mistakes {
            self.field("mistake answer", &m.answer, EXPRESSION);
            self.field("mistake feedback", &m.feedback, HINT);
        }
    }
}

/// Every field of `lesson` longer than its limit, each an error at the field.
pub fn check(lesson: &Lesson) -> Vec<LessonError> {
    let d = &lesson.data;
    let mut c = Check {
        file: lesson,
        errors: Vec::new(),
    };
    c.field("id", &d.id, ID);
    c.field("title", &d.title, TITLE);
    c.opt("summary", &d.summary, SUMMARY);
    for s in &d.sections {
        c.field("section title", &s.title, TITLE);
        c.field("section body", &s.body, BODY);
    }
    for i in &d.identities {
        c.field("identity name", &i.name, TITLE);
        c.field("identity statement", &i.statement, EXPRESSION);
        c.given("identity given", &i.given);
        c.field("identity f", &i.f, EXPRESSION);
        c.field("identity wrt", &i.wrt, ID);
        c.field("identity result", &i.result, EXPRESSION);
        c.each("identity derivation line", &i.derivation, EXPRESSION);
        c.opt("identity layout", &i.layout, ID);
        c.opt("identity note", &i.note, PROMPT);
    }
    for e in &d.exercises {
        c.field("exercise id", &e.id, ID);
        c.field("exercise kind", &e.kind, ID);
        c.field("exercise title", &e.title, TITLE);
        c.field("prompt", &e.prompt, PROMPT);
        if let Some(g) = &e.given {
            c.given("given", g);
        }
        c.opt("f", &e.f, EXPRESSION);
        c.opt("wrt", &e.wrt, ID);
        c.opt("name", &e.name, ID);
        c.opt("layout", &e.layout, ID);
        c.opt("answer", &e.answer, EXPRESSION);
        c.each("choice", &e.choices, CHOICE);
        c.each("forward line", &e.forward, EXPRESSION);
        c.each("hint", &e.hints, HINT);
        c.opt("solution", &e.solution, PROMPT);
        c.mistakes(&e.mistakes);
        for s in &e.steps {
            c.field("step wrt", &s.wrt, ID);
            c.opt("step prompt", &s.prompt, PROMPT);
            c.field("step answer", &s.answer, EXPRESSION);
            c.each("step hint", &s.hints, HINT);
            c.mistakes(&s.mistakes);
        }
    }
    c.errors
}
