//! Runs `tests/tmux_run.sh` against the binary cargo built: the real tutor in
//! a detached tmux session, driven with keys, its screen checked after each
//! step and the terminal checked after quitting. Where `tmux` is not
//! installed the test says so and passes, so CI without tmux stays green.

mod common;

#[test]
fn tutor_in_tmux() {
    common::tmux::run_script("tmux_run.sh", &["tmux"], Some("all checks passed"));
}
