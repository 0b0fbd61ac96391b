//! Grading an answer to an exercise, by kind. Derive-like answers go through
//! the engine's grader; a wrong answer that matches one of the lesson's known
//! mistakes gets that mistake's feedback (`diagnosis: "known_mistake"`).

use nalgebra::DMatrix;
use rand::RngExt;

use super::backprop;
use super::exercise::{Located, problem};
use super::instance::compute_instance;
use super::schema::{Exercise, Kind, Mistake};
use crate::calculus::Problem;
use crate::expr::decl::parse_shape;
use crate::expr::{Compiled, Decls, ErrorKind, ExprError, Sizes, compile, compile_expecting, eval};
use crate::grade::{self, Diagnosis, Grade, Options, Verdict, relative_error};
use crate::sample;

/// A grade, and what the lesson adds to it.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub grade: Grade,
    /// The feedback of the known mistake the answer matched.
    pub feedback: Option<String>,
    /// Which of the exercise's known mistakes it was (an index from 0), so
    /// progress can count it apart from the engine's diagnosis.
    pub mistake: Option<usize>,
    /// For `compute`: the wrong entries, 1-based (row, column).
    pub wrong_entries: Vec<(usize, usize)>,
}

impl Outcome {
    fn plain(grade: Grade) -> Outcome {
        Outcome {
            grade,
            feedback: None,
            mistake: None,
            wrong_entries: Vec::new(),
        }
    }
}

fn blank(expected_shape: String) -> Grade {
    Grade {
        verdict: Verdict::Correct,
        diagnosis: None,
        message: String::new(),
        expected_shape,
        answer_shape: None,
        read_as: None,
        error: None,
        trials: 0,
        max_rel_error: None,
    }
}

/// Grades `answer` to the instance `seed` of an exercise; `step` (0-based)
/// picks the step of a backprop exercise.
///
/// ```
/// use nabla_engine::grade::Verdict;
/// use nabla_engine::lesson::{exercise::find, grading::grade_answer, load::builtin};
///
/// let course = builtin();
/// let ex = find(&course, "scalar-by-vector/quadratic-form").unwrap();
/// let out = grade_answer(ex, 1, "(A + A')x", None).unwrap();
/// assert_eq!(out.grade.verdict, Verdict::Correct);
/// ```
pub fn grade_answer(
    loc: Located<'_>,
    seed: u64,
    answer: &str,
    step: Option<usize>,
) -> Result<Outcome, String> {
    grade_answer_as(loc, seed, answer, step, Slips::Invalid)
}

/// Whether a product that only a transpose would make type-check is an
/// unreadable answer (the contract's `invalid_answer`, for `nabla grade`)
/// or a wrong one with the `transpose` diagnosis (the tutor).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slips {
    Invalid,
    Named,
}

/// `grade_answer`, with the layout slip graded as `slips` says.
pub fn grade_answer_as(
    loc: Located<'_>,
    seed: u64,
    answer: &str,
    step: Option<usize>,
    slips: Slips,
) -> Result<Outcome, String> {
    let ex = loc.ex;
    match loc.kind()? {
        Kind::Derive => {
            let p = problem(ex)?;
            grade_derivative_as(&p, &ex.mistakes, answer, seed, slips)
        }
        Kind::Compute => grade_compute(ex, seed, answer),
        Kind::Shape => grade_shape(ex, answer),
        Kind::Choice => grade_choice(ex, seed, answer),
        Kind::Backprop => {
            let n = ex.steps.len();
            let Some(i) = step else {
                return Err(format!(
                    "this is a backprop exercise: say which step to grade with --step N (1 to {n})"
                ));
            };
            let s = ex
                .steps
                .get(i)
                .ok_or_else(|| format!("there is no step {}: the steps are 1 to {n}", i + 1))?;
            let p = backprop::step_problem(ex, i)?;
            grade_derivative_as(&p, &s.mistakes, answer, seed, slips)
        }
    }
}

/// The engine's verdict, then the lesson's known mistakes for a wrong answer.
pub fn grade_derivative(
    p: &Problem,
    mistakes: &[Mistake],
    answer: &str,
    seed: u64,
) -> Result<Outcome, String> {
    grade_derivative_as(p, mistakes, answer, seed, Slips::Invalid)
}

