"""Streamlit helpers of the next-token page: the cached model, prompt handling, decoding
state, and the page's fragments (decoding with its generate buttons nested inside,
attention maps), so that a control reruns only the part it changes; the training target
and its loss. Settings are declared in ui/model/nt.py; "watch it learn" and the report
on the bundled model live in ui/next_token_learn.py."""

from __future__ import annotations

import json
import pathlib
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from core import corpus
from core.gpt import (
    GPT,
    GPTError,
    evaluate,
    evaluate_probs,
    load_checkpoint,
    next_token_probs,
    repetition,
    sample,
)
from core.next_token import TargetLosses, target_losses
from core.tokenizer import Tokenizer
from ui import widgets as w
from ui.fmt import plain
from ui.i18n import t
from ui.layout import explain, plot, show_error
from ui.model.nt import NtSettings, sampler, sampling_notes
from ui.next_token_export import TOP, download_prediction
from ui.tour import focus
from viz import next_token as vz

ROOT = pathlib.Path(__file__).resolve().parents[1]
MODEL_PATH = ROOT / "assets" / "tiny_gpt.npz"
STATE = "nt_state"  # session key of the decoding state


@dataclass(frozen=True)
class Bundle:
    model: GPT
    tok: Tokenizer
    meta: dict[str, Any]


@st.cache_resource(show_spinner=False)
def bundle() -> Bundle:
    """The bundled model, loaded once per server process (never mutated)."""
    model, extras = load_checkpoint(MODEL_PATH)
    return Bundle(
        model, Tokenizer.from_json(extras["vocab_json"]), json.loads(extras["metadata_json"])
    )


@st.cache_resource(show_spinner=False)
def heldout_scores() -> dict[str, Any]:
    """Held-out scores of the bundled GPT and of the bigram, recomputed live (once)."""
    b = bundle()
    s = b.meta["settings"]
    h = corpus.heldout_windows(s["eval_seed"], s["eval_windows"], s["n_ctx"], b.tok)
    bg = corpus.fit_baseline(
        s["bigram_seed"], s["bigram_windows"], s["n_ctx"], b.tok, alpha=s["bigram_alpha"]
    )
    return {
        "gpt": evaluate(b.model, h.inputs, h.targets, h.marks),
        "bigram": evaluate_probs(bg.probs(h.inputs), h.targets, h.marks),
    }


@dataclass(frozen=True)
class Prompt:
    ids: tuple[int, ...]  # what the model sees (at most n_ctx tokens)
    pieces: tuple[str, ...]  # every token of the prompt, cut ones included
    all_ids: tuple[int, ...]
    n_cut: int  # tokens cut from the left
    unknown: tuple[str, ...]  # characters that became <unk>
    empty: bool  # the prompt was empty: the model starts from a line break


def prepare(text: str, extra: tuple[int, ...] = ()) -> Prompt:
    """Tokenize the prompt, append generated tokens, keep the last n_ctx tokens."""
    b = bundle()
    enc = b.tok.encode_detailed(text)
    empty = not enc.ids
    ids, pieces = (
        (enc.ids, enc.pieces) if not empty else ((b.tok.index[corpus.EOS],), (corpus.EOS,))
    )
    ids += extra
    pieces += tuple(b.tok.piece(i) for i in extra)
    n_ctx = b.model.config.n_ctx
    n_cut = max(0, len(ids) - n_ctx)
    return Prompt(ids[n_cut:], pieces, ids, n_cut, enc.unknown, empty)


