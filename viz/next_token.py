"""Figures of the next-token chapter: arrays and translated labels in, ``go.Figure`` out.

Token texts are untrusted (user prompt, model output): :func:`token_label` makes them
visible (newline ↵, leading space ␣) and escapes ``< > &`` because plotly renders labels
as a small subset of HTML.

Every figure is built from plain dicts with :func:`viz.theme.figure` (no plotly
validation on each rerun; ``tests/app/test_next_token.py`` validates every builder).
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from viz.theme import BLUE, GREEN, GREY, INK, ORANGE, SEQUENTIAL, figure


def token_label(piece: str) -> str:
    """A visible, HTML-escaped label for one token's text."""
    text = piece.replace("\n", "↵")
    if text.startswith(" "):
        text = "␣" + text[1:]
    return html.escape(text, quote=False) or "∅"


def _f32(values: Sequence[float] | np.ndarray) -> np.ndarray:
    return np.asarray(values, dtype=np.float32)


def probability_bars(
    pieces: Sequence[str],
    p_model: np.ndarray,
    p_sample: np.ndarray,
    *,
    name_model: str,
    name_sample: str,
    axis: str,
    height: int = 430,
) -> go.Figure:
    """Horizontal bars, likeliest first: the model's probabilities (temperature 1) and the
    distribution the sampler actually draws from (after temperature, top-k, top-p)."""
    labels = [token_label(p) for p in pieces]
    y = list(range(len(labels)))
    data = [
        {
            "type": "bar",
            "y": y,
            "x": _f32(values),
            "orientation": "h",
            "name": name,
            "marker": {"color": colour},
            "text": [f"{v:.1%}" if v >= 0.005 else "" for v in values],
            "textposition": "outside",
            "textfont": {"size": 12},
            "constraintext": "none",
            "cliponaxis": False,
            "customdata": labels,
            "hovertemplate": "%{customdata}: %{x:.2%}<extra></extra>",
        }
        for values, name, colour in ((p_model, name_model, GREY), (p_sample, name_sample, BLUE))
    ]
    top = float(max(np.max(p_model, initial=0), np.max(p_sample, initial=0)))
    layout = {
        "barmode": "group",
        "bargap": 0.22,
        "bargroupgap": 0.04,
        "legend": {"orientation": "h", "y": -0.3, "yanchor": "top", "x": 0, "xanchor": "left"},
        "margin": {"l": 8, "r": 56, "t": 44, "b": 8},
        "yaxis": {
            "tickvals": y,
            "ticktext": labels,
            "autorange": "reversed",
            "automargin": True,
            "tickfont": {"size": 16},
        },
        "xaxis": {
            "title": {"text": axis},
            "tickformat": ".0%",
            "range": [0, min(1.0, top * 1.15 + 0.02)],
            "automargin": True,
        },
    }
    return figure(data, layout, height=height)


def _domains(n: int, spacing: float) -> list[tuple[float, float]]:
    """``n`` equal cells over [0, 1] with ``spacing`` between them (as make_subplots)."""
    size = (1.0 - spacing * (n - 1)) / n
    return [(i * (size + spacing), i * (size + spacing) + size) for i in range(n)]


