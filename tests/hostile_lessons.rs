//! A lesson pack from a stranger (issue 13): `tests/data/hostile/` holds a
//! lesson with escape sequences (OSC 52, OSC 0, OSC 8, CSI), BEL, C1 and
//! DEL controls, bidi controls and zero-width joiners in its title, summary,
//! sections, prompts, choices, hints, solutions and feedback, and a file
//! that does not parse on a line full of raw controls. Through `list`,
//! `show`, `grade` and `lint` (text and JSON) no raw control byte, bidi
//! control or zero-width character reaches stdout or stderr, and `lint`
//! warns about each at its line and column. Then the ways a lesson folder or
//! a progress path can hurt: a broken file beside good ones, a FIFO, a
//! device, an oversized file, a symlink out of the folder, an over-long
//! field; and output that cannot be written (`/dev/full`).

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use assert_cmd::Command;

/// Every run here must end quickly: a hang is a failure, not a stuck test.
const QUICK: Duration = Duration::from_secs(20);

fn hostile_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/hostile")
}

/// Runs `nabla ARGS...` with a timeout and a progress file of its own:
/// (exit code, stdout bytes, stderr bytes).
fn run(args: &[&str]) -> (i32, Vec<u8>, Vec<u8>) {
    let progress = std::env::temp_dir().join(format!(
        "nabla-hostile-progress-{}.json",
        std::process::id()
    ));
    let out = Command::cargo_bin("nabla")
        .unwrap()
        .arg("--progress")
        .arg(&progress)
        .args(args)
        .timeout(QUICK)
        .output()
        .unwrap();
    (out.status.code().unwrap_or(-1), out.stdout, out.stderr)
}

/// Bytes a terminal could act on: C0 controls but `\n`, DEL, C1 controls
/// (in UTF-8, C2 80 … C2 9F), bidi controls and zero-width characters.
fn assert_clean(what: &str, bytes: &[u8]) {
    for (i, &b) in bytes.iter().enumerate() {
        assert!(
            b == b'\n' || !(b < 0x20 || b == 0x7F),
            "{what}: raw control byte {b:#04x} at {i}"
        );
        if b == 0xC2 {
            let next = bytes.get(i + 1).copied().unwrap_or(0);
            assert!(
                !(0x80..=0x9F).contains(&next),
                "{what}: C1 control U+{next:04X} at {i}"
            );
        }
    }
    let text = std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("{what}: not UTF-8: {e}"));
    for c in text.chars() {
        let bidi = matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
        let zero_width = matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{FE00}'..='\u{FE0F}');
        assert!(!bidi, "{what}: bidi control U+{:04X}", u32::from(c));
        assert!(!zero_width, "{what}: zero-width U+{:04X}", u32::from(c));
    }
}

/// `assert_clean`, and no escape sequence's payload shows as text either
/// (sequences are removed whole, not only their ESC).
fn assert_no_payload(what: &str, bytes: &[u8]) {
    assert_clean(what, bytes);
    let text = String::from_utf8_lossy(bytes);
    for payload in ["pwned", "evil.example", "SGVsbG8", "52;c", "[2J", "[31m"] {
        assert!(
            !text.contains(payload),
            "{what}: {payload:?} shown:\n{text}"
        );
    }
}

