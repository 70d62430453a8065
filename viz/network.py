"""Figures of the neural-network chapter: activations, one neuron, decision boundaries,
training curves, the network diagram and the regression fit.

Arrays in, ``go.Figure`` out; every label is passed in already translated. The figures
are assembled from plain dicts and built once without plotly's property validation: the
playground redraws several of them per second while it trains, and validation (with the
deep copy of the template it makes) cost more than everything else. The tests rebuild
every builder's output *with* validation (tests/app/test_neural_network.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go

from viz.theme import BLUE, GREEN, GREY, INK, ORANGE, PALETTE, VERMILLION, figure

#: Class colours: class 0 orange, class 1 blue (as in TensorFlow Playground), class 2 green.
CLASS_COLORS: tuple[str, ...] = (ORANGE, BLUE, GREEN)
POS, NEG = BLUE, ORANGE  # positive and negative weights


def _figure(data: list[dict], layout: dict[str, Any], height: int) -> go.Figure:
    """A figure from plain dicts with viz.theme's template, without validation."""
    return figure(data, layout, height=height)


def _rgb(hex_color: str) -> np.ndarray:
    h = hex_color.lstrip("#")
    return np.array([int(h[i : i + 2], 16) for i in (0, 2, 4)], dtype=np.float32)


def _rgba(hex_color: str, alpha: float) -> str:
    r, g, b = (int(v) for v in _rgb(hex_color))
    return f"rgba({r},{g},{b},{alpha:.3f})"


def _lighten(hex_color: str, strength: float) -> str:
    c = 255.0 + (_rgb(hex_color) - 255.0) * strength
    return "rgb({:.0f},{:.0f},{:.0f})".format(*c)


def _grid_axes(xs: np.ndarray) -> dict[str, float]:
    """An evenly spaced grid as start and step (``x0``/``dx``, ``y0``/``dy``) instead of
    coordinate arrays: the same cells, and each array left out saves plotly a conversion."""
    lo, hi = float(xs[0]), float(xs[-1])
    step = (hi - lo) / (len(xs) - 1)
    return dict(x0=lo, dx=step, y0=lo, dy=step)


def _legend_below(y: float = -0.3, **kw: Any) -> dict:
    return dict(orientation="h", yanchor="top", y=y, x=0, **kw)


# ── activations ──────────────────────────────────────────────────────────────────────


def activation_figure(
    xs: np.ndarray,
    curves: Sequence[tuple[str, np.ndarray]],
    stalled: Sequence[Sequence[tuple[float, float]]],
    *,
    x_title: str,
    y_title: str,
    stall_name: str,
    height: int = 380,
) -> go.Figure:
    """Curves ``(name, values)`` over ``xs``. Under the curves, one bar per curve in its
    colour (and a light shading) marks the x-intervals where |f'| < 0.01."""
    ys_all = np.concatenate([np.asarray(v, dtype=np.float64) for _, v in curves])
    lo, hi = float(np.nanmin(ys_all)), float(np.nanmax(ys_all))
    span = max(hi - lo, 1e-9)
    gap = 0.07 * span
    data: list[dict] = []
    shapes: list[dict] = []
    xs = np.asarray(xs, dtype=np.float64)
    step = (float(xs[-1]) - float(xs[0])) / (len(xs) - 1) if len(xs) > 1 else 1.0
    even = len(xs) > 1 and np.allclose(np.diff(xs), step, rtol=1e-9, atol=0.0)
    # an evenly spaced x as start and step (each curve would send the same array again)
    x_axis = dict(x0=float(xs[0]), dx=step) if even else dict(x=xs)
    for i, ((name, ys), zones) in enumerate(zip(curves, stalled, strict=True)):
        color = PALETTE[i % len(PALETTE)]
        data.append(
            dict(
                type="scatter",
                **x_axis,
                y=np.asarray(ys, dtype=np.float32),
                name=name,
                mode="lines",
                legendgroup=name,
                line=dict(color=color, width=3),
                hovertemplate="%{y:.4f}<extra>" + name + "</extra>",
            )
        )
        if zones:
            y = lo - gap * (i + 1)
            sx: list[float | None] = []
            sy: list[float | None] = []
            for a, b in zones:
                sx += [a, b, None]
                sy += [y, y, None]
                shapes.append(
                    dict(
                        type="rect",
                        xref="x",
                        yref="paper",
                        x0=a,
                        x1=b,
                        y0=0,
                        y1=1,
                        fillcolor=color,
                        opacity=0.06,
                        line_width=0,
                        layer="below",
                    )
                )
            data.append(
                dict(
                    type="scatter",
                    x=sx,
                    y=sy,
                    mode="lines",
                    legendgroup=name,
                    showlegend=False,
                    hoverinfo="skip",
                    line=dict(color=color, width=7),
                )
            )
    n_strips = len(curves) if any(stalled) else 0
    if n_strips:
        data.append(
            dict(
                type="scatter",
                x=[None],
                y=[None],
                mode="lines",
                name=stall_name,
                line=dict(color=GREY, width=7),
            )
        )
    layout = dict(
        xaxis=dict(title=dict(text=x_title), range=[float(xs[0]), float(xs[-1])]),
        yaxis=dict(title=dict(text=y_title),
                   range=[lo - gap * (n_strips + 1), hi + 0.05 * span]),
        hovermode="x unified", legend=_legend_below(-0.14), margin=dict(t=40, b=24),
        shapes=shapes,
    )  # fmt: skip
    return _figure(data, layout, height)


