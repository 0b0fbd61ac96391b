//! `nabla derive` as a user sees it (shared contract cli.md, "nabla derive"):
//! the text output, `--steps`, the JSON fields, exit statuses, and the
//! command-line conveniences (leading hyphens, `--wrt` left out).

mod common;

use common::cli::nabla;

use serde_json::Value;

const AX: &str = "A: n x n; x: n";

fn derive(args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["derive"];
    all.extend_from_slice(args);
    nabla(&all)
}

/// `nabla derive ARGS... --json`: (exit code, the one JSON object on stdout).
fn json(args: &[&str]) -> (i32, Value) {
    let mut all = args.to_vec();
    all.push("--json");
    let (code, stdout, _) = derive(&all);
    assert_eq!(stdout.trim().lines().count(), 1, "one line: {stdout:?}");
    let v: Value = serde_json::from_str(stdout.trim())
        .unwrap_or_else(|e| panic!("stdout is not one JSON object ({e}): {stdout:?}"));
    assert!(v.is_object(), "{v}");
    (code, v)
}

#[test]
fn text_output_is_the_read_back_and_the_shape() {
    let (code, out, err) = derive(&["x' A x", "--wrt", "x", "--given", AX]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "(A + Aᵀ)·x   n×1\n");
    let (code, out, _) = derive(&[
        "tr(A X B)",
        "--wrt",
        "X",
        "--given",
        "A: p x m; X: m x n; B: n x p",
    ]);
    assert_eq!(code, 0);
    assert_eq!(out, "Aᵀ·Bᵀ   m×n\n");
}

#[test]
fn steps_follow_the_result_one_per_line() {
    let (code, out, _) = derive(&["x' A x", "--wrt", "x", "--given", AX, "--steps"]);
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "(A + Aᵀ)·x   n×1");
    assert_eq!(lines[1], "steps:");
    assert_eq!(
        lines[2].trim(),
        "1. product rule: d(xᵀ·A·x) = dxᵀ·A·x + xᵀ·A·dx"
    );
    assert_eq!(
        lines.last().unwrap().trim(),
        "5. simplify: A·x + Aᵀ·x = (A + Aᵀ)·x"
    );
}

#[test]
fn json_has_the_derivative_and_its_shape() {
    let (code, v) = json(&["||x - a||^2", "--wrt", "x", "--given", "x, a: n"]);
    assert_eq!(code, 0);
    assert_eq!(v["derivative"], "2(x - a)");
    assert_eq!(v["shape"], "n×1");
    assert!(v.get("steps").is_none(), "steps only with --steps: {v}");

    let (code, v) = json(&["x' A x", "--wrt", "x", "--given", AX, "--steps"]);
    assert_eq!(code, 0);
    let steps = v["steps"].as_array().expect("a list of steps");
    assert!(!steps.is_empty());
    assert!(steps.iter().all(Value::is_string));
    assert_eq!(steps[0], "product rule: d(xᵀ·A·x) = dxᵀ·A·x + xᵀ·A·dx");
}

#[test]
fn the_derivative_is_read_by_nabla_parse_and_graded_correct_by_nabla_check() {
    for (f, wrt, given) in [
        ("x' A x", "x", AX),
        ("tr(X)", "X", "X: n x n"),
        ("sum(x)", "x", "x: n"),
        ("sigmoid(x)", "x", "x: n"),
        ("0.5 ||W x + b - t||^2", "W", "W: m x n; x: n; b, t: m"),
        ("inv(I + s A)", "s", "s: scalar; A: n x n"),
    ] {
        let (code, v) = json(&[f, "--wrt", wrt, "--given", given]);
        assert_eq!(code, 0, "{f}: {v}");
        let d = v["derivative"].as_str().unwrap();
        let (code, out, err) = nabla(&["parse", d, "--given", given, "--json"]);
        assert_eq!(code, 0, "{f}: nabla parse {d}: {out} {err}");
        let parsed: Value = serde_json::from_str(out.trim()).unwrap();
        assert_eq!(parsed["read_as"], d);
        assert_eq!(parsed["shape"], v["shape"]);
        let (code, out, _) = nabla(&[
            "check", f, "--wrt", wrt, "--given", given, "--answer", d, "--json",
        ]);
        assert_eq!(code, 0, "{f}: nabla check says {out}");
    }
}

#[test]
fn expressions_may_start_with_a_minus_and_wrt_may_be_left_out() {
    let (code, out, err) = derive(&[
        "-y' log(softmax(z))",
        "--wrt",
        "z",
        "--given",
        "y: n onehot; z: n",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "softmax(z) - y   n×1\n");
    let (code, out, _) = derive(&["x' x", "--given", "x: n"]);
    assert_eq!(code, 0);
    assert_eq!(out, "2x   n×1\n");
    let (code, out, _) = derive(&["-x' x", "--given", "x: n"]);
    assert_eq!(code, 0);
    assert_eq!(out, "-2x   n×1\n");
}

#[test]
fn jacobians_follow_the_layout() {
    let (code, out, _) = derive(&["A x", "--wrt", "x", "--given", "A: m x n; x: n"]);
    assert_eq!(code, 0);
    assert_eq!(out, "A   m×n\n");
    let (code, out, _) = derive(&[
        "A x",
        "--wrt",
        "x",
        "--given",
        "A: m x n; x: n",
        "--layout",
        "denominator",
    ]);
    assert_eq!(code, 0);
    assert_eq!(out, "Aᵀ   n×m\n");
}

#[test]
fn invalid_or_unsupported_problems_exit_2_with_a_message() {
    let cases: [&[&str]; 6] = [
        // X not declared
        &["x' A x", "--wrt", "y", "--given", AX],
        // F does not parse
        &["x' A (x", "--wrt", "x", "--given", AX],
        // bad declarations
        &["x' x", "--wrt", "x", "--given", "x: n x"],
        // a vector by a matrix through an elementwise function: graded, but
        // not yet derived (issue 18 made `A x` by A derivable: xᵀ ⊗ I)
        &["sigmoid(A x)", "--wrt", "A", "--given", AX],
        // several names and no --wrt
        &["x' A x", "--given", AX],
        // not supported: the variable inside a matrix literal
        &["sum([s, 1; 2, s])", "--wrt", "s", "--given", "s: scalar"],
    ];
    for args in cases {
        let (code, out, err) = derive(args);
        assert_eq!(code, 2, "{args:?}: {out}");
        assert!(
            out.is_empty(),
            "{args:?}: nothing on stdout without --json: {out}"
        );
        assert!(err.contains("nabla: cannot derive"), "{args:?}: {err}");
        let (code, v) = json(args);
        assert_eq!(code, 2);
        assert_eq!(v["error"]["kind"], "invalid_problem", "{args:?}: {v}");
        assert!(
            v["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{args:?}: {v}"
        );
        assert!(v.get("derivative").is_none());
    }
    let (_, v) = json(&["sum([s, 1; 2, s])", "--wrt", "s", "--given", "s: scalar"]);
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("matrix literal"),
        "{v}"
    );
}

#[test]
fn a_bad_command_line_exits_2_with_an_error_in_json() {
    // --given is required.
    let (code, out, _) = derive(&["x' x", "--json"]);
    assert_eq!(code, 2);
    let v: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["error"]["kind"], "usage", "{v}");
    assert!(v["error"]["message"].is_string(), "{v}");
}
