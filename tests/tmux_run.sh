#!/usr/bin/env bash
# A scripted run of the real `nabla` binary in a detached tmux session: opens
# the tutor, drives it with keys as a user would, checks the screen after each
# step, then checks that quitting gives the terminal back as it was.
#
#   tests/tmux_run.sh [PATH-TO-NABLA]      (default: target/debug/nabla)
#
# Builds nothing: run `cargo build` first (or `cargo test --test tmux_run`,
# which builds and runs this script). Needs bash and tmux. Uses its own tmux
# server (socket nabla-test-PID) and a temp dir for progress, and removes both
# on exit, whatever happens. Each check polls the screen until the expected
# text appears, for up to NABLA_TMUX_TIMEOUT seconds (default 5).
# Exits 0 when every check passes; otherwise 1 with a message saying which
# check failed and what the screen showed.

set -uo pipefail

bin=${1:-target/debug/nabla}
timeout=${NABLA_TMUX_TIMEOUT:-5}
# The lesson opened: the second one on the home screen.
lesson_title="Scalar-by-vector derivatives"
prompt='nabla-test$ '

fail() {
    echo "tmux_run: FAILED: $*" >&2
    exit 1
}

command -v tmux >/dev/null || fail "tmux is not on PATH"
[[ -x $bin ]] || fail "no executable at '$bin' (build it first: cargo build)"
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")

