//! Limits that keep hostile input cheap. Every lesson and every sensible answer
//! fits far inside them; anything beyond is refused with a clear error before
//! any expensive work (or deep recursion) happens.

/// Longest expression accepted, in characters.
pub const MAX_EXPR_CHARS: usize = 4_000;
/// Deepest nesting of parentheses, brackets, norms, calls and unary minus.
/// The parser recurses once per level, and an unoptimised (debug) build
/// spends up to ~16 kB of stack per level: 64 levels stay near 1 MB, half of
/// the 2 MiB a spawned thread (a test, a worker) gets.
pub const MAX_NESTING: usize = 256;
/// Deepest expression tree (also bounds long operator chains), so every
/// recursive walk over a tree stays well inside a thread's stack: shape
/// checking costs up to ~9 kB per level in a debug build, so 128 levels stay
/// near 1.1 MB of a spawned thread's 2 MiB.
pub const MAX_TREE_DEPTH: usize = 512;
/// Largest integer dimension, in `A: 3 x 4`, `I(5)`, `ones(m, 7)`.
pub const MAX_DIM: usize = 2_048;
/// Largest |k| in a matrix power `A^k`.
pub const MAX_MATRIX_POWER: i64 = 64;
/// Longest declaration text.
pub const MAX_DECL_CHARS: usize = 4_000;
/// Most names in one declaration text.
pub const MAX_DECLS: usize = 64;
