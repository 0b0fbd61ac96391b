//! `nabla check` as a user sees it: the text output, every JSON field of the
//! contract (docs: shared contract cli.md, "nabla check"), exit statuses,
//! the command-line conveniences (`--wrt` left out, `--seed`, `--trials`,
//! `--layout`, leading hyphens) and sizes up to 1024. Run against the real
//! binary; no timing is asserted here (see benches/grading.rs).

mod common;

use common::cli::nabla;

use serde_json::Value;

const AX: &str = "A: n x n; x: n";

/// Runs `nabla check ARGS...`: (exit code, stdout, stderr).
fn run(args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    nabla(&all)
}

/// Runs `nabla check ARGS... --json`: (exit code, the one JSON object on stdout).
fn json(args: &[&str]) -> (i32, Value) {
    let mut all = args.to_vec();
    all.push("--json");
    let (code, stdout, _) = run(&all);
    let v: Value = serde_json::from_str(stdout.trim())
        .unwrap_or_else(|e| panic!("stdout is not one JSON object ({e}): {stdout:?}"));
    assert!(v.is_object(), "{v}");
    assert_eq!(
        stdout.trim().lines().count(),
        1,
        "one line of JSON: {stdout:?}"
    );
    (code, v)
}

/// `nabla check F --wrt X --given G --answer ANSWER --json`.
fn grade(f: &str, wrt: &str, given: &str, answer: &str) -> (i32, Value) {
    json(&[f, "--wrt", wrt, "--given", given, "--answer", answer])
}

fn keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    k.sort_unstable();
    k
}

const ALWAYS: [&str; 9] = [
    "answer_shape",
    "diagnosis",
    "expected_shape",
    "max_rel_error",
    "message",
    "read_as",
    "schema_version",
    "trials",
    "verdict",
];

