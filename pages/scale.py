"""Model scale: count a model's parameters part by part, check them against published
models, and turn them into compute, time, energy and memory.

The compute controls (section 3) live in a fragment (``ui.scale.compute_section``):
moving one reruns section 3, the downloads of section 2 and the comparison of section 5,
which are all that depend on them; the rest of the page is not rebuilt.
"""

import streamlit as st

from core.scale import ScaleError, breakdown
from ui import scale as us
from ui.fmt import count, pct
from ui.i18n import lang, t
from ui.layout import chapter_header, chapter_link, explain, next_chapter, plot
from ui.scale_compute import compute_section
from ui.scale_report import memory_section, sources_markdown
from ui.tour import focus
from viz.scale import breakdown_figure

chapter_header("scale")

# ── 1. the calculator ────────────────────────────────────────────────────────────────
st.header(t("scale.calc_head"))
explain(t("scale.calc_text"))
with focus("scale"):  # the tour's scale stop: the preset and its count
    model = us.choose_preset()
    tiny, tiny_code, _ = us.tiny_model()
    if tiny is None:
        st.caption(t(f"scale.tiny_{tiny_code}"))
    summary = st.container()  # the count comes first, above the controls that change it
st.subheader(t("scale.shape_head"))
try:
    shape = us.shape_controls(model)
except ScaleError as exc:
    us.show_error(exc)
    shape = None

if shape is not None:
    bd = breakdown(shape)
    N, parts = bd.total, bd.as_dict()
    with summary:
        us.published_comparison(model, shape, N)

    # ── 2. where the parameters sit ──────────────────────────────────────────────────
    st.header(t("scale.parts_head"))
    explain(t("scale.parts_text"))
    rows = [p for p in bd.parts if p.count > 0]
    fig = breakdown_figure(
        [t(f"scale.short.{p.key}") for p in rows],
        [p.count for p in rows],
        [us.GROUPS[p.key] for p in rows],
        [f"{us.fmt_count(p.count)} · {pct(p.count, N)}" for p in rows],
        [f"{t(f'scale.part.{p.key}')}: {p.count:,}" for p in rows],
        x_title=t("scale.axis_params"),
        tick_format=lambda v: count(v, lang(), 2),
    )
    plot(
        fig,
        key="scale_parts_fig",
        alt=t(
            "scale.parts_alt",
            total=f"{N:,}",
            largest=t(f"scale.part.{max(rows, key=lambda p: p.count).key}"),
        ),
    )
    st.markdown(us.formula_table(bd))
    st.caption(t("scale.symbols", **shape.symbols()))
    numbers = st.container()  # the downloads, filled once compute and memory are known
    st.info(
        t(
            "scale.qkv_text",
            q=f"{parts['attention_q']:,}",
            k=f"{parts['attention_k']:,}",
            v=f"{parts['attention_v']:,}",
            share=pct(sum(parts[f"attention_{x}"] for x in "qkv"), N),
        ),
        icon=":material/center_focus_strong:",
    )
    chapter_link("att", t("scale.qkv_link"))

    # ── 3. training compute, time and energy ─────────────────────────────────────────
    st.header(t("scale.compute_head"))
    explain(t("scale.compute_text"))
    compute = st.container()  # filled below, once the memory figures are known

    # ── 4. memory ────────────────────────────────────────────────────────────────────
    st.header(t("scale.memory_head"))
    memory = memory_section(shape, N)

    # ── 5. everything on one scale ───────────────────────────────────────────────────
    st.header(t("scale.compare_head"))
    explain(t("scale.compare_text"))
    compare = st.container()
    with compute:
        compute_section(model, bd, memory, tiny, numbers=numbers, compare=compare)
    st.caption(t("scale.brain_note"))  # the sources, written out in each language

    with st.expander(t("scale.sources_head"), icon=":material/menu_book:"):
        st.markdown(sources_markdown())

next_chapter("scale")
