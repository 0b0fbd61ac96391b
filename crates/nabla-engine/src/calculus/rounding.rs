//! How large the rounding error of a computed value can be, so the grader's
//! tolerance follows the arithmetic instead of a fixed relative 1e-7.
//!
//! Every node gets a *magnitude*: an entrywise matrix M ≥ |value| such that
//! the rounding error of the value is at most a modest multiple of ε·M. It is
//! the value computed with every operand replaced by its magnitude and every
//! difference by a sum — so a result that cancels to almost nothing (x'Ax −
//! x'A'x) keeps the size of the terms that cancelled — with inverses
//! carrying their conditioning (|X⁻¹| M(X) |X⁻¹|). `record` does this for a
//! value (an answer, or F's forward pass); `vjp` does the same for reverse
//! mode, giving the magnitude of the terms summed into each entry of the
//! true gradient.
//!
//! The magnitudes are added to a tape already recorded (`annotate`), so the
//! values are computed once. Products of large matrices get the
//! Cauchy–Schwarz bound (`product_mag`) instead of a second product of the
//! same size: the magnitude costs O(n²) where the value costs O(n³).

use nalgebra::DMatrix;

use super::condition::log_sum_exp_argument;
use super::reverse::{Adjoint, accumulate, reduce_to};
use std::borrow::Cow;

use super::tape::{self, Aux, Mag, Tape};
use crate::expr::eval::{self, Sizes, inverse};
use crate::expr::logsumexp;
use crate::expr::{ElemOp, ExprError, Func, Op, Typed};
use crate::expr::{dense, kron};

fn abs(m: &DMatrix<f64>) -> DMatrix<f64> {
    m.abs()
}

/// Beyond this side, `inverse_mag` uses an O(n²) bound instead of two
/// more products of the full matrices.
const CHEAP_INVERSE_SIDE: usize = 128;

/// `|X⁻¹| M(X) |X⁻¹|`: the magnitude of an inverse, which carries the
/// matrix's conditioning. For large matrices the bound max(M)·(|X⁻¹|1)(1ᵀ|X⁻¹|)
/// (M replaced by its largest entry everywhere), which is looser but costs
/// no product of full matrices.
fn inverse_mag(inv: &DMatrix<f64>, mag: &DMatrix<f64>) -> DMatrix<f64> {
    let a = abs(inv);
    if a.nrows().max(a.ncols()) <= CHEAP_INVERSE_SIDE {
        return &a * mag * &a;
    }
    let m = mag.amax();
    let rows: Vec<f64> = a.row_iter().map(|r| r.sum()).collect();
    let cols: Vec<f64> = a.column_iter().map(|c| c.sum()).collect();
    DMatrix::from_fn(a.nrows(), a.ncols(), |i, j| m * rows[i] * cols[j])
}

/// Σ_{i<m} Pⁱ C Pᵐ⁻¹⁻ⁱ by doubling, with Pᵐ: O(log m) products.
fn power_sum(p: &DMatrix<f64>, c: &DMatrix<f64>, m: u64) -> (DMatrix<f64>, DMatrix<f64>) {
    if m <= 1 {
        return (p.clone(), c.clone());
    }
    if m.is_multiple_of(2) {
        let (pk, sk) = power_sum(p, c, m / 2);
        let s = &sk * &pk + &pk * &sk;
        (&pk * &pk, s)
    } else {
        let (pk, sk) = power_sum(p, c, m - 1);
        let s = &sk * p + &pk * c;
        (&pk * p, s)
    }
}

/// The magnitude of Aᵏ from M = M(A) ≥ 0: Mᵏ, or for large matrices the
/// O(n²) bound (Mᵏ)ᵢⱼ ≤ ‖M‖∞ᵏ⁻¹ · maxₗ Mₗⱼ (no product of full matrices).
fn power_magnitude(m: &DMatrix<f64>, k: u64) -> DMatrix<f64> {
    if k == 0 || m.nrows().max(m.ncols()) <= CHEAP_INVERSE_SIDE {
        return matrix_power(m, k);
    }
    let rows = m.row_iter().map(|r| r.sum()).fold(0.0, f64::max);
    let col_max: Vec<f64> = m.column_iter().map(|c| c.max()).collect();
    let scale = rows.powi((k - 1).min(i32::MAX as u64) as i32);
    DMatrix::from_fn(m.nrows(), m.ncols(), |_, j| scale * col_max[j])
}

