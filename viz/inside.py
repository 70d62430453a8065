"""Figures of the inside chapter: token chips and position similarity (plotly, no streamlit)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from viz.theme import figure

_PALETTE = ("#cfe3f7", "#f7dccf", "#d8f0d2", "#efe0f5", "#f5efc9", "#d2eeee")
_NEW = "#f2a541"  # a token made by the latest merge


def token_chips(
    pieces: Sequence[str], new: Sequence[bool], *, per_row: int = 12, height: int | None = None
) -> go.Figure:
    """Tokens as coloured chips in reading order; chips made by the newest merge stand out.

    Text is drawn by plotly (never as HTML), so user text is safe."""
    n = len(pieces)
    rows = max(1, -(-n // per_row))
    xs = [i % per_row for i in range(n)]
    ys = [-(i // per_row) for i in range(n)]
    colours = [_NEW if new[i] else _PALETTE[i % len(_PALETTE)] for i in range(n)]
    labels = [p.replace(" ", "␣").replace("\n", "↵") or "∅" for p in pieces]
    data = [
        {
            "type": "scatter",
            "x": xs,
            "y": ys,
            "mode": "markers+text",
            "marker": {"symbol": "square", "size": 34, "color": colours},
            "text": labels,
            "textfont": {"size": 13, "color": "#222"},
            "hovertext": [f"#{i}: {lab}" for i, lab in enumerate(labels)],
            "hoverinfo": "text",
            "showlegend": False,
        }
    ]
    layout = {
        "xaxis": {"visible": False, "range": [-0.6, per_row - 0.4], "fixedrange": True},
        "yaxis": {"visible": False, "range": [-rows + 0.4, 0.6], "fixedrange": True},
        "margin": {"l": 4, "r": 4, "t": 4, "b": 4},
    }
    return figure(data, layout, height=height or 40 + 44 * rows)


def cosine_matrix(vectors: np.ndarray) -> np.ndarray:
    """Cosine similarity of each row with each other row: (T, C) -> (T, T)."""
    v = np.asarray(vectors, dtype=np.float64)
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    unit = v / np.where(norms == 0, 1.0, norms)
    return unit @ unit.T


def position_similarity(sim: np.ndarray, *, axis: str, colorbar: str) -> go.Figure:
    """Heat map of the cosine similarity between learned position vectors."""
    t = sim.shape[0]
    data = [
        {
            "type": "heatmap",
            "z": np.asarray(sim, dtype=np.float32),
            "x": list(range(t)),
            "y": list(range(t)),
            "zmin": -1.0,
            "zmax": 1.0,
            "colorscale": "RdBu",
            "reversescale": True,
            "colorbar": {"title": {"text": colorbar}},
            "hovertemplate": "%{y} · %{x}: %{z:.2f}<extra></extra>",
        }
    ]
    layout = {
        "xaxis": {"title": {"text": axis}},
        "yaxis": {"title": {"text": axis}, "autorange": "reversed", "scaleanchor": "x"},
        "margin": {"l": 50, "r": 10, "t": 10, "b": 50},
    }
    return figure(data, layout, height=420)
