//! Finding one's way from the shell: help topics, the examples at the end of
//! every `--help` (each one run), shell completions and the manual page.

use std::path::{Path, PathBuf};
use std::process::Command;

use assert_cmd::cargo::cargo_bin;

mod common;
use common::cli::nabla;

const COMMANDS: &[&str] = &[
    "parse",
    "check",
    "derive",
    "list",
    "show",
    "grade",
    "lint",
    "new",
    "learn",
    "quiz",
    "progress",
    "help",
    "completions",
    "man",
    "key",
    "assignment",
    "submit",
    "grade-submissions",
];

#[test]
fn help_lists_the_topics_and_each_topic_explains_its_subject() {
    let (code, out, _) = nabla(&["help"]);
    assert_eq!(code, 0);
    for topic in ["expressions", "layouts", "lessons", "keys"] {
        assert!(
            out.contains(&format!("  {topic} ")),
            "{topic} listed: {out}"
        );
    }
    // Each topic names what it covers.
    let expect: &[(&str, &[&str])] = &[
        (
            "expressions",
            &[
                "Declarations",
                "Operators",
                "Functions",
                "Precedence",
                "softmax",
                "read-back",
            ],
        ),
        (
            "layouts",
            &["numerator", "denominator", "transpose", "--layout"],
        ),
        (
            "lessons",
            &["[[exercise]]", "[[identity]]", "nabla lint", "mistake"],
        ),
        (
            "keys",
            &["Everywhere", "Solving an exercise", "Ctrl-C", "hint"],
        ),
    ];
    for (topic, words) in expect {
        let (code, out, err) = nabla(&["help", topic]);
        assert_eq!(code, 0, "{topic}: {err}");
        for w in *words {
            assert!(out.contains(w), "nabla help {topic} mentions {w}:\n{out}");
        }
        // Drawn for an 80-column terminal when piped (text and tables
        // wrapped, math drawn), and never as raw Markdown. Code blocks
        // (terminal sessions, indented) are shown as written.
        assert!(!out.contains("| --- |"), "{topic} is rendered, not raw");
        let columns = |l: &str| {
            l.chars()
                .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
                .count()
        };
        for line in out.lines().filter(|l| !l.starts_with("  ")) {
            assert!(columns(line) <= 80, "nabla help {topic}: {line}");
        }
    }
}

