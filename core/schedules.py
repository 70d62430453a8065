"""Learning-rate schedules: the learning rate of every step, as one array.

``learning_rates(schedule, base_lr, steps, ...)[t]`` is the rate used by step t
(t = 0 … steps−1), matching torch.optim.lr_scheduler stepped once per step:

- ``constant``       base
- ``step``           base · γ^⌊t / step_size⌋                       (StepLR)
- ``exponential``    base · γ^t                                     (ExponentialLR)
- ``cosine``         min + (base − min)·(1 + cos(π t / steps)) / 2  (CosineAnnealingLR, T_max=steps)
- ``warmup_cosine``  base·(t+1)/W for t < W, then a cosine from base to min over the
                     remaining steps − W steps
"""

from __future__ import annotations

import numpy as np

from core.errors import ExplorableError

SCHEDULES: tuple[str, ...] = ("constant", "step", "exponential", "cosine", "warmup_cosine")


class ScheduleError(ExplorableError):
    """Bad schedule or schedule option; ``code`` is a machine-readable reason, ``detail`` the culprit."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code, code=code, detail=detail)
        self.detail = detail


def learning_rates(
    schedule: str,
    base_lr: float,
    steps: int,
    *,
    step_size: int | None = None,
    gamma: float | None = None,
    warmup_steps: int = 0,
    min_lr: float = 0.0,
) -> np.ndarray:
    """Learning rate of each of ``steps`` steps, shape (steps,), float64."""
    if schedule not in SCHEDULES:
        raise ScheduleError("unknown_schedule", schedule)
    steps = int(steps)
    if steps < 0:
        raise ScheduleError("bad_steps", str(steps))
    t = np.arange(steps, dtype=np.float64)
    base = float(base_lr)
    if schedule == "constant":
        return np.full(steps, base)
    if schedule == "step":
        size = max(1, steps // 3) if step_size is None else int(step_size)
        if size < 1:
            raise ScheduleError("bad_step_size", str(step_size))
        g = 0.1 if gamma is None else float(gamma)
        return base * g ** np.floor(t / size)
    if schedule == "exponential":
        g = 0.99 if gamma is None else float(gamma)
        return base * g**t
    if schedule == "cosine":
        return min_lr + (base - min_lr) * (1.0 + np.cos(np.pi * t / max(steps, 1))) / 2.0
    # warmup_cosine
    w = int(warmup_steps)
    if w < 0:
        raise ScheduleError("bad_warmup", str(warmup_steps))
    w = min(w, steps)
    out = np.empty(steps)
    out[:w] = base * (t[:w] + 1.0) / max(w, 1)
    rest = steps - w
    k = np.arange(rest, dtype=np.float64)
    out[w:] = min_lr + (base - min_lr) * (1.0 + np.cos(np.pi * k / max(rest, 1))) / 2.0
    return out
