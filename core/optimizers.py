"""Optimizers: one implementation for everything that learns.

The update rules and default hyperparameters are those of ``torch.optim``
(weight decay 0), written for arrays of any shape:

- ``gd``        SGD:                   p ← p − lr·g
- ``momentum``  SGD(momentum=μ):       b ← μ·b + g (b₁ = g);          p ← p − lr·b
- ``nesterov``  SGD(nesterov=True):    b as above;                    p ← p − lr·(g + μ·b)
- ``adagrad``   Adagrad:               s ← s + g²;                    p ← p − lr·g / (√s + ε)
- ``rmsprop``   RMSprop:               s ← α·s + (1−α)·g²;            p ← p − lr·g / (√s + ε)
- ``adam``      Adam (bias-corrected): m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g²,
                                       p ← p − (lr / (1−β₁ᵗ))·m / (√v / √(1−β₂ᵗ) + ε)

Usage (parameters in a dict of arrays, updated in place)::

    opt = make_optimizer("adam", lr=1e-3)
    opt.step(params, grads)            # or opt.step(params, grads, lr=lr_t) for schedules

``descend`` (the 2-D walk of the gradient-descent page) drives the same ``Optimizer`` on a
single (2,) array.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from core.differentiation import numerical_gradient
from core.errors import ExplorableError
from core.schedules import learning_rates

OPTIMIZERS: tuple[str, ...] = ("gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")

#: torch.optim defaults for each optimizer's own hyperparameters.
DEFAULTS: Mapping[str, Mapping[str, float]] = {
    "gd": {},
    "momentum": {"momentum": 0.9},
    "nesterov": {"momentum": 0.9},
    "adagrad": {"eps": 1e-10},
    "rmsprop": {"alpha": 0.99, "eps": 1e-8},
    "adam": {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
}


class OptimizerError(ExplorableError):
    """Bad optimizer name or hyperparameter; ``code`` is a machine-readable reason, ``detail`` the culprit."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code, code=code, detail=detail)
        self.detail = detail


@dataclass
class Optimizer:
    """A stateful optimizer acting on named arrays of any shape."""

    name: str
    lr: float
    hyper: dict[str, float]
    t: int = 0  # number of steps taken
    state: dict[Any, dict[str, np.ndarray]] = field(default_factory=dict)
    #: also keep every intermediate of the last update in ``state`` (see :data:`RECORDED`)
    record: bool = False

    def step(
        self,
        params: MutableMapping[Any, np.ndarray],
        grads: Mapping[Any, np.ndarray],
        lr: float | None = None,
    ) -> None:
        """Update every ``params[k]`` in place from ``grads[k]`` (same shapes)."""
        lr = self.lr if lr is None else float(lr)
        self.t += 1
        for k, g in grads.items():
            p = params[k]
            p -= self.update(k, np.asarray(g, dtype=np.float64), lr)

    def update(self, k: Any, g: np.ndarray, lr: float) -> np.ndarray:
        """The amount subtracted from parameter ``k`` at this step (advances its state)."""
        h, s, name = self.hyper, self.state.setdefault(k, {}), self.name
        extra: dict[str, Any] = {}
        if name == "gd":
            out = lr * g
        elif name in ("momentum", "nesterov"):
            mu = h["momentum"]
            buf = s.get("buf")
            buf = g.copy() if buf is None else mu * buf + g
            s["buf"] = buf
            if name == "nesterov":
                extra["direction"] = g + mu * buf
                out = lr * extra["direction"]
            else:
                out = lr * buf
        elif name in ("adagrad", "rmsprop"):
            key = "sum" if name == "adagrad" else "sq"
            if name == "adagrad":
                s["sum"] = s.get("sum", 0.0) + g * g
            else:
                a = h["alpha"]
                s["sq"] = a * s.get("sq", 0.0) + (1.0 - a) * g * g
            extra["denom"] = np.sqrt(s[key]) + h["eps"]
            out = lr * g / extra["denom"]
        else:  # adam
            b1, b2 = h["beta1"], h["beta2"]
            s["m"] = b1 * s.get("m", 0.0) + (1.0 - b1) * g
            s["v"] = b2 * s.get("v", 0.0) + (1.0 - b2) * g * g
            c1, c2 = 1.0 - b1**self.t, 1.0 - b2**self.t
            out = (lr / c1) * s["m"] / (np.sqrt(s["v"]) / np.sqrt(c2) + h["eps"])
            if self.record:
                extra = {"c1": np.full_like(g, c1), "c2": np.full_like(g, c2),
                         "m_hat": s["m"] / c1, "denom": np.sqrt(s["v"] / c2) + h["eps"]}  # fmt: skip
        if self.record:
            s.update(extra, update=out)
        return out


