//! The last touches on a derivative, and its written form. Like factors are
//! collected (`A·x + Aᵀ·x = (A + Aᵀ)·x`, `2x - 2a = 2(x - a)`,
//! `X·c·bᵀ + X·b·cᵀ = X·(c·bᵀ + b·cᵀ)`) when that does not lengthen the
//! text; transposes are pulled out where that is shorter (`(X·B + B·X)ᵀ`,
//! `inv(X)ᵀ`); and the sizes of `I`, `ones` and `zeros` are written only
//! where the rest of the expression does not fix them.

use std::cell::Cell;

use crate::expr::ast::{BinOp, Expr, ExprKind, Fill, Func};
use crate::expr::limits::MAX_MATRIX_POWER;
use crate::expr::{Decls, Dim, Op, Shape, Span, Typed, print, shape};

use super::sym::{Alg, Node, Prod, Sym, same};

/// Sums with more terms than this are left as they are (only like terms merged).
const MAX_FACTOR_TERMS: usize = 12;

/// How many candidate forms collecting may weigh, for a whole derivative
/// (when it is spent the search stops; every candidate has the same value).
pub const BUDGET: usize = 400;

/// `s` with like factors collected, everywhere in the tree, weighing at
/// most `budget` candidate forms.
pub fn factor(alg: &Alg, s: &Sym, budget: usize) -> Sym {
    collected(alg, s, &Cell::new(budget))
}

fn collected(alg: &Alg, s: &Sym, budget: &Cell<usize>) -> Sym {
    let factor = |alg: &Alg, s: &Sym| collected(alg, s, budget);
    match &s.node {
        Node::Num(_) | Node::Var(_) | Node::Seed | Node::Fill(_) => s.clone(),
        Node::Matrix(rows) => alg.matrix(
            rows.iter()
                .map(|r| r.iter().map(|e| factor(alg, e)).collect())
                .collect(),
        ),
        Node::T(a) => alg.transpose(factor(alg, a)),
        Node::Sum(ts) => {
            let ts = ts.iter().map(|t| factor(alg, t)).collect();
            factor_sum(alg, ts, s.shape.clone(), budget)
        }
        Node::Prod(p) => {
            let mut acc = alg.num(p.coef);
            for (b, e) in &p.scalars {
                let f = alg.spow(factor(alg, b), *e);
                acc = alg.mul(acc, f);
            }
            let chain: Vec<Sym> = p.chain.iter().map(|c| factor(alg, c)).collect();
            let built = match alg.product(chain.iter().cloned()) {
                Some(c) => alg.mul(acc.clone(), c),
                None => acc.clone(),
            };
            expand_if_shorter(alg, built, &acc, &chain, budget)
        }
        Node::Had(fs) => fs
            .iter()
            .map(|f| factor(alg, f))
            .reduce(|x, y| alg.had(x, y))
            .expect("two factors"),
        Node::Div(a, b) => alg.ediv(factor(alg, a), factor(alg, b)),
        Node::EPow(a, b) | Node::Pow(a, b) => alg.epow(factor(alg, a), factor(alg, b)),
        Node::Call(f, a) => alg.call(*f, factor(alg, a)),
    }
}

/// Most chain factors, and terms of a sum among them, for which multiplying
/// out is tried.
const MAX_EXPAND: usize = 4;

/// `scalars·chain` multiplied out over a sum in its chain, when that reads
/// shorter: `diag(p)·(I - ones·pᵀ) = diag(p) - p·pᵀ`.
fn expand_if_shorter(
    alg: &Alg,
    built: Sym,
    scalars: &Sym,
    chain: &[Sym],
    budget: &Cell<usize>,
) -> Sym {
    if chain.len() < 2 || chain.len() > MAX_EXPAND || !spend(budget) {
        return built;
    }
    let Some(k) = chain
        .iter()
        .position(|c| matches!(&c.node, Node::Sum(ts) if ts.len() <= MAX_EXPAND && ts.iter().all(|t| t.shape == c.shape)))
    else {
        return built;
    };
    let Node::Sum(ts) = &chain[k].node else {
        return built;
    };
    let terms: Vec<Sym> = ts
        .iter()
        .map(|t| {
            let mut c = chain.to_vec();
            c[k] = t.clone();
            let p = alg.product(c).expect("factors");
            alg.mul(scalars.clone(), p)
        })
        .collect();
    let expanded = factor_sum(alg, terms, built.shape.clone(), budget);
    if text_len(alg, &expanded) < text_len(alg, &built) {
        expanded
    } else {
        built
    }
}

