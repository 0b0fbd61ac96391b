//! Lessons from the command line (shared contract cli.md, "Lessons, without
//! the TUI"): `nabla list`, `show`, `grade`, `--lessons DIR` and
//! `nabla new lesson`, run against the real binary. Every exercise of the
//! built-in course is shown and graded through the binary; the reference
//! answers and the expected numbers come from the library, which reads the
//! same lesson files.

mod common;

use common::cli::nabla;
use common::literal;

use std::collections::BTreeSet;
use std::path::PathBuf;

use nabla::expr::{compile, eval};
use nabla::lesson::exercise::{self, Located};
use nabla::lesson::grading::{read_choice, shown_choice};
use nabla::lesson::instance::{DEFAULT_SEED, compute_instance};
use nabla::lesson::{Course, Kind, load};
use nalgebra::DMatrix;
use serde_json::Value;

/// Runs `nabla ARGS... --json`: (exit code, the one JSON object on stdout).
fn json(args: &[&str]) -> (i32, Value) {
    let mut all = args.to_vec();
    all.push("--json");
    let (code, out, err) = nabla(&all);
    let value = serde_json::from_str(out.trim())
        .unwrap_or_else(|e| panic!("nabla {all:?}: not one JSON object ({e}):\n{out}\n{err}"));
    (code, value)
}

/// `nabla grade ID --answer ANSWER --seed SEED [--step K] --json`.
fn grade(id: &str, answer: &str, seed: u64, step: Option<usize>) -> (i32, Value) {
    let seed = seed.to_string();
    let step = step.map(|k| k.to_string());
    let mut args = vec!["grade", id, "--answer", answer, "--seed", &seed];
    if let Some(k) = &step {
        args.extend(["--step", k]);
    }
    json(&args)
}

fn course() -> Course {
    let c = load::builtin();
    assert!(c.errors.is_empty(), "{:?}", c.errors);
    c
}

/// The exercises of the course of a kind.
fn of_kind(course: &Course, kind: Kind) -> Vec<Located<'_>> {
    exercise::all(course)
        .into_iter()
        .filter(|l| l.kind() == Ok(kind))
        .collect()
}

fn close(a: &DMatrix<f64>, b: &DMatrix<f64>) -> bool {
    a.shape() == b.shape()
        && a.iter()
            .zip(b.iter())
            .all(|(x, y)| (x - y).abs() <= 1e-6 * y.abs().max(1.0))
}

/// An exercise as `nabla list --json` gives it: id, kind, title.
type Listed = (String, String, String);

/// Each lesson id with its exercises, as `nabla list --json` gives them.
fn listed() -> Vec<(String, Vec<Listed>)> {
    let (code, v) = json(&["list"]);
    assert_eq!(code, 0);
    v["lessons"]
        .as_array()
        .expect("lessons is a list")
        .iter()
        .map(|l| {
            let exercises = l["exercises"]
                .as_array()
                .expect("exercises is a list")
                .iter()
                .map(|e| {
                    let s = |k: &str| e[k].as_str().unwrap_or_else(|| panic!("{k} in {e}"));
                    (
                        s("id").to_string(),
                        s("kind").to_string(),
                        s("title").to_string(),
                    )
                })
                .collect();
            (
                l["id"].as_str().expect("a lesson id").to_string(),
                exercises,
            )
        })
        .collect()
}

// ---------------------------------------------------------------- list

#[test]
fn list_json_gives_the_lessons_in_order_with_their_exercises() {
    let listed = listed();
    let ids: Vec<&str> = listed.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "notation",
            "scalar-by-vector",
            "vector-by-vector",
            "scalar-by-matrix",
            "chain-rule",
            "backprop"
        ]
    );
    let course = course();
    let mut kinds = BTreeSet::new();
    for ((lesson_id, exercises), lesson) in listed.iter().zip(&course.lessons) {
        assert_eq!(lesson_id, lesson.id());
        let from_file: Vec<Listed> = lesson
            .data
            .exercises
            .iter()
            .map(|e| {
                (
                    format!("{}/{}", lesson.id(), e.id.get_ref()),
                    e.kind.get_ref().clone(),
                    e.title.get_ref().clone(),
                )
            })
            .collect();
        assert_eq!(exercises, &from_file, "lesson {lesson_id}, in file order");
        kinds.extend(exercises.iter().map(|(_, k, _)| k.clone()));
    }
    // The built-in course exercises every kind.
    assert_eq!(
        kinds,
        ["backprop", "choice", "compute", "derive", "shape"]
            .map(String::from)
            .into()
    );
    // Lessons carry their title and order too.
    let (_, v) = json(&["list"]);
    let first = &v["lessons"][0];
    assert_eq!(first["title"], "Notation and layouts");
    assert!(first["order"].is_i64());
}

