//! `nabla derive F --wrt X --given DECLS [--steps] [--json]`: the derivative
//! worked out symbolically, simplified, with its shape and (on request) the
//! steps. Exit 0 on success, 2 for an invalid or unsupported problem.

use std::process::ExitCode;

use nabla_engine::report;

use super::args::DeriveArgs;
use super::output::{OK, exit, fail, print_json};

pub fn run(args: &DeriveArgs) -> ExitCode {
    let derived = if args.order == 2 {
        report::derive_hessian(&args.f, args.wrt.as_deref(), &args.given, args.steps)
    } else {
        report::derive(
            &args.f,
            args.wrt.as_deref(),
            &args.given,
            args.layout.into(),
            args.steps,
        )
    };
    let v = match derived {
        Ok(v) => v,
        Err(e) => return fail(args.json, "cannot derive", &e),
    };
    if args.json {
        print_json(&v);
    } else {
        let text = |k: &str| v[k].as_str().unwrap_or_default().to_string();
        say!("{}   {}", text("derivative"), text("shape"));
        if let Some(steps) = v["steps"].as_array() {
            say!("steps:");
            for (i, s) in steps.iter().enumerate() {
                say!("{:>3}. {}", i + 1, s.as_str().unwrap_or_default());
            }
        }
    }
    exit(OK)
}
