//! Worked solutions on the student's numbers: for a compute exercise, the
//! intermediate values of the reference answer on the instance the student
//! was shown — for `(A + A')x`, first A + Aᵀ, then (A + Aᵀ)x — read off the
//! answer's own expression tree, innermost first. The written solution
//! explains the method; these are the numbers to check one's arithmetic
//! against, step by step.

use nalgebra::DMatrix;

use super::exercise::{Located, problem};
use super::instance::{compute_instance, rows};
use super::schema::Kind;
use crate::expr::ast::{Expr, ExprKind};
use crate::expr::{compile, eval, parse, print};

/// More steps than this and only the last ones are shown (the answer is
/// always the last).
const MAX_STEPS: usize = 8;

/// One intermediate value: the sub-expression as nabla reads it back, and
/// its value on the instance, row by row.
#[derive(Clone, Debug, PartialEq)]
pub struct WorkedStep {
    pub expr: String,
    pub rows: Vec<Vec<f64>>,
}

/// The steps of `loc`'s reference answer on the instance of `seed` (the
/// one `instance::show` draws for the same seed); empty for other kinds.
pub fn on_numbers(loc: Located<'_>, seed: u64) -> Result<Vec<WorkedStep>, String> {
    if loc.kind() != Ok(Kind::Compute) {
        return Ok(Vec::new());
    }
    let ex = loc.ex;
    let p = problem(ex)?;
    let inst = compute_instance(&p, ex, seed)?;
    let answer = ex.answer.as_ref().ok_or("the exercise has no `answer`")?;
    let ast = parse(answer.get_ref(), Some(&p.decls)).map_err(|e| e.message)?;
    let mut parts = Vec::new();
    inner_first(&ast, &mut parts);
    // The answer itself is the last step, even when it is only a name (`a`
    // for aᵀx) or its transpose: its value is what to type.
    if !parts.last().is_some_and(|last| std::ptr::eq(*last, &ast)) {
        parts.push(&ast);
    }
    let mut steps: Vec<WorkedStep> = Vec::new();
    for part in parts {
        let Ok(c) = compile(&print(part), Some(&p.decls)) else {
            continue;
        };
        if steps.iter().any(|s| s.expr == c.read_as) {
            continue;
        }
        let value: DMatrix<f64> =
            eval(&c.typed, &inst.sizes, &inst.values).map_err(|e| e.message)?;
        steps.push(WorkedStep {
            expr: c.read_as,
            rows: rows(&value),
        });
    }
    let extra = steps.len().saturating_sub(MAX_STEPS);
    Ok(steps.split_off(extra))
}

/// The sub-expressions of `e` worth a step, children before parents: not
/// the names and numbers themselves, nor their transposes or negations
/// (Aᵀ is read off A, not worked out).
fn inner_first<'a>(e: &'a Expr, out: &mut Vec<&'a Expr>) {
    if is_leaf(e) {
        return;
    }
    let children: Vec<&Expr> = match &e.kind {
        ExprKind::Number(_)
        | ExprKind::Name(_)
        | ExprKind::Size(_)
        | ExprKind::Fill(..)
        | ExprKind::Commutation(..) => Vec::new(),
        ExprKind::Matrix(rows) => rows.iter().flatten().collect(),
        ExprKind::Neg(a) | ExprKind::Transpose(a) | ExprKind::Call(_, a) => vec![a],
        ExprKind::Binary(_, a, b) => vec![a, b],
    };
    for c in &children {
        inner_first(c, out);
    }
    let trivial = matches!(&e.kind, ExprKind::Neg(a) | ExprKind::Transpose(a) if is_leaf(a));
    if !trivial {
        out.push(e);
    }
}

/// A name, a number or a fill: read off the screen, not worked out.
fn is_leaf(e: &Expr) -> bool {
    matches!(
        e.kind,
        ExprKind::Number(_)
            | ExprKind::Name(_)
            | ExprKind::Size(_)
            | ExprKind::Fill(..)
            | ExprKind::Commutation(..)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::instance::show;
    use crate::lesson::{exercise, load};

    /// The steps of `(A + A')x` on the numbers shown: A + Aᵀ from the shown
    /// A, then that times the shown x, which is the answer's value.
    #[test]
    fn a_quadratic_form_is_worked_out_on_the_numbers_shown() {
        let course = load::builtin();
        let loc = exercise::find(&course, "scalar-by-vector/quadratic-compute").unwrap();
        assert_eq!(loc.ex.answer.as_ref().unwrap().get_ref(), "(A + A') x");
        for seed in [1, 7, 42] {
            let steps = on_numbers(loc, seed).unwrap();
            let shown = show(loc, seed).unwrap();
            let values = shown.values.unwrap();
            let m = |name: &str| {
                let r = &values[name];
                DMatrix::from_fn(r.len(), r[0].len(), |i, j| r[i][j])
            };
            let (a, x) = (m("A"), m("x"));
            let texts: Vec<&str> = steps.iter().map(|s| s.expr.as_str()).collect();
            assert_eq!(texts, ["A + Aᵀ", "(A + Aᵀ)·x"], "seed {seed}");
            assert_eq!(steps[0].rows, rows(&(&a + a.transpose())), "seed {seed}");
            assert_eq!(
                steps[1].rows,
                rows(&((&a + a.transpose()) * &x)),
                "seed {seed}"
            );
        }
    }

    #[test]
    fn only_compute_exercises_have_steps() {
        let course = load::builtin();
        let loc = exercise::find(&course, "scalar-by-vector/quadratic-form").unwrap();
        assert_eq!(on_numbers(loc, 1), Ok(Vec::new()));
    }

    /// Every compute exercise of the course has steps, the last being the
    /// answer's value on the instance.
    #[test]
    fn every_compute_exercise_ends_on_its_answer() {
        let course = load::builtin();
        for loc in exercise::all(&course) {
            if loc.kind() != Ok(Kind::Compute) {
                continue;
            }
            let steps = on_numbers(loc, 3).unwrap_or_else(|e| panic!("{e}"));
            let last = steps.last().unwrap_or_else(|| panic!("no steps"));
            assert!(steps.len() <= MAX_STEPS);
            let p = problem(loc.ex).unwrap();
            let inst = compute_instance(&p, loc.ex, 3).unwrap();
            let answer = loc.ex.answer.as_ref().unwrap().get_ref();
            let c = compile(answer, Some(&p.decls)).unwrap();
            let value = eval(&c.typed, &inst.sizes, &inst.values).unwrap();
            assert_eq!(last.rows, rows(&value), "{answer}");
        }
    }
}
