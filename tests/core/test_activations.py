"""Activations against independent scalar formulas (math module) and finite differences."""

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

from core.activations import (
    ACTIVATIONS,
    ActivationError,
    erf,
    make_activation,
    sample,
    stalled_intervals,
)


def _sig(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))


# Independent references, written the way torch.nn.functional documents them.
REFERENCE = {
    "identity": lambda x: x,
    "step": lambda x: 1.0 if x > 0 else 0.0,
    "sigmoid": _sig,
    "tanh": math.tanh,
    "relu": lambda x: max(x, 0.0),
    "leaky_relu": lambda x: x if x > 0 else 0.01 * x,
    "elu": lambda x: x if x > 0 else math.exp(x) - 1.0,
    "gelu": lambda x: 0.5 * x * (1.0 + math.erf(x / math.sqrt(2.0))),
    "gelu_tanh": lambda x: (
        0.5 * x * (1.0 + math.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))
    ),
    "silu": lambda x: x * _sig(x),
    "softplus": lambda x: x if x > 20 else math.log1p(math.exp(x)),
}
KINKED = {"step", "relu", "leaky_relu", "elu"}


def test_every_required_activation_exists():
    assert set(REFERENCE) == set(ACTIVATIONS)
    for key, act in ACTIVATIONS.items():
        assert act.key == key and act.latex


@pytest.mark.parametrize("key", sorted(REFERENCE))
def test_values_match_reference(key):
    x = np.linspace(-30, 30, 6001)
    ref = np.array([REFERENCE[key](v) for v in x])
    assert_allclose(ACTIVATIONS[key].fn(x), ref, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("key", sorted(REFERENCE))
def test_derivative_matches_central_differences(key):
    x = np.linspace(-6, 6, 1201)
    if key in KINKED:
        x = x[np.abs(x) > 1e-3]  # the kink at 0 has no derivative
    h = 1e-5
    ref = np.array([(REFERENCE[key](v + h) - REFERENCE[key](v - h)) / (2 * h) for v in x])
    assert_allclose(ACTIVATIONS[key].derivative(x), ref, rtol=1e-6, atol=1e-6)


def test_torch_conventions_at_the_kink():
    zero = np.array([0.0])
    assert ACTIVATIONS["relu"].derivative(zero)[0] == 0.0  # torch: relu'(0) = 0
    assert ACTIVATIONS["step"].fn(zero)[0] == 0.0
    assert ACTIVATIONS["leaky_relu"].derivative(np.array([-1.0]))[0] == 0.01


def test_known_values():
    f = lambda k, v: float(ACTIVATIONS[k].fn(np.array([v]))[0])  # noqa: E731
    assert f("sigmoid", 0) == 0.5
    assert f("gelu", 0) == 0.0
    assert_allclose(f("gelu", 1.0), 0.8413447460685429, rtol=1e-12)  # Φ(1)
    assert_allclose(f("softplus", 0.0), math.log(2), rtol=1e-12)
    assert_allclose(ACTIVATIONS["sigmoid"].derivative(np.array([0.0])), [0.25])
    assert_allclose(ACTIVATIONS["tanh"].derivative(np.array([0.0])), [1.0])


def test_extreme_inputs_stay_finite():
    x = np.array([-1e4, -800.0, 800.0, 1e4])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        for key, act in ACTIVATIONS.items():
            assert np.all(np.isfinite(act.fn(x))), key
            assert np.all(np.isfinite(act.derivative(x))), key


def test_erf_against_math_erf():
    x = np.concatenate([np.linspace(-10, 10, 40001), [0.0, 2.5 - 1e-12, 2.5, 1e-300]])
    ref = np.array([math.erf(v) for v in x])
    assert_allclose(erf(x), ref, rtol=0, atol=1e-13)
    assert erf(np.array([np.inf]))[0] == 1.0 and erf(np.array([-np.inf]))[0] == -1.0


def test_parameters():
    leaky = make_activation("leaky_relu", slope=0.2)
    assert_allclose(leaky.fn(np.array([-2.0, 3.0])), [-0.4, 3.0])
    elu = make_activation("elu", alpha=2.0)
    assert_allclose(elu.fn(np.array([-1.0])), [2.0 * (math.exp(-1) - 1)])
    assert_allclose(elu.derivative(np.array([-1.0])), [2.0 * math.exp(-1)])
    sp = make_activation("softplus", beta=2.0)  # torch: log(1 + e^(βx)) / β
    assert_allclose(sp.fn(np.array([0.5])), [math.log1p(math.exp(1.0)) / 2.0])
    assert_allclose(sp.derivative(np.array([0.5])), [_sig(1.0)])
    assert "2" in sp.latex


@pytest.mark.parametrize(
    ("key", "params", "code"),
    [
        ("nope", {}, "unknown_activation"),
        ("relu", {"slope": 1.0}, "unknown_parameter"),
        ("elu", {"alpha": float("nan")}, "bad_parameter"),
        ("softplus", {"beta": 0.0}, "bad_parameter"),
    ],
)
def test_errors_have_codes(key, params, code):
    with pytest.raises(ActivationError) as e:
        make_activation(key, **params)
    assert e.value.code == code


def test_stalled_zone_of_the_sigmoid():
    # σ'(x) = s(1−s) = 0.01  ⇔  s = (1 − √0.96)/2  ⇔  |x| = log((1−s)/s) ≈ 4.5951
    s = (1 - math.sqrt(0.96)) / 2
    edge = math.log((1 - s) / s)
    curve = sample(ACTIVATIONS["sigmoid"], -10, 10, n=2001)
    (a0, a1), (b0, b1) = curve.stalled
    assert a0 == -10 and b1 == 10
    assert abs(a1 + edge) <= 0.01 and abs(b0 - edge) <= 0.01
    assert sample(ACTIVATIONS["identity"], -5, 5).stalled == ()
    assert sample(ACTIVATIONS["step"], -5, 5).stalled == ((-5.0, 5.0),)
    relu = sample(ACTIVATIONS["relu"], -5, 5, n=11).stalled
    assert relu == ((-5.0, 0.0),)  # relu'(0) = 0


def test_stalled_intervals_runs():
    x = np.arange(6.0)
    assert stalled_intervals(x, np.array([0, 1, 1, 0, 0, 1.0])) == ((0.0, 0.0), (3.0, 4.0))
    with pytest.raises(ActivationError):
        sample(ACTIVATIONS["relu"], 1, 1)


def test_derivative_from_output_agrees_with_derivative():
    x = np.linspace(-8, 8, 1601)
    x = x[np.abs(x) > 1e-9]
    with_shortcut = [a for a in ACTIVATIONS.values() if a.derivative_from_output]
    assert {a.key for a in with_shortcut} >= {"tanh", "sigmoid", "relu"}
    for act in with_shortcut:
        assert_allclose(act.derivative_from_output(act.fn(x)), act.derivative(x), atol=1e-12)
