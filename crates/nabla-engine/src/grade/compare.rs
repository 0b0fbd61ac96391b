//! Comparing an answer's probes with the true derivative's: a tolerance that
//! follows the rounding error of both computations, norms that neither
//! underflow nor overflow, and the common factor behind a `scale` diagnosis.
//!
//! The truth is exact up to rounding (reverse mode), so an answer is correct
//! on a trial when every entry has |answer − truth| ≤ K·ε·(M_answer +
//! M_truth), where the M are the entrywise rounding magnitudes of
//! `calculus::rounding` (the size of the terms each value was summed from,
//! inverses with their conditioning): a term dwarfed by another still
//! counts, a small entry is not hidden by large ones, an identically zero
//! derivative is told from a small one, and equivalent spellings pass however
//! they round. Never tighter than a few ulps of the values. The magnitudes grow with
//! the conditioning of inverted matrices (up to the bound the sampler
//! accepts), so an ill-conditioned trial is lenient; the other trials of the
//! same grading are not, and an answer must fit them all.

use nalgebra::DMatrix;

/// Relative error under which two expressions are taken to be the same
/// (matching an authored mistake, a diagnosis), where no rounding magnitude
/// is at hand.
pub const TOLERANCE: f64 = 1e-7;

/// How many units of rounding (ε times the magnitudes) an answer may be off,
/// for matrices whose largest side is `side`. Running-error bounds hold with
/// a small multiple of ε per operation and per term of an inner product; 64
/// covers the trees of a course, and the longer inner products of large
/// matrices get their length on top. On a well-conditioned problem that is
/// ~1e-14 relative, far below any real mistake, and still ~10× tighter than
/// needed to reject a 0.1% slip hidden behind 1e10-sized cancelling terms.
pub fn rounding_units(side: usize) -> f64 {
    64.0 + 2.0 * side as f64
}

/// The answer's own rounding magnitude counts up to this many times the
/// truth's (magnitude plus value), so a spelling that rounds worse than F
/// still passes, but `x + 1e20 (x − x)` cannot buy itself a tolerance.
const ANSWER_MAGNITUDE_CAP: f64 = 1024.0;

/// A relative difference below this many ulps is rounding, whatever the
/// magnitudes say.
const MIN_ULPS: f64 = 64.0;

/// The Frobenius norm over several matrices, scaled by the largest entry so
/// it never underflows (1e-200) or overflows (1e200).
pub fn norm(ms: &[DMatrix<f64>]) -> f64 {
    let entries = || ms.iter().flat_map(|m| m.as_slice());
    let big = entries().fold(0.0f64, |b, x| b.max(x.abs()));
    if big == 0.0 || !big.is_finite() {
        return big;
    }
    let sum: f64 = entries().map(|x| (x / big) * (x / big)).sum();
    big * sum.sqrt()
}

/// ‖a − b‖ over several matrices, without overflow in the difference
/// (1e308 − (−1e308) is taken in halves), and without forming it: two passes
/// over the entries, one for the largest difference, one for the scaled sum.
fn distance(a: &[DMatrix<f64>], b: &[DMatrix<f64>]) -> f64 {
    let pairs = || a.iter().zip(b).map(|(x, y)| (x.as_slice(), y.as_slice()));
    // One pass: every entry finite, every difference finite, the largest.
    let (mut finite, mut halved, mut big) = (true, false, 0.0f64);
    for (x, y) in pairs() {
        for (&x, &y) in x.iter().zip(y) {
            finite &= x.is_finite() && y.is_finite();
            let d = x - y;
            halved |= !d.is_finite();
            big = big.max(d.abs());
        }
    }
    if !finite {
        return f64::INFINITY;
    }
    let diff = |x: f64, y: f64| if halved { x / 2.0 - y / 2.0 } else { x - y };
    if halved {
        big = 0.0;
        for (x, y) in pairs() {
            for (&x, &y) in x.iter().zip(y) {
                big = big.max(diff(x, y).abs());
            }
        }
    }
    if big == 0.0 {
        return 0.0;
    }
    let mut sum = 0.0;
    for (x, y) in pairs() {
        for (&x, &y) in x.iter().zip(y) {
            let d = diff(x, y) / big;
            sum += d * d;
        }
    }
    let d = big * sum.sqrt();
    if halved { 2.0 * d } else { d }
}

fn same_shapes(a: &[DMatrix<f64>], b: &[DMatrix<f64>]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.shape() == y.shape())
}

/// ‖answer − truth‖ / ‖truth‖ over all probes (absolute when the truth is 0).
pub fn relative_error(answer: &[DMatrix<f64>], truth: &[DMatrix<f64>]) -> f64 {
    if !same_shapes(answer, truth) {
        return f64::INFINITY;
    }
    let diff = distance(answer, truth);
    if !diff.is_finite() {
        return f64::INFINITY;
    }
    let size = norm(truth);
    if size == 0.0 { diff } else { diff / size }
}

/// Probes of one computed value, with their rounding magnitudes.
#[derive(Clone, Debug)]
pub struct Probed<'a> {
    pub values: &'a [DMatrix<f64>],
    pub mags: &'a [DMatrix<f64>],
}

