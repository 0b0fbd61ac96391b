//! The assignment file: a title, the exercises (by id, or every exercise
//! of a lesson), the attempts allowed, the points of each exercise and a
//! salt. Written by the instructor, read by students' copies and by the
//! grader, so it is parsed strictly (an unknown field is an error) and
//! resolved against the course: an exercise that is not there is an error
//! naming it, never a silently shorter assignment.

use std::path::Path;

use serde::Deserialize;

use super::seed::{fnv1a, hex, mix, student_seed};
use crate::file::{LESSON_FILE_LIMIT, read_regular};
use crate::lesson::exercise::{Located, find};
use crate::lesson::load::Course;

/// The newest assignment format this build reads.
pub const FORMAT: i64 = 1;

/// The most exercises one assignment may list (each is graded per answer
/// for every student: this bounds the grader's work).
pub const MAX_EXERCISES: usize = 200;

/// The most answers of one exercise (or one backprop step) that may count.
pub const MAX_ATTEMPTS: u32 = 100;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    format: i64,
    title: String,
    salt: String,
    #[serde(default = "default_attempts")]
    attempts: u32,
    #[serde(default = "default_points")]
    points: f64,
    #[serde(rename = "exercise", default)]
    exercises: Vec<Entry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    id: Option<String>,
    lesson: Option<String>,
    points: Option<f64>,
}

fn default_attempts() -> u32 {
    3
}

fn default_points() -> f64 {
    1.0
}

/// One exercise of the assignment.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    /// `LESSON/EXERCISE`.
    pub id: String,
    pub points: f64,
}

/// An assignment, resolved against a course.
#[derive(Clone, Debug)]
pub struct Assignment {
    pub title: String,
    pub salt: String,
    /// How many answers of each exercise count (of each step, for backprop).
    pub attempts: u32,
    pub items: Vec<Item>,
    /// Identifies the assignment in submissions: a hash of what grading
    /// depends on (salt, attempts, the exercises and their points), not of
    /// the file's bytes, so a comment edited after handing out is harmless.
    pub hash: String,
}

impl Assignment {
    /// Reads and resolves the assignment file at `path`.
    pub fn read(path: &Path, course: &Course) -> Result<Assignment, String> {
        let bytes = read_regular(path, LESSON_FILE_LIMIT)
            .map_err(|e| format!("{}: cannot read the assignment: {e}", path.display()))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| format!("{}: the assignment is not UTF-8 text", path.display()))?;
        Assignment::parse(&text, course).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Parses and resolves assignment text.
    pub fn parse(text: &str, course: &Course) -> Result<Assignment, String> {
        let f: File = toml::from_str(text).map_err(|e| {
            let at = e.span().map_or(0, |s| s.start);
            let line = text[..at.min(text.len())].matches('\n').count() + 1;
            format!("line {line}: {}", e.message().trim())
        })?;
        if f.format > FORMAT {
            return Err(format!(
                "this assignment is written in format {}, but this nabla reads format {FORMAT} at most: update nabla",
                f.format
            ));
        }
        if f.format < 1 {
            return Err(format!(
                "format {} does not exist; write `format = 1`",
                f.format
            ));
        }
        if f.title.trim().is_empty() {
            return Err("`title` is empty".into());
        }
        if f.salt.trim().is_empty() {
            return Err("`salt` is empty: choose a phrase of your own for each assignment (it makes each student's numbers)".into());
        }
        if !(1..=MAX_ATTEMPTS).contains(&f.attempts) {
            return Err(format!(
                "`attempts` must be 1 to {MAX_ATTEMPTS}, not {}",
                f.attempts
            ));
        }
        check_points(f.points, "`points`")?;
        let mut items: Vec<Item> = Vec::new();
        for (n, e) in f.exercises.iter().enumerate() {
            let which = format!("exercise {} of the assignment", n + 1);
            let points = e.points.unwrap_or(f.points);
            check_points(points, &format!("{which}: `points`"))?;
            let ids = match (&e.id, &e.lesson) {
                (Some(id), None) => {
                    vec![find(course, id).map_err(|m| format!("{which}: {m}"))?.id()]
                }
                (None, Some(l)) => lesson_ids(course, l).map_err(|m| format!("{which}: {m}"))?,
                _ => {
                    return Err(format!(
                        "{which}: give either `id = \"LESSON/EXERCISE\"` or `lesson = \"LESSON\"`"
                    ));
                }
            };
            for id in ids {
                if items.iter().any(|i| i.id == id) {
                    return Err(format!("{which}: {id} is already in the assignment"));
                }
                items.push(Item { id, points });
            }
        }
        if items.is_empty() {
            return Err(
                "the assignment has no exercises: add [[exercise]] tables with `id` or `lesson`"
                    .into(),
            );
        }
        if items.len() > MAX_EXERCISES {
            return Err(format!(
                "the assignment has {} exercises; at most {MAX_EXERCISES}",
                items.len()
            ));
        }
        let hash = identity(&f.salt, f.attempts, &items);
        Ok(Assignment {
            title: f.title,
            salt: f.salt,
            attempts: f.attempts,
            items,
            hash,
        })
    }

    /// The seed of `student`'s instance of exercise `id`.
    pub fn seed(&self, student: &str, id: &str) -> u64 {
        student_seed(&self.salt, student, id)
    }

