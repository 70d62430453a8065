"""The MLP against independent truth: hand-computed forward passes, central differences
for every output × loss combination, the linear collapse, training to ≥ 95 % accuracy."""

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

from core.activations import ACTIVATIONS
from core.datasets import make_dataset, train_test_split
from core.mlp import (
    MLP,
    MLPError,
    decision_grid,
    gradient_check,
    linear_collapse,
    neuron,
    neuron_grid,
    new_trainer,
    train_linear_and_nonlinear,
)
from core.optimizers import Optimizer


def test_forward_by_hand():
    m = MLP([2, 2, 1], activation="relu", output="identity", rng=np.random.default_rng(0))
    m.weights[0][...] = [[1.0, -1.0], [2.0, 0.5]]
    m.biases[0][...] = [0.5, -1.0]
    m.weights[1][...] = [[3.0], [-2.0]]
    m.biases[1][...] = [0.25]
    # x = (1, 2): z1 = (1 + 4 + 0.5, -1 + 1 - 1) = (5.5, -1); relu -> (5.5, 0); out = 16.75
    assert_allclose(m.forward(np.array([[1.0, 2.0]])), [[16.75]])
    tr = m.trace(np.array([[1.0, 2.0]]))
    assert_allclose(tr.pre[0], [[5.5, -1.0]])
    assert_allclose(tr.post[1], [[5.5, 0.0]])
    assert m.n_params == 9


def test_losses_by_hand():
    m = MLP([1, 1], activation="identity", output="identity", rng=np.random.default_rng(0))
    m.weights[0][...] = 2.0
    m.biases[0][...] = 0.0
    X = np.array([[1.0], [2.0]])
    assert_allclose(m.loss(X, np.array([[1.0], [1.0]]), loss="mse"), (1 + 9) / 2)
    s = MLP([1, 1], activation="identity", output="sigmoid", rng=np.random.default_rng(0))
    s.weights[0][...] = 0.0
    assert_allclose(s.loss(X, np.array([0, 1]), loss="cross_entropy"), math.log(2))
    sm = MLP([1, 3], activation="identity", output="softmax", rng=np.random.default_rng(0))
    sm.weights[0][...] = 0.0
    assert_allclose(sm.loss(X, np.array([0, 2]), loss="cross_entropy"), math.log(3))
    # mse against one-hot: p = 1/3 everywhere: ((2/3)² + 2·(1/3)²) / 3 per row
    assert_allclose(sm.loss(X, np.array([0, 2]), loss="mse"), (4 / 9 + 2 / 9) / 3)


COMBOS = [
    ("identity", "mse"),
    ("sigmoid", "mse"),
    ("sigmoid", "cross_entropy"),
    ("softmax", "mse"),
    ("softmax", "cross_entropy"),
]
ARCHS = [[2, 1], [2, 5, 3], [2, 4, 4, 3], [1, 8, 6, 4, 2]]


@pytest.mark.parametrize(("output", "loss"), COMBOS)
@pytest.mark.parametrize("hidden", ARCHS)
@pytest.mark.parametrize("act", ["tanh", "sigmoid", "gelu", "silu", "softplus", "identity"])
def test_backprop_matches_central_differences(output, loss, hidden, act):
    rng = np.random.default_rng(hash((output, loss, len(hidden), act)) % 2**32)
    sizes = list(hidden)
    if output == "sigmoid":
        sizes[-1] = 1
    elif output == "softmax":
        sizes[-1] = max(sizes[-1], 2)
    m = MLP(sizes, activation=act, output=output, rng=rng)
    for b in m.biases:
        b[...] = rng.normal(size=b.shape) * 0.3
    X = rng.normal(size=(9, sizes[0]))
    if output == "identity":
        y = rng.normal(size=(9, sizes[-1]))
    elif output == "sigmoid":
        y = rng.integers(0, 2, 9) if act != "gelu" else rng.integers(0, 2, (9, 1))
    else:
        y = rng.integers(0, sizes[-1], 9)
    check = gradient_check(m, X, y, loss=loss, h=1e-6)
    scale = max(1.0, float(np.abs(check.numerical).max()))
    assert check.max_abs_diff < 1e-7 * scale, check.max_abs_diff
    assert check.forward_passes_numerical == 2 * m.n_params == 2 * check.n_params


def test_backprop_through_kinked_activations_away_from_kinks():
    rng = np.random.default_rng(3)
    for act in ["relu", "leaky_relu", "elu"]:
        m = MLP([2, 6, 1], activation=act, output="identity", rng=rng)
        X = rng.normal(size=(20, 2))
        z = X @ m.weights[0] + m.biases[0]
        assert np.abs(z).min() > 1e-4  # h = 1e-6 cannot cross a kink
        check = gradient_check(m, X, rng.normal(size=(20, 1)), loss="mse", h=1e-6)
        assert check.max_abs_diff < 1e-7


