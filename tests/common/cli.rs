//! Running the real `nabla` binary from the CLI tests.

use assert_cmd::Command;

/// Runs `nabla ARGS...`: (exit code, stdout, stderr).
pub fn nabla(args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("nabla")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().expect("nabla exits with a status"),
        String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    )
}