# ── one neuron ───────────────────────────────────────────────────────────────────────


def _line_in_box(
    w: Sequence[float], b: float, lo: float, hi: float
) -> tuple[list[float], list[float]]:
    """End points of the line w1·x1 + w2·x2 + b = 0 inside [lo, hi]² (empty if none)."""
    w1, w2 = float(w[0]), float(w[1])
    pts: list[tuple[float, float]] = []
    if abs(w2) > 1e-12:
        for x in (lo, hi):
            y = -(w1 * x + b) / w2
            if lo - 1e-9 <= y <= hi + 1e-9:
                pts.append((x, y))
    if abs(w1) > 1e-12:
        for y in (lo, hi):
            x = -(w2 * y + b) / w1
            if lo - 1e-9 <= x <= hi + 1e-9:
                pts.append((x, y))
    if len(pts) < 2:
        return [], []
    pts = sorted(set(pts))
    return [pts[0][0], pts[-1][0]], [pts[0][1], pts[-1][1]]


def neuron_figure(
    xs: np.ndarray,
    values: np.ndarray,
    w: Sequence[float],
    b: float,
    point: Sequence[float],
    *,
    x_title: str,
    y_title: str,
    value_name: str,
    line_name: str,
    point_name: str,
    weight_name: str,
    height: int = 420,
) -> go.Figure:
    """The neuron's output f(w·x + b) over the plane, its line w·x + b = 0, the input
    point and the weight vector (which points towards growing z)."""
    lo, hi = float(xs[0]), float(xs[-1])
    data: list[dict] = [dict(
        type="heatmap", **_grid_axes(xs), z=np.asarray(values, dtype=np.float32),
        colorscale="Viridis", name=value_name,
        colorbar=dict(title=dict(text=value_name), thickness=12),
        hovertemplate="x₁ = %{x:.2f}<br>x₂ = %{y:.2f}<br>" + value_name
        + " = %{z:.3f}<extra></extra>",
    )]  # fmt: skip
    lx, ly = _line_in_box(w, b, lo, hi)
    if lx:
        # a white band under a dark dashed line: visible on both ends of the colour scale
        # (and in the legend, on white)
        data.append(
            dict(
                type="scatter",
                x=lx,
                y=ly,
                mode="lines",
                showlegend=False,
                hoverinfo="skip",
                line=dict(color="white", width=7),
            )
        )
        data.append(
            dict(
                type="scatter",
                x=lx,
                y=ly,
                mode="lines",
                name=line_name,
                line=dict(color=INK, width=3, dash="dash"),
            )
        )
    annotations: list[dict] = []
    w1, w2 = float(w[0]), float(w[1])
    norm2 = w1 * w1 + w2 * w2
    if norm2 > 1e-12:
        # the weight vector, drawn from the point of the line nearest the origin
        fx, fy = -b * w1 / norm2, -b * w2 / norm2
        s = (hi - lo) / 4 / np.sqrt(norm2)
        if lo <= fx <= hi and lo <= fy <= hi:
            annotations.append(dict(
                x=fx + s * w1, y=fy + s * w2, ax=fx, ay=fy, xref="x", yref="y", axref="x",
                ayref="y", showarrow=True, arrowhead=3, arrowsize=1.3, arrowwidth=3,
                arrowcolor="white", text="",
            ))  # fmt: skip
            data.append(
                dict(
                    type="scatter",
                    x=[None],
                    y=[None],
                    mode="lines",
                    name=weight_name,
                    line=dict(color=GREY, width=3),
                )
            )
    data.append(
        dict(
            type="scatter",
            x=[point[0]],
            y=[point[1]],
            mode="markers",
            name=point_name,
            marker=dict(size=16, color=VERMILLION, symbol="x", line=dict(color="white", width=2)),
        )
    )
    layout = dict(
        xaxis=dict(range=[lo, hi], title=dict(text=x_title), constrain="domain"),
        yaxis=dict(range=[lo, hi], title=dict(text=y_title), scaleanchor="x",
                   constrain="domain"),
        legend=_legend_below(-0.3), margin=dict(t=40, b=40), annotations=annotations,
    )  # fmt: skip
    return _figure(data, layout, height)


