//! Feedback in steps, the way a good tutor gives it: after a first wrong
//! answer, what is wrong and where to look; after the next ones, the hints,
//! one more each time; the answer itself only after the misses an exercise
//! allows (`reveal_after`, 3 unless the lesson says otherwise) or when the
//! student asks for it.
//!
//! A known mistake's feedback is shown from the first miss, unless it gives
//! the answer away: a code span or a formula in it that is graded correct.
//! Such feedback is held back until the answer is shown (and `lint` asks the
//! author to rewrite it). The tutor renders what [`after_miss`] decides.

use super::exercise::Located;
use super::grading::{Outcome, Slips, grade_answer_as};
use super::schema::{Exercise, Kind};
use crate::grade::Verdict;

/// Wrong answers to a step before its answer is shown, when the exercise
/// does not say (`reveal_after`).
pub const DEFAULT_REVEAL_AFTER: u32 = 3;

/// Formulas (and sides of their `=`) tried per feedback text: a bound on
/// what a lesson pack can make one wrong answer cost.
const MAX_FRAGMENTS: usize = 32;

/// What to show after a wrong answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Coaching {
    /// The known mistake's feedback to show now (`None`: there is none, or
    /// it is held back).
    pub feedback: Option<String>,
    /// The answer matched a known mistake whose feedback gives the answer
    /// away, so it waits until the answer is shown.
    pub held_back: bool,
    /// How many hints should be on screen by now (never fewer than the
    /// student already opened).
    pub hints: usize,
    /// Whether the answer (the worked solution) is shown now.
    pub reveal: bool,
    /// Wrong answers left before the answer is shown (`None`: it is shown
    /// only on request).
    pub misses_left: Option<u32>,
}

/// The misses an exercise allows before the answer is shown; 0 means only
/// on request.
pub fn reveal_after(ex: &Exercise) -> u32 {
    ex.reveal_after
        .as_ref()
        .map_or(DEFAULT_REVEAL_AFTER, |r| *r.get_ref())
}

/// The hints a step can show: the exercise's, then the step's own.
pub fn hints_available(ex: &Exercise, step: Option<usize>) -> usize {
    ex.hints.len()
        + step
            .and_then(|i| ex.steps.get(i))
            .map_or(0, |s| s.hints.len())
}

/// What to show after the `misses`-th wrong answer to a step (counted from
/// 1), with `hints_open` hints already on screen. `gives_away` is
/// [`feedback_gives_away`] of the outcome, found where the grading ran (it
/// grades, so it may take as long).
pub fn after_miss(
    ex: &Exercise,
    step: Option<usize>,
    misses: u32,
    hints_open: usize,
    outcome: &Outcome,
    gives_away: bool,
) -> Coaching {
    let limit = reveal_after(ex);
    let reveal = limit > 0 && misses >= limit;
    // The first miss is the student's own to think about; each later one
    // opens one more hint.
    let wanted = usize::try_from(misses.saturating_sub(1)).unwrap_or(usize::MAX);
    let hints = hints_open.max(wanted.min(hints_available(ex, step)));
    let (feedback, held_back) = match &outcome.feedback {
        Some(_) if gives_away && !reveal => (None, true),
        other => (other.clone(), false),
    };
    Coaching {
        feedback,
        held_back,
        hints,
        reveal,
        misses_left: (limit > 0).then(|| limit.saturating_sub(misses)),
    }
}

/// Whether the feedback of the mistake `outcome` matched holds a right
/// answer to the exercise (on the instance of `seed`).
pub fn feedback_gives_away(
    loc: Located<'_>,
    seed: u64,
    step: Option<usize>,
    outcome: &Outcome,
) -> bool {
    outcome
        .feedback
        .as_ref()
        .is_some_and(|f| gives_away(loc, seed, step, f).is_some())
}

/// The first code span or formula of `text`, or side of an `=` in one, that
/// is a right answer to the exercise (graded correct on the instance of
/// `seed`), if any. For a choice exercise, whose answers are option numbers
/// (which prose may mention for other reasons), it is a formula that is one
/// of the right choice's own, or the right choice's whole text.
pub fn gives_away(loc: Located<'_>, seed: u64, step: Option<usize>, text: &str) -> Option<String> {
    if loc.kind().ok()? == Kind::Choice {
        return choice_given_away(loc, text);
    }
    fragments(text)
        .into_iter()
        .flat_map(|f| {
            // `$f = (A + A^T)x$` states the answer on one side of its `=`.
            let sides: Vec<String> = if f.contains('=') {
                f.split('=')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            } else {
                Vec::new()
            };
            std::iter::once(f).chain(sides)
        })
        .take(MAX_FRAGMENTS)
        .find(|f| {
            grade_answer_as(loc, seed, f, step, Slips::Invalid)
                .is_ok_and(|o| o.grade.verdict == Verdict::Correct)
        })
}

/// A formula of `text` that the right choice shows too, or the right
/// choice's text itself (spaces aside).
fn choice_given_away(loc: Located<'_>, text: &str) -> Option<String> {
    let ex = loc.ex;
    let right = ex
        .answer
        .as_ref()
        .and_then(|a| super::grading::read_choice(a.get_ref(), ex.choices.len()))?;
    let choice = ex.choices.get(right - 1)?.get_ref();
    let squeeze = |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let mut wanted: Vec<String> = fragments(choice).iter().map(|f| squeeze(f)).collect();
    wanted.push(squeeze(choice));
    // A formula as short as `A` is too common to say anything.
    wanted.retain(|w| w.chars().count() >= 3);
    fragments(text)
        .into_iter()
        .find(|f| wanted.contains(&squeeze(f)))
}

