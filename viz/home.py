"""Figures of the home chapter: the fitted line with its misses, and the loss curve."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import plotly.graph_objects as go

from viz.theme import BLUE, GREY, ORANGE, VERMILLION, figure


def fit_figure(
    x: np.ndarray,
    y: np.ndarray,
    pred: np.ndarray,
    w: float,
    b: float,
    labels: Mapping[str, str],
) -> go.Figure:
    """Pairs as dots, the line w·x + b, and a vertical segment per miss.

    ``labels``: x, y, pairs, model, miss (already translated).
    """
    lo, hi = float(min(x.min(), 0.0)), float(x.max() + 0.5)
    # One trace for all misses: segments separated by None gaps.
    mx, my = [], []
    for xi, yi, pi in zip(x.tolist(), y.tolist(), pred.tolist(), strict=True):
        mx += [xi, xi, None]
        my += [yi, pi, None]
    top = float(max(y.max(), pred.max(), 1.0))
    bottom = float(min(y.min(), pred.min(), 0.0))
    pad = 0.08 * (top - bottom)
    data = [
        {"type": "scatter", "x": mx, "y": my, "mode": "lines", "name": labels["miss"],
         "line": {"color": VERMILLION, "width": 3, "dash": "dot"}, "hoverinfo": "skip"},
        {"type": "scatter", "x": [lo, hi], "y": [w * lo + b, w * hi + b], "mode": "lines",
         "name": labels["model"], "line": {"color": BLUE, "width": 3},
         "hovertemplate": "w·x + b<extra></extra>"},
        {"type": "scatter", "x": x.tolist(), "y": y.tolist(), "mode": "markers",
         "name": labels["pairs"],
         "marker": {"color": ORANGE, "size": 13, "line": {"color": "white", "width": 1.5}},
         "hovertemplate": "x = %{x}<br>y = %{y}<extra></extra>"},
    ]  # fmt: skip
    layout = {
        "xaxis": {"title": {"text": labels["x"]}, "range": [lo - 0.2, hi], "zeroline": True},
        "yaxis": {"title": {"text": labels["y"]}, "range": [bottom - pad, top + pad],
                  "zeroline": True},
    }  # fmt: skip
    return figure(data, layout, height=420)


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
    data = [
        {"type": "scatter", "x": ws.astype(np.float32), "y": losses.astype(np.float32),
         "mode": "lines", "name": labels["curve"], "line": {"color": GREY, "width": 3},
         "hovertemplate": "w = %{x:.2f}<br>L = %{y:.3f}<extra></extra>"},
        {"type": "scatter", "x": [w_best], "y": [loss_best], "mode": "markers",
         "name": labels["best"],
         "marker": {"symbol": "star", "size": 16, "color": ORANGE,
                    "line": {"color": "white", "width": 1}},
         "hovertemplate": "w = %{x:.3f}<br>L = %{y:.4f}<extra></extra>"},
        {"type": "scatter", "x": [w], "y": [loss_w], "mode": "markers",
         "name": labels["current"],
         "marker": {"size": 15, "color": BLUE, "line": {"color": "white", "width": 2}},
         "hovertemplate": "w = %{x:.2f}<br>L = %{y:.4f}<extra></extra>"},
    ]  # fmt: skip
    layout = {
        "xaxis": {"title": {"text": labels["x"]}},
        "yaxis": {"title": {"text": labels["y"]}, "rangemode": "tozero"},
    }
    return figure(data, layout, height=420)
