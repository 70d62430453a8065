"""Every figure goes through ui/figure.py's component, which the browser updates in place
(issue 16, item 5); tests/e2e/test_figures.py checks the browser side."""

from __future__ import annotations

import json
import pathlib
import re

import plotly.graph_objects as go
import plotly.io as pio
import pytest
import streamlit as st

import ui.figure
from tests.app.helpers import charts, open_page
from ui.chapters import CHAPTERS
from ui.i18n import tr
from ui.layout import PLOT_CONFIG

JS = pathlib.Path(ui.figure.__file__).with_name("figure.js").read_text(encoding="utf-8")


def test_streamlit_ships_exactly_one_plotly_chunk_and_the_component_uses_it():
    # A Streamlit release that renames its plotly chunk would silently send every figure
    # back to st.plotly_chart (slow in the browser): this fails first.
    chunk = ui.figure.plotly_chunk()
    assert chunk is not None and re.fullmatch(r"\./PlotlyChart\.[\w-]+\.js", chunk)
    path = pathlib.Path(st.__file__).parent / "static" / "static" / "js" / chunk[2:]
    assert "window.Plotly=" in path.read_text(encoding="utf-8")  # what figure.js relies on
    assert chunk == ui.figure.CHUNK


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("chapter", [c.key for c in CHAPTERS])
def test_every_figure_is_sent_to_the_component_with_alt_text(chapter, lang):
    at = open_page(chapter, lang)
    assert not at.get("plotly_chart"), "a figure bypassed ui.figure"
    sent = charts(at)
    assert sent, "no figure on the page"
    assert len({c.key for c in sent}) == len(sent)
    for e in at.get("bidi_component"):
        data, spec = ui.figure.unpack(e.proto.bytes)
        assert data["alt"].strip()
        assert data["fullscreen"] == tr(lang, "app.figure_fullscreen")
        # what the box shows if plotly.js cannot load (figure.js), in the page's language
        assert data["failed"] == tr(lang, "app.figure_failed")
        assert "⟦" not in data["failed"]
        assert data["config"] == PLOT_CONFIG
        assert "sendChartToCloud" in data["config"]["modeBarButtonsToRemove"]  # no upload
        assert data["chunk"] == ui.figure.CHUNK
        fig = json.loads(spec)
        go.Figure(fig)  # a valid plotly figure (raises on any invalid property)
        if lang == "ja":
            assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", data["alt"]), data["alt"]
            assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", data["failed"]), data["failed"]


def test_the_spec_is_what_st_plotly_chart_would_send():
    fig = go.Figure(go.Scatter(x=[1, 2], y=[3, 4]), layout={"height": 300})
    assert json.loads(ui.figure.spec_json(fig)) == json.loads(pio.to_json(fig, validate=False))
    assert ui.figure.spec_json(fig.to_dict()) == ui.figure.spec_json(fig)


def test_a_sealed_figure_is_encoded_once_and_as_plotly_would():
    import numpy as np

    from viz.theme import figure

    fig = figure([{"type": "scatter", "x": np.arange(3.0), "y": np.array([3.0, 1.0, 2.0])}])
    first = ui.figure.spec_json(fig)
    assert ui.figure.spec_json(fig) is first  # kept: a cached figure is sent to every student
    plotly = pio.to_json(go.Figure(fig.to_dict()), validate=False)
    assert json.loads(first) == json.loads(plotly)


def test_pack_and_unpack_are_inverse_for_any_text():
    meta = {"alt": '改行\nと "引用" — ✓', "config": {"a": [1, 2]}}
    spec = json.dumps({"data": [{"name": "a\nb"}], "layout": {"title": "ü"}}, indent=1)
    # the metadata's JSON never holds a raw newline: the first one ends it
    assert ui.figure.unpack(ui.figure.pack(meta, spec)) == (meta, spec)


def test_without_the_chunk_figures_fall_back_to_st_plotly_chart(monkeypatch):
    monkeypatch.setattr(ui.figure, "_component", None)
    at = open_page("home", "en")
    assert not charts(at)
    fallback = at.get("plotly_chart")
    assert len(fallback) == 2
    assert all(c.proto.alt for c in fallback)


def test_the_script_turns_no_text_into_html():
    # alt text and titles reach the page as attributes, never as markup
    assert "innerHTML" not in JS and "insertAdjacentHTML" not in JS and "eval(" not in JS
    assert 'setAttribute("aria-label", data.alt)' in JS
    # the notice of a figure that cannot load is plain text in a live region
    assert "notice.textContent = text" in JS and 'setAttribute("role", "status")' in JS


def test_the_script_survives_its_stripping():
    # figure.py sends figure.js without comment lines: what is left still has the notice
    # and the retry of a failed load, and no comment
    sent = ui.figure.script()
    assert "notice.textContent = text" in sent and "loading = null;" in sent
    assert not any(line.startswith("//") for line in sent.splitlines())
