//! A student's submission made from their progress log: every graded
//! answer to an exercise of the assignment *on their own instance* (the
//! seed derived for them), in the order given. Practice on other instances
//! of the same exercises is left out.

use super::assignment::Assignment;
use super::submission::{Answer, Answers, Submission};
use crate::progress::history::LoggedAttempt;

/// The submission of `student` to `a` from their logged attempts.
pub fn from_log(a: &Assignment, student: &str, log: &[LoggedAttempt], at: i64) -> Submission {
    let mut s = Submission::new(a, student);
    s.written_at = Some(at);
    let mut ordered: Vec<&LoggedAttempt> = log.iter().collect();
    ordered.sort_by_key(|l| l.id);
    for item in &a.items {
        let seed = a.seed(student, &item.id);
        let answers: Vec<Answer> = ordered
            .iter()
            .map(|l| &l.attempt)
            .filter(|t| t.exercise == item.id && t.seed == seed)
            .map(|t| Answer {
                answer: t.answer.clone(),
                step: t.step.map(|k| k.saturating_add(1)),
                at: Some(t.at),
                verdict: Some(if t.correct { "correct" } else { "incorrect" }.to_string()),
            })
            .collect();
        s.exercises.push(Answers {
            id: item.id.clone(),
            seed,
            answers,
        });
    }
    s
}
