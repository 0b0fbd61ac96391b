//! The grading contract's acceptance cases (copied from the shared acceptance
//! suite into tests/data/check-cases.toml), run against the real binary.

use assert_cmd::Command;
use serde_json::Value;

#[derive(serde::Deserialize)]
struct Cases {
    case: Vec<Case>,
}

#[derive(serde::Deserialize)]
struct Case {
    given: String,
    f: String,
    wrt: String,
    answer: String,
    expect: String,
    diagnosis: Option<String>,
    layout: Option<String>,
}

#[test]
fn every_acceptance_case_gets_its_verdict_diagnosis_and_exit_status() {
    let text = include_str!("data/check-cases.toml");
    let cases: Cases = toml::from_str(text).expect("the cases file parses");
    assert!(cases.case.len() >= 30);
    let mut failures = Vec::new();
    for c in &cases.case {
        let mut cmd = Command::cargo_bin("nabla").unwrap();
        cmd.args([
            "check", &c.f, "--wrt", &c.wrt, "--given", &c.given, "--answer", &c.answer, "--json",
        ]);
        if let Some(l) = &c.layout {
            cmd.args(["--layout", l]);
        }
        let out = cmd.output().unwrap();
        let json: Value = match serde_json::from_slice(&out.stdout) {
            Ok(v) => v,
            Err(_) => {
                failures.push(format!("{} / {}: stdout is not JSON", c.f, c.answer));
                continue;
            }
        };
        let want_exit = if c.expect == "correct" { 0 } else { 1 };
        if json["verdict"] != c.expect.as_str() {
            failures.push(format!(
                "{} / {}: verdict {}, expected {}",
                c.f, c.answer, json["verdict"], c.expect
            ));
        }
        if let Some(d) = &c.diagnosis
            && json["diagnosis"] != d.as_str()
        {
            failures.push(format!(
                "{} / {}: diagnosis {}, expected {d}",
                c.f, c.answer, json["diagnosis"]
            ));
        }
        if out.status.code() != Some(want_exit) {
            failures.push(format!(
                "{} / {}: exit {:?}, expected {want_exit}",
                c.f,
                c.answer,
                out.status.code()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
