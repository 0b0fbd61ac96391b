//! Evaluates a shape-checked expression on concrete sizes and values.
//!
//! Generic over the scalar (`f64`, or a dual number for exact directional
//! derivatives), so one evaluator serves grading and its cross-checks.

use std::collections::HashMap;

use nalgebra::{DMatrix, RealField};

use super::ast::{Fill, Func};
use super::decl::{Dim, Shape};
use super::dense;
use super::error::{ExprError, Span};
use super::linalg::{self, Lu};
use super::logsumexp::{self, Shifted};
pub use super::power::matrix_power;
use super::typed::{ElemOp, Op, Typed};

/// Concrete sizes of the dimension symbols.
pub type Sizes = HashMap<String, usize>;

/// The size a dimension has under `sizes`.
pub fn dim_size(d: &Dim, sizes: &Sizes) -> Option<usize> {
    match d {
        Dim::Lit(n) => Some(*n),
        Dim::Sym(s) => sizes.get(s).copied(),
        Dim::Var(_) => None,
        Dim::Prod(fs) => fs
            .iter()
            .try_fold(1usize, |acc, f| acc.checked_mul(dim_size(f, sizes)?)),
    }
}

pub fn shape_size(s: &Shape, sizes: &Sizes) -> Option<(usize, usize)> {
    Some((dim_size(&s.rows, sizes)?, dim_size(&s.cols, sizes)?))
}

fn c<T: RealField + Copy>(v: f64) -> T {
    nalgebra::convert(v)
}

/// Evaluates `t` with `values[i]` the value of declared name `i`.
pub fn eval<T: RealField + Copy>(
    t: &Typed,
    sizes: &Sizes,
    values: &[DMatrix<T>],
) -> Result<DMatrix<T>, ExprError> {
    eval_node(t, sizes, values)
}

fn size_of(t: &Typed, sizes: &Sizes) -> Result<(usize, usize), ExprError> {
    shape_size(&t.shape, sizes).ok_or_else(|| {
        ExprError::eval(
            format!("no size is known for the shape {}", t.shape),
            t.span,
        )
    })
}

fn eval_node<T: RealField + Copy>(
    t: &Typed,
    sizes: &Sizes,
    values: &[DMatrix<T>],
) -> Result<DMatrix<T>, ExprError> {
    if is_leaf(t) {
        return leaf(t, sizes, values);
    }
    if let Some(nodes) = logsumexp::nodes(t) {
        // Shifted by max(E) (see `logsumexp`).
        let e = eval_node(nodes.arg, sizes, values)?;
        return match Shifted::of(&e) {
            Some(s) => Ok(DMatrix::from_element(1, 1, s.value())),
            None => log_sum_exp_unshifted(t, nodes, e),
        };
    }
    let children = t
        .children()
        .into_iter()
        .map(|c| eval_node(c, sizes, values))
        .collect::<Result<Vec<_>, _>>()?;
    apply(t, children)
}

/// Names, numbers and `I`/`ones`/`zeros`: nodes with no children.
pub fn is_leaf(t: &Typed) -> bool {
    matches!(
        t.op,
        Op::Const(_) | Op::Var(_) | Op::Fill(_) | Op::Commutation(..)
    )
}

/// The value of a leaf node.
pub fn leaf<T: RealField + Copy>(
    t: &Typed,
    sizes: &Sizes,
    values: &[DMatrix<T>],
) -> Result<DMatrix<T>, ExprError> {
    Ok(match &t.op {
        Op::Const(v) => DMatrix::from_element(1, 1, c(*v)),
        Op::Var(i) => {
            let v = values
                .get(*i)
                .ok_or_else(|| ExprError::eval("a value is missing", t.span))?;
            let (r, cl) = size_of(t, sizes)?;
            if v.nrows() != r || v.ncols() != cl {
                return Err(ExprError::eval(
                    format!(
                        "a value is {}×{} but should be {r}×{cl}",
                        v.nrows(),
                        v.ncols()
                    ),
                    t.span,
                ));
            }
            v.clone()
        }
        Op::Fill(fill) => {
            let (r, cl) = size_of(t, sizes)?;
            match fill {
                Fill::Identity => DMatrix::identity(r, cl),
                Fill::Ones => DMatrix::from_element(r, cl, T::one()),
                Fill::Zeros => DMatrix::zeros(r, cl),
            }
        }
        Op::Commutation(m, n) => {
            let size = |d: &Dim| {
                dim_size(d, sizes)
                    .ok_or_else(|| ExprError::eval(format!("no size is known for {d}"), t.span))
            };
            super::kron::commutation(size(m)?, size(n)?)
        }
        _ => return Err(ExprError::eval("not a leaf", t.span)),
    })
}

