//! Symbolic matrix expressions in a normal form, for `symbolic` to build
//! derivatives in. Every constructor of `Alg` simplifies as it builds, and
//! every rewrite keeps the value wherever the original is defined:
//!
//! - numbers are folded; zeros, `1·A`, `A·1` and `I·A` disappear;
//! - a product is one node: a coefficient, scalar (1×1) factors with
//!   exponents (`s²`, `‖x‖⁻¹`, equal bases merged) and a chain of matrix
//!   factors (`A·B·x`), with `inv(A)·A`, `Qᵀ·Q` (Q orthogonal) and
//!   `diag(v)·ones` cancelled;
//! - transposes are pushed down to the names (`(A·B)ᵀ = Bᵀ·Aᵀ`), and vanish on
//!   1×1 values and on names declared symmetric, spd or diagonal;
//! - sums are flattened and like terms merged (`x + x = 2x`); a 1×1 term in a
//!   sum of matrices is broadcast (`1 - σ(x)`), as in the language;
//! - `tr` of a 1×1 value is the value, `sum(u ⊙ v) = uᵀ·v` for vectors, and
//!   the sum of a onehot or probability vector (or of a softmax) is 1.
//!
//! Equality is structural (sums and Hadamard products compare as multisets),
//! with a structural hash kept in every node so comparisons stay cheap.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use crate::expr::{Decls, Dim, Fill, Func, Property, Shape};

/// A symbolic expression with its shape.
#[derive(Clone, Debug)]
pub struct Sym {
    pub node: Node,
    pub shape: Shape,
    hash: u64,
    seed: bool,
    /// How many transposes the expression writes.
    tc: usize,
}

#[derive(Clone, Debug)]
pub enum Node {
    Num(f64),
    /// A declared name, by its index in the declarations.
    Var(usize),
    /// The upstream adjoint ū, a placeholder for any seed (Jacobians and
    /// derivatives by a scalar are read off the expressions linear in it).
    Seed,
    Fill(Fill),
    Matrix(Vec<Vec<Sym>>),
    /// Only around names, the seed, a column softmax or a diagonal taken out.
    T(Box<Sym>),
    /// Two or more terms.
    Sum(Vec<Sym>),
    Prod(Prod),
    /// Entry-by-entry product of two or more factors of one (non-1×1) shape.
    Had(Vec<Sym>),
    /// `a ./ b`; `a` may be 1×1 (broadcast).
    Div(Box<Sym>, Box<Sym>),
    /// `a .^ b` entry by entry (a 1×1 side is broadcast).
    EPow(Box<Sym>, Box<Sym>),
    /// `a ^ b` for scalars with an exponent that is not a number.
    Pow(Box<Sym>, Box<Sym>),
    Call(Func, Box<Sym>),
}

/// `coef · Π scalarᵉ · chain₁·chain₂·…`
#[derive(Clone, Debug)]
pub struct Prod {
    pub coef: f64,
    pub scalars: Vec<(Sym, f64)>,
    pub chain: Vec<Sym>,
}

fn bits(v: f64) -> u64 {
    if v == 0.0 { 0 } else { v.to_bits() }
}

fn unordered(hashes: impl Iterator<Item = u64>, h: &mut DefaultHasher) {
    let mut v: Vec<u64> = hashes.collect();
    v.sort_unstable();
    v.hash(h);
}

impl Sym {
    fn new(node: Node, shape: Shape) -> Sym {
        let mut h = DefaultHasher::new();
        shape.hash(&mut h);
        let mut seed = false;
        {
            let mut see = |s: &Sym| {
                seed |= s.seed;
                s.hash
            };
            match &node {
                Node::Num(v) => (0u8, bits(*v)).hash(&mut h),
                Node::Var(i) => (1u8, *i).hash(&mut h),
                Node::Seed => {
                    2u8.hash(&mut h);
                }
                Node::Fill(f) => (3u8, f).hash(&mut h),
                Node::Matrix(rows) => {
                    4u8.hash(&mut h);
                    for r in rows {
                        r.len().hash(&mut h);
                        for e in r {
                            see(e).hash(&mut h);
                        }
                    }
                }
                Node::T(a) => (5u8, see(a)).hash(&mut h),
                Node::Sum(ts) => {
                    6u8.hash(&mut h);
                    let hs: Vec<u64> = ts.iter().map(&mut see).collect();
                    unordered(hs.into_iter(), &mut h);
                }
                Node::Prod(p) => {
                    7u8.hash(&mut h);
                    bits(p.coef).hash(&mut h);
                    let hs: Vec<u64> = p
                        .scalars
                        .iter()
                        .map(|(b, e)| see(b) ^ bits(*e).rotate_left(17))
                        .collect();
                    unordered(hs.into_iter(), &mut h);
                    for c in &p.chain {
                        see(c).hash(&mut h);
                    }
                }
                Node::Had(fs) => {
                    8u8.hash(&mut h);
                    let hs: Vec<u64> = fs.iter().map(&mut see).collect();
                    unordered(hs.into_iter(), &mut h);
                }
                Node::Div(a, b) => (9u8, see(a), see(b)).hash(&mut h),
                Node::EPow(a, b) => (10u8, see(a), see(b)).hash(&mut h),
                Node::Pow(a, b) => (11u8, see(a), see(b)).hash(&mut h),
                Node::Call(f, a) => (12u8, f, see(a)).hash(&mut h),
            }
        }
        if matches!(node, Node::Seed) {
            seed = true;
        }
        let mut sym = Sym {
            node,
            shape,
            hash: h.finish(),
            seed,
            tc: 0,
        };
        sym.tc = usize::from(matches!(sym.node, Node::T(_)))
            + sym.children().iter().map(|c| c.tc).sum::<usize>();
        sym
    }

    /// Whether the seed ū occurs in this expression.
    pub fn has_seed(&self) -> bool {
        self.seed
    }

