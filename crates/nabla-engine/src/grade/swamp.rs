//! When F's computed derivative is lost in its own rounding.
//!
//! The tolerance of a comparison is the rounding bound of the truth (see
//! `compare`), honest for every F: `1e20·(x'x − x'x) + x'𝟙` sums terms of
//! 1e20, so its computed gradient could be off by 1e5 for all the bound
//! knows, although it happens to be exactly 𝟙. Such a bound passes `2·𝟙` as
//! well, and a student must never be told "Correct" for a wrong answer. So a
//! trial whose bound is more than `SWAMP` of the derivative itself is
//! *swamped*; the truth is then taken from F simplified (the same function
//! with its terms collected: `x'𝟙`, whose bound is tiny), if that agrees with
//! F's within F's bound and is not swamped itself. A truth of exactly 0 is
//! swamped too: the 2 of `2s + 1e300·s·v − 1e300·s·v` is absorbed into
//! 1e300·v, which then cancels to 0 (where `tr(AB − BA)` is 0 because it
//! is, F simplified gives 0 again, or is swamped as well and changes
//! nothing).
//!
//! A trial that stays swamped is graded with F's own bound, as before: the
//! derivative of a function that does not change with X, written as a
//! difference of two that do (`sum(σ(x) + σ(−x))`), is rounding noise
//! around 0 with a bound of about 10⁻¹⁶, and the grading contract has `0`
//! right and `1e-9 x` wrong there. Values alone cannot tell that case from
//! `1e20·(that) + sum(x)`, whose bound (10⁴) hides the derivative 𝟙: the
//! limit is named in docs/grading.md. All of this depends on F and the
//! instance alone, never on the answer.

use nalgebra::DMatrix;

use super::compare::{self, Probed};
use crate::calculus::{Problem, tape};
use crate::expr::ExprError;
use crate::sample::Instance;

/// A bound above this fraction of the derivative's largest entry swamps it:
/// wrong answers worth the name differ from the truth by far more, and no F
/// that does not cancel terms a billion times its result comes near it.
const SWAMP: f64 = 1e-3;

fn largest(ms: &[DMatrix<f64>]) -> f64 {
    ms.iter()
        .flat_map(|m| m.iter())
        .fold(0.0, |a, &x| a.max(x.abs()))
}

/// Whether the truth's rounding bound (`units`·ε·magnitude) swamps it.
pub(super) fn swamped(truth: &[DMatrix<f64>], mag: &[DMatrix<f64>], units: f64) -> bool {
    units * f64::EPSILON * largest(mag) > SWAMP * largest(truth)
}

/// Probes of the truth, and their rounding magnitudes.
type Probes = (Vec<DMatrix<f64>>, Vec<DMatrix<f64>>);

/// The truth and its magnitudes from F simplified, on the same instance and
/// seeds, if they resolve a swamped trial: finite, within F's own bound of
/// F's truth (a check on the simplifying), and not swamped.
pub(super) fn resolve(
    problem: &Problem,
    inst: &Instance,
    seeds: &[DMatrix<f64>],
    truth: &[DMatrix<f64>],
    mag: &[DMatrix<f64>],
    units: f64,
) -> Option<Probes> {
    let simple = problem.simplified()?;
    let computed = || -> Result<_, ExprError> {
        let mut tape = tape::record(&simple.f.typed, &inst.sizes, &inst.values)?;
        let t = simple.true_probes_on(inst, &tape, seeds)?;
        let m = simple.truth_magnitudes_on(inst, &mut tape, seeds)?;
        Ok((t, m))
    };
    let (t, m) = computed().ok()?;
    let finite = |ms: &[DMatrix<f64>]| ms.iter().all(|x| x.iter().all(|v| v.is_finite()));
    if !finite(&t) || !finite(&m) || t.len() != truth.len() || swamped(&t, &m, units) {
        return None;
    }
    // The simplified truth is the "answer" here: its own magnitude is the
    // small one, so the comparison's cap on an answer's magnitude is moot.
    let truths = |values, mags| Probed { values, mags };
    compare::agree(truths(&t, &m), truths(truth, mag), units).then_some((t, m))
}
