"""Built-in and custom landscapes: exact gradients, known minima, sensible starts."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from core.landscapes import (
    LANDSCAPES,
    ExpressionError,
    Landscape,
    landscape_from_expression,
    nearest_minimum,
)

REQUIRED = ("bowl", "ravine", "rosenbrock", "himmelblau", "rastrigin", "saddle")


def test_required_landscapes_exist_and_are_frozen():
    assert set(REQUIRED) <= set(LANDSCAPES)
    land = LANDSCAPES["bowl"]
    assert isinstance(land, Landscape)
    with pytest.raises(AttributeError):
        land.key = "other"  # type: ignore[misc]


@pytest.mark.parametrize("key", REQUIRED)
def test_gradient_matches_central_differences_at_random_points(key):
    land = LANDSCAPES[key]
    rng = np.random.default_rng(7)
    x = rng.uniform(*land.x_range, 200)
    y = rng.uniform(*land.y_range, 200)
    gx, gy = land.gradient(x, y)
    h = 1e-6
    fdx = (land.loss(x + h, y) - land.loss(x - h, y)) / (2 * h)
    fdy = (land.loss(x, y + h) - land.loss(x, y - h)) / (2 * h)
    scale = 1 + np.abs(land.loss(x, y))
    assert_allclose(gx / scale, fdx / scale, atol=1e-6)
    assert_allclose(gy / scale, fdy / scale, atol=1e-6)


@pytest.mark.parametrize("key", REQUIRED)
def test_minima_are_stationary_and_lowest(key):
    land = LANDSCAPES[key]
    _, _, z = land.grid(201)
    for mx, my in land.minima:
        assert land.x_range[0] <= mx <= land.x_range[1]
        assert land.y_range[0] <= my <= land.y_range[1]
        gx, gy = land.gradient(np.float64(mx), np.float64(my))
        assert np.hypot(gx, gy) < 1e-4
        assert land.loss(np.float64(mx), np.float64(my)) <= z.min() + 1e-9


def test_known_minimum_values():
    assert LANDSCAPES["bowl"].loss(0.0, 0.0) == 0
    assert LANDSCAPES["rosenbrock"].loss(1.0, 1.0) == 0
    assert LANDSCAPES["rastrigin"].loss(0.0, 0.0) == 0
    assert_allclose(LANDSCAPES["saddle"].loss(0.0, np.sqrt(2)), -1.0)
    for m in LANDSCAPES["himmelblau"].minima:
        assert LANDSCAPES["himmelblau"].loss(*m) < 1e-9
    assert len(LANDSCAPES["himmelblau"].minima) == 4


def test_ravine_is_ill_conditioned_and_saddle_is_a_saddle():
    # Hessian of the ravine is diag(0.2, 8): condition number 40
    h = 1e-4
    f = LANDSCAPES["ravine"].loss
    lx = (f(h, 0) - 2 * f(0, 0) + f(-h, 0)) / h**2
    ly = (f(0, h) - 2 * f(0, 0) + f(0, -h)) / h**2
    assert_allclose(ly / lx, 40, rtol=1e-6)
    s = LANDSCAPES["saddle"]
    assert s.gradient(0.0, 0.0) == (0.0, 0.0)
    assert s.loss(0.1, 0.0) > 0 > s.loss(0.0, 0.1)


@pytest.mark.parametrize("key", REQUIRED)
def test_start_is_in_range_and_not_stationary(key):
    land = LANDSCAPES[key]
    sx, sy = land.start
    assert land.x_range[0] <= sx <= land.x_range[1]
    assert land.y_range[0] <= sy <= land.y_range[1]
    gx, gy = land.gradient(np.float64(sx), np.float64(sy))
    assert np.hypot(gx, gy) > 1e-3
    assert land.lr > 0


def test_grid_orientation():
    land = LANDSCAPES["ravine"]
    x, y, z = land.grid(11)
    assert z.shape == (11, 11)
    assert_allclose(z[3, 7], land.loss(x[7], y[3]))


def test_custom_landscape():
    land = landscape_from_expression("(x - 1)^2 + 2*(y + 0.5)^2", x_range=(-3, 3))
    assert land.key == "custom"
    ((mx, my),) = land.minima
    assert abs(mx - 1) <= 0.05 and abs(my + 0.5) <= 0.05
    gx, gy = land.gradient(np.float64(2.0), np.float64(1.0))
    assert_allclose((gx, gy), (2.0, 6.0))
    sx, sy = land.start
    assert np.hypot(*land.gradient(np.float64(sx), np.float64(sy))) > 0
    assert land.y_range == (-3, 3)


def test_custom_landscape_survives_non_finite_regions():
    land = landscape_from_expression("log(x) + y^2")
    _, _, z = land.grid(31)
    assert np.isnan(z).any() and np.isfinite(z).any()
    sx, sy = land.start
    assert np.isfinite(land.loss(np.float64(sx), np.float64(sy)))


def test_custom_constant_formula_has_no_crash():
    land = landscape_from_expression("3")
    assert land.loss(np.zeros((2, 2)), np.zeros((2, 2))).shape == (2, 2)


def test_bad_formula_raises_expression_error():
    with pytest.raises(ExpressionError):
        landscape_from_expression("x +* y")


def test_nearest_minimum():
    m, d = nearest_minimum(LANDSCAPES["himmelblau"], np.array([3.5, -2.0]))
    assert m == (3.584428, -1.848126)
    assert_allclose(d, np.hypot(0.084428, 0.151874))
    # a linear formula still has a lowest grid point: the corner
    ((mx, my),) = landscape_from_expression("x + y").minima
    assert (mx, my) == (-3.0, -3.0)
