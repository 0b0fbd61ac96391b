//! `nabla check F --wrt X --given DECLS --answer ANSWER`: grades a derivative.
//! Exit 0 correct, 1 not correct, 2 the problem itself is invalid.

use std::process::ExitCode;

use nabla_engine::grade::{self, Grade};
use nabla_engine::report::{self, CheckRequest};

use super::args::CheckArgs;
use super::output::{NOT_OK, OK, exit, fail_with_verdict, print_json};

pub fn run(args: &CheckArgs) -> ExitCode {
    let req = CheckRequest {
        f: &args.f,
        wrt: args.wrt.as_deref(),
        given: &args.given,
        answer: &args.answer,
        layout: args.layout.into(),
        seed: args.seed,
        trials: Some(args.trials as usize),
    };
    let graded = if args.order == 2 {
        report::check_hessian_grade(&req)
    } else {
        report::check_grade(&req)
    };
    match graded {
        Ok(g) => {
            if args.json {
                print_json(&report::grade_json(&g));
            } else {
                print_text(&g, &args.answer);
            }
            exit(if g.verdict == grade::Verdict::Correct {
                OK
            } else {
                NOT_OK
            })
        }
        Err(e) => fail_with_verdict(args.json, "invalid problem", &e),
    }
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
