"""Attention, step by step: from a sentence to context vectors, every number visible.

Controls (all URL-bound): the sentence, the weight preset, heads, the head shown, mask /
scaling / temperature, the step and the query token. Weight edits live in session state.
"""

from __future__ import annotations

import streamlit as st

from core.embeddings import DEFAULT_TEXT, MAX_HEADS, MAX_TOKENS, PRESETS, REFERENCE
from ui import attention as ua
from ui import widgets as w
from ui.i18n import lang, t
from ui.layout import chapter_header, next_chapter, plot
from viz import attention as va

L = lang()
chapter_header("att")

# ── 1. settings ───────────────────────────────────────────────────────────────────────
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
    st.markdown(t("att.toggles_text"))

head = 1
if n_heads > 1:
    head = int(
        w.select(
            "att_head",
            t("att.head"),
            list(range(1, n_heads + 1)),
            1,
            labels={h: t("att.head_n", h=h) for h in range(1, n_heads + 1)},
            kind="segmented",
            help=t("att.head_help"),
        )
    )
    head = min(max(head, 1), n_heads)

with st.expander(t("att.edit_title", h=head), icon=":material/edit:"):
    st.markdown(t("att.edit_text"))
    edits = ua.weight_editors(preset, seed, n_heads, head - 1)

res = ua.compute(text, L, preset, seed, n_heads, causal, scale, temp, edits)
if isinstance(res, str):
    st.warning(t(f"att.err_{res}"), icon=":material/warning:")
    next_chapter("att")
    st.stop()

# ── 2. tokens ─────────────────────────────────────────────────────────────────────────
toks = res.tok.tokens
T = len(toks)
st.header(t("att.h_tokens"))
st.markdown(t("att.tokens_text", n=T))
if res.tok.truncated:
    st.info(t("att.truncated", n=res.tok.n_total, max=MAX_TOKENS), icon=":material/content_cut:")
names = ua.dim_names()
table = {
    t("att.col_pos"): list(range(1, T + 1)),
    t("att.col_token"): list(toks),
    t("att.col_id"): list(res.emb.ids),
    t("att.col_known"): [t("att.known") if k else t("att.seeded") for k in res.emb.known],
}
table |= {n: [round(float(v), 3) for v in res.emb.X[:, c]] for c, n in enumerate(names)}
st.dataframe(table, hide_index=True, width="stretch")

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


# ── 3. the steps ──────────────────────────────────────────────────────────────────────
def _move(delta: int) -> None:
    cur = st.session_state.get("att_step", 1)
    cur = cur if isinstance(cur, int) else 1
    st.session_state["att_step"] = min(max(cur + delta, 1), ua.N_STEPS)


@st.fragment
def steps(res: ua.Result, head: int, query: int) -> None:
    st.header(t("att.h_steps"))
    show_all = w.toggle("att_all", t("att.show_all"), False, help=t("att.show_all_help"))
    if show_all:
        for s in range(1, ua.N_STEPS + 1):
            ua.step_panel(s, res, head, query, lang=L)
        return
    nav = st.container(horizontal=True, vertical_alignment="bottom")
    nav.button(
        t("att.prev"),
        key="att_prev",
        on_click=_move,
        args=(-1,),
        shortcut="Left",
        icon=":material/arrow_back:",
    )
    step = int(
        w.select(
            "att_step",
            t("att.step"),
            list(range(1, ua.N_STEPS + 1)),
            1,
            labels={s: str(s) for s in range(1, ua.N_STEPS + 1)},
            kind="segmented",
            where=nav,
            help=t("att.step_help"),
        )
    )
    nav.button(
        t("att.next"),
        key="att_next",
        on_click=_move,
        args=(1,),
        shortcut="Right",
        icon=":material/arrow_forward:",
        type="primary",
    )
    ua.step_panel(step, res, head, query, lang=L)


steps(res, head - 1, query)

# ── 4. views ──────────────────────────────────────────────────────────────────────────
st.header(t("att.h_views"))
hs = res.block.heads[head - 1]
c1, c2 = st.columns([2, 3])
with c1:
    st.markdown(t("att.lines_text"))
    plot(
        va.line_view(
            toks, hs.weights, query, left_title=t("att.axis_query"), right_title=t("att.axis_key")
        ),
        key="att_lines",
        alt=t("att.lines_alt", i=query + 1, n=T),
    )
with c2:
    st.markdown(t("att.pca_text", ref=REFERENCE[L]))
    P = res.proj.coords
    plot(
        va.projection_view(
            P[:T],
            P[T : 2 * T],
            toks,
            P[-1],
            REFERENCE[L],
            highlight=query,
            before_name=t("att.before"),
            after_name=t("att.after"),
            x_title=t("att.pc", n=1, pct=round(100 * res.proj.explained[0])),
            y_title=t("att.pc", n=2, pct=round(100 * res.proj.explained[1])),
        ),
        key="att_pca",
        alt=t("att.pca_alt", n=T),
    )

# ── 5. several heads ──────────────────────────────────────────────────────────────────
st.header(t("att.h_heads"))
st.markdown(t("att.heads_text", n=n_heads, width=n_heads * len(names)))
plot(
    va.heads_grid(
        [h.weights for h in res.block.heads],
        toks,
        [t("att.head_n", h=h + 1) for h in range(n_heads)],
    ),
    key="att_heads_fig",
    alt=t("att.heads_alt", n=n_heads),
)
labels = va.labels(toks)
with st.expander(t("att.concat_title", width=n_heads * len(names))):
    concat_cols = [va.esc(f"{h + 1}·{n}") for h in range(n_heads) for n in names]
    plot(
        va.matrix_heatmap(res.block.concat, labels, concat_cols),
        key="att_concat",
        alt=t("att.heat_alt", name=t("att.concat_title", width=n_heads * len(names)), rows=T),
    )
st.markdown(t("att.wo_text"))
plot(
    va.matrix_heatmap(res.block.attn_out, labels, [va.esc(n) for n in names], highlight_row=query),
    key="att_attn_out",
    alt=t("att.heat_alt", name="concat · Wo", rows=T),
)

# ── 6. take the numbers home ──────────────────────────────────────────────────────────
st.header(t("att.h_download"))
st.markdown(t("att.download_text"))
settings = dict(
    text=text,
    preset=preset,
    seed=seed,
    heads=n_heads,
    causal=causal,
    scale=scale,
    temperature=temp,
    edited_cells=len(edits),
)
st.download_button(
    t("att.download_json"),
    ua.to_json(res, settings),
    file_name="attention.json",
    mime="application/json",
    key="att_dl_json",
    icon=":material/download:",
    on_click="ignore",
)
next_chapter("att")
