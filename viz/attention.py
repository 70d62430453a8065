"""Figures of the attention page: annotated matrices, a BertViz-style line view, the
heads side by side, and a 2-D projection of the token vectors before and after attention.

Token strings are untrusted. Plotly renders a small set of HTML-like tags in text
(<b>, <br>, <a href>…), so every label goes through :func:`esc` (``html.escape``) and
shows literally. Axes use integer positions with tick labels, so repeated tokens
(は … は) stay separate rows instead of being merged into one category.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from viz.theme import BLUE, DIVERGING, GREY, INK, ORANGE, VERMILLION, figure

WEIGHT_SCALE = [[0.0, "#F7FBFF"], [0.25, "#C6DBEF"], [0.6, "#4292C6"], [1.0, "#08306B"]]
MASKED_BG = "#D9DDE2"


def _figure(data: list[dict], layout: dict) -> go.Figure:
    """:func:`viz.theme.figure`: plain dicts, the template, no validation, sealed.

    Plotly's property validation (and the deep copy of the template it makes) costs
    ~25 ms per figure, more than everything else on this page; the tests validate every
    builder instead (tests/app/test_attention.py).
    """
    return figure(data, layout)


def esc(label: object) -> str:
    """Label text safe for plotly: < > & and quotes escaped (shown literally)."""
    return html.escape(str(label), quote=True)


def labels(tokens: Sequence[str], *, numbered: bool = True, width: int = 10) -> list[str]:
    """Escaped tick labels, optionally prefixed with the position, long tokens cut."""
    out = []
    for i, t in enumerate(tokens):
        s = t if len(t) <= width else t[: width - 1] + "…"
        out.append(esc(f"{i + 1} {s}" if numbered else s))
    return out


def _fmt(v: float, decimals: int) -> str:
    v = float(v)
    if v == -math.inf:
        return "−∞"
    if v == math.inf:
        return "∞"
    s = f"{v:.{decimals}f}"
    return "0" if s.lstrip("-").strip("0.") == "" else s.replace("-", "−")


def _font_size(cols: int) -> int:
    return 15 if cols <= 6 else 13 if cols <= 10 else 10


def matrix_heatmap(
    M: np.ndarray,
    row_labels: Sequence[str],
    col_labels: Sequence[str],
    *,
    title: str = "",
    kind: str = "diverging",
    decimals: int = 2,
    x_title: str = "",
    y_title: str = "",
    highlight_row: int | None = None,
    height: int | None = None,
) -> go.Figure:
    """A matrix as a heatmap with every number written in its cell.

    ``kind``: ``diverging`` (blue–white–red, centred on 0), ``weights`` (0..1, white to
    blue). -inf cells (the causal mask) are drawn grey with "−∞". Labels must already be
    escaped (see :func:`labels`).
    """
    A = np.asarray(M, dtype=np.float64)
    rows, cols = A.shape
    finite = np.where(np.isfinite(A), A, np.nan)
    text = [[_fmt(v, decimals) for v in row] for row in A]
    if kind == "weights":
        scale, zmin, zmax, zmid = WEIGHT_SCALE, 0.0, 1.0, None
    else:
        bound = float(np.nanmax(np.abs(finite))) if np.isfinite(finite).any() else 1.0
        bound = bound or 1.0
        scale, zmin, zmax, zmid = DIVERGING, -bound, bound, 0.0
    hm = dict(
        type="heatmap",
        z=finite.astype(np.float32),
        x=list(range(cols)),
        y=list(range(rows)),
        text=text,
        texttemplate="%{text}",
        textfont=dict(size=_font_size(cols)),
        colorscale=scale,
        zmin=zmin,
        zmax=zmax,
        zmid=zmid,
        xgap=1,
        ygap=1,
        showscale=False,
        hovertemplate="%{text}<extra></extra>",
        hoverongaps=False,
    )
    shapes = []
    if highlight_row is not None and 0 <= highlight_row < rows:
        shapes.append(
            dict(
                type="rect",
                x0=-0.5,
                x1=cols - 0.5,
                y0=highlight_row - 0.5,
                y1=highlight_row + 0.5,
                line=dict(color=ORANGE, width=3),
            )
        )
    top = 90 if cols > 6 else 60
    extra = 30 if title else 0
    layout = dict(
        xaxis=dict(
            tickvals=list(range(cols)),
            ticktext=list(col_labels),
            side="top",
            showgrid=False,
            title=dict(text=x_title),
            tickangle=-45 if cols > 6 else 0,
            tickfont=dict(size=13),
            fixedrange=True,
            automargin=True,
            ticks="",
        ),
        yaxis=dict(
            tickvals=list(range(rows)),
            ticktext=list(row_labels),
            autorange="reversed",
            showgrid=False,
            title=dict(text=y_title),
            fixedrange=True,
            automargin=True,
            ticks="",
        ),
        shapes=shapes,
        plot_bgcolor=MASKED_BG,
        margin=dict(l=10, r=50 if cols > 6 else 10, t=top + extra, b=10),
        height=height or (top + 40 + 34 * rows + extra),
    )
    if title:
        layout["title"] = dict(text=title, x=0, font=dict(size=16))
    return _figure([hm], layout)


def line_view(
    tokens: Sequence[str],
    weights: np.ndarray,
    query: int,
    *,
    title: str = "",
    left_title: str = "",
    right_title: str = "",
) -> go.Figure:
    """BertViz-style: the query token on the left joined to every key on the right; a
    line's width and opacity grow with its attention weight, which is written at its end."""
    W = np.asarray(weights, dtype=np.float64)
    T = len(tokens)
    query = int(np.clip(query, 0, T - 1))
    names = labels(tokens, numbered=False, width=14)
    data: list[dict] = [
        dict(
            type="scatter",
            x=[0, 1],
            y=[query, j],
            mode="lines",
            line=dict(color=BLUE, width=1 + 14 * float(W[query, j])),
            opacity=0.25 + 0.75 * float(W[query, j]),
            hoverinfo="skip",
            showlegend=False,
        )
        for j in range(T)
        if W[query, j] > 0
    ]
    data.append(
        dict(
            type="scatter",
            x=[0] * T,
            y=list(range(T)),
            mode="markers+text",
            text=names,
            textposition="middle left",
            marker=dict(size=10, color=[VERMILLION if i == query else GREY for i in range(T)]),
            textfont=dict(color=[INK if i == query else GREY for i in range(T)], size=15),
            hoverinfo="skip",
            showlegend=False,
        )
    )
    data.append(
        dict(
            type="scatter",
            x=[1] * T,
            y=list(range(T)),
            mode="markers+text",
            text=[f"{n}  {_fmt(W[query, j], 2)}" for j, n in enumerate(names)],
            textposition="middle right",
            marker=dict(size=10, color=[BLUE if W[query, j] > 0 else GREY for j in range(T)]),
            textfont=dict(size=15),
            hoverinfo="skip",
            showlegend=False,
        )
    )
    extra = 30 if title else 0
    layout = dict(
        xaxis=dict(
            range=[-1.15, 2.15],
            showgrid=False,
            zeroline=False,
            tickvals=[0, 1],
            ticktext=[left_title, right_title],
            side="top",
            fixedrange=True,
        ),
        yaxis=dict(
            range=[T - 0.5, -0.5], visible=False, showgrid=False, zeroline=False, fixedrange=True
        ),
        margin=dict(l=10, r=10, t=40 + extra, b=10),
        height=90 + 30 * T + extra,
    )
    if title:
        layout["title"] = dict(text=title, x=0, font=dict(size=16))
    return _figure(data, layout)


