"""Streamlit helpers of the attention page: cached computation, the weight editors,
the step panels and the downloads. The page (pages/attention.py) wires them together.

:func:`attention_section` is a fragment that owns the temperature slider (drawn into its
column of the settings row) and everything the temperature changes, so a move reruns
neither the weight editor nor the token table; :func:`steps_section`, nested in it, reruns
alone when the step changes."""

from __future__ import annotations

import csv
import functools
import io
import json
from dataclasses import dataclass
from typing import Any

import numpy as np
import streamlit as st

from core.attention import AttentionError, BlockSteps, Projection, pca_2d, transformer_block
from core.embeddings import (
    D_MODEL,
    DIMENSIONS,
    MAX_TOKENS,
    REFERENCE,
    Embedding,
    Tokenization,
    TokenizeError,
    Weights,
    embed,
    preset_weights,
    token_vector,
    tokenize,
)
from ui.i18n import t
from ui.layout import explain, plot
from viz import attention as va

N_STEPS = 8
MATRICES = ("Wq", "Wk", "Wv", "Wo")
EDITS = "att_edits"  # session-state store: {base key: {(matrix, row, col): value}}


@dataclass(frozen=True)
class Result:
    tok: Tokenization
    emb: Embedding
    weights: Weights
    block: BlockSteps
    proj: Projection  # fitted on X, X + attention and the reference
    n_heads: int


# ── computation ─────────────────────────────────────────────────────────────────────────


def base_key(preset: str, seed: int, n_heads: int) -> str:
    return f"{preset}{seed if preset == 'random' else ''}h{n_heads}"


def apply_edits(w: Weights, edits: tuple[tuple[str, int, int, float], ...]) -> Weights:
    mats = {m: getattr(w, m).copy() for m in MATRICES}
    for m, r, c, v in edits:
        if m in mats and 0 <= r < mats[m].shape[0] and 0 <= c < mats[m].shape[1]:
            mats[m][r, c] = v
    return Weights(mats["Wq"], mats["Wk"], mats["Wv"], mats["Wo"], w.W1, w.b1, w.W2, w.b2)


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
    edits: tuple[tuple[str, int, int, float], ...] = (),
) -> Result | str:
    """Everything the page shows, or an error code (``empty``, ``temperature``...)."""
    try:
        tok = tokenize(text)
        emb = embed(tok.tokens)
        w = apply_edits(preset_weights(preset, n_heads, seed=seed), edits)
        blk = transformer_block(
            emb.X,
            w.Wq,
            w.Wk,
            w.Wv,
            w.Wo,
            w.W1,
            w.b1,
            w.W2,
            w.b2,
            n_heads=n_heads,
            causal=causal,
            scale=scale,
            temperature=temperature,
        )
    except (TokenizeError, AttentionError) as e:
        return e.code
    ref = token_vector(REFERENCE[lang])
    proj = pca_2d(np.vstack([emb.X, blk.residual, ref[None, :]]))
    return Result(tok, emb, w, blk, proj, n_heads)


# ── weight editors ──────────────────────────────────────────────────────────────────────


def dim_names() -> list[str]:
    return [t(f"att.dim_{d}") for d in DIMENSIONS]


def _block(w: Weights, m: str, head: int) -> tuple[np.ndarray, slice, slice]:
    """The head's 6×6 block of matrix m, with its row and column slices."""
    s = slice(head * D_MODEL, (head + 1) * D_MODEL)
    full = getattr(w, m)
    rows, cols = (s, slice(None)) if m == "Wo" else (slice(None), s)
    return full[rows, cols], rows, cols


def reset_edits(key: str) -> None:
    st.session_state.setdefault(EDITS, {}).pop(key, None)
    for k in [k for k in st.session_state if str(k).startswith(f"att_ed_{key}_")]:
        del st.session_state[k]


def weight_editors(preset: str, seed: int, n_heads: int, head: int) -> tuple:
    """A data editor for the chosen head's block of Wq, Wk, Wv or Wo; returns all edits.

    Edits live in session state (a data editor cannot be URL-bound), keyed by preset,
    seed and head count, so switching matrices or heads keeps them; "reset" clears them.
    One editor at a time: each costs ~10 ms per rerun.
    """
    import pandas as pd  # a Streamlit dependency; only the editors need it

    key = base_key(preset, seed, n_heads)
    store: dict[tuple[str, int, int], float] = st.session_state.setdefault(EDITS, {}).setdefault(
        key, {}
    )
    base = preset_weights(preset, n_heads, seed=seed)
    shown = apply_edits(base, tuple((m, r, c, v) for (m, r, c), v in store.items()))
    names = dim_names()
    bad = False
    from ui import widgets as w

    m = w.select(
        "att_mat",
        t("att.matrix"),
        MATRICES,
        "Wq",
        labels={k: t(f"att.mat_{k}") for k in MATRICES},
        kind="segmented",
    )
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
    for r in range(D_MODEL):
        for c in range(D_MODEL):
            v = float(vals[r, c])
            cell = (m, r0 + r, c0 + c)
            if not np.isfinite(v) or abs(v) > 1e6:
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