# ── decision boundaries ──────────────────────────────────────────────────────────────


#: A two-class boundary sends p(class 1) in integer steps instead of float32 (issue 15):
#: the colours as one byte per cell, 0-200 for 0-1 (half a percent a step, finer than the
#: colours show; a quarter of the bytes), the p = 0.5 line as two bytes, 0-60000 (on a
#: flat map, as the identity network's, bytes would let the line wander between cells
#: of equal level). Both stay below 0xFF..: base64 turns runs of 0xFF bytes (p near 1)
#: into "/", which plotly's JSON writes as six characters ("\u002f").
LEVELS, LINE_LEVELS = 200, 60000


def _levels(p: np.ndarray, levels: int, dtype: type) -> np.ndarray:
    """Probabilities in [0, 1] as integers 0..levels (rounded)."""
    return np.round(np.clip(p, 0.0, 1.0) * levels).astype(dtype)


def boundary_image(
    probs: np.ndarray, colors: Sequence[str] = CLASS_COLORS, strength: float = 0.55
) -> np.ndarray:
    """RGB image (res, res, 3) uint8: white where the network is unsure, tinted with the
    predicted class's colour as its probability grows (TensorFlow-Playground style)."""
    k = probs.shape[-1]
    cols = np.stack([_rgb(c) for c in colors[:k]])  # (k, 3)
    white = np.float32(255.0)
    mix = probs.astype(np.float32) @ cols  # (res, res, 3)
    conf = (probs.max(axis=-1, keepdims=True) - 1.0 / k) / (1.0 - 1.0 / k)
    img = white + (mix - white) * np.clip(conf, 0.0, 1.0) * strength
    return np.clip(np.round(img), 0, 255).astype(np.uint8)


def _upsample(probs: np.ndarray, factor: int = 2) -> np.ndarray:
    """Bilinear upsampling of a (res, res, k) grid to ((res−1)·factor + 1, …)."""
    res = probs.shape[0]
    fine = np.linspace(0, res - 1, (res - 1) * factor + 1)
    i0 = np.minimum(np.floor(fine).astype(int), res - 2)
    t = (fine - i0).astype(np.float32)
    rows = probs[i0] * (1 - t)[:, None, None] + probs[i0 + 1] * t[:, None, None]
    return rows[:, i0] * (1 - t)[None, :, None] + rows[:, i0 + 1] * t[None, :, None]


