//! `backprop` exercises: a small network's forward pass (`z1 = W1 x + b1`,
//! …), a loss in terms of it, and steps that ask for the gradient by one name
//! at a time, in backward order. Each step is a derivative problem in which
//! the forward names are defined names (computed on every instance), the step's
//! own name is the variable, and earlier steps' gradients are available as
//! `d` + their name (`dz2`), defined by their reference answers.

use super::exercise::{decls_of, layout_of};
use super::schema::Exercise;
use crate::calculus::Problem;
use crate::expr::decl::is_identifier;
use crate::expr::{Decl, Decls, Expr, ExprKind, Typed, parse, print, shape};

/// The declarations a step sees, and how the defined ones are computed.
pub struct Network {
    pub decls: Decls,
    pub forward: Vec<(String, Expr)>,
    pub definitions: Vec<(usize, Typed)>,
}

/// `"z1 = W1 x + b1"` → `("z1", "W1 x + b1")`.
pub fn split_definition(line: &str) -> Result<(&str, &str), String> {
    let (name, expr) = line
        .split_once('=')
        .ok_or_else(|| format!("'{line}' is not a definition: write NAME = EXPRESSION"))?;
    let name = name.trim();
    if !is_identifier(name) {
        return Err(format!("'{name}' is not a valid name"));
    }
    Ok((name, expr.trim()))
}

/// The network up to (not including) step `step`: base names, forward names,
/// and `d`-names of the earlier steps.
pub fn network(ex: &Exercise, step: usize) -> Result<Network, String> {
    let mut decls = decls_of(ex)?;
    let mut forward = Vec::new();
    let mut definitions = Vec::new();
    for line in &ex.forward {
        let (name, src) = split_definition(line.get_ref())?;
        define(&mut decls, &mut definitions, name, src)
            .map_err(|e| format!("forward '{name}': {e}"))?;
        let ast = parse(src, Some(&decls)).map_err(|e| e.message)?;
        forward.push((name.to_string(), ast));
    }
    for s in ex.steps.iter().take(step) {
        let name = format!("d{}", s.wrt.get_ref());
        define(&mut decls, &mut definitions, &name, s.answer.get_ref())
            .map_err(|e| format!("the answer of the step by {}: {e}", s.wrt.get_ref()))?;
    }
    Ok(Network {
        decls,
        forward,
        definitions,
    })
}

pub(crate) fn define(
    decls: &mut Decls,
    definitions: &mut Vec<(usize, Typed)>,
    name: &str,
    src: &str,
) -> Result<(), String> {
    if decls.get(name).is_some() {
        return Err(format!("'{name}' is already declared"));
    }
    let ast = parse(src, Some(decls)).map_err(|e| e.message)?;
    let typed = shape::check(&ast, Some(decls)).map_err(|e| e.message)?;
    decls.entries.push(Decl {
        name: name.to_string(),
        shape: typed.shape.clone(),
        props: Vec::new(),
    });
    definitions.push((decls.entries.len() - 1, typed));
    Ok(())
}

/// Replaces every forward name except `keep` by its definition, so the loss
/// is a function of the base names and `keep` alone.
pub(crate) fn expand(e: &Expr, forward: &[(String, Expr)], keep: &str) -> Expr {
    let kind = match &e.kind {
        ExprKind::Name(n) if n != keep => {
            if let Some((_, def)) = forward.iter().find(|(f, _)| f == n) {
                return expand(def, forward, keep);
            }
            return e.clone();
        }
        ExprKind::Number(_)
        | ExprKind::Name(_)
        | ExprKind::Size(_)
        | ExprKind::Fill(..)
        | ExprKind::Commutation(..) => {
            return e.clone();
        }
        ExprKind::Matrix(rows) => ExprKind::Matrix(
            rows.iter()
                .map(|r| r.iter().map(|x| expand(x, forward, keep)).collect())
                .collect(),
        ),
        ExprKind::Neg(a) => ExprKind::Neg(Box::new(expand(a, forward, keep))),
        ExprKind::Transpose(a) => ExprKind::Transpose(Box::new(expand(a, forward, keep))),
        ExprKind::Call(f, a) => ExprKind::Call(*f, Box::new(expand(a, forward, keep))),
        ExprKind::Binary(op, a, b) => ExprKind::Binary(
            *op,
            Box::new(expand(a, forward, keep)),
            Box::new(expand(b, forward, keep)),
        ),
    };
    Expr::new(kind, e.span)
}

/// The derivative problem of step `step` (0-based).
pub fn step_problem(ex: &Exercise, step: usize) -> Result<Problem, String> {
    let s = ex
        .steps
        .get(step)
        .ok_or_else(|| format!("there is no step {}", step + 1))?;
    let net = network(ex, step)?;
    let f = ex.f.as_ref().ok_or("the exercise has no `f` (the loss)")?;
    let loss = parse(f.get_ref(), Some(&net.decls)).map_err(|e| format!("f: {}", e.message))?;
    let wrt = s.wrt.get_ref();
    if net.decls.get(wrt).is_none() {
        return Err(format!(
            "step by '{wrt}': '{wrt}' is neither a given nor a forward name"
        ));
    }
    let expanded = print(&expand(&loss, &net.forward, wrt));
    let layout = layout_of(ex.layout.as_ref().map(|l| l.get_ref().as_str()))?;
    let name = ex
        .name
        .as_ref()
        .map_or("the loss", |n| n.get_ref().as_str());
    Problem::new(net.decls, &expanded, Some(wrt), layout)
        .map(|p| p.with_definitions(net.definitions).named(name))
        .map_err(|e| e.message)
}