/// The magnitude of Σ_{i<m} Pⁱ C Pᵐ⁻¹⁻ⁱ for P, C ≥ 0: the sum itself, or for
/// large matrices the constant bound m · R^(m−1) · max C, with R the larger
/// of P's greatest row and column sums (‖X C Y‖ entrywise ≤ ‖X‖∞ max C ‖Y‖₁).
fn power_sum_magnitude(p: &DMatrix<f64>, c: &DMatrix<f64>, m: u64) -> DMatrix<f64> {
    if p.nrows().max(p.ncols()) <= CHEAP_INVERSE_SIDE {
        return power_sum(p, c, m).1;
    }
    let rows = p.row_iter().map(|r| r.sum()).fold(0.0, f64::max);
    let cols = p.column_iter().map(|c| c.sum()).fold(0.0, f64::max);
    let r = rows.max(cols);
    let bound = m as f64 * r.powi((m - 1).min(i32::MAX as u64) as i32) * c.max();
    DMatrix::from_element(c.nrows(), c.ncols(), bound)
}

fn matrix_power(a: &DMatrix<f64>, k: u64) -> DMatrix<f64> {
    if k == 0 {
        return DMatrix::identity(a.nrows(), a.ncols());
    }
    power_sum(a, a, k).0
}

/// log Σ exp(E) and softmax(E), both shifted by max(E); NaN when E has no
/// finite maximum.
fn lse(e: &DMatrix<f64>) -> (f64, DMatrix<f64>) {
    match logsumexp::Shifted::of(e) {
        Some(s) => (s.value(), &s.exps / s.sum),
        None => (f64::NAN, e.map(|_| f64::NAN)),
    }
}

/// Evaluates `t`, with the magnitude of every node.
pub fn record(t: &Typed, sizes: &Sizes, values: &[DMatrix<f64>]) -> Result<Tape, ExprError> {
    let mut tape = tape::record(t, sizes, values)?;
    annotate(t, &mut tape, values)?;
    Ok(tape)
}

/// The value of `t` and its magnitude, as `record` gives them, but each node's
/// children are dropped once it is computed: an answer's intermediate values
/// (and their magnitudes) are not kept while the rest of it is evaluated.
/// The result has no children (reverse mode cannot run on it).
pub fn record_root(t: &Typed, sizes: &Sizes, values: &[DMatrix<f64>]) -> Result<Tape, ExprError> {
    if eval::is_leaf(t) || logsumexp::nodes(t).is_some() {
        let mut tape = record(t, sizes, values)?;
        tape.children.clear();
        return Ok(tape);
    }
    let children = t
        .children()
        .into_iter()
        .map(|c| record_root(c, sizes, values))
        .collect::<Result<Vec<_>, _>>()?;
    let mut tape = tape::node(t, children, values)?;
    // The children have their magnitudes: this computes the node's only.
    annotate(t, &mut tape, values)?;
    tape.children.clear();
    Ok(tape)
}

/// Adds the magnitude of every node to `tape`, recorded from `t` on
/// `values`. A fused log-sum-exp gets its magnitude from its argument's; the
/// `sum` and `exp` nodes between them get none.
pub fn annotate(t: &Typed, tape: &mut Tape, values: &[DMatrix<f64>]) -> Result<(), ExprError> {
    if tape.mag.is_some() {
        return Ok(());
    }
    if eval::is_leaf(t) {
        if tape.has_value() {
            tape.mag = Some(Mag::Abs);
        }
        return Ok(());
    }
    if let (Aux::LogSumExp { .. }, Some(arg)) = (&tape.aux, log_sum_exp_argument(t)) {
        let e = &mut tape.children[0].children[0].children[0];
        annotate(arg, e, values)?;
        let (v, s) = lse(e.value(values));
        let mag = s.dot(&e.magnitude(values)) + v.abs();
        tape.mag = Some(Mag::Of(DMatrix::from_element(1, 1, mag)));
        return Ok(());
    }
    for (c, ct) in t.children().into_iter().zip(tape.children.iter_mut()) {
        annotate(c, ct, values)?;
    }
    if !tape.has_value() {
        // Not recorded (`needs`): nothing reads its magnitude either.
        return Ok(());
    }
    // A transpose or negation of |value| is |value| again.
    let abs_again = matches!(
        t.op,
        Op::Neg(_) | Op::Transpose(_) | Op::Call(Func::Transpose, _)
    ) && matches!(tape.children[0].mag, Some(Mag::Abs));
    tape.mag = Some(if abs_again {
        Mag::Abs
    } else {
        let mut m = magnitude(t, &tape.children, tape.value(values), values)?;
        // Underflow: a result below the smallest normal number keeps only
        // the bits above 2⁻¹⁰⁷⁴, an absolute error no multiple of ε·|value|
        // covers (exp(−740) is exact to a few bits). Every computed value
        // carries it, and later operations scale it as they scale the rest
        // (divided by p² in exp(x ./ p ./ p) ./ p ./ p).
        m.add_scalar_mut(f64::MIN_POSITIVE);
        Mag::Of(m)
    });
    Ok(())
}

