//! The answer key of one instance of an exercise: the reference answer,
//! for a compute exercise the instance's numbers and the expected result,
//! for a backprop exercise each step's answer, and the mistakes the lesson
//! lists (each answer with its feedback). For instructors only: a student's
//! copy can print it too (nothing here is secret from someone with the
//! lesson files), which is why marks come from re-grading.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::lesson::exercise::{Located, problem};
use crate::lesson::instance::{compute_instance, named_values, plain, rows};
use crate::lesson::schema::{Kind, Mistake};

/// A mistake the lesson lists.
#[derive(Clone, Debug, Serialize)]
pub struct KeyMistake {
    pub answer: String,
    pub feedback: String,
}

/// One step of a backprop exercise.
#[derive(Clone, Debug, Serialize)]
pub struct KeyStep {
    pub wrt: String,
    pub answer: String,
    pub mistakes: Vec<KeyMistake>,
}

/// The key of one instance.
#[derive(Clone, Debug, Serialize)]
pub struct Key {
    pub id: String,
    pub kind: String,
    pub title: String,
    pub seed: u64,
    /// The reference answer (the choice's number for a choice exercise);
    /// absent for backprop, whose answers are per step.
    pub answer: Option<String>,
    /// A choice exercise: the text of the right choice.
    pub choice: Option<String>,
    /// A compute exercise: the instance's values, name → rows (as `show`).
    pub values: Option<BTreeMap<String, Vec<Vec<f64>>>>,
    /// A compute exercise: the expected numbers, as rows.
    pub numbers: Option<Vec<Vec<f64>>>,
    pub steps: Option<Vec<KeyStep>>,
    pub mistakes: Vec<KeyMistake>,
}

fn mistakes(ms: &[Mistake]) -> Vec<KeyMistake> {
    ms.iter()
        .map(|m| KeyMistake {
            answer: m.answer.get_ref().clone(),
            feedback: plain(m.feedback.get_ref()),
        })
        .collect()
}

/// The key of instance `seed` of an exercise (the instance `show` gives for
/// the same seed).
///
/// ```
/// use nabla_engine::classroom::key::key;
/// use nabla_engine::lesson::{exercise::find, load::builtin};
///
/// let course = builtin();
/// let k = key(find(&course, "backprop/matmul-compute").unwrap(), 7).unwrap();
/// assert!(k.numbers.is_some() && k.values.is_some());
/// ```
pub fn key(loc: Located<'_>, seed: u64) -> Result<Key, String> {
    let ex = loc.ex;
    let kind = loc.kind()?;
    let mut k = Key {
        id: loc.id(),
        kind: kind.name().to_string(),
        title: ex.title.get_ref().clone(),
        seed,
        answer: ex.answer.as_ref().map(|a| a.get_ref().clone()),
        choice: None,
        values: None,
        numbers: None,
        steps: None,
        mistakes: mistakes(&ex.mistakes),
    };
    match kind {
        Kind::Derive | Kind::Shape => {}
        Kind::Compute => {
            let p = problem(ex)?;
            let inst = compute_instance(&p, ex, seed)?;
            let expected = p.derivative(&inst).map_err(|e| e.message)?;
            k.numbers = Some(rows(&expected));
            k.values = Some(named_values(&p, &inst));
        }
        Kind::Choice => {
            use crate::lesson::grading::{read_choice, shown_choice};
            let count = ex.choices.len();
            let n = k
                .answer
                .as_deref()
                .and_then(|a| read_choice(a, count))
                .ok_or("the exercise's answer is not one of its choices")?;
            // `read_choice` gives the choice's number from 1, as the file
            // numbers them; the key says the numbers this instance shows.
            k.choice = ex
                .choices
                .get(n.wrapping_sub(1))
                .map(|c| plain(c.get_ref()));
            k.answer = shown_choice(ex, seed, n).map(|s| s.to_string());
            for m in &mut k.mistakes {
                if let Some(s) =
                    read_choice(&m.answer, count).and_then(|f| shown_choice(ex, seed, f))
                {
                    m.answer = s.to_string();
                }
            }
        }
        Kind::Backprop => {
            k.answer = None;
            k.steps = Some(
                ex.steps
                    .iter()
                    .map(|s| KeyStep {
                        wrt: s.wrt.get_ref().clone(),
                        answer: s.answer.get_ref().clone(),
                        mistakes: mistakes(&s.mistakes),
                    })
                    .collect(),
            );
        }
    }
    Ok(k)
}
