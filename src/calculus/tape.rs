//! The forward pass of reverse mode: evaluates every node once and keeps its
//! value, mirroring the tree, so the backward pass can reuse them.
//!
//! Two kinds of node keep more than their value (`Aux`), so the backward
//! pass does not refactorise: det/logdet keep the LU of their argument, and
//! a negative matrix power keeps the inverse.

use std::sync::Arc;

use nalgebra::DMatrix;

use crate::expr::eval::{self, Sizes};
use crate::expr::linalg::Lu;
use crate::expr::{ExprError, Func, Op, Typed};

/// Values of a node and of its children, in the order of `Typed::children`.
#[derive(Clone, Debug)]
pub struct Tape {
    pub value: DMatrix<f64>,
    pub children: Vec<Tape>,
    pub aux: Aux,
}

/// What a node keeps besides its value.
#[derive(Clone, Debug, Default)]
pub enum Aux {
    #[default]
    None,
    /// `det(A)`, `logdet(A)`: the LU of A (the child's value), from which the
    /// value came and from which the backward pass takes A⁻ᵀ.
    Lu(Arc<Lu<f64>>),
    /// `A^k` with k < 0: B = A⁻¹, of which the value is the |k|-th power.
    Inverse(DMatrix<f64>),
}

impl Tape {
    fn leaf(value: DMatrix<f64>) -> Tape {
        Tape {
            value,
            children: Vec::new(),
            aux: Aux::None,
        }
    }
}

/// Evaluates `t`, recording every intermediate value.
pub fn record(t: &Typed, sizes: &Sizes, values: &[DMatrix<f64>]) -> Result<Tape, ExprError> {
    if eval::is_leaf(t) {
        return Ok(Tape::leaf(eval::leaf(t, sizes, values)?));
    }
    let children = t
        .children()
        .into_iter()
        .map(|c| record(c, sizes, values))
        .collect::<Result<Vec<_>, _>>()?;
    node(t, children)
}

/// A node from its children's tapes (the same value `eval::apply` gives).
fn node(t: &Typed, children: Vec<Tape>) -> Result<Tape, ExprError> {
    let (value, aux) = match &t.op {
        Op::Call(f @ (Func::Det | Func::Logdet), _) => {
            let lu = Lu::of(&children[0].value);
            let v = if *f == Func::Det {
                eval::det_from(&lu)
            } else {
                eval::logdet_from(&lu, t.span)?
            };
            (DMatrix::from_element(1, 1, v), Aux::Lu(lu))
        }
        Op::MatPow(_, k) if *k < 0 => {
            let b = eval::inverse(&children[0].value, t.span)?;
            let v = eval::matrix_power(&b, k.unsigned_abs());
            (v, Aux::Inverse(b))
        }
        _ => {
            let v = eval::apply(t, children.iter().map(|c| c.value.clone()).collect())?;
            (v, Aux::None)
        }
    };
    Ok(Tape {
        value,
        children,
        aux,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::{Decls, compile};

    #[test]
    fn det_and_logdet_keep_their_lu() {
        let decls = Decls::parse("A: n x n").unwrap();
        let a = crate::expr::linalg::random(6, 4);
        let sizes = Sizes::from([("n".to_string(), 6)]);
        for f in ["det(A)", "logdet(A)"] {
            let c = compile(f, Some(&decls)).unwrap();
            let t = record(&c.typed, &sizes, std::slice::from_ref(&a)).unwrap();
            assert!(matches!(t.aux, Aux::Lu(_)), "{f}");
            let want = eval::eval(&c.typed, &sizes, std::slice::from_ref(&a)).unwrap();
            assert_eq!(t.value, want, "{f}");
        }
    }
}
