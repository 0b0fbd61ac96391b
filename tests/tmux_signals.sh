#!/usr/bin/env bash
# Each signal that ends a program from outside — TERM, HUP, INT, QUIT, XFSZ —
# sent to the real tutor running in a detached tmux session: the tutor must
# save, give the terminal back (main screen, cursor shown, cooked mode with
# echo) and end with the signal's status. Then the terminal itself goes
# away (the session is killed): the tutor must save and end.
#
#   tests/tmux_signals.sh [PATH-TO-NABLA]      (default: target/debug/nabla)
#
# The tutor runs under a non-interactive `sh -c`, which, unlike an
# interactive shell, does not restore the terminal's modes after a command
# dies of a signal: the `stty -a` run right after it shows what nabla left.
# Own tmux server and temp dir, removed on exit. Exits 0 when every check
# passes; otherwise 1 with the failed check and the screen.

set -uo pipefail

bin=${1:-target/debug/nabla}
timeout=${NABLA_TMUX_TIMEOUT:-5}

fail() {
    echo "tmux_signals: FAILED: $*" >&2
    exit 1
}

command -v tmux >/dev/null || fail "tmux is not on PATH"
[[ -x $bin ]] || fail "no executable at '$bin' (build it first: cargo build)"
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")

socket=nabla-signals-$$
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nabla-signals.XXXXXX") || fail "cannot make a temp dir"
socket_path=
cleanup() {
    tmux -L "$socket" kill-server 2>/dev/null
    [[ -n $socket_path && -S $socket_path ]] && rm -f "$socket_path"
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

t() { tmux -L "$socket" -f /dev/null "$@"; }
pane() { t capture-pane -p -t "$1"; }
fail_with_screen() {
    {
        echo "tmux_signals: FAILED: $2"
        echo "---- screen ----"
        pane "$1"
        echo "----------------"
    } >&2
    exit 1
}
wait_for() {
    local s=$1 text=$2 what=$3 deadline=$((SECONDS + timeout))
    while ((SECONDS <= deadline)); do
        pane "$s" | grep -qF -- "$text" && return 0
        sleep 0.05
    done
    fail_with_screen "$s" "$what: '$text' did not appear within ${timeout}s"
}
wait_format() {
    local s=$1 format=$2 want=$3 what=$4 got deadline=$((SECONDS + timeout))
    while ((SECONDS <= deadline)); do
        got=$(t display -p -t "$s" "$format")
        [[ $got == "$want" ]] && return 0
        sleep 0.05
    done
    fail_with_screen "$s" "$what: $format is '$got', expected '$want'"
}

unset TMUX
# A server that stays up between the sessions.
t new-session -d -s keep -x 80 -y 24 "sleep 600" || fail "tmux could not start"
socket_path=$(t display -p '#{socket_path}')

for sig in TERM HUP INT QUIT XFSZ; do
    s=sig-$sig
    progress=$tmp/$sig.db
    printf -v run '%q --progress %q' "$bin" "$progress"
    # After nabla: its exit status and the terminal modes it left.
    cat >"$tmp/run-$sig.sh" <<SH
$run
echo "EXIT=\$?"
stty -a | tr ' ;' '\n\n' | grep -xE -e '-?(icanon|echo)' | tr '\n' ' '
echo ENDMODES
sleep 600
SH
    t new-session -d -s "$s" -x 100 -y 30 -c "$tmp" \
        "env -i PATH=\"$PATH\" TERM=xterm-256color HOME=\"$tmp\" XDG_DATA_HOME=\"$tmp/data\" sh $tmp/run-$sig.sh" ||
        fail "tmux could not start a session for $sig"
    wait_for "$s" "┌ Lessons" "$sig: home screen"
    wait_format "$s" '#{alternate_on}' 1 "$sig: home screen (alternate screen)"
    # Open a lesson: its position is saved.
    t send-keys -t "$s" j Enter
    wait_for "$s" "t contents" "$sig: a lesson open"

    shell=$(t display -p -t "$s" '#{pane_pid}')
    pid=
    for _ in $(seq 100); do
        pid=$(pgrep -P "$shell" -x nabla | head -1) && [[ -n $pid ]] && break
        sleep 0.05
    done
    [[ -n $pid ]] || fail_with_screen "$s" "$sig: cannot find the nabla process"
    kill -s "$sig" "$pid"

    wait_for "$s" "ENDMODES" "$sig: nabla ended"
    wait_format "$s" '#{alternate_on}' 0 "$sig: alternate screen left"
    wait_format "$s" '#{cursor_flag}' 1 "$sig: cursor shown"
    screen=$(pane "$s")
    status=$(grep -o 'EXIT=[0-9]*' <<<"$screen" | head -1)
    want=$((128 + $(kill -l "$sig")))
    [[ $status == "EXIT=$want" ]] ||
        fail_with_screen "$s" "$sig: exit status $status, expected EXIT=$want (ended by the signal)"
    grep -qF "icanon echo ENDMODES" <<<"$screen" ||
        fail_with_screen "$s" "$sig: the terminal was left in raw mode"
    # The lesson opened (the second on the home screen) is in the database:
    # `nabla progress` marks it opened ("·").
    "$bin" --progress "$progress" progress 2>/dev/null | grep -qF '· scalar-by-vector' ||
        fail_with_screen "$s" "$sig: the progress file was not saved"
    echo "tmux_signals: $sig: saved, terminal restored, exit $want"
    t kill-session -t "$s"
done

# The terminal itself going away (a closed window, a killed session): the
# tutor must notice the hang-up and end, not spin on a dead terminal.
s=hangup
progress=$tmp/hangup.db
t new-session -d -s "$s" -x 100 -y 30 -c "$tmp" \
    "env -i PATH=\"$PATH\" TERM=xterm-256color HOME=\"$tmp\" XDG_DATA_HOME=\"$tmp/data\" $bin --progress $progress" ||
    fail "tmux could not start a session for the hang-up"
wait_for "$s" "┌ Lessons" "hang-up: home screen"
t send-keys -t "$s" j Enter
wait_for "$s" "t contents" "hang-up: a lesson open"
pid=
for _ in $(seq 100); do
    pid=$(pgrep -f -- "--progress $progress" | head -1) && [[ -n $pid ]] && break
    sleep 0.05
done
[[ -n $pid ]] || fail_with_screen "$s" "hang-up: cannot find the nabla process"
t kill-session -t "$s"
deadline=$((SECONDS + timeout))
while kill -0 "$pid" 2>/dev/null && ((SECONDS <= deadline)); do
    sleep 0.05
done
if kill -0 "$pid" 2>/dev/null; then
    kill -9 "$pid"
    fail "hang-up: nabla was still running ${timeout}s after its terminal went away"
fi
"$bin" --progress "$progress" progress 2>/dev/null | grep -qF '· scalar-by-vector' ||
    fail "hang-up: the progress file was not saved"
echo "tmux_signals: hang-up: saved and ended"

echo "tmux_signals: all checks passed"
