"""viz.theme.figure: a sealed figure sends exactly the JSON plotly itself would send."""

from __future__ import annotations

import base64
import json

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from viz.theme import (
    DARK_INK,
    DARK_PAPER,
    INK,
    TEMPLATE_DARK_JSON,
    TEMPLATE_JSON,
    SealedFigure,
    figure,
    sealed,
    themed,
    typed_array_spec,
)


def _json(d: dict) -> dict:
    return json.loads(pio.to_json(d, validate=False))


def test_sealed_dict_is_plotlys_own_dict() -> None:
    x = np.linspace(0, 1, 7)
    fig = figure(
        [
            {"type": "scatter", "x": x, "y": x.astype(np.float32) ** 2, "name": "a",
             "hovertemplate": None},
            {"type": "heatmap", "z": np.arange(12.0).reshape(3, 4), "x0": 0, "dx": 0.5},
        ],
        {"xaxis": {"title": {"text": "x"}}, "title": None},
        frames=[{"name": "0", "data": [{"x": [0.0], "y": [1.0]}]}],
        height=300,
    )  # fmt: skip
    assert isinstance(fig, SealedFigure)
    own = go.Figure.to_dict(fig)  # plotly's deep-copying dict of the same figure
    ours = fig.to_dict()
    assert _json(ours) == _json(own)
    assert fig.to_dict() is ours  # computed once
    assert ours["layout"]["height"] == 300
    assert ours["layout"]["template"] == TEMPLATE_JSON
    # and it is a valid figure: validation raises on any invalid property
    checked = go.Figure(ours)
    assert len(checked.data) == 2 and len(checked.frames) == 1


def test_presenter_copy_can_be_changed_without_touching_the_original() -> None:
    fig = figure([{"type": "bar", "x": ["a"], "y": [1]}], {"font": {"size": 15}})
    copy = go.Figure(fig)
    copy.update_layout(font_size=20)
    assert copy.layout.font.size == 20
    assert fig.to_dict()["layout"]["font"]["size"] == 15


def _plotly_encoding(a: np.ndarray):
    """How plotly itself writes an array into a figure's dict (public API only)."""
    return go.Figure(go.Heatmap(z=a) if a.ndim == 2 else go.Scatter(y=a)).to_dict()["data"][0][
        "z" if a.ndim == 2 else "y"
    ]


@pytest.mark.parametrize(
    "a",
    [
        np.linspace(-1, 1, 5),
        np.arange(6, dtype=np.float32).reshape(2, 3),
        np.arange(12.0).reshape(3, 4)[:, ::2],  # not contiguous
        np.arange(4, dtype=">f8"),  # big-endian
        np.array([1, -2, 3], dtype=np.int64),  # narrowed to int8
        np.array([1, 300], dtype=np.int64),  # int16
        np.array([1, 70_000], dtype=np.int64),  # int32
        np.array([1, 2**40], dtype=np.int64),  # too big for plotly.js: a list
        np.array([1, 200], dtype=np.uint64),
        np.array([5], dtype=np.uint16),
        np.array([True, False]),
        np.array(["a", "b"]),
        np.array([], dtype=float),
    ],
    ids=lambda a: f"{a.dtype}{a.shape}",
)
def test_typed_array_spec_is_plotlys_encoding(a: np.ndarray) -> None:
    ours = typed_array_spec(a)
    theirs = _plotly_encoding(a)
    assert _json({"v": ours}) == _json({"v": theirs})
    if isinstance(ours, dict):  # and it decodes back to the same numbers
        data = np.frombuffer(base64.b64decode(ours["bdata"]), dtype="<" + ours["dtype"])
        shape = tuple(int(n) for n in ours.get("shape", str(a.size)).split(","))
        np.testing.assert_array_equal(data.reshape(shape), a)


