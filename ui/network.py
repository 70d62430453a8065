"""Streamlit sections of the neural-network chapter.

Sections 1-3 are ``st.fragment``s: touching one of their controls reruns that section
only. The playground (section 4) runs its controls, Train/Step/Reset, training loop and
figures in two nested fragments: the outer one (:func:`_playground`) holds the data set,
network and training controls and Train/Step/Reset, the inner one (:func:`_play`) noise,
points and held-out share, the training loop and everything drawn, so that moving the
noise reruns only the inner one. Only the Stop button sits outside (a click inside a running fragment would
wait for it to finish). The inner fragment fills section 5's box with the gradient
check of the network it has just trained and ends with the playground's numbers as
CSV/JSON downloads (:func:`export`). Training state lives in ``st.session_state``
under ``nn_``-prefixed keys (``nn_tr`` the :class:`core.mlp.Trainer`, ``nn_tr_sig`` /
``nn_opt_sig`` the settings it was built with), so a Stop, a language switch or another
section's rerun keeps it.
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import streamlit as st

from core.activations import ACTIVATIONS, KEYS, ActivationError, make_activation, sample
from core.datasets import CLASSIFICATION, DatasetError, make_dataset, n_classes_of
from core.datasets import train_test_split as split
from core.mlp import (
    MLP,
    GradientCheck,
    MLPError,
    Trainer,
    decision_grid,
    gradient_check,
    linear_collapse,
    neuron,
    neuron_grid,
    new_trainer,
    train_linear_and_nonlinear,
)
from core.optimizers import OptimizerError, make_optimizer
from ui import widgets as w
from ui.i18n import t
from ui.layout import downloads, explain, plot
from ui.model.nn import NnSettings
from ui.tour import focus
from viz.network import (
    activation_figure,
    boundary_figure,
    history_figure,
    network_figure,
    neuron_figure,
    regression_figure,
)

BOX = 1.6  # the playground plane is [-BOX, BOX]²
RES = 60  # decision-boundary grid
LRS = (0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
BATCHES = (1, 4, 8, 16, 32, 64, 0)  # 0: the whole training set
STEPS = (50, 100, 200, 500, 1000, 2000, 5000, 10000)
PLAY_OPTS = ("gd", "momentum", "adam")
PLAY_DATA = (*CLASSIFICATION, "sine")
RECORDS = 40  # history points recorded per Train press
REDRAW_EVERY = 0.4  # seconds between live redraws while training
CHECK_POINTS = 100  # training points used by the gradient check of section 5
TEX_NAME = {
    "identity": r"\mathrm{id}",
    "step": r"\mathrm{step}",
    "sigmoid": r"\sigma",
    "tanh": r"\tanh",
    "relu": r"\mathrm{ReLU}",
    "leaky_relu": r"\mathrm{LeakyReLU}",
    "elu": r"\mathrm{ELU}",
    "gelu": r"\mathrm{GELU}",
    "gelu_tanh": r"\mathrm{GELU}_{\tanh}",
    "silu": r"\mathrm{SiLU}",
    "softplus": r"\mathrm{softplus}",
}


def act_label(key: str) -> str:
    return t(f"nn.act.{key}")


def _g(v: float, digits: int = 4) -> str:
    """A number for LaTeX: rounded, no trailing zeros, true minus sign in parentheses."""
    s = f"{round(float(v), digits):g}"
    return f"({s})" if s.startswith("-") else s


def _vec(v: np.ndarray, digits: int = 3) -> str:
    return r"\begin{pmatrix}" + " & ".join(f"{x:.{digits}f}" for x in v) + r"\end{pmatrix}"


def _mat(m: np.ndarray, digits: int = 1) -> str:
    rows = [" & ".join(f"{x:.{digits}f}" for x in r) for r in m]
    return r"\begin{bmatrix}" + r" \\ ".join(rows) + r"\end{bmatrix}"


# ── ① one neuron ─────────────────────────────────────────────────────────────────────


@st.fragment
def neuron_section() -> None:
    explain(t("nn.neuron_text"))
    st.markdown(t("nn.do_neuron"))
    left, right = st.columns([1, 1.3], gap="large")
    with left:
        a, b = st.columns(2)
        x1 = w.number("nn_x1", t("nn.input", i=1), -5.0, 5.0, 1.0, 0.1, where=a)
        x2 = w.number("nn_x2", t("nn.input", i=2), -5.0, 5.0, -0.5, 0.1, where=b)
        w1 = w.number("nn_w1", t("nn.weight", i=1), -5.0, 5.0, 0.8, 0.1, where=a)
        w2 = w.number("nn_w2", t("nn.weight", i=2), -5.0, 5.0, 1.5, 0.1, where=b)
        bias = w.number("nn_b", t("nn.bias"), -5.0, 5.0, 0.2, 0.1, where=a)
        key = w.select("nn_nact", t("nn.activation"), KEYS, "sigmoid", labels=act_label, where=b)
        act = ACTIVATIONS[key]
        nr = neuron([x1, x2], [w1, w2], bias, act)
        p1, p2 = nr.products
        f = TEX_NAME[key]
        st.latex(
            r"\begin{aligned} z &= w_1 x_1 + w_2 x_2 + b \\"
            rf" &= {_g(w1)}\cdot{_g(x1)} + {_g(w2)}\cdot{_g(x2)} + {_g(bias)} \\"
            rf" &= {_g(p1)} + {_g(p2)} + {_g(bias)} = {nr.z:.4f} \\[6pt]"
            rf" a &= {f}(z) = {f}({nr.z:.4f}) = {nr.a:.4f} \end{{aligned}}"
        )
        st.markdown(
            t(
                "nn.neuron_result",
                z=f"{nr.z:.4f}",
                a=f"{nr.a:.4f}",
                side=t("nn.side_pos" if nr.z > 0 else "nn.side_neg", z=f"{nr.z:.4f}"),
            )
        )
    with right:
        xs, values = neuron_grid([w1, w2], bias, act, -3.0, 3.0)
        plot(
            neuron_figure(
                xs,
                values,
                [w1, w2],
                bias,
                [x1, x2],
                x_title="x₁",
                y_title="x₂",
                value_name="a = f(z)",
                line_name=t("nn.neuron_line"),
                point_name=t("nn.neuron_point"),
                weight_name=t("nn.neuron_w"),
            ),
            key="nn_neuron_fig",
            alt=t("nn.neuron_alt", w1=_g(w1), w2=_g(w2), b=_g(bias), act=act_label(key)),
        )
        st.caption(t("nn.neuron_caption"))


# ── ② activation functions ───────────────────────────────────────────────────────────


@st.cache_data(max_entries=128, show_spinner=False)
def _curve(key: str, params: tuple[tuple[str, float], ...], lo: float, hi: float):
    return sample(make_activation(key, **dict(params)), lo, hi, n=601)


def _act_params(key: str, slope: float, alpha: float, beta: float) -> tuple:
    return {
        "leaky_relu": (("slope", slope),),
        "elu": (("alpha", alpha),),
        "softplus": (("beta", beta),),
    }.get(key, ())


@st.fragment
def activation_section() -> None:
    explain(t("nn.act_text"))
    st.markdown(t("nn.do_act"))
    with focus("activation"):
        chosen = list(w.control(NnSettings, "acts", t("nn.act_pick"), kind="pills"))
    c1, c2, c3, c4 = st.columns(4)
    lo, hi = w.slider("nn_xr", t("nn.act_range"), -20.0, 20.0, (-6.0, 6.0), 0.5, where=c1)
    slope = w.slider(
        "nn_slope",
        t("nn.act_slope"),
        0.0,
        0.5,
        0.01,
        0.01,
        where=c2,
        disabled="leaky_relu" not in chosen,
    )
    alpha = w.slider(
        "nn_alpha", t("nn.act_alpha"), 0.1, 3.0, 1.0, 0.1, where=c3, disabled="elu" not in chosen
    )
    beta = w.slider(
        "nn_beta",
        t("nn.act_beta"),
        0.25,
        10.0,
        1.0,
        0.25,
        where=c4,
        disabled="softplus" not in chosen,
    )
    if not chosen:
        st.info(t("nn.act_none"), icon=":material/touch_app:")
        return
    if not lo < hi:
        st.error(t("nn.err.bad_range"), icon=":material/error:")
        return
    curves = [_curve(k, _act_params(k, slope, alpha, beta), lo, hi) for k in chosen]
    names = [act_label(k) for k in chosen]
    stalled = [c.stalled for c in curves]
    left, right = st.columns(2, gap="medium")
    with left:
        st.markdown(f"**{t('nn.act_f_title')}**")
        plot(
            activation_figure(
                curves[0].x,
                [(n, c.y) for n, c in zip(names, curves, strict=True)],
                stalled,
                x_title="",
                y_title="f(x)",
                stall_name=t("nn.act_stall"),
            ),
            key="nn_act_f_fig",
            alt=t("nn.act_f_alt", names=", ".join(names), lo=lo, hi=hi),
        )
    with right:
        st.markdown(f"**{t('nn.act_df_title')}**")
        plot(
            activation_figure(
                curves[0].x,
                [(n, c.dy) for n, c in zip(names, curves, strict=True)],
                stalled,
                x_title="",
                y_title="f′(x)",
                stall_name=t("nn.act_stall"),
            ),
            key="nn_act_df_fig",
            alt=t("nn.act_df_alt", names=", ".join(names), lo=lo, hi=hi),
        )
    explain(t("nn.act_stall_text"))
    x0 = w.slider("nn_at", t("nn.act_at"), -20.0, 20.0, 1.0, 0.1)
    rows = {
        t("nn.col_act"): [],
        t("nn.col_formula"): [],
        "f(x)": [],
        "f′(x)": [],
        t("nn.col_stalled"): [],
    }
    for k in chosen:
        act = make_activation(k, **dict(_act_params(k, slope, alpha, beta)))
        fx = float(act.fn(np.array([x0]))[0])
        dfx = float(act.derivative(np.array([x0]))[0])
        rows[t("nn.col_act")].append(act_label(k))
        rows[t("nn.col_formula")].append(act.latex)
        rows["f(x)"].append(round(fx, 6))
        rows["f′(x)"].append(round(dfx, 6))
        rows[t("nn.col_stalled")].append("⚠" if abs(dfx) < 0.01 else "")
    st.dataframe(
        pa.table({k: v for k, v in rows.items() if k != t("nn.col_formula")}),
        hide_index=True,
        width="stretch",
    )
    cols = st.columns(2)
    for i, k in enumerate(chosen):
        with cols[i % len(cols)]:
            st.caption(act_label(k))
            st.latex(rows[t("nn.col_formula")][i])
    peak = float(ACTIVATIONS["sigmoid"].derivative(np.array([0.0]))[0])
    st.info(
        t("nn.act_llm", peak=f"{peak:g}", layers=10, product=f"{peak**10:.1e}"),
        icon=":material/lightbulb:",
    )


# ── ③ why the non-linearity matters ──────────────────────────────────────────────────


@st.cache_data(max_entries=32, show_spinner=False)
def _compare(dataset: str, act: str) -> dict:
    """Train the same 2-8-8-out network with ``identity`` and with ``act`` (cached)."""
    X, y = make_dataset(dataset, 200, noise=0.1, rng=np.random.default_rng(0))
    out = {"X": X, "y": y}
    for name, (m, acc) in train_linear_and_nonlinear(X, y, act).items():
        g = decision_grid(m, -BOX, BOX, RES)
        out[name] = (g.xs, g.probs, acc)
    return out


@st.fragment
def linear_section() -> None:
    explain(t("nn.lin_text"))
    st.markdown(t("nn.do_lin"))
    a, b = st.columns(2)
    k = w.slider("nn_k", t("nn.lin_k"), 2, 8, 3, 1, where=a)
    seed = w.number("nn_lseed", t("nn.seed"), 0, 9999, 0, 1, where=b)
    c = linear_collapse(int(k), 3, np.random.default_rng(int(seed)))
    k = int(k)
    names = " ".join(f"M_{i + 1}" for i in range(k)) if k <= 4 else rf"M_1 M_2 \cdots M_{{{k}}}"
    # two lines, so that the matrix fits a phone's width
    st.latex(rf"\begin{{aligned}} P &= {names} \\ &= {_mat(c.product, 3)} \end{{aligned}}")
    with st.expander(t("nn.lin_show", k=int(k))):
        cols = st.columns(4)
        for i, m in enumerate(c.matrices):
            cols[i % 4].latex(rf"M_{i + 1} = {_mat(m)}")
    st.markdown(t("nn.lin_layers"))
    lines = [rf"x &= {_vec(c.x, 1)}"]
    lines += [
        rf"x\,{' '.join(f'M_{j + 1}' for j in range(i + 1))} &= {_vec(v)}"
        for i, v in enumerate(c.steps)
    ]
    st.latex(r"\begin{aligned}" + r" \\ ".join(lines) + r"\end{aligned}")
    st.markdown(t("nn.lin_once"))
    st.latex(rf"x P = {_vec(c.in_one_go)}")
    st.success(
        t("nn.lin_same", diff=f"{c.max_abs_diff:.1e}", k=int(k)), icon=":material/check_circle:"
    )
    st.markdown(t("nn.lin_compare"))
    a, b = st.columns(2)
    data = w.control(NnSettings, "ldata", t("nn.dataset"), where=a)
    act = w.control(NnSettings, "lact", t("nn.activation"), where=b)
    res = _compare(data, act)
    with focus("xor") as box:  # the two decision regions the tour stop compares
        pass
    left, right = box.columns(2, gap="medium")
    classes = [t("nn.class", c=i) for i in range(2)]
    for col, name in ((left, "identity"), (right, act)):
        xs, probs, acc = res[name]
        title = t("nn.lin_fig_title", act=act_label(name), acc=f"{acc:.0%}")
        with col:
            st.markdown(f"**{title}**")
            plot(
                boundary_figure(
                    xs,
                    probs,
                    res["X"],
                    res["y"],
                    class_names=classes,
                    train_name=t("nn.train_pts"),
                    test_name=t("nn.test_pts"),
                    height=400,
                ),
                key=f"nn_lin_fig_{'id' if name == 'identity' else 'nl'}",
                alt=t(
                    "nn.lin_alt", act=act_label(name), acc=f"{acc:.0%}", data=t(f"nn.data.{data}")
                ),
            )
    st.caption(t("nn.lin_caption"))


# ── ④ the playground ─────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class PlayConfig:
    dataset: str
    classes: int
    noise: float
    n: int
    test: float
    layers: int
    width: int
    act: str
    loss: str
    opt: str
    lr: float
    batch: int
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


def _settings(boxes: list) -> dict[str, Any]:
    """The playground's controls except the three of :func:`_points` (the data set, the
    network and the training settings) in the boxes that :func:`playground_section` laid
    out with their headings; returns their values by :class:`PlayConfig` field."""
    data_box, net_box, train_box = boxes
    with data_box:
        dataset = w.select(
            "nn_data", t("nn.dataset"), PLAY_DATA, "circles", labels=lambda d: t(f"nn.data.{d}")
        )
        classes = w.select(
            "nn_cls", t("nn.classes"), (2, 3), 2, kind="segmented", disabled=dataset != "gaussians"
        )
    with net_box:
        layers = w.slider("nn_layers", t("nn.layers"), 1, 4, 2, 1)
        width = w.slider("nn_width", t("nn.width"), 1, 16, 6, 1)
        act = w.select("nn_act", t("nn.activation"), KEYS, "tanh", labels=act_label)
        loss = w.select(
            "nn_loss",
            t("nn.loss"),
            ("cross_entropy", "mse"),
            "cross_entropy",
            labels=lambda k: t(f"nn.loss_{k}"),
            kind="segmented",
            disabled=dataset == "sine",
        )
    with train_box:
        opt = w.select(
            "nn_opt",
            t("nn.optimizer"),
            PLAY_OPTS,
            "adam",
            labels=lambda k: t(f"nn.opt_{k}"),
        )
        lr = w.select_slider("nn_lr", t("nn.lr"), LRS, 0.03, labels=lambda v: f"{v:g}")
        batch = w.select_slider(
            "nn_batch",
            t("nn.batch"),
            BATCHES,
            0,
            labels=lambda v: t("nn.batch_all") if v == 0 else str(v),
        )
        steps = w.select_slider("nn_steps", t("nn.steps"), STEPS, 500)
        seed = w.number("nn_seed", t("nn.seed"), 0, 9999, 0, 1)
    return dict(
        dataset=dataset,
        classes=int(classes),
        layers=int(layers),
        width=int(width),
        act=act,
        loss="mse" if dataset == "sine" else loss,
        opt=opt,
        lr=float(lr),
        batch=int(batch),
        steps=int(steps),
        seed=int(seed),
    )


def _points(data_box: Any) -> dict[str, Any]:
    """Noise, number of points and held-out share (the data box's last three controls)."""
    with data_box:
        noise = w.slider("nn_noise", t("nn.noise"), 0.0, 0.5, 0.1, 0.05)
        n = w.slider("nn_n", t("nn.points"), 20, 500, 200, 10)
        test = w.slider("nn_test", t("nn.test_pct"), 0, 50, 20, 5, format="%d%%")
    return dict(noise=float(noise), n=int(n), test=int(test) / 100)


@st.cache_data(max_entries=64, show_spinner=False)
def _data(dataset: str, classes: int, noise: float, n: int, test: float, seed: int):
    X, y = make_dataset(dataset, n, noise=noise, rng=np.random.default_rng(seed), n_classes=classes)
    return split(X, y, test, np.random.default_rng(seed + 1))


def _build(cfg: PlayConfig) -> Trainer:
    X, y, Xt, yt = _data(cfg.dataset, cfg.classes, cfg.noise, cfg.n, cfg.test, cfg.seed)
    k = n_classes_of(cfg.dataset, cfg.classes)
    if cfg.regression:
        sizes, output = [1, *[cfg.width] * cfg.layers, 1], "identity"
    elif k == 2:
        sizes, output = [2, *[cfg.width] * cfg.layers, 1], "sigmoid"
    else:
        sizes, output = [2, *[cfg.width] * cfg.layers, k], "softmax"
    model = MLP(sizes, activation=cfg.act, output=output, rng=np.random.default_rng(cfg.seed))
    return new_trainer(
        model,
        X,
        y,
        Xt,
        yt,
        loss=cfg.loss,
        optimizer=cfg.opt,
        lr=cfg.lr,
        batch_size=cfg.batch or len(X),
        rng=np.random.default_rng(cfg.seed + 2),
    )


def _trainer(cfg: PlayConfig, *, reset: bool = False) -> Trainer:
    """The session's trainer for ``cfg``: rebuilt when the data or network changed, given
    a fresh optimizer (keeping the weights) when only the training settings changed."""
    ss = st.session_state
    tr = ss.get("nn_tr")
    if reset or tr is None or ss.get("nn_tr_sig") != cfg.model_sig():
        tr = _build(cfg)
        ss["nn_tr"], ss["nn_tr_sig"], ss["nn_opt_sig"] = tr, cfg.model_sig(), cfg.opt_sig()
    elif ss.get("nn_opt_sig") != cfg.opt_sig():
        tr.optimizer = make_optimizer(cfg.opt, lr=cfg.lr)
        tr.batch_size = min(cfg.batch or len(tr.X), len(tr.X))
        tr.status = "ready"  # new settings: continue from the last good state
        ss["nn_opt_sig"] = cfg.opt_sig()
    return tr


def _layer_names() -> list[str]:
    return [t("nn.layer_in"), t("nn.layer_hidden"), t("nn.layer_out")]


def _draw(tr: Trainer, cfg: PlayConfig, slots: dict, tick: int) -> None:
    """Redraw the playground's figures and numbers into their placeholders."""
    h = tr.history
    m = tr.model
    with slots["metrics"].container(horizontal=True, gap="medium"):
        # fixed-width metrics wrap two by two on a phone instead of stacking (a width
        # on the metric itself, not a container each: fewer elements to send and redraw)
        st.metric(t("nn.m_step"), f"{tr.steps:,}", width=160)
        if cfg.regression:
            st.metric(
                t("nn.m_rmse_train"),
                f"{math.sqrt(h.train_loss[-1]):.4f}",
                help=t("nn.m_mse_help", mse=f"{h.train_loss[-1]:.5f}"),
                width=160,
            )
            test = h.test_loss[-1]
            st.metric(
                t("nn.m_rmse_test"),
                "—" if math.isnan(test) else f"{math.sqrt(test):.4f}",
                width=160,
            )
            st.metric(t("nn.m_mse_train"), f"{h.train_loss[-1]:.5f}", width=160)
        else:
            st.metric(t("nn.m_loss"), f"{h.train_loss[-1]:.4f}", width=160)
            st.metric(t("nn.m_acc_train"), f"{h.train_acc[-1]:.1%}", width=160)
            st.metric(
                t("nn.m_acc_test"),
                "—" if math.isnan(h.test_acc[-1]) else f"{h.test_acc[-1]:.1%}",
                width=160,
            )
    with slots["main"]:  # one figure: straight into its placeholder
        if cfg.regression:
            xs = np.linspace(-1.1, 1.1, 221)
            fit = m.forward(xs[:, None])[:, 0]
            fig = regression_figure(
                tr.X,
                tr.y,
                tr.X_test,
                tr.y_test,
                xs,
                fit,
                np.sin(np.pi * xs),
                train_name=t("nn.train_pts"),
                test_name=t("nn.test_pts"),
                fit_name=t("nn.fit"),
                truth_name=t("nn.truth"),
            )
            alt = t("nn.fit_alt", step=tr.steps, rmse=f"{math.sqrt(h.train_loss[-1]):.3f}")
        else:
            g = decision_grid(m, -BOX, BOX, RES)
            k = g.probs.shape[-1]
            fig = boundary_figure(
                g.xs,
                g.probs,
                tr.X,
                tr.y,
                tr.X_test,
                tr.y_test,
                class_names=[t("nn.class", c=i) for i in range(k)],
                train_name=t("nn.train_pts"),
                test_name=t("nn.test_pts"),
            )
            alt = t(
                "nn.boundary_alt",
                step=tr.steps,
                acc=f"{h.train_acc[-1]:.0%}",
                data=t(f"nn.data.{cfg.dataset}"),
            )
        plot(fig, key=f"nn_play_fig_{tick}", alt=alt)
    with slots["net"]:
        plot(
            network_figure(
                m.weights,
                m.biases,
                layer_names=_layer_names(),
                weight_name=t("nn.weight_short"),
                bias_name=t("nn.bias_short"),
                height=360,
            ),
            key=f"nn_net_fig_{tick}",
            alt=t("nn.net_alt", sizes="-".join(str(s) for s in m.sizes), n=m.n_params),
        )
    with slots["curves"].container():
        left, right = st.columns(2, gap="medium")
        loss_name = "MSE" if cfg.loss == "mse" else t("nn.loss_cross_entropy")
        with left:
            st.markdown(f"**{t('nn.curve_loss', loss=loss_name)}**")
            plot(
                history_figure(
                    h.step,
                    [
                        (t("nn.train_pts"), h.train_loss, "solid"),
                        (t("nn.test_pts"), h.test_loss, "dash"),
                    ],
                    x_title=t("nn.m_step"),
                    y_title=loss_name,
                ),
                key=f"nn_loss_fig_{tick}",
                alt=t("nn.curve_loss_alt", n=len(h.step)),
            )
        with right:
            if cfg.regression:
                rm = [math.sqrt(v) if v == v else v for v in h.train_loss]
                rt = [math.sqrt(v) if v == v else v for v in h.test_loss]
                series, title, ytitle, yr = (
                    [(t("nn.train_pts"), rm, "solid"), (t("nn.test_pts"), rt, "dash")],
                    t("nn.curve_rmse"),
                    "RMSE",
                    None,
                )
            else:
                series, title, ytitle, yr = (
                    [
                        (t("nn.train_pts"), h.train_acc, "solid"),
                        (t("nn.test_pts"), h.test_acc, "dash"),
                    ],
                    t("nn.curve_acc"),
                    t("nn.acc"),
                    (0, 1.02),
                )
            st.markdown(f"**{title}**")
            plot(
                history_figure(
                    h.step,
                    series,
                    x_title=t("nn.m_step"),
                    y_title=ytitle,
                    y_range=yr,
                    legend_at="top" if cfg.regression else "bottom",
                ),
                key=f"nn_acc_fig_{tick}",
                alt=t("nn.curve_acc_alt", n=len(h.step)),
            )


def playground_section(check_box: Any) -> None:
    """The playground. Its controls, Train/Step/Reset and figures live in fragments; the
    Stop button deliberately does not: a click on a widget inside a running fragment is
    queued until the fragment finishes, while a click outside it interrupts the run.
    ``check_box`` (section 5's container) receives the gradient check of the network."""
    explain(t("nn.play_text"))
    st.markdown(t("nn.do_play"))
    # The boxes and their headings never change: laid out here, once per full run, so
    # that a move of a control resends only the controls (fewer elements per move).
    boxes = []
    for col, head in zip(st.columns(3, gap="medium"), ("data", "net", "train"), strict=True):
        box = col.container(border=True)
        box.markdown(t(f"nn.play_{head}"))
        boxes.append(box)
    # a row that wraps on a phone instead of stacking four full-width buttons
    row = st.container(horizontal=True, gap="small")
    bar = [row.container(width="content") for _ in range(4)]
    bar[3].button(t("nn.stop"), key="nn_stop", icon=":material/stop:", shortcut="P")
    _playground(boxes, bar, check_box)
    with st.expander(t("nn.play_more")):
        explain(t("nn.play_help"))


@st.fragment
def _playground(boxes: list, bar: list, check_box: Any) -> None:
    """The data set, network and training controls and Train/Step/Reset; a move or a
    click reruns them and, inside, :func:`_play` with the new settings (which reads the
    buttons' clicks from the session state)."""
    settings = _settings(boxes)
    bar[0].button(
        t("nn.train", n=settings["steps"]),
        key="nn_train",
        type="primary",
        icon=":material/play_arrow:",
        shortcut="T",
    )
    bar[1].button(t("nn.step"), key="nn_step", icon=":material/skip_next:", shortcut="S")
    bar[2].button(t("nn.reset"), key="nn_reset", icon=":material/restart_alt:", shortcut="X")
    _play(settings, boxes[0], check_box)


@st.fragment
def _play(settings: dict[str, Any], data_box: Any, check_box: Any) -> None:
    """Noise, points and held-out share, then the trainer, the training loop, the
    figures, the downloads and section 5's check. A fragment inside :func:`_playground`:
    moving one of its own controls reruns this alone, with the settings of the enclosing
    fragment's last run, which are the current ones."""
    try:
        cfg = PlayConfig(**settings, **_points(data_box))
        tr = _trainer(cfg, reset=bool(st.session_state.get("nn_reset", False)))
    except (DatasetError, MLPError, OptimizerError, ActivationError) as e:
        st.error(t("nn.err.settings", code=e.code), icon=":material/error:")
        return
    # the buttons live in the enclosing fragment: a click reruns it, and this with it
    train = bool(st.session_state.get("nn_train", False))
    step = bool(st.session_state.get("nn_step", False))
    stop = bool(st.session_state.get("nn_stop", False))
    status = st.empty()
    slots = {"metrics": st.empty()}
    main, net = st.columns([1.25, 1], gap="medium")
    slots["main"], slots["net"] = main.empty(), net.empty()
    slots["curves"] = st.empty()
    if step:
        tr.run(1)
    if train and tr.status != "diverged":
        # Metrics are recorded every `chunk` steps whatever the machine's speed; the
        # figures are redrawn at most every REDRAW_EVERY seconds. Each progress update
        # is a point where a click on Stop (outside this fragment) interrupts the run.
        chunk = max(1, cfg.steps // RECORDS)
        done, tick, last = 0, 0, time.perf_counter()
        bar_ = status.progress(0.0, text=t("nn.training", done=0, total=cfg.steps))
        while done < cfg.steps and tr.status != "diverged":
            n = min(chunk, cfg.steps - done)
            tr.run(n)
            done += n
            if tr.status == "diverged":
                break
            bar_.progress(done / cfg.steps, text=t("nn.training", done=done, total=cfg.steps))
            if time.perf_counter() - last >= REDRAW_EVERY and done < cfg.steps:
                tick += 1
                _draw(tr, cfg, slots, tick)
                last = time.perf_counter()
    if tr.status == "diverged":
        status.error(t("nn.diverged", lr=f"{cfg.lr:g}", step=tr.steps), icon=":material/warning:")
    elif stop:
        status.info(t("nn.stopped", step=tr.steps), icon=":material/pause_circle:")
    elif train:
        status.success(t("nn.trained", step=tr.steps), icon=":material/check_circle:")
    else:
        status.caption(t("nn.ready", step=tr.steps))
    _draw(tr, cfg, slots, 0)
    table, data = export(tr, cfg)
    downloads("neural-network", key="nn_dl", table=table, data=data)
    with check_box:
        _backprop_check(tr)


def export(tr: Trainer, cfg: PlayConfig) -> tuple[dict[str, list], dict[str, Any]]:
    """The playground's current numbers for the downloads, taken from the session's
    trainer (nothing is retrained): the training history as a table (one row per recorded
    step) and, as JSON, the settings, each layer's weights ``W (n_in, n_out)`` and biases
    ``b (n_out,)``, the training/test points and the same history. Copies, so that a file
    built later (on click) still shows the state of this run."""
    m = tr.model
    history = asdict(tr.history)  # step, train_loss, test_loss, train_acc, test_acc
    settings = {
        "data_set": cfg.dataset,
        "classes": n_classes_of(cfg.dataset, cfg.classes),  # 0: regression
        "noise": cfg.noise,
        "points": cfg.n,
        "test_fraction": cfg.test,
        "hidden_layers": cfg.layers,
        "width": cfg.width,
        "activation": m.activation.key,
        "output": m.output,
        "loss": tr.loss,
        "optimizer": tr.optimizer.name,
        "lr": tr.optimizer.lr,
        "batch": tr.batch_size,  # effective size (the whole set when "all")
        "steps_per_train": cfg.steps,
        "seed": cfg.seed,
    }
    data = {
        "settings": settings,
        "sizes": list(m.sizes),
        "step": tr.steps,
        "status": tr.status,
        "layers": [
            {"W": wt.copy(), "b": bs.copy()} for wt, bs in zip(m.weights, m.biases, strict=True)
        ],
        "train": {"x": tr.X, "y": tr.y},
        "test": {"x": tr.X_test, "y": tr.y_test},
        "history": history,
    }
    return history, data


# ── ⑤ backpropagation vs numerical gradients ─────────────────────────────────────────


def backprop_section() -> Any:
    """Section 5's text; returns the container the playground fills with its check."""
    explain(t("nn.bp_text"))
    st.markdown(t("nn.do_bp"))
    box = st.container()
    st.info(t("nn.bp_scale", gpt3=f"{2 * 175e9:.1e}"), icon=":material/lightbulb:")
    return box


@st.cache_data(max_entries=64, show_spinner=False)
def _gradient_check(
    sizes: tuple[int, ...],
    act: str,
    output: str,
    loss: str,
    weights: tuple[np.ndarray, ...],
    biases: tuple[np.ndarray, ...],
    X: np.ndarray,
    y: np.ndarray,
) -> GradientCheck:
    """:func:`core.mlp.gradient_check` of the network with these parameters, cached on
    their values (and the points'): an untrained network is the same for every student
    who opens the page or moves the noise back, a trained one is checked afresh."""
    m = MLP(sizes, activation=act, output=output, rng=np.random.default_rng(0))
    m.weights = [w.copy() for w in weights]
    m.biases = [b.copy() for b in biases]
    with np.errstate(all="ignore"):
        return gradient_check(m, X, y, loss=loss)


def _backprop_check(tr: Trainer) -> None:
    """Backpropagation against central differences for the playground's current network,
    on its first CHECK_POINTS training points (drawn by the playground at each of its runs,
    so it always shows the network on screen)."""
    m = tr.model
    X, y = tr.X[:CHECK_POINTS], tr.y[:CHECK_POINTS]
    chk = _gradient_check(
        m.sizes, m.activation.key, m.output, tr.loss, tuple(m.weights), tuple(m.biases), X, y
    )
    with st.container(horizontal=True, gap="medium"):
        st.metric(t("nn.bp_params"), f"{chk.n_params:,}", width=160)
        st.metric(t("nn.bp_passes_num"), f"{chk.forward_passes_numerical:,}", width=160)
        st.metric(t("nn.bp_passes_bp"), "2", help=t("nn.bp_passes_bp_help"), width=160)
        st.metric(t("nn.bp_maxdiff"), f"{chk.max_abs_diff:.1e}", width=160)
    st.markdown(
        t(
            "nn.bp_result",
            sizes="-".join(str(s) for s in m.sizes),
            step=tr.steps,
            points=len(X),
            n=chk.n_params,
            passes=chk.forward_passes_numerical,
            diff=f"{chk.max_abs_diff:.1e}",
            rel=f"{chk.max_rel_diff:.1e}",
            h=f"{chk.h:g}",
        )
    )
    names = []
    for i, (wt, bs) in enumerate(zip(m.weights, m.biases, strict=True)):
        names += [
            f"W{i + 1}[{r + 1},{c + 1}]" for r in range(wt.shape[0]) for c in range(wt.shape[1])
        ]
        names += [f"b{i + 1}[{c + 1}]" for c in range(bs.shape[0])]
    diff = np.abs(chk.backprop - chk.numerical)
    st.dataframe(
        # an Arrow table goes to the browser as is (a dict would go through pandas first)
        pa.table(
            {
                t("nn.bp_col_param"): names,
                t("nn.bp_col_bp"): chk.backprop,
                t("nn.bp_col_num"): chk.numerical,
                t("nn.bp_col_diff"): diff,
            }
        ),
        hide_index=True,
        width="stretch",
        height=300,
        column_config={
            t("nn.bp_col_bp"): st.column_config.NumberColumn(format="%.8f"),
            t("nn.bp_col_num"): st.column_config.NumberColumn(format="%.8f"),
            t("nn.bp_col_diff"): st.column_config.NumberColumn(format="%.1e"),
        },
    )
