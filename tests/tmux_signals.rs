//! Runs `tests/tmux_signals.sh` against the binary cargo built: the tutor in
//! a detached tmux session, sent TERM, HUP, INT, QUIT and XFSZ in turn, and
//! each time checked to have saved, restored the terminal and ended with the
//! signal's status. Where `tmux` is not installed the test says so and
//! passes.

mod common;

#[test]
fn every_signal_leaves_the_terminal_restored() {
    common::tmux::run_script("tmux_signals.sh", &["tmux"], Some("all checks passed"));
}
