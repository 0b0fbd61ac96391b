//! The layout slip that does not even type-check: on non-square matrices a
//! missing transpose (`W2 dz2` for `W2ᵀ dz2`) or two factors in the wrong
//! order (`x A` for `A x`) make a product whose inner sizes differ. Such an
//! answer is a wrong answer with the `transpose` diagnosis, not an
//! unreadable one, when one such change makes it type-check: this finds
//! that change.

use crate::expr::ast::{BinOp, Expr, ExprKind};
use crate::expr::shape::check_expecting;
use crate::expr::{Decls, ErrorKind, ExprError, Shape, parse, print};

/// At most this many rewritten answers are tried (one per factor and per
/// product): an answer is bounded in length, but checking each costs its
/// size again.
const MAX_CANDIDATES: usize = 64;

/// The read-back of `answer` with one factor transposed (or untransposed)
/// or one product's factors swapped, when `error` is a shape error and that
/// change makes it type-check — to `expected` if any change does, else to
/// any shape.
pub fn fix(answer: &str, decls: &Decls, expected: &Shape, error: &ExprError) -> Option<String> {
    if error.kind != ErrorKind::Shape {
        return None;
    }
    let ast = parse(answer, Some(decls)).ok()?;
    let mut candidates = Vec::new();
    rewrites(&ast, &mut candidates);
    let mut fallback = None;
    for c in candidates.iter().take(MAX_CANDIDATES) {
        if let Ok(t) = check_expecting(c, Some(decls), Some(expected)) {
            if t.shape == *expected {
                return Some(print(c));
            }
            fallback.get_or_insert_with(|| print(c));
        }
    }
    fallback
}

/// Every tree that differs from `e` by one transpose toggled on a name or
/// one product's factors swapped.
fn rewrites(e: &Expr, out: &mut Vec<Expr>) {
    if out.len() >= MAX_CANDIDATES {
        return;
    }
    match &e.kind {
        ExprKind::Name(_) => out.push(Expr::new(ExprKind::Transpose(Box::new(e.clone())), e.span)),
        ExprKind::Transpose(inner) => {
            if matches!(inner.kind, ExprKind::Name(_)) {
                out.push((**inner).clone());
            } else {
                within(e, inner, out, |x| ExprKind::Transpose(Box::new(x)));
            }
        }
        ExprKind::Neg(inner) => within(e, inner, out, |x| ExprKind::Neg(Box::new(x))),
        ExprKind::Call(f, inner) => {
            let f = *f;
            within(e, inner, out, move |x| ExprKind::Call(f, Box::new(x)));
        }
        ExprKind::Binary(op, a, b) => {
            let op = *op;
            if op == BinOp::Mul {
                out.push(Expr::new(
                    ExprKind::Binary(op, b.clone(), a.clone()),
                    e.span,
                ));
            }
            let b2 = b.clone();
            within(e, a, out, move |x| {
                ExprKind::Binary(op, Box::new(x), b2.clone())
            });
            let a2 = a.clone();
            within(e, b, out, move |x| {
                ExprKind::Binary(op, a2.clone(), Box::new(x))
            });
        }
        _ => {}
    }
}

/// The rewrites of `inner`, each put back into `outer` by `wrap`.
fn within(outer: &Expr, inner: &Expr, out: &mut Vec<Expr>, wrap: impl Fn(Expr) -> ExprKind) {
    let mut found = Vec::new();
    rewrites(inner, &mut found);
    for x in found {
        if out.len() >= MAX_CANDIDATES {
            return;
        }
        out.push(Expr::new(wrap(x), outer.span));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::compile_expecting;

    fn slip(answer: &str, decls: &str, expected: &str) -> Option<String> {
        let decls = Decls::parse(decls).unwrap();
        let expected = crate::expr::decl::parse_shape(expected).unwrap();
        let e = compile_expecting(answer, Some(&decls), Some(&expected)).unwrap_err();
        fix(answer, &decls, &expected, &e)
    }

    #[test]
    fn a_missing_transpose_is_found() {
        assert_eq!(
            slip("W2 dz2", "W2: m x h; dz2: m x 1", "h x 1").as_deref(),
            Some("W2ᵀ·dz2")
        );
        assert_eq!(slip("A b", "A: m x n; b: m", "n").as_deref(), Some("Aᵀ·b"));
    }

    #[test]
    fn swapped_factors_are_found() {
        assert_eq!(slip("x A", "A: m x n; x: n", "m").as_deref(), Some("A·x"));
    }

    #[test]
    fn other_shape_errors_are_left_unreadable() {
        // No single transpose or swap makes m×n plus n×1 type-check.
        assert_eq!(slip("A + b", "A: m x n; b: n", "m"), None);
    }

    #[test]
    fn the_tutor_grades_the_slip_wrong_and_the_contract_keeps_it_invalid() {
        use crate::calculus::{Layout, Problem};
        use crate::grade::{Diagnosis, Options, Verdict, grade, grade_naming_slips};
        let decls = Decls::parse("A: m x n; b: m; x: n").unwrap();
        let p = Problem::new(decls, "b' A x", Some("x"), Layout::Numerator).unwrap();
        let named = grade_naming_slips(&p, "A b", &Options::default()).unwrap();
        assert_eq!(named.verdict, Verdict::Incorrect);
        assert_eq!(named.diagnosis, Some(Diagnosis::Transpose));
        assert!(
            named.message.contains("did you mean Aᵀ·b?"),
            "{}",
            named.message
        );
        let plain = grade(&p, "A b", &Options::default()).unwrap();
        assert_eq!(plain.verdict, Verdict::InvalidAnswer);
        // The right answer is still right.
        let right = grade_naming_slips(&p, "A' b", &Options::default()).unwrap();
        assert_eq!(right.verdict, Verdict::Correct);
    }
}
