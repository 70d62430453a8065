"""Figures of the next-token chapter: arrays and translated labels in, ``go.Figure`` out.

Token texts are untrusted (user prompt, model output): :func:`token_label` makes them
visible (newline ↵, leading space ␣) and escapes ``< > &`` because plotly renders labels
as a small subset of HTML.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from viz.theme import BLUE, GREEN, GREY, INK, ORANGE, SEQUENTIAL, styled


def token_label(piece: str) -> str:
    """A visible, HTML-escaped label for one token's text."""
    text = piece.replace("\n", "↵")
    if text.startswith(" "):
        text = "␣" + text[1:]
    return html.escape(text, quote=False) or "∅"


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
    fig = go.Figure()
    for values, name, colour in ((p_model, name_model, GREY), (p_sample, name_sample, BLUE)):
        fig.add_bar(
            y=y,
            x=np.asarray(values, dtype=np.float32),
            orientation="h",
            name=name,
            marker_color=colour,
            text=[f"{v:.1%}" if v >= 0.005 else "" for v in values],
            textposition="outside",
            textfont=dict(size=12),
            constraintext="none",
            cliponaxis=False,
            customdata=labels,
            hovertemplate="%{customdata}: %{x:.2%}<extra></extra>",
        )
    top = float(max(np.max(p_model, initial=0), np.max(p_sample, initial=0)))
    fig.update_layout(
        barmode="group",
        bargap=0.22,
        bargroupgap=0.04,
        legend=dict(orientation="h", y=-0.3, yanchor="top", x=0, xanchor="left"),
        margin=dict(l=8, r=56, t=44, b=8),
    )
    fig.update_yaxes(
        tickvals=y, ticktext=labels, autorange="reversed", automargin=True, tickfont=dict(size=16)
    )
    fig.update_xaxes(
        title_text=axis,
        tickformat=".0%",
        range=[0, min(1.0, top * 1.15 + 0.02)],
        automargin=True,
    )
    return styled(fig, height=height)


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
    fig = make_subplots(
        rows=rows,
        cols=cols,
        subplot_titles=list(head_titles),
        horizontal_spacing=0.06,
        vertical_spacing=0.08 if rows > 1 else 0.1,
    )
    labels = [token_label(p) for p in pieces]
    ticks = list(range(T))
    future = np.triu(np.ones((T, T), dtype=bool), k=1)
    text = [[f"{labels[q]} → {labels[k]}" for k in range(T)] for q in range(T)]
    for h in range(H):
        z = np.where(future, np.nan, weights[h]).astype(np.float32)
        fig.add_trace(
            go.Heatmap(
                z=z,
                x=ticks,
                y=ticks,
                zmin=0,
                zmax=1,
                colorscale=SEQUENTIAL,
                showscale=(h == 0),
                customdata=text,
                colorbar=dict(
                    thickness=10,
                    len=0.9,
                    tickformat=".0%",
                    orientation="h",
                    y=-0.08 if rows > 1 else -0.25,
                    yanchor="top",
                    x=0.5,
                    xanchor="center",
                    title=dict(text=weight_axis, side="top"),
                ),
                hovertemplate="%{customdata}: %{z:.1%}<extra></extra>",
            ),
            row=h // cols + 1,
            col=h % cols + 1,
        )
    step = max(1, math.ceil(T / 16))
    shown = ticks[::step]
    fig.update_xaxes(
        tickvals=shown,
        ticktext=[labels[i] for i in shown],
        tickangle=-60,
        tickfont=dict(size=11),
        showgrid=False,
        automargin=True,
    )
    fig.update_yaxes(
        tickvals=shown,
        ticktext=[labels[i] for i in shown],
        autorange="reversed",
        tickfont=dict(size=11),
        showgrid=False,
        automargin=True,
    )
    for c in range(2, cols + 1):  # the same tokens label every row: name them once, left
        fig.update_yaxes(showticklabels=False, col=c)
    for r in range(1, rows):  # and once at the bottom
        fig.update_xaxes(showticklabels=False, row=r)
    fig.update_layout(margin=dict(l=8, r=8, t=48, b=8))
    return styled(fig, height=300 * rows + 110)


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
    fig = make_subplots(specs=[[{"secondary_y": accuracy is not None}]])
    fig.add_scatter(
        x=list(steps),
        y=np.asarray(losses, dtype=np.float32),
        mode="lines+markers",
        name=name,
        line=dict(color=BLUE, width=3),
        marker=dict(size=4),
    )
    if baseline is not None:
        fig.add_hline(
            y=baseline,
            line=dict(color=ORANGE, dash="dash", width=2),
            annotation_text=html.escape(baseline_name),
            annotation_position="bottom right",
            annotation_font_color=INK,
        )
    if accuracy is not None:
        fig.add_scatter(
            x=list(accuracy[0]),
            y=np.asarray(accuracy[1], dtype=np.float32),
            mode="lines+markers",
            name=accuracy_name,
            line=dict(color=GREEN, width=3, dash="dot"),
            marker=dict(size=5),
            secondary_y=True,
        )
        fig.update_yaxes(
            type="linear",
            range=[0, 1.05],
            tickvals=[0, 0.25, 0.5, 0.75, 1.0],
            tickformat=".0%",
            tickfont=dict(color=GREEN),
            secondary_y=True,
            showgrid=False,
        )
    fig.update_xaxes(title_text=x_axis, range=[0, total_steps] if total_steps else None)
    lo = float(np.min(losses)) if len(losses) else 0.1
    hi = float(np.max(losses)) if len(losses) else 10.0
    ticks = [v for v in (0.1, 0.2, 0.3, 0.5, 1, 2, 5, 10, 20) if lo * 0.8 <= v <= hi * 1.25]
    fig.update_yaxes(title_text=y_axis, type="log", tickvals=ticks, secondary_y=False)
    fig.update_layout(
        showlegend=accuracy is not None,
        legend=dict(orientation="h", y=-0.3, yanchor="top", x=0),
        margin=dict(l=56, r=16, t=40, b=8),
    )
    return styled(fig, height=height)


def accuracy_bars(
    groups: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    axis: str,
    height: int = 340,
) -> go.Figure:
    """Grouped bars of accuracies (0..1): one group per category, one bar per model."""
    fig = go.Figure()
    colours = (BLUE, ORANGE, GREY)
    for (name, values), colour in zip(series, colours, strict=False):
        fig.add_bar(
            x=list(groups),
            y=np.asarray(values, dtype=np.float32),
            name=name,
            marker_color=colour,
            text=[f"{v:.0%}" for v in values],
            textposition="outside",
            hovertemplate="%{x}: %{y:.1%}<extra></extra>",
        )
    fig.update_yaxes(title_text=axis, tickformat=".0%", range=[0, 1.12])
    fig.update_layout(
        barmode="group",
        legend=dict(orientation="h", y=-0.2, yanchor="top", x=0),
        margin=dict(l=56, r=16, t=44, b=8),
    )
    return styled(fig, height=height)
