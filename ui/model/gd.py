"""The gd chapter's settings (its controls, each declared once) and derived values.

Streamlit-free: see ui/state.py for the declaration helpers. The URL carries keys, never
labels: ``gd_land=rosenbrock``, ``gd_sched=cosine``, ``gd_grad=forward``. Links written
before (a translated landscape name in either language) still parse to the key."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from core.differentiation import EPS, second_derivatives
from core.landscapes import LANDSCAPES
from core.optimizers import MAX_STEPS, OPTIMIZERS
from core.schedules import SCHEDULES
from ui.state import Model, boolean, choice, integer, number, text

LAND_KEYS: tuple[str, ...] = (*LANDSCAPES, "custom")
DEFAULT_LAND = "himmelblau"
DEFAULT_EXPR = "(x^2 + y^2)/8 + sin(2*x)*cos(y)"
LR_OPTIONS: tuple[float, ...] = (
    0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05,
    0.1, 0.2, 0.3, 0.5, 0.8, 1.0, 1.1, 1.5, 2.0,
)  # fmt: skip
H_OPTIONS: tuple[float, ...] = tuple(10.0**-k for k in range(16, 0, -1))
TOL_OPTIONS: tuple[float, ...] = (0.0, 1e-8, 1e-6, 1e-4, 1e-3, 1e-2)
RES_OPTIONS: tuple[int, ...] = (30, 45, 60, 80, 100)  # grid cap: 100 × 100
EGAMMA_OPTIONS: tuple[float, ...] = (0.9, 0.95, 0.98, 0.99, 0.995, 0.999)
B2_OPTIONS: tuple[float, ...] = (0.9, 0.99, 0.999, 0.9999)
GRADIENTS: tuple[str, ...] = ("analytic", "forward", "central")
STARTS: tuple[str, ...] = ("suggested", "random", "manual")
LR_MODES: tuple[str, ...] = ("own", "shared")  # the race: each its best η, or one η
LAB_POINTS: tuple[str, ...] = ("start", "step")  # where the differentiation lab looks
MODELS: tuple[tuple[str, float], ...] = (
    ("GPT-2 small", 124e6), ("GPT-2 XL", 1.5e9), ("Llama 2 7B", 7e9),
    ("Llama 2 70B", 70e9), ("GPT-3", 175e9), ("Llama 3.1 405B", 405e9),
)  # fmt: skip
ARTICLE_H = 1e-10  # the article's "h close to 0"


@dataclass(frozen=True)
class GdSettings(Model):
    land: str = choice("gd_land", LAND_KEYS, DEFAULT_LAND, labels="gd.land.{}")
    expr: str = text("gd_expr", DEFAULT_EXPR, max_chars=300)
    span: float = number("gd_span", 0.5, 10.0, 3.0, step=0.5)
    start: str = choice("gd_start", STARTS, "suggested", labels="gd.start.{}")
    seed: int = integer("gd_seed", 0, 99_999, 0)
    x0: float = number("gd_x0", -10.0, 10.0, 1.0, step=0.1)
    y0: float = number("gd_y0", -10.0, 10.0, 1.0, step=0.1)
    o_gd: bool = boolean("gd_o_gd", True)
    o_momentum: bool = boolean("gd_o_momentum", False)
    o_nesterov: bool = boolean("gd_o_nesterov", False)
    o_adagrad: bool = boolean("gd_o_adagrad", False)
    o_rmsprop: bool = boolean("gd_o_rmsprop", False)
    o_adam: bool = boolean("gd_o_adam", False)
    lr: float = choice("gd_lr", LR_OPTIONS, 0.01)
    lr_mode: str = choice("gd_lr_mode", LR_MODES, "own", labels="gd.lr_mode.{}")
    steps: int = integer("gd_steps", 10, MAX_STEPS, 150, step=10)
    tol: float = choice("gd_tol", TOL_OPTIONS, 1e-6, labels={0.0: "gd.tol_never"})
    step: int = integer("gd_step", 0, MAX_STEPS, 0)  # the step shown: the walk opens at 0
    sched: str = choice("gd_sched", SCHEDULES, "constant", labels="gd.sched.{}")
    sgamma: float = number("gd_sgamma", 0.05, 0.95, 0.5, step=0.05)
    ssize: int = integer("gd_ssize", 1, 1000, 50)
    egamma: float = choice("gd_egamma", EGAMMA_OPTIONS, 0.99)
    warm: int = integer("gd_warm", 0, 500, 10)
    minlr: float = number("gd_minlr", 0.0, 0.5, 0.0, step=0.05)
    cmp: bool = boolean("gd_cmp", True)
    grad: str = choice("gd_grad", GRADIENTS, "analytic", labels="gd.grad.{}")
    h: float = choice("gd_h", H_OPTIONS, 1e-5)
    mu: float = number("gd_mu", 0.0, 0.99, 0.9, step=0.01)
    alpha: float = number("gd_alpha", 0.5, 0.999, 0.99, step=0.001)
    b1: float = number("gd_b1", 0.0, 0.99, 0.9, step=0.01)
    b2: float = choice("gd_b2", B2_OPTIONS, 0.999)
    res: int = choice("gd_res", RES_OPTIONS, 60)
    logy: bool = boolean("gd_logy", True)
    lab_at: str = choice("gd_lab_at", LAB_POINTS, "start", labels="gd.lab_point.{}")
    model: int = choice("gd_model", tuple(range(len(MODELS))), 5)

    @property
    def optimizers(self) -> tuple[str, ...]:
        """The chosen optimizers, in :data:`OPTIMIZERS` order."""
        return tuple(o for o in OPTIMIZERS if getattr(self, f"o_{o}"))


#: The too-long stride the learning-rate caption suggests, and the landscape to try it on.
STRIDE_LAND, STRIDE_TRY = "bowl", 1.1
#: Backpropagation's cost in loss evaluations: one forward and one backward pass, the
#: backward about twice the forward (Griewank & Walther, Evaluating Derivatives, 2008).
BACKPROP_EVALS = 3


def stable_limit(key: str) -> float:
    """The largest learning rate at which plain gradient descent does not diverge on the
    quadratic landscape ``key``: 2 / (its largest curvature), read at its minimum."""
    land = LANDSCAPES[key]
    point = np.array(land.minima[0], dtype=np.float64)
    curv = second_derivatives(lambda p: float(land.loss(p[0], p[1])), point)
    return float(2.0 / np.max(curv))


def schedule_options(sched: str, values: dict[str, Any]) -> tuple[tuple[str, float], ...]:
    """The options the chosen schedule uses (``min_lr`` still a fraction of η)."""
    keys = {
        "step": ("gamma", "step_size"),
        "exponential": ("gamma",),
        "warmup_cosine": ("warmup_steps", "min_lr"),
        "cosine": ("min_lr",),
    }.get(sched, ())
    return tuple(sorted((k, values[k]) for k in keys if k in values))


def resolve_schedule_options(
    sched_opts: tuple[tuple[str, float], ...], lr: float
) -> tuple[tuple[str, float], ...]:
    """Turn the UI's "final η as a fraction" into the absolute ``min_lr``; ints stay ints."""
    out = []
    for k, v in sched_opts:
        if k == "min_lr":
            v = v * lr
        elif k in ("step_size", "warmup_steps"):
            v = int(v)
        out.append((k, v))
    return tuple(out)


