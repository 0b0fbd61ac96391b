//! The file a student hands in: JSON with the nabla version that wrote it,
//! the assignment's hash, the student's id, and for each exercise the seed
//! of their instance and every answer as typed, in order. Documented in
//! `docs/classroom.md`.
//!
//! On the instructor's machine a submission is untrusted: it is read with a
//! size limit, and one that cannot be read, is for another assignment or
//! comes from a newer nabla is a [`Problem`] with the reason, never skipped
//! in silence. The `verdict` of each answer is what the student's copy
//! said; it is kept for the student's record and never read for a mark.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::assignment::{Assignment, check_student};
use crate::file::{LESSON_FILE_LIMIT, read_regular};

/// The newest submission format this build reads and the one it writes.
pub const FORMAT: u32 = 1;

/// The largest submission file read (a class's are read one after another).
pub const FILE_LIMIT: u64 = LESSON_FILE_LIMIT;

/// This build's version, as written in submissions.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Submission {
    /// The submission format.
    pub nabla_submission: u32,
    pub nabla_version: String,
    /// [`Assignment::hash`] of the assignment it answers.
    pub assignment: String,
    #[serde(default)]
    pub title: String,
    pub student: String,
    /// When it was written, seconds since 1970 (for the record only).
    #[serde(default)]
    pub written_at: Option<i64>,
    pub exercises: Vec<Answers>,
}

/// A student's answers to one exercise.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Answers {
    pub id: String,
    /// The seed the student's copy used (the grader derives its own).
    pub seed: u64,
    pub answers: Vec<Answer>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    /// As typed.
    pub answer: String,
    /// The backprop step, from 1; absent for other kinds.
    #[serde(default)]
    pub step: Option<u32>,
    /// When, seconds since 1970.
    #[serde(default)]
    pub at: Option<i64>,
    /// What the student's copy said: never used for a mark.
    #[serde(default)]
    pub verdict: Option<String>,
}

/// A submission that is not graded, and why (it is given 0).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Problem {
    pub file: String,
    /// The student, when the file said who.
    pub student: Option<String>,
    pub reason: String,
}

impl Submission {
    /// An empty submission of `student` to `a`.
    pub fn new(a: &Assignment, student: &str) -> Submission {
        Submission {
            nabla_submission: FORMAT,
            nabla_version: VERSION.to_string(),
            assignment: a.hash.clone(),
            title: a.title.clone(),
            student: student.to_string(),
            written_at: None,
            exercises: Vec::new(),
        }
    }

    /// The answers to exercise `id`.
    pub fn answers(&self, id: &str) -> &[Answer] {
        self.exercises
            .iter()
            .find(|e| e.id == id)
            .map_or(&[], |e| e.answers.as_slice())
    }

    /// Pretty JSON, as written to the file.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a submission is plain data")
    }
}

/// Reads the submission at `path` and checks that it answers `a`.
pub fn read(path: &Path, a: &Assignment) -> Result<Submission, Problem> {
    let file = path.display().to_string();
    let problem = |student: Option<String>, reason: String| Problem {
        file: file.clone(),
        student,
        reason,
    };
    let bytes = read_regular(path, FILE_LIMIT)
        .map_err(|e| problem(None, format!("cannot be read: {e}")))?;
    parse(&bytes, a).map_err(|(student, reason)| problem(student, reason))
}

/// `read` of bytes: the error is (the student if known, the reason).
pub fn parse(bytes: &[u8], a: &Assignment) -> Result<Submission, (Option<String>, String)> {
    // The version and the assignment first, so a newer file is refused for
    // what it is, not for a field this nabla does not know.
    let head: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| (None, format!("not a submission: not JSON ({e})")))?;
    let student = head
        .get("student")
        .and_then(|s| s.as_str())
        .filter(|s| check_student(s).is_ok())
        .map(str::to_string);
    let fail = |reason: String| (student.clone(), reason);
    let format = head
        .get("nabla_submission")
        .and_then(serde_json::Value::as_u64)
        .ok_or_else(|| fail("not a submission: no `nabla_submission` format number".into()))?;
    if format > u64::from(FORMAT) {
        return Err(fail(format!(
            "written in submission format {format}, newer than this nabla reads ({FORMAT}): grade it with a newer nabla"
        )));
    }
    if let Some(v) = head.get("nabla_version").and_then(|v| v.as_str())
        && newer(v, VERSION)
    {
        return Err(fail(format!(
            "written by nabla {v}, newer than this nabla ({VERSION}): grade it with nabla {v} or later"
        )));
    }
    let s: Submission =
        serde_json::from_value(head).map_err(|e| fail(format!("not a submission: {e}")))?;
    if s.assignment != a.hash {
        return Err(fail(format!(
            "for another assignment (its hash is {}, this assignment's is {}): was it made from this assignment file?",
            crate::text::sanitize(&s.assignment.chars().take(40).collect::<String>()),
            a.hash
        )));
    }
    check_student(&s.student).map_err(|e| (None, e))?;
    Ok(s)
}

/// Whether version `a` is newer than `b` (`MAJOR.MINOR.PATCH`, a
/// pre-release suffix ignored); a version that does not read is not newer.
pub fn newer(a: &str, b: &str) -> bool {
    let parts = |v: &str| -> Option<Vec<u64>> {
        let core = v.split(['-', '+']).next()?;
        core.split('.').map(|p| p.parse().ok()).collect()
    };
    match (parts(a), parts(b)) {
        (Some(a), Some(b)) => a > b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::load::builtin;

    fn hw() -> Assignment {
        let text = "format = 1\ntitle = \"HW\"\nsalt = \"s\"\n[[exercise]]\nid = \"scalar-by-vector/quadratic-form\"\n";
        Assignment::parse(text, &builtin()).unwrap()
    }

    #[test]
    fn a_submission_reads_back_as_written() {
        let a = hw();
        let mut s = Submission::new(&a, "alice");
        s.exercises.push(Answers {
            id: a.items[0].id.clone(),
            seed: a.seed("alice", &a.items[0].id),
            answers: vec![Answer {
                answer: "(A + A')x".into(),
                step: None,
                at: Some(5),
                verdict: Some("correct".into()),
            }],
        });
        assert_eq!(parse(s.to_json().as_bytes(), &a).unwrap(), s);
    }

    #[test]
    fn broken_submissions_say_why() {
        let a = hw();
        let good = Submission::new(&a, "bob");
        let why = |text: String| parse(text.as_bytes(), &a).unwrap_err();
        assert!(why("{".into()).1.contains("not JSON"));
        let other = good.to_json().replace(&a.hash, "0123456789abcdef");
        assert_eq!(why(other.clone()).0.as_deref(), Some("bob"));
        assert!(why(other).1.contains("another assignment"));
        let newer_nabla = good
            .to_json()
            .replace(&format!("\"{VERSION}\""), "\"99.0.0\"");
        assert!(why(newer_nabla).1.contains("newer than this nabla"));
        let newer_format = good
            .to_json()
            .replace("\"nabla_submission\": 1", "\"nabla_submission\": 2");
        assert!(why(newer_format).1.contains("format 2"));
        let bad_student = good.to_json().replace("\"bob\"", "\"../../etc\"");
        assert!(why(bad_student).1.contains("not a student id"));
    }

    #[test]
    fn versions_compare_by_number() {
        assert!(newer("0.10.0", "0.9.9"));
        assert!(!newer("0.1.0", "0.1.0"));
        assert!(!newer("0.1.0-rc1", "0.1.0"));
        assert!(!newer("banana", "0.1.0"));
    }
}
