//! The shape-checked tree: every node knows its symbolic shape, and products
//! are resolved into what they really are (a matrix product, or scaling by a
//! 1×1 factor). Evaluation and differentiation work on this tree.

use super::ast::{Fill, Func};
use super::decl::{Dim, Shape};
use super::error::Span;

#[derive(Clone, Debug)]
pub struct Typed {
    pub op: Op,
    pub shape: Shape,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum Op {
    Const(f64),
    /// The declared name with this index in the declarations.
    Var(usize),
    Fill(Fill),
    Matrix(Vec<Vec<Typed>>),
    Neg(Box<Typed>),
    Transpose(Box<Typed>),
    MatMul(Box<Typed>, Box<Typed>),
    /// Entry by entry; a 1×1 side is broadcast over the other.
    Elem(ElemOp, Box<Typed>, Box<Typed>),
    /// A square matrix to a whole power (negative: of the inverse).
    MatPow(Box<Typed>, i64),
    Call(Func, Box<Typed>),
    /// The Kronecker product A ⊗ B.
    Kron(Box<Typed>, Box<Typed>),
    /// The commutation matrix K(m, n), (m·n)×(m·n): K·vec(X) = vec(Xᵀ).
    Commutation(Dim, Dim),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ElemOp {
    Add,
    Sub,
    Mul,
    Div,
    Pow,
}

impl Typed {
    /// Visits every node once, children before parents.
    pub fn children(&self) -> Vec<&Typed> {
        match &self.op {
            Op::Const(_) | Op::Var(_) | Op::Fill(_) | Op::Commutation(..) => vec![],
            Op::Matrix(rows) => rows.iter().flatten().collect(),
            Op::Neg(a) | Op::Transpose(a) | Op::MatPow(a, _) | Op::Call(_, a) => vec![a],
            Op::MatMul(a, b) | Op::Elem(_, a, b) | Op::Kron(a, b) => vec![a, b],
        }
    }

    /// Whether no declared name occurs in this tree (its value is fixed).
    pub fn is_constant(&self) -> bool {
        !matches!(self.op, Op::Var(_)) && self.children().iter().all(|c| c.is_constant())
    }

    /// Whether this tree's value can change with the variable with index
    /// `var`: the variable occurs, other than under a zeroth power. `E .^ 0`
    /// and `A^0` are the same at every point (1 and I), so nothing is
    /// differentiated through them, even where E's own derivative would not
    /// exist (`0 ** ‖v‖^0` is 0 everywhere, and its gradient zero, as
    /// `derive` finds by simplifying).
    pub fn uses_var(&self, var: usize) -> bool {
        match &self.op {
            Op::Var(v) => *v == var,
            Op::Elem(ElemOp::Pow, _, e) if matches!(e.op, Op::Const(c) if c == 0.0) => false,
            Op::MatPow(_, 0) => false,
            _ => self.children().iter().any(|c| c.uses_var(var)),
        }
    }
}
