//! Property test: for random well-shaped expression trees, the engine's
//! reverse mode agrees with central finite differences and with dual numbers.

mod common;

use nabla::calculus::{Layout, Problem, finite_diff, forward, reverse, tape};
use nabla::expr::Decls;
use nabla::sample;
use nalgebra::DMatrix;
use proptest::prelude::*;
use rand::RngExt;

use common::{GIVEN, Gen};

fn agree(f: &str, wrt: &str, seed: u64) -> Result<(), String> {
    let decls = Decls::parse(GIVEN).unwrap();
    let problem =
        Problem::new(decls, f, Some(wrt), Layout::Numerator).map_err(|e| format!("{f}: {e}"))?;
    let mut rng = sample::rng(seed);
    // Some random trees are undefined almost everywhere; those are not this
    // property's concern.
    let Ok(inst) = problem.sample(&mut rng) else {
        return Ok(());
    };
    let x = &inst.values[problem.wrt];
    let v = DMatrix::from_fn(x.nrows(), x.ncols(), |_, _| rng.random_range(-1.0..1.0));
    let t = tape::record(&problem.f.typed, &inst.sizes, &inst.values).map_err(|e| e.message)?;
    let g = reverse::vjp(
        &problem.f.typed,
        &t,
        &inst.values,
        DMatrix::from_element(1, 1, 1.0),
        problem.wrt,
        x.shape(),
    )
    .map_err(|e| e.message)?;
    let by_reverse = g.dot(&v);
    let by_dual = forward::jvp(&problem.f.typed, &inst.sizes, &inst.values, problem.wrt, &v)
        .map_err(|e| e.message)?[(0, 0)];
    let by_fd =
        finite_diff::directional(&problem.f.typed, &inst.sizes, &inst.values, problem.wrt, &v)
            .map_err(|e| e.message)?[(0, 0)];
    let scale = by_dual.abs().max(1.0);
    if (by_reverse - by_dual).abs() > 1e-8 * scale {
        return Err(format!(
            "{f} by {wrt}: reverse {by_reverse} but dual {by_dual}"
        ));
    }
    // Finite differences carry truncation error; a loose bound still catches
    // any wrong rule.
    if (by_reverse - by_fd).abs() > 1e-4 * scale {
        return Err(format!(
            "{f} by {wrt}: reverse {by_reverse} but finite differences {by_fd}"
        ));
    }
    Ok(())
}

/// The grading records only the values its rules read (`calculus::needs`);
/// its truth and rounding magnitudes must be those of a full tape, bit for bit.
fn sparse_tape_gives_the_full_truth(f: &str, wrt: &str, seed: u64) -> Result<(), String> {
    let decls = Decls::parse(GIVEN).unwrap();
    let problem =
        Problem::new(decls, f, Some(wrt), Layout::Numerator).map_err(|e| format!("{f}: {e}"))?;
    let mut rng = sample::rng(seed);
    let Ok(inst) = problem.sample(&mut rng) else {
        return Ok(());
    };
    let seeds = problem.seeds(&inst, &mut rng);
    let Some(mut sparse) = problem.record_checked(&inst) else {
        return Err(format!("{f}: a sampled instance is not well conditioned"));
    };
    let mut full = tape::record(&problem.f.typed, &inst.sizes, &inst.values)
        .map_err(|e| format!("{f}: {}", e.message))?;
    let truth = |t: &mut tape::Tape| {
        let probes = problem.true_probes_on(&inst, t, &seeds);
        let mags = problem.truth_magnitudes_on(&inst, t, &seeds);
        (probes.map_err(|e| e.message), mags.map_err(|e| e.message))
    };
    let (want, got) = (truth(&mut full), truth(&mut sparse));
    if want != got {
        return Err(format!(
            "{f} by {wrt}: full tape {want:?}, sparse tape {got:?}"
        ));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn the_grading_tape_gives_the_truth_of_a_full_tape(seed in any::<u64>(), depth in 1u32..5, which in 0usize..7) {
        let mut g = Gen { rng: sample::rng(seed) };
        let f = g.scalar(depth);
        let wrt = ["A", "B", "C", "x", "y", "z", "s"][which];
        if let Err(e) = sparse_tape_gives_the_full_truth(&f, wrt, seed) {
            eprintln!("FAILED: {e}");
            prop_assert!(false, "{}", e);
        }
    }

    #[test]
    fn reverse_mode_agrees_with_finite_differences(seed in any::<u64>(), depth in 1u32..4, which in 0usize..7) {
        let mut g = Gen { rng: sample::rng(seed) };
        let f = g.scalar(depth);
        let wrt = ["A", "B", "C", "x", "y", "z", "s"][which];
        if let Err(e) = agree(&f, wrt, seed) {
            eprintln!("FAILED: {e}");
            prop_assert!(false, "{}", e);
        }
    }
}

/// What the generator does not make: every other operation, on a path to
/// X and beside it.
#[test]
fn every_operation_reads_only_what_was_recorded() {
    let cases = [
        "det(A) s + t",
        "s det(A)",
        "logdet(A + 4 I) * t",
        "x' inv(A + 4 I) y",
        "tr(A^3) + tr(B^-2)",
        "tr(A^5 B)",
        "sum(log(x .* x + 1)) * s",
        "sum(sqrt(x .* x + 1)) + t s",
        "sum(abs(x)) s",
        "sum(relu(x)) * t",
        "sum(x ./ (y .* y + 1))",
        "sum((y .* y + 1) ./ (x .* x + 1))",
        "sum((x .* x + 1) .^ s)",
        "sum((x .* x + 1) .^ 2)",
        "log(sum(exp(x - 1000))) * s",
        "sum([s, t; t, s] * [1, 2; 3, 4])",
        "sum(transpose(A) B)",
        "norm(C x) + norm(x) * s",
        "sum(ones(n) x' A)",
        "tr(I(n) A B)",
        "z' C (x + y) s",
        "sum(sigmoid(x) .* softmax(y))",
        "sum(diag(A) .* x) + sum(diag(x))",
        "-tr(A' B) + s * t",
    ];
    for f in cases {
        for wrt in ["A", "B", "C", "x", "y", "s", "t"] {
            for seed in 0..3 {
                if let Err(e) = sparse_tape_gives_the_full_truth(f, wrt, seed) {
                    panic!("{e}");
                }
            }
        }
    }
}

#[test]
fn the_generator_makes_well_shaped_scalars() {
    let decls = Decls::parse(GIVEN).unwrap();
    for seed in 0..300 {
        let f = Gen {
            rng: sample::rng(seed),
        }
        .scalar(3);
        let c =
            nabla::expr::compile(&f, Some(&decls)).unwrap_or_else(|e| panic!("{f}: {}", e.message));
        assert!(c.shape().is_scalar(), "{f}");
    }
}

#[test]
fn most_random_trees_are_really_compared() {
    // The property skips trees undefined on every instance tried; make sure
    // that is rare, or the property would pass vacuously.
    let decls = Decls::parse(GIVEN).unwrap();
    let mut compared = 0;
    for seed in 0..200 {
        let f = Gen {
            rng: sample::rng(seed),
        }
        .scalar(3);
        let p = Problem::new(decls.clone(), &f, Some("x"), Layout::Numerator).unwrap();
        if p.sample(&mut sample::rng(seed)).is_ok() {
            compared += 1;
        }
    }
    assert!(
        compared >= 180,
        "only {compared} of 200 random trees could be sampled"
    );
}
