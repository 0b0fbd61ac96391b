//! `nabla list [--json]`: the lessons in order, each with its exercises.

use std::process::ExitCode;

use nabla_engine::lesson::exercise::Located;
use nabla_engine::report;

use super::args::{Global, JsonArgs};
use super::output::{OK, course, exit, fail, print_json};

pub fn run(global: &Global, args: &JsonArgs) -> ExitCode {
    let course = match course(global) {
        Ok(c) => c,
        Err(e) => return fail(args.json, "", &e),
    };
    if args.json {
        print_json(&report::list(&course));
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
