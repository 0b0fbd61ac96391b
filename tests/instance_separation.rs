//! Shown instances expose the mistake: over seeds 0–199 of every compute
//! exercise of the built-in course, the numbers a student sees must tell the
//! right answer from every wrong one the lesson teaches about.
//!
//! Driven through the library API the CLI uses (`compute_instance`, the
//! instance `nabla show` displays, and `grade_answer`, what `nabla grade`
//! runs): a known mistake's numbers, or a slip's (the transpose, minus, half or
//! twice the answer), typed as a matrix literal must never be graded correct.
//! Also: no all-zero reference answer, no square matrix shown symmetric unless
//! declared so, no scalar shown as 0 or ±1, and no known mistake that looks
//! like a slip (or like another mistake) on the instance unless it is that
//! slip on every instance.
//!
//! Before shown instances were drawn to separate, this failed on every
//! compute exercise but `l2-compute` and `affine-compute`: of the 2200
//! instances, 223 graded a known mistake correct (`2 A x` on a symmetric A,
//! `2 a` with s = 1, `G B` with a symmetric B, ...) and 510 failed a check.

use std::collections::BTreeMap;

use nabla::calculus::Problem;
use nabla::expr::{compile, eval};
use nabla::grade::Verdict;
use nabla::lesson::exercise::{self, Located};
use nabla::lesson::grading::grade_answer;
use nabla::lesson::instance::compute_instance;
use nabla::lesson::{Course, Kind, load};
use nabla::sample::{self, Instance};
mod common;

use common::literal;
use nalgebra::DMatrix;

const SEEDS: u64 = 200;

fn course() -> Course {
    let c = load::builtin();
    assert!(c.errors.is_empty(), "{:?}", c.errors);
    c
}

fn computes(course: &Course) -> Vec<Located<'_>> {
    exercise::all(course)
        .into_iter()
        .filter(|l| l.kind() == Ok(Kind::Compute))
        .collect()
}

fn tolerance(loc: &Located<'_>) -> f64 {
    loc.ex.tolerance.as_ref().map_or(1e-6, |t| *t.get_ref())
}

/// The compute grader's closeness: |a − b| ≤ tol · max(|b|, 1), every entry.
fn close(a: &DMatrix<f64>, b: &DMatrix<f64>, tol: f64) -> bool {
    a.shape() == b.shape()
        && a.iter()
            .zip(b.iter())
            .all(|(x, y)| (x - y).abs() <= tol * y.abs().max(1.0))
}

/// The slips the grader diagnoses by itself, as numbers on the instance.
fn slips(r: &DMatrix<f64>) -> Vec<(&'static str, DMatrix<f64>)> {
    let mut s = vec![("minus", -r), ("half", r * 0.5), ("twice", r * 2.0)];
    if r.is_square() && r.nrows() > 1 {
        s.insert(0, ("transpose", r.transpose()));
    }
    s
}

/// The known mistakes that are expressions of the declared names, with their
/// numbers on the instance.
fn mistakes(loc: &Located<'_>, p: &Problem, inst: &Instance) -> Vec<(usize, String, DMatrix<f64>)> {
    loc.ex
        .mistakes
        .iter()
        .enumerate()
        .filter_map(|(i, m)| {
            let c = compile(m.answer.get_ref(), Some(&p.decls)).ok()?;
            let v = eval(&c.typed, &inst.sizes, &inst.values).ok()?;
            Some((i, m.answer.get_ref().clone(), v))
        })
        .collect()
}

/// Failures, by what failed, each with the exercises and seeds.
#[derive(Default)]
struct Report {
    shown: usize,
    failures: BTreeMap<String, Vec<String>>,
}

impl Report {
    fn fail(&mut self, what: impl Into<String>, at: String) {
        self.failures.entry(what.into()).or_default().push(at);
    }

    fn assert_clean(&self) {
        if self.failures.is_empty() {
            return;
        }
        let mut text = String::new();
        for (what, at) in &self.failures {
            text += &format!("\n{what}: {} instances\n    {}", at.len(), at.join(", "));
        }
        panic!("over {} shown instances:{text}", self.shown);
    }
}

