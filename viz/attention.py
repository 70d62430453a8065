"""Figures of the attention page: annotated matrices, a BertViz-style line view, the
heads side by side, and a 2-D projection of the token vectors before and after attention.

Token strings are untrusted. Plotly renders a small set of HTML-like tags in text
(<b>, <br>, <a href>…), so every label goes through :func:`esc` (``html.escape``) and
shows literally. Axes use integer positions with tick labels, so repeated tokens
(は … は) stay separate rows instead of being merged into one category.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from viz.theme import BLUE, DIVERGING, GREY, INK, ORANGE, VERMILLION, styled

WEIGHT_SCALE = [[0.0, "#F7FBFF"], [0.25, "#C6DBEF"], [0.6, "#4292C6"], [1.0, "#08306B"]]
MASKED_BG = "#D9DDE2"


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
    if np.isneginf(v):
        return "−∞"
    if np.isposinf(v):
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
    hm = go.Heatmap(
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
    fig = go.Figure(hm)
    fig.update_xaxes(
        tickvals=list(range(cols)),
        ticktext=list(col_labels),
        side="top",
        showgrid=False,
        title_text=x_title,
        tickangle=-45 if cols > 6 else 0,
        tickfont=dict(size=13),
        fixedrange=True,
        automargin=True,
        ticks="",
    )
    fig.update_yaxes(
        tickvals=list(range(rows)),
        ticktext=list(row_labels),
        autorange="reversed",
        showgrid=False,
        title_text=y_title,
        fixedrange=True,
        automargin=True,
        ticks="",
    )
    if highlight_row is not None and 0 <= highlight_row < rows:
        fig.add_shape(
            type="rect",
            x0=-0.5,
            x1=cols - 0.5,
            y0=highlight_row - 0.5,
            y1=highlight_row + 0.5,
            line=dict(color=ORANGE, width=3),
        )
    top = 90 if cols > 6 else 60
    fig.update_layout(
        plot_bgcolor=MASKED_BG,
        margin=dict(l=10, r=10, t=top + (30 if title else 0), b=10),
        title=dict(text=title, x=0, font=dict(size=16)) if title else None,
    )
    styled(fig, height=height or (top + 40 + 34 * rows + (30 if title else 0)))
    fig.update_layout(plot_bgcolor=MASKED_BG)
    return fig


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
    fig = go.Figure()
    for j in range(T):
        w = float(W[query, j])
        if w <= 0:
            continue
        fig.add_trace(
            go.Scatter(
                x=[0, 1],
                y=[query, j],
                mode="lines",
                line=dict(color=BLUE, width=1 + 14 * w),
                opacity=0.25 + 0.75 * w,
                hoverinfo="skip",
                showlegend=False,
            )
        )
    left_colors = [VERMILLION if i == query else GREY for i in range(T)]
    fig.add_trace(
        go.Scatter(
            x=[0] * T,
            y=list(range(T)),
            mode="markers+text",
            text=names,
            textposition="middle left",
            marker=dict(size=10, color=left_colors),
            textfont=dict(color=[INK if i == query else GREY for i in range(T)], size=15),
            hoverinfo="skip",
            showlegend=False,
        )
    )
    right_text = [f"{n}  {_fmt(W[query, j], 2)}" for j, n in enumerate(names)]
    fig.add_trace(
        go.Scatter(
            x=[1] * T,
            y=list(range(T)),
            mode="markers+text",
            text=right_text,
            textposition="middle right",
            marker=dict(size=10, color=[BLUE if W[query, j] > 0 else GREY for j in range(T)]),
            textfont=dict(size=15),
            hoverinfo="skip",
            showlegend=False,
        )
    )
    fig.update_xaxes(
        range=[-1.15, 2.15],
        visible=True,
        showgrid=False,
        zeroline=False,
        tickvals=[0, 1],
        ticktext=[left_title, right_title],
        side="top",
        fixedrange=True,
    )
    fig.update_yaxes(
        range=[T - 0.5, -0.5], visible=False, showgrid=False, zeroline=False, fixedrange=True
    )
    fig.update_layout(
        margin=dict(l=10, r=10, t=40 + (30 if title else 0), b=10),
        title=dict(text=title, x=0, font=dict(size=16)) if title else None,
    )
    return styled(fig, height=90 + 30 * T + (30 if title else 0))


def heads_grid(weights: np.ndarray, tokens: Sequence[str], head_titles: Sequence[str]) -> go.Figure:
    """The attention weights of every head side by side (two per row)."""
    W = np.asarray(weights, dtype=np.float64)
    H, T, _ = W.shape
    ncols = min(H, 2)
    nrows = (H + ncols - 1) // ncols
    fig = make_subplots(
        rows=nrows,
        cols=ncols,
        subplot_titles=[esc(s) for s in head_titles],
        horizontal_spacing=0.12,
        vertical_spacing=0.12 if nrows > 1 else 0.0,
    )
    names = labels(tokens, width=6)
    for h in range(H):
        r, c = h // ncols + 1, h % ncols + 1
        fig.add_trace(
            go.Heatmap(
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
            ),
            row=r,
            col=c,
        )
        fig.update_xaxes(
            tickvals=list(range(T)),
            ticktext=names,
            tickangle=-60,
            row=r,
            col=c,
            showgrid=False,
            fixedrange=True,
            tickfont=dict(size=11),
            automargin=True,
            ticks="",
        )
        fig.update_yaxes(
            tickvals=list(range(T)),
            ticktext=names,
            autorange="reversed",
            row=r,
            col=c,
            showgrid=False,
            fixedrange=True,
            tickfont=dict(size=11),
            automargin=True,
            ticks="",
        )
    fig.update_layout(margin=dict(l=10, r=10, t=40, b=10))
    return styled(fig, height=nrows * (140 + 26 * T))


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
    B, A = np.asarray(before), np.asarray(after)
    T = len(tokens)
    names = labels(tokens, numbered=False, width=12)
    fig = go.Figure()
    for i in range(T):
        strong = i == highlight
        fig.add_annotation(
            x=A[i, 0],
            y=A[i, 1],
            ax=B[i, 0],
            ay=B[i, 1],
            xref="x",
            yref="y",
            axref="x",
            ayref="y",
            showarrow=True,
            arrowhead=3,
            arrowsize=1.2,
            arrowwidth=3 if strong else 1.2,
            arrowcolor=VERMILLION if strong else GREY,
            text="",
        )
    fig.add_trace(
        go.Scatter(
            x=B[:, 0],
            y=B[:, 1],
            mode="markers",
            name=before_name,
            marker=dict(size=11, color="white", line=dict(color=BLUE, width=2)),
            hovertext=names,
            hoverinfo="text",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=A[:, 0],
            y=A[:, 1],
            mode="markers+text",
            name=after_name,
            text=names,
            textposition="top center",
            marker=dict(size=11, color=[VERMILLION if i == highlight else BLUE for i in range(T)]),
            hovertext=names,
            hoverinfo="text",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[reference[0]],
            y=[reference[1]],
            mode="markers+text",
            name=esc(reference_label),
            text=[esc(reference_label)],
            textposition="bottom center",
            marker=dict(size=20, symbol="star", color=ORANGE, line=dict(color=INK, width=1)),
            hoverinfo="skip",
        )
    )
    fig.update_xaxes(title_text=x_title, zeroline=False, automargin=True, title_font=dict(size=13))
    fig.update_yaxes(
        title_text=y_title,
        zeroline=False,
        scaleanchor="x",
        scaleratio=1,
        automargin=True,
        title_font=dict(size=13),
    )
    fig.update_layout(
        legend=dict(orientation="h", yanchor="top", y=-0.18, x=0, font=dict(size=13)),
        margin=dict(l=10, r=10, t=30, b=10),
    )
    return styled(fig, height=520)
