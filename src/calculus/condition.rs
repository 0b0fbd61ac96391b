//! Whether an expression is safely defined on an instance: the random values
//! must keep inv/det/logdet arguments far from singular, log/sqrt arguments
//! positive, relu/abs/norm arguments off their kinks, divisors off zero. An
//! instance failing this is redrawn, so no verdict rests on a bad instance.

use nalgebra::DMatrix;

use super::tape::{Tape, record};
use crate::expr::eval::Sizes;
use crate::expr::{ElemOp, Func, Op, Typed};

/// Largest condition estimate ‖A‖_F‖A⁻¹‖_F accepted for an inverted matrix.
const MAX_CONDITION: f64 = 1e6;
/// Smallest distance from a kink or a pole accepted.
const MARGIN: f64 = 1e-3;

pub fn is_well_conditioned(t: &Typed, sizes: &Sizes, values: &[DMatrix<f64>]) -> bool {
    match record(t, sizes, values) {
        Ok(tape) => tape_ok(t, &tape),
        Err(_) => false,
    }
}

fn tape_ok(t: &Typed, tape: &Tape) -> bool {
    if tape.value.iter().any(|x| !x.is_finite()) {
        return false;
    }
    let arg = |i: usize| &tape.children[i].value;
    let here = match &t.op {
        Op::Call(Func::Inv | Func::Det | Func::Logdet, _) | Op::MatPow(_, ..0) => {
            invertible(arg(0))
        }
        Op::Call(Func::Log | Func::Sqrt, _) => arg(0).iter().all(|&x| x > MARGIN),
        Op::Call(Func::Relu | Func::Abs, _) => arg(0).iter().all(|&x| x.abs() > MARGIN),
        Op::Call(Func::Norm, _) => arg(0).norm() > MARGIN,
        Op::Elem(ElemOp::Div, ..) => arg(1).iter().all(|&x| x.abs() > MARGIN),
        Op::Elem(ElemOp::Pow, ..) => {
            let (base, exponent) = (arg(0), arg(1));
            let whole = exponent.iter().all(|y| y.fract() == 0.0);
            let negative = exponent.iter().any(|&y| y < 0.0);
            base.iter()
                .all(|&x| (x > MARGIN) || (whole && (!negative || x.abs() > MARGIN)))
        }
        _ => true,
    };
    here && t
        .children()
        .into_iter()
        .zip(&tape.children)
        .all(|(c, ct)| tape_ok(c, ct))
}

/// ‖A‖_F‖A⁻¹‖_F < MAX_CONDITION, at the cost of one LU: ‖A⁻¹‖_F is exact
/// up to 16×16 and above estimated from 16 solves with the factors (see
/// `Lu::probe`), not from the full inverse.
fn invertible(a: &DMatrix<f64>) -> bool {
    let lu = crate::expr::linalg::Lu::of(a);
    if lu.has_zero_pivot() {
        return false;
    }
    let cond = a.norm() * lu.probe().inv_norm;
    cond.is_finite() && cond < MAX_CONDITION
}
