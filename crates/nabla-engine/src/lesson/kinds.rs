//! What each kind of exercise does with an answer before it is graded: the
//! live read-back of the answer box (`Reader::preview`), nabla's own
//! derivation of the step in progress (`derivation`), and whether grading
//! is quick enough to do in place (`is_quick`). Here, in the engine, so a
//! face (the tutor) draws a `Preview` and never calls the deriver, the
//! sampler or the parser itself.

use super::backprop::step_problem;
use super::exercise::{Located, problem};
use super::grading::read_choice;
use super::instance::Shown;
use super::schema::{Exercise, Kind};
use crate::calculus::Problem;
use crate::expr::decl::parse_shape;
use crate::expr::{Decls, ErrorKind, Shape, compile, compile_expecting};
use crate::grade::slip;

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
    /// Does not parse: the message and the character span; `gradable` when
    /// Enter grades it all the same, as the layout slip (`grade::slip`).
    Error {
        message: String,
        start: usize,
        end: usize,
        gradable: bool,
    },
}

/// How answers to one exercise (at one backprop step) are read: its kind
/// and what reading needs, worked out once rather than at each keystroke.
#[derive(Clone, Debug)]
pub struct Reader {
    kind: Option<Kind>,
    /// Derive and backprop: the declarations and the derivative's shape.
    symbols: Option<(Decls, Shape)>,
    /// Compute: the shape of the numbers asked for.
    numbers_shape: Option<String>,
    /// Choice: how many options there are.
    choices: usize,
    /// Whether a reading says if its shape is the one asked for
    /// (`shape_preview`).
    marks_shape: bool,
}

impl Reader {
    /// The reader of `loc`'s answers at backprop step `step` (ignored by the
    /// other kinds); `shown` is the instance on screen, if it could be made.
    pub fn new(loc: Located<'_>, shown: Option<&Shown>, step: usize) -> Reader {
        let kind = loc.kind().ok();
        let symbols = match kind {
            Some(Kind::Derive) => problem(loc.ex).ok(),
            Some(Kind::Backprop) => step_problem(loc.ex, step).ok(),
            _ => None,
        }
        .map(|p| (p.decls, p.expected));
        Reader {
            kind,
            symbols,
            numbers_shape: shown.and_then(|s| s.expected_shape.clone()),
            choices: shown.and_then(|s| s.choices.as_ref()).map_or(0, Vec::len),
            marks_shape: loc.ex.shape_preview.as_ref().is_none_or(|s| *s.get_ref()),
        }
    }

    pub fn kind(&self) -> Option<Kind> {
        self.kind
    }

    /// How `text` reads for this exercise.
    pub fn preview(&self, text: &str) -> Preview {
        match self.reading(text) {
            Preview::Reading { read_as, shape, .. } if !self.marks_shape => Preview::Reading {
                read_as,
                shape,
                fits: None,
            },
            p => p,
        }
    }

    fn reading(&self, text: &str) -> Preview {
        if text.trim().is_empty() {
            return Preview::Empty;
        }
        match self.kind {
            Some(Kind::Derive | Kind::Backprop) => match &self.symbols {
                Some((decls, expected)) => {
                    match compile_expecting(text, Some(decls), Some(expected)) {
                        Ok(c) => Preview::Reading {
                            fits: Some(c.shape() == expected),
                            shape: c.shape().to_string(),
                            read_as: c.read_as,
                        },
                        Err(e) => Preview::Error {
                            gradable: slip::fix(text, decls, expected, &e).is_some(),
                            message: e.message,
                            start: e.span.start,
                            end: e.span.end,
                        },
                    }
                }
                None => Preview::Empty,
            },
            Some(Kind::Compute) => match compile(text, Some(&Decls::default())) {
                Ok(c) => {
                    let shape = c.shape().to_string();
                    Preview::Reading {
                        fits: self.numbers_shape.as_ref().map(|e| *e == shape),
                        shape,
                        read_as: c.read_as,
                    }
                }
                Err(e) => Preview::Error {
                    // A name in a compute answer is a symbol where numbers
                    // are asked for: say what to type instead.
                    message: if e.kind == ErrorKind::Name {
                        "type numbers, like [1; 2] or [1, 2; 3, 4]".to_string()
                    } else {
                        e.message
                    },
                    start: e.span.start,
                    end: e.span.end,
                    gradable: false,
                },
            },
            Some(Kind::Shape) => match parse_shape(text) {
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
                    gradable: false,
                },
            },
            Some(Kind::Choice) => match read_choice(text, self.choices) {
                Some(k) => Preview::Reading {
                    read_as: format!("choice {k}"),
                    shape: String::new(),
                    fits: None,
                },
                None => Preview::Error {
                    message: format!("type the number of a choice, 1 to {}", self.choices),
                    start: 0,
                    end: text.chars().count(),
                    gradable: false,
                },
            },
            None => Preview::Empty,
        }
    }
}

/// The derivative problem of a derive exercise, or of step `step` of a
/// backprop one.
fn derivative_problem(ex: &Exercise, step: Option<usize>) -> Result<Problem, String> {
    match step {
        Some(i) => step_problem(ex, i),
        None => problem(ex),
    }
}

/// nabla's own derivation (derive, and backprop's step `step`): the result
/// with its shape, and the steps taken.
pub fn derivation(loc: Located<'_>, step: usize) -> Result<(String, Vec<String>), String> {
    let problem = match loc.kind() {
        Ok(Kind::Derive) => problem(loc.ex),
        Ok(Kind::Backprop) => step_problem(loc.ex, step),
        _ => Err("a derivation is shown for derive and backprop exercises".to_string()),
    };
    problem
        .and_then(|p| crate::calculus::symbolic::derive(&p))
        .map(|d| (format!("{}   {}", d.text, d.shape), d.steps))
}

/// Below this many estimated operations (about a millisecond) a grading is
/// done in place: a thread would only add its start-up, and on a busy
/// machine the wait for a core, to the verdict.
const IN_PLACE_FLOPS: f64 = 1e8;

/// Whether grading an answer to `ex` (at backprop step `step`) is quick
/// enough to run on the caller's thread, from the cost estimate of its F;
/// an exercise whose problem does not even build is quick to refuse.
pub fn is_quick(ex: &Exercise, step: Option<usize>) -> bool {
    derivative_problem(ex, step).map_or(true, |p| {
        crate::calculus::cost::grading(&p.f.typed, &p.decls).flops < IN_PLACE_FLOPS
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::{exercise, load};

    fn fits(id: &str, answer: &str) -> Option<bool> {
        let course = load::builtin();
        let loc = exercise::find(&course, id).unwrap();
        match Reader::new(loc, None, 0).preview(answer) {
            Preview::Reading { fits, .. } => fits,
            p => panic!("{id}: {answer} reads as {p:?}"),
        }
    }

    /// The ✓/✗ of the answer box says whether the shape is the one asked
    /// for, except where the exercise says the shape is what it teaches.
    #[test]
    fn the_shape_mark_follows_shape_preview() {
        assert_eq!(fits("scalar-by-vector/quadratic-form", "x'A"), Some(false));
        assert_eq!(fits("scalar-by-vector/quadratic-form", "A x"), Some(true));
        // A Jacobian's layout is the lesson: A' (its transpose) gets no ✗.
        assert_eq!(fits("vector-by-vector/affine-jacobian", "A'"), None);
        assert_eq!(fits("vector-by-vector/affine-jacobian", "A"), None);
    }
}
