//! The JSON contract as written in `docs/json.md`: for every command, each
//! field its table lists appears in some case, and no case shows a field the
//! table does not list. The document is read here, so a field added to the
//! output without its line in the document (or the other way round) fails.
//! The structure of every case (keys and JSON types, not values) is also
//! kept as a snapshot.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::cli::nabla;
use serde_json::Value;

const AX: &str = "A: n x n; x: n";

/// The backticked names of the first column of every table row in the
/// document's section `## \`NAME\`` (or `## Results and failures` for the
/// failure object), e.g. `` `id`, `lesson` `` gives both.
fn documented(section: &str) -> BTreeSet<String> {
    let doc = include_str!("../docs/json.md");
    let head = format!("## {section}\n");
    let start = doc
        .find(&head)
        .unwrap_or_else(|| panic!("docs/json.md has no section {head:?}"))
        + head.len();
    let body = &doc[start..];
    let body = &body[..body.find("\n## ").unwrap_or(body.len())];
    let mut fields = BTreeSet::new();
    for row in body.lines().filter(|l| l.starts_with("| `")) {
        let first = row.split('|').nth(1).unwrap_or_default();
        for (i, part) in first.split('`').enumerate() {
            if i % 2 == 1 {
                fields.insert(part.to_string());
            }
        }
    }
    assert!(!fields.is_empty(), "no fields in section {section}");
    fields
}

/// The command's JSON object and exit code.
fn json(args: &[&str]) -> (i32, Value) {
    let mut args = args.to_vec();
    args.push("--json");
    let (code, out, err) = nabla(&args);
    assert_eq!(
        out.lines().count(),
        1,
        "{args:?}: one line on stdout: {out}{err}"
    );
    let v = serde_json::from_str(out.trim())
        .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {out}"));
    (code, v)
}

/// `key: type` for every key, nested objects indented, list items by their
/// first element: the structure of an object without its values.
fn structure(v: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                out.push_str(&format!("{pad}{k}: {}\n", type_of(x)));
                match x {
                    Value::Object(_) => structure(x, indent + 2, out),
                    Value::Array(a) => {
                        if let Some(first) = a.first().filter(|f| f.is_object()) {
                            structure(first, indent + 4, out);
                        }
                    }
                    _ => {}
                }
            }
        }
        other => out.push_str(&format!("{pad}{}\n", type_of(other))),
    }
}

fn type_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "number",
        Value::Number(_) => "integer",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "object",
    }
}

/// The cases of one command: every documented field must show up among
/// them, and none that is not documented.
fn assert_matches_the_document(
    name: &str,
    documented: &BTreeSet<String>,
    cases: &[(&str, (i32, Value))],
) -> String {
    let mut seen = BTreeSet::new();
    let mut snapshot = String::new();
    for (label, (code, v)) in cases {
        let keys: BTreeSet<String> = v.as_object().expect("an object").keys().cloned().collect();
        let extra: Vec<_> = keys.difference(documented).collect();
        assert!(
            extra.is_empty(),
            "{name} ({label}): fields not in docs/json.md: {extra:?}\n{v}"
        );
        assert_eq!(v["schema_version"], 1, "{name} ({label}): {v}");
        seen.extend(keys);
        snapshot.push_str(&format!("# {label} (exit {code})\n"));
        structure(v, 0, &mut snapshot);
    }
    let missing: Vec<_> = documented.difference(&seen).collect();
    assert!(
        missing.is_empty(),
        "{name}: documented fields no case shows: {missing:?}"
    );
    snapshot
}

/// The `error` object of a result (parse, check): its four fields.
fn assert_expression_error(v: &Value, input: &str) {
    let e = &v["error"];
    let keys: Vec<&str> = e.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["kind", "location", "message", "span"], "{v}");
    assert_eq!(e["location"]["input"], input, "{v}");
    assert_eq!(e["location"]["span"], e["span"], "{v}");
}

