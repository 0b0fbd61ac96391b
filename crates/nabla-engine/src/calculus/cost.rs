//! What grading may cost, estimated from the shapes alone before anything is
//! evaluated, and the budget it must stay within: a problem (or an answer,
//! or a lesson's exercise) that would take minutes or tens of gigabytes is
//! refused with the estimate in the message, instead of freezing the tutor
//! or exhausting the machine.
//!
//! The estimate is deliberately an upper bound of the usual kind: every node
//! of the tree is evaluated at the largest size its dimensions can take
//! (a literal size as written; a size symbol at the largest the sampler
//! draws), a matrix product costs 2mkn operations, a power its squarings,
//! an inverse, det or logdet one LU and a solve (3n³). A grading evaluates F
//! forward and back on every trial (twice F's cost, a Jacobian's reverse pass
//! once per probed row) and the answer once. At 2048×2048 the budget still
//! admits the grading issue's cases: `tr(A^64)` is estimated at ~1.1e12
//! operations (it measures ~5 s), under the 4e12 allowed.

use crate::expr::decl::Shape;
use crate::expr::{Decls, Dim, Func, Op, Typed};

/// Most arithmetic operations one grading may need: about a minute of
/// products on two cores of a laptop, and the estimate is pessimistic.
pub const MAX_FLOPS: f64 = 4e12;

/// Most memory the values of one grading may hold at once.
pub const MAX_BYTES: f64 = 4e9;

/// An estimate: arithmetic operations, and bytes of values held.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Cost {
    pub flops: f64,
    pub bytes: f64,
}

impl std::ops::Add for Cost {
    type Output = Cost;
    fn add(self, o: Cost) -> Cost {
        Cost {
            flops: self.flops + o.flops,
            bytes: self.bytes + o.bytes,
        }
    }
}

impl Cost {
    fn times(self, k: f64) -> Cost {
        Cost {
            flops: self.flops * k,
            bytes: self.bytes,
        }
    }

    /// Whether it fits the budget.
    pub fn fits(&self) -> bool {
        self.flops <= MAX_FLOPS && self.bytes <= MAX_BYTES
    }

    /// "about 3.1e12 operations and 2.0 GB", for messages.
    pub fn describe(&self) -> String {
        format!(
            "about {:.1e} operations and {} of values",
            self.flops,
            bytes(self.bytes)
        )
    }

    /// Why it does not fit, or `None` when it does.
    pub fn refusal(&self, what: &str) -> Option<String> {
        if self.fits() {
            return None;
        }
        Some(format!(
            "{what} would take {} to grade, more than nabla allows \
             ({:.0e} operations, {}): use smaller sizes",
            self.describe(),
            MAX_FLOPS,
            bytes(MAX_BYTES)
        ))
    }
}

fn bytes(b: f64) -> String {
    if b >= 1e9 {
        format!("{:.1} GB", b / 1e9)
    } else {
        format!("{:.0} MB", (b / 1e6).max(1.0))
    }
}

/// The largest value each dimension can take when an instance is drawn.
pub struct Sizes {
    largest_symbol: f64,
}

impl Sizes {
    pub fn of(decls: &Decls) -> Sizes {
        // The sampler gives distinct symbols distinct sizes from 2 upwards,
        // a step of at most three each (see `sample::planned_sizes`).
        let symbols = decls.symbols().len() as f64;
        Sizes {
            largest_symbol: 4.0 + 3.0 * symbols,
        }
    }

    fn dim(&self, d: &Dim) -> f64 {
        match d {
            Dim::Lit(n) => *n as f64,
            Dim::Sym(_) | Dim::Var(_) => self.largest_symbol,
            Dim::Prod(fs) => fs.iter().map(|f| self.dim(f)).product(),
        }
    }

    fn entries(&self, s: &Shape) -> f64 {
        self.dim(&s.rows) * self.dim(&s.cols)
    }
}

