//! Reading a derivative off an adjoint. Reverse mode with a symbolic seed ū
//! (any upstream gradient) gives X̄ as an expression linear in ū; the
//! derivative is the matrix of that linear map:
//!
//! - a Jacobian (F and X vectors): X̄ = Jᵀ·ū, so `jacobian_t` finds M with
//!   X̄ = M·ū, and J = Mᵀ;
//! - a derivative by a scalar s: s̄ = ⟨ū, dF/ds⟩, so `by_scalar` finds the D
//!   with s̄ = ⟨D, ū⟩ (the adjoint of the adjoint).
//!
//! Every rule is an identity of linear algebra: (v ⊙ u) = diag(v)·u,
//! ⟨G, P·K·Q⟩ = ⟨Pᵀ·G·Qᵀ, K⟩, ⟨G, sum(K)⟩ = ⟨G·ones, K⟩, …

use crate::expr::{Dim, Func, Shape};

use super::sym::{Alg, Node, Sym};

fn unsupported(what: &str) -> String {
    format!("nabla derive cannot yet read this derivative off its adjoint ({what})")
}

/// The seed-linear part of a product: (index among scalars or chain, is a scalar).
fn seed_position(p: &super::sym::Prod) -> Result<(bool, usize), String> {
    let in_scalars: Vec<usize> = (0..p.scalars.len())
        .filter(|&i| p.scalars[i].0.has_seed())
        .collect();
    let in_chain: Vec<usize> = (0..p.chain.len())
        .filter(|&i| p.chain[i].has_seed())
        .collect();
    match (in_scalars.as_slice(), in_chain.as_slice()) {
        ([i], []) if p.scalars[*i].1 == 1.0 => Ok((true, *i)),
        ([], [i]) => Ok((false, *i)),
        _ => Err(unsupported("the seed occurs non-linearly")),
    }
}

/// M with `h = M·u`, for `h` a column (or 1×1) linear in the seed, where u
/// is the seed as a column of length `k`.
pub fn jacobian_t(alg: &Alg, h: &Sym, k: &Dim) -> Result<Sym, String> {
    Lin { alg, k }.lin(h)
}

struct Lin<'a, 'b> {
    alg: &'b Alg<'a>,
    k: &'b Dim,
}

impl Lin<'_, '_> {
    fn shape(&self, rows: &Dim) -> Shape {
        Shape::new(rows.clone(), self.k.clone())
    }

    fn lin(&self, h: &Sym) -> Result<Sym, String> {
        let alg = self.alg;
        if !h.has_seed() {
            return Err(unsupported("a term does not depend on the seed"));
        }
        if !h.shape.cols.is_one() {
            if h.shape.rows.is_one() {
                return self.lin(&alg.transpose(h.clone()));
            }
            return Err(unsupported("a matrix-valued intermediate"));
        }
        match &h.node {
            Node::Seed => Ok(alg.identity(self.k.clone())),
            Node::T(inner) if matches!(inner.node, Node::Seed) => Ok(alg.identity(self.k.clone())),
            Node::Sum(ts) => {
                let mut ms = Vec::with_capacity(ts.len());
                for t in ts {
                    let m = if t.is_scalar() && !h.is_scalar() {
                        // A broadcast scalar: ones·(its row).
                        alg.mul(alg.ones(h.shape.clone()), self.lin(t)?)
                    } else {
                        self.lin(t)?
                    };
                    ms.push(m);
                }
                Ok(alg.add(ms, self.shape(&h.shape.rows)))
            }
            Node::Prod(p) => self.prod(h, p),
            Node::Had(fs) => {
                let (seeded, rest): (Vec<&Sym>, Vec<&Sym>) = fs.iter().partition(|f| f.has_seed());
                let [k] = seeded.as_slice() else {
                    return Err(unsupported("the seed occurs non-linearly"));
                };
                // v ⊙ u = diag(v)·u
                let v = rest
                    .into_iter()
                    .cloned()
                    .reduce(|a, b| alg.had(a, b))
                    .expect("another factor");
                Ok(alg.mul(alg.call(Func::Diag, v), self.lin(k)?))
            }
            Node::Div(a, b) if !b.has_seed() && !a.is_scalar() => {
                // u ./ v = diag(1 ./ v)·u
                let r = alg.ediv(alg.num(1.0), b.as_ref().clone());
                Ok(alg.mul(alg.call(Func::Diag, r), self.lin(a)?))
            }
            Node::Call(Func::Sum, k) if k.shape.is_vector() => {
                // sum(u) = onesᵀ·u
                let kc = if k.shape.cols.is_one() {
                    k.as_ref().clone()
                } else {
                    alg.transpose(k.as_ref().clone())
                };
                let ones_row = alg.ones(kc.shape.transposed());
                Ok(alg.mul(ones_row, self.lin(&kc)?))
            }
            _ => Err(unsupported(
                "an operation on the seed without a matrix form",
            )),
        }
    }

