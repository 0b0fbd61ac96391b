//! A class graded from its answers: every answer of every submission graded
//! again by the engine on the student's own instance (the seed derived from
//! the assignment's salt and their id, never the one the file says), the
//! attempt rule applied, and what the class got wrong most, per exercise.
//!
//! The attempt rule: of each exercise's answers, in the order given, the
//! first `attempts` count (for a backprop exercise, the first `attempts` of
//! each step); the exercise earns its points when one of those is right (a
//! backprop exercise earns its points in proportion to the steps solved).
//! Answers beyond the limit are listed as not counted and not graded, so a
//! submission cannot make the grader do more than the assignment allows.

use std::collections::BTreeMap;

use serde::Serialize;

use super::assignment::{Assignment, Item};
use super::submission::{Answer, Problem, Submission};
use crate::grade::Verdict;
use crate::lesson::exercise::Located;
use crate::lesson::grading::grade_answer;
use crate::lesson::load::Course;
use crate::lesson::schema::Kind;
use crate::progress::MistakeKind;

/// One answer as the grader saw it.
#[derive(Clone, Debug, Serialize)]
pub struct GradedAnswer {
    pub answer: String,
    pub step: Option<u32>,
    /// Whether it is within the attempts allowed (and so graded).
    pub counted: bool,
    /// `correct`, `incorrect`, `wrong_shape`, `invalid_answer`; `not_counted`
    /// for an answer not graded; `error` when the exercise could not grade it.
    pub verdict: String,
    /// The mistake kind (as progress counts them), for a wrong answer.
    pub kind: Option<String>,
    /// The engine's diagnosis (`transpose`, `sign`, …).
    pub diagnosis: Option<String>,
    /// The lesson's feedback for a known mistake it matched.
    pub feedback: Option<String>,
    pub message: String,
    /// What the submission claimed (ignored for the mark).
    pub claimed: Option<String>,
}

