"""One look for every figure: a colour-blind-safe palette and a plotly template.

The categorical colours are Okabe & Ito's (2008) palette, distinguishable under the
common forms of colour blindness; continuous scales are viridis (sequential) and a
blue-white-red scale (diverging, centred on zero).
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
from _plotly_utils.utils import to_typed_array_spec

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


class SealedFigure(go.Figure):
    """A figure that is built once and then only read: do not modify it (pages may cache
    one and share it between sessions).

    ``st.plotly_chart`` asks a figure for its dict on every rerun, and plotly answers with
    a deep copy and a base64 pass over every nested list (0.3 ms for a small figure, 4-15
    ms for an animated view). A sealed figure answers with the plain dicts it was built
    from, its NumPy arrays (top-level trace keys, the only place the builders put them)
    as typed-array specs and top-level None values left out as plotly does, computed
    once: the same JSON for a fraction of the work (the tests compare the two).
    """

    _plain: tuple[list[dict], dict, list[dict]] | None = None
    _sealed: dict | None = None

    def to_dict(self) -> dict:
        if self._plain is None:
            return super().to_dict()
        if self._sealed is None:
            data, layout, frames = self._plain
            traces = [
                {
                    k: to_typed_array_spec(v) if isinstance(v, np.ndarray) else v
                    for k, v in d.items()
                    if v is not None
                }
                for d in data
            ]
            sealed: dict = {
                "data": traces,
                "layout": {k: v for k, v in layout.items() if v is not None},
            }
            if frames:
                sealed["frames"] = frames
            self._sealed = sealed
        return self._sealed


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
    is skipped here, for the frames too (go.Figure validates frames even with
    ``_validate=False``: about 25 ms for 60 of them); the tests validate every builder's
    output instead (``go.Figure(fig.to_dict())`` raises on any invalid property). The
    result is a :class:`SealedFigure`: build a new one rather than modifying it.
    """
    lay = {"template": TEMPLATE_JSON, **(layout or {})}
    if height is not None:
        lay["height"] = height
    fig = SealedFigure(data=data, layout=lay, _validate=False)
    if frames:
        fig._frame_objs = tuple(go.Frame(f, _validate=False) for f in frames)
    fig._plain = (data, lay, list(frames or []))
    return fig
