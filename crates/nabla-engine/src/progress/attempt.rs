//! One graded answer as the progress log keeps it: which exercise (and which
//! version of its text, and which instance), what was typed, the verdict and
//! the *kind* of mistake, the help used and the time taken. The kinds are
//! what "you keep transposing" is counted from, so they are kept apart from
//! the authored mistake an answer may also have matched.

use crate::grade::{Diagnosis, Verdict};
use crate::lesson::grading::Outcome;
use crate::lesson::schema::Exercise;

/// What kind of wrong answer it was. The engine's own diagnosis wins over
/// the authored mistake (a transposed answer that a lesson also lists as a
/// known mistake is counted as transposed; the authored mistake is kept
/// beside it in [`Attempt::mistake`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum MistakeKind {
    Transpose,
    Sign,
    /// c times the derivative.
    Scale {
        factor: f64,
    },
    SymmetricOnly,
    /// A mistake the lesson lists, with no finer diagnosis.
    KnownMistake,
    WrongShape,
    /// Wrong, and nothing more is known.
    Incorrect,
}

impl MistakeKind {
    /// The code it is stored and counted under.
    pub fn code(self) -> &'static str {
        match self {
            MistakeKind::Transpose => "transpose",
            MistakeKind::Sign => "sign",
            MistakeKind::Scale { .. } => "scale",
            MistakeKind::SymmetricOnly => "symmetric_only",
            MistakeKind::KnownMistake => "known_mistake",
            MistakeKind::WrongShape => "wrong_shape",
            MistakeKind::Incorrect => "incorrect",
        }
    }

    /// The kind back from its code (and the factor, for `scale`); `None` for
    /// a code this nabla does not know.
    pub fn from_code(code: &str, factor: Option<f64>) -> Option<MistakeKind> {
        Some(match code {
            "transpose" => MistakeKind::Transpose,
            "sign" => MistakeKind::Sign,
            "scale" => MistakeKind::Scale {
                factor: factor.unwrap_or(f64::NAN),
            },
            "symmetric_only" => MistakeKind::SymmetricOnly,
            "known_mistake" => MistakeKind::KnownMistake,
            "wrong_shape" => MistakeKind::WrongShape,
            "incorrect" => MistakeKind::Incorrect,
            _ => return None,
        })
    }

    /// A kind's code in a student's words, as both the tutor's progress
    /// screen and `nabla progress` count them ("transposed answers ×15").
    /// An unknown code is returned as it is.
    pub fn words(code: &str) -> &str {
        match code {
            "transpose" => "transposed answers",
            "sign" => "sign slips",
            "scale" => "constant factors",
            "symmetric_only" => "true only for symmetric matrices",
            "known_mistake" => "classic mistakes",
            "wrong_shape" => "wrong shapes",
            "incorrect" => "other wrong answers",
            other => other,
        }
    }

    /// The factor of a `scale` mistake.
    pub fn factor(self) -> Option<f64> {
        match self {
            MistakeKind::Scale { factor } => Some(factor),
            _ => None,
        }
    }

    /// The kind of a graded answer; `None` when it was right (or unreadable,
    /// which is not an attempt).
    pub fn of(o: &Outcome) -> Option<MistakeKind> {
        match o.grade.verdict {
            Verdict::Correct | Verdict::InvalidAnswer => None,
            v => Some(match o.grade.diagnosis {
                Some(Diagnosis::Transpose) => MistakeKind::Transpose,
                Some(Diagnosis::Sign) => MistakeKind::Sign,
                Some(Diagnosis::Scale(factor)) => MistakeKind::Scale { factor },
                Some(Diagnosis::SymmetricOnly) => MistakeKind::SymmetricOnly,
                None if o.mistake.is_some() => MistakeKind::KnownMistake,
                None if v == Verdict::WrongShape => MistakeKind::WrongShape,
                None => MistakeKind::Incorrect,
            }),
        }
    }
}

/// One graded answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Attempt {
    /// Unix seconds.
    pub at: i64,
    /// `"lesson/exercise"`.
    pub exercise: String,
    /// The lesson file it came from (its name as loaded).
    pub lesson_file: Option<String>,
    /// [`exercise_version`] of the exercise's text when answered.
    pub exercise_version: Option<String>,
    /// The seed of the instance shown.
    pub seed: u64,
    /// The step of a backprop exercise, from 0.
    pub step: Option<u32>,
    /// The answer as typed.
    pub answer: String,
    pub correct: bool,
    /// Right, and the exercise is now solved (the last step of a backprop
    /// exercise, or any right answer to another kind).
    pub completes: bool,
    /// What kind of wrong answer; `None` when right.
    pub kind: Option<MistakeKind>,
    /// The index (from 0) of the lesson's known mistake it matched.
    pub mistake: Option<u32>,
    /// Hints showing when it was answered.
    pub hints: u32,
    /// Whether the worked solution was showing.
    pub solution: bool,
    /// Milliseconds from the exercise (or step) being shown to this answer.
    pub millis: Option<u64>,
}

/// A short, stable hash of an exercise's text (FNV-1a of its fields as
/// JSON, without their places in the file), so that an answer to an
/// exercise edited since is told apart. 16 hex digits.
pub fn exercise_version(ex: &Exercise) -> String {
    let text = serde_json::to_string(ex).unwrap_or_default();
    format!("{:016x}", fnv1a(text.as_bytes()))
}

/// FNV-1a, 64 bits: the same on every platform and Rust version.
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for k in [
            MistakeKind::Transpose,
            MistakeKind::Sign,
            MistakeKind::Scale { factor: 2.0 },
            MistakeKind::SymmetricOnly,
            MistakeKind::KnownMistake,
            MistakeKind::WrongShape,
            MistakeKind::Incorrect,
        ] {
            assert_eq!(MistakeKind::from_code(k.code(), k.factor()), Some(k));
        }
        assert_eq!(MistakeKind::from_code("gremlins", None), None);
    }
}
