//! One generated instance of an exercise, as `nabla show` and the tutor
//! present it. The same exercise and seed always give the same instance; a
//! compute exercise's is redrawn until it exposes the mistakes (`separate`).

use std::collections::BTreeMap;

use nalgebra::DMatrix;
use serde::Serialize;

use super::backprop;
use super::exercise::{Located, decls_of, problem};
use super::schema::{Exercise, Kind};
use super::separate::{Clash, Separation};
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
    /// The names the exercise defines for answers (`let`): name → what it
    /// stands for, in the expression language.
    #[serde(rename = "let", skip_serializing_if = "Option::is_none")]
    pub aliases: Option<BTreeMap<String, String>>,
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
/// A compute instance's values by name, as rows (what `show` and the answer
/// key print).
pub fn named_values(p: &Problem, inst: &Instance) -> BTreeMap<String, Vec<Vec<f64>>> {
    p.decls
        .entries
        .iter()
        .zip(&inst.values)
        .map(|(d, v)| (d.name.clone(), rows(v)))
        .collect()
}

pub fn range_of(ex: &Exercise) -> (i64, i64) {
    ex.range.as_ref().map_or((-3, 3), |r| {
        let [lo, hi] = *r.get_ref();
        (lo.min(hi), lo.max(hi))
    })
}

/// Draws a compute exercise may try for one seed before giving up. Far more
/// than any exercise of the built-in course needs (lint checks that an
/// exercise separates often enough for a miss to be out of the question).
pub const BUDGET: usize = 1000;

/// The concrete instance of a compute exercise: small whole numbers, redrawn
/// until F and its derivative are defined there and the numbers tell the
/// answer from every known mistake and slip (`separate`). The draws come from
/// the seed alone, so an exercise and a seed give the same instance anywhere.
pub fn compute_instance(p: &Problem, ex: &Exercise, seed: u64) -> Result<Instance, String> {
    let sep = Separation::new(p, ex);
    let (found, tally) = draws(p, ex, &sep, seed, BUDGET, true);
    found.ok_or_else(|| tally.failure(p, ex))
}

/// What a run of draws met: how many kept F defined, how many could be
/// shown, and how often each clash stood in the way.
#[derive(Clone, Debug, Default)]
pub struct Tally {
    pub draws: usize,
    pub defined: usize,
    pub separated: usize,
    /// Each clash met, with the number of defined draws it spoiled, in the
    /// order first met.
    pub clashes: Vec<(Clash, usize)>,
}

impl Tally {
    /// The clash that spoiled the most draws (the first met, on a tie).
    pub fn culprit(&self) -> Option<(Clash, usize)> {
        self.clashes
            .iter()
            .copied()
            .fold(None, |best, (c, n)| match best {
                Some((_, m)) if m >= n => best,
                _ => Some((c, n)),
            })
    }

    /// Why no instance could be shown.
    pub fn failure(&self, p: &Problem, ex: &Exercise) -> String {
        let (lo, hi) = range_of(ex);
        match self.culprit() {
            _ if self.defined == 0 => {
                "no whole-number instance keeps F defined; widen `range`".to_string()
            }
            Some((c, n)) => format!(
                "no instance with entries in [{lo}, {hi}] tells the answer from every known mistake and slip: in {n} of {} draws, {}; widen `range`",
                self.defined,
                c.describe(p, ex)
            ),
            None => "no instance could be shown".to_string(),
        }
    }
}

/// Up to `budget` draws from `seed`'s stream, and the first instance among
/// them that may be shown; `stop_at_first` ends the run there (to show it),
/// else all are tallied (to measure how often one can be shown).
pub fn draws(
    p: &Problem,
    ex: &Exercise,
    sep: &Separation,
    seed: u64,
    budget: usize,
    stop_at_first: bool,
) -> (Option<Instance>, Tally) {
    let (lo, hi) = range_of(ex);
    let mut rng = sample::rng(seed);
    let mut tally = Tally::default();
    let mut found = None;
    for _ in 0..budget {
        tally.draws += 1;
        let sizes = sample::sample_sizes(&p.decls, &mut rng);
        // Drawn from F's own domain: no name is forced positive; a draw where
        // F or its derivative is undefined is redrawn.
        let values = sample::sample_values(&p.decls, &sizes, Values::Integers { lo, hi }, &mut rng);
        let inst = Instance { sizes, values };
        if !p.well_conditioned(&inst) {
            continue;
        }
        let Ok(r) = p.derivative(&inst) else {
            continue;
        };
        tally.defined += 1;
        let clashes = sep.clashes(p, &inst, &r);
        if clashes.is_empty() {
            tally.separated += 1;
            if found.is_none() {
                found = Some(inst);
            }
            if stop_at_first {
                break;
            }
            continue;
        }
        for c in clashes {
            match tally.clashes.iter_mut().find(|(k, _)| *k == c) {
                Some((_, n)) => *n += 1,
                None => tally.clashes.push((c, 1)),
            }
        }
    }
    (found, tally)
}