fn grade_derivative_as(
    p: &Problem,
    mistakes: &[Mistake],
    answer: &str,
    seed: u64,
    slips: Slips,
) -> Result<Outcome, String> {
    let opts = Options {
        seed,
        ..Options::default()
    };
    let g = match slips {
        Slips::Invalid => grade::grade(p, answer, &opts),
        Slips::Named => grade::grade_naming_slips(p, answer, &opts),
    }
    .map_err(|e| e.message)?;
    let mut out = Outcome::plain(g);
    if matches!(out.grade.verdict, Verdict::WrongShape | Verdict::Incorrect)
        && let Ok(student) = compile_expecting(answer, Some(&p.decls), Some(&p.expected))
    {
        out.mistake = mistakes
            .iter()
            .position(|m| equivalent(p, &student, m.answer.get_ref(), seed));
        out.feedback = out.mistake.map(|i| mistakes[i].feedback.get_ref().clone());
    }
    Ok(out)
}

/// Whether `a` and the expression `b` have the same shape and value on
/// random instances of the problem.
pub fn equivalent(p: &Problem, a: &Compiled, b: &str, seed: u64) -> bool {
    let Ok(b) = compile_expecting(b, Some(&p.decls), Some(&p.expected)) else {
        return false;
    };
    if a.shape() != b.shape() {
        return false;
    }
    let mut rng = sample::rng(seed ^ 0x6d15_7a6e);
    // Points from F's domain; two expressions that are both undefined at a
    // point agree there (a mistake can be undefined where F is fine), but
    // they must agree in value somewhere.
    let mut compared = 0;
    for _ in 0..3 {
        let Ok(inst) = p.sample(&mut rng) else {
            return false;
        };
        match (
            eval(&a.typed, &inst.sizes, &inst.values),
            eval(&b.typed, &inst.sizes, &inst.values),
        ) {
            (Ok(x), Ok(y))
                if relative_error(std::slice::from_ref(&x), std::slice::from_ref(&y))
                    <= grade::TOLERANCE =>
            {
                compared += 1
            }
            (Err(_), Err(_)) => {}
            _ => return false,
        }
    }
    compared > 0
}

/// The compute grader's test of a typed entry `a` against the true `b`: the
/// shown instances are drawn with the same test (`separate`).
pub(crate) fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * b.abs().max(1.0)
}

pub(crate) fn all_close(a: &DMatrix<f64>, b: &DMatrix<f64>, tol: f64) -> bool {
    a.shape() == b.shape() && a.iter().zip(b.iter()).all(|(x, y)| close(*x, *y, tol))
}

/// A number typed for a compute exercise: a matrix literal or any expression
/// of numbers, with no names.
fn read_numbers(answer: &str) -> Result<(Compiled, DMatrix<f64>), ExprError> {
    let c = compile(answer, Some(&Decls::default())).map_err(|mut e| {
        if e.kind == ErrorKind::Name {
            e.message = "type the numbers of the result, like [1; 2] or [1, 2; 3, 4] (names have no values here)".into();
        }
        e
    })?;
    let v = eval(&c.typed, &Sizes::new(), &[])?;
    Ok((c, v))
}

