//! Answer keys: `nabla show ID --seed S --answer-key [--json]` (one
//! instance) and `nabla key ASSIGNMENT --student ID [--json]` (a student's
//! instances of every exercise of an assignment, with their seeds).

use std::process::ExitCode;

use nabla_engine::classroom::key::{Key, key};
use nabla_engine::lesson::Course;
use nabla_engine::lesson::exercise::find;
use nabla_engine::report::{Failure, FailureKind};
use serde_json::json;

use super::args::{Global, KeyArgs};
use super::assignment_cmd::load;
use super::output::{OK, exit, fail, print_json};

/// The key of one instance, as `show --answer-key` prints it under the instance.
pub fn show_key(course: &Course, id: &str, seed: u64) -> Result<Key, Failure> {
    let loc = find(course, id).map_err(|m| Failure::new(FailureKind::UnknownExercise, m))?;
    key(loc, seed).map_err(|m| Failure::new(FailureKind::InvalidExercise, m))
}

pub fn print_key(k: &Key) {
    say!("\nanswer key (seed {}):", k.seed);
    if let Some(a) = &k.answer {
        match &k.choice {
            Some(c) => say!("  answer: {a}. {c}"),
            None => say!("  answer: {a}"),
        }
    }
    if let Some(values) = &k.values {
        for (name, rows) in values {
            super::show_cmd::print_matrix(&format!("  {name}"), rows);
        }
    }
    if let Some(numbers) = &k.numbers {
        super::show_cmd::print_matrix("  expected", numbers);
    }
    for (i, s) in k.steps.iter().flatten().enumerate() {
        say!("  step {}, by {}: {}", i + 1, s.wrt, s.answer);
        for m in &s.mistakes {
            say!("      mistake {}: {}", m.answer, m.feedback);
        }
    }
    for m in &k.mistakes {
        say!("  mistake {}: {}", m.answer, m.feedback);
    }
}

pub fn run(global: &Global, args: &KeyArgs) -> ExitCode {
    let (course, a) = match load(global, &args.assignment, &args.student) {
        Ok(x) => x,
        Err(e) => return fail(args.json, "", &e),
    };
    let mut keys = Vec::new();
    for (item, loc) in a.located(&course) {
        let seed = a.seed(&args.student, &item.id);
        let k = loc.and_then(|l| key(l, seed));
        match k {
            Ok(k) => keys.push((item, k)),
            Err(m) => {
                let e = Failure::new(FailureKind::InvalidExercise, format!("{}: {m}", item.id));
                return fail(args.json, "", &e);
            }
        }
    }
    if args.json {
        let exercises: Vec<serde_json::Value> = keys
            .iter()
            .map(|(item, k)| {
                let mut v = serde_json::to_value(k).unwrap_or_default();
                v["points"] = json!(item.points);
                v
            })
            .collect();
        print_json(&json!({
            "schema_version": nabla_engine::classroom::export::SCHEMA_VERSION,
            "title": a.title,
            "assignment": a.hash,
            "student": args.student,
            "attempts": a.attempts,
            "exercises": exercises,
        }));
        return exit(OK);
    }
    say!(
        "{} — answer key for {} (assignment {})",
        a.title,
        args.student,
        a.hash
    );
    for (item, k) in &keys {
        say!(
            "\n{} ({}, {} point{}): {}",
            k.id,
            k.kind,
            item.points,
            if item.points == 1.0 { "" } else { "s" },
            k.title
        );
        say!("  nabla show {} --seed {}", k.id, k.seed);
        print_key(k);
    }
    exit(OK)
}
