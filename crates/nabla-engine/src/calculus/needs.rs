//! Which values of F's nodes a grading reads, so that the others are never
//! computed. The gradient of `tr(A X B)` by X is Aᵀ(g Bᵀ): reverse mode reads
//! A and B but neither A X nor A X B, so recording them would double the
//! products a trial costs. A value is read
//!
//! - by reverse mode (and the rounding magnitudes that follow it), for the
//!   rules of nodes on a path to X: a product reads the factor beside the
//!   one it differentiates, `exp` its own value, `log` its argument …;
//! - by the domain check, for the arguments it judges (inv, det, log, sqrt,
//!   relu, abs, norm, divisors, powers), and for `det`'s own value, whose
//!   sign successive trials alternate;
//! - to compute a value that is read: all of that node's children.
//!
//! What is not read gets only its shape on the tape (`Tape::absent`).

use crate::expr::{ElemOp, Func, Op, Typed};

/// Whether the domain check of `t` reads its children's values.
pub fn checked(t: &Typed) -> bool {
    match &t.op {
        Op::Call(f, _) => matches!(
            f,
            Func::Inv
                | Func::Det
                | Func::Logdet
                | Func::Log
                | Func::Sqrt
                | Func::Relu
                | Func::Abs
                | Func::Step
                | Func::Sign
                | Func::Norm
        ),
        Op::MatPow(_, k) => *k < 0,
        Op::Elem(ElemOp::Div | ElemOp::Pow, ..) => true,
        _ => false,
    }
}

/// Whether `t`'s own value must be computed whatever its parent needs:
/// its reverse rule reads it (when `t` is on a path to `wrt`), or it is a
/// `det` (see the module header). A node whose own value is computed has
/// its children's computed too.
pub fn own(t: &Typed, wrt: usize) -> bool {
    if matches!(t.op, Op::Call(Func::Det, _)) {
        return true;
    }
    if !t.uses_var(wrt) {
        return false;
    }
    match &t.op {
        // Shapes alone: the trace, the sum, a transpose, a diagonal.
        Op::Call(f, _) => !matches!(
            f,
            Func::Tr | Func::Sum | Func::Transpose | Func::Diag | Func::Vec | Func::Mean
        ),
        _ => false,
    }
}

/// Whether reverse mode reads the value of child `i` of `t`, differentiating
/// by `wrt` (beyond what `own` and `checked` already require).
pub fn child(t: &Typed, i: usize, wrt: usize) -> bool {
    if !t.uses_var(wrt) {
        return false;
    }
    let ch = t.children();
    let wanted = |j: usize| ch.get(j).is_some_and(|c| c.uses_var(wrt));
    match &t.op {
        // C = AB: Ā = C̄Bᵀ reads B, B̄ = AᵀC̄ reads A.
        Op::MatMul(..) | Op::Elem(ElemOp::Mul, ..) => wanted(1 - i),
        // a/b: ā = ḡ/b reads b; b̄ = −ḡa/b² reads both.
        Op::Elem(ElemOp::Div, ..) => i == 1 || wanted(1),
        Op::Elem(ElemOp::Pow, ..) => true,
        Op::MatPow(..) => true,
        // A ⊗ B: Ā reads B and B̄ reads A; both read the other's size.
        Op::Kron(..) => true,
        _ => false,
    }
}