/// Beyond this much work (r·k·c multiply-adds), `product_mag` bounds a
/// product of magnitudes instead of computing it.
const CHEAP_PRODUCT_WORK: usize = 1 << 21;

/// A magnitude as `product_mag` takes it: |m| (left uncomputed), or m.
#[derive(Clone, Copy)]
enum Src<'a> {
    Abs(&'a DMatrix<f64>),
    Of(&'a DMatrix<f64>),
}

impl<'a> Src<'a> {
    /// A child's magnitude, on `values`.
    fn of(tape: &'a Tape, values: &'a [DMatrix<f64>]) -> Src<'a> {
        match tape.mag_kind() {
            Mag::Abs => Src::Abs(tape.value(values)),
            Mag::Of(m) => Src::Of(m),
        }
    }

    fn matrix(self) -> &'a DMatrix<f64> {
        match self {
            Src::Abs(m) | Src::Of(m) => m,
        }
    }

    /// Entry k (linear, column-major) of the magnitude, a 1×1 broadcast.
    fn at(self, k: usize) -> f64 {
        let m = self.matrix();
        let x = if m.len() == 1 { m[0] } else { m[k] };
        match self {
            Src::Abs(_) => x.abs(),
            Src::Of(_) => x,
        }
    }

    fn dense(self) -> Cow<'a, DMatrix<f64>> {
        match self {
            Src::Abs(m) => Cow::Owned(m.abs()),
            Src::Of(m) => Cow::Borrowed(m),
        }
    }
}

/// The magnitude of a product X·Y of non-negative magnitudes (each possibly
/// transposed: `xt`, `yt`): the product itself, or for large matrices the
/// Cauchy–Schwarz bound (X·Y)ᵢⱼ ≤ ‖row i of X‖₂ ‖column j of Y‖₂ — an upper
/// bound, as every magnitude must be, and within a factor of about 1.3 of the
/// product for matrices of random entries. The norms of |M| are M's, so a
/// magnitude that is |value| is never formed.
fn product_mag(x: Src<'_>, xt: bool, y: Src<'_>, yt: bool) -> DMatrix<f64> {
    let (xm, ym) = (x.matrix(), y.matrix());
    let (r, k) = if xt {
        (xm.ncols(), xm.nrows())
    } else {
        xm.shape()
    };
    let c = if yt { ym.nrows() } else { ym.ncols() };
    if r.min(c) <= dense::THIN {
        // A matrix times a few vectors: exact, at the cost of the value.
        let abs = |s: Src<'_>| matches!(s, Src::Abs(_));
        return dense::thin_product(xm, xt, abs(x), ym, yt, abs(y));
    }
    if k <= 16 || r * k * c <= CHEAP_PRODUCT_WORK {
        return dense::product(&x.dense(), xt, &y.dense(), yt);
    }
    let rows = if xt { column_norms(xm) } else { row_norms(xm) };
    let cols = if yt { row_norms(ym) } else { column_norms(ym) };
    DMatrix::from_fn(r, c, |i, j| rows[i] * cols[j])
}

fn row_norms(m: &DMatrix<f64>) -> Vec<f64> {
    let mut sums = vec![0.0; m.nrows()];
    for col in m.column_iter() {
        for (s, x) in sums.iter_mut().zip(col.iter()) {
            *s += x * x;
        }
    }
    sums.into_iter().map(f64::sqrt).collect()
}

fn column_norms(m: &DMatrix<f64>) -> Vec<f64> {
    m.column_iter().map(|c| c.norm()).collect()
}

