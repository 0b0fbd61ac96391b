//! `--ascii` and `NABLA_ASCII`: what nabla draws for a person is ASCII only
//! (math spelled `A^T`, `R^(nxn)`, `d f / d x`), JSON stays data.

use assert_cmd::Command;

mod common;
use common::cli::nabla;

fn with_env(var: &str, value: &str, args: &[&str]) -> String {
    let out = Command::cargo_bin("nabla")
        .unwrap()
        .env(var, value)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

const SHOW: &[&str] = &["show", "scalar-by-vector/quadratic-form", "--seed", "3"];
const DERIVE: &[&str] = &[
    "derive",
    "x' A x",
    "--wrt",
    "x",
    "--given",
    "A: n x n; x: n",
    "--steps",
];

#[test]
fn ascii_flag_draws_show_and_derive_in_ascii() {
    let (code, out, _) = nabla(&[&["--ascii"], SHOW].concat());
    assert_eq!(code, 0);
    assert!(out.is_ascii(), "{out}");
    assert!(out.contains("A in R^(nxn)"), "{out}");
    assert!(out.contains("f(x) = x^T Ax"), "{out}");

    let (code, out, _) = nabla(&[DERIVE, &["--ascii"]].concat());
    assert_eq!(code, 0);
    assert!(out.is_ascii(), "{out}");
    assert!(out.starts_with("(A + A^T)*x"), "{out}");
}

#[test]
fn without_it_the_math_is_unicode() {
    let (_, out, _) = nabla(SHOW);
    assert!(out.contains("A ∈ ℝⁿˣⁿ"), "{out}");
    assert!(out.contains("xᵀAx"), "{out}");
}

#[test]
fn the_environment_variable_asks_for_it_unless_it_says_no() {
    assert!(with_env("NABLA_ASCII", "1", SHOW).is_ascii());
    for no in ["0", "", "false"] {
        assert!(
            !with_env("NABLA_ASCII", no, SHOW).is_ascii(),
            "NABLA_ASCII={no:?}"
        );
    }
}

#[test]
fn errors_and_help_topics_are_ascii_too() {
    let (code, _, err) = nabla(&[
        "--ascii",
        "check",
        "tr(A X B)",
        "--wrt",
        "X",
        "--given",
        "A: p x m; X: m x n; B: n x p",
        "--answer",
        "A B",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.is_ascii(), "{err}");
    let (code, out, _) = nabla(&["--ascii", "help", "expressions"]);
    assert_eq!(code, 0);
    assert!(out.is_ascii());
}

#[test]
fn json_is_data_and_never_folded() {
    let (_, out, _) = nabla(&[DERIVE, &["--ascii", "--json"]].concat());
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    let (_, plain, _) = nabla(&[DERIVE, &["--json"]].concat());
    assert_eq!(
        v,
        serde_json::from_str::<serde_json::Value>(plain.trim()).unwrap()
    );
    assert!(
        !out.is_ascii(),
        "the JSON keeps nabla's Unicode forms: {out}"
    );
}
