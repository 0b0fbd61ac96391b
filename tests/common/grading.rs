//! Shared by the grading tests: `nabla check` through the binary as JSON,
//! and a collector that reports every failing case of a test at once.

use serde_json::Value;

use super::cli::nabla;

pub const CORRECT: (&str, i32) = ("correct", 0);
pub const INCORRECT: (&str, i32) = ("incorrect", 1);
pub const INVALID_PROBLEM: (&str, i32) = ("invalid_problem", 2);

/// `nabla check F --wrt X --given G --answer A [EXTRA...] --json`: (exit code, JSON).
pub fn check(f: &str, wrt: &str, given: &str, answer: &str, extra: &[&str]) -> (i32, Value) {
    let mut args = vec![
        "check", f, "--wrt", wrt, "--given", given, "--answer", answer,
    ];
    args.extend_from_slice(extra);
    args.push("--json");
    let (code, stdout, stderr) = nabla(&args);
    let v: Value = serde_json::from_str(stdout.trim()).unwrap_or_else(|e| {
        panic!("{f} by {wrt}, answer {answer}: stdout is not JSON ({e}): {stdout:?} {stderr}")
    });
    (code, v)
}

pub fn message(v: &Value) -> String {
    v["message"].as_str().unwrap_or("").to_string()
}

/// Collects the cases of a test that went wrong, to report them together.
#[derive(Default)]
pub struct Failures(pub Vec<String>);

impl Failures {
    /// Checks one case; returns its JSON for further assertions.
    pub fn expect(
        &mut self,
        (f, wrt, given): (&str, &str, &str),
        answer: &str,
        extra: &[&str],
        (verdict, code): (&str, i32),
    ) -> Value {
        let (got_code, v) = check(f, wrt, given, answer, extra);
        if v["verdict"] != verdict || got_code != code {
            self.0.push(format!(
                "{f} by {wrt} (given {given}), answer {answer} {extra:?}: want {verdict} (exit {code}), got {} (exit {got_code}): {}",
                v["verdict"],
                message(&v)
            ));
        }
        v
    }

    pub fn fail(&mut self, what: String) {
        self.0.push(what);
    }

    pub fn done(self) {
        assert!(
            self.0.is_empty(),
            "{} failing case(s):\n{}",
            self.0.len(),
            self.0.join("\n")
        );
    }
}
