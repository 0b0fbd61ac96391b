//! Running one of the `tests/tmux_*.sh` scripts against the binary cargo
//! built: each drives the real tutor in a detached tmux session. Where a tool the script needs
//! is not on `PATH`, the test says so and passes, so CI machines without
//! tmux stay green.

use std::path::{Path, PathBuf};
use std::process::Command;

/// `name` as an executable file in a directory of `PATH`, if there is one.
pub fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// Runs `tests/SCRIPT` with bash on the built `nabla`, when `tools` (and
/// bash) are all on `PATH`: it must succeed and, where given, print `done`.
pub fn run_script(script: &str, tools: &[&str], done: Option<&str>) {
    let missing: Vec<&str> = tools
        .iter()
        .copied()
        .chain(["bash"])
        .filter(|t| on_path(t).is_none())
        .collect();
    if !missing.is_empty() {
        eprintln!(
            "note: {} not on PATH; skipping tests/{script}",
            missing.join(", ")
        );
        return;
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(script);
    let out = Command::new("bash")
        .arg(&path)
        .arg(env!("CARGO_BIN_EXE_nabla"))
        .output()
        .expect("bash runs the script");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    print!("{stdout}");
    eprint!("{stderr}");
    assert!(
        out.status.success(),
        "tests/{script} failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
    if let Some(done) = done {
        assert!(stdout.contains(done), "{stdout}");
    }
}
