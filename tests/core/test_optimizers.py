"""Optimizers against hand-computed torch.optim steps, and the 2-D ``descend`` walk."""

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

from core.landscapes import LANDSCAPES, landscape_from_expression, nearest_minimum
from core.optimizers import (
    DEFAULTS,
    MAX_STEPS,
    OPTIMIZERS,
    OptimizerError,
    Trajectory,
    descend,
    make_optimizer,
)
from core.schedules import learning_rates

P0 = [1.0, -2.0]
G1 = [0.5, -1.0]
G2 = [0.2, 0.4]


def two_steps(name, **hyper):
    opt = make_optimizer(name, lr=0.1, **hyper)
    params = {"w": np.array(P0)}
    opt.step(params, {"w": np.array(G1)})
    p1 = params["w"].copy()
    opt.step(params, {"w": np.array(G2)})
    return p1, params["w"].copy()


# Hand computations from the torch.optim docs (lr 0.1, weight decay 0), for
# p0 = (1, −2), then gradients g1 = (0.5, −1) and g2 = (0.2, 0.4).
def test_gd():
    p1, p2 = two_steps("gd")
    assert_allclose(p1, [0.95, -1.9])
    assert_allclose(p2, [0.93, -1.94])


def test_momentum():
    # b1 = g1; b2 = 0.9·b1 + g2 = (0.65, −0.5)
    p1, p2 = two_steps("momentum")
    assert_allclose(p1, [0.95, -1.9])
    assert_allclose(p2, [0.95 - 0.065, -1.9 + 0.05])


def test_nesterov():
    # step1 = g1 + 0.9·g1 = (0.95, −1.9); step2 = g2 + 0.9·(0.65, −0.5) = (0.785, −0.05)
    p1, p2 = two_steps("nesterov")
    assert_allclose(p1, [1 - 0.095, -2 + 0.19])
    assert_allclose(p2, [0.905 - 0.0785, -1.81 + 0.005])


def test_adagrad():
    # s1 = (0.25, 1) → step 0.1·(0.5/0.5, −1/1); s2 = (0.29, 1.16)
    p1, p2 = two_steps("adagrad")
    assert_allclose(p1, [0.9, -1.9], rtol=1e-9)
    assert_allclose(
        p2, [0.9 - 0.1 * 0.2 / math.sqrt(0.29), -1.9 - 0.1 * 0.4 / math.sqrt(1.16)], rtol=1e-9
    )


def test_rmsprop():
    # sq1 = 0.01·g1² = (0.0025, 0.01) → step 0.1·(0.5/0.05, −1/0.1) = (1, −1)
    # sq2 = 0.99·sq1 + 0.01·g2² = (0.002875, 0.0115)
    p1, p2 = two_steps("rmsprop")
    assert_allclose(p1, [0.0, -1.0], atol=1e-6)
    assert_allclose(
        p2, [-0.1 * 0.2 / math.sqrt(0.002875), -1 - 0.1 * 0.4 / math.sqrt(0.0115)], rtol=1e-6
    )


def test_adam():
    # m1 = 0.1·g1, v1 = 0.001·g1² → bias-corrected step 0.1·g1/|g1| = (0.1, −0.1)
    # m2 = (0.065, −0.05), v2 = (0.00028975, 0.001159); corrections 0.19 and 0.001999
    p1, p2 = two_steps("adam")
    # (the eps = 1e-8 in the denominator shows at the 1e-9 level)
    p1_hand = np.array([1 - 0.1 * 0.5 / (0.5 + 1e-8), -2 + 0.1 * 1.0 / (1.0 + 1e-8)])
    assert_allclose(p1, p1_hand, rtol=1e-12)
    m2 = np.array([0.065, -0.05])
    v2 = np.array([0.00028975, 0.001159])
    step = (0.1 / 0.19) * m2 / (np.sqrt(v2) / math.sqrt(0.001999) + 1e-8)
    assert_allclose(p2, p1_hand - step, rtol=1e-9)


def test_custom_hyperparameters():
    p1, p2 = two_steps("momentum", momentum=0.5)
    assert_allclose(p2, [0.95 - 0.1 * (0.25 + 0.2), -1.9 - 0.1 * (-0.5 + 0.4)])
    p1, _ = two_steps("adam", beta1=0.0, beta2=0.0, eps=0.0)
    assert_allclose(p1, [0.9, -1.9])


