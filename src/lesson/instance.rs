//! One generated instance of an exercise, as `nabla show` and the tutor
//! present it. The same exercise and seed always give the same instance.

use std::collections::BTreeMap;

use nalgebra::DMatrix;
use serde::Serialize;

use super::backprop;
use super::exercise::{Located, decls_of, problem};
use super::schema::{Exercise, Kind};
use crate::calculus::Problem;
use crate::render::markdown_to_plain;
use crate::sample::{self, Instance, Values};

/// The seed used when none is given.
pub const DEFAULT_SEED: u64 = 1;

#[derive(Debug, Serialize)]
pub struct Shown {
    pub id: String,
    pub lesson: String,
    pub kind: String,
    pub title: String,
    /// The prompt as plain text (math drawn inline in Unicode).
    pub prompt: String,
    pub given: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub f: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wrt: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub values: Option<BTreeMap<String, Vec<Vec<f64>>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub choices: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_shape: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub forward: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub steps: Option<Vec<ShownStep>>,
    pub hints: usize,
}

#[derive(Debug, Serialize)]
pub struct ShownStep {
    pub wrt: String,
    pub prompt: String,
    pub expected_shape: String,
}

pub fn plain(md: &str) -> String {
    markdown_to_plain(md).unwrap_or_else(|_| md.to_string())
}

pub fn rows(m: &DMatrix<f64>) -> Vec<Vec<f64>> {
    (0..m.nrows())
        .map(|i| m.row(i).iter().copied().collect())
        .collect()
}

/// The integer range of a compute exercise's entries.
pub fn range_of(ex: &Exercise) -> (i64, i64) {
    ex.range.as_ref().map_or((-3, 3), |r| {
        let [lo, hi] = *r.get_ref();
        (lo.min(hi), lo.max(hi))
    })
}

/// The concrete instance of a compute exercise: small whole numbers, redrawn
/// until F and its derivative are defined there.
pub fn compute_instance(p: &Problem, ex: &Exercise, seed: u64) -> Result<Instance, String> {
    let (lo, hi) = range_of(ex);
    let mut rng = sample::rng(seed);
    for _ in 0..500 {
        let sizes = sample::sample_sizes(&p.decls, &mut rng);
        let values = sample::sample_values(&p.decls, &sizes, Values::Integers { lo, hi }, &mut rng);
        let inst = Instance { sizes, values };
        if p.well_conditioned(&inst) && p.derivative(&inst).is_ok() {
            return Ok(inst);
        }
    }
    Err("no whole-number instance keeps F defined; widen `range`".to_string())
}

pub fn show(loc: Located<'_>, seed: u64) -> Result<Shown, String> {
    let ex = loc.ex;
    let kind = loc.kind()?;
    let decls = decls_of(ex)?;
    let given: BTreeMap<String, String> = decls
        .entries
        .iter()
        .map(|d| (d.name.clone(), d.spec()))
        .collect();
    let mut shown = Shown {
        id: loc.id(),
        lesson: loc.lesson.id().to_string(),
        kind: kind.name().to_string(),
        title: ex.title.get_ref().clone(),
        prompt: plain(ex.prompt.get_ref()),
        given,
        f: ex.f.as_ref().map(|f| f.get_ref().clone()),
        wrt: ex.wrt.as_ref().map(|w| w.get_ref().clone()),
        values: None,
        choices: None,
        expected_shape: None,
        forward: None,
        steps: None,
        hints: ex.hints.len(),
    };
    match kind {
        Kind::Derive | Kind::Shape => {
            let p = problem(ex)?;
            if kind == Kind::Derive {
                shown.expected_shape = Some(p.expected.to_string());
            }
        }
        Kind::Compute => {
            let p = problem(ex)?;
            let inst = compute_instance(&p, ex, seed)?;
            let (r, c) = p.derivative(&inst).map_err(|e| e.message)?.shape();
            shown.expected_shape = Some(format!("{r}×{c}"));
            shown.values = Some(
                p.decls
                    .entries
                    .iter()
                    .zip(&inst.values)
                    .map(|(d, v)| (d.name.clone(), rows(v)))
                    .collect(),
            );
        }
        Kind::Choice => {
            shown.choices = Some(ex.choices.iter().map(|c| plain(c.get_ref())).collect());
        }
        Kind::Backprop => {
            shown.forward = Some(ex.forward.iter().map(|l| l.get_ref().clone()).collect());
            let mut steps = Vec::new();
            for (i, s) in ex.steps.iter().enumerate() {
                let p = backprop::step_problem(ex, i)?;
                steps.push(ShownStep {
                    wrt: s.wrt.get_ref().clone(),
                    prompt: s.prompt.as_ref().map_or_else(
                        || format!("∂L/∂{}", s.wrt.get_ref()),
                        |p| plain(p.get_ref()),
                    ),
                    expected_shape: p.expected.to_string(),
                });
            }
            shown.steps = Some(steps);
        }
    }
    Ok(shown)
}
