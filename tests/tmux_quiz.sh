#!/usr/bin/env bash
# Scripted run of a self-quiz in the real binary, in tmux: a wrong answer and
# its feedback, a right one, quit — then the progress file must hold both.
# Then a second quiz is killed with SIGKILL right after a graded answer, and
# that answer must be in the file.
#
# usage: tests/tmux_quiz.sh [PATH-TO-nabla]     (default target/debug/nabla)
set -euo pipefail
bin=$(realpath "${1:-target/debug/nabla}")
here=$(cd "$(dirname "$0")" && pwd)
course="$here/data/quiz-course"
work=$(mktemp -d)
progress="$work/progress.json"
sock="nabla-quiz-$$"
t() { tmux -L "$sock" "$@"; }
cleanup() {
  t kill-server 2>/dev/null || true
  # tmux leaves its socket file behind.
  rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$sock"
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "tmux_quiz: FAIL: $*" >&2; echo "--- screen ---" >&2; t capture-pane -p -t q >&2 || true; exit 1; }

# Waits until the screen shows $1 (a fixed string), up to 10 s.
wait_for() {
  for _ in $(seq 100); do
    t capture-pane -p -t q | grep -qF -- "$1" && return 0
    sleep 0.1
  done
  fail "the screen never showed: $1"
}

# Types an answer to whichever exercise is on screen: right ($1 = right) or
# a known mistake ($1 = wrong).
answer() {
  local screen id
  screen=$(t capture-pane -p -t q)
  if grep -qF "quiz/linear" <<<"$screen"; then id=linear; else id=square; fi
  case "$1:$id" in
    right:linear) t send-keys -t q C-u "a" Enter ;;
    right:square) t send-keys -t q C-u "2x" Enter ;;
    wrong:linear) t send-keys -t q C-u "a'" Enter ;;
    wrong:square) t send-keys -t q C-u "x" Enter ;;
  esac
  echo "$id"
}

t new-session -d -s q -x 100 -y 30 "bash --norc --noprofile"
t send-keys -t q "$bin --lessons '$course' --progress '$progress' quiz --count 2" Enter
wait_for "quiz 1/2"

first=$(answer wrong)
wait_for "KNOWN-MISTAKE"
wait_for "✗"
answer right >/dev/null
wait_for "✓ Correct"
t send-keys -t q Escape
wait_for "Quiz fixtures"
t send-keys -t q q
sleep 0.5
t send-keys -t q "stty -a | grep -o -- '-\?icanon' | head -1" Enter
wait_for "icanon"
t capture-pane -p -t q | grep -q -- "-icanon" && fail "the terminal was left in raw mode"

python3 - "$progress" "$first" <<'PY' || fail "the progress file does not hold both answers"
import json, sys
p = json.load(open(sys.argv[1]))
e = p["exercises"]["quiz/" + sys.argv[2]]
assert e["attempts"] == 2 and e["correct"] == 1 and e["solved"], e
assert e["diagnoses"].get("known_mistake") == 1, e
PY

# The kill: a graded answer must survive SIGKILL as soon as the tutor has
# taken another key. The verdict is drawn before its save (an fsync, so the
# save never delays it) and the save is done before the next key is read: so
# once the next key's frame (help) is on screen, the answer is on disk. A kill
# between the verdict and that frame may lose that one answer, no more.
t send-keys -t q "$bin --lessons '$course' --progress '$progress' quiz --count 2" Enter
wait_for "quiz 1/2"
id=$(answer right)
wait_for "✓ Correct"
t send-keys -t q F1
wait_for "┌ Keys"
pkill -KILL -f -- "--progress $progress quiz" || fail "no nabla process to kill"
sleep 0.3
python3 - "$progress" "$id" "$first" <<'PY' || fail "an answer graded before the kill is missing"
import json, sys
p = json.load(open(sys.argv[1]))
e = p["exercises"]["quiz/" + sys.argv[2]]
before = 3 if sys.argv[2] == sys.argv[3] else 1
assert e["attempts"] >= before and e["solved"], e
PY
echo "tmux_quiz: ok"
