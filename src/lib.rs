//! nabla: a tutor for matrix calculus. This library is the `nabla` binary's
//! faces on the engine — the command line (`cli`) and the terminal tutor
//! (`tui`) — and re-exports the engine (`nabla-engine`: the expression
//! language, differentiation and grading, lessons and progress), so
//! `nabla::expr`, `nabla::grade` and the rest name the engine's modules.

pub use nabla_engine::*;

pub mod cli;
pub mod tui;
