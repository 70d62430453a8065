"""Inside the tiny GPT: from text to tokens to the next word, one connected flow.

Tokens first (bytes, byte-level BPE merge by merge, a real LLM tokenizer beside ours),
then the next-token chapter's tiny GPT opened up: its learned positions, one token
followed through every block with the logit lens, the loss at each position, and
generation with a key/value cache. Settings are declared once in ui/model/inside.py."""

import streamlit as st

from ui import inside_kv as ikv
from ui import inside_model as im
from ui import inside_tokens as it
from ui import widgets as w
from ui.i18n import t
from ui.layout import chapter_header, chapter_link, explain, next_chapter
from ui.model.inside import MAX_CHARS, InsideSettings, corpus_text
from ui.next_token import prepare

chapter_header("inside")

# ── 1. tokens ─────────────────────────────────────────────────────────────────────
st.header(t("inside.part_tokens"), divider="gray")
explain(t("inside.tok_text"))
st.markdown(t("inside.do_source"))
source = w.control(InsideSettings, "source", t("inside.source_label"), kind="segmented")
if source == "corpus":
    sample = corpus_text()
    st.caption(t("inside.corpus_note", n=len(sample)))
else:
    sample = w.control(
        InsideSettings,
        "sample",
        t("inside.sample_label"),
        kind="area",
        value=t("inside.sample_default"),
        help=t("inside.sample_help", n=MAX_CHARS),
    )
it.bytes_section(sample)
it.merges_section(sample)
it.real_section(sample)

# ── 2. the tiny GPT, opened up ────────────────────────────────────────────────────
st.header(t("inside.part_model"), divider="gray")
explain(im.model_text())
chapter_link("nt", t("inside.nt_link"))
prompt = w.control(
    InsideSettings,
    "prompt",
    t("inside.prompt_label"),
    value=t("nt.example_1"),
    help=t("inside.prompt_help", n=MAX_CHARS),
)
p = prepare(prompt)
n_ctx = im.bundle().model.config.n_ctx
if p.empty:
    st.info(t("nt.empty_info"), icon=":material/info:")
if p.unknown:
    st.warning(t("nt.unknown_warn", n=len(p.unknown)), icon=":material/help:")
if p.n_cut:
    st.info(t("inside.cut_info", n_ctx=n_ctx, n_cut=p.n_cut), icon=":material/content_cut:")
im.positions_section(p)
im.flow_section(p)
im.loss_section(p)
ikv.kv_section(p)
next_chapter("inside")