def test_defaults_are_torchs():
    assert OPTIMIZERS == ("gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")
    assert DEFAULTS["momentum"] == {"momentum": 0.9}
    assert DEFAULTS["adagrad"] == {"eps": 1e-10}
    assert DEFAULTS["rmsprop"] == {"alpha": 0.99, "eps": 1e-8}
    assert DEFAULTS["adam"] == {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8}


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_any_shape_in_place_and_lr_override(name):
    rng = np.random.default_rng(0)
    params = {"W": rng.normal(size=(3, 4)), "b": rng.normal(size=(4,))}
    before = {k: v.copy() for k, v in params.items()}
    ids = {k: id(v) for k, v in params.items()}
    opt = make_optimizer(name, lr=0.0)
    grads = {k: rng.normal(size=v.shape) for k, v in params.items()}
    opt.step(params, grads)  # lr 0: nothing moves
    assert all(np.array_equal(params[k], before[k]) for k in params)
    opt.step(params, grads, lr=0.01)
    assert {k: id(v) for k, v in params.items()} == ids
    assert opt.t == 2
    assert not np.array_equal(params["W"], before["W"])


def test_bad_arguments():
    with pytest.raises(OptimizerError):
        make_optimizer("lbfgs", lr=0.1)
    with pytest.raises(OptimizerError):
        make_optimizer("adam", lr=0.1, momentum=0.9)
    with pytest.raises(OptimizerError):
        make_optimizer("gd", lr=float("nan"))


# ── descend ───────────────────────────────────────────────────────────────────────


def test_trajectory_invariants_for_plain_gd():
    land = LANDSCAPES["himmelblau"]
    tr = descend(land, land.start, lr=0.01, steps=40)
    assert isinstance(tr, Trajectory) and tr.status == "max_steps" and tr.steps == 40
    assert tr.points.shape == (41, 2) and tr.losses.shape == (41,)
    assert tr.gradients.shape == (40, 2) and tr.learning_rates.shape == (40,)
    assert_allclose(tr.points[0], land.start)
    assert_allclose(tr.losses, land.loss(tr.points[:, 0], tr.points[:, 1]))
    gx, gy = land.gradient(tr.points[:-1, 0], tr.points[:-1, 1])
    assert_allclose(tr.gradients, np.stack([gx, gy], axis=1))
    # p_{t+1} = p_t − lr·∇L(p_t): the update subtracts the gradient
    assert_allclose(tr.points[1:], tr.points[:-1] - 0.01 * tr.gradients)


@pytest.mark.parametrize("name", OPTIMIZERS)
@pytest.mark.parametrize("start", [(-2.5, 2.0), (1.0, -2.9), (0.3, 0.1)])
def test_every_optimizer_reaches_the_bottom_of_the_bowl(name, start):
    lr = 1.0 if name == "adagrad" else 0.1
    tr = descend(LANDSCAPES["bowl"], start, optimizer=name, lr=lr, steps=3000, tol=1e-7)
    assert tr.status == "converged", (name, tr.status)
    assert np.hypot(*tr.points[-1]) < 1e-6
    assert np.hypot(*tr.gradients[-1]) > 1e-7 or tr.steps == 0


@pytest.mark.parametrize("seed", range(4))
def test_gd_reaches_a_himmelblau_minimum_from_random_starts(seed):
    land = LANDSCAPES["himmelblau"]
    start = np.random.default_rng(seed).uniform(-4.5, 4.5, 2)
    tr = descend(land, start, lr=0.01, steps=2000, tol=1e-8)
    assert tr.status == "converged"
    _, dist = nearest_minimum(land, tr.points[-1])
    assert dist < 1e-6
    assert tr.losses[-1] < 1e-12


def test_losses_decrease_for_small_gd_steps():
    land = LANDSCAPES["rosenbrock"]
    tr = descend(land, land.start, lr=1e-4, steps=300)
    assert np.all(np.diff(tr.losses) <= 1e-12)


def test_divergence_stops_cleanly_with_finite_data():
    tr = descend(LANDSCAPES["bowl"], (2.0, 1.0), lr=1.5, steps=5000)
    # each step multiplies the point by (1 − 2·1.5) = −2: the loss grows 4× per step
    assert tr.status == "diverged" and tr.reason == "runaway"
    assert 0 < tr.steps < 100
    assert_allclose(tr.losses[1:] / tr.losses[:-1], 4.0)
    for arr in (tr.points, tr.losses, tr.gradients, tr.learning_rates):
        assert np.all(np.isfinite(arr))


def test_overflow_to_inf_is_a_divergence_not_a_crash():
    land = landscape_from_expression("exp(x^2) + y^2")
    tr = descend(land, (1.5, 1.0), lr=0.5, steps=100)
    assert tr.status == "diverged"
    assert np.all(np.isfinite(tr.points)) and np.all(np.isfinite(tr.losses))