fn magnitude(
    t: &Typed,
    ch: &[Tape],
    value: &DMatrix<f64>,
    values: &[DMatrix<f64>],
) -> Result<DMatrix<f64>, ExprError> {
    let m = |i: usize| ch[i].magnitude(values);
    let v = |i: usize| ch[i].value(values);
    Ok(match &t.op {
        Op::Const(_) | Op::Var(_) | Op::Fill(_) | Op::Commutation(..) => abs(value),
        // One product per entry: the factors' magnitudes multiplied.
        Op::Kron(..) => kron::kron(&m(0), &m(1)),
        Op::Matrix(rows) => {
            let cols = rows.first().map_or(0, Vec::len);
            DMatrix::from_fn(rows.len(), cols, |i, j| {
                ch[i * cols + j].magnitude(values)[(0, 0)]
            })
        }
        Op::Neg(_) => m(0).into_owned(),
        Op::Transpose(_) => dense::transpose(&m(0)),
        Op::MatMul(..) => product_mag(
            Src::of(&ch[0], values),
            false,
            Src::of(&ch[1], values),
            false,
        ),
        Op::Elem(op, ..) => {
            // Entry by entry, a 1×1 side broadcast, nothing copied.
            let (r, c) = value.shape();
            let (s0, s1) = (Src::of(&ch[0], values), Src::of(&ch[1], values));
            let exact = [exact(t.children()[0]), exact(t.children()[1])];
            let (a, b) = (v(0), v(1));
            let at = |m: &DMatrix<f64>, k: usize| if m.len() == 1 { m[0] } else { m[k] };
            let entries = (0..r * c).map(|k| {
                let (ma, mb) = (s0.at(k), s1.at(k));
                match op {
                    ElemOp::Add | ElemOp::Sub => ma + mb,
                    ElemOp::Mul => ma * mb,
                    ElemOp::Div => {
                        let (x, y) = (at(a, k), at(b, k).abs());
                        ma / y + (x / y).abs() * mb / y + value[k].abs()
                    }
                    // An exact side carries no error for the power to
                    // amplify: 𝟙.^1e30 is 1, not 1 ± 1e30·ε.
                    ElemOp::Pow => {
                        let (x, y) = (at(a, k), at(b, k));
                        let base = if exact[0] {
                            0.0
                        } else {
                            super::power_slope(x, y).abs() * ma
                        };
                        let exponent = if x > 0.0 && !exact[1] {
                            (x.ln() * x.powf(y)).abs() * mb
                        } else {
                            0.0
                        };
                        base + exponent + value[k].abs()
                    }
                }
            });
            DMatrix::from_iterator(r, c, entries)
        }
        Op::MatPow(_, k) => {
            let base = if *k < 0 {
                inverse_mag(&inverse(v(0), t.span)?, &m(0))
            } else {
                m(0).into_owned()
            };
            power_magnitude(&base, k.unsigned_abs())
        }
        Op::Call(f, a) if exact(a) && matches!(f, Func::Exp) => abs(value),
        Op::Call(f, _) => call_magnitude(*f, v(0), &m(0), value, t)?,
    })
}

/// Whether `t`'s value is computed without rounding: a constant, a declared
/// name (the drawn values are what they are), a fill, or these moved about
/// (negated, transposed, laid out in a matrix). Its magnitude is still its
/// |value| (a product with it rounds by that much); only a slope that would
/// amplify an error it does not have is left out.
fn exact(t: &Typed) -> bool {
    match &t.op {
        Op::Const(_) | Op::Var(_) | Op::Fill(_) | Op::Commutation(..) => true,
        Op::Neg(a) | Op::Transpose(a) | Op::Call(Func::Transpose | Func::Vec, a) => exact(a),
        Op::Matrix(rows) => rows.iter().flatten().all(exact),
        _ => false,
    }
}

fn call_magnitude(
    f: Func,
    a: &DMatrix<f64>,
    ma: &DMatrix<f64>,
    value: &DMatrix<f64>,
    t: &Typed,
) -> Result<DMatrix<f64>, ExprError> {
    let out = abs(value);
    let scalar = |x: f64| DMatrix::from_element(1, 1, x);
    Ok(match f {
        Func::Tr => scalar(ma.trace()),
        Func::Det => {
            let inv = inverse(a, t.span)?;
            scalar(
                out[(0, 0)]
                    * (1.0
                        + dense::transpose(&inverse_mag(&inv, ma))
                            .component_mul(&abs(a))
                            .sum()),
            )
        }
        Func::Logdet => {
            let inv = inverse(a, t.span)?;
            scalar(out[(0, 0)] + dense::transpose(&abs(&inv)).component_mul(ma).sum())
        }
        Func::Inv => inverse_mag(value, ma),
        Func::Diag | Func::Transpose => eval::apply(t, vec![ma.clone()])?,
        Func::Sum => scalar(ma.sum()),
        Func::Vec => kron::vec(ma),
        Func::Mean => scalar(ma.sum() / ma.len() as f64),
        Func::Norm => scalar(ma.norm()),
        Func::Exp => out.component_mul(&ma.add_scalar(1.0)),
        Func::Log => ma.component_div(&abs(a)) + out,
        Func::Sqrt => ma.zip_map(value, |m, s| 0.5 * m / s.abs().max(f64::MIN_POSITIVE)) + out,
        Func::Abs | Func::Relu => ma.clone(),
        // Exactly 0 or ±1 for an argument off the kink (the draws keep it
        // off): no rounding error beyond the value itself.
        Func::Step | Func::Sign => out.clone(),
        Func::Tanh => ma.zip_map(value, |m, y| m * (1.0 - y * y)) + out,
        Func::Sigmoid => ma.zip_map(value, |m, s| m * s * (1.0 - s)) + out,
        Func::Softmax => softmax_mag(value, ma) + out,
    })
}

