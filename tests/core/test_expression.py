"""The formula parser: what it accepts (and what that means), what it refuses, and how fast."""

import math
import time

import numpy as np
import pytest
from numpy.testing import assert_allclose

from core.expression import (
    MAX_CHARS,
    ExpressionError,
    compile_formula,
    evaluate,
    parse,
    to_latex,
    to_text,
)
from core.landscapes import ExpressionError as ReExported

RNG = np.random.default_rng(3)
XS = RNG.uniform(0.2, 2.0, 50)
YS = RNG.uniform(0.2, 2.0, 50)

# formula -> the same function written directly with numpy (independent truth)
ACCEPT = {
    "x^2 + y^2": lambda x, y: x**2 + y**2,
    "x**2 + y**2": lambda x, y: x**2 + y**2,
    "-x^2": lambda x, y: -(x**2),
    "3*sin(y)^2": lambda x, y: 3 * np.sin(y) ** 2,
    "2^3^2 + 0*x": lambda x, y: 512.0 + 0 * x,
    "x^-1": lambda x, y: 1 / x,
    "2^-x": lambda x, y: 2.0 ** (-x),
    "e^x": lambda x, y: np.exp(x),
    "pi*x - y/2/x": lambda x, y: np.pi * x - (y / 2) / x,
    "x - y - 1": lambda x, y: (x - y) - 1,
    "--x + +y": lambda x, y: x + y,
    "sqrt(abs(x - y)) + log(y) * tanh(x)": lambda x, y: (
        np.sqrt(np.abs(x - y)) + np.log(y) * np.tanh(x)
    ),
    "exp(-(x^2 + y^2)) * cos(3*x)": lambda x, y: np.exp(-(x**2 + y**2)) * np.cos(3 * x),
    "tan(x/3) + 1.5e-1*y": lambda x, y: np.tan(x / 3) + 0.15 * y,
    " (x + 1) * (y - .5) ": lambda x, y: (x + 1) * (y - 0.5),
    "x^0.5 * y^3": lambda x, y: np.sqrt(x) * y**3,
}


@pytest.mark.parametrize("text", list(ACCEPT))
def test_accepted_formulas_compute_what_they_say(text):
    f = compile_formula(text)
    assert_allclose(f.value(XS, YS), ACCEPT[text](XS, YS), rtol=1e-12)


