//! Whether an expression is safely defined on an instance, and how far from
//! it a draw is: the arguments of inv/det/logdet must be far from singular,
//! of log/sqrt positive, of relu/abs/norm off their kinks, divisors off zero,
//! and every value finite. `health` counts the entries that break this (so a
//! draw can be repaired step by step) and names the first part of the
//! expression that breaks it (so a problem with no usable instance can say
//! which part of F is to blame).
//!
//! The walk records the tape of reverse mode as it goes (`record`): on a
//! healthy instance that tape is the truth's forward pass, so F is evaluated
//! once per trial for conditioning and truth alike.

use nalgebra::DMatrix;

use super::needs;
use super::tape::{self, Aux, Tape};
use crate::expr::eval::{self, Sizes};
use crate::expr::logsumexp;
use crate::expr::{ElemOp, Func, Op, Span, Typed};

/// Largest condition estimate ‖A‖_F‖A⁻¹‖_F accepted for an inverted matrix.
const MAX_CONDITION: f64 = 1e6;
/// Smallest distance from a kink or a pole accepted, relative to the size of
/// the argument's entries when those are below 1 (so `relu(1e-5 x)` is fine).
const MARGIN: f64 = 1e-3;

/// What is wrong with an expression on one instance.
#[derive(Clone, Debug, Default)]
pub struct Health {
    /// How many entries (or matrices, for inverses) break the domain.
    pub violations: usize,
    /// How far they are from it, summed (so a repair can tell it is getting
    /// closer before the count drops: `sqrt(s − 100)` at s = 3, then 6, 12 …).
    pub distance: f64,
    /// The first node that breaks it, and how.
    pub first: Option<Fault>,
    /// The values of `det(…)` nodes, in tree order: the grader alternates
    /// their signs across trials.
    pub dets: Vec<f64>,
    /// For each `relu`/`abs` node, in tree order: how far the nearest entry
    /// of its argument is from lying just below its kink, and just above it,
    /// within `NEAR_KINK`, then within `VERY_NEAR_KINK` (0 when one does). The
    /// grader asks for each in some trial, so a slope wrong only near a kink
    /// is seen.
    pub kinks: Vec<[f64; 4]>,
}

/// How close to a kink counts as "just below" or "just above" it: about the
/// smallest magnitude values are drawn with.
pub const NEAR_KINK: f64 = 0.15;
/// The narrow band, for a slope wrong only very near a kink (`relu(x) ./ x`
/// for `relu(x − 0.01)`).
pub const VERY_NEAR_KINK: f64 = 0.008;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Fault {
    pub span: Span,
    pub what: &'static str,
}

impl Health {
    pub fn ok(&self) -> bool {
        self.violations == 0
    }

    fn fault(&mut self, count: usize, span: Span, what: &'static str) {
        self.fault_by(count, count as f64, span, what);
    }

    fn fault_by(&mut self, count: usize, distance: f64, span: Span, what: &'static str) {
        if count > 0 {
            self.violations += count;
            self.distance += if distance.is_finite() {
                distance
            } else {
                1e300
            };
            self.first.get_or_insert(Fault { span, what });
        }
    }

    /// Whether `self` is nearer F's domain than `other`.
    pub fn better_than(&self, other: &Health) -> bool {
        self.violations < other.violations
            || (self.violations == other.violations
                && self.distance < other.distance * (1.0 - 1e-9))
    }
}

pub fn is_well_conditioned(t: &Typed, sizes: &Sizes, values: &[DMatrix<f64>]) -> bool {
    health(t, sizes, values).ok()
}

/// Evaluates `t`, counting what breaks its domain. Broken arguments are
/// replaced by harmless ones so the walk goes on and every fault is counted.
pub fn health(t: &Typed, sizes: &Sizes, values: &[DMatrix<f64>]) -> Health {
    record(t, sizes, values).1
}

/// The tape of `t` and its health. When the health is not `ok`, broken
/// arguments were repaired on the way, so the tape only measures how far the
/// draw is from F's domain; when it is, the tape is `tape::record`'s.
pub fn record(t: &Typed, sizes: &Sizes, values: &[DMatrix<f64>]) -> (Tape, Health) {
    let mut h = Health::default();
    let tape = Walk {
        sizes,
        values,
        wrt: None,
    }
    .node(t, true, &mut h);
    (tape, h)
}

