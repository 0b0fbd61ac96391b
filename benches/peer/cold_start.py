#!/usr/bin/env python3
"""Cold versus warm process start, timed as compare.py times it (Popen + wait4):
a tutor-size `nabla check`, `nabla --version` and `/bin/true`, back to back, right
after a numpy run, and after 100 ms asleep. Run from the repository root with
the peer venv: `.venv-peer/bin/python benches/peer/cold_start.py` (docs/performance.md)."""
import os, subprocess, sys, time, statistics
def run_once(cmd):
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.wait4(p.pid, 0)
    return time.perf_counter() - t0
N = ["target/release/nabla", "check", "x' A x", "--wrt", "x", "--given", "A: n x n; x: n", "--answer", "(A + A')x", "--seed"]
V = ["target/release/nabla", "--version"]
peer = [".venv-peer/bin/python", "-c", "import numpy; numpy.ones((300,300)) @ numpy.ones((300,300))"]
med = lambda xs: statistics.median(xs) * 1e3
b2b = [run_once(N + [str(i)]) for i in range(60)]
ver = [run_once(V) for i in range(60)]
inter, inter_v, after_sleep = [], [], []
for i in range(30):
    run_once(peer); inter.append(run_once(N + [str(i)]))
    run_once(peer); inter_v.append(run_once(V))
    time.sleep(0.1); after_sleep.append(run_once(N + [str(i)]))
print(f"back to back: check {med(b2b):.2f} ms, --version {med(ver):.2f} ms")
print(f"after a numpy run: check {med(inter):.2f} ms, --version {med(inter_v):.2f} ms")
print(f"after 100 ms asleep: check {med(after_sleep):.2f} ms")
T = ["/bin/true"]
t_b2b = [run_once(T) for i in range(60)]
t_int = []
for i in range(30):
    run_once(peer); t_int.append(run_once(T))
print(f"/bin/true back to back {med(t_b2b):.2f} ms, after a numpy run {med(t_int):.2f} ms")
