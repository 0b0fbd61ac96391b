//! Reverse-mode differentiation over the expression tree (numeric): given F̄,
//! the adjoint of F, push adjoints down to the leaves with the rules of the
//! tutorial's Part 5 — C = AB gives Ā += C̄Bᵀ and B̄ += AᵀC̄ — and the
//! Matrix Cookbook for the rest (inv, det, logdet, norms, softmax).
//!
//! What the tape keeps (`tape::Aux`) is used rather than recomputed: the LU
//! behind det/logdet, the inverse behind a negative power, the shifted
//! exponentials of a log-sum-exp.

use std::borrow::Cow;

use nalgebra::DMatrix;

use super::tape::{Aux, Tape};
use crate::expr::eval::{inverse, inverse_from, matrix_power, sigmoid};
use crate::expr::linalg::Lu;
use crate::expr::logsumexp;
use crate::expr::{ElemOp, ExprError, Func, Op, Typed};
use crate::expr::{dense, kron};

/// ⟨F̄, dF⟩ as a function of d(var): returns the adjoint of declared name
/// `wrt`, whose value is `x_size`, for the seed `seed` (with F's shape).
/// `values` are the instance's, on which `tape` was recorded.
pub fn vjp(
    t: &Typed,
    tape: &Tape,
    values: &[DMatrix<f64>],
    seed: DMatrix<f64>,
    wrt: usize,
    x_size: (usize, usize),
) -> Result<DMatrix<f64>, ExprError> {
    let f = tape.shape(values);
    if seed.shape() != f {
        return Err(ExprError::eval(
            format!(
                "the seed is {}×{} but F is {}×{}",
                seed.nrows(),
                seed.ncols(),
                f.0,
                f.1
            ),
            t.span,
        ));
    }
    let mut grad: Option<DMatrix<f64>> = None;
    let pass = Pass { values, wrt };
    pass.backward(t, tape, Adjoint::Dense(seed), &mut grad)?;
    // F need not depend on the variable at all: then its adjoint is zero.
    Ok(grad.unwrap_or_else(|| DMatrix::zeros(x_size.0, x_size.1)))
}

/// An adjoint on its way down: a matrix, or g·I kept as such — what `tr`
/// hands its argument — so that a product under a trace (`tr(A X B)`) costs
/// no product with an identity, and a power under one (`tr(A^k)`) costs one
/// power instead of a sum of products.
#[derive(Clone, Debug)]
pub enum Adjoint {
    Dense(DMatrix<f64>),
    /// g times the n×n identity.
    Eye {
        g: f64,
        n: usize,
    },
}

impl Adjoint {
    pub fn dense(self) -> DMatrix<f64> {
        match self {
            Adjoint::Dense(m) => m,
            Adjoint::Eye { g, n } => DMatrix::identity(n, n) * g,
        }
    }

    fn scaled(self, c: f64) -> Adjoint {
        match self {
            Adjoint::Dense(m) => Adjoint::Dense(m * c),
            Adjoint::Eye { g, n } => Adjoint::Eye { g: g * c, n },
        }
    }

    pub(super) fn transposed(self) -> Adjoint {
        match self {
            Adjoint::Dense(m) => Adjoint::Dense(dense::transpose(&m)),
            eye => eye,
        }
    }
}

/// Adds an adjoint into the variable's (shared with `rounding`'s pass).
pub(super) fn accumulate(slot: &mut Option<DMatrix<f64>>, adj: DMatrix<f64>) {
    match slot {
        Some(g) => *g += adj,
        None => *slot = Some(adj),
    }
}

/// Sums a broadcast adjoint back to the 1×1 it came from (`like`'s shape).
pub(super) fn reduce_to(adj: DMatrix<f64>, like: (usize, usize)) -> DMatrix<f64> {
    if like == (1, 1) && adj.len() != 1 {
        DMatrix::from_element(1, 1, adj.sum())
    } else {
        adj
    }
}

