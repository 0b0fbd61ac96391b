//! Properties of the grader over random functions (the generator of
//! `tests/common/mod.rs`), through the library:
//!
//! - `grade(F, derive(F))` is `correct`: nabla's own derivation is never
//!   rejected;
//! - a perturbation of that derivative — a term of a sum dropped, a factor
//!   transposed, a sign flipped, the whole scaled by 1.001 or 2 — is
//!   `incorrect`, whenever it really is a different function (checked
//!   numerically, independently of the grader, before asserting).
//!
//! Random F that derive refuses, or that has no usable instance, are skipped;
//! the skips are counted and must stay a minority, so neither property can
//! pass vacuously.

mod common;

use std::cell::Cell;

use nabla::calculus::symbolic::derive;
use nabla::calculus::tape::{self, Tape};
use nabla::calculus::{Layout, Problem};
use nabla::expr::{
    BinOp, Compiled, Decls, Expr, ExprKind, Span, compile_expecting, eval, parse, print,
};
use nabla::grade::{Options, Verdict, grade};
use nabla::sample;
use nalgebra::DMatrix;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

use common::{GIVEN, Gen};

/// A random scalar F, one of the names it uses as X, and the problem; None
/// when F uses no name.
fn random_problem(seed: u64, depth: u32, which: usize) -> Option<(String, Problem)> {
    let f = Gen {
        rng: sample::rng(seed),
    }
    .scalar(depth);
    let decls = Decls::parse(GIVEN).unwrap();
    let names = parse(&f, Some(&decls)).unwrap().names();
    if names.is_empty() {
        return None;
    }
    let wrt = names[which % names.len()].clone();
    let p = Problem::new(decls, &f, Some(&wrt), Layout::Numerator)
        .unwrap_or_else(|e| panic!("{f} by {wrt}: {e}"));
    Some((format!("{f} by {wrt}"), p))
}

fn config(cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

/// Runs `body` on the `known` cases (ones that once failed), then on `cases`
/// random ones; `body` returns Ok(false) for a skip. Fails when a case fails
/// or when skips are not a minority.
fn run_counting(
    name: &str,
    known: &[(u64, u32, usize)],
    cases: u32,
    depths: std::ops::Range<u32>,
    body: impl Fn(u64, u32, usize) -> Result<bool, TestCaseError>,
) {
    for &(seed, depth, which) in known {
        if let Err(e) = body(seed, depth, which) {
            panic!("{name}: known case ({seed}, {depth}, {which}): {e}");
        }
    }
    let (ran, skipped) = (Cell::new(0u32), Cell::new(0u32));
    let mut runner = TestRunner::new(config(cases));
    let outcome = runner.run(
        &(any::<u64>(), depths, any::<usize>()),
        |(seed, depth, which)| {
            ran.set(ran.get() + 1);
            if !body(seed, depth, which)? {
                skipped.set(skipped.get() + 1);
            }
            Ok(())
        },
    );
    if let Err(e) = outcome {
        panic!("{name}: {e}");
    }
    let (ran, skipped) = (ran.get(), skipped.get());
    eprintln!("{name}: {ran} cases, {skipped} skipped");
    assert!(
        2 * skipped < ran,
        "{name}: {skipped} of {ran} cases were skipped: the property hardly ran"
    );
}

// ----------------------------------------------------- derive(F) is correct

#[test]
fn nablas_own_derivative_is_graded_correct() {
    // Known: sum(softmax(x)) by x, derived zeros(n) (a zero derivative).
    run_counting(
        "derive then grade",
        &[(5552735728019975338, 2, 0)],
        64,
        1..4,
        |seed, depth, which| {
            let Some((what, p)) = random_problem(seed, depth, which) else {
                return Ok(false);
            };
            let Ok(d) = derive(&p) else {
                return Ok(false);
            };
            let opts = Options {
                trials: 5,
                seed: seed ^ 0x5eed,
            };
            let Ok(g) = grade(&p, &d.text, &opts) else {
                // F has no usable instance.
                return Ok(false);
            };
            prop_assert_eq!(
                g.verdict,
                Verdict::Correct,
                "{}: derived {} graded {:?}: {}",
                what,
                d.text,
                g.verdict,
                g.message
            );
            Ok(true)
        },
    );
}

// ------------------------------------------- perturbations are incorrect

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    DropTerm,
    Transpose,
    FlipSign,
    Scale,
}

