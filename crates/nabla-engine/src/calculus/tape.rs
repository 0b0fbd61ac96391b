//! The forward pass of reverse mode: evaluates every node once and keeps its
//! value, mirroring the tree, so the backward pass can reuse them.
//!
//! A declared name's value is not copied into the tape (at 1024×1024 that is
//! 8 MB a name, and the page faults cost more than most operations): its
//! leaf remembers which name it is and is read from the instance's values,
//! which every reader of a tape is given alongside it.
//!
//! Three kinds of node keep more than their value (`Aux`), so the backward
//! pass neither refactorises nor loses what the forward pass made stable:
//! det/logdet keep the LU of their argument, a negative matrix power keeps
//! the inverse, and `log(sum(exp(E)))` is recorded shifted by max(E).
//!
//! `rounding::annotate` adds each node's rounding magnitude (`mag`) to a
//! recorded tape, without evaluating anything again.

use std::borrow::Cow;
use std::sync::Arc;

use nalgebra::DMatrix;

use crate::expr::eval::{self, Sizes};
use crate::expr::linalg::Lu;
use crate::expr::logsumexp::{self, Shifted};
use crate::expr::{ExprError, Func, Op, Typed};

/// Values of a node and of its children, in the order of `Typed::children`.
#[derive(Clone, Debug)]
pub struct Tape {
    value: Value,
    pub children: Vec<Tape>,
    pub aux: Aux,
    /// The rounding magnitude of the value (see `rounding`), once annotated.
    pub mag: Option<Mag>,
}

/// A node's rounding magnitude.
#[derive(Clone, Debug)]
pub enum Mag {
    /// |value| itself — a declared name, a number, or a transpose or
    /// negation of one — left uncomputed: a product of large matrices needs
    /// only its row and column norms, which are the value's.
    Abs,
    Of(DMatrix<f64>),
}

/// A node's value: computed, a declared name's (kept by the instance), or
/// not computed because nothing reads it (`needs`), of which only the shape
/// is known.
#[derive(Clone, Debug)]
enum Value {
    Owned(DMatrix<f64>),
    Name(usize),
    Absent(usize, usize),
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
    /// A node holding a computed value.
    pub fn owned(value: DMatrix<f64>, children: Vec<Tape>, aux: Aux) -> Tape {
        Tape {
            value: Value::Owned(value),
            children,
            aux,
            mag: None,
        }
    }

    /// A node whose value nothing reads: its shape and its children only.
    pub fn absent(shape: (usize, usize), children: Vec<Tape>) -> Tape {
        Tape {
            value: Value::Absent(shape.0, shape.1),
            children,
            aux: Aux::None,
            mag: None,
        }
    }

    /// The node's value; `values` are the instance's (for declared names).
    /// Reading the value of a node recorded without one (`absent`) is a bug
    /// in `needs`, and panics.
    pub fn value<'a>(&'a self, values: &'a [DMatrix<f64>]) -> &'a DMatrix<f64> {
        match &self.value {
            Value::Owned(v) => v,
            Value::Name(i) => &values[*i],
            Value::Absent(..) => panic!("a value that was not recorded was read (calculus::needs)"),
        }
    }

    /// Whether the value was computed.
    pub fn has_value(&self) -> bool {
        !matches!(self.value, Value::Absent(..))
    }

    /// The value's shape, recorded or not.
    pub fn shape(&self, values: &[DMatrix<f64>]) -> (usize, usize) {
        match &self.value {
            Value::Owned(v) => v.shape(),
            Value::Name(i) => values[*i].shape(),
            Value::Absent(r, c) => (*r, *c),
        }
    }

    /// The value, to be changed: a declared name's is copied first (the
    /// instance is never changed through a tape).
    pub fn value_mut(&mut self, values: &[DMatrix<f64>]) -> &mut DMatrix<f64> {
        if let Value::Name(i) = self.value {
            self.value = Value::Owned(values[i].clone());
        }
        match &mut self.value {
            Value::Owned(v) => v,
            Value::Name(_) => unreachable!("made owned above"),
            Value::Absent(..) => panic!("a value that was not recorded was changed"),
        }
    }

    /// The value, owned (copied when it is a declared name's).
    pub fn into_value(self, values: &[DMatrix<f64>]) -> DMatrix<f64> {
        match self.value {
            Value::Owned(v) => v,
            Value::Name(i) => values[i].clone(),
            Value::Absent(..) => panic!("a value that was not recorded was taken"),
        }
    }

    /// The rounding magnitude, which `rounding::annotate` must have added.
    pub fn magnitude<'a>(&'a self, values: &'a [DMatrix<f64>]) -> Cow<'a, DMatrix<f64>> {
        match self.mag_kind() {
            Mag::Abs => Cow::Owned(self.value(values).abs()),
            Mag::Of(m) => Cow::Borrowed(m),
        }
    }

    /// Whether the magnitude is |value|, or what it is.
    pub fn mag_kind(&self) -> &Mag {
        self.mag
            .as_ref()
            .expect("the tape was annotated with magnitudes (rounding::annotate)")
    }
}

/// Evaluates `t`, recording every intermediate value.
pub fn record(t: &Typed, sizes: &Sizes, values: &[DMatrix<f64>]) -> Result<Tape, ExprError> {
    if eval::is_leaf(t) {
        return leaf(t, sizes, values);
    }
    if let Some(nodes) = logsumexp::nodes(t) {
        return log_sum_exp(t, nodes, record(nodes.arg, sizes, values)?, values);
    }
    let children = t
        .children()
        .into_iter()
        .map(|c| record(c, sizes, values))
        .collect::<Result<Vec<_>, _>>()?;
    node(t, children, values)
}

