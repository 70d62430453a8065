"""A multi-layer perceptron in NumPy: forward pass, backpropagation, training.

Layer i computes ``z_i = a_{i-1} @ W_i + b_i`` with ``W_i (n_in, n_out)``, ``b_i (n_out,)``,
then ``a_i = f(z_i)`` (the hidden activation) or, for the last layer, the output function
(``identity``, ``sigmoid`` or ``softmax``). Losses (see :meth:`MLP.loss_and_gradients`):

- ``mse``            mean over *all* elements of (output − target)²;
- ``cross_entropy``  mean over samples of −log p(true class) (softmax with integer labels,
                     or binary with a sigmoid output and 0/1 labels).

Targets: ``sigmoid`` takes 0/1 labels (n,) or (n, 1); ``softmax`` takes integer labels
(n,) (compared with their one-hot vectors under ``mse``); ``identity`` takes (n, n_out).

Training (:class:`Trainer`) reuses the project optimizers (``core.optimizers``) with the
parameter keys ``("W", i)`` and ``("b", i)``; a step that overflows stops the run and puts
back the state from the start of that chunk of steps.
"""

from __future__ import annotations

import copy
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from core.activations import Activation, make_activation
from core.errors import ExplorableError
from core.optimizers import Optimizer, make_optimizer

OUTPUTS: tuple[str, ...] = ("identity", "sigmoid", "softmax")
LOSSES: tuple[str, ...] = ("mse", "cross_entropy")
MAX_WIDTH = 16
MAX_HIDDEN_LAYERS = 4
#: A run whose parameters exceed this in absolute value counts as diverged.
RUNAWAY = 1e6


class MLPError(ExplorableError):
    """Bad network or training request; ``code`` is a machine-readable reason."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code, code=code, detail=detail)
        self.detail = detail


def _sigmoid(z: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise softmax, stable for large values."""
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _log_softmax(z: np.ndarray) -> np.ndarray:
    m = z.max(axis=1, keepdims=True)
    return z - m - np.log(np.exp(z - m).sum(axis=1, keepdims=True))


@dataclass(frozen=True)
class Trace:
    """Every intermediate of one forward pass (for diagrams and hand checks)."""

    pre: tuple[np.ndarray, ...]  # z_i (n, sizes[i+1]) for each layer
    post: tuple[np.ndarray, ...]  # a_0 = X, a_1, ..., a_L = output

    @property
    def output(self) -> np.ndarray:
        return self.post[-1]