def _central_differences_from_scratch(m, X, y, *, loss, h):
    """The plain definition: move one parameter, run a whole forward pass, twice."""
    theta = m.flat()
    work = m.copy()
    num = np.empty_like(theta)
    for j in range(theta.size):
        v = theta.copy()
        v[j] = theta[j] + h
        work.set_flat(v)
        lp = work.loss(X, y, loss=loss)
        v[j] = theta[j] - h
        work.set_flat(v)
        lm = work.loss(X, y, loss=loss)
        num[j] = (lp - lm) / (2.0 * h)
    return num


@pytest.mark.parametrize(
    ("sizes", "act", "output", "loss"),
    [
        ([2, 6, 6, 1], "tanh", "sigmoid", "cross_entropy"),
        ([2, 16, 16, 16, 16, 1], "relu", "sigmoid", "mse"),
        ([2, 5, 4, 3], "gelu", "softmax", "cross_entropy"),
        ([2, 4, 3], "sigmoid", "softmax", "mse"),
        ([1, 8, 8, 1], "tanh", "identity", "mse"),
        ([2, 1, 1], "elu", "sigmoid", "mse"),
    ],
)
def test_gradient_check_is_bitwise_the_plain_definition(sizes, act, output, loss):
    """Reusing the unmoved layers changes no floating-point operation: the numerical
    gradients (and so every digit the page shows) are those of whole forward passes."""
    rng = np.random.default_rng(5)
    m = MLP(sizes, activation=act, output=output, rng=rng)
    for b in m.biases:
        b[...] = rng.normal(size=b.shape) * 0.3
    X = rng.normal(size=(50, sizes[0]))
    if output == "identity":
        y = rng.normal(size=(50, sizes[-1]))
    else:
        y = rng.integers(0, max(sizes[-1], 2), 50)
    check = gradient_check(m, X, y, loss=loss)
    want = _central_differences_from_scratch(m, X, y, loss=loss, h=1e-5)
    np.testing.assert_array_equal(check.numerical, want)


def test_gradient_check_leaves_model_unchanged():
    m = MLP([2, 3, 1], activation="tanh", output="sigmoid", rng=np.random.default_rng(1))
    before = m.flat().copy()
    gradient_check(m, np.ones((3, 2)), np.array([0, 1, 1]), loss="cross_entropy")
    assert_allclose(m.flat(), before, rtol=0, atol=0)


@pytest.mark.parametrize(
    ("output", "loss", "sizes", "y"),
    [
        ("identity", "cross_entropy", [2, 1], np.zeros((3, 1))),
        ("softmax", "mse", [2, 3], np.array([0, 1, 3])),
        ("softmax", "mse", [2, 3], np.array([0, 1, 0.5])),
        ("identity", "mse", [2, 2], np.zeros((3, 1))),
        ("sigmoid", "hinge", [2, 1], np.zeros(3)),
    ],
)
def test_bad_requests_raise_with_codes(output, loss, sizes, y):
    m = MLP(sizes, activation="tanh", output=output, rng=np.random.default_rng(0))
    with pytest.raises(MLPError) as e:
        m.loss_and_gradients(np.zeros((3, 2)), y, loss=loss)
    assert e.value.code in ("bad_loss", "bad_targets", "unknown_loss")
    with pytest.raises(MLPError):
        MLP([2, 2], activation="tanh", output="sigmoid", rng=np.random.default_rng(0))


def test_a_deep_linear_network_is_one_matrix():
    c = linear_collapse(5, 3, np.random.default_rng(0))
    expected = c.matrices[0] @ c.matrices[1] @ c.matrices[2] @ c.matrices[3] @ c.matrices[4]
    assert_allclose(c.product, expected)
    assert_allclose(c.layer_by_layer, c.in_one_go, atol=1e-12)
    assert c.max_abs_diff < 1e-12
    # The same holds for an MLP with the identity activation: it equals x W + b with
    # W = W1 W2 W3 and b = (b1 W2 + b2) W3 + b3.
    rng = np.random.default_rng(1)
    m = MLP([2, 5, 4, 1], activation="identity", output="identity", rng=rng)
    for b in m.biases:
        b[...] = rng.normal(size=b.shape)
    W = m.weights[0] @ m.weights[1] @ m.weights[2]
    b = (m.biases[0] @ m.weights[1] + m.biases[1]) @ m.weights[2] + m.biases[2]
    X = rng.normal(size=(10, 2))
    assert_allclose(m.forward(X), X @ W + b, atol=1e-12)