def heads_grid(weights: np.ndarray, tokens: Sequence[str], head_titles: Sequence[str]) -> go.Figure:
    """The attention weights of every head side by side (two per row)."""
    W = np.asarray(weights, dtype=np.float64)
    H, T, _ = W.shape
    ncols = min(H, 2)
    nrows = (H + ncols - 1) // ncols
    names = labels(tokens, width=6)
    gap_x, gap_y = 0.12, (0.12 if nrows > 1 else 0.0)
    cw = (1 - gap_x * (ncols - 1)) / ncols
    rh = (1 - gap_y * (nrows - 1)) / nrows
    data, layout, notes = [], {}, []
    ticks = dict(
        tickvals=list(range(T)),
        ticktext=names,
        showgrid=False,
        fixedrange=True,
        tickfont=dict(size=11),
        automargin=True,
        ticks="",
    )
    for h in range(H):
        r, c = divmod(h, ncols)
        n = "" if h == 0 else str(h + 1)
        x0 = round(c * (cw + gap_x), 6)
        y1 = round(1 - r * (rh + gap_y), 6)
        data.append(
            dict(
                type="heatmap",
                z=W[h].astype(np.float32),
                x=list(range(T)),
                y=list(range(T)),
                text=[[_fmt(v, 2) for v in row] for row in W[h]],
                texttemplate="%{text}" if T <= 10 else "",
                textfont=dict(size=11),
                colorscale=WEIGHT_SCALE,
                zmin=0,
                zmax=1,
                xgap=1,
                ygap=1,
                showscale=False,
                hovertemplate="%{text}<extra></extra>",
                xaxis=f"x{n}",
                yaxis=f"y{n}",
            )
        )
        layout[f"xaxis{n}"] = dict(
            ticks, domain=[x0, min(1.0, round(x0 + cw, 6))], anchor=f"y{n}", tickangle=-60
        )
        layout[f"yaxis{n}"] = dict(
            ticks, domain=[max(0.0, round(y1 - rh, 6)), y1], anchor=f"x{n}", autorange="reversed"
        )
        notes.append(
            dict(
                text=esc(head_titles[h]),
                x=x0 + cw / 2,
                y=y1,
                xref="paper",
                yref="paper",
                xanchor="center",
                yanchor="bottom",
                showarrow=False,
                font=dict(size=16),
            )
        )
    layout.update(
        annotations=notes, margin=dict(l=10, r=10, t=40, b=10), height=nrows * (140 + 26 * T)
    )
    return _figure(data, layout)