def boundary_figure(
    xs: np.ndarray,
    probs: np.ndarray,
    X: np.ndarray,
    y: np.ndarray,
    X_test: np.ndarray | None = None,
    y_test: np.ndarray | None = None,
    *,
    class_names: Sequence[str],
    train_name: str,
    test_name: str,
    x_title: str = "x₁",
    y_title: str = "x₂",
    height: int = 440,
    strength: float = 0.55,
) -> go.Figure:
    """The network's predicted class over the plane with the data points on top
    (training points filled, test points hollow). Two classes: a smooth heat map of
    p(class 1) with the line p = 0.5; three: the classes' colours mixed by probability."""
    lo, hi = float(xs[0]), float(xs[-1])
    k = probs.shape[-1]
    data: list[dict] = []
    if k == 2:
        p1 = np.asarray(probs[..., 1], dtype=np.float64)
        z = _levels(p1, LEVELS, np.uint8)
        scale = [
            [0.0, _lighten(CLASS_COLORS[0], strength)],
            [0.5, "rgb(255,255,255)"],
            [1.0, _lighten(CLASS_COLORS[1], strength)],
        ]
        data.append(
            dict(
                type="heatmap",
                **_grid_axes(xs),
                z=z,
                zmin=0,
                zmax=LEVELS,
                colorscale=scale,
                zsmooth="best",
                showscale=False,
                hoverinfo="skip",
            )
        )
        if float(p1.min()) < 0.5 < float(p1.max()):
            data.append(
                dict(
                    type="contour",
                    **_grid_axes(xs),
                    z=_levels(p1, LINE_LEVELS, np.uint16),
                    showscale=False,
                    showlegend=False,
                    hoverinfo="skip",
                    contours=dict(
                        start=LINE_LEVELS / 2, end=LINE_LEVELS / 2, size=1, coloring="none"
                    ),
                    line=dict(color="rgba(27,31,36,0.55)", width=1.5),
                )
            )
    else:
        fine = _upsample(probs, 2)
        step = (hi - lo) / (fine.shape[0] - 1)
        data.append(
            dict(
                type="image",
                z=boundary_image(fine, strength=strength),
                x0=lo,
                dx=step,
                y0=lo,
                dy=step,
                hoverinfo="skip",
            )
        )
    labels = np.asarray(y).reshape(-1)
    tlabels = None if y_test is None else np.asarray(y_test).reshape(-1)
    X = np.asarray(X, dtype=np.float32)  # half the bytes; hover shows two decimals
    X_test = None if X_test is None else np.asarray(X_test, dtype=np.float32)
    for c in range(k):
        m = labels == c
        hover = "(%{x:.2f}, %{y:.2f})<extra>" + class_names[c] + "</extra>"
        data.append(dict(
            type="scatter", x=X[m, 0], y=X[m, 1], mode="markers",
            name=f"{class_names[c]} · {train_name}", hovertemplate=hover,
            marker=dict(size=8, color=CLASS_COLORS[c], line=dict(color="white", width=1)),
        ))  # fmt: skip
        if X_test is not None and tlabels is not None and len(X_test):
            mt = tlabels == c
            data.append(dict(
                type="scatter", x=X_test[mt, 0], y=X_test[mt, 1], mode="markers",
                name=f"{class_names[c]} · {test_name}", hovertemplate=hover,
                marker=dict(size=8, color="white", line=dict(color=CLASS_COLORS[c], width=2.5)),
            ))  # fmt: skip
    axis = dict(range=[lo, hi], showgrid=False, zeroline=False, constrain="domain")
    layout = dict(
        xaxis=dict(axis, title=dict(text=x_title)),
        yaxis=dict(axis, title=dict(text=y_title), scaleanchor="x", autorange=False),
        legend=_legend_below(-0.3, font=dict(size=13)),
        margin=dict(t=40, l=48, r=16, b=40),
    )  # fmt: skip
    return _figure(data, layout, height)


