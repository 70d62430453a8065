"""Streamlit sections of the neural-network chapter: sections 1-3 here, the playground
(section 4) in ui/network_play.py with its figures and export in ui/network_draw.py, the
gradient check (section 5) in ui/network_check.py; the constants they share are here.
Every control is declared once in ui/model/nn.py (:class:`NnSettings`) and drawn with
:func:`ui.widgets.control`, so the URL carries option keys, never translated labels.

Sections 1-3 are ``st.fragment``s: touching one of their controls reruns that section
only. The playground (section 4) runs its controls, Train/Step/Reset, training loop and
figures in two nested fragments: the outer one (:func:`_playground`) holds the data set,
network and training controls and Train/Step/Reset, the inner one (:func:`_play`) noise,
points and held-out share, the training loop and everything drawn, so that moving the
noise reruns only the inner one. Only the Stop button sits outside (a click inside a
running fragment would wait for it to finish). The inner fragment fills section 5's box with the gradient
check of the network it has just trained and ends with the playground's numbers as
CSV/JSON downloads (:func:`export`). Training state lives in ``st.session_state``
under ``nn_``-prefixed keys (``nn_tr`` the :class:`core.mlp.Trainer`, ``nn_tr_sig`` /
``nn_opt_sig`` the settings it was built with), so a Stop, a language switch or another
section's rerun keeps it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from core.activations import ACTIVATIONS, make_activation, sample
from core.datasets import make_dataset
from core.mlp import (
    decision_grid,
    linear_collapse,
    neuron,
    neuron_grid,
    train_linear_and_nonlinear,
)
from ui import widgets as w
from ui.fmt import plain, sci, signed, sup
from ui.i18n import t
from ui.layout import explain, plot
from ui.model.nn import COMPARE_STEPS, SIGMOID_DEPTH, NnSettings, act_params
from ui.tour import focus
from viz.network import (
    activation_figure,
    boundary_figure,
    neuron_figure,
)

C = NnSettings
BOX = 1.6  # the playground plane is [-BOX, BOX]²
RES = 60  # decision-boundary grid
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
        x1 = w.control(C, "x1", t("nn.input", i=1), kind="number", where=a)
        x2 = w.control(C, "x2", t("nn.input", i=2), kind="number", where=b)
        w1 = w.control(C, "w1", t("nn.weight", i=1), kind="number", where=a)
        w2 = w.control(C, "w2", t("nn.weight", i=2), kind="number", where=b)
        bias = w.control(C, "bias", t("nn.bias"), kind="number", where=a)
        key = w.control(C, "nact", t("nn.activation"), where=b)
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


def stall_list(curves: list, names: list[str], lo: float, hi: float) -> str:
    """Where each curve's slope is under 0.01, read from the same intervals as the bars
    under the figures: a run from the range's left edge reads "x ≤ a", one to its right
    edge "x ≥ b", a run of at most three grid points (a slope crossing zero) "x ≈ c"."""
    lines = [t("nn.act_stall_where", lo=signed(lo), hi=signed(hi))]
    for name, c in zip(names, curves, strict=True):
        step = float(c.x[1] - c.x[0])
        parts = []
        for a, b in c.stalled:
            if a <= c.x[0] and b >= c.x[-1]:
                parts.append(t("nn.act_stall_all"))
            elif a <= c.x[0]:
                parts.append(f"x ≤ {signed(b)}")
            elif b >= c.x[-1]:
                parts.append(f"x ≥ {signed(a)}")
            elif b - a <= 2 * step + 1e-12:
                parts.append(f"x ≈ {signed((a + b) / 2)}")
            else:
                parts.append(f"{signed(a)} ≤ x ≤ {signed(b)}")
        where = t("nn.act_stall_sep").join(parts) if parts else t("nn.act_stall_none")
        lines.append("- " + t("nn.act_stall_item", name=name, where=where))
    return "\n".join(lines)


@st.fragment
def activation_section() -> None:
    explain(t("nn.act_text"))
    st.markdown(t("nn.do_act"))
    with focus("activation"):
        chosen = list(w.control(C, "acts", t("nn.act_pick"), kind="pills"))
    c1, c2, c3, c4 = st.columns(4)
    lo, hi = w.control(C, "xr", t("nn.act_range"), where=c1)
    slope = w.control(C, "slope", t("nn.act_slope"), where=c2, disabled="leaky_relu" not in chosen)
    alpha = w.control(C, "alpha", t("nn.act_alpha"), where=c3, disabled="elu" not in chosen)
    beta = w.control(C, "beta", t("nn.act_beta"), where=c4, disabled="softplus" not in chosen)
    if not chosen:
        st.info(t("nn.act_none"), icon=":material/touch_app:")
        return
    if not lo < hi:
        st.error(t("nn.err.bad_range"), icon=":material/error:")
        return
    curves = [_curve(k, act_params(k, slope, alpha, beta), lo, hi) for k in chosen]
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
    st.markdown(stall_list(curves, names, lo, hi))
    x0 = w.control(C, "at", t("nn.act_at"))
    rows = {
        t("nn.col_act"): [],
        t("nn.col_formula"): [],
        "f(x)": [],
        "f′(x)": [],
        t("nn.col_stalled"): [],
    }
    for k in chosen:
        act = make_activation(k, **dict(act_params(k, slope, alpha, beta)))
        fx = float(act.fn(np.array([x0]))[0])
        dfx = float(act.derivative(np.array([x0]))[0])
        rows[t("nn.col_act")].append(act_label(k))
        rows[t("nn.col_formula")].append(act.latex)
        rows["f(x)"].append(f"{fx:.6f}")  # formatted here: a pandas Styler costs more
        rows["f′(x)"].append(f"{dfx:.6f}")  # server time than the rest of the section
        rows[t("nn.col_stalled")].append("⚠" if abs(dfx) < 0.01 else "")
    # a static table, not st.dataframe: a few rows need no grid (whose script, with its
    # helpers, was 200 KB of the page's first load, issue 15), and screen readers read it
    table = pd.DataFrame({k: v for k, v in rows.items() if k != t("nn.col_formula")})
    st.table(table, hide_index=True)
    cols = st.columns(2)
    for i, k in enumerate(chosen):
        with cols[i % len(cols)]:
            st.caption(act_label(k))
            st.latex(rows[t("nn.col_formula")][i])
    peak = float(ACTIVATIONS["sigmoid"].derivative(np.array([0.0]))[0])
    st.info(
        t(
            "nn.act_llm",
            peak=f"{peak:g}",
            layers=SIGMOID_DEPTH,
            power=sup(SIGMOID_DEPTH),
            product=sci(peak**SIGMOID_DEPTH, 2),
        ),
        icon=":material/lightbulb:",
    )


# ── ③ why the non-linearity matters ──────────────────────────────────────────────────


@st.cache_data(max_entries=32, show_spinner=False)
def _compare(dataset: str, act: str) -> dict:
    """Train the same network with ``identity`` and with ``act`` (cached), each for
    COMPARE_STEPS steps; ``sizes`` is its layer sizes (input, hidden..., output)."""
    X, y = make_dataset(dataset, 200, noise=0.1, rng=np.random.default_rng(0))
    out = {"X": X, "y": y}
    for name, (m, acc) in train_linear_and_nonlinear(X, y, act, steps=COMPARE_STEPS).items():
        g = decision_grid(m, -BOX, BOX, RES)
        out[name] = (g.xs, g.probs, acc)
        out["sizes"] = tuple(int(s) for s in m.sizes)
    return out


@st.fragment
def linear_section() -> None:
    explain(t("nn.lin_text"))
    st.markdown(t("nn.do_lin"))
    a, b = st.columns(2)
    k = w.control(C, "k", t("nn.lin_k"), where=a)
    seed = w.control(C, "lseed", t("nn.seed"), kind="number", where=b)
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
        t("nn.lin_same", diff=sci(c.max_abs_diff, 2), k=int(k)), icon=":material/check_circle:"
    )
    intro = st.empty()  # the sentence states the trained networks' sizes: filled below
    a, b = st.columns(2)
    data = w.control(C, "ldata", t("nn.dataset"), where=a)
    act = w.control(C, "lact", t("nn.activation"), where=b)
    res = _compare(data, act)
    sizes = res["sizes"]
    intro.markdown(
        t(
            "nn.lin_compare",
            inputs=sizes[0],
            hidden=len(sizes) - 2,
            width=sizes[1],
            steps=plain(COMPARE_STEPS),
        )
    )
    shape = "-".join(str(s) for s in sizes)
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
                    "nn.lin_alt",
                    act=act_label(name),
                    acc=f"{acc:.0%}",
                    data=t(f"nn.data.{data}"),
                    shape=shape,
                    steps=plain(COMPARE_STEPS),
                ),
            )
    st.caption(t("nn.lin_caption"))
