//! Forward mode with dual numbers: the exact directional derivative
//! dF[V] = lim (F(X + hV) − F(X))/h, by evaluating F on X + εV with ε² = 0.
//! Used for derivatives by a scalar (one pass gives all of F's shape) and as
//! an independent check of reverse mode.

use nalgebra::DMatrix;
use num_dual::Dual64;

use crate::expr::eval::{Sizes, eval};
use crate::expr::{ExprError, Typed};

/// dF along `direction` (shaped like variable `wrt`), with F's shape.
pub fn jvp(
    t: &Typed,
    sizes: &Sizes,
    values: &[DMatrix<f64>],
    wrt: usize,
    direction: &DMatrix<f64>,
) -> Result<DMatrix<f64>, ExprError> {
    let duals: Vec<DMatrix<Dual64>> = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            if i == wrt {
                v.zip_map(direction, Dual64::new)
            } else {
                v.map(Dual64::from_re)
            }
        })
        .collect();
    let out = eval(t, sizes, &duals)?;
    Ok(out.map(|d| d.eps))
}
