"""Finite differences against exact derivatives, and the shape of their error in h."""

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

from core.differentiation import (
    EPS,
    SWEET_SPOT,
    DifferentiationError,
    error_curve,
    evaluations,
    numerical_gradient,
)


def f3(p):
    return math.exp(p[0]) * math.sin(p[1]) + p[2] ** 3


def exact3(p):
    return np.array(
        [math.exp(p[0]) * math.sin(p[1]), math.exp(p[0]) * math.cos(p[1]), 3 * p[2] ** 2]
    )


@pytest.mark.parametrize("seed", range(5))
def test_both_methods_approximate_the_exact_gradient_in_any_dimension(seed):
    p = np.random.default_rng(seed).uniform(-1, 1, 3)
    assert_allclose(
        numerical_gradient(f3, p, h=1e-6, method="central"), exact3(p), rtol=1e-8, atol=1e-9
    )
    assert_allclose(
        numerical_gradient(f3, p, h=1e-8, method="forward"), exact3(p), rtol=1e-6, atol=1e-6
    )


def test_one_dimension_and_the_point_is_not_modified():
    p = np.array([2.0])
    g = numerical_gradient(lambda q: q[0] ** 2, p, h=1e-4, method="forward")
    # (2.0001² − 4) / 1e-4 = 4.0001 exactly up to round-off
    assert_allclose(g, [4.0001], rtol=1e-9)
    assert p.tolist() == [2.0]
    g = numerical_gradient(lambda q: q[0] ** 2, p, h=1e-4, method="central")
    assert_allclose(g, [4.0], rtol=1e-10)  # central is exact for a parabola


def test_truncation_error_orders():
    f = lambda q: math.exp(q[0])  # noqa: E731
    p = np.array([0.0])
    for h in (1e-2, 1e-3):
        fwd = numerical_gradient(f, p, h=h, method="forward")[0] - 1
        cen = numerical_gradient(f, p, h=h, method="central")[0] - 1
        assert_allclose(fwd / h, 0.5, rtol=0.01)  # error ≈ f''·h/2
        assert_allclose(cen / h**2, 1 / 6, rtol=0.01)  # error ≈ f'''·h²/6


def test_round_off_makes_tiny_h_worse_the_v_shape():
    f = lambda q: math.exp(q[0])  # noqa: E731
    p, exact = np.array([1.0]), np.array([math.e])
    curve = error_curve(f, exact, p, np.logspace(-16, -1, 16))
    i8, i10 = list(curve.hs).index(1e-8), list(curve.hs).index(1e-10)
    # the article's h = 1e-10 is worse than h ≈ √ε ≈ 1e-8 for the forward difference
    assert curve.forward[i10] > 10 * curve.forward[i8]
    # at h = 1e-16, 1 + h == 1: the difference is 0 and the error is the whole derivative
    assert_allclose(curve.forward[0], math.e)
    # the best h of each method lies near its sweet spot
    assert 1e-10 <= curve.hs[np.argmin(curve.forward)] <= 1e-6
    assert 1e-7 <= curve.hs[np.argmin(curve.central)] <= 1e-3
    assert_allclose(SWEET_SPOT["forward"], math.sqrt(EPS))
    assert_allclose(SWEET_SPOT["central"], EPS ** (1 / 3))


def test_evaluation_counts():
    calls = []

    def f(q):
        calls.append(1)
        return float(q.sum())

    numerical_gradient(f, np.zeros(5), h=1e-3, method="forward")
    assert len(calls) == evaluations(5, "forward") == 6
    calls.clear()
    numerical_gradient(f, np.zeros(5), h=1e-3, method="central")
    assert len(calls) == evaluations(5, "central") == 10


@pytest.mark.parametrize("h", [0.0, -1e-3, float("nan"), float("inf")])
def test_bad_step_raises(h):
    with pytest.raises(DifferentiationError):
        numerical_gradient(f3, np.zeros(3), h=h)


def test_unknown_method_raises():
    with pytest.raises(DifferentiationError):
        numerical_gradient(f3, np.zeros(3), h=1e-3, method="backward")
    with pytest.raises(DifferentiationError):
        evaluations(3, "backward")


def test_second_derivatives_hand_case():
    """f = 3x² + y³ at (1, 2): ∂²f/∂x² = 6, ∂²f/∂y² = 6y = 12."""
    from core.differentiation import second_derivatives

    d = second_derivatives(lambda p: 3 * p[0] ** 2 + p[1] ** 3, np.array([1.0, 2.0]))
    np.testing.assert_allclose(d, [6.0, 12.0], rtol=1e-5)