#[test]
fn list_text_names_every_exercise_with_its_kind_and_title() {
    let (code, out, _) = nabla(&["list"]);
    assert_eq!(code, 0);
    for (lesson, exercises) in listed() {
        assert!(out.contains(&lesson), "{lesson} missing");
        for (id, kind, title) in exercises {
            let line = out
                .lines()
                .find(|l| l.split_whitespace().next() == Some(id.as_str()))
                .unwrap_or_else(|| panic!("no line for {id}:\n{out}"));
            assert!(line.contains(&kind) && line.contains(&title), "{line}");
        }
    }
}

// ---------------------------------------------------------------- show

#[test]
fn show_is_the_same_for_a_seed_and_differs_for_another() {
    let id = "scalar-by-vector/l2-compute";
    let (c1, a, _) = nabla(&["show", id, "--seed", "3", "--json"]);
    let (c2, b, _) = nabla(&["show", id, "--seed", "3", "--json"]);
    assert_eq!((c1, c2), (0, 0));
    assert_eq!(a, b, "the same seed gives the same instance");
    let values = |seed: u64| {
        let (_, v) = json(&["show", id, "--seed", &seed.to_string()]);
        v["values"].clone()
    };
    let three = values(3);
    assert!(
        (4..10).any(|s| values(s) != three),
        "other seeds give other numbers"
    );
    // Without --seed, the default seed.
    let (_, default) = json(&["show", id]);
    assert_eq!(default["values"], values(DEFAULT_SEED));
    // The text form is deterministic too.
    let (_, t1, _) = nabla(&["show", id, "--seed", "3"]);
    let (_, t2, _) = nabla(&["show", id, "--seed", "3"]);
    assert_eq!(t1, t2);
    assert!(t1.contains("The L2 gradient, in numbers"), "{t1}");
}

#[test]
fn show_json_has_the_contract_fields_for_every_exercise() {
    let course = course();
    let all = exercise::all(&course);
    assert_eq!(
        all.len(),
        listed().iter().map(|(_, e)| e.len()).sum::<usize>()
    );
    for loc in all {
        let id = loc.id();
        let kind = loc.kind().unwrap();
        let (code, v) = json(&["show", &id, "--seed", "2"]);
        assert_eq!(code, 0, "{id}: {v}");
        assert_eq!(v["id"], id.as_str());
        assert_eq!(v["lesson"], loc.lesson.id());
        assert_eq!(v["kind"], kind.name());
        let prompt = v["prompt"].as_str().expect("a prompt");
        assert!(!prompt.trim().is_empty(), "{id}");
        // Plain text: the LaTeX is drawn, not shown raw.
        assert!(!prompt.contains("\\mathbf"), "{id}: {prompt}");
        assert!(v["given"].is_object(), "{id}");
        let has = |k: &str| v.get(k).is_some_and(|x| !x.is_null());
        match kind {
            Kind::Derive | Kind::Compute | Kind::Shape => {
                assert!(has("f") && has("wrt"), "{id}: f and wrt");
            }
            Kind::Backprop => assert!(has("f") && has("forward") && has("steps"), "{id}"),
            Kind::Choice => {}
        }
        assert_eq!(has("values"), kind == Kind::Compute, "{id}: values");
        assert_eq!(has("choices"), kind == Kind::Choice, "{id}: choices");
        assert_eq!(
            has("expected_shape"),
            matches!(kind, Kind::Derive | Kind::Compute),
            "{id}: expected_shape (a shape exercise must not give it away)"
        );
        if kind == Kind::Compute {
            let values = v["values"].as_object().unwrap();
            let names: Vec<&String> = v["given"].as_object().unwrap().keys().collect();
            assert_eq!(values.keys().collect::<Vec<_>>(), names, "{id}");
            for rows in values.values() {
                let rows = rows.as_array().unwrap();
                assert!(!rows.is_empty());
                let width = rows[0].as_array().unwrap().len();
                for r in rows {
                    let r = r.as_array().unwrap();
                    assert_eq!(r.len(), width, "{id}: a rectangular matrix");
                    assert!(r.iter().all(Value::is_number));
                }
            }
        }
        if kind == Kind::Choice {
            assert_eq!(
                v["choices"].as_array().unwrap().len(),
                loc.ex.choices.len(),
                "{id}"
            );
        }
        if kind == Kind::Backprop {
            let steps = v["steps"].as_array().unwrap();
            assert_eq!(steps.len(), loc.ex.steps.len(), "{id}");
            for s in steps {
                assert!(s["wrt"].is_string() && s["expected_shape"].is_string());
            }
        }
    }
}