#: What a recording optimizer (``record=True``) keeps per parameter after each step, on
#: top of its memory (``buf``, ``sum``, ``sq``, ``m``, ``v``): ``update`` (the amount
#: subtracted), ``direction`` (Nesterov's g + μ·b), ``denom`` (√s + ε; Adam: √v̂ + ε),
#: ``m_hat`` (Adam's m / c1) and ``c1`` = 1 − β₁ᵗ, ``c2`` = 1 − β₂ᵗ (Adam's bias corrections).
RECORDED: Mapping[str, tuple[str, ...]] = {
    "gd": ("update",),
    "momentum": ("buf", "update"),
    "nesterov": ("buf", "direction", "update"),
    "adagrad": ("sum", "denom", "update"),
    "rmsprop": ("sq", "denom", "update"),
    "adam": ("m", "v", "c1", "c2", "m_hat", "denom", "update"),
}


def make_optimizer(name: str, *, lr: float, **hyperparameters: float) -> Optimizer:
    """A fresh optimizer; unspecified hyperparameters take the torch.optim defaults."""
    if name not in OPTIMIZERS:
        raise OptimizerError("unknown_optimizer", name)
    unknown = set(hyperparameters) - set(DEFAULTS[name])
    if unknown:
        raise OptimizerError("unknown_hyperparameter", ", ".join(sorted(unknown)))
    if not np.isfinite(lr) or lr < 0:
        raise OptimizerError("bad_learning_rate", str(lr))
    hyper = {**DEFAULTS[name], **{k: float(v) for k, v in hyperparameters.items()}}
    return Optimizer(name=name, lr=float(lr), hyper=hyper)


# ── the 2-D walk of the gradient-descent page ────────────────────────────────────

#: Hard cap on the number of steps of one descent (a shared server must stay responsive).
MAX_STEPS = 5000
#: A run "runs away" when a coordinate leaves RUNAWAY × (size of the landscape's range).
RUNAWAY = 1e6
#: … or when the loss exceeds this many times (1 + |initial loss|).
LOSS_RUNAWAY = 1e12
GRADIENTS: tuple[str, ...] = ("analytic", "forward", "central")
STATUSES: tuple[str, ...] = ("converged", "max_steps", "diverged")


@dataclass(frozen=True)
class Trajectory:
    """A descent: every point visited and what the optimizer saw there.

    Step t goes from ``points[t]`` to ``points[t + 1]`` using ``gradients[t]`` (the
    gradient at ``points[t]``) and ``learning_rates[t]``. Everything is finite.
    """

    points: np.ndarray  # (n+1, 2)
    losses: np.ndarray  # (n+1,)
    gradients: np.ndarray  # (n, 2)
    learning_rates: np.ndarray  # (n,)
    status: str  # "converged" | "max_steps" | "diverged"
    optimizer: str = "gd"
    reason: str = ""  # for "diverged": "nonfinite" | "runaway" | "bad_start"
    evaluations: int = 0  # loss evaluations spent on numerical gradients
    #: the optimizer's state after each step, (n, 2) per entry (row t: after step t):
    #: its memory ``buf`` (momentum, nesterov), ``sum`` (adagrad), ``sq`` (rmsprop),
    #: ``m`` and ``v`` (adam), and the intermediates of :data:`RECORDED` (``update``,
    #: ``direction``, ``denom``, ``m_hat``, ``c1``, ``c2``) so that a view can show the
    #: arithmetic of a step without redoing it
    states: Mapping[str, np.ndarray] = field(default_factory=dict)

    @property
    def steps(self) -> int:
        return int(self.learning_rates.shape[0])