/// The tape of a leaf: a declared name's refers to the instance's value
/// (after checking its size), a number or fill holds its own.
pub fn leaf(t: &Typed, sizes: &Sizes, values: &[DMatrix<f64>]) -> Result<Tape, ExprError> {
    if let Op::Var(i) = t.op {
        let v = values
            .get(i)
            .ok_or_else(|| ExprError::eval("a value is missing", t.span))?;
        let (r, c) = eval::shape_size(&t.shape, sizes).ok_or_else(|| {
            ExprError::eval(
                format!("no size is known for the shape {}", t.shape),
                t.span,
            )
        })?;
        if v.shape() != (r, c) {
            return Err(ExprError::eval(
                format!(
                    "a value is {}×{} but should be {r}×{c}",
                    v.nrows(),
                    v.ncols()
                ),
                t.span,
            ));
        }
        return Ok(Tape {
            value: Value::Name(i),
            children: Vec::new(),
            aux: Aux::None,
            mag: None,
        });
    }
    Ok(Tape::owned(
        eval::leaf(t, sizes, values)?,
        Vec::new(),
        Aux::None,
    ))
}

/// A node from its children's tapes (the same value `eval::apply` gives).
pub fn node(t: &Typed, children: Vec<Tape>, values: &[DMatrix<f64>]) -> Result<Tape, ExprError> {
    let child = |i: usize| children[i].value(values);
    let (value, aux) = match &t.op {
        Op::Call(f @ (Func::Det | Func::Logdet), _) => {
            let lu = Lu::of(child(0));
            let v = if *f == Func::Det {
                eval::det_from(&lu)
            } else {
                eval::logdet_from(&lu, t.span)?
            };
            (DMatrix::from_element(1, 1, v), Aux::Lu(lu))
        }
        Op::MatPow(_, k) if *k < 0 => {
            let b = eval::inverse(child(0), t.span)?;
            let v = eval::matrix_power(&b, k.unsigned_abs());
            (v, Aux::Inverse(b))
        }
        _ => {
            let refs: Vec<&DMatrix<f64>> = children.iter().map(|c| c.value(values)).collect();
            (eval::apply_to(t, &refs)?, Aux::None)
        }
    };
    Ok(Tape::owned(value, children, aux))
}

/// The log-sum-exp `t` on the tape of its argument E: shifted (see
/// `Aux::LogSumExp`), or node by node when max(E) is not finite.
pub fn log_sum_exp(
    t: &Typed,
    nodes: logsumexp::Nodes<'_>,
    arg: Tape,
    values: &[DMatrix<f64>],
) -> Result<Tape, ExprError> {
    let Some(s) = Shifted::of(arg.value(values)) else {
        let exp = node(nodes.exp, vec![arg], values)?;
        let sum = node(nodes.sum, vec![exp], values)?;
        return node(t, vec![sum], values);
    };
    let value = DMatrix::from_element(1, 1, s.value());
    let sum_value = DMatrix::from_element(1, 1, s.sum);
    let exp = Tape::owned(s.exps, vec![arg], Aux::None);
    let sum = Tape::owned(sum_value, vec![exp], Aux::None);
    Ok(Tape::owned(
        value,
        vec![sum],
        Aux::LogSumExp { shift: s.shift },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::{Decls, compile};

    fn tape_of(f: &str, x: &[f64]) -> Tape {
        let decls = Decls::parse("x: n").unwrap();
        let c = compile(f, Some(&decls)).unwrap();
        let sizes = Sizes::from([("n".to_string(), x.len())]);
        let values = [DMatrix::from_column_slice(x.len(), 1, x)];
        record(&c.typed, &sizes, &values).unwrap()
    }

    #[test]
    fn log_sum_exp_is_recorded_shifted() {
        let x: [f64; 3] = [0.5, -1.25, 2.0];
        let plain: f64 = x.iter().map(|v| v.exp()).sum::<f64>().ln();
        for shift in [-1000.0f64, 0.0, 1000.0] {
            let t = tape_of(&format!("log(sum(exp(x + {shift})))"), &x);
            assert!((t.value(&[])[(0, 0)] - (plain + shift)).abs() < 1e-12 * (1.0 + shift.abs()));
            let Aux::LogSumExp { shift: m } = t.aux else {
                panic!("not fused: {:?}", t.aux)
            };
            assert_eq!(m, 2.0 + shift);
            // The sum node holds Σ exp(E − m) ≥ 1, the exp node exp(E − m).
            let sum = &t.children[0];
            let exps = &sum.children[0];
            assert!(sum.value(&[])[(0, 0)] >= 1.0);
            assert!((sum.value(&[])[(0, 0)] - exps.value(&[]).sum()).abs() < 1e-15);
            assert_eq!(exps.value(&[]).max(), 1.0);
            assert!(exps.children[0].value(&[])[(2, 0)] == 2.0 + shift);
        }
    }

    #[test]
    fn log_sum_exp_of_a_non_finite_argument_is_recorded_as_written() {
        let t = tape_of("log(sum(exp(x * 1e300 * 1e300)))", &[1.0, 2.0]);
        assert!(matches!(t.aux, Aux::None));
        assert!(t.value(&[])[(0, 0)].is_infinite());
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
            assert_eq!(t.value(&[]), &want, "{f}");
        }
    }
}