#[test]
fn show_of_an_unknown_exercise_exits_2_and_says_what_exists() {
    let (code, _, err) = nabla(&["show", "notation/no-such-thing"]);
    assert_eq!(code, 2);
    assert!(err.contains("gradient-shape"), "{err}");
    let (code, _, err) = nabla(&["show", "no-such-lesson/x"]);
    assert_eq!(code, 2);
    assert!(err.contains("scalar-by-vector"), "{err}");
    let (code, _, err) = nabla(&["show", "just-a-word"]);
    assert_eq!(code, 2);
    assert!(err.contains("LESSON/EXERCISE"), "{err}");
}

// ---------------------------------------------------------------- grade, by kind

#[test]
fn every_derive_exercise_grades_its_answer_correct_and_its_mistakes_with_feedback() {
    let course = course();
    let exercises = of_kind(&course, Kind::Derive);
    assert!(!exercises.is_empty());
    for loc in exercises {
        let id = loc.id();
        let answer = loc.ex.answer.as_ref().expect("a reference answer");
        let (code, v) = grade(&id, answer.get_ref(), DEFAULT_SEED, None);
        assert_eq!(
            (code, v["verdict"].as_str()),
            (0, Some("correct")),
            "{id}: {v}"
        );
        assert!(
            v["diagnosis"].is_null() && v.get("feedback").is_none(),
            "{id}: {v}"
        );
        for m in &loc.ex.mistakes {
            let (code, v) = grade(&id, m.answer.get_ref(), DEFAULT_SEED, None);
            assert_eq!(code, 1, "{id}: mistake {}: {v}", m.answer.get_ref());
            assert_eq!(v["diagnosis"], "known_mistake", "{id}: {v}");
            assert_eq!(v["feedback"], m.feedback.get_ref().as_str(), "{id}");
        }
    }
}

#[test]
fn every_compute_exercise_grades_the_numbers_and_points_at_wrong_entries() {
    let course = course();
    let exercises = of_kind(&course, Kind::Compute);
    assert!(!exercises.is_empty());
    for loc in exercises {
        let id = loc.id();
        let p = exercise::problem(loc.ex).unwrap();
        for seed in [DEFAULT_SEED, 7] {
            let inst = compute_instance(&p, loc.ex, seed).unwrap();
            let expected = p.derivative(&inst).unwrap();
            let (r, c) = expected.shape();

            // The numbers `nabla show` displays are the instance's.
            let (_, shown) = json(&["show", &id, "--seed", &seed.to_string()]);
            for (d, value) in p.decls.entries.iter().zip(&inst.values) {
                let rows = &shown["values"][&d.name];
                assert_eq!(rows[0][0].as_f64(), Some(value[(0, 0)]), "{id} {}", d.name);
            }
            assert_eq!(shown["expected_shape"], format!("{r}×{c}"));

            let (code, v) = grade(&id, &literal(&expected), seed, None);
            assert_eq!(
                (code, v["verdict"].as_str()),
                (0, Some("correct")),
                "{id}: {v}"
            );

            // One wrong entry, the last: reported 1-based.
            let mut wrong = expected.clone();
            wrong[(r - 1, c - 1)] += 10.0 * (1.0 + expected[(r - 1, c - 1)].abs());
            let (code, v) = grade(&id, &literal(&wrong), seed, None);
            assert_eq!(code, 1, "{id}: {v}");
            assert_eq!(v["verdict"], "incorrect", "{id}: {v}");
            assert_eq!(v["wrong_entries"], serde_json::json!([[r, c]]), "{id}: {v}");

            // The transpose, the layout slip.
            let t = expected.transpose();
            if (r, c) != (1, 1) && !close(&t, &expected) {
                let (code, v) = grade(&id, &literal(&t), seed, None);
                assert_eq!(code, 1, "{id}: {v}");
                // A lesson that lists the slip as a known mistake gives its
                // feedback instead; the message still names the transpose.
                let message = v["message"].as_str().unwrap();
                assert!(
                    v["diagnosis"] == "transpose"
                        || (v["diagnosis"] == "known_mistake" && message.contains("transpose")),
                    "{id}: {v}"
                );
                let verdict = if r == c { "incorrect" } else { "wrong_shape" };
                assert_eq!(v["verdict"], verdict, "{id}: {v}");
            }

            // Known mistakes, as the numbers they give on this instance.
            for m in &loc.ex.mistakes {
                let Ok(mc) = compile(m.answer.get_ref(), Some(&p.decls)) else {
                    continue; // a mistake typed as numbers
                };
                let value = eval(&mc.typed, &inst.sizes, &inst.values).unwrap();
                if close(&value, &expected) {
                    continue; // no different on this instance
                }
                // Whatever its shape: a row typed for a column gets the
                // lesson's feedback too (notation/literal-practice has one).
                let (code, v) = grade(&id, &literal(&value), seed, None);
                assert_eq!(code, 1, "{id}: {v}");
                assert_eq!(v["diagnosis"], "known_mistake", "{id}: {v}");
                assert_eq!(v["feedback"], m.feedback.get_ref().as_str(), "{id}");
            }
        }
    }
}