def test_walking_off_the_domain_is_a_divergence():
    land = landscape_from_expression("log(x) + x")  # minimum… none: walks to x ≤ 0
    tr = descend(land, (2.0, 0.0), lr=0.5, steps=100)
    assert tr.status == "diverged" and tr.reason == "nonfinite"
    assert np.all(np.isfinite(tr.points)) and np.all(np.isfinite(tr.losses))


def test_non_finite_start_is_handled():
    land = landscape_from_expression("log(x) + y^2")
    tr = descend(land, (-1.0, 0.0), lr=0.1, steps=10)
    assert tr.status == "diverged" and tr.reason == "bad_start" and tr.steps == 0
    assert np.all(np.isfinite(tr.points)) and np.all(np.isfinite(tr.losses))


def test_steps_are_capped():
    tr = descend(LANDSCAPES["bowl"], (1.0, 1.0), lr=1e-9, steps=10**7)
    assert tr.steps == MAX_STEPS and tr.status == "max_steps"


def test_schedule_learning_rates_are_used_step_by_step():
    land = LANDSCAPES["ravine"]
    opts = {"warmup_steps": 5, "min_lr": 0.001}
    tr = descend(
        land, land.start, lr=0.1, steps=30, schedule="warmup_cosine", schedule_options=opts
    )
    assert_allclose(tr.learning_rates, learning_rates("warmup_cosine", 0.1, 30, **opts))
    assert_allclose(tr.points[1:], tr.points[:-1] - tr.learning_rates[:, None] * tr.gradients)


@pytest.mark.parametrize(("method", "h", "per_step"), [("forward", 1e-7, 3), ("central", 1e-5, 4)])
def test_numerical_gradients_follow_the_analytic_path(method, h, per_step):
    land = LANDSCAPES["himmelblau"]
    exact = descend(land, land.start, lr=0.01, steps=50)
    approx = descend(land, land.start, lr=0.01, steps=50, gradient=method, h=h)
    assert_allclose(approx.points, exact.points, atol=1e-4)
    assert approx.evaluations == per_step * 50
    assert exact.evaluations == 0


def test_numerical_gradient_with_absurd_h_is_still_finite():
    land = LANDSCAPES["bowl"]
    tr = descend(land, (1.0, 1.0), lr=0.1, steps=20, gradient="forward", h=1e-16)
    # 1 + 1e-16 == 1: the forward difference sees a flat ground and the walker stands still
    assert tr.status == "max_steps"
    assert_allclose(tr.points[-1], [1.0, 1.0])


def test_converged_status_and_tol():
    tr = descend(LANDSCAPES["bowl"], (1.0, 0.0), lr=0.25, steps=100, tol=1e-3)
    # x_t = 0.5^t, |∇L| = 2·0.5^t ≤ 1e-3 first at t = 11
    assert tr.status == "converged" and tr.steps == 11


@pytest.mark.parametrize(
    "kwargs",
    [
        {"optimizer": "sgd"},
        {"gradient": "backprop"},
        {"schedule": "linear"},
        {"optimizer": "gd", "beta1": 0.5},
    ],
)
def test_bad_names_raise(kwargs):
    with pytest.raises(ValueError):
        descend(LANDSCAPES["bowl"], (1.0, 1.0), lr=0.1, steps=5, **kwargs)


def test_hyperparameters_reach_the_optimizer():
    land = LANDSCAPES["bowl"]
    a = descend(land, (1.0, 1.0), optimizer="momentum", lr=0.1, steps=3, momentum=0.0)
    b = descend(land, (1.0, 1.0), optimizer="gd", lr=0.1, steps=3)
    assert_allclose(a.points, b.points)


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_recorded_states_reproduce_every_step(name):
    """The memory shown on the page, put back into the textbook rules, gives the path."""
    land = LANDSCAPES["himmelblau"]
    tr = descend(land, land.start, optimizer=name, lr=0.01, steps=60, schedule="cosine")
    p, g, lr, st = tr.points, tr.gradients, tr.learning_rates[:, None], tr.states
    if name == "gd":
        assert set(st) == {"update"}  # no memory; the step taken is recorded
        step = lr * g
    elif name in ("momentum", "nesterov"):
        b = st["buf"]
        prev = np.vstack([np.zeros((1, 2)), b[:-1]])
        assert_allclose(b[1:], 0.9 * prev[1:] + g[1:])
        assert_allclose(b[0], g[0])
        step = lr * (b if name == "momentum" else g + 0.9 * b)
    elif name == "adagrad":
        assert_allclose(st["sum"], np.cumsum(g**2, axis=0))
        step = lr * g / (np.sqrt(st["sum"]) + 1e-10)
    elif name == "rmsprop":
        s = st["sq"]
        prev = np.vstack([np.zeros((1, 2)), s[:-1]])
        assert_allclose(s, 0.99 * prev + 0.01 * g**2)
        step = lr * g / (np.sqrt(s) + 1e-8)
    else:
        m, v = st["m"], st["v"]
        t = np.arange(1, len(g) + 1)[:, None]
        step = lr * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
    assert_allclose(p[1:], p[:-1] - step, rtol=1e-12, atol=1e-13)


