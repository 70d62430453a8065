"""Numerical differentiation, and how its error depends on the step h.

Forward difference  ∂f/∂pᵢ ≈ (f(p + h·eᵢ) − f(p)) / h              n + 1 evaluations
Central difference  ∂f/∂pᵢ ≈ (f(p + h·eᵢ) − f(p − h·eᵢ)) / (2h)     2n evaluations

Two errors compete. Truncation (the Taylor terms the formula drops) shrinks with h:
O(h) forward, O(h²) central. Round-off (float64 keeps ~16 digits, ε = 2⁻⁵² ≈ 2.2e-16)
grows as ε·|f|/h because two nearly equal numbers are subtracted. The sum is smallest
near h ≈ √ε ≈ 1.5e-8 (forward) and h ≈ ∛ε ≈ 6e-6 (central), for well-scaled f.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from core.errors import ExplorableError

EPS: float = float(np.finfo(np.float64).eps)
METHODS: tuple[str, ...] = ("forward", "central")
#: Sweet spots of h for a function and derivatives of order one.
SWEET_SPOT: dict[str, float] = {"forward": EPS ** (1 / 2), "central": EPS ** (1 / 3)}


class DifferentiationError(ExplorableError):
    """Bad method or step; ``code`` is a machine-readable reason, ``detail`` the culprit."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code, code=code, detail=detail)
        self.detail = detail


def evaluations(n: int, method: str) -> int:
    """Loss evaluations one numerical gradient of n parameters costs (n+1 or 2n)."""
    if method == "forward":
        return n + 1
    if method == "central":
        return 2 * n
    raise DifferentiationError("unknown_method", method)


def numerical_gradient(
    func: Callable[[np.ndarray], float], point: np.ndarray, *, h: float, method: str = "forward"
) -> np.ndarray:
    """Finite-difference gradient of ``func: (n,) -> float`` at ``point`` (n,), shape (n,).

    The plain textbook formulas (no step-size tricks), so the error they make is the
    error this page shows.
    """
    if method not in METHODS:
        raise DifferentiationError("unknown_method", method)
    h = float(h)
    if not (np.isfinite(h) and h > 0):
        raise DifferentiationError("bad_step", str(h))
    p = np.asarray(point, dtype=np.float64).copy()
    n = p.size
    g = np.empty(n)
    with np.errstate(all="ignore"):
        f0 = float(func(p)) if method == "forward" else 0.0
        for i in range(n):
            old = p[i]
            p[i] = old + h
            fp = float(func(p))
            if method == "forward":
                g[i] = (fp - f0) / h
            else:
                p[i] = old - h
                g[i] = (fp - float(func(p))) / (2 * h)
            p[i] = old
    return g


@dataclass(frozen=True)
class ErrorCurve:
    """|numerical − exact| gradient error (Euclidean norm) for each step h."""

    hs: np.ndarray  # (k,) steps, ascending
    forward: np.ndarray  # (k,) error of the forward difference (0 where exact)
    central: np.ndarray  # (k,)
    exact: np.ndarray  # (n,) the exact gradient compared against


def error_curve(
    func: Callable[[np.ndarray], float], exact: np.ndarray, point: np.ndarray, hs: np.ndarray
) -> ErrorCurve:
    """Error of both difference formulas against ``exact`` at ``point`` for every h."""
    hs = np.asarray(hs, dtype=np.float64)
    exact = np.asarray(exact, dtype=np.float64)
    out = {}
    for m in METHODS:
        errs = [np.linalg.norm(numerical_gradient(func, point, h=h, method=m) - exact) for h in hs]
        out[m] = np.asarray(errs)
    return ErrorCurve(hs=hs, forward=out["forward"], central=out["central"], exact=exact)


def second_derivatives(
    func: Callable[[np.ndarray], float], point: np.ndarray, *, h: float = 1e-4
) -> np.ndarray:
    """Diagonal of the Hessian, ∂²f/∂pᵢ² ≈ (f(p + h·eᵢ) − 2f(p) + f(p − h·eᵢ)) / h², (n,).

    The curvature the forward difference ignores: its truncation error is about
    (h/2)·|∂²f/∂pᵢ²| per component."""
    p = np.asarray(point, dtype=np.float64).copy()
    out = np.empty(p.size)
    with np.errstate(all="ignore"):
        f0 = float(func(p))
        for i in range(p.size):
            old = p[i]
            p[i] = old + h
            fp = float(func(p))
            p[i] = old - h
            fm = float(func(p))
            p[i] = old
            out[i] = (fp - 2.0 * f0 + fm) / (h * h)
    return out
