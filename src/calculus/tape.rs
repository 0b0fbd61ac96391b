//! The forward pass of reverse mode: evaluates every node once and keeps its
//! value, mirroring the tree, so the backward pass can reuse them.
//!
//! Three kinds of node keep more than their value (`Aux`), so the backward
//! pass neither refactorises nor loses what the forward pass made stable:
//! det/logdet keep the LU of their argument, a negative matrix power keeps
//! the inverse, and `log(sum(exp(E)))` is recorded shifted by max(E).

use std::sync::Arc;

use nalgebra::DMatrix;

use crate::expr::eval::{self, Sizes};
use crate::expr::linalg::Lu;
use crate::expr::logsumexp::{self, Shifted};
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
    /// `log(sum(exp(E)))` evaluated as m + log Σ exp(E − m), m = max(E). The
    /// node's value is that (the true log-sum-exp); its child, the `sum`
    /// node, holds the shifted sum Σ exp(E − m), in [1, len E]; the `exp`
    /// node under it holds exp(E − m), entries in (0, 1]; the node under that
    /// is E's own, unshifted. So no node holds an underflowed 0 or an
    /// overflowed ∞, and `sum`'s value is not the log's argument.
    LogSumExp { shift: f64 },
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
    if let Some(nodes) = logsumexp::nodes(t) {
        return log_sum_exp(t, nodes, record(nodes.arg, sizes, values)?);
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

/// The log-sum-exp `t` on the tape of its argument E: shifted (see
/// `Aux::LogSumExp`), or node by node when max(E) is not finite.
fn log_sum_exp(t: &Typed, nodes: logsumexp::Nodes<'_>, arg: Tape) -> Result<Tape, ExprError> {
    let Some(s) = Shifted::of(&arg.value) else {
        let exp = node(nodes.exp, vec![arg])?;
        let sum = node(nodes.sum, vec![exp])?;
        return node(t, vec![sum]);
    };
    let exp = Tape {
        value: s.exps.clone(),
        children: vec![arg],
        aux: Aux::None,
    };
    let sum = Tape {
        value: DMatrix::from_element(1, 1, s.sum),
        children: vec![exp],
        aux: Aux::None,
    };
    Ok(Tape {
        value: DMatrix::from_element(1, 1, s.value()),
        children: vec![sum],
        aux: Aux::LogSumExp { shift: s.shift },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::{Decls, compile};

    fn tape_of(f: &str, x: &[f64]) -> Tape {
        let decls = Decls::parse("x: n").unwrap();
        let c = compile(f, Some(&decls)).unwrap();
        let sizes = Sizes::from([("n".to_string(), x.len())]);
        record(
            &c.typed,
            &sizes,
            &[DMatrix::from_column_slice(x.len(), 1, x)],
        )
        .unwrap()
    }

    #[test]
    fn log_sum_exp_is_recorded_shifted() {
        let x: [f64; 3] = [0.5, -1.25, 2.0];
        let plain: f64 = x.iter().map(|v| v.exp()).sum::<f64>().ln();
        for shift in [-1000.0f64, 0.0, 1000.0] {
            let t = tape_of(&format!("log(sum(exp(x + {shift})))"), &x);
            assert!((t.value[(0, 0)] - (plain + shift)).abs() < 1e-12 * (1.0 + shift.abs()));
            let Aux::LogSumExp { shift: m } = t.aux else {
                panic!("not fused: {:?}", t.aux)
            };
            assert_eq!(m, 2.0 + shift);
            // The sum node holds Σ exp(E − m) ≥ 1, the exp node exp(E − m).
            let sum = &t.children[0];
            let exps = &sum.children[0];
            assert!(sum.value[(0, 0)] >= 1.0);
            assert!((sum.value[(0, 0)] - exps.value.sum()).abs() < 1e-15);
            assert_eq!(exps.value.max(), 1.0);
            assert!(exps.children[0].value[(2, 0)] == 2.0 + shift);
        }
    }

    #[test]
    fn log_sum_exp_of_a_non_finite_argument_is_recorded_as_written() {
        let t = tape_of("log(sum(exp(x * 1e300 * 1e300)))", &[1.0, 2.0]);
        assert!(matches!(t.aux, Aux::None));
        assert!(t.value[(0, 0)].is_infinite());
    }

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
