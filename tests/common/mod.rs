//! Shared by the calculus tests: the identities of the tutorial and of The
//! Matrix Cookbook with their textbook derivatives, and a generator of random
//! well-shaped expressions. (Each test crate uses part of it.)
#![allow(dead_code)]

pub mod cli;
pub mod grading;
pub mod tmux;

/// A matrix as the literal a student types: `[a, b; c, d]`.
pub fn literal(m: &nalgebra::DMatrix<f64>) -> String {
    let rows: Vec<String> = (0..m.nrows())
        .map(|i| {
            let row: Vec<String> = m.row(i).iter().map(|v| format!("{v}")).collect();
            row.join(", ")
        })
        .collect();
    format!("[{}]", rows.join("; "))
}

use nabla::sample;
use rand::RngExt;

pub const TUTORIAL: &[(&str, &str, &str, &str)] = &[
    ("a, x: n", "a' x", "x", "a"),                        // identity 1
    ("x: n", "x' x", "x", "2x"),                          // identity 2
    ("A: n x n; x: n", "x' A x", "x", "(A + A') x"),      // identity 3
    ("S: n x n symmetric; x: n", "x' S x", "x", "2 S x"), // its symmetric case
    ("x, a: n", "||x - a||^2", "x", "2(x - a)"),          // identity 4 (L2 loss)
    ("A: m x n; x: n", "A x", "x", "A"),                  // identity 5
    ("A: n x m; x: n", "x' A", "x", "A'"),                // identity 6
    (
        "x: n",
        "sigmoid(x)",
        "x",
        "diag(sigmoid(x) .* (1 - sigmoid(x)))",
    ), // identity 7
    ("A: n x m; X: m x n", "tr(A X)", "X", "A'"),         // identity 8
    ("A, X: m x n", "tr(X' A)", "X", "A"),                // identity 9
    ("X: m x n", "tr(X' X)", "X", "2X"),                  // identity 10
    ("A: p x m; X: m x n; B: n x p", "tr(A X B)", "X", "A' B'"), // identity 11
    ("W: m x n; x: n; b, g: m", "g' (W x + b)", "x", "W' g"), // backprop equation
    ("W: m x n; x: n; b, g: m", "g' (W x + b)", "W", "g x'"), // linear layer, weights
    ("W: m x n; x: n; b, g: m", "g' (W x + b)", "b", "g"), // linear layer, bias
    (
        "x, g: n",
        "g' sigmoid(x)",
        "x",
        "g .* sigmoid(x) .* (1 - sigmoid(x))",
    ), // activation
    ("x, g: n", "g' tanh(x)", "x", "g .* (1 - tanh(x).^2)"),
    (
        "y: n onehot; z: n",
        "-y' log(softmax(z))",
        "z",
        "softmax(z) - y",
    ), // softmax + CE
    (
        "y: n probability; z: n",
        "-y' log(softmax(z))",
        "z",
        "softmax(z) - y",
    ),
    (
        "G: m x p; A: m x n; B: n x p",
        "sum(G .* (A B))",
        "A",
        "G B'",
    ), // matmul backward
    (
        "G: m x p; A: m x n; B: n x p",
        "sum(G .* (A B))",
        "B",
        "A' G",
    ),
    (
        "W: m x n; x: n; b, t: m",
        "0.5 ||W x + b - t||^2",
        "W",
        "(W x + b - t) x'",
    ),
];

pub const COOKBOOK: &[(&str, &str, &str, &str)] = &[
    ("a, x: n", "x' a", "x", "a"),                              // (69)
    ("a: m; b: n; X: m x n", "a' X b", "X", "a b'"),            // (70)
    ("a: n; b: m; X: m x n", "a' X' b", "X", "b a'"),           // (71)
    ("a: n; X: n x n", "a' X a", "X", "a a'"),                  // (72)
    ("b, c: n; X: m x n", "b' X' X c", "X", "X (b c' + c b')"), // (77)
    (
        "B: m x n; b: m; C: m x p; D: p x n; d: p; x: n",
        "(B x + b)' C (D x + d)",
        "x",
        "B' C (D x + d) + D' C' (B x + b)",
    ), // (78)
    ("B: n x n; x: n", "x' B x", "x", "(B + B') x"),            // (81)
    (
        "b, c: n; D: m x m; X: m x n",
        "b' X' D X c",
        "X",
        "D' X b c' + D X c b'",
    ), // (82)
    (
        "b: n; c: m; D: m x m; X: m x n",
        "(X b + c)' D (X b + c)",
        "X",
        "(D + D') (X b + c) b'",
    ), // (83)
    ("X: n x n", "det(X)", "X", "det(X) inv(X)'"),              // (49)
    ("A, B, X: n x n", "det(A X B)", "X", "det(A X B) inv(X)'"), // (50)
    ("X: n x n", "logdet(X)", "X", "inv(X)'"),                  // (57)
    ("X: n x n", "logdet(X' X)", "X", "2 inv(X)'"),             // (55), square X
    (
        "a, b: n; X: n x n",
        "a' inv(X) b",
        "X",
        "-inv(X)' a b' inv(X)'",
    ), // (61)
    ("X: n x n", "tr(X)", "X", "I"),                            // (99)
    ("A: n x m; X: m x n", "tr(X A)", "X", "A'"),               // (100)
    ("A: p x m; X: m x n; B: n x p", "tr(A X B)", "X", "A' B'"), // (101)
    ("A: p x n; X: m x n; B: m x p", "tr(A X' B)", "X", "B A"), // (102)
    ("A, X: m x n", "tr(X' A)", "X", "A"),                      // (103)
    ("X: n x n", "tr(X^2)", "X", "2 X'"),                       // (106)
    ("B, X: n x n", "tr(X^2 B)", "X", "(X B + B X)'"),          // (107)
    ("B: m x m; X: m x n", "tr(X' B X)", "X", "B X + B' X"),    // (108)
    ("B: n x n; X: m x n", "tr(X B X')", "X", "X B' + X B"),    // (110)
    (
        "A: n x m; B: n x m; X: m x n",
        "tr(A X B X)",
        "X",
        "A' X' B' + B' X' A'",
    ), // (111)
    ("X: m x n", "tr(X' X)", "X", "2 X"),                       // (112)
    ("B: m x m; X: m x n", "tr(B X X')", "X", "(B + B') X"),    // (113)
    ("X: n x n", "tr(X^3)", "X", "3 (X^2)'"),                   // (121), k = 3
    (
        "A: n x n; B: n x n; X: n x n",
        "tr(A inv(X) B)",
        "X",
        "-(inv(X) B A inv(X))'",
    ), // (124)
    ("x: n", "norm(x)", "x", "x / norm(x)"),                    // (129) with a = 0
    ("x, a: n", "||x - a||", "x", "(x - a)/||x - a||"),         // (129)
    ("X: m x n", "||X||^2", "X", "2X"),                         // Frobenius norm
    ("A: m x n; x: n; b: m", "A x + b", "x", "A"),              // Jacobian of an affine map
    ("x, a: n", "x .* a", "x", "diag(a)"),                      // Hadamard Jacobian
    ("x: n", "log(sum(exp(x)))", "x", "softmax(x)"),            // log-sum-exp
    ("x: n", "exp(x)", "x", "diag(exp(x))"),
    ("s: scalar; A: m x n", "s A", "s", "A"), // by a scalar
    ("a: n; s: scalar", "s^2 a", "s", "2 s a"), // negative bases under
    ("a: n; s: scalar", "s^3 a", "s", "3 s^2 a"), // whole powers (dual numbers)
    (
        "s: scalar; A: n x n",
        "inv(I + s A)",
        "s",
        "-inv(I + s A) A inv(I + s A)",
    ),
];