#[test]
fn nothing_hostile_reaches_stdout_or_stderr() {
    let dir = hostile_dir();
    let dir = dir.to_str().unwrap();
    let commands: &[&[&str]] = &[
        &["list"],
        &["list", "--json"],
        &["show", "hostile/pick"],
        &["show", "hostile/pick", "--json"],
        &["show", "hostile/linear"],
        &["show", "hostile/linear", "--json"],
        &["grade", "hostile/pick", "--answer", "1"],
        &["grade", "hostile/pick", "--answer", "2", "--json"],
        &["grade", "hostile/linear", "--answer", "a'"],
        &["grade", "hostile/linear", "--answer", "a'", "--json"],
        &["grade", "hostile/linear", "--answer", "a"],
        // The student's own answer, echoed in an error, is sanitised too.
        &[
            "grade",
            "hostile/linear",
            "--answer",
            "a\u{1b}]0;pwned\u{7}\u{202E}",
        ],
        &[
            "grade",
            "hostile/linear",
            "--answer",
            "a\u{1b}]0;pwned\u{7}",
            "--json",
        ],
        &["show", "\u{1b}]0;pwned\u{7}\u{9b}2J"],
    ];
    for args in commands {
        let mut all = vec!["--no-builtin", "--lessons", dir];
        all.extend_from_slice(args);
        let (code, out, err) = run(&all);
        let what = format!("nabla {args:?} (exit {code})");
        assert!(code == 0 || code == 1 || code == 2, "{what}");
        assert_no_payload(&format!("{what}: stdout"), &out);
        assert_no_payload(&format!("{what}: stderr"), &err);
        // The skipped file is named on one line, on stderr.
        let err = String::from_utf8(err).unwrap();
        assert!(
            err.contains("nabla: skipped ") && err.contains("broken.toml:3:"),
            "{what}: {err}"
        );
        if args.contains(&"--json") {
            let line = String::from_utf8(out).unwrap();
            let v: serde_json::Value = serde_json::from_str(line.trim())
                .unwrap_or_else(|e| panic!("{what}: not JSON ({e}): {line}"));
            assert!(
                !v.to_string().contains('\u{1b}'),
                "{what}: decoded ESC in {v}"
            );
        }
    }
}

#[test]
fn the_feedback_and_choices_are_shown_sanitised_not_dropped() {
    let dir = hostile_dir();
    let (code, out, _) = run(&[
        "--no-builtin",
        "--lessons",
        dir.to_str().unwrap(),
        "show",
        "hostile/pick",
    ]);
    assert_eq!(code, 0);
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains("Pick \u{FFFD}one"), "{out}");
    // The choices come in the instance's order; the first is there, whole.
    assert!(out.contains(". First"), "{out}");
    let (code, out, _) = run(&[
        "--lessons",
        dir.to_str().unwrap(),
        "grade",
        "hostile/linear",
        "--answer",
        "a'",
    ]);
    assert_eq!(code, 1);
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains("the gradient is a column"), "{out}");
}

#[test]
fn lint_warns_at_each_character_and_quotes_lines_safely() {
    let dir = hostile_dir();
    let (code, out, err) = run(&["lint", dir.to_str().unwrap()]);
    assert_eq!(code, 1, "broken.toml is an error");
    assert_clean("lint stdout", &out);
    assert_clean("lint stderr", &err);
    let out = String::from_utf8(out).unwrap();
    // The parse error, on the line of raw controls, quoted sanitised.
    assert!(
        out.contains("broken.toml:3:17: invalid basic string"),
        "{out}"
    );
    let warnings: Vec<&str> = out.lines().filter(|l| l.contains(": warning: ")).collect();
    // Every class, each at FILE:LINE:COLUMN.
    for code in [
        "U+001B", "U+0007", "U+009B", "U+0085", "U+007F", "U+202E", "U+2066", "U+200D",
    ] {
        let hit = warnings.iter().find(|w| w.contains(code));
        let w = hit.unwrap_or_else(|| panic!("no warning about {code}:\n{out}"));
        let place = w.split(": warning: ").next().unwrap();
        let mut parts = place.rsplitn(3, ':');
        let column: usize = parts.next().unwrap().parse().unwrap();
        let line: usize = parts.next().unwrap().parse().unwrap();
        assert!(line >= 1 && column >= 1, "{w}");
        assert!(parts.next().unwrap().ends_with(".toml"), "{w}");
    }
    // Exact places: the title's OSC 0 (an escape, `\u001b`) and the raw
    // bidi override after it; the raw ESC of broken.toml.
    assert!(
        out.contains(
            "hostile.toml:7:18: warning: a terminal escape character (U+001B) written as an escape"
        ),
        "{out}"
    );
    assert!(
        out.contains(
            "hostile.toml:7:43: warning: a bidirectional-text control (U+202E) in the file"
        ),
        "{out}"
    );
    assert!(
        out.contains("broken.toml:3:17: warning: a terminal escape character (U+001B) in the file"),
        "{out}"
    );
    assert!(out.lines().last().unwrap().contains("warnings"), "{out}");
}