    pub fn is_scalar(&self) -> bool {
        self.shape.is_scalar()
    }

    pub fn is_zero(&self) -> bool {
        match &self.node {
            Node::Num(v) => *v == 0.0,
            Node::Fill(Fill::Zeros) => true,
            _ => false,
        }
    }

    pub fn is_identity(&self) -> bool {
        matches!(self.node, Node::Fill(Fill::Identity))
            || matches!(self.node, Node::Num(v) if v == 1.0)
    }

    pub fn is_ones(&self) -> bool {
        matches!(self.node, Node::Fill(Fill::Ones)) || matches!(self.node, Node::Num(v) if v == 1.0)
    }

    pub fn num_value(&self) -> Option<f64> {
        match self.node {
            Node::Num(v) => Some(v),
            _ => None,
        }
    }

    /// The coefficient a sum shows in front of this term (its sign decides `+` or `-`).
    pub fn coefficient(&self) -> f64 {
        match &self.node {
            Node::Num(v) => *v,
            Node::Prod(p) => p.coef,
            _ => 1.0,
        }
    }

    /// How many transposes the expression writes (a measure of tidiness).
    pub fn transposes(&self) -> usize {
        self.tc
    }

    pub fn children(&self) -> Vec<&Sym> {
        match &self.node {
            Node::Num(_) | Node::Var(_) | Node::Seed | Node::Fill(_) => vec![],
            Node::Matrix(rows) => rows.iter().flatten().collect(),
            Node::T(a) | Node::Call(_, a) => vec![a],
            Node::Sum(ts) | Node::Had(ts) => ts.iter().collect(),
            Node::Prod(p) => p
                .scalars
                .iter()
                .map(|(b, _)| b)
                .chain(p.chain.iter())
                .collect(),
            Node::Div(a, b) | Node::EPow(a, b) | Node::Pow(a, b) => vec![a, b],
        }
    }
}

/// Structural equality (sums, Hadamard products and scalar factors as multisets).
pub fn same(a: &Sym, b: &Sym) -> bool {
    if a.hash != b.hash || a.shape != b.shape {
        return false;
    }
    match (&a.node, &b.node) {
        (Node::Num(x), Node::Num(y)) => x == y,
        (Node::Var(i), Node::Var(j)) => i == j,
        (Node::Seed, Node::Seed) => true,
        (Node::Fill(f), Node::Fill(g)) => f == g,
        (Node::Matrix(r1), Node::Matrix(r2)) => {
            r1.len() == r2.len()
                && r1
                    .iter()
                    .zip(r2)
                    .all(|(x, y)| x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q)))
        }
        (Node::T(x), Node::T(y)) => same(x, y),
        (Node::Sum(x), Node::Sum(y)) | (Node::Had(x), Node::Had(y)) => {
            same_multiset(x.iter().map(|s| (s, 0.0)), y.iter().map(|s| (s, 0.0)))
        }
        (Node::Prod(p), Node::Prod(q)) => {
            p.coef == q.coef
                && p.chain.len() == q.chain.len()
                && p.chain.iter().zip(&q.chain).all(|(x, y)| same(x, y))
                && same_multiset(
                    p.scalars.iter().map(|(s, e)| (s, *e)),
                    q.scalars.iter().map(|(s, e)| (s, *e)),
                )
        }
        (Node::Div(a1, b1), Node::Div(a2, b2))
        | (Node::EPow(a1, b1), Node::EPow(a2, b2))
        | (Node::Pow(a1, b1), Node::Pow(a2, b2)) => same(a1, a2) && same(b1, b2),
        (Node::Call(f, x), Node::Call(g, y)) => f == g && same(x, y),
        _ => false,
    }
}

fn same_multiset<'a>(
    x: impl Iterator<Item = (&'a Sym, f64)>,
    y: impl Iterator<Item = (&'a Sym, f64)>,
) -> bool {
    let x: Vec<_> = x.collect();
    let mut y: Vec<Option<(&Sym, f64)>> = y.map(Some).collect();
    if x.len() != y.len() {
        return false;
    }
    'outer: for (s, e) in x {
        for slot in y.iter_mut() {
            if let Some((t, f)) = slot
                && *f == e
                && same(s, t)
            {
                *slot = None;
                continue 'outer;
            }
        }
        return false;
    }
    true
}

/// The shape of a (non-empty) chain's product.
fn chain_shape(chain: &[Sym]) -> Shape {
    Shape::new(
        chain[0].shape.rows.clone(),
        chain[chain.len() - 1].shape.cols.clone(),
    )
}

fn is_whole(e: f64) -> bool {
    e.fract() == 0.0 && e.abs() < 1e6
}

/// The pieces of a product: what `Alg::mul` multiplies together.
struct Parts {
    coef: f64,
    scalars: Vec<(Sym, f64)>,
    chain: Vec<Sym>,
}

/// Builds normalized expressions; knows the declarations (for shapes and for
/// what the declared properties allow: `Sᵀ = S`, `Qᵀ·Q = I`, `sum(y) = 1`).
#[derive(Clone, Copy)]
pub struct Alg<'a> {
    pub decls: &'a Decls,
    /// Like terms merge only where their coefficients add exactly (see
    /// `exact`).
    exact: bool,
}

impl<'a> Alg<'a> {
    pub fn new(decls: &'a Decls) -> Self {
        Alg {
            decls,
            exact: false,
        }
    }

    /// An algebra whose results are the same function to the last bit of
    /// their coefficients, for the grader's truth (`grade::swamp`): like
    /// terms merge only where their coefficients add without rounding, so
    /// `s·v + 1e20·s·v − 1e20·s·v` keeps `s·v` (plain merging makes
    /// 1 + 1e20 = 1e20, then 0). `derive`'s algebra merges always: its
    /// results are graded, and `0.1x + 0.2x` reads better as `0.3x`.
    pub fn exact(decls: &'a Decls) -> Self {
        Alg { decls, exact: true }
    }