/// |J| m for the softmax Jacobian diag(s) − s sᵀ (per column; a row vector
/// counts as one vector).
fn softmax_mag(s: &DMatrix<f64>, m: &DMatrix<f64>) -> DMatrix<f64> {
    if s.nrows() == 1 && s.ncols() > 1 {
        return softmax_mag(&s.transpose(), &m.transpose()).transpose();
    }
    let mut out = s.component_mul(m);
    for j in 0..s.ncols() {
        let dot = s.column(j).dot(&m.column(j));
        for i in 0..s.nrows() {
            out[(i, j)] += s[(i, j)] * dot;
        }
    }
    out
}

/// The magnitude of the terms reverse mode sums into the adjoint of name
/// `wrt`, for a seed magnitude `seed` (≥ 0, with F's shape), on a tape that
/// `annotate` has given magnitudes.
pub fn vjp(
    t: &Typed,
    tape: &Tape,
    values: &[DMatrix<f64>],
    seed: DMatrix<f64>,
    wrt: usize,
    x_size: (usize, usize),
) -> Result<DMatrix<f64>, ExprError> {
    let mut grad = None;
    let pass = Pass { values, wrt };
    pass.backward(t, tape, Adjoint::Dense(seed), &mut grad)?;
    Ok(grad.unwrap_or_else(|| DMatrix::zeros(x_size.0, x_size.1)))
}

/// One backward pass of magnitudes (see `reverse::Pass`).
struct Pass<'v> {
    values: &'v [DMatrix<f64>],
    wrt: usize,
}

