//! The Hessian derived symbolically: the gradient of F first, then the
//! Jacobian of that gradient by the same vector — two runs of `derive`,
//! each checked against reverse mode on random instances — and the result
//! graded against the hyper-dual second derivatives of F itself (`hessian`),
//! so a rule slip in either run can never be shown as the Hessian.

use super::symbolic::{Derivation, derive};
use super::{Kind, Layout, Problem};
use crate::grade::{Options, Verdict, grade};

/// ∂²F/∂x∂xᵀ for a problem made by `Problem::hessian`, with the steps of
/// both derivations.
pub fn derive_hessian(problem: &Problem) -> Result<Derivation, String> {
    if problem.kind != Kind::Hessian {
        return Err("derive_hessian needs a Hessian problem (Problem::hessian)".into());
    }
    let x = problem.wrt_name().to_string();
    let gradient = Problem::new(
        problem.decls.clone(),
        &problem.f_text,
        Some(&x),
        Layout::Numerator,
    )
    .map_err(|e| e.message)?;
    let g = derive(&gradient)?;
    let jacobian = Problem::new(problem.decls.clone(), &g.text, Some(&x), Layout::Numerator)
        .map_err(|e| format!("the gradient {} does not read back: {}", g.text, e.message))?;
    // A gradient free of x (F linear in x) has the zero Hessian.
    let h = if jacobian.f.typed.uses_var(jacobian.wrt) {
        derive(&jacobian)?
    } else {
        Derivation {
            expr: crate::expr::parse("0", None).map_err(|e| e.message)?,
            text: "0".into(),
            shape: problem.expected.clone(),
            steps: vec![format!(
                "{} does not depend on {x}, so its Jacobian is 0",
                g.text
            )],
        }
    };
    // The truth of a Hessian comes from F alone: the result must be graded
    // correct against F's own second derivatives.
    let verdict = grade(problem, &h.text, &Options::default())
        .map_err(|e| e.message)?
        .verdict;
    if verdict != Verdict::Correct {
        return Err(format!(
            "nabla derive found {} for the Hessian, which does not match F's second derivatives: this is a bug in nabla, please report it",
            h.text
        ));
    }
    let mut steps = vec![format!("first the gradient: ∂F/∂{x} = {}", g.text)];
    steps.extend(g.steps.iter().map(|s| format!("  {s}")));
    steps.push(format!(
        "then the Hessian is the Jacobian of the gradient: ∂²F/∂{x}∂{x}ᵀ = ∂({})/∂{x}",
        g.text
    ));
    steps.extend(h.steps.iter().map(|s| format!("  {s}")));
    steps.push(format!("so ∂²F/∂{x}∂{x}ᵀ = {}", h.text));
    Ok(Derivation { steps, ..h })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::Decls;

    fn hessian(f: &str, given: &str) -> Result<String, String> {
        let p = Problem::hessian(Decls::parse(given).unwrap(), f, Some("x")).unwrap();
        derive_hessian(&p).map(|d| d.text)
    }

    #[test]
    fn the_issues_hessians_are_derived() {
        assert_eq!(hessian("x' A x", "A: n x n; x: n").unwrap(), "A + Aᵀ");
        let ls = hessian("norm(A x - b)^2", "A: m x n; x: n; b: m").unwrap();
        assert!(ls.contains("Aᵀ") && ls.contains('2'), "{ls}");
    }
}
