"""Layout pieces shared by the pages: chapter header, figures, translated errors."""

from __future__ import annotations

import copy
import csv
import io
import json
import urllib.parse
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import streamlit as st

from ui.chapters import BY_KEY, CHAPTERS
from ui.figure import draw
from ui.frame import presenting
from ui.i18n import has, t
from ui.urlstate import frame_params
from viz.theme import sealed, themed

LEGACY_PATH = "_legacy_path"  # URL path a legacy-mode first run was asked for

#: Plotly toolbar: keep the PNG download visible, drop the plotly logo and the "Share
#: chart" button (it uploads the figure to Plotly's cloud: nothing leaves the host).
PLOT_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "displayModeBar": True,
    "showSendToCloud": False,
    "toImageButtonOptions": {"format": "png", "scale": 2},
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "sendChartToCloud"],
}


FRAME_RAN = "_frame_ran"  # set by the app frame before it runs a page


def leave_legacy_run() -> None:
    """Go through the app frame if Streamlit ran this page script on its own.

    A freshly started server serves a ``pages/`` folder in Streamlit's legacy multipage
    mode until ``st.navigation`` has run once: a visitor's first deep link (``/scale``)
    runs that page script directly, without the frame (no language switch, no
    navigation). Its sidebar is hidden by ``client.showSidebarNavigation = false``, and
    this sends the run, with its URL, to the frame, which goes on to the page asked for
    (:func:`resume_legacy_target`). Public API only: a session whose frame never ran is
    such a run."""
    if st.session_state.get(FRAME_RAN):
        return
    url = st.context.url or ""
    st.session_state[LEGACY_PATH] = urllib.parse.urlsplit(url).path.strip("/")
    st.switch_page("streamlit_app.py", query_params=st.query_params.to_dict())


def resume_legacy_target(pages: dict[str, Any], current: Any) -> None:
    """After :func:`leave_legacy_run`, go to the page the visitor asked for (legacy mode
    may have sent the run to the home page when it did not know the URL path)."""
    path = st.session_state.pop(LEGACY_PATH, None)
    if not path:
        return
    for chapter in CHAPTERS:
        if chapter.url and path.endswith(chapter.url) and pages[chapter.key] is not current:
            st.switch_page(pages[chapter.key], query_params=st.query_params.to_dict())


def chapter_header(key: str) -> None:
    """Title and one-line lead of a chapter, from ``<key>.title`` and ``<key>.lead``."""
    leave_legacy_run()
    st.title(t(f"{key}.title"))
    explain(t(f"{key}.lead"))


#: Smallest figure text in the presenter view (tick labels, heat-map numbers, notes), px.
PRESENT_MIN_FONT = 16
PRESENT_SCALE = 1.3


def presenter_fonts(spec: Any) -> Any:
    """A figure's dict with every text size enlarged for the back of a room: each font
    size × 1.3 and at least 16 px, the base font included (tick labels inherit it)."""

    def walk(node: Any, in_font: bool) -> None:
        if isinstance(node, dict):
            if in_font and isinstance(node.get("size"), int | float):
                node["size"] = max(PRESENT_MIN_FONT, node["size"] * PRESENT_SCALE)
            for k, v in node.items():
                walk(v, k.endswith("font"))
        elif isinstance(node, list):
            for v in node:
                walk(v, in_font)

    out = copy.deepcopy(spec)
    layout = out.setdefault("layout", {})
    base = layout.get("font", {}).get("size") or 15
    walk(out, False)
    layout.setdefault("font", {})["size"] = max(PRESENT_MIN_FONT, base * PRESENT_SCALE)
    return out


def plot(fig: Any, *, key: str, alt: str) -> None:
    """Draw a plotly figure with alt text, our own template and the PNG button
    (:mod:`ui.figure`: updated in place when a rerun changes it).

    In the presenter view every text in the figure is enlarged (on a copy: figures may
    come from a cache)."""
    if presenting():
        fig = sealed(presenter_fonts(fig.to_dict() if hasattr(fig, "to_dict") else fig))
    # the browser's light or dark theme (.streamlit/config.toml follows the system's)
    fig = themed(fig, dark=st.context.theme.type == "dark")
    draw(fig, key=key, alt=alt, config=PLOT_CONFIG)


_PAGES = "_chapter_pages"  # session state: this run's st.Page per chapter key


def remember_pages(pages: dict[str, Any]) -> None:
    """Keep the frame's st.Page objects for :func:`page_of` (called once per run)."""
    st.session_state[_PAGES] = pages


def page_of(key: str) -> Any:
    """A chapter's registered st.Page, once the frame has run, else its script path.

    A link given the page object skips Streamlit's path resolution (an
    ``os.path.realpath`` per link, a chain of ``lstat`` calls): with the glossary's 18
    links that was about a third of a page open's CPU."""
    return st.session_state.get(_PAGES, {}).get(key) or BY_KEY[key].file


def chapter_link(key: str, label: str | None = None) -> None:
    """An in-app link to a chapter that keeps the language."""
    ch = BY_KEY[key]
    st.page_link(
        page_of(key), label=label or t(f"{key}.nav"), icon=ch.icon, query_params=frame_params()
    )