impl Pass<'_> {
    fn backward(
        &self,
        t: &Typed,
        tape: &Tape,
        adj: Adjoint,
        grad: &mut Option<DMatrix<f64>>,
    ) -> Result<(), ExprError> {
        let wrt = self.wrt;
        if !t.uses_var(wrt) {
            return Ok(());
        }
        // Each adjoint computed may have underflowed, as each forward value
        // may (see `annotate`); the rules below scale that as the rest.
        let adj = match adj {
            Adjoint::Dense(mut m) => {
                m.add_scalar_mut(f64::MIN_POSITIVE);
                Adjoint::Dense(m)
            }
            eye => eye,
        };
        let values = self.values;
        if let (Aux::LogSumExp { .. }, Some(arg)) = (&tape.aux, log_sum_exp_argument(t)) {
            // The gradient softmax(E) is computed from E, whose own rounding
            // (M(E), large for E = x − 1000) moves it by s ⊙ (δE − sᵀδE):
            // the magnitude is s + s ⊙ M(E) + s (sᵀ M(E)), over all entries.
            let e = &tape.children[0].children[0].children[0];
            let (_, s) = lse(e.value(values));
            let me = e.magnitude(values);
            let spread = s.dot(&me);
            let m = s.component_mul(&me) + &s * (1.0 + spread);
            let g = adj.dense()[(0, 0)];
            return self.backward(arg, e, Adjoint::Dense(m * g), grad);
        }
        let ch = t.children();
        let val = |i: usize| tape.children[i].value(values);
        let mag = |i: usize| tape.children[i].magnitude(values);
        let src = |i: usize| Src::of(&tape.children[i], values);
        let wanted = |i: usize| ch[i].uses_var(wrt);
        let down = |i: usize, a: Adjoint, grad: &mut Option<DMatrix<f64>>| {
            self.backward(ch[i], &tape.children[i], a, grad)
        };
        let shape = tape.shape(values);
        let shape_of = |i: usize| tape.children[i].shape(values);
        match (&t.op, adj) {
            (Op::Var(_), adj) => accumulate(grad, adj.dense()),
            (Op::Const(_) | Op::Fill(_), _) => {}
            (Op::Neg(_), adj) => down(0, adj, grad)?,
            (Op::Transpose(_) | Op::Call(Func::Transpose, _), adj) => {
                down(0, adj.transposed(), grad)?
            }
            (Op::MatMul(..), Adjoint::Eye { g, .. }) => {
                if wanted(0) {
                    down(0, Adjoint::Dense(scaled_transpose(src(1), g.abs())), grad)?;
                }
                if wanted(1) {
                    down(1, Adjoint::Dense(scaled_transpose(src(0), g.abs())), grad)?;
                }
            }
            (Op::Elem(ElemOp::Add | ElemOp::Sub, ..), eye @ Adjoint::Eye { .. })
                if shape_of(0) == shape && shape_of(1) == shape =>
            {
                if wanted(0) {
                    down(0, eye.clone(), grad)?;
                }
                if wanted(1) {
                    down(1, eye, grad)?;
                }
            }
            // m·g·(Bᵐ⁻¹)ᵀ (see `reverse`), with B = A⁻¹ carrying its conditioning.
            (Op::MatPow(_, k), Adjoint::Eye { g, .. }) if *k != 0 => {
                let m = k.unsigned_abs();
                let scale = m as f64 * g.abs();
                let a_adj = if *k > 0 {
                    dense::transpose(&power_magnitude(&mag(0), m - 1)) * scale
                } else {
                    let base = inverse_mag(&inverse(val(0), t.span)?, &mag(0));
                    dense::transpose(&power_magnitude(&base, m + 1)) * scale
                };
                down(0, Adjoint::Dense(a_adj), grad)?;
            }
            (op, adj) => {
                let adj = adj.dense();
                match op {
                    Op::Matrix(rows) => {
                        let cols = rows.first().map_or(0, Vec::len);
                        for i in 0..ch.len() {
                            let a = DMatrix::from_element(1, 1, adj[(i / cols, i % cols)]);
                            down(i, Adjoint::Dense(a), grad)?;
                        }
                    }
                    Op::MatMul(..) => {
                        if wanted(0) {
                            let a = product_mag(Src::Of(&adj), false, src(1), true);
                            down(0, Adjoint::Dense(a), grad)?;
                        }
                        if wanted(1) {
                            let b = product_mag(src(0), true, Src::Of(&adj), false);
                            down(1, Adjoint::Dense(b), grad)?;
                        }
                    }
                    Op::Elem(op, ..) => {
                        // What `needs` had recorded for the sides wanted.
                        let recorded = |i: usize| tape.children[i].has_value();
                        let (a, b) = (recorded(0).then(|| val(0)), recorded(1).then(|| val(1)));
                        let (s0, s1) = (recorded(0).then(|| src(0)), recorded(1).then(|| src(1)));
                        fn read(m: Option<&DMatrix<f64>>) -> &DMatrix<f64> {
                            m.expect("recorded (calculus::needs)")
                        }
                        let mag_at = |m: Option<Src<'_>>, k: usize| {
                            m.expect("recorded (calculus::needs)").at(k)
                        };
                        let at =
                            |m: &DMatrix<f64>, k: usize| if m.len() == 1 { m[0] } else { m[k] };
                        let (r, c) = shape;
                        // The magnitude of each side's adjoint, entry k.
                        let side = |first: bool, k: usize| {
                            let g = adj[k];
                            let x = || at(read(a), k);
                            let y = || at(read(b), k).abs();
                            match op {
                                ElemOp::Add | ElemOp::Sub => g,
                                ElemOp::Mul if first => g * mag_at(s1, k),
                                ElemOp::Mul => g * mag_at(s0, k),
                                // Divided twice by |b| rather than once by b²: b² can overflow.
                                ElemOp::Div if first => g / y() + g * mag_at(s1, k) / y() / y(),
                                ElemOp::Div => g * mag_at(s0, k) / y() / y(),
                                ElemOp::Pow => {
                                    let (x, y) = (x(), at(read(b), k));
                                    if first {
                                        g * super::power_slope(x, y).abs()
                                    } else if x > 0.0 {
                                        g * (x.ln() * x.powf(y)).abs()
                                    } else {
                                        0.0
                                    }
                                }
                            }
                        };
                        for (i, first) in [(0, true), (1, false)] {
                            if wanted(i) {
                                let d = DMatrix::from_iterator(
                                    r,
                                    c,
                                    (0..r * c).map(|k| side(first, k)),
                                );
                                down(i, Adjoint::Dense(reduce_to(d, shape_of(i))), grad)?;
                            }
                        }
                    }
                    Op::MatPow(_, k) => {
                        let m = k.unsigned_abs();
                        if m == 0 {
                            return Ok(());
                        }
                        let (base, inv) = if *k < 0 {
                            let inv = inverse(val(0), t.span)?;
                            (inverse_mag(&inv, &mag(0)), Some(inv))
                        } else {
                            (mag(0).into_owned(), None)
                        };
                        let bt = dense::transpose(&base);
                        let b_adj = power_sum_magnitude(&bt, &adj, m);
                        // B = A⁻¹: Ā = −Bᵀ B̄ Bᵀ, with B's conditioning on one side.
                        let a_adj = match inv {
                            Some(inv) => {
                                let it = dense::transpose(&abs(&inv));
                                &bt * &b_adj * &it + &it * &b_adj * &bt
                            }
                            None => b_adj,
                        };
                        down(0, Adjoint::Dense(a_adj), grad)?;
                    }
                    Op::Call(f, _) => {
                        let a_adj = call_adjoint(*f, &tape.children[0], tape, values, &adj, t)?;
                        down(0, a_adj, grad)?;
                    }
                    Op::Kron(..) => {
                        let (a_adj, b_adj) = kron::kron_adjoints(&mag(0), &mag(1), &adj);
                        if wanted(0) {
                            down(0, Adjoint::Dense(a_adj), grad)?;
                        }
                        if wanted(1) {
                            down(1, Adjoint::Dense(b_adj), grad)?;
                        }
                    }
                    Op::Var(_)
                    | Op::Const(_)
                    | Op::Fill(_)
                    | Op::Commutation(..)
                    | Op::Neg(_)
                    | Op::Transpose(_) => {
                        unreachable!("handled above")
                    }
                }
            }
        }
        Ok(())
    }
}

