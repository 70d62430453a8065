"""The app's figures, drawn once and then updated in place.

``st.plotly_chart`` in Streamlit 1.67 hashes the figure into the element's id, so the
browser builds every changed figure from scratch: a new plot, mode bar and page relayout,
about 45 ms per figure on a long page (bench/notes.md). A small component of our own
(``figure.js``) keeps one plotly div per key and hands each new figure to
``Plotly.react``, which redraws only what changed. It uses the plotly.js that Streamlit
ships (the same file ``st.plotly_chart`` would load), so a first load is no larger.

If that file cannot be found (another Streamlit release), figures fall back to
``st.plotly_chart``: slower in the browser, but the same figures. If the browser cannot
load it (a dropped connection) or plotly cannot draw a figure, the figure's box says so in
the page's language instead of staying blank, and the next rerun tries again.
"""

from __future__ import annotations

import json
import pathlib
from typing import Any

import plotly.io as pio
import streamlit as st

from ui.i18n import t

_HERE = pathlib.Path(__file__).resolve().parent


def plotly_chunk() -> str | None:
    """Streamlit's plotly.js chunk, relative to its main script; None if not found."""
    js = pathlib.Path(st.__file__).resolve().parent / "static" / "static" / "js"
    found = sorted(js.glob("PlotlyChart.*.js"))
    return f"./{found[0].name}" if len(found) == 1 else None


def script() -> str:
    """figure.js without its comment lines and indentation: every figure element carries
    the script, so each byte is sent once per figure and rerun."""
    lines = (
        line.strip() for line in (_HERE / "figure.js").read_text(encoding="utf-8").splitlines()
    )
    return "\n".join(line for line in lines if line and not line.startswith("//"))


CHUNK = plotly_chunk()
_component = (
    st.components.v2.component(
        "app_figure",
        js=script(),
        isolate_styles=False,  # plotly styles its mode bar and hover labels globally
    )
    if CHUNK
    else None
)


def spec_json(fig: Any) -> str:
    """A figure's JSON, as ``st.plotly_chart`` writes it (a sealed figure keeps its own)."""
    if hasattr(fig, "plotly_json"):
        return fig.plotly_json()
    return pio.to_json(fig.to_dict() if hasattr(fig, "to_dict") else fig, validate=False)


def pack(meta: dict[str, Any], spec: str) -> bytes:
    """What the component gets: one line of JSON about the figure, then the figure's
    JSON. Sent as bytes, the figure's JSON is not escaped into a JSON string (smaller)
    and Streamlit does not scan a dict for dataframes (about 0.6 ms a figure)."""
    return (json.dumps(meta) + "\n" + spec).encode()


def unpack(payload: bytes) -> tuple[dict[str, Any], str]:
    """:func:`pack` undone (figure.js does the same): the metadata and the figure's JSON."""
    head, _, spec = payload.decode().partition("\n")
    return json.loads(head), spec


def draw(fig: Any, *, key: str, alt: str, config: dict[str, Any]) -> None:
    """Draw a themed figure under ``key`` (a stable key keeps one plot in the browser)."""
    if _component is None:
        st.plotly_chart(fig, key=key, alt=alt, theme=None, config=config)
        return
    meta = {
        "alt": alt,
        "config": config,
        "chunk": CHUNK,
        "fullscreen": t("app.figure_fullscreen"),
        # shown in the figure's box when plotly.js cannot load or draw it (figure.js)
        "failed": t("app.figure_failed"),
    }
    _component(key=key, data=pack(meta, spec_json(fig)))
