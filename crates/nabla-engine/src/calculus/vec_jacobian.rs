//! ∂vec(F)/∂vec(X) derived for a matrix F (or a matrix X): the gradient of
//! the scalar ⟨U, F⟩ by X, for a seed U of F's shape, is linear in U — a sum
//! of terms L·U·R and L·Uᵀ·R — and each term is read off with the vec trick:
//! vec(L U R) = (Rᵀ ⊗ L) vec(U) = Jᵀ vec(U), so it contributes R ⊗ Lᵀ to J,
//! and vec(L Uᵀ R) = (Rᵀ ⊗ L) K(p, q) vec(U) contributes K(q, p) (R ⊗ Lᵀ).
//! The result is graded against the problem itself (reverse mode on F)
//! before it is shown, so a misread term can never be given as the answer.

use super::symbolic::{Derivation, derive};
use super::{Kind, Layout, Problem};
use crate::expr::ast::{BinOp, Expr, ExprKind, Fill};
use crate::expr::{Decl, Dim, Span, parse, print};
use crate::grade::{Options, Verdict, grade};

/// One term of the seeded gradient: sign, the factors left and right of
/// the seed, and whether the seed is transposed.
struct Term {
    negative: bool,
    left: Vec<Expr>,
    right: Vec<Expr>,
    transposed: bool,
}

fn ex(kind: ExprKind) -> Expr {
    Expr::new(kind, Span::default())
}

fn fail(what: &str) -> String {
    format!("nabla derive cannot yet read this ∂vec(F)/∂vec(X) off its gradient ({what})")
}

/// The Jacobian in the vec convention, for a Jacobian problem whose F or X
/// is a matrix.
pub fn derive_vec_jacobian(problem: &Problem) -> Result<Derivation, String> {
    if problem.kind != Kind::Jacobian {
        return Err(fail("not a Jacobian"));
    }
    let f_shape = problem.f.shape().clone();
    let seed = (0..)
        .map(|i| {
            if i == 0 {
                "U".to_string()
            } else {
                format!("U{i}")
            }
        })
        .find(|n| problem.decls.get(n).is_none())
        .expect("a free name");
    let mut decls = problem.decls.clone();
    decls.entries.push(Decl {
        name: seed.clone(),
        shape: f_shape.clone(),
        props: vec![],
    });
    let x = problem.wrt_name().to_string();
    let scalar = format!("sum({seed} .* ({}))", problem.f_text);
    let seeded =
        Problem::new(decls.clone(), &scalar, Some(&x), Layout::Numerator).map_err(|e| e.message)?;
    let g = derive(&seeded)?;
    let mut terms = Vec::new();
    collect_terms(&g.expr, &seed, &mut terms)?;
    let (p, q) = (f_shape.rows.clone(), f_shape.cols.clone());
    let mut pieces = Vec::new();
    for t in terms {
        // Uᵀ is q×p: its missing neighbours are identities of those sizes.
        let (lsize, rsize) = if t.transposed { (&q, &p) } else { (&p, &q) };
        let left = product(t.left).unwrap_or_else(|| identity(lsize));
        let right = product(t.right).unwrap_or_else(|| identity(rsize));
        let denominator = problem.layout == Layout::Denominator;
        let kron = |a: Expr, b: Expr| ex(ExprKind::Binary(BinOp::Kron, Box::new(a), Box::new(b)));
        let mul = |a: Expr, b: Expr| ex(ExprKind::Binary(BinOp::Mul, Box::new(a), Box::new(b)));
        // Numerator: R ⊗ Lᵀ; denominator, its transpose: Rᵀ ⊗ L.
        let plain = if is_identity(&left) && is_identity(&right) && t.transposed {
            None
        } else if denominator {
            Some(kron(transpose(right), left))
        } else {
            Some(kron(right, transpose(left)))
        };
        let j = if t.transposed {
            // Numerator K(q, p)·(R ⊗ Lᵀ); denominator (Rᵀ ⊗ L)·K(p, q).
            let k = if denominator {
                ex(ExprKind::Commutation(p.clone(), q.clone()))
            } else {
                ex(ExprKind::Commutation(q.clone(), p.clone()))
            };
            match plain {
                None => k,
                Some(m) if denominator => mul(m, k),
                Some(m) => mul(k, m),
            }
        } else {
            plain.expect("set when the seed is not transposed")
        };
        pieces.push(if t.negative {
            ex(ExprKind::Neg(Box::new(j)))
        } else {
            j
        });
    }
    let total = pieces
        .into_iter()
        .reduce(|a, b| ex(ExprKind::Binary(BinOp::Add, Box::new(a), Box::new(b))))
        .ok_or_else(|| fail("no term"))?;
    let text = print(&total);
    let verdict = grade(problem, &text, &Options::default())
        .map_err(|e| e.message)?
        .verdict;
    if verdict != Verdict::Correct {
        return Err(fail(&format!("the reading {text} does not match F")));
    }
    let expr = parse(&text, Some(&problem.decls)).map_err(|e| e.message)?;
    let mut steps = vec![format!(
        "seed: ∂vec(F)/∂vec({x}) is the matrix J with ∂⟨{seed}, F⟩/∂{x} = Jᵀ·vec({seed}) for every {seed} ({f_shape})"
    )];
    steps.extend(g.steps.iter().map(|s| format!("  {s}")));
    steps.push(format!(
        "vec trick: vec(L·{seed}·R) = (Rᵀ ⊗ L)·vec({seed}), vec(L·{seed}ᵀ·R) = (Rᵀ ⊗ L)·K({p}, {q})·vec({seed}); transposing, ∂vec(F)/∂vec({x}) = {text}"
    ));
    Ok(Derivation {
        shape: problem.expected.clone(),
        expr,
        text,
        steps,
    })
}

