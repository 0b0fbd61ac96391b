//! The command line, declared with clap. Expressions often start with '-'
//! (`-x'x`, `--answer -2x`), so every expression argument accepts leading hyphens.

use nabla_engine::report::{Failure, FailureKind};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use super::examples;

#[derive(Debug, Parser)]
#[command(
    name = "nabla",
    version,
    about = "A terminal tutor for matrix calculus: gradients, Jacobians, trace identities and backprop",
    long_about = "A terminal tutor for matrix calculus.\n\nRun `nabla` to open the tutor, or use a subcommand to parse, check and derive matrix expressions from scripts.",
    // `nabla help` is ours: it explains topics as well as commands.
    disable_help_subcommand = true,
    after_help = examples::TOP
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Args, Clone, Default)]
pub struct Global {
    /// Add the lesson files in DIR to the course (a lesson pack); repeat for several.
    #[arg(long, global = true, value_name = "DIR")]
    pub lessons: Vec<PathBuf>,
    /// Leave the built-in course out: only the --lessons folders.
    #[arg(long, global = true)]
    pub no_builtin: bool,
    /// Where progress is kept (default: the platform's data directory).
    #[arg(long, global = true, value_name = "FILE")]
    pub progress: Option<PathBuf>,
    /// Colour in the tutor and in help: auto (a terminal, unless NO_COLOR), always or never.
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = super::colour::ColorWhen::Auto)]
    pub color: super::colour::ColorWhen,
    /// Draw math and the tutor with ASCII only, for terminals without Unicode fonts (also NABLA_ASCII=1).
    #[arg(long, global = true)]
    pub ascii: bool,
}

impl Global {
    /// Whether output is ASCII only: `--ascii`, or `NABLA_ASCII` set to
    /// anything but empty, `0`, `false`, `no` or `off`.
    pub fn ascii_wanted(&self) -> bool {
        self.ascii
            || nabla_engine::render::charset::env_asks_ascii(
                std::env::var_os("NABLA_ASCII").as_deref(),
            )
    }
}