pub const GIVEN: &str = "A, B: n x n; C: m x n; x, y: n; z: m; s, t: scalar";

/// A small generator of source text by shape, so every tree is well shaped.
pub struct Gen {
    pub rng: sample::Rng,
}

impl Gen {
    fn pick<'a>(&mut self, options: &[&'a str]) -> &'a str {
        options[self.rng.random_range(0..options.len())]
    }

    pub fn scalar(&mut self, depth: u32) -> String {
        if depth == 0 {
            return self.pick(&["s", "t", "2", "0.5"]).to_string();
        }
        let d = depth - 1;
        match self.rng.random_range(0..11) {
            0 => format!("(({})' {})", self.vector(d), self.vector(d)),
            1 => format!("(tr({}))", self.matrix(d)),
            2 => format!("(sum({}))", self.vector(d)),
            3 => format!("(norm({}))", self.vector(d)),
            4 => format!("(({} + {}))", self.scalar(d), self.scalar(d)),
            5 => format!("(({}) * ({}))", self.scalar(d), self.scalar(d)),
            6 => format!(
                "(({})' ({}) {})",
                self.vector(d),
                self.matrix(d),
                self.vector(d)
            ),
            7 => format!("(tanh({}))", self.scalar(d)),
            8 => format!("(sum({} .* {}))", self.matrix(d), self.matrix(d)),
            9 => format!("(({})^2)", self.scalar(d)),
            _ => format!("(z' ({}) {})", self.rect(d), self.vector(d)),
        }
    }

    pub fn vector(&mut self, depth: u32) -> String {
        if depth == 0 {
            return self.pick(&["x", "y"]).to_string();
        }
        let d = depth - 1;
        match self.rng.random_range(0..9) {
            0 => format!("(({}) {})", self.matrix(d), self.vector(d)),
            1 => format!("(({} + {}))", self.vector(d), self.vector(d)),
            2 => format!("({} .* {})", self.vector(d), self.vector(d)),
            3 => format!("(sigmoid({}))", self.vector(d)),
            4 => format!("(softmax({}))", self.vector(d)),
            5 => format!("(({}) ({}))", self.scalar(d), self.vector(d)),
            6 => format!("(diag({}))", self.matrix(d)),
            7 => format!("(({})' z)", self.rect(d)),
            _ => format!("(exp(0.3 {}))", self.vector(d)),
        }
    }

    pub fn matrix(&mut self, depth: u32) -> String {
        if depth == 0 {
            return self.pick(&["A", "B", "A'", "I(n)"]).to_string();
        }
        let d = depth - 1;
        match self.rng.random_range(0..9) {
            0 => format!("(({}) ({}))", self.matrix(d), self.matrix(d)),
            1 => format!("(({} - {}))", self.matrix(d), self.matrix(d)),
            2 => format!("(({})')", self.matrix(d)),
            3 => format!("(({}) ({})')", self.vector(d), self.vector(d)),
            4 => format!("(diag({}))", self.vector(d)),
            5 => format!("(tanh({}))", self.matrix(d)),
            6 => format!("(inv({} + 4 I))", self.matrix(d)),
            7 => format!("(({})' ({}))", self.rect(d), self.rect(d)),
            _ => format!("(({})^2)", self.matrix(d)),
        }
    }

    /// m×n
    pub fn rect(&mut self, depth: u32) -> String {
        if depth == 0 {
            return "C".to_string();
        }
        let d = depth - 1;
        match self.rng.random_range(0..3) {
            0 => format!("(({}) ({}))", self.rect(d), self.matrix(d)),
            1 => format!("(z ({})')", self.vector(d)),
            _ => "C".to_string(),
        }
    }
}
