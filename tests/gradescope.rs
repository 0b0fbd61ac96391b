//! examples/gradescope/run_autograder, run as Gradescope runs it, against a
//! temporary folder laid out like /autograder (source/, submission/,
//! results/), with the nabla binary under test.

use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/gradescope");

fn nabla(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_nabla"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// /autograder with the example's zip unpacked in source/.
fn autograder(name: &str) -> std::path::PathBuf {
    let root = std::env::temp_dir().join(format!("nabla-gradescope-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    for d in ["source/lessons", "submission", "results"] {
        std::fs::create_dir_all(root.join(d)).unwrap();
    }
    for f in [
        "run_autograder",
        "setup.sh",
        "assignment.toml",
        "lessons/dot-products.toml",
    ] {
        std::fs::copy(Path::new(EXAMPLE).join(f), root.join("source").join(f)).unwrap();
    }
    root
}

fn run(root: &Path) -> Value {
    let status = Command::new("bash")
        .arg(root.join("source/run_autograder"))
        .env("AUTOGRADER", root)
        .env("NABLA", env!("CARGO_BIN_EXE_nabla"))
        .status()
        .unwrap();
    assert!(status.success());
    serde_json::from_str(&std::fs::read_to_string(root.join("results/results.json")).unwrap())
        .unwrap()
}

#[cfg(unix)]
#[test]
fn run_autograder_grades_the_upload_into_results_json() {
    let root = autograder("graded");
    let source = root.join("source");
    let lessons = source.join("lessons");
    let assignment = source.join("assignment.toml");
    let k: Value = serde_json::from_str(&nabla(&[
        "--lessons",
        lessons.to_str().unwrap(),
        "key",
        assignment.to_str().unwrap(),
        "--student",
        "s123",
        "--json",
    ]))
    .unwrap();
    let seed = |i: usize| k["exercises"][i]["seed"].clone();
    // The student's copy claims everything is right; one answer is not.
    let upload = json!({
        "nabla_submission": 1,
        "nabla_version": env!("CARGO_PKG_VERSION"),
        "assignment": k["assignment"],
        "student": "s123",
        "exercises": [
            { "id": "dot-products/linear", "seed": seed(0), "answers": [{ "answer": "b", "verdict": "correct" }] },
            { "id": "scalar-by-vector/quadratic-form", "seed": seed(1), "answers": [{ "answer": "2 A x", "verdict": "correct" }] },
        ],
    });
    std::fs::write(root.join("submission/hw1-s123.json"), upload.to_string()).unwrap();
    let r = run(&root);
    assert_eq!(r["score"], 1.0);
    assert_eq!(r["tests"][0]["name"], "dot-products/linear");
    assert_eq!(
        (
            r["tests"][0]["score"].as_f64(),
            r["tests"][0]["max_score"].as_f64()
        ),
        (Some(1.0), Some(1.0))
    );
    assert_eq!(r["tests"][1]["name"], "scalar-by-vector/quadratic-form");
    assert_eq!(
        (
            r["tests"][1]["score"].as_f64(),
            r["tests"][1]["max_score"].as_f64()
        ),
        (Some(0.0), Some(2.0))
    );
    assert!(
        r["tests"][1]["output"]
            .as_str()
            .unwrap()
            .contains("2 A x: incorrect"),
        "{r}"
    );
    let _ = std::fs::remove_dir_all(&root);
}

#[cfg(unix)]
#[test]
fn an_upload_that_is_not_a_submission_gets_0_and_says_why() {
    let root = autograder("empty");
    std::fs::write(
        root.join("submission/answers.json"),
        "my answers: b, (A + A')x",
    )
    .unwrap();
    let r = run(&root);
    assert_eq!(r["score"], 0.0);
    assert!(
        r["output"]
            .as_str()
            .unwrap()
            .contains("answers.json was not graded: not a submission"),
        "{r}"
    );
    assert_eq!(r["tests"].as_array().unwrap().len(), 2);
    std::fs::remove_file(root.join("submission/answers.json")).unwrap();
    let r = run(&root);
    assert!(
        r["output"].as_str().unwrap().contains("No submission file"),
        "{r}"
    );
    let _ = std::fs::remove_dir_all(&root);
}