#[test]
fn help_on_a_command_is_its_long_help_and_an_unknown_topic_says_what_there_is() {
    let (code, out, _) = nabla(&["help", "check"]);
    assert_eq!(code, 0);
    let (_, direct, _) = nabla(&["check", "--help"]);
    assert_eq!(out.trim_end(), direct.trim_end());
    let (code, out, err) = nabla(&["help", "gradients"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.contains("no help topic or command 'gradients'") && err.contains("expressions"),
        "{err}"
    );
}

/// The command lines of an `Examples:` section: lines `  nabla …`, up to a
/// run of two spaces (what follows is a comment).
fn examples(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| !l.starts_with("Examples:"))
        .filter_map(|l| l.strip_prefix("  nabla"))
        .filter(|l| l.is_empty() || l.starts_with(' '))
        .map(|l| format!("nabla{}", l.split("  ").next().unwrap_or("")))
        .collect()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("nabla-help-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs an example as a shell would, with the binary under test as `nabla`,
/// in `dir`, with its own progress file: (exit code, stdout, stderr).
fn run_example(line: &str, dir: &Path) -> (i32, String, String) {
    let bin = cargo_bin("nabla");
    let shims = dir.join("bin");
    std::fs::create_dir_all(&shims).unwrap();
    let shim = shims.join("nabla");
    std::fs::write(
        &shim,
        format!(
            "#!/bin/sh\nexec '{}' --progress '{}' \"$@\"\n",
            bin.display(),
            dir.join("progress").display()
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&shim, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let path = format!(
        "{}:{}",
        shims.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("sh")
        .arg("-c")
        .arg(line)
        .current_dir(dir)
        .env("PATH", path)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const HW1: &str = "format = 1\ntitle = \"Homework 1\"\nsalt = \"help-examples\"\n\n[[exercise]]\nid = \"scalar-by-vector/quadratic-form\"\n";

#[cfg(unix)]
#[test]
fn every_example_in_every_help_runs() {
    let mut helps = vec![("nabla".to_string(), nabla(&["--help"]).1)];
    for c in COMMANDS {
        helps.push((c.to_string(), nabla(&[c, "--help"]).1));
    }
    let mut ran = 0;
    for (command, help) in &helps {
        let lines = examples(help);
        assert!(
            lines.len() >= 2,
            "nabla {command} --help has examples:\n{help}"
        );
        for line in lines {
            let dir = scratch(&format!("{command}-{ran}"));
            // The course folder the lint and learn examples name.
            std::fs::create_dir_all(dir.join("my-course")).unwrap();
            let made = run_example("nabla new lesson demo --dir my-course", &dir);
            assert_eq!(made.0, 0, "{made:?}");
            // The assignment the classroom examples name.
            std::fs::write(dir.join("hw1.toml"), HW1).unwrap();
            let (code, out, err) = run_example(&line, &dir);
            let opens_the_tutor = line == "nabla"
                || line.starts_with("nabla learn")
                || line.starts_with("nabla quiz")
                || line.contains(" assignment ");
            if opens_the_tutor {
                // No terminal here: the tutor refuses to start, but the
                // command line itself was understood.
                assert!(
                    !err.contains("error: ") && !err.contains("Usage:"),
                    "{line}: {err}"
                );
            } else {
                // 0, or 1 for an example of a wrong answer; never a usage
                // error or a failure.
                assert!(code == 0 || code == 1, "{line}: exit {code}\n{out}{err}");
                assert!(!out.is_empty(), "{line} printed something");
            }
            ran += 1;
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
    assert!(ran >= 30, "{ran} examples");
}

#[test]
fn completions_for_every_shell_name_the_commands() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let (code, out, err) = nabla(&["completions", shell]);
        assert_eq!(code, 0, "{shell}: {err}");
        for c in ["check", "derive", "learn", "given", "wrt"] {
            assert!(out.contains(c), "{shell} completes {c}");
        }
    }
    let (code, _, err) = nabla(&["completions", "tcsh"]);
    assert_eq!(code, 2);
    assert!(err.contains("possible values"), "{err}");
}

#[cfg(unix)]
#[test]
fn the_bash_completion_script_is_valid_bash() {
    let (_, script, _) = nabla(&["completions", "bash"]);
    let dir = scratch("bash");
    let file = dir.join("nabla.bash");
    std::fs::write(&file, &script).unwrap();
    let Ok(out) = Command::new("bash").arg("-n").arg(&file).output() else {
        eprintln!("no bash here: syntax not checked");
        return;
    };
    assert!(
        out.status.success(),
        "bash -n: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Sourced, it registers a completion for nabla.
    let out = Command::new("bash")
        .arg("-c")
        .arg(format!("source '{}' && complete -p nabla", file.display()))
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("nabla"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_manual_pages_are_roff_that_renders() {
    let (code, page, _) = nabla(&["man"]);
    assert_eq!(code, 0);
    assert!(
        page.starts_with(".ie") || page.contains(".TH nabla"),
        "{page}"
    );
    for c in ["check", "derive", "learn"] {
        assert!(page.contains(c), "nabla(1) lists {c}");
    }
    let (code, check, _) = nabla(&["man", "check"]);
    assert_eq!(code, 0);
    assert!(check.contains(".TH nabla-check"), "{check}");
    assert!(check.contains("answer"), "its options");
    let (code, _, err) = nabla(&["man", "gradients"]);
    assert_eq!(code, 2);
    assert!(err.contains("no command 'gradients'"), "{err}");
    // Rendered by groff (or man's own formatter) where one is installed.
    for page in [page, check] {
        let Ok(mut child) = Command::new("groff")
            .args(["-man", "-Tutf8", "-ww"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
        else {
            eprintln!("no groff here: the page is not rendered");
            return;
        };
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(page.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success());
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("NAME") || text.contains("N\u{8}NA"), "{text}");
        let warnings = String::from_utf8_lossy(&out.stderr);
        assert!(warnings.trim().is_empty(), "groff warns: {warnings}");
    }
}

/// `nabla ARGS` with environment variables set: (stdout, stderr).
fn with_env(args: &[&str], env: &[(&str, &str)]) -> (String, String) {
    let mut cmd = assert_cmd::Command::cargo_bin("nabla").unwrap();
    cmd.args(args)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn colour_follows_the_flag_and_the_conventions_and_never_reaches_results() {
    let esc = |s: &str| s.contains('\u{1b}');
    // Piped: no colour.
    assert!(!esc(&with_env(&["--help"], &[]).0));
    // Forced by the environment or the flag, even piped.
    assert!(esc(&with_env(&["--help"], &[("CLICOLOR_FORCE", "1")]).0));
    assert!(esc(&with_env(
        &["check", "--color", "always", "--help"],
        &[]
    )
    .0));
    // NO_COLOR and --color never win over CLICOLOR_FORCE.
    assert!(!esc(&with_env(
        &["--help"],
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]
    )
    .0));
    assert!(!esc(&with_env(
        &["--color", "never", "check", "--help"],
        &[("CLICOLOR_FORCE", "1")]
    )
    .0));
    // Results for scripts never hold an escape code, whatever is asked.
    let check = [
        "--color",
        "always",
        "check",
        "x' A x",
        "--wrt",
        "x",
        "--given",
        "A: n x n; x: n",
        "--answer",
        "2 A x",
    ];
    let (out, err) = with_env(&check, &[("CLICOLOR_FORCE", "1")]);
    assert!(
        out.contains("incorrect") && !esc(&out) && !esc(&err),
        "{out}{err}"
    );
    let (_, err) = with_env(&["--color", "sometimes", "list"], &[]);
    assert!(err.contains("possible values") && !esc(&err), "{err}");
}
