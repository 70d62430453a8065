"""Next-token prediction with a tiny GPT trained in this project (issue 6).

Settings are declared once in ui/model/nt.py (keys in the URL)."""

import streamlit as st

from core.gpt import GPTError
from ui import next_token as nt
from ui import next_token_learn as learn
from ui import next_token_targets as targets
from ui import widgets as w
from ui.i18n import t
from ui.layout import chapter_header, chapter_link, explain, next_chapter, show_error
from ui.model.nt import MAX_CHARS, NtSettings

chapter_header("nt")
b = nt.bundle()
n_ctx = b.model.config.n_ctx

# ── 1. the prompt and its tokens ───────────────────────────────────────────────
st.subheader(t("nt.prompt_head"))
explain(t("nt.prompt_text"))
st.markdown(t("nt.do_prompt"))
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
text = w.control(
    NtSettings,
    "prompt",
    t("nt.prompt_label"),
    value=nt.default_prompt(),
    help=t("nt.prompt_help", n=MAX_CHARS),
)
added = nt.state(text, page=True)["added"]
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
    show_error(err, section="nt.err")
    st.stop()
nt.decoding_section(text, tuple(added), p, logits)

# ── 4. the training target and its loss ─────────────────────────────────────────
targets.targets_section(p)

# ── 5. attention maps (a fragment: the layer switch reruns only the figure) ──────
nt.attention_section(att, tuple(b.tok.piece(i) for i in p.ids))
chapter_link("att", t("nt.attn_link"))

# ── 6. watch it learn ────────────────────────────────────────────────────────────
learn.watch_it_learn(p.ids)

# ── 7. the bundled model, measured ─────────────────────────────────────────────
learn.bundled_report()
chapter_link("scale", t("nt.scale_link"))
next_chapter("nt")
