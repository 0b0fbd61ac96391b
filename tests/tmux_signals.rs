//! Runs `tests/tmux_signals.sh` against the binary cargo built: the tutor in
//! a detached tmux session, sent TERM, HUP, INT, QUIT and XFSZ in turn, and
//! each time checked to have saved, restored the terminal and ended with the
//! signal's status. Where `tmux` is not installed the test says so and
//! passes.

use std::path::{Path, PathBuf};
use std::process::Command;

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

#[test]
fn every_signal_leaves_the_terminal_restored() {
    let (Some(_), Some(bash)) = (on_path("tmux"), on_path("bash")) else {
        eprintln!("note: tmux or bash is not on PATH; skipping the signal runs of the tutor");
        return;
    };
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tmux_signals.sh");
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
        "tests/tmux_signals.sh failed ({}):\n{stderr}",
        out.status
    );
    assert!(stdout.contains("all checks passed"), "{stdout}");
}
