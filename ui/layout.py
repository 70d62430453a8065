"""Layout pieces shared by the pages: chapter header, figures, translated errors."""

from __future__ import annotations

from typing import Any

import streamlit as st

from ui.chapters import BY_KEY, CHAPTERS
from ui.i18n import LANG_KEY, t

#: Plotly toolbar: keep the PNG download visible, drop the plotly logo.
PLOT_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "displayModeBar": True,
    "toImageButtonOptions": {"format": "png", "scale": 2},
    "modeBarButtonsToRemove": ["select2d", "lasso2d"],
}


def chapter_header(key: str) -> None:
    """Title and one-line lead of a chapter, from ``<key>.title`` and ``<key>.lead``."""
    st.title(t(f"{key}.title"))
    st.markdown(t(f"{key}.lead"))


def plot(fig: Any, *, key: str, alt: str, **kw: Any) -> None:
    """Draw a plotly figure with alt text, our own template and the PNG button."""
    st.plotly_chart(fig, key=key, alt=alt, theme=None, config=PLOT_CONFIG, **kw)


def link_params() -> dict[str, str]:
    """Query parameters a link to another page carries: the chosen language."""
    value = st.session_state.get(LANG_KEY)
    return {LANG_KEY: value} if value else {}


def chapter_link(key: str, label: str | None = None) -> None:
    """An in-app link to a chapter that keeps the language."""
    ch = BY_KEY[key]
    st.page_link(ch.file, label=label or t(f"{key}.nav"), icon=ch.icon, query_params=link_params())


def next_chapter(key: str) -> None:
    """A link to the chapter after ``key`` (nothing after the last one)."""
    keys = [c.key for c in CHAPTERS]
    i = keys.index(key)
    if i + 1 < len(keys):
        nxt = keys[i + 1]
        st.divider()
        chapter_link(nxt, t("app.next_chapter", title=t(f"{nxt}.nav")))


def coming_soon(key: str) -> None:
    """The placeholder of a chapter whose page is not built yet: title and summary."""
    chapter_header(key)
    st.info(t("app.coming_soon"), icon=":material/construction:")
    st.markdown(t(f"{key}.summary"))


def error(code: str, **values: Any) -> None:
    """Show a translated error for a machine-readable code from core (``errors.<code>``)."""
    st.error(t(f"errors.{code}", **values), icon=":material/error:")
