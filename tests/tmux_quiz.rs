//! Runs tests/tmux_quiz.sh against the built binary: a quiz driven through
//! tmux, with a wrong and a right answer, a second tutor on the same
//! progress database at the same time (its quiz starting with the exercise
//! just missed), quitting, and a SIGKILL — the database must hold every
//! graded answer of both tutors. Skipped where tmux or python3
//! is missing, so CI machines without them stay green.

mod common;

#[test]
fn a_scripted_quiz_keeps_every_graded_answer() {
    common::tmux::run_script("tmux_quiz.sh", &["tmux", "python3"], None);
}
