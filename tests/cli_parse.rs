//! `nabla parse` as scripts and students see it: the read-back line, the
//! caret under an error, the `--json` fields and the exit codes of the
//! contract (`/work/shared/contract/cli.md`).

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn nabla() -> Command {
    Command::cargo_bin("nabla").unwrap()
}

/// Runs `nabla parse ARGS --json` and returns the one JSON object it prints
/// and the exit code.
fn json(args: &[&str]) -> (Value, i32) {
    let out = nabla()
        .arg("parse")
        .args(args)
        .arg("--json")
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        stdout.trim_end().lines().count(),
        1,
        "--json prints one line: {stdout:?}"
    );
    let v: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    (v, out.status.code().unwrap())
}

#[test]
fn prints_the_reading_and_the_shape() {
    nabla()
        .args(["parse", "(A + A')x", "--given", "A: n x n; x: n"])
        .assert()
        .success()
        .stdout("(A + Aᵀ)·x   n×1\n");
}

#[test]
fn every_spelling_prints_the_canonical_reading() {
    for (expr, want) in [
        ("x'*A*x", "xᵀ·A·x   1×1\n"),
        ("x^T A x", "xᵀ·A·x   1×1\n"),
        ("x'Ax", "xᵀ·A·x   1×1\n"),
        ("||A x||^2", "‖A·x‖²   1×1\n"),
        ("sigma(x) .* (1 - sigma(x))", "σ(x) ⊙ (1 - σ(x))   n×1\n"),
        ("A^-1", "A⁻¹   n×n\n"),
        ("inv(A) + I", "inv(A) + I   n×n\n"),
    ] {
        nabla()
            .args(["parse", expr, "--given", "A: n x n; x: n"])
            .assert()
            .code(0)
            .stdout(want);
    }
}

#[test]
fn shapes_print_in_symbols_with_1x1_for_a_scalar() {
    for (expr, want) in [
        ("A", "A   m×n\n"),
        ("A'", "Aᵀ   n×m\n"),
        ("A x", "A·x   m×1\n"),
        ("x' x", "xᵀ·x   1×1\n"),
        ("x x'", "x·xᵀ   n×n\n"),
    ] {
        nabla()
            .args(["parse", expr, "--given", "A: m x n; x: n"])
            .assert()
            .code(0)
            .stdout(want);
    }
}

#[test]
fn an_expression_may_start_with_a_minus() {
    nabla()
        .args(["parse", "-x'x", "--given", "x: n"])
        .assert()
        .code(0)
        .stdout("-xᵀ·x   1×1\n");
    nabla()
        .args(["parse", "--given", "x: n", "-2x"])
        .assert()
        .code(0)
        .stdout("-2x   n×1\n");
    let (v, code) = json(&["-x'x", "--given", "x: n"]);
    assert_eq!(code, 0);
    assert_eq!(v["read_as"], "-xᵀ·x");
}

#[test]
fn a_syntax_error_prints_a_caret_under_its_span() {
    nabla()
        .args(["parse", "(A + ) x", "--given", "A: n x n; x: n"])
        .assert()
        .code(1)
        .stdout("(A + ) x\n     ^ expected an expression after '+'\n");
}

#[test]
fn a_shape_error_shows_the_reading_and_underlines_the_product() {
    nabla()
        .args(["parse", "x A", "--given", "A: m x n; x: n"])
        .assert()
        .code(1)
        .stdout(
            "read as: x·A\n\
             x A\n\
             ^^^ cannot multiply x (n×1) by A (m×n): inner sizes 1 and m differ\n",
        );
}

#[test]
fn an_unknown_name_lists_the_declared_names() {
    nabla()
        .args(["parse", "A z", "--given", "A: n x n; x: n"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "  ^ unknown name 'z': the declared names are A, x",
        ));
}

#[test]
fn without_declarations_unknown_sizes_print_as_question_marks() {
    nabla()
        .args(["parse", "(A + A')x"])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("(A + Aᵀ)·x   ?×?\n"))
        .stdout(predicate::str::contains("--given"));
    nabla()
        .args(["parse", "2 + 3"])
        .assert()
        .code(0)
        .stdout("2 + 3   1×1\n");
}

#[test]
fn json_fields_on_success() {
    let (v, code) = json(&["(A + A')x", "--given", "A: n x n; x: n"]);
    assert_eq!(code, 0);
    assert_eq!(v["read_as"], "(A + Aᵀ)·x");
    assert_eq!(v["shape"], "n×1");
    assert!(v.get("error").is_none(), "{v}");
    let (v, _) = json(&["x'Ax", "--given", "A: n x n; x: n"]);
    assert_eq!(v["shape"], "1×1");
    let (v, _) = json(&["A", "--given", "A: m x n"]);
    assert_eq!(v["shape"], "m×n");
}