def descend(
    landscape: Any,
    start: Any,
    *,
    optimizer: str = "gd",
    lr: float,
    steps: int,
    schedule: str = "constant",
    schedule_options: Mapping[str, Any] | None = None,
    gradient: str = "analytic",
    h: float = 1e-5,
    tol: float = 0.0,
    **hyperparameters: float,
) -> Trajectory:
    """Walk down ``landscape`` from ``start`` (x, y) with one of :data:`OPTIMIZERS`.

    ``lr`` is the base learning rate fed to ``core.schedules.learning_rates(schedule,
    lr, steps, **schedule_options)``; step t uses ``learning_rates[t]``. ``gradient``
    chooses the exact gradient (``analytic``) or a finite difference with step ``h``.
    ``steps`` is capped at :data:`MAX_STEPS`. The walk stops early when the gradient norm
    at the current point is ≤ ``tol`` (``converged``), or when a new point, its loss or
    a gradient is not finite, or runs away (``diverged``: the finite part is returned).
    Invalid names or hyperparameters raise :class:`OptimizerError` / ``ScheduleError``.
    """
    if gradient not in GRADIENTS:
        raise OptimizerError("unknown_gradient", gradient)
    if gradient == "analytic" and landscape.gradient is None:
        raise OptimizerError("no_analytic_gradient", landscape.key)
    steps = max(0, min(int(steps), MAX_STEPS))
    opt = make_optimizer(optimizer, lr=lr, **hyperparameters)
    opt.record = True
    lrs = learning_rates(schedule, lr, steps, **dict(schedule_options or {}))

    loss_fn = landscape.loss

    def loss(p: np.ndarray) -> float:
        return float(loss_fn(np.float64(p[0]), np.float64(p[1])))

    per_grad = {"analytic": 0, "forward": 3, "central": 4}[gradient]  # n+1 or 2n, n = 2
    calls = [0]

    def grad(p: np.ndarray) -> np.ndarray:
        calls[0] += per_grad
        if gradient == "analytic":
            gx, gy = landscape.gradient(np.float64(p[0]), np.float64(p[1]))
            return np.array([float(gx), float(gy)])
        return numerical_gradient(loss, p, h=h, method=gradient)

    (x0, x1), (y0, y1) = landscape.x_range, landscape.y_range
    bound = RUNAWAY * max(abs(x0), abs(x1), abs(y0), abs(y1), x1 - x0, y1 - y0, 1.0)

    p = np.array([float(start[0]), float(start[1])], dtype=np.float64)
    params = {"p": p}
    with np.errstate(all="ignore"):
        l0 = loss(p)
    points, losses, grads = [p.copy()], [l0], []
    states: dict[str, list[np.ndarray]] = {}
    status, reason = "max_steps", ""
    if not (np.all(np.isfinite(p)) and np.isfinite(l0)):
        status, reason = "diverged", "bad_start"
        points, losses = [np.zeros(2)], [0.0]
        steps = 0
    limit = LOSS_RUNAWAY * (1.0 + abs(l0)) if np.isfinite(l0) else 0.0
    with np.errstate(all="ignore"):
        for t in range(steps):
            g = grad(p)
            g0, g1 = float(g[0]), float(g[1])
            if not (math.isfinite(g0) and math.isfinite(g1)):
                status, reason = "diverged", "nonfinite"
                break
            if tol > 0 and math.hypot(g0, g1) <= tol:
                status = "converged"
                break
            opt.step(params, {"p": g}, lr=lrs[t])
            new_loss = loss(p)
            p0, p1 = float(p[0]), float(p[1])
            if not (math.isfinite(p0) and math.isfinite(p1) and math.isfinite(new_loss)):
                status, reason = "diverged", "nonfinite"
                break
            if max(abs(p0), abs(p1)) > bound or abs(new_loss) > limit:
                status, reason = "diverged", "runaway"
                break
            grads.append(g)
            for k, v in opt.state.get("p", {}).items():
                states.setdefault(k, []).append(np.array(v, dtype=np.float64))
            points.append(p.copy())
            losses.append(new_loss)
        else:
            if steps and tol > 0:  # converged exactly on the last step?
                g = grad(p)
                if np.all(np.isfinite(g)) and float(np.hypot(g[0], g[1])) <= tol:
                    status = "converged"
    n = len(grads)
    return Trajectory(
        points=np.asarray(points, dtype=np.float64).reshape(n + 1, 2),
        losses=np.asarray(losses, dtype=np.float64),
        gradients=np.asarray(grads, dtype=np.float64).reshape(n, 2),
        learning_rates=np.asarray(lrs[:n], dtype=np.float64),
        status=status,
        optimizer=optimizer,
        reason=reason,
        evaluations=calls[0],
        states={k: np.asarray(v, dtype=np.float64).reshape(n, 2) for k, v in states.items()},
    )


def best_learning_rate(
    landscape: Any,
    start: Any,
    optimizer: str,
    candidates: Any,
    *,
    steps: int,
    tol: float = 0.0,
    **options: Any,
) -> float:
    """The learning rate of ``candidates`` at which ``optimizer`` does best on
    ``landscape`` from ``start`` within ``steps`` steps: the fewest steps to converge
    (slope ≤ ``tol``), else the lowest final loss among walks that did not diverge, else
    the smallest candidate. ``options`` go to :func:`descend` (schedule, gradient,
    hyperparameters). This is how the optimizer race compares optimizers fairly: each
    one at its own best rate from the same list, not all at one shared rate."""
    best: tuple[tuple[float, float, float], float] | None = None
    for lr in sorted(float(c) for c in candidates):
        tr = descend(landscape, start, optimizer=optimizer, lr=lr, steps=steps, tol=tol, **options)
        if tr.status == "diverged":
            continue
        final = float(tr.losses[-1])
        key = (0.0, float(tr.steps), final) if tr.status == "converged" else (1.0, 0.0, final)
        if best is None or key < best[0]:
            best = (key, lr)
    return best[1] if best is not None else min(float(c) for c in candidates)