/// The code spans (`` `…` ``) and formulas (`$…$`, `$$…$$`) of a Markdown
/// text, in order, trimmed; empty ones left out. Read by the same Markdown
/// parser the renderer uses, so a `$` inside a code span, or escaped, is
/// what it is on screen.
pub fn fragments(text: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Parser};
    Parser::new_ext(text, crate::render::markdown::options())
        .filter_map(|e| match e {
            Event::Code(s) | Event::InlineMath(s) | Event::DisplayMath(s) => {
                Some(s.trim().to_string())
            }
            _ => None,
        })
        .filter(|s| !s.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::SourceFile;
    use super::super::load::{Lesson, parse_lesson};
    use super::*;
    use crate::grade::Grade;

    const LESSON: &str = r#"
format = 1
id = "t"
title = "T"
order = 1

[[exercise]]
id = "quadratic"
kind = "derive"
title = "Q"
prompt = "Differentiate."
given = { A = "n x n", x = "n" }
f = "x' A x"
wrt = "x"
answer = "(A + A') x"
hints = ["Write it as a double sum.", "Each x appears twice."]
solution = "It is (A + A') x."
[[exercise.mistake]]
answer = "2 A x"
feedback = "Only when A is symmetric."

[[exercise]]
id = "patient"
kind = "derive"
title = "P"
prompt = "Differentiate."
given = { a = "n", x = "n" }
f = "a' x"
wrt = "x"
answer = "a"
reveal_after = 0
hints = ["One term per entry."]
solution = "It is a."
"#;

    fn lesson() -> Lesson {
        parse_lesson(SourceFile {
            name: "t.toml".into(),
            text: LESSON.into(),
        })
        .unwrap()
    }

    fn miss(feedback: Option<&str>) -> Outcome {
        Outcome {
            grade: Grade {
                verdict: Verdict::Incorrect,
                diagnosis: None,
                message: String::new(),
                expected_shape: String::new(),
                answer_shape: None,
                read_as: None,
                error: None,
                trials: 0,
                max_rel_error: None,
            },
            feedback: feedback.map(str::to_string),
            mistake: feedback.map(|_| 0),
            wrong_entries: Vec::new(),
        }
    }

    #[test]
    fn the_first_miss_tells_what_is_wrong_then_hints_open_then_the_answer() {
        let l = lesson();
        let ex = &l.data.exercises[0];
        let first = after_miss(
            ex,
            None,
            1,
            0,
            &miss(Some("Only when A is symmetric.")),
            false,
        );
        assert_eq!(first.feedback.as_deref(), Some("Only when A is symmetric."));
        assert_eq!(
            (first.hints, first.reveal, first.misses_left),
            (0, false, Some(2))
        );
        let second = after_miss(ex, None, 2, 0, &miss(None), false);
        assert_eq!(
            (second.hints, second.reveal, second.misses_left),
            (1, false, Some(1))
        );
        let third = after_miss(ex, None, 3, 1, &miss(None), false);
        assert_eq!(
            (third.hints, third.reveal, third.misses_left),
            (2, true, Some(0))
        );
        // Hints the student opened stay open; there are only two to open.
        assert_eq!(after_miss(ex, None, 2, 2, &miss(None), false).hints, 2);
        assert_eq!(after_miss(ex, None, 9, 0, &miss(None), false).hints, 2);
    }

    #[test]
    fn feedback_that_gives_the_answer_away_waits_for_the_answer() {
        let l = lesson();
        let ex = &l.data.exercises[0];
        let o = miss(Some("The answer is `(A + A') x`."));
        let early = after_miss(ex, None, 1, 0, &o, true);
        assert_eq!((early.feedback, early.held_back), (None, true));
        let late = after_miss(ex, None, 3, 0, &o, true);
        assert!(!late.held_back && late.reveal);
        assert_eq!(
            late.feedback.as_deref(),
            Some("The answer is `(A + A') x`.")
        );
    }

    #[test]
    fn reveal_after_zero_never_shows_the_answer_by_itself() {
        let l = lesson();
        let ex = &l.data.exercises[1];
        let c = after_miss(ex, None, 50, 0, &miss(None), false);
        assert!(!c.reveal);
        assert_eq!((c.misses_left, c.hints), (None, 1));
    }

    #[test]
    fn a_fragment_graded_correct_is_a_giveaway_and_others_are_not() {
        let l = lesson();
        let loc = Located {
            lesson: &l,
            ex: &l.data.exercises[0],
        };
        let say = |t: &str| gives_away(loc, 7, None, t);
        assert_eq!(
            say("So it is $(A + A^T)\\mathbf{x}$."),
            Some("(A + A^T)\\mathbf{x}".into())
        );
        assert_eq!(say("Try `A x + A' x`."), Some("A x + A' x".into()));
        assert_eq!(
            say("Only when $A$ is symmetric, i.e. $A = A^T$: not `2 A x`."),
            None
        );
        assert_eq!(
            say("Here $\\nabla f = A x + A^T x$."),
            Some("A x + A^T x".into())
        );
        assert!(feedback_gives_away(
            loc,
            7,
            None,
            &miss(Some("it is `(A+A')x`"))
        ));
        assert!(!feedback_gives_away(loc, 7, None, &miss(None)));
    }

    #[test]
    fn fragments_are_the_code_spans_and_formulas_in_order() {
        assert_eq!(
            fragments("That is `A' x`; the answer is $BA$, or $$ 2x $$ here, `` and $ unclosed"),
            vec!["A' x", "BA", "2x"]
        );
        assert!(fragments("no formulas at all").is_empty());
    }
}
