//! `nabla parse EXPR [--given DECLS] [--json]`: the read-back and the shape,
//! or the error with a caret under its span.

use std::process::ExitCode;

use nabla_engine::expr::{Decls, ExprError, compile, parse, print};
use serde_json::json;

use super::args::ParseArgs;
use super::output::{BAD_INPUT, NOT_OK, OK, error_json, exit, print_json};

pub fn run(args: &ParseArgs) -> ExitCode {
    let decls = match args.given.as_deref().map(Decls::parse).transpose() {
        Ok(d) => d,
        Err(e) => return bad_declarations(args, &e),
    };
    match compile(&args.expr, decls.as_ref()) {
        Ok(c) => {
            let shape = c.shape().to_string();
            if args.json {
                print_json(&json!({ "read_as": c.read_as, "shape": shape }));
            } else {
                say!("{}   {shape}", c.read_as);
                if decls.is_none() && shape.contains('?') {
                    say!("(declare names with --given \"A: m x n; x: n\" to see every size)");
                }
            }
            exit(OK)
        }
        Err(e) => {
            // A shape error still has a reading worth showing.
            let read_as = parse(&args.expr, decls.as_ref()).ok().map(|a| print(&a));
            if args.json {
                print_json(&json!({ "read_as": read_as, "shape": null, "error": error_json(&e) }));
            } else {
                if let Some(r) = &read_as {
                    say!("read as: {r}");
                }
                say!("{}", e.with_caret(&args.expr));
            }
            exit(NOT_OK)
        }
    }
}

fn bad_declarations(args: &ParseArgs, e: &ExprError) -> ExitCode {
    let given = args.given.as_deref().unwrap_or("");
    if args.json {
        print_json(&json!({
            "read_as": null,
            "shape": null,
            "error": { "message": format!("in --given: {}", e.message), "span": [e.span.start, e.span.end] },
        }));
    }
    eprintln!(
        "nabla: bad declarations in --given:\n{}",
        e.with_caret(given)
    );
    exit(BAD_INPUT)
}
