"""One look for every figure: a colour-blind-safe palette and a plotly template.

The categorical colours are Okabe & Ito's (2008) palette, distinguishable under the
common forms of colour blindness; continuous scales are viridis (sequential) and a
blue-white-red scale (diverging, centred on zero).

Two looks: light (the default) and dark. :func:`themed` gives a figure's dark version
for an app whose browser asked for the dark theme (``ui.layout.plot`` decides).
"""

from __future__ import annotations

import base64
import threading
from typing import Any

import numpy as np
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

#: Height of plotly's toolbar row (camera, zoom, full screen; always shown). It sits in the
#: figure's top margin: with a smaller one it lay over the plot (the first token chip's
#: label, the tallest bar). :func:`figure` keeps at least this much; tests/e2e/test_shell.py
#: checks every page.
TOOLBAR_ROW = 30

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

# The dark theme: the app's dark background (.streamlit/config.toml [theme.dark]) and light
# ink. The figures' own literal colours for "ink on paper" (INK) and "the paper" ("white":
# marker outlines, hollow markers, note backgrounds) swap with it (see :func:`themed`).
DARK_PAPER = "#0E1117"
DARK_INK = "#F0F2F6"
DARK_GRID, DARK_LINE = "#2A2F38", "#59616C"
TEMPLATE_DARK = go.layout.Template(TEMPLATE)
TEMPLATE_DARK.layout.update(
    font_color=DARK_INK,
    paper_bgcolor=DARK_PAPER,
    plot_bgcolor=DARK_PAPER,
    legend_bgcolor="rgba(14,17,23,0.8)",
    xaxis=dict(gridcolor=DARK_GRID, zerolinecolor=DARK_LINE, linecolor=DARK_LINE),
    yaxis=dict(gridcolor=DARK_GRID, zerolinecolor=DARK_LINE, linecolor=DARK_LINE),
)
# animation controls (play buttons, frame slider): plotly's own light grey otherwise
TEMPLATE_DARK.layout.sliderdefaults = dict(
    bgcolor=DARK_GRID, bordercolor=DARK_LINE, activebgcolor=DARK_LINE, tickcolor=DARK_INK,
    font=dict(color=DARK_INK),
)  # fmt: skip
TEMPLATE_DARK.layout.updatemenudefaults = dict(
    bgcolor="#1A1D23", bordercolor=DARK_LINE, font=dict(color=DARK_INK)
)
for _axis in ("xaxis", "yaxis", "zaxis"):  # 3-D scenes: their own axes and background
    TEMPLATE_DARK.layout.scene[_axis].update(
        gridcolor=DARK_GRID, zerolinecolor=DARK_LINE, linecolor=DARK_LINE,
        backgroundcolor=DARK_PAPER,
    )  # fmt: skip
TEMPLATE_DARK_JSON = TEMPLATE_DARK.to_plotly_json()

#: Literal colours of the light figures and their dark counterparts.
DARK_SWAP: dict[str, str] = {
    INK: DARK_INK,
    INK.lower(): DARK_INK,
    "white": DARK_PAPER,
    "#FFFFFF": DARK_PAPER,
    "#ffffff": DARK_PAPER,
    "rgba(255,255,255,0.8)": "rgba(14,17,23,0.8)",
}


def _swap(node: Any) -> Any:
    if isinstance(node, str):
        return DARK_SWAP.get(node, node)
    if isinstance(node, dict):
        return {k: _swap(v) for k, v in node.items()}
    if isinstance(node, list | tuple):
        return [_swap(v) for v in node]
    return node  # numbers, None, NumPy arrays


def themed(spec: Any, dark: bool) -> Any:
    """A figure (or its dict) for the app's current theme: itself when light; when dark,
    a new sealed figure with the dark template and the literal ink/paper colours swapped
    (the figure is left as it is). A sealed figure computes its dark twin once."""
    if not dark:
        return spec
    if isinstance(spec, SealedFigure) and spec._plain is not None:
        if spec._dark is None:
            spec._dark = sealed(_dark_dict(spec.to_dict()))
        return spec._dark
    return sealed(_dark_dict(spec.to_dict() if hasattr(spec, "to_dict") else spec))


def _dark_dict(d: dict) -> dict:
    out = _swap({k: v for k, v in d.items() if k != "layout"})
    layout = _swap({k: v for k, v in d.get("layout", {}).items() if k != "template"})
    layout["template"] = TEMPLATE_DARK_JSON
    out["layout"] = layout
    return out


#: NumPy dtypes that plotly.js reads as typed arrays, and their short names.
TYPED_ARRAY_DTYPES = {
    "int8": "i1",
    "uint8": "u1",
    "int16": "i2",
    "uint16": "u2",
    "int32": "i4",
    "uint32": "u4",
    "float32": "f4",
    "float64": "f8",
}