#: Node evaluations one page rerun may spend on walks of a custom formula (~2 s worst).
WORK_BUDGET = 3_000_000


def work_cap(cost: int, n_runs: int, steps: int) -> int:
    """Steps allowed for ``n_runs`` walks of ``cost`` operations a step within the budget."""
    if not cost or n_runs < 1:
        return steps
    return max(10, min(steps, WORK_BUDGET // (cost * n_runs)))


def random_start(seed: int, x_range: tuple, y_range: tuple) -> tuple[float, float]:
    """A start drawn inside the middle 80 % of the shown region (seeded)."""
    (x0, x1), (y0, y1) = x_range, y_range
    u = np.random.default_rng(int(seed)).uniform(0.1, 0.9, 2)
    return float(x0 + u[0] * (x1 - x0)), float(y0 + u[1] * (y1 - y0))


@dataclass(frozen=True)
class LabReading:
    """What the differentiation lab's sentences state, read off the curve it draws."""

    best_h_forward: float  # h with the smallest forward-difference error on the curve
    best_err_forward: float
    best_h_central: float
    best_err_central: float
    article_err: float  # forward error at the article's h = 1e-10
    article_side: str  # "roundoff" (left of the best h), "truncation", or "best"
    ratio: float  # article_err / best_err_forward
    predicted_h: float  # 2·√(ε·|f| / |f″|): where truncation and round-off balance
    loss: float  # |f| at the point
    curvature: float  # |f″| along the gradient direction, estimated from the curve


def lab_reading(
    hs: np.ndarray, forward: np.ndarray, central: np.ndarray, loss: float, curvature: float
) -> LabReading:
    """The numbers the lab's sentences state, computed from the arrays its graph draws."""
    hs = np.asarray(hs, dtype=np.float64)
    fw = np.where(np.isfinite(forward) & (forward > 0), forward, np.inf)
    ce = np.where(np.isfinite(central) & (central > 0), central, np.inf)
    i, j = int(np.argmin(fw)), int(np.argmin(ce))
    k = int(np.argmin(np.abs(np.log10(hs) - np.log10(ARTICLE_H))))
    side = "best" if k == i else ("roundoff" if hs[k] < hs[i] else "truncation")
    art = float(forward[k])
    best = float(fw[i]) if np.isfinite(fw[i]) else 0.0
    f, c = abs(float(loss)), abs(float(curvature))
    pred = 2.0 * float(np.sqrt(EPS * f / c)) if c > 0 and f > 0 else float("nan")
    return LabReading(
        best_h_forward=float(hs[i]),
        best_err_forward=best,
        best_h_central=float(hs[j]),
        best_err_central=float(ce[j]) if np.isfinite(ce[j]) else 0.0,
        article_err=art,
        article_side=side,
        ratio=art / best if best > 0 else float("inf"),
        predicted_h=pred,
        loss=f,
        curvature=c,
    )
