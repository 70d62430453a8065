"""AppTest helpers: run the real entrypoint on a chosen page, language and URL."""

from __future__ import annotations

import json
import pathlib
from dataclasses import dataclass

import streamlit.testing.v1.app_test as _app_test
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from ui.chapters import BY_KEY
from ui.figure import unpack

# AppTest resets ``PagesManager.uses_pages_directory`` before every run, so each rerun of
# an app that has a ``pages/`` folder goes through Streamlit's legacy (v1) multipage path,
# which drops the sidebar from AppTest's tree after the first run (and sends a bare
# AppTest to the home page). The real server clears the flag for good as soon as
# ``st.navigation`` runs; this makes AppTest do the same. Importing this module applies it.


class _NavigationPagesManager(PagesManager):
    def __init__(self, *args, **kwargs):
        PagesManager.uses_pages_directory = False
        super().__init__(*args, **kwargs)


_app_test.PagesManager = _NavigationPagesManager

ROOT = pathlib.Path(__file__).resolve().parents[2]
ENTRY = str(ROOT / "streamlit_app.py")
LOCALE = {"ja": "ja-JP", "en": "en-US"}


def app(lang: str = "en", params: dict[str, str] | None = None, *, timeout: float = 30) -> AppTest:
    """An AppTest of the entrypoint with the browser locale of ``lang`` and URL ``params``."""
    at = AppTest.from_file(ENTRY, default_timeout=timeout)
    at.context["locale"] = LOCALE[lang]
    for k, v in (params or {}).items():
        at.query_params[k] = v
    return at


def open_page(
    chapter: str, lang: str = "en", params: dict[str, str] | None = None, *, timeout: float = 30
) -> AppTest:
    """Run the app once, switch to ``chapter``'s page, and return the finished AppTest."""
    at = app(lang, params, timeout=timeout).run()
    if chapter != "home":
        at.switch_page(BY_KEY[chapter].file).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    """All visible text of markdown-like elements, joined (for language checks)."""
    parts = [e.value for e in at.markdown] + [e.value for e in at.title]
    parts += [e.value for e in at.header] + [e.value for e in at.subheader]
    parts += [e.value for e in at.caption] + [e.value for e in at.info]
    return "\n".join(str(p) for p in parts)


@dataclass(frozen=True)
class Chart:
    """One figure as the page sent it (ui/figure.py): its key, JSON and alt text."""

    key: str
    spec: str
    alt: str

    @property
    def fig(self) -> dict:
        return json.loads(self.spec)


def figure_key(proto) -> str:
    """A figure element's key: its id is ``$$ID-<hash>-<key>``."""
    return proto.id.split("-", 2)[2]


def charts(at: AppTest) -> list[Chart]:
    """The page's figures in page order, as ``ui.figure.draw`` sent them."""
    out = []
    for e in at.get("bidi_component"):
        if e.proto.component_name != "app_figure":
            continue
        meta, spec = unpack(e.proto.bytes)
        out.append(Chart(figure_key(e.proto), spec, meta["alt"]))
    return out
