//! Runs tests/tmux_quiz.sh against the built binary: a quiz driven through
//! tmux, with a wrong and a right answer, quitting, and a SIGKILL — the
//! progress file must hold every graded answer the tutor had moved past. Skipped where tmux or python3
//! is missing, so CI machines without them stay green.

mod common;

#[test]
fn a_scripted_quiz_keeps_every_graded_answer() {
    common::tmux::run_script("tmux_quiz.sh", &["tmux", "python3"], None);
}