#[test]
fn parse_json_is_as_documented() {
    let ok = json(&["parse", "x' A x", "--given", AX]);
    assert_eq!(ok.0, 0);
    let bad = json(&["parse", "(A + ) x", "--given", AX]);
    assert_eq!(bad.0, 1);
    assert_expression_error(&bad.1, "expr");
    let s = assert_matches_the_document(
        "parse",
        &documented("`parse`"),
        &[("reads", ok), ("does not read", bad)],
    );
    insta::assert_snapshot!(s);
}

#[test]
fn check_json_is_as_documented() {
    let check = |answer: &str| {
        json(&[
            "check", "x' A x", "--wrt", "x", "--given", AX, "--answer", answer,
        ])
    };
    let correct = check("(A + A')x");
    let scale = json(&[
        "check", "x' x", "--wrt", "x", "--given", "x: n", "--answer", "4x",
    ]);
    let wrong_shape = check("x'(A + A')");
    let invalid = check("(A + ) x");
    assert_expression_error(&invalid.1, "answer");
    let undefined = json(&[
        "check",
        "x' x",
        "--wrt",
        "x",
        "--given",
        "x: n",
        "--answer",
        "2 exp(log(x))",
    ]);
    assert_eq!(undefined.1["verdict"], "incorrect", "{}", undefined.1);
    assert_expression_error(&undefined.1, "answer");
    assert_eq!(undefined.1["error"]["kind"], "undefined");
    let s = assert_matches_the_document(
        "check",
        &documented("`check`"),
        &[
            ("correct", correct),
            ("scale", scale),
            ("wrong shape", wrong_shape),
            ("invalid answer", invalid),
            ("undefined where F is fine", undefined),
        ],
    );
    insta::assert_snapshot!(s);
}

#[test]
fn derive_json_is_as_documented() {
    let plain = json(&["derive", "x' A x", "--wrt", "x", "--given", AX]);
    let steps = json(&["derive", "x' A x", "--wrt", "x", "--given", AX, "--steps"]);
    assert!(plain.1.get("steps").is_none());
    let s = assert_matches_the_document(
        "derive",
        &documented("`derive`"),
        &[("plain", plain), ("with steps", steps)],
    );
    insta::assert_snapshot!(s);
}

#[test]
fn list_json_is_as_documented() {
    let list = json(&["list"]);
    assert_eq!(list.1["skipped"], serde_json::json!([]));
    let hostile = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/hostile");
    let with_a_bad_file = json(&["list", "--no-builtin", "--lessons", hostile]);
    assert_eq!(with_a_bad_file.0, 0);
    let skipped = with_a_bad_file.1["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert!(
        skipped[0]["file"]
            .as_str()
            .unwrap()
            .ends_with("broken.toml")
    );
    let s = assert_matches_the_document(
        "list",
        &documented("`list`"),
        &[("list", list), ("list --lessons hostile", with_a_bad_file)],
    );
    insta::assert_snapshot!(s);
}

#[test]
fn show_json_is_as_documented() {
    let cases: Vec<(&str, (i32, Value))> = [
        "scalar-by-vector/quadratic-form",
        "backprop/matmul-compute",
        "backprop/relu-backward",
        "backprop/two-layer-classifier",
        "backprop/matmul-shape",
        "backprop/softmax-ce",
    ]
    .into_iter()
    .map(|id| (id, json(&["show", id])))
    .collect();
    for (id, (code, _)) in &cases {
        assert_eq!(*code, 0, "{id}");
    }
    let s = assert_matches_the_document("show", &documented("`show`"), &cases);
    insta::assert_snapshot!(s);
}

