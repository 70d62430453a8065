"""viz.theme.figure: a sealed figure sends exactly the JSON plotly itself would send."""

from __future__ import annotations

import json

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

from viz.theme import TEMPLATE_JSON, SealedFigure, figure


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