def _plain(name: str, g: np.ndarray, lrs: np.ndarray) -> dict[str, np.ndarray]:
    """A second, loop-by-loop implementation of the six rules (torch.optim docs'
    pseudo-code), returning every intermediate per step, shape (n, 2)."""
    out: dict[str, list] = {}
    buf = s = m = v = None
    for t, (gt, lr) in enumerate(zip(g, lrs, strict=True), start=1):
        rec: dict[str, np.ndarray] = {}
        if name == "gd":
            rec["update"] = lr * gt
        elif name in ("momentum", "nesterov"):
            buf = gt.copy() if buf is None else 0.9 * buf + gt
            rec["buf"] = buf
            d = gt + 0.9 * buf if name == "nesterov" else buf
            if name == "nesterov":
                rec["direction"] = d
            rec["update"] = lr * d
        elif name == "adagrad":
            s = gt**2 if s is None else s + gt**2
            rec |= {"sum": s, "denom": np.sqrt(s) + 1e-10}
            rec["update"] = lr * gt / rec["denom"]
        elif name == "rmsprop":
            s = 0.01 * gt**2 if s is None else 0.99 * s + 0.01 * gt**2
            rec |= {"sq": s, "denom": np.sqrt(s) + 1e-8}
            rec["update"] = lr * gt / rec["denom"]
        else:
            m = 0.1 * gt if m is None else 0.9 * m + 0.1 * gt
            v = 0.001 * gt**2 if v is None else 0.999 * v + 0.001 * gt**2
            c1, c2 = 1 - 0.9**t, 1 - 0.999**t
            rec |= {"m": m, "v": v, "c1": np.full(2, c1), "c2": np.full(2, c2),
                    "m_hat": m / c1, "denom": np.sqrt(v / c2) + 1e-8}  # fmt: skip
            rec["update"] = lr * rec["m_hat"] / rec["denom"]
        for k, val in rec.items():
            out.setdefault(k, []).append(np.array(val, dtype=np.float64))
    return {k: np.asarray(val) for k, val in out.items()}


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_recorded_intermediates_match_a_plain_reimplementation(name):
    """Issue 14: every intermediate the hand check shows (velocity, squared-slope sums,
    Adam's m, v, bias corrections, m̂, √v̂ + ε, the update) is recorded per step by
    ``descend`` and agrees with a second implementation fed the same gradients."""
    from core.optimizers import RECORDED

    land = LANDSCAPES["rosenbrock"]
    tr = descend(land, land.start, optimizer=name, lr=0.002, steps=40, schedule="cosine")
    want = _plain(name, tr.gradients, tr.learning_rates)
    assert set(tr.states) == set(RECORDED[name]) == set(want)
    for k in want:
        assert tr.states[k].shape == (tr.steps, 2)
        assert_allclose(tr.states[k], want[k], rtol=1e-12, atol=1e-300, err_msg=k)
    assert_allclose(tr.points[1:], tr.points[:-1] - tr.states["update"], rtol=1e-12, atol=1e-13)


def test_recorded_adam_state_matches_torch():
    """Adam's m, v (exp_avg, exp_avg_sq) and step agree with torch.optim.Adam."""
    torch = pytest.importorskip("torch")
    land = LANDSCAPES["himmelblau"]
    tr = descend(land, land.start, optimizer="adam", lr=0.05, steps=25)
    p = torch.tensor(np.asarray(land.start, dtype=np.float64), requires_grad=True)
    opt = torch.optim.Adam([p], lr=0.05)
    for t in range(tr.steps):
        p.grad = torch.tensor(tr.gradients[t])
        before = p.detach().clone().numpy()
        opt.step()
        s = opt.state[p]
        assert_allclose(s["exp_avg"].numpy(), tr.states["m"][t], rtol=1e-12)
        assert_allclose(s["exp_avg_sq"].numpy(), tr.states["v"][t], rtol=1e-12)
        assert_allclose(before - p.detach().numpy(), tr.states["update"][t], rtol=1e-9, atol=1e-15)


def test_plain_optimizer_does_not_record():
    """Training loops (MLP, GPT) keep only the optimizer's memory: no extra arrays."""
    from core.optimizers import make_optimizer

    opt = make_optimizer("adam", lr=0.1)
    params = {"w": np.ones(3)}
    opt.step(params, {"w": np.ones(3)})
    assert set(opt.state["w"]) == {"m", "v"}