#[test]
fn grade_json_is_as_documented() {
    // Any wrong choice of relu-backward is a known mistake; the number it is
    // shown at depends on the instance.
    let course = nabla::lesson::load::builtin();
    let ex = nabla::lesson::exercise::find(&course, "backprop/relu-backward")
        .unwrap()
        .ex;
    let file: usize = ex.answer.as_ref().unwrap().get_ref().parse().unwrap();
    let right =
        nabla::lesson::grading::shown_choice(ex, nabla::lesson::instance::DEFAULT_SEED, file);
    let wrong_choice = (1..=4).find(|&k| Some(k) != right).unwrap().to_string();
    let mut fields = documented("`check`");
    fields.extend(documented("`grade`"));
    let cases = [
        (
            "compute, wrong entries",
            json(&["grade", "backprop/matmul-compute", "--answer", "[1 2; 3 4]"]),
        ),
        (
            "choice, a known mistake",
            json(&["grade", "backprop/relu-backward", "--answer", &wrong_choice]),
        ),
        (
            "shape, right",
            json(&["grade", "notation/gradient-shape", "--answer", "n x 1"]),
        ),
        (
            "derive, a factor off",
            json(&[
                "grade",
                "scalar-by-vector/quadratic-form",
                "--answer",
                "2(A + A')x",
            ]),
        ),
        (
            "derive, does not read",
            json(&[
                "grade",
                "scalar-by-vector/quadratic-form",
                "--answer",
                "(x +",
            ]),
        ),
    ];
    assert!(cases[1].1.1.get("feedback").is_some(), "{}", cases[1].1.1);
    assert_eq!(cases[3].1.1["diagnosis"], "scale", "{}", cases[3].1.1);
    assert_expression_error(&cases[4].1.1, "answer");
    let s = assert_matches_the_document("grade", &fields, &cases);
    insta::assert_snapshot!(s);
}

