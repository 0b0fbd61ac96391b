//! Products and transposes of large `f64` matrices at full speed.
//!
//! `product` multiplies op(A)·op(B), op a transpose or not, by handing
//! `matrixmultiply` the operands' strides, so a transposed operand is never
//! copied (nalgebra's `tr_mul`/`mul_tr` run at a sixth of gemm's speed, and
//! `a.transpose() * b` first writes a transposed copy). `transpose` copies
//! in cache-sized tiles, where a plain loop strides through memory on every
//! write (at 1024×1024 that is several times slower).

use std::any::Any;

use nalgebra::{DMatrix, RealField};

/// Below this many multiply-adds nalgebra's own loops are as fast.
const SMALL_WORK: usize = 32 * 32 * 32;

/// Up to this many multiply-adds (every tutor-size product) the loops of
/// `tiny_product` run: no copies for a transpose, and no call into
/// matrixmultiply, whose first call probes the CPU's features with a dozen
/// `cpuid`s (~65 µs on a virtual machine, where each one exits to the host),
/// a tenth of a whole tutor-size `nabla check`.
const TINY_WORK: usize = 16 * 16 * 16;

/// Tile side of `transpose`: two 32×32 tiles of f64 fit in L1 comfortably.
const TILE: usize = 32;

/// op(a)·op(b), with op(x) = xᵀ where `at` (resp. `bt`) is set.
pub fn product(a: &DMatrix<f64>, at: bool, b: &DMatrix<f64>, bt: bool) -> DMatrix<f64> {
    let (m, k) = if at {
        (a.ncols(), a.nrows())
    } else {
        a.shape()
    };
    let (k2, n) = if bt {
        (b.ncols(), b.nrows())
    } else {
        b.shape()
    };
    assert_eq!(k, k2, "product: inner sizes differ");
    if m.min(n) <= THIN && a.len().max(b.len()) > THIN_COPY {
        return thin_product(a, at, false, b, bt, false);
    }
    if m * k * n <= TINY_WORK {
        return tiny_product(a, at, b, bt, (m, k, n));
    }
    if m * k * n <= SMALL_WORK || m.min(n).min(k) <= 5 {
        let a = if at { transpose(a) } else { a.clone() };
        return if bt { a * transpose(b) } else { a * b };
    }
    let mut c = DMatrix::zeros(m, n);
    // Column-major: entry (i, j) of x is at i + j·rows. Transposing swaps the
    // row and column strides.
    let strides = |x: &DMatrix<f64>, t: bool| {
        let (rs, cs) = (1isize, x.nrows() as isize);
        if t { (cs, rs) } else { (rs, cs) }
    };
    let (rsa, csa) = strides(a, at);
    let (rsb, csb) = strides(b, bt);
    // SAFETY: the pointers are to matrices of the sizes and strides given
    // (checked above: op(a) is m×k, op(b) k×n, c m×n, column-major), c does
    // not alias a or b, and all three outlive the call.
    unsafe {
        matrixmultiply::dgemm(
            m,
            k,
            n,
            1.0,
            a.as_ptr(),
            rsa,
            csa,
            b.as_ptr(),
            rsb,
            csb,
            0.0,
            c.as_mut_ptr(),
            1,
            m as isize,
        );
    }
    c
}

/// op(a)·op(b) by plain loops, column by column of the result (C's column j
/// is Σₗ op(a)'s column l times op(b)ₗⱼ, the order nalgebra's small loops
/// use).
fn tiny_product(
    a: &DMatrix<f64>,
    at: bool,
    b: &DMatrix<f64>,
    bt: bool,
    (m, k, n): (usize, usize, usize),
) -> DMatrix<f64> {
    let a_at = |i: usize, l: usize| if at { a[(l, i)] } else { a[(i, l)] };
    let b_at = |l: usize, j: usize| if bt { b[(j, l)] } else { b[(l, j)] };
    let mut c = DMatrix::zeros(m, n);
    for j in 0..n {
        for l in 0..k {
            let blj = b_at(l, j);
            for i in 0..m {
                c[(i, j)] += a_at(i, l) * blj;
            }
        }
    }
    c
}

/// A product is thin when its result has at most this many rows or columns.
pub const THIN: usize = 16;

/// Up to this many entries an operand of a thin product may be copied
/// (transposed, or its absolute values taken); a larger one is read in place.
const THIN_COPY: usize = 1 << 14;