class MLP:
    """A fully connected network with layer sizes ``sizes`` (input, hidden..., output)."""

    def __init__(
        self,
        sizes: Sequence[int],
        *,
        activation: str | Activation = "tanh",
        output: str = "identity",
        rng: np.random.Generator,
    ) -> None:
        sizes = [int(s) for s in sizes]
        if len(sizes) < 2 or min(sizes) < 1:
            raise MLPError("bad_sizes", str(sizes))
        if output not in OUTPUTS:
            raise MLPError("unknown_output", output)
        if output == "sigmoid" and sizes[-1] != 1:
            raise MLPError("bad_sizes", "a sigmoid output has one unit")
        if output == "softmax" and sizes[-1] < 2:
            raise MLPError("bad_sizes", "a softmax output needs two units or more")
        self.sizes: tuple[int, ...] = tuple(sizes)
        self.activation: Activation = (
            make_activation(activation) if isinstance(activation, str) else activation
        )
        self.output = output
        # Glorot (Xavier) normal initialisation; He for the ReLU family.
        he = self.activation.key in ("relu", "leaky_relu", "elu")
        self.weights: list[np.ndarray] = []
        self.biases: list[np.ndarray] = []
        for n_in, n_out in itertools.pairwise(sizes):
            std = math.sqrt(2.0 / n_in) if he else math.sqrt(2.0 / (n_in + n_out))
            self.weights.append(rng.normal(0.0, std, size=(n_in, n_out)))
            self.biases.append(np.zeros(n_out))

    # ── parameters ───────────────────────────────────────────────────────────────────
    @property
    def n_layers(self) -> int:
        return len(self.weights)

    @property
    def n_params(self) -> int:
        return sum(w.size + b.size for w, b in zip(self.weights, self.biases, strict=True))

    def params(self) -> dict[tuple[str, int], np.ndarray]:
        """The parameter arrays themselves (not copies), keyed ``("W", i)``/``("b", i)``."""
        out: dict[tuple[str, int], np.ndarray] = {}
        for i, (w, b) in enumerate(zip(self.weights, self.biases, strict=True)):
            out[("W", i)] = w
            out[("b", i)] = b
        return out

    def flat(self) -> np.ndarray:
        """All parameters in one vector: W_0, b_0, W_1, b_1, ... (row-major)."""
        return np.concatenate([p.ravel() for p in self.params().values()])

    def set_flat(self, v: np.ndarray) -> None:
        """Write the vector ``v`` (layout of :meth:`flat`) back into the arrays in place."""
        i = 0
        for p in self.params().values():
            p[...] = np.reshape(v[i : i + p.size], p.shape)
            i += p.size

    def copy(self) -> MLP:
        return copy.deepcopy(self)

    # ── forward ──────────────────────────────────────────────────────────────────────
    def _out(self, z: np.ndarray) -> np.ndarray:
        if self.output == "sigmoid":
            return _sigmoid(z)
        if self.output == "softmax":
            return softmax(z)
        return z

    def trace(self, X: np.ndarray) -> Trace:
        """Forward pass keeping every pre-activation ``z_i`` and activation ``a_i``."""
        a = np.asarray(X, dtype=np.float64)
        if a.ndim != 2 or a.shape[1] != self.sizes[0]:
            raise MLPError("bad_input_shape", str(a.shape))
        pre, post = [], [a]
        f = self.activation.fn
        last = self.n_layers - 1
        for i, (w, b) in enumerate(zip(self.weights, self.biases, strict=True)):
            z = a @ w + b
            a = self._out(z) if i == last else f(z)
            pre.append(z)
            post.append(a)
        return Trace(tuple(pre), tuple(post))

    def forward(self, X: np.ndarray) -> np.ndarray:
        """The network's output for inputs ``X (n, sizes[0])`` -> ``(n, sizes[-1])``."""
        return self.trace(X).output

    # ── loss and backpropagation ─────────────────────────────────────────────────────
    def _targets(self, y: np.ndarray) -> np.ndarray:
        y = np.asarray(y)
        if self.output == "softmax":
            y = y.reshape(-1)
            if not np.all((y >= 0) & (y < self.sizes[-1]) & (y == np.round(y))):
                raise MLPError("bad_targets", "softmax takes integer class labels")
            return y.astype(np.intp)
        if self.output == "sigmoid":
            return y.reshape(-1, 1).astype(np.float64)
        y = y.astype(np.float64)
        if y.ndim == 1 and self.sizes[-1] == 1:
            y = y.reshape(-1, 1)
        if y.ndim != 2 or y.shape[1] != self.sizes[-1]:
            raise MLPError("bad_targets", str(y.shape))
        return y

    def loss(self, X: np.ndarray, y: np.ndarray, *, loss: str = "mse") -> float:
        """The loss only (one forward pass)."""
        return self._loss_and_delta(
            self.trace(X).pre[-1], self._targets(y), loss, need_delta=False
        )[0]

    def _loss_and_delta(
        self, z: np.ndarray, t: np.ndarray, loss: str, *, need_delta: bool = True
    ) -> tuple[float, np.ndarray | None]:
        """Loss from the last pre-activation ``z`` and its gradient dL/dz."""
        n = z.shape[0]
        if loss not in LOSSES:
            raise MLPError("unknown_loss", loss)
        out = self.output
        if loss == "cross_entropy":
            if out == "sigmoid":
                # −[t log σ(z) + (1−t) log(1−σ(z))] = softplus(z) − t·z, computed stably.
                sp = np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))
                value = float(np.mean(sp - t * z))
                return value, ((_sigmoid(z) - t) / n if need_delta else None)
            if out == "softmax":
                logp = _log_softmax(z)
                rows = np.arange(n)
                value = float(-np.mean(logp[rows, t]))
                if not need_delta:
                    return value, None
                d = np.exp(logp)
                d[rows, t] -= 1.0
                return value, d / n
            raise MLPError("bad_loss", "cross-entropy needs a sigmoid or softmax output")
        # mse: mean over all elements
        if out == "softmax":
            p = softmax(z)
            onehot = np.zeros_like(p)
            onehot[np.arange(n), t] = 1.0
            diff = p - onehot
            value = float(np.mean(diff * diff))
            if not need_delta:
                return value, None
            g = 2.0 * diff / diff.size  # dL/dp
            return value, p * (g - np.sum(g * p, axis=1, keepdims=True))
        if out == "sigmoid":
            p = _sigmoid(z)
            diff = p - t
            value = float(np.mean(diff * diff))
            return value, (2.0 * diff / diff.size * p * (1.0 - p) if need_delta else None)
        diff = z - t
        value = float(np.mean(diff * diff))
        return value, (2.0 * diff / diff.size if need_delta else None)

    def loss_and_gradients(
        self, X: np.ndarray, y: np.ndarray, *, loss: str = "mse"
    ) -> tuple[float, list[np.ndarray], list[np.ndarray]]:
        """The loss and its gradients ``(loss, dW list, db list)`` by backpropagation."""
        return self._backprop(X, self._targets(y), loss)

    def _backprop(
        self, X: np.ndarray, t: np.ndarray, loss: str
    ) -> tuple[float, list[np.ndarray], list[np.ndarray]]:
        """:meth:`loss_and_gradients` for targets already checked by ``_targets``."""
        tr = self.trace(X)
        value, delta = self._loss_and_delta(tr.pre[-1], t, loss)
        n = len(self.weights)
        dws: list[np.ndarray] = [np.empty(0)] * n
        dbs: list[np.ndarray] = [np.empty(0)] * n
        act = self.activation
        from_out = act.derivative_from_output
        for i in range(n - 1, -1, -1):
            dws[i] = tr.post[i].T @ delta
            dbs[i] = delta.sum(axis=0)
            if i:
                # f'(z) of the layer below, from its output a = f(z) when that is cheaper
                slope = from_out(tr.post[i]) if from_out else act.derivative(tr.pre[i - 1])
                delta = (delta @ self.weights[i].T) * slope
        return value, dws, dbs

    # ── predictions ──────────────────────────────────────────────────────────────────
    def probabilities(self, X: np.ndarray) -> np.ndarray:
        """Class probabilities (n, k): softmax rows, or (1−p, p) for a sigmoid output."""
        out = self.forward(X)
        if self.output == "sigmoid":
            return np.concatenate([1.0 - out, out], axis=1)
        if self.output == "softmax":
            return out
        raise MLPError("not_a_classifier", self.output)

    def accuracy(self, X: np.ndarray, y: np.ndarray) -> float:
        """Fraction of points whose most probable class is the label (nan if empty)."""
        if len(X) == 0:
            return float("nan")
        pred = np.argmax(self.probabilities(X), axis=1)
        return float(np.mean(pred == np.asarray(y).reshape(-1)))