# ── step panels ─────────────────────────────────────────────────────────────────────────


def tok_labels(res: Result) -> list[str]:
    return va.labels(res.tok.tokens)


def _heat(M: np.ndarray, rows: list[str], cols: list[str], key: str, alt: str, **kw: Any) -> None:
    plot(va.matrix_heatmap(M, rows, cols, **kw), key=key, alt=alt)


def _fmt(v: float, d: int = 3) -> str:
    return "−∞" if np.isneginf(v) else f"{v:.{d}f}"


def step_panel(step: int, res: Result, head: int, query: int) -> None:
    """One numbered step: title, formula, explanation, the real matrices."""
    hs = res.block.heads[head]
    toks = tok_labels(res)
    dims = [va.esc(d) for d in dim_names()]
    T = len(toks)
    st.subheader(t("att.step_title", n=step, name=t(f"att.s{step}_name")))
    st.latex(_FORMULAS[step](hs))
    st.markdown(
        t(
            f"att.s{step}_text",
            dk=hs.Q.shape[1],
            div=f"{np.sqrt(hs.Q.shape[1]):.3f}",  # the value even when switched off
            tau=f"{hs.temperature:g}",
            h=head + 1,
        )
    )
    k = f"att_fig{step}"
    alt = t("att.heat_alt", name=t(f"att.s{step}_name"), rows=T)
    if step == 1:
        _heat(res.emb.X, toks, dims, k, alt)
    elif step == 2:
        cols = st.columns(3)
        for col, (name, M) in zip(cols, (("Q", hs.Q), ("K", hs.K), ("V", hs.V)), strict=True):
            with col:
                _heat(M, toks, dims, f"{k}{name}", alt, title=name)
    elif step in (3, 4, 5):
        M = {3: hs.scores, 4: hs.scaled, 5: hs.masked}[step]
        if step == 5 and not hs.causal:
            st.info(t("att.mask_off"), icon=":material/info:")
        if step == 4 and hs.divisor == 1.0:
            st.info(t("att.scale_off"), icon=":material/info:")
        _heat(
            M,
            toks,
            toks,
            k,
            alt,
            x_title=t("att.axis_key"),
            y_title=t("att.axis_query"),
            highlight_row=query,
        )
    elif step == 6:
        _heat(
            hs.weights,
            toks,
            toks,
            k,
            alt,
            kind="weights",
            x_title=t("att.axis_key"),
            y_title=t("att.axis_query"),
            highlight_row=query,
        )
        softmax_row(res, head, query)
    elif step == 7:
        _heat(hs.output, toks, dims, k, alt, highlight_row=query)
        output_row(res, head, query)
    elif step == 8:
        b = res.block
        c1, c2 = st.columns(2)
        with c1:
            _heat(
                b.residual, toks, dims, f"{k}h", alt, title=t("att.residual"), highlight_row=query
            )
        with c2:
            _heat(b.output, toks, dims, f"{k}y", alt, title=t("att.block_out"), highlight_row=query)
        units = [va.esc(t("att.unit", n=i + 1)) for i in range(b.hidden.shape[1])]
        with st.expander(t("att.ffn_details")):
            st.markdown(t("att.ffn_units"))
            _heat(b.hidden, toks, units, f"{k}f", alt)
    csv_button(step, res, head)


_FORMULAS = {
    1: lambda s: (
        r"X = \begin{bmatrix} x_1 \\ \vdots \\ x_T \end{bmatrix} \in \mathbb{R}^{T\times %d}"
        % D_MODEL
    ),
    2: lambda s: r"Q = X W_Q,\quad K = X W_K,\quad V = X W_V",
    3: lambda s: r"S = Q K^{\top},\qquad S_{ij} = q_i \cdot k_j = \sum_{c} Q_{ic} K_{jc}",
    4: lambda s: (
        r"S' = \frac{Q K^{\top}}{\sqrt{d_k}} = \frac{S}{%.3f}" % s.divisor
        if s.divisor != 1
        else r"S' = S \quad(\text{no scaling})"
    ),
    5: lambda s: (
        r"M_{ij} = \begin{cases} S'_{ij} & j \le i \\ -\infty & j > i \end{cases}"
        if s.causal
        else r"M = S' \quad(\text{no mask})"
    ),
    6: lambda s: (
        r"A_{ij} = \frac{e^{M_{ij}/\tau}}{\sum_{k} e^{M_{ik}/\tau}},\quad \tau = %g" % s.temperature
    ),
    7: lambda s: r"\text{out}_i = \sum_{j} A_{ij}\, v_j \qquad (\text{out} = A V)",
    8: lambda s: (
        r"h = X + \operatorname{concat}(\text{head}_1,\dots)\,W_O,\quad "
        r"y = h + \operatorname{ReLU}(h W_1 + b_1)\, W_2 + b_2"
    ),
}


