"""Streamlit helpers of the attention page: the cached computation, the weight editor,
the sections below the steps. The steps themselves live in ui/attention_steps.py, the
downloads in ui/attention_export.py, the settings in ui/model/att.py.

:func:`attention_section` runs a fragment that owns the temperature slider (drawn into its
column of the settings row) and everything the temperature changes, so a move reruns
neither the weight editor nor the token table. The fragment runs in the box the page
keeps at the top (the calculation is the first thing on screen, its controls below it);
:func:`ui.attention_steps.steps_section`, nested in it, reruns alone when the step changes.
The views, the heads and the word-order table below the settings are drawn only once the
student opens them (their headings and lessons always show), so a temperature move
redraws little more than the current step.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from core.attention import (
    AttentionError,
    BlockSteps,
    OrderEffect,
    Projection,
    order_effect,
    pca_2d,
    transformer_block,
)
from core.embeddings import (
    D_MODEL,
    MAX_EDIT,
    MAX_TOKENS,
    REFERENCE,
    Embedding,
    Tokenization,
    TokenizeError,
    Weights,
    apply_edits,
    embed,
    preset_weights,
    token_vector,
    tokenize,
)
from ui import widgets as w
from ui.attention_export import to_json
from ui.attention_steps import dim_names, steps_section
from ui.fmt import sci
from ui.i18n import t
from ui.layout import explain, plot, show_error
from ui.model.att import AttSettings, base_key
from viz import attention as va

EDITS = "att_edits"  # session-state store: {base key: {(matrix, row, col): value}}
Edits = tuple[tuple[str, int, int, float], ...]


@dataclass(frozen=True)
class Result:
    tok: Tokenization
    emb: Embedding
    weights: Weights
    block: BlockSteps
    proj: Projection  # fitted on X, X + attention and the reference
    n_heads: int
    order: OrderEffect  # the same attention on the reversed sentence


# ── computation ─────────────────────────────────────────────────────────────────────────


@st.cache_data(max_entries=256, show_spinner=False)
def compute(
    text: str,
    lang: str,
    preset: str,
    seed: int,
    n_heads: int,
    causal: bool,
    scale: bool,
    temperature: float,
    edits: Edits = (),
) -> Result | AttentionError | TokenizeError:
    """Everything the page shows, or the core's error (``empty``, ``temperature``...)."""
    try:
        tok = tokenize(text)
        emb = embed(tok.tokens)
        w_ = apply_edits(preset_weights(preset, n_heads, seed=seed), edits)
        kw = dict(n_heads=n_heads, scale=scale, temperature=temperature)
        blk = transformer_block(
            emb.X, w_.Wq, w_.Wk, w_.Wv, w_.Wo, w_.W1, w_.b1, w_.W2, w_.b2, causal=causal, **kw
        )
        order = order_effect(emb.X, w_.Wq, w_.Wk, w_.Wv, w_.Wo, **kw)
    except (TokenizeError, AttentionError) as e:
        return e
    ref = token_vector(REFERENCE[lang])
    proj = pca_2d(np.vstack([emb.X, blk.residual, ref[None, :]]))
    return Result(tok, emb, w_, blk, proj, n_heads, order)


# ── weight editor ───────────────────────────────────────────────────────────────────────


def _block(w_: Weights, m: str, head: int) -> tuple[np.ndarray, slice, slice]:
    """The head's 6×6 block of matrix m, with its row and column slices."""
    s = slice(head * D_MODEL, (head + 1) * D_MODEL)
    full = getattr(w_, m)
    rows, cols = (s, slice(None)) if m == "Wo" else (slice(None), s)
    return full[rows, cols], rows, cols


def reset_edits(key: str) -> None:
    st.session_state.setdefault(EDITS, {}).pop(key, None)
    for k in [k for k in st.session_state if str(k).startswith(f"att_ed_{key}_")]:
        del st.session_state[k]