/// One evaluation of `t`: operations of every node, and the bytes of every
/// value (a tape keeps them all).
pub fn evaluation(t: &Typed, sizes: &Sizes) -> Cost {
    let children = t
        .children()
        .into_iter()
        .fold(Cost::default(), |c, x| c + evaluation(x, sizes));
    let out = sizes.entries(&t.shape);
    let side = |x: &Typed| sizes.dim(&x.shape.rows);
    let flops = match &t.op {
        Op::MatMul(a, b) => {
            2.0 * sizes.dim(&a.shape.rows) * sizes.dim(&a.shape.cols) * sizes.dim(&b.shape.cols)
        }
        Op::MatPow(a, power) => {
            let k = power.unsigned_abs().max(1);
            let products = f64::from(63 - k.leading_zeros() + k.count_ones());
            let inverse = if *power < 0 { 3.0 } else { 0.0 };
            (2.0 * products + inverse) * side(a).powi(3)
        }
        Op::Call(Func::Inv | Func::Det | Func::Logdet, a) => 3.0 * side(a).powi(3),
        Op::Matrix(_) | Op::Const(_) | Op::Var(_) => out,
        _ => {
            out + t
                .children()
                .iter()
                .map(|c| sizes.entries(&c.shape))
                .sum::<f64>()
        }
    };
    // A name is the instance's value, held once (`instance`), not a copy.
    let held = if matches!(t.op, Op::Var(_)) {
        0.0
    } else {
        8.0 * out
    };
    children + Cost { flops, bytes: held }
}

/// The values of one instance: every declared name once.
fn instance(decls: &Decls, sizes: &Sizes) -> f64 {
    decls
        .entries
        .iter()
        .map(|d| 8.0 * sizes.entries(&d.shape))
        .sum()
}

/// Trials of a default grading at these sizes (the grader's own rule: fewer
/// above side 512, more for F with kinks, is close enough here).
fn trials(f: &Typed, sizes: &Sizes) -> f64 {
    let mut largest = 0.0f64;
    let mut stack = vec![f];
    while let Some(t) = stack.pop() {
        largest = largest
            .max(sizes.dim(&t.shape.rows))
            .max(sizes.dim(&t.shape.cols));
        stack.extend(t.children());
    }
    if largest > 512.0 { 3.0 } else { 9.0 }
}

/// A grading of ∂F/∂X: F forward and back on each trial (the reverse pass
/// once per probed row of a Jacobian, at most 64), the instance's values,
/// and every computed value held twice (the tape and the adjoints).
pub fn grading(f: &Typed, decls: &Decls) -> Cost {
    let sizes = Sizes::of(decls);
    let one = evaluation(f, &sizes);
    let rows = sizes.entries(&f.shape).min(64.0);
    let per_trial = one.times(1.0 + rows);
    Cost {
        flops: per_trial.flops * trials(f, &sizes),
        bytes: instance(decls, &sizes) + 2.0 * one.bytes,
    }
}

/// The answer's part of a grading: one evaluation per trial.
pub fn answer(answer: &Typed, f: &Typed, decls: &Decls) -> Cost {
    let sizes = Sizes::of(decls);
    let one = evaluation(answer, &sizes);
    one.times(trials(f, &sizes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::compile;

    fn cost(f: &str, given: &str) -> Cost {
        let d = Decls::parse(given).unwrap();
        grading(&compile(f, Some(&d)).unwrap().typed, &d)
    }

    #[test]
    fn tutor_sizes_cost_nothing_and_the_large_cases_still_fit() {
        assert!(cost("x' A x", "A: n x n; x: n").flops < 1e5);
        for f in ["tr(A^64)", "logdet(A)", "det(A)", "tr(inv(A))", "x' A^64 x"] {
            let given = if f.contains('x') {
                "A: 2048 x 2048; x: 2048"
            } else {
                "A: 2048 x 2048"
            };
            let c = cost(f, given);
            assert!(c.fits(), "{f} at 2048 must stay allowed: {}", c.describe());
        }
    }

    #[test]
    fn a_long_chain_of_large_products_is_refused_for_its_memory() {
        let chain = vec!["A"; 200].join(" ");
        let c = cost(&format!("tr({chain})"), "A: 2048 x 2048");
        assert!(!c.fits(), "{}", c.describe());
        let why = c.refusal("F").unwrap();
        assert!(why.contains("GB") && why.contains("smaller sizes"), "{why}");
    }

    #[test]
    fn a_jacobian_pays_a_reverse_pass_per_row() {
        let scalar = cost("sum(W x)", "W: 1000 x 1000; x: 1000");
        let vector = cost("W x", "W: 1000 x 1000; x: 1000");
        assert!(vector.flops > 30.0 * scalar.flops);
    }
}