/// One step of evaluation: the value of an inner node from the values of its
/// children (in the order of `Typed::children`).
pub fn apply<T: RealField + Copy>(t: &Typed, ch: Vec<DMatrix<T>>) -> Result<DMatrix<T>, ExprError> {
    let refs: Vec<&DMatrix<T>> = ch.iter().collect();
    apply_to(t, &refs)
}

/// `apply` on borrowed children: the tape evaluates each node from values it
/// keeps, and copying them (8 MB for a 1024×1024 matrix) would cost more than
/// most of the operations.
pub fn apply_to<T: RealField + Copy>(
    t: &Typed,
    ch: &[&DMatrix<T>],
) -> Result<DMatrix<T>, ExprError> {
    let missing = || ExprError::eval("a value is missing", t.span);
    let first = *ch.first().ok_or_else(missing)?;
    let second = || ch.get(1).copied().ok_or_else(missing);
    Ok(match &t.op {
        Op::Matrix(rows) => {
            let (r, cl) = (rows.len(), rows.first().map_or(0, Vec::len));
            if ch.len() != r * cl {
                return Err(missing());
            }
            DMatrix::from_fn(r, cl, |i, j| ch[i * cl + j][(0, 0)])
        }
        Op::Neg(_) => -first,
        Op::Transpose(_) => dense::transpose_of(first),
        Op::MatMul(..) => {
            let b = second()?;
            if first.ncols() != b.nrows() {
                return Err(ExprError::eval("inner sizes differ", t.span));
            }
            first * b
        }
        Op::Elem(ElemOp::Pow, _, exponent) if exponent.is_constant() => {
            // A fixed whole exponent is a repeated product: exact for negative
            // bases and for dual numbers (whose general power goes through
            // exp(y ln x), undefined for x < 0).
            let y = second()?;
            let whole = y
                .iter()
                .map(|v| v.to_subset())
                .collect::<Option<Vec<f64>>>()
                .filter(|ys| {
                    ys.iter()
                        .all(|v| v.fract() == 0.0 && v.abs() <= f64::from(i32::MAX))
                });
            match whole {
                Some(ys) if ys.len() == 1 => first.map(|x| x.powi(ys[0] as i32)),
                Some(ys) if first.shape() == y.shape() => {
                    let mut out = first.clone();
                    for (o, k) in out.iter_mut().zip(&ys) {
                        *o = o.powi(*k as i32);
                    }
                    out
                }
                _ => elementwise(ElemOp::Pow, first, y, t.span)?,
            }
        }
        Op::Elem(op, ..) => elementwise(*op, first, second()?, t.span)?,
        Op::MatPow(_, k) => {
            if *k < 0 {
                matrix_power(&inverse(first, t.span)?, k.unsigned_abs())
            } else {
                matrix_power(first, k.unsigned_abs())
            }
        }
        Op::Call(f, _) => call(*f, first, t.span)?,
        Op::Kron(..) => super::kron::kron(first, second()?),
        Op::Const(_) | Op::Var(_) | Op::Fill(_) | Op::Commutation(..) => {
            return Err(ExprError::eval("a leaf has no children", t.span));
        }
    })
}

/// Entry by entry, broadcasting a 1×1 side.
pub fn elementwise<T: RealField + Copy>(
    op: ElemOp,
    a: &DMatrix<T>,
    b: &DMatrix<T>,
    span: Span,
) -> Result<DMatrix<T>, ExprError> {
    let f = |x: T, y: T| -> T {
        match op {
            ElemOp::Add => x + y,
            ElemOp::Sub => x - y,
            ElemOp::Mul => x * y,
            ElemOp::Div => x / y,
            ElemOp::Pow => x.powf(y),
        }
    };
    let out = if a.shape() == b.shape() {
        a.zip_map(b, f)
    } else if a.len() == 1 {
        let x = a[(0, 0)];
        b.map(|y| f(x, y))
    } else if b.len() == 1 {
        let y = b[(0, 0)];
        a.map(|x| f(x, y))
    } else {
        return Err(ExprError::eval("shapes differ", span));
    };
    if op == ElemOp::Div && b.iter().any(|y| *y == T::zero()) {
        return Err(ExprError::eval("division by zero", span));
    }
    Ok(out)
}

/// The log-sum-exp `t` (with `nodes`) on the value `e` of its argument,
/// node by node as written: for an argument `Shifted` refuses, so that it
/// gets the plain result (∞, NaN) or the plain error.
pub fn log_sum_exp_unshifted<T: RealField + Copy>(
    t: &Typed,
    nodes: logsumexp::Nodes<'_>,
    e: DMatrix<T>,
) -> Result<DMatrix<T>, ExprError> {
    let exps = apply(nodes.exp, vec![e])?;
    let total = apply(nodes.sum, vec![exps])?;
    apply(t, vec![total])
}

