#!/usr/bin/env bash
# Rewrites the function table of docs/expressions.md from the engine's
# table (expr::func::FUNCS): run after adding or changing a function.
# tests/func_table.rs fails until the docs match.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(cargo test -q --test func_table the_docs_function_table_is_the_table 2>&1 || true)
python3 - "$out" <<'PY'
import re, sys
out = sys.argv[1]
m = re.search(r"writes it:\n(\| function \|.*?\n)(?!\|)", out, re.S)
if not m:
    print("docs/expressions.md already matches the table"); sys.exit(0)
table = m.group(1)
p = "docs/expressions.md"
s = open(p).read()
start = s.index("| function | takes | gives |")
end = s.index("\n\n", start) + 1
open(p, "w").write(s[:start] + table + s[end:])
print("rewrote the function table of docs/expressions.md")
PY
