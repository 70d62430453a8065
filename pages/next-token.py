"""Next-token prediction with a tiny GPT trained in this project (issue 6)."""

import numpy as np
import streamlit as st

from core.corpus import sentence_counts
from core.gpt import GPTError, next_token_probs, repetition
from ui import next_token as nt
from ui import widgets as w
from ui.i18n import t
from ui.layout import chapter_header, chapter_link, explain, next_chapter, plot
from viz import next_token as vz

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

# ── 2. probabilities of the next token and decoding ───────────────────────────
st.subheader(t("nt.probs_head"))
explain(t("nt.probs_text"))
left, right = st.columns([2, 3], gap="large")
with left:
    mode = w.select(
        "nt_mode",
        t("nt.mode_label"),
        ["greedy", "sample"],
        "greedy",
        labels={"greedy": t("nt.mode_greedy"), "sample": t("nt.mode_sample")},
        kind="segmented",
    )
    off = mode == "greedy"
    temp = w.slider(
        "nt_temp", t("nt.temp_label"), 0.0, 5.0, 1.0, 0.05, disabled=off, help=t("nt.temp_help")
    )
    top_k = w.slider(
        "nt_topk", t("nt.topk_label"), 0, 20, 0, 1, disabled=off, help=t("nt.topk_help")
    )
    top_p = w.slider(
        "nt_topp", t("nt.topp_label"), 0.0, 1.0, 1.0, 0.05, disabled=off, help=t("nt.topp_help")
    )
    seed = w.number("nt_seed", t("nt.seed_label"), 0, 99999, 0, 1, help=t("nt.seed_help"))
    kw = nt.settings_of(mode, temp, top_k, top_p)
    for note in nt.sampling_notes(mode, temp, top_k, top_p):
        st.caption(note)
try:
    logits, att = nt.run(p.ids)
    probs = next_token_probs(logits)
    draw = next_token_probs(logits, **kw)
except GPTError as err:  # cannot happen with a prepared prompt; shown, not raised
    st.error(t("nt.err_model", code=err.code), icon=":material/error:")
    st.stop()
top = [int(i) for i in np.argsort(-probs, kind="stable")[: nt.TOP]]
pieces = [b.tok.piece(i) for i in top]
with right:
    fig = vz.probability_bars(
        pieces,
        probs[top],
        draw[top],
        name_model=t("nt.legend_model"),
        name_sample=t("nt.legend_sample"),
        axis=t("nt.axis_prob"),
    )
    plot(
        fig,
        key="nt_probs_fig",
        alt=t("nt.probs_alt", token=vz.token_label(pieces[0]), p=f"{probs[top[0]]:.1%}"),
    )
nt.download_prediction(
    p,
    text,
    added,
    {"mode": mode, "temperature": temp, "top_k": top_k, "top_p": top_p, "seed": seed},
    kw,
    logits,
    probs,
    draw,
)

n_gen = w.slider("nt_n", t("nt.n_label"), 1, 40, 10, 1)
c1, c2, c3 = st.columns(3)
c1.button(
    t("nt.next_button"),
    key="nt_next",
    type="primary",
    shortcut="N",
    width="stretch",
    icon=":material/skip_next:",
    on_click=nt.add_tokens,
    args=(text, 1, seed, kw),
    help=t("nt.next_help"),
)
c2.button(
    t("nt.generate_button", n=n_gen),
    key="nt_generate",
    shortcut="G",
    width="stretch",
    icon=":material/fast_forward:",
    on_click=nt.add_tokens,
    args=(text, n_gen, seed, kw),
    help=t("nt.generate_help"),
)
c3.button(
    t("nt.reset_button"),
    key="nt_reset",
    width="stretch",
    icon=":material/replay:",
    on_click=nt.reset,
    args=(text,),
    disabled=not added,
)
st.caption(t("nt.so_far", n=len(added)))
# an empty prompt starts from a line break that is not part of the text
st.code(
    nt.visible(b.tok.decode(p.all_ids[1:] if p.empty else p.all_ids)),
    language=None,
    wrap_lines=True,
)

# ── 3. greedy versus sampling ─────────────────────────────────────────────────
st.subheader(t("nt.compare_head"))
explain(t("nt.compare_text"))
g_col, s_col = st.columns(2, gap="large")
samp = ("sample", temp, top_k, top_p) if mode == "sample" else ("sample", 1.0, 0, 1.0)
start = nt.prepare(text).ids  # the prompt alone: Next/Generate do not redo this section
for col, args, head in (
    (g_col, ("greedy", 1.0, 0, 1.0), "nt.greedy_col"),
    (s_col, samp, "nt.sample_col"),
):
    cont = nt.continuation(start, nt.COMPARE, int(seed), *args)
    col.markdown(t(head, temp=f"{args[1]:g}", seed=int(seed), n=nt.COMPARE))
    col.code(nt.visible(b.tok.decode(cont)), language=None, wrap_lines=True)
    whole, distinct = sentence_counts(b.tok.decode(cont))
    period, reps = repetition(cont)
    col.caption(
        t("nt.sentences_note", n=whole, k=distinct)
        + " "
        + (
            t("nt.repeat_note", period=period, reps=reps)
            if reps >= 2 and period > 2
            else t("nt.no_repeat_note")
        )
    )

# ── 4. attention maps ───────────────────────────────────────────────────────────
st.subheader(t("nt.attn_head"))
explain(t("nt.attn_text", n_layer=b.model.config.n_layer, n_head=b.model.config.n_head))
layers = list(range(b.model.config.n_layer))
layer = w.select(
    "nt_layer",
    t("nt.layer_label"),
    layers,
    0,
    kind="segmented",
    labels={i: t("nt.layer_name", n=i + 1) for i in layers},
)
ctx_pieces = [b.tok.piece(i) for i in p.ids]
heads = [t("nt.head_title", n=h + 1) for h in range(b.model.config.n_head)]
plot(
    vz.attention_maps(att[layer], ctx_pieces, heads, weight_axis=t("nt.weight_axis")),
    key="nt_attn_fig",
    alt=t("nt.attn_alt", layer=layer + 1, n=len(ctx_pieces)),
)
chapter_link("att", t("nt.attn_link"))

# ── 5. watch it learn ────────────────────────────────────────────────────────────
nt.watch_it_learn(int(seed), p.ids)

# ── 6. the bundled model, measured ─────────────────────────────────────────────
nt.bundled_report()
chapter_link("scale", t("nt.scale_link"))
next_chapter("nt")