#[test]
fn warnings_alone_do_not_fail_lint() {
    let dir = scratch("warn-only");
    let good = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/quiz-course/quiz.toml"),
    )
    .unwrap();
    fs::write(
        dir.join("quiz.toml"),
        good.replacen(
            "title = \"Quiz fixtures\"",
            "title = \"Quiz\u{200D} \\u202Efixtures\"",
            1,
        ),
    )
    .unwrap();
    let (code, out, _) = run(&["lint", dir.to_str().unwrap()]);
    let out = String::from_utf8(out).unwrap();
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("quiz.toml:4:14: warning: a zero-width character (U+200D)"),
        "{out}"
    );
    assert!(
        out.contains(
            "quiz.toml:4:16: warning: a bidirectional-text control (U+202E) written as an escape"
        ),
        "{out}"
    );
    assert!(
        out.contains("1 lesson file checked: no errors, 2 warnings"),
        "{out}"
    );
    let _ = fs::remove_dir_all(&dir);
}

/// A fresh folder under the temp dir.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("nabla-hostile-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn good_lesson(id: &str, title: &str) -> String {
    format!(
        "format = 1\nid = \"{id}\"\ntitle = \"{title}\"\norder = 1\n\n[[section]]\ntitle = \"S\"\nbody = \"Text.\"\n"
    )
}

fn list_text(dir: &Path) -> (i32, String, String) {
    let (code, out, err) = run(&["--no-builtin", "--lessons", dir.to_str().unwrap(), "list"]);
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

#[test]
fn a_broken_file_beside_good_ones_is_one_skipped_file() {
    let dir = scratch("broken");
    fs::write(dir.join("a.toml"), good_lesson("alpha", "Alpha lesson")).unwrap();
    fs::write(
        dir.join("b.toml"),
        b"format = 1\nid = \"b\"\n\xff\xfe not UTF-8\n",
    )
    .unwrap();
    fs::write(dir.join("c.toml"), "format = 1\nid = \"c\"\ntitle = \n").unwrap();
    fs::create_dir(dir.join("d.toml")).unwrap();
    fs::write(dir.join("e.toml"), good_lesson("epsilon", "Epsilon lesson")).unwrap();
    #[cfg(unix)]
    let unreadable = {
        use std::os::unix::fs::PermissionsExt;
        let p = dir.join("f.toml");
        fs::write(&p, good_lesson("phi", "Phi")).unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(0o000)).unwrap();
        // Root reads it anyway; then it is simply a good lesson.
        fs::read(&p).is_err()
    };
    let (code, out, err) = list_text(&dir);
    assert_eq!(code, 0);
    assert!(out.contains("alpha  Alpha lesson"), "{out}");
    assert!(out.contains("epsilon  Epsilon lesson"), "{out}");
    assert!(
        err.contains("skipped") && err.contains("b.toml:3:1: the file is not UTF-8"),
        "{err}"
    );
    assert!(err.contains("c.toml:3:"), "{err}");
    assert!(
        err.contains("d.toml:1:1: not read: it is a folder"),
        "{err}"
    );
    #[cfg(unix)]
    if unreadable {
        assert!(err.contains("f.toml:1:1: cannot read the file"), "{err}");
    }
    // One line per skipped file, and a count.
    assert!(
        err.contains("lesson files skipped; the rest of the course is loaded"),
        "{err}"
    );
    for l in err.lines() {
        assert!(l.starts_with("nabla: "), "one line each: {err}");
    }
    let _ = fs::remove_dir_all(&dir);
}

#[cfg(unix)]
fn mkfifo(p: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(p)
        .status()
        .unwrap();
    assert!(status.success());
}