# ── checking backpropagation ─────────────────────────────────────────────────────────


@dataclass(frozen=True)
class GradientCheck:
    """Backpropagation against central differences for every parameter."""

    backprop: np.ndarray  # (N,) in the layout of MLP.flat()
    numerical: np.ndarray  # (N,)
    max_abs_diff: float
    max_rel_diff: float  # max |a−b| / max(|a|, |b|, 1e-12) over parameters
    n_params: int
    forward_passes_numerical: int  # 2N: two loss evaluations per parameter
    passes_backprop: int  # one forward and one backward pass
    h: float


def gradient_check(
    model: MLP, X: np.ndarray, y: np.ndarray, *, loss: str, h: float = 1e-5
) -> GradientCheck:
    """Gradients of ``model`` by backpropagation and by central differences
    (L(θ + h·e_j) − L(θ − h·e_j)) / 2h. ``model`` is left unchanged.

    Each loss evaluation is an ordinary forward pass with one parameter moved, but the
    layers below that parameter are computed once and reused (they do not depend on it),
    and so is ``a @ W`` of its own layer for a bias: the same floating-point operations
    on the same numbers as a forward pass from scratch, so the same results, bit for bit.
    """
    _, dws, dbs = model.loss_and_gradients(X, y, loss=loss)
    bp = np.concatenate([g.ravel() for pair in zip(dws, dbs, strict=True) for g in pair])
    theta = model.flat()
    t = model._targets(y)
    base = model.trace(X)  # base.post[i]: the input of layer i
    weights, biases = model.weights, model.biases
    f, last = model.activation.fn, model.n_layers - 1

    def loss_from(i: int, z: np.ndarray) -> float:
        """The loss when layer i's pre-activation is ``z`` (layers above unchanged)."""
        for k in range(i + 1, last + 1):
            z = f(z) @ weights[k] + biases[k]
        return model._loss_and_delta(z, t, loss, need_delta=False)[0]

    num = np.empty_like(theta)
    j = 0
    for i, (w, b) in enumerate(zip(weights, biases, strict=True)):
        a = base.post[i]
        moved = w.copy()
        flat = moved.reshape(-1)  # a view: writes move `moved`
        for p in range(w.size):
            v = theta[j]
            flat[p] = v + h
            lp = loss_from(i, a @ moved + b)
            flat[p] = v - h
            lm = loss_from(i, a @ moved + b)
            flat[p] = v
            num[j] = (lp - lm) / (2.0 * h)
            j += 1
        aw = a @ w
        moved_b = b.copy()
        for p in range(b.size):
            v = theta[j]
            moved_b[p] = v + h
            lp = loss_from(i, aw + moved_b)
            moved_b[p] = v - h
            lm = loss_from(i, aw + moved_b)
            moved_b[p] = v
            num[j] = (lp - lm) / (2.0 * h)
            j += 1
    diff = np.abs(bp - num)
    scale = np.maximum(np.maximum(np.abs(bp), np.abs(num)), 1e-12)
    return GradientCheck(
        bp,
        num,
        float(diff.max(initial=0.0)),
        float((diff / scale).max(initial=0.0)),
        theta.size,
        2 * theta.size,
        2,
        h,
    )


