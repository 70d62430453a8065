"""Every schedule against its formula, hand-computed values and torch's recursive form."""

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

from core.schedules import SCHEDULES, ScheduleError, learning_rates


def test_names():
    assert SCHEDULES == ("constant", "step", "exponential", "cosine", "warmup_cosine")


def test_constant():
    assert_allclose(learning_rates("constant", 0.3, 4), [0.3] * 4)


def test_step_lr_by_hand():
    assert_allclose(
        learning_rates("step", 1.0, 7, step_size=2, gamma=0.5), [1, 1, 0.5, 0.5, 0.25, 0.25, 0.125]
    )


def test_step_lr_defaults_cut_by_ten_every_third():
    assert_allclose(learning_rates("step", 1.0, 9), [1, 1, 1, 0.1, 0.1, 0.1, 0.01, 0.01, 0.01])


def test_exponential_by_hand():
    assert_allclose(learning_rates("exponential", 2.0, 4, gamma=0.5), [2, 1, 0.5, 0.25])
    assert_allclose(learning_rates("exponential", 1.0, 3), [1, 0.99, 0.9801])


def test_cosine_by_hand():
    c = math.cos(math.pi / 4)
    assert_allclose(learning_rates("cosine", 1.0, 4), [1, (1 + c) / 2, 0.5, (1 - c) / 2])
    assert_allclose(
        learning_rates("cosine", 1.0, 4, min_lr=0.2),
        [1, 0.2 + 0.8 * (1 + c) / 2, 0.6, 0.2 + 0.8 * (1 - c) / 2],
    )


def _torch_cosine_recursive(base, eta_min, t_max, n):
    """torch.optim.lr_scheduler.CosineAnnealingLR.get_lr (the recursive form), transcribed."""
    lrs, lr = [], base
    for epoch in range(n):
        if epoch == 0:
            lr = base
        elif (epoch - 1 - t_max) % (2 * t_max) == 0:
            lr = lr + (base - eta_min) * (1 - math.cos(math.pi / t_max)) / 2
        else:
            lr = (1 + math.cos(math.pi * epoch / t_max)) / (
                1 + math.cos(math.pi * (epoch - 1) / t_max)
            ) * (lr - eta_min) + eta_min
        lrs.append(lr)
    return lrs


@pytest.mark.parametrize("steps", [1, 5, 50, 333])
def test_cosine_equals_torch_recursive_form(steps):
    ours = learning_rates("cosine", 0.05, steps, min_lr=0.001)
    assert_allclose(ours, _torch_cosine_recursive(0.05, 0.001, steps, steps), rtol=1e-9)


def test_warmup_cosine_by_hand():
    c = math.cos(math.pi / 4)
    assert_allclose(
        learning_rates("warmup_cosine", 1.0, 6, warmup_steps=2, min_lr=0.1),
        [0.5, 1.0, 1.0, 0.1 + 0.9 * (1 + c) / 2, 0.55, 0.1 + 0.9 * (1 - c) / 2],
    )


def test_warmup_longer_than_the_run_is_all_warmup():
    assert_allclose(learning_rates("warmup_cosine", 1.0, 3, warmup_steps=10), [1 / 3, 2 / 3, 1])
    assert_allclose(
        learning_rates("warmup_cosine", 1.0, 3, warmup_steps=0), learning_rates("cosine", 1.0, 3)
    )


@pytest.mark.parametrize("name", SCHEDULES)
def test_shapes_and_zero_steps(name):
    assert learning_rates(name, 0.1, 0).shape == (0,)
    out = learning_rates(name, 0.1, 17, step_size=5, gamma=0.9, warmup_steps=3)
    assert out.shape == (17,) and out.dtype == np.float64
    assert np.all(out > 0) and np.all(out <= 0.1 + 1e-15)


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("linear", 0.1, 5), "unknown_schedule"),
        (("constant", 0.1, -1), "bad_steps"),
    ],
)
def test_errors(args, code):
    with pytest.raises(ScheduleError) as info:
        learning_rates(*args)
    assert info.value.code == code


def test_bad_options():
    with pytest.raises(ScheduleError):
        learning_rates("step", 0.1, 5, step_size=0)
    with pytest.raises(ScheduleError):
        learning_rates("warmup_cosine", 0.1, 5, warmup_steps=-1)