def test_dark_theme_swaps_template_and_ink_but_not_the_figure() -> None:
    x = np.arange(3.0)
    fig = figure(
        [{"type": "scatter", "x": x, "y": x, "marker": {"color": "white", "line": {"color": INK}}}],
        {"annotations": [{"text": "a", "font": {"color": INK}, "bgcolor": "white"}]},
    )
    before = _json(fig.to_dict())
    assert themed(fig, dark=False) is fig
    dark_fig = themed(fig, dark=True)
    assert themed(fig, dark=True) is dark_fig  # computed once per sealed figure
    # a sealed figure, not a dict: st.plotly_chart would validate a dict by building it
    assert isinstance(dark_fig, SealedFigure)
    dark = dark_fig.to_dict()
    assert _json(fig.to_dict()) == before  # the light figure is untouched
    assert dark["layout"]["template"] == TEMPLATE_DARK_JSON
    assert dark["layout"]["annotations"][0]["font"]["color"] == DARK_INK
    assert dark["layout"]["annotations"][0]["bgcolor"] == DARK_PAPER
    assert dark["data"][0]["marker"] == {"color": DARK_PAPER, "line": {"color": DARK_INK}}
    assert dark["data"][0]["x"] == fig.to_dict()["data"][0]["x"]  # arrays as they were
    go.Figure(dark)  # valid
    # a plain dict (the presenter view's enlarged copy) is themed the same way
    assert themed(fig.to_dict(), dark=True).to_dict()["layout"] == dark["layout"]


def test_streamlit_takes_a_sealed_figure_without_building_plotlys_objects() -> None:
    """What st.plotly_chart does with a figure (plotly.tools, then plotly.io.to_json)
    reads only its dict: plotly's trace and layout objects are never built. Reading
    them (a test, fig.data) builds the same figure."""
    import plotly.tools

    x = np.linspace(0, 1, 5)
    data = [{"type": "heatmap", "z": np.outer(x, x)}, {"type": "scatter", "x": x, "y": x}]
    for fig in (figure(data, {"title": {"text": "t"}}), themed(figure(data), dark=True),
                sealed(figure(data).to_dict())):  # fmt: skip
        spec = plotly.tools.return_figure_from_figure_or_data(fig, validate_figure=True)
        text = pio.to_json(spec, validate=False)
        assert "_unbuilt" in fig.__dict__  # still not built
        assert json.loads(text) == json.loads(pio.to_json(fig.to_dict(), validate=False))
    fig = figure(data, {"title": {"text": "t"}})
    assert fig.data[0].type == "heatmap" and fig.layout.title.text == "t"  # built on demand
    assert "_unbuilt" not in fig.__dict__
    np.testing.assert_array_equal(fig.data[1].x, x)


def test_dark_template_is_readable() -> None:
    def lum(h: str) -> float:
        c = [int(h[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        c = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    for ink, paper in ((INK, "#FFFFFF"), (DARK_INK, DARK_PAPER)):
        ratio = (max(lum(ink), lum(paper)) + 0.05) / (min(lum(ink), lum(paper)) + 0.05)
        assert ratio >= 7.0  # WCAG AAA: the presenter view on a projector
    lay = TEMPLATE_DARK_JSON["layout"]
    assert lay["paper_bgcolor"] == lay["plot_bgcolor"] == DARK_PAPER
    assert lay["font"]["color"] == DARK_INK


def test_a_shared_sealed_figure_is_built_once_when_threads_read_it_at_once() -> None:
    """A cached figure is shared between sessions: their threads may ask for plotly's
    objects at the same moment; each gets the built figure, none an AttributeError."""
    import concurrent.futures
    import threading

    x = np.linspace(0, 1, 50)
    data = [{"type": "scatter", "x": x, "y": x**2, "name": f"t{i}"} for i in range(40)]
    for _ in range(5):
        fig = figure(data, {"title": {"text": "shared"}})
        start = threading.Barrier(8)

        def read(fig=fig, start=start):
            start.wait()
            return len(fig.data), fig.layout.title.text

        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            got = list(pool.map(lambda _: read(), range(8)))
        assert got == [(40, "shared")] * 8
        assert "_unbuilt" not in fig.__dict__ and "_in_build" not in fig.__dict__
    with pytest.raises(AttributeError):
        figure(data).no_such_attribute  # noqa: B018  a real miss still raises


def test_figure_keeps_a_row_for_the_toolbar():
    """A top margin smaller than plotly's toolbar row is raised to it, and the height by
    as much, so the plot keeps its size; larger margins are left alone."""
    from viz.theme import TOOLBAR_ROW, figure

    small = figure([], {"margin": {"l": 4, "t": 4}}, height=100).to_dict()["layout"]
    assert small["margin"] == {"l": 4, "t": TOOLBAR_ROW}
    assert small["height"] == 100 + TOOLBAR_ROW - 4
    free = figure([], {"margin": {"t": 8}}).to_dict()["layout"]
    assert free["margin"]["t"] == TOOLBAR_ROW and "height" not in free
    big = figure([], {"margin": {"t": 64}}, height=300).to_dict()["layout"]
    assert big["margin"]["t"] == 64 and big["height"] == 300