    pub fn max_points(&self) -> f64 {
        self.items.iter().map(|i| i.points).sum()
    }

    /// The items with their exercises in `course`.
    pub fn located<'a>(&self, course: &'a Course) -> Vec<(&Item, Result<Located<'a>, String>)> {
        self.items
            .iter()
            .map(|i| (i, find(course, &i.id)))
            .collect()
    }
}

fn check_points(p: f64, what: &str) -> Result<(), String> {
    if p.is_finite() && (0.0..=1e6).contains(&p) {
        Ok(())
    } else {
        Err(format!("{what} must be a number from 0 to 1000000"))
    }
}

fn lesson_ids(course: &Course, lesson: &str) -> Result<Vec<String>, String> {
    let l = course.lesson(lesson).ok_or_else(|| {
        let ids: Vec<&str> = course.lessons.iter().map(|l| l.id()).collect();
        format!(
            "no lesson '{lesson}' (is its pack given with --lessons?): the lessons are {}",
            ids.join(", ")
        )
    })?;
    if l.data.exercises.is_empty() {
        return Err(format!("lesson '{lesson}' has no exercises"));
    }
    Ok(l.data
        .exercises
        .iter()
        .map(|ex| format!("{lesson}/{}", ex.id.get_ref()))
        .collect())
}

fn identity(salt: &str, attempts: u32, items: &[Item]) -> String {
    let mut parts: Vec<Vec<u8>> = vec![b"nabla-assignment-1".to_vec(), salt.as_bytes().to_vec()];
    parts.push(attempts.to_string().into_bytes());
    for i in items {
        parts.push(i.id.as_bytes().to_vec());
        parts.push(i.points.to_string().into_bytes());
    }
    let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
    hex(mix(fnv1a(&refs)))
}

/// Whether `id` may name a student: 1 to 64 characters of letters, digits,
/// `.`, `_`, `-` and `@` (an email or a roster number), so it can be part of
/// a file name and a CSV cell without quoting.
pub fn check_student(id: &str) -> Result<(), String> {
    let ok = (1..=64).contains(&id.len())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
        && !id.starts_with(['.', '-']);
    if ok {
        Ok(())
    } else {
        Err(format!(
            "'{}' is not a student id: use 1 to 64 letters, digits, '.', '_', '-' or '@', not starting with '.' or '-'",
            crate::text::sanitize(&id.chars().take(80).collect::<String>())
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::load::builtin;

    const HW: &str = "format = 1\ntitle = \"HW\"\nsalt = \"s1\"\nattempts = 2\n\n[[exercise]]\nid = \"scalar-by-vector/quadratic-form\"\npoints = 2\n\n[[exercise]]\nlesson = \"backprop\"\n";

    #[test]
    fn an_assignment_resolves_ids_and_lessons() {
        let c = builtin();
        let a = Assignment::parse(HW, &c).unwrap();
        assert_eq!(
            a.items[0],
            Item {
                id: "scalar-by-vector/quadratic-form".into(),
                points: 2.0
            }
        );
        let backprop = c.lesson("backprop").unwrap().data.exercises.len();
        assert_eq!(a.items.len(), 1 + backprop);
        assert!(
            a.items[1..]
                .iter()
                .all(|i| i.id.starts_with("backprop/") && i.points == 1.0)
        );
        assert_eq!(a.attempts, 2);
    }

    #[test]
    fn per_student_seeds_differ_and_are_stable() {
        let c = builtin();
        let a = Assignment::parse(HW, &c).unwrap();
        let id = "scalar-by-vector/quadratic-form";
        assert_eq!(a.seed("alice", id), a.seed("alice", id));
        assert_ne!(a.seed("alice", id), a.seed("bob", id));
        let other = Assignment::parse(&HW.replace("s1", "s2"), &c).unwrap();
        assert_ne!(a.seed("alice", id), other.seed("alice", id));
        assert_ne!(a.hash, other.hash);
        // A comment does not change what the assignment is.
        let commented = Assignment::parse(&format!("# week 3\n{HW}"), &c).unwrap();
        assert_eq!(a.hash, commented.hash);
    }

    #[test]
    fn mistakes_in_the_file_are_named() {
        let c = builtin();
        let bad = |text: &str| Assignment::parse(text, &c).unwrap_err();
        assert!(bad(&HW.replace("quadratic-form", "nope")).contains("no exercise 'nope'"));
        assert!(bad(&HW.replace("salt = \"s1\"", "salt = \"\"")).contains("salt"));
        assert!(bad(&HW.replace("attempts = 2", "attempts = 0")).contains("attempts"));
        assert!(bad(&HW.replace("format = 1", "format = 9")).contains("update nabla"));
        assert!(bad(&format!("{HW}colour = 1\n")).contains("unknown field"));
        assert!(bad(&format!("{HW}[[exercise]]\nlesson = \"backprop\"\n")).contains("already"));
    }

    #[test]
    fn student_ids_are_checked() {
        assert!(check_student("s1234567").is_ok());
        assert!(check_student("ada.lovelace@uni.edu").is_ok());
        for bad in ["", "a b", "../x", "-rf", "a,b", "é", &"x".repeat(65)] {
            assert!(check_student(bad).is_err(), "{bad}");
        }
    }
}
