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

``descend`` (the 2-D walk of the gradient-descent page) lives in this module too once
written; it drives the same ``Optimizer`` on a single (2,) array.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

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


class OptimizerError(ValueError):
    """Bad optimizer name or hyperparameter; ``code`` is a machine-readable reason."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


@dataclass
class Optimizer:
    """A stateful optimizer acting on named arrays of any shape."""

    name: str
    lr: float
    hyper: dict[str, float]
    t: int = 0  # number of steps taken
    state: dict[Any, dict[str, np.ndarray]] = field(default_factory=dict)

    def step(self, params: MutableMapping[Any, np.ndarray], grads: Mapping[Any, np.ndarray],
             lr: float | None = None) -> None:
        """Update every ``params[k]`` in place from ``grads[k]`` (same shapes)."""
        lr = self.lr if lr is None else float(lr)
        self.t += 1
        for k, g in grads.items():
            p = params[k]
            p -= self.update(k, np.asarray(g, dtype=np.float64), lr)

    def update(self, k: Any, g: np.ndarray, lr: float) -> np.ndarray:
        """The amount subtracted from parameter ``k`` at this step (advances its state)."""
        h, s, name = self.hyper, self.state.setdefault(k, {}), self.name
        if name == "gd":
            return lr * g
        if name in ("momentum", "nesterov"):
            mu = h["momentum"]
            buf = s.get("buf")
            buf = g.copy() if buf is None else mu * buf + g
            s["buf"] = buf
            return lr * (g + mu * buf) if name == "nesterov" else lr * buf
        if name == "adagrad":
            s["sum"] = s.get("sum", 0.0) + g * g
            return lr * g / (np.sqrt(s["sum"]) + h["eps"])
        if name == "rmsprop":
            a = h["alpha"]
            s["sq"] = a * s.get("sq", 0.0) + (1.0 - a) * g * g
            return lr * g / (np.sqrt(s["sq"]) + h["eps"])
        # adam
        b1, b2 = h["beta1"], h["beta2"]
        s["m"] = b1 * s.get("m", 0.0) + (1.0 - b1) * g
        s["v"] = b2 * s.get("v", 0.0) + (1.0 - b2) * g * g
        c1, c2 = 1.0 - b1**self.t, 1.0 - b2**self.t
        return (lr / c1) * s["m"] / (np.sqrt(s["v"]) / np.sqrt(c2) + h["eps"])


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