def attention_maps(
    weights: np.ndarray,
    pieces: Sequence[str],
    head_titles: Sequence[str],
    *,
    weight_axis: str,
    cols: int = 2,
) -> go.Figure:
    """One heatmap per head: weights (H, T, T), row = the token that looks (query),
    column = the token looked at (key); the future (upper triangle) is blank."""
    H, T, _ = weights.shape
    rows = math.ceil(H / cols)
    xdom = _domains(cols, 0.06)
    ydom = _domains(rows, 0.08 if rows > 1 else 0.1)[::-1]  # row 1 at the top
    labels = [token_label(p) for p in pieces]
    ticks = list(range(T))
    step = max(1, math.ceil(T / 16))
    shown = ticks[::step]
    shown_text = [labels[i] for i in shown]
    future = np.triu(np.ones((T, T), dtype=bool), k=1)
    z_all = np.where(future, np.nan, weights).astype(np.float32)
    text = [[f"{labels[q]} → {labels[k]}" for k in range(T)] for q in range(T)]
    colorbar = {
        "thickness": 10,
        "len": 0.9,
        "tickformat": ".0%",
        "orientation": "h",
        "y": -0.08 if rows > 1 else -0.25,
        "yanchor": "top",
        "x": 0.5,
        "xanchor": "center",
        "title": {"text": weight_axis, "side": "top"},
    }
    data = [
        {
            "type": "heatmap",
            "z": z_all[h],
            "x": ticks,
            "y": ticks,
            "zmin": 0,
            "zmax": 1,
            "colorscale": SEQUENTIAL,
            "showscale": h == 0,
            "customdata": text,
            "colorbar": colorbar,
            "hovertemplate": "%{customdata}: %{z:.1%}<extra></extra>",
            "xaxis": f"x{h + 1 if h else ''}",
            "yaxis": f"y{h + 1 if h else ''}",
        }
        for h in range(H)
    ]
    layout: dict = {"margin": {"l": 8, "r": 8, "t": 48, "b": 8}, "annotations": []}
    for i in range(rows * cols):  # every cell of the grid gets its pair of axes
        r, c = divmod(i, cols)
        n = f"{i + 1 if i else ''}"
        layout[f"xaxis{n}"] = {
            "anchor": f"y{n}",
            "domain": list(xdom[c]),
            "tickvals": shown,
            "ticktext": shown_text,
            "tickangle": -60,
            "tickfont": {"size": 11},
            "showgrid": False,
            "automargin": True,
            # the same tokens label every row: name them once at the bottom …
            **({"showticklabels": False} if r < rows - 1 else {}),
        }
        layout[f"yaxis{n}"] = {
            "anchor": f"x{n}",
            "domain": list(ydom[r]),
            "tickvals": shown,
            "ticktext": shown_text,
            "autorange": "reversed",
            "tickfont": {"size": 11},
            "showgrid": False,
            "automargin": True,
            **({"showticklabels": False} if c > 0 else {}),  # … and once at the left
        }
    for h, title in enumerate(list(head_titles)[: rows * cols]):
        r, c = divmod(h, cols)
        layout["annotations"].append(
            {
                "text": title,
                "font": {"size": 16},
                "showarrow": False,
                "x": sum(xdom[c]) / 2,
                "xanchor": "center",
                "xref": "paper",
                "y": ydom[r][1],
                "yanchor": "bottom",
                "yref": "paper",
            }
        )
    return figure(data, layout, height=300 * rows + 110)


def loss_curve(
    steps: Sequence[float],
    losses: Sequence[float],
    *,
    name: str,
    x_axis: str,
    y_axis: str,
    baseline: float | None = None,
    baseline_name: str = "",
    total_steps: int | None = None,
    accuracy: tuple[Sequence[float], Sequence[float]] | None = None,
    accuracy_name: str = "",
    height: int = 320,
) -> go.Figure:
    """Training loss against steps (log scale), with an optional horizontal reference line
    and an optional accuracy curve (0..1) on a second axis at the right."""
    data: list[dict] = [
        {
            "type": "scatter",
            "x": list(steps),
            "y": _f32(losses),
            "mode": "lines+markers",
            "name": name,
            "line": {"color": BLUE, "width": 3},
            "marker": {"size": 4},
        }
    ]
    lo = float(np.min(losses)) if len(losses) else 0.1
    hi = float(np.max(losses)) if len(losses) else 10.0
    ticks = [v for v in (0.1, 0.2, 0.3, 0.5, 1, 2, 5, 10, 20) if lo * 0.8 <= v <= hi * 1.25]
    xaxis: dict = {
        "anchor": "y",
        "domain": [0.0, 0.94 if accuracy is not None else 1.0],
        "title": {"text": x_axis},
    }
    if total_steps:
        xaxis["range"] = [0, total_steps]
    layout: dict = {
        "xaxis": xaxis,
        "yaxis": {
            "anchor": "x",
            "domain": [0.0, 1.0],
            "title": {"text": y_axis},
            "type": "log",
            "tickvals": ticks,
        },
        "showlegend": accuracy is not None,
        "legend": {"orientation": "h", "y": -0.3, "yanchor": "top", "x": 0},
        "margin": {"l": 56, "r": 16, "t": 40, "b": 8},
    }
    if baseline is not None and baseline > 0:  # a log axis has no place for 0
        layout["shapes"] = [
            {
                "type": "line",
                "xref": "x domain",
                "x0": 0,
                "x1": 1,
                "yref": "y",
                "y0": baseline,
                "y1": baseline,
                "line": {"color": ORANGE, "dash": "dash", "width": 2},
            }
        ]
        layout["annotations"] = [
            {
                "text": html.escape(baseline_name),
                "font": {"color": INK},
                "showarrow": False,
                "xref": "x domain",
                "x": 1,
                "xanchor": "right",
                "yref": "y",
                # on a log axis an annotation's y is log10 of the value (a shape's is the
                # value itself): with y = 0.75 the label sat at 10^0.75 ≈ 5.6, far above
                # its line
                "y": math.log10(baseline),
                "yanchor": "top",
            }
        ]
    if accuracy is not None:
        data.append(
            {
                "type": "scatter",
                "x": list(accuracy[0]),
                "y": _f32(accuracy[1]),
                "mode": "lines+markers",
                "name": accuracy_name,
                "line": {"color": GREEN, "width": 3, "dash": "dot"},
                "marker": {"size": 5},
                "xaxis": "x",
                "yaxis": "y2",
            }
        )
        layout["yaxis2"] = {
            "anchor": "x",
            "overlaying": "y",
            "side": "right",
            "type": "linear",
            "range": [0, 1.05],
            "tickvals": [0, 0.25, 0.5, 0.75, 1.0],
            "tickformat": ".0%",
            "tickfont": {"color": GREEN},
            "showgrid": False,
        }
    return figure(data, layout, height=height)


