#!/usr/bin/env bash
# Scripted run of a self-quiz in the real binary, in tmux: a wrong answer and
# its feedback, a right one; then, with that tutor still open, a second tutor
# on the same progress database, whose quiz must start with the exercise
# just missed (the review picker, not a shuffle); both answer and quit, and
# the database must hold every answer of both, the mistake by its kind.
# Then a third quiz is killed with SIGKILL right after a graded answer, and
# that answer must be in the file.
#
# usage: tests/tmux_quiz.sh [PATH-TO-nabla]     (default target/debug/nabla)
set -euo pipefail
bin=$(realpath "${1:-target/debug/nabla}")
here=$(cd "$(dirname "$0")" && pwd)
course="$here/data/quiz-course"
work=$(mktemp -d)
progress="$work/progress.db"
sock="nabla-quiz-$$"
t() { tmux -L "$sock" "$@"; }
cleanup() {
  t kill-server 2>/dev/null || true
  # tmux leaves its socket file behind.
  rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$sock"
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "tmux_quiz: FAIL: $*" >&2; for s in q q2; do echo "--- screen $s ---" >&2; t capture-pane -p -t "$s" >&2 || true; done; exit 1; }

# Waits until the screen of session ${2:-q} shows $1 (a fixed string), up to 10 s.
wait_for() {
  for _ in $(seq 100); do
    t capture-pane -p -t "${2:-q}" | grep -qF -- "$1" && return 0
    sleep 0.1
  done
  fail "the screen never showed: $1"
}

# Types an answer to whichever exercise is on screen in session ${2:-q}:
# right ($1 = right) or a known mistake ($1 = wrong).
answer() {
  local screen id s=${2:-q}
  screen=$(t capture-pane -p -t "$s")
  if grep -qF "quiz/linear" <<<"$screen"; then id=linear; else id=square; fi
  case "$1:$id" in
    right:linear) t send-keys -t "$s" C-u "a" Enter ;;
    right:square) t send-keys -t "$s" C-u "2x" Enter ;;
    wrong:linear) t send-keys -t "$s" C-u "a'" Enter ;;
    wrong:square) t send-keys -t "$s" C-u "x" Enter ;;
  esac
  echo "$id"
}

# Runs a Python check against the database, read-only.
check() {
  python3 - "$progress" "$@"
}

t new-session -d -s q -x 100 -y 30 "bash --norc --noprofile"
t send-keys -t q "$bin --no-builtin --lessons '$course' --progress '$progress' quiz --count 2" Enter
wait_for "quiz 1/2"

first=$(answer wrong)
wait_for "KNOWN-MISTAKE"
wait_for "✗"
answer right >/dev/null
wait_for "✓ Correct"
if [ "$first" = linear ]; then other=square; else other=linear; fi

# A second tutor on the same file while the first is still open.
t new-session -d -s q2 -x 100 -y 30 "bash --norc --noprofile"
t send-keys -t q2 "$bin --no-builtin --lessons '$course' --progress '$progress' quiz --count 2" Enter
wait_for "quiz 1/2" q2
t capture-pane -p -t q2 | grep -qF "quiz/$first" \
  || fail "the second quiz does not start with the exercise just missed (quiz/$first)"
answer right q2 >/dev/null
wait_for "✓ Correct" q2
# Each tutor answers one more: the first its second question, the second
# its own.
t send-keys -t q PageDown
wait_for "quiz 2/2"
answer right >/dev/null
wait_for "✓ Correct"
t send-keys -t q2 PageDown
wait_for "quiz 2/2" q2
answer right q2 >/dev/null
wait_for "✓ Correct" q2
for s in q q2; do
  t send-keys -t "$s" Escape
  wait_for "Quiz finished" "$s"
  t send-keys -t "$s" Escape
  wait_for "Quiz fixtures" "$s"
  t send-keys -t "$s" q
done
sleep 0.5
t send-keys -t q "stty -a | grep -o -- '-\?icanon' | head -1" Enter
wait_for "icanon"
t capture-pane -p -t q | grep -q -- "-icanon" && fail "the terminal was left in raw mode"

check "$first" "$other" <<'PY' || fail "the database does not hold every answer of both tutors"
import sqlite3, sys
db = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
first, other = "quiz/" + sys.argv[2], "quiz/" + sys.argv[3]
rows = db.execute("SELECT exercise, correct, kind, mistake FROM attempts ORDER BY id").fetchall()
mine = [r for r in rows if r[0] == first]
assert len(mine) == 3 and sum(r[1] for r in mine) == 2, rows   # wrong, right; right
assert len([r for r in rows if r[0] == other]) == 2, rows      # one right from each
wrong = [r for r in rows if not r[1]]
assert len(wrong) == 1, rows
# Counted by its kind (a transpose or a missing factor 2), the lesson's
# mistake kept beside it.
assert wrong[0][2] in ("transpose", "scale") and wrong[0][3] == 0, wrong
assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
PY

# The kill: a graded answer must survive SIGKILL as soon as the tutor has
# taken another key. The verdict is drawn before its save (an fsync, so the
# save never delays it) and the save is done before the next key is read: so
# once the next key's frame (help) is on screen, the answer is on disk. A kill
# between the verdict and that frame may lose that one answer, no more.
t send-keys -t q "$bin --no-builtin --lessons '$course' --progress '$progress' quiz --count 2" Enter
wait_for "quiz 1/2"
id=$(answer right)
wait_for "✓ Correct"
t send-keys -t q F1
wait_for "┌ Keys"
pkill -KILL -f -- "--progress $progress quiz" || fail "no nabla process to kill"
sleep 0.3
check "$id" <<'PY' || fail "an answer graded before the kill is missing"
import sqlite3, sys
db = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
n = db.execute("SELECT count(*) FROM attempts").fetchone()[0]
last = db.execute("SELECT exercise, correct FROM attempts ORDER BY id DESC LIMIT 1").fetchone()
assert n == 6 and last == ("quiz/" + sys.argv[2], 1), (n, last)
assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
PY
echo "tmux_quiz: ok"