    fn prod(&self, h: &Sym, p: &super::sym::Prod) -> Result<Sym, String> {
        let alg = self.alg;
        let (in_scalar, i) = seed_position(p)?;
        let mut others = p.scalars.clone();
        if in_scalar {
            let (s, _) = others.remove(i);
            let other = scalar_product(alg, p.coef, others);
            let ls = self.lin(&s)?;
            return Ok(match alg.product(p.chain.iter().cloned()) {
                // h = other·C·s and s = L·u: M = other·C·L (C a column).
                Some(c) => alg.mul(alg.mul(other, c), ls),
                None => alg.mul(other, ls),
            });
        }
        let other = scalar_product(alg, p.coef, others);
        let k = &p.chain[i];
        let left = alg.product(p.chain[..i].iter().cloned());
        let right = alg.product(p.chain[i + 1..].iter().cloned());
        let with = |parts: Vec<Option<Sym>>| {
            alg.product(std::iter::once(other.clone()).chain(parts.into_iter().flatten()))
                .expect("a factor")
        };
        if let Node::Sum(ts) = &k.node {
            // P·(Σ Kᵢ)·Q = Σ P·Kᵢ·Q
            let mut ms = Vec::new();
            for t in ts {
                let term = with(vec![left.clone(), Some(t.clone()), right.clone()]);
                if term.has_seed() {
                    ms.push(self.lin(&term)?);
                } else {
                    return Err(unsupported("a term does not depend on the seed"));
                }
            }
            return Ok(alg.add(ms, self.shape(&h.shape.rows)));
        }
        if k.shape.cols.is_one() {
            // h = other·P·K·q with q 1×1 (or absent).
            if right.as_ref().is_some_and(|q| !q.is_scalar()) {
                return Err(unsupported("a column of the seed times a matrix"));
            }
            let inner = self.lin(k)?;
            return Ok(with(vec![right, left, Some(inner)]));
        }
        if k.shape.rows.is_one() {
            // h = P·K·Q with K = (L·u)ᵀ a row and Q a column: K·Q = Qᵀ·L·u.
            let Some(q) = right else {
                return Err(unsupported("a row of the seed"));
            };
            if !q.shape.cols.is_one() {
                return Err(unsupported("a row of the seed times a matrix"));
            }
            let l = self.lin(&alg.transpose(k.clone()))?;
            return Ok(with(vec![left, Some(alg.transpose(q)), Some(l)]));
        }
        if let Node::Call(Func::Diag, g) = &k.node
            && g.shape.cols.is_one()
            && let Some(q) = right
            && q.shape.cols.is_one()
        {
            // diag(g)·q = diag(q)·g
            let dq = alg.call(Func::Diag, q);
            return Ok(with(vec![left, Some(dq), Some(self.lin(g)?)]));
        }
        Err(unsupported("a matrix-valued intermediate"))
    }
}

