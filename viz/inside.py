"""Figures of the inside chapter (plotly dicts, no streamlit): token chips, the learned
position vectors' similarity, the residual stream of one token, where it looks, the
logit lens, the loss at each position and the key/value cache.

Every label passes through :func:`viz.next_token.token_label` (HTML-escaped, spaces and
line breaks made visible): user text is drawn by plotly as text, never as markup."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from viz.next_token import token_label
from viz.theme import BLUE, DIVERGING, GREY, ORANGE, SEQUENTIAL, VERMILLION, figure

_PALETTE = ("#cfe3f7", "#f7dccf", "#d8f0d2", "#efe0f5", "#f5efc9", "#d2eeee")
_NEW = "#f2a541"  # a token made by the latest merge
_INK = "#1B1F24"  # chip text: dark on the light chip colours, in either theme


def text_width(text: str) -> float:
    """Width of ``text`` in half-width character cells (kana and kanji count two)."""
    return float(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text))


def token_chips(
    pieces: Sequence[str], new: Sequence[bool], *, row_width: float = 44.0
) -> go.Figure:
    """Tokens as coloured chips in reading order, each as wide as its text, wrapped into
    rows; chips made by the newest merge stand out (orange, bold outline)."""
    # every space made visible (a merged token may hold one in its middle: "s␣s")
    labels = [token_label(p).replace(" ", "␣") for p in pieces]
    # the chips are filled polygons, one scatter trace per colour (outlines: None between
    # chips), not one layout shape per chip: plotly lays out every shape on each redraw,
    # and 160 shapes were most of the merge slider's cost in the browser
    chips: dict[tuple[str, bool], tuple[list, list]] = {}
    xs, ys = [], []
    x = row = 0.0
    for i, lab in enumerate(labels):
        w = max(2.0, text_width(lab.replace("&amp;", "&").replace("&lt;", "<")) + 1.0)
        if x > 0 and x + w > row_width:
            x, row = 0.0, row + 1
        px, py = chips.setdefault(
            (_NEW if new[i] else _PALETTE[i % len(_PALETTE)], bool(new[i])), ([], [])
        )
        x0, x1, y0, y1 = x + 0.1, x + w - 0.1, -row - 0.42, -row + 0.42
        px += [x0, x1, x1, x0, x0, None]
        py += [y0, y0, y1, y1, y0, None]
        xs.append(x + w / 2)
        ys.append(-row)
        x += w
    rows = int(row) + 1
    data: list[dict] = [
        {
            "type": "scatter",
            "x": px,
            "y": py,
            "mode": "lines",
            "fill": "toself",
            "fillcolor": colour,
            "line": {"width": 2.5, "color": VERMILLION} if is_new else {"width": 0},
            "hoverinfo": "skip",
            "showlegend": False,
        }
        for (colour, is_new), (px, py) in chips.items()
    ]
    data.append(
        {
            "type": "scatter",
            "x": xs,
            "y": ys,
            "mode": "text",
            "text": labels,
            "textfont": {"size": 15, "color": _INK},
            "hovertext": [f"#{i + 1}: {lab}" for i, lab in enumerate(labels)],
            "hoverinfo": "text",
            "showlegend": False,
        }
    )
    layout = {
        "xaxis": {"visible": False, "range": [0, row_width], "fixedrange": True},
        "yaxis": {"visible": False, "range": [-rows + 0.5, 0.5], "fixedrange": True},
        "margin": {"l": 4, "r": 4, "t": 4, "b": 4},
    }
    return figure(data, layout, height=24 + 40 * rows)


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
            "colorscale": DIVERGING,
            "colorbar": {"title": {"text": colorbar}},
            "hovertemplate": "%{y} · %{x}: %{z:.2f}<extra></extra>",
        }
    ]
    layout = {
        "xaxis": {"title": {"text": axis}, "constrain": "domain", "automargin": True},
        "yaxis": {
            "title": {"text": axis},
            "autorange": "reversed",
            "scaleanchor": "x",
            "constrain": "domain",
            "automargin": True,
        },
        "margin": {"l": 50, "r": 10, "t": 10, "b": 50},
    }
    return figure(data, layout, height=420)


def residual_stream(rows: np.ndarray, names: Sequence[str], *, dim_axis: str) -> go.Figure:
    """One token's vectors on its way through the model, a row each (stages × dims):
    what the embeddings give and what each attention and MLP adds to the stream."""
    z = np.asarray(rows, dtype=np.float32)
    lim = float(np.max(np.abs(z), initial=1e-9))
    y = list(range(len(names)))
    data = [
        {
            "type": "heatmap",
            "z": z,
            "y": y,
            "zmin": -lim,
            "zmax": lim,
            "colorscale": DIVERGING,
            "customdata": [[n] * z.shape[1] for n in names],
            "hovertemplate": "%{customdata} · " + dim_axis + " %{x}: %{z:.3f}<extra></extra>",
            "colorbar": {"thickness": 10},
        }
    ]
    layout = {
        "yaxis": {
            "tickvals": y,
            "ticktext": list(names),
            "autorange": "reversed",
            "automargin": True,
        },
        "xaxis": {"title": {"text": dim_axis}, "showgrid": False, "automargin": True},
        "margin": {"l": 8, "r": 8, "t": 8, "b": 40},
    }
    return figure(data, layout, height=80 + 34 * len(names))


def looks_at(
    weights: np.ndarray, pieces: Sequence[str], rows: Sequence[str], *, weight_axis: str
) -> go.Figure:
    """Where one token looks: a row per (layer, head), a column per earlier token."""
    z = np.asarray(weights, dtype=np.float32)
    labels = [token_label(p) for p in pieces]
    x = list(range(len(labels)))
    y = list(range(len(rows)))
    data = [
        {
            "type": "heatmap",
            "z": z,
            "x": x,
            "y": y,
            "zmin": 0.0,
            "zmax": 1.0,
            "colorscale": SEQUENTIAL,
            "text": [[f"{v:.0%}" if v >= 0.1 else "" for v in row] for row in z],
            "texttemplate": "%{text}",
            "customdata": [[f"{r} → {lab}" for lab in labels] for r in rows],
            "hovertemplate": "%{customdata}: %{z:.1%}<extra></extra>",
            "colorbar": {"title": {"text": weight_axis}, "tickformat": ".0%", "thickness": 10},
        }
    ]
    layout = {
        "xaxis": {"tickvals": x, "ticktext": labels, "tickangle": -45, "automargin": True},
        "yaxis": {
            "tickvals": y,
            "ticktext": list(rows),
            "autorange": "reversed",
            "automargin": True,
        },
        "margin": {"l": 8, "r": 8, "t": 8, "b": 8},
    }
    return figure(data, layout, height=120 + 30 * len(rows))


def logit_lens(
    probs: np.ndarray,
    top: Sequence[Sequence[str]],
    pieces: Sequence[str],
    stages: Sequence[str],
    *,
    follow: int,
    prob_axis: str,
) -> go.Figure:
    """The logit lens on a prompt: cell (stage, position) shows the token the model would
    predict next if it stopped at that stage, coloured by its probability; the followed
    position is outlined."""
    z = np.asarray(probs, dtype=np.float32)
    labels = [token_label(p) for p in pieces]
    text = [[token_label(s) for s in row] for row in top]
    x = list(range(len(labels)))
    y = list(range(len(stages)))
    data = [
        {
            "type": "heatmap",
            "z": z,
            "x": x,
            "y": y,
            "zmin": 0.0,
            "zmax": 1.0,
            "colorscale": SEQUENTIAL,
            "text": text,
            "texttemplate": "%{text}",
            "textfont": {"size": 13},
            "hovertemplate": "%{text}: %{z:.1%}<extra></extra>",
            "colorbar": {"title": {"text": prob_axis}, "tickformat": ".0%", "thickness": 10},
        }
    ]
    layout = {
        "xaxis": {"tickvals": x, "ticktext": labels, "tickangle": -45, "automargin": True},
        "yaxis": {
            "tickvals": y,
            "ticktext": list(stages),
            "autorange": "reversed",
            "automargin": True,
        },
        "shapes": [
            {
                "type": "rect",
                "x0": follow - 0.5,
                "x1": follow + 0.5,
                "y0": -0.5,
                "y1": len(stages) - 0.5,
                "line": {"color": ORANGE, "width": 3},
            }
        ],
        "margin": {"l": 8, "r": 8, "t": 8, "b": 8},
    }
    return figure(data, layout, height=150 + 46 * len(stages))


def position_losses(
    losses: np.ndarray, pieces: Sequence[str], mean: float, *, axis: str, mean_name: str
) -> go.Figure:
    """−log p(correct next token) at each position, with their mean (the cross-entropy)."""
    v = np.asarray(losses, dtype=np.float32)
    labels = [token_label(p) for p in pieces]
    x = list(range(len(v)))
    data = [
        {
            "type": "bar",
            "x": x,
            "y": v,
            "marker": {"color": BLUE},
            "customdata": labels,
            "hovertemplate": "→ %{customdata}: %{y:.3f}<extra></extra>",
            "showlegend": False,
        },
        {
            "type": "scatter",
            "x": [-0.5, len(v) - 0.5],
            "y": [mean, mean],
            "mode": "lines",
            "line": {"color": VERMILLION, "dash": "dash", "width": 2},
            "name": mean_name,
        },
    ]
    layout = {
        "xaxis": {"tickvals": x, "ticktext": labels, "tickangle": -45, "automargin": True},
        "yaxis": {"title": {"text": axis}, "rangemode": "tozero", "automargin": True},
        "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        "margin": {"l": 8, "r": 8, "t": 30, "b": 8},
    }
    return figure(data, layout, height=340)


def work_curves(
    steps: Sequence[int],
    with_cache: Sequence[int],
    without: Sequence[int],
    *,
    names: tuple[str, str],
    x_axis: str,
    y_axis: str,
) -> go.Figure:
    """Cumulative multiply-adds to generate each token, with and without the cache."""
    data = [
        {
            "type": "scatter",
            "x": list(steps),
            "y": list(ys),
            "mode": "lines+markers",
            "name": name,
            "line": {"color": colour, "width": 3},
            "hovertemplate": "%{x}: %{y:,}<extra>" + name + "</extra>",
        }
        for ys, name, colour in ((without, names[1], GREY), (with_cache, names[0], BLUE))
    ]
    layout = {
        "xaxis": {
            "title": {"text": x_axis},
            "dtick": 1 if len(steps) <= 12 else None,
            "automargin": True,
        },
        "yaxis": {"title": {"text": y_axis}, "rangemode": "tozero", "automargin": True},
        "legend": {"x": 0.02, "y": 0.98, "xanchor": "left", "yanchor": "top"},
        "margin": {"l": 8, "r": 8, "t": 30, "b": 8},
    }
    return figure(data, layout, height=360)


def cache_table(
    keys: np.ndarray,
    pieces: Sequence[str],
    n_prefill: int,
    *,
    dim_axis: str,
    names: tuple[str, str],
) -> go.Figure:
    """The cached keys of one layer and head, a row per token so far: the prompt's rows
    (written by the prefill) above a line, then one row per decoded token."""
    z = np.asarray(keys, dtype=np.float32)
    lim = float(np.max(np.abs(z), initial=1e-9))
    labels = [token_label(p) for p in pieces]
    y = list(range(len(labels)))
    data = [
        {
            "type": "heatmap",
            "z": z,
            "y": y,
            "zmin": -lim,
            "zmax": lim,
            "colorscale": DIVERGING,
            "customdata": [[lab] * z.shape[1] for lab in labels],
            "hovertemplate": "%{customdata} · " + dim_axis + " %{x}: %{z:.3f}<extra></extra>",
            "colorbar": {"thickness": 10},
        }
    ]
    shapes, notes = [], []
    if 0 < n_prefill < len(labels):
        shapes.append(
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "y0": n_prefill - 0.5,
                "y1": n_prefill - 0.5,
                "line": {"color": ORANGE, "width": 3},
            }
        )
    for text, y0 in ((names[0], 0), (names[1], n_prefill)):
        if y0 < len(labels):
            notes.append(
                {
                    "text": text,
                    "xref": "paper",
                    "x": 1.0,
                    "xanchor": "right",
                    "y": y0 - 0.5,
                    "yanchor": "top",
                    "showarrow": False,
                    "font": {"size": 14, "color": _INK},
                    "bgcolor": "rgba(255,255,255,0.8)",
                }
            )
    layout = {
        "yaxis": {"tickvals": y, "ticktext": labels, "autorange": "reversed", "automargin": True},
        "xaxis": {"title": {"text": dim_axis}, "showgrid": False, "automargin": True},
        "shapes": shapes,
        "annotations": notes,
        "margin": {"l": 8, "r": 8, "t": 8, "b": 40},
    }
    return figure(data, layout, height=90 + 22 * len(labels))


def next_probs(
    pieces: Sequence[str], probs: Sequence[float], mark: int | None, *, axis: str
) -> go.Figure:
    """The likeliest next tokens at one position, likeliest first; ``mark`` (an index into
    ``pieces``) is the token the text really continues with, drawn in orange."""
    labels = [token_label(p) for p in pieces]
    v = np.asarray(probs, dtype=np.float32)
    y = list(range(len(labels)))
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "y": y,
            "x": v,
            "marker": {"color": [ORANGE if i == mark else BLUE for i in y]},
            "text": [f"{p:.1%}" for p in v],
            "textposition": "outside",
            "cliponaxis": False,
            "customdata": labels,
            "hovertemplate": "%{customdata}: %{x:.2%}<extra></extra>",
            "showlegend": False,
        }
    ]
    layout = {
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
            "range": [0, min(1.0, float(v.max(initial=0)) * 1.2 + 0.05)],
            "automargin": True,
        },
        "margin": {"l": 8, "r": 40, "t": 8, "b": 8},
    }
    return figure(data, layout, height=90 + 34 * len(labels))
