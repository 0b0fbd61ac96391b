//! `nabla grade ID --answer ANSWER [--seed N] [--step K] [--json]`: grades an
//! answer to the instance `nabla show` gives for the same seed. Exit status as
//! for `check`.

use std::process::ExitCode;

use nabla_engine::grade::Verdict;

use super::args::{Global, GradeArgs};
use nabla_engine::report;

use super::output::{NOT_OK, OK, course, exit, fail_with_verdict, print_json};

pub fn run(global: &Global, args: &GradeArgs) -> ExitCode {
    let course = match course(global) {
        Ok(c) => c,
        Err(e) => return fail_with_verdict(args.json, "", &e),
    };
    let step = args.step.map(|k| k as usize - 1);
    let out = match report::grade_outcome(&course, &args.id, args.seed, &args.answer, step) {
        Ok(o) => o,
        Err(e) => return fail_with_verdict(args.json, "", &e),
    };
    let g = &out.grade;
    if args.json {
        print_json(&report::outcome_json(&out));
    } else {
        if let Some(r) = &g.read_as {
            say!("read as:  {r}");
        }
        if g.verdict == Verdict::Correct {
            say!("{}", g.message);
        } else {
            say!("{}: {}", g.verdict.code().replace('_', " "), g.message);
        }
        if let Some(e) = &g.error {
            say!("{}", e.with_caret(&args.answer));
        }
        if let Some(f) = &out.feedback {
            say!("{}", nabla_engine::lesson::instance::plain(f));
        }
    }
    exit(if g.verdict == Verdict::Correct {
        OK
    } else {
        NOT_OK
    })
}