/// `record` for differentiating by declared name `wrt`: only the values a
/// grading reads are computed (see `needs`); F's own value is not one.
pub fn record_for(t: &Typed, sizes: &Sizes, values: &[DMatrix<f64>], wrt: usize) -> (Tape, Health) {
    let mut h = Health::default();
    let tape = Walk {
        sizes,
        values,
        wrt: Some(wrt),
    }
    .node(t, false, &mut h);
    (tape, h)
}

/// `log(sum(exp(E)))`: the log-sum-exp, evaluated shifted by the maximum, so
/// it has no domain of its own beyond E's. Returns E.
pub fn log_sum_exp_argument(t: &Typed) -> Option<&Typed> {
    logsumexp::nodes(t).map(|n| n.arg)
}

fn margin(a: &DMatrix<f64>) -> f64 {
    let scale = a.iter().fold(0.0f64, |m, x| m.max(x.abs()));
    MARGIN * scale.min(1.0)
}

/// A stand-in for a node that could not be evaluated (the fault is counted).
fn broken() -> Tape {
    Tape::owned(DMatrix::zeros(1, 1), Vec::new(), Aux::None)
}

/// One walk: the instance, and the name differentiated by (None: every
/// value is computed).
struct Walk<'a> {
    sizes: &'a Sizes,
    values: &'a [DMatrix<f64>],
    wrt: Option<usize>,
}

impl Walk<'_> {
    /// The tape of `t`, with its value when `wanted` or when a grading by
    /// `wrt` reads it.
    fn node(&self, t: &Typed, wanted: bool, h: &mut Health) -> Tape {
        let (sizes, values) = (self.sizes, self.values);
        let wanted = match self.wrt {
            None => true,
            Some(wrt) => wanted || needs::checked(t) || needs::own(t, wrt),
        };
        if eval::is_leaf(t) && (wanted || matches!(t.op, Op::Var(_))) {
            return tape::leaf(t, sizes, values).unwrap_or_else(|_| {
                h.fault(1, t.span, "a value that cannot be evaluated");
                broken()
            });
        }
        let children: Vec<Tape> = if logsumexp::nodes(t).is_some() && wanted {
            Vec::new()
        } else {
            t.children()
                .into_iter()
                .enumerate()
                .map(|(i, c)| {
                    let read = wanted || self.wrt.is_some_and(|w| needs::child(t, i, w));
                    self.node(c, read, h)
                })
                .collect()
        };
        if !wanted {
            let shape = eval::shape_size(&t.shape, sizes).unwrap_or((1, 1));
            return Tape::absent(shape, children);
        }
        let mut node = if let Some(nodes) = logsumexp::nodes(t) {
            let e = self.node(nodes.arg, true, h);
            tape::log_sum_exp(t, nodes, e, values)
        } else {
            let mut ch = children;
            check(t, &mut ch, values, h);
            tape::node(t, ch, values)
        }
        .unwrap_or_else(|_| {
            h.fault(1, t.span, "a value that cannot be evaluated");
            broken()
        });
        let value = node.value(values);
        if matches!(t.op, Op::Call(Func::Det, _)) && value.len() == 1 {
            h.dets.push(value[(0, 0)]);
        }
        let bad = value.iter().filter(|x| !x.is_finite()).count();
        h.fault(
            bad,
            t.span,
            "a value too large to be represented (it overflows)",
        );
        if bad > 0 {
            node.value_mut(values)
                .apply(|x| *x = if x.is_finite() { *x } else { 1.0 });
        }
        node
    }
}

