"""Section 5 of the neural-network chapter: backpropagation checked against numerical
gradients on the playground's current network."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from core.mlp import (
    MLP,
    GradientCheck,
    Trainer,
    gradient_check,
)
from ui import widgets as w
from ui.fmt import power_of_ten, sci
from ui.i18n import t
from ui.layout import explain
from ui.network import (
    CHECK_POINTS,
)

# ── ⑤ backpropagation vs numerical gradients ─────────────────────────────────────────


def backprop_section() -> Any:
    """Section 5's text; returns the container the playground fills with its check."""
    explain(t("nn.bp_text"))
    st.markdown(t("nn.do_bp"))
    box = st.container()
    st.info(t("nn.bp_scale", gpt3=sci(2 * 175e9, 2)), icon=":material/lightbulb:")
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
    # each as wide as its label or value: at a fixed width the presenter view cut the value
    # "2.3 × 10⁻¹¹" and laid the help icon over the last character of its label
    with st.container(horizontal=True, gap="medium"):
        st.metric(t("nn.bp_params"), f"{chk.n_params:,}", width="content")
        st.metric(t("nn.bp_passes_num"), f"{chk.forward_passes_numerical:,}", width="content")
        st.metric(t("nn.bp_passes_bp"), "2", help=t("nn.bp_passes_bp_help"), width="content")
        st.metric(t("nn.bp_maxdiff"), sci(chk.max_abs_diff, 2), width="content")
    st.markdown(
        t(
            "nn.bp_result",
            sizes="-".join(str(s) for s in m.sizes),
            step=tr.steps,
            points=len(X),
            n=chk.n_params,
            passes=chk.forward_passes_numerical,
            diff=sci(chk.max_abs_diff, 2),
            rel=sci(chk.max_rel_diff, 2),
            h=power_of_ten(chk.h),
        )
    )
    # the per-parameter table is the section's longest element (67 rows by default):
    # drawn only while its opener is open, so a move of the noise does not redraw it
    box = w.expander("nn_bp_table_open", t("nn.bp_table_open", n=f"{chk.n_params:,}"))
    if not box.open:
        return
    names = []
    for i, (wt, bs) in enumerate(zip(m.weights, m.biases, strict=True)):
        names += [
            f"W{i + 1}[{r + 1},{c + 1}]" for r in range(wt.shape[0]) for c in range(wt.shape[1])
        ]
        names += [f"b{i + 1}[{c + 1}]" for c in range(bs.shape[0])]
    diff = np.abs(chk.backprop - chk.numerical)
    # a static table in a scrolling box, not st.dataframe (its grid script and helpers
    # were 200 KB of the page's first load, issue 15); the numbers are formatted here
    # (a pandas Styler took longer than the check itself)
    table = pd.DataFrame(
        {
            t("nn.bp_col_param"): names,
            t("nn.bp_col_bp"): [f"{v:.8f}" for v in chk.backprop],
            t("nn.bp_col_num"): [f"{v:.8f}" for v in chk.numerical],
            t("nn.bp_col_diff"): [f"{v:.1e}" for v in diff],
        }
    )
    box.table(table, hide_index=True, height=300)