fn with(extra: &[&'static str]) -> Vec<&'static str> {
    let mut k: Vec<&str> = ALWAYS
        .iter()
        .copied()
        .chain(extra.iter().copied())
        .collect();
    k.sort_unstable();
    k
}

fn message(v: &Value) -> &str {
    let m = v["message"].as_str().expect("message is a string");
    assert!(!m.trim().is_empty(), "message is empty: {v}");
    m
}

// ---------------------------------------------------------------- text output

#[test]
fn text_output_shows_the_read_back_the_expected_shape_and_the_verdict() {
    let (code, out, err) = run(&[
        "x' A x",
        "--wrt",
        "x",
        "--given",
        AX,
        "--answer",
        "(A + A')x",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(lines[0].starts_with("read as:"), "{out}");
    assert!(lines[0].contains("(A + Aᵀ)·x"), "{out}");
    assert!(lines[0].trim_end().ends_with("n×1"), "{out}");
    assert_eq!(lines[1].trim_end(), "expected: n×1");
    assert!(lines[2].starts_with("Correct: "), "{out}");
    assert!(lines[2].contains("gradient by x"), "{out}");
}

#[test]
fn text_output_of_an_incorrect_answer_says_what_is_wrong() {
    let (code, out, _) = run(&["x' x", "--given", "x: n", "--answer", "x"]);
    assert_eq!(code, 1);
    assert!(out.contains("read as:  x   n×1"), "{out}");
    assert!(out.contains("expected: n×1"), "{out}");
    let verdict = out
        .lines()
        .find(|l| l.starts_with("incorrect: "))
        .expect(&out);
    assert!(verdict.contains("0.5 times the derivative"), "{out}");
    assert!(verdict.contains("factor of 2 is missing"), "{out}");
}

#[test]
fn text_output_of_a_wrong_shape_names_both_shapes() {
    let (code, out, _) = run(&[
        "x' A x",
        "--wrt",
        "x",
        "--given",
        AX,
        "--answer",
        "x'(A + A')",
    ]);
    assert_eq!(code, 1);
    assert!(out.contains("1×n"), "{out}");
    let verdict = out
        .lines()
        .find(|l| l.starts_with("wrong shape: "))
        .expect(&out);
    assert!(verdict.contains("n×1"), "{out}");
    assert!(verdict.contains("transpose"), "{out}");
}

/// The column (in characters) of the first '^' on the line after `echo`.
fn caret_under(out: &str, echo: &str) -> (usize, usize) {
    let lines: Vec<&str> = out.lines().collect();
    let i = lines
        .iter()
        .position(|l| *l == echo)
        .unwrap_or_else(|| panic!("the answer is echoed: {out}"));
    let caret = lines.get(i + 1).expect("a caret line follows the answer");
    let start = caret.chars().position(|c| c == '^').expect("a caret");
    let len = caret.chars().skip(start).take_while(|&c| c == '^').count();
    (start, len)
}

#[test]
fn text_output_of_an_invalid_answer_puts_a_caret_under_the_error() {
    // A parse error: the caret sits where the missing operand should be.
    let (code, out, _) = run(&[
        "x' A x", "--wrt", "x", "--given", AX, "--answer", "(A + ) x",
    ]);
    assert_eq!(code, 1);
    assert!(out.contains("invalid answer: "), "{out}");
    assert_eq!(caret_under(&out, "(A + ) x"), (5, 1), "{out}");
    assert!(out.contains("expected an expression after '+'"), "{out}");

    // An unknown name after a non-ASCII character: columns count characters.
    let (code, out, _) = run(&["x' A x", "--wrt", "x", "--given", AX, "--answer", "Aᵀx + q"]);
    assert_eq!(code, 1);
    assert_eq!(caret_under(&out, "Aᵀx + q"), (6, 1), "{out}");
    assert!(out.contains("unknown name 'q'"), "{out}");

    // An ill-shaped product: the carets cover the whole product.
    let (code, out, _) = run(&["x' A x", "--wrt", "x", "--given", AX, "--answer", "x A"]);
    assert_eq!(code, 1);
    assert_eq!(caret_under(&out, "x A"), (0, 3), "{out}");
    assert!(out.contains("cannot multiply"), "{out}");
}

// ---------------------------------------------------------------- JSON fields

#[test]
fn json_of_a_correct_answer_has_every_field_and_no_others() {
    let (code, v) = grade("x' A x", "x", AX, "(A + A')x");
    assert_eq!(code, 0);
    assert_eq!(keys(&v), with(&[]), "{v}");
    assert_eq!(v["verdict"], "correct");
    assert!(message(&v).starts_with("Correct"), "{v}");
    assert_eq!(v["expected_shape"], "n×1");
    assert_eq!(v["answer_shape"], "n×1");
    assert_eq!(v["read_as"], "(A + Aᵀ)·x");
    assert_eq!(v["diagnosis"], Value::Null);
    assert_eq!(v["trials"], 5, "at least 3 trials by default, and 5 here");
    let e = v["max_rel_error"]
        .as_f64()
        .expect("max_rel_error is a number");
    assert!((0.0..1e-9).contains(&e), "{v}");
}

#[test]
fn json_of_an_invalid_answer_has_the_error_and_its_span() {
    let cases: [(&str, [usize; 2], &str, Value); 4] = [
        ("(A + ) x", [5, 6], "expected an expression", Value::Null),
        ("(A + A') q", [9, 10], "unknown name 'q'", Value::Null),
        ("Aᵀx + q", [6, 7], "unknown name 'q'", Value::Null),
        // Ill-shaped in itself: it reads, so it is read back, but has no shape.
        ("x A", [0, 3], "cannot multiply", Value::from("x·A")),
    ];
    for (answer, span, says, read_as) in cases {
        let (code, v) = grade("x' A x", "x", AX, answer);
        assert_eq!(code, 1, "{answer}: {v}");
        assert_eq!(keys(&v), with(&["error"]), "{answer}: {v}");
        assert_eq!(v["verdict"], "invalid_answer", "{answer}: {v}");
        assert!(message(&v).contains(says), "{answer}: {v}");
        assert_eq!(v["expected_shape"], "n×1");
        assert_eq!(v["answer_shape"], Value::Null, "{answer}: {v}");
        assert_eq!(v["read_as"], read_as, "{answer}: {v}");
        assert_eq!(v["diagnosis"], Value::Null);
        assert_eq!(v["max_rel_error"], Value::Null);
        assert_eq!(v["trials"], 0, "nothing is evaluated: {v}");
        let e = &v["error"];
        assert_eq!(
            keys(e),
            ["kind", "location", "message", "span"],
            "{answer}: {v}"
        );
        assert_eq!(e["location"]["input"], "answer", "{answer}: {v}");
        assert_eq!(e["location"]["span"], e["span"], "{answer}: {v}");
        assert!(
            e["message"].as_str().unwrap().contains(says),
            "{answer}: {v}"
        );
        assert_eq!(e["span"], serde_json::json!(span), "{answer}: {v}");
    }
}

#[test]
fn json_scale_appears_only_with_the_scale_diagnosis_and_holds_the_factor() {
    for (answer, factor) in [("x", 0.5), ("4x", 2.0), ("6 x", 3.0), ("0.5 x", 0.25)] {
        let (code, v) = grade("x' x", "x", "x: n", answer);
        assert_eq!(code, 1, "{answer}: {v}");
        assert_eq!(keys(&v), with(&["scale"]), "{answer}: {v}");
        assert_eq!(v["verdict"], "incorrect");
        assert_eq!(v["diagnosis"], "scale");
        assert_eq!(v["scale"].as_f64(), Some(factor), "{answer}: {v}");
        assert!(message(&v).contains("constant factor"), "{answer}: {v}");
    }
    // Other diagnoses carry no scale.
    for (answer, diagnosis) in [("-(A + A')x", "sign"), ("2 A x", "symmetric_only")] {
        let (code, v) = grade("x' A x", "x", AX, answer);
        assert_eq!(code, 1);
        assert_eq!(v["diagnosis"], diagnosis, "{answer}: {v}");
        assert_eq!(keys(&v), with(&[]), "{answer}: {v}");
    }
}

#[test]
fn json_of_other_verdicts_and_diagnoses() {
    // sign
    let (code, v) = grade("x' x", "x", "x: n", "-2x");
    assert_eq!(
        (code, &v["verdict"], &v["diagnosis"]),
        (1, &"incorrect".into(), &"sign".into())
    );
    assert_eq!(v["read_as"], "-2x");
    assert!(message(&v).contains("sign"), "{v}");
    assert!(
        (v["max_rel_error"].as_f64().unwrap() - 2.0).abs() < 1e-9,
        "{v}"
    );

    // symmetric_only
    let (code, v) = grade("x' A x", "x", AX, "2 A x");
    assert_eq!(code, 1);
    assert_eq!(v["verdict"], "incorrect");
    assert_eq!(v["diagnosis"], "symmetric_only");
    assert!(message(&v).contains("symmetric"), "{v}");
    assert!(v["max_rel_error"].as_f64().unwrap() > 1e-3, "{v}");

    // wrong_shape with the layout slip
    let (code, v) = grade("x' A x", "x", AX, "x' (A + A')");
    assert_eq!(code, 1);
    assert_eq!(v["verdict"], "wrong_shape");
    assert_eq!(v["diagnosis"], "transpose");
    assert_eq!(v["expected_shape"], "n×1");
    assert_eq!(v["answer_shape"], "1×n");
    assert_eq!(v["read_as"], "xᵀ·(A + Aᵀ)");

    // wrong_shape with no diagnosis: compared symbolically, m×1 is not n×1
    let (code, v) = grade("A x", "x", "A: m x n; x: n", "A x");
    assert_eq!(code, 1);
    assert_eq!(v["verdict"], "wrong_shape");
    assert_eq!(v["diagnosis"], Value::Null);
    assert_eq!(v["expected_shape"], "m×n");
    assert_eq!(v["answer_shape"], "m×1");

    // incorrect with no diagnosis
    let (code, v) = grade("x' A x", "x", AX, "A x");
    assert_eq!(code, 1);
    assert_eq!(v["verdict"], "incorrect");
    assert_eq!(v["diagnosis"], Value::Null);
    assert!(v["max_rel_error"].as_f64().unwrap() > 1e-3, "{v}");
}

#[test]
fn json_for_each_kind_of_derivative() {
    // A Jacobian (numerator layout by default).
    let (code, v) = grade(
        "sigmoid(x)",
        "x",
        "x: n",
        "diag(sigmoid(x) .* (1 - sigmoid(x)))",
    );
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["expected_shape"], "n×n");
    assert!(message(&v).contains("Jacobian"), "{v}");
    // A derivative by a scalar has F's shape.
    let (code, v) = grade("t x", "t", "t: scalar; x: n", "x");
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["expected_shape"], "n×1");
    // A gradient by a matrix has the matrix's shape.
    let (code, v) = grade("tr(A X B)", "X", "A: p x m; X: m x n; B: n x p", "A' B'");
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["expected_shape"], "m×n");
}

// ---------------------------------------------------------------- exit statuses

#[test]
fn exit_status_is_0_for_correct_and_1_for_every_other_verdict() {
    let cases = [
        ("(A + A')x", 0, "correct"),
        ("(A + ) x", 1, "invalid_answer"),
        ("x' (A + A')", 1, "wrong_shape"),
        ("2 A x", 1, "incorrect"),
    ];
    for (answer, want, verdict) in cases {
        let (code, v) = grade("x' A x", "x", AX, answer);
        assert_eq!(
            (code, v["verdict"].as_str().unwrap()),
            (want, verdict),
            "{answer}"
        );
        // The text form exits the same way.
        let (code, _, _) = run(&["x' A x", "--wrt", "x", "--given", AX, "--answer", answer]);
        assert_eq!(code, want, "{answer} (text)");
    }
}

/// Invalid problems and bad command lines: exit 2, a message on stderr, and
/// with --json the contract's error object (docs/json.md), which for
/// `check` also carries the first contract's `verdict` and `message`.
fn assert_invalid_problem(args: &[&str], says: &str) {
    let (code, out, err) = run(args);
    assert_eq!(code, 2, "{args:?}: {out}{err}");
    assert!(
        out.trim().is_empty(),
        "{args:?}: nothing on stdout without --json: {out}"
    );
    assert!(
        err.contains(says),
        "{args:?}: stderr {err:?} should say {says:?}"
    );

    let (code, v) = json(args);
    assert_eq!(code, 2, "{args:?} --json: {v}");
    assert_eq!(
        keys(&v),
        ["error", "message", "schema_version", "verdict"],
        "{args:?}: {v}"
    );
    assert_eq!(v["verdict"], "invalid_problem");
    assert_eq!(v["error"]["kind"], "invalid_problem", "{args:?}: {v}");
    assert_eq!(v["error"]["message"], v["message"], "{args:?}: {v}");
    assert!(
        message(&v).contains(says),
        "{args:?}: {v} should say {says:?}"
    );
}

#[test]
fn f_that_does_not_parse_is_an_invalid_problem() {
    assert_invalid_problem(
        &["x' A x +", "--wrt", "x", "--given", AX, "--answer", "x"],
        "expected an expression after '+'",
    );
    // F naming something undeclared, or ill-shaped, is the problem's fault too.
    assert_invalid_problem(
        &["x' B x", "--wrt", "x", "--given", AX, "--answer", "x"],
        "B",
    );
    assert_invalid_problem(
        &["x A", "--wrt", "x", "--given", AX, "--answer", "x"],
        "multiply",
    );
}

#[test]
fn f_error_on_stderr_has_a_caret() {
    let (code, _, err) = run(&["x' A x +", "--wrt", "x", "--given", AX, "--answer", "x"]);
    assert_eq!(code, 2);
    assert_eq!(caret_under(&err, "x' A x +"), (8, 1), "{err}");
}

#[test]
fn wrt_not_declared_is_an_invalid_problem() {
    assert_invalid_problem(
        &["x' A x", "--wrt", "y", "--given", AX, "--answer", "x"],
        "'y' is not declared",
    );
}

#[test]
fn a_bad_given_is_an_invalid_problem() {
    assert_invalid_problem(
        &[
            "x' A x",
            "--wrt",
            "x",
            "--given",
            "A: n x; x: n",
            "--answer",
            "x",
        ],
        "--given",
    );
    assert_invalid_problem(
        &[
            "x' A x",
            "--wrt",
            "x",
            "--given",
            "A: n x n x: n",
            "--answer",
            "x",
        ],
        "--given",
    );
}

/// Issue 18 changed this: a matrix by a matrix (and a vector by a matrix)
/// used to be refused ("not a matrix"); it is now graded as the Jacobian
/// ∂vec(F)/∂vec(X) in the vec convention.
#[test]
fn a_matrix_by_a_matrix_is_graded_in_the_vec_convention() {
    let (code, v) = grade("A X", "X", "A, X: n x n", "I(n) ⊗ A");
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["verdict"], "correct");
    assert_eq!(v["expected_shape"], "(n·n)×(n·n)");
    let (code, v) = grade("A X", "X", "A, X: n x n", "A ⊗ I(n)");
    assert_eq!(code, 1, "{v}");
    assert_eq!(v["verdict"], "incorrect");
    // A vector by a matrix: ∂(A x)/∂A = xᵀ ⊗ I.
    let (code, v) = grade("A x", "A", AX, "x' ⊗ I(n)");
    assert_eq!((code, &v["verdict"]), (0, &Value::from("correct")), "{v}");
    let (code, v) = grade("A x", "A", AX, "x");
    assert_eq!(code, 1, "{v}");
    assert_eq!(v["verdict"], "wrong_shape");
}