    /// 0.30000000000000004 → 0.3 for reading; left as is in `exact`.
    fn tidy(&self, v: f64) -> f64 {
        if self.exact { v } else { tidy(v) }
    }

    fn has(&self, i: usize, p: Property) -> bool {
        self.decls.entries.get(i).is_some_and(|d| d.has(p))
    }

    fn symmetric_name(&self, i: usize) -> bool {
        self.decls
            .entries
            .get(i)
            .is_some_and(|d| d.shape.is_square() && d.props.iter().any(|p| p.implies_symmetric()))
    }

    pub fn num(&self, v: f64) -> Sym {
        Sym::new(Node::Num(self.tidy(v)), Shape::scalar())
    }

    pub fn var(&self, i: usize) -> Sym {
        let shape = self.decls.entries[i].shape.clone();
        Sym::new(Node::Var(i), shape)
    }

    pub fn seed(&self, shape: Shape) -> Sym {
        Sym::new(Node::Seed, shape)
    }

    pub fn fill(&self, f: Fill, shape: Shape) -> Sym {
        if shape.is_scalar() {
            return self.num(if f == Fill::Zeros { 0.0 } else { 1.0 });
        }
        Sym::new(Node::Fill(f), shape)
    }

    pub fn zero(&self, shape: Shape) -> Sym {
        self.fill(Fill::Zeros, shape)
    }

    pub fn identity(&self, n: Dim) -> Sym {
        self.fill(Fill::Identity, Shape::new(n.clone(), n))
    }

    pub fn ones(&self, shape: Shape) -> Sym {
        self.fill(Fill::Ones, shape)
    }

    pub fn matrix(&self, rows: Vec<Vec<Sym>>) -> Sym {
        let shape = Shape::new(
            Dim::Lit(rows.len()),
            Dim::Lit(rows.first().map_or(0, Vec::len)),
        );
        if shape.is_scalar() {
            return rows.into_iter().flatten().next().expect("a 1×1 literal");
        }
        Sym::new(Node::Matrix(rows), shape)
    }

    pub fn neg(&self, a: Sym) -> Sym {
        self.scale(-1.0, a)
    }

    pub fn scale(&self, c: f64, a: Sym) -> Sym {
        if c == 1.0 {
            return a;
        }
        self.mul(self.num(c), a)
    }

    /// `a + b`, broadcasting a 1×1 side.
    pub fn add2(&self, a: Sym, b: Sym) -> Sym {
        let shape = if a.is_scalar() {
            b.shape.clone()
        } else {
            a.shape.clone()
        };
        self.add(vec![a, b], shape)
    }

    pub fn sub(&self, a: Sym, b: Sym) -> Sym {
        let nb = self.neg(b);
        self.add2(a, nb)
    }

    /// The sum of `terms` (each `shape`, or 1×1 broadcast).
    pub fn add(&self, terms: Vec<Sym>, shape: Shape) -> Sym {
        let mut flat = Vec::with_capacity(terms.len());
        for t in terms {
            match t.node {
                Node::Sum(ts) => flat.extend(ts),
                _ => flat.push(t),
            }
        }
        // Like terms: c₁·B + c₂·B = (c₁ + c₂)·B.
        let mut merged: Vec<(f64, Sym)> = Vec::new();
        for t in flat {
            if t.is_zero() {
                continue;
            }
            let (c, mut base) = self.split_coef(t);
            // In a sum of matrices, c·ones and a broadcast c are like terms.
            if !shape.is_scalar() && matches!(base.node, Node::Fill(Fill::Ones)) {
                base = self.num(1.0);
            }
            let exact = self.exact;
            match merged
                .iter_mut()
                .find(|(k, b)| same(b, &base) && (!exact || adds_exactly(*k, c)))
            {
                Some(m) => m.0 += c,
                None => merged.push((c, base)),
            }
        }
        let mut out: Vec<Sym> = merged
            .into_iter()
            .filter(|(c, _)| *c != 0.0)
            .map(|(c, b)| self.scale(c, b))
            .collect();
        // Positive terms first: `x - a`, `1 - σ(x)`.
        out.sort_by_key(|t| t.coefficient() < 0.0);
        if !shape.is_scalar() && out.iter().all(Sym::is_scalar) {
            if out.is_empty() {
                return self.zero(shape);
            }
            // Only broadcast scalars are left: their sum, spread over the shape.
            let s = self.add(out, Shape::scalar());
            return self.mul(s, self.ones(shape));
        }
        match out.len() {
            0 => self.zero(shape),
            1 => out.pop().expect("one term"),
            _ => Sym::new(Node::Sum(out), shape),
        }
    }

    /// A term as its coefficient and the rest: `-2·A·x` is (-2, `A·x`).
    pub fn split_coef(&self, t: Sym) -> (f64, Sym) {
        match t.node {
            Node::Num(v) => (v, self.num(1.0)),
            Node::Prod(p) if p.coef != 1.0 => {
                let shape = t.shape;
                (p.coef, self.make_prod(1.0, p.scalars, p.chain, shape))
            }
            _ => (1.0, t),
        }
    }

    fn parts(&self, s: Sym) -> Parts {
        let scalar = s.is_scalar();
        match s.node {
            Node::Num(v) => Parts {
                coef: v,
                scalars: vec![],
                chain: vec![],
            },
            Node::Prod(p) => {
                if scalar && !p.chain.is_empty() {
                    // A 1×1 chain (`aᵀ·x`) scales as one factor.
                    let base = self.chain_only(p.chain, s.shape);
                    let mut scalars = p.scalars;
                    scalars.push((base, 1.0));
                    Parts {
                        coef: p.coef,
                        scalars,
                        chain: vec![],
                    }
                } else {
                    Parts {
                        coef: p.coef,
                        scalars: p.scalars,
                        chain: p.chain,
                    }
                }
            }
            _ if scalar => Parts {
                coef: 1.0,
                scalars: vec![(s, 1.0)],
                chain: vec![],
            },
            _ => Parts {
                coef: 1.0,
                scalars: vec![],
                chain: vec![s],
            },
        }
    }

