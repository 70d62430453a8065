"""Toy datasets for the playground: 2-D classification and a 1-D regression.

``make_dataset(key, n, *, noise, rng)`` returns ``(X, y)``:

- classification (``xor``, ``circles``, ``moons``, ``spirals``, ``gaussians``):
  ``X (n, 2)`` inside roughly [-1, 1]², ``y (n,)`` integer class labels 0..k-1.
  ``gaussians`` takes ``n_classes`` 2 or 3 (the others have 2 classes).
- regression (``sine``): ``X (n, 1)`` in [-1, 1], ``y (n, 1)`` = sin(πx) + noise.

``noise`` is the standard deviation of the Gaussian noise added to the coordinates (to
the target for ``sine``), in the same units as the data. Classes are balanced.
"""

from __future__ import annotations

import math

import numpy as np

from core.errors import ExplorableError

CLASSIFICATION: tuple[str, ...] = ("xor", "circles", "moons", "spirals", "gaussians")
REGRESSION: tuple[str, ...] = ("sine",)
DATASETS: tuple[str, ...] = CLASSIFICATION + REGRESSION
MAX_POINTS = 2000


class DatasetError(ExplorableError):
    """Bad dataset request; ``code`` is a machine-readable reason."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code, code=code, detail=detail)
        self.detail = detail


def n_classes_of(key: str, n_classes: int = 2) -> int:
    """Number of classes of dataset ``key`` (0 for regression)."""
    if key in REGRESSION:
        return 0
    return n_classes if key == "gaussians" else 2


def _labels(n: int, k: int) -> np.ndarray:
    return np.arange(n) % k  # balanced: 0, 1, 2, 0, 1, 2, ...


def make_dataset(
    key: str, n: int, *, noise: float, rng: np.random.Generator, n_classes: int = 2
) -> tuple[np.ndarray, np.ndarray]:
    """Draw ``n`` points of dataset ``key`` (see the module docstring for shapes)."""
    if key not in DATASETS:
        raise DatasetError("unknown_dataset", key)
    if not (isinstance(n, int | np.integer) and 2 <= n <= MAX_POINTS):
        raise DatasetError("bad_size", str(n))
    if not (math.isfinite(noise) and 0.0 <= noise <= 1.0):
        raise DatasetError("bad_noise", str(noise))
    if key == "gaussians" and n_classes not in (2, 3):
        raise DatasetError("bad_classes", str(n_classes))
    n = int(n)
    if key == "sine":
        x = rng.uniform(-1.0, 1.0, size=(n, 1))
        y = np.sin(math.pi * x) + noise * rng.standard_normal((n, 1))
        return x, y
    k = n_classes_of(key, n_classes)
    y = _labels(n, k)
    if key == "xor":
        # Points in the four quadrants; the class is whether x1 and x2 share a sign.
        X = rng.uniform(-1.0, 1.0, size=(n, 2))
        X += np.sign(X) * 0.05  # keep a thin gap around the axes
        sign = np.where(y == 0, 1.0, -1.0)  # class 0: same sign, class 1: opposite
        X[:, 1] = np.abs(X[:, 1]) * np.sign(X[:, 0]) * sign
    elif key == "circles":
        # Class 0: a disc of radius 0.5; class 1: a ring between 0.7 and 1.
        r = np.where(y == 0, 0.5 * np.sqrt(rng.uniform(0, 1, n)), rng.uniform(0.7, 1.0, n))
        a = rng.uniform(0, 2 * math.pi, n)
        X = np.stack([r * np.cos(a), r * np.sin(a)], axis=1)
    elif key == "moons":
        # Two interleaving half circles (as scikit-learn's make_moons), scaled to [-1, 1].
        a = rng.uniform(0, math.pi, n)
        X = np.where(
            (y == 0)[:, None],
            np.stack([np.cos(a), np.sin(a)], axis=1),
            np.stack([1 - np.cos(a), 0.5 - np.sin(a)], axis=1),
        )
        X = (X - [0.5, 0.25]) / 1.5
    elif key == "spirals":
        # Two interleaved arms of an Archimedean spiral.
        t = np.sqrt(rng.uniform(0, 1, n)) * 1.75 * 2 * math.pi  # 1.75 turns, denser outside
        r = t / (1.75 * 2 * math.pi)
        phase = np.where(y == 0, 0.0, math.pi)
        X = np.stack([r * np.cos(t + phase), r * np.sin(t + phase)], axis=1)
    else:  # gaussians: k blobs on a circle of radius 0.5, spread 0.2
        centres = 0.5 * np.stack(
            [
                np.cos(2 * math.pi * np.arange(k) / k + math.pi / 4),
                np.sin(2 * math.pi * np.arange(k) / k + math.pi / 4),
            ],
            axis=1,
        )
        X = centres[y] + 0.2 * rng.standard_normal((n, 2))
    X = X + noise * rng.standard_normal((n, 2))
    return X, y


def train_test_split(
    X: np.ndarray, y: np.ndarray, test_fraction: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Shuffle and split into (X_train, y_train, X_test, y_test); the test part has
    ``round(test_fraction · n)`` points (at least 1 left for training)."""
    if not (0.0 <= test_fraction < 1.0):
        raise DatasetError("bad_split", str(test_fraction))
    n = len(X)
    order = rng.permutation(n)
    n_test = min(round(test_fraction * n), n - 1)
    test, train = order[:n_test], order[n_test:]
    return X[train], y[train], X[test], y[test]
