"""Activation functions: the non-linear "filter" applied at each node.

Each activation is a pair ``fn`` / ``derivative`` of vectorised NumPy functions plus its
formula in LaTeX, looked up by key in :data:`ACTIVATIONS`. Values and derivatives follow
``torch.nn.functional`` (``relu'(0) = 0``, ``leaky_relu`` slope 0.01, ``elu`` alpha 1,
``gelu`` exact erf form, ``gelu_tanh`` = ``gelu(approximate="tanh")``, ``softplus`` with
beta 1 and threshold 20). Parametrised variants come from :func:`make_activation`.

No SciPy: :func:`erf` is vectorised here (power series near zero, continued fraction
in the tails) and tested against ``math.erf``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from core.errors import ExplorableError

Array = np.ndarray
Fn = Callable[[Array], Array]

_SQRT2 = math.sqrt(2.0)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_GELU_C = math.sqrt(2.0 / math.pi)


class ActivationError(ExplorableError):
    """Unknown activation or bad parameter; ``code`` is a machine-readable reason."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code, code=code, detail=detail)
        self.detail = detail


# ── erf without SciPy ───────────────────────────────────────────────────────────────


def _erf_series(x: Array) -> Array:
    """erf(x) = 2/√π · Σ (-1)^n x^(2n+1) / (n! (2n+1)); used for |x| < 2.5 (60 terms)."""
    x2 = x * x
    term = x.copy()  # x^(2n+1) (-1)^n / n!
    total = x.copy()
    for n in range(1, 60):
        term = term * (-x2) / n
        total = total + term / (2 * n + 1)
    return total * (2.0 / math.sqrt(math.pi))


def _erfc_cf(x: Array) -> Array:
    """erfc(x) for x ≥ 2.5 by the Laplace continued fraction (Lentz), 60 levels."""
    # erfc(x) = exp(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …)))))
    f = x.copy()
    for k in range(60, 0, -1):
        f = x + (k / 2.0) / f
    return np.exp(-x * x) / (math.sqrt(math.pi) * f)


def erf(x: Array | float) -> Array:
    """The error function, vectorised: power series for |x| < 2.5, continued fraction
    beyond (absolute error below 1e-14 against ``math.erf``; checked in the tests)."""
    x = np.asarray(x, dtype=np.float64)
    ax = np.abs(x)
    out = np.empty_like(ax)
    small = ax < 2.5
    if np.any(small):
        out[small] = _erf_series(ax[small])
    big = ~small & np.isfinite(ax)
    if np.any(big):
        out[big] = 1.0 - _erfc_cf(ax[big])
    out[np.isinf(ax)] = 1.0
    out[np.isnan(ax)] = np.nan
    return np.copysign(out, x)


# ── the functions ────────────────────────────────────────────────────────────────────


def _sigmoid(x: Array) -> Array:
    # exp of a non-positive number only: no overflow for large |x|.
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _softplus(beta: float, threshold: float = 20.0) -> tuple[Fn, Fn]:
    def fn(x: Array) -> Array:
        bx = beta * x
        # log1p(exp(bx)) = max(bx, 0) + log1p(exp(-|bx|)); torch returns x when bx > 20.
        soft = (np.maximum(bx, 0.0) + np.log1p(np.exp(-np.abs(bx)))) / beta
        return np.where(bx > threshold, x, soft)

    def der(x: Array) -> Array:
        return np.where(beta * x > threshold, 1.0, _sigmoid(beta * x))

    return fn, der


def _gelu(x: Array) -> Array:
    return 0.5 * x * (1.0 + erf(x / _SQRT2))


def _gelu_der(x: Array) -> Array:
    return 0.5 * (1.0 + erf(x / _SQRT2)) + x * _INV_SQRT_2PI * np.exp(-0.5 * x * x)


def _gelu_tanh(x: Array) -> Array:
    return 0.5 * x * (1.0 + np.tanh(_GELU_C * (x + 0.044715 * x**3)))