/// Whether two computed values are equal up to their rounding (see the
/// module header), entry by entry: a wrong small entry is not hidden by
/// large ones elsewhere.
pub fn agree<'a>(answer: Probed<'a>, truth: Probed<'a>, units: f64) -> bool {
    if !same_shapes(answer.values, truth.values)
        || !same_shapes(answer.mags, answer.values)
        || !same_shapes(truth.mags, truth.values)
    {
        return false;
    }
    let probes = |p: Probed<'a>| {
        p.values
            .iter()
            .zip(p.mags)
            .map(|(v, m)| (v.as_slice(), m.as_slice()))
    };
    probes(answer).zip(probes(truth)).all(|((a, ma), (t, mt))| {
        a.iter()
            .zip(ma)
            .zip(t.iter().zip(mt))
            .all(|((&a, &ma), (&t, &mt))| entries_agree(a, ma, t, mt, units))
    })
}

fn entries_agree(a: f64, ma: f64, t: f64, mt: f64, units: f64) -> bool {
    if !a.is_finite() || !t.is_finite() {
        return false;
    }
    let diff = if (a - t).is_finite() {
        (a - t).abs()
    } else {
        2.0 * (a / 2.0 - t / 2.0).abs()
    };
    let size = a.abs().max(t.abs());
    let ma = ma.min(ANSWER_MAGNITUDE_CAP * (mt + t.abs()));
    let mut bound = units * f64::EPSILON * (ma + mt);
    if !bound.is_finite() {
        // Magnitudes too large to represent: judge by the values alone.
        bound = units * f64::EPSILON * size;
    }
    diff <= bound.max(MIN_ULPS * f64::EPSILON * size)
}

/// The constant c with answer = c · truth on every trial, if there is one
/// (c ≠ 0, ±1: those are `correct` and `sign`).
pub fn common_scale(
    trials: impl Iterator<Item = (Vec<DMatrix<f64>>, Vec<DMatrix<f64>>)>,
) -> Option<f64> {
    let mut common: Option<f64> = None;
    for (answer, truth) in trials {
        let size = norm(&truth);
        if size == 0.0 || !size.is_finite() {
            return None;
        }
        // Scaled so the dot products cannot underflow.
        let dot: f64 = answer
            .iter()
            .zip(&truth)
            .map(|(a, t)| (a / size).dot(&(t / size)))
            .sum();
        let c = dot;
        let scaled: Vec<DMatrix<f64>> = truth.iter().map(|t| t * c).collect();
        // Exactly a multiple, up to rounding: 1e8·a for 1e8·a + 2x is not.
        if relative_error(&answer, &scaled) > 1e-11 {
            return None;
        }
        match common {
            None => common = Some(c),
            Some(c0) if (c - c0).abs() <= 1e-6 * c0.abs().max(1.0) => {}
            Some(_) => return None,
        }
    }
    common
        .filter(|c| c.abs() > 1e-9 && (c.abs() - 1.0).abs() > 1e-9)
        .map(tidy)
}

/// 0.49999999999 → 0.5: the factor reads as the student would write it.
fn tidy(c: f64) -> f64 {
    for d in [1.0, 2.0, 3.0, 4.0, 8.0, 10.0, 100.0] {
        let r = (c * d).round() / d;
        if (r - c).abs() <= 1e-9 * c.abs().max(1.0) {
            return r;
        }
    }
    // Otherwise twelve significant digits: 1.0009999999999997 reads as 1.001.
    format!("{c:.11e}").parse().unwrap_or(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(xs: &[f64]) -> Vec<DMatrix<f64>> {
        vec![DMatrix::from_column_slice(xs.len(), 1, xs)]
    }

    #[test]
    fn norms_neither_underflow_nor_overflow() {
        assert!((norm(&v(&[3e-200, 4e-200])) - 5e-200).abs() < 1e-212);
        assert!((norm(&v(&[3e200, 4e200])) - 5e200).abs() < 1e188);
        assert_eq!(relative_error(&v(&[-2e-200]), &v(&[2e-200])), 2.0);
    }

    #[test]
    fn rounding_decides_not_a_fixed_tolerance() {
        let t = v(&[1e8, 2.0]);
        let mag = v(&[1e8, 2.0]);
        let off = v(&[1e8, 0.0]);
        let truth = Probed {
            values: &t,
            mags: &mag,
        };
        assert!(!agree(
            Probed {
                values: &off,
                mags: &mag
            },
            truth.clone(),
            64.0
        ));
        assert!(agree(
            Probed {
                values: &t,
                mags: &mag
            },
            truth,
            64.0
        ));
    }

    #[test]
    fn zero_is_told_from_small() {
        let noise = v(&[1e-17, -2e-17]);
        let mag = v(&[0.5, 0.5]);
        let zero = v(&[0.0, 0.0]);
        let small = v(&[1e-9, 1e-9]);
        let truth = Probed {
            values: &noise,
            mags: &mag,
        };
        assert!(agree(
            Probed {
                values: &zero,
                mags: &zero
            },
            truth.clone(),
            64.0
        ));
        assert!(!agree(
            Probed {
                values: &small,
                mags: &small
            },
            truth,
            64.0
        ));
    }
}