/// Each subcommand's arguments are declared only when it is the one being
/// run (or its help is shown): clap otherwise builds all twelve at every
/// start, most of the start-up time that is nabla's own.
#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum Command {
    /// Show how an expression is read, and its shape.
    #[command(after_help = examples::PARSE)]
    Parse(ParseArgs),
    /// Grade a derivative: is ANSWER the derivative of F by X?
    #[command(after_help = examples::CHECK)]
    Check(CheckArgs),
    /// Work out the derivative of F by X, simplified, with the steps.
    #[command(after_help = examples::DERIVE)]
    Derive(DeriveArgs),
    /// List the lessons and their exercises.
    #[command(after_help = examples::LIST)]
    List(JsonArgs),
    /// Show one generated instance of an exercise.
    #[command(after_help = examples::SHOW)]
    Show(ShowArgs),
    /// Grade an answer to an exercise's instance.
    #[command(after_help = examples::GRADE)]
    Grade(GradeArgs),
    /// Check lesson files as an instructor needs (default: the built-in course).
    #[command(after_help = examples::LINT)]
    Lint(LintArgs),
    /// Write a new lesson file from a commented skeleton.
    #[command(after_help = examples::NEW)]
    New(NewArgs),
    /// Open the tutor on a lesson (default: the home screen).
    #[command(after_help = examples::LEARN)]
    Learn(LearnArgs),
    /// Self-quiz: exercises drawn across lessons, a fresh variant each time.
    #[command(after_help = examples::QUIZ)]
    Quiz(QuizArgs),
    /// Show your progress per lesson and by mistake kind; list its history, export or reset it.
    #[command(after_help = examples::PROGRESS)]
    Progress(ProgressArgs),
    /// Explain a topic (expressions, layouts, lessons, keys) or a command.
    #[command(after_help = examples::HELP)]
    Help(HelpArgs),
    /// One student's answer key to an assignment (for the instructor).
    #[command(after_help = examples::KEY)]
    Key(KeyArgs),
    /// Open the tutor on an assignment, as one student; the submission is written on leaving.
    #[command(after_help = examples::ASSIGNMENT)]
    Assignment(AssignmentArgs),
    /// Write a student's submission file from their progress (the answers as typed).
    #[command(after_help = examples::SUBMIT)]
    Submit(AssignmentArgs),
    /// Re-grade a folder of submissions from their answers into a gradebook.
    #[command(after_help = examples::GRADE_SUBMISSIONS)]
    GradeSubmissions(GradeSubmissionsArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    #[command(after_help = examples::COMPLETIONS)]
    Completions(CompletionsArgs),
    /// Print nabla's manual page (roff), or a command's.
    #[command(after_help = examples::MAN)]
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct HelpArgs {
    /// A topic (expressions, layouts, lessons, keys) or a command (check, derive, …).
    pub topic: Option<String>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// A command, for its own page (nabla-check(1), …); default: nabla(1).
    pub command: Option<String>,
}

#[derive(Debug, Args)]
pub struct ProgressArgs {
    /// Start over: the progress database is moved aside (kept, not deleted).
    /// Asks first on a terminal; elsewhere it needs --yes.
    #[arg(long, conflicts_with_all = ["export", "history"])]
    pub reset: bool,
    /// With --reset: do not ask.
    #[arg(long, requires = "reset")]
    pub yes: bool,
    /// Print the whole log (every attempt and review) for other programs,
    /// as FORMAT on stdout.
    #[arg(long, value_enum, value_name = "FORMAT", conflicts_with = "history")]
    pub export: Option<ExportFormat>,
    /// List past attempts, oldest first.
    #[arg(long)]
    pub history: bool,
    /// With --history: only this lesson's attempts.
    #[arg(long, requires = "history", value_name = "LESSON")]
    pub lesson: Option<String>,
    /// With --history: one JSON object on stdout (docs/json.md).
    #[arg(long, requires = "history")]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ExportFormat {
    Json,
    Csv,
}

#[derive(Debug, Args)]
pub struct QuizArgs {
    /// How many exercises.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=200))]
    pub count: u64,
    /// Only these lessons (repeat the option for several).
    #[arg(long = "lesson", id = "quiz_lessons", value_name = "LESSON")]
    pub only: Vec<String>,
}

#[derive(Debug, Args)]
pub struct LearnArgs {
    /// The lesson's id, as `nabla list` shows it.
    pub lesson: Option<String>,
}

#[derive(Debug, Args)]
pub struct JsonArgs {
    /// One JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The exercise, as LESSON/EXERCISE.
    pub id: String,
    /// Which random instance (the same seed always gives the same one).
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Also print the answer key: the reference answer, the numbers of a
    /// compute exercise and the lesson's known mistakes.
    #[arg(long)]
    pub answer_key: bool,
    /// One JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct KeyArgs {
    /// The assignment file (TOML; see docs/authoring.md).
    pub assignment: PathBuf,
    /// The student whose instances to print the key of.
    #[arg(long, value_name = "ID")]
    pub student: String,
    /// One JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct AssignmentArgs {
    /// The assignment file your instructor handed out.
    pub assignment: PathBuf,
    /// Your student id, exactly as your instructor asked for it.
    #[arg(long, value_name = "ID")]
    pub student: String,
    /// Where to write the submission (default: ASSIGNMENT-STUDENT.json in
    /// the current folder).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct GradeSubmissionsArgs {
    /// The assignment file.
    pub assignment: PathBuf,
    /// The folder of submission files (*.json), or one submission file.
    pub submissions: PathBuf,
    /// csv (one row per student), json (every answer's verdict) or
    /// gradescope (an autograder results.json for one submission).
    #[arg(long, value_enum, default_value_t = GradebookFormat::Csv)]
    pub format: GradebookFormat,
    /// Write the gradebook to FILE instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum GradebookFormat {
    Csv,
    Json,
    Gradescope,
}

#[derive(Debug, Args)]
pub struct GradeArgs {
    /// The exercise, as LESSON/EXERCISE.
    pub id: String,
    /// The answer to grade.
    #[arg(long, allow_hyphen_values = true)]
    pub answer: String,
    /// Which random instance (as given to `nabla show`).
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// For a backprop exercise: which step to grade, from 1.
    #[arg(long, value_name = "K", value_parser = clap::value_parser!(u64).range(1..))]
    pub step: Option<u64>,
    /// One JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Lesson files or folders (default: the built-in course, or --lessons DIR).
    pub paths: Vec<std::path::PathBuf>,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    #[command(subcommand)]
    pub what: NewWhat,
}

#[derive(Debug, Subcommand)]
pub enum NewWhat {
    /// A lesson file NAME.toml, commented, that lints clean.
    Lesson {
        /// The lesson's id and file name (a-z, 0-9, '-').
        name: String,
        /// The folder to write it in (default: the current one).
        #[arg(long, value_name = "DIR")]
        dir: Option<std::path::PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The function F, e.g. "x' A x".
    #[arg(allow_hyphen_values = true)]
    pub f: String,
    /// The variable X to differentiate by (may be left out when F uses one name).
    #[arg(long, value_name = "X")]
    pub wrt: Option<String>,
    /// Declarations, e.g. "A: n x n; x: n".
    #[arg(long, allow_hyphen_values = true, value_name = "DECLS")]
    pub given: String,
    /// The answer to grade, e.g. "(A + A')x".
    #[arg(long, allow_hyphen_values = true, value_name = "ANSWER")]
    pub answer: String,
    /// Seed for the random instances (the same seed gives the same run).
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// How many random instances to compare on.
    #[arg(long, value_name = "K", default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=1000))]
    pub trials: u64,
    /// Jacobian layout: numerator (rows follow F) or denominator (rows follow X).
    #[arg(long, value_enum, default_value_t = LayoutArg::Numerator)]
    pub layout: LayoutArg,
    /// 1 for the first derivative; 2 for the Hessian of a scalar F by a vector.
    #[arg(long, value_name = "K", default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=2))]
    pub order: u8,
    /// One JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct DeriveArgs {
    /// The function F, e.g. "x' A x".
    #[arg(allow_hyphen_values = true)]
    pub f: String,
    /// The variable X to differentiate by (may be left out when F uses one name).
    #[arg(long, value_name = "X")]
    pub wrt: Option<String>,
    /// Declarations, e.g. "A: n x n; x: n".
    #[arg(long, allow_hyphen_values = true, value_name = "DECLS")]
    pub given: String,
    /// Show the derivation, one rule per line.
    #[arg(long)]
    pub steps: bool,
    /// Jacobian layout: numerator (rows follow F) or denominator (rows follow X).
    #[arg(long, value_enum, default_value_t = LayoutArg::Numerator)]
    pub layout: LayoutArg,
    /// 1 for the first derivative; 2 for the Hessian of a scalar F by a vector.
    #[arg(long, value_name = "K", default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=2))]
    pub order: u8,
    /// One JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum LayoutArg {
    Numerator,
    Denominator,
}

impl From<LayoutArg> for nabla_engine::calculus::Layout {
    fn from(l: LayoutArg) -> Self {
        match l {
            LayoutArg::Numerator => nabla_engine::calculus::Layout::Numerator,
            LayoutArg::Denominator => nabla_engine::calculus::Layout::Denominator,
        }
    }
}

#[derive(Debug, Args)]
pub struct ParseArgs {
    /// The expression, e.g. "(A + A')x".
    #[arg(allow_hyphen_values = true)]
    pub expr: String,
    /// Declarations, e.g. "A: n x n; x: n".
    #[arg(long, allow_hyphen_values = true)]
    pub given: Option<String>,
    /// One JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

/// Parses the process arguments. A bad command line exits 2; with `--json`
/// somewhere on it, the error is also printed as a JSON object on stdout.
pub fn parse_args() -> Result<Cli, ExitCode> {
    match Cli::try_parse() {
        Ok(cli) => {
            // Everything this process draws is drawn on this thread.
            nabla_engine::render::charset::set_ascii(cli.global.ascii_wanted());
            Ok(cli)
        }
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
                // Help is coloured by nabla's one rule (`colour`), with the
                // --color clap read; it quotes nothing from outside, so it is
                // written as is. Like every output, it must have been written.
                use clap::CommandFactory;
                use std::io::{IsTerminal, Write};
                // Read as if the help flag were not there (with it, clap
                // stops before --color); at worst this misses the colour.
                let args = std::env::args_os()
                    .filter(|a| !matches!(a.to_str(), Some("--help" | "-h" | "--version" | "-V")));
                let when = Cli::command()
                    .ignore_errors(true)
                    .try_get_matches_from(args)
                    .ok()
                    .and_then(|m| m.get_one::<super::colour::ColorWhen>("color").copied())
                    .unwrap_or_default();
                let text = e.render();
                let text = if super::colour::wanted(when, std::io::stdout().is_terminal()) {
                    text.ansi().to_string()
                } else {
                    text.to_string()
                };
                let mut out = std::io::stdout().lock();
                return match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
                    Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => {
                        tell!("nabla: cannot write the output: {err}");
                        Err(ExitCode::from(2))
                    }
                    _ => Err(ExitCode::SUCCESS),
                };
            }
            // Which command asked for JSON comes from clap's own reading of
            // the command line, as far as it got (`ignore_errors`), never
            // from looking for "--json" among the raw arguments.
            if let Some(sub) = json_subcommand() {
                let failure = Failure::new(
                    FailureKind::Usage,
                    format!("bad command line: {}", first_line(&e)),
                );
                let mut v = failure.to_json();
                if matches!(sub.as_str(), "check" | "grade") {
                    v["verdict"] = serde_json::json!("invalid_problem");
                    v["message"] = serde_json::json!(failure.message);
                }
                super::output::print_json(&v);
            }
            // Plain and sanitised: the message quotes the command line.
            tell!("{}", e.render().to_string().trim_end());
            Err(ExitCode::from(2))
        }
    }
}

