"""A safe formula language for f(x, y): a whitelist parser and a symbolic derivative.

Nothing here calls ``eval``, ``exec``, ``compile`` or sympy: the text is split into
tokens by hand and parsed by recursive descent into a small tree of our own node types,
so only the grammar below can ever be accepted::

    expr  := term (("+" | "-") term)*
    term  := unary (("*" | "/") unary)*
    unary := ("-" | "+") unary | power
    power := atom (("^" | "**") unary)?          # right-associative, binds tighter than
    atom  := NUMBER | "x" | "y" | "pi" | "e"      #   unary minus (as in Python):
           | FUNC "(" expr ")" | "(" expr ")"    #   -x^2 = -(x^2), 3*sin(y)^2 = 3*(sin y)^2

``FUNC`` is one of ``sin cos tan exp log sqrt abs tanh``.

Guards against abuse (each raises :class:`ExpressionError` with a machine-readable
``code``, the 0-based character ``pos`` and the offending ``token``):

- at most ``MAX_CHARS`` characters, ``MAX_NODES`` tree nodes, ``MAX_DEPTH`` nesting, and
  ``MAX_DERIVATIVE_NODES`` nodes in the two partial derivatives together;
- an exponent must not depend on x or y unless its base is a constant (``2^x`` is fine,
  ``x^y`` and ``2^x^x^x`` are refused), and a constant exponent must satisfy
  ``|p| <= MAX_EXPONENT`` (``9^9^9`` is refused). Everything is evaluated in
  float64 with numpy, so huge values become ``inf``, never a long computation.

Evaluation never raises on overflow or domain errors (``log(-1)``): the result holds
``inf``/``nan`` there, which the plots mask.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from core.errors import ExplorableError

MAX_CHARS = 300
MAX_NODES = 200
MAX_DEPTH = 30
MAX_EXPONENT = 64.0
MAX_DERIVATIVE_NODES = 2000

FUNCTIONS: tuple[str, ...] = ("sin", "cos", "tan", "exp", "log", "sqrt", "abs", "tanh")
CONSTANTS: dict[str, float] = {"pi": math.pi, "e": math.e}
VARIABLES: tuple[str, ...] = ("x", "y")

# Internal-only functions (appear in derivatives, never accepted from the user).
_NP: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "sin": np.sin,
    "cos": np.cos,
    "tan": np.tan,
    "exp": np.exp,
    "log": np.log,
    "sqrt": np.sqrt,
    "abs": np.abs,
    "tanh": np.tanh,
    "sign": np.sign,
}


class ExpressionError(ExplorableError):
    """A formula that is not accepted. ``code`` names the reason (``expr_*``); ``info``
    carries ``pos`` (1-based, for messages) and ``token``."""

    def __init__(self, code: str, pos: int = 0, token: str = "") -> None:
        super().__init__(f"{code} at {pos}: {token!r}", code=code, pos=pos + 1, token=token)
        self.pos = pos
        self.token = token


# ── the tree ──────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Num:
    value: float


@dataclass(frozen=True)
class Var:
    name: str  # "x" | "y"


@dataclass(frozen=True)
class Neg:
    arg: Node


@dataclass(frozen=True)
class Bin:
    op: str  # "+" "-" "*" "/" "^"
    left: Node
    right: Node


@dataclass(frozen=True)
class Call:
    fn: str
    arg: Node


Node = Num | Var | Neg | Bin | Call


def has_var(n: Node) -> bool:
    """Does the tree depend on x or y?"""
    if isinstance(n, Var):
        return True
    if isinstance(n, Num):
        return False
    if isinstance(n, Bin):
        return has_var(n.left) or has_var(n.right)
    return has_var(n.arg)


def count_nodes(n: Node) -> int:
    if isinstance(n, Num | Var):
        return 1
    if isinstance(n, Bin):
        return 1 + count_nodes(n.left) + count_nodes(n.right)
    return 1 + count_nodes(n.arg)


# ── tokens and parser ─────────────────────────────────────────────────────────────

_TOKEN = re.compile(
    r"\s*(?:(?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|(?P<name>[A-Za-z_][A-Za-z_0-9]*)"
    r"|(?P<op>\*\*|[-+*/^()]))"
)


@dataclass(frozen=True)
class _Tok:
    kind: str  # "num" | "name" | "op" | "end"
    text: str
    pos: int


def tokenize(text: str) -> list[_Tok]:
    """Split ``text`` into tokens; any other character is an ``expr_char`` error."""
    toks: list[_Tok] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        m = _TOKEN.match(text, i)
        if m is None or m.lastgroup is None:
            raise ExpressionError("expr_char", i, text[i])
        kind = m.lastgroup
        toks.append(_Tok(kind, m.group(kind), m.start(kind)))
        i = m.end()
    toks.append(_Tok("end", "", n))
    return toks


class _Parser:
    def __init__(self, toks: list[_Tok]) -> None:
        self.toks = toks
        self.i = 0
        self.depth = 0
        self.nodes = 0

    @property
    def tok(self) -> _Tok:
        return self.toks[self.i]

    def take(self) -> _Tok:
        t = self.toks[self.i]
        self.i += 1
        return t

    def node(self, n: Node, pos: int) -> Node:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise ExpressionError("expr_too_big", pos, "")
        return n

    def enter(self, pos: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError("expr_nesting", pos, "")

    def expr(self) -> Node:
        left = self.term()
        while self.tok.kind == "op" and self.tok.text in "+-":
            op = self.take()
            left = self.node(_fold(Bin(op.text, left, self.term()), op.pos), op.pos)
        return left

    def term(self) -> Node:
        left = self.unary()
        while self.tok.kind == "op" and self.tok.text in ("*", "/"):
            op = self.take()
            left = self.node(_fold(Bin(op.text, left, self.unary()), op.pos), op.pos)
        return left

    def unary(self) -> Node:
        if self.tok.kind == "op" and self.tok.text in "+-":
            op = self.take()
            self.enter(op.pos)
            arg = self.unary()
            self.depth -= 1
            return arg if op.text == "+" else self.node(_fold(Neg(arg), op.pos), op.pos)
        return self.power()

    def power(self) -> Node:
        base = self.atom()
        if self.tok.kind == "op" and self.tok.text in ("^", "**"):
            op = self.take()
            self.enter(op.pos)
            expo = self.unary()
            self.depth -= 1
            if has_var(expo) and has_var(base):
                raise ExpressionError("expr_variable_exponent", op.pos, op.text)
            if not has_var(expo):
                p = _const(expo)
                if not (abs(p) <= MAX_EXPONENT):
                    raise ExpressionError("expr_exponent", op.pos, op.text)
            return self.node(_fold(Bin("^", base, expo), op.pos), op.pos)
        return base

    def atom(self) -> Node:
        t = self.take()
        if t.kind == "num":
            return self.node(Num(float(t.text)), t.pos)
        if t.kind == "name":
            if t.text in VARIABLES:
                return self.node(Var(t.text), t.pos)
            if t.text in CONSTANTS:
                return self.node(Num(CONSTANTS[t.text]), t.pos)
            if t.text in FUNCTIONS:
                if not (self.tok.kind == "op" and self.tok.text == "("):
                    raise ExpressionError("expr_call", t.pos, t.text)
                self.take()
                self.enter(t.pos)
                arg = self.expr()
                self.depth -= 1
                self.expect_close(t)
                return self.node(_fold(Call(t.text, arg), t.pos), t.pos)
            raise ExpressionError("expr_name", t.pos, t.text)
        if t.kind == "op" and t.text == "(":
            self.enter(t.pos)
            inner = self.expr()
            self.depth -= 1
            self.expect_close(t)
            return inner
        if t.kind == "end":
            raise ExpressionError("expr_end", t.pos, "")
        raise ExpressionError("expr_syntax", t.pos, t.text)

    def expect_close(self, opener: _Tok) -> None:
        if self.tok.kind == "op" and self.tok.text == ")":
            self.take()
            return
        if self.tok.kind == "end":
            raise ExpressionError("expr_unclosed", opener.pos, opener.text)
        raise ExpressionError("expr_syntax", self.tok.pos, self.tok.text)


def parse(text: str) -> Node:
    """Parse a formula in x and y into a tree (constants folded).

    Raises :class:`ExpressionError` for anything outside the grammar or the guards.
    """
    if not isinstance(text, str):
        raise ExpressionError("expr_empty", 0, "")
    if len(text) > MAX_CHARS:
        raise ExpressionError("expr_too_long", MAX_CHARS, "")
    if not text.strip():
        raise ExpressionError("expr_empty", 0, "")
    # Cheap nesting pre-check, so that no deep recursion is ever attempted.
    depth = 0
    for i, ch in enumerate(text):
        depth += ch == "("
        depth -= ch == ")"
        if depth > MAX_DEPTH:
            raise ExpressionError("expr_nesting", i, "(")
    p = _Parser(tokenize(text))
    tree = p.expr()
    if p.tok.kind != "end":
        raise ExpressionError("expr_syntax", p.tok.pos, p.tok.text)
    return tree


# ── constant folding and simplification ───────────────────────────────────────────


def _const(n: Node) -> float:
    """Value of a variable-free tree (float64, inf/nan allowed)."""
    with np.errstate(all="ignore"):
        return float(evaluate(n, np.float64(0.0), np.float64(0.0)))


def _fold(n: Node, pos: int = 0) -> Node:
    """Replace a variable-free node by its value; light algebraic clean-up."""
    if not has_var(n):
        return Num(_const(n))
    return n


def _num(n: Node, v: float) -> bool:
    return isinstance(n, Num) and n.value == v


def add(a: Node, b: Node) -> Node:
    if _num(a, 0.0):
        return b
    if _num(b, 0.0):
        return a
    if isinstance(b, Neg):  # a + (−b) → a − b
        return sub(a, b.arg)
    return _fold(Bin("+", a, b))


def sub(a: Node, b: Node) -> Node:
    if _num(b, 0.0):
        return a
    if _num(a, 0.0):
        return neg(b)
    return _fold(Bin("-", a, b))


def mul(a: Node, b: Node) -> Node:
    if _num(a, 0.0) or _num(b, 0.0):
        return Num(0.0)
    if _num(a, 1.0):
        return b
    if _num(b, 1.0):
        return a
    if _num(a, -1.0):
        return neg(b)
    if _num(b, -1.0):
        return neg(a)
    if isinstance(a, Neg):  # signs out front: a·(−b) → −(a·b)
        return neg(mul(a.arg, b))
    if isinstance(b, Neg):
        return neg(mul(a, b.arg))
    if isinstance(b, Num) and not isinstance(a, Num):  # constants first: 2·x, not x·2
        a, b = b, a
    if isinstance(a, Num) and _leading_const(b):  # 3·(2·u·v) → 6·u·v
        return _scale(a.value, b)
    return _fold(Bin("*", a, b))


def _leading_const(n: Node) -> bool:
    return isinstance(n, Num) or (isinstance(n, Bin) and n.op == "*" and _leading_const(n.left))


def _scale(c: float, n: Node) -> Node:
    """c times a product whose leftmost factor is a number."""
    if isinstance(n, Num):
        return Num(c * n.value)
    assert isinstance(n, Bin)
    return mul(_scale(c, n.left), n.right)


def div(a: Node, b: Node) -> Node:
    if _num(a, 0.0):
        return Num(0.0)
    if _num(b, 1.0):
        return a
    return _fold(Bin("/", a, b))


def neg(a: Node) -> Node:
    if isinstance(a, Neg):
        return a.arg
    return _fold(Neg(a))


def power(a: Node, b: Node) -> Node:
    if _num(b, 1.0):
        return a
    if _num(b, 0.0):
        return Num(1.0)
    return _fold(Bin("^", a, b))


# ── evaluation and derivative ─────────────────────────────────────────────────────


def evaluate(n: Node, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Value of the tree at (x, y) (arrays broadcast); inf/nan where undefined."""
    with np.errstate(all="ignore"):
        return _eval(n, x, y)


