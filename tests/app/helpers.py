"""AppTest helpers: run the real entrypoint on a chosen page, language and URL."""

from __future__ import annotations

import pathlib

from streamlit.testing.v1 import AppTest

from ui.chapters import BY_KEY

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
