//! `nabla grade ID --answer ANSWER [--seed N] [--step K] [--json]`: grades an
//! answer to the instance `nabla show` gives for the same seed. Exit status as
//! for `check`.

use std::process::ExitCode;

use nabla_engine::grade::Verdict;
use nabla_engine::lesson::exercise::find;
use nabla_engine::lesson::grading::grade_answer;
use nabla_engine::lesson::instance::DEFAULT_SEED;
use serde_json::json;

use super::args::{Global, GradeArgs};
use super::check_cmd::grade_json;
use super::output::{BAD_INPUT, NOT_OK, OK, exit, load_course, print_json};

pub fn run(global: &Global, args: &GradeArgs) -> ExitCode {
    let course = load_course(global);
    let seed = args.seed.unwrap_or(DEFAULT_SEED);
    let step = args.step.map(|k| k as usize - 1);
    let outcome =
        find(&course, &args.id).and_then(|loc| grade_answer(loc, seed, &args.answer, step));
    let out = match outcome {
        Ok(o) => o,
        Err(m) => {
            if args.json {
                print_json(&json!({ "verdict": "invalid_problem", "message": m }));
            }
            eprintln!("nabla: {m}");
            return exit(BAD_INPUT);
        }
    };
    let g = &out.grade;
    if args.json {
        let mut v = grade_json(g);
        if let Some(f) = &out.feedback {
            v["feedback"] = json!(f);
            v["diagnosis"] = json!("known_mistake");
        }
        if !out.wrong_entries.is_empty() {
            v["wrong_entries"] = json!(
                out.wrong_entries
                    .iter()
                    .map(|(i, j)| [i, j])
                    .collect::<Vec<_>>()
            );
        }
        print_json(&v);
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