/// Counts the faults of node `t` given its children's values, and repairs
/// those values so `apply` can go on.
fn check(t: &Typed, tapes: &mut [Tape], values: &[DMatrix<f64>], h: &mut Health) {
    let span = t.span;
    let ch: Vec<&DMatrix<f64>> = tapes.iter().map(|c| c.value(values)).collect();
    match &t.op {
        Op::Call(Func::Inv | Func::Det | Func::Logdet, _) | Op::MatPow(_, ..0)
            if !invertible(ch[0]) =>
        {
            h.fault(1, span, "a singular or badly conditioned matrix inverted");
            let (r, c) = ch[0].shape();
            *tapes[0].value_mut(values) = DMatrix::identity(r, c);
        }
        Op::Call(f @ (Func::Log | Func::Sqrt), _) => {
            let m = margin(ch[0]);
            let what = if *f == Func::Log {
                "the log of an entry that is not positive"
            } else {
                "the square root of an entry that is not positive"
            };
            let bad = ch[0].iter().filter(|&&x| x.is_nan() || x <= m).count();
            let far: f64 = ch[0].iter().filter(|&&x| x <= m).map(|&x| m - x).sum();
            h.fault_by(bad, bad as f64 + far, span, what);
            tapes[0].value_mut(values).apply(|x| {
                if x.is_nan() || *x <= m {
                    *x = x.abs() + 1.0;
                }
            });
        }
        // step and sign jump at 0, relu and abs bend there: all four are
        // kept off it, and steered near it from both sides.
        Op::Call(Func::Relu | Func::Abs | Func::Step | Func::Sign, _) => {
            let m = margin(ch[0]);
            let bad = ch[0].iter().filter(|&&x| x.abs() <= m).count();
            h.fault(bad, span, "an entry at the kink of relu, abs, step or sign");
            // Distance of the nearest entry from the band (m, width) on
            // either side of the kink, for a wide and a narrow band.
            let nearest = |side: f64, width: f64| {
                let (centre, half) = ((width + m) / 2.0, ((width - m) / 2.0).max(0.0));
                ch[0]
                    .iter()
                    .map(|&x| ((side * x - centre).abs() - half).max(0.0))
                    .fold(f64::INFINITY, f64::min)
            };
            h.kinks.push([
                nearest(-1.0, NEAR_KINK),
                nearest(1.0, NEAR_KINK),
                nearest(-1.0, VERY_NEAR_KINK),
                nearest(1.0, VERY_NEAR_KINK),
            ]);
        }
        // ‖x‖ is differentiable wherever x ≠ 0, however small.
        Op::Call(Func::Norm, _) if ch[0].iter().all(|&x| x == 0.0) => {
            h.fault(1, span, "the norm of a zero vector");
        }
        Op::Elem(ElemOp::Div, ..) => {
            let m = margin(ch[1]);
            let bad = ch[1].iter().filter(|&&y| y.abs() <= m).count();
            let far: f64 = ch[1]
                .iter()
                .filter(|&&y| y.abs() <= m)
                .map(|&y| m - y.abs())
                .sum();
            h.fault_by(bad, bad as f64 + far, span, "a division by zero");
            tapes[1].value_mut(values).apply(|y| {
                if y.abs() <= m {
                    *y = 1.0;
                }
            });
        }
        Op::Elem(ElemOp::Pow, ..) => {
            let whole = ch[1].iter().all(|y| y.fract() == 0.0);
            let negative = ch[1].iter().any(|&y| y < 0.0);
            let m = margin(ch[0]);
            let fine = |x: f64| x > m || (whole && (!negative || x.abs() > m));
            let bad = ch[0].iter().filter(|&&x| !fine(x)).count();
            let far: f64 = ch[0]
                .iter()
                .filter(|&&x| !fine(x))
                .map(|&x| (m - x).abs())
                .sum();
            h.fault_by(
                bad,
                bad as f64 + far,
                span,
                "a power of an entry that is not positive",
            );
            tapes[0].value_mut(values).apply(|x| {
                if !fine(*x) {
                    *x = x.abs() + 1.0;
                }
            });
        }
        _ => {}
    }
}

/// ‖A‖_F‖A⁻¹‖_F < MAX_CONDITION, at the cost of one LU: ‖A⁻¹‖_F is exact
/// up to 16×16 and above estimated from 16 solves with the factors (see
/// `Lu::probe`), not from the full inverse.
fn invertible(a: &DMatrix<f64>) -> bool {
    let lu = crate::expr::linalg::Lu::of(a);
    if lu.has_zero_pivot() {
        return false;
    }
    let cond = a.norm() * lu.probe().inv_norm;
    cond.is_finite() && cond < MAX_CONDITION
}
