"""Translation: every user-facing string comes from locales/<lang>.toml through t().

The language is chosen, in this order, by
1. the sidebar switch, kept in the URL as ``?lang=ja|en``;
2. the browser's locale (``st.context.locale`` starting with ``ja`` -> Japanese);
3. English.
"""

from __future__ import annotations

import string
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import streamlit as st

from ui.catalog import LANGS, catalog
from ui.urlstate import sticky, write_back

LANG_NAMES: Mapping[str, str] = {"ja": "日本語", "en": "English"}
LANG_KEY = "lang"  # session-state key and URL parameter of the switch


def placeholders(text: str) -> set[str]:
    """The ``{name}`` fields of a format string."""
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def browser_lang() -> str:
    """Language suggested by the browser (``ja`` for any ``ja-*`` locale)."""
    try:
        loc = st.context.locale
    except Exception:  # no browser context (bare script run)
        loc = None
    return "ja" if isinstance(loc, str) and loc.lower().startswith("ja") else "en"


# The language of the run in progress in this thread, once the frame has drawn the switch
# (see :func:`run_language`). A page open calls t() about 250 times; each read of session
# state goes through Streamlit's locks and widget-id mapping, about 6 % of the neural
# network's open (bench/notes.md). Streamlit runs each script run in its own thread, and
# the pin is dropped when the frame's run ends, so callbacks, fragment reruns and any
# other thread read session state as before.
_RUN = threading.local()


def lang() -> str:
    """The language of this run."""
    pinned = getattr(_RUN, "lang", None)
    if pinned is not None:
        return pinned
    value = st.session_state.get(LANG_KEY)
    return value if value in LANGS else browser_lang()


@contextmanager
def run_language() -> Iterator[str]:
    """Draw the language switch, then answer :func:`lang` from that one read until the
    block ends (the rest of the frame's run: the page and everything after it)."""
    _RUN.lang = None
    try:
        _RUN.lang = language_switch()
        yield _RUN.lang
    finally:
        _RUN.lang = None


def t(key: str, /, **values: object) -> str:
    """Translate ``key`` into the current language and fill its ``{placeholders}``.

    A missing key shows as ``⟦key⟧`` instead of crashing (tests catch it), and the
    values are formatted with ``str.format`` only, never evaluated.
    """
    return tr(lang(), key, **values)


def has(key: str, /) -> bool:
    """Whether ``key`` has a translation (in every language: the locale test checks)."""
    return key in catalog(lang())


def tr(language: str, key: str, /, **values: object) -> str:
    """Like :func:`t` for an explicit language."""
    text = catalog(language).get(key)
    if text is None:
        return f"⟦{key}⟧"
    return text.format(**values) if values else text


def _on_switch() -> None:
    """Language switch callback: write the choice to the URL and keep selections.

    Choice widgets send their *displayed* label back, which changes with the
    language; re-assigning the stored values keeps the selection across a switch.
    """
    from ui.widgets import remember_choices  # here: ui.widgets imports this module

    write_back(LANG_KEY, LANG_KEY, str)
    remember_choices()


def language_switch() -> str:
    """The sidebar switch, kept in the URL as ``?lang=ja|en``; returns the language.

    Streamlit's own URL binding would store the displayed name (``日本語``), so the
    parameter is kept by hand (see ui/urlstate.py).
    """
    sticky(LANG_KEY, LANG_KEY, lambda v: v if v in LANGS else None, browser_lang, str)
    st.sidebar.segmented_control(
        "Language / 言語",
        options=list(LANGS),
        format_func=LANG_NAMES.__getitem__,
        key=LANG_KEY,
        on_change=_on_switch,
        required=True,
    )
    return lang()