# ── training curves ──────────────────────────────────────────────────────────────────


def history_figure(
    steps: Sequence[int],
    series: Sequence[tuple[str, Sequence[float], str]],
    *,
    x_title: str,
    y_title: str,
    log_y: bool = False,
    y_range: Sequence[float] | None = None,
    legend_at: str = "top",
    height: int = 300,
) -> go.Figure:
    """Training curves: ``series`` is a list of (name, values, "solid"|"dash"). The legend
    sits inside the plot's right corner, ``legend_at`` "top" or "bottom" (where the curves
    are not: top for falling losses, bottom for rising accuracies)."""
    data = []
    for i, (name, values, dash) in enumerate(series):
        v = np.asarray(values, dtype=np.float64)
        if np.isfinite(v).any():
            data.append(
                dict(
                    type="scatter",
                    x=np.asarray(steps),
                    y=v,
                    name=name,
                    mode="lines",
                    line=dict(color=(BLUE, ORANGE)[i % 2], width=3, dash=dash),
                )
            )
    yaxis: dict[str, Any] = dict(title=dict(text=y_title))
    if log_y:
        yaxis.update(type="log", exponentformat="power")
    elif y_range is not None:
        yaxis.update(range=list(y_range))
    else:
        yaxis.update(rangemode="tozero")
    layout = dict(
        xaxis=dict(title=dict(text=x_title)), yaxis=yaxis, hovermode="x unified",
        legend=dict(orientation="h", xanchor="right", x=0.99,
                    yanchor=legend_at, y=0.98 if legend_at == "top" else 0.04),
        margin=dict(t=40, b=44),
    )  # fmt: skip
    return _figure(data, layout, height)


# ── the network diagram ──────────────────────────────────────────────────────────────


def _layout_nodes(sizes: Sequence[int]) -> list[np.ndarray]:
    """y positions of the nodes of each layer, centred on 0, one unit apart."""
    return [np.arange(n, dtype=np.float64)[::-1] - (n - 1) / 2 for n in sizes]