#[test]
fn json_fields_on_a_syntax_error() {
    let (v, code) = json(&["(A + ) x", "--given", "A: n x n; x: n"]);
    assert_eq!(code, 1);
    assert_eq!(v["error"]["message"], "expected an expression after '+'");
    assert_eq!(v["error"]["span"], serde_json::json!([5, 6]));
    assert!(v["read_as"].is_null());
    assert!(v["shape"].is_null());
}

#[test]
fn json_fields_on_a_shape_error() {
    let (v, code) = json(&["x A", "--given", "A: m x n; x: n"]);
    assert_eq!(code, 1);
    assert_eq!(
        v["error"]["message"],
        "cannot multiply x (n×1) by A (m×n): inner sizes 1 and m differ"
    );
    assert_eq!(v["error"]["span"], serde_json::json!([0, 3]));
    // The reading is still shown; there is no shape.
    assert_eq!(v["read_as"], "x·A");
    assert!(v["shape"].is_null());
}

#[test]
fn json_spans_count_characters_not_bytes() {
    // ᵀ is three bytes in UTF-8; spans count it as one character.
    let (v, code) = json(&["xᵀ + y", "--given", "x: n; y: n"]);
    assert_eq!(code, 1);
    assert_eq!(v["error"]["span"], serde_json::json!([0, 6]));
    let (v, _) = json(&["xᵀ·ᵀ", "--given", "x: n"]);
    assert_eq!(v["error"]["span"], serde_json::json!([3, 4]));
}

#[test]
fn bad_declarations_exit_2() {
    nabla()
        .args(["parse", "A x", "--given", "A: m x n symmetric; x: n"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad declarations"))
        .stderr(predicate::str::contains(
            "'symmetric' needs a square matrix, but A is m×n",
        ));
    for given in [
        "A m x n",
        "tr: n",
        "A: n; A: n",
        "A: n x n hermitian",
        "A: 0 x 2",
    ] {
        nabla()
            .args(["parse", "A", "--given", given])
            .assert()
            .code(2);
    }
}

#[test]
fn bad_declarations_in_json() {
    let (v, code) = json(&["A", "--given", "A: n x n hermitian"]);
    assert_eq!(code, 2);
    let message = v["error"]["message"].as_str().unwrap();
    assert!(message.starts_with("in --given:"), "{message}");
    assert!(
        message.contains("unknown property 'hermitian'"),
        "{message}"
    );
    // A failure (docs/json.md): the span is in the declaration text.
    assert_eq!(v["error"]["kind"], "invalid_declarations");
    assert_eq!(v["error"]["location"]["input"], "given");
    assert_eq!(v["error"]["location"]["span"], serde_json::json!([9, 18]));
    assert!(v.get("read_as").is_none(), "{v}");
}

#[test]
fn a_bad_command_line_exits_2() {
    // No expression.
    nabla().arg("parse").assert().code(2);
    // An unknown flag.
    nabla()
        .args(["parse", "x", "--given", "x: n", "--frobnicate"])
        .assert()
        .code(2);
    // --given without a value.
    nabla().args(["parse", "x", "--given"]).assert().code(2);
    // An unknown subcommand.
    nabla().args(["parsley", "x"]).assert().code(2);
    // Two expressions.
    nabla().args(["parse", "x", "y"]).assert().code(2);
}

#[test]
fn a_bad_command_line_with_json_still_exits_2() {
    let out = nabla().args(["parse", "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn hostile_input_on_the_command_line_is_refused_cleanly() {
    let deep = format!("{}x{}", "(".repeat(3_000), ")".repeat(3_000));
    nabla()
        .args(["parse", &deep, "--given", "x: n"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("the limit is 4000"));
    let deep = format!("{}x{}", "(".repeat(1_000), ")".repeat(1_000));
    nabla()
        .args(["parse", &deep, "--given", "x: n"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("levels deep"));
    nabla()
        .args(["parse", &"-".repeat(3_000), "--given", "x: n"])
        .assert()
        .code(1);
    nabla()
        .args(["parse", "x", "--given", &"x: n;".repeat(2_000)])
        .assert()
        .code(2);
}

#[test]
fn an_empty_expression_is_an_error_not_a_crash() {
    nabla()
        .args(["parse", "", "--given", "x: n"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("the expression is empty"));
}
