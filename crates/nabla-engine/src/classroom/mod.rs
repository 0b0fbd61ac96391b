//! Graded work: assignments, students' submissions and the instructor's
//! re-grading of them. No terminal and no command line here.
//!
//! - [`seed`]: the stable hash (FNV-1a, then SplitMix64) that derives each
//!   student's instances from the assignment's salt and their id, and an
//!   assignment's identity hash.
//! - [`assignment`]: the assignment file (TOML, `docs/authoring.md`),
//!   resolved against a course.
//! - [`key`]: the answer key of one instance of an exercise.
//! - [`submission`]: the file a student hands in — every answer as typed,
//!   in order — written from the progress log and read back with care
//!   (it is untrusted input).
//! - [`gradebook`]: every answer of every submission graded again from
//!   scratch, the attempt rule applied; what the class got wrong most.
//! - [`export`]: the gradebook as CSV, JSON or a Gradescope `results.json`.
//!
//! Marks come only from grading the answers here: a verdict a submission
//! carries (what the student's copy said) is never read for a mark.

pub mod assignment;
#[cfg(feature = "store")]
pub mod collect;
pub mod export;
pub mod gradebook;
pub mod key;
pub mod seed;
pub mod submission;

pub use assignment::{Assignment, Item};
pub use gradebook::{Gradebook, grade_all};
pub use submission::Submission;