#[test]
fn no_mistake_or_slip_is_graded_correct_on_a_shown_instance() {
    let course = course();
    let exercises = computes(&course);
    assert!(
        exercises.len() >= 11,
        "{} compute exercises",
        exercises.len()
    );
    let mut report = Report::default();
    // The shown instances fooled by a known mistake, and by anything, for
    // the before/after count.
    let (mut by_mistake, mut fooled) = (0, 0);
    for loc in &exercises {
        let id = loc.id();
        let p = exercise::problem(loc.ex).unwrap();
        let tol = tolerance(loc);
        for seed in 0..SEEDS {
            let at = format!("{id}#{seed}");
            let inst = compute_instance(&p, loc.ex, seed).unwrap_or_else(|e| panic!("{at}: {e}"));
            let r = p.derivative(&inst).unwrap();
            report.shown += 1;
            let (mut bad, mut mistaken) = (false, false);
            if r.iter().all(|x| x.abs() <= tol) {
                report.fail("all-zero reference answer", at.clone());
                bad = true;
            }
            let wrong = mistakes(loc, &p, &inst)
                .into_iter()
                .map(|(_, a, v)| (true, format!("mistake `{a}`"), v))
                .chain(
                    slips(&r)
                        .into_iter()
                        .map(|(s, v)| (false, format!("slip {s}"), v)),
                );
            for (authored, what, v) in wrong {
                if v.shape() != r.shape() {
                    continue; // graded wrong_shape whatever the numbers
                }
                let g = grade_answer(*loc, seed, &literal(&v), None).unwrap();
                if g.grade.verdict == Verdict::Correct {
                    report.fail(format!("{id}: {what} graded correct"), seed.to_string());
                    bad = true;
                    mistaken |= authored;
                }
            }
            for (d, v) in p.decls.entries.iter().zip(&inst.values) {
                let declared = d.props.iter().any(|q| q.implies_symmetric());
                if v.is_square() && v.nrows() > 1 && !declared && *v == v.transpose() {
                    report.fail(
                        format!("undeclared symmetric `{}` shown", d.name),
                        at.clone(),
                    );
                    bad = true;
                }
            }
            fooled += usize::from(bad);
            by_mistake += usize::from(mistaken);
        }
    }
    eprintln!(
        "of {} shown instances, {by_mistake} grade a known mistake correct, {fooled} fail a check",
        report.shown
    );
    report.assert_clean();
}

/// Whether `a` and `b` (functions of an instance) agree on random real
/// instances of the problem: then they are the same expression, and no
/// instance can tell them apart.
fn same_everywhere(
    p: &Problem,
    a: &dyn Fn(&Instance) -> Option<DMatrix<f64>>,
    b: &dyn Fn(&Instance) -> Option<DMatrix<f64>>,
) -> bool {
    let mut rng = sample::rng(0x5eed);
    (0..3).all(|_| {
        let inst = p.sample(&mut rng).unwrap();
        match (a(&inst), b(&inst)) {
            (Some(x), Some(y)) => close(&x, &y, 1e-9),
            _ => false,
        }
    })
}

#[test]
fn known_mistakes_do_not_pass_for_a_slip_or_for_each_other_on_a_shown_instance() {
    let course = course();
    let mut report = Report::default();
    for loc in computes(&course) {
        let id = loc.id();
        let p = exercise::problem(loc.ex).unwrap();
        let tol = tolerance(&loc);
        let mistake = |i: usize| {
            let src = loc.ex.mistakes[i].answer.get_ref().clone();
            let p = p.clone();
            move |inst: &Instance| {
                let c = compile(&src, Some(&p.decls)).ok()?;
                eval(&c.typed, &inst.sizes, &inst.values).ok()
            }
        };
        for seed in 0..SEEDS {
            let inst = compute_instance(&p, loc.ex, seed).unwrap();
            let r = p.derivative(&inst).unwrap();
            report.shown += 1;
            let ms = mistakes(&loc, &p, &inst);
            for (d, v) in p.decls.entries.iter().zip(&inst.values) {
                let forced = d.props.iter().any(|q| {
                    matches!(
                        q,
                        nabla::expr::Property::Onehot | nabla::expr::Property::Probability
                    )
                });
                if v.len() == 1 && !forced && [0.0, 1.0, -1.0].contains(&v[0]) {
                    report.fail(
                        format!("{id}: scalar `{}` shown as {}", d.name, v[0]),
                        seed.to_string(),
                    );
                }
            }
            for (n, (i, a, mv)) in ms.iter().enumerate() {
                for (k, (s, sv)) in slips(&r).iter().enumerate() {
                    if !close(mv, sv, tol) {
                        continue;
                    }
                    let slip = |inst: &Instance| {
                        let r = p.derivative(inst).ok()?;
                        Some(slips(&r).swap_remove(k).1)
                    };
                    if !same_everywhere(&p, &mistake(*i), &slip) {
                        report.fail(
                            format!("{id}: mistake `{a}` looks like slip {s}"),
                            seed.to_string(),
                        );
                    }
                }
                for (j, b, bv) in &ms[n + 1..] {
                    if close(mv, bv, tol) && !same_everywhere(&p, &mistake(*i), &mistake(*j)) {
                        report.fail(
                            format!("{id}: mistakes `{a}` and `{b}` coincide"),
                            seed.to_string(),
                        );
                    }
                }
            }
        }
    }
    report.assert_clean();
}
