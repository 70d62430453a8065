"""Presenter view: no text in any figure is smaller than 16 px (read from the back of a
room at 1280×720), on every page, in both languages."""

from __future__ import annotations

import pytest

from tests.app.helpers import charts, open_page
from ui.chapters import CHAPTERS
from ui.layout import PRESENT_MIN_FONT, presenter_fonts


def _sizes(node, in_font=False):
    if isinstance(node, dict):
        if in_font and isinstance(node.get("size"), int | float):
            yield node["size"]
        for k, v in node.items():
            yield from _sizes(v, k.endswith("font"))
    elif isinstance(node, list):
        for v in node:
            yield from _sizes(v, in_font)


def test_presenter_fonts_enlarges_every_text():
    spec = {
        "data": [{"type": "heatmap", "textfont": {"size": 11}, "z": [[1]]}],
        "layout": {
            "xaxis": {"tickfont": {"size": 10}},
            "annotations": [{"text": "a", "font": {"size": 12}}],
            "font": {"size": 15},
        },
    }
    out = presenter_fonts(spec)
    assert min(_sizes(out)) >= PRESENT_MIN_FONT
    assert out["layout"]["font"]["size"] == pytest.approx(19.5)
    assert spec["data"][0]["textfont"]["size"] == 11  # the input is left alone


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("chapter", [c.key for c in CHAPTERS])
def test_no_figure_text_below_16px_in_presenter_view(chapter, lang):
    at = open_page(chapter, lang, {"present": "1", "lang": lang})
    figures = charts(at)
    assert figures, "no figure on the page"
    for chart in figures:
        spec = chart.fig
        base = spec.get("layout", {}).get("font", {}).get("size")
        assert base is not None and base >= PRESENT_MIN_FONT, (chapter, base)
        small = [s for s in _sizes(spec) if s < PRESENT_MIN_FONT]
        assert not small, (chapter, small)