/// The gradient as a sum of signed products, every sum inside a product
/// multiplied out (X·(U + Uᵀ) is X·U + X·Uᵀ), then each product split at
/// its one seed factor.
fn collect_terms(e: &Expr, seed: &str, out: &mut Vec<Term>) -> Result<(), String> {
    for (negative, mut factors) in expand(e) {
        let is_seed = |f: &Expr| match &f.kind {
            ExprKind::Name(n) => n == seed,
            ExprKind::Transpose(a) => matches!(&a.kind, ExprKind::Name(n) if n == seed),
            _ => false,
        };
        let at: Vec<usize> = (0..factors.len())
            .filter(|&i| is_seed(&factors[i]))
            .collect();
        let [i] = at.as_slice() else {
            return Err(fail("the seed is not one factor of a product"));
        };
        let i = *i;
        if factors
            .iter()
            .enumerate()
            .any(|(k, f)| k != i && f.names().iter().any(|n| n == seed))
        {
            return Err(fail("the seed inside a factor"));
        }
        let transposed = matches!(factors[i].kind, ExprKind::Transpose(_));
        let right = factors.split_off(i + 1);
        factors.pop();
        out.push(Term {
            negative,
            left: factors,
            right,
            transposed,
        });
    }
    Ok(())
}

/// Signed products whose sum is `e`.
fn expand(e: &Expr) -> Vec<(bool, Vec<Expr>)> {
    let negate = |v: Vec<(bool, Vec<Expr>)>| v.into_iter().map(|(s, f)| (!s, f)).collect();
    match &e.kind {
        ExprKind::Binary(BinOp::Add, a, b) => [expand(a), expand(b)].concat(),
        ExprKind::Binary(BinOp::Sub, a, b) => [expand(a), negate(expand(b))].concat(),
        ExprKind::Neg(a) => negate(expand(a)),
        ExprKind::Binary(BinOp::Mul, a, b) => {
            let (left, right) = (expand(a), expand(b));
            let mut out = Vec::with_capacity(left.len() * right.len());
            for (sa, fa) in &left {
                for (sb, fb) in &right {
                    out.push((sa != sb, [fa.clone(), fb.clone()].concat()));
                }
            }
            out
        }
        _ => vec![(false, vec![e.clone()])],
    }
}

fn product(factors: Vec<Expr>) -> Option<Expr> {
    factors
        .into_iter()
        .reduce(|a, b| ex(ExprKind::Binary(BinOp::Mul, Box::new(a), Box::new(b))))
}

fn identity(n: &Dim) -> Expr {
    ex(ExprKind::Fill(Fill::Identity, Some((n.clone(), n.clone()))))
}

fn is_identity(e: &Expr) -> bool {
    matches!(e.kind, ExprKind::Fill(Fill::Identity, _))
}

/// Mᵀ, with (Aᵀ)ᵀ = A and Iᵀ = I.
fn transpose(e: Expr) -> Expr {
    match e.kind {
        ExprKind::Transpose(a) => *a,
        ExprKind::Fill(Fill::Identity, _) => e,
        _ => ex(ExprKind::Transpose(Box::new(e))),
    }
}
