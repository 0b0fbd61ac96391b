//! The vec convention's three building blocks, as values: the Kronecker
//! product A ⊗ B, vec(A) (the columns stacked, column-major like nalgebra's
//! storage), and the commutation matrix K(m, n) with K·vec(X) = vec(Xᵀ) for
//! X m×n — and the adjoints reverse mode needs of the first two (K is a
//! constant).

use nalgebra::{DMatrix, RealField};

/// A ⊗ B: block (i, j) is Aᵢⱼ·B, so entry (i·p + k, j·q + l) is Aᵢⱼ·Bₖₗ for B p×q.
pub fn kron<T: RealField + Copy>(a: &DMatrix<T>, b: &DMatrix<T>) -> DMatrix<T> {
    let (p, q) = b.shape();
    DMatrix::from_fn(a.nrows() * p, a.ncols() * q, |r, c| {
        a[(r / p, c / q)] * b[(r % p, c % q)]
    })
}

/// vec(A): A's columns, one under the other.
pub fn vec<T: RealField + Copy>(a: &DMatrix<T>) -> DMatrix<T> {
    DMatrix::from_column_slice(a.len(), 1, a.as_slice())
}

/// The (m·n)×(m·n) commutation matrix: row j + i·n has its 1 in column i + j·m.
pub fn commutation<T: RealField + Copy>(m: usize, n: usize) -> DMatrix<T> {
    let mut k = DMatrix::zeros(m * n, m * n);
    for i in 0..m {
        for j in 0..n {
            k[(j + i * n, i + j * m)] = T::one();
        }
    }
    k
}

/// The adjoints of A and B in C = A ⊗ B for the adjoint C̄ of C:
/// Āᵢⱼ = ⟨block (i, j) of C̄, B⟩ and B̄ = Σᵢⱼ Aᵢⱼ·(block (i, j) of C̄).
pub fn kron_adjoints(
    a: &DMatrix<f64>,
    b: &DMatrix<f64>,
    c_bar: &DMatrix<f64>,
) -> (DMatrix<f64>, DMatrix<f64>) {
    let (p, q) = b.shape();
    let mut a_bar = DMatrix::zeros(a.nrows(), a.ncols());
    let mut b_bar = DMatrix::zeros(p, q);
    for j in 0..a.ncols() {
        for i in 0..a.nrows() {
            let block = c_bar.view((i * p, j * q), (p, q));
            a_bar[(i, j)] = block.dot(b);
            b_bar += block * a[(i, j)];
        }
    }
    (a_bar, b_bar)
}

/// The adjoint of A in vec(A): the adjoint column put back in A's shape.
pub fn unvec(v: &DMatrix<f64>, rows: usize, cols: usize) -> DMatrix<f64> {
    DMatrix::from_column_slice(rows, cols, v.as_slice())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(r: usize, c: usize, seed: f64) -> DMatrix<f64> {
        DMatrix::from_fn(r, c, |i, j| ((i * 7 + j * 3) as f64 + seed).sin())
    }

    #[test]
    fn the_vec_trick_holds() {
        // vec(A X B) = (Bᵀ ⊗ A) vec(X), the identity the whole convention rests on.
        let (a, x, b) = (m(2, 3, 0.1), m(3, 4, 0.7), m(4, 5, 1.3));
        let lhs = vec(&(&a * &x * &b));
        let rhs = kron(&b.transpose(), &a) * vec(&x);
        assert!((lhs - rhs).norm() < 1e-12);
    }

    #[test]
    fn the_commutation_matrix_transposes_under_vec() {
        let x = m(3, 5, 0.4);
        let k = commutation::<f64>(3, 5);
        assert!((k * vec(&x) - vec(&x.transpose())).norm() < 1e-12);
        assert_ne!(commutation::<f64>(3, 5), commutation::<f64>(5, 3));
    }

    #[test]
    fn the_kron_adjoints_are_the_transposed_map() {
        // ⟨C̄, dA ⊗ B + A ⊗ dB⟩ = ⟨Ā, dA⟩ + ⟨B̄, dB⟩.
        let (a, b, cb) = (m(2, 3, 0.2), m(4, 2, 0.9), m(8, 6, 1.7));
        let (da, db) = (m(2, 3, 2.1), m(4, 2, 2.9));
        let (ab, bb) = kron_adjoints(&a, &b, &cb);
        let lhs = cb.dot(&(kron(&da, &b) + kron(&a, &db)));
        let rhs = ab.dot(&da) + bb.dot(&db);
        assert!((lhs - rhs).abs() < 1e-12);
    }
}