/// Instance `seed` of an exercise: what a student is shown (the same seed,
/// the same instance).
///
/// ```
/// use nabla_engine::lesson::{exercise::find, instance::show, load::builtin};
///
/// let course = builtin();
/// let ex = find(&course, "backprop/matmul-compute").unwrap();
/// let shown = show(ex, 7).unwrap();
/// assert_eq!(shown.kind, "compute");
/// assert!(shown.values.is_some()); // numbers to compute with
/// let again = show(find(&course, "backprop/matmul-compute").unwrap(), 7).unwrap();
/// assert_eq!(shown.values, again.values);
/// ```
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
        aliases: ex
            .aliases
            .as_ref()
            .map(|a| a.get_ref().clone())
            .filter(|a| !a.is_empty()),
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
            shown.values = Some(named_values(&p, &inst));
        }
        Kind::Choice => {
            let order = crate::lesson::grading::choice_order(ex, seed);
            shown.choices = Some(
                order
                    .iter()
                    .map(|&i| plain(ex.choices[i].get_ref()))
                    .collect(),
            );
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::exercise::problem;
    use crate::lesson::separate::tests::compute_lesson;

    const LITERAL: &str =
        "given = { a = \"2\", s = \"scalar\" }\nf = \"s^2 a\"\nwrt = \"s\"\nanswer = \"2 s a\"";

    #[test]
    fn a_seed_gives_one_instance_and_it_separates() {
        let l = compute_lesson(LITERAL, &["2 a", "s^2 a"]);
        let ex = &l.data.exercises[0];
        let p = problem(ex).unwrap();
        let sep = Separation::new(&p, ex);
        for seed in 0..30 {
            let a = compute_instance(&p, ex, seed).unwrap();
            let b = compute_instance(&p, ex, seed).unwrap();
            assert_eq!(a.values, b.values, "seed {seed}");
            let r = p.derivative(&a).unwrap();
            assert_eq!(sep.clashes(&p, &a, &r), [], "seed {seed}");
            // s = ±1, 0, 2 or -2 would hide a factor or a sign.
            assert!([-3.0, 3.0].contains(&a.values[1][0]), "seed {seed}: {a:?}");
        }
    }

    #[test]
    fn the_redraws_are_bounded_and_say_what_blocked_them() {
        // On {0, 1}, x² is x: `3 x` always gives the numbers of `3 x.^2`.
        let l = compute_lesson(
            "given = { x = \"3\" }\nf = \"sum(x .^ 3)\"\nwrt = \"x\"\nanswer = \"3 x.^2\"\nrange = [0, 1]",
            &["3 x"],
        );
        let ex = &l.data.exercises[0];
        let p = problem(ex).unwrap();
        let e = compute_instance(&p, ex, 4).unwrap_err();
        assert!(e.contains("[0, 1]") && e.contains("`3 x`"), "{e}");
        let (found, tally) = draws(&p, ex, &Separation::new(&p, ex), 4, 50, false);
        assert!(found.is_none());
        assert_eq!((tally.draws, tally.defined, tally.separated), (50, 50, 0));
        assert_eq!(tally.culprit(), Some((Clash::Mistake(0), 50)));
    }

    #[test]
    fn an_instance_is_drawn_from_fs_own_domain() {
        // Nothing forces x positive: the draws where log is undefined are
        // redrawn, and a range with none defined is an error.
        let fields = "given = { x = \"2\" }\nf = \"sum(log(x))\"\nwrt = \"x\"\nanswer = \"1 ./ x\"";
        let l = compute_lesson(fields, &[]);
        let ex = &l.data.exercises[0];
        let p = problem(ex).unwrap();
        let inst = compute_instance(&p, ex, 0).unwrap();
        assert!(inst.values[0].iter().all(|&v| v > 0.0), "{inst:?}");
        let l = compute_lesson(&format!("{fields}\nrange = [-3, -1]"), &[]);
        let ex = &l.data.exercises[0];
        let e = compute_instance(&problem(ex).unwrap(), ex, 0).unwrap_err();
        assert!(e.contains("keeps F defined"), "{e}");
    }

    #[test]
    fn the_culprit_is_the_clash_met_most_often() {
        let t = Tally {
            clashes: vec![
                (Clash::ZeroAnswer, 3),
                (Clash::Mistake(0), 7),
                (Clash::Mistake(1), 7),
            ],
            ..Tally::default()
        };
        assert_eq!(t.culprit(), Some((Clash::Mistake(0), 7)));
        assert_eq!(Tally::default().culprit(), None);
    }
}
