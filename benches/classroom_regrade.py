#!/usr/bin/env python3
"""Re-grading a class: 500 students x 20 exercises x 3 answers.

Writes an assignment of 20 derive exercises of the built-in course and 500
generated submissions (each student's seeds derived here with the same
FNV-1a + SplitMix64 as nabla, docs/classroom.md: a second implementation),
every exercise answered with two of the lesson's known mistakes (or the
reference answer transposed) and then the reference answer, then times

    nabla grade-submissions assignment.toml submissions/ --format csv

and checks that every student got full marks (the right answer is the
third of three, within the attempts allowed).

    python3 benches/classroom_regrade.py [NABLA] [--students N]
"""
import json
import os
import subprocess
import sys
import tempfile
import time

M = (1 << 64) - 1


def student_seed(salt, student, exercise):
    h = 0xCBF29CE484222325
    for part in (salt, student, exercise):
        for b in part.encode() + b"\0":
            h ^= b
            h = (h * 0x100000001B3) & M
    z = h
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
    z ^= z >> 31
    return z & ((1 << 53) - 1)


def main():
    args = sys.argv[1:]
    students = 500
    if "--students" in args:
        i = args.index("--students")
        students = int(args[i + 1])
        del args[i : i + 2]
    nabla = args[0] if args else "target/release/nabla"
    listed = json.loads(subprocess.check_output([nabla, "list", "--json"]))
    ids = [e["id"] for l in listed["lessons"] for e in l["exercises"] if e["kind"] == "derive"][:20]
    salt = "bench-salt"
    with tempfile.TemporaryDirectory() as tmp:
        hw = os.path.join(tmp, "assignment.toml")
        with open(hw, "w") as f:
            f.write(f'format = 1\ntitle = "Bench"\nsalt = "{salt}"\nattempts = 3\n')
            for i in ids:
                f.write(f'\n[[exercise]]\nid = "{i}"\n')
        key = json.loads(subprocess.check_output([nabla, "key", hw, "--student", "s0", "--json"]))
        answers = {}
        for e in key["exercises"]:
            wrong = [m["answer"] for m in e["mistakes"]][:2]
            while len(wrong) < 2:
                wrong.append(f"({e['answer']})'")
            answers[e["id"]] = wrong + [e["answer"]]
        subs = os.path.join(tmp, "submissions")
        os.mkdir(subs)
        for n in range(students):
            s = f"s{n}"
            sub = {
                "nabla_submission": 1,
                "nabla_version": "0.1.0",
                "assignment": key["assignment"],
                "student": s,
                "exercises": [
                    {"id": i, "seed": student_seed(salt, s, i), "answers": [{"answer": a} for a in answers[i]]}
                    for i in ids
                ],
            }
            with open(os.path.join(subs, f"{s}.json"), "w") as f:
                json.dump(sub, f)
        start = time.perf_counter()
        out = subprocess.run(
            [nabla, "grade-submissions", hw, subs], capture_output=True, text=True, check=True
        )
        took = time.perf_counter() - start
        rows = out.stdout.strip().splitlines()[1:]
        full = sum(1 for r in rows if r.split(",")[-2] == str(len(ids)))
        print(f"{students} students x {len(ids)} exercises x 3 answers: {took:.2f} s; {full} of {len(rows)} with full marks")
        if full != students:
            sys.exit("not every student got full marks: " + out.stderr[-2000:])


main()