fn scalar_product(alg: &Alg, coef: f64, scalars: Vec<(Sym, f64)>) -> Sym {
    scalars.into_iter().fold(alg.num(coef), |acc, (b, e)| {
        let f = alg.spow(b, e);
        alg.mul(acc, f)
    })
}

/// D with `h = ⟨D, ū⟩`, for a 1×1 `h` linear in the seed ū.
pub fn by_scalar(alg: &Alg, h: &Sym) -> Result<Sym, String> {
    ext(alg, h, alg.num(1.0))
}

/// D with ⟨g, h⟩ = ⟨D, ū⟩ (`g` has the shape of `h`).
fn ext(alg: &Alg, h: &Sym, g: Sym) -> Result<Sym, String> {
    if !h.has_seed() {
        return Err(unsupported("a term does not depend on the seed"));
    }
    match &h.node {
        Node::Seed => Ok(g),
        Node::T(inner) if matches!(inner.node, Node::Seed) => Ok(alg.transpose(g)),
        Node::Sum(ts) => {
            let mut ds = Vec::with_capacity(ts.len());
            for t in ts {
                let weight = if t.is_scalar() && !h.is_scalar() {
                    alg.call(Func::Sum, g.clone())
                } else {
                    g.clone()
                };
                ds.push(ext(alg, t, weight)?);
            }
            let shape = ds[0].shape.clone();
            Ok(alg.add(ds, shape))
        }
        Node::Prod(p) => {
            let (in_scalar, i) = seed_position(p)?;
            let mut others = p.scalars.clone();
            if in_scalar {
                // ⟨g, other·s·C⟩ = s·other·⟨g, C⟩
                let (s, _) = others.remove(i);
                let other = scalar_product(alg, p.coef, others);
                let inner = match alg.product(p.chain.iter().cloned()) {
                    Some(c) => alg.call(Func::Sum, alg.had(g, c)),
                    None => g,
                };
                return ext(alg, &s, alg.mul(other, inner));
            }
            // ⟨g, other·P·K·Q⟩ = ⟨other·Pᵀ·g·Qᵀ, K⟩
            let other = scalar_product(alg, p.coef, others);
            let mut w = alg.mul(other, g);
            if let Some(l) = alg.product(p.chain[..i].iter().cloned()) {
                w = alg.mul(alg.transpose(l), w);
            }
            if let Some(r) = alg.product(p.chain[i + 1..].iter().cloned()) {
                w = alg.mul(w, alg.transpose(r));
            }
            ext(alg, &p.chain[i], w)
        }
        Node::Had(fs) => {
            let (seeded, rest): (Vec<&Sym>, Vec<&Sym>) = fs.iter().partition(|f| f.has_seed());
            let [k] = seeded.as_slice() else {
                return Err(unsupported("the seed occurs non-linearly"));
            };
            let w = rest.into_iter().cloned().fold(g, |acc, v| alg.had(acc, v));
            ext(alg, k, w)
        }
        Node::Div(a, b) if !b.has_seed() => {
            let w = alg.ediv(g, b.as_ref().clone());
            if a.is_scalar() && !h.is_scalar() {
                ext(alg, a, alg.call(Func::Sum, w))
            } else {
                ext(alg, a, w)
            }
        }
        Node::Call(Func::Sum, k) => ext(alg, k, alg.mul(g, alg.ones(k.shape.clone()))),
        Node::Call(Func::Tr, k) => ext(alg, k, alg.mul(g, alg.identity(k.shape.rows.clone()))),
        Node::Call(Func::Diag, k) => {
            if k.is_scalar() {
                ext(alg, k, g)
            } else if k.shape.rows.is_one() {
                ext(alg, k, alg.transpose(alg.call(Func::Diag, g)))
            } else {
                ext(alg, k, alg.call(Func::Diag, g))
            }
        }
        _ => Err(unsupported(
            "an operation on the seed without a matrix form",
        )),
    }
}