# ── a deep linear network is one matrix ──────────────────────────────────────────────


@dataclass(frozen=True)
class LinearCollapse:
    """k random matrices applied one after another versus their single product."""

    matrices: tuple[np.ndarray, ...]  # each (n, n)
    product: np.ndarray  # (n, n) = M_1 @ M_2 @ ... @ M_k
    x: np.ndarray  # (n,) a random input row vector
    steps: tuple[np.ndarray, ...]  # (n,) each: x M_1, x M_1 M_2, ..., x M_1 ... M_k
    in_one_go: np.ndarray  # (n,) x @ product
    max_abs_diff: float

    @property
    def layer_by_layer(self) -> np.ndarray:
        return self.steps[-1]


def linear_collapse(k: int, n: int, rng: np.random.Generator) -> LinearCollapse:
    """Draw k matrices (n, n) with one-decimal entries and an input; compare applying them
    layer by layer with applying their product once."""
    if not (1 <= k <= 12 and 1 <= n <= 8):
        raise MLPError("bad_sizes", f"k={k}, n={n}")
    mats = tuple(np.round(rng.uniform(-1.0, 1.0, size=(n, n)), 1) for _ in range(k))
    x = np.round(rng.uniform(-1.0, 1.0, size=n), 1)
    steps = []
    h = x.copy()
    for m in mats:
        h = h @ m
        steps.append(h)
    prod = np.eye(n)
    for m in mats:
        prod = prod @ m
    direct = x @ prod
    return LinearCollapse(
        mats, prod, x, tuple(steps), direct, float(np.abs(steps[-1] - direct).max())
    )


# ── one neuron ───────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Neuron:
    """z = w·x + b and a = f(z) for one neuron, with each product w_i·x_i."""

    products: tuple[float, ...]
    z: float
    a: float
    slope: float  # f'(z)


def neuron(x: Sequence[float], w: Sequence[float], b: float, activation: Activation) -> Neuron:
    xs, ws = np.asarray(x, dtype=np.float64), np.asarray(w, dtype=np.float64)
    if xs.shape != ws.shape:
        raise MLPError("bad_input_shape", f"{xs.shape} vs {ws.shape}")
    prods = xs * ws
    z = float(prods.sum() + b)
    za = np.array([z])
    return Neuron(
        tuple(float(p) for p in prods),
        z,
        float(activation.fn(za)[0]),
        float(activation.derivative(za)[0]),
    )