def typed_array_spec(a: np.ndarray) -> Any:
    """A NumPy array as a plotly.js typed array ``{"dtype", "bdata", "shape"}``, as plotly
    encodes it: base64 of the (little-endian) C-order bytes, ``shape`` ("2, 3") only for
    more than one dimension, 64-bit integers narrowed to the smallest integer type that
    holds them. Arrays plotly.js cannot take as typed arrays (empty, bool, strings, huge
    integers, big-endian) are returned unchanged (the JSON encoder writes them as lists)."""
    if a.size == 0:
        return a
    if a.dtype.kind in "iu" and a.dtype.itemsize == 8:
        lo, hi = int(a.min()), int(a.max())
        for bits in (8, 16, 32):
            t = np.dtype(f"{'u' if a.dtype.kind == 'u' else 'i'}{bits // 8}")
            if np.iinfo(t).min <= lo and hi <= np.iinfo(t).max:
                a = a.astype(t)
                break
        else:
            return a
    short = TYPED_ARRAY_DTYPES.get(str(a.dtype))  # native byte order only ("float64", not ">f8")
    if short is None or a.dtype.byteorder == ">":
        return a
    data = np.ascontiguousarray(a)
    spec: dict[str, Any] = {"dtype": short, "bdata": base64.b64encode(data).decode("ascii")}
    if a.ndim > 1:
        spec["shape"] = ", ".join(str(n) for n in a.shape)
    return spec


_BUILD_LOCK = threading.RLock()


class SealedFigure(go.Figure):
    """A figure that is built once and then only read: do not modify it (pages may cache
    one and share it between sessions).

    ``st.plotly_chart`` asks a figure for its dict on every rerun, and plotly answers with
    a deep copy and a base64 pass over every nested list (0.3 ms for a small figure, 4-15
    ms for an animated view). A sealed figure answers with the plain dicts it was built
    from, its NumPy arrays (top-level trace keys, the only place the builders put them)
    as typed-array specs and top-level None values left out as plotly does, computed
    once: the same JSON for a fraction of the work (the tests compare the two).

    Plotly's own figure object (traces, layout, frames as validated objects) is built only
    when something other than ``to_dict`` asks for it (``fig.data``, ``fig.layout``, a
    test): even unvalidated it cost 2-4 ms a figure, a fifth of a page open's server
    time on the neural-network page, and the app itself only ever reads the dict.
    """

    _plain: tuple[list[dict], dict, list[dict]] | None = None
    _sealed: dict | None = None
    _dark: SealedFigure | None = None
    _json: str | None = None

    def __getattr__(self, name: str) -> Any:
        # Only reached when normal lookup fails: the first use of plotly's own objects.
        # A figure may be shared between sessions (a cache), so the build is done once,
        # under a lock; a thread that asks meanwhile waits for it.
        d = self.__dict__
        if "_unbuilt" not in d:
            raise AttributeError(name)
        with _BUILD_LOCK:
            if d.get("_in_build"):  # plotly's __init__ probing what it has not set yet
                raise AttributeError(name)
            unbuilt = d.get("_unbuilt")
            if unbuilt is not None:
                data, layout, frames = unbuilt
                d["_in_build"] = True
                try:
                    go.Figure.__init__(self, data=data, layout=layout, _validate=False)
                    if frames:
                        self._frame_objs = tuple(go.Frame(f, _validate=False) for f in frames)
                finally:
                    del d["_in_build"]
                del d["_unbuilt"]
        return getattr(self, name)

    def to_dict(self) -> dict:
        if self._plain is None:
            return super().to_dict()
        if self._sealed is None:
            data, layout, frames = self._plain
            traces = [
                {
                    k: typed_array_spec(v) if isinstance(v, np.ndarray) else v
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

    def plotly_json(self) -> str:
        """The figure's JSON as ``st.plotly_chart`` writes it (``plotly.io.to_json`` of
        :meth:`to_dict`), computed once: a cached figure is sent to every student who
        opens the page, and encoding the neural network's seven took 1.4 ms of each open."""
        if self._plain is None:
            return pio.to_json(self.to_dict(), validate=False)
        if self._json is None:
            self._json = pio.to_json(self.to_dict(), validate=False)
        return self._json


def _sealed_figure(data: list[dict], layout: dict, frames: list[dict], spec: dict | None):
    """A :class:`SealedFigure` of plain parts, its plotly objects not built yet."""
    fig = SealedFigure.__new__(SealedFigure)
    fig.__dict__.update(_unbuilt=(data, layout, frames), _plain=(data, layout, frames))
    if spec is not None:
        fig.__dict__["_sealed"] = spec
    return fig


def sealed(spec: dict) -> SealedFigure:
    """A figure's dict (already encoded, e.g. the presenter's enlarged copy) as a sealed
    figure: ``st.plotly_chart`` validates a plain dict by building a full plotly figure
    from it (about 4 ms for the neural network's decision map), a figure it takes as it
    is."""
    return _sealed_figure(
        spec.get("data", []), spec.get("layout", {}), spec.get("frames", []), spec
    )


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
    result is a :class:`SealedFigure`: build a new one rather than modifying it. A top
    margin under :data:`TOOLBAR_ROW` is raised to it, and ``height`` by as much.
    """
    lay = {"template": TEMPLATE_JSON, **(layout or {})}
    # a builder's own top margin is at least the toolbar's row; the figure grows by what
    # that adds, so its plot keeps the size the builder chose
    short = TOOLBAR_ROW - lay.get("margin", {}).get("t", TOOLBAR_ROW)
    if short > 0:
        lay["margin"] = {**lay["margin"], "t": TOOLBAR_ROW}
        height = None if height is None else height + short
    if height is not None:
        lay["height"] = height
    return _sealed_figure(data, lay, list(frames or []), None)
