//! `nabla show ID [--seed N] [--answer-key] [--json]`: one generated instance
//! of an exercise (and its answer key, `key_cmd`).

use std::process::ExitCode;

use nabla_engine::report;

use super::args::{Global, ShowArgs};
use super::output::{OK, course, exit, fail, print_json};

pub fn run(global: &Global, args: &ShowArgs) -> ExitCode {
    let course = match course(global) {
        Ok(c) => c,
        Err(e) => return fail(args.json, "", &e),
    };
    if args.json {
        let mut v = match report::exercise(&course, &args.id, args.seed) {
            Ok(v) => v,
            Err(e) => return fail(true, "", &e),
        };
        if args.answer_key {
            let seed = v["seed"].as_u64().unwrap_or_default();
            match super::key_cmd::show_key(&course, &args.id, seed) {
                Ok(k) => v["answer_key"] = serde_json::to_value(&k).unwrap_or_default(),
                Err(e) => return fail(true, "", &e),
            }
        }
        print_json(&v);
        return exit(OK);
    }
    let shown = match report::shown(&course, &args.id, args.seed) {
        Ok(s) => s,
        Err(e) => return fail(false, "", &e),
    };
    say!("{}  ({}, {})", shown.title, shown.id, shown.kind);
    say!("");
    say!("{}", shown.prompt);
    if !shown.given.is_empty() {
        say!("");
        let decls: Vec<String> = shown
            .given
            .iter()
            .map(|(n, s)| format!("{n}: {s}"))
            .collect();
        say!("given: {}", decls.join("; "));
    }
    if let Some(aliases) = &shown.aliases {
        let names: Vec<String> = aliases.iter().map(|(n, s)| format!("{n} = {s}")).collect();
        say!("names you may use: {}", names.join("; "));
    }
    if let (Some(f), Some(w)) = (&shown.f, &shown.wrt) {
        say!("f = {f}, by {w}");
    }
    if let Some(values) = &shown.values {
        for (name, rows) in values {
            say!("");
            print_matrix(name, rows);
        }
    }
    if let Some(forward) = &shown.forward {
        say!("\nforward pass:");
        for line in forward {
            say!("    {line}");
        }
    }
    if let Some(steps) = &shown.steps {
        say!("\nsteps (grade each with --step K):");
        for (i, s) in steps.iter().enumerate() {
            say!("    {}. {}   ({})", i + 1, s.prompt, s.expected_shape);
        }
    }
    if let Some(choices) = &shown.choices {
        say!("");
        for (i, c) in choices.iter().enumerate() {
            say!("  {}. {c}", i + 1);
        }
    }
    if let Some(shape) = &shown.expected_shape {
        say!("\nexpected shape: {shape}");
    }
    if args.answer_key {
        let seed = args
            .seed
            .unwrap_or(nabla_engine::lesson::instance::DEFAULT_SEED);
        match super::key_cmd::show_key(&course, &args.id, seed) {
            Ok(k) => super::key_cmd::print_key(&k),
            Err(e) => return fail(false, "", &e),
        }
    }
    exit(OK)
}

/// A small matrix in brackets, columns right-aligned.
pub fn print_matrix(name: &str, rows: &[Vec<f64>]) {
    use nabla_engine::render::grid::{brackets, number_cells};
    let (cells, widths) = number_cells(rows, nabla_engine::expr::print::format_number);
    let n = cells.len();
    let label = format!("{name} = ");
    for (i, r) in cells.iter().enumerate() {
        let (open, close) = brackets(n, i);
        let body: Vec<String> = r
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:>w$}"))
            .collect();
        let lead = if i == (n - 1) / 2 {
            label.clone()
        } else {
            " ".repeat(label.chars().count())
        };
        say!("{lead}{open} {} {close}", body.join("  "));
    }
}