def _gelu_tanh_der(x: Array) -> Array:
    u = _GELU_C * (x + 0.044715 * x**3)
    th = np.tanh(u)
    du = _GELU_C * (1.0 + 3 * 0.044715 * x * x)
    return 0.5 * (1.0 + th) + 0.5 * x * (1.0 - th * th) * du


def _elu(alpha: float) -> tuple[Fn, Fn]:
    def fn(x: Array) -> Array:
        return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0)))

    def der(x: Array) -> Array:
        return np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0.0)))

    return fn, der


def _leaky(slope: float) -> tuple[Fn, Fn]:
    def fn(x: Array) -> Array:
        return np.where(x > 0, x, slope * x)

    def der(x: Array) -> Array:
        return np.where(x > 0, 1.0, slope)

    return fn, der


def _tanh_der(x: Array) -> Array:
    th = np.tanh(x)
    return 1.0 - th * th


def _sigmoid_der(x: Array) -> Array:
    s = _sigmoid(x)
    return s * (1.0 - s)


def _silu_der(x: Array) -> Array:
    s = _sigmoid(x)
    return s * (1.0 + x * (1.0 - s))


@dataclass(frozen=True)
class Activation:
    """One activation: ``fn(x)`` and ``derivative(x)`` (vectorised), its LaTeX formula."""

    key: str
    fn: Fn = field(repr=False, compare=False)
    derivative: Fn = field(repr=False, compare=False)
    latex: str
    params: tuple[tuple[str, float], ...] = ()  # e.g. (("slope", 0.01),)
    # f'(x) written in terms of the output a = f(x) where that is cheaper (tanh: 1 − a²);
    # backpropagation uses it to avoid recomputing f. None: use ``derivative(x)``.
    derivative_from_output: Fn | None = field(default=None, repr=False, compare=False)

    def __call__(self, x: Array) -> Array:
        return self.fn(x)


#: Parameter of each parametrised activation: (name, default, allowed min, allowed max).
PARAMETERS: Mapping[str, tuple[str, float, float, float]] = {
    "leaky_relu": ("slope", 0.01, 0.0, 1.0),
    "elu": ("alpha", 1.0, 0.0, 10.0),
    "softplus": ("beta", 1.0, 0.01, 100.0),
}


def _num(v: float) -> str:
    return f"{v:g}"


