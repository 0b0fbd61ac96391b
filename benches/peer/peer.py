#!/usr/bin/env python3
"""The numpy peer of `nabla check`, for the side-by-side benchmark of issue 11.

What a competent numpy user would write to grade a claimed gradient: parse
the same strings as nabla (a subset of its language, see below), draw random
instances, evaluate the answer G with numpy, and compare it with central
differences of F along random directions V:

    (F(X + hV) - F(X - hV)) / 2h   against   <G, V> = sum(G * V)

    peer.py check F --wrt X --given DECLS --answer G [--trials N] [--seed S] [--json]
    peer.py blas        # which BLAS numpy uses, its kernel and thread count

Exit status as for `nabla check`: 0 the answer agrees, 1 it does not (or it
cannot be read, or has the wrong shape), 2 the problem itself is bad.

Choices (documented in README.md):
- trials: nabla's default, 5, or 3 when a side exceeds 512 and --trials is
  not given (nabla runs 3 there too); a fresh instance per trial;
- 2 random directions per trial (standard normal V), not a full
  finite-difference gradient: what a numpy user would do, and far cheaper
  for the peer (4 evaluations of F a trial instead of 2 per entry of X);
- h = cbrt(eps) * max(1, |X|) / |V| (Frobenius norms), the textbook step
  for central differences; exact for F quadratic in X up to rounding;
- agreement: |fd - gv| <= 1e-5 * max(|fd|, |gv|) + 100 eps (|F+| + |F-|) / 2h,
  np.isclose's relative tolerance plus the rounding of the difference
  itself, so a direction along which the derivative happens to be ~0 does
  not fail a right answer;
- values are standard normal; sizes named by symbols are drawn per trial
  from 2..7, distinct symbols distinct (as nabla does).

Language subset: names (declared, or a run of declared names such as `Ax`),
numbers, juxtaposition and `*` `@` `·` as the matrix product (a 1x1 side
scales), `'` `ᵀ` `.T` `^T` transpose, `+ -` (binary and unary), `.*` `⊙`,
`./`, `/` by a 1x1 value, `^` (a power of a 1x1 value, an integer power of a
square matrix), `.^`, `||E||` and `‖E‖` (2-norm / Frobenius), parentheses,
and the functions tr, trace, sum, norm, transpose, exp, log, sqrt, abs,
tanh, sigmoid, relu, inv, det, logdet, diag, softmax.  Precedence as in
docs/expressions.md: + - < products < unary minus < ^ (right) < postfix.
"""

import argparse
import json
import math
import re
import sys

import numpy as np

EPS = np.finfo(float).eps
RTOL = 1e-5
DIRECTIONS = 2
DEFAULT_TRIALS = 5
LARGE_SIDE, LARGE_TRIALS = 512, 3


class Bad(Exception):
    """An expression or declaration that cannot be read or evaluated."""


# ---------------------------------------------------------------- tokens

_SUPER = {"⁰": 0, "¹": 1, "²": 2, "³": 3, "⁴": 4, "⁵": 5, "⁶": 6, "⁷": 7, "⁸": 8, "⁹": 9}
_TOKEN = re.compile(
    r"\s*(?:"
    r"(?P<num>(?:\d+\.\d+|\.\d+|\d+)(?:[eE][+-]?\d+)?)"
    r"|(?P<name>[A-Za-z\u0391-\u03c9][A-Za-z0-9_\u0391-\u03c9]*)"
    r"|(?P<sup>⁻?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)"
    r"|(?P<op>\|\||\.\*|\./|\.\^|\.T(?![A-Za-z0-9_])|[‖'’′ᵀ^+\-−*@·⋅/()⊙∘,])"
    r")"
)
_ALIASES = {"−": "-", "’": "'", "′": "'", "ᵀ": "'", ".T": "'", "@": "*", "·": "*",
            "⋅": "*", "⊙": ".*", "∘": ".*", "‖": "||"}


def tokenize(text):
    toks, pos, text = [], 0, text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise Bad(f"unexpected character {text[pos:].strip()[:1]!r} at {pos}")
        pos = m.end()
        kind = m.lastgroup
        val = m.group(kind)
        if kind == "op":
            val = _ALIASES.get(val, val)
        elif kind == "num":
            val = float(val)
        elif kind == "sup":
            digits = "".join(str(_SUPER[c]) for c in val.lstrip("⁻"))
            val = -int(digits) if val.startswith("⁻") else int(digits)
        toks.append((kind, val))
    return toks


# ---------------------------------------------------------------- values

def _is_scalar(a):
    return a.shape == (1, 1)


def _s(v):
    return np.array([[v]], dtype=float)