def next_chapter(key: str) -> None:
    """Previous / next chapter buttons at the end of a page (PageUp / PageDown)."""
    keys = [c.key for c in CHAPTERS]
    i = keys.index(key)
    st.divider()
    left, right = st.columns(2)
    target = None
    if i > 0:
        prev = keys[i - 1]
        if left.button(
            t("app.prev_chapter", title=t(f"{prev}.nav")),
            key=f"app_prev_{key}",
            icon=":material/arrow_back:",
            shortcut="PageUp",
            help=t("app.chapter_key_help", key="PageUp"),
        ):
            target = prev
    if i + 1 < len(keys):
        nxt = keys[i + 1]
        if right.button(
            t("app.next_chapter", title=t(f"{nxt}.nav")),
            key=f"app_next_{key}",
            icon=":material/arrow_forward:",
            type="primary",
            shortcut="PageDown",
            help=t("app.chapter_key_help", key="PageDown"),
        ):
            target = nxt
    if target is not None:
        st.switch_page(BY_KEY[target].file, query_params=frame_params())


def explain(text: str) -> None:
    """An explanation: in full, or in the presenter view its first sentence with the
    rest behind an expander (readable from the back of the room)."""
    if not presenting():
        st.markdown(text)
        return
    head, rest = split_first_sentence(text)
    st.markdown(head)
    if rest:
        with st.expander(t("app.more")):
            st.markdown(rest)


def split_first_sentence(text: str) -> tuple[str, str]:
    """``text`` cut after its first sentence (。 ！ ？ or . ! ? followed by a space)."""
    for i, ch in enumerate(text):
        if ch in "。！？" or (ch in ".!?" and text[i + 1 : i + 2] in (" ", "\n")):
            return text[: i + 1].strip(), text[i + 1 :].strip()
    return text.strip(), ""


def error_text(
    exc: BaseException, *, section: str = "errors", fallback: str = "errors.unknown"
) -> str:
    """The translated message of a core error: ``<section>.<code>`` filled from its
    ``info`` (for example ``scale.errors.too_big``), else ``errors.<code>``, else
    ``fallback`` (a generic message naming the code as ``{detail}`` or ``{code}``). Never the
    exception's own text or a traceback."""
    code = str(getattr(exc, "code", "") or "unknown")
    info = getattr(exc, "info", None) or {}
    for key in (f"{section}.{code}", f"errors.{code}"):
        if has(key):
            try:
                return t(key, **info)
            except (KeyError, IndexError, ValueError):  # a placeholder the info lacks
                break
    return t(fallback, detail=code, code=code)


def show_error(
    exc: BaseException,
    *,
    section: str = "errors",
    fallback: str = "errors.unknown",
    where: Any = st,
) -> None:
    """The one way a page shows a core error (:class:`core.errors.ExplorableError`)."""
    where.error(error_text(exc, section=section, fallback=fallback), icon=":material/error:")


def _csv_cell(v: Any) -> str:
    """One CSV cell: numbers in full precision; text that a spreadsheet would run as a
    formula (= + - @ at the start) is prefixed with an apostrophe."""
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v)).lower()
    if isinstance(v, (int, float, np.integer, np.floating)):
        return repr(float(v)) if isinstance(v, (float, np.floating)) else str(int(v))
    text = "" if v is None else str(v)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def table_csv(table: Mapping[str, Sequence[Any]]) -> str:
    """``{column: values}`` as CSV text (columns of equal length)."""
    buf = io.StringIO()
    wr = csv.writer(buf)
    wr.writerow([_csv_cell(c) for c in table])
    for row in zip(*table.values(), strict=True):
        wr.writerow([_csv_cell(v) for v in row])
    return buf.getvalue()


def _jsonable(v: Any) -> Any:
    if isinstance(v, np.ndarray):
        return _jsonable(v.tolist())
    if isinstance(v, (np.floating, float)):
        return float(v) if np.isfinite(v) else None
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, Mapping):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    return v


def data_json(data: Mapping[str, Any]) -> str:
    """``data`` as JSON (arrays as lists, non-finite numbers as null, text unescaped)."""
    return json.dumps(_jsonable(data), ensure_ascii=False, indent=2)


def downloads(
    name: str,
    *,
    key: str,
    table: Mapping[str, Sequence[Any]] | None = None,
    data: Mapping[str, Any] | None = None,
) -> None:
    """Take the numbers home: ``table`` as CSV and ``data`` as JSON, side by side.

    The files are built only when clicked (no rerun either: ``on_click="ignore"``).
    """
    files = (
        (table, "csv", "text/csv", ":material/download:", lambda: table_csv(table)),
        (data, "json", "application/json", ":material/data_object:", lambda: data_json(data)),
    )
    for col, (content, ext, mime, icon, build) in zip(st.columns(2), files, strict=True):
        if content is not None:
            col.download_button(
                t(f"app.download_{ext}"),
                build,
                file_name=f"{name}.{ext}",
                mime=mime,
                key=f"{key}_{ext}",
                icon=icon,
                on_click="ignore",
                width="stretch",
            )