def softmax_row(res: Result, head: int, i: int) -> None:
    """The softmax of row i written out: exponentials, their sum, each share."""
    hs = res.block.heads[head]
    row = hs.masked[i] / hs.temperature
    m = float(np.max(row))
    e = np.where(np.isfinite(row), np.exp(row - m), 0.0)
    total = float(e.sum())
    st.markdown(t("att.softmax_row", i=i + 1, m=f"{m:.3f}", total=f"{total:.4f}"))
    st.dataframe(
        {
            t("att.col_key"): [f"{j + 1} {tok}" for j, tok in enumerate(res.tok.tokens)],
            t("att.col_score"): [_fmt(v) for v in row],
            t("att.col_exp"): [f"{v:.4f}" for v in e],
            t("att.col_share"): [f"{v / total:.4f}" for v in e],
        },
        hide_index=True,
        width="stretch",
    )
    err = float(np.max(np.abs(hs.weights.sum(axis=1) - 1.0)))
    st.success(
        t(
            "att.rows_sum",
            err=f"{err:.1e}" if err else "0",
            share=f"{float(np.sum(e / total)):.6f}",
        ),
        icon=":material/check_circle:",
    )


def output_row(res: Result, head: int, i: int) -> None:
    """Output row i as the weighted sum of the Value rows."""
    hs = res.block.heads[head]
    names = dim_names()
    data: dict[str, list[str]] = {
        t("att.col_key"): [f"{j + 1} {tok}" for j, tok in enumerate(res.tok.tokens)]
        + [t("att.sum")],
        t("att.col_weight"): [f"{w:.3f}" for w in hs.weights[i]] + [""],
    }
    for c, name in enumerate(names):
        data[name] = [f"{hs.weights[i, j] * hs.V[j, c]:.3f}" for j in range(len(hs.V))] + [
            f"{hs.output[i, c]:.3f}"
        ]
    st.markdown(t("att.output_row", i=i + 1))
    st.dataframe(data, hide_index=True, width="stretch")


def _move(delta: int) -> None:
    cur = st.session_state.get("att_step", 1)
    cur = cur if isinstance(cur, int) else 1
    st.session_state["att_step"] = min(max(cur + delta, 1), N_STEPS)


