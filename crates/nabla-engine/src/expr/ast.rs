//! The syntax tree of a parsed expression, with the span of every node.

use super::decl::Dim;
use super::error::Span;

#[derive(Clone, Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
    /// Height of the tree below (a leaf is 1). Kept so the parser can refuse
    /// trees deep enough to threaten recursive walks.
    pub depth: usize,
}

#[derive(Clone, Debug)]
pub enum ExprKind {
    Number(f64),
    Name(String),
    /// A size symbol of the declarations used as a number (`x/n`): the size
    /// it has on the instance. Only parsed under declarations that use it.
    Size(String),
    /// `I`, `ones`, `zeros`, with explicit sizes when written `I(n)`, `ones(m, n)`.
    Fill(Fill, Option<(Dim, Dim)>),
    /// A matrix literal, row by row.
    Matrix(Vec<Vec<Expr>>),
    Neg(Box<Expr>),
    Transpose(Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    Call(Func, Box<Expr>),
    /// `K(m, n)`: the commutation matrix, vec(Xᵀ) = K(m, n)·vec(X) for X m×n.
    Commutation(Dim, Dim),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Fill {
    Identity,
    Ones,
    Zeros,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinOp {
    Add,
    Sub,
    /// `*`, `@`, `·` or juxtaposition: a matrix product, or scaling when one side is 1×1.
    Mul,
    /// `.*`, `⊙`, `∘`
    Hadamard,
    /// `./`
    ElemDiv,
    /// `/`: division by a scalar.
    Div,
    /// `^`
    Pow,
    /// `.^`
    ElemPow,
    /// `⊗`, `kron(A, B)`: the Kronecker product.
    Kron,
}

impl BinOp {
    /// Binding strength, loosest first (the contract's precedence table).
    pub fn precedence(self) -> u8 {
        match self {
            BinOp::Add | BinOp::Sub => 1,
            BinOp::Mul | BinOp::Hadamard | BinOp::ElemDiv | BinOp::Div | BinOp::Kron => 2,
            BinOp::Pow | BinOp::ElemPow => 4,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Func {
    Tr,
    Det,
    Logdet,
    Inv,
    Diag,
    Sum,
    Exp,
    Log,
    Sqrt,
    Abs,
    Tanh,
    Sigmoid,
    Relu,
    /// The Heaviside step, 1 where x > 0 and 0 elsewhere: relu's slope.
    Step,
    /// -1, 0 or 1 by the sign of x: abs's slope.
    Sign,
    Softmax,
    Norm,
    Transpose,
    /// The columns of a matrix stacked into one column.
    Vec,
    /// The mean of all entries: sum(A) over the number of entries.
    Mean,
}

impl Func {
    /// The function a name calls, with every accepted spelling (`func::FUNCS`).
    pub fn from_name(name: &str) -> Option<Func> {
        super::func::lookup(name)
    }

    /// The canonical spelling used in read-back.
    pub fn name(self) -> &'static str {
        super::func::spec(self).name
    }

    /// Functions of one number, applied entry by entry.
    pub fn is_elementwise(self) -> bool {
        super::func::spec(self).elementwise
    }
}

impl Expr {
    pub fn new(kind: ExprKind, span: Span) -> Expr {
        let depth = 1 + match &kind {
            ExprKind::Number(_)
            | ExprKind::Name(_)
            | ExprKind::Size(_)
            | ExprKind::Fill(..)
            | ExprKind::Commutation(..) => 0,
            ExprKind::Matrix(rows) => rows.iter().flatten().map(|e| e.depth).max().unwrap_or(0),
            ExprKind::Neg(a) | ExprKind::Transpose(a) | ExprKind::Call(_, a) => a.depth,
            ExprKind::Binary(_, a, b) => a.depth.max(b.depth),
        };
        Expr { kind, span, depth }
    }

    /// Structural equality, ignoring spans (what "parses back to the same tree" means).
    pub fn same_tree(&self, other: &Expr) -> bool {
        use ExprKind::*;
        match (&self.kind, &other.kind) {
            (Number(a), Number(b)) => a == b || (a.is_nan() && b.is_nan()),
            (Name(a), Name(b)) | (Size(a), Size(b)) => a == b,
            (Fill(a, sa), Fill(b, sb)) => a == b && sa == sb,
            (Commutation(a, b), Commutation(c, d)) => a == c && b == d,
            (Matrix(a), Matrix(b)) => {
                a.len() == b.len()
                    && a.iter().zip(b).all(|(ra, rb)| {
                        ra.len() == rb.len() && ra.iter().zip(rb).all(|(x, y)| x.same_tree(y))
                    })
            }
            (Neg(a), Neg(b)) | (Transpose(a), Transpose(b)) => a.same_tree(b),
            (Call(fa, a), Call(fb, b)) => fa == fb && a.same_tree(b),
            (Binary(oa, a1, a2), Binary(ob, b1, b2)) => {
                oa == ob && a1.same_tree(b1) && a2.same_tree(b2)
            }
            _ => false,
        }
    }

    /// Every declared name the expression uses, in order of first use.
    pub fn names(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.collect_names(&mut out);
        out
    }

    fn collect_names(&self, out: &mut Vec<String>) {
        match &self.kind {
            ExprKind::Name(n) => {
                if !out.contains(n) {
                    out.push(n.clone());
                }
            }
            ExprKind::Number(_)
            | ExprKind::Size(_)
            | ExprKind::Fill(..)
            | ExprKind::Commutation(..) => {}
            ExprKind::Matrix(rows) => rows.iter().flatten().for_each(|e| e.collect_names(out)),
            ExprKind::Neg(a) | ExprKind::Transpose(a) | ExprKind::Call(_, a) => {
                a.collect_names(out)
            }
            ExprKind::Binary(_, a, b) => {
                a.collect_names(out);
                b.collect_names(out);
            }
        }
    }
}
