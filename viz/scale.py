"""Figures of the scale chapter: where a model's parameters sit, and how sizes compare.

Arrays and already-translated labels in, ``go.Figure`` out (no streamlit, no locale).
Each figure is built from plain dicts in one go without plotly's property validation
(``viz.theme.figure``): plotly's incremental ``update_*`` calls, ``make_subplots`` and
validation cost milliseconds per rerun. The tests validate every builder's output
(tests/app/test_scale.py).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import plotly.graph_objects as go

from viz.theme import BLUE, GREEN, GREY, ORANGE, PURPLE, SKY, VERMILLION, YELLOW, figure

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


def nice_ticks(upper: float, n: int = 4) -> list[float]:
    """About ``n`` round tick values (steps of 1, 2, 2.5 or 5 × 10^k) from 0 to ``upper``."""
    raw = upper / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    return [k * step for k in range(int(upper // step) + 1)]


def _figure(data: list[dict], layout: dict, height: int) -> go.Figure:
    """A figure from plain dicts with viz.theme's template, without validation."""
    return figure(data, layout, height=height)


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
    top = 1.4 * max(max(values, default=1), 1)
    xaxis: dict = dict(title=dict(text=x_title), range=[0, top], exponentformat="SI")
    if tick_format is not None:
        ticks = nice_ticks(top)
        xaxis |= dict(tickvals=ticks, ticktext=[tick_format(v) for v in ticks])
    bar = dict(
        type="bar",
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
    layout = dict(
        showlegend=False,
        bargap=0.25,
        xaxis=xaxis,
        yaxis=dict(autorange="reversed", automargin=True, ticklabelstandoff=6),
        margin=dict(l=8, r=16, t=16, b=48),
    )
    return _figure([bar], layout, height or 60 + 34 * len(labels))


@dataclass(frozen=True)
class Item:
    """One bar of the comparison: a label, a value, its kind, the text beside it, and an
    optional upper end drawn as a range (for estimates like 10¹⁴–10¹⁵)."""

    label: str
    value: float
    kind: str
    text: str
    high: float | None = None


def _bars(items: Sequence[Item], names: Mapping[str, str], axis: str) -> list[dict]:
    """One trace per kind on axes ``x{axis}``/``y{axis}``. A range (``high``) is a floating
    bar from ``value`` to ``high``; brain quantities are hatched so they never pass for
    parameters."""
    traces = []
    for kind in dict.fromkeys(i.kind for i in items):
        sel = [i for i in items if i.kind == kind]
        color = KIND_COLORS.get(kind, GREY)
        marker: dict = dict(color=color, line=dict(color=color, width=1))
        if kind == "brain":
            marker["pattern"] = dict(
                shape="/", fillmode="overlay", fgcolor="white", size=7, solidity=0.45
            )
        trace = dict(
            type="bar",
            x=[(i.high - i.value) if i.high else i.value for i in sel],
            y=[i.label for i in sel],
            orientation="h",
            name=names.get(kind, kind),
            marker=marker,
            text=["" if i.high else i.text for i in sel],
            textposition="outside",
            cliponaxis=False,
            hovertext=[f"{i.label}: {i.text} ({names.get(kind, kind)})" for i in sel],
            hoverinfo="text",
            xaxis=f"x{axis}",
            yaxis=f"y{axis}",
        )
        if any(i.high for i in sel):
            trace["base"] = [i.value if i.high else None for i in sel]
        traces.append(trace)
    return traces


def _log_axis(items: Sequence[Item]) -> dict:
    vals = [v for i in items for v in (i.value, i.high or i.value) if v > 0]
    lo, hi = (min(vals), max(vals)) if vals else (1.0, 10.0)
    start = math.floor(math.log10(lo))
    span = math.log10(hi) - start  # decades shown; fewer ticks when many (phones)
    return dict(
        type="log",
        range=[start, math.log10(hi) + 1.6],
        dtick=4 if span > 8 else 2 if span > 4 else 1,
        tickangle=0,
        exponentformat="power",
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
    h = height or 150 + 30 * (nc + npow)
    gap = 70 / h  # room for the lower panel's title and the upper panel's tick labels
    split = npow / (nc + npow) * (1 - gap)  # the lower panel's share of the height
    y_axis = dict(autorange="reversed", automargin=True, ticklabelstandoff=6)
    title = dict(
        xref="paper",
        yref="paper",
        x=0,
        xanchor="left",
        yanchor="bottom",
        showarrow=False,
        font=dict(size=15),
    )
    annotations = [dict(title, text=count_title, y=1.0), dict(title, text=power_title, y=split)]
    for axis, items in (("", counts), ("2", power)):
        for i in items:
            if i.high:  # a range is labelled on its left, where its floating bar leaves room
                annotations.append(
                    dict(
                        x=math.log10(i.value),
                        y=i.label,
                        xref=f"x{axis}",
                        yref=f"y{axis}",
                        text=i.text,
                        showarrow=False,
                        xanchor="right",
                        xshift=-4,
                        font=dict(size=14),
                    )
                )
    layout = dict(
        barmode="overlay",
        bargap=0.22,
        showlegend=False,
        margin=dict(l=8, r=8, t=64, b=32),
        xaxis=dict(_log_axis(counts), anchor="y"),
        yaxis=dict(y_axis, domain=[split + gap, 1.0], anchor="x"),
        xaxis2=dict(_log_axis(power), anchor="y2"),
        yaxis2=dict(y_axis, domain=[0.0, split], anchor="x2"),
        annotations=annotations,
    )
    return _figure(_bars(counts, names, "") + _bars(power, names, "2"), layout, h)
