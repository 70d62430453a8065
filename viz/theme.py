"""One look for every figure: a colour-blind-safe palette and a plotly template.

The categorical colours are Okabe & Ito's (2008) palette, distinguishable under the
common forms of colour blindness; continuous scales are viridis (sequential) and a
blue-white-red scale (diverging, centred on zero).
"""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

#: Okabe-Ito: blue, orange, bluish green, vermillion, reddish purple, sky blue, yellow, black.
PALETTE: tuple[str, ...] = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#F0E442",
    "#000000",
)
BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY, YELLOW, BLACK = PALETTE
GREY = "#8C96A0"
INK = "#1B1F24"
SEQUENTIAL = "Viridis"
DIVERGING = [[0.0, "#2166AC"], [0.5, "#F7F7F7"], [1.0, "#B2182B"]]

FONT = "Inter, 'Noto Sans JP', 'Noto Sans CJK JP', 'Hiragino Sans', 'Yu Gothic', sans-serif"

TEMPLATE = go.layout.Template(
    layout=go.Layout(
        font=dict(family=FONT, size=15, color=INK),
        colorway=list(PALETTE),
        paper_bgcolor="white",
        plot_bgcolor="white",
        # No plotly titles (a heading above the figure wraps better on phones); the
        # legend sits in a row above the plot, where it can wrap without overlapping.
        margin=dict(l=56, r=24, t=64, b=48),
        hoverlabel=dict(font=dict(family=FONT, size=14)),
        legend=dict(
            orientation="h",
            yanchor="bottom",
            y=1.02,
            xanchor="left",
            x=0,
            bgcolor="rgba(255,255,255,0.8)",
        ),
        xaxis=dict(gridcolor="#E5E8EC", zerolinecolor="#B8C0C8", linecolor="#B8C0C8"),
        yaxis=dict(gridcolor="#E5E8EC", zerolinecolor="#B8C0C8", linecolor="#B8C0C8"),
        colorscale=dict(sequential=SEQUENTIAL, diverging=DIVERGING),
    )
)
pio.templates["explorables"] = TEMPLATE
TEMPLATE_JSON = TEMPLATE.to_plotly_json()  # the same template as plain data


def figure(
    data: list[dict],
    layout: dict | None = None,
    *,
    frames: list[dict] | None = None,
    height: int | None = None,
) -> go.Figure:
    """A figure from plain dicts with the project template, built in one go.

    Plotly's property validation (and the deep copy of the template it makes) costs
    several ms per figure, more than the math on most pages, and every rerun pays it. It
    is skipped here; the tests validate every builder's output instead
    (``go.Figure(fig.to_dict())`` raises on any invalid property).
    """
    lay = {"template": TEMPLATE_JSON, **(layout or {})}
    if height is not None:
        lay["height"] = height
    return go.Figure(data=data, layout=lay, frames=frames, _validate=False)


def styled(fig: go.Figure, *, height: int | None = None) -> go.Figure:
    """Apply the project template (and an optional height) to ``fig``."""
    fig.update_layout(template=TEMPLATE)
    if height is not None:
        fig.update_layout(height=height)
    return fig