socket=nabla-test-$$
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nabla-tmux.XXXXXX") || fail "cannot make a temp dir"
socket_path=
cleanup() {
    tmux -L "$socket" kill-server 2>/dev/null
    # tmux leaves its socket file behind.
    [[ -n $socket_path && -S $socket_path ]] && rm -f "$socket_path"
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# tmux with our own server, and no user config.
t() { tmux -L "$socket" -f /dev/null "$@"; }

pane() { t capture-pane -p -t nabla; }

# Shows the screen after a failed check.
fail_with_screen() {
    {
        echo "tmux_run: FAILED: $*"
        echo "---- screen ----"
        pane
        echo "----------------"
    } >&2
    exit 1
}

step() { echo "tmux_run: $*"; }

# wait_for TEXT WHAT: poll until the screen contains TEXT (fixed string).
wait_for() {
    local text=$1 what=$2 deadline=$((SECONDS + timeout))
    while ((SECONDS <= deadline)); do
        pane | grep -qF -- "$text" && return 0
        sleep 0.05
    done
    fail_with_screen "$what: '$text' did not appear within ${timeout}s"
}

# wait_for_re REGEX WHAT: the same, for an extended regular expression.
wait_for_re() {
    local re=$1 what=$2 deadline=$((SECONDS + timeout))
    while ((SECONDS <= deadline)); do
        pane | grep -qE -- "$re" && return 0
        sleep 0.05
    done
    fail_with_screen "$what: nothing matching /$re/ appeared within ${timeout}s"
}

# wait_gone TEXT WHAT: poll until the screen no longer contains TEXT.
wait_gone() {
    local text=$1 what=$2 deadline=$((SECONDS + timeout))
    while ((SECONDS <= deadline)); do
        pane | grep -qF -- "$text" || return 0
        sleep 0.05
    done
    fail_with_screen "$what: '$text' is still on screen after ${timeout}s"
}

# wait_format FORMAT VALUE WHAT: poll until `tmux display -p FORMAT` is VALUE.
wait_format() {
    local format=$1 want=$2 what=$3 got deadline=$((SECONDS + timeout))
    while ((SECONDS <= deadline)); do
        got=$(t display -p -t nabla "$format")
        [[ $got == "$want" ]] && return 0
        sleep 0.05
    done
    fail_with_screen "$what: $format is '$got', expected '$want'"
}

# wait_scrolled WHAT: poll until the text under the title bar differs from
# what it was at the last call (or at the start).
last_text=
wait_scrolled() {
    local what=$1 now deadline=$((SECONDS + timeout))
    while ((SECONDS <= deadline)); do
        now=$(pane | sed -n '2,5p')
        if [[ $now != "$last_text" ]]; then
            last_text=$now
            return 0
        fi
        sleep 0.05
    done
    fail_with_screen "$what: the text did not move"
}

# keys KEY...: send tmux key names (Enter, Escape, PageDown, j, ...).
keys() { t send-keys -t nabla "$@"; }

# A plain shell with a known prompt, 100×30, in the directory of this run.
unset TMUX
t new-session -d -s nabla -x 100 -y 30 -c "$tmp" \
    "env -i PATH=\"$PATH\" TERM=xterm-256color HOME=\"$tmp\" PS1='$prompt' bash --norc --noprofile -i" ||
    fail "tmux could not start a session"
socket_path=$(t display -p '#{socket_path}')
wait_for "${prompt% }" "shell start"
wait_format '#{alternate_on}' 0 "shell start"

step "home screen"
printf -v cmd '%q --progress %q' "$bin" "$tmp/progress.json"
t send-keys -t nabla -l "XDG_DATA_HOME=$tmp/data $cmd"
keys Enter
wait_for "┌ Lessons" "home screen"
wait_for "Notation and layouts" "home screen"
wait_for "$lesson_title" "home screen"
wait_format '#{alternate_on}' 1 "home screen (alternate screen)"

step "open a lesson (j, Enter)"
keys j Enter
wait_gone "┌ Lessons" "open a lesson"
wait_for " $lesson_title " "open a lesson (title bar)"
# A display formula drawn in two dimensions: a fraction bar.
wait_for "──" "open a lesson (a drawn fraction)"
wait_for "t contents" "open a lesson (key bar)"
last_text=$(pane | sed -n '2,5p')

step "scroll (j, PgDn)"
keys j
wait_scrolled "scroll (j)"
keys PageDown
wait_scrolled "scroll (PgDn)"
wait_for " $lesson_title " "scroll (title bar)"

step "table of contents (t, j, Enter)"
keys t
wait_for "┌ Contents" "table of contents"
wait_for "Exercises" "table of contents"
keys j Enter
wait_gone "┌ Contents" "table of contents (Enter jumps and closes it)"
wait_for "t contents" "table of contents (back in the lesson)"

step "reveal a derivation step (], r)"
# Go to the next section until an identity with hidden steps is on screen.
# (Each press waits for the screen to move, so none is lost or doubled.)
last_text=$(pane | sed -n '2,5p')
until pane | grep -qF "Derivation: 0 of"; do
    keys ']'
    wait_scrolled "reveal (] to the next section, looking for an identity)"
done
keys r
wait_for_re "Derivation(: 1 of| \(1 step)" "reveal (one step shown)"

step "help (?), close it (Esc)"
keys '?'
wait_for "┌ Keys" "help"
wait_for "Reading a lesson" "help"
keys Escape
wait_gone "┌ Keys" "close help"
wait_for " $lesson_title " "close help (still in the lesson)"

step "back to the home screen (Esc)"
keys Escape
wait_for "┌ Lessons" "back (Esc)"
wait_gone "Derivation:" "back (Esc)"

step "quit (q), terminal restored"
keys q
wait_format '#{alternate_on}' 0 "quit (alternate screen left)"
wait_format '#{cursor_flag}' 1 "quit (cursor shown)"
wait_format '#{mouse_any_flag}' 0 "quit (mouse reporting off)"
deadline=$((SECONDS + timeout))
until [[ $(pane | grep -v '^$' | tail -1) == "${prompt% }" ]]; do
    ((SECONDS <= deadline)) || fail_with_screen "quit: the shell prompt is not back"
    sleep 0.05
done
# The shell restores its own saved settings before running a command, and
# saves whatever a command that exits normally leaves: so stty here shows
# the modes nabla left behind.
t send-keys -t nabla -l 'printf "MODES[%s]\n" "$(stty -a | tr " ;" "\n\n" | grep -xE -e "-?(icanon|echo)" | tr "\n" " ")"'
keys Enter
deadline=$((SECONDS + timeout))
until modes=$(pane | grep -o 'MODES\[[^]%]*\]'); do
    ((SECONDS <= deadline)) || fail_with_screen "quit: stty -a printed nothing"
    sleep 0.05
done
[[ $modes == "MODES[icanon echo ]" ]] ||
    fail_with_screen "quit: the terminal was not restored (stty -a shows $modes, expected icanon echo)"

echo "tmux_run: all checks passed"