fn broadcast(v: &DMatrix<f64>, shape: (usize, usize)) -> Cow<'_, DMatrix<f64>> {
    if v.shape() == shape {
        Cow::Borrowed(v)
    } else {
        Cow::Owned(DMatrix::from_element(shape.0, shape.1, v[(0, 0)]))
    }
}

/// One backward pass: the instance's values and the variable sought.
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
        let values = self.values;
        if let (Aux::LogSumExp { .. }, Some(nodes)) = (&tape.aux, logsumexp::nodes(t)) {
            // ∂ log Σ exp(E) / ∂E = softmax(E) = exp(E − m) / Σ exp(E − m): the
            // shifted values the tape holds, whose sum is at least 1.
            let g = adj.dense()[(0, 0)];
            let sum = &tape.children[0];
            let exps = &sum.children[0];
            let e_adj = exps.value(values) * (g / sum.value(values)[(0, 0)]);
            return self.backward(nodes.arg, &exps.children[0], Adjoint::Dense(e_adj), grad);
        }
        let ch = t.children();
        // Only what `needs` says a rule reads was recorded.
        let val = |i: usize| tape.children[i].value(values);
        let shape_of = |i: usize| tape.children[i].shape(values);
        // Only a child on a path to the variable gets an adjoint computed.
        let wanted = |i: usize| ch[i].uses_var(wrt);
        let down = |i: usize, a: Adjoint, grad: &mut Option<DMatrix<f64>>| {
            self.backward(ch[i], &tape.children[i], a, grad)
        };
        let shape = tape.shape(values);
        match (&t.op, adj) {
            (Op::Var(_), adj) => accumulate(grad, adj.dense()),
            (Op::Const(_) | Op::Fill(_), _) => {}
            (Op::Neg(_), adj) => down(0, adj.scaled(-1.0), grad)?,
            (Op::Transpose(_) | Op::Call(Func::Transpose, _), adj) => {
                down(0, adj.transposed(), grad)?
            }
            // C = AB with C̄ = gI: Ā = gBᵀ, B̄ = gAᵀ, no product.
            (Op::MatMul(..), Adjoint::Eye { g, .. }) => {
                if wanted(0) {
                    down(0, Adjoint::Dense(dense::transpose(val(1)) * g), grad)?;
                }
                if wanted(1) {
                    down(1, Adjoint::Dense(dense::transpose(val(0)) * g), grad)?;
                }
            }
            // Sums hand g·I on to a summand of the same shape.
            (Op::Elem(op @ (ElemOp::Add | ElemOp::Sub), ..), eye @ Adjoint::Eye { .. })
                if shape_of(0) == shape && shape_of(1) == shape =>
            {
                if wanted(0) {
                    down(0, eye.clone(), grad)?;
                }
                if wanted(1) {
                    let sign = if *op == ElemOp::Sub { -1.0 } else { 1.0 };
                    down(1, eye.scaled(sign), grad)?;
                }
            }
            // C = Bᵐ with C̄ = gI: B̄ = m·g·(Bᵐ⁻¹)ᵀ; for B = A⁻¹, Ā = −Bᵀ B̄ Bᵀ =
            // −m·g·(Bᵐ⁺¹)ᵀ.
            (Op::MatPow(_, k), Adjoint::Eye { g, .. }) if *k != 0 => {
                let m = k.unsigned_abs();
                let a_adj = if *k > 0 {
                    dense::transpose(&matrix_power(val(0), m - 1)) * (m as f64 * g)
                } else {
                    let b = match &tape.aux {
                        Aux::Inverse(b) => Cow::Borrowed(b),
                        _ => Cow::Owned(inverse(val(0), t.span)?),
                    };
                    dense::transpose(&matrix_power(&b, m + 1)) * (-(m as f64) * g)
                };
                down(0, Adjoint::Dense(a_adj), grad)?;
            }
            // C = A⁻¹ with C̄ = gI: Ā = −g·CᵀCᵀ = −g·(CC)ᵀ, one product.
            (Op::Call(Func::Inv, _), Adjoint::Eye { g, .. }) => {
                let c = tape.value(values);
                let a_adj = dense::transpose(&dense::product(c, false, c, false)) * -g;
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
                        // C = AB: Ā = C̄Bᵀ, B̄ = AᵀC̄.
                        if wanted(0) {
                            down(
                                0,
                                Adjoint::Dense(dense::product(&adj, false, val(1), true)),
                                grad,
                            )?;
                        }
                        if wanted(1) {
                            down(
                                1,
                                Adjoint::Dense(dense::product(val(0), true, &adj, false)),
                                grad,
                            )?;
                        }
                    }
                    Op::Elem(op, ..) => {
                        let a = || broadcast(val(0), shape);
                        let b = || broadcast(val(1), shape);
                        if wanted(0) {
                            let da = match op {
                                ElemOp::Add | ElemOp::Sub => adj.clone(),
                                ElemOp::Mul => adj.component_mul(&b()),
                                ElemOp::Div => adj.component_div(&b()),
                                ElemOp::Pow => adj.zip_zip_map(&a(), &b(), |g, x, y| {
                                    g * super::power_slope(x, y)
                                }),
                            };
                            down(0, Adjoint::Dense(reduce_to(da, shape_of(0))), grad)?;
                        }
                        if wanted(1) {
                            let db = match op {
                                ElemOp::Add => adj.clone(),
                                ElemOp::Sub => -&adj,
                                ElemOp::Mul => adj.component_mul(&a()),
                                // −ḡ·a/b² as −(ḡ·(a/b))/b: b² overflows long before a/b
                                // does (exp(400 s)/exp(400 s)).
                                ElemOp::Div => {
                                    let (a, b) = (a(), b());
                                    -adj.component_mul(&a.component_div(&b)).component_div(&b)
                                }
                                // d(x^y)/dy = ln(x) x^y.
                                ElemOp::Pow => {
                                    let (a, b) = (a(), b());
                                    let db = adj.zip_zip_map(&a, &b, |g, x, y| {
                                        // 0^y is 0 for every y > 0: no slope.
                                        if x > 0.0 { g * x.ln() * x.powf(y) } else { 0.0 }
                                    });
                                    self.exponent_stands_still(t, &tape.children[1], &a, &b, &adj)?;
                                    db
                                }
                            };
                            down(1, Adjoint::Dense(reduce_to(db, shape_of(1))), grad)?;
                        }
                    }
                    Op::MatPow(_, k) => {
                        let a = val(0);
                        let base = match (&tape.aux, *k < 0) {
                            (Aux::Inverse(b), true) => Cow::Borrowed(b),
                            (_, true) => Cow::Owned(inverse(a, t.span)?),
                            (_, false) => Cow::Borrowed(a),
                        };
                        let bt = dense::transpose(&base);
                        let b_adj = power_adjoint(&bt, &adj, k.unsigned_abs());
                        // For a negative power B = A⁻¹, so Ā = −Bᵀ B̄ Bᵀ.
                        let a_adj = if *k < 0 { -(&bt * b_adj * &bt) } else { b_adj };
                        down(0, Adjoint::Dense(a_adj), grad)?;
                    }
                    Op::Call(f, _) => {
                        let a_adj = call_adjoint(*f, &tape.children[0], tape, values, &adj, t)?;
                        down(0, a_adj, grad)?;
                    }
                    Op::Kron(..) => {
                        let (a_adj, b_adj) = kron::kron_adjoints(val(0), val(1), &adj);
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

    /// Where x ≤ 0, x^y has no slope in y (x < 0: undefined off whole y;
    /// x = 0: 1 at y = 0 and 0 just above), so a power whose exponent moves
    /// with X there has no derivative. But an exponent can mention X and
    /// still stand still (`0*sum(x) + 1`, `sum(x) - sum(x)`, which `derive`
    /// simplifies away): the exponent's own derivative at those entries,
    /// weighted so that two cannot cancel, decides. 0^y with y > 0 is 0
    /// nearby and needs no asking.
    fn exponent_stands_still(
        &self,
        t: &Typed,
        exponent: &Tape,
        a: &DMatrix<f64>,
        b: &DMatrix<f64>,
        adj: &DMatrix<f64>,
    ) -> Result<(), ExprError> {
        let stuck = |k: usize| {
            let (x, y) = (a[k], b[k]);
            adj[k] != 0.0 && (x < 0.0 || (x == 0.0 && y <= 0.0) || x.is_nan())
        };
        if !(0..a.len()).any(stuck) {
            return Ok(());
        }
        let weights = DMatrix::from_iterator(
            a.nrows(),
            a.ncols(),
            (0..a.len()).map(|k| {
                if stuck(k) {
                    1.0 + (k as f64 * 0.618_033_988_749_895).fract()
                } else {
                    0.0
                }
            }),
        );
        let ch = t.children();
        let mut moved = None;
        let seed = reduce_to(weights, exponent.shape(self.values));
        self.backward(ch[1], exponent, Adjoint::Dense(seed), &mut moved)?;
        if moved.is_some_and(|m| m.iter().any(|&d| d != 0.0)) {
            return Err(ExprError::eval(
                "a power with a varying exponent needs a positive base",
                t.span,
            ));
        }
        Ok(())
    }
}

/// C = Bᵐ, given Bᵀ and C̄: B̄ = S(m) = Σ_{i<m} Rⁱ C̄ Rᵐ⁻¹⁻ⁱ with R = Bᵀ.
/// The m terms cost O(m) products; doubling costs O(log m): walking the bits
/// of m from the top, S(2j) = S(j)·Rʲ + Rʲ·S(j) and S(j+1) = S(j)·R + Rʲ·C̄.
fn power_adjoint(bt: &DMatrix<f64>, adj: &DMatrix<f64>, m: u64) -> DMatrix<f64> {
    if m == 0 {
        return DMatrix::zeros(bt.nrows(), bt.ncols());
    }
    // S(1) = C̄, R¹ = R.
    let mut s = adj.clone();
    let mut p = bt.clone();
    for bit in (0..m.ilog2()).rev() {
        let last = bit == 0;
        let one = (m >> bit) & 1 == 1;
        s = &s * &p + &p * &s;
        // Rʲ is needed again only by a later step or by this step's S(j+1).
        if !last || one {
            p = &p * &p;
        }
        if one {
            s = &s * bt + &p * adj;
            if !last {
                p = &p * bt;
            }
        }
    }
    s
}

/// Ā for C = f(A), given C̄ (`adj`) and C's tape (value and `Aux`).
///
/// The trace, sum, transpose and diagonal read only A's shape; the others
/// read A or C, which `needs` has them record.
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
    if let Some(m) = shape_only_adjoint(f, (r, c), adj) {
        return Ok(Adjoint::Dense(m));
    }
    let a = arg.value(values);
    let out = tape.value(values);
    // A⁻ᵀ from the LU the forward pass made (or a new one for a tape without).
    let inv_t = || -> Result<DMatrix<f64>, ExprError> {
        let lu = match &tape.aux {
            Aux::Lu(lu) => lu.clone(),
            _ => Lu::of(a),
        };
        Ok(dense::transpose(&inverse_from(&lu, t.span)?))
    };
    Ok(Adjoint::Dense(match f {
        // ∂det(A)/∂A = det(A) A⁻ᵀ;  ∂log|det A|/∂A = A⁻ᵀ.
        Func::Det => inv_t()? * (g * out[(0, 0)]),
        Func::Logdet => inv_t()? * g,
        // C = A⁻¹: Ā = −Cᵀ C̄ Cᵀ.
        Func::Inv => {
            let left = dense::product(out, true, adj, false);
            -dense::product(&left, false, out, true)
        }
        Func::Norm => {
            let n = out[(0, 0)];
            if n == 0.0 {
                return Err(ExprError::eval(
                    "the norm is not differentiable at zero",
                    t.span,
                ));
            }
            a * (g / n)
        }
        Func::Exp => adj.component_mul(out),
        Func::Log => adj.component_div(a),
        Func::Sqrt => adj.zip_map(out, |g, s| g * 0.5 / s),
        Func::Abs => adj.zip_map(a, |g, x| g * x.signum()),
        Func::Tanh => adj.zip_map(out, |g, y| g * (1.0 - y * y)),
        Func::Sigmoid => adj.zip_map(a, |g, x| {
            let s = sigmoid(x);
            g * s * (1.0 - s)
        }),
        Func::Relu => adj.zip_map(a, |g, x| if x > 0.0 { g } else { 0.0 }),
        // Flat off their kink at 0 (where the draws never put an entry).
        Func::Step | Func::Sign => adj.map(|_| 0.0),
        Func::Softmax => softmax_adjoint(out, adj),
        Func::Tr | Func::Sum | Func::Diag | Func::Transpose | Func::Vec | Func::Mean => {
            unreachable!("shape_only_adjoint")
        }
    }))
}

