"""Attention, step by step: from a sentence to context vectors, every number visible.

Controls (all URL-bound): the sentence, the weight preset, heads, the head shown, mask /
scaling / temperature, the step and the query token. Weight edits live in session state.
The temperature and everything it changes form a fragment (ui.attention.attention_section):
moving it reruns neither the weight editor nor the token table.
"""

from __future__ import annotations

import streamlit as st

from core.embeddings import DEFAULT_TEXT, MAX_HEADS, MAX_TOKENS, PRESETS
from ui import attention as ua
from ui import widgets as w
from ui.i18n import lang, t
from ui.layout import chapter_header, explain, next_chapter

L = lang()
chapter_header("att")

# ── 1. settings ───────────────────────────────────────────────────────────────────────
# an untouched example sentence follows the language switch; the user's own text stays
if st.session_state.get("att_text") in set(DEFAULT_TEXT.values()) - {DEFAULT_TEXT[L]}:
    st.session_state["att_text"] = DEFAULT_TEXT[L]
text = w.text(
    "att_text",
    t("att.text_label"),
    DEFAULT_TEXT[L],
    max_chars=200,
    help=t("att.text_help", n=MAX_TOKENS),
)
c1, c2, c3 = st.columns([5, 3, 2], vertical_alignment="bottom")
preset = w.select(
    "att_preset",
    t("att.preset"),
    PRESETS,
    "meaningful",
    labels={p: t(f"att.preset_{p}") for p in PRESETS},
    kind="segmented",
    where=c1,
    help=t("att.preset_help"),
)
n_heads = int(
    w.select(
        "att_heads",
        t("att.heads"),
        list(range(1, MAX_HEADS + 1)),
        1,
        kind="segmented",
        where=c2,
        help=t("att.heads_help"),
    )
)
seed = int(
    w.number(
        "att_seed",
        t("att.seed"),
        0,
        9999,
        0,
        1,
        where=c3,
        disabled=preset != "random",
        help=t("att.seed_help"),
    )
)
c1, c2, temp_box = st.columns([2, 2, 3], vertical_alignment="bottom")
causal = w.toggle("att_causal", t("att.causal"), True, where=c1, help=t("att.causal_help"))
scale = w.toggle("att_scale", t("att.scale"), True, where=c2, help=t("att.scale_help"))
# temp_box: the temperature slider, drawn by ua.attention_section below
with st.expander(t("att.toggles_title"), icon=":material/tune:"):
    explain(t("att.toggles_text"))

head = 1
if n_heads > 1:
    head = int(
        w.select(
            "att_head",
            t("att.head"),
            list(range(1, n_heads + 1)),
            1,
            labels={h: str(h) for h in range(1, n_heads + 1)},  # ?att_head=2 in any language
            kind="segmented",
            help=t("att.head_help"),
        )
    )
    head = min(max(head, 1), n_heads)

with st.expander(t("att.edit_title", h=head), icon=":material/edit:"):
    explain(t("att.edit_text"))
    edits = ua.weight_editors(preset, seed, n_heads, head - 1)

toks = ua.tokens_of(text)
if isinstance(toks, str):
    st.warning(t(f"att.err_{toks}"), icon=":material/warning:")
    next_chapter("att")
    st.stop()

# ── 2. tokens ─────────────────────────────────────────────────────────────────────────
tok, emb = toks
T = len(tok.tokens)
ua.tokens_section(tok, emb)
query = int(
    w.select(
        "att_query",
        t("att.query"),
        list(range(T)),
        T - 1,
        labels={i: f"{i + 1}  {piece}" for i, piece in enumerate(tok.tokens)},
        help=t("att.query_help"),
    )
)
query = min(max(query, 0), T - 1)

# ── 3.–6. the temperature, the steps, views, heads and the download (a fragment) ──────
ua.attention_section(
    temp_box, text, L, preset, seed, n_heads, causal, scale, edits, head - 1, query
)
next_chapter("att")
