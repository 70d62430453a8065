"""Figures of the scale chapter: where a model's parameters sit, and how sizes compare.

Arrays and already-translated labels in, ``go.Figure`` out (no streamlit, no locale).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from viz.theme import BLUE, GREEN, GREY, ORANGE, PURPLE, SKY, VERMILLION, YELLOW, styled

#: Colour of each group of parts in the breakdown.
GROUP_COLORS: Mapping[str, str] = {
    "embedding": SKY,
    "attention": ORANGE,
    "mlp": BLUE,
    "norm": GREY,
    "head": GREEN,
}

#: Colour of each kind of bar in the comparison.
KIND_COLORS: Mapping[str, str] = {
    "model": BLUE,
    "current": ORANGE,
    "tiny": GREEN,
    "brain": PURPLE,
    "machine": VERMILLION,
    "reference": YELLOW,
}


def breakdown_figure(
    labels: Sequence[str],
    values: Sequence[int],
    groups: Sequence[str],
    texts: Sequence[str],
    hovers: Sequence[str],
    *,
    x_title: str,
    tick_format: Callable[[float], str] | None = None,
    height: int | None = None,
) -> go.Figure:
    """Horizontal bars, one per part of the model, top to bottom in the given order.

    ``texts`` are drawn beside the bars (e.g. "45.6 %"), ``hovers`` on hover;
    ``tick_format`` writes the axis numbers (e.g. "2,000万" in Japanese).
    """
    n = len(labels)
    fig = go.Figure(
        go.Bar(
            x=list(values),
            y=list(labels),
            orientation="h",
            marker=dict(color=[GROUP_COLORS.get(g, GREY) for g in groups]),
            text=list(texts),
            textposition="auto",
            insidetextanchor="end",
            cliponaxis=False,
            hovertext=list(hovers),
            hoverinfo="text",
        )
    )
    top = max(values) if len(values) else 1
    if tick_format is not None:
        ticks = nice_ticks(1.4 * max(top, 1))
        fig.update_xaxes(tickvals=ticks, ticktext=[tick_format(v) for v in ticks])
    fig.update_layout(
        showlegend=False,
        bargap=0.25,
        xaxis=dict(
            title=x_title,
            range=[0, 1.4 * max(top, 1)],
            rangemode="tozero",
            exponentformat="SI",
            showexponent="all",
        ),
        yaxis=dict(autorange="reversed", automargin=True, ticklabelstandoff=6),
        margin=dict(l=8, r=16, t=16, b=48),
    )
    return styled(fig, height=height or 60 + 34 * n)


def nice_ticks(upper: float, n: int = 4) -> list[float]:
    """About ``n`` round tick values (steps of 1, 2, 2.5 or 5 × 10^k) from 0 to ``upper``."""
    raw = upper / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    return [k * step for k in range(int(upper // step) + 1)]


@dataclass(frozen=True)
class Item:
    """One bar of the comparison: a label, a value, its kind, the text beside it, and an
    optional upper end drawn as a range (for estimates like 10¹⁴–10¹⁵)."""

    label: str
    value: float
    kind: str
    text: str
    high: float | None = None


def _bars(items: Sequence[Item], names: Mapping[str, str], fig: go.Figure, row: int) -> None:
    """One trace per kind. A range (``high``) is drawn as a floating bar from ``value`` to
    ``high``; brain quantities are hatched so they never pass for parameters."""
    for kind in dict.fromkeys(i.kind for i in items):
        sel = [i for i in items if i.kind == kind]
        hatched = kind == "brain"
        color = KIND_COLORS.get(kind, GREY)
        fig.add_trace(
            go.Bar(
                x=[(i.high - i.value) if i.high else i.value for i in sel],
                base=[i.value if i.high else None for i in sel]
                if any(i.high for i in sel)
                else None,
                y=[i.label for i in sel],
                orientation="h",
                name=names.get(kind, kind),
                showlegend=False,
                marker=dict(
                    color=color,
                    line=dict(color=color, width=1),
                    pattern=dict(
                        shape="/", fillmode="overlay", fgcolor="white", size=7, solidity=0.45
                    )
                    if hatched
                    else None,
                ),
                text=["" if i.high else i.text for i in sel],
                textposition="outside",
                cliponaxis=False,
                hovertext=[f"{i.label}: {i.text} ({names.get(kind, kind)})" for i in sel],
                hoverinfo="text",
            ),
            row=row,
            col=1,
        )


def comparison_figure(
    counts: Sequence[Item],
    power: Sequence[Item],
    *,
    names: Mapping[str, str],
    count_title: str,
    power_title: str,
    height: int | None = None,
) -> go.Figure:
    """Two log-scale panels: "how many" (parameters beside neurons and synapses) and
    "power while working" (the brain's watts beside chips and a training cluster).
    ``names`` describes each kind in the hover text."""
    nc, npow = max(len(counts), 1), max(len(power), 1)
    fig = make_subplots(
        rows=2,
        cols=1,
        row_heights=[nc, npow],
        vertical_spacing=0.12,
        subplot_titles=(count_title, power_title),
    )
    _bars(counts, names, fig, 1)
    _bars(power, names, fig, 2)
    for row, items in ((1, counts), (2, power)):
        vals = [v for i in items for v in (i.value, i.high or i.value) if v > 0]
        lo, hi = (min(vals), max(vals)) if vals else (1.0, 10.0)
        start = math.floor(math.log10(lo))
        fig.update_xaxes(
            type="log",
            row=row,
            col=1,
            range=[start, math.log10(hi) + 1.6],
            dtick=2 if math.log10(hi) - start > 4 else 1,
            tickangle=0,
            exponentformat="power",
        )
        fig.update_yaxes(autorange="reversed", automargin=True, ticklabelstandoff=6, row=row, col=1)
    fig.update_annotations(font=dict(size=15), xanchor="left", x=0)
    # a range is labelled on its left, where its floating bar leaves room
    for row, items in ((1, counts), (2, power)):
        for i in items:
            if i.high:
                fig.add_annotation(
                    x=math.log10(i.value),
                    y=i.label,
                    text=i.text,
                    showarrow=False,
                    xanchor="right",
                    xshift=-4,
                    font=dict(size=14),
                    row=row,
                    col=1,
                )
    fig.update_layout(
        barmode="overlay", bargap=0.22, showlegend=False, margin=dict(l=8, r=8, t=64, b=32)
    )
    return styled(fig, height=height or 150 + 30 * (nc + npow))
