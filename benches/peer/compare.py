#!/usr/bin/env python3
"""nabla against its numpy peer, whole process, interleaved (issue 11).

    benches/peer/compare.py [NABLA ...] [options]     # prints a markdown report

NABLA is one or more nabla binaries (default target/release/nabla); with two,
two builds are compared with each other and with the peer in the same run.
Every run of every tool is interleaved with the others (ABAB..., the order
flipped every round) at the same case and size, so all see the same load.
Each run is one whole process, timed from spawn to exit; peak memory is the
child's ru_maxrss (the counter /usr/bin/time -f %M reports), and one extra
run per tool at the largest size is made under /usr/bin/time -f %M itself.

The peer runs with OPENBLAS_NUM_THREADS=2 (--threads); nabla runs as built.
Only the standard library is needed here; the peer needs numpy (README.md).
"""

import argparse
import datetime
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# name, F, wrt, declarations (n filled in), answer, expected exit
CASES = {
    "tr": ("tr(A X B)", "X", "A, X, B: {n} x {n}", "A' B'"),
    "lsq": ("||A X - B||^2", "X", "A, X, B: {n} x {n}", "2 A'(A X - B)"),
    "quad": ("x' A x", "x", "A: {n} x {n}; x: {n}", "(A + A') x"),
}
TUTOR = [
    ("x' A x", "x", "A: n x n; x: n", "(A + A') x", 0),
    ("x' A x", "x", "A: n x n; x: n", "2 A x", 1),
    ("tr(A X B)", "X", "A: p x m; X: m x n; B: n x p", "A' B'", 0),
    ("||A X - B||^2", "X", "A: m x n; X: n x k; B: m x k", "2 A'(A X - B)", 0),
]
SHORT = {"tr": "tr(AXB)", "lsq": "‖AX−B‖²", "quad": "x'Ax"}
DEFAULT_RUNS = "16=30,32=30,64=30,128=15,256=10,512=5,1024=3"