#[test]
fn a_bad_command_line_exits_2_with_json_too() {
    let cases: [&[&str]; 6] = [
        &["x' x", "--given", "x: n"],                              // no --answer
        &["x' x", "--answer", "2x"],                               // no --given
        &["x' x", "--given", "x: n", "--answer", "2x", "--bogus"], // unknown flag
        &["x' x", "--given", "x: n", "--answer", "2x", "--trials", "0"],
        &[
            "x' x",
            "--given",
            "x: n",
            "--answer",
            "2x",
            "--seed",
            "minus one",
        ],
        &[
            "x' x", "--given", "x: n", "--answer", "2x", "--layout", "diagonal",
        ],
    ];
    for args in cases {
        let (code, out, err) = run(args);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert!(!err.trim().is_empty(), "{args:?}: a message on stderr");
        let (code, v) = json(args);
        assert_eq!(code, 2, "{args:?} --json");
        assert_eq!(
            keys(&v),
            ["error", "message", "schema_version", "verdict"],
            "{args:?}: {v}"
        );
        assert_eq!(v["verdict"], "invalid_problem");
        assert_eq!(v["error"]["kind"], "usage", "{args:?}: {v}");
        message(&v);
    }
}

// ---------------------------------------------------------------- options

#[test]
fn wrt_may_be_left_out_when_f_has_exactly_one_name() {
    let (code, v) = json(&["x' x", "--given", "x: n", "--answer", "2x"]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["verdict"], "correct");
    assert!(message(&v).contains("by x"), "{v}");
    // Names declared but not used in F do not count.
    let (code, v) = json(&["x' x", "--given", AX, "--answer", "2x"]);
    assert_eq!(code, 0, "{v}");
    // With two names it must be said.
    assert_invalid_problem(&["x' A x", "--given", AX, "--answer", "2x"], "--wrt");
}

