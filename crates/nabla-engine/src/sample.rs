//! Random instances: sizes for the dimension symbols and values for the
//! declared names, honouring their properties. Seeded with ChaCha8, whose
//! algorithm is fixed, so a seed gives the same instance on every platform.

use nalgebra::DMatrix;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::expr::eval::shape_size;
use crate::expr::{Decl, Decls, Property, Sizes};

pub type Rng = ChaCha8Rng;

pub fn rng(seed: u64) -> Rng {
    ChaCha8Rng::seed_from_u64(seed)
}

/// A concrete instance: a size for every dimension symbol, a value for every
/// declared name (in declaration order).
#[derive(Clone, Debug)]
pub struct Instance {
    pub sizes: Sizes,
    pub values: Vec<DMatrix<f64>>,
}

/// Distinct symbols get distinct sizes, each at least 2, drawn from 2..=7
/// (widened when there are more symbols), so a transposed or mis-sized answer
/// cannot pass by coincidence.
pub fn sample_sizes(decls: &Decls, rng: &mut Rng) -> Sizes {
    planned_sizes(decls, None, rng)
}

/// Sizes for the trial after `prev`: every symbol takes the other parity, so
/// that a sign that hangs on a size's parity (det(−X) = (−1)ⁿ det X) shows in
/// one of two trials; with `reverse`, the symbols also come in the opposite
/// order of size (a wrong n×m for m×n that only fits when m < n is caught).
/// Sizes stay distinct and at least 2.
pub fn sizes_after(decls: &Decls, prev: &Sizes, reverse: bool, rng: &mut Rng) -> Sizes {
    if !reverse {
        return planned_sizes(decls, Some(prev), rng);
    }
    let mut symbols = decls.symbols();
    // Largest before comes first, so it gets the smallest size now.
    symbols.sort_by_key(|s| std::cmp::Reverse(prev.get(s).copied().unwrap_or(0)));
    let mut sizes = Sizes::new();
    let mut next = 2 + rng.random_range(0..2usize);
    for s in symbols {
        let parity = prev.get(&s).map_or(next % 2, |&n| 1 - n % 2);
        if next % 2 != parity {
            next += 1;
        }
        sizes.insert(s, next);
        next += 1 + rng.random_range(0..2usize);
    }
    sizes
}

fn planned_sizes(decls: &Decls, prev: Option<&Sizes>, rng: &mut Rng) -> Sizes {
    let symbols = decls.symbols();
    // Enough of each parity for every symbol, so a parity can always be had.
    let top = match prev {
        None => (7usize).max(symbols.len() + 1),
        Some(_) => (7usize).max(2 * symbols.len() + 3),
    };
    let mut pool: Vec<usize> = (2..=top).collect();
    let mut sizes = Sizes::new();
    for s in symbols {
        let wanted = prev.and_then(|p| p.get(&s)).map(|&n| 1 - n % 2);
        let fits: Vec<usize> = (0..pool.len())
            .filter(|&i| wanted.is_none_or(|w| pool[i] % 2 == w))
            .collect();
        let i = fits[rng.random_range(0..fits.len())];
        sizes.insert(s, pool.swap_remove(i));
    }
    sizes
}

/// How values are drawn: real numbers for grading, small integers for
/// exercises done by hand.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Values {
    /// Entries of either sign with magnitudes spread log-uniformly over
    /// [0.05, 4]: wide enough that thresholds such as `relu(x − 2)` and the
    /// kinks of `abs` are crossed and that no sign is assumed. Where F is
    /// undefined on such a draw, the grader repairs or redraws it from F's
    /// own domain (`calculus::domain`).
    Real,
    /// Whole numbers in `lo..=hi`.
    Integers { lo: i64, hi: i64 },
}

/// The range of magnitudes of `Values::Real`.
pub const MAGNITUDES: (f64, f64) = (0.05, 4.0);

/// log₂(4 / 0.05) = log₂ 80, the width of `MAGNITUDES` in octaves (a
/// constant, as `log2` cannot be evaluated at compile time; a test checks it).
const LOG2_RANGE: f64 = 6.321_928_094_887_363;

