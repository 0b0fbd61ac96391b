//! `nabla derive F --wrt X --given DECLS [--steps] [--json]`: the derivative
//! worked out symbolically, simplified, with its shape and (on request) the
//! steps. Exit 0 on success, 2 for an invalid or unsupported problem.

use std::process::ExitCode;

use nabla_engine::calculus::ProblemError;
use nabla_engine::calculus::symbolic::derive;
use serde_json::json;

use super::args::DeriveArgs;
use super::output::{BAD_INPUT, OK, exit, print_json};

pub fn run(args: &DeriveArgs) -> ExitCode {
    let problem = match super::output::problem_from(
        &args.f,
        args.wrt.as_deref(),
        &args.given,
        args.layout.into(),
    ) {
        Ok(p) => p,
        Err(e) => return fail(args.json, &e),
    };
    let d = match derive(&problem) {
        Ok(d) => d,
        Err(message) => {
            return fail(
                args.json,
                &ProblemError {
                    message,
                    source: None,
                },
            );
        }
    };
    let shape = d.shape.to_string();
    if args.json {
        let mut v = json!({ "derivative": d.text, "shape": shape });
        if args.steps {
            v["steps"] = json!(d.steps);
        }
        print_json(&v);
    } else {
        say!("{}   {shape}", d.text);
        if args.steps {
            say!("steps:");
            for (i, s) in d.steps.iter().enumerate() {
                say!("{:>3}. {s}", i + 1);
            }
        }
    }
    exit(OK)
}

fn fail(json_out: bool, e: &ProblemError) -> ExitCode {
    if json_out {
        print_json(&json!({ "error": e.message }));
    }
    eprintln!("nabla: cannot derive: {}", e.report());
    exit(BAD_INPUT)
}
