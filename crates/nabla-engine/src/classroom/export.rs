//! The gradebook written for others: CSV for a spreadsheet (one row per
//! student, one column per exercise, the total, and a note), the whole
//! gradebook as JSON, or a Gradescope autograder `results.json` (one
//! student: Gradescope grades one submission per run).

use serde_json::{Value, json};

use super::gradebook::{ExerciseResult, Gradebook};

/// The version of the `grade-submissions --format json` object.
pub const SCHEMA_VERSION: u32 = 1;

/// A number as a spreadsheet reads it: at most 4 decimals, no trailing zeros.
fn number(x: f64) -> String {
    let s = format!("{x:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// One CSV cell: quoted when it holds a comma, quote or line break, and a
/// text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`) is
/// prefixed with `'`.
fn cell(text: &str) -> String {
    let text = crate::text::sanitize(text);
    let text = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.into_owned()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// The CSV: `student`, one column per exercise (its points), `total`,
/// `note`; students in order of id, then each submission not graded (0
/// everywhere, the reason in `note`).
pub fn csv(g: &Gradebook) -> String {
    let mut out = String::new();
    let mut header = vec!["student".to_string()];
    header.extend(g.items.iter().map(|i| cell(&i.id)));
    header.extend(["total".to_string(), "note".to_string()]);
    out.push_str(&header.join(","));
    out.push('\n');
    for s in &g.students {
        let mut row = vec![cell(&s.student)];
        row.extend(s.exercises.iter().map(|e| number(e.score)));
        row.push(number(s.score));
        let notes: Vec<String> = s
            .notes
            .iter()
            .cloned()
            .chain(
                s.exercises
                    .iter()
                    .flat_map(|e| e.notes.iter().map(|n| format!("{}: {n}", e.id))),
            )
            .collect();
        row.push(cell(&notes.join("; ")));
        out.push_str(&row.join(","));
        out.push('\n');
    }
    for p in &g.problems {
        let mut row = vec![cell(p.student.as_deref().unwrap_or(""))];
        row.extend(g.items.iter().map(|_| "0".to_string()));
        row.push("0".to_string());
        row.push(cell(&format!("not graded: {}: {}", p.file, p.reason)));
        out.push_str(&row.join(","));
        out.push('\n');
    }
    out
}

/// The whole gradebook: every answer's verdict and diagnosis.
pub fn json(g: &Gradebook) -> Value {
    let mut v = serde_json::to_value(g).unwrap_or_default();
    v["schema_version"] = json!(SCHEMA_VERSION);
    v["max_score"] = json!(g.max_score());
    v
}

/// What one exercise's answers were, for the student's Gradescope page.
fn exercise_output(e: &ExerciseResult) -> String {
    let mut lines = Vec::new();
    if e.answers.is_empty() {
        lines.push("No answer.".to_string());
    }
    for (n, a) in e.answers.iter().enumerate() {
        let step = a.step.map_or(String::new(), |k| format!(" (step {k})"));
        let verdict = a.verdict.replace('_', " ");
        let mut line = format!("{}. {}{step}: {verdict}", n + 1, a.answer);
        if !a.message.is_empty() && a.verdict != "correct" {
            line.push_str(&format!(" — {}", a.message));
        }
        lines.push(line);
    }
    lines.extend(e.notes.iter().cloned());
    lines.join("\n")
}

/// Gradescope's `results.json` for the one submission of a run: per
/// exercise a test with `score`, `max_score` and `output`. No submission,
/// a submission not graded, or several students' files: score 0 and an
/// `output` that says why.
pub fn gradescope(g: &Gradebook) -> Value {
    let zero_tests = |why: &str| -> Vec<Value> {
        g.items
            .iter()
            .map(|i| json!({ "name": i.id, "score": 0.0, "max_score": i.points, "output": why }))
            .collect()
    };
    let problems: Vec<String> = g
        .problems
        .iter()
        .map(|p| format!("{} was not graded: {}", p.file, p.reason))
        .collect();
    let zero = |why: String| json!({ "score": 0.0, "output": why, "tests": zero_tests(&why), "visibility": "visible" });
    match g.students.as_slice() {
        [] if problems.is_empty() => zero(
            "No submission file (a .json file written by `nabla submit`) was found in the upload."
                .to_string(),
        ),
        [] => zero(problems.join("\n")),
        [s] => {
            let tests: Vec<Value> = s
                .exercises
                .iter()
                .map(|e| {
                    json!({
                        "name": e.id,
                        "score": e.score,
                        "max_score": e.max_score,
                        "output": exercise_output(e),
                    })
                })
                .collect();
            let mut output = vec![format!(
                "{}: {} of {} points for {}, re-graded from your answers ({} attempts per exercise count).",
                g.title,
                number(s.score),
                number(s.max_score),
                s.student,
                g.attempts
            )];
            output.extend(s.notes.iter().cloned());
            output.extend(problems);
            json!({ "score": s.score, "output": output.join("\n"), "tests": tests, "visibility": "visible" })
        }
        many => {
            let who: Vec<&str> = many.iter().map(|s| s.student.as_str()).collect();
            zero(format!(
                "The upload holds submissions of {} students ({}): upload only your own file.",
                many.len(),
                who.join(", ")
            ))
        }
    }
}
