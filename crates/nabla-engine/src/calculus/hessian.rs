//! Second derivatives: uᵀ·H·v for a scalar F of a vector x, exactly, by
//! forward mode over forward mode — F evaluated once on x + ε₁u + ε₂v with
//! hyper-dual numbers (ε₁² = ε₂² = 0, ε₁ε₂ ≠ 0), whose ε₁ε₂ part is
//! Σᵢⱼ uᵢ ∂²F/∂xᵢ∂xⱼ vⱼ. No step size, so no truncation error: the same
//! evaluator as every other value, on another number type. One evaluation
//! per probe, whatever n is — the cost never grows per entry of H.
//! docs/grading.md says why this rather than forward-over-reverse.

use nalgebra::DMatrix;
use num_dual::HyperDual64;

use crate::expr::eval::{Sizes, eval};
use crate::expr::{ExprError, Typed};

/// uᵀ·∇²F·v at `values`, with `u` and `v` shaped like variable `wrt`.
pub fn second_directional(
    t: &Typed,
    sizes: &Sizes,
    values: &[DMatrix<f64>],
    wrt: usize,
    u: &DMatrix<f64>,
    v: &DMatrix<f64>,
) -> Result<f64, ExprError> {
    let duals: Vec<DMatrix<HyperDual64>> = values
        .iter()
        .enumerate()
        .map(|(i, x)| {
            if i == wrt {
                DMatrix::from_fn(x.nrows(), x.ncols(), |r, c| {
                    HyperDual64::new(x[(r, c)], u[(r, c)], v[(r, c)], 0.0)
                })
            } else {
                x.map(HyperDual64::from_re)
            }
        })
        .collect();
    let out = eval(t, sizes, &duals)?;
    Ok(out[(0, 0)].eps1eps2)
}

/// A probe direction pair [u v] as one n×2 matrix (a seed of the grader).
pub fn pair(u: &DMatrix<f64>, v: &DMatrix<f64>) -> DMatrix<f64> {
    let n = u.len();
    DMatrix::from_fn(n, 2, |i, j| if j == 0 { u[i] } else { v[i] })
}

/// The two directions of a seed made by `pair`.
pub fn split(seed: &DMatrix<f64>) -> (DMatrix<f64>, DMatrix<f64>) {
    let col = |j: usize| DMatrix::from_fn(seed.nrows(), 1, |i, _| seed[(i, j)]);
    (col(0), col(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::{Decls, compile};

    #[test]
    fn the_quadratic_form_has_hessian_a_plus_a_transposed() {
        let d = Decls::parse("A: n x n; x: n").unwrap();
        let c = compile("x' A x", Some(&d)).unwrap();
        let sizes = Sizes::from([("n".to_string(), 3)]);
        let a = DMatrix::from_fn(3, 3, |i, j| (i * 3 + j) as f64 - 2.5);
        let x = DMatrix::from_fn(3, 1, |i, _| i as f64 + 0.5);
        let h = &a + a.transpose();
        for i in 0..3 {
            for j in 0..3 {
                let (mut u, mut v) = (DMatrix::zeros(3, 1), DMatrix::zeros(3, 1));
                u[i] = 1.0;
                v[j] = 1.0;
                let got = second_directional(&c.typed, &sizes, &[a.clone(), x.clone()], 1, &u, &v)
                    .unwrap();
                assert!((got - h[(i, j)]).abs() < 1e-12, "({i}, {j}): {got}");
            }
        }
    }
}