def make_activation(key: str, **params: float) -> Activation:
    """The activation ``key``; ``leaky_relu`` takes ``slope``, ``elu`` ``alpha``,
    ``softplus`` ``beta`` (defaults 0.01, 1, 1). Raises :class:`ActivationError`."""
    spec = PARAMETERS.get(key)
    allowed = {spec[0]} if spec else set()
    unknown = set(params) - allowed
    if unknown:
        raise ActivationError("unknown_parameter", ", ".join(sorted(unknown)))
    value = float(params.get(spec[0], spec[1])) if spec else 0.0
    if spec and not (math.isfinite(value) and spec[2] <= value <= spec[3]):
        raise ActivationError("bad_parameter", f"{spec[0]}={value}")
    p = ((spec[0], value),) if spec else ()
    if key == "identity":
        return Activation(
            key,
            lambda x: np.asarray(x, dtype=np.float64) * 1.0,
            lambda x: np.ones_like(x, dtype=np.float64),
            r"f(x) = x",
        )
    if key == "step":
        return Activation(
            key,
            lambda x: np.where(x > 0, 1.0, 0.0),
            lambda x: np.zeros_like(x, dtype=np.float64),
            r"f(x) = \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}",
        )
    if key == "sigmoid":
        return Activation(
            key,
            _sigmoid,
            _sigmoid_der,
            r"\sigma(x) = \frac{1}{1 + e^{-x}}",
            derivative_from_output=lambda a: a * (1.0 - a),
        )
    if key == "tanh":
        return Activation(
            key,
            np.tanh,
            _tanh_der,
            r"\tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}",
            derivative_from_output=lambda a: 1.0 - a * a,
        )
    if key == "relu":
        return Activation(
            key,
            lambda x: np.maximum(x, 0.0),
            lambda x: np.where(x > 0, 1.0, 0.0),
            r"\mathrm{ReLU}(x) = \max(0, x)",
            derivative_from_output=lambda a: (a > 0).astype(np.float64),
        )
    if key == "leaky_relu":
        fn, der = _leaky(value)
        return Activation(
            key, fn, der, rf"f(x) = \max({_num(value)}\,x,\ x)" if value <= 1 else r"f(x)", p
        )
    if key == "elu":
        fn, der = _elu(value)
        return Activation(
            key,
            fn,
            der,
            r"f(x) = \begin{cases} x & x > 0 \\ "
            rf"{_num(value)}\,(e^{{x}} - 1) & x \le 0 \end{{cases}}",
            p,
        )
    if key == "gelu":
        return Activation(
            key,
            _gelu,
            _gelu_der,
            r"\mathrm{GELU}(x) = x\,\Phi(x) = \frac{x}{2}\left(1 + "
            r"\mathrm{erf}\frac{x}{\sqrt{2}}\right)",
        )
    if key == "gelu_tanh":
        return Activation(
            key,
            _gelu_tanh,
            _gelu_tanh_der,
            r"f(x) = \frac{x}{2}\left(1 + \tanh\left(\sqrt{2/\pi}\,"
            r"(x + 0.044715\,x^{3})\right)\right)",
        )
    if key == "silu":
        return Activation(
            key,
            lambda x: x * _sigmoid(x),
            _silu_der,
            r"\mathrm{SiLU}(x) = x\,\sigma(x) = \frac{x}{1 + e^{-x}}",
        )
    if key == "softplus":
        fn, der = _softplus(value)
        return Activation(
            key,
            fn,
            der,
            rf"f(x) = \frac{{1}}{{{_num(value)}}}\log\left(1 + "
            rf"e^{{{_num(value)}\,x}}\right)",
            p,
        )
    raise ActivationError("unknown_activation", key)


KEYS: tuple[str, ...] = (
    "identity",
    "step",
    "sigmoid",
    "tanh",
    "relu",
    "leaky_relu",
    "elu",
    "gelu",
    "gelu_tanh",
    "silu",
    "softplus",
)

#: Every activation with its default parameters.
ACTIVATIONS: Mapping[str, Activation] = {k: make_activation(k) for k in KEYS}


@dataclass(frozen=True)
class ActivationCurve:
    """``fn`` and ``derivative`` of one activation sampled on ``x``, and where it stalls."""

    key: str
    x: Array  # (n,)
    y: Array  # (n,)
    dy: Array  # (n,)
    stalled: tuple[tuple[float, float], ...]  # x-intervals where |f'(x)| < threshold


def stalled_intervals(
    x: Array, dy: Array, threshold: float = 0.01
) -> tuple[tuple[float, float], ...]:
    """Maximal runs of grid points with ``|dy| < threshold``, as (x_start, x_end) pairs."""
    mask = np.abs(np.asarray(dy)) < threshold
    if not mask.any():
        return ()
    padded = np.concatenate(([False], mask, [False]))
    edges = np.flatnonzero(np.diff(padded.astype(np.int8)))
    starts, ends = edges[::2], edges[1::2] - 1
    return tuple((float(x[s]), float(x[e])) for s, e in zip(starts, ends, strict=True))


def sample(
    act: Activation, lo: float, hi: float, n: int = 401, threshold: float = 0.01
) -> ActivationCurve:
    """Sample ``act`` and its derivative on ``n`` points of [lo, hi]."""
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi) or n < 2:
        raise ActivationError("bad_range", f"{lo}..{hi}")
    x = np.linspace(lo, hi, n)
    dy = np.asarray(act.derivative(x), dtype=np.float64)
    return ActivationCurve(
        act.key, x, np.asarray(act.fn(x), dtype=np.float64), dy, stalled_intervals(x, dy, threshold)
    )