    /// A bare chain product, already normalized.
    fn chain_only(&self, mut chain: Vec<Sym>, shape: Shape) -> Sym {
        if chain.len() == 1 {
            return chain.pop().expect("one factor");
        }
        Sym::new(
            Node::Prod(Prod {
                coef: 1.0,
                scalars: vec![],
                chain,
            }),
            shape,
        )
    }

    /// `a·b`: a matrix product, or scaling when a side is 1×1.
    pub fn mul(&self, a: Sym, b: Sym) -> Sym {
        let shape = if a.is_scalar() {
            b.shape.clone()
        } else if b.is_scalar() {
            a.shape.clone()
        } else {
            Shape::new(a.shape.rows.clone(), b.shape.cols.clone())
        };
        let pa = self.parts(a);
        let pb = self.parts(b);
        let mut scalars = pa.scalars;
        scalars.extend(pb.scalars);
        let mut chain = pa.chain;
        chain.extend(pb.chain);
        self.make_prod(pa.coef * pb.coef, scalars, chain, shape)
    }

    /// A product of several factors, left to right (`None` for no factor).
    pub fn product(&self, factors: impl IntoIterator<Item = Sym>) -> Option<Sym> {
        factors.into_iter().reduce(|acc, f| self.mul(acc, f))
    }

    /// `aᵉ` for a 1×1 `a` and a number `e`.
    pub fn spow(&self, a: Sym, e: f64) -> Sym {
        self.make_prod(1.0, vec![(a, e)], vec![], Shape::scalar())
    }

    fn make_prod(
        &self,
        mut coef: f64,
        scalars: Vec<(Sym, f64)>,
        chain: Vec<Sym>,
        shape: Shape,
    ) -> Sym {
        // Flatten the chain: nested products give up their pieces.
        let mut todo: Vec<(Sym, f64)> = Vec::new();
        let mut ch: Vec<Sym> = Vec::with_capacity(chain.len());
        for f in chain {
            if f.is_scalar() {
                todo.push((f, 1.0));
                continue;
            }
            match f.node {
                Node::Prod(p) => {
                    coef *= p.coef;
                    todo.extend(p.scalars);
                    ch.extend(p.chain);
                }
                _ => ch.push(f),
            }
        }
        todo.extend(scalars);
        // Flatten the scalar factors, folding numbers into the coefficient.
        let mut flat: Vec<(Sym, f64)> = Vec::new();
        let mut queue = std::collections::VecDeque::from(todo);
        while let Some((b, e)) = queue.pop_front() {
            if e == 0.0 {
                continue;
            }
            match b.node {
                Node::Num(v) => {
                    let r = v.powf(e);
                    if r.is_finite() && (r != 0.0 || e > 0.0) {
                        coef *= r;
                    } else {
                        flat.push((self.num(v), e));
                    }
                }
                Node::Prod(ref p) if !(p.coef == 1.0 && p.scalars.is_empty()) && is_whole(e) => {
                    // (c·sᵃ·M)ᵏ = cᵏ·sᵃᵏ·Mᵏ for a whole k.
                    let Node::Prod(p) = b.node else {
                        unreachable!()
                    };
                    coef *= p.coef.powi(e as i32);
                    for (sb, se) in p.scalars {
                        queue.push_back((sb, se * e));
                    }
                    if !p.chain.is_empty() {
                        flat.push((self.chain_only(p.chain, Shape::scalar()), e));
                    }
                }
                _ => flat.push((b, e)),
            }
        }
        // sᵃ·sᵇ = sᵃ⁺ᵇ.
        let mut merged: Vec<(Sym, f64)> = Vec::new();
        for (b, e) in flat {
            match merged.iter_mut().find(|(m, _)| same(m, &b)) {
                Some(m) => m.1 += e,
                None => merged.push((b, e)),
            }
        }
        merged.retain(|(_, e)| *e != 0.0);
        // exp(z)/sum(exp(z)) = softmax(z) for a vector z, also as the last
        // factor of a chain (`Aᵀ·softmax(A·x)`) or one factor of a Hadamard
        // product there (`Aᵀ·(softmax(exp(A·x)) ⊙ exp(A·x))`). Besides being
        // the textbook form, softmax is evaluated stably: exp(z)/sum(exp(z))
        // overflows where logsumexp(z), the F it came from, is fine.
        if let Some(last) = ch.last_mut() {
            self.fold_softmax(last, &mut merged);
        }
        let coef = self.tidy(coef);
        if coef == 0.0 || ch.iter().any(Sym::is_zero) {
            return self.zero(shape);
        }
        // I·A = A·I = A.
        if ch.len() > 1 {
            ch.retain(|f| !f.is_identity());
        }
        self.cancel(&mut ch);
        if ch.iter().any(Sym::is_scalar) {
            // A cancellation left a 1×1 factor (`onesᵀ·v = sum(v)`): it scales.
            return self.make_prod(coef, merged, ch, shape);
        }
        if ch.is_empty() && !shape.is_scalar() {
            ch.push(self.identity(shape.rows.clone()));
        }
        if ch.is_empty() && merged.is_empty() {
            return self.num(coef);
        }
        if coef == 1.0 && merged.is_empty() && ch.len() == 1 {
            return ch.pop().expect("one factor");
        }
        if coef == 1.0 && ch.is_empty() && merged.len() == 1 && merged[0].1 == 1.0 {
            return merged.pop().expect("one factor").0;
        }
        Sym::new(
            Node::Prod(Prod {
                coef,
                scalars: merged,
                chain: ch,
            }),
            shape,
        )
    }