def test_neuron_by_hand():
    n = neuron([1.0, -2.0], [0.5, 0.25], 0.1, ACTIVATIONS["sigmoid"])
    assert n.products == (0.5, -0.5)
    assert_allclose(n.z, 0.1)
    assert_allclose(n.a, 1 / (1 + math.exp(-0.1)))
    assert_allclose(n.slope, n.a * (1 - n.a))


def test_one_gd_step_is_w_minus_lr_grad():
    rng = np.random.default_rng(0)
    X, y = make_dataset("moons", 40, noise=0.1, rng=rng)
    m = MLP([2, 4, 1], activation="tanh", output="sigmoid", rng=rng)
    _, dws, dbs = m.loss_and_gradients(X, y, loss="cross_entropy")
    expected = [w - 0.5 * g for w, g in zip(m.weights, dws, strict=True)]
    tr = new_trainer(
        m, X, y, X[:0], y[:0], loss="cross_entropy", optimizer="gd", lr=0.5, batch_size=40, rng=rng
    )
    assert isinstance(tr.optimizer, Optimizer)
    tr.run(1)
    for w, e in zip(m.weights, expected, strict=True):
        assert_allclose(w, e)
    assert_allclose(m.biases[0], -0.5 * dbs[0])


# Documented configuration for the ≥ 95 % checks: 200 points, noise 0.1 (XOR, circles)
# or 0.05 (3 gaussians), network 2-8-8-out with tanh, Adam lr 0.03, full batch,
# data seed 1, weight seed 2, 1500 steps.
@pytest.mark.parametrize(
    ("key", "k", "noise", "output", "loss"),
    [
        ("xor", 2, 0.1, "sigmoid", "cross_entropy"),
        ("circles", 2, 0.1, "sigmoid", "cross_entropy"),
        ("gaussians", 3, 0.05, "softmax", "cross_entropy"),
        ("xor", 2, 0.1, "sigmoid", "mse"),
        ("circles", 2, 0.1, "softmax", "mse"),
    ],
)
def test_training_reaches_95_percent(key, k, noise, output, loss):
    X, y = make_dataset(key, 200, noise=noise, rng=np.random.default_rng(1), n_classes=k)
    m = MLP(
        [2, 8, 8, 1 if output == "sigmoid" else k],
        activation="tanh",
        output=output,
        rng=np.random.default_rng(2),
    )
    tr = new_trainer(
        m,
        X,
        y,
        X[:0],
        y[:0],
        loss=loss,
        optimizer="adam",
        lr=0.03,
        batch_size=200,
        rng=np.random.default_rng(3),
    )
    start = tr.history.train_loss[0]
    for _ in range(15):
        assert tr.run(100) == "ready"
    assert tr.steps == 1500 and len(tr.history.step) == 16
    assert tr.history.train_acc[-1] >= 0.95
    assert m.accuracy(X, y) == tr.history.train_acc[-1]
    assert tr.history.train_loss[-1] < start


def test_minibatches_and_test_split():
    X, y = make_dataset("moons", 200, noise=0.1, rng=np.random.default_rng(0))
    Xa, ya, Xb, yb = train_test_split(X, y, 0.25, np.random.default_rng(0))
    m = MLP([2, 8, 1], activation="relu", output="sigmoid", rng=np.random.default_rng(1))
    tr = new_trainer(
        m,
        Xa,
        ya,
        Xb,
        yb,
        loss="cross_entropy",
        optimizer="momentum",
        lr=0.1,
        batch_size=16,
        rng=np.random.default_rng(2),
    )
    tr.run(600)
    assert tr.history.test_acc[-1] >= 0.85 and tr.history.train_acc[-1] >= 0.85


def test_identity_network_draws_a_straight_boundary():
    X, y = make_dataset("circles", 200, noise=0.05, rng=np.random.default_rng(0))
    runs = train_linear_and_nonlinear(X, y, "tanh")
    for act, better in (("identity", False), ("tanh", True)):
        m, acc = runs[act]
        assert (acc >= 0.95) if better else (acc < 0.75), (act, acc)
        if act == "identity":
            # Its output is σ(x W + b) with W = W1 W2 W3: the region {p > 0.5} is the
            # half-plane x W + b > 0, whose edge is a straight line.
            W = m.weights[0] @ m.weights[1] @ m.weights[2]
            b = (m.biases[0] @ m.weights[1] + m.biases[1]) @ m.weights[2] + m.biases[2]
            g = decision_grid(m, -1.5, 1.5, 41)
            gx, gy = np.meshgrid(g.xs.astype(float), g.ys.astype(float))
            side = np.stack([gx.ravel(), gy.ravel()], 1) @ W + b > 0
            clear = np.abs(np.stack([gx.ravel(), gy.ravel()], 1) @ W + b) > 1e-4
            assert np.array_equal(
                (g.probs[..., 1].ravel() > 0.5)[clear[:, 0]], side[clear[:, 0], 0]
            )