def step_navigator() -> int:
    """Previous / step picker / Next in one row (← → on the keyboard); returns the step."""
    from ui import widgets as w

    nav = st.container(horizontal=True, vertical_alignment="bottom")
    nav.button(
        t("att.prev"),
        key="att_prev",
        on_click=_move,
        args=(-1,),
        shortcut="Left",
        icon=":material/arrow_back:",
    )
    step = w.select(
        "att_step",
        t("att.step"),
        list(range(1, N_STEPS + 1)),
        1,
        labels={s: str(s) for s in range(1, N_STEPS + 1)},
        kind="segmented",
        where=nav,
        help=t("att.step_help"),
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
    return int(step)


# ── sections ────────────────────────────────────────────────────────────────────────────


def tokens_of(text: str) -> tuple[Tokenization, Embedding] | str:
    """The sentence's tokens and their vectors, or an error code (``empty``)."""
    try:
        tok = tokenize(text)
    except TokenizeError as e:
        return e.code
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


@st.fragment
def attention_section(
    temp_box: Any,
    text: str,
    lang: str,
    preset: str,
    seed: int,
    n_heads: int,
    causal: bool,
    scale: bool,
    edits: tuple[tuple[str, int, int, float], ...],
    head: int,
    query: int,
) -> None:
    """The temperature slider (drawn into ``temp_box``, a column of the settings row) and
    everything the temperature changes: the steps, the two views, the heads and the
    download. A fragment, so that moving the temperature reruns only this part, not the
    weight editor and the token table above it."""
    from ui import widgets as w

    temp = float(
        w.slider(
            "att_temp", t("att.temp"), 0.1, 5.0, 1.0, 0.1, where=temp_box, help=t("att.temp_help")
        )
    )
    res = compute(text, lang, preset, seed, n_heads, causal, scale, temp, edits)
    if isinstance(res, str):
        st.warning(t(f"att.err_{res}"), icon=":material/warning:")
        return
    steps_section(res, head, query)
    views_section(res, head, query, lang)
    heads_section(res, query)
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


@st.fragment
def steps_section(res: Result, head: int, query: int) -> None:
    """The eight steps (a fragment of its own: stepping reruns only this part)."""
    from ui import widgets as w

    st.header(t("att.h_steps"))
    if w.toggle("att_all", t("att.show_all"), False, help=t("att.show_all_help")):
        for s in range(1, N_STEPS + 1):
            step_panel(s, res, head, query)
    else:
        step_panel(step_navigator(), res, head, query)


def views_section(res: Result, head: int, query: int, lang: str) -> None:
    """Line view of the query's weights and the PCA picture before/after attention."""
    toks = res.tok.tokens
    T = len(toks)
    st.header(t("att.h_views"))
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
    """Every head's weights, the concatenation, and the result after W_O."""
    H = res.n_heads
    names = dim_names()
    toks = res.tok.tokens
    rows = va.labels(toks)
    width = H * len(names)
    st.header(t("att.h_heads"))
    explain(t("att.heads_text", n=H, width=width))
    fig = va.heads_grid(
        np.stack([h.weights for h in res.block.heads]),
        toks,
        [t("att.head_n", h=h + 1) for h in range(H)],
    )
    plot(fig, key="att_heads_fig", alt=t("att.heads_alt", n=H))
    with st.expander(t("att.concat_title", width=width)):
        cols = [va.esc(f"{h + 1}·{n}") for h in range(H) for n in names]
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


# ── downloads ───────────────────────────────────────────────────────────────────────────


def _cell(x: object) -> str:
    s = str(x)
    return "'" + s if s[:1] in ("=", "+", "-", "@", "\t", "\r") and not _is_number(s) else s


def _is_number(s: str) -> bool:
    try:
        float(s)
    except ValueError:
        return False
    return True


def step_matrices(step: int, res: Result, head: int) -> dict[str, np.ndarray]:
    hs = res.block.heads[head]
    b = res.block
    return {
        1: {"X": res.emb.X},
        2: {"Q": hs.Q, "K": hs.K, "V": hs.V},
        3: {"scores": hs.scores},
        4: {"scaled": hs.scaled},
        5: {"masked": hs.masked},
        6: {"weights": hs.weights},
        7: {"output": hs.output},
        8: {
            "concat": b.concat,
            "attn_out": b.attn_out,
            "residual": b.residual,
            "hidden": b.hidden,
            "ffn_out": b.ffn_out,
            "block_output": b.output,
        },
    }[step]


def to_csv(mats: dict[str, np.ndarray], tokens: tuple[str, ...]) -> str:
    """Matrices one after another, each with a title row; token cells made formula-safe."""
    buf = io.StringIO()
    wr = csv.writer(buf)
    for name, M in mats.items():
        wr.writerow([f"# {name}"])
        wr.writerow(["token"] + [f"c{j + 1}" for j in range(M.shape[1])])
        for i, row in enumerate(M):
            label = tokens[i] if M.shape[0] == len(tokens) else f"r{i + 1}"
            wr.writerow([_cell(label)] + [repr(float(v)) for v in row])
        wr.writerow([])
    return buf.getvalue()


def csv_button(step: int, res: Result, head: int) -> None:
    st.download_button(
        t("att.download_csv"),
        functools.partial(to_csv, step_matrices(step, res, head), res.tok.tokens),
        file_name=f"attention_step{step}.csv",
        mime="text/csv",
        key=f"att_dl{step}",
        icon=":material/download:",
        on_click="ignore",
    )


def to_json(res: Result, settings: dict[str, Any]) -> str:
    def arr(M: np.ndarray) -> Any:
        out = np.asarray(M, dtype=np.float64).astype(object)
        out[~np.isfinite(np.asarray(M, dtype=np.float64))] = None
        return out.tolist()

    w = res.weights
    heads = [
        {
            k: arr(getattr(h, k))
            for k in ("Q", "K", "V", "scores", "scaled", "masked", "weights", "output")
        }
        for h in res.block.heads
    ]
    b = res.block
    doc = {
        "note": "masked entries (-infinity) are null",
        "settings": settings,
        "dimensions": list(DIMENSIONS),
        "tokens": list(res.tok.tokens),
        "ids": list(res.emb.ids),
        "X": arr(res.emb.X),
        "weights": {k: arr(getattr(w, k)) for k in ("Wq", "Wk", "Wv", "Wo", "W1", "W2")}
        | {"b1": [float(v) for v in w.b1], "b2": [float(v) for v in w.b2]},
        "heads": heads,
        "concat": arr(b.concat),
        "attn_out": arr(b.attn_out),
        "residual": arr(b.residual),
        "hidden": arr(b.hidden),
        "ffn_out": arr(b.ffn_out),
        "block_output": arr(b.output),
    }
    return json.dumps(doc, ensure_ascii=False, indent=1, allow_nan=False)