/// clap's message on one line, without its "error: " and the usage after
/// it: "unexpected argument '--bogus' found".
fn first_line(e: &clap::Error) -> String {
    let text = e.render().to_string();
    let words: Vec<&str> = text
        .lines()
        .take_while(|l| !l.trim().is_empty())
        .map(str::trim)
        .collect();
    let line = words.join(" ");
    line.strip_prefix("error: ").unwrap_or(&line).to_string()
}

/// The subcommand whose `--json` flag is set, as clap reads a command line
/// that it refused: each argument clap names in its error (an unknown flag,
/// a flag with a bad value, and that value) is taken out and the rest read
/// again, until it reads, or clap reads it as far as it can
/// (`ignore_errors`: a missing argument).
fn json_subcommand() -> Option<String> {
    use clap::CommandFactory;
    use clap::error::{ContextKind, ContextValue};
    let json_of = |m: clap::ArgMatches| {
        let (name, sub) = m.subcommand()?;
        let json = sub.try_get_one::<bool>("json").ok().flatten().copied() == Some(true);
        json.then(|| name.to_string())
    };
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    for _ in 0..16 {
        let e = match Cli::command().try_get_matches_from(&args) {
            Ok(m) => return json_of(m),
            Err(e) => e,
        };
        let named = |k| match e.get(k) {
            Some(ContextValue::String(s)) => Some(s.clone()),
            _ => None,
        };
        // "--seed <N>" names the flag; the argument itself is its first word.
        let flag = named(ContextKind::InvalidArg)
            .and_then(|f| f.split([' ', '=']).next().map(str::to_string));
        let at = flag.as_ref().and_then(|f| {
            args.iter().skip(1).position(|a| {
                a.to_str()
                    .is_some_and(|a| a == f || a.starts_with(&format!("{f}=")))
            })
        });
        let Some(at) = at.map(|i| i + 1) else {
            let m = Cli::command()
                .ignore_errors(true)
                .try_get_matches_from(&args)
                .ok()?;
            return json_of(m);
        };
        args.remove(at);
        if let Some(v) = named(ContextKind::InvalidValue)
            && args.get(at).is_some_and(|a| *a == *v)
        {
            args.remove(at);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        // Catches clashing ids and bad defaults, which clap reports only at run time.
        super::Cli::command().debug_assert();
    }
}