def weight_editors(preset: str, seed: int, n_heads: int, head: int) -> Edits:
    """A data editor for the chosen head's block of Wq, Wk, Wv or Wo; returns all edits.

    Edits live in session state (a data editor cannot be URL-bound), keyed by preset,
    seed and head count, so switching matrices or heads keeps them; "reset" clears them.
    One editor at a time: each costs ~10 ms per rerun.
    """
    key = base_key(preset, seed, n_heads)
    store: dict[tuple[str, int, int], float] = st.session_state.setdefault(EDITS, {}).setdefault(
        key, {}
    )
    base = preset_weights(preset, n_heads, seed=seed)
    shown = apply_edits(base, tuple((m, r, c, v) for (m, r, c), v in store.items()))
    names = dim_names()
    m = w.control(AttSettings, "matrix", t("att.matrix"), kind="segmented")
    block, rows, cols = _block(shown, m, head)
    r0, c0 = rows.start or 0, cols.start or 0
    st.caption(t(f"att.edit_{m}_help", h=head + 1))
    out = st.data_editor(
        pd.DataFrame(block, index=names, columns=names),
        key=f"att_ed_{key}_{m}_{head}",
        width="stretch",
        num_rows="fixed",
    )
    vals = np.asarray(out, dtype=np.float64)[:D_MODEL, :D_MODEL]
    ref, _, _ = _block(base, m, head)
    bad = False
    for r in range(D_MODEL):
        for c in range(D_MODEL):
            v = float(vals[r, c])
            cell = (m, r0 + r, c0 + c)
            if not np.isfinite(v) or abs(v) > MAX_EDIT:
                bad = True
            elif v == ref[r, c]:
                store.pop(cell, None)
            else:
                store[cell] = v
    if bad:
        st.warning(t("att.edit_invalid"), icon=":material/warning:")
    n = len(store)
    c1, c2 = st.columns([3, 1], vertical_alignment="center")
    c1.caption(t("att.edit_count", n=n))
    c2.button(
        t("att.reset"),
        key="att_reset",
        on_click=reset_edits,
        args=(key,),
        icon=":material/restart_alt:",
        disabled=n == 0,
    )
    return tuple(sorted((m, r, c, v) for (m, r, c), v in store.items()))


# ── sections ────────────────────────────────────────────────────────────────────────────


def tokens_of(text: str) -> tuple[Tokenization, Embedding] | TokenizeError:
    """The sentence's tokens and their vectors, or the tokenizer's error (``empty``)."""
    try:
        tok = tokenize(text)
    except TokenizeError as e:
        return e
    return tok, embed(tok.tokens)


def tokens_section(tok: Tokenization, emb: Embedding) -> None:
    """The tokens with their ids and vectors (a dataframe: tokens stay plain text)."""
    toks = tok.tokens
    T = len(toks)
    st.header(t("att.h_tokens"))
    explain(t("att.tokens_text", n=T))
    if tok.truncated:
        st.info(t("att.truncated", n=tok.n_total, max=MAX_TOKENS), icon=":material/content_cut:")
    table: dict[str, list[Any]] = {
        t("att.col_pos"): list(range(1, T + 1)),
        t("att.col_token"): list(toks),
        t("att.col_id"): list(emb.ids),
        t("att.col_known"): [t("att.known") if k else t("att.seeded") for k in emb.known],
    }
    for c, n in enumerate(dim_names()):
        table[n] = [round(float(v), 3) for v in emb.X[:, c]]
    st.dataframe(table, hide_index=True, width="stretch")


# ── the temperature and everything it changes (a fragment) ──────────────────────────────


def attention_section(
    calc: Any,
    temp_box: Any,
    text: str,
    lang: str,
    preset: str,
    seed: int,
    n_heads: int,
    causal: bool,
    scale: bool,
    edits: Edits,
    head: int,
    query: int,
) -> None:
    """The temperature slider (drawn into ``temp_box``, a column of the settings row) and
    everything the temperature changes: the steps at the top of the page (``calc``), and
    here, below the settings, the two views, the heads, word order and the download.

    The fragment itself runs inside ``calc``, so the steps (a fragment nested in it) sit
    in the fragment's own body and the sections below go to a slot reserved here. The
    other way round (the fragment here, the nested steps fragment written into ``calc``
    from inside it) made the browser redraw every step figure on every temperature move,
    even when nothing in it had changed (issue 16)."""
    below = st.container()
    with calc:
        _temperature_fragment(
            below, temp_box, text, lang, preset, seed, n_heads, causal, scale, edits, head, query
        )


@st.fragment
def _temperature_fragment(
    below: Any,
    temp_box: Any,
    text: str,
    lang: str,
    preset: str,
    seed: int,
    n_heads: int,
    causal: bool,
    scale: bool,
    edits: Edits,
    head: int,
    query: int,
) -> None:
    """A fragment, so that moving the temperature reruns only this part, not the weight
    editor and the token table. The views, heads and word order draw their figures only
    while the student has opened them (their lesson stays on the page)."""
    label, tip = t("att.temp"), t("att.temp_help")
    temp = float(w.control(AttSettings, "temperature", label, where=temp_box, help=tip))
    res = compute(text, lang, preset, seed, n_heads, causal, scale, temp, edits)
    if not isinstance(res, Result):
        show_error(res, section="att.err")
        return
    steps_section(res, head, query)
    with below:
        views_section(res, head, query, lang)
        heads_section(res, query)
        order_section(res)
        st.header(t("att.h_download"))
        explain(t("att.download_text"))
        settings = dict(text=text, preset=preset, seed=seed, heads=n_heads, causal=causal,
                        scale=scale, temperature=temp, edited_cells=len(edits))  # fmt: skip
        st.download_button(
            t("att.download_json"),
            functools.partial(to_json, res, settings),  # built on click, not on every rerun
            file_name="attention.json",
            mime="application/json",
            key="att_dl_json",
            icon=":material/download:",
            on_click="ignore",
        )