def network_figure(
    weights: Sequence[np.ndarray],
    biases: Sequence[np.ndarray],
    *,
    layer_names: Sequence[str],
    weight_name: str,
    bias_name: str,
    height: int = 420,
) -> go.Figure:
    """Nodes in columns, one line per weight: blue positive, orange negative, thicker
    and more opaque the larger |w|. Node colour shows the bias; hover tells the numbers."""
    sizes = [weights[0].shape[0]] + [w.shape[1] for w in weights]
    ys = _layout_nodes(sizes)
    wmax = max(float(np.abs(w).max()) for w in weights) or 1.0
    bins = 5
    data: list[dict] = []
    # edges grouped into (sign × 5 width classes) traces, segments separated by None
    segs: dict[tuple[int, int], tuple[list, list]] = {}
    mids_x: list[float] = []
    mids_y: list[float] = []
    mids_t: list[str] = []
    for li, w in enumerate(weights):
        level = np.minimum((np.abs(w) / wmax * bins).astype(int), bins - 1)
        for i in range(w.shape[0]):
            for j in range(w.shape[1]):
                key = (1 if w[i, j] >= 0 else -1, int(level[i, j]))
                sx, sy = segs.setdefault(key, ([], []))
                y0, y1 = ys[li][i], ys[li + 1][j]
                sx += [li, li + 1, None]
                sy += [y0, y1, None]
                mids_x.append(li + 0.5)
                mids_y.append((y0 + y1) / 2)
                mids_t.append(f"{weight_name} {li + 1}: {i + 1}→{j + 1} = {w[i, j]:+.3f}")
    for (sign, k), (sx, sy) in sorted(segs.items()):
        frac = (k + 1) / bins
        color = _rgba(POS if sign > 0 else NEG, 0.25 + 0.7 * frac)
        data.append(
            dict(
                type="scatter",
                x=sx,
                y=sy,
                mode="lines",
                hoverinfo="skip",
                showlegend=False,
                line=dict(color=color, width=0.8 + 5.2 * frac),
            )
        )
    data.append(
        dict(
            type="scatter",
            x=mids_x,
            y=mids_y,
            mode="markers",
            text=mids_t,
            hovertemplate="%{text}<extra></extra>",
            showlegend=False,
            marker=dict(size=7, color="rgba(0,0,0,0)"),
        )
    )
    bmax = max((float(np.abs(b).max()) for b in biases), default=0.0) or 1.0
    node_size = 22 if max(sizes) <= 8 else 16
    for li, n in enumerate(sizes):
        if li == 0:
            color = [0.0] * n
            text = [f"{layer_names[0]} {i + 1}" for i in range(n)]
        else:
            color = [float(v) for v in biases[li - 1]]
            name = layer_names[min(li, len(layer_names) - 1)]
            text = [f"{name} {i + 1}<br>{bias_name} = {v:+.3f}" for i, v in enumerate(color)]
        data.append(dict(
            type="scatter", x=[li] * n, y=ys[li], mode="markers", text=text,
            showlegend=False, hovertemplate="%{text}<extra></extra>",
            marker=dict(size=node_size, color=color, cmin=-bmax, cmax=bmax,
                        colorscale=[[0, ORANGE], [0.5, "#F7F7F7"], [1, BLUE]],
                        line=dict(color=INK, width=1.5)),
        ))  # fmt: skip
    top = max(sizes) / 2 + 0.3
    annotations = []
    for li in range(len(sizes)):
        if li == 0:
            name = layer_names[0]
        elif li == len(sizes) - 1:
            name = layer_names[-1]
        else:
            name = f"{layer_names[1]} {li}"
        annotations.append(
            dict(x=li, y=-top - 0.3, text=name, showarrow=False, font=dict(size=13, color=INK))
        )
    layout = dict(
        xaxis=dict(visible=False, range=[-0.4, len(sizes) - 0.6]),
        yaxis=dict(visible=False, range=[-top - 0.6, top]),
        margin=dict(l=8, r=8, t=36, b=8), hovermode="closest", annotations=annotations,
    )  # fmt: skip
    return _figure(data, layout, height)


# ── regression ───────────────────────────────────────────────────────────────────────


def regression_figure(
    X: np.ndarray,
    y: np.ndarray,
    X_test: np.ndarray,
    y_test: np.ndarray,
    xs: np.ndarray,
    fit: np.ndarray,
    truth: np.ndarray,
    *,
    train_name: str,
    test_name: str,
    fit_name: str,
    truth_name: str,
    x_title: str = "x",
    y_title: str = "y",
    height: int = 440,
) -> go.Figure:
    """Data points, the network's fitted curve and the true function."""
    data = [
        dict(type="scatter", x=xs, y=truth, mode="lines", name=truth_name,
             line=dict(color=GREY, width=2, dash="dot")),
        dict(type="scatter", x=X[:, 0], y=y[:, 0], mode="markers", name=train_name,
             marker=dict(size=7, color=ORANGE, line=dict(color="white", width=1))),
    ]  # fmt: skip
    if len(X_test):
        data.append(
            dict(
                type="scatter",
                x=X_test[:, 0],
                y=y_test[:, 0],
                mode="markers",
                name=test_name,
                marker=dict(size=7, color="white", line=dict(color=ORANGE, width=2)),
            )
        )
    data.append(
        dict(
            type="scatter", x=xs, y=fit, mode="lines", name=fit_name, line=dict(color=BLUE, width=4)
        )
    )
    layout = dict(
        xaxis=dict(title=dict(text=x_title)), yaxis=dict(title=dict(text=y_title)),
        legend=_legend_below(-0.22), margin=dict(t=40),
    )  # fmt: skip
    return _figure(data, layout, height)
