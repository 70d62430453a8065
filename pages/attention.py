"""Attention, step by step: from a sentence to context vectors, every number visible.

Controls (all URL-bound): the sentence, the weight preset, heads, the head shown, mask /
scaling / temperature, the step and the query token. Weight edits live in session state.
"""

from __future__ import annotations

import functools

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
c1, c2, c3 = st.columns([2, 2, 3], vertical_alignment="bottom")
causal = w.toggle("att_causal", t("att.causal"), True, where=c1, help=t("att.causal_help"))
scale = w.toggle("att_scale", t("att.scale"), True, where=c2, help=t("att.scale_help"))
temp = float(
    w.slider("att_temp", t("att.temp"), 0.1, 5.0, 1.0, 0.1, where=c3, help=t("att.temp_help"))
)
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

res = ua.compute(text, L, preset, seed, n_heads, causal, scale, temp, edits)
if isinstance(res, str):
    st.warning(t(f"att.err_{res}"), icon=":material/warning:")
    next_chapter("att")
    st.stop()

# ── 2. tokens ─────────────────────────────────────────────────────────────────────────
toks = res.tok.tokens
T = len(toks)
ua.tokens_section(res)
query = int(
    w.select(
        "att_query",
        t("att.query"),
        list(range(T)),
        T - 1,
        labels={i: f"{i + 1}  {tok}" for i, tok in enumerate(toks)},
        help=t("att.query_help"),
    )
)
query = min(max(query, 0), T - 1)


# ── 3. the steps (a fragment: stepping reruns only this part) ───────────────────────────
@st.fragment
def steps(res: ua.Result, head: int, query: int) -> None:
    st.header(t("att.h_steps"))
    if w.toggle("att_all", t("att.show_all"), False, help=t("att.show_all_help")):
        for s in range(1, ua.N_STEPS + 1):
            ua.step_panel(s, res, head, query)
    else:
        ua.step_panel(ua.step_navigator(), res, head, query)


steps(res, head - 1, query)

# ── 4.–5. views and heads ─────────────────────────────────────────────────────────────
ua.views_section(res, head - 1, query, L)
ua.heads_section(res, query)

# ── 6. take the numbers home ──────────────────────────────────────────────────────────
st.header(t("att.h_download"))
explain(t("att.download_text"))
settings = dict(text=text, preset=preset, seed=seed, heads=n_heads, causal=causal,
                scale=scale, temperature=temp, edited_cells=len(edits))  # fmt: skip
st.download_button(
    t("att.download_json"),
    functools.partial(ua.to_json, res, settings),  # built on click, not on every rerun
    file_name="attention.json",
    mime="application/json",
    key="att_dl_json",
    icon=":material/download:",
    on_click="ignore",
)
next_chapter("att")