/// Ā for the functions that read only A's shape (r×c): tr, sum, diag and
/// transpose.
fn shape_only_adjoint(f: Func, (r, c): (usize, usize), adj: &DMatrix<f64>) -> Option<DMatrix<f64>> {
    let g = adj[(0, 0)];
    Some(match f {
        Func::Tr => DMatrix::identity(r, c) * g,
        Func::Sum => DMatrix::from_element(r, c, g),
        Func::Transpose => dense::transpose(adj),
        Func::Vec => kron::unvec(adj, r, c),
        Func::Mean => DMatrix::from_element(r, c, g / (r * c) as f64),
        Func::Diag => {
            if r * c == 1 {
                adj.clone()
            } else if r == 1 || c == 1 {
                // Vector to diagonal matrix: the vector gets the diagonal of C̄.
                DMatrix::from_iterator(r, c, adj.diagonal().iter().copied())
            } else {
                // Square matrix to its diagonal: C̄ goes back onto the diagonal.
                let mut m = DMatrix::zeros(r, c);
                for i in 0..r.min(c) {
                    m[(i, i)] = adj[(i, 0)];
                }
                m
            }
        }
        _ => return None,
    })
}

/// p = softmax(z) per column: z̄ = p ⊙ (p̄ − pᵀp̄). A row vector is one vector.
fn softmax_adjoint(p: &DMatrix<f64>, adj: &DMatrix<f64>) -> DMatrix<f64> {
    if p.nrows() == 1 && p.ncols() > 1 {
        return softmax_adjoint(&p.transpose(), &adj.transpose()).transpose();
    }
    let mut out = DMatrix::zeros(p.nrows(), p.ncols());
    for j in 0..p.ncols() {
        let (pc, gc) = (p.column(j), adj.column(j));
        let dot = pc.dot(&gc);
        for i in 0..p.nrows() {
            out[(i, j)] = pc[i] * (gc[i] - dot);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calculus::tape::record;
    use crate::expr::eval::{Sizes, eval};
    use crate::expr::linalg::random;
    use crate::expr::{Decls, compile};

    /// The gradient of the scalar `f` by the first declared name, and F.
    fn gradient(
        f: &str,
        given: &str,
        sizes: &[(&str, usize)],
        values: &[DMatrix<f64>],
    ) -> (f64, DMatrix<f64>) {
        let decls = Decls::parse(given).unwrap();
        let c = compile(f, Some(&decls)).unwrap();
        let sizes: Sizes = sizes.iter().map(|(k, v)| (k.to_string(), *v)).collect();
        let tape = record(&c.typed, &sizes, values).unwrap();
        let one = DMatrix::from_element(1, 1, 1.0);
        let g = vjp(&c.typed, &tape, values, one, 0, values[0].shape()).unwrap();
        (tape.value(values)[(0, 0)], g)
    }

    fn close(a: &DMatrix<f64>, b: &DMatrix<f64>, tol: f64) -> bool {
        (a - b).amax() <= tol * (1.0 + b.amax())
    }

    /// Central differences of `f` in every entry of the first name.
    fn finite_differences(
        f: &str,
        given: &str,
        sizes: &[(&str, usize)],
        x: &DMatrix<f64>,
    ) -> DMatrix<f64> {
        let decls = Decls::parse(given).unwrap();
        let c = compile(f, Some(&decls)).unwrap();
        let sizes: Sizes = sizes.iter().map(|(k, v)| (k.to_string(), *v)).collect();
        let h = 1e-6;
        DMatrix::from_fn(x.nrows(), x.ncols(), |i, j| {
            let (mut p, mut m) = (x.clone(), x.clone());
            p[(i, j)] += h;
            m[(i, j)] -= h;
            let fp = eval(&c.typed, &sizes, &[p]).unwrap()[(0, 0)];
            let fm = eval(&c.typed, &sizes, &[m]).unwrap()[(0, 0)];
            (fp - fm) / (2.0 * h)
        })
    }

    #[test]
    fn log_sum_exp_is_shift_invariant_and_its_gradient_is_softmax() {
        let x = DMatrix::from_column_slice(4, 1, &[0.3, -1.2, 2.5, 0.9]);
        let (base, g0) = gradient(
            "log(sum(exp(x)))",
            "x: n",
            &[("n", 4)],
            std::slice::from_ref(&x),
        );
        let softmax = crate::expr::eval::softmax(&x);
        assert!(close(&g0, &softmax, 1e-14));
        for shift in [-1000.0, 1000.0] {
            let f = format!("log(sum(exp(x + {shift})))");
            let (v, g) = gradient(&f, "x: n", &[("n", 4)], std::slice::from_ref(&x));
            assert!(
                (v - (base + shift)).abs() <= 1e-12 * shift.abs(),
                "{f}: {v}"
            );
            assert!(close(&g, &softmax, 1e-14), "{f}: {g}");
        }
        // Over all entries of a matrix, inside a larger expression.
        let a = random(3, 1) * 300.0;
        let (_, g) = gradient(
            "2 log(sum(exp(A))) + tr(A)",
            "A: n x n",
            &[("n", 3)],
            std::slice::from_ref(&a),
        );
        let m = a.max();
        let e = a.map(|v| (v - m).exp());
        let want = &e * (2.0 / e.sum()) + DMatrix::identity(3, 3);
        assert!(close(&g, &want, 1e-14));
    }

    #[test]
    fn softmax_adjoint_stays_stable_when_shifted() {
        let x = DMatrix::from_column_slice(3, 1, &[0.5, -0.25, 1.5]);
        let w = "w' softmax(x)";
        let given = "x: n; w: n";
        let wv = DMatrix::from_column_slice(3, 1, &[1.0, -2.0, 0.5]);
        let (_, g0) = gradient(w, given, &[("n", 3)], &[x.clone(), wv.clone()]);
        for shift in [-1000.0, 1000.0] {
            let xs = x.add_scalar(shift);
            let (v, g) = gradient(w, given, &[("n", 3)], &[xs, wv.clone()]);
            assert!(v.is_finite());
            assert!(close(&g, &g0, 1e-13), "{shift}: {g}");
        }
    }

    #[test]
    fn logdet_of_a_large_matrix_and_its_gradient() {
        let a = random(400, 9);
        assert!(
            !a.determinant().is_finite(),
            "det overflows, logdet must not"
        );
        let (v, g) = gradient(
            "logdet(A)",
            "A: n x n",
            &[("n", 400)],
            std::slice::from_ref(&a),
        );
        let lu = a.clone().lu();
        let pivots: f64 = lu.u().diagonal().iter().map(|u| u.abs().ln()).sum();
        assert!((v - pivots).abs() < 1e-9 * pivots.abs(), "{v} vs {pivots}");
        let inv_t = a.try_inverse().unwrap().transpose();
        assert!(close(&g, &inv_t, 1e-9));
    }

    #[test]
    fn det_and_logdet_gradients_match_finite_differences() {
        for n in [2, 3, 5] {
            let a = random(n, 20 + n as u64);
            let sizes = [("n", n)];
            for (f, scale) in [("logdet(A)", 1.0), ("det(A)", a.determinant())] {
                let (_, g) = gradient(f, "A: n x n", &sizes, std::slice::from_ref(&a));
                let fd = finite_differences(f, "A: n x n", &sizes, &a);
                assert!(close(&g, &fd, 1e-7), "{f}, n = {n}");
                let want = a.clone().try_inverse().unwrap().transpose() * scale;
                assert!(close(&g, &want, 1e-12), "{f}, n = {n}");
            }
        }
    }

    /// The old rule: all |k| powers of Bᵀ and the k terms Σᵢ (Bᵀ)ⁱ C̄ (Bᵀ)ᵏ⁻¹⁻ⁱ.
    fn naive_power_adjoint(bt: &DMatrix<f64>, adj: &DMatrix<f64>, m: usize) -> DMatrix<f64> {
        let mut powers = vec![DMatrix::identity(bt.nrows(), bt.ncols())];
        for i in 1..m.max(1) {
            let next = &powers[i - 1] * bt;
            powers.push(next);
        }
        let mut s = DMatrix::zeros(bt.nrows(), bt.ncols());
        for i in 0..m {
            s += &powers[i] * adj * &powers[m - 1 - i];
        }
        s
    }

    #[test]
    fn matrix_power_adjoint_by_doubling_equals_the_sum_of_terms() {
        // Scaled so that B⁶⁴ stays near 1 and the comparison is relative.
        let b = random(5, 3) * 0.4;
        let bt = b.transpose();
        let adj = random(5, 4);
        for m in (0..=9).chain([16, 31, 64]) {
            let want = naive_power_adjoint(&bt, &adj, m);
            let got = power_adjoint(&bt, &adj, m as u64);
            assert!(close(&got, &want, 1e-12), "m = {m}");
        }
    }

    #[test]
    fn matrix_power_gradients_positive_and_negative() {
        let a = random(4, 6) * 0.5 + DMatrix::identity(4, 4);
        let sizes = [("n", 4)];
        for k in [1i64, 2, 3, 7, 9, 64, -1, -2, -5] {
            let f = format!("tr(W A^{k})");
            let w = random(4, 7);
            let (_, g) = gradient(&f, "A: n x n; W: n x n", &sizes, &[a.clone(), w.clone()]);
            // The old rule, through the inverse for a negative power.
            let base = if k < 0 {
                a.clone().try_inverse().unwrap()
            } else {
                a.clone()
            };
            let bt = base.transpose();
            let b_adj = naive_power_adjoint(&bt, &w.transpose(), k.unsigned_abs() as usize);
            let want = if k < 0 { -(&bt * b_adj * &bt) } else { b_adj };
            assert!(close(&g, &want, 1e-10), "k = {k}");
        }
    }

    #[test]
    fn a_random_400_by_400_is_well_conditioned_for_logdet() {
        let decls = Decls::parse("A: n x n").unwrap();
        let c = compile("logdet(A)", Some(&decls)).unwrap();
        let sizes = Sizes::from([("n".to_string(), 400)]);
        for seed in 0..4 {
            let a = random(400, 40 + seed);
            assert!(
                crate::calculus::condition::is_well_conditioned(&c.typed, &sizes, &[a]),
                "seed {seed}"
            );
        }
    }
}
