"""The eight steps of the attention page: one panel per step (title, formula, what it
does, the real matrices), the softmax row and the output row written out, and the step
navigator. :func:`steps_section` is a fragment: a step move reruns only this part and
draws only the current step's figures (or all eight when "show all" is on)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import streamlit as st

from core.embeddings import D_MODEL, DIMENSIONS
from ui import widgets as w
from ui.attention_export import csv_button
from ui.fmt import sci
from ui.i18n import t
from ui.layout import plot
from ui.model.att import N_STEPS, AttSettings, show_steps
from ui.tour import focus
from viz import attention as va

if TYPE_CHECKING:
    from ui.attention import Result


def dim_names() -> list[str]:
    return [t(f"att.dim_{d}") for d in DIMENSIONS]


def tok_labels(res: Result) -> list[str]:
    return va.labels(res.tok.tokens)


def _heat(M: np.ndarray, rows: list[str], cols: list[str], key: str, alt: str, **kw: Any) -> None:
    plot(va.matrix_heatmap(M, rows, cols, **kw), key=key, alt=alt)


def _fmt(v: float, d: int = 3) -> str:
    return "−∞" if np.isneginf(v) else f"{v:.{d}f}"


def step_panel(step: int, res: Result, head: int, query: int) -> None:
    """One numbered step: title, formula, then the explanation beside the real matrices
    (one figure: text left, figure right; steps 2 and 8 with several figures: stacked)."""
    hs = res.block.heads[head]
    T = len(res.tok.tokens)
    st.subheader(t("att.step_title", n=step, name=t(f"att.s{step}_name")))
    if step in (2, 8):
        text_box = fig_box = st.container()
    else:
        text_box, fig_box = st.columns([2, 3], gap="medium")
    text_box.latex(_FORMULAS[step](hs))
    text_box.markdown(
        t(
            f"att.s{step}_text",
            dk=hs.Q.shape[1],
            div=f"{np.sqrt(hs.Q.shape[1]):.3f}",  # the value even when switched off
            tau=f"{hs.temperature:g}",
            h=head + 1,
        )
    )
    k = f"att_fig{step}"
    alt = t("att.heat_alt", name=t(f"att.s{step}_name"), rows=T)
    if step == 5 and not hs.causal:
        text_box.info(t("att.mask_off"), icon=":material/info:")
    if step == 4 and hs.divisor == 1.0:
        text_box.info(t("att.scale_off"), icon=":material/info:")
    with fig_box:
        _figures(step, res, head, query, k, alt)


def _figures(step: int, res: Result, head: int, query: int, k: str, alt: str) -> None:
    hs = res.block.heads[head]
    toks = tok_labels(res)
    dims = [va.esc(d) for d in dim_names()]
    if step == 1:
        _heat(res.emb.X, toks, dims, k, alt)
    elif step == 2:
        cols = st.columns(3)
        for col, (name, M) in zip(cols, (("Q", hs.Q), ("K", hs.K), ("V", hs.V)), strict=True):
            with col:
                _heat(M, toks, dims, f"{k}{name}", alt, title=name)
    elif step in (3, 4, 5):
        M = {3: hs.scores, 4: hs.scaled, 5: hs.masked}[step]
        _heat(
            M,
            toks,
            toks,
            k,
            alt,
            x_title=t("att.axis_key"),
            y_title=t("att.axis_query"),
            highlight_row=query,
        )
    elif step == 6:
        _heat(
            hs.weights,
            toks,
            toks,
            k,
            alt,
            kind="weights",
            x_title=t("att.axis_key"),
            y_title=t("att.axis_query"),
            highlight_row=query,
        )
    elif step == 7:
        _heat(hs.output, toks, dims, k, alt, highlight_row=query)
    elif step == 8:
        b = res.block
        c1, c2 = st.columns(2)
        with c1:
            _heat(
                b.residual, toks, dims, f"{k}h", alt, title=t("att.residual"), highlight_row=query
            )
        with c2:
            _heat(b.output, toks, dims, f"{k}y", alt, title=t("att.block_out"), highlight_row=query)
        units = [va.esc(t("att.unit", n=i + 1)) for i in range(b.hidden.shape[1])]
        box = w.expander("att_ffn_open", t("att.ffn_details"))
        if box.open:  # drawn only while open
            with box:
                st.markdown(t("att.ffn_units"))
                _heat(b.hidden, toks, units, f"{k}f", alt)


def step_details(step: int, res: Result, head: int, query: int) -> None:
    """Below a step's figure: the softmax row or the output row written out, the CSV."""
    if step == 6:
        softmax_row(res, head, query)
    elif step == 7:
        output_row(res, head, query)
    csv_button(step, res, head)


