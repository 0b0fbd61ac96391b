//! Dense linear algebra behind det, logdet, inv and condition checks
//! (`nabla::expr::linalg`), against nalgebra's own routines, at a tutor size
//! and at the largest sizes nabla accepts.
//!
//! Run: `cargo bench --bench linalg` (results in docs/performance.md,
//! "Stable evaluation").

use divan::{Bencher, black_box};
use nabla::expr::linalg::Lu;
use nalgebra::DMatrix;

fn main() {
    divan::main();
}

const SIZES: &[usize] = &[6, 400, 2048];

/// Entries like the grader's: magnitudes in [0.25, 1.5), either sign.
fn matrix(n: usize) -> DMatrix<f64> {
    let mut s: u64 = 0x2545_f491_4f6c_dd1d;
    DMatrix::from_fn(n, n, |_, _| {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        let m = 0.25 + 1.25 * ((s >> 11) as f64 / (1u64 << 53) as f64);
        if s & 2 == 0 { m } else { -m }
    })
}

#[divan::bench(args = SIZES, sample_count = 5, sample_size = 1)]
fn lu_blocked(b: Bencher, n: usize) {
    let a = matrix(n);
    b.bench_local(|| Lu::new(black_box(a.clone())));
}

#[divan::bench(args = SIZES, sample_count = 5, sample_size = 1)]
fn lu_nalgebra(b: Bencher, n: usize) {
    let a = matrix(n);
    b.bench_local(|| black_box(a.clone()).lu());
}

#[divan::bench(args = SIZES, sample_count = 5, sample_size = 1)]
fn inverse_from_lu(b: Bencher, n: usize) {
    let lu = Lu::new(matrix(n));
    b.bench_local(|| black_box(&lu).inverse());
}

/// What `Lu::of` saves: a hit compares the matrix with the remembered one.
#[divan::bench(args = SIZES, sample_count = 5, sample_size = 1)]
fn lu_remembered(b: Bencher, n: usize) {
    let a = matrix(n);
    Lu::of(&a);
    b.bench_local(|| Lu::of(black_box(&a)));
}

#[divan::bench(args = SIZES, sample_count = 5, sample_size = 1)]
fn try_inverse_nalgebra(b: Bencher, n: usize) {
    let a = matrix(n);
    b.bench_local(|| black_box(a.clone()).try_inverse());
}

/// The condition estimate's extra cost over the LU: 16 solves and A·Y.
#[divan::bench(args = SIZES, sample_count = 5, sample_size = 1)]
fn probe(b: Bencher, n: usize) {
    let a = matrix(n);
    // The probe is kept once computed: a fresh factorisation per sample.
    b.with_inputs(|| Lu::new(a.clone()))
        .bench_local_values(|lu| lu.probe());
}

#[divan::bench(args = SIZES, sample_count = 5, sample_size = 1)]
fn matmul(b: Bencher, n: usize) {
    let a = matrix(n);
    b.bench_local(|| black_box(&a) * black_box(&a));
}
