#!/usr/bin/env bash
# `nabla derive` against nesting depth (docs/performance.md): F is
# sum(tanh(tanh(…(x)…))) with D nested tanh, by x. Prints depth, wall
# seconds (best of 3; REPEAT="1" for one run) and the exit status (2: the result was refused,
# e.g. longer than the 4 000-character limit on expressions).
# Usage: benches/derive_depth.sh [path/to/nabla] [depths…]
set -euo pipefail
bin=${1:-target/release/nabla}
shift || true
depths=${*:-10 20 30 40 50 75 100}
for d in $depths; do
  f=x
  for _ in $(seq "$d"); do f="tanh($f)"; done
  best=
  for _ in ${REPEAT:-1 2 3}; do
    s=$(date +%s.%N)
    rc=0
    timeout 120 "$bin" derive "sum($f)" --wrt x --given "x: n" >/dev/null 2>&1 || rc=$?
    t=$(echo "$(date +%s.%N) - $s" | bc)
    if [ -z "$best" ] || (( $(echo "$t < $best" | bc) )); then best=$t; fi
    [ "$rc" = 124 ] && break
  done
  printf '%4d  %8.3f s  exit %s\n' "$d" "$best" "$rc"
done