fn grade_compute(ex: &Exercise, seed: u64, answer: &str) -> Result<Outcome, String> {
    let p = problem(ex)?;
    let inst = compute_instance(&p, ex, seed)?;
    let expected = p.derivative(&inst).map_err(|e| e.message)?;
    let tol = ex.tolerance.as_ref().map_or(1e-6, |t| *t.get_ref());
    let (r, c) = expected.shape();
    let mut g = blank(format!("{r}×{c}"));
    g.trials = 1;
    let (student, value) = match read_numbers(answer) {
        Ok(x) => x,
        Err(e) => {
            g.verdict = Verdict::InvalidAnswer;
            g.message = format!(
                "Your answer could not be read: {}.",
                e.message.trim_end_matches('.')
            );
            g.error = Some(e);
            return Ok(Outcome::plain(g));
        }
    };
    g.read_as = Some(student.read_as.clone());
    g.answer_shape = Some(format!("{}×{}", value.nrows(), value.ncols()));
    // A known mistake, whatever its shape (a row typed for a column too).
    let mistake = ex.mistakes.iter().position(|m| {
        let Ok(mc) = compile(m.answer.get_ref(), Some(&p.decls)) else {
            return false;
        };
        eval(&mc.typed, &inst.sizes, &inst.values)
            .is_ok_and(|mv| all_close(&mv, &value, tol) && !all_close(&mv, &expected, tol))
    });
    let feedback = mistake.map(|i| ex.mistakes[i].feedback.get_ref().clone());
    if value.shape() != expected.shape() {
        g.verdict = Verdict::WrongShape;
        if value.shape() == (c, r) && all_close(&value.transpose(), &expected, tol) {
            g.diagnosis = Some(Diagnosis::Transpose);
            g.message = format!(
                "Your matrix is {c}×{r}, but the derivative is {r}×{c}: you gave its transpose."
            );
        } else {
            g.message = format!(
                "Your matrix is {}×{}, but the derivative is {r}×{c}.",
                value.nrows(),
                value.ncols()
            );
        }
        return Ok(Outcome {
            grade: g,
            feedback,
            mistake,
            wrong_entries: Vec::new(),
        });
    }
    g.max_rel_error = Some(relative_error(
        std::slice::from_ref(&value),
        std::slice::from_ref(&expected),
    ));
    let wrong: Vec<(usize, usize)> = (0..r)
        .flat_map(|i| (0..c).map(move |j| (i, j)))
        .filter(|&(i, j)| !close(value[(i, j)], expected[(i, j)], tol))
        .map(|(i, j)| (i + 1, j + 1))
        .collect();
    if wrong.is_empty() {
        g.message = "Correct.".to_string();
        return Ok(Outcome::plain(g));
    }
    g.verdict = Verdict::Incorrect;
    g.diagnosis = if r == c && r > 1 && all_close(&value.transpose(), &expected, tol) {
        Some(Diagnosis::Transpose)
    } else if all_close(&(-&value), &expected, tol) {
        Some(Diagnosis::Sign)
    } else {
        grade::common_scale(std::iter::once((
            vec![value.clone()],
            vec![expected.clone()],
        )))
        .map(Diagnosis::Scale)
    };
    let list: Vec<String> = wrong.iter().map(|(i, j)| format!("({i}, {j})")).collect();
    let which = match list.as_slice() {
        _ if wrong.len() == r * c => "every entry is wrong".to_string(),
        [one] => format!("entry {one} is wrong"),
        many => format!("entries {} are wrong", many.join(", ")),
    };
    g.message = match g.diagnosis {
        Some(Diagnosis::Transpose) => {
            format!("Not quite: {which}. Your matrix is the transpose of the derivative.")
        }
        Some(Diagnosis::Sign) => {
            format!("Not quite: {which}. Your matrix is minus the derivative: check the sign.")
        }
        Some(Diagnosis::Scale(k)) => format!(
            "Not quite: {which}. Your matrix is {} times the derivative.",
            crate::expr::print::format_number(k)
        ),
        _ => format!("Not quite: {which}."),
    };
    Ok(Outcome {
        grade: g,
        feedback,
        mistake,
        wrong_entries: wrong,
    })
}

fn grade_shape(ex: &Exercise, answer: &str) -> Result<Outcome, String> {
    let p = problem(ex)?;
    let mut g = blank(p.expected.to_string());
    let given = match parse_shape(answer) {
        Ok(s) => s,
        Err(e) => {
            g.verdict = Verdict::InvalidAnswer;
            g.message = format!(
                "Type a shape like 'm x n', 'n x 1' or 'n': {}.",
                e.message.trim_end_matches('.')
            );
            g.error = Some(e);
            return Ok(Outcome::plain(g));
        }
    };
    let symbols = p.decls.symbols();
    let unknown = [&given.rows, &given.cols]
        .into_iter()
        .find_map(|d| match d {
            nabla_dim @ crate::expr::Dim::Sym(s) if !symbols.contains(s) => {
                Some(nabla_dim.to_string())
            }
            _ => None,
        });
    if let Some(u) = unknown {
        g.verdict = Verdict::InvalidAnswer;
        g.message = format!(
            "'{u}' is not one of the sizes here ({}); write the shape with them, like 'm x n'.",
            symbols.join(", ")
        );
        return Ok(Outcome::plain(g));
    }
    g.answer_shape = Some(given.to_string());
    g.read_as = Some(given.to_string());
    if given == p.expected {
        g.message = format!("Correct: the derivative is {}.", p.expected);
        return Ok(Outcome::plain(g));
    }
    g.verdict = Verdict::Incorrect;
    if given.transposed() == p.expected {
        g.diagnosis = Some(Diagnosis::Transpose);
        // Not the expected shape: in a shape exercise that is the answer.
        g.message = format!(
            "The right sizes in the wrong order: {given} is the shape of the transpose. Check which sizes the rows and the columns follow."
        );
    } else {
        g.message =
            format!("Not {given}: check which sizes the derivative's rows and columns follow.");
    }
    let mistake = ex
        .mistakes
        .iter()
        .position(|m| parse_shape(m.answer.get_ref()).is_ok_and(|s| s == given));
    let feedback = mistake.map(|i| ex.mistakes[i].feedback.get_ref().clone());
    Ok(Outcome {
        grade: g,
        feedback,
        mistake,
        wrong_entries: Vec::new(),
    })
}

