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

    /// Whether the variable with index `var` occurs in this tree.
    pub fn uses_var(&self, var: usize) -> bool {
        matches!(self.op, Op::Var(v) if v == var) || self.children().iter().any(|c| c.uses_var(var))
    }
}