#[test]
fn a_compute_answer_that_is_not_numbers_is_invalid() {
    let (code, v) = grade("scalar-by-vector/l2-compute", "2 (x - a)", 3, None);
    assert_eq!(code, 1);
    assert_eq!(v["verdict"], "invalid_answer");
    assert!(v["message"].as_str().unwrap().contains("numbers"), "{v}");
}

#[test]
fn every_shape_exercise_grades_its_shape_correct() {
    let course = course();
    let exercises = of_kind(&course, Kind::Shape);
    assert!(!exercises.is_empty());
    for loc in exercises {
        let id = loc.id();
        let answer = loc.ex.answer.as_ref().expect("a reference shape");
        let (code, v) = grade(&id, answer.get_ref(), DEFAULT_SEED, None);
        assert_eq!(
            (code, v["verdict"].as_str()),
            (0, Some("correct")),
            "{id}: {v}"
        );
        let expected = exercise::problem(loc.ex).unwrap().expected;
        assert_eq!(v["expected_shape"], expected.to_string(), "{id}");
        for m in &loc.ex.mistakes {
            let (code, v) = grade(&id, m.answer.get_ref(), DEFAULT_SEED, None);
            assert_eq!(code, 1, "{id}: {v}");
            assert_eq!(v["diagnosis"], "known_mistake", "{id}: {v}");
            assert_eq!(v["feedback"], m.feedback.get_ref().as_str(), "{id}");
        }
    }
}

#[test]
fn every_choice_exercise_grades_its_number_correct_and_its_mistakes_with_feedback() {
    let course = course();
    let exercises = of_kind(&course, Kind::Choice);
    assert!(!exercises.is_empty());
    for loc in exercises {
        let id = loc.id();
        let count = loc.ex.choices.len();
        // The file numbers the choices as written; a student types the
        // number the instance shows.
        let shown = |file: &str| {
            let n = read_choice(file, count).expect("a choice number");
            shown_choice(loc.ex, DEFAULT_SEED, n).unwrap().to_string()
        };
        let answer = loc.ex.answer.as_ref().expect("a reference choice");
        let (code, v) = grade(&id, &shown(answer.get_ref()), DEFAULT_SEED, None);
        assert_eq!(
            (code, v["verdict"].as_str()),
            (0, Some("correct")),
            "{id}: {v}"
        );
        for m in &loc.ex.mistakes {
            let (code, v) = grade(&id, &shown(m.answer.get_ref()), DEFAULT_SEED, None);
            assert_eq!(code, 1, "{id}: {v}");
            assert_eq!(v["verdict"], "incorrect", "{id}: {v}");
            assert_eq!(v["diagnosis"], "known_mistake", "{id}: {v}");
            assert_eq!(v["feedback"], m.feedback.get_ref().as_str(), "{id}");
        }
        // A number that is not a choice is not an answer.
        let beyond = (count + 1).to_string();
        let (code, v) = grade(&id, &beyond, DEFAULT_SEED, None);
        assert_eq!(
            (code, v["verdict"].as_str()),
            (1, Some("invalid_answer")),
            "{id}"
        );
    }
}