/// One exercise of one student.
#[derive(Clone, Debug, Serialize)]
pub struct ExerciseResult {
    pub id: String,
    pub seed: u64,
    pub score: f64,
    pub max_score: f64,
    pub solved: bool,
    pub answers: Vec<GradedAnswer>,
    /// Anything the instructor should know (a seed that was not theirs).
    pub notes: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct StudentResult {
    pub student: String,
    pub file: String,
    pub score: f64,
    pub max_score: f64,
    pub exercises: Vec<ExerciseResult>,
    pub notes: Vec<String>,
}

/// A kind of mistake on one exercise, across the class.
#[derive(Clone, Debug, Serialize)]
pub struct MistakeCount {
    pub kind: String,
    /// The kind in words ("transposed answers").
    pub words: String,
    /// How many students made it at least once.
    pub students: usize,
    /// How many counted answers were of this kind.
    pub answers: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct ExerciseSummary {
    pub id: String,
    pub solved_by: usize,
    pub students: usize,
    /// Most students first.
    pub mistakes: Vec<MistakeCount>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Gradebook {
    pub title: String,
    pub assignment: String,
    pub attempts: u32,
    pub exercises: Vec<ExerciseSummary>,
    pub students: Vec<StudentResult>,
    /// Submissions not graded (each given 0), with the reason.
    pub problems: Vec<Problem>,
    #[serde(skip)]
    pub items: Vec<Item>,
}

impl Gradebook {
    pub fn max_score(&self) -> f64 {
        self.items.iter().map(|i| i.points).sum()
    }
}

/// Grades every submission (each the file it came from and what reading it
/// gave). Two files of one student: the first (in the order given) is
/// graded, the second is a problem naming the first.
pub fn grade_all(
    a: &Assignment,
    course: &Course,
    read: Vec<(String, Result<Submission, Problem>)>,
) -> Gradebook {
    let mut students: Vec<StudentResult> = Vec::new();
    let mut problems = Vec::new();
    for (file, r) in read {
        match r {
            Err(p) => problems.push(p),
            Ok(s) => {
                if let Some(first) = students.iter().find(|r| r.student == s.student) {
                    problems.push(Problem {
                        file,
                        student: Some(s.student.clone()),
                        reason: format!(
                            "a second submission of {}: {} is the one graded",
                            s.student, first.file
                        ),
                    });
                } else {
                    students.push(grade_student(a, course, &s, file));
                }
            }
        }
    }
    students.sort_by(|x, y| x.student.cmp(&y.student));
    Gradebook {
        title: a.title.clone(),
        assignment: a.hash.clone(),
        attempts: a.attempts,
        exercises: summarise(a, &students),
        students,
        problems,
        items: a.items.clone(),
    }
}

/// One student's submission graded.
pub fn grade_student(
    a: &Assignment,
    course: &Course,
    s: &Submission,
    file: String,
) -> StudentResult {
    let mut notes = Vec::new();
    for e in &s.exercises {
        if !a.items.iter().any(|i| i.id == e.id) {
            notes.push(format!(
                "answers to {}, which is not in this assignment, were ignored",
                e.id
            ));
        }
    }
    // The grader derives each seed itself; a file whose seeds are not this
    // student's was likely made with another `--student` (or copied).
    let foreign = s
        .exercises
        .iter()
        .filter(|e| a.items.iter().any(|i| i.id == e.id) && e.seed != a.seed(&s.student, &e.id))
        .count();
    if foreign > 0 {
        notes.push(format!(
            "{foreign} of the file's seeds are not this student's (was it written with another --student?): graded on {}'s own instances",
            s.student
        ));
    }
    let exercises: Vec<ExerciseResult> = a
        .located(course)
        .into_iter()
        .map(|(item, loc)| grade_exercise(a, item, loc, s))
        .collect();
    StudentResult {
        student: s.student.clone(),
        file,
        score: exercises.iter().map(|e| e.score).sum(),
        max_score: a.max_points(),
        exercises,
        notes,
    }
}

fn grade_exercise(
    a: &Assignment,
    item: &Item,
    loc: Result<Located<'_>, String>,
    s: &Submission,
) -> ExerciseResult {
    let seed = a.seed(&s.student, &item.id);
    let mut r = ExerciseResult {
        id: item.id.clone(),
        seed,
        score: 0.0,
        max_score: item.points,
        solved: false,
        answers: Vec::new(),
        notes: Vec::new(),
    };
    let loc = match loc {
        Ok(l) => l,
        Err(m) => {
            r.notes.push(format!("not graded: {m}"));
            return r;
        }
    };
    let backprop_steps = match loc.kind() {
        Ok(Kind::Backprop) => Some(loc.ex.steps.len()),
        Ok(_) => None,
        Err(m) => {
            r.notes.push(format!("not graded: {m}"));
            return r;
        }
    };
    // Answers counted so far, per step (one counter for a plain exercise).
    let mut used: BTreeMap<Option<u32>, u32> = BTreeMap::new();
    let mut solved_steps: BTreeMap<u32, bool> = BTreeMap::new();
    for ans in s.answers(&item.id) {
        let step = match backprop_steps {
            None => None,
            Some(n) => match ans.step {
                Some(k) if (1..=n as u32).contains(&k) => Some(k),
                other => {
                    let why = match other {
                        Some(k) => format!("there is no step {k}: the steps are 1 to {n}"),
                        None => "a backprop answer must say its step".to_string(),
                    };
                    r.answers.push(not_counted(ans, why));
                    continue;
                }
            },
        };
        let count = used.entry(step).or_insert(0);
        if *count >= a.attempts {
            r.answers.push(not_counted(
                ans,
                format!("beyond the {} attempts allowed", a.attempts),
            ));
            continue;
        }
        *count += 1;
        let graded = grade_one(loc, seed, ans, step);
        if graded.verdict == Verdict::Correct.code() {
            solved_steps.insert(step.unwrap_or(0), true);
        }
        r.answers.push(graded);
    }
    let (solved, of) = match backprop_steps {
        None => (usize::from(solved_steps.contains_key(&0)), 1),
        Some(n) => (solved_steps.len(), n.max(1)),
    };
    r.solved = solved == of;
    r.score = item.points * solved as f64 / of as f64;
    r
}

fn not_counted(ans: &Answer, why: String) -> GradedAnswer {
    GradedAnswer {
        answer: ans.answer.clone(),
        step: ans.step,
        counted: false,
        verdict: "not_counted".to_string(),
        kind: None,
        diagnosis: None,
        feedback: None,
        message: why,
        claimed: ans.verdict.clone(),
    }
}

fn grade_one(loc: Located<'_>, seed: u64, ans: &Answer, step: Option<u32>) -> GradedAnswer {
    let mut g = GradedAnswer {
        answer: ans.answer.clone(),
        step: ans.step,
        counted: true,
        verdict: String::new(),
        kind: None,
        diagnosis: None,
        feedback: None,
        message: String::new(),
        claimed: ans.verdict.clone(),
    };
    match grade_answer(loc, seed, &ans.answer, step.map(|k| k as usize - 1)) {
        Ok(o) => {
            g.verdict = o.grade.verdict.code().to_string();
            g.kind = MistakeKind::of(&o).map(|k| k.code().to_string());
            g.diagnosis = o.grade.diagnosis.map(|d| d.code().to_string());
            g.feedback = o.feedback.clone();
            g.message = o.grade.message;
        }
        Err(m) => {
            g.verdict = "error".to_string();
            g.message = m;
        }
    }
    g
}

fn summarise(a: &Assignment, students: &[StudentResult]) -> Vec<ExerciseSummary> {
    a.items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            // kind → (students, answers)
            let mut kinds: BTreeMap<String, (usize, usize)> = BTreeMap::new();
            let mut solved_by = 0;
            for s in students {
                let e = &s.exercises[i];
                solved_by += usize::from(e.solved);
                let mut mine: BTreeMap<&str, usize> = BTreeMap::new();
                for k in e.answers.iter().filter_map(|g| g.kind.as_deref()) {
                    *mine.entry(k).or_insert(0) += 1;
                }
                for (k, n) in mine {
                    let entry = kinds.entry(k.to_string()).or_insert((0, 0));
                    entry.0 += 1;
                    entry.1 += n;
                }
            }
            let mut mistakes: Vec<MistakeCount> = kinds
                .into_iter()
                .map(|(kind, (students, answers))| MistakeCount {
                    words: MistakeKind::words(&kind).to_string(),
                    kind,
                    students,
                    answers,
                })
                .collect();
            mistakes.sort_by(|x, y| y.students.cmp(&x.students).then(y.answers.cmp(&x.answers)));
            ExerciseSummary {
                id: item.id.clone(),
                solved_by,
                students: students.len(),
                mistakes,
            }
        })
        .collect()
}
