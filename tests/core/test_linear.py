"""The home chapter's line model against hand computations and finite differences."""

import itertools

import numpy as np
import pytest
from numpy.testing import assert_allclose

from core import linear


def test_fit_hand_computed():
    x, y = np.array([1.0, 2.0, 3.0]), np.array([2.0, 4.0, 7.0])
    f = linear.fit(x, y, 2.0, 0.5)
    assert_allclose(f.prediction, [2.5, 4.5, 6.5])
    assert_allclose(f.error, [0.5, 0.5, -0.5])
    assert_allclose(f.mse, 0.25)
    assert_allclose(f.rmse, 0.5)
    assert_allclose(f.dw, 2 / 3 * (0.5 * 1 + 0.5 * 2 - 0.5 * 3))
    assert_allclose(f.db, 2 / 3 * 0.5)


@pytest.mark.parametrize("key", list(linear.DATASETS))
def test_gradient_matches_central_differences(key):
    x, y = linear.DATASETS[key]
    rng = np.random.default_rng(0)
    for w, b in rng.uniform(-2, 4, size=(5, 2)):
        f = linear.fit(x, y, w, b)
        h = 1e-6
        dw = (linear.fit(x, y, w + h, b).mse - linear.fit(x, y, w - h, b).mse) / (2 * h)
        db = (linear.fit(x, y, w, b + h).mse - linear.fit(x, y, w, b - h).mse) / (2 * h)
        assert_allclose([f.dw, f.db], [dw, db], rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("key", list(linear.DATASETS))
@pytest.mark.parametrize("fit_bias", [False, True])
def test_least_squares_is_the_minimum(key, fit_bias):
    x, y = linear.DATASETS[key]
    w, b = linear.least_squares(x, y, fit_bias=fit_bias)
    ref = np.linalg.lstsq(
        np.stack([x, np.ones_like(x)], 1) if fit_bias else x[:, None], y, rcond=None
    )[0]
    assert_allclose([w, b] if fit_bias else [w], ref, rtol=1e-12, atol=1e-12)
    f = linear.fit(x, y, w, b)
    assert abs(f.dw) < 1e-9 and (abs(f.db) < 1e-9 or not fit_bias)


def test_exact_data_has_zero_loss_at_two():
    x, y = linear.DATASETS["exact"]
    assert linear.least_squares(x, y, fit_bias=False) == (pytest.approx(2.0), 0.0)
    assert linear.fit(x, y, 2.0, 0.0).mse == 0.0


def test_loss_curve_and_best_w_agree():
    x, y = linear.DATASETS["noisy"]
    ws = np.linspace(-1, 5, 6001)
    curve = linear.loss_curve(x, y, ws, 0.7)
    assert_allclose(curve[123], linear.fit(x, y, ws[123], 0.7).mse)
    assert abs(ws[curve.argmin()] - linear.best_w(x, y, 0.7)) < 1e-3


@pytest.mark.parametrize("fit_bias", [False, True])
def test_gradient_steps_with_the_safe_step_size_descend_to_the_minimum(fit_bias):
    x, y = linear.DATASETS["offset"]
    lr = linear.safe_step_size(x, fit_bias=fit_bias)
    w, b = -1.0, 0.0
    losses = []
    for _ in range(3000):
        losses.append(linear.fit(x, y, w, b).mse)
        w, b = linear.gradient_step(x, y, w, b, lr, fit_bias=fit_bias)
    assert all(a >= c - 1e-12 for a, c in itertools.pairwise(losses))
    assert_allclose((w, b), linear.least_squares(x, y, fit_bias=fit_bias), atol=1e-6)


def test_home_figures_are_valid_plotly():
    """viz builds figures without plotly's validation; validate them here."""
    import plotly.graph_objects as go

    from viz.home import fit_figure, loss_curve_figure

    x, y = linear.DATASETS["noisy"]
    f = linear.fit(x, y, 1.2, 0.3)
    labels = {k: k for k in ("x", "y", "pairs", "model", "miss", "curve", "current", "best")}
    ws = np.linspace(-1, 5, 11)
    for fig in (
        fit_figure(x, y, f.prediction, 1.2, 0.3, labels),
        loss_curve_figure(ws, linear.loss_curve(x, y, ws, 0.3), 1.2, f.mse, 1.0, 0.5, labels),
    ):
        go.Figure(fig.to_dict())  # raises on any invalid property
        assert fig.layout.template.layout.colorway  # the project template is applied


def test_lesson_step_sizes_take_several_clicks_and_the_large_one_diverges():
    x, y = linear.DATASETS["exact"]
    good, large = linear.lesson_step_sizes(x, fit_bias=False)
    # from the default view (w = 1, no offset), the good step needs 5–15 clicks
    n = linear.steps_to_bottom(x, y, 1.0, 0.0, good, fit_bias=False)
    assert n is not None and 5 <= n <= 15
    # hand check: L(w) = mean((w−2)²x²), so one step maps w−2 to (1 − η·2·mean(x²))·(w−2)
    lam = 2 * np.mean(x**2)
    assert large > 2 / lam > good
    w, dist = 1.0, []
    for _ in range(4):
        w, _b = linear.gradient_step(x, y, w, 0.0, large, fit_bias=False)
        dist.append(abs(w - 2.0))
    assert all(b > a for a, b in zip([1.0, *dist], dist, strict=False))  # overshoots, grows
    np.testing.assert_allclose(dist[0], abs(1 - large * lam))
    assert linear.steps_to_bottom(x, y, 1.0, 0.0, large, fit_bias=False) is None
    assert linear.steps_to_bottom(x, y, 2.0, 0.0, good, fit_bias=False) == 0
