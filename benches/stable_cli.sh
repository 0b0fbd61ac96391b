#!/usr/bin/env bash
# Whole-process `nabla check` at the largest sizes, for the stable-evaluation
# work (docs/performance.md, "Stable evaluation"): det, logdet and a matrix
# power at 2048×2048, logdet at 400×400, and the log-sum-exp examples.
#
#   benches/stable_cli.sh AFTER [BEFORE]
#
# Times each command once per binary with /usr/bin/time (wall, user, peak
# memory) under a timeout, and prints the exit code and nabla's last line.
# Not a test: nothing here asserts a time.
set -u
after=$1
before=${2:-}
timeout_s=${TIMEOUT:-300}

run() { # label binary timeout args...
    local label=$1 bin=$2 limit=$3
    shift 3
    local out
    out=$( { /usr/bin/time -f "TIME %e s wall, %U s user, %M KB" timeout "$limit" "$bin" "$@" 2>&1; echo "EXIT $?"; } 2>&1 )
    local rc time last
    rc=$(grep '^EXIT' <<<"$out" | tail -1 | cut -d' ' -f2)
    time=$(grep '^TIME' <<<"$out" | tail -1 | cut -d' ' -f2-)
    last=$(grep -v '^EXIT\|^TIME\|^Command' <<<"$out" | tail -1 | cut -c1-90)
    [ "$rc" = 124 ] && last="killed after ${limit} s"
    printf '%-6s %-26s %-14s exit %-3s %-42s %s\n' "$label" "$2" "$6" "$rc" "$time" "$last"
}

echo "# $(date -u +%FT%TZ)  nproc=$(nproc)  $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)  load: $(cut -d' ' -f1-3 /proc/loadavg)"
cases=(
    "A: 2048 x 2048|logdet(A)|inv(A)'"
    "A: 2048 x 2048|det(A)|det(A) inv(A)'"
    "A: 2048 x 2048|tr(A^64)|64 (A^63)'"
    "A: 400 x 400|logdet(A)|inv(A)'"
    "x: n|log(sum(exp(x - 1000)))|softmax(x)"
    "x: n|log(sum(exp(x + 1000)))|softmax(x)"
)
for c in "${cases[@]}"; do
    IFS='|' read -r given f answer <<<"$c"
    wrt=${given%%:*}
    run after "$after" "$timeout_s" check "$f" --wrt "$wrt" --given "$given" --answer "$answer"
    if [ -n "$before" ]; then
        run before "$before" "$timeout_s" check "$f" --wrt "$wrt" --given "$given" --answer "$answer"
    fi
done
echo "# load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