#[test]
fn choices_come_in_an_order_of_their_own_per_instance_and_grade_as_shown() {
    let course = course();
    let exercises = of_kind(&course, Kind::Choice);
    let mut moved = 0;
    for loc in &exercises {
        let id = loc.id();
        let right = read_choice(
            loc.ex.answer.as_ref().unwrap().get_ref(),
            loc.ex.choices.len(),
        )
        .unwrap();
        let text = loc.ex.choices[right - 1].get_ref();
        let mut places = BTreeSet::new();
        for seed in 1..=12u64 {
            // `show` lists the choices in the instance's order, and the
            // right one's place there is what grades correct.
            let v = json(&["show", &id, "--seed", &seed.to_string()]).1;
            let listed: Vec<&str> = v["choices"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c.as_str().unwrap())
                .collect();
            let place = shown_choice(loc.ex, seed, right).unwrap();
            assert_eq!(
                listed[place - 1],
                nabla::lesson::instance::plain(text),
                "{id} {seed}"
            );
            let (code, g) = grade(&id, &place.to_string(), seed, None);
            assert_eq!(
                (code, g["verdict"].as_str()),
                (0, Some("correct")),
                "{id} {seed}: {g}"
            );
            places.insert(place);
        }
        if places.len() > 1 {
            moved += 1;
        }
    }
    assert_eq!(
        moved,
        exercises.len(),
        "the right choice moves between instances"
    );
}

#[test]
fn every_backprop_step_grades_its_answer_correct_and_its_mistakes_with_feedback() {
    let course = course();
    let exercises = of_kind(&course, Kind::Backprop);
    assert!(!exercises.is_empty());
    for loc in exercises {
        let id = loc.id();
        assert!(!loc.ex.steps.is_empty(), "{id}");
        for (i, s) in loc.ex.steps.iter().enumerate() {
            let k = i + 1;
            let (code, v) = grade(&id, s.answer.get_ref(), DEFAULT_SEED, Some(k));
            assert_eq!(
                (code, v["verdict"].as_str()),
                (0, Some("correct")),
                "{id} step {k}: {v}"
            );
            for m in &s.mistakes {
                let (code, v) = grade(&id, m.answer.get_ref(), DEFAULT_SEED, Some(k));
                assert_eq!(code, 1, "{id} step {k}: {v}");
                assert_eq!(v["diagnosis"], "known_mistake", "{id} step {k}: {v}");
                assert_eq!(v["feedback"], m.feedback.get_ref().as_str());
            }
        }
        // Steps are numbered from 1; past the last is a bad command line.
        let past = (loc.ex.steps.len() + 1).to_string();
        let (code, out, err) = nabla(&["grade", &id, "--answer", "x", "--step", &past]);
        assert_eq!(code, 2, "{out}");
        assert!(err.contains("there is no step"), "{err}");
    }
}

#[test]
fn grading_a_backprop_exercise_without_a_step_exits_2_and_says_so() {
    let id = "backprop/two-layer-classifier";
    let (code, out, err) = nabla(&["grade", id, "--answer", "p - y"]);
    assert_eq!(code, 2, "{out}");
    assert!(err.contains("--step"), "{err}");
    let (code, v) = json(&["grade", id, "--answer", "p - y"]);
    assert_eq!(code, 2);
    assert_eq!(v["verdict"], "invalid_problem");
    assert!(v["message"].as_str().unwrap().contains("--step"), "{v}");
    // Step 0 does not exist: steps count from 1.
    let (code, _, _) = nabla(&["grade", id, "--answer", "p - y", "--step", "0"]);
    assert_eq!(code, 2);
}