_FORMULAS = {
    1: lambda s: (
        # "T × d" in words rather than ∈ ℝ^{T×d}: \mathbb loads KaTeX's AMS font (28 KB)
        r"X = \begin{bmatrix} x_1 \\ \vdots \\ x_T \end{bmatrix} \quad (T \times %d)" % D_MODEL
    ),
    2: lambda s: r"Q = X W_Q,\quad K = X W_K,\quad V = X W_V",
    3: lambda s: r"S = Q K^{\top},\quad S_{ij} = q_i \cdot k_j",
    4: lambda s: (
        r"S' = \frac{Q K^{\top}}{\sqrt{d_k}} = \frac{S}{%.3f}" % s.divisor
        if s.divisor != 1
        else r"S' = S \quad(\text{no scaling})"
    ),
    5: lambda s: (
        r"M_{ij} = \begin{cases} S'_{ij} & j \le i \\ -\infty & j > i \end{cases}"
        if s.causal
        else r"M = S' \quad(\text{no mask})"
    ),
    6: lambda s: (
        r"A_{ij} = \frac{e^{M_{ij}/\tau}}{\sum_{k} e^{M_{ik}/\tau}},\quad \tau = %g" % s.temperature
    ),
    7: lambda s: r"\text{out}_i = \sum_{j} A_{ij}\, v_j \qquad (\text{out} = A V)",
    8: lambda s: (
        r"h = X + \operatorname{concat}(\text{head}_1,\dots)\,W_O,\quad "
        r"y = h + \operatorname{ReLU}(h W_1 + b_1)\, W_2 + b_2"
    ),
}


def softmax_row(res: Result, head: int, i: int) -> None:
    """The softmax of row i written out: the shift m, the exponentials, their sum and
    each share, all as the core computed them (AttentionSteps.row_max / exps / exp_sums)."""
    hs = res.block.heads[head]
    row = hs.masked[i] / hs.temperature
    e, total = hs.exps[i], float(hs.exp_sums[i])
    st.markdown(t("att.softmax_row", i=i + 1, m=f"{hs.row_max[i]:.3f}", total=f"{total:.4f}"))
    st.dataframe(
        {
            t("att.col_key"): [f"{j + 1} {tok}" for j, tok in enumerate(res.tok.tokens)],
            t("att.col_score"): [_fmt(v) for v in row],
            t("att.col_exp"): [f"{v:.4f}" for v in e],
            t("att.col_share"): [f"{v:.4f}" for v in hs.weights[i]],
        },
        hide_index=True,
        width="stretch",
    )
    err = float(np.max(np.abs(hs.weights.sum(axis=1) - 1.0)))
    st.success(
        t(
            "att.rows_sum",
            err=sci(err, 2),
            share=f"{float(np.sum(hs.weights[i])):.6f}",
        ),
        icon=":material/check_circle:",
    )


def output_row(res: Result, head: int, i: int) -> None:
    """Output row i as the weighted sum of the Value rows."""
    hs = res.block.heads[head]
    names = dim_names()
    data: dict[str, list[str]] = {
        t("att.col_key"): [f"{j + 1} {tok}" for j, tok in enumerate(res.tok.tokens)]
        + [t("att.sum")],
        t("att.col_weight"): [f"{w:.3f}" for w in hs.weights[i]] + [""],
    }
    for c, name in enumerate(names):
        data[name] = [f"{hs.weights[i, j] * hs.V[j, c]:.3f}" for j in range(len(hs.V))] + [
            f"{hs.output[i, c]:.3f}"
        ]
    st.markdown(t("att.output_row", i=i + 1))
    st.dataframe(data, hide_index=True, width="stretch")


def step_navigator() -> int:
    """The step as a number with − / + beside it (↑ ↓ on the keyboard); returns the step.

    A value, not a pair of buttons: the browser counts each click into the value it
    sends, so five fast clicks are five steps even when the server merges the reruns
    they trigger (Streamlit folds repeated button presses of one pending rerun into one).
    """
    step = w.control(
        AttSettings,
        "step",
        t("att.step", n=N_STEPS),
        kind="number",
        help=t("att.step_help"),
        width=220,
    )
    return int(step)


@st.fragment
def steps_section(res: Result, head: int, query: int) -> None:
    """The steps (a fragment of its own: stepping reruns only this part). Only the
    current step's figures are drawn, unless "show all" is on."""
    top = st.container()
    show_all = w.control(AttSettings, "show_all", t("att.show_all"), help=t("att.show_all_help"))
    with top:
        if show_all:
            for s in show_steps(1, True):
                step_panel(s, res, head, query)
                step_details(s, res, head, query)
            return
        with focus("attention"):
            st.markdown(t("att.do_steps"))
            step = step_navigator()
            step_panel(step, res, head, query)
        step_details(step, res, head, query)
