"""Figures of the gradient-descent page: arrays in, ``go.Figure`` out.

Every view takes the same list of :class:`PathView` (one per optimizer) and the index of
the step to highlight, and carries plotly animation frames for a subsample of steps so
that its Play button and step slider run in the browser without a server rerun. Frames
only update the small marker traces; the surface and contour are sent once.
All text (axis titles, legend names, button labels) is passed in already translated.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import plotly.colors as pcolors
import plotly.graph_objects as go

from viz.theme import GREY, INK, PALETTE, SEQUENTIAL, VERMILLION, figure

#: At most this many animation frames per figure (keeps the payload small).
MAX_FRAMES = 60


@dataclass(frozen=True)
class PathView:
    """One optimizer's walk, ready to draw."""

    name: str  # legend label
    color: str
    points: np.ndarray  # (n+1, 2)
    losses: np.ndarray  # (n+1,)
    learning_rates: np.ndarray  # (n,)
    gradients: np.ndarray  # (n, 2)
    dash: str = "solid"


@dataclass(frozen=True)
class Labels:
    """Translated words the figures need."""

    x: str = "x"
    y: str = "y"
    loss: str = "loss"
    loss_axis: str = "loss L"
    step: str = "step"
    lr: str = "learning rate"
    start: str = "start"
    minimum: str = "minimum"
    downhill: str = "downhill (−∇L)"
    play: str = "▶ Play"
    pause: str = "❚❚ Pause"
    frame: str = "step "


def drawn(n: int, full: int = 200, extra: int = 200) -> np.ndarray:
    """Indices of the points drawn for a path of n+1 points: every one of the first
    ``full`` steps (where zig-zags happen), then at most ``extra`` evenly spread ones."""
    if n + 1 <= full + extra:
        return np.arange(n + 1)
    tail = np.round(np.linspace(full, n, extra)).astype(int)
    return np.unique(np.concatenate([np.arange(full), tail]))


def _f32(a: np.ndarray) -> np.ndarray:
    return np.asarray(a, dtype=np.float32)


def _frames(steps: np.ndarray, moving, idx: list[int]) -> list[dict]:
    """Plain-dict frames (skips plotly's slow per-object validation). A frame carries only
    coordinates: the markers' style stays that of the initial traces."""
    keep = ("type", "x", "y", "z", "text")
    return [
        {
            "name": str(int(s)),
            "data": [{k: _short(d[k]) for k in keep if k in d} for d in moving(int(s))],
            "traces": idx,
        }
        for s in steps
    ]


def _short(v):
    """Frame coordinates with 6 significant digits (plenty for a marker, half the bytes)."""
    if isinstance(v, list):
        return [float(f"{x:.6g}") if isinstance(x, float) else x for x in v]
    return v


def _figure(
    data: list[dict], layout: dict, *, height: int, frames: list[dict] | None = None
) -> go.Figure:
    """:func:`viz.theme.figure` (plain dicts, no validation, frames included, sealed)."""
    return figure(data, layout, height=height, frames=frames)


