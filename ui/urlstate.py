"""App-wide URL parameters that Streamlit's widget binding cannot express.

``?lang=ja|en`` and ``?present=1`` belong to the frame, not to a page. Streamlit's own
binding would write a widget's *displayed* text (``日本語``) or ``true``, so these are
kept by hand with one rule: a valid URL value wins; an invalid one is dropped; a value
chosen earlier in the session is written back when page navigation drops it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st


def _chosen(key: str) -> str:
    return f"_{key}_chosen"


def sticky(
    param: str,
    key: str,
    parse: Callable[[str], Any],
    fallback: Callable[[], Any],
    encode: Callable[[Any], str | None],
) -> Any:
    """Sync ``st.session_state[key]`` with the URL parameter ``param`` before its widget.

    ``parse`` returns the value for a URL string, or None when it is invalid;
    ``encode`` returns the URL string for a value, or None to leave it out of the URL.
    """
    url = st.query_params.get(param)
    value = parse(url) if url is not None else None
    if value is not None:
        st.session_state[key] = value
        st.session_state[_chosen(key)] = True
    else:
        if url is not None:
            del st.query_params[param]
        if st.session_state.get(_chosen(key)) and key in st.session_state:
            text = encode(st.session_state[key])
            if text is not None:
                st.query_params[param] = text
        elif key not in st.session_state:
            st.session_state[key] = fallback()
    return st.session_state[key]


def write_back(param: str, key: str, encode: Callable[[Any], str | None]) -> None:
    """Widget callback: put the new value of ``key`` into the URL (or take it out)."""
    st.session_state[_chosen(key)] = True
    text = encode(st.session_state[key])
    if text is None:
        if param in st.query_params:
            del st.query_params[param]
    else:
        st.query_params[param] = text


def frame_params() -> dict[str, str]:
    """The frame's parameters to carry into a link to another page (lang, present)."""
    out: dict[str, str] = {}
    lang = st.session_state.get("lang")
    if st.session_state.get(_chosen("lang")) and lang:
        out["lang"] = lang
    if st.session_state.get("app_present"):
        out["present"] = "1"
    return out
