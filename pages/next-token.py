"""Next-token prediction with a tiny GPT trained in this project (issue 6)."""

import streamlit as st

from core.gpt import GPTError
from ui import next_token as nt
from ui import widgets as w
from ui.i18n import t
from ui.layout import chapter_header, chapter_link, explain, next_chapter

chapter_header("nt")
b = nt.bundle()
n_ctx = b.model.config.n_ctx

# ── 1. the prompt and its tokens ───────────────────────────────────────────────
st.subheader(t("nt.prompt_head"))
explain(t("nt.prompt_text"))
ex_cols = st.columns(3)
for i, (col, ex) in enumerate(zip(ex_cols, nt.prompt_examples(), strict=True)):
    col.button(
        t(f"nt.example_label_{i + 1}"),
        key=f"nt_ex{i + 1}",
        on_click=nt.set_prompt,
        args=(ex,),
        width="stretch",
        icon=":material/edit_note:",
    )
text = w.text(
    "nt_prompt",
    t("nt.prompt_label"),
    nt.default_prompt(),
    max_chars=nt.MAX_CHARS,
    help=t("nt.prompt_help", n=nt.MAX_CHARS),
)
added = nt.state(text)["added"]
p = nt.prepare(text, tuple(added))
if p.empty:
    st.info(t("nt.empty_info"), icon=":material/info:")
if p.unknown:
    st.warning(t("nt.unknown_warn", n=len(p.unknown)), icon=":material/help:")
    st.code(" ".join(p.unknown), language=None)
if p.n_cut:
    st.info(t("nt.cut_info", n_ctx=n_ctx, n_cut=p.n_cut), icon=":material/content_cut:")

explain(t("nt.tokens_text", n=len(p.all_ids), v=b.tok.size))
st.dataframe(nt.token_table(p), width="stretch")

# ── 2.-3. decoding, the text so far, greedy versus sampling (one fragment) ─────────
try:
    logits, att = nt.run(p.ids)
except GPTError as err:  # cannot happen with a prepared prompt; shown, not raised
    st.error(t("nt.err_model", code=err.code), icon=":material/error:")
    st.stop()
nt.decoding_section(text, tuple(added), p, logits)

# ── 4. attention maps (a fragment: the layer switch reruns only the figure) ──────
nt.attention_section(att, tuple(b.tok.piece(i) for i in p.ids))
chapter_link("att", t("nt.attn_link"))

# ── 5. watch it learn ────────────────────────────────────────────────────────────
nt.watch_it_learn(p.ids)

# ── 6. the bundled model, measured ─────────────────────────────────────────────
nt.bundled_report()
chapter_link("scale", t("nt.scale_link"))
next_chapter("nt")
