//! Every identity of the tutorial and 30 first-order identities of The Matrix
//! Cookbook (Petersen & Pedersen, 2012; equation numbers in the comments),
//! verified both ways: the engine's reverse mode against finite differences
//! and dual numbers, and the textbook form graded `correct`.

mod common;

use nabla::calculus::{Layout, Problem, finite_diff, forward, reverse, tape};
use nabla::expr::Decls;
use nabla::grade::{Options, Verdict, grade};
use nabla::sample;
use nalgebra::DMatrix;
use rand::RngExt;

/// (given, F, wrt, textbook derivative)
use common::{COOKBOOK, TUTORIAL};

fn check_both_ways(cases: &[(&str, &str, &str, &str)]) {
    let mut failures = Vec::new();
    for &(given, f, wrt, textbook) in cases {
        let decls = Decls::parse(given).unwrap();
        let problem = Problem::new(decls, f, Some(wrt), Layout::Numerator).unwrap();
        // 1. The engine against finite differences and dual numbers, on random
        //    instances and random directions.
        let mut rng = sample::rng(42);
        for _ in 0..4 {
            let inst = problem.sample(&mut rng).unwrap();
            let x = &inst.values[problem.wrt];
            let v = DMatrix::from_fn(x.nrows(), x.ncols(), |_, _| rng.random_range(-1.0..1.0));
            let fd = finite_diff::directional(
                &problem.f.typed,
                &inst.sizes,
                &inst.values,
                problem.wrt,
                &v,
            )
            .unwrap();
            let dual =
                forward::jvp(&problem.f.typed, &inst.sizes, &inst.values, problem.wrt, &v).unwrap();
            // Reverse mode: ⟨F̄, dF[V]⟩ = ⟨vjp(F̄), V⟩ for a random F̄.
            let fbar = DMatrix::from_fn(fd.nrows(), fd.ncols(), |_, _| rng.random_range(-1.0..1.0));
            let t = tape::record(&problem.f.typed, &inst.sizes, &inst.values).unwrap();
            let g = reverse::vjp(
                &problem.f.typed,
                &t,
                &inst.values,
                fbar.clone(),
                problem.wrt,
                x.shape(),
            )
            .unwrap();
            let by_reverse = g.dot(&v);
            let by_fd = fbar.dot(&fd);
            let by_dual = fbar.dot(&dual);
            let scale = by_dual.abs().max(1e-3);
            if (by_reverse - by_fd).abs() > 1e-5 * scale.max(1.0) {
                failures.push(format!(
                    "{f} by {wrt}: reverse {by_reverse} vs finite differences {by_fd}"
                ));
            }
            if (by_reverse - by_dual).abs() > 1e-9 * scale.max(1.0) {
                failures.push(format!(
                    "{f} by {wrt}: reverse {by_reverse} vs dual {by_dual}"
                ));
            }
        }
        // 2. The textbook form is graded correct.
        let g = grade(&problem, textbook, &Options::default()).unwrap();
        if g.verdict != Verdict::Correct {
            failures.push(format!(
                "{f} by {wrt}: textbook {textbook} graded {:?}: {}",
                g.verdict, g.message
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn tutorial_identities_hold_both_ways() {
    check_both_ways(TUTORIAL);
}

#[test]
fn cookbook_identities_hold_both_ways() {
    assert!(COOKBOOK.len() >= 30);
    check_both_ways(COOKBOOK);
}

#[test]
fn denominator_layout_transposes_the_jacobian() {
    let decls = Decls::parse("A: m x n; x: n").unwrap();
    let p = Problem::new(decls, "A x", Some("x"), Layout::Denominator).unwrap();
    assert_eq!(p.expected.to_string(), "n×m");
    assert_eq!(
        grade(&p, "A'", &Options::default()).unwrap().verdict,
        Verdict::Correct
    );
    let g = grade(&p, "A", &Options::default()).unwrap();
    assert_eq!(g.verdict, Verdict::WrongShape);
    assert_eq!(g.diagnosis.map(|d| d.code()), Some("transpose"));
}

#[test]
fn symmetric_variables_still_have_every_entry_free() {
    // d tr(A S)/dS = Aᵀ even for S declared symmetric: properties shape the
    // instances, not the derivative.
    let decls = Decls::parse("A: n x n; S: n x n symmetric").unwrap();
    let p = Problem::new(decls, "tr(A S)", Some("S"), Layout::Numerator).unwrap();
    assert_eq!(
        grade(&p, "A'", &Options::default()).unwrap().verdict,
        Verdict::Correct
    );
    assert_eq!(
        grade(&p, "(A + A')/2", &Options::default())
            .unwrap()
            .verdict,
        Verdict::Incorrect
    );
}
