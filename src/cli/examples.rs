//! The examples that end each command's `--help`: real command lines, each
//! run by `tests/cli_help.rs` (a line starting `  nabla ` is an example; the
//! ones that open the tutor are only parsed), so none can go stale.

pub const TOP: &str = "\
Examples:
  nabla                                   open the tutor
  nabla check \"x' A x\" --wrt x --given \"A: n x n; x: n\" --answer \"(A + A')x\"
  nabla derive \"tr(A X B)\" --wrt X --given \"A: p x m; X: m x n; B: n x p\" --steps
  nabla help expressions                  the expression language

Topics: nabla help expressions | layouts | lessons | keys";

pub const PARSE: &str = "\
Examples:
  nabla parse \"(A + A')x\" --given \"A: n x n; x: n\"
  nabla parse \"x'Ax\" --given \"A: n x n; x: n\" --json
  nabla parse \"sigmoid(W x + b)\"";

pub const CHECK: &str = "\
Examples:
  nabla check \"x' A x\" --wrt x --given \"A: n x n; x: n\" --answer \"(A + A')x\"
  nabla check \"x' A x\" --wrt x --given \"A: n x n; x: n\" --answer \"2 A x\"
  nabla check \"tr(A X B)\" --wrt X --given \"A: p x m; X: m x n; B: n x p\" --answer \"A' B'\" --json

Exit status: 0 correct, 1 incorrect (the mistake is named), 2 the question itself is wrong.";

pub const DERIVE: &str = "\
Examples:
  nabla derive \"x' A x\" --wrt x --given \"A: n x n; x: n\"
  nabla derive \"||A X - B||^2\" --wrt X --given \"A: m x n; X: n x k; B: m x k\" --steps
  nabla derive \"sigmoid(W x)\" --wrt x --given \"W: m x n; x: n\" --layout denominator";

pub const LIST: &str = "\
Examples:
  nabla list
  nabla list --json";

pub const SHOW: &str = "\
Examples:
  nabla show scalar-by-vector/quadratic-form
  nabla show scalar-by-vector/quadratic-form --seed 7 --json
  nabla show backprop/matmul-compute --seed 7 --answer-key      the answer and its numbers";

pub const GRADE: &str = "\
Examples:
  nabla grade scalar-by-vector/quadratic-form --seed 7 --answer \"(A + A')x\"
  nabla grade scalar-by-vector/quadratic-form --seed 7 --answer \"2 A x\" --json";

pub const LINT: &str = "\
Examples:
  nabla lint                              the built-in course
  nabla lint my-course/                   every lesson file in a folder";

pub const NEW: &str = "\
Examples:
  nabla new lesson my-first-lesson        writes my-first-lesson.toml here
  nabla new lesson chain-rule --dir my-course";

pub const LEARN: &str = "\
Examples:
  nabla learn                             the home screen
  nabla learn backprop                    straight into a lesson
  nabla learn --lessons my-course         a course of your own";

pub const QUIZ: &str = "\
Examples:
  nabla quiz
  nabla quiz --count 5 --lesson backprop";

pub const PROGRESS: &str = "\
Examples:
  nabla progress
  nabla progress --history --lesson backprop
  nabla progress --export csv
  nabla progress --reset --yes";

pub const HELP: &str = "\
Examples:
  nabla help expressions                  the expression language, with every spelling
  nabla help layouts                      numerator and denominator layout
  nabla help lessons                      the lesson format in brief
  nabla help keys                         the tutor's keys
  nabla help check                        the same as nabla check --help";

pub const COMPLETIONS: &str = "\
Examples:
  nabla completions bash
  nabla completions zsh
  nabla completions fish

Install (one of):
  bash: nabla completions bash > ~/.local/share/bash-completion/completions/nabla
  zsh:  nabla completions zsh > ~/.zfunc/_nabla   (with fpath+=~/.zfunc before compinit)
  fish: nabla completions fish > ~/.config/fish/completions/nabla.fish";

pub const MAN: &str = "\
Examples:
  nabla man
  nabla man check

Read it with: nabla man | man -l -
Install it:   nabla man > ~/.local/share/man/man1/nabla.1";

pub const KEY: &str = "\
Examples:
  nabla key hw1.toml --student ada        every exercise's key, for ada's numbers
  nabla key hw1.toml --student ada --json";

pub const ASSIGNMENT: &str = "\
Examples:
  nabla assignment hw1.toml --student ada         work on it; leaving writes hw1-ada.json
  nabla --lessons my-course assignment hw1.toml --student ada";

pub const SUBMIT: &str = "\
Examples:
  nabla submit hw1.toml --student ada               writes hw1-ada.json from your progress
  nabla submit hw1.toml --student ada --out ada.json";

pub const GRADE_SUBMISSIONS: &str = "\
Examples:
  nabla grade-submissions hw1.toml .                the CSV gradebook of every *.json here
  nabla grade-submissions hw1.toml . --format json --out gradebook.json";
