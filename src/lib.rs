//! nabla: a tutor for matrix calculus. This library is the engine — the
//! expression language, differentiation and grading, lessons and progress —
//! and knows nothing of terminals; the `nabla` binary puts faces on it.

pub mod allocator;
pub mod calculus;
pub mod expr;
pub mod grade;
pub mod lesson;
pub mod parallel;
pub mod progress;
pub mod render;
pub mod sample;