/// c·Mᵀ for the magnitude M (c ≥ 0), in one pass over M.
fn scaled_transpose(m: Src<'_>, c: f64) -> DMatrix<f64> {
    let mut out = dense::transpose(m.matrix());
    match m {
        Src::Abs(_) => out.apply(|x| *x = x.abs() * c),
        Src::Of(_) => out *= c,
    }
    out
}

/// The magnitude of Ā for C = f(A) (`arg` and `tape` are A's and C's): the
/// trace, sum, transpose and diagonal read only A's shape, the others A, its
/// magnitude or C, which `needs` has them record.
fn call_adjoint(
    f: Func,
    arg: &Tape,
    tape: &Tape,
    values: &[DMatrix<f64>],
    adj: &DMatrix<f64>,
    t: &Typed,
) -> Result<Adjoint, ExprError> {
    let g = adj[(0, 0)];
    let (r, c) = arg.shape(values);
    if f == Func::Tr && r == c {
        return Ok(Adjoint::Eye { g, n: r });
    }
    if let Func::Tr | Func::Sum | Func::Diag | Func::Transpose | Func::Vec | Func::Mean = f {
        return Ok(Adjoint::Dense(shape_only(f, (r, c), adj)));
    }
    let (a, ma, out) = (
        arg.value(values),
        &*arg.magnitude(values),
        tape.value(values),
    );
    Ok(Adjoint::Dense(match f {
        Func::Det => {
            dense::transpose(&inverse_mag(&inverse(a, t.span)?, ma)) * (g * out[(0, 0)].abs())
        }
        Func::Logdet => dense::transpose(&inverse_mag(&inverse(a, t.span)?, ma)) * g,
        // M(C)ᵀ C̄ |C|ᵀ + |C|ᵀ C̄ M(C)ᵀ, each product through `product_mag`
        // (bounded, not formed, at size: four products of 2048×2048 otherwise).
        Func::Inv => {
            let m = inverse_mag(out, ma);
            let left = product_mag(Src::Of(&m), true, Src::Of(adj), false);
            let right = product_mag(Src::Abs(out), true, Src::Of(adj), false);
            product_mag(Src::Of(&left), false, Src::Abs(out), true)
                + product_mag(Src::Of(&right), false, Src::Of(&m), true)
        }
        Func::Norm => {
            let n = out[(0, 0)];
            if n == 0.0 { ma * 0.0 } else { ma * (g / n) }
        }
        Func::Exp => adj.component_mul(&abs(out).component_mul(&ma.add_scalar(1.0))),
        // 1/a, with the rounding of a itself (M(a)/a²): log(1e8 + s − 1e8).
        Func::Log => DMatrix::from_fn(r, c, |i, j| {
            let x = a[(i, j)].abs();
            adj[(i, j)] * (1.0 / x + ma[(i, j)] / (x * x))
        }),
        Func::Sqrt => DMatrix::from_fn(r, c, |i, j| {
            let s = out[(i, j)].abs().max(f64::MIN_POSITIVE);
            adj[(i, j)] * (0.5 / s + 0.25 * ma[(i, j)] / (s * s * s))
        }),
        Func::Abs | Func::Relu => adj.clone(),
        // A zero adjoint: nothing is summed.
        Func::Step | Func::Sign => adj.map(|_| 0.0),
        // 1 − y² and s(1 − s) lose their accuracy when y → ±1, s → 1: the
        // difference has the magnitude 1 + y², 1 + s, not its value.
        Func::Tanh => DMatrix::from_fn(r, c, |i, j| {
            let y = out[(i, j)];
            adj[(i, j)] * ((1.0 + y * y) + (2.0 * y * (1.0 - y * y)).abs() * ma[(i, j)])
        }),
        Func::Sigmoid => DMatrix::from_fn(r, c, |i, j| {
            let s = out[(i, j)];
            let slope = s * (1.0 - s);
            adj[(i, j)] * (s * (1.0 + s) + (slope * (1.0 - 2.0 * s)).abs() * ma[(i, j)])
        }),
        Func::Softmax => softmax_mag(out, adj),
        Func::Tr | Func::Sum | Func::Diag | Func::Transpose | Func::Vec | Func::Mean => {
            unreachable!("shape_only")
        }
    }))
}

