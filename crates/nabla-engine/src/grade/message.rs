//! Messages for students: one or two sentences that say what is wrong and
//! what to do about it, in the words of the tutorial.

use super::Diagnosis;
use crate::calculus::{Kind, Layout, Problem};
use crate::expr::{Compiled, ExprError, Property};

pub fn invalid(e: &ExprError) -> String {
    format!(
        "Your answer could not be read: {}.",
        e.message.trim_end_matches('.')
    )
}

/// A product that does not type-check, and the one transpose or swap that
/// would make it: the layout slip named, with the factor to change.
pub fn needs_transpose(e: &ExprError, fixed: &str) -> String {
    let why = e.message.trim_end_matches('.');
    let mut why = why.to_string();
    if let Some(first) = why.get(..1) {
        why.replace_range(..1, &first.to_uppercase());
    }
    format!("{why}: did you mean {fixed}? Check which factor needs a transpose, or their order.")
}

/// "the gradient of a scalar by x has x's shape, n×1"
fn what_is_expected(p: &Problem) -> String {
    let x = p.wrt_name();
    let f = &p.f_name;
    let shape = &p.expected;
    match p.kind {
        Kind::Gradient => format!("the gradient of a scalar by {x} has {x}'s shape, {shape}"),
        Kind::ByScalar => format!("the derivative by the scalar {x} has {f}'s shape, {shape}"),
        Kind::Hessian => {
            format!("the Hessian of a scalar by {x} is {shape} (entry (i, j) is ∂²{f}/∂{x}ᵢ∂{x}ⱼ)")
        }
        Kind::Jacobian => match p.layout {
            Layout::Numerator => format!(
                "the Jacobian of {f} by {x} is {shape} (numerator layout: a row for each entry of {f}, a column for each entry of {x})"
            ),
            Layout::Denominator => format!(
                "the Jacobian of {f} by {x} is {shape} in denominator layout (a row for each entry of {x}, a column for each entry of {f})"
            ),
        },
    }
}

pub fn correct(p: &Problem, answer: &Compiled) -> String {
    let x = p.wrt_name();
    match p.kind {
        Kind::Gradient => format!("Correct: {} is the gradient by {x}.", answer.read_as),
        Kind::ByScalar => format!("Correct: {} is the derivative by {x}.", answer.read_as),
        Kind::Jacobian => format!("Correct: {} is the Jacobian by {x}.", answer.read_as),
        Kind::Hessian => format!("Correct: {} is the Hessian by {x}.", answer.read_as),
    }
}

pub fn wrong_shape(p: &Problem, answer: &Compiled, diagnosis: Option<Diagnosis>) -> String {
    let given = answer.shape();
    let expected = what_is_expected(p);
    match diagnosis {
        Some(Diagnosis::Transpose) => {
            format!("Your answer is {given}, but {expected}: you gave its transpose.")
        }
        _ => {
            let mut m = format!("Your answer is {given}, but {expected}.");
            if p.kind == Kind::Jacobian && given.is_vector() && p.expected.is_square() {
                m.push_str(" An elementwise function has a diagonal Jacobian: diag(v) puts a vector on the diagonal.");
            }
            m
        }
    }
}

pub fn incorrect(
    p: &Problem,
    _answer: &Compiled,
    diagnosis: Option<Diagnosis>,
    worst: f64,
) -> String {
    let x = p.wrt_name();
    match diagnosis {
        Some(Diagnosis::Transpose) => match p.kind {
            Kind::Jacobian => format!(
                "Right shape, but your answer is the transpose of the Jacobian: {}.",
                what_is_expected(p)
            ),
            _ => format!(
                "Right shape, but your answer is the transpose of the derivative: entry (i, j) of ∂f/∂{x} must be ∂f/∂{x}ᵢⱼ."
            ),
        },
        Some(Diagnosis::Sign) => {
            "Right shape, but the sign is flipped: your answer is minus the derivative.".to_string()
        }
        Some(Diagnosis::Scale(c)) => {
            let hint = if (c - 0.5).abs() < 1e-12 {
                " A factor of 2 is missing."
            } else if (c - 2.0).abs() < 1e-12 {
                " There is a factor of 2 too many."
            } else {
                ""
            };
            format!(
                "Right shape, but off by a constant factor: your answer is {} times the derivative.{hint}",
                crate::expr::print::format_number(c)
            )
        }
        Some(Diagnosis::SymmetricOnly) => {
            let names = general_square_names(p);
            format!(
                "Your answer holds only when {names} is symmetric, but here {names} is a general square matrix: keep the terms with {names} and with its transpose apart."
            )
        }
        None => format!(
            "Right shape, but not the derivative: on a random instance it is off by {} (relative error).",
            percent(worst)
        ),
    }
}

/// A non-zero answer where the derivative is zero at every point tried.
pub fn not_zero(p: &Problem) -> String {
    format!(
        "Right shape, but not the derivative: {f} does not change with {x} at any point tried (its derivative is zero there), and your answer is not zero.",
        f = p.f_name,
        x = p.wrt_name()
    )
}

fn percent(e: f64) -> String {
    if !e.is_finite() {
        "an unbounded amount".to_string()
    } else if e >= 0.01 {
        format!("{:.0}%", e * 100.0)
    } else {
        format!("{:.2e}", e)
    }
}

/// The square matrices used by F that are not declared symmetric: "A", "A and B".
fn general_square_names(p: &Problem) -> String {
    let used = p.f.ast.names();
    let names: Vec<&str> = p
        .decls
        .entries
        .iter()
        .filter(|d| {
            used.contains(&d.name)
                && d.shape.is_square()
                && !d.shape.is_scalar()
                && !d.props.iter().any(|pr| pr.implies_symmetric())
                && !d.has(Property::Orthogonal)
        })
        .map(|d| d.name.as_str())
        .collect();
    match names.as_slice() {
        [] => "the matrix".to_string(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// An answer that is undefined at a trial point where F is fine; `part` is
/// the piece of the answer that fails, as typed.
pub fn undefined(p: &Problem, e: &ExprError, part: &str) -> String {
    let f = &p.f_name;
    let why = e.message.trim_end_matches('.');
    let place = if part.is_empty() {
        String::new()
    } else {
        format!(" in {part}")
    };
    format!(
        "Your answer is not defined everywhere {f} is: at one of the points tried, {why}{place}. The derivative exists wherever {f} is differentiable, so the answer must too."
    )
}