def neuron_grid(
    w: Sequence[float], b: float, activation: Activation, lo: float, hi: float, res: int = 61
) -> tuple[np.ndarray, np.ndarray]:
    """The neuron's output f(w₁x₁ + w₂x₂ + b) on a res × res grid over [lo, hi]²:
    ``(xs (res,), values (res, res))`` with row j at x₂ = xs[j] (float32)."""
    xs = np.linspace(lo, hi, res)
    gx, gy = np.meshgrid(xs, xs)
    with np.errstate(all="ignore"):
        values = activation.fn(float(w[0]) * gx + float(w[1]) * gy + float(b))
    return xs.astype(np.float32), np.asarray(values, dtype=np.float32)


# ── training ─────────────────────────────────────────────────────────────────────────


@dataclass
class History:
    """Full-dataset metrics recorded at the end of each chunk of steps."""

    step: list[int] = field(default_factory=list)
    train_loss: list[float] = field(default_factory=list)
    test_loss: list[float] = field(default_factory=list)
    train_acc: list[float] = field(default_factory=list)
    test_acc: list[float] = field(default_factory=list)

    def rmse(self, split: str = "train") -> list[float]:
        """The root of each recorded mean squared error of ``split`` ("train" or
        "test"): the typical miss in the targets' own units, for a network trained with
        the MSE loss (nan, where no test set was held out, stays nan)."""
        losses = {"train": self.train_loss, "test": self.test_loss}[split]
        return [math.sqrt(v) if v >= 0 else math.nan for v in losses]


@dataclass
class Trainer:
    """Mutable training state: a model, its optimizer, data, and the history so far."""

    model: MLP
    optimizer: Optimizer
    X: np.ndarray
    y: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    loss: str
    batch_size: int
    rng: np.random.Generator
    history: History = field(default_factory=History)
    status: str = "ready"  # ready | diverged
    steps: int = 0
    _order: np.ndarray | None = None
    _cursor: int = 0
    _t: np.ndarray = field(default_factory=lambda: np.empty(0), repr=False)  # checked y

    def __post_init__(self) -> None:
        if self.loss not in LOSSES:
            raise MLPError("unknown_loss", self.loss)
        if self.batch_size < 1:
            raise MLPError("bad_batch", str(self.batch_size))
        self.model.loss(self.X[:1], self.y[:1], loss=self.loss)  # validates targets/loss
        self._t = self.model._targets(self.y)
        if not self.history.step:
            self.record()

    @property
    def classifier(self) -> bool:
        return self.model.output != "identity"

    def record(self) -> None:
        h, m = self.history, self.model
        h.step.append(self.steps)
        h.train_loss.append(m.loss(self.X, self.y, loss=self.loss))
        h.test_loss.append(
            m.loss(self.X_test, self.y_test, loss=self.loss) if len(self.X_test) else float("nan")
        )
        h.train_acc.append(m.accuracy(self.X, self.y) if self.classifier else float("nan"))
        h.test_acc.append(m.accuracy(self.X_test, self.y_test) if self.classifier else float("nan"))

    def retune(self, optimizer: Optimizer, batch_size: int) -> None:
        """New training settings for the same network: a fresh ``optimizer`` (its state
        starts empty) and ``batch_size`` (0, or more than the data: the whole training
        set), keeping the weights and the history. A diverged run becomes ready again:
        it continues from its last good state under the new settings."""
        if batch_size < 0:
            raise MLPError("bad_batch", str(batch_size))
        self.optimizer = optimizer
        self.batch_size = min(batch_size or len(self.X), len(self.X))
        self._order, self._cursor = None, 0
        self.status = "ready"

    def _batch(self) -> slice | np.ndarray:
        n = len(self.X)
        if self.batch_size >= n:
            return slice(None)
        if self._order is None or self._cursor + self.batch_size > n:
            self._order = self.rng.permutation(n)
            self._cursor = 0
        idx = self._order[self._cursor : self._cursor + self.batch_size]
        self._cursor += self.batch_size
        return idx

    def run(self, steps: int) -> str:
        """Take up to ``steps`` optimizer steps, then record the metrics.

        If the loss or a parameter stops being finite, or a parameter runs away beyond
        ``RUNAWAY``, the model and optimizer go back to their state at the start of this
        call, ``status`` becomes ``"diverged"`` and nothing is recorded. Returns ``status``.
        """
        if self.status == "diverged":
            return self.status
        saved = (
            copy.deepcopy(self.model.weights),
            copy.deepcopy(self.model.biases),
            copy.deepcopy(self.optimizer),
            self._order,
            self._cursor,
            self.rng.bit_generator.state,
        )
        params = self.model.params()
        m = self.model
        layers = range(m.n_layers)
        X, t, loss, step = self.X, self._t, self.loss, self.optimizer.step
        ok = True
        with np.errstate(all="ignore"):
            for _ in range(int(steps)):
                idx = self._batch()
                value, dws, dbs = m._backprop(X[idx], t[idx], loss)
                if not math.isfinite(value):
                    ok = False
                    break
                grads: dict[Any, np.ndarray] = {}
                for i in layers:
                    grads[("W", i)] = dws[i]
                    grads[("b", i)] = dbs[i]
                step(params, grads)
            if ok:
                big = max(float(np.abs(p).max()) for p in params.values())
                ok = math.isfinite(big) and big < RUNAWAY
            if ok:
                self.steps += int(steps)
                self.record()
                ok = math.isfinite(self.history.train_loss[-1])
                if not ok:
                    for lst in vars(self.history).values():
                        lst.pop()
                    self.steps -= int(steps)
        if not ok:
            for dst, src in zip(m.weights + m.biases, saved[0] + saved[1], strict=True):
                dst[...] = src
            self.optimizer = saved[2]
            self._order, self._cursor = saved[3], saved[4]
            self.rng.bit_generator.state = saved[5]
            self.status = "diverged"
        return self.status