fn node(kind: ExprKind) -> Expr {
    Expr::new(kind, Span { start: 0, end: 0 })
}

fn bx(e: Expr) -> Box<Expr> {
    Box::new(e)
}

/// Perturbations at the root of `e` only.
fn local(e: &Expr) -> Vec<(Kind, Expr)> {
    use ExprKind::*;
    let t = |a: &Expr| node(Transpose(bx(a.clone())));
    match &e.kind {
        Binary(BinOp::Add, a, b) => vec![
            (Kind::DropTerm, (**a).clone()),
            (Kind::DropTerm, (**b).clone()),
            (
                Kind::FlipSign,
                node(Binary(BinOp::Sub, a.clone(), b.clone())),
            ),
        ],
        Binary(BinOp::Sub, a, b) => vec![
            (Kind::DropTerm, (**a).clone()),
            (Kind::DropTerm, node(Neg(b.clone()))),
            (
                Kind::FlipSign,
                node(Binary(BinOp::Add, a.clone(), b.clone())),
            ),
        ],
        Binary(BinOp::Mul, a, b) => vec![
            (
                Kind::Transpose,
                node(Binary(BinOp::Mul, bx(t(a)), b.clone())),
            ),
            (
                Kind::Transpose,
                node(Binary(BinOp::Mul, a.clone(), bx(t(b)))),
            ),
        ],
        Neg(a) => vec![(Kind::FlipSign, (**a).clone())],
        _ => vec![],
    }
}

/// Every single-site perturbation of `e`, anywhere in the tree.
fn inner(e: &Expr) -> Vec<(Kind, Expr)> {
    use ExprKind::*;
    let mut out = local(e);
    match &e.kind {
        Neg(a) => out.extend(inner(a).into_iter().map(|(k, m)| (k, node(Neg(bx(m)))))),
        Transpose(a) => out.extend(
            inner(a)
                .into_iter()
                .map(|(k, m)| (k, node(Transpose(bx(m))))),
        ),
        Call(f, a) => out.extend(
            inner(a)
                .into_iter()
                .map(|(k, m)| (k, node(Call(*f, bx(m))))),
        ),
        Binary(op, a, b) => {
            out.extend(
                inner(a)
                    .into_iter()
                    .map(|(k, m)| (k, node(Binary(*op, bx(m), b.clone())))),
            );
            out.extend(
                inner(b)
                    .into_iter()
                    .map(|(k, m)| (k, node(Binary(*op, a.clone(), bx(m))))),
            );
        }
        _ => {}
    }
    out
}

/// Every perturbation of the derivative `d`: those inside it and, of the
/// whole, a flipped sign and factors 1.001 and 2.
fn perturbations(d: &Expr) -> Vec<(Kind, Expr)> {
    use ExprKind::*;
    let mut out = inner(d);
    out.push((Kind::FlipSign, node(Neg(bx(d.clone())))));
    for c in [1.001, 2.0] {
        out.push((
            Kind::Scale,
            node(Binary(BinOp::Mul, bx(node(Number(c))), bx(d.clone()))),
        ));
    }
    out
}

/// The largest magnitude of any intermediate value: the scale of rounding noise.
fn largest(t: &Tape, values: &[DMatrix<f64>]) -> f64 {
    t.children
        .iter()
        .map(|c| largest(c, values))
        .fold(t.value(values).amax(), f64::max)
}

/// Whether `perturbed` is a different function from `original` (the
/// derivative), judged without the grader: on each of three fixed instances,
/// their values differ by more than 1e-6 relative and more than rounding
/// noise could explain.
fn really_differs(p: &Problem, original: &Compiled, perturbed: &Compiled) -> bool {
    let mut rng = sample::rng(20_240_601);
    (0..3).all(|_| {
        let Ok(inst) = p.sample(&mut rng) else {
            return false;
        };
        let (Ok(a), Ok(b)) = (
            tape::record(&original.typed, &inst.sizes, &inst.values),
            tape::record(&perturbed.typed, &inst.sizes, &inst.values),
        ) else {
            return false;
        };
        let v = &inst.values;
        let diff = (a.value(v) - b.value(v)).norm();
        let size = a.value(v).norm().max(b.value(v).norm());
        let noise = 1e-8 * largest(&a, v).max(largest(&b, v)).max(1e-300);
        diff > 1e-6 * size && diff > noise
    })
}