#[test]
fn the_same_seed_gives_the_same_json() {
    let args = |seed: &'static str| {
        [
            "x' A x", "--wrt", "x", "--given", AX, "--answer", "2 A x", "--seed", seed,
        ]
    };
    let (_, a) = json(&args("42"));
    let (_, b) = json(&args("42"));
    assert_eq!(a, b);
    let (_, out_a, _) = run(&[&args("42")[..], &["--json"]].concat());
    let (_, out_b, _) = run(&[&args("42")[..], &["--json"]].concat());
    assert_eq!(out_a, out_b, "byte for byte");
    // Another seed draws other instances (seen in the error size).
    let (_, c) = json(&args("43"));
    assert_ne!(a["max_rel_error"], c["max_rel_error"], "{a}\n{c}");
    assert_eq!(a["verdict"], c["verdict"]);
    // Without --seed a run is reproducible too.
    let (_, d) = grade("x' A x", "x", AX, "2 A x");
    let (_, e) = grade("x' A x", "x", AX, "2 A x");
    assert_eq!(d, e);
}

#[test]
fn trials_are_reported_as_asked() {
    for k in ["1", "3", "12"] {
        let (code, v) = json(&["x' x", "--given", "x: n", "--answer", "2x", "--trials", k]);
        assert_eq!(code, 0);
        assert_eq!(v["trials"].to_string(), k, "{v}");
    }
    let (_, v) = json(&["x' x", "--given", "x: n", "--answer", "x", "--trials", "3"]);
    assert_eq!(
        (&v["trials"], &v["diagnosis"]),
        (&3.into(), &"scale".into()),
        "{v}"
    );
}