def matmul(a, b):
    if _is_scalar(a) or _is_scalar(b):
        return a * b
    if a.shape[1] != b.shape[0]:
        raise Bad(f"cannot multiply {a.shape[0]}x{a.shape[1]} by {b.shape[0]}x{b.shape[1]}")
    return a @ b


def _same(op):
    def f(a, b):
        if a.shape != b.shape and not (_is_scalar(a) or _is_scalar(b)):
            raise Bad(f"shapes {a.shape} and {b.shape} differ")
        return op(a, b)
    return f


def _div(a, b):
    if not _is_scalar(b):
        raise Bad("'/' needs a 1x1 right side (use ./)")
    return a / b


def power(a, e):
    if not _is_scalar(e):
        raise Bad("an exponent must be 1x1")
    k = e[0, 0]
    if _is_scalar(a):
        return a ** k
    if a.shape[0] != a.shape[1] or a.shape[1] == 1:
        raise Bad("^ of a vector or a non-square matrix (use .^)")
    if k != int(k):
        raise Bad("a matrix power must be a whole number")
    return np.linalg.matrix_power(a, int(k))


def _square(f):
    def g(a):
        if a.shape[0] != a.shape[1]:
            raise Bad("needs a square matrix")
        return f(a)
    return g


def _diag(a):
    if a.shape[1] == 1 or a.shape[0] == 1:
        return np.diag(a.ravel())
    return _square(lambda m: np.diag(m).reshape(-1, 1).copy())(a)