def color(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def frame_steps(n: int, max_frames: int = MAX_FRAMES) -> np.ndarray:
    """Steps shown by the animation: 0 … n, at most ``max_frames`` of them, evenly spread."""
    if n <= 0:
        return np.array([0])
    k = min(n + 1, max_frames)
    return np.unique(np.round(np.linspace(0, n, k)).astype(int))


def display_z(z: np.ndarray) -> tuple[np.ndarray, bool, float]:
    """Heights to draw: L itself, or log₁₀(1 + L − L_min) when the range is very wide.

    Returns (values with non-finite cells as NaN, used_log, L_min). The log view keeps
    the order of heights (the same valleys) and makes wide ranges like Rosenbrock's
    readable.
    """
    z = np.where(np.isfinite(z), z, np.nan)
    if not np.isfinite(z).any():
        return z, False, 0.0
    lo = float(np.nanmin(z))
    med = float(np.nanmedian(z)) - lo
    hi = float(np.nanpercentile(z, 99)) - lo
    use_log = hi > 8 * max(med, 1e-12) or hi > 1e4
    if use_log:
        return np.log10(1.0 + (z - lo)), True, lo
    return z, False, lo


def transform(values: np.ndarray, used_log: bool, lo: float) -> np.ndarray:
    v = np.asarray(values, dtype=np.float64)
    if not used_log:
        return v
    with np.errstate(all="ignore"):
        return np.log10(1.0 + np.maximum(v - lo, 0.0))


def _animation(
    steps: np.ndarray, active: int, labels: Labels, *, redraw: bool, slider: bool = True
) -> dict:
    """Layout of the Play/Pause buttons and (``slider``) the step slider below the plot
    that play the figure's frames client-side. Buttons and slider sit on two rows so that
    they fit on a phone.

    The 2-D views leave the slider out: plotly lays out a text label per step on every
    redraw (about 80 ms a figure in the browser for 60 steps), and the page's own step
    slider above the views does the same job; the map shows the step as text instead."""
    anim = {
        "mode": "immediate",
        "transition": {"duration": 0},
        "frame": {"duration": 0, "redraw": redraw},
    }
    play = {
        "frame": {"duration": 80, "redraw": redraw},
        "transition": {"duration": 0},
        "fromcurrent": True,
        "mode": "immediate",
    }
    menus = dict(
        updatemenus=[
            {
                "type": "buttons",
                "direction": "left",
                "showactive": False,
                "x": 0.0,
                "y": 0.0,
                "xanchor": "left",
                "yanchor": "top",
                "pad": {"t": _BUTTONS_PAD},
                "font": {"size": 13},
                "bgcolor": "white",
                "bordercolor": GREY,
                "buttons": [
                    {"label": labels.play, "method": "animate", "args": [None, play]},
                    {
                        "label": labels.pause,
                        "method": "animate",
                        "args": [
                            [None],
                            {"mode": "immediate", "frame": {"duration": 0, "redraw": False}},
                        ],
                    },
                ],
            }
        ],
    )
    if not slider:
        return menus
    return dict(
        **menus,
        sliders=[
            {
                "active": active,
                "x": 0.0,
                "len": 1.0,
                "y": 0.0,
                "yanchor": "top",
                "pad": {"t": 98, "l": 0, "r": 0},
                "currentvalue": {
                    "prefix": labels.frame,
                    "font": {"size": 12},
                    "xanchor": "right",
                    "offset": 6,
                },
                "font": {"size": 10},
                "tickcolor": GREY,
                "minorticklen": 0,
                "steps": [
                    {"label": str(int(s)), "method": "animate", "args": [[str(int(s))], anim]}
                    for s in steps
                ],
            }
        ],
    )


def _top(legend_items: int) -> int:
    """Top margin: the toolbar row, then the legend (about two entries per row)."""
    return 52 + 24 * max(1, -(-legend_items // 2))


def _at(path: PathView, step: int) -> int:
    return int(min(step, len(path.points) - 1))


def _active(steps: np.ndarray, step: int) -> int:
    return int(np.argmin(np.abs(steps - step)))


def _arrow(path: PathView, step: int, span: float) -> tuple[list[float], list[float]]:
    """A fixed-length arrow from the point at ``step`` along −∇L (empty at the end)."""
    i = _at(path, step)
    if i >= len(path.gradients):
        return [], []
    g = path.gradients[i]
    norm = float(np.hypot(*g))
    if not np.isfinite(norm) or norm == 0:
        return [], []
    px, py = path.points[i]
    d = -g / norm * 0.14 * span
    return [float(px), float(px + d[0])], [float(py), float(py + d[1])]


def _markers2d(paths: Sequence[PathView], step: int, values=None, size: int = 13) -> dict:
    """All current points in ONE trace (one colour per optimizer) so a frame stays tiny."""
    xs, ys = [], []
    for p in paths:
        i = _at(p, step)
        if values is None:
            xs.append(float(p.points[i, 0]))
            ys.append(float(p.points[i, 1]))
        else:
            xs.append(i)
            v = float(values(p)[i])
            ys.append(v if np.isfinite(v) else None)
    return {
        "type": "scatter",
        "x": xs,
        "y": ys,
        "mode": "markers",
        "marker": {
            "size": size,
            "color": [p.color for p in paths],
            "line": {"width": 2, "color": "white"},
        },
    }


#: Play/Pause sit this far (px) under a 2-D view's plot area (room for the tick labels
#: and the axis title); without the step slider, the 2-D views' bottom margin only holds them.
_BUTTONS_PAD = 64
_BOTTOM_2D = 112

#: Filled bands of the map (as plotly's ``ncontours`` was) and the raster's upsampling.
BANDS = 24
UPSAMPLE = 4


def _upsample(z: np.ndarray, f: int) -> np.ndarray:
    """Bilinear upsampling of a grid by ``f`` along both axes (corners kept)."""
    out = z
    for axis in (0, 1):
        n = out.shape[axis]
        pos = np.linspace(0.0, n - 1.0, (n - 1) * f + 1)
        i0 = np.clip(np.floor(pos).astype(int), 0, n - 2)
        w = pos - i0
        a, b = np.take(out, i0, axis=axis), np.take(out, i0 + 1, axis=axis)
        shape = (-1, 1) if axis == 0 else (1, -1)
        out = a * (1 - w.reshape(shape)) + b * w.reshape(shape)
    return out


def landscape_rgba(zd: np.ndarray, colorscale: str = SEQUENTIAL) -> np.ndarray:
    """The map's landscape as an RGBA raster (row 0 = the grid's last y, as an image is
    read top down): BANDS filled bands of equal height between the lowest and highest
    finite value, coloured from ``colorscale``, thin light lines where the band changes,
    transparent where the loss is not finite."""
    finite = np.isfinite(zd)
    if not finite.any():
        return np.zeros((*zd.shape, 4), dtype=np.uint8)
    lo, hi = float(np.nanmin(zd)), float(np.nanmax(zd))
    fine = _upsample(np.where(finite, zd, hi), UPSAMPLE)
    ok = _upsample(finite.astype(float), UPSAMPLE) > 0.5
    band = np.clip(((fine - lo) / max(hi - lo, 1e-300) * BANDS).astype(int), 0, BANDS - 1)
    mids = [(k + 0.5) / BANDS for k in range(BANDS)]
    palette = np.array(
        [
            pcolors.unlabel_rgb(col)
            for col in pcolors.sample_colorscale(colorscale, mids, colortype="rgb")
        ],
        dtype=np.float64,
    )
    rgb = palette[band]
    edge = np.zeros(band.shape, dtype=bool)
    edge[:, 1:] |= band[:, 1:] != band[:, :-1]
    edge[1:, :] |= band[1:, :] != band[:-1, :]
    rgb[edge] = rgb[edge] * 0.65 + 255 * 0.35  # the contour lines: white at 35 %
    alpha = np.where(ok, 255, 0)[..., None]
    return np.concatenate([rgb, alpha], axis=-1).round().astype(np.uint8)[::-1]


def png_data_uri(rgba: np.ndarray) -> str:
    """An RGBA array as a PNG ``data:`` URI (Pillow, which Streamlit itself requires)."""
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(rgba, mode="RGBA").save(buf, format="PNG", optimize=False)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def contour_figure(
    x: np.ndarray,
    y: np.ndarray,
    z: np.ndarray,
    paths: Sequence[PathView],
    step: int,
    labels: Labels,
    *,
    minima: Sequence[tuple[float, float]] = (),
    colorbar: str = "",
    height: int = 540,
    landscape: str | None = None,
) -> go.Figure:
    """Top view: the landscape's filled bands, every path, the current points and the
    downhill arrow.

    The landscape is a layout image, not a contour trace: Play animates the moving
    traces without redrawing the figure (``redraw: false``), and plotly drops contour and
    heat-map layers from such frames while a full redraw per frame leaves the map blank
    for a painted frame each time (a visible flicker). Trace 0 is an invisible marker
    pair that carries the colour bar (the same scale, lowest to highest height).
    ``landscape``: the raster's ``data:`` URI when the caller has it cached."""
    zd = display_z(z)[0]
    span = float(max(x[-1] - x[0], y[-1] - y[0]))
    finite = zd[np.isfinite(zd)]
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    x0, x1, y0, y1 = float(x[0]), float(x[-1]), float(y[0]), float(y[-1])
    data: list[dict] = [
        {
            "type": "scatter",
            "x": [x0, x0],
            "y": [y0, y0],
            "mode": "markers",
            "hoverinfo": "skip",
            "showlegend": False,
            "marker": {
                "color": [lo, hi],
                "colorscale": SEQUENTIAL,
                "cmin": lo,
                "cmax": hi,
                "opacity": 0,
                "showscale": True,
                "colorbar": {
                    "title": {"text": colorbar, "side": "right"},
                    "thickness": 12,
                    "len": 0.9,
                },
            },
        }
    ]
    landscape = {
        "name": "landscape",
        "source": landscape or png_data_uri(landscape_rgba(zd)),
        "xref": "x",
        "yref": "y",
        "x": x0,
        "y": y1,
        "sizex": x1 - x0,
        "sizey": y1 - y0,
        "sizing": "stretch",
        "xanchor": "left",
        "yanchor": "top",
        "layer": "below",
    }
    if minima:
        m = np.asarray(minima, dtype=np.float64)
        data.append(
            {
                "type": "scatter",
                "x": m[:, 0],
                "y": m[:, 1],
                "mode": "markers",
                "name": labels.minimum,
                "showlegend": False,
                "marker": {
                    "symbol": "x-thin",
                    "size": 12,
                    "line": {"width": 2.5, "color": "white"},
                },
                "hovertemplate": "(%{x:.4g}, %{y:.4g})<extra></extra>",
            }
        )
    for p in paths:
        k = drawn(len(p.points) - 1)
        data.append(
            {
                "type": "scatter",
                "x": _f32(p.points[k, 0]),
                "y": _f32(p.points[k, 1]),
                "mode": "lines",
                "name": p.name,
                "legendgroup": p.name,
                "showlegend": len(paths) <= 2,  # a race's legend is on the progress view
                "line": {"color": p.color, "width": 2.5, "dash": p.dash},
                "customdata": k.astype(np.int32),
                "hovertemplate": labels.step + " %{customdata}: (%{x:.4g}, %{y:.4g})"
                "<extra>" + p.name + "</extra>",
            }
        )
    data.append(
        {
            "type": "scatter",
            "x": [float(p.points[0, 0]) for p in paths],
            "y": [float(p.points[0, 1]) for p in paths],
            "mode": "markers",
            "name": labels.start,
            "showlegend": False,
            "hoverinfo": "skip",
            "marker": {
                "size": 9,
                "color": "white",
                "line": {"width": 2, "color": [p.color for p in paths]},
            },
        }
    )

    def moving(s: int) -> list[dict]:
        ax, ay = _arrow(paths[0], s, span) if paths else ([], [])
        arrow = {
            "type": "scatter",
            "x": ax,
            "y": ay,
            "mode": "lines+markers",
            "line": {"color": VERMILLION, "width": 3},
            "marker": {
                "symbol": "arrow",
                "angleref": "previous",
                "size": [0, 15],
                "color": VERMILLION,
            },
        }
        shown = max((_at(p, s) for p in paths), default=s)
        label = {"type": "scatter", "x": [0.015], "y": [0.985], "text": [f"{labels.frame}{shown}"]}
        return [_markers2d(paths, s), arrow, label]

    top = _top(len(paths) + 1 if len(paths) <= 2 else 1)
    # the step label sits in the plot's top-left corner, on an invisible overlay axis
    # pair spanning the plot (0-1 both ways), so its place does not depend on the data
    # (plotly hides a trace's points outside its axes' range, so it cannot sit below)
    first = len(data)
    now = moving(step)
    now[0].update(showlegend=False, hoverinfo="skip")
    now[1].update(name=labels.downhill, hoverinfo="skip", showlegend=bool(paths))
    now[2].update(mode="text", textposition="bottom right", xaxis="x3", yaxis="y3",
                  showlegend=False, hoverinfo="skip",
                  textfont={"size": 15, "color": "white", "shadow": "auto"})  # fmt: skip
    data += now
    steps = frame_steps(max((len(p.points) - 1 for p in paths), default=0))
    layout = dict(
        xaxis={
            "title": {"text": labels.x},
            "range": [float(x[0]), float(x[-1])],
            "showgrid": False,
            "zeroline": False,
        },
        yaxis={
            "title": {"text": labels.y},
            "range": [float(y[0]), float(y[-1])],
            "showgrid": False,
            "zeroline": False,
        },
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        xaxis3={"overlaying": "x", "range": [0, 1], "visible": False, "fixedrange": True},
        yaxis3={"overlaying": "y", "range": [0, 1], "visible": False, "fixedrange": True},
        margin={"l": 56, "r": 12, "t": top, "b": _BOTTOM_2D},
        uirevision="contour",
        images=[landscape],
        # no redraw: the frames move the points, the arrow and the step label; the
        # landscape is a layout image and every other trace stays as drawn (issue 13.3)
        **_animation(steps, _active(steps, step), labels, redraw=False, slider=False),
    )
    frames = _frames(steps, moving, [first, first + 1, first + 2])
    return _figure(data, layout, height=height, frames=frames)


def surface_figure(
    x: np.ndarray,
    y: np.ndarray,
    z: np.ndarray,
    paths: Sequence[PathView],
    step: int,
    labels: Labels,
    *,
    z_title: str = "",
    minima: Sequence[tuple[float, float]] = (),
    minima_loss: Sequence[float] = (),
    height: int = 520,
) -> go.Figure:
    """3-D surface with every path drawn on it, the known minima (``minima_loss`` their
    losses) and the current points; frames move the points (redrawn: the surface and
    minima stay)."""
    zd, used_log, lo = display_z(z)
    finite = zd[np.isfinite(zd)]
    lift = 0.012 * (float(finite.max() - finite.min()) if finite.size else 1.0)
    data: list[dict] = [
        {
            "type": "surface",
            "x": _f32(x),
            "y": _f32(y),
            "z": _f32(zd),
            "colorscale": SEQUENTIAL,
            "showscale": False,
            "opacity": 0.92,
            "hoverinfo": "skip",
            "lighting": {"ambient": 0.75, "diffuse": 0.6, "specular": 0.1},
        }
    ]
    for p in paths:
        k = drawn(len(p.points) - 1)
        data.append(
            {
                "type": "scatter3d",
                "x": _f32(p.points[k, 0]),
                "y": _f32(p.points[k, 1]),
                "z": _f32(transform(p.losses[k], used_log, lo) + lift),
                "mode": "lines",
                "name": p.name,
                "showlegend": len(paths) <= 2,
                "line": {"color": p.color, "width": 5},
                "hoverinfo": "skip",
            }
        )

    if len(minima) and len(minima_loss) == len(minima):
        m = np.asarray(minima, dtype=np.float64)
        mz = transform(np.asarray(minima_loss, dtype=np.float64), used_log, lo) + lift
        data.append(
            {
                "type": "scatter3d",
                "x": m[:, 0],
                "y": m[:, 1],
                "z": mz,
                "mode": "markers",
                "name": labels.minimum,
                "showlegend": False,
                "marker": {"symbol": "x", "size": 5, "color": "white"},
                "hovertemplate": "(%{x:.4g}, %{y:.4g})<extra></extra>",
            }
        )
    heights = [transform(p.losses, used_log, lo) for p in paths]  # once, not per frame

    def moving(s: int) -> list[dict]:
        xs, ys, zs = [], [], []
        for p, zp in zip(paths, heights, strict=True):
            i = _at(p, s)
            xs.append(float(p.points[i, 0]))
            ys.append(float(p.points[i, 1]))
            zs.append(float(zp[i]) + lift)
        return [
            {
                "type": "scatter3d",
                "x": xs,
                "y": ys,
                "z": zs,
                "mode": "markers",
                "showlegend": False,
                "hoverinfo": "skip",
                "marker": {
                    "size": 6,
                    "color": [p.color for p in paths],
                    "line": {"width": 2, "color": "white"},
                },
            }
        ]

    first = len(data)
    data += moving(step)
    steps = frame_steps(max((len(p.points) - 1 for p in paths), default=0))
    axis = {"showbackground": False, "gridcolor": "#D5DAE0", "zerolinecolor": "#B8C0C8"}
    layout = dict(
        scene={
            "xaxis": {**axis, "title": {"text": labels.x}},
            "yaxis": {**axis, "title": {"text": labels.y}},
            "zaxis": {**axis, "title": {"text": z_title}},
            "camera": {"eye": {"x": -1.45, "y": -1.45, "z": 1.05}},
            "aspectmode": "manual",
            "aspectratio": {"x": 1, "y": 1, "z": 0.6},
        },
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0},
        margin={"l": 0, "r": 0, "t": _top(len(paths) if len(paths) <= 2 else 0), "b": 150},
        uirevision="surface",
        **_animation(steps, _active(steps, step), labels, redraw=True),
    )
    return _figure(data, layout, height=height, frames=_frames(steps, moving, [first]))


def progress_figure(
    paths: Sequence[PathView],
    step: int,
    labels: Labels,
    *,
    log_y: bool = False,
    loss_ref: float = 0.0,
    height: int = 500,
) -> go.Figure:
    """Loss per step (top) and learning rate per step (bottom), with the current step.

    With ``log_y`` the top panel shows L − ``loss_ref`` on a log axis (non-positive
    values are left out), so that losses that go negative still have a log view.
    """

    def shown(p: PathView) -> np.ndarray:
        if not log_y:
            return p.losses
        v = p.losses - loss_ref
        return np.where(v > 0, v, np.nan)

    values = {id(p): shown(p) for p in paths}  # once, not per frame

    def yv(p: PathView) -> np.ndarray:
        return values[id(p)]

    data: list[dict] = []
    for p in paths:
        k = drawn(len(p.points) - 1)
        data.append(
            {
                "type": "scatter",
                "x": k.astype(np.int32),
                "y": _f32(yv(p)[k]),
                "mode": "lines",
                "name": p.name,
                "legendgroup": p.name,
                "xaxis": "x",
                "yaxis": "y",
                "line": {"color": p.color, "width": 2.2, "dash": p.dash},
                "hovertemplate": "%{x}: %{y:.4g}<extra>" + p.name + "</extra>",
            }
        )
        kl = k[k < len(p.learning_rates)]
        data.append(
            {
                "type": "scatter",
                "x": kl.astype(np.int32),
                "y": _f32(p.learning_rates[kl]),
                "mode": "lines",
                "showlegend": False,
                "legendgroup": p.name,
                "xaxis": "x2",
                "yaxis": "y2",
                "line": {"color": p.color, "width": 2, "dash": p.dash},
                "hovertemplate": "%{x}: %{y:.4g}<extra>" + p.name + "</extra>",
            }
        )

    def moving(s: int) -> list[dict]:
        tr = _markers2d(paths, s, values=yv, size=10)
        tr.update(xaxis="x", yaxis="y")
        return [tr]

    first = len(data)
    now = moving(step)
    now[0].update(showlegend=False, hoverinfo="skip")
    data += now
    steps = frame_steps(max((len(p.points) - 1 for p in paths), default=0))
    layout = dict(
        xaxis={"domain": [0, 1], "anchor": "y", "matches": "x2", "showticklabels": False},
        yaxis={
            "domain": [0.4, 1.0],
            "anchor": "x",
            "type": "log" if log_y else "linear",
            "title": {"text": labels.loss_axis},
            "exponentformat": "power",
            "automargin": True,  # 10⁻¹² is wider than 0.5: the title moves out, not over it
        },
        xaxis2={"domain": [0, 1], "anchor": "y2", "title": {"text": labels.step}},
        yaxis2={
            "domain": [0.0, 0.3],
            "anchor": "x2",
            "title": {"text": labels.lr},
            "rangemode": "tozero",
            "exponentformat": "power",
            "automargin": True,
        },
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        margin={"l": 64, "r": 16, "t": _top(len(paths)), "b": _BOTTOM_2D},
        hovermode="closest",
        **_animation(steps, _active(steps, step), labels, redraw=False, slider=False),
    )
    return _figure(data, layout, height=height, frames=_frames(steps, moving, [first]))


def h_error_figure(
    hs: np.ndarray,
    forward: np.ndarray,
    central: np.ndarray,
    *,
    h_now: float,
    h_label: str = "",
    marks: Sequence[tuple[float, str, str]],
    x_title: str,
    y_title: str,
    names: tuple[str, str] = ("forward", "central"),
    height: int = 380,
) -> go.Figure:
    """|numerical − exact| against h on log–log axes, with labelled vertical marks.

    ``marks`` are (h, label, colour); zero errors (exact by luck) are left out.
    ``h_label`` names the current h's line (default: "h = 1e-05").
    """
    data = []
    for errs, name, col in ((forward, names[0], PALETTE[0]), (central, names[1], PALETTE[1])):
        e = np.where(np.asarray(errs) > 0, errs, np.nan)
        data.append(
            {
                "type": "scatter",
                "x": np.asarray(hs, dtype=np.float64),
                "y": np.asarray(e, dtype=np.float64),
                "mode": "lines+markers",
                "name": name,
                "line": {"color": col, "width": 2.5},
                "marker": {"size": 5},
                "hovertemplate": "h = %{x:.0e}: %{y:.2e}<extra>" + name + "</extra>",
            }
        )

    def vline(h: float, line: dict) -> dict:  # what fig.add_vline draws
        return {"type": "line", "x0": h, "x1": h, "xref": "x", "y0": 0, "y1": 1,
                "yref": "y domain", "line": line}  # fmt: skip

    def note(h: float, y: float, text: str, col: str, **kw: str) -> dict:
        return {"x": float(np.log10(h)), "y": y, "yref": "paper", "text": text,
                "showarrow": False, "xanchor": "left", "font": {"size": 12, "color": col},
                "bgcolor": "rgba(255,255,255,0.8)", **kw}  # fmt: skip

    shapes = [vline(h, {"color": col, "width": 1.5, "dash": "dot"}) for h, _, col in marks]
    notes = [note(h, 1.0 - 0.09 * k, text, col) for k, (h, text, col) in enumerate(marks)]
    shapes.append(vline(h_now, {"color": INK, "width": 2}))
    notes.append(note(h_now, 0.0, h_label or f"h = {h_now:.0e}", INK, yanchor="bottom"))
    layout = {
        "shapes": shapes,
        "annotations": notes,
        "xaxis": {"type": "log", "title": {"text": x_title}, "exponentformat": "power", "dtick": 4},
        "yaxis": {"type": "log", "title": {"text": y_title}, "exponentformat": "power"},
        "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        "margin": {"l": 64, "r": 16, "t": 84, "b": 56},
        "hovermode": "closest",
    }
    return _figure(data, layout, height=height)