def _eval(n: Node, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    if isinstance(n, Num):
        return np.float64(n.value)
    if isinstance(n, Var):
        return x if n.name == "x" else y
    if isinstance(n, Neg):
        return -_eval(n.arg, x, y)
    if isinstance(n, Call):
        return _NP[n.fn](_eval(n.arg, x, y))
    a, b = _eval(n.left, x, y), _eval(n.right, x, y)
    if n.op == "+":
        return a + b
    if n.op == "-":
        return a - b
    if n.op == "*":
        return a * b
    if n.op == "/":
        return a / b
    return np.power(a, b)


def derivative(n: Node, var: str) -> Node:
    """Exact partial derivative ∂n/∂var as a new tree (simplified lightly)."""
    if isinstance(n, Num):
        return Num(0.0)
    if isinstance(n, Var):
        return Num(1.0 if n.name == var else 0.0)
    if isinstance(n, Neg):
        return neg(derivative(n.arg, var))
    if isinstance(n, Call):
        u, du = n.arg, derivative(n.arg, var)
        if _num(du, 0.0):
            return Num(0.0)
        outer: Node
        if n.fn == "sin":
            outer = Call("cos", u)
        elif n.fn == "cos":
            outer = neg(Call("sin", u))
        elif n.fn == "tan":
            outer = div(Num(1.0), power(Call("cos", u), Num(2.0)))
        elif n.fn == "exp":
            outer = n
        elif n.fn == "log":
            outer = div(Num(1.0), u)
        elif n.fn == "sqrt":
            outer = div(Num(0.5), n)
        elif n.fn == "abs":
            outer = Call("sign", u)
        elif n.fn == "tanh":
            outer = sub(Num(1.0), power(n, Num(2.0)))
        else:  # sign: derivative 0 almost everywhere
            return Num(0.0)
        return mul(outer, du)
    a, b = n.left, n.right
    da, db = derivative(a, var), derivative(b, var)
    if n.op == "+":
        return add(da, db)
    if n.op == "-":
        return sub(da, db)
    if n.op == "*":
        return add(mul(da, b), mul(a, db))
    if n.op == "/":
        return sub(div(da, b), div(mul(a, db), power(b, Num(2.0))))
    # power a^b
    if not has_var(b):  # d(a^p) = p a^(p-1) da
        p = _const(b)
        return mul(mul(Num(p), power(a, Num(p - 1.0))), da)
    # base constant: d(c^v) = c^v log(c) dv
    return mul(mul(n, Num(_const(Call("log", a)))), db)


# ── printing ──────────────────────────────────────────────────────────────────────

_PREC = {"+": 1, "-": 1, "*": 2, "/": 2, "neg": 3, "^": 4}


def _fmt_num(v: float) -> str:
    if v == math.pi:
        return "pi"
    if v == math.e:
        return "e"
    if math.isfinite(v) and v == int(v) and abs(v) < 1e15:
        return str(int(v))
    return f"{v:.6g}"


def to_text(n: Node, parent: int = 0) -> str:
    """A normalised plain-text form (``^`` for powers, minimal parentheses)."""
    if isinstance(n, Num):
        s = _fmt_num(n.value)
        return f"({s})" if n.value < 0 and parent > 0 else s
    if isinstance(n, Var):
        return n.name
    if isinstance(n, Call):
        return f"{n.fn}({to_text(n.arg)})"
    if isinstance(n, Neg):
        s = "-" + to_text(n.arg, _PREC["neg"])
        return f"({s})" if parent >= _PREC["neg"] else s
    p = _PREC[n.op]
    if n.op == "^":
        s = f"{to_text(n.left, p + 1)}^{to_text(n.right, p)}"
    else:
        right_p = p + 1 if n.op in "-/" else p
        s = f"{to_text(n.left, p)} {n.op} {to_text(n.right, right_p)}"
    return f"({s})" if p < parent else s


def to_latex(n: Node, parent: int = 0) -> str:
    """LaTeX for the tree (built only from whitelisted nodes, safe for st.latex)."""
    if isinstance(n, Num):
        if n.value == math.pi:
            return r"\pi"
        s = _fmt_num(n.value)
        if "e" in s and s != "e":
            mant, ex = s.split("e")
            s = rf"{mant}\times 10^{{{int(ex)}}}"
        return rf"\left({s}\right)" if n.value < 0 and parent > 0 else s
    if isinstance(n, Var):
        return n.name
    if isinstance(n, Call):
        inner = to_latex(n.arg)
        if n.fn == "sqrt":
            return rf"\sqrt{{{inner}}}"
        if n.fn == "abs":
            return rf"\left|{inner}\right|"
        name = {"sign": r"\operatorname{sign}"}.get(n.fn, "\\" + n.fn)
        return rf"{name}\left({inner}\right)"
    if isinstance(n, Neg):
        s = "-" + to_latex(n.arg, _PREC["neg"])
        return rf"\left({s}\right)" if parent >= _PREC["neg"] else s
    p = _PREC[n.op]
    if n.op == "/":
        return rf"\frac{{{to_latex(n.left)}}}{{{to_latex(n.right)}}}"
    if n.op == "^":
        left = to_latex(n.left, p + 1)
        if isinstance(n.left, Call) and n.left.fn not in ("sqrt", "abs"):
            left = rf"\left({left}\right)"
        s = f"{{{left}}}^{{{to_latex(n.right)}}}"
    else:
        op = r" \cdot " if n.op == "*" else f" {n.op} "
        right_p = p + 1 if n.op == "-" else p
        s = f"{to_latex(n.left, p)}{op}{to_latex(n.right, right_p)}"
    return rf"\left({s}\right)" if p < parent else s


@dataclass(frozen=True)
class Formula:
    """A parsed formula with its exact partial derivatives."""

    text: str  # what the user typed
    tree: Node
    dx: Node
    dy: Node

    def value(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return np.asarray(evaluate(self.tree, x, y), dtype=np.float64) + np.zeros_like(
            np.asarray(x, dtype=np.float64) + np.asarray(y, dtype=np.float64)
        )

    def gradient(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        shape = np.zeros_like(np.asarray(x, dtype=np.float64) + np.asarray(y, dtype=np.float64))
        gx = np.asarray(evaluate(self.dx, x, y), dtype=np.float64) + shape
        gy = np.asarray(evaluate(self.dy, x, y), dtype=np.float64) + shape
        return gx, gy


def compile_formula(text: str) -> Formula:
    """Parse ``text`` and derive its gradient; raises :class:`ExpressionError`.

    A derivative can be much larger than its formula (a product of n factors has n
    terms of n factors); above ``MAX_DERIVATIVE_NODES`` the formula is refused as
    ``expr_too_big``, so that one gradient stays cheap to evaluate.
    """
    tree = parse(text)
    dx, dy = derivative(tree, "x"), derivative(tree, "y")
    if count_nodes(dx) + count_nodes(dy) > MAX_DERIVATIVE_NODES:
        raise ExpressionError("expr_too_big", len(text), "")
    return Formula(text=text, tree=tree, dx=dx, dy=dy)


def cost(f: Formula) -> int:
    """Tree nodes visited for one loss value and one gradient (a work unit)."""
    return count_nodes(f.tree) + count_nodes(f.dx) + count_nodes(f.dy)
