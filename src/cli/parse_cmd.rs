//! `nabla parse EXPR [--given DECLS] [--json]`: the read-back and the shape,
//! or the error with a caret under its span.

use std::process::ExitCode;

use nabla_engine::expr::{Decls, compile, parse, print};
use nabla_engine::report;

use super::args::ParseArgs;
use super::output::{NOT_OK, OK, exit, fail, print_json};

pub fn run(args: &ParseArgs) -> ExitCode {
    if args.json {
        return match report::parse(&args.expr, args.given.as_deref()) {
            Ok(v) => {
                print_json(&v);
                exit(if v.get("error").is_some() { NOT_OK } else { OK })
            }
            Err(e) => fail(true, "bad declarations", &e),
        };
    }
    let decls = match args.given.as_deref().map(Decls::parse).transpose() {
        Ok(d) => d,
        // The same failure report::parse gives, for its message and caret.
        Err(_) => {
            let e = report::parse(&args.expr, args.given.as_deref())
                .expect_err("the declarations fail to parse there too");
            return fail(false, "bad declarations", &e);
        }
    };
    match compile(&args.expr, decls.as_ref()) {
        Ok(c) => {
            let shape = c.shape().to_string();
            say!("{}   {shape}", c.read_as);
            if decls.is_none() && shape.contains('?') {
                say!("(declare names with --given \"A: m x n; x: n\" to see every size)");
            }
            exit(OK)
        }
        Err(e) => {
            if let Ok(a) = parse(&args.expr, decls.as_ref()) {
                say!("read as: {}", print(&a));
            }
            say!("{}", e.with_caret(&args.expr));
            exit(NOT_OK)
        }
    }
}