def projection_view(
    before: np.ndarray,
    after: np.ndarray,
    tokens: Sequence[str],
    reference: np.ndarray,
    reference_label: str,
    *,
    highlight: int | None = None,
    before_name: str = "",
    after_name: str = "",
    x_title: str = "",
    y_title: str = "",
) -> go.Figure:
    """Token vectors before (hollow) and after attention (filled), joined by arrows, and
    a star at the reference vector. All points are 2-D projections on the same axes."""
    B, A = np.asarray(before, dtype=np.float64), np.asarray(after, dtype=np.float64)
    T = len(tokens)
    names = labels(tokens, numbered=False, width=12)
    arrows = [
        dict(
            x=float(A[i, 0]),
            y=float(A[i, 1]),
            ax=float(B[i, 0]),
            ay=float(B[i, 1]),
            xref="x",
            yref="y",
            axref="x",
            ayref="y",
            showarrow=True,
            arrowhead=3,
            arrowsize=1.2,
            arrowwidth=3 if i == highlight else 1.2,
            arrowcolor=VERMILLION if i == highlight else GREY,
            text="",
        )
        for i in range(T)
    ]
    data = [
        dict(
            type="scatter",
            x=B[:, 0],
            y=B[:, 1],
            mode="markers",
            name=before_name,
            marker=dict(size=11, color="white", line=dict(color=BLUE, width=2)),
            hovertext=names,
            hoverinfo="text",
        ),
        dict(
            type="scatter",
            x=A[:, 0],
            y=A[:, 1],
            mode="markers+text",
            name=after_name,
            text=names,
            textposition="top center",
            marker=dict(size=11, color=[VERMILLION if i == highlight else BLUE for i in range(T)]),
            hovertext=names,
            hoverinfo="text",
        ),
        dict(
            type="scatter",
            x=[float(reference[0])],
            y=[float(reference[1])],
            mode="markers+text",
            name=esc(reference_label),
            text=[esc(reference_label)],
            textposition="bottom center",
            hoverinfo="skip",
            marker=dict(size=20, symbol="star", color=ORANGE, line=dict(color=INK, width=1)),
        ),
    ]
    layout = dict(
        annotations=arrows,
        xaxis=dict(title=dict(text=x_title, font=dict(size=13)), zeroline=False, automargin=True),
        yaxis=dict(
            title=dict(text=y_title, font=dict(size=13)),
            zeroline=False,
            scaleanchor="x",
            scaleratio=1,
            automargin=True,
        ),
        legend=dict(orientation="h", yanchor="top", y=-0.18, x=0, font=dict(size=13)),
        margin=dict(l=10, r=10, t=30, b=10),
        height=520,
    )
    return _figure(data, layout)