@pytest.mark.parametrize("text", list(ACCEPT))
def test_symbolic_gradient_matches_central_differences(text):
    f = compile_formula(text)
    gx, gy = f.gradient(XS, YS)
    h = 1e-6
    ref = ACCEPT[text]
    fdx = (ref(XS + h, YS) - ref(XS - h, YS)) / (2 * h)
    fdy = (ref(XS, YS + h) - ref(XS, YS - h)) / (2 * h)
    assert_allclose(gx, fdx, rtol=1e-6, atol=1e-6)
    assert_allclose(gy, fdy, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("text", list(ACCEPT))
def test_printed_forms_parse_back_to_the_same_function(text):
    f = compile_formula(text)
    again = compile_formula(to_text(f.tree))
    assert_allclose(again.value(XS, YS), f.value(XS, YS), rtol=1e-12)
    assert isinstance(to_latex(f.tree), str) and to_latex(f.tree)


def test_derivative_hand_cases():
    f = compile_formula("x^3*y + sin(x*y)")
    # ∂/∂x = 3x²y + y cos(xy), ∂/∂y = x³ + x cos(xy) at (1, 2)
    gx, gy = f.gradient(np.float64(1.0), np.float64(2.0))
    assert_allclose(gx, 3 * 2 + 2 * math.cos(2))
    assert_allclose(gy, 1 + math.cos(2))


def test_overflow_and_domain_errors_are_values_not_exceptions():
    f = compile_formula("exp(x)^50 + log(y)")
    v = f.value(np.array([100.0, 1.0]), np.array([-1.0, 1.0]))
    assert not np.isfinite(v[0])
    assert_allclose(v[1], math.e**50)
    # a constant that overflows is just inf, not a crash
    assert np.isinf(
        compile_formula("10^60 * 10^60 * 10^60 * 10^60 * 10^60 * 10^60 + x").value(
            np.float64(1.0), np.float64(1.0)
        )
    )


def test_value_has_the_broadcast_shape_even_for_constant_parts():
    f = compile_formula("x + 0*y + 2")
    X, Y = np.meshgrid(np.arange(3.0), np.arange(4.0))
    assert f.value(X, Y).shape == (4, 3)
    assert compile_formula("y").gradient(X, Y)[0].shape == (4, 3)


HOSTILE = {
    "__import__('os').system('id')": "expr_char",
    "x.__class__": "expr_char",
    "[x for x in ()]": "expr_char",
    "lambda: 1": "expr_char",
    "9**9**9": "expr_exponent",
    "2**x**x**x": "expr_variable_exponent",
    "x" * 10_000: "expr_too_long",
    "(" * 500 + "x" + ")" * 500: "expr_too_long",
    "(" * 100 + "x" + ")" * 100: "expr_nesting",
    "-" * 250 + "x": "expr_nesting",
    "x^y": "expr_variable_exponent",
    "exp(" * 50 + "x" + ")" * 50: "expr_nesting",
    "+".join(["x"] * 140): "expr_too_big",
    "os.system": "expr_char",
    "import os": "expr_name",
    "x; y": "expr_char",
    "x = 1": "expr_char",
    "'x'": "expr_char",
    "1j*x": "expr_syntax",
}


@pytest.mark.parametrize("text", list(HOSTILE), ids=lambda s: s[:20])
def test_hostile_input_is_refused_fast(text):
    t0 = time.perf_counter()
    with pytest.raises(ExpressionError) as info:
        compile_formula(text)
    assert time.perf_counter() - t0 < 0.05
    assert info.value.code == HOSTILE[text]


REFUSE = {
    "": ("expr_empty", 0),
    "   ": ("expr_empty", 0),
    "2x": ("expr_syntax", 1),
    "x +": ("expr_end", 3),
    "(x + 1": ("expr_unclosed", 0),
    "x + 1)": ("expr_syntax", 5),
    "sin x": ("expr_call", 0),
    "sinh(x)": ("expr_name", 0),
    "x + z": ("expr_name", 4),
    "x ** ** 2": ("expr_syntax", 5),
    "x # comment": ("expr_char", 2),
    "x^100": ("expr_exponent", 1),
    "sin()": ("expr_syntax", 4),
}


@pytest.mark.parametrize("text", list(REFUSE))
def test_bad_input_points_at_the_problem(text):
    with pytest.raises(ExpressionError) as info:
        parse(text)
    assert (info.value.code, info.value.pos) == REFUSE[text]


def test_error_carries_the_token_and_is_a_value_error():
    with pytest.raises(ValueError) as info:
        parse("x + foo")
    assert info.value.token == "foo"
    assert ReExported is ExpressionError


def test_length_limit_is_exactly_max_chars():
    ok = "x" + " " * (MAX_CHARS - 1)
    assert len(ok) == MAX_CHARS
    parse(ok)
    with pytest.raises(ExpressionError):
        parse(ok + " ")


def test_evaluate_on_scalars_and_grids_agree():
    tree = parse("sin(x) * y")
    X, Y = np.meshgrid(XS[:5], YS[:5])
    grid = evaluate(tree, X, Y)
    assert_allclose(grid[2, 3], evaluate(tree, X[2, 3], Y[2, 3]))


def test_derivative_size_is_capped_and_cost_is_counted():
    from core.expression import MAX_DERIVATIVE_NODES, cost

    # a product of 60 factors: each partial derivative has 60 terms of 60 factors
    with pytest.raises(ExpressionError) as info:
        compile_formula("*".join(["x"] * 60))
    assert info.value.code == "expr_too_big"
    f = compile_formula("x^2 + y^2")  # tree: 7 nodes; 2·x and 2·y: 3 nodes each
    assert cost(f) == 7 + 3 + 3
    assert MAX_DERIVATIVE_NODES >= 500
