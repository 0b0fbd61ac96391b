//! Runs `tests/tmux_run.sh` against the binary cargo built: the real tutor in
//! a detached tmux session, driven with keys, its screen checked after each
//! step and the terminal checked after quitting. Where `tmux` is not
//! installed the test says so and passes, so CI without tmux stays green.

use std::path::{Path, PathBuf};
use std::process::Command;

/// `name` as an executable file in a directory of `PATH`, if there is one.
fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

#[test]
fn tutor_in_tmux() {
    if on_path("tmux").is_none() {
        eprintln!("note: tmux is not on PATH; skipping the scripted tmux run of the tutor");
        return;
    }
    let Some(bash) = on_path("bash") else {
        eprintln!("note: bash is not on PATH; skipping the scripted tmux run of the tutor");
        return;
    };
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tmux_run.sh");
    let out = Command::new(bash)
        .arg(&script)
        .arg(env!("CARGO_BIN_EXE_nabla"))
        .output()
        .expect("bash runs the script");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    print!("{stdout}");
    eprint!("{stderr}");
    assert!(
        out.status.success(),
        "tests/tmux_run.sh failed ({}):\n{stderr}",
        out.status
    );
    assert!(stdout.contains("all checks passed"), "{stdout}");
}
