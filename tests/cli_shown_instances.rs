//! The classic mistakes of the compute exercises, typed as numbers into the
//! real binary on the seeds whose instance used to hide them: `2Ax` for a
//! general A (a symmetric A was drawn), `2a` for the derivative of `s² a` (s
//! was 1, or 0 or −1) and `GB` for the matmul backward (B was symmetric). The
//! numbers come from what `nabla show --json` displays, evaluated the way a
//! student makes the mistake; `nabla grade` must say incorrect, with the
//! lesson's feedback.

mod common;

use common::cli::nabla;
use common::literal;

use nabla::expr::{Sizes, compile, eval};
use nabla::lesson::{exercise, load};
use nalgebra::DMatrix;
use serde_json::Value;

/// Exercise, known mistake, and seeds whose instance graded that mistake
/// correct before instances were drawn to expose it.
const FOOLED_BEFORE: &[(&str, &str, &[u64])] = &[
    (
        "scalar-by-vector/quadratic-compute",
        "2 A x",
        &[5, 8, 18, 20],
    ),
    ("notation/literal-practice", "2 a", &[0, 1, 7, 12]),
    ("backprop/matmul-compute", "G B", &[16, 17, 19, 23]),
];

fn json(args: &[&str]) -> (i32, Value) {
    let mut all = args.to_vec();
    all.push("--json");
    let (code, out, err) = nabla(&all);
    let v = serde_json::from_str(out.trim())
        .unwrap_or_else(|e| panic!("nabla {all:?}: not JSON ({e}):\n{out}\n{err}"));
    (code, v)
}

/// A value of `nabla show --json`'s `values`: rows of numbers.
fn matrix(rows: &Value) -> DMatrix<f64> {
    let rows: Vec<Vec<f64>> = rows
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            r.as_array()
                .expect("a row")
                .iter()
                .map(|x| x.as_f64().expect("a number"))
                .collect()
        })
        .collect();
    DMatrix::from_fn(rows.len(), rows[0].len(), |i, j| rows[i][j])
}

/// The numbers a student who makes `mistake` types for the instance `seed`
/// shows (`None`: no --seed, the default one).
fn mistaken_numbers(id: &str, mistake: &str, seed: Option<u64>) -> DMatrix<f64> {
    let course = load::builtin();
    let loc = exercise::find(&course, id).unwrap();
    let p = exercise::problem(loc.ex).unwrap();
    let seed = seed.map(|s| s.to_string());
    let mut args = vec!["show", id];
    if let Some(s) = &seed {
        args.extend(["--seed", s]);
    }
    let (code, shown) = json(&args);
    assert_eq!(code, 0, "{shown}");
    let values: Vec<DMatrix<f64>> = p
        .decls
        .entries
        .iter()
        .map(|d| matrix(&shown["values"][&d.name]))
        .collect();
    let m = compile(mistake, Some(&p.decls)).unwrap();
    // The exercises have whole-number sizes: no symbol to give a size.
    eval(&m.typed, &Sizes::new(), &values).unwrap()
}

fn feedback(id: &str, mistake: &str) -> String {
    let course = load::builtin();
    let loc = exercise::find(&course, id).unwrap();
    let m = loc
        .ex
        .mistakes
        .iter()
        .find(|m| m.answer.get_ref() == mistake)
        .unwrap_or_else(|| panic!("{id} lists no mistake {mistake}"));
    m.feedback.get_ref().clone()
}

fn assert_caught(id: &str, mistake: &str, seed: Option<u64>) {
    let numbers = literal(&mistaken_numbers(id, mistake, seed));
    let seed = seed.map(|s| s.to_string());
    let mut args = vec!["grade", id, "--answer", &numbers];
    if let Some(s) = &seed {
        args.extend(["--seed", s]);
    }
    let (code, v) = json(&args);
    let at = format!("{id} seed {seed:?}, `{mistake}` typed as {numbers}");
    assert_eq!(code, 1, "{at}: {v}");
    assert_eq!(v["verdict"], "incorrect", "{at}: {v}");
    assert_eq!(v["diagnosis"], "known_mistake", "{at}: {v}");
    assert_eq!(v["feedback"], feedback(id, mistake).as_str(), "{at}");
}

#[test]
fn the_classic_mistakes_are_incorrect_on_the_seeds_that_used_to_hide_them() {
    for (id, mistake, seeds) in FOOLED_BEFORE {
        for &seed in *seeds {
            assert_caught(id, mistake, Some(seed));
        }
    }
}

#[test]
fn the_default_seed_does_not_hide_the_factor_of_r_s_squared_a() {
    // Seed 1, the default, used to show s = 1: `2a` was "Correct".
    assert_caught("notation/literal-practice", "2 a", None);
}

#[test]
fn shown_matrices_are_not_symmetric_unless_declared_so() {
    for seed in 0..20u64 {
        let (_, shown) = json(&[
            "show",
            "scalar-by-vector/quadratic-compute",
            "--seed",
            &seed.to_string(),
        ]);
        let a = matrix(&shown["values"]["A"]);
        assert_ne!(a, a.transpose(), "seed {seed}: A = {a}");
    }
}