/// Samples a value for every declared name, honouring its properties.
pub fn sample_values(
    decls: &Decls,
    sizes: &Sizes,
    kind: Values,
    rng: &mut Rng,
) -> Vec<DMatrix<f64>> {
    decls
        .entries
        .iter()
        .map(|d| sample_one(d, sizes, kind, rng))
        .collect()
}

/// One entry; `positive` for names declared positive (and the diagonal of
/// an spd diagonal matrix).
fn entry(kind: Values, positive: bool, rng: &mut Rng) -> f64 {
    match kind {
        Values::Real => real_entry(rng.random(), positive),
        Values::Integers { lo, hi } => {
            let (lo, hi) = if positive {
                (lo.max(1), hi.max(1))
            } else {
                (lo, hi.max(lo))
            };
            rng.random_range(lo..=hi) as f64
        }
    }
}

/// An r×c matrix of `Values::Real` entries: the random bits first, then the
/// entries from them, so the arithmetic of one entry overlaps the next
/// (a million entries in a few milliseconds).
fn real_matrix(r: usize, c: usize, positive: bool, rng: &mut Rng) -> DMatrix<f64> {
    // In chunks, so the bits are still in the L1 cache when they are used.
    const CHUNK: usize = 512;
    let mut out = vec![0.0; r * c];
    let mut bits = [0u64; CHUNK];
    for part in out.chunks_mut(CHUNK) {
        let bits = &mut bits[..part.len()];
        for b in bits.iter_mut() {
            *b = rng.random();
        }
        for (o, &b) in part.iter_mut().zip(bits.iter()) {
            *o = real_entry(b, positive);
        }
    }
    DMatrix::from_vec(r, c, out)
}

/// One `Values::Real` entry from 64 random bits: 52 for the magnitude, one
/// for the sign. Only float adds and multiplies and integer shifts, no
/// branch and no integer–float conversion, so a matrix's entries are
/// computed several at a time (SIMD).
#[inline]
fn real_entry(bits: u64, positive: bool) -> f64 {
    // u in [0, 1): 52 random bits as the mantissa of a number in [1, 2).
    let u = f64::from_bits(0x3ff0_0000_0000_0000 | (bits >> 12)) - 1.0;
    let m = MAGNITUDES.0 * exp2(u * LOG2_RANGE);
    let sign = if positive { 0 } else { (bits & 1) << 63 };
    f64::from_bits(m.to_bits() | sign)
}

/// 2ˣ for 0 ≤ x < 64, to about 1e-9 relative: 2ᵏ from the exponent bits
/// and 2ᶠ, |f| ≤ ½, from its Taylor series. Several times cheaper than
/// `exp`, and drawing needs no more accuracy.
#[inline]
fn exp2(x: f64) -> f64 {
    // Adding 1.5·2⁵² rounds x to the nearest integer k, which then sits in
    // the low bits of the sum's mantissa.
    const ROUND: f64 = 6_755_399_441_055_744.0;
    let t = x + ROUND;
    let k = t - ROUND;
    let f = (x - k) * std::f64::consts::LN_2;
    // e^f for |f| ≤ ln2/2, Horner up to f⁸/8! (the next term is below 1e-10).
    let p = 1.0 / 40320.0;
    let p = p * f + 1.0 / 5040.0;
    let p = p * f + 1.0 / 720.0;
    let p = p * f + 1.0 / 120.0;
    let p = p * f + 1.0 / 24.0;
    let p = p * f + 1.0 / 6.0;
    let p = p * f + 0.5;
    let p = p * f + 1.0;
    let p = p * f + 1.0;
    // 2ᵏ: k + 1023 in the exponent field (the sum's high bits shift out).
    f64::from_bits(t.to_bits().wrapping_add(1023) << 52) * p
}

