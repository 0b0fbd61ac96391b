//! Finding one's way from the shell: `nabla help [TOPIC|COMMAND]`,
//! `nabla completions SHELL` and `nabla man [COMMAND]`.
//!
//! Topics are the project's own documents (`docs/expressions.md`,
//! `docs/help/*.md`), embedded at build time and drawn by the same Markdown
//! renderer as the lessons, so `nabla help expressions` and the web page
//! cannot drift apart; the keys topic is generated from the tutor's keymap,
//! as its in-tutor help is.

use std::io::Write;
use std::process::ExitCode;

use clap::CommandFactory;

use super::args::{Cli, CompletionsArgs, HelpArgs, ManArgs};
use super::output::{BAD_INPUT, OK, exit};

/// A help topic: its name, what it covers (for the list), and its text.
struct Topic {
    name: &'static str,
    covers: &'static str,
    text: fn() -> String,
}

const TOPICS: &[Topic] = &[
    Topic {
        name: "expressions",
        covers: "the expression language: declarations, operators and their spellings, functions, I/ones/zeros, precedence, read-back",
        text: || include_str!("../../docs/expressions.md").to_string(),
    },
    Topic {
        name: "layouts",
        covers: "numerator and denominator layout, and why a book's formula may be nabla's transpose",
        text: || include_str!("../../docs/help/layouts.md").to_string(),
    },
    Topic {
        name: "lessons",
        covers: "the lesson format in brief: sections, identities, exercises, mistakes, lint",
        text: || include_str!("../../docs/help/lessons.md").to_string(),
    },
    Topic {
        name: "keys",
        covers: "the tutor's keys, screen by screen",
        text: keys_markdown,
    },
];

pub fn help(args: &HelpArgs) -> ExitCode {
    let Some(name) = args.topic.as_deref() else {
        return overview();
    };
    if let Some(t) = TOPICS.iter().find(|t| t.name == name) {
        print_markdown(&(t.text)());
        return exit(OK);
    }
    let mut cli = Cli::command();
    cli.build();
    if let Some(sub) = cli.find_subcommand_mut(name) {
        let text = sub.render_help().to_string();
        say!("{}", text.trim_end());
        return exit(OK);
    }
    tell!(
        "nabla: no help topic or command '{name}'. Topics: {}. Commands: {}.",
        topic_names(),
        cli.get_subcommands()
            .map(|c| c.get_name())
            .collect::<Vec<_>>()
            .join(", ")
    );
    exit(BAD_INPUT)
}

/// `nabla help` alone: the usual help, then the topics.
fn overview() -> ExitCode {
    let text = Cli::command().render_help().to_string();
    say!("{}", text.trim_end());
    say!("\nHelp topics (nabla help TOPIC):");
    for t in TOPICS {
        say!("  {:<12} {}", t.name, t.covers);
    }
    exit(OK)
}

fn topic_names() -> String {
    TOPICS.iter().map(|t| t.name).collect::<Vec<_>>().join(", ")
}

pub fn completions(args: &CompletionsArgs) -> ExitCode {
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "nabla", &mut out);
    write_raw(&out)
}

pub fn man(args: &ManArgs) -> ExitCode {
    let mut cli = Cli::command();
    cli.build();
    let page = match args.command.as_deref() {
        None => cli,
        Some(name) => match cli.find_subcommand(name) {
            // A subcommand's page is named nabla-NAME, as git's are. (clap
            // takes a name that lives as long as the program; this one is
            // made once, just before the program ends.)
            Some(sub) => {
                let page_name: &'static str = Box::leak(format!("nabla-{name}").into_boxed_str());
                sub.clone().name(page_name)
            }
            None => {
                tell!("nabla: no command '{name}' for a manual page");
                return exit(BAD_INPUT);
            }
        },
    };
    let mut out = Vec::new();
    if let Err(e) = clap_mangen::Man::new(page).render(&mut out) {
        tell!("nabla: cannot write the manual page: {e}");
        return exit(BAD_INPUT);
    }
    write_raw(&out)
}

/// Generated scripts go out byte for byte: they are ours, not a lesson's,
/// and the sanitiser would make a shell script's tabs visible.
fn write_raw(bytes: &[u8]) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            tell!("nabla: cannot write the output: {e}");
            exit(BAD_INPUT)
        }
        _ => exit(OK),
    }
}

/// A topic drawn at the terminal's width (80 columns when piped), the way a
/// lesson is; the raw Markdown if the renderer refuses it.
fn print_markdown(src: &str) {
    let width = terminal_width().unwrap_or(80).clamp(40, 100);
    match nabla_engine::render::render_markdown(src, width) {
        Ok(lines) => {
            for line in lines {
                let text: String = line.spans.iter().map(|s| s.text.as_str()).collect();
                say!("{}", text.trim_end());
            }
        }
        Err(_) => say!("{}", src.trim_end()),
    }
}

fn terminal_width() -> Option<usize> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        return None;
    }
    crossterm::terminal::size().ok().map(|(w, _)| w as usize)
}

/// The keymap as a Markdown page: one table per screen.
fn keys_markdown() -> String {
    use crate::tui::keys::{BINDINGS, Context};
    let mut md = String::from(
        "# The tutor's keys\n\nThe same list is on `?` inside the tutor. In an exercise, letters go to the answer box, so the single-letter keys of other screens do not apply there.\n",
    );
    let screens = [
        (Context::Global, "Everywhere"),
        (Context::Home, "Home"),
        (Context::Reader, "Reading a lesson"),
        (Context::Toc, "Table of contents"),
        (Context::Exercise, "Solving an exercise"),
        (Context::Report, "Progress and quiz summary"),
    ];
    for (context, heading) in screens {
        md.push_str(&format!(
            "\n## {heading}\n\n| key | does |\n| --- | --- |\n"
        ));
        for b in BINDINGS.iter().filter(|b| b.context == context) {
            md.push_str(&format!(
                "| `{}` | {} |\n",
                b.label.replace('|', "\\|"),
                b.desc.replace('|', "\\|")
            ));
        }
    }
    md
}
