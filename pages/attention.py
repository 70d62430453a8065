"""Attention, step by step: from a sentence to context vectors, every number visible.

The calculation comes first (the step navigator and the current step's figure), its
controls below it. Settings are declared once in ui/model/att.py (keys in the URL);
weight edits live in session state. The temperature and everything it changes form a
fragment (ui.attention.attention_section): moving it reruns neither the weight editor
nor the token table; a step move reruns only the steps (ui.attention_steps).
"""

from __future__ import annotations

import streamlit as st

from core.embeddings import DEFAULT_TEXT, MAX_TOKENS
from ui import attention as ua
from ui import widgets as w
from ui.i18n import lang, t
from ui.layout import chapter_header, explain, next_chapter, show_error
from ui.model.att import AttSettings, clamp_query, legacy_query

L = lang()
chapter_header("att")

# an untouched example sentence follows the language switch; the user's own text stays
if st.session_state.get("att_text") in set(DEFAULT_TEXT.values()) - {DEFAULT_TEXT[L]}:
    st.session_state["att_text"] = DEFAULT_TEXT[L]
if (old := legacy_query(st.query_params.get("att_query"))) is not None:
    st.query_params["att_query"] = old  # an older link wrote the token's label
# ── the calculation first (filled below, once its settings are read) ─────────────────
calc = st.container()

# ── the settings, under the calculation they change ───────────────────────────────────
st.markdown(t("att.do_settings"))
text = w.control(
    AttSettings,
    "text",
    t("att.text_label"),
    value=DEFAULT_TEXT[L],
    help=t("att.text_help", n=MAX_TOKENS),
)
toks = ua.tokens_of(text)
if not isinstance(toks, tuple):
    show_error(toks, section="att.err", where=calc)
    next_chapter("att")
    st.stop()
tok, emb = toks
T = len(tok.tokens)
query = clamp_query(
    w.control(
        AttSettings,
        "query",
        t("att.query"),
        options=list(range(T)),
        value=T - 1,
        labels={i: f"{i + 1}  {piece}" for i, piece in enumerate(tok.tokens)},
        help=t("att.query_help"),
    ),
    T,
)
c1, c2, c3 = st.columns([5, 3, 2], vertical_alignment="bottom")
preset = w.control(
    AttSettings, "preset", t("att.preset"), kind="segmented", where=c1, help=t("att.preset_help")
)
n_heads = int(
    w.control(
        AttSettings, "heads", t("att.heads"), kind="segmented", where=c2, help=t("att.heads_help")
    )
)
seed = int(
    w.control(
        AttSettings,
        "seed",
        t("att.seed"),
        kind="number",
        where=c3,
        disabled=preset != "random",
        help=t("att.seed_help"),
    )
)
c1, c2, temp_box = st.columns([2, 2, 3], vertical_alignment="bottom")
causal = w.control(AttSettings, "causal", t("att.causal"), where=c1, help=t("att.causal_help"))
scale = w.control(AttSettings, "scale", t("att.scale"), where=c2, help=t("att.scale_help"))
# temp_box: the temperature slider, drawn by ua.attention_section below
with st.expander(t("att.toggles_title"), icon=":material/tune:"):
    explain(t("att.toggles_text"))

head = 1
if n_heads > 1:
    head = int(
        w.control(
            AttSettings,
            "head",
            t("att.head"),
            kind="segmented",
            options=list(range(1, n_heads + 1)),
            help=t("att.head_help"),
        )
    )
    head = min(max(head, 1), n_heads)

with st.expander(t("att.edit_title", h=head), icon=":material/edit:"):
    explain(t("att.edit_text"))
    edits = ua.weight_editors(preset, seed, n_heads, head - 1)

# ── 2. tokens ─────────────────────────────────────────────────────────────────────────
ua.tokens_section(tok, emb)

# ── the temperature, the steps (into calc), views, heads, word order, the download ────
ua.attention_section(
    calc, temp_box, text, L, preset, seed, n_heads, causal, scale, edits, head - 1, query
)
next_chapter("att")