fn value(c: &Compiled, inst: &sample::Instance) -> Option<DMatrix<f64>> {
    eval(&c.typed, &inst.sizes, &inst.values).ok()
}

#[test]
fn perturbed_derivatives_are_graded_incorrect() {
    let asserted: Cell<[u32; 4]> = Cell::new([0; 4]);
    // 256 cases (well under a second): a derivative with a square factor
    // whose transpose is another function is only one case in ~16, and every
    // kind of perturbation must really be asserted.
    run_counting(
        "perturb then grade",
        &[],
        256,
        2..4,
        |seed, depth, which| {
            let Some((what, p)) = random_problem(seed, depth, which) else {
                return Ok(false);
            };
            let Ok(d) = derive(&p) else {
                return Ok(false);
            };
            let original = compile_expecting(&d.text, Some(&p.decls), Some(&p.expected)).unwrap();
            // Perturbations that still read, have the expected shape and really
            // are other functions (transposing a scalar or a symmetric factor
            // changes nothing; that is not the grader's to catch).
            let candidates: Vec<(Kind, Compiled)> = perturbations(&original.ast)
                .into_iter()
                .filter_map(|(k, e)| {
                    let c =
                        compile_expecting(&print(&e), Some(&p.decls), Some(&p.expected)).ok()?;
                    (c.shape() == &p.expected && really_differs(&p, &original, &c))
                        .then_some((k, c))
                })
                .collect();
            if candidates.is_empty() {
                // Only when the derivative is 0 (scaling it changes nothing).
                return Ok(false);
            }
            // A kind first (each as likely), then one perturbation of that kind.
            let mut kinds: Vec<Kind> = candidates.iter().map(|(k, _)| *k).collect();
            kinds.sort_by_key(|k| *k as usize);
            kinds.dedup();
            let kind = kinds[(which / 7) % kinds.len()];
            let of_kind: Vec<&Compiled> = candidates
                .iter()
                .filter(|(k, _)| *k == kind)
                .map(|(_, c)| c)
                .collect();
            let perturbed = of_kind[(which / 7 / kinds.len()) % of_kind.len()];
            let opts = Options {
                trials: 5,
                seed: seed ^ 0x5eed,
            };
            let Ok(g) = grade(&p, &perturbed.read_as, &opts) else {
                return Ok(false);
            };
            if g.verdict == Verdict::Correct {
                // Say by how much the two differ on the grader's own kind of instance.
                let mut rng = sample::rng(opts.seed);
                let gap = p
                    .sample(&mut rng)
                    .ok()
                    .and_then(|inst| Some((value(&original, &inst)?, value(perturbed, &inst)?)))
                    .map(|(a, b)| (&a - &b).norm() / a.norm().max(b.norm()));
                prop_assert!(
                    false,
                    "{}: derivative {}, perturbed ({:?}) to {}, graded correct (relative gap on one instance: {:?}): {}",
                    what,
                    d.text,
                    kind,
                    perturbed.read_as,
                    gap,
                    g.message
                );
            }
            prop_assert_eq!(
                g.verdict,
                Verdict::Incorrect,
                "{}: {} perturbed ({:?}) to {}: {}",
                what,
                d.text,
                kind,
                perturbed.read_as,
                g.message
            );
            let mut n = asserted.get();
            n[kind as usize] += 1;
            asserted.set(n);
            Ok(true)
        },
    );
    // Every kind of perturbation was really asserted at least once.
    let n = asserted.get();
    eprintln!(
        "asserted: drop {} transpose {} sign {} scale {}",
        n[0], n[1], n[2], n[3]
    );
    assert!(
        n.iter().all(|&k| k > 0),
        "some kind of perturbation never ran: {n:?}"
    );
}