#[test]
fn layout_denominator_transposes_the_jacobian() {
    let g = "A: m x n; x: n";
    // Numerator layout (the default): m×n, so A.
    let (code, v) = grade("A x", "x", g, "A");
    assert_eq!((code, &v["expected_shape"]), (0, &"m×n".into()), "{v}");
    let (code, v) = grade("A x", "x", g, "A'");
    assert_eq!(code, 1);
    assert_eq!(
        (&v["verdict"], &v["diagnosis"]),
        (&"wrong_shape".into(), &"transpose".into())
    );

    // Denominator layout: n×m, so Aᵀ.
    let den = |answer| {
        json(&[
            "A x",
            "--wrt",
            "x",
            "--given",
            g,
            "--answer",
            answer,
            "--layout",
            "denominator",
        ])
    };
    let (code, v) = den("A'");
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["verdict"], "correct");
    assert_eq!(v["expected_shape"], "n×m");
    let (code, v) = den("A");
    assert_eq!(code, 1, "{v}");
    assert_eq!(v["verdict"], "wrong_shape");
    assert_eq!(v["diagnosis"], "transpose");
    assert_eq!(v["answer_shape"], "m×n");
    assert!(message(&v).contains("denominator layout"), "{v}");

    // A square Jacobian in the wrong layout has the right shape: incorrect, transpose.
    let (code, v) = json(&[
        "A x",
        "--wrt",
        "x",
        "--given",
        AX,
        "--answer",
        "A",
        "--layout",
        "denominator",
    ]);
    assert_eq!(code, 1);
    assert_eq!(
        (&v["verdict"], &v["diagnosis"]),
        (&"incorrect".into(), &"transpose".into()),
        "{v}"
    );
    // The layout does not matter for a gradient.
    let (code, _) = json(&[
        "x' x",
        "--given",
        "x: n",
        "--answer",
        "2x",
        "--layout",
        "denominator",
    ]);
    assert_eq!(code, 0);
}

