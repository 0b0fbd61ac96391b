//! The engine of nabla, a tutor for matrix calculus: everything that is not
//! a terminal or a command line.
//!
//! - [`expr`]: the expression language — lexing, parsing, shapes checked
//!   against declarations (`A: n x n; x: n`), printing and evaluation on
//!   dense matrices.
//! - [`calculus`]: derivatives of an expression with respect to a variable —
//!   symbolic (with steps and simplification), forward and reverse mode, and
//!   finite differences — in numerator or denominator layout.
//! - [`grade`]: an answer compared with the derivative on sampled values
//!   ([`sample`]), with a verdict and a diagnosis of what is wrong.
//! - [`lesson`]: the course — lesson files (TOML), the built-in course
//!   embedded at build time, exercises, their seeded instances, grading and
//!   lint.
//! - [`progress`]: the learner's record and review schedule, stored
//!   atomically in a file.
//! - [`render`]: lesson text (Markdown and LaTeX) laid out as plain styled
//!   text, for whichever front end draws it.
//! - [`classroom`]: assignments, students' submissions and the class
//!   re-graded from its answers, with answer keys and gradebook exports.
//! - [`report`]: the JSON contract (`docs/json.md`) — every result and
//!   failure of the scriptable commands as one versioned object, for the
//!   command line's `--json` and the Python package alike.
//! - [`text`]: the one sanitiser every string from a lesson or a user
//!   passes through before it is shown, and long lines cut for messages.
//! - [`file`]: bounded reads of regular files only (lesson and progress
//!   files).
//! - [`cancel`]: giving up on a grading in flight (the tutor's Esc).
//! - [`parallel`], [`allocator`]: process-wide settings a program using the
//!   engine may opt into (products on every core, freed memory kept).
//!
//! The engine draws nothing and prints nothing: every result, message and
//! error is returned as a value, and the front ends — the `nabla` binary's
//! command line and tutor — decide what to show. It depends on no terminal
//! or command-line crate.

pub mod allocator;
pub mod calculus;
pub mod cancel;
pub mod classroom;
pub mod expr;
pub mod file;
pub mod grade;
pub mod lesson;
pub mod parallel;
pub mod progress;
pub mod render;
pub mod report;
pub mod sample;
pub mod text;