fn sample_one(d: &Decl, sizes: &Sizes, kind: Values, rng: &mut Rng) -> DMatrix<f64> {
    let (r, c) = shape_size(&d.shape, sizes).unwrap_or((1, 1));
    let positive = d.has(Property::Positive);
    let random = |rng: &mut Rng| match kind {
        Values::Real => real_matrix(r, c, positive, rng),
        Values::Integers { .. } => DMatrix::from_fn(r, c, |_, _| entry(kind, positive, rng)),
    };
    if d.has(Property::Onehot) {
        let mut m = DMatrix::zeros(r, c);
        let k = rng.random_range(0..r * c);
        m[k] = 1.0;
        return m;
    }
    if d.has(Property::Probability) {
        let m = DMatrix::from_fn(r, c, |_, _| rng.random_range(0.2..1.0));
        let total = m.sum();
        return match kind {
            Values::Real => m / total,
            // Whole numbers cannot sum to 1 beyond a one-hot vector.
            Values::Integers { .. } => {
                let mut m = DMatrix::zeros(r, c);
                m[rng.random_range(0..r * c)] = 1.0;
                m
            }
        };
    }
    if d.has(Property::Orthogonal) {
        let q = random(rng).qr().q();
        return match kind {
            Values::Real => q,
            // A signed permutation: orthogonal with whole entries.
            Values::Integers { .. } => signed_permutation(r, rng),
        };
    }
    if d.has(Property::Diagonal) {
        let mut m = DMatrix::zeros(r, c);
        for i in 0..r.min(c) {
            m[(i, i)] = entry(kind, positive || d.has(Property::Spd), rng);
        }
        return m;
    }
    if d.has(Property::Spd) {
        let b = random(rng);
        let n = r as f64;
        return match kind {
            // B Bᵀ + n I: positive definite with a modest condition number.
            Values::Real => (&b * b.transpose()) / n + DMatrix::identity(r, c),
            Values::Integers { .. } => {
                let mut m = DMatrix::from_fn(r, c, |_, _| rng.random_range(-1..=1) as f64);
                m = (&m + m.transpose()).map(|x| x.clamp(-1.0, 1.0));
                m + DMatrix::identity(r, c) * (n + 1.0)
            }
        };
    }
    let m = random(rng);
    if d.has(Property::Symmetric) {
        return match kind {
            Values::Real => (&m + m.transpose()) * 0.5,
            Values::Integers { .. } => {
                DMatrix::from_fn(r, c, |i, j| if i <= j { m[(i, j)] } else { m[(j, i)] })
            }
        };
    }
    m
}

fn signed_permutation(n: usize, rng: &mut Rng) -> DMatrix<f64> {
    let mut perm: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        perm.swap(i, rng.random_range(0..=i));
    }
    let mut m = DMatrix::zeros(n, n);
    for (i, &j) in perm.iter().enumerate() {
        m[(i, j)] = if rng.random_bool(0.5) { 1.0 } else { -1.0 };
    }
    m
}