#[test]
fn earlier_steps_are_available_as_d_names() {
    // Step 2 of the classifier: dz2 is the answer of step 1.
    let id = "backprop/two-layer-classifier";
    let (code, v) = grade(id, "dz2 a1'", DEFAULT_SEED, Some(2));
    assert_eq!((code, v["verdict"].as_str()), (0, Some("correct")), "{v}");
    let (code, v) = grade(id, "(p - y) a1'", DEFAULT_SEED, Some(2));
    assert_eq!((code, v["verdict"].as_str()), (0, Some("correct")), "{v}");
}

/// Messages call F what the exercise calls it (`name`): "the Jacobian of
/// y by x", and a backprop step's loss "the loss"; without a name, F.
#[test]
fn messages_call_the_function_what_the_exercise_calls_it() {
    let (_, v) = grade("vector-by-vector/affine-jacobian", "A'", 1, None);
    let message = v["message"].as_str().unwrap();
    assert!(message.contains("the Jacobian of y by x"), "{message}");
    assert!(!message.contains(" F "), "{message}");
    let (_, v) = grade("vector-by-vector/sigmoid-jacobian", "ones(n)", 1, None);
    let message = v["message"].as_str().unwrap();
    assert!(message.contains("the Jacobian of F by x"), "{message}");
    // An answer undefined where the function is fine names it too.
    let (_, v) = grade("scalar-by-vector/quadratic-form", "log(x) + 2 A x", 1, None);
    let message = v["message"].as_str().unwrap();
    assert!(message.contains("not defined everywhere f is"), "{message}");
}

#[test]
fn grade_exit_statuses_are_those_of_check() {
    let id = "scalar-by-vector/quadratic-form";
    let (code, out, _) = nabla(&["grade", id, "--answer", "(A + A') x"]);
    assert_eq!(code, 0);
    assert!(out.contains("Correct"), "{out}");
    // A wrong answer: 1, with the lesson's feedback in the text output.
    let (code, out, _) = nabla(&["grade", id, "--answer", "2 A x"]);
    assert_eq!(code, 1);
    assert!(out.contains("symmetric"), "{out}");
    // An answer that does not parse: 1, invalid_answer, with a caret.
    let (code, v) = json(&["grade", id, "--answer", "(A + A'"]);
    assert_eq!((code, v["verdict"].as_str()), (1, Some("invalid_answer")));
    assert!(v["error"]["span"].is_array(), "{v}");
    // A leading minus is an answer, not a flag.
    let (code, v) = json(&["grade", id, "--answer", "-(A + A') x"]);
    assert_eq!(code, 1);
    assert_eq!(v["diagnosis"], "sign", "{v}");
    // No such exercise: 2, and with --json the invalid_problem object.
    let (code, v) = json(&["grade", "scalar-by-vector/nope", "--answer", "x"]);
    assert_eq!(code, 2);
    assert_eq!(v["verdict"], "invalid_problem");
    // A missing --answer is a bad command line.
    let (code, _, _) = nabla(&["grade", id]);
    assert_eq!(code, 2);
}

#[test]
fn an_exercise_of_every_kind_is_shown_and_graded_in_text_too() {
    let course = course();
    for kind in Kind::ALL {
        let loc = of_kind(&course, kind)[0];
        let id = loc.id();
        let (code, out, _) = nabla(&["show", &id]);
        assert_eq!(code, 0, "{id}");
        assert!(
            out.contains(loc.ex.title.get_ref().as_str()),
            "{id}:\n{out}"
        );
        let (answer, step) = match kind {
            Kind::Backprop => (loc.ex.steps[0].answer.get_ref().clone(), Some("1")),
            Kind::Compute => {
                let p = exercise::problem(loc.ex).unwrap();
                let inst = compute_instance(&p, loc.ex, DEFAULT_SEED).unwrap();
                (literal(&p.derivative(&inst).unwrap()), None)
            }
            _ => (loc.ex.answer.as_ref().unwrap().get_ref().clone(), None),
        };
        let mut args = vec!["grade", id.as_str(), "--answer", answer.as_str()];
        if let Some(k) = step {
            args.extend(["--step", k]);
        }
        let (code, out, err) = nabla(&args);
        assert_eq!(code, 0, "{id}: {out}{err}");
        assert!(out.contains("Correct"), "{id}: {out}");
    }
}

// ---------------------------------------------------------------- --lessons DIR and new

/// A fresh, empty folder under the system's temporary directory.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("nabla-cli-lessons-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const ONE_LESSON: &str = r#"format = 1
id = "dot-products"
title = "Dot products"
order = 1