/// `2`, `(2)`, `b` or `B` → 2.
pub fn read_choice(answer: &str, count: usize) -> Option<usize> {
    let t = answer
        .trim()
        .trim_matches(|c| c == '(' || c == ')' || c == '.');
    let n = if let Ok(n) = t.parse::<usize>() {
        n
    } else {
        let mut chars = t.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) if c.is_ascii_alphabetic() => {
                (c.to_ascii_lowercase() as u8 - b'a') as usize + 1
            }
            _ => return None,
        }
    };
    (1..=count).contains(&n).then_some(n)
}

/// Keeps the choice order's random numbers apart from the instance's.
const CHOICE_STREAM: u64 = 0x63_686f_6963_6573;

/// The order of a choice exercise's choices on the instance of `seed`:
/// place `i` (from 0) on screen holds the file's choice `order[i]` (from
/// 0). Shuffled per instance, so the right choice is not always in the same
/// place, unless the exercise says `shuffle = false`.
pub fn choice_order(ex: &Exercise, seed: u64) -> Vec<usize> {
    let n = ex.choices.len();
    let mut order: Vec<usize> = (0..n).collect();
    if ex.shuffle.as_ref().is_none_or(|s| *s.get_ref()) {
        let mut rng = crate::sample::rng(seed ^ CHOICE_STREAM);
        for i in (1..n).rev() {
            order.swap(i, rng.random_range(0..=i));
        }
    }
    order
}

/// The number (from 1) a choice of the file, numbered from 1 as in the
/// file's `answer` and mistakes, is shown at on the instance of `seed`.
pub fn shown_choice(ex: &Exercise, seed: u64, file_number: usize) -> Option<usize> {
    choice_order(ex, seed)
        .iter()
        .position(|&i| i + 1 == file_number)
        .map(|p| p + 1)
}

fn grade_choice(ex: &Exercise, seed: u64, answer: &str) -> Result<Outcome, String> {
    let count = ex.choices.len();
    let right = ex
        .answer
        .as_ref()
        .and_then(|a| read_choice(a.get_ref(), count))
        .ok_or("the exercise's answer is not one of its choices")?;
    let mut g = blank(String::new());
    let Some(typed) = read_choice(answer, count) else {
        g.verdict = Verdict::InvalidAnswer;
        g.message = format!("Type the number of your choice, 1 to {count}.");
        return Ok(Outcome::plain(g));
    };
    g.read_as = Some(typed.to_string());
    // The student numbers the choices as shown; the file as written.
    let n = choice_order(ex, seed)[typed - 1] + 1;
    if n == right {
        g.message = "Correct.".to_string();
        return Ok(Outcome::plain(g));
    }
    g.verdict = Verdict::Incorrect;
    g.message = format!("Not choice {typed}.");
    let mistake = ex
        .mistakes
        .iter()
        .position(|m| read_choice(m.answer.get_ref(), count) == Some(n));
    let feedback = mistake.map(|i| ex.mistakes[i].feedback.get_ref().clone());
    Ok(Outcome {
        grade: g,
        feedback,
        mistake,
        wrong_entries: Vec::new(),
    })
}