    /// Cancels neighbours in a chain of matrix factors.
    fn cancel(&self, ch: &mut Vec<Sym>) {
        let mut changed = true;
        while changed {
            changed = false;
            for i in 0..ch.len().saturating_sub(1) {
                if let Some(repl) = self.cancel_pair(&ch[i], &ch[i + 1]) {
                    ch.splice(i..i + 2, repl);
                    changed = true;
                    break;
                }
            }
            if ch.len() > 1 && ch.iter().any(Sym::is_identity) {
                ch.retain(|f| !f.is_identity());
                changed = true;
            }
        }
    }

    fn cancel_pair(&self, l: &Sym, r: &Sym) -> Option<Vec<Sym>> {
        let inv_of = |s: &'_ Sym| match &s.node {
            Node::Call(Func::Inv, m) => Some(m.as_ref().clone()),
            _ => None,
        };
        // inv(M)·M = M·inv(M) = I.
        if let Some(m) = inv_of(l)
            && same(&m, r)
        {
            return Some(vec![]);
        }
        if let Some(m) = inv_of(r)
            && same(&m, l)
        {
            return Some(vec![]);
        }
        // L·inv(P·L) = inv(P), inv(L·P)·L = inv(P), for square L.
        if let Some(m) = inv_of(r)
            && l.shape.is_square()
            && let Node::Prod(p) = &m.node
            && p.coef == 1.0
            && p.scalars.is_empty()
            && p.chain.last().is_some_and(|last| same(last, l))
        {
            let rest = p.chain[..p.chain.len() - 1].to_vec();
            let inner = self.chain_only(rest, l.shape.clone());
            return Some(vec![self.call(Func::Inv, inner)]);
        }
        if let Some(m) = inv_of(l)
            && r.shape.is_square()
            && let Node::Prod(p) = &m.node
            && p.coef == 1.0
            && p.scalars.is_empty()
            && p.chain.first().is_some_and(|first| same(first, r))
        {
            let rest = p.chain[1..].to_vec();
            let inner = self.chain_only(rest, r.shape.clone());
            return Some(vec![self.call(Func::Inv, inner)]);
        }
        // Qᵀ·Q = Q·Qᵀ = I for Q declared orthogonal (and square).
        let orth = |s: &Sym| matches!(s.node, Node::Var(i) if self.has(i, Property::Orthogonal) && s.shape.is_square());
        match (&l.node, &r.node) {
            (Node::T(a), _) if orth(a) && same(a, r) => return Some(vec![]),
            (_, Node::T(b)) if orth(b) && same(b, l) => return Some(vec![]),
            _ => {}
        }
        // onesᵀ·v = vᵀ·ones = sum(v) (a 1×1 factor, moved out by make_prod).
        let ones = |s: &Sym| matches!(s.node, Node::Fill(Fill::Ones));
        if l.shape.rows.is_one() && r.shape.cols.is_one() {
            if ones(l) {
                return Some(vec![self.call(Func::Sum, r.clone())]);
            }
            if ones(r) {
                return Some(vec![self.call(Func::Sum, l.clone())]);
            }
        }
        // diag(u)·diag(v) = diag(u ⊙ v)
        if let (Node::Call(Func::Diag, u), Node::Call(Func::Diag, v)) = (&l.node, &r.node)
            && u.shape.cols.is_one()
            && v.shape.cols.is_one()
        {
            let h = self.had(u.as_ref().clone(), v.as_ref().clone());
            return Some(vec![self.call(Func::Diag, h)]);
        }
        // diag(u)·v = u ⊙ v; vᵀ·diag(u) = (u ⊙ v)ᵀ.
        if let Node::Call(Func::Diag, u) = &l.node
            && u.shape.cols.is_one()
            && r.shape.cols.is_one()
        {
            return Some(vec![self.had(u.as_ref().clone(), r.clone())]);
        }
        if let Node::Call(Func::Diag, u) = &r.node
            && u.shape.cols.is_one()
            && l.shape.rows.is_one()
        {
            let h = self.had(u.as_ref().clone(), self.transpose(l.clone()));
            return Some(vec![self.transpose(h)]);
        }
        // diag(v)·ones = v; onesᵀ·diag(v) = vᵀ.
        if let Node::Call(Func::Diag, v) = &l.node
            && v.shape.cols.is_one()
            && matches!(r.node, Node::Fill(Fill::Ones))
            && r.shape.cols.is_one()
        {
            return Some(vec![v.as_ref().clone()]);
        }
        if let Node::Call(Func::Diag, v) = &r.node
            && v.shape.cols.is_one()
            && matches!(l.node, Node::Fill(Fill::Ones))
            && l.shape.rows.is_one()
        {
            return Some(vec![self.transpose(v.as_ref().clone())]);
        }
        None
    }

    /// `aᵀ`, pushed down to the names.
    pub fn transpose(&self, a: Sym) -> Sym {
        if a.is_scalar() {
            return a;
        }
        let shape = a.shape.transposed();
        match a.node {
            Node::Var(i) if self.symmetric_name(i) => a,
            Node::Var(_) | Node::Seed => Sym::new(Node::T(Box::new(a)), shape),
            Node::Fill(f) => self.fill(f, shape),
            Node::Matrix(rows) => {
                let cols = rows.first().map_or(0, Vec::len);
                let t: Vec<Vec<Sym>> = (0..cols)
                    .map(|j| rows.iter().map(|r| r[j].clone()).collect())
                    .collect();
                self.matrix(t)
            }
            Node::T(x) => *x,
            Node::Sum(ts) => {
                let ts = ts.into_iter().map(|t| self.transpose(t)).collect();
                self.add(ts, shape)
            }
            Node::Prod(p) => {
                let chain = p
                    .chain
                    .into_iter()
                    .rev()
                    .map(|f| self.transpose(f))
                    .collect();
                self.make_prod(p.coef, p.scalars, chain, shape)
            }
            Node::Had(fs) => fs
                .into_iter()
                .map(|f| self.transpose(f))
                .reduce(|x, y| self.had(x, y))
                .expect("two factors"),
            Node::Div(x, y) => self.ediv(self.transpose(*x), self.transpose(*y)),
            Node::EPow(x, y) => self.epow(self.transpose(*x), self.transpose(*y)),
            Node::Num(_) | Node::Pow(..) => a,
            Node::Call(f, x) => {
                let vector = x.shape.is_vector();
                match f {
                    _ if f.is_elementwise() => self.call(f, self.transpose(*x)),
                    Func::Inv => self.call(f, self.transpose(*x)),
                    // diag of a vector is a diagonal matrix: symmetric.
                    Func::Diag if vector => Sym::new(Node::Call(f, x), shape),
                    // softmax of a row vector is the softmax of the vector.
                    Func::Softmax if vector => self.call(f, self.transpose(*x)),
                    Func::Transpose => *x,
                    _ => Sym::new(
                        Node::T(Box::new(Sym::new(Node::Call(f, x), a.shape))),
                        shape,
                    ),
                }
            }
        }
    }

    /// Of `a` and `aᵀ`, the one with fewer transposes (a fixed choice, so
    /// `det(Xᵀ)` and `det(X)` are the same expression).
    fn tidier(&self, a: Sym) -> Sym {
        if a.is_scalar() {
            return a;
        }
        let t = self.transpose(a.clone());
        if (t.transposes(), t.hash) < (a.transposes(), a.hash) {
            t
        } else {
            a
        }
    }

    /// Turns `exp(z)` (the factor itself, or one factor of a Hadamard
    /// product) into `softmax(z)` when `merged` holds `sum(exp(z))⁻¹`, and
    /// takes that scalar out.
    fn fold_softmax(&self, factor: &mut Sym, merged: &mut Vec<(Sym, f64)>) {
        // The sum may hold the row form of the same vector (`sum(exp(xᵀ·M))`
        // beside `exp(Mᵀ·x)`): the sum of a vector is the sum of its
        // transpose, so either spelling normalises it.
        let normalised = |e: &Sym, merged: &[(Sym, f64)]| {
            let row = self.transpose(e.clone());
            merged.iter().position(|(b, p)| {
                *p == -1.0
                    && matches!(&b.node, Node::Call(Func::Sum, inner)
                        if same(inner, e) || same(inner, &row))
            })
        };
        let softmax_of = |e: &Sym| match &e.node {
            Node::Call(Func::Exp, z) if z.shape.is_vector() => {
                Some(self.raw(Func::Softmax, z.as_ref().clone(), e.shape.clone()))
            }
            _ => None,
        };
        if let Some(s) = softmax_of(factor)
            && let Some(k) = normalised(factor, merged)
        {
            merged.remove(k);
            *factor = s;
            return;
        }
        if let Node::Had(fs) = &factor.node {
            for (i, f) in fs.iter().enumerate() {
                if let Some(s) = softmax_of(f)
                    && let Some(k) = normalised(f, merged)
                {
                    merged.remove(k);
                    let mut fs = fs.clone();
                    fs[i] = s;
                    *factor = Sym::new(Node::Had(fs), factor.shape.clone());
                    return;
                }
            }
        }
    }

    /// `a ⊙ b` (same shapes; a 1×1 side scales).
    pub fn had(&self, a: Sym, b: Sym) -> Sym {
        if a.is_scalar() || b.is_scalar() {
            return self.mul(a, b);
        }
        let shape = a.shape.clone();
        if a.is_zero() || b.is_zero() {
            return self.zero(shape);
        }
        if a.is_ones() {
            return b;
        }
        if b.is_ones() {
            return a;
        }
        // Numbers and scalar factors come out: (c·A) ⊙ B = c·(A ⊙ B).
        let (sa, fa) = self.pull_scalars(a);
        let (sb, fb) = self.pull_scalars(b);
        let mut factors = Vec::new();
        for f in [fa, fb] {
            match f.node {
                Node::Had(fs) => factors.extend(fs),
                _ => factors.push(f),
            }
        }
        // (u ./ v) ⊙ w = (u ⊙ w) ./ v: a quotient takes the other factors on top.
        if let Some(k) = factors.iter().position(|f| matches!(f.node, Node::Div(..))) {
            let Node::Div(num, den) = factors.remove(k).node else {
                unreachable!()
            };
            let top = factors.into_iter().fold(*num, |acc, f| {
                if acc.is_scalar() {
                    self.mul(acc, f)
                } else {
                    self.had(acc, f)
                }
            });
            let s = self.mul(sa, sb);
            return self.mul(s, self.ediv(top, *den));
        }
        let core = Sym::new(Node::Had(factors), shape);
        let s = self.mul(sa, sb);
        self.mul(s, core)
    }

    /// A non-1×1 expression as (its 1×1 factor, the rest).
    fn pull_scalars(&self, a: Sym) -> (Sym, Sym) {
        let shape = a.shape.clone();
        match a.node {
            Node::Prod(p) if p.coef != 1.0 || !p.scalars.is_empty() => {
                let s = self.make_prod(p.coef, p.scalars, vec![], Shape::scalar());
                (s, self.chain_only(p.chain, shape))
            }
            _ => (self.num(1.0), a),
        }
    }

    /// `a ./ b` (a 1×1 `b` divides; a 1×1 `a` is broadcast).
    pub fn ediv(&self, a: Sym, b: Sym) -> Sym {
        if b.is_scalar() {
            let inv = self.spow(b, -1.0);
            return self.mul(a, inv);
        }
        let shape = b.shape.clone();
        if a.is_zero() {
            return self.zero(shape);
        }
        if b.is_ones() {
            return if a.is_scalar() {
                self.mul(a, self.ones(shape))
            } else {
                a
            };
        }
        let (sa, fa) = if a.is_scalar() {
            (a, self.num(1.0))
        } else {
            self.pull_scalars(a)
        };
        let (sb, fb) = self.pull_scalars(b);
        // ones ./ v is written 1 ./ v.
        let fa = if matches!(fa.node, Node::Fill(Fill::Ones)) {
            self.num(1.0)
        } else {
            fa
        };
        let s = self.mul(sa, self.spow(sb, -1.0));
        // (a ./ b) ./ c = a ./ (b ⊙ c); a ./ (b ./ c) = (a ⊙ c) ./ b.
        let core = if let Node::Div(a1, b1) = &fa.node {
            self.ediv(a1.as_ref().clone(), self.had(b1.as_ref().clone(), fb))
        } else if let Node::Div(b1, c1) = &fb.node {
            self.ediv(
                self.had(fa.clone(), c1.as_ref().clone()),
                b1.as_ref().clone(),
            )
        } else {
            Sym::new(Node::Div(Box::new(fa), Box::new(fb)), shape)
        };
        self.mul(s, core)
    }

    /// `a .^ b` (for a 1×1 `a`, the power `a^b`).
    pub fn epow(&self, a: Sym, b: Sym) -> Sym {
        if a.is_scalar() && b.is_scalar() {
            return match b.num_value() {
                Some(e) => self.spow(a, e),
                None => Sym::new(Node::Pow(Box::new(a), Box::new(b)), Shape::scalar()),
            };
        }
        if a.is_scalar() {
            let shape = b.shape.clone();
            return Sym::new(Node::EPow(Box::new(a), Box::new(b)), shape);
        }
        let shape = a.shape.clone();
        match b.num_value() {
            Some(1.0) => return a,
            Some(0.0) => return self.ones(shape),
            _ => {}
        }
        if a.is_ones() {
            return a;
        }
        Sym::new(Node::EPow(Box::new(a), Box::new(b)), shape)
    }

    /// `f(a)`, simplified where the function allows.
    pub fn call(&self, f: Func, a: Sym) -> Sym {
        if let Some(v) = a.num_value()
            && let Some(r) = fold(f, v)
        {
            return self.num(r);
        }
        let scalar = a.is_scalar();
        match f {
            Func::Transpose => self.transpose(a),
            Func::Tr if scalar => a,
            Func::Tr => self.tr(a),
            Func::Det | Func::Logdet => {
                let a = self.tidier(a);
                self.raw(f, a, Shape::scalar())
            }
            Func::Inv if scalar => self.spow(a, -1.0),
            Func::Inv => self.inv(a),
            Func::Diag if scalar => a,
            Func::Diag => self.diag(a),
            Func::Sum if scalar => a,
            Func::Sum => self.sum(a),
            Func::Norm => {
                let (c, rest) = self.split_coef(a);
                let rest = self.tidier(rest);
                let n = self.raw(f, rest, Shape::scalar());
                self.scale(c.abs(), n)
            }
            Func::Log => match a.node {
                // log(exp(A)) = A
                Node::Call(Func::Exp, inner) => *inner,
                _ => {
                    let shape = a.shape.clone();
                    self.raw(f, a, shape)
                }
            },
            Func::Exp => match a.node {
                // exp(log(A)) = A (where log(A) is defined)
                Node::Call(Func::Log, inner) => *inner,
                _ => {
                    let shape = a.shape.clone();
                    self.raw(f, a, shape)
                }
            },
            Func::Softmax if scalar => self.num(1.0),
            _ => {
                let shape = a.shape.clone();
                self.raw(f, a, shape)
            }
        }
    }

    fn raw(&self, f: Func, a: Sym, shape: Shape) -> Sym {
        Sym::new(Node::Call(f, Box::new(a)), shape)
    }

    fn tr(&self, a: Sym) -> Sym {
        let a = self.tidier(a);
        match a.node {
            // tr(c·s·M) = c·s·tr(M)
            Node::Prod(ref p) if p.coef != 1.0 || !p.scalars.is_empty() => {
                let (s, rest) = self.pull_scalars(a);
                let t = self.tr(rest);
                self.mul(s, t)
            }
            Node::Prod(ref p) => {
                // tr(u·vᵀ) = vᵀ·u: a rotation of the chain that is 1×1 drops the trace.
                let n = p.chain.len();
                for k in 1..n {
                    let rotated: Vec<Sym> =
                        p.chain[k..].iter().chain(&p.chain[..k]).cloned().collect();
                    if rotated[0].shape.rows.is_one() && rotated[n - 1].shape.cols.is_one() {
                        return self.make_prod(1.0, vec![], rotated, Shape::scalar());
                    }
                }
                self.raw(Func::Tr, a, Shape::scalar())
            }
            Node::Fill(Fill::Identity) => match &a.shape.rows {
                Dim::Lit(n) => self.num(*n as f64),
                _ => self.raw(Func::Tr, a, Shape::scalar()),
            },
            _ => self.raw(Func::Tr, a, Shape::scalar()),
        }
    }

    fn inv(&self, a: Sym) -> Sym {
        let shape = a.shape.clone();
        match a.node {
            Node::Fill(Fill::Identity) => a,
            // inv(inv(A)) = A
            Node::Call(Func::Inv, inner) => *inner,
            // inv(diag(v)) = diag(1 ./ v)
            Node::Call(Func::Diag, v) if v.shape.is_vector() => {
                let r = self.ediv(self.num(1.0), *v);
                self.call(Func::Diag, r)
            }
            // inv(c·s·M) = c⁻¹·s⁻¹·inv(M)
            Node::Prod(ref p) if p.coef != 1.0 || !p.scalars.is_empty() => {
                let (s, rest) = self.pull_scalars(a);
                let i = self.inv(rest);
                let s_inv = self.spow(s, -1.0);
                self.mul(s_inv, i)
            }
            _ => self.raw(Func::Inv, a, shape),
        }
    }

    fn diag(&self, a: Sym) -> Sym {
        let vector = a.shape.is_vector();
        let out_shape = if vector {
            let n = if a.shape.cols.is_one() {
                a.shape.rows.clone()
            } else {
                a.shape.cols.clone()
            };
            Shape::new(n.clone(), n)
        } else {
            Shape::new(a.shape.rows.clone(), Dim::one())
        };
        // diag is linear: scalars come out.
        if let Node::Prod(ref p) = a.node
            && (p.coef != 1.0 || !p.scalars.is_empty())
        {
            let (s, rest) = self.pull_scalars(a);
            let d = self.diag(rest);
            return self.mul(s, d);
        }
        if vector {
            // diag(vᵀ) = diag(v)
            let a = if a.shape.rows.is_one() {
                self.transpose(a)
            } else {
                a
            };
            if matches!(a.node, Node::Fill(Fill::Ones)) {
                return self.identity(a.shape.rows.clone());
            }
            return self.raw(Func::Diag, a, out_shape);
        }
        // diag(Mᵀ) = diag(M)
        let a = self.tidier(a);
        // diag(a·bᵀ) = a ⊙ b (a column times a row)
        if let Node::Prod(p) = &a.node
            && p.coef == 1.0
            && p.scalars.is_empty()
        {
            let n = p.chain.len();
            if p.chain[0].shape.cols.is_one() {
                let rest = self.chain_only(p.chain[1..].to_vec(), chain_shape(&p.chain[1..]));
                return self.had(p.chain[0].clone(), self.transpose(rest));
            }
            if p.chain[n - 1].shape.rows.is_one() {
                let first =
                    self.chain_only(p.chain[..n - 1].to_vec(), chain_shape(&p.chain[..n - 1]));
                return self.had(first, self.transpose(p.chain[n - 1].clone()));
            }
        }
        match a.node {
            // diag(diag(v)) = v
            Node::Call(Func::Diag, inner) if inner.shape.cols.is_one() => *inner,
            Node::Fill(Fill::Identity) => self.ones(out_shape),
            _ => self.raw(Func::Diag, a, out_shape),
        }
    }

    fn sum(&self, a: Sym) -> Sym {
        let a = self.tidier(a);
        match &a.node {
            Node::Prod(p) if p.coef != 1.0 || !p.scalars.is_empty() => {
                let (s, rest) = self.pull_scalars(a);
                let t = self.sum(rest);
                return self.mul(s, t);
            }
            // The entries of a onehot or probability vector add up to 1.
            Node::Var(i)
                if a.shape.is_vector()
                    && (self.has(*i, Property::Onehot) || self.has(*i, Property::Probability)) =>
            {
                return self.num(1.0);
            }
            Node::Call(Func::Softmax, _) if a.shape.is_vector() => return self.num(1.0),
            // sum(diag(v)) = sum(v)
            Node::Call(Func::Diag, v) if a.shape.is_square() => {
                return self.sum(v.as_ref().clone());
            }
            Node::Fill(Fill::Ones) => {
                if let (Dim::Lit(r), Dim::Lit(c)) = (&a.shape.rows, &a.shape.cols) {
                    return self.num((r * c) as f64);
                }
            }
            // sum(u ⊙ v) = uᵀ·v for column vectors (u·vᵀ for rows).
            Node::Had(fs) if a.shape.is_vector() => {
                let first = fs[0].clone();
                let rest = fs[1..]
                    .iter()
                    .cloned()
                    .reduce(|x, y| self.had(x, y))
                    .expect("two factors");
                return if a.shape.cols.is_one() {
                    self.mul(self.transpose(first), rest)
                } else {
                    self.mul(first, self.transpose(rest))
                };
            }
            _ => {}
        }
        self.raw(Func::Sum, a, Shape::scalar())
    }
}

