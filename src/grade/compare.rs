//! Comparing an answer's probes with the true derivative's: one relative
//! error over all probes, and the common factor behind a `scale` diagnosis.

use nalgebra::DMatrix;

/// Relative error under which an answer is the derivative. Floating-point
/// equivalent forms differ by ~1e-15; an answer off by a factor 1.001 by 1e-3.
pub const TOLERANCE: f64 = 1e-7;

/// ‖answer − truth‖ / ‖truth‖ over all probes (absolute when the truth is 0).
pub fn relative_error(answer: &[DMatrix<f64>], truth: &[DMatrix<f64>]) -> f64 {
    if answer.len() != truth.len() {
        return f64::INFINITY;
    }
    let mut diff = 0.0;
    let mut size = 0.0;
    for (a, t) in answer.iter().zip(truth) {
        if a.shape() != t.shape() {
            return f64::INFINITY;
        }
        diff += (a - t).norm_squared();
        size += t.norm_squared();
    }
    let (diff, size) = (diff.sqrt(), size.sqrt());
    if !diff.is_finite() {
        return f64::INFINITY;
    }
    if size < 1e-300 { diff } else { diff / size }
}

/// The constant c with answer = c · truth on every trial, if there is one
/// (c ≠ 0, ±1: those are `correct` and `sign`).
pub fn common_scale(
    trials: impl Iterator<Item = (Vec<DMatrix<f64>>, Vec<DMatrix<f64>>)>,
) -> Option<f64> {
    let mut common: Option<f64> = None;
    for (answer, truth) in trials {
        let dot: f64 = answer.iter().zip(&truth).map(|(a, t)| a.dot(t)).sum();
        let tt: f64 = truth.iter().map(|t| t.norm_squared()).sum();
        if tt < 1e-300 {
            return None;
        }
        let c = dot / tt;
        let scaled: Vec<DMatrix<f64>> = truth.iter().map(|t| t * c).collect();
        if relative_error(&answer, &scaled) > 1e-6 {
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
