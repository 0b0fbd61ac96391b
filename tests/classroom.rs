//! The classroom, end to end through the binary: an assignment on a lesson
//! pack and the built-in course, each student's own instances, submissions
//! written from the progress log, and a class re-graded from its answers
//! (forged verdicts ignored, the attempt rule applied, broken submissions
//! listed), into CSV, JSON and Gradescope's results.json.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use nabla_engine::progress::{Attempt, Store};
use serde_json::{Value, json};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/classroom");

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("nabla-classroom-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `nabla --lessons PACK ARGS…` in `dir`: (exit code, stdout, stderr).
fn nabla(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("nabla")
        .unwrap()
        .current_dir(dir)
        .args(["--lessons", &format!("{DATA}/pack")])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn hw() -> String {
    format!("{DATA}/hw.toml")
}

/// `nabla key hw.toml --student ID --json`.
fn key(dir: &Path, student: &str) -> Value {
    let (code, out, err) = nabla(dir, &["key", &hw(), "--student", student, "--json"]);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap()
}

fn exercise<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["exercises"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == id)
        .unwrap_or_else(|| panic!("no {id} in {v}"))
}

/// A matrix of numbers as a student types it: `[1 2; 3 4]`.
fn typed(rows: &Value) -> String {
    let rows: Vec<String> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let cells: Vec<String> = r
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_f64().unwrap().to_string())
                .collect();
            cells.join(" ")
        })
        .collect();
    format!("[{}]", rows.join("; "))
}

#[test]
fn each_student_gets_their_own_instances_and_they_are_stable() {
    let dir = scratch("seeds");
    let ada = key(&dir, "ada");
    assert_eq!(ada, key(&dir, "ada"), "the same key every time");
    let bob = key(&dir, "bob");
    assert_eq!(ada["assignment"], bob["assignment"]);
    let ids: Vec<&str> = ada["exercises"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "dot-products/linear",
            "scalar-by-vector/quadratic-form",
            "backprop/matmul-compute",
            "backprop/two-layer-regression"
        ]
    );
    for id in ids {
        assert_ne!(
            exercise(&ada, id)["seed"],
            exercise(&bob, id)["seed"],
            "{id}"
        );
    }
    // Their own numbers, and `show --seed` gives the same instance.
    let compute = "backprop/matmul-compute";
    assert_ne!(
        exercise(&ada, compute)["values"],
        exercise(&bob, compute)["values"]
    );
    let seed = exercise(&ada, compute)["seed"]
        .as_u64()
        .unwrap()
        .to_string();
    let (code, out, _) = nabla(
        &dir,
        &["show", compute, "--seed", &seed, "--answer-key", "--json"],
    );
    assert_eq!(code, 0);
    let shown: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        shown["answer_key"]["numbers"],
        exercise(&ada, compute)["numbers"]
    );
    assert_eq!(shown["answer_key"]["answer"], "G B'");
    assert_eq!(shown["answer_key"]["mistakes"][0]["answer"], "G B");
    let _ = std::fs::remove_dir_all(&dir);
}

fn attempt(
    exercise: &str,
    seed: u64,
    step: Option<u32>,
    answer: &str,
    correct: bool,
    at: i64,
) -> Attempt {
    Attempt {
        at,
        exercise: exercise.to_string(),
        lesson_file: None,
        exercise_version: None,
        seed,
        step,
        answer: answer.to_string(),
        correct,
        completes: correct,
        kind: None,
        mistake: None,
        hints: 0,
        solution: false,
        millis: None,
    }
}