def test_divergence_stops_and_keeps_last_good_state():
    X, y = make_dataset("sine", 100, noise=0.1, rng=np.random.default_rng(0))
    m = MLP([1, 16, 16, 1], activation="relu", output="identity", rng=np.random.default_rng(1))
    tr = new_trainer(
        m,
        X,
        y,
        X[:0],
        y[:0],
        loss="mse",
        optimizer="gd",
        lr=0.01,
        batch_size=100,
        rng=np.random.default_rng(2),
    )
    assert tr.run(50) == "ready"
    good = m.flat().copy()
    good_hist = len(tr.history.step)
    tr.optimizer.lr = 50.0  # far too large: the loss overflows within a few steps
    assert tr.run(50) == "diverged"
    assert_allclose(m.flat(), good, rtol=0, atol=0)
    assert len(tr.history.step) == good_hist and tr.steps == 50
    assert all(math.isfinite(v) for v in tr.history.train_loss)
    assert tr.run(10) == "diverged"  # stays stopped


def test_retune_continues_a_diverged_run_from_its_last_good_state():
    """New settings after a divergence: a fresh optimizer and batch size, the same weights
    and history, and training resumes (status ready) under the new settings."""
    from core.optimizers import make_optimizer

    X, y = make_dataset("sine", 100, noise=0.1, rng=np.random.default_rng(0))
    m = MLP([1, 16, 16, 1], activation="relu", output="identity", rng=np.random.default_rng(1))
    tr = new_trainer(m, X, y, X[:0], y[:0], loss="mse", optimizer="gd", lr=50.0,
                     batch_size=100, rng=np.random.default_rng(2))  # fmt: skip
    assert tr.run(50) == "diverged"
    good, hist = m.flat().copy(), len(tr.history.step)
    adam = make_optimizer("adam", lr=0.01)
    tr.retune(adam, 0)
    assert tr.optimizer is adam and tr.batch_size == len(X) and tr.status == "ready"
    assert_allclose(m.flat(), good, rtol=0, atol=0)
    assert len(tr.history.step) == hist
    assert tr.run(20) == "ready" and tr.steps == 20
    tr.retune(make_optimizer("gd", lr=0.01), 10_000)  # more than the data: all of it
    assert tr.batch_size == len(X)
    tr.retune(make_optimizer("gd", lr=0.01), 8)
    assert tr.batch_size == 8
    with pytest.raises(MLPError):
        tr.retune(make_optimizer("gd", lr=0.01), -1)


def test_decision_grid_is_float32_probabilities():
    m = MLP([2, 4, 3], activation="tanh", output="softmax", rng=np.random.default_rng(0))
    g = decision_grid(m, -1.5, 1.5, 30)
    assert g.probs.shape == (30, 30, 3) and g.probs.dtype == np.float32
    assert_allclose(g.probs.sum(axis=2), 1.0, atol=1e-6)
    # row j is y = ys[j], column i is x = xs[i]
    p = m.probabilities(np.array([[g.xs[4], g.ys[7]]], dtype=np.float64))
    assert_allclose(g.probs[7, 4], p[0], atol=1e-6)


def test_collapse_steps_are_partial_products():
    c = linear_collapse(4, 3, np.random.default_rng(5))
    partial = np.eye(3)
    for m, step in zip(c.matrices, c.steps, strict=True):
        partial = partial @ m
        assert_allclose(step, c.x @ partial, atol=1e-12)
    assert np.all(np.round(c.x, 1) == c.x)  # one decimal: checkable by hand


def test_neuron_grid_matches_single_neurons():
    act = ACTIVATIONS["tanh"]
    xs, values = neuron_grid([0.5, -2.0], 0.3, act, -3, 3, res=7)
    assert values.dtype == np.float32 and values.shape == (7, 7)
    for j in (0, 3, 6):  # row j is x2 = xs[j]
        for i in (1, 5):
            n = neuron([xs[i], xs[j]], [0.5, -2.0], 0.3, act)
            assert_allclose(values[j, i], n.a, rtol=1e-6)


def test_history_rmse_is_the_root_of_each_recorded_mse():
    from core.mlp import History

    h = History(step=[0, 10], train_loss=[4.0, 0.25], test_loss=[float("nan"), 1.0])
    assert h.rmse("train") == [2.0, 0.5]
    test = h.rmse("test")
    assert math.isnan(test[0]) and test[1] == 1.0
