//! `nabla list [--json]`: the lessons in order, each with its exercises.

use std::process::ExitCode;

use nabla_engine::lesson::exercise::Located;
use serde_json::json;

use super::args::{Global, JsonArgs};
use super::output::{OK, exit, load_course, print_json};

pub fn run(global: &Global, args: &JsonArgs) -> ExitCode {
    let course = load_course(global);
    if args.json {
        let lessons: Vec<_> = course
            .lessons
            .iter()
            .map(|l| {
                let exercises: Vec<_> = l
                    .data
                    .exercises
                    .iter()
                    .map(|ex| {
                        let loc = Located { lesson: l, ex };
                        json!({ "id": loc.id(), "kind": ex.kind.get_ref(), "title": ex.title.get_ref() })
                    })
                    .collect();
                json!({
                    "id": l.id(),
                    "title": l.title(),
                    "order": l.data.order,
                    "summary": l.data.summary.as_ref().map(|s| s.get_ref()),
                    "exercises": exercises,
                })
            })
            .collect();
        print_json(&json!({ "lessons": lessons }));
        return exit(OK);
    }
    for l in &course.lessons {
        say!("{}  {}", l.id(), l.title());
        for ex in &l.data.exercises {
            let loc = Located { lesson: l, ex };
            say!(
                "    {:<44} {:<9} {}",
                loc.id(),
                ex.kind.get_ref(),
                ex.title.get_ref()
            );
        }
        say!("");
    }
    exit(OK)
}
