//! `log(sum(exp(E)))` evaluated stably, as m + log Σ exp(E − m) with
//! m = max(E): exp(E) overflows to ∞ for entries above ~709 and its sum
//! underflows to 0 when every entry is below ~−745, while the shifted sum
//! lies in [1, len E]. The pattern is recognised on the shape-checked tree as
//! written (there is no log-sum-exp operation); evaluation, the tape and
//! reverse mode share what is here.

use nalgebra::{DMatrix, RealField};

use super::ast::Func;
use super::typed::{Op, Typed};

/// The nodes of `log(sum(exp(arg)))` under the `log`.
#[derive(Clone, Copy, Debug)]
pub struct Nodes<'a> {
    pub sum: &'a Typed,
    pub exp: &'a Typed,
    pub arg: &'a Typed,
}

/// `t`'s nodes when `t` is `log(sum(exp(…)))`.
pub fn nodes(t: &Typed) -> Option<Nodes<'_>> {
    let Op::Call(Func::Log, sum) = &t.op else {
        return None;
    };
    let Op::Call(Func::Sum, exp) = &sum.op else {
        return None;
    };
    let Op::Call(Func::Exp, arg) = &exp.op else {
        return None;
    };
    Some(Nodes { sum, exp, arg })
}

/// exp(E − m) and its sum, m = max(E).
#[derive(Clone, Debug)]
pub struct Shifted<T: RealField + Copy> {
    pub shift: T,
    /// exp(E − m): entries in (0, 1], 1 at the maximum.
    pub exps: DMatrix<T>,
    /// Σ exp(E − m) ≥ 1, so never an underflowed 0 to take the log of or
    /// to divide by.
    pub sum: T,
}

impl<T: RealField + Copy> Shifted<T> {
    /// None when max(E) is not finite (∞ or NaN entries): no shift helps
    /// there, and the plain evaluation gives the plain result or error.
    pub fn of(e: &DMatrix<T>) -> Option<Shifted<T>> {
        let first = *e.iter().next()?;
        let shift = e.iter().fold(first, |m, &x| if x > m { x } else { m });
        if !shift.is_finite() {
            return None;
        }
        let exps = e.map(|x| (x - shift).exp());
        let sum = exps.sum();
        Some(Shifted { shift, exps, sum })
    }

    /// log Σ exp(E).
    pub fn value(&self) -> T {
        self.shift + self.sum.ln()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shifting_changes_the_value_by_the_shift_only() {
        let e: DMatrix<f64> = DMatrix::from_row_slice(2, 2, &[0.5, -2.0, 1.25, 0.0]);
        let plain: f64 = e.iter().map(|x| x.exp()).sum::<f64>().ln();
        for shift in [-1000.0f64, -100.0, 0.0, 100.0, 1000.0] {
            let s = Shifted::of(&e.add_scalar(shift)).unwrap();
            assert!((s.value() - (plain + shift)).abs() <= 1e-13 * (1.0 + shift.abs()));
            assert!(s.sum >= 1.0 && s.exps.max() == 1.0);
        }
        // Unshifted, both ends fail in floats.
        let low: f64 = e.add_scalar(-1000.0).iter().map(|x| x.exp()).sum();
        let high: f64 = e.add_scalar(1000.0).iter().map(|x| x.exp()).sum();
        assert_eq!((low, high), (0.0, f64::INFINITY));
    }

    #[test]
    fn no_shift_for_a_non_finite_maximum() {
        let e = DMatrix::from_column_slice(2, 1, &[1.0, f64::INFINITY]);
        assert!(Shifted::of(&e).is_none());
        let e = DMatrix::from_column_slice(2, 1, &[f64::NAN, 1.0]);
        assert!(Shifted::of(&e).is_none());
    }
}
