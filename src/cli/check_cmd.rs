//! `nabla check F --wrt X --given DECLS --answer ANSWER`: grades a derivative.
//! Exit 0 correct, 1 not correct, 2 the problem itself is invalid.

use std::process::ExitCode;

use nabla_engine::calculus::ProblemError;
use nabla_engine::grade::{self, Diagnosis, Grade, Options};
use serde_json::{Value, json};

use super::args::CheckArgs;
use super::output::{BAD_INPUT, NOT_OK, OK, error_json, exit, print_json};

pub fn run(args: &CheckArgs) -> ExitCode {
    let problem = match super::output::problem_from(
        &args.f,
        args.wrt.as_deref(),
        &args.given,
        args.layout.into(),
    ) {
        Ok(p) => p,
        Err(e) => return invalid_problem(args.json, &e),
    };
    let opts = Options {
        trials: args.trials as usize,
        seed: args.seed.unwrap_or(Options::default().seed),
    };
    match grade::grade(&problem, &args.answer, &opts) {
        Ok(g) => {
            if args.json {
                print_json(&grade_json(&g));
            } else {
                print_text(&g, &args.answer);
            }
            exit(if g.verdict == grade::Verdict::Correct {
                OK
            } else {
                NOT_OK
            })
        }
        Err(e) => invalid_problem(args.json, &e),
    }
}

pub fn grade_json(g: &Grade) -> Value {
    let mut v = json!({
        "verdict": g.verdict.code(),
        "message": g.message,
        // Choice exercises have no shape to expect.
        "expected_shape": (!g.expected_shape.is_empty()).then_some(&g.expected_shape),
        "answer_shape": g.answer_shape,
        "read_as": g.read_as,
        "diagnosis": g.diagnosis.map(Diagnosis::code),
        "trials": g.trials,
        "max_rel_error": g.max_rel_error,
    });
    if let Some(Diagnosis::Scale(c)) = g.diagnosis {
        v["scale"] = json!(c);
    }
    if let Some(e) = &g.error {
        v["error"] = error_json(e);
    }
    v
}

fn print_text(g: &Grade, answer: &str) {
    if let Some(r) = &g.read_as {
        let shape = g.answer_shape.as_deref().unwrap_or("?");
        say!("read as:  {r}   {shape}");
    }
    say!("expected: {}", g.expected_shape);
    // The message says "Correct: …" itself; the others get their verdict.
    if g.verdict == grade::Verdict::Correct {
        say!("{}", g.message);
    } else {
        say!("{}: {}", g.verdict.code().replace('_', " "), g.message);
    }
    if let Some(e) = &g.error {
        say!("{}", e.with_caret(answer));
    }
}

fn invalid_problem(json_out: bool, e: &ProblemError) -> ExitCode {
    if json_out {
        print_json(&json!({ "verdict": "invalid_problem", "message": e.message }));
    }
    eprintln!("nabla: invalid problem: {}", e.report());
    exit(BAD_INPUT)
}
