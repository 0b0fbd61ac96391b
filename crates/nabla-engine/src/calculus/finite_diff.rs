//! Central finite differences along a direction: an independent, rule-free
//! check of the engine's derivatives. Its cost is two evaluations of F per
//! direction, whatever the size of X.

use nalgebra::DMatrix;

use crate::expr::eval::{Sizes, eval};
use crate::expr::{ExprError, Typed};

/// (F(X + hV) − F(X − hV)) / 2h, with h scaled to X and V.
pub fn directional(
    t: &Typed,
    sizes: &Sizes,
    values: &[DMatrix<f64>],
    wrt: usize,
    direction: &DMatrix<f64>,
) -> Result<DMatrix<f64>, ExprError> {
    // h ≈ ∛ε relative to the variable's scale balances truncation against
    // rounding for central differences.
    let scale = values[wrt].amax().max(1.0) / direction.amax().max(f64::MIN_POSITIVE);
    let h = 6e-6 * scale;
    let mut plus = values.to_vec();
    let mut minus = values.to_vec();
    plus[wrt] = &values[wrt] + direction * h;
    minus[wrt] = &values[wrt] - direction * h;
    let fp = eval(t, sizes, &plus)?;
    let fm = eval(t, sizes, &minus)?;
    Ok((fp - fm) / (2.0 * h))
}
