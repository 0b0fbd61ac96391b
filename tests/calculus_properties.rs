//! Property test: for random well-shaped expression trees, the engine's
//! reverse mode agrees with central finite differences and with dual numbers.

use nabla::calculus::{Layout, Problem, finite_diff, forward, reverse, tape};
use nabla::expr::Decls;
use nabla::sample;
use nalgebra::DMatrix;
use proptest::prelude::*;
use rand::RngExt;

const GIVEN: &str = "A, B: n x n; C: m x n; x, y: n; z: m; s, t: scalar";

/// A small generator of source text by shape, so every tree is well shaped.
struct Gen {
    rng: sample::Rng,
}

impl Gen {
    fn pick<'a>(&mut self, options: &[&'a str]) -> &'a str {
        options[self.rng.random_range(0..options.len())]
    }

    fn scalar(&mut self, depth: u32) -> String {
        if depth == 0 {
            return self.pick(&["s", "t", "2", "0.5"]).to_string();
        }
        let d = depth - 1;
        match self.rng.random_range(0..11) {
            0 => format!("(({})' {})", self.vector(d), self.vector(d)),
            1 => format!("(tr({}))", self.matrix(d)),
            2 => format!("(sum({}))", self.vector(d)),
            3 => format!("(norm({}))", self.vector(d)),
            4 => format!("(({} + {}))", self.scalar(d), self.scalar(d)),
            5 => format!("(({}) * ({}))", self.scalar(d), self.scalar(d)),
            6 => format!(
                "(({})' ({}) {})",
                self.vector(d),
                self.matrix(d),
                self.vector(d)
            ),
            7 => format!("(tanh({}))", self.scalar(d)),
            8 => format!("(sum({} .* {}))", self.matrix(d), self.matrix(d)),
            9 => format!("(({})^2)", self.scalar(d)),
            _ => format!("(z' ({}) {})", self.rect(d), self.vector(d)),
        }
    }

    fn vector(&mut self, depth: u32) -> String {
        if depth == 0 {
            return self.pick(&["x", "y"]).to_string();
        }
        let d = depth - 1;
        match self.rng.random_range(0..9) {
            0 => format!("(({}) {})", self.matrix(d), self.vector(d)),
            1 => format!("(({} + {}))", self.vector(d), self.vector(d)),
            2 => format!("({} .* {})", self.vector(d), self.vector(d)),
            3 => format!("(sigmoid({}))", self.vector(d)),
            4 => format!("(softmax({}))", self.vector(d)),
            5 => format!("(({}) ({}))", self.scalar(d), self.vector(d)),
            6 => format!("(diag({}))", self.matrix(d)),
            7 => format!("(({})' z)", self.rect(d)),
            _ => format!("(exp(0.3 {}))", self.vector(d)),
        }
    }

    fn matrix(&mut self, depth: u32) -> String {
        if depth == 0 {
            return self.pick(&["A", "B", "A'", "I(n)"]).to_string();
        }
        let d = depth - 1;
        match self.rng.random_range(0..9) {
            0 => format!("(({}) ({}))", self.matrix(d), self.matrix(d)),
            1 => format!("(({} - {}))", self.matrix(d), self.matrix(d)),
            2 => format!("(({})')", self.matrix(d)),
            3 => format!("(({}) ({})')", self.vector(d), self.vector(d)),
            4 => format!("(diag({}))", self.vector(d)),
            5 => format!("(tanh({}))", self.matrix(d)),
            6 => format!("(inv({} + 4 I))", self.matrix(d)),
            7 => format!("(({})' ({}))", self.rect(d), self.rect(d)),
            _ => format!("(({})^2)", self.matrix(d)),
        }
    }

    /// m×n
    fn rect(&mut self, depth: u32) -> String {
        if depth == 0 {
            return "C".to_string();
        }
        let d = depth - 1;
        match self.rng.random_range(0..3) {
            0 => format!("(({}) ({}))", self.rect(d), self.matrix(d)),
            1 => format!("(z ({})')", self.vector(d)),
            _ => "C".to_string(),
        }
    }
}

fn agree(f: &str, wrt: &str, seed: u64) -> Result<(), String> {
    let decls = Decls::parse(GIVEN).unwrap();
    let problem =
        Problem::new(decls, f, Some(wrt), Layout::Numerator).map_err(|e| format!("{f}: {e}"))?;
    let mut rng = sample::rng(seed);
    // Some random trees are undefined almost everywhere; those are not this
    // property's concern.
    let Ok(inst) = problem.sample(&mut rng, &[]) else {
        return Ok(());
    };
    let x = &inst.values[problem.wrt];
    let v = DMatrix::from_fn(x.nrows(), x.ncols(), |_, _| rng.random_range(-1.0..1.0));
    let t = tape::record(&problem.f.typed, &inst.sizes, &inst.values).map_err(|e| e.message)?;
    let g = reverse::vjp(
        &problem.f.typed,
        &t,
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

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
        if p.sample(&mut sample::rng(seed), &[]).is_ok() {
            compared += 1;
        }
    }
    assert!(
        compared >= 180,
        "only {compared} of 200 random trees could be sampled"
    );
}
