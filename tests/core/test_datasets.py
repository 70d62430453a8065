"""Toy datasets: shapes, balance, the geometry each one promises, determinism."""

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from core.datasets import (
    CLASSIFICATION,
    DatasetError,
    make_dataset,
    n_classes_of,
    train_test_split,
)


def rng(seed=0):
    return np.random.default_rng(seed)


@pytest.mark.parametrize("key", CLASSIFICATION)
def test_classification_shapes_and_balance(key):
    k = 3 if key == "gaussians" else 2
    X, y = make_dataset(key, 301, noise=0.1, rng=rng(), n_classes=k)
    assert X.shape == (301, 2) and y.shape == (301,)
    assert set(np.unique(y)) == set(range(k)) == set(range(n_classes_of(key, k)))
    counts = np.bincount(y)
    assert counts.max() - counts.min() <= 1
    assert np.all(np.abs(X) < 2.5)


@pytest.mark.parametrize("key", [*CLASSIFICATION, "sine"])
def test_same_seed_same_data(key):
    a = make_dataset(key, 50, noise=0.2, rng=rng(7))
    b = make_dataset(key, 50, noise=0.2, rng=rng(7))
    c = make_dataset(key, 50, noise=0.2, rng=rng(8))
    assert_array_equal(a[0], b[0])
    assert not np.array_equal(a[0], c[0])


def test_xor_labels_are_sign_products():
    X, y = make_dataset("xor", 400, noise=0.0, rng=rng())
    assert_array_equal(y, (X[:, 0] * X[:, 1] < 0).astype(int))


def test_circles_radii():
    X, y = make_dataset("circles", 400, noise=0.0, rng=rng())
    r = np.hypot(X[:, 0], X[:, 1])
    assert r[y == 0].max() <= 0.5 and r[y == 1].min() >= 0.7 and r.max() <= 1.0


def test_spiral_arms_are_point_reflections():
    X, y = make_dataset("spirals", 400, noise=0.0, rng=rng())
    r = np.hypot(X[:, 0], X[:, 1])
    assert r.max() <= 1.0 + 1e-12
    # the angle of a point, unwrapped from its radius, tells its arm
    t = r * 1.75 * 2 * math.pi
    phase = np.angle(np.exp(1j * (np.arctan2(X[:, 1], X[:, 0]) - t)))
    assert_allclose(np.abs(phase[y == 0]), 0.0, atol=1e-9)
    assert_allclose(np.abs(phase[y == 1]), math.pi, atol=1e-9)


def test_sine_without_noise_is_exact():
    X, y = make_dataset("sine", 100, noise=0.0, rng=rng())
    assert X.shape == (100, 1) and y.shape == (100, 1)
    assert_allclose(y, np.sin(math.pi * X))
    X2, y2 = make_dataset("sine", 2000, noise=0.1, rng=rng())
    assert 0.09 < np.std(y2 - np.sin(math.pi * X2)) < 0.11


def test_gaussian_centres():
    X, y = make_dataset("gaussians", 2000, noise=0.0, rng=rng(), n_classes=3)
    for c in range(3):
        a = 2 * math.pi * c / 3 + math.pi / 4
        assert_allclose(X[y == c].mean(axis=0), [0.5 * math.cos(a), 0.5 * math.sin(a)], atol=0.03)


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("circles", 1, 0.1), "bad_size"),
        (("circles", 10**6, 0.1), "bad_size"),
        (("circles", 10, -0.1), "bad_noise"),
        (("circles", 10, float("nan")), "bad_noise"),
        (("nope", 10, 0.1), "unknown_dataset"),
    ],
)
def test_errors(args, code):
    key, n, noise = args
    with pytest.raises(DatasetError) as e:
        make_dataset(key, n, noise=noise, rng=rng())
    assert e.value.code == code
    with pytest.raises(DatasetError):
        make_dataset("gaussians", 10, noise=0.1, rng=rng(), n_classes=4)


def test_split_partitions_the_data():
    X, y = make_dataset("moons", 100, noise=0.1, rng=rng())
    Xa, ya, Xb, yb = train_test_split(X, y, 0.3, rng())
    assert len(Xa) == 70 and len(Xb) == 30
    both = np.concatenate([np.column_stack([Xa, ya]), np.column_stack([Xb, yb])])
    assert_array_equal(np.sort(both, axis=0), np.sort(np.column_stack([X, y]), axis=0))
    assert len(train_test_split(X, y, 0.0, rng())[2]) == 0