#[cfg(unix)]
#[test]
fn a_fifo_or_a_device_is_refused_at_once() {
    let dir = scratch("fifo");
    fs::write(dir.join("a.toml"), good_lesson("alpha", "Alpha lesson")).unwrap();
    mkfifo(&dir.join("pipe.toml"));
    let t = Instant::now();
    let (code, out, err) = list_text(&dir);
    assert_eq!(code, 0);
    assert!(out.contains("alpha"), "{out}");
    assert!(
        err.contains("pipe.toml:1:1: not read: it is a named pipe (FIFO), not a regular file"),
        "{err}"
    );
    // As a file named to lint, and as the progress file.
    let (code, out, _) = run(&["lint", dir.join("pipe.toml").to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(String::from_utf8(out).unwrap().contains("named pipe"));
    let fifo = dir.join("progress-pipe");
    mkfifo(&fifo);
    for path in [fifo.as_path(), Path::new("/dev/zero")] {
        let out = Command::cargo_bin("nabla")
            .unwrap()
            .args(["--progress", path.to_str().unwrap(), "progress"])
            .timeout(QUICK)
            .output()
            .unwrap();
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(out.status.success(), "{path:?}: {err}");
        assert!(err.contains("not a regular file"), "{path:?}: {err}");
    }
    assert!(t.elapsed() < Duration::from_secs(15), "{:?}", t.elapsed());
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn an_oversized_file_is_refused_from_its_size() {
    let dir = scratch("oversized");
    fs::write(dir.join("a.toml"), good_lesson("alpha", "Alpha lesson")).unwrap();
    // A 50 MB title: over the 4 MB file limit, refused without parsing.
    let huge = good_lesson("huge", &"x".repeat(50 * 1024 * 1024));
    fs::write(dir.join("huge.toml"), &huge).unwrap();
    let t = Instant::now();
    let (code, out, err) = list_text(&dir);
    assert_eq!(code, 0);
    assert!(out.contains("alpha"), "{out}");
    assert!(
        err.contains("huge.toml:1:1: not read: it is larger than 4 MB, the most nabla reads"),
        "{err}"
    );
    assert!(
        err.len() < 1000,
        "nothing of the file is echoed: {} bytes",
        err.len()
    );
    let (code, out, _) = run(&["lint", dir.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(String::from_utf8(out).unwrap().contains("larger than 4 MB"));
    // The same for a JSON progress file (of an earlier release) over its
    // 64 MB limit: moved aside, kept, never read whole.
    let progress = dir.join("progress.json");
    let mut f = fs::File::create(&progress).unwrap();
    std::io::Write::write_all(&mut f, b"{").unwrap();
    f.set_len(65 * 1024 * 1024).unwrap();
    drop(f);
    let out = Command::cargo_bin("nabla")
        .unwrap()
        .args(["--progress", progress.to_str().unwrap(), "progress"])
        .timeout(QUICK)
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("larger than 64 MB"), "{err}");
    assert!(!progress.exists(), "moved aside");
    assert!(t.elapsed() < Duration::from_secs(15), "{:?}", t.elapsed());
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn an_over_long_field_is_a_lint_error_naming_it_and_the_lesson_is_skipped() {
    let dir = scratch("long-title");
    // 1 MB: under the file limit, far over the title's.
    fs::write(
        dir.join("long.toml"),
        good_lesson("long", &"x".repeat(1024 * 1024)),
    )
    .unwrap();
    let choice = format!(
        "format = 1\nid = \"c\"\ntitle = \"C\"\norder = 2\n\n[[exercise]]\nid = \"pick\"\nkind = \"choice\"\ntitle = \"P\"\nprompt = \"Pick.\"\nchoices = [\"a\", \"{}\"]\nanswer = \"1\"\nhints = [\"h\", \"{}\"]\nsolution = \"s\"\n",
        "y".repeat(3000),
        "z".repeat(5000)
    );
    fs::write(dir.join("long-choice.toml"), choice).unwrap();
    fs::write(dir.join("ok.toml"), good_lesson("ok", "Fine")).unwrap();
    let t = Instant::now();
    let (code, out, err) = list_text(&dir);
    assert_eq!(code, 0);
    assert!(out.contains("ok  Fine"), "{out}");
    assert!(!out.contains("xxxxxxxxxx"), "the title is not listed");
    assert!(
        err.contains("long.toml:3:9: title is too long: 1048576 characters, and the limit is 200"),
        "{err}"
    );
    assert!(err.len() < 2000, "{} bytes on stderr", err.len());
    let (code, out, _) = run(&["lint", dir.to_str().unwrap()]);
    let out = String::from_utf8(out).unwrap();
    assert_eq!(code, 1);
    assert!(out.contains("long.toml:3:9: title is too long"), "{out}");
    assert!(
        out.contains("choice is too long: 3000 characters, and the limit is 2000"),
        "{out}"
    );
    assert!(
        out.contains("hint is too long: 5000 characters, and the limit is 4000"),
        "{out}"
    );
    // The 1 MB line is quoted cut around the error, not whole.
    assert!(out.len() < 5000, "{} bytes of lint output", out.len());
    assert!(t.elapsed() < Duration::from_secs(15), "{:?}", t.elapsed());
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_long_line_with_a_parse_error_is_quoted_around_the_error() {
    let dir = scratch("long-line");
    let line = format!(
        "title = \"{}\" {} = 1",
        "a".repeat(300_000),
        "b".repeat(1000)
    );
    fs::write(
        dir.join("x.toml"),
        format!("format = 1\nid = \"x\"\n{line}\norder = 1\n"),
    )
    .unwrap();
    let (code, out, err) = run(&["lint", dir.to_str().unwrap()]);
    assert_eq!(code, 1);
    let out = String::from_utf8(out).unwrap();
    assert!(out.len() < 2000, "{} bytes: {out}", out.len());
    assert!(out.contains('…'), "{out}");
    let (_, _, err2) = run(&["--no-builtin", "--lessons", dir.to_str().unwrap(), "list"]);
    assert!(err.len() + err2.len() < 2000, "{} bytes", err2.len());
    let _ = fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn a_symlink_out_of_the_folder_is_not_followed() {
    let outside = scratch("outside");
    let secret = outside.join("secret.toml");
    fs::write(&secret, "SECRET-CONTENT = \"do not echo\"\n").unwrap();
    let dir = scratch("links");
    fs::write(dir.join("a.toml"), good_lesson("alpha", "Alpha lesson")).unwrap();
    std::os::unix::fs::symlink(&secret, dir.join("evil.toml")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", dir.join("passwd.toml")).unwrap();
    std::os::unix::fs::symlink(dir.join("nowhere"), dir.join("dangling.toml")).unwrap();
    // A link to a file inside the folder is followed.
    fs::write(dir.join("real.txt"), good_lesson("inner", "Inner lesson")).unwrap();
    std::os::unix::fs::symlink(dir.join("real.txt"), dir.join("inner.toml")).unwrap();
    let (code, out, err) = list_text(&dir);
    assert_eq!(code, 0);
    assert!(
        out.contains("alpha") && out.contains("inner  Inner lesson"),
        "{out}"
    );
    assert!(
        err.contains(
            "evil.toml:1:1: not read: it is a symbolic link to a file outside the lesson folder"
        ),
        "{err}"
    );
    assert!(
        err.contains("passwd.toml:1:1: not read: it is a symbolic link to a file outside"),
        "{err}"
    );
    assert!(
        err.contains("dangling.toml:1:1: not read: it is a symbolic link that leads nowhere"),
        "{err}"
    );
    let (_, lint, lint_err) = run(&["lint", dir.to_str().unwrap()]);
    for text in [
        &out,
        &err,
        &String::from_utf8(lint).unwrap(),
        &String::from_utf8(lint_err).unwrap(),
    ] {
        assert!(
            !text.contains("SECRET-CONTENT") && !text.contains("root:"),
            "{text}"
        );
        assert!(
            !text.contains(secret.to_str().unwrap()),
            "the target is not named: {text}"
        );
    }
    let _ = fs::remove_dir_all(&dir);
    let _ = fs::remove_dir_all(&outside);
}

#[cfg(target_os = "linux")]
#[test]
fn output_that_cannot_be_written_is_an_error() {
    let dir = scratch("full");
    let progress = dir.join("p.json");
    let cases: &[&[&str]] = &[
        &["list"],
        &["list", "--json"],
        &["show", "notation/gradient-shape"],
        &["lint"],
        &["progress", "--export", "json"],
        &["progress"],
        &["--help"],
    ];
    for args in cases {
        let full = fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_nabla"))
            .arg("--progress")
            .arg(&progress)
            .args(*args)
            .stdout(full)
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let status = wait_quickly(&mut child);
        let mut err = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
        assert_eq!(status.code(), Some(2), "nabla {args:?}: {err}");
        assert!(
            err.contains("nabla: cannot write the output"),
            "nabla {args:?}: {err}"
        );
    }
    let _ = fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn a_closed_pipe_stays_a_quiet_exit() {
    use std::io::Read;
    use std::process::Stdio;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_nabla"))
        .args(["lint"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read nothing and close the pipe: every write after that fails.
    drop(child.stdout.take());
    let status = wait_quickly(&mut child);
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(status.success(), "{status:?}: {err}");
    assert!(!err.contains("cannot write"), "{err}");
}

/// Waits for `child`, killing it (and failing) after `QUICK`.
#[cfg(unix)]
fn wait_quickly(child: &mut std::process::Child) -> std::process::ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if start.elapsed() > QUICK {
            let _ = child.kill();
            panic!("nabla did not finish in {QUICK:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