/// A⁻¹ from one LU, refused when A is singular or singular up to rounding
/// (see `Lu::inverse_checked`).
pub fn inverse<T: RealField + Copy>(a: &DMatrix<T>, span: Span) -> Result<DMatrix<T>, ExprError> {
    inverse_from(&Lu::of(a), span)
}

/// A⁻¹ from an LU of A.
pub fn inverse_from<T: RealField + Copy>(lu: &Lu<T>, span: Span) -> Result<DMatrix<T>, ExprError> {
    lu.inverse_checked()
        .cloned()
        .ok_or_else(|| ExprError::eval("the matrix is singular, so it has no inverse", span))
}

/// det A from an LU of A (cofactors up to 3×3: see `linalg::det`).
pub fn det_from<T: RealField + Copy>(lu: &Lu<T>) -> T {
    if lu.dim() <= 3 {
        linalg::det(lu.matrix())
    } else {
        lu.det()
    }
}

/// log|det A| = Σ log|u_ii| from an LU of A, never forming det A (which
/// overflows for a few hundred rows); refused as `inverse` refuses.
pub fn logdet_from<T: RealField + Copy>(lu: &Lu<T>, span: Span) -> Result<T, ExprError> {
    if !lu.is_invertible() {
        return Err(ExprError::eval(
            "the matrix is singular (determinant 0), so logdet is undefined",
            span,
        ));
    }
    Ok(lu.log_abs_det().1)
}

pub fn sigmoid<T: RealField + Copy>(x: T) -> T {
    T::one() / (T::one() + (-x).exp())
}

/// Softmax of a vector, or of each column of a matrix (a row vector counts
/// as a vector). Shifted by the maximum so large entries do not overflow.
pub fn softmax<T: RealField + Copy>(a: &DMatrix<T>) -> DMatrix<T> {
    if a.nrows() == 1 && a.ncols() > 1 {
        return softmax(&a.transpose()).transpose();
    }
    let mut out = a.clone();
    for mut col in out.column_iter_mut() {
        let max = col
            .iter()
            .copied()
            .fold(col[0], |m, x| if x > m { x } else { m });
        col.apply(|x| *x = (*x - max).exp());
        let total = col.sum();
        col.apply(|x| *x /= total);
    }
    out
}

fn call<T: RealField + Copy>(f: Func, a: &DMatrix<T>, span: Span) -> Result<DMatrix<T>, ExprError> {
    let scalar = |v: T| DMatrix::from_element(1, 1, v);
    Ok(match f {
        Func::Tr => scalar(a.trace()),
        Func::Det => scalar(linalg::det(a)),
        Func::Logdet => scalar(logdet_from(&Lu::of(a), span)?),
        Func::Inv => inverse(a, span)?,
        Func::Diag => {
            if a.len() == 1 {
                a.clone()
            } else if a.ncols() == 1 || a.nrows() == 1 {
                let v: Vec<T> = a.iter().copied().collect();
                DMatrix::from_diagonal(&nalgebra::DVector::from_vec(v))
            } else {
                DMatrix::from_iterator(a.nrows(), 1, a.diagonal().iter().copied())
            }
        }
        Func::Sum => scalar(a.sum()),
        Func::Vec => super::kron::vec(a),
        // Lowered to sum(A)/sum(ones) by the shape check; kept for completeness.
        Func::Mean => scalar(a.sum() / c(a.len() as f64)),
        Func::Norm => scalar(a.norm()),
        Func::Exp => a.map(|x| x.exp()),
        Func::Log => {
            if a.iter().any(|x| *x <= T::zero()) {
                return Err(ExprError::eval(
                    "log of an entry that is not positive",
                    span,
                ));
            }
            a.map(|x| x.ln())
        }
        Func::Sqrt => {
            if a.iter().any(|x| *x < T::zero()) {
                return Err(ExprError::eval("sqrt of a negative entry", span));
            }
            a.map(|x| x.sqrt())
        }
        Func::Abs => a.map(|x| x.abs()),
        Func::Tanh => a.map(|x| x.tanh()),
        Func::Sigmoid => a.map(sigmoid),
        Func::Relu => a.map(|x| if x > T::zero() { x } else { T::zero() }),
        // Constant between kinks: a dual number's derivative part is 0.
        Func::Step => a.map(|x| if x > T::zero() { T::one() } else { T::zero() }),
        Func::Sign => a.map(|x| {
            if x > T::zero() {
                T::one()
            } else if x < T::zero() {
                -T::one()
            } else {
                T::zero()
            }
        }),
        Func::Softmax => softmax(a),
        Func::Transpose => dense::transpose_of(a),
    })
}
