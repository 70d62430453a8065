"""The home chapter's model: answer = w·question + b, fitted by least squares.

Loss is the mean squared error L(w, b) = (1/n) Σᵢ (w·xᵢ + b − yᵢ)²; its gradient is
∂L/∂w = (2/n) Σᵢ eᵢ·xᵢ and ∂L/∂b = (2/n) Σᵢ eᵢ with eᵢ = w·xᵢ + b − yᵢ.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

_X = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
_NOISE = np.random.default_rng(7).normal(0.0, 0.8, _X.size).round(1)

#: Question → answer pairs: (x (n,), y (n,)).
DATASETS: Mapping[str, tuple[np.ndarray, np.ndarray]] = {
    "exact": (_X, 2.0 * _X),
    "offset": (_X, 2.0 * _X + 3.0),
    "noisy": (_X, 1.5 * _X + 1.0 + _NOISE),
}


@dataclass(frozen=True)
class Fit:
    """Every number the home page shows for one choice of (w, b)."""

    prediction: np.ndarray  # (n,) w·x + b
    error: np.ndarray  # (n,) prediction − y
    squared: np.ndarray  # (n,) error²
    mse: float  # mean of squared
    rmse: float  # √mse
    dw: float  # ∂L/∂w
    db: float  # ∂L/∂b


def fit(x: np.ndarray, y: np.ndarray, w: float, b: float) -> Fit:
    """Predictions, errors, loss and gradient of the line w·x + b on the pairs (x, y)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    pred = w * x + b
    err = pred - y
    sq = err * err
    mse = float(sq.mean())
    return Fit(
        pred,
        err,
        sq,
        mse,
        float(np.sqrt(mse)),
        float(2.0 * (err * x).mean()),
        float(2.0 * err.mean()),
    )


def loss_curve(x: np.ndarray, y: np.ndarray, ws: np.ndarray, b: float) -> np.ndarray:
    """L(w) for every w in ``ws`` (shape (m,)) with b held fixed."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    err = np.asarray(ws, dtype=float)[:, None] * x[None, :] + b - y[None, :]
    return (err * err).mean(axis=1)


def best_w(x: np.ndarray, y: np.ndarray, b: float) -> float:
    """The w that minimises L(w) for a fixed b: Σ x(y − b) / Σ x²."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return float((x * (y - b)).sum() / (x * x).sum())


def least_squares(x: np.ndarray, y: np.ndarray, *, fit_bias: bool) -> tuple[float, float]:
    """The (w, b) minimising L; b = 0 when ``fit_bias`` is False."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if not fit_bias:
        return best_w(x, y, 0.0), 0.0
    xm, ym = x.mean(), y.mean()
    w = float(((x - xm) * (y - ym)).sum() / ((x - xm) ** 2).sum())
    return w, float(ym - w * xm)


def gradient_step(
    x: np.ndarray, y: np.ndarray, w: float, b: float, lr: float, *, fit_bias: bool
) -> tuple[float, float]:
    """One step of gradient descent: (w, b) ← (w, b) − lr·∇L."""
    f = fit(x, y, w, b)
    return w - lr * f.dw, (b - lr * f.db) if fit_bias else b


def safe_step_size(x: np.ndarray, *, fit_bias: bool) -> float:
    """A step size that always decreases L: 1/λ_max of the loss's Hessian (2/n)·AᵀA."""
    x = np.asarray(x, dtype=float)
    a = np.stack([x, np.ones_like(x)], axis=1) if fit_bias else x[:, None]
    lam = np.linalg.eigvalsh(2.0 / x.size * a.T @ a).max()
    return float(1.0 / lam)


def lesson_step_sizes(x: np.ndarray, *, fit_bias: bool) -> tuple[float, float]:
    """Two step sizes η for the home page's buttons, rounded to two significant digits:
    a good one (0.55/λ_max: each step shrinks the distance to the bottom along the
    steepest direction by a factor |1 − ηλ| ≈ 0.45, so it takes several clicks, not one)
    and a too-large one (2.2/λ_max > 2/λ_max: |1 − ηλ| > 1, each step overshoots the
    bottom by more than it started from, so the walk bounces outward)."""
    lam = 1.0 / safe_step_size(x, fit_bias=fit_bias)

    def two_digits(v: float) -> float:
        return float(f"{v:.2g}")

    return two_digits(0.55 / lam), two_digits(2.2 / lam)


#: |∂L/∂w| (and |∂L/∂b|) below this counts as "at the bottom" on the home page.
BOTTOM_TOL = 5e-3


def steps_to_bottom(
    x: np.ndarray,
    y: np.ndarray,
    w: float,
    b: float,
    lr: float,
    *,
    fit_bias: bool,
    tol: float = BOTTOM_TOL,
    max_steps: int = 1000,
) -> int | None:
    """How many :func:`gradient_step` calls with step ``lr`` bring every gradient
    component below ``tol`` (0 if already there), or None if not within ``max_steps``."""
    for n in range(max_steps + 1):
        f = fit(x, y, w, b)
        if not (np.isfinite(f.dw) and np.isfinite(f.db)):
            return None
        if abs(f.dw) < tol and (not fit_bias or abs(f.db) < tol):
            return n
        w, b = gradient_step(x, y, w, b, lr, fit_bias=fit_bias)
    return None
