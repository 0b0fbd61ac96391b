//! Lessons: the file format (`schema`), loading a course (`load`), exercises
//! as problems (`exercise`, `backprop`), generated instances (`instance`,
//! which must tell the answer from the mistakes: `separate`),
//! grading by kind (`grading`), feedback in steps after wrong answers
//! (`coaching`), what each kind reads an answer as
//! before grading (`kinds`), the length of each text field (`limits`),
//! and the instructor's checks (`lint`, and its warnings about unseen
//! characters: `characters`). Values
//! keep the byte range they were read from (`spanned`), also in the built-in
//! course, which `build.rs` stores pre-parsed.
//!
//! Engine code: uses `expr`, `calculus`, `grade`, `sample` and `render`
//! (to check math), never the terminal.

pub mod backprop;
pub mod characters;
pub mod coaching;
pub mod exercise;
pub mod grading;
pub mod instance;
pub mod kinds;
pub mod limits;
pub mod lint;
pub mod load;
pub mod schema;
pub mod separate;
pub mod skeleton;
pub mod source;
pub mod spanned;
pub mod worked;

pub use load::{Course, Lesson};
pub use schema::Kind;
pub use source::{LessonError, SourceFile};