def accuracy_bars(
    groups: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    axis: str,
    height: int = 340,
) -> go.Figure:
    """Grouped bars of accuracies (0..1): one group per category, one bar per model."""
    colours = (BLUE, ORANGE, GREY)
    data = [
        {
            "type": "bar",
            "x": list(groups),
            "y": _f32(values),
            "name": name,
            "marker": {"color": colour},
            "text": [f"{v:.0%}" for v in values],
            "textposition": "outside",
            "hovertemplate": "%{x}: %{y:.1%}<extra></extra>",
        }
        for (name, values), colour in zip(series, colours, strict=False)
    ]
    layout = {
        "yaxis": {
            "title": {"text": axis},
            "tickformat": ".0%",
            "range": [0, 1.12],
            "automargin": True,
        },
        "xaxis": {"automargin": True},
        "barmode": "group",
        "legend": {"orientation": "h", "y": -0.2, "yanchor": "top", "x": 0},
        "margin": {"l": 56, "r": 16, "t": 44, "b": 8},
    }
    return figure(data, layout, height=height)


def target_losses(
    inputs: Sequence[str],
    targets: Sequence[str],
    p_target: np.ndarray,
    losses: np.ndarray,
    *,
    mean: float,
    mean_name: str,
    loss_axis: str,
    height: int = 360,
) -> go.Figure:
    """One bar per position: the loss −log p(correct next token), labelled with the token
    read and (under it) the answer; hover shows p. A dashed line, named on the line,
    marks the mean (the cross-entropy)."""
    x = list(range(len(losses)))
    ticks = [
        f"{token_label(a)}<br>→ {token_label(b)}" for a, b in zip(inputs, targets, strict=True)
    ]
    data = [
        {
            "type": "bar",
            "x": x,
            "y": _f32(losses),
            "marker": {"color": ORANGE},
            "customdata": _f32(p_target),
            "text": [f"{v:.2f}" for v in losses],
            "textposition": "outside",
            "textfont": {"size": 12},
            "cliponaxis": False,
            "hovertemplate": "p = %{customdata:.3f}<br>−log p = %{y:.3f}<extra></extra>",
            "showlegend": False,
        },
        {
            "type": "scatter",
            "x": [-0.5, len(losses) - 0.5],
            "y": [mean, mean],
            "mode": "lines",
            "line": {"color": INK, "dash": "dash", "width": 2},
            "hoverinfo": "skip",
            "showlegend": False,
        },
    ]
    top = float(np.max(losses, initial=0.0))
    layout = {
        # the mean is named on its line (a legend would sit under the modebar on a phone)
        "annotations": [
            {
                "x": -0.5,
                "xanchor": "left",
                "y": mean,
                "yanchor": "bottom",
                "text": mean_name,
                "showarrow": False,
                "font": {"size": 13, "color": INK},
                "bgcolor": "rgba(255,255,255,0.85)",
            }
        ],
        "margin": {"l": 8, "r": 8, "t": 40, "b": 8},
        "xaxis": {"tickvals": x, "ticktext": ticks, "automargin": True, "tickfont": {"size": 13}},
        "yaxis": {"title": {"text": loss_axis}, "range": [0, top * 1.2 + 0.1], "automargin": True},
    }
    return figure(data, layout, height=height)