/// A term of a sum as (coefficient, scalar factors, chain).
type Parts = (f64, Vec<(Sym, f64)>, Vec<Sym>);

fn parts(t: &Sym) -> Parts {
    match &t.node {
        Node::Prod(p) => (p.coef, p.scalars.clone(), p.chain.clone()),
        _ => (1.0, vec![], vec![t.clone()]),
    }
}

fn rebuild(alg: &Alg, coef: f64, scalars: &[(Sym, f64)], chain: &[Sym]) -> Sym {
    let mut acc = alg.num(coef);
    for (b, e) in scalars {
        acc = alg.mul(acc, alg.spow(b.clone(), *e));
    }
    match alg.product(chain.iter().cloned()) {
        Some(c) => alg.mul(acc, c),
        None => acc,
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Side {
    Left,
    Right,
    Scalar,
}

/// The sum of `terms`, with common factors taken out where the text gets
/// no longer (on a tie, the collected form: `(A + Aᵀ)·x`).
fn factor_sum(alg: &Alg, terms: Vec<Sym>, shape: Shape, budget: &Cell<usize>) -> Sym {
    let base = alg.add(terms, shape.clone());
    let Node::Sum(ts) = &base.node else {
        return base;
    };
    if ts.len() > MAX_FACTOR_TERMS || !spend(budget) {
        return base;
    }
    let base_len = text_len(alg, &base);
    let mut best: Option<(usize, Sym)> = None;
    // `bonus` favours a form by that many characters (the textbook writes
    // 2(x - a), one character longer than 2x - 2a).
    let consider = |cand: Sym, bonus: usize, best: &mut Option<(usize, Sym)>| {
        let l = text_len(alg, &cand).saturating_sub(bonus);
        let better = match best {
            None => l <= base_len,
            Some((bl, _)) => l < *bl,
        };
        if better {
            *best = Some((l, cand));
        }
    };
    // A common coefficient: 2x - 2a = 2(x - a).
    let c = ts[0].coefficient().abs();
    if c != 1.0 && c != 0.0 && ts.iter().all(|t| t.coefficient().abs() == c) {
        let inner: Vec<Sym> = ts.iter().map(|t| alg.scale(1.0 / c, t.clone())).collect();
        let inner = factor_sum(alg, inner, shape.clone(), budget);
        consider(alg.scale(c, inner), 1, &mut best);
    }
    // A common factor on the left, on the right, or among the scalars.
    let eligible: Vec<bool> = ts.iter().map(|t| t.shape == shape).collect();
    let all_parts: Vec<_> = ts.iter().map(parts).collect();
    let mut tried: Vec<(Side, Sym, f64)> = Vec::new();
    for (i, (_, scalars, chain)) in all_parts.iter().enumerate() {
        if !eligible[i] {
            continue;
        }
        let mut keys: Vec<(Side, Sym, f64)> = Vec::new();
        if chain.len() >= 2 {
            keys.push((Side::Left, chain[0].clone(), 0.0));
            keys.push((Side::Right, chain[chain.len() - 1].clone(), 0.0));
        }
        for (b, e) in scalars {
            keys.push((Side::Scalar, b.clone(), *e));
        }
        for (side, f, e) in keys {
            if tried
                .iter()
                .any(|(s, g, x)| *s == side && *x == e && same(g, &f))
            {
                continue;
            }
            tried.push((side, f.clone(), e));
            if budget.get() == 0 {
                break;
            }
            let group = Group {
                side,
                f: &f,
                e,
                shape: &shape,
            };
            if let Some(cand) = collect(alg, ts, &all_parts, &eligible, &group, budget) {
                consider(cand, 0, &mut best);
            }
        }
    }
    best.map_or(base, |(_, s)| s)
}

/// Takes one unit of the budget, if any is left.
fn spend(budget: &Cell<usize>) -> bool {
    match budget.get() {
        0 => false,
        b => {
            budget.set(b - 1);
            true
        }
    }
}

/// A factor to take out of a sum: `f` on `side` (a scalar factor with exponent `e`).
struct Group<'a> {
    side: Side,
    f: &'a Sym,
    e: f64,
    shape: &'a Shape,
}

/// The sum with `f` taken out of every term that has it (on `side`), if two
/// or more do.
fn collect(
    alg: &Alg,
    ts: &[Sym],
    all_parts: &[Parts],
    eligible: &[bool],
    group_of: &Group,
    budget: &Cell<usize>,
) -> Option<Sym> {
    let Group { side, f, e, shape } = *group_of;
    let mut group = Vec::new();
    let mut others = Vec::new();
    for (j, (coef, scalars, chain)) in all_parts.iter().enumerate() {
        let rest = if !eligible[j] {
            None
        } else {
            match side {
                Side::Left if chain.len() >= 2 && same(&chain[0], f) => {
                    Some(rebuild(alg, *coef, scalars, &chain[1..]))
                }
                Side::Right if chain.len() >= 2 && same(&chain[chain.len() - 1], f) => {
                    Some(rebuild(alg, *coef, scalars, &chain[..chain.len() - 1]))
                }
                Side::Scalar => scalars
                    .iter()
                    .position(|(b, x)| *x == e && same(b, f))
                    .map(|k| {
                        let mut rest = scalars.clone();
                        rest.remove(k);
                        rebuild(alg, *coef, &rest, chain)
                    }),
                _ => None,
            }
        };
        match rest {
            Some(r) => group.push(r),
            None => others.push(ts[j].clone()),
        }
    }
    if group.len() < 2 {
        return None;
    }
    let inner_shape = group[0].shape.clone();
    if group.iter().any(|g| g.shape != inner_shape) {
        return None;
    }
    let inner = factor_sum(alg, group, inner_shape, budget);
    let term = match side {
        Side::Left => alg.mul(f.clone(), inner),
        Side::Right => alg.mul(inner, f.clone()),
        Side::Scalar => alg.mul(alg.spow(f.clone(), e), inner),
    };
    others.push(term);
    Some(factor_sum(alg, others, shape.clone(), budget))
}

fn text_len(alg: &Alg, s: &Sym) -> usize {
    print(&to_expr(alg, s)).chars().count()
}

fn ex(kind: ExprKind) -> Expr {
    Expr::new(kind, Span::default())
}

fn number(v: f64) -> Expr {
    if v < 0.0 || (v == 0.0 && v.is_sign_negative()) {
        ex(ExprKind::Neg(Box::new(ex(ExprKind::Number(-v)))))
    } else {
        ex(ExprKind::Number(v))
    }
}

fn bin(op: BinOp, a: Expr, b: Expr) -> Expr {
    ex(ExprKind::Binary(op, Box::new(a), Box::new(b)))
}

/// `-e`, with the minus on the leftmost factor of a product: `-2x`, `-inv(X)ᵀ·a`.
fn negate(e: Expr) -> Expr {
    match e.kind {
        ExprKind::Binary(op @ (BinOp::Mul | BinOp::Div), a, b) => bin(op, negate(*a), *b),
        ExprKind::Number(v) => number(-v),
        ExprKind::Neg(inner) => *inner,
        kind => ex(ExprKind::Neg(Box::new(ex(kind)))),
    }
}

/// The expression of the language that writes `s` (sizes of fills written out).
pub fn to_expr(alg: &Alg, s: &Sym) -> Expr {
    expr(alg, s, true)
}

fn expr(alg: &Alg, s: &Sym, pull: bool) -> Expr {
    // (X·B + B·X)ᵀ rather than Bᵀ·Xᵀ + Xᵀ·Bᵀ: pulled out, a transpose costs
    // one mark and (usually) two parentheses, so it must save more than three.
    if pull
        && !s.is_scalar()
        && matches!(s.node, Node::Sum(_) | Node::Prod(_))
        && s.transposes() > 3
    {
        let t = alg.transpose(s.clone());
        if t.transposes() + 3 < s.transposes() {
            // -(M)ᵀ rather than (-M)ᵀ.
            return if t.coefficient() < 0.0 {
                let positive = alg.scale(-1.0, t);
                negate(ex(ExprKind::Transpose(Box::new(expr(
                    alg, &positive, false,
                )))))
            } else {
                ex(ExprKind::Transpose(Box::new(expr(alg, &t, false))))
            };
        }
    }
    match &s.node {
        Node::Num(v) => number(*v),
        Node::Var(i) => ex(ExprKind::Name(alg.decls.entries[*i].name.clone())),
        Node::Seed => ex(ExprKind::Name("ū".to_string())),
        Node::Fill(f) => ex(ExprKind::Fill(
            *f,
            Some((s.shape.rows.clone(), s.shape.cols.clone())),
        )),
        Node::Matrix(rows) => ex(ExprKind::Matrix(
            rows.iter()
                .map(|r| r.iter().map(|e| expr(alg, e, true)).collect())
                .collect(),
        )),
        Node::T(a) => ex(ExprKind::Transpose(Box::new(expr(alg, a, true)))),
        Node::Sum(ts) => {
            let mut acc: Option<Expr> = None;
            for t in ts {
                let negative = t.coefficient() < 0.0;
                let body = if negative {
                    expr(alg, &alg.scale(-1.0, t.clone()), true)
                } else {
                    expr(alg, t, true)
                };
                acc = Some(match acc {
                    None if negative => negate(body),
                    None => body,
                    Some(a) => bin(if negative { BinOp::Sub } else { BinOp::Add }, a, body),
                });
            }
            acc.unwrap_or_else(|| number(0.0))
        }
        Node::Prod(p) => prod_expr(alg, p),
        Node::Had(fs) => fs
            .iter()
            .map(|f| expr(alg, f, true))
            .reduce(|a, b| bin(BinOp::Hadamard, a, b))
            .expect("two factors"),
        Node::Div(a, b) => bin(BinOp::ElemDiv, expr(alg, a, true), expr(alg, b, true)),
        Node::EPow(a, b) => bin(BinOp::ElemPow, expr(alg, a, true), expr(alg, b, true)),
        Node::Pow(a, b) => bin(BinOp::Pow, expr(alg, a, true), expr(alg, b, true)),
        Node::Call(crate::expr::Func::Inv, m) => {
            // inv(Xᵀ) is written inv(X)ᵀ, as the textbooks do.
            let t = alg.transpose(m.as_ref().clone());
            if t.transposes() < m.transposes() {
                let inner = ex(ExprKind::Call(
                    crate::expr::Func::Inv,
                    Box::new(expr(alg, &t, true)),
                ));
                ex(ExprKind::Transpose(Box::new(inner)))
            } else {
                ex(ExprKind::Call(
                    crate::expr::Func::Inv,
                    Box::new(expr(alg, m, true)),
                ))
            }
        }
        // sum(ones(n)) is the size n, written as the number it is (`x/n`).
        Node::Call(crate::expr::Func::Sum, a)
            if matches!(a.node, Node::Fill(Fill::Ones))
                && a.shape.cols.is_one()
                && matches!(a.shape.rows, Dim::Sym(_)) =>
        {
            ex(ExprKind::Size(a.shape.rows.to_string()))
        }
        // diag(r) for a row r (nabla keeps the column rᵀ inside).
        Node::Call(crate::expr::Func::Diag, a)
            if a.shape.is_vector()
                && alg.transpose(a.as_ref().clone()).transposes() < a.transposes() =>
        {
            let t = alg.transpose(a.as_ref().clone());
            ex(ExprKind::Call(
                crate::expr::Func::Diag,
                Box::new(expr(alg, &t, true)),
            ))
        }
        Node::Call(f, a) => {
            // softmax(v)ᵀ rather than softmax(vᵀ); exp(x)ᵀ rather than exp(xᵀ).
            // (Of a matrix, softmax works column by column: no such identity.)
            let softmax_of_vector = *f == crate::expr::Func::Softmax && a.shape.is_vector();
            if f.is_elementwise() || softmax_of_vector {
                let t = alg.transpose(a.as_ref().clone());
                let row_softmax = *f == crate::expr::Func::Softmax && a.shape.rows.is_one();
                let (tt, ta) = (t.transposes(), a.transposes());
                if tt < ta || (row_softmax && tt == ta && ta > 0) {
                    let inner = ex(ExprKind::Call(*f, Box::new(expr(alg, &t, true))));
                    return ex(ExprKind::Transpose(Box::new(inner)));
                }
            }
            ex(ExprKind::Call(*f, Box::new(expr(alg, a, true))))
        }
    }
}

/// A positive coefficient, as a fraction when it is one exactly with a small
/// denominator and its decimals run on (`2/3`, not `0.6666666666666666`;
/// but `0.2` and `0.125` stay): `p/q` reads back as the same f64, since
/// division is correctly rounded.
fn coefficient(c: f64) -> Expr {
    if c.fract() != 0.0 && crate::expr::print::format_number(c).len() > 6 {
        for q in 2..=MAX_DENOMINATOR {
            let p = c * q as f64;
            if p.fract() == 0.0 && p.abs() < 1e9 && p / q as f64 == c {
                return bin(BinOp::Div, number(p), number(q as f64));
            }
        }
    }
    number(c)
}

/// The largest denominator a coefficient is written with as a fraction.
const MAX_DENOMINATOR: i64 = 100;

fn prod_expr(alg: &Alg, p: &Prod) -> Expr {
    let mut pieces: Vec<Expr> = Vec::new();
    let c = p.coef.abs();
    if c != 1.0 {
        pieces.push(coefficient(c));
    }
    let mut den: Vec<Expr> = Vec::new();
    for (b, e) in &p.scalars {
        let be = expr(alg, b, true);
        let mag = e.abs();
        let piece = if mag == 1.0 {
            be
        } else {
            bin(BinOp::Pow, be, number(mag))
        };
        if *e > 0.0 {
            pieces.push(piece);
        } else {
            den.push(piece);
        }
    }
    let mut i = 0;
    while i < p.chain.len() {
        let mut j = i + 1;
        while j < p.chain.len() && same(&p.chain[j], &p.chain[i]) {
            j += 1;
        }
        let f = expr(alg, &p.chain[i], true);
        // A run longer than the parser's largest power is written as
        // several powers (A⁶⁴·A⁶⁴·A³ for 131 factors): never `A¹³¹`,
        // which would not read back.
        let mut run = (j - i) as i64;
        while run > 0 {
            let k = run.min(MAX_MATRIX_POWER);
            pieces.push(if k == 1 {
                f.clone()
            } else {
                bin(BinOp::Pow, f.clone(), number(k as f64))
            });
            run -= k;
        }
        i = j;
    }
    let num = pieces
        .into_iter()
        .reduce(|a, b| bin(BinOp::Mul, a, b))
        .unwrap_or_else(|| number(1.0));
    let e = match den.into_iter().reduce(|a, b| bin(BinOp::Mul, a, b)) {
        Some(d) => bin(BinOp::Div, num, d),
        None => num,
    };
    if p.coef < 0.0 { negate(e) } else { e }
}

/// Fills (`I`, `ones`, `zeros`) in the order a walk meets them, with their sizes.
fn expr_fills(e: &Expr, out: &mut Vec<Option<(Dim, Dim)>>) {
    match &e.kind {
        ExprKind::Fill(_, size) => out.push(size.clone()),
        // A size reads as sum(ones(n)), whose `ones` the typed walk meets:
        // counted here too, so the two walks stay aligned.
        ExprKind::Size(n) => out.push(Some((Dim::Sym(n.clone()), Dim::one()))),
        ExprKind::Number(_) | ExprKind::Name(_) | ExprKind::Commutation(..) => {}
        // mean(A) reads as sum(A)/sum(ones), whose `ones` comes after A's.
        ExprKind::Call(Func::Mean, a) => {
            expr_fills(a, out);
            out.push(None);
        }
        ExprKind::Matrix(rows) => rows.iter().flatten().for_each(|x| expr_fills(x, out)),
        ExprKind::Neg(a) | ExprKind::Transpose(a) | ExprKind::Call(_, a) => expr_fills(a, out),
        ExprKind::Binary(_, a, b) => {
            expr_fills(a, out);
            expr_fills(b, out);
        }
    }
}

fn typed_fills(t: &Typed, out: &mut Vec<(Dim, Dim)>) {
    if let Op::Fill(_) = t.op {
        out.push((t.shape.rows.clone(), t.shape.cols.clone()));
    }
    for c in t.children() {
        typed_fills(c, out);
    }
}

/// `e` with the sizes of the fills whose `keep` is false removed.
fn strip(e: &Expr, keep: &[bool], next: &mut usize) -> Expr {
    let kind = match &e.kind {
        ExprKind::Fill(f, size) => {
            let k = keep.get(*next).copied().unwrap_or(true);
            *next += 1;
            ExprKind::Fill(*f, if k { size.clone() } else { None })
        }
        ExprKind::Size(_) => {
            *next += 1;
            e.kind.clone()
        }
        ExprKind::Number(_) | ExprKind::Name(_) | ExprKind::Commutation(..) => e.kind.clone(),
        ExprKind::Call(Func::Mean, a) => {
            let a = strip(a, keep, next);
            *next += 1;
            ExprKind::Call(Func::Mean, Box::new(a))
        }
        ExprKind::Matrix(rows) => ExprKind::Matrix(
            rows.iter()
                .map(|r| r.iter().map(|x| strip(x, keep, next)).collect())
                .collect(),
        ),
        ExprKind::Neg(a) => ExprKind::Neg(Box::new(strip(a, keep, next))),
        ExprKind::Transpose(a) => ExprKind::Transpose(Box::new(strip(a, keep, next))),
        ExprKind::Call(f, a) => ExprKind::Call(*f, Box::new(strip(a, keep, next))),
        ExprKind::Binary(op, a, b) => {
            let a = strip(a, keep, next);
            let b = strip(b, keep, next);
            ExprKind::Binary(*op, Box::new(a), Box::new(b))
        }
    };
    ex(kind)
}

/// `e` (every fill sized) with each size dropped that the rest of the
/// expression fixes anyway: `A + I`, not `A + I(n)`; but `I(n)` alone.
pub fn settle_fills(e: &Expr, decls: &Decls, expected: &Shape) -> Expr {
    let mut want = Vec::new();
    expr_fills(e, &mut want);
    if want.is_empty() {
        return e.clone();
    }
    let mut keep = vec![false; want.len()];
    loop {
        let cand = strip(e, &keep, &mut 0);
        if let Ok(t) = shape::check(&cand, Some(decls))
            && t.shape == *expected
        {
            let mut got = Vec::new();
            typed_fills(&t, &mut got);
            let bad: Vec<usize> = (0..want.len())
                .filter(|&i| !keep[i] && want[i].as_ref() != got.get(i))
                .collect();
            if bad.is_empty() {
                return cand;
            }
            for i in bad {
                keep[i] = true;
            }
            continue;
        }
        if keep.iter().all(|k| *k) {
            return e.clone();
        }
        keep.fill(true);
    }
}

/// How a step shows an intermediate expression: collected, with a bare `I`.
pub fn show(alg: &Alg, s: &Sym) -> String {
    let e = to_expr(alg, &factor(alg, s, BUDGET / 10));
    print(&bare_identities(&e))
}

fn bare_identities(e: &Expr) -> Expr {
    let kind = match &e.kind {
        ExprKind::Fill(Fill::Identity, _) => ExprKind::Fill(Fill::Identity, None),
        ExprKind::Fill(..)
        | ExprKind::Number(_)
        | ExprKind::Name(_)
        | ExprKind::Size(_)
        | ExprKind::Commutation(..) => e.kind.clone(),
        ExprKind::Matrix(rows) => ExprKind::Matrix(
            rows.iter()
                .map(|r| r.iter().map(bare_identities).collect())
                .collect(),
        ),
        ExprKind::Neg(a) => ExprKind::Neg(Box::new(bare_identities(a))),
        ExprKind::Transpose(a) => ExprKind::Transpose(Box::new(bare_identities(a))),
        ExprKind::Call(f, a) => ExprKind::Call(*f, Box::new(bare_identities(a))),
        ExprKind::Binary(op, a, b) => ExprKind::Binary(
            *op,
            Box::new(bare_identities(a)),
            Box::new(bare_identities(b)),
        ),
    };
    ex(kind)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::Func;

    fn text(alg: &Alg, s: &Sym) -> String {
        print(&to_expr(alg, &factor(alg, s, BUDGET)))
    }

    #[test]
    fn constructors_simplify_and_keep_the_value() {
        let decls = Decls::parse(
            "A, B: n x n; S: n x n symmetric; Q: n x n orthogonal; x, a, u, v: n; y: n onehot; s: scalar",
        )
        .unwrap();
        let alg = Alg::new(&decls);
        let v = |name: &str| alg.var(decls.index_of(name).unwrap());
        let t = |s: Sym| alg.transpose(s);
        let (a, x) = (v("A"), v("x"));
        assert_eq!(text(&alg, &alg.add2(x.clone(), x.clone())), "2x");
        assert_eq!(text(&alg, &t(t(a.clone()))), "A");
        assert_eq!(text(&alg, &t(v("S"))), "S");
        assert_eq!(text(&alg, &alg.mul(t(v("Q")), v("Q"))), "I(n)");
        let inv_a = alg.call(Func::Inv, a.clone());
        assert_eq!(
            text(&alg, &alg.mul(alg.mul(inv_a, a.clone()), x.clone())),
            "x"
        );
        let outer = alg.mul(v("u"), t(v("a")));
        let tr = text(&alg, &alg.call(Func::Tr, outer));
        assert!(tr == "aᵀ·u" || tr == "uᵀ·a", "{tr}");
        let h = alg.had(v("u"), v("a"));
        assert_eq!(text(&alg, &alg.call(Func::Sum, h)), "uᵀ·a");
        let half = alg.scale(0.5, alg.scale(2.0, x.clone()));
        assert_eq!(text(&alg, &half), "x");
        let e = alg.call(Func::Exp, x.clone());
        let lse = alg.call(Func::Sum, e.clone());
        assert_eq!(text(&alg, &alg.mul(e, alg.spow(lse, -1.0))), "softmax(x)");
        assert_eq!(text(&alg, &alg.call(Func::Sum, v("y"))), "1");
        let both = alg.add2(
            alg.mul(a.clone(), x.clone()),
            alg.mul(t(a.clone()), x.clone()),
        );
        assert_eq!(text(&alg, &both), "(A + Aᵀ)·x");
        let diff = alg.sub(alg.scale(2.0, x.clone()), alg.scale(2.0, v("a")));
        assert_eq!(text(&alg, &diff), "2(x - a)");
        let ones_minus_one = alg.sub(alg.ones(x.shape.clone()), alg.num(1.0));
        assert_eq!(text(&alg, &ones_minus_one), "zeros(n)");
        let st = alg.add2(alg.mul(v("S"), x.clone()), alg.mul(t(v("S")), x.clone()));
        assert_eq!(text(&alg, &st), "2S·x");
        let s2 = alg.spow(v("s"), 2.0);
        let s_inv = alg.spow(v("s"), -1.0);
        assert_eq!(text(&alg, &alg.mul(s2, s_inv)), "s");
    }
}