/// `v` without the last-bit noise of folding (0.1·0.1 is 0.01, not
/// 0.010000000000000002): rounded to 12 significant digits when that moves
/// it by no more than a few units in the last place.
/// Whether a + b is computed without rounding (the error term of Knuth's
/// TwoSum is zero).
fn adds_exactly(a: f64, b: f64) -> bool {
    let s = a + b;
    let bb = s - a;
    s.is_finite() && (a - (s - bb)) + (b - bb) == 0.0
}

fn tidy(v: f64) -> f64 {
    if v == 0.0 {
        return 0.0;
    }
    if !v.is_finite() || v.fract() == 0.0 {
        return v;
    }
    let r: f64 = format!("{v:.11e}").parse().unwrap_or(v);
    if (r - v).abs() <= 1e-15 * v.abs() {
        r
    } else {
        v
    }
}

/// f(v) for a number, when it is a finite number.
fn fold(f: Func, v: f64) -> Option<f64> {
    let r = match f {
        Func::Tr | Func::Det | Func::Diag | Func::Sum | Func::Transpose => v,
        Func::Logdet if v != 0.0 => v.abs().ln(),
        Func::Inv if v != 0.0 => 1.0 / v,
        Func::Norm | Func::Abs => v.abs(),
        Func::Exp => v.exp(),
        Func::Log if v > 0.0 => v.ln(),
        Func::Sqrt if v >= 0.0 => v.sqrt(),
        Func::Tanh => v.tanh(),
        Func::Sigmoid => 1.0 / (1.0 + (-v).exp()),
        Func::Relu => v.max(0.0),
        Func::Step => f64::from(u8::from(v > 0.0)),
        Func::Sign if v != 0.0 => v.signum(),
        Func::Sign => 0.0,
        Func::Softmax => 1.0,
        _ => return None,
    };
    // Only folds that read back exactly: exp(0) = 1, not exp(1) = 2.718….
    let exact = matches!(
        f,
        Func::Tr
            | Func::Det
            | Func::Diag
            | Func::Sum
            | Func::Transpose
            | Func::Norm
            | Func::Abs
            | Func::Relu
            | Func::Step
            | Func::Sign
            | Func::Softmax
            | Func::Inv
    ) || r.fract() == 0.0;
    (r.is_finite() && exact).then_some(r)
}