def _softmax(a):
    e = np.exp(a - a.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


FUNCS = {
    "tr": _square(lambda a: _s(np.trace(a))),
    "trace": _square(lambda a: _s(np.trace(a))),
    "sum": lambda a: _s(a.sum()),
    "norm": lambda a: _s(np.linalg.norm(a)),
    "transpose": lambda a: a.T,
    "exp": np.exp, "log": np.log, "sqrt": np.sqrt, "abs": np.abs, "tanh": np.tanh,
    "sigmoid": lambda a: 1.0 / (1.0 + np.exp(-a)),
    "relu": lambda a: np.maximum(a, 0.0),
    "inv": _square(np.linalg.inv),
    "det": _square(lambda a: _s(np.linalg.det(a))),
    "logdet": _square(lambda a: _s(np.linalg.slogdet(a)[1])),
    "diag": _diag,
    "softmax": _softmax,
}
FUNCS["sigma"] = FUNCS["σ"] = FUNCS["sigmoid"]


# ---------------------------------------------------------------- parser

class Parser:
    """Recursive descent to a closure env -> 2-D array (1x1 for numbers)."""

    def __init__(self, text, names):
        self.toks = tokenize(text)
        self.names = names
        self.i = 0
        self.in_norm = 0

    def parse(self):
        if not self.toks:
            raise Bad("empty expression")
        e = self.sum()
        if self.i != len(self.toks):
            raise Bad(f"unexpected {self.toks[self.i][1]!r}")
        return e

    def peek(self, k=0):
        j = self.i + k
        return self.toks[j] if j < len(self.toks) else (None, None)

    def take(self, val=None):
        tok = self.peek()
        if val is not None and tok != ("op", val):
            raise Bad(f"expected {val!r}, found {tok[1]!r}")
        self.i += 1
        return tok

    def sum(self):
        left = self.prod()
        while self.peek() in (("op", "+"), ("op", "-")):
            op = self.take()[1]
            right = self.prod()
            left = _bin(_same(np.add if op == "+" else np.subtract), left, right)
        return left

    def starts_operand(self):
        kind, val = self.peek()
        return kind in ("num", "name") or (kind == "op" and (
            val == "(" or (val == "||" and not self.in_norm)))

    def prod(self):
        left = self.unary()
        while True:
            kind, val = self.peek()
            if kind == "op" and val in ("*", ".*", "./", "/"):
                self.take()
                fn = {"*": matmul, ".*": _same(np.multiply),
                      "./": _same(np.divide), "/": _div}[val]
            elif self.starts_operand():
                fn = matmul  # juxtaposition
            else:
                return left
            left = _bin(fn, left, self.unary())

    def unary(self):
        if self.peek() == ("op", "-"):
            self.take()
            inner = self.unary()
            return lambda env: -inner(env)
        if self.peek() == ("op", "+"):
            self.take()
            return self.unary()
        return self.power()

    def power(self):
        base = self.postfix()
        if self.peek() == ("op", "^"):
            self.take()
            return _bin(power, base, self.unary())  # right-assoc; allows A^-1
        if self.peek() == ("op", ".^"):
            self.take()
            return _bin(_same(np.power), base, self.unary())
        return base

    def postfix(self):
        e = self.primary()
        while True:
            kind, val = self.peek()
            if (kind, val) == ("op", "'"):
                self.take()
                e = _un(np.transpose, e)
            elif (kind, val) == ("op", "^") and self.peek(1) == ("name", "T"):
                self.i += 2
                e = _un(np.transpose, e)
            elif kind == "sup":
                self.take()
                e = _bin(power, e, _const(val))
            else:
                return e

    def primary(self):
        kind, val = self.take()
        if kind == "num":
            return _const(val)
        if kind == "name":
            if val in FUNCS and val not in self.names:
                self.take("(")
                arg = self.sum()
                self.take(")")
                return _un(FUNCS[val], arg)
            if val in self.names:
                return lambda env, v=val: env[v]
            parts = split_run(val, self.names)
            # a run of declared names: put them back as separate tokens
            self.toks[self.i - 1:self.i] = [("name", p) for p in parts]
            self.i -= 1
            return self.primary()
        if (kind, val) == ("op", "("):
            e = self.sum()
            self.take(")")
            return e
        if (kind, val) == ("op", "||") and not self.in_norm:
            self.in_norm += 1
            e = self.sum()
            self.in_norm -= 1
            self.take("||")
            return _un(lambda a: _s(np.linalg.norm(a)), e)
        raise Bad(f"expected an expression, found {val!r}" if val else "expected an expression at the end")


def _const(v):
    c = _s(v)
    return lambda env: c


def _un(f, a):
    return lambda env: f(a(env))


def _bin(f, a, b):
    return lambda env: f(a(env), b(env))


def split_run(run, names):
    """The one way `run` splits into declared names, as nabla reads `Ax`."""
    ways = [[] for _ in range(len(run) + 1)]
    ways[0] = [[]]
    for end in range(1, len(run) + 1):
        for start in range(end):
            if run[start:end] in names:
                ways[end] += [w + [run[start:end]] for w in ways[start]][:2]
        ways[end] = ways[end][:2]
    if len(ways[-1]) != 1:
        raise Bad(f"{run!r} is not a declared name (declared: {', '.join(sorted(names))})")
    return ways[-1][0]


# ---------------------------------------------------------------- declarations

PROPS = {"symmetric", "spd", "positive", "diagonal"}


def parse_decls(text):
    """`A, X, B: 256 x 256; x: n` -> {name: (dims, props)}; dims are ints or symbols."""
    decls = {}
    for part in re.split(r"[;\n]", text):
        if not part.strip():
            continue
        if ":" not in part:
            raise Bad(f"declaration {part.strip()!r} has no ':'")
        lhs, rhs = part.split(":", 1)
        words = re.sub(r"(\d)x(\d)", r"\1 x \2", rhs).replace(",", " ").split()
        dims, props = [], []
        for w in words:
            if w in ("x", "×", "*"):
                continue
            if w in PROPS:
                props.append(w)
            elif re.fullmatch(r"\d+", w):
                dims.append(int(w))
            elif w == "scalar":
                dims = [1, 1]
            elif re.fullmatch(r"[a-z][A-Za-z0-9_]*", w):
                dims.append(w)
            else:
                raise Bad(f"the peer does not know {w!r} in {part.strip()!r}")
        if len(dims) == 1:
            dims.append(1)
        if len(dims) != 2:
            raise Bad(f"bad shape in {part.strip()!r}")
        for name in (n.strip() for n in lhs.split(",")):
            decls[name] = (tuple(dims), props)
    return decls


def draw_instance(decls, rng):
    symbols = sorted({d for dims, _ in decls.values() for d in dims if isinstance(d, str)})
    choice = rng.choice(np.arange(2, max(8, 2 + len(symbols))), len(symbols), replace=False)
    sizes = dict(zip(symbols, (int(c) for c in choice)))
    env = {}
    for name, (dims, props) in decls.items():
        r, c = (sizes.get(d, d) for d in dims)
        a = rng.standard_normal((r, c))
        if "symmetric" in props:
            a = (a + a.T) / 2
        if "spd" in props:
            a = a @ a.T / r + np.eye(r)
        if "diagonal" in props:
            a = np.diag(np.diag(a))
        if "positive" in props:
            a = np.abs(a) + 0.1
        env[name] = a
    return env


# ---------------------------------------------------------------- grading

def check(f_text, wrt, decls_text, g_text, trials=None, seed=None):
    """Returns (exit status, result dict)."""
    try:
        decls = parse_decls(decls_text)
        if wrt is None:
            if len(decls) != 1:
                raise Bad("--wrt is needed when more than one name is declared")
            wrt = next(iter(decls))
        if wrt not in decls:
            raise Bad(f"{wrt} is not declared")
        f = Parser(f_text, decls).parse()
    except Bad as e:
        return 2, {"verdict": "invalid_problem", "message": str(e)}
    try:
        g = Parser(g_text, decls).parse()
    except Bad as e:
        return 1, {"verdict": "invalid_answer", "message": str(e)}

    rng = np.random.default_rng(seed)
    worst, count, t = 0.0, trials or DEFAULT_TRIALS, 0
    while t < count:
        env = draw_instance(decls, rng)
        if t == 0 and trials is None and max(max(a.shape) for a in env.values()) > LARGE_SIDE:
            count = LARGE_TRIALS
        x = env[wrt]
        try:
            gv_mat = g(env)
        except (Bad, np.linalg.LinAlgError) as e:
            return 1, {"verdict": "invalid_answer", "message": str(e)}
        if gv_mat.shape != x.shape:
            return 1, {"verdict": "wrong_shape",
                       "message": f"the answer is {gv_mat.shape[0]}x{gv_mat.shape[1]}, X is {x.shape[0]}x{x.shape[1]}"}
        xnorm = np.linalg.norm(x)
        for _ in range(DIRECTIONS):
            v = rng.standard_normal(x.shape)
            h = np.cbrt(EPS) * max(1.0, xnorm) / np.linalg.norm(v)
            try:
                fp, fm = f({**env, wrt: x + h * v}), f({**env, wrt: x - h * v})
            except (Bad, np.linalg.LinAlgError) as e:
                return 2, {"verdict": "invalid_problem", "message": f"F: {e}"}
            if fp.shape != (1, 1):
                return 2, {"verdict": "invalid_problem", "message": "the peer grades gradients of a scalar F only"}
            fp, fm = fp[0, 0], fm[0, 0]
            fd = (fp - fm) / (2 * h)
            gv = float(np.vdot(gv_mat, v))
            if not (math.isfinite(fd) and math.isfinite(gv)):
                return 2 if not math.isfinite(fd) else 1, {"verdict": "not_finite", "message": "a value is not finite"}
            err = abs(fd - gv)
            scale = max(abs(fd), abs(gv))
            worst = max(worst, err / scale if scale else (0.0 if err == 0 else math.inf))
            if err > RTOL * scale + 100 * EPS * (abs(fp) + abs(fm)) / (2 * h):
                return 1, {"verdict": "incorrect", "trial": t + 1, "directions": DIRECTIONS,
                           "max_rel_error": worst,
                           "message": f"along a random direction: finite differences {fd:.6g}, answer {gv:.6g}"}
        t += 1
    return 0, {"verdict": "correct", "trials": count, "directions": DIRECTIONS,
               "max_rel_error": worst, "message": "the answer agrees with central differences"}


# ---------------------------------------------------------------- BLAS

def blas_info():
    """Which BLAS numpy runs on, read from the loaded library itself."""
    import ctypes
    info = {"numpy": np.__version__, "python": sys.version.split()[0]}
    try:
        deps = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        info["blas"] = f"{deps.get('name')} {deps.get('version')}"
    except Exception:  # older numpy: no dicts mode
        info["blas"] = "unknown"
    np.dot(np.ones((2, 2)), np.ones((2, 2)))  # make sure the library is loaded
    path = None
    with open("/proc/self/maps") as maps:
        for line in maps:
            if "blas" in line.lower() and ".so" in line:
                path = line.split()[-1]
                break
    info["library"] = path
    if path:
        lib = ctypes.CDLL(path)
        for prefix in ("scipy_openblas", "openblas"):
            for suffix in ("64_", ""):
                try:
                    threads = getattr(lib, f"{prefix}_get_num_threads{suffix}")
                    core = getattr(lib, f"{prefix}_get_corename{suffix}")
                    config = getattr(lib, f"{prefix}_get_config{suffix}")
                except AttributeError:
                    continue
                core.restype = config.restype = ctypes.c_char_p
                info.update(threads=threads(), kernel=core().decode(), config=config().decode())
                return info
    return info


# ---------------------------------------------------------------- CLI

def main(argv=None):
    ap = argparse.ArgumentParser(prog="peer.py", description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("check", help="grade ANSWER as the gradient of F by X")
    c.add_argument("f", metavar="F")
    c.add_argument("--wrt")
    c.add_argument("--given", required=True)
    c.add_argument("--answer", required=True)
    c.add_argument("--trials", type=int)
    c.add_argument("--seed", type=int)
    c.add_argument("--json", action="store_true")
    sub.add_parser("blas", help="print numpy's BLAS, kernel and thread count")
    args = ap.parse_args(argv)
    if args.cmd == "blas":
        print(json.dumps(blas_info()))
        return 0
    code, result = check(args.f, args.wrt, args.given, args.answer, args.trials, args.seed)
    if args.json:
        print(json.dumps(result))
    else:
        print(f"{result['verdict']}: {result['message']}"
              + (f" ({result['trials']} trials x {DIRECTIONS} directions)" if "trials" in result
                 else f" (trial {result['trial']})" if "trial" in result else ""))
    return code


if __name__ == "__main__":
    sys.exit(main())
