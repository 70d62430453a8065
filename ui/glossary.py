"""The glossary: each term in a sentence, linked to the chapter that lets you try it.

The terms and their definitions are locale strings (``glossary.<id>.term`` / ``.def``);
this list only says where in the app each one is shown."""

from __future__ import annotations

from typing import Any

import streamlit as st

from ui.chapters import BY_KEY
from ui.i18n import t
from ui.layout import page_of
from ui.urlstate import frame_params

#: term id -> chapter key where it is shown (in the article's order)
TERMS: tuple[tuple[str, str], ...] = (
    ("parameter", "home"),
    ("loss", "home"),
    ("gradient", "gd"),
    ("learning_rate", "gd"),
    ("numerical", "gd"),
    ("activation", "nn"),
    ("backprop", "nn"),
    ("token", "inside"),
    ("bpe", "inside"),
    ("embedding", "att"),
    ("attention", "att"),
    ("qkv", "att"),
    ("softmax", "att"),
    ("position", "inside"),
    ("kv_cache", "inside"),
    ("next_token", "nt"),
    ("cross_entropy", "nt"),
    ("flops", "scale"),
)


#: session-state key of the popover's open state
OPEN_KEY = "glossary_open"


def glossary(where: Any) -> None:
    """A sidebar popover with every term, its meaning and a link to its chapter.

    Its 37 elements are written only while it is open (opening it reruns the page): drawn
    closed on every run, they were about a fifth of the server's work for a page open
    (bench/notes.md), and a whole class opens a page at once."""
    box = where.popover(
        t("glossary.title"),
        icon=":material/menu_book:",
        width="stretch",
        key=OPEN_KEY,
        on_change="rerun",
    )
    if not box.open:
        return
    with box:
        st.caption(t("glossary.intro"))
        for term, chapter_key in TERMS:
            chapter = BY_KEY[chapter_key]
            st.markdown(f"**{t(f'glossary.{term}.term')}** — {t(f'glossary.{term}.def')}")
            st.page_link(
                page_of(chapter_key),
                label=t("glossary.go", chapter=t(f"{chapter.key}.nav")),
                icon=chapter.icon,
                query_params=frame_params(),
            )
