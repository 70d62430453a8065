"""Figures of the home chapter: the fitted line with its misses, and the loss curve."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import plotly.graph_objects as go

from viz.theme import BLUE, GREY, ORANGE, VERMILLION, styled


def fit_figure(
    x: np.ndarray, y: np.ndarray, pred: np.ndarray, w: float, b: float, labels: Mapping[str, str]
) -> go.Figure:
    """Pairs as dots, the line w·x + b, and a vertical segment per miss.

    ``labels``: x, y, pairs, model, miss (already translated).
    """
    lo, hi = float(min(x.min(), 0.0)), float(x.max() + 0.5)
    xs = np.array([lo, hi])
    # One trace for all misses: segments separated by None gaps.
    mx = np.column_stack([x, x, np.full_like(x, np.nan)]).ravel()
    my = np.column_stack([y, pred, np.full_like(x, np.nan)]).ravel()
    fig = go.Figure(
        [
            go.Scatter(
                x=mx,
                y=my,
                mode="lines",
                name=labels["miss"],
                line=dict(color=VERMILLION, width=3, dash="dot"),
                hoverinfo="skip",
            ),
            go.Scatter(
                x=xs,
                y=w * xs + b,
                mode="lines",
                name=labels["model"],
                line=dict(color=BLUE, width=3),
                hovertemplate="w·x + b<extra></extra>",
            ),
            go.Scatter(
                x=x,
                y=y,
                mode="markers",
                name=labels["pairs"],
                marker=dict(color=ORANGE, size=13, line=dict(color="white", width=1.5)),
                hovertemplate="x = %{x}<br>y = %{y}<extra></extra>",
            ),
        ]
    )
    top = float(max(y.max(), pred.max(), 1.0))
    bottom = float(min(y.min(), pred.min(), 0.0))
    pad = 0.08 * (top - bottom)
    fig.update_layout(
        xaxis=dict(title=labels["x"], range=[lo - 0.2, hi], zeroline=True),
        yaxis=dict(title=labels["y"], range=[bottom - pad, top + pad], zeroline=True),
    )
    return styled(fig, height=420)


def loss_curve_figure(
    ws: np.ndarray,
    losses: np.ndarray,
    w: float,
    loss_w: float,
    w_best: float,
    loss_best: float,
    labels: Mapping[str, str],
) -> go.Figure:
    """L(w) as a curve, the current w and the minimum marked.

    ``labels``: x, y, curve, current, best (already translated).
    """
    fig = go.Figure(
        [
            go.Scatter(
                x=ws,
                y=losses,
                mode="lines",
                name=labels["curve"],
                line=dict(color=GREY, width=3),
                hovertemplate="w = %{x:.2f}<br>L = %{y:.3f}<extra></extra>",
            ),
            go.Scatter(
                x=[w_best],
                y=[loss_best],
                mode="markers",
                name=labels["best"],
                marker=dict(
                    symbol="star", size=16, color=ORANGE, line=dict(color="white", width=1)
                ),
                hovertemplate="w = %{x:.3f}<br>L = %{y:.4f}<extra></extra>",
            ),
            go.Scatter(
                x=[w],
                y=[loss_w],
                mode="markers",
                name=labels["current"],
                marker=dict(size=15, color=BLUE, line=dict(color="white", width=2)),
                hovertemplate="w = %{x:.2f}<br>L = %{y:.4f}<extra></extra>",
            ),
        ]
    )
    fig.update_layout(
        xaxis=dict(title=labels["x"]),
        yaxis=dict(title=labels["y"], rangemode="tozero"),
    )
    return styled(fig, height=420)