@st.cache_data(max_entries=256, show_spinner=False)
def run(ids: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Last-position logits (V,) and attentions (L, H, T, T) of the bundled model."""
    logits, att = bundle().model.forward(list(ids))
    return logits[-1], att


@st.cache_data(max_entries=256, show_spinner=False)
def targets(ids: tuple[int, ...]) -> TargetLosses | None:
    """Each position's answer (the next token of the prompt) and the model's loss on it,
    or None for a prompt of one token (nothing to predict inside it)."""
    if len(ids) < 2:
        return None
    logits, _ = bundle().model.forward(list(ids))
    return target_losses(logits, ids)


def continue_ids(
    ids: tuple[int, ...], n: int, seed: int, start: int, kw: dict[str, Any]
) -> list[int]:
    """``n`` new tokens after ``ids``; token number j (counted over the whole continuation)
    is drawn with the generator seeded by (seed, j), so Next pressed n times and
    Generate n give the same text. The model is called directly, not through the cached
    :func:`run`: each context is new, and caching it cost more than the forward pass."""
    model = bundle().model
    out = list(ids)
    new: list[int] = []
    for j in range(start, start + n):
        logits = model.forward(out[-model.config.n_ctx :])[0][-1]
        tok = sample(next_token_probs(logits, **kw), np.random.default_rng([seed, j]))
        out.append(tok)
        new.append(tok)
    return new


@st.cache_data(max_entries=64, show_spinner=False)
def continuation(
    ids: tuple[int, ...], n: int, seed: int, mode: str, temp: float, top_k: int, top_p: float
) -> tuple[int, ...]:
    return tuple(continue_ids(ids, n, seed, 0, sampler(mode, temp, top_k, top_p)))


ADDED = "nt_added"  # the number input holding how many tokens the model has added
MAX_ADDED = 200


def state(prompt_text: str, *, page: bool = False) -> dict[str, Any]:
    """The tokens added by + / Generate; reset whenever the prompt changes. The page
    (``page=True``, before the count box is drawn) also puts their number in the box."""
    s = st.session_state.get(STATE)
    if not isinstance(s, dict) or s.get("prompt") != prompt_text:
        s = {"prompt": prompt_text, "added": []}
        st.session_state[STATE] = s
        st.session_state[ADDED] = 0
    elif page and st.session_state.get(ADDED) != len(s["added"]):
        # the box's state is dropped while another page is open: it shows the tokens kept
        st.session_state[ADDED] = len(s["added"])
    return s


def add_tokens(text: str, n: int, seed: int, kw: dict[str, Any]) -> None:
    """Append ``n`` tokens (drawn with the current settings)."""
    s = state(text)
    p = prepare(text, tuple(s["added"]))
    s["added"] = s["added"] + continue_ids(p.all_ids, int(n), int(seed), len(s["added"]), kw)


def sync_added(text: str, seed: int, kw: dict[str, Any]) -> None:
    """Callback of the number of added tokens: + appends, − takes the last one back.

    The count is a value, not a button press: the browser adds up fast clicks into the
    value it sends, so none is lost when the server folds several reruns into one."""
    s = state(text)
    want = int(st.session_state.get(ADDED) or 0)
    have = len(s["added"])
    if want > have:
        add_tokens(text, want - have, seed, kw)
    elif want < have:
        s["added"] = s["added"][:want]
    st.session_state[ADDED] = len(s["added"])
    st.session_state["nt_changed"] = True


def generate(text: str, n: int, seed: int, kw: dict[str, Any]) -> None:
    """Button callback: append ``n`` tokens and show the new count."""
    add_tokens(text, n, seed, kw)
    st.session_state[ADDED] = len(state(text)["added"])
    st.session_state["nt_changed"] = True


def reset(text: str) -> None:
    state(text)["added"] = []
    st.session_state[ADDED] = 0
    st.session_state["nt_changed"] = True


def set_prompt(example: str) -> None:
    st.session_state["nt_prompt"] = example


COMPARE = 90  # tokens in the greedy-versus-sampling comparison


def token_table(p: Prompt) -> pd.DataFrame:
    """One column per token: its text (made visible) and id; cut tokens marked ✂."""
    ids = p.all_ids
    cols = {}
    for i, (piece, tid) in enumerate(zip(p.pieces, ids, strict=True)):
        label = piece.replace("\n", "↵").replace(" ", "␣")
        cols[f"{'✂ ' if i < p.n_cut else ''}{i}"] = [label, str(tid)]
    return pd.DataFrame(cols, index=[t("nt.row_token"), t("nt.row_id")])


# ── decoding (section 2-3) and attention (section 4): fragments ──────────────────
# Moving a sampling control reruns only the decoding fragment, moving "tokens to
# generate" only the small one inside it, switching the layer only the attention figure.
# What these controls change lives entirely inside their fragment; Next / Generate /
# Reset change the prompt's tokens, which the whole page shows, so they rerun the app.


@st.fragment
def decoding_section(text: str, added: tuple[int, ...], p: Prompt, logits: np.ndarray) -> None:
    """How to choose, Next / Generate / Reset and the text so far (the tour's focus), then
    the sampling controls beside the probability chart, the downloads, and greedy versus
    sampling over the prompt alone."""
    b = bundle()
    st.subheader(t("nt.probs_head"))
    explain(t("nt.probs_text"))
    with focus("next_token"):
        st.markdown(t("nt.do_next"))
        mode = w.control(NtSettings, "mode", t("nt.mode_label"), kind="segmented")
        buttons = st.container()
        so_far = st.container()
    off = mode == "greedy"
    left, right = st.columns([2, 3], gap="large")
    with left:
        S = NtSettings  # the sampling controls: greyed out while greedy
        temp = w.control(S, "temperature", t("nt.temp_label"), disabled=off, help=t("nt.temp_help"))
        top_k = w.control(S, "top_k", t("nt.topk_label"), disabled=off, help=t("nt.topk_help"))
        top_p = w.control(S, "top_p", t("nt.topp_label"), disabled=off, help=t("nt.topp_help"))
        seed = w.control(S, "seed", t("nt.seed_label"), kind="number", help=t("nt.seed_help"))
        kw = sampler(mode, temp, top_k, top_p)
        for key, values in sampling_notes(mode, temp, top_k, top_p):
            st.caption(t(key, **values))
    try:
        probs = next_token_probs(logits)
        draw = next_token_probs(logits, **kw)
    except GPTError as err:  # cannot happen with the sliders' ranges; shown, not raised
        show_error(err, section="nt.err")
        return
    top = [int(i) for i in np.argsort(-probs, kind="stable")[:TOP]]
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
    download_prediction(
        b.tok,
        p,
        text,
        list(added),
        {"mode": mode, "temperature": temp, "top_k": top_k, "top_p": top_p, "seed": seed},
        kw,
        logits,
        probs,
        draw,
    )
    with buttons:
        generate_controls(text, int(seed), kw, bool(added))
    # an empty prompt starts from a line break that is not part of the text
    so_far.caption(t("nt.so_far", n=len(added)))
    text_box(so_far, visible(b.tok.decode(p.all_ids[1:] if p.empty else p.all_ids)), "nt_so_far")
    compare_section(text, mode, temp, top_k, top_p, int(seed))


@st.fragment
def generate_controls(text: str, seed: int, kw: dict[str, Any], any_added: bool) -> None:
    """The number of tokens the model has added (+ writes the next one), Generate and
    Start over."""
    c1, c2, c3 = st.columns([3, 3, 2], vertical_alignment="bottom")
    c1.number_input(
        t("nt.added_label"),
        min_value=0,
        max_value=MAX_ADDED,
        step=1,
        key=ADDED,
        on_change=sync_added,
        args=(text, seed, kw),
        help=t("nt.added_help"),
    )
    with c2:
        n_gen = w.control(NtSettings, "n_generate", t("nt.n_label"))
    c2.button(
        t("nt.generate_button", n=n_gen),
        key="nt_generate",
        shortcut="G",
        width="stretch",
        icon=":material/fast_forward:",
        on_click=generate,
        args=(text, n_gen, seed, kw),
        help=t("nt.generate_help"),
    )
    c3.button(
        t("nt.reset_button"),
        key="nt_reset",
        width="stretch",
        icon=":material/replay:",
        on_click=reset,
        args=(text,),
        disabled=not any_added,
    )
    if st.session_state.pop("nt_changed", False):  # the whole page shows the new tokens
        st.rerun(scope="app")


def compare_section(text: str, mode: str, temp: float, top_k: int, top_p: float, seed: int):
    """Greedy next to sampling, from the prompt alone (Next/Generate do not redo it)."""
    tok = bundle().tok
    st.subheader(t("nt.compare_head"))
    explain(t("nt.compare_text"))
    g_col, s_col = st.columns(2, gap="large")
    samp = ("sample", temp, top_k, top_p) if mode == "sample" else ("sample", 1.0, 0, 1.0)
    start = prepare(text).ids
    for col, args, head in (
        (g_col, ("greedy", 1.0, 0, 1.0), "nt.greedy_col"),
        (s_col, samp, "nt.sample_col"),
    ):
        cont = continuation(start, COMPARE, seed, *args)
        col.markdown(t(head, temp=f"{args[1]:g}", seed=seed, n=COMPARE))
        text_box(col, visible(tok.decode(cont)))
        whole, distinct = corpus.sentence_counts(tok.decode(cont))
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


@st.fragment
def attention_section(att: np.ndarray, ctx_pieces: tuple[str, ...]) -> None:
    """The attention maps of one layer (the layer switch reruns only this part)."""
    cfg = bundle().model.config
    st.subheader(t("nt.attn_head"))
    explain(t("nt.attn_text", n_layer=cfg.n_layer, n_head=cfg.n_head))
    st.markdown(t("nt.position_text", **{k: plain(v) for k, v in position_numbers().items()}))
    layers = list(range(cfg.n_layer))
    layer = w.control(
        NtSettings,
        "layer",
        t("nt.layer_label"),
        kind="segmented",
        options=layers,
        labels={i: t("nt.layer_name", n=i + 1) for i in layers},
    )
    heads = [t("nt.head_title", n=h + 1) for h in range(cfg.n_head)]
    plot(
        vz.attention_maps(att[layer], ctx_pieces, heads, weight_axis=t("nt.weight_axis")),
        key="nt_attn_fig",
        alt=t("nt.attn_alt", layer=layer + 1, n=len(ctx_pieces)),
    )


def prompt_examples() -> list[str]:
    """Three example prompts, one per sentence family, in the current language."""
    return [t(f"nt.example_{i}") for i in range(1, 4)]


def text_box(where: Any, body: str, key: str | None = None) -> None:
    """Plain text in a box; st.code would add its highlighter and font (554 KB, issue 15)."""
    where.container(border=True, key=key).text(body)


def visible(text: str) -> str:
    return text.replace("\n", "↵\n")


def default_prompt() -> str:
    return t("nt.prompt_default")


def position_numbers() -> dict[str, int]:
    """The learned position vectors of the bundled model: how many, how long, in total."""
    n_pos, width = bundle().model.params["transformer.wpe.weight"].shape
    return {"ctx": int(n_pos), "width": int(width), "count": int(n_pos * width)}