[[section]]
title = "The idea"
body = 'The gradient of $\mathbf{b}^T\mathbf{x}$ is $\mathbf{b}$.'

[[exercise]]
id = "linear"
kind = "derive"
title = "A linear function"
prompt = 'Find $\nabla_{\mathbf{x}} \mathbf{b}^T\mathbf{x}$.'
given = { b = "n", x = "n" }
f = "b' x"
wrt = "x"
answer = "b"
hints = ["Write it as a sum."]
solution = 'Each $x_i$ appears once, times $b_i$.'

[[exercise.mistake]]
answer = "b'"
feedback = "A row: the gradient has the shape of x."
"#;

#[test]
fn lessons_dir_with_no_builtin_replaces_the_built_in_course() {
    let dir = scratch("folder");
    std::fs::write(dir.join("dots.toml"), ONE_LESSON).unwrap();
    // Not a lesson file: ignored.
    std::fs::write(dir.join("notes.txt"), "not a lesson").unwrap();
    let d = dir.to_str().unwrap();
    let (code, v) = json(&["--no-builtin", "--lessons", d, "list"]);
    assert_eq!(code, 0);
    let lessons = v["lessons"].as_array().unwrap();
    assert_eq!(lessons.len(), 1, "{v}");
    assert_eq!(lessons[0]["id"], "dot-products");
    assert_eq!(lessons[0]["exercises"][0]["id"], "dot-products/linear");
    assert_eq!(lessons[0]["exercises"][0]["kind"], "derive");
    // The option may also follow the subcommand.
    let (_, text, _) = nabla(&["list", "--no-builtin", "--lessons", d]);
    assert!(text.contains("dot-products/linear") && !text.contains("scalar-by-vector"));
    // And show, grade and lint use that course.
    let (code, v) = json(&[
        "--no-builtin",
        "--lessons",
        d,
        "show",
        "dot-products/linear",
    ]);
    assert_eq!(code, 0);
    assert_eq!(v["lesson"], "dot-products");
    let (code, v) = json(&[
        "--lessons",
        d,
        "grade",
        "dot-products/linear",
        "--answer",
        "b",
    ]);
    assert_eq!((code, v["verdict"].as_str()), (0, Some("correct")));
    let (code, v) = json(&[
        "--lessons",
        d,
        "grade",
        "dot-products/linear",
        "--answer",
        "b'",
    ]);
    assert_eq!(code, 1);
    assert_eq!(v["feedback"], "A row: the gradient has the shape of x.");
    let (code, _, _) = nabla(&[
        "--no-builtin",
        "--lessons",
        d,
        "show",
        "scalar-by-vector/l2-compute",
    ]);
    assert_eq!(code, 2, "the built-in lessons are not there");
    let (code, out, _) = nabla(&["--no-builtin", "--lessons", d, "lint"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("1 lesson file checked: no errors"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn lesson_packs_are_layered_on_the_course_and_clashes_are_refused() {
    let one = scratch("pack-one");
    let two = scratch("pack-two");
    std::fs::write(one.join("dots.toml"), ONE_LESSON).unwrap();
    let second = ONE_LESSON
        .replace("id = \"dot-products\"", "id = \"more-dots\"")
        .replace("order = 1", "order = 99");
    std::fs::write(two.join("more.toml"), &second).unwrap();
    let (a, b) = (one.to_str().unwrap(), two.to_str().unwrap());
    // Two packs on top of the built-in course: all of it, in order.
    let (code, v) = json(&["--lessons", a, "--lessons", b, "list"]);
    assert_eq!(code, 0, "{v}");
    let ids: Vec<&str> = v["lessons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap())
        .collect();
    let builtin = nabla_engine::lesson::load::builtin().lessons.len();
    assert_eq!(ids.len(), builtin + 2, "{ids:?}");
    assert!(ids.contains(&"dot-products") && ids.contains(&"scalar-by-vector"));
    assert_eq!(ids.last(), Some(&"more-dots"), "order 99 comes last");
    let (code, v) = json(&["--lessons", a, "show", "scalar-by-vector/l2-compute"]);
    assert_eq!(code, 0, "the built-in lessons are still there: {v}");
    let (code, out, _) = nabla(&["--lessons", a, "--lessons", b, "lint"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("2 lesson files checked: no errors"), "{out}");

    // A pack reusing a built-in id, and a pack reusing another pack's.
    std::fs::write(
        two.join("clash.toml"),
        ONE_LESSON.replace("id = \"dot-products\"", "id = \"notation\""),
    )
    .unwrap();
    std::fs::write(two.join("again.toml"), ONE_LESSON).unwrap();
    let (code, v) = json(&["--lessons", a, "--lessons", b, "list"]);
    assert_eq!(code, 0);
    let skipped: Vec<&str> = v["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["message"].as_str().unwrap())
        .collect();
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    assert!(
        skipped
            .iter()
            .any(|m| m.contains("'notation'") && m.contains("00-notation.toml")),
        "{skipped:?}"
    );
    assert!(
        skipped
            .iter()
            .any(|m| m.contains("'dot-products'") && m.contains("dots.toml")),
        "{skipped:?}"
    );
    // lint checks pack two with what it builds on: both clashes, both files named.
    let (code, out, _) = nabla(&["--lessons", a, "lint", b]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("clash.toml") && out.contains("00-notation.toml"),
        "{out}"
    );
    assert!(
        out.contains("again.toml") && out.contains("dots.toml"),
        "{out}"
    );
    assert!(out.contains("2 errors in 3 lesson files"), "{out}");
    // Without the built-in course, the built-in id is free.
    let (code, out, _) = nabla(&["--no-builtin", "--lessons", a, "lint", b]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("1 error in 3 lesson files"), "{out}");
    let _ = std::fs::remove_dir_all(&one);
    let _ = std::fs::remove_dir_all(&two);
}

#[test]
fn new_lesson_writes_a_skeleton_that_lints_clean_and_never_overwrites() {
    let dir = scratch("new");
    let d = dir.to_str().unwrap();
    let (code, out, err) = nabla(&["new", "lesson", "my-topic", "--dir", d]);
    assert_eq!(code, 0, "{out}{err}");
    let path = dir.join("my-topic.toml");
    assert!(out.contains("my-topic.toml"), "{out}");
    let text = std::fs::read_to_string(&path).expect("the file was written");
    assert!(text.contains("id = \"my-topic\""), "{text}");
    let p = path.to_str().unwrap();
    let (code, out, _) = nabla(&["lint", p]);
    assert_eq!(code, 0, "{out}");
    // Its exercise can be shown and graded from the folder.
    let (code, v) = json(&["--no-builtin", "--lessons", d, "list"]);
    assert_eq!(code, 0);
    let ex = v["lessons"][0]["exercises"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(ex.starts_with("my-topic/"), "{ex}");
    let (code, _) = json(&["--no-builtin", "--lessons", d, "show", &ex]);
    assert_eq!(code, 0);

    // A second time: refused, exit 2, the instructor's file untouched.
    std::fs::write(&path, "# my edits\n").unwrap();
    let (code, _, err) = nabla(&["new", "lesson", "my-topic", "--dir", d]);
    assert_eq!(code, 2);
    assert!(err.contains("my-topic.toml"), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "# my edits\n");

    // A name that cannot be a lesson id: refused, nothing written.
    let (code, _, err) = nabla(&["new", "lesson", "My Topic", "--dir", d]);
    assert_eq!(code, 2);
    assert!(err.contains("a-z"), "{err}");
    assert!(!dir.join("My Topic.toml").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

/// Issue 15: an exercise's `let` names may be used in answers, and are shown.
#[test]
fn names_an_exercise_defines_can_be_used_in_answers() {
    let id = "backprop/softmax-ce";
    for answer in ["p - y", "softmax(z) - y", "-(y - p)"] {
        let (code, v) = grade(id, answer, 3, None);
        assert_eq!(
            (code, v["verdict"].as_str()),
            (0, Some("correct")),
            "{answer}: {v}"
        );
    }
    let (code, v) = grade(id, "p", 3, None);
    assert_eq!((code, v["verdict"].as_str()), (1, Some("incorrect")), "{v}");
    let (_, v) = json(&["show", id]);
    assert_eq!(v["let"]["p"], "softmax(z)", "{v}");
    let (_, out, _) = nabla(&["show", id]);
    assert!(out.contains("names you may use: p = softmax(z)"), "{out}");
}
