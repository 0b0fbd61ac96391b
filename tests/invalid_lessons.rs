//! `nabla lint` against broken lessons, one error class per file, the way
//! config-heavy projects test invalid configs: every file in
//! `tests/invalid_lessons/` is a small lesson with exactly one problem, and
//! its first line says where lint must report it and what the message says:
//!
//! ```toml
//! # expect: LINE:COLUMN: MESSAGE-SUBSTRING
//! ```
//!
//! Line and column are 1-based, counted in the file as it is (the comment is
//! line 1). Also: the real binary's output format and exit status on one of
//! them, and a clean built-in course.

mod common;

use common::cli::nabla;

use std::path::{Path, PathBuf};

use nabla::lesson::SourceFile;
use nabla::lesson::lint::lint_files;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/invalid_lessons");

/// What a file's first line promises.
#[derive(Debug)]
struct Expect {
    line: usize,
    column: usize,
    message: String,
}

fn parse_expect(path: &Path, text: &str) -> Expect {
    let first = text.lines().next().unwrap_or("");
    let rest = first.strip_prefix("# expect: ").unwrap_or_else(|| {
        panic!(
            "{}: the first line must be `# expect: LINE:COLUMN: MESSAGE`",
            path.display()
        )
    });
    let mut parts = rest.splitn(3, ':');
    let mut number = |what: &str| -> usize {
        parts
            .next()
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or_else(|| panic!("{}: no {what} in {first:?}", path.display()))
    };
    let line = number("line");
    let column = number("column");
    let message = parts.next().unwrap_or("").trim().to_string();
    assert!(
        !message.is_empty(),
        "{}: no message in {first:?}",
        path.display()
    );
    Expect {
        line,
        column,
        message,
    }
}

fn invalid_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(DIR)
        .expect("tests/invalid_lessons exists")
        .map(|e| e.expect("a readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_invalid_lesson_is_reported_where_its_first_line_says() {
    let files = invalid_files();
    assert!(
        files.len() >= 31,
        "expected one file per error class, found {}",
        files.len()
    );
    let mut failures = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).expect("readable");
        let expect = parse_expect(path, &text);
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let errors = lint_files(vec![SourceFile {
            name: name.clone(),
            text,
        }]);
        if errors.is_empty() {
            failures.push(format!("{name}: lint found no error (expected {expect:?})"));
            continue;
        }
        let hit = errors.iter().any(|e| {
            e.file == name
                && e.line == expect.line
                && e.column == expect.column
                && e.message.contains(&expect.message)
        });
        if !hit {
            let got: Vec<String> = errors
                .iter()
                .map(|e| format!("{}:{}: {}", e.line, e.column, e.message))
                .collect();
            failures.push(format!(
                "{name}: expected {}:{}: …{}…, got:\n    {}",
                expect.line,
                expect.column,
                expect.message,
                got.join("\n    ")
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn each_invalid_lesson_has_exactly_one_problem() {
    // One class per file: a file that trips several checks would hide
    // which one its name is about.
    for path in invalid_files() {
        let text = std::fs::read_to_string(&path).expect("readable");
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let errors = lint_files(vec![SourceFile { name, text }]);
        assert_eq!(
            errors.len(),
            1,
            "{}: {:#?}",
            path.display(),
            errors.iter().map(|e| &e.message).collect::<Vec<_>>()
        );
    }
}

#[test]
fn the_error_classes_of_the_authoring_guide_all_have_a_file() {
    let names: Vec<String> = invalid_files()
        .iter()
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    for class in [
        "toml-syntax",
        "unknown-top-field",
        "unknown-exercise-field",
        "missing-required-field",
        "wrong-type",
        "newer-format",
        "missing-format",
        "bad-lesson-id",
        "duplicate-exercise-id",
        "unknown-kind",
        "expression-does-not-parse",
        "unknown-name-in-f",
        "ill-shaped-f",
        "wrt-not-declared",
        "bad-given",
        "identity-result-wrong",
        "answer-wrong",
        "mistake-is-correct",
        "mistake-same-as-answer",
        "no-hints",
        "no-solution",
        "latex-section-body",
        "latex-identity-statement",
        "unmatched-dollar",
        "shape-wrong",
        "choice-answer-not-a-number",
        "field-wrong-kind",
        "compute-bad-range",
        "compute-mistake-is-answer",
        "compute-mistake-never-shown-apart",
        "compute-answer-always-symmetric",
        "backprop-bad-forward",
        "backprop-step-wrong",
        "matrix-by-matrix",
    ] {
        assert!(
            names.iter().any(|n| n == class),
            "no tests/invalid_lessons/{class}.toml"
        );
    }
}

#[test]
fn an_expression_error_points_inside_the_string() {
    // The caret goes under the offending character, not the opening quote.
    let path = Path::new(DIR).join("expression-does-not-parse.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let errors = lint_files(vec![SourceFile {
        name: "x.toml".into(),
        text,
    }]);
    let e = &errors[0];
    assert_eq!(e.source_line, "f = \"b' ) x\"");
    assert_eq!(e.source_line.chars().nth(e.column - 1), Some(')'));
}

#[test]
fn the_binary_prints_file_line_column_the_source_line_and_a_caret() {
    let file = "tests/invalid_lessons/unknown-name-in-f.toml";
    let (code, out, _) = nabla(&["lint", file]);
    assert_eq!(code, 1, "{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        format!("{file}:13:6: f: unknown name 'c': the declared names are b, x")
    );
    // A compiler-style excerpt: gutter, the source line, the caret under
    // column 6 (the 'c' inside the string).
    assert_eq!(lines[1].trim_end(), "   |");
    assert_eq!(lines[2], "13 | f = \"c' x\"");
    assert_eq!(lines[3], "   |      ^");
    let source = lines[2].split_once(" | ").unwrap().1;
    let caret = lines[3].split_once(" | ").unwrap().1;
    assert_eq!(caret.find('^'), Some(5));
    assert_eq!(source.chars().nth(5), Some('c'));
    assert!(out.contains("1 error in 1 lesson file"), "{out}");
}

#[test]
fn the_binary_reports_every_file_of_a_folder_and_exits_1() {
    let (code, out, _) = nabla(&["lint", "tests/invalid_lessons"]);
    assert_eq!(code, 1);
    for path in invalid_files() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        let expect = parse_expect(&path, &text);
        let at = format!(
            "tests/invalid_lessons/{name}:{}:{}: ",
            expect.line, expect.column
        );
        assert!(out.contains(&at), "no {at} in the output");
    }
}

#[test]
fn the_built_in_course_lints_clean() {
    let (code, out, err) = nabla(&["lint"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("lesson files checked: no errors"), "{out}");
    let (code, out, _) = nabla(&["lint", "lessons"]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn the_authoring_guides_complete_example_lints_clean() {
    // docs/authoring.md promises that its worked example lints clean: the
    // first TOML block after the "A complete example" heading.
    let guide = include_str!("../docs/authoring.md");
    let (_, after) = guide
        .split_once("## A complete example")
        .expect("the guide has a complete example");
    let (_, block) = after.split_once("```toml\n").expect("a TOML block");
    let (example, _) = block.split_once("\n```").expect("a closed TOML block");
    let errors = lint_files(vec![SourceFile {
        name: "least-squares.toml".into(),
        text: example.to_string(),
    }]);
    assert!(errors.is_empty(), "{errors:#?}");
    // One exercise of every kind, so the example really shows them all.
    for kind in ["derive", "compute", "shape", "choice", "backprop"] {
        assert!(
            example.contains(&format!("kind = \"{kind}\"")),
            "no {kind} exercise"
        );
    }
}