#[test]
fn answers_and_functions_may_start_with_a_minus() {
    let (code, v) = json(&["-x'x", "--given", "x: n", "--answer", "-2x"]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["read_as"], "-2x");
    let (code, v) = json(&["x'x", "--given", "x: n", "--answer", "-2x"]);
    assert_eq!(code, 1);
    assert_eq!(v["diagnosis"], "sign");
    let (code, v) = json(&[
        "- x' A x",
        "--wrt",
        "x",
        "--given",
        AX,
        "--answer",
        "-(A + A')x",
    ]);
    assert_eq!(code, 0, "{v}");
    // The text form too.
    let (code, out, err) = run(&["-x'x", "--given", "x: n", "--answer", "-2x"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("read as:  -2x"), "{out}");
}

// ---------------------------------------------------------------- tolerance

#[test]
fn an_answer_off_by_a_factor_of_1_001_is_incorrect() {
    for (f, given, wrt, answer) in [
        ("x' x", "x: n", "x", "1.001 * 2x"),
        ("x' x", "x: n", "x", "2.002 x"),
        ("x' A x", AX, "x", "1.001 (A + A') x"),
        (
            "tr(A X B)",
            "A: p x m; X: m x n; B: n x p",
            "X",
            "0.999 A' B'",
        ),
    ] {
        let (code, v) = grade(f, wrt, given, answer);
        assert_eq!(code, 1, "{answer}: {v}");
        assert_eq!(v["verdict"], "incorrect", "{answer}: {v}");
        let e = v["max_rel_error"].as_f64().unwrap();
        assert!((e - 1e-3).abs() < 1e-6, "{answer}: {v}");
        if v["diagnosis"] == "scale" {
            let c = v["scale"].as_f64().unwrap();
            assert!(
                (c - 1.001).abs() < 1e-9 || (c - 0.999).abs() < 1e-9,
                "{answer}: {v}"
            );
        }
    }
}

#[test]
fn floating_point_equivalent_forms_pass() {
    for answer in [
        "A'x + Ax",
        "Ax + A'x",
        "(A + A')x",
        "(A' + A) x",
        "(x'A)' + A x",
        "2 ((A + A')/2) x",
    ] {
        let (code, v) = grade("x' A x", "x", AX, answer);
        assert_eq!(code, 0, "{answer}: {v}");
        assert_eq!(v["verdict"], "correct", "{answer}: {v}");
        assert!(
            v["max_rel_error"].as_f64().unwrap() < 1e-12,
            "{answer}: {v}"
        );
    }
    for answer in ["(W x + b - t) x'", "W x x' + (b - t) x'"] {
        let (code, v) = grade(
            "0.5 ||W x + b - t||^2",
            "W",
            "W: m x n; x: n; b, t: m",
            answer,
        );
        assert_eq!(code, 0, "{answer}: {v}");
    }
}

// ---------------------------------------------------------------- scale

#[test]
fn integer_sizes_up_to_1024_are_graded() {
    let (code, v) = grade("x' A x", "x", "A: 1024 x 1024; x: 1024", "(A + A')x");
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["verdict"], "correct");
    assert_eq!(v["expected_shape"], "1024×1");
    assert_eq!(v["answer_shape"], "1024×1");

    let (code, v) = grade("tr(A X B)", "X", "A, X, B: 256 x 256", "A' B'");
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["verdict"], "correct");
    assert_eq!(v["expected_shape"], "256×256");

    // A wrong answer at size is still caught, and diagnosed.
    let (code, v) = grade("tr(A X B)", "X", "A, X, B: 256 x 256", "B A");
    assert_eq!(code, 1, "{v}");
    assert_eq!(
        (&v["verdict"], &v["diagnosis"]),
        (&"incorrect".into(), &"transpose".into()),
        "{v}"
    );
}