def new_trainer(
    model: MLP,
    X: np.ndarray,
    y: np.ndarray,
    X_test: np.ndarray,
    y_test: np.ndarray,
    *,
    loss: str,
    optimizer: str,
    lr: float,
    batch_size: int,
    rng: np.random.Generator,
) -> Trainer:
    """A :class:`Trainer` with a fresh optimizer from ``core.optimizers``."""
    return Trainer(
        model,
        make_optimizer(optimizer, lr=lr),
        X,
        y,
        X_test,
        y_test,
        loss,
        min(int(batch_size), len(X)),
        rng,
    )


@dataclass(frozen=True)
class Grid:
    """Network outputs on a res × res grid over [lo, hi]² (float32, for heatmaps)."""

    xs: np.ndarray  # (res,)
    ys: np.ndarray  # (res,)
    probs: np.ndarray  # (res, res, k): row j is y = ys[j]


def decision_grid(model: MLP, lo: float, hi: float, res: int = 60) -> Grid:
    """Class probabilities of ``model`` over a square grid."""
    xs = np.linspace(lo, hi, res)
    gx, gy = np.meshgrid(xs, xs)
    pts = np.stack([gx.ravel(), gy.ravel()], axis=1)
    with np.errstate(all="ignore"):
        p = model.probabilities(pts).reshape(res, res, -1)
    return Grid(xs.astype(np.float32), xs.astype(np.float32), p.astype(np.float32))


def train_linear_and_nonlinear(
    X: np.ndarray, y: np.ndarray, activation: str, *, steps: int = 1000
) -> dict[str, tuple[MLP, float]]:
    """The same 2-8-8-1 sigmoid-output network trained on (X, y) twice: with
    ``identity`` (a single linear map, however deep) and with ``activation``.

    Adam, lr 0.03, full batch, cross-entropy, weight seed 1, batch seed 2.
    Returns ``{name: (model, final training accuracy)}``.
    """
    out: dict[str, tuple[MLP, float]] = {}
    for name in ("identity", activation):
        m = MLP([2, 8, 8, 1], activation=name, output="sigmoid", rng=np.random.default_rng(1))
        tr = new_trainer(
            m, X, y, X[:0], y[:0], loss="cross_entropy", optimizer="adam", lr=0.03,
            batch_size=len(X), rng=np.random.default_rng(2),
        )  # fmt: skip
        tr.run(steps)
        out[name] = (m, float(tr.history.train_acc[-1]))
    return out
