//! How long the expression language takes on typical answers: parse +
//! shape-check (`compile`), the read-back (`print`), and `Decls::parse`.
//! The goal is parse + shape-check of a typical answer under 5 µs.
//!
//! Run with `cargo bench --bench expressions`; results go in
//! `docs/performance.md`.

use divan::{Bencher, black_box};
use nabla::expr::{Decls, compile, parse, print};

fn main() {
    divan::main();
}

const GIVEN: &str = "A: n x n; x: n; W: m x n; b: m; t: m";

/// Typical answers a student types.
const ANSWERS: &[&str] = &[
    "(A + A')x",
    "x'Ax",
    "W' (W x + b - t)",
    "diag(sigmoid(x) .* (1 - sigmoid(x)))",
];

fn decls() -> Decls {
    Decls::parse(GIVEN).unwrap()
}

/// Parse + shape-check + read-back: what grading an answer starts with.
#[divan::bench(args = ANSWERS)]
fn compile_answer(bencher: Bencher, src: &str) {
    let d = decls();
    bencher.bench_local(|| compile(black_box(src), Some(black_box(&d))).unwrap());
}

/// Parsing alone.
#[divan::bench(args = ANSWERS)]
fn parse_answer(bencher: Bencher, src: &str) {
    let d = decls();
    bencher.bench_local(|| parse(black_box(src), Some(black_box(&d))).unwrap());
}

/// The canonical read-back of an already parsed answer.
#[divan::bench(args = ANSWERS)]
fn print_answer(bencher: Bencher, src: &str) {
    let e = parse(src, Some(&decls())).unwrap();
    bencher.bench_local(|| print(black_box(&e)));
}

/// Declarations as a lesson or `--given` writes them.
#[divan::bench(args = [
    "A: n x n; x: n",
    "A: n x n; x: n; W: m x n; b: m; t: m",
    "S: n x n symmetric; P: n x n spd; y: k onehot; p: k probability; A, B: m x n",
])]
fn parse_declarations(text: &str) -> Decls {
    Decls::parse(black_box(text)).unwrap()
}

/// An error is as cheap as a success: the contract's two examples.
#[divan::bench(args = ["(A + ) x", "x W"])]
fn compile_error(bencher: Bencher, src: &str) {
    let d = decls();
    bencher.bench_local(|| compile(black_box(src), Some(black_box(&d))).unwrap_err());
}