#[test]
fn submit_writes_every_answer_on_the_students_instances_in_order() {
    let dir = scratch("submit");
    let ada = key(&dir, "ada");
    let seed = |id: &str| exercise(&ada, id)["seed"].as_u64().unwrap();
    let db = dir.join("progress.db");
    let mut store = Store::new(db.clone());
    let q = "scalar-by-vector/quadratic-form";
    let bp = "backprop/two-layer-regression";
    store.record_attempt(attempt(q, seed(q), None, "2 A x", false, 100));
    // Practice on another instance of the same exercise: not in the submission.
    store.record_attempt(attempt(q, seed(q) + 1, None, "A x", false, 101));
    store.record_attempt(attempt(
        bp,
        seed(bp),
        Some(0),
        "(a2 - t) .* a2 .* (1 - a2)",
        true,
        102,
    ));
    store.record_attempt(attempt(q, seed(q), None, "(A + A')x", true, 103));
    store.save().unwrap();
    let (code, out, err) = nabla(
        &dir,
        &[
            "--progress",
            db.to_str().unwrap(),
            "submit",
            &hw(),
            "--student",
            "ada",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("hw-ada.json") && out.contains("3 answers to 2 of the 4 exercises"),
        "{out}"
    );
    let s: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("hw-ada.json")).unwrap()).unwrap();
    assert_eq!(s["nabla_submission"], 1);
    assert_eq!(s["nabla_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(s["assignment"], ada["assignment"]);
    assert_eq!(s["student"], "ada");
    let answers = |id: &str| -> Vec<(String, Value)> {
        exercise(&s, id)["answers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| (a["answer"].as_str().unwrap().to_string(), a["step"].clone()))
            .collect()
    };
    assert_eq!(
        answers(q),
        [
            ("2 A x".to_string(), Value::Null),
            ("(A + A')x".to_string(), Value::Null)
        ]
    );
    assert_eq!(
        answers(bp),
        [("(a2 - t) .* a2 .* (1 - a2)".to_string(), json!(1))],
        "steps from 1"
    );
    assert_eq!(exercise(&s, q)["seed"].as_u64(), Some(seed(q)));
    assert!(answers("dot-products/linear").is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}

/// A submission of `student` (as `nabla submit` writes them) with these
/// answers: (exercise, step, answer, the verdict it claims).
fn submission(k: &Value, student: &str, answers: &[(&str, Option<u32>, &str, &str)]) -> Value {
    let exercises: Vec<Value> = k["exercises"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let mine: Vec<Value> = answers
                .iter()
                .filter(|a| a.0 == e["id"])
                .map(|a| json!({ "answer": a.2, "step": a.1, "verdict": a.3 }))
                .collect();
            json!({ "id": e["id"], "seed": e["seed"], "answers": mine })
        })
        .collect();
    json!({
        "nabla_submission": 1,
        "nabla_version": env!("CARGO_PKG_VERSION"),
        "assignment": k["assignment"],
        "title": "Homework 1",
        "student": student,
        "exercises": exercises,
    })
}

/// A class: ada forges verdicts and solves some; bob is right only after
/// the two attempts allowed; plus broken files.
fn class(dir: &Path) -> PathBuf {
    let subs = dir.join("subs");
    std::fs::create_dir_all(&subs).unwrap();
    let ada = key(dir, "ada");
    let numbers = typed(&exercise(&ada, "backprop/matmul-compute")["numbers"]);
    let bp = "backprop/two-layer-regression";
    let ada_sub = submission(
        &ada,
        "ada",
        &[
            // Forged: the file says correct; the grader says otherwise.
            ("dot-products/linear", None, "b'", "correct"),
            ("scalar-by-vector/quadratic-form", None, "2 A x", "correct"),
            (
                "scalar-by-vector/quadratic-form",
                None,
                "(A + A')x",
                "incorrect",
            ),
            ("backprop/matmul-compute", None, &numbers, "incorrect"),
            (bp, Some(1), "(a2 - t) .* a2 .* (1 - a2)", "correct"),
            (bp, Some(2), "a1 dz2'", "correct"),
            (bp, Some(2), "a1 dz2'", "correct"),
            // The third answer to step 2: beyond the limit.
            (bp, Some(2), "dz2 a1'", "correct"),
        ],
    );
    std::fs::write(subs.join("ada.json"), ada_sub.to_string()).unwrap();
    let bob = key(dir, "bob");
    let bob_sub = submission(
        &bob,
        "bob",
        &[
            ("dot-products/linear", None, "b", "correct"),
            ("scalar-by-vector/quadratic-form", None, "A x", "incorrect"),
            (
                "scalar-by-vector/quadratic-form",
                None,
                "x' (A + A')",
                "incorrect",
            ),
            (
                "scalar-by-vector/quadratic-form",
                None,
                "(A + A')x",
                "correct",
            ),
        ],
    );
    std::fs::write(subs.join("bob.json"), bob_sub.to_string()).unwrap();
    subs
}

fn broken(subs: &Path, dir: &Path) {
    std::fs::write(subs.join("garbled.json"), "{\"nabla_submission\": 1,").unwrap();
    let mut other = submission(&key(dir, "cy"), "cy", &[]);
    other["assignment"] = json!("0000000000000000");
    std::fs::write(subs.join("cy.json"), other.to_string()).unwrap();
    let mut newer = submission(&key(dir, "dee"), "dee", &[]);
    newer["nabla_version"] = json!("99.0.0");
    std::fs::write(subs.join("dee.json"), newer.to_string()).unwrap();
    // Not a .json file: not a submission, not read.
    std::fs::write(subs.join("notes.txt"), "hello").unwrap();
}

/// How many steps the backprop exercise of the assignment has.
fn steps(dir: &Path) -> usize {
    exercise(&key(dir, "ada"), "backprop/two-layer-regression")["steps"]
        .as_array()
        .unwrap()
        .len()
}

#[test]
fn the_csv_comes_from_regrading_forged_verdicts_and_extra_attempts_change_nothing() {
    let dir = scratch("csv");
    let subs = class(&dir);
    let (code, out, err) = nabla(&dir, &["grade-submissions", &hw(), subs.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let rows: Vec<Vec<&str>> = out.lines().map(|l| l.split(',').collect()).collect();
    assert_eq!(
        rows[0],
        [
            "student",
            "dot-products/linear",
            "scalar-by-vector/quadratic-form",
            "backprop/matmul-compute",
            "backprop/two-layer-regression",
            "total",
            "note"
        ]
    );
    // ada: linear forged (0), quadratic form on the 2nd try (2), the
    // numbers (1), 1 of the 7 steps of two-layer-regression (1/7).
    assert_eq!(steps(&dir), 7);
    assert_eq!(rows[1], ["ada", "0", "2", "1", "0.1429", "3.1429", ""]);
    // bob: right on the 3rd try only: 0 for the quadratic form.
    assert_eq!(rows[2], ["bob", "1", "0", "0", "0", "1", ""]);
    assert_eq!(rows.len(), 3);
    // The summary names the class's mistakes per exercise.
    assert!(err.contains("2 submissions graded, 0 not graded"), "{err}");
    assert!(
        err.contains("scalar-by-vector/quadratic-form: solved by 1 of 2; ")
            && err.contains("true only for symmetric matrices (1 student)"),
        "{err}"
    );
    assert!(
        err.contains("dot-products/linear: solved by 1 of 2; transposed answers (1 student)"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_json_gradebook_has_every_answers_verdict_and_diagnosis() {
    let dir = scratch("json");
    let subs = class(&dir);
    let (code, out, err) = nabla(
        &dir,
        &[
            "grade-submissions",
            &hw(),
            subs.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let g: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(g["schema_version"], 1);
    assert_eq!(g["max_score"], 5.0);
    assert_eq!(g["attempts"], 2);
    let ada = &g["students"][0];
    assert_eq!(ada["student"], "ada");
    assert_eq!(ada["score"], 3.0 + 1.0 / 7.0);
    let q = exercise(ada, "scalar-by-vector/quadratic-form");
    assert_eq!(q["answers"][0]["verdict"], "incorrect");
    assert_eq!(q["answers"][0]["claimed"], "correct");
    assert_eq!(q["answers"][0]["diagnosis"], "symmetric_only");
    assert_eq!(q["answers"][1]["verdict"], "correct");
    let bp = exercise(ada, "backprop/two-layer-regression");
    let verdicts: Vec<(&str, bool)> = bp["answers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["verdict"].as_str().unwrap(),
                a["counted"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        verdicts,
        [
            ("correct", true),
            ("wrong_shape", true),
            ("wrong_shape", true),
            ("not_counted", false)
        ]
    );
    assert_eq!(bp["answers"][3]["message"], "beyond the 2 attempts allowed");
    let linear = exercise(&g, "dot-products/linear");
    assert_eq!(linear["solved_by"], 1);
    // b' is the lesson's known mistake, counted as what the engine finds it is.
    assert_eq!(linear["mistakes"][0]["kind"], "transpose");
    assert_eq!(linear["mistakes"][0]["students"], 1);
    assert_eq!(g["problems"], json!([]));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn broken_submissions_are_listed_with_the_reason_and_graded_0() {
    let dir = scratch("broken");
    let subs = class(&dir);
    broken(&subs, &dir);
    let (code, out, err) = nabla(&dir, &["grade-submissions", &hw(), subs.to_str().unwrap()]);
    assert_eq!(code, 1, "some were not graded: {err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 1 + 2 + 3, "{out}");
    let row = |file: &str| {
        *lines
            .iter()
            .find(|l| l.contains(file))
            .unwrap_or_else(|| panic!("{file}: {out}"))
    };
    let garbled = row("garbled.json");
    assert!(
        garbled.starts_with(",0,0,0,0,0,") && garbled.contains("not JSON"),
        "{garbled}"
    );
    let cy = row("cy.json");
    assert!(
        cy.starts_with("cy,0,0,0,0,0,") && cy.contains("another assignment"),
        "{cy}"
    );
    let dee = row("dee.json");
    assert!(
        dee.starts_with("dee,0,0,0,0,0,") && dee.contains("newer than this nabla"),
        "{dee}"
    );
    assert!(err.contains("2 submissions graded, 3 not graded"), "{err}");
    for f in ["garbled.json", "cy.json", "dee.json"] {
        assert!(
            err.contains(&format!(
                "not graded (0 points): {}",
                subs.join(f).display()
            )),
            "{err}"
        );
    }
    // A second file of the same student is not graded either.
    std::fs::copy(subs.join("bob.json"), subs.join("bob-again.json")).unwrap();
    let (_, out, _) = nabla(&dir, &["grade-submissions", &hw(), subs.to_str().unwrap()]);
    assert!(
        out.lines()
            .any(|l| l.starts_with("bob,0,0,0,0,0,") && l.contains("a second submission of bob")),
        "{out}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn gradescope_results_are_one_students_tests_with_scores() {
    let dir = scratch("gradescope");
    let subs = class(&dir);
    let out = dir.join("results.json");
    let (code, _, err) = nabla(
        &dir,
        &[
            "grade-submissions",
            &hw(),
            subs.join("ada.json").to_str().unwrap(),
            "--format",
            "gradescope",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{err}");
    let r: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(r["score"], 3.0 + 1.0 / 7.0);
    let tests = r["tests"].as_array().unwrap();
    let fields: Vec<(&str, f64, f64)> = tests
        .iter()
        .map(|t| {
            (
                t["name"].as_str().unwrap(),
                t["score"].as_f64().unwrap(),
                t["max_score"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        fields,
        [
            ("dot-products/linear", 0.0, 1.0),
            ("scalar-by-vector/quadratic-form", 2.0, 2.0),
            ("backprop/matmul-compute", 1.0, 1.0),
            ("backprop/two-layer-regression", 1.0 / 7.0, 1.0)
        ]
    );
    let q = tests[1]["output"].as_str().unwrap();
    assert!(
        q.starts_with("1. 2 A x: incorrect — ") && q.contains("\n2. (A + A')x: correct"),
        "{q}"
    );
    assert!(
        tests[3]["output"]
            .as_str()
            .unwrap()
            .contains("not counted — beyond the 2 attempts allowed")
    );
    assert!(
        r["output"]
            .as_str()
            .unwrap()
            .contains("3.1429 of 5 points for ada"),
        "{r}"
    );
    // A whole folder of several students is not one submission.
    let (_, text, _) = nabla(
        &dir,
        &[
            "grade-submissions",
            &hw(),
            subs.to_str().unwrap(),
            "--format",
            "gradescope",
        ],
    );
    let r: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(r["score"], 0.0);
    assert!(r["output"].as_str().unwrap().contains("2 students"), "{r}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_bad_assignment_or_student_id_is_refused_plainly() {
    let dir = scratch("bad");
    let (code, _, err) = nabla(&dir, &["key", &hw(), "--student", "../etc"]);
    assert_eq!(code, 2);
    assert!(err.contains("not a student id"), "{err}");
    let bad = dir.join("bad.toml");
    std::fs::write(
        &bad,
        "format = 1\ntitle = \"x\"\nsalt = \"y\"\n[[exercise]]\nid = \"no/such\"\n",
    )
    .unwrap();
    let (code, _, err) = nabla(
        &dir,
        &[
            "grade-submissions",
            bad.to_str().unwrap(),
            dir.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("exercise 1 of the assignment: no lesson 'no'"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