/// The magnitude of Ā for the functions that read only A's shape (r×c).
fn shape_only(f: Func, (r, c): (usize, usize), adj: &DMatrix<f64>) -> DMatrix<f64> {
    let g = adj[(0, 0)];
    match f {
        Func::Sum => DMatrix::from_element(r, c, g),
        Func::Mean => DMatrix::from_element(r, c, g / (r * c) as f64),
        Func::Vec => kron::unvec(adj, r, c),
        Func::Transpose => dense::transpose(adj),
        Func::Diag => {
            if r * c == 1 {
                adj.clone()
            } else if r == 1 || c == 1 {
                let d: Vec<f64> = adj.diagonal().iter().copied().collect();
                DMatrix::from_vec(r, c, d)
            } else {
                DMatrix::from_diagonal(&nalgebra::DVector::from_iterator(
                    adj.len(),
                    adj.iter().copied(),
                ))
            }
        }
        _ => DMatrix::identity(r, c) * g,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::{Decls, compile};

    fn tape(f: &str, decls: &str, values: &[DMatrix<f64>]) -> (Typed, Tape) {
        let d = Decls::parse(decls).unwrap();
        let c = compile(f, Some(&d)).unwrap();
        let sizes: Sizes = [("n".to_string(), values[0].nrows())].into_iter().collect();
        let t = record(&c.typed, &sizes, values).unwrap();
        (c.typed, t)
    }

    #[test]
    fn a_cancelling_difference_keeps_the_size_of_its_terms() {
        let x = DMatrix::from_column_slice(3, 1, &[1.0, -2.0, 3.0]);
        let values = [x];
        let (_, t) = tape("x'x - x'x", "x: n", &values);
        assert_eq!(t.value(&values)[(0, 0)], 0.0);
        assert_eq!(t.magnitude(&values)[(0, 0)], 28.0);
    }

    #[test]
    fn reverse_magnitudes_bound_the_gradient_and_keep_cancelled_terms() {
        let x = DMatrix::from_column_slice(3, 1, &[1.0, -2.0, 3.0]);
        let values = [x.clone()];
        let (typed, t) = tape("x'x - x'x", "x: n", &values);
        let g = vjp(
            &typed,
            &t,
            &values,
            DMatrix::from_element(1, 1, 1.0),
            0,
            (3, 1),
        )
        .unwrap();
        assert_eq!(g, x.abs() * 4.0);
    }

    #[test]
    fn power_sums_by_doubling_match_the_plain_sum() {
        let p = DMatrix::from_row_slice(2, 2, &[0.5, 1.0, -0.25, 0.75]);
        let c = DMatrix::from_row_slice(2, 2, &[1.0, 2.0, 3.0, -1.0]);
        for m in 1..10u64 {
            let mut plain = DMatrix::zeros(2, 2);
            for i in 0..m {
                plain += p.pow(i as u32) * &c * p.pow((m - 1 - i) as u32);
            }
            let (pm, s) = power_sum(&p, &c, m);
            assert!((s - plain).norm() < 1e-12, "m = {m}");
            assert!((pm - p.pow(m as u32)).norm() < 1e-12);
        }
    }
}