def run_once(cmd, env):
    """Wall seconds, CPU seconds (user + sys), peak RSS in KB, exit status."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss, p.returncode


def fmt_t(s):
    if s is None:
        return "—"
    if s < 1e-3:
        return f"{s * 1e6:.0f} µs"
    if s < 1:
        ms = s * 1e3
        return f"{ms:.2f} ms" if ms < 10 else f"{ms:.1f} ms" if ms < 100 else f"{ms:.0f} ms"
    return f"{s:.2f} s"


def code(s):
    """Inline code in a markdown table cell: `|` must be escaped there."""
    return "`" + s.replace("|", "\\|") + "`"


def fmt_mb(kb):
    return f"{kb / 1024:.0f} MB" if kb >= 10240 else f"{kb / 1024:.1f} MB"


class Tool:
    def __init__(self, label, argv, env, checked=True):
        self.label, self.argv, self.env, self.checked = label, argv, env, checked

    def cmd(self, f, wrt, given, answer, seed):
        return self.argv + ["check", f, "--wrt", wrt, "--given", given,
                            "--answer", answer, "--seed", str(seed)]


def verify(tool, f, wrt, given, answer, expect):
    """One run with output: the verdict must be the expected one."""
    p = subprocess.run(tool.cmd(f, wrt, given, answer, 0) + ["--json"], env=tool.env,
                       capture_output=True, text=True)
    if p.returncode != expect:
        sys.exit(f"{tool.label}: `{f}` by {wrt}, answer `{answer}`, {given}: exit {p.returncode}, "
                 f"expected {expect}\n{p.stdout}{p.stderr}")
    try:
        return json.loads(p.stdout)
    except ValueError:
        return {}


def measure(tools, f, wrt, given, answer, expect, runs, warmup, block=1):
    """Interleaved runs; returns {label: [(wall, cpu, rss), ...]}.

    With block=1 every run of a tool is followed by a run of another (ABAB…,
    the order flipped every round). With block=k the tools take turns in
    blocks of k runs (k of A, k of B, k of B, k of A, …): still side by side
    in one run, but a millisecond process is then mostly timed after itself
    rather than right after a 100 ms Python run, which on this VM costs even
    /bin/true 0.4 ms (benches/peer/cold_start.py). The tutor-size table
    reports both. Tools without an `expect`ed exit (the /bin/true floor) are
    not checked."""
    verdicts = {t.label: verify(t, f, wrt, given, answer, expect) for t in tools if t.checked}
    for _ in range(warmup - 1):
        for t in tools:
            run_once(t.cmd(f, wrt, given, answer, 0), t.env)
    samples = {t.label: [] for t in tools}
    rounds = -(-runs // block)
    for b in range(rounds):
        order = tools if b % 2 == 0 else tools[::-1]
        for t in order:
            for k in range(min(block, runs - b * block)):
                r = b * block + k
                wall, cpu, rss, rc = run_once(t.cmd(f, wrt, given, answer, r + 1), t.env)
                if t.checked and rc != expect:
                    sys.exit(f"{t.label}: exit {rc} (expected {expect}) on seed {r + 1}: "
                             f"`{f}` by {wrt}, `{answer}`, {given}")
                samples[t.label].append((wall, cpu, rss))
    return samples, verdicts


def med(xs):
    return statistics.median(xs) if xs else None


def summary(s):
    walls = [w for w, _, _ in s]
    return {"median": med(walls), "min": min(walls), "max": max(walls),
            "cpu": med([c for _, c, _ in s]), "rss": max(r for _, _, r in s)}


def time_rss(tool, f, wrt, given, answer):
    """Peak RSS of one run under /usr/bin/time -f %M, in KB (None without it)."""
    if not os.path.exists("/usr/bin/time"):
        return None
    with tempfile.NamedTemporaryFile("r") as out:
        subprocess.run(["/usr/bin/time", "-o", out.name, "-f", "%M"]
                       + tool.cmd(f, wrt, given, answer, 99), env=tool.env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            return int(out.read().split()[-1])
        except (ValueError, IndexError):
            return None


def baseline(cmd, env, runs=20):
    return med([run_once(cmd, env)[0] for _ in range(runs)])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("nabla", nargs="*", help="nabla binaries (default target/release/nabla)")
    ap.add_argument("--python", default=os.environ.get("PEER_PYTHON", os.path.join(ROOT, ".venv-peer", "bin", "python")),
                    help="the Python with numpy for the peer (default .venv-peer/bin/python, or $PEER_PYTHON)")
    ap.add_argument("--sizes", default="16,32,64,128,256,512,1024")
    ap.add_argument("--runs", default=DEFAULT_RUNS, help=f"runs per size, n=k,... (default {DEFAULT_RUNS}); "
                    "sizes not listed take the entry of the next larger listed size")
    ap.add_argument("--scale", type=float, default=1.0, help="multiply every run count (at least 1 run)")
    ap.add_argument("--tutor-runs", type=int, default=30)
    ap.add_argument("--tutor-block", type=int, default=10,
                    help="tutor sizes are also run in turns of this many runs per tool (default 10)")
    ap.add_argument("--cases", default="tr,lsq,quad", help="of " + ",".join(CASES))
    ap.add_argument("--no-tutor", action="store_true")
    ap.add_argument("--threads", default="2", help="OPENBLAS_NUM_THREADS for the peer (default 2)")
    ap.add_argument("--slope", default="256,1024", help="growth exponent between these two sizes")
    ap.add_argument("--raw", help="write every sample as JSON to this file")
    args = ap.parse_args()

    nablas = args.nabla or [os.path.join(ROOT, "target", "release", "nabla")]
    for b in nablas:
        if not os.access(b, os.X_OK):
            sys.exit(f"no nabla binary at {b} (cargo build --release)")
    if not os.access(args.python, os.X_OK):
        sys.exit(f"no Python at {args.python}: create the venv (benches/peer/README.md) or pass --python")
    sizes = [int(s) for s in args.sizes.split(",")]
    table = sorted((int(k), int(v)) for k, v in (e.split("=") for e in args.runs.split(",")))

    def runs_for(n):
        k = next((v for s, v in table if s >= n), table[-1][1])
        return max(1, round(k * args.scale))

    peer_env = dict(os.environ, OPENBLAS_NUM_THREADS=args.threads)
    nabla_env = dict(os.environ)
    labels = ["nabla"] if len(nablas) == 1 else [f"nabla {i + 1}" for i in range(len(nablas))]
    tools = [Tool(l, [b], nabla_env) for l, b in zip(labels, nablas)]
    peer = Tool("peer", [args.python, os.path.join(HERE, "peer.py")], peer_env)
    tools.append(peer)

    blas = json.loads(subprocess.run([args.python, os.path.join(HERE, "peer.py"), "blas"], env=peer_env,
                                     capture_output=True, text=True, check=True).stdout)
    if str(blas.get("threads")) != str(args.threads):
        print(f"warning: OpenBLAS reports {blas.get('threads')} threads, asked for {args.threads}", file=sys.stderr)
    versions = [subprocess.run([b, "--version"], capture_output=True, text=True).stdout.strip() for b in nablas]
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    load0 = open("/proc/loadavg").read().split()[:3]
    started = time.time()

    out = []
    w = out.append
    w(f"# nabla vs numpy peer, whole process, interleaved ({datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC)\n")
    w(f"- machine: {platform.node()}, {os.cpu_count()} cores (nproc {len(os.sched_getaffinity(0))}), {cpu}, "
      f"Linux {platform.release()}")
    for l, b, v in zip(labels, nablas, versions):
        w(f"- {l}: `{b}` ({v}), as built")
    w(f"- peer: `benches/peer/peer.py` on Python {blas.get('python')}, numpy {blas.get('numpy')}, "
      f"BLAS {blas.get('blas')}, kernel **{blas.get('kernel', '?')}**, "
      f"**{blas.get('threads', '?')} thread{'' if str(blas.get('threads')) == '1' else 's'}** "
      f"(OPENBLAS_NUM_THREADS={args.threads}); 2 directions per trial, trials as nabla (5; 3 above side 512)")
    sys.stderr.write("baselines...\n")
    w(f"- process start on this machine (median of 20): `/bin/true` {fmt_t(baseline(['/bin/true'], nabla_env))}, "
      f"`nabla --version` {fmt_t(baseline([nablas[0], '--version'], nabla_env))}, "
      f"`python -c 'import numpy'` {fmt_t(baseline([args.python, '-c', 'import numpy'], peer_env))}")

    results, raw = {}, {}
    cases = [c for c in args.cases.split(",") if c]
    for c in cases:
        f, wrt, given, answer = CASES[c]
        for n in sizes:
            runs = runs_for(n)
            sys.stderr.write(f"{c} n={n}: {runs} runs each...\n")
            load = open("/proc/loadavg").read().split()[0]
            s, _ = measure(tools, f, wrt, given.format(n=n), answer, 0, runs, warmup=2 if n <= 256 else 1)
            results[(c, n)] = {t.label: summary(s[t.label]) for t in tools}
            results[(c, n)]["load"] = load
            raw[f"{c}/{n}"] = s
    big = max(sizes)
    mem = {}
    for c in cases:
        f, wrt, given, answer = CASES[c]
        sys.stderr.write(f"{c} n={big}: /usr/bin/time -f %M...\n")
        mem[c] = {t.label: time_rss(t, f, wrt, given.format(n=big), answer) for t in tools}
    # Tutor sizes: the process floor (/bin/true, which ignores the arguments)
    # is timed with the others, in the same turns.
    floor = Tool("/bin/true", ["/bin/true"], nabla_env, checked=False)
    tutor = {1: [], args.tutor_block: []}
    if not args.no_tutor:
        for block in tutor:
            for f, wrt, given, answer, expect in TUTOR:
                sys.stderr.write(f"tutor {f} / {answer}: {args.tutor_runs} runs each, turns of {block}...\n")
                s, v = measure(tools + [floor], f, wrt, given, answer, expect, args.tutor_runs,
                               warmup=3, block=block)
                tutor[block].append(((f, wrt, given, answer, expect),
                                     {t.label: summary(s[t.label]) for t in tools + [floor]}))
                raw[f"tutor/{block}/{f}/{answer}"] = s

    ratio = lambda p, q: f"{p / q:.2g}×" if p < 10 * q else f"{p / q:.0f}×"
    nab = labels

    w(f"\n## Side by side: median wall time of one whole `check` (peer / nabla in the ratio column)\n")
    cols = []
    for c in cases:
        short = SHORT[c]
        cols += [f"{short} {l}" for l in nab] + [f"{short} peer"] + [f"peer / {l}" for l in nab]
    w("| n | runs | " + " | ".join(cols) + " |")
    w("|" + " --- |" * (2 + len(cols)))
    for n in sizes:
        cells = []
        for c in cases:
            r = results[(c, n)]
            cells += [fmt_t(r[l]["median"]) for l in nab] + [fmt_t(r["peer"]["median"])]
            cells += [ratio(r["peer"]["median"], r[l]["median"]) for l in nab]
        w(f"| {n} | {runs_for(n)} | " + " | ".join(cells) + " |")
    lo, hi = (int(x) for x in args.slope.split(","))
    if lo in sizes and hi in sizes and lo != hi:
        cells = []
        for c in cases:
            for l in nab + ["peer"]:
                a, b = results[(c, lo)][l]["median"], results[(c, hi)][l]["median"]
                cells.append(f"{math.log(b / a) / math.log(hi / lo):.2f}")
            cells += [""] * len(nab)
        w(f"| growth exponent {lo}→{hi} | | " + " | ".join(cells) + " |")

    w(f"\nGrowth exponent: the slope of log(median time) against log n from n = {lo} to {hi} "
      f"(log(t{hi}/t{lo}) / log({hi}/{lo})); process start is included, which lowers it.\n")

    w(f"## Peak memory at n = {big} (`/usr/bin/time -f %M`, one run each; in brackets the largest ru_maxrss of the timed runs)\n")
    w("| check | " + " | ".join(nab + ["peer"]) + " |")
    w("|" + " --- |" * (2 + len(nab)))
    for c in cases:
        f, wrt, _, answer = CASES[c]
        cells = [(fmt_mb(mem[c][l]) if mem[c][l] else "—") + f" ({fmt_mb(results[(c, big)][l]['rss'])})"
                 for l in nab + ["peer"]]
        w(f"| {code(f)} by {wrt}, {code(answer)} | " + " | ".join(cells) + " |")

    for block, rows in tutor.items():
        if not rows:
            continue
        how = ("every run right after another tool's" if block == 1
               else f"the tools taking turns of {block} runs each")
        w(f"\n## Tutor sizes, whole process ({args.tutor_runs} runs each, {how}; sizes drawn from 2..7)\n")
        shown = nab + ["peer", "/bin/true"]
        w("| check | expected | " + " | ".join(shown) + " | " + " | ".join(f"peer / {l}" for l in nab) + " |")
        w("|" + " --- |" * (2 + len(shown) + len(nab)))
        for (f, wrt, given, answer, expect), r in rows:
            cells = [f"{fmt_t(r[l]['median'])} ({fmt_t(r[l]['min'])}–{fmt_t(r[l]['max'])})" for l in shown]
            cells += [ratio(r["peer"]["median"], r[l]["median"]) for l in nab]
            w(f"| {code(f)} by {wrt}, {code(answer)} ({code(given)}) | {'correct' if expect == 0 else 'incorrect'} | "
              + " | ".join(cells) + " |")

    w("\n## Details: median (fastest–slowest) wall time, and median CPU time (user + sys); "
      "load is the 1-minute load average when the size started\n")
    w("| case | n | load | " + " | ".join(f"{l} wall | {l} CPU" for l in nab + ["peer"]) + " |")
    w("|" + " --- |" * (3 + 2 * (len(nab) + 1)))
    for c in cases:
        for n in sizes:
            r = results[(c, n)]
            cells = [f"{fmt_t(r[l]['median'])} ({fmt_t(r[l]['min'])}–{fmt_t(r[l]['max'])}) | {fmt_t(r[l]['cpu'])}"
                     for l in nab + ["peer"]]
            w(f"| {code(CASES[c][0])} | {n} | {r['load']} | " + " | ".join(cells) + " |")

    load1 = open("/proc/loadavg").read().split()[:3]
    w(f"\nLoad average (1, 5, 15 min): {' '.join(load0)} at the start, {' '.join(load1)} at the end; "
      f"the whole comparison took {time.time() - started:.0f} s.")
    print("\n".join(out))
    if args.raw:
        with open(args.raw, "w") as fh:
            json.dump({"labels": labels + ["peer"], "samples": raw, "columns": ["wall_s", "cpu_s", "maxrss_kb"]}, fh)


if __name__ == "__main__":
    main()