/// The same instance with every square matrix that is not already declared
/// symmetric made symmetric: `(A + Aᵀ)/2`. Used to tell answers that are right
/// only for symmetric matrices.
pub fn symmetrized(decls: &Decls, inst: &Instance) -> Option<Instance> {
    let mut changed = false;
    let values = decls
        .entries
        .iter()
        .zip(&inst.values)
        .map(|(d, v)| {
            let eligible = v.nrows() == v.ncols()
                && v.nrows() > 1
                && !d.props.iter().any(|p| p.implies_symmetric())
                && !d.has(Property::Orthogonal);
            if eligible {
                changed = true;
                (v + v.transpose()) * 0.5
            } else {
                v.clone()
            }
        })
        .collect();
    changed.then(|| Instance {
        sizes: inst.sizes.clone(),
        values,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decls(s: &str) -> Decls {
        Decls::parse(s).unwrap()
    }

    #[test]
    fn sizes_are_distinct_at_least_two_and_reproducible() {
        let d = decls("A: m x n; B: n x p; x: k");
        for seed in 0..50 {
            let s = sample_sizes(&d, &mut rng(seed));
            let mut v: Vec<usize> = s.values().copied().collect();
            assert!(v.iter().all(|&n| n >= 2));
            v.sort();
            v.dedup();
            assert_eq!(v.len(), 4, "{s:?}");
            assert_eq!(s, sample_sizes(&d, &mut rng(seed)));
        }
    }

    #[test]
    fn properties_are_honoured() {
        let d = decls(
            "S: n x n symmetric; P: n x n spd; D: n x n diagonal; Q: n x n orthogonal; X: n x n positive; y: n onehot; p: n probability",
        );
        for seed in 0..20 {
            let mut r = rng(seed);
            let sizes = sample_sizes(&d, &mut r);
            for kind in [Values::Real, Values::Integers { lo: -3, hi: 3 }] {
                let v = sample_values(&d, &sizes, kind, &mut r);
                let n = v[0].nrows();
                assert_eq!(v[0], v[0].transpose());
                assert_eq!(v[1], v[1].transpose());
                assert!(v[1].clone().cholesky().is_some(), "spd");
                assert!((0..n).all(|i| (0..n).all(|j| i == j || v[2][(i, j)] == 0.0)));
                let qtq = v[3].transpose() * &v[3];
                assert!((qtq - DMatrix::identity(n, n)).norm() < 1e-9);
                assert!(v[4].iter().all(|&x| x > 0.0));
                assert_eq!(v[5].sum(), 1.0);
                assert_eq!(v[5].iter().filter(|&&x| x == 1.0).count(), 1);
                assert!((v[6].sum() - 1.0).abs() < 1e-12 && v[6].iter().all(|&x| x >= 0.0));
                if kind == Values::Real {
                    assert!(
                        v[6].iter().all(|&x| x > 0.0),
                        "a real probability vector is positive"
                    );
                }
            }
        }
    }

    #[test]
    fn integers_stay_in_range() {
        let d = decls("A: 3 x 3; x: 3");
        let mut r = rng(7);
        let sizes = sample_sizes(&d, &mut r);
        let v = sample_values(&d, &sizes, Values::Integers { lo: -2, hi: 2 }, &mut r);
        assert!(
            v.iter()
                .flatten()
                .all(|&x| x.fract() == 0.0 && (-2.0..=2.0).contains(&x))
        );
    }

    #[test]
    fn symmetrizing_leaves_declared_symmetric_and_rectangular_alone() {
        let d = decls("A: n x n; S: n x n symmetric; B: m x n");
        let mut r = rng(1);
        let sizes = sample_sizes(&d, &mut r);
        let inst = Instance {
            values: sample_values(&d, &sizes, Values::Real, &mut r),
            sizes,
        };
        let sym = symmetrized(&d, &inst).unwrap();
        assert_eq!(sym.values[0], sym.values[0].transpose());
        assert_ne!(inst.values[0], sym.values[0]);
        assert_eq!(inst.values[1], sym.values[1]);
        assert_eq!(inst.values[2], sym.values[2]);
        assert!(
            symmetrized(
                &decls("x: n; B: m x n"),
                &Instance {
                    sizes: inst.sizes.clone(),
                    values: vec![]
                }
            )
            .is_none()
        );
    }

    #[test]
    fn the_range_in_octaves_is_that_of_the_magnitudes() {
        let (lo, hi) = MAGNITUDES;
        assert!((LOG2_RANGE - (hi / lo).log2()).abs() < 1e-15);
    }

    #[test]
    fn exp2_is_accurate_over_the_range_drawn() {
        for i in 0..=6400 {
            let x = i as f64 / 1000.0;
            let want = x.exp2();
            assert!((exp2(x) - want).abs() <= 1e-9 * want, "2^{x}");
        }
    }

    #[test]
    fn real_entries_take_both_signs_and_stay_in_the_magnitude_range() {
        let mut r = rng(3);
        let (lo, hi) = MAGNITUDES;
        let xs: Vec<f64> = (0..4000)
            .map(|_| entry(Values::Real, false, &mut r))
            .collect();
        assert!(xs.iter().all(|x| (lo..=hi).contains(&x.abs())));
        let negative = xs.iter().filter(|x| **x < 0.0).count();
        assert!(
            (1800..2200).contains(&negative),
            "{negative} negative of 4000"
        );
        // Log-uniform: about a quarter of the entries below the geometric
        // quarter point lo·(hi/lo)^¼.
        let quarter = lo * (hi / lo).powf(0.25);
        let below = xs.iter().filter(|x| x.abs() < quarter).count();
        assert!((850..1150).contains(&below), "{below} below {quarter}");
    }
}