#[test]
fn every_failure_has_the_one_error_shape() {
    let cases: BTreeMap<&str, (Vec<&str>, &str)> = BTreeMap::from([
        (
            "usage",
            (
                vec![
                    "check", "x' x", "--given", "x: n", "--answer", "2x", "--bogus",
                ],
                "usage",
            ),
        ),
        (
            "invalid problem",
            (
                vec!["check", "x' A y", "--given", AX, "--answer", "x"],
                "invalid_problem",
            ),
        ),
        (
            "derive, unsupported",
            (
                // (issue 18 made `A X` by X derivable: I ⊗ A; an elementwise
                // function of a matrix product is still refused)
                vec!["derive", "exp(A X)", "--wrt", "X", "--given", "A, X: n x n"],
                "invalid_problem",
            ),
        ),
        (
            "bad declarations",
            (
                vec!["parse", "x", "--given", "x: n x"],
                "invalid_declarations",
            ),
        ),
        (
            "unknown exercise",
            (vec!["show", "nope/nothing"], "unknown_exercise"),
        ),
        (
            "grade, unknown exercise",
            (vec!["grade", "nope", "--answer", "1"], "unknown_exercise"),
        ),
        (
            "a step it does not have",
            (
                vec![
                    "grade",
                    "backprop/two-layer-classifier",
                    "--answer",
                    "x",
                    "--step",
                    "99",
                ],
                "invalid_exercise",
            ),
        ),
        (
            "no lessons folder",
            (
                vec!["list", "--no-builtin", "--lessons", "/no/such/folder"],
                "lessons",
            ),
        ),
    ]);
    let top = documented("Results and failures");
    let mut seen_kinds = BTreeSet::new();
    for (label, (args, kind)) in &cases {
        let (code, v) = json(args);
        assert_eq!(code, 2, "{label}: {v}");
        assert_eq!(v["schema_version"], 1, "{label}: {v}");
        assert_eq!(v["error"]["kind"], *kind, "{label}: {v}");
        assert!(
            v["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{label}: {v}"
        );
        for k in v["error"].as_object().unwrap().keys() {
            assert!(
                top.contains(&format!("error.{k}")),
                "{label}: error.{k} is not documented: {v}"
            );
        }
        let mut allowed = vec!["schema_version", "error"];
        // check and grade repeat the failure in the first contract's fields.
        if matches!(args[0], "check" | "grade") {
            allowed.extend(["verdict", "message"]);
            assert_eq!(v["verdict"], "invalid_problem", "{label}: {v}");
            assert_eq!(v["message"], v["error"]["message"], "{label}: {v}");
        }
        for k in v.as_object().unwrap().keys() {
            assert!(
                allowed.contains(&k.as_str()),
                "{label}: field {k} in a failure: {v}"
            );
        }
        seen_kinds.insert(kind.to_string());
    }
    // Every kind the document's table lists is produced by some case.
    let doc = include_str!("../docs/json.md");
    let table = &doc[doc
        .find("| `error.kind` | when |")
        .expect("the kinds table")..];
    let documented_kinds: BTreeSet<String> = table
        .lines()
        .skip(2)
        .take_while(|l| l.starts_with("| `"))
        .map(|l| l.split('`').nth(1).unwrap().to_string())
        .collect();
    assert_eq!(seen_kinds, documented_kinds);
}

#[test]
fn a_failure_points_into_the_input_it_concerns() {
    let (_, v) = json(&[
        "check", "x' A y", "--wrt", "x", "--given", AX, "--answer", "x",
    ]);
    assert_eq!(
        v["error"]["location"],
        serde_json::json!({ "input": "f", "span": [5, 6] }),
        "{v}"
    );
    let (_, v) = json(&[
        "check", "x' x", "--wrt", "x", "--given", "x: n x", "--answer", "x",
    ]);
    assert_eq!(v["error"]["location"]["input"], "given", "{v}");
}

/// A progress database with a right answer, a scale slip on a backprop
/// step matching a known mistake, and a review: every field of an attempt
/// both set and null somewhere.
fn progress_file() -> std::path::PathBuf {
    use nabla::progress::{Attempt, MistakeKind, Rating, Store};
    let dir = std::env::temp_dir().join(format!("nabla-json-progress-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let file = dir.join("p.db");
    let mut store = Store::new(file.clone());
    let right = Attempt {
        at: 1_700_000_000,
        exercise: "scalar-by-vector/linear".into(),
        lesson_file: None,
        exercise_version: None,
        seed: 7,
        step: None,
        answer: "a".into(),
        correct: true,
        completes: true,
        kind: None,
        mistake: None,
        hints: 0,
        solution: false,
        millis: None,
    };
    store.record_attempt(right);
    store.record_attempt(Attempt {
        at: 1_700_000_100,
        exercise: "backprop/two-layer-classifier".into(),
        lesson_file: Some("05-backprop.toml".into()),
        exercise_version: Some("0011223344556677".into()),
        seed: 8,
        step: Some(2),
        answer: "2 (y - p)".into(),
        correct: false,
        completes: false,
        kind: Some(MistakeKind::Scale { factor: 2.0 }),
        mistake: Some(1),
        hints: 1,
        solution: true,
        millis: Some(5300),
    });
    store.review("scalar-by-vector/linear", Rating::Good, 1_700_000_000);
    store.save().unwrap();
    file
}

#[test]
fn progress_json_is_as_documented() {
    let file = progress_file();
    let p = file.to_str().unwrap();
    let history = json(&["--progress", p, "progress", "--history"]);
    let (code, out, err) = nabla(&["--progress", p, "progress", "--export", "json"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 1, "one line: {out}");
    let export: Value = serde_json::from_str(&out).unwrap();
    assert_matches_the_document(
        "progress --history",
        &documented("`progress --history`"),
        &[("history", history.clone())],
    );
    assert_matches_the_document(
        "progress --export json",
        &documented("`progress --export json`"),
        &[("export", (code, export.clone()))],
    );
    let attempt_fields = documented("Attempt objects");
    for list in [&history.1["attempts"], &export["attempts"]] {
        let attempts = list.as_array().unwrap();
        assert_eq!(attempts.len(), 2);
        for a in attempts {
            let keys: BTreeSet<String> = a.as_object().unwrap().keys().cloned().collect();
            assert_eq!(keys, attempt_fields, "{a}");
        }
        // Every nullable field is null in one and set in the other.
        for f in [
            "lesson_file",
            "exercise_version",
            "step",
            "kind",
            "factor",
            "mistake",
            "millis",
        ] {
            assert!(attempts[0][f].is_null(), "{f}");
            assert!(!attempts[1][f].is_null(), "{f}");
        }
        assert_eq!(attempts[1]["step"], 3, "steps count from 1");
        assert_eq!(attempts[1]["kind"], "scale");
        assert_eq!(attempts[1]["factor"], 2.0);
    }
    let review_fields = documented("Review objects");
    for r in export["reviews"].as_array().unwrap() {
        let keys: BTreeSet<String> = r.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, review_fields, "{r}");
    }
    let _ = std::fs::remove_dir_all(file.parent().unwrap());
}
