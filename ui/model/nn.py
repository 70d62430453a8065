"""The neural-network chapter's settings (every control, declared once) and the values its
view derives from them. Streamlit-free: see ui/state.py for the declaration helpers.

Sections: ① one neuron (``nn_x1`` … ``nn_nact``), ② activation functions (``nn_acts``,
the range ``nn_xr``, the shape parameters and the point ``nn_at``), ③ the linear
collapse (``nn_k``, ``nn_lseed``) and its comparison (``nn_ldata``, ``nn_lact``), ④ the
playground (``nn_data`` … ``nn_seed``). The URL carries option keys, never labels:
``nn_data=spirals``, ``nn_act=relu``, ``nn_opt=momentum``, ``nn_batch=0`` (the whole
training set). Links written before (a label in either language, ``nn_batch=all`` or
``全部``, a learning rate written ``10``) still parse to the same option.

:class:`PlayConfig` is what the playground builds its trainer from: :func:`play_config`
derives it from the playground's control values (the loss of a regression is MSE, the
held-out share a fraction)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.activations import KEYS
from core.datasets import CLASSIFICATION
from ui.state import Model, choice, integer, multi, number, span

COMPARE_DATA = ("circles", "xor", "moons", "spirals")
COMPARE_ACTS = tuple(k for k in KEYS if k not in ("identity", "step"))
PLAY_DATA = (*CLASSIFICATION, "sine")
PLAY_OPTS = ("gd", "momentum", "adam")
LOSSES = ("cross_entropy", "mse")
LRS = (0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
BATCHES = (1, 4, 8, 16, 32, 64, 0)  # 0: the whole training set
STEPS = (50, 100, 200, 500, 1000, 2000, 5000, 10000)
COMPARE_STEPS = 1000  # Adam steps of each network of the linear-collapse comparison
SIGMOID_DEPTH = 10  # layers of sigmoids through which the text follows the error signal


@dataclass(frozen=True)
class NnSettings(Model):
    # ① one neuron
    x1: float = number("nn_x1", -5.0, 5.0, 1.0, step=0.1)
    x2: float = number("nn_x2", -5.0, 5.0, -0.5, step=0.1)
    w1: float = number("nn_w1", -5.0, 5.0, 0.8, step=0.1)
    w2: float = number("nn_w2", -5.0, 5.0, 1.5, step=0.1)
    bias: float = number("nn_b", -5.0, 5.0, 0.2, step=0.1)
    nact: str = choice("nn_nact", KEYS, "sigmoid", labels="nn.act.{}")
    # ② activation functions
    acts: tuple = multi("nn_acts", KEYS, ("sigmoid", "tanh", "relu", "gelu"), labels="nn.act.{}")
    xr: tuple = span("nn_xr", -20.0, 20.0, (-6.0, 6.0), step=0.5)
    slope: float = number("nn_slope", 0.0, 0.5, 0.01, step=0.01)  # leaky ReLU
    alpha: float = number("nn_alpha", 0.1, 3.0, 1.0, step=0.1)  # ELU
    beta: float = number("nn_beta", 0.25, 10.0, 1.0, step=0.25)  # softplus
    at: float = number("nn_at", -20.0, 20.0, 1.0, step=0.1)  # the table's point
    # ③ why the non-linearity matters
    k: int = integer("nn_k", 2, 8, 3)
    lseed: int = integer("nn_lseed", 0, 9999, 0)
    ldata: str = choice("nn_ldata", COMPARE_DATA, "circles", labels="nn.data.{}")
    lact: str = choice("nn_lact", COMPARE_ACTS, "tanh", labels="nn.act.{}")
    # ④ the playground
    data: str = choice("nn_data", PLAY_DATA, "circles", labels="nn.data.{}")
    classes: int = choice("nn_cls", (2, 3), 2)  # gaussian blobs only
    noise: float = number("nn_noise", 0.0, 0.5, 0.1, step=0.05)
    n: int = integer("nn_n", 20, 500, 200, step=10)
    test: int = integer("nn_test", 0, 50, 20, step=5)  # held out, in per cent
    layers: int = integer("nn_layers", 1, 4, 2)
    width: int = integer("nn_width", 1, 16, 6)
    act: str = choice("nn_act", KEYS, "tanh", labels="nn.act.{}")
    loss: str = choice("nn_loss", LOSSES, "cross_entropy", labels="nn.loss_{}")
    opt: str = choice("nn_opt", PLAY_OPTS, "adam", labels="nn.opt_{}")
    lr: float = choice("nn_lr", LRS, 0.03)
    batch: int = choice("nn_batch", BATCHES, 0, labels={0: "nn.batch_all"})
    steps: int = choice("nn_steps", STEPS, 500)
    seed: int = integer("nn_seed", 0, 9999, 0)


def act_params(key: str, slope: float, alpha: float, beta: float) -> tuple:
    """The shape parameters activation ``key`` takes from the section's sliders."""
    return {
        "leaky_relu": (("slope", float(slope)),),
        "elu": (("alpha", float(alpha)),),
        "softplus": (("beta", float(beta)),),
    }.get(key, ())


@dataclass(frozen=True)
class PlayConfig:
    """The playground's settings as its trainer uses them."""

    dataset: str
    classes: int
    noise: float
    n: int
    test: float  # held-out fraction
    layers: int
    width: int
    act: str
    loss: str
    opt: str
    lr: float
    batch: int  # 0: the whole training set
    steps: int
    seed: int

    @property
    def regression(self) -> bool:
        return self.dataset == "sine"

    def model_sig(self) -> tuple:
        return (
            self.dataset,
            self.classes,
            self.noise,
            self.n,
            self.test,
            self.layers,
            self.width,
            self.act,
            self.loss,
            self.seed,
        )

    def opt_sig(self) -> tuple:
        return (self.opt, self.lr, self.batch)


#: The playground's fields, in the order its controls are drawn.
PLAY_FIELDS = (
    "data", "classes", "noise", "n", "test", "layers", "width",
    "act", "loss", "opt", "lr", "batch", "steps", "seed",
)  # fmt: skip


def play_config(values: dict[str, Any]) -> PlayConfig:
    """The :class:`PlayConfig` of the playground's control values, keyed by
    :class:`NnSettings` field: a regression's loss is MSE whatever the (disabled) loss
    control shows, and the held-out share becomes a fraction."""
    default = NnSettings()
    v = {**{name: getattr(default, name) for name in PLAY_FIELDS}, **values}
    return PlayConfig(
        dataset=v["data"],
        classes=int(v["classes"]),
        noise=float(v["noise"]),
        n=int(v["n"]),
        test=int(v["test"]) / 100,
        layers=int(v["layers"]),
        width=int(v["width"]),
        act=v["act"],
        loss="mse" if v["data"] == "sine" else v["loss"],
        opt=v["opt"],
        lr=float(v["lr"]),
        batch=int(v["batch"]),
        steps=int(v["steps"]),
        seed=int(v["seed"]),
    )
