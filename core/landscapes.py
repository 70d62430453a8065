"""Loss landscapes: functions of two parameters (x, y) to walk down on.

Each :class:`Landscape` has a vectorised ``loss(x, y)``, an exact ``gradient(x, y)``,
the plotting range, its known minima and a suggested start that is not a stationary
point. ``landscape_from_expression`` turns a user's formula (see ``core.expression``)
into a landscape with a symbolically derived gradient.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from core.expression import ExpressionError, compile_formula, cost, to_latex, to_text

__all__ = [
    "LANDSCAPES",
    "ExpressionError",
    "Landscape",
    "landscape_from_expression",
    "nearest_minimum",
]

Array = np.ndarray
LossFn = Callable[[Array, Array], Array]
GradFn = Callable[[Array, Array], tuple[Array, Array]]


@dataclass(frozen=True)
class Landscape:
    """A loss surface L(x, y) with everything the page shows about it."""

    key: str  # "bowl", …, or "custom"
    loss: LossFn  # vectorised: arrays of any (broadcastable) shape in, same shape out
    gradient: GradFn | None  # exact (∂L/∂x, ∂L/∂y), or None if unknown
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    minima: tuple[tuple[float, float], ...]  # global minima (custom: lowest grid point)
    start: tuple[float, float]  # suggested start, not a stationary point
    latex: str = ""  # the formula, for st.latex
    lr: float = 0.1  # a learning rate at which plain gradient descent behaves well
    text: str = ""  # the formula as plain text
    cost: int = 0  # custom formulas: tree nodes per loss + gradient evaluation (0: built-in)

    def grid(self, n: int) -> tuple[Array, Array, Array]:
        """(x (n,), y (n,), Z (n, n)) with Z[i, j] = L(x[j], y[i]); non-finite kept."""
        x = np.linspace(*self.x_range, n)
        y = np.linspace(*self.y_range, n)
        with np.errstate(all="ignore"):
            z = np.asarray(self.loss(x[None, :], y[:, None]), dtype=np.float64)
        return x, y, np.broadcast_to(z, (n, n)).copy()


def nearest_minimum(land: Landscape, point: Array) -> tuple[tuple[float, float] | None, float]:
    """The known minimum closest to ``point`` and its Euclidean distance (nan if none)."""
    if not land.minima:
        return None, float("nan")
    m = np.asarray(land.minima, dtype=np.float64)
    d = np.hypot(m[:, 0] - point[0], m[:, 1] - point[1])
    i = int(np.argmin(d))
    return (float(m[i, 0]), float(m[i, 1])), float(d[i])


# ── the built-in landscapes ───────────────────────────────────────────────────────


def _bowl(x: Array, y: Array) -> Array:
    return x**2 + y**2


def _bowl_g(x: Array, y: Array) -> tuple[Array, Array]:
    return 2 * x + 0 * y, 2 * y + 0 * x


# Ill-conditioned quadratic: curvature 0.2 along x, 8 along y (condition number 40).
def _ravine(x: Array, y: Array) -> Array:
    return 0.1 * x**2 + 4 * y**2


def _ravine_g(x: Array, y: Array) -> tuple[Array, Array]:
    return 0.2 * x + 0 * y, 8 * y + 0 * x


def _rosen(x: Array, y: Array) -> Array:
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def _rosen_g(x: Array, y: Array) -> tuple[Array, Array]:
    return -2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)


def _himmel(x: Array, y: Array) -> Array:
    return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2


def _himmel_g(x: Array, y: Array) -> tuple[Array, Array]:
    a, b = x**2 + y - 11, x + y**2 - 7
    return 4 * x * a + 2 * b, 2 * a + 4 * y * b


def _rastrigin(x: Array, y: Array) -> Array:
    tau = 2 * np.pi
    return 20 + x**2 + y**2 - 10 * (np.cos(tau * x) + np.cos(tau * y))


def _rastrigin_g(x: Array, y: Array) -> tuple[Array, Array]:
    tau = 2 * np.pi
    return 2 * x + 10 * tau * np.sin(tau * x), 2 * y + 10 * tau * np.sin(tau * y)


# A saddle point at the origin between two valleys (minima at y = ±√2, value −1).
def _saddle(x: Array, y: Array) -> Array:
    return x**2 - y**2 + y**4 / 4


def _saddle_g(x: Array, y: Array) -> tuple[Array, Array]:
    return 2 * x + 0 * y, -2 * y + y**3 + 0 * x


# The four minima of Himmelblau's function (all with value 0), to 1e-6.
_HIMMEL_MIN = (
    (3.0, 2.0),
    (-2.805118, 3.131313),
    (-3.779310, -3.283186),
    (3.584428, -1.848126),
)

LANDSCAPES: Mapping[str, Landscape] = MappingProxyType(
    {
        "bowl": Landscape(
            "bowl",
            _bowl,
            _bowl_g,
            (-3.0, 3.0),
            (-3.0, 3.0),
            ((0.0, 0.0),),
            (-2.4, 1.8),
            latex=r"x^2 + y^2",
            lr=0.1,
            text="x^2 + y^2",
        ),
        "ravine": Landscape(
            "ravine",
            _ravine,
            _ravine_g,
            (-5.0, 5.0),
            (-2.0, 2.0),
            ((0.0, 0.0),),
            (-4.5, 1.2),
            latex=r"0.1\,x^2 + 4\,y^2",
            lr=0.2,
            text="0.1*x^2 + 4*y^2",
        ),
        "rosenbrock": Landscape(
            "rosenbrock",
            _rosen,
            _rosen_g,
            (-2.0, 2.0),
            (-1.0, 3.0),
            ((1.0, 1.0),),
            (-1.5, 2.5),
            latex=r"(1 - x)^2 + 100\,(y - x^2)^2",
            lr=0.001,
            text="(1 - x)^2 + 100*(y - x^2)^2",
        ),
        "himmelblau": Landscape(
            "himmelblau",
            _himmel,
            _himmel_g,
            (-5.0, 5.0),
            (-5.0, 5.0),
            _HIMMEL_MIN,
            (0.5, -0.5),
            latex=r"(x^2 + y - 11)^2 + (x + y^2 - 7)^2",
            lr=0.01,
            text="(x^2 + y - 11)^2 + (x + y^2 - 7)^2",
        ),
        "rastrigin": Landscape(
            "rastrigin",
            _rastrigin,
            _rastrigin_g,
            (-5.12, 5.12),
            (-5.12, 5.12),
            ((0.0, 0.0),),
            (3.3, -2.6),
            latex=r"20 + x^2 + y^2 - 10\,(\cos 2\pi x + \cos 2\pi y)",
            lr=0.002,
            text="20 + x^2 + y^2 - 10*(cos(2*pi*x) + cos(2*pi*y))",
        ),
        "saddle": Landscape(
            "saddle",
            _saddle,
            _saddle_g,
            (-2.5, 2.5),
            (-2.5, 2.5),
            ((0.0, float(np.sqrt(2))), (0.0, -float(np.sqrt(2)))),
            (-2.2, 0.02),
            latex=r"x^2 - y^2 + \tfrac{1}{4}\,y^4",
            lr=0.05,
            text="x^2 - y^2 + y^4/4",
        ),
    }
)


def landscape_from_expression(
    text: str,
    *,
    x_range: tuple[float, float] = (-3.0, 3.0),
    y_range: tuple[float, float] | None = None,
    grid: int = 121,
) -> Landscape:
    """A landscape from a user's formula in x and y, with its exact symbolic gradient.

    ``minima`` holds the lowest point of a ``grid`` × ``grid`` sample of the range (an
    estimate, not a proof), and ``start`` is the first of a few fixed candidates where
    the loss is finite and the gradient finite and non-zero. Raises
    :class:`ExpressionError` (a ``ValueError``) for a formula that is not accepted.
    """
    f = compile_formula(text)
    y_range = x_range if y_range is None else y_range
    (x0, x1), (y0, y1) = x_range, y_range
    land = Landscape(
        "custom",
        f.value,
        f.gradient,
        (x0, x1),
        (y0, y1),
        (),
        (x0, y1),
        latex=to_latex(f.tree),
        lr=0.1,
        text=to_text(f.tree),
    )
    _, _, z = land.grid(grid)
    minima: tuple[tuple[float, float], ...] = ()
    finite = np.isfinite(z)
    if finite.any():
        zz = np.where(finite, z, np.inf)
        i, j = np.unravel_index(int(np.argmin(zz)), zz.shape)
        minima = ((float(np.linspace(x0, x1, grid)[j]), float(np.linspace(y0, y1, grid)[i])),)
    start = (x0, y1)
    for fx, fy in ((0.7, 0.6), (-0.6, 0.7), (0.55, -0.65), (-0.65, -0.55), (0.3, 0.2)):
        cx, cy = (x0 + x1) / 2 + fx * (x1 - x0) / 2, (y0 + y1) / 2 + fy * (y1 - y0) / 2
        with np.errstate(all="ignore"):
            val = float(f.value(np.float64(cx), np.float64(cy)))
            gx, gy = (float(g) for g in f.gradient(np.float64(cx), np.float64(cy)))
        if np.isfinite(val) and np.isfinite(gx) and np.isfinite(gy) and (gx or gy):
            start = (float(cx), float(cy))
            break
    return Landscape(
        "custom",
        f.value,
        f.gradient,
        (x0, x1),
        (y0, y1),
        minima,
        start,
        latex=land.latex,
        lr=0.1,
        text=land.text,
        cost=cost(f),
    )