def _opener(key: str, label_key: str) -> Any:
    """A closed, URL-bound section opener under a section's visible lesson: what is
    inside is drawn only while it is open, so a temperature move redraws only what the
    student is looking at."""
    return w.expander(key, t(label_key))


def views_section(res: Result, head: int, query: int, lang: str) -> None:
    """Line view of the query's weights and the PCA picture before/after attention,
    drawn once the student opens them."""
    toks = res.tok.tokens
    T = len(toks)
    st.header(t("att.h_views"))
    box = _opener("att_views_open", "att.views_open")
    if not box.open:
        return
    with box:
        c1, c2 = st.columns([2, 3])
    with c1:
        explain(t("att.lines_text"))
        fig = va.line_view(
            toks,
            res.block.heads[head].weights,
            query,
            left_title=t("att.lines_left"),
            right_title=t("att.lines_right"),
        )
        plot(fig, key="att_lines", alt=t("att.lines_alt", i=query + 1, n=T))
    with c2:
        explain(t("att.pca_text", ref=REFERENCE[lang]))
        P, ex = res.proj.coords, res.proj.explained
        fig = va.projection_view(
            P[:T],
            P[T : 2 * T],
            toks,
            P[-1],
            REFERENCE[lang],
            highlight=query,
            before_name=t("att.before"),
            after_name=t("att.after"),
            x_title=t("att.pc", n=1, pct=round(100 * ex[0])),
            y_title=t("att.pc", n=2, pct=round(100 * ex[1])),
        )
        plot(fig, key="att_pca", alt=t("att.pca_alt", n=T))


def heads_section(res: Result, query: int) -> None:
    """Every head's weights, the concatenation, and the result after W_O; the lesson
    (what several heads do) is always shown, the figures once opened."""
    H = res.n_heads
    names = dim_names()
    toks = res.tok.tokens
    rows = va.labels(toks)
    width = H * len(names)
    st.header(t("att.h_heads"))
    explain(t("att.heads_text", n=H, width=width))
    outer = _opener("att_heads_open", "att.heads_open")
    if not outer.open:
        return
    with outer:
        fig = va.heads_grid(
            np.stack([h.weights for h in res.block.heads]),
            toks,
            [t("att.head_n", h=h + 1) for h in range(H)],
        )
        plot(fig, key="att_heads_fig", alt=t("att.heads_alt", n=H))
        box = w.expander("att_concat_open", t("att.concat_title", width=width))
        if box.open:  # drawn only while open: a temperature move redraws one figure less
            cols = [va.esc(f"{h + 1}·{n}") for h in range(H) for n in names]
            with box:
                plot(
                    va.matrix_heatmap(res.block.concat, rows, cols),
                    key="att_concat",
                    alt=t("att.heat_alt", name=t("att.concat_title", width=width), rows=len(toks)),
                )
        explain(t("att.wo_text"))
        plot(
            va.matrix_heatmap(
                res.block.attn_out, rows, [va.esc(n) for n in names], highlight_row=query
            ),
            key="att_attn_out",
            alt=t("att.heat_alt", name="concat · W_O", rows=len(toks)),
        )


def order_section(res: Result) -> None:
    """Word order: the calculator has no position vectors, so reversing the sentence
    only moves each token's output (without the mask) or changes what the mask hides.
    The sentence (its numbers from the same arrays as the table) and the note on the
    GPT's position vectors are always shown; the table once opened."""
    o = res.order
    toks = res.tok.tokens
    T = len(toks)
    tol = 1e-9
    changed = int(np.sum(o.moved_masked > tol))
    st.header(t("att.h_order"))
    explain(
        t(
            "att.order_text",
            same=sci(float(np.max(o.moved_unmasked)), 2),
            changed=changed,
            n=T,
        )
    )
    box = _opener("att_order_open", "att.order_open")
    if box.open:
        box.dataframe(
            {
                t("att.order_col_pos"): list(range(1, T + 1)),
                t("att.order_col_token"): [toks[i] for i in o.perm],
                t("att.order_col_was"): [i + 1 for i in o.perm],
                t("att.order_col_unmasked"): [f"{v:.1e}" for v in o.moved_unmasked],
                t("att.order_col_masked"): [f"{v:.3f}" for v in o.moved_masked],
            },
            hide_index=True,
            width="stretch",
        )
    st.caption(t("att.order_gpt"))