/// op(a)·op(b) where the result is thin (at most `THIN` rows or columns),
/// without copying the large operand: |x| is taken entry by entry as it is
/// read where `a_abs`/`b_abs` is set, and a transposed operand is read
/// column by column in place — what the magnitudes of `rounding` need of a
/// matrix times a vector, at the cost of the plain product.
pub fn thin_product(
    a: &DMatrix<f64>,
    at: bool,
    a_abs: bool,
    b: &DMatrix<f64>,
    bt: bool,
    b_abs: bool,
) -> DMatrix<f64> {
    let m = if at { a.ncols() } else { a.nrows() };
    let n = if bt { b.nrows() } else { b.ncols() };
    if n > THIN && m <= THIN {
        // (op(a)·op(b))ᵀ = op(b)ᵀ·op(a)ᵀ: the large operand goes on the left.
        return thin_product(b, !bt, b_abs, a, !at, a_abs).transpose();
    }
    // The thin right operand, as op(b) with |·| applied: k×n, n small.
    let mut right = if bt { b.transpose() } else { b.clone() };
    if b_abs {
        right.apply(|x| *x = x.abs());
    }
    let entry = |x: f64| if a_abs { x.abs() } else { x };
    let (r, c) = a.shape();
    let mut out = DMatrix::zeros(m, n);
    for j in 0..n {
        let v = right.column(j);
        let mut o = out.column_mut(j);
        if at {
            // op(a) = aᵀ: entry i is column i of a dotted with v.
            for i in 0..c {
                let col = &a.as_slice()[i * r..(i + 1) * r];
                o[i] = col.iter().zip(v.iter()).map(|(x, y)| entry(*x) * y).sum();
            }
        } else {
            // a·v: a sum of a's columns, each read once, in order.
            for kk in 0..c {
                let w = v[kk];
                let col = &a.as_slice()[kk * r..(kk + 1) * r];
                for (o, x) in o.iter_mut().zip(col) {
                    *o += entry(*x) * w;
                }
            }
        }
    }
    out
}

/// aᵀ, copied tile by tile.
pub fn transpose(a: &DMatrix<f64>) -> DMatrix<f64> {
    let (r, c) = a.shape();
    if r * c <= TILE * TILE || r == 1 || c == 1 {
        return a.transpose();
    }
    let src = a.as_slice();
    let mut out = vec![0.0; r * c];
    // out is c×r column-major: column i of out is row i of a, at i·c.
    for j0 in (0..c).step_by(TILE) {
        let j1 = (j0 + TILE).min(c);
        let block = &src[j0 * r..j1 * r];
        for i0 in (0..r).step_by(TILE) {
            let i1 = (i0 + TILE).min(r);
            for i in i0..i1 {
                let dst = &mut out[i * c + j0..i * c + j1];
                for (d, col) in dst.iter_mut().zip(block.chunks_exact(r)) {
                    *d = col[i];
                }
            }
        }
    }
    DMatrix::from_vec(c, r, out)
}

/// aᵀ for any scalar: tiled for `f64` (the evaluator is generic over dual
/// numbers too, whose matrices are small).
pub fn transpose_of<T: RealField + Copy>(a: &DMatrix<T>) -> DMatrix<T> {
    if let Some(a64) = (a as &dyn Any).downcast_ref::<DMatrix<f64>>() {
        // T is f64 here; the downcast only tells the compiler so.
        let t: Box<dyn Any> = Box::new(transpose(a64));
        if let Ok(t) = t.downcast::<DMatrix<T>>() {
            return *t;
        }
    }
    a.transpose()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::linalg::random;

    #[test]
    fn products_with_transposes_match_nalgebra() {
        for (m, k, n) in [
            (3, 4, 2),
            (1, 5, 1),
            (7, 6, 7),
            (16, 16, 16),
            (17, 16, 16),
            (40, 37, 45),
            (70, 64, 1),
            (130, 90, 70),
        ] {
            let a = random(m, 1).resize(m, k, 0.5);
            let b = random(k, 2).resize(k, n, -0.25);
            let want = &a * &b;
            let close = |x: &DMatrix<f64>| (x - &want).amax() <= 1e-12 * (1.0 + want.amax());
            assert!(close(&product(&a, false, &b, false)));
            let (at, bt) = (a.transpose(), b.transpose());
            assert!(close(&product(&at, true, &b, false)));
            assert!(close(&product(&a, false, &bt, true)));
            assert!(close(&product(&at, true, &bt, true)));
        }
    }

    #[test]
    fn thin_products_match_nalgebra_with_and_without_absolute_values() {
        for (m, k, n) in [(1, 300, 200), (200, 300, 1), (3, 150, 140), (150, 140, 16)] {
            let a = random(m.max(k), 4).resize(m, k, -0.5);
            let b = random(k.max(n), 5).resize(k, n, 0.75);
            for abs in [false, true] {
                let (x, y) = if abs {
                    (a.abs(), b.abs())
                } else {
                    (a.clone(), b.clone())
                };
                let want = &x * &y;
                let close =
                    |got: &DMatrix<f64>| (got - &want).amax() <= 1e-12 * (1.0 + want.amax());
                let (at, bt) = (a.transpose(), b.transpose());
                assert!(close(&thin_product(&a, false, abs, &b, false, abs)));
                assert!(close(&thin_product(&at, true, abs, &b, false, abs)));
                assert!(close(&thin_product(&a, false, abs, &bt, true, abs)));
                assert!(close(&thin_product(&at, true, abs, &bt, true, abs)));
            }
        }
    }

    #[test]
    fn tiled_transpose_matches_nalgebra() {
        for (r, c) in [(1, 5), (5, 1), (33, 70), (100, 64), (257, 3)] {
            let a = random(r, 3).resize(r, c, 1.5);
            assert_eq!(transpose(&a), a.transpose());
        }
    }
}
