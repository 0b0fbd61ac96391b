//! The cost budget (docs/grading.md): a problem, an answer or a lesson
//! exercise too large to grade is refused at once, with the estimate, instead
//! of running for minutes or exhausting memory; the large cases the grader
//! is meant for stay allowed (the estimate's unit tests in
//! `calculus::cost`).

mod common;

use common::cli::nabla;

/// tr(A A … A) with 200 factors of 2048×2048: ~16 GB of intermediate values.
fn chain() -> String {
    format!("tr({})", vec!["A"; 200].join(" "))
}

#[test]
fn check_refuses_a_problem_over_the_budget_with_the_estimate() {
    let f = chain();
    let (code, out, err) = nabla(&[
        "check",
        &f,
        "--wrt",
        "A",
        "--given",
        "A: 2048 x 2048",
        "--answer",
        "A",
        "--json",
    ]);
    assert_eq!(code, 2, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["error"]["kind"], "invalid_problem", "{v}");
    let m = v["error"]["message"].as_str().unwrap();
    assert!(
        m.contains("operations") && m.contains("GB") && m.contains("smaller sizes"),
        "{m}"
    );
}

#[test]
fn an_answer_over_the_budget_is_invalid_not_evaluated() {
    let answer = vec!["A"; 200].join(" ");
    let (code, out, err) = nabla(&[
        "check",
        "tr(A)",
        "--wrt",
        "A",
        "--given",
        "A: 2048 x 2048",
        "--answer",
        &answer,
        "--json",
    ]);
    assert_eq!(code, 1, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["verdict"], "invalid_answer", "{v}");
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .contains("This answer would take"),
        "{v}"
    );
}

#[test]
fn lint_reports_an_exercise_over_the_budget_where_its_f_is() {
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/cost/too-large.toml"
    );
    let (code, out, err) = nabla(&["lint", file]);
    assert_eq!(code, 1, "{out}{err}");
    let all = format!("{out}{err}");
    assert!(
        all.contains("too-large.toml:38:5: f would take about"),
        "{all}"
    );
}
