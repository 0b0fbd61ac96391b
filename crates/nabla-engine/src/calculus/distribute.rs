//! Multiplying out entry-by-entry products over sums where that makes a
//! derivative shorter, so like terms cancel: the binary cross-entropy's
//! `(1 - y) ⊙ σ(x) - y ⊙ (1 - σ(x))` is `σ(x) - y`. `sym::Alg` keeps
//! products as built (multiplying out everywhere would lengthen most
//! results); `derive` asks here once, at the end, and keeps the shorter.

use std::cell::Cell;

use super::sym::{Alg, Node, Sym};

/// `s` with entry-by-entry products distributed over sums, so that like
/// terms can cancel: the cross-entropy's `(1 - y) ⊙ σ(x) - y ⊙ (1 - σ(x))`
/// becomes `σ(x) - y`. `budget` bounds the distributions (a product of
/// many sums would multiply out exponentially); past it, `s` is kept.
pub fn expand(alg: &Alg, s: &Sym, budget: &Cell<usize>) -> Sym {
    if budget.get() == 0 {
        return s.clone();
    }
    match &s.node {
        Node::Sum(ts) => alg.add(
            ts.iter().map(|t| expand(alg, t, budget)).collect(),
            s.shape.clone(),
        ),
        Node::Had(fs) => {
            let fs: Vec<Sym> = fs.iter().map(|f| expand(alg, f, budget)).collect();
            if let Some(i) = fs.iter().position(|f| matches!(f.node, Node::Sum(_))) {
                budget.set(budget.get().saturating_sub(1));
                let mut rest = fs;
                let sum = rest.remove(i);
                let Node::Sum(ts) = &sum.node else {
                    unreachable!("just matched")
                };
                let terms = ts
                    .iter()
                    .map(|t| {
                        let h = rest
                            .iter()
                            .fold(t.clone(), |acc, r| alg.had(acc, r.clone()));
                        expand(alg, &h, budget)
                    })
                    .collect();
                return alg.add(terms, s.shape.clone());
            }
            fs.into_iter()
                .reduce(|a, b| alg.had(a, b))
                .expect("a product has factors")
        }
        // c·(a + b) = c·a + c·b, so the terms join the sum around it.
        // Inside a matrix product each factor is expanded on its own:
        // ((1 - y) ⊙ σ(W·x) - y ⊙ (1 - σ(W·x)))·xᵀ = (σ(W·x) - y)·xᵀ.
        Node::Prod(p) if p.scalars.is_empty() && p.chain.len() > 1 => {
            let chain = p.chain.iter().map(|f| expand(alg, f, budget));
            let product = alg.product(chain).expect("a chain has factors");
            alg.scale(p.coef, product)
        }
        Node::Prod(p) if p.scalars.is_empty() && p.chain.len() == 1 => {
            let inner = expand(alg, &p.chain[0], budget);
            match &inner.node {
                Node::Sum(ts) => alg.add(
                    ts.iter().map(|t| alg.scale(p.coef, t.clone())).collect(),
                    s.shape.clone(),
                ),
                _ => alg.scale(p.coef, inner),
            }
        }
        _ => s.clone(),
    }
}

/// `expand(s)` when its written form is shorter than `s`'s, else `s`.
pub fn distributed_if_shorter(alg: &Alg, s: &Sym) -> Sym {
    let e = expand(alg, s, &Cell::new(64));
    if super::simplify::show(alg, &e).chars().count()
        < super::simplify::show(alg, s).chars().count()
    {
        e
    } else {
        s.clone()
    }
}
