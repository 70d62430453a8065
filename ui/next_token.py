"""Streamlit helpers of the next-token page: the cached model, prompt handling, decoding
state, and the page's fragments (decoding with its generate buttons nested inside,
attention maps, "watch it learn"), so that a control reruns only the part it changes.
The seed box is read by "watch it learn" when Train is pressed (:func:`current_seed`)."""

from __future__ import annotations

import contextlib
import ctypes
import functools
import json
import pathlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from core import corpus
from core.gpt import (
    GPT,
    GPTConfig,
    GPTError,
    count_parameters,
    evaluate,
    evaluate_probs,
    load_checkpoint,
    next_token_probs,
    repetition,
    sample,
    train_step,
)
from core.optimizers import make_optimizer
from core.schedules import learning_rates
from core.tokenizer import Tokenizer
from ui import widgets as w
from ui.i18n import t
from ui.layout import downloads, explain, plot
from viz import next_token as vz

ROOT = pathlib.Path(__file__).resolve().parents[1]
MODEL_PATH = ROOT / "assets" / "tiny_gpt.npz"
MAX_CHARS = 400  # prompt box limit
TOP = 10  # bars in the probability chart
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


def settings_of(mode: str, temp: float, top_k: int, top_p: float) -> dict[str, Any]:
    if mode == "greedy":
        return {"temperature": 0.0, "top_k": None, "top_p": 1.0}
    return {"temperature": float(temp), "top_k": int(top_k) or None, "top_p": float(top_p)}


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
    return tuple(continue_ids(ids, n, seed, 0, settings_of(mode, temp, top_k, top_p)))


def state(prompt_text: str) -> dict[str, Any]:
    """The tokens added by Next/Generate; reset whenever the prompt changes."""
    s = st.session_state.get(STATE)
    if not isinstance(s, dict) or s.get("prompt") != prompt_text:
        s = {"prompt": prompt_text, "added": []}
        st.session_state[STATE] = s
    return s


def add_tokens(text: str, n: int, seed: int, kw: dict[str, Any]) -> None:
    """Button callback: append ``n`` tokens (drawn with the current settings)."""
    s = state(text)
    p = prepare(text, tuple(s["added"]))
    s["added"] = s["added"] + continue_ids(p.all_ids, int(n), int(seed), len(s["added"]), kw)


def reset(text: str) -> None:
    state(text)["added"] = []


def set_prompt(example: str) -> None:
    st.session_state["nt_prompt"] = example


COMPARE = 90  # tokens in the greedy-versus-sampling comparison


def sampling_notes(mode: str, temp: float, top_k: int, top_p: float) -> list[str]:
    """Short explanations of what the current sampling settings do."""
    if mode == "greedy":
        return [t("nt.note_greedy")]
    notes = []
    if temp == 0:
        notes.append(t("nt.note_temp0"))
    elif temp >= 2.5:
        notes.append(t("nt.note_temp_high", temp=f"{temp:g}"))
    elif temp < 1:
        notes.append(t("nt.note_temp_low"))
    if top_k == 1 or top_p == 0:
        notes.append(t("nt.note_one_token"))
    elif top_k:
        notes.append(t("nt.note_topk", k=top_k))
    if 0 < top_p < 1:
        notes.append(t("nt.note_topp", p=f"{top_p:.0%}"))
    if top_k == 0 and top_p == 1 and temp > 0:
        notes.append(t("nt.note_all"))
    return notes


def token_table(p: Prompt) -> pd.DataFrame:
    """One column per token: its text (made visible) and id; cut tokens marked ✂."""
    ids = p.all_ids
    cols = {}
    for i, (piece, tid) in enumerate(zip(p.pieces, ids, strict=True)):
        label = piece.replace("\n", "↵").replace(" ", "␣")
        cols[f"{'✂ ' if i < p.n_cut else ''}{i}"] = [label, str(tid)]
    return pd.DataFrame(cols, index=[t("nt.row_token"), t("nt.row_id")])


def prediction_table(
    tok: Tokenizer, logits: np.ndarray, probs: np.ndarray, draw: np.ndarray
) -> dict[str, list[Any]]:
    """Every vocabulary token, likeliest first: rank, id, text, logit, the model's
    probability and the probability the sampler draws with (ties keep id order)."""
    order = [int(i) for i in np.argsort(-probs, kind="stable")]
    return {
        "rank": list(range(1, len(order) + 1)),
        "token_id": order,
        "token": [tok.piece(i) for i in order],
        "logit": [float(logits[i]) for i in order],
        "p_model": [float(probs[i]) for i in order],
        "p_sampler": [float(draw[i]) for i in order],
    }


def prediction_data(
    p: Prompt,
    text: str,
    added: list[int],
    settings: dict[str, Any],
    kw: dict[str, Any],
    table: dict[str, list[Any]],
) -> dict[str, Any]:
    """The JSON export: settings, the prompt's tokens, the text so far, the top entries."""
    tok = bundle().tok
    n_prompt = len(p.all_ids) - len(added)
    return {
        "settings": {"prompt": text, **settings, "sampler": kw},
        "prompt_tokens": list(p.pieces[:n_prompt]),
        "prompt_ids": list(p.all_ids[:n_prompt]),
        "generated_ids": list(added),
        "text_so_far": tok.decode(p.all_ids[1:] if p.empty else p.all_ids),  # no start mark
        "context_ids": list(p.ids),
        "n_cut": p.n_cut,
        "top": [{k: v[r] for k, v in table.items()} for r in range(min(TOP, len(table["rank"])))],
    }


def download_prediction(
    p: Prompt,
    text: str,
    added: list[int],
    settings: dict[str, Any],
    kw: dict[str, Any],
    logits: np.ndarray,
    probs: np.ndarray,
    draw: np.ndarray,
) -> None:
    """The current prediction as CSV (every token) and JSON (settings, prompt, top)."""
    table = prediction_table(bundle().tok, logits, probs, draw)
    downloads(
        "next-token",
        key="nt_dl",
        table=table,
        data=prediction_data(p, text, added, settings, kw, table),
    )


# ── decoding (section 2-3) and attention (section 4): fragments ──────────────────
# Moving a sampling control reruns only the decoding fragment, moving "tokens to
# generate" only the small one inside it, switching the layer only the attention figure.
# What these controls change lives entirely inside their fragment; Next / Generate /
# Reset change the prompt's tokens, which the whole page shows, so they rerun the app.


@st.fragment
def decoding_section(text: str, added: tuple[int, ...], p: Prompt, logits: np.ndarray) -> None:
    """Sampling controls, the probability chart and downloads, the generate buttons, the
    text so far, and greedy versus sampling over the prompt alone."""
    b = bundle()
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
            "nt_temp",
            t("nt.temp_label"),
            0.0,
            5.0,
            1.0,
            0.05,
            disabled=off,
            help=t("nt.temp_help"),
        )
        top_k = w.slider(
            "nt_topk", t("nt.topk_label"), 0, 20, 0, 1, disabled=off, help=t("nt.topk_help")
        )
        top_p = w.slider(
            "nt_topp",
            t("nt.topp_label"),
            0.0,
            1.0,
            1.0,
            0.05,
            disabled=off,
            help=t("nt.topp_help"),
        )
        seed = w.number("nt_seed", t("nt.seed_label"), 0, 99999, 0, 1, help=t("nt.seed_help"))
        kw = settings_of(mode, temp, top_k, top_p)
        for note in sampling_notes(mode, temp, top_k, top_p):
            st.caption(note)
    try:
        probs = next_token_probs(logits)
        draw = next_token_probs(logits, **kw)
    except GPTError as err:  # cannot happen with the sliders' ranges; shown, not raised
        st.error(t("nt.err_model", code=err.code), icon=":material/error:")
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
        p,
        text,
        list(added),
        {"mode": mode, "temperature": temp, "top_k": top_k, "top_p": top_p, "seed": seed},
        kw,
        logits,
        probs,
        draw,
    )
    generate_controls(text, int(seed), kw, bool(added))
    st.caption(t("nt.so_far", n=len(added)))
    # an empty prompt starts from a line break that is not part of the text
    st.code(
        visible(b.tok.decode(p.all_ids[1:] if p.empty else p.all_ids)),
        language=None,
        wrap_lines=True,
    )
    compare_section(text, mode, temp, top_k, top_p, int(seed))


@st.fragment
def generate_controls(text: str, seed: int, kw: dict[str, Any], any_added: bool) -> None:
    """How many tokens Generate adds, and Next / Generate / Reset."""
    n_gen = w.slider("nt_n", t("nt.n_label"), 1, 40, 10, 1)
    c1, c2, c3 = st.columns(3)
    pressed = c1.button(
        t("nt.next_button"),
        key="nt_next",
        type="primary",
        shortcut="N",
        width="stretch",
        icon=":material/skip_next:",
        on_click=add_tokens,
        args=(text, 1, seed, kw),
        help=t("nt.next_help"),
    )
    pressed |= c2.button(
        t("nt.generate_button", n=n_gen),
        key="nt_generate",
        shortcut="G",
        width="stretch",
        icon=":material/fast_forward:",
        on_click=add_tokens,
        args=(text, n_gen, seed, kw),
        help=t("nt.generate_help"),
    )
    pressed |= c3.button(
        t("nt.reset_button"),
        key="nt_reset",
        width="stretch",
        icon=":material/replay:",
        on_click=reset,
        args=(text,),
        disabled=not any_added,
    )
    if pressed:  # the callback changed the prompt's tokens: the whole page shows them
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
        col.code(visible(tok.decode(cont)), language=None, wrap_lines=True)
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
    layers = list(range(cfg.n_layer))
    layer = w.select(
        "nt_layer",
        t("nt.layer_label"),
        layers,
        0,
        kind="segmented",
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


def visible(text: str) -> str:
    return text.replace("\n", "↵\n")


# ── watch it learn ────────────────────────────────────────────────────────────
@functools.cache
def openblas_threads() -> tuple[Any, Any] | None:
    """(get, set) of the number of threads of NumPy's bundled OpenBLAS, found through
    ctypes in this process's loaded libraries; None where there is none (no crash)."""
    try:
        with open("/proc/self/maps", encoding="utf-8") as f:
            paths = sorted({ln.split()[-1] for ln in f if "openblas" in ln.lower() and "/" in ln})
        for path in paths:
            lib = ctypes.CDLL(path)
            for name in ("scipy_openblas", "openblas"):
                for suffix in ("64_", ""):
                    setter = getattr(lib, f"{name}_set_num_threads{suffix}", None)
                    getter = getattr(lib, f"{name}_get_num_threads{suffix}", None)
                    if setter is not None and getter is not None:
                        return getter, setter
    except OSError:
        pass
    return None


@contextlib.contextmanager
def single_blas_thread() -> Iterator[None]:
    """Run OpenBLAS on one thread inside the block (restored afterwards).

    On a small shared machine, OpenBLAS's worker threads spin on the tiny matrices of this
    model: a training step took ~45 ms of CPU instead of ~6 ms. NumPy offers no switch,
    so this calls the bundled OpenBLAS through ctypes; without it nothing changes."""
    found = openblas_threads()
    if found is None:
        yield
        return
    getter, setter = found
    before = int(getter())
    setter(1)
    try:
        yield
    finally:
        setter(before)


LEARN_CHECKPOINTS = (0, 25, 50, 100, 200, 300, 500, 1000)


def current_seed() -> int:
    """The seed box's value (it lives in the decoding fragment, which can change it
    without rerunning this part of the page)."""
    try:
        return min(max(int(st.session_state.get("nt_seed", 0)), 0), 99999)
    except (TypeError, ValueError):
        return 0


@st.fragment
def watch_it_learn(prompt: tuple[int, ...]) -> None:
    """Train a fresh small GPT in this session, in chunks, with a live loss curve (seeded
    by the seed box of the decoding section, read when Train is pressed)."""
    st.subheader(t("nt.learn_head"))
    explain(t("nt.learn_text", step=rule_learned_at()))
    steps = w.select_slider("nt_steps", t("nt.steps_label"), [100, 200, 300, 500, 1000], 300)
    go = st.button(
        t("nt.train_button", steps=steps),
        key="nt_train",
        type="primary",
        icon=":material/play_arrow:",
        shortcut="T",
    )
    result = st.session_state.get("nt_learn")
    if go:
        with single_blas_thread():
            result = _train_live(int(steps), current_seed(), prompt)
        st.session_state["nt_learn"] = result
    if result:
        _show_learning(result)


def _train_live(steps: int, seed: int, prompt: tuple[int, ...]) -> dict[str, Any]:
    b = bundle()
    cfg = GPTConfig(vocab_size=b.tok.size, n_ctx=32, n_embd=32, n_layer=2, n_head=2)
    rng = np.random.default_rng(seed)
    model = GPT(cfg, rng=rng, dtype=np.float32, embedding_std=0.3)
    opt = make_optimizer("adam", lr=5e-3)
    lrs = learning_rates("warmup_cosine", 5e-3, steps, warmup_steps=20, min_lr=5e-4)
    bar = st.progress(0.0, text=t("nt.progress", step=0, steps=steps, loss="—"))
    chart = st.empty()
    result: dict[str, Any] = {
        "steps": steps,
        "curve": [],
        "samples": [],
        "params": model.n_params(),
    }
    running: list[float] = []
    start = list(prompt[-16:])
    for step in range(steps + 1):
        if step in LEARN_CHECKPOINTS or step == steps:
            ids = _sample_small(model, start, seed)
            result["samples"].append((step, b.tok.decode(ids)))
        if step == steps:
            break
        w_ = corpus.sample_windows(rng, 8, cfg.n_ctx, b.tok, split="train")
        running.append(train_step(model, opt, w_.inputs, w_.targets, float(lrs[step])))
        if (step + 1) % 20 == 0 or step + 1 == steps:
            result["curve"].append((step + 1, float(np.mean(running))))
            running = []
            bar.progress(
                (step + 1) / steps,
                text=t(
                    "nt.progress", step=step + 1, steps=steps, loss=f"{result['curve'][-1][1]:.3f}"
                ),
            )
            with chart.container():
                _loss_chart(result, key=f"nt_learn_live_{step}")
    bar.empty()
    chart.empty()
    return result


def _sample_small(model: GPT, start: list[int], seed: int) -> list[int]:
    """What the model writes after ``start`` (20 tokens, temperature 0.7, seeded)."""
    ids = list(start)
    rng = np.random.default_rng([seed, 7])
    for _ in range(20):
        logits, _ = model.forward(ids[-model.config.n_ctx :])
        ids.append(sample(next_token_probs(logits[-1], temperature=0.7), rng))
    return ids[len(start) :]


def _loss_chart(result: dict[str, Any], *, key: str) -> None:
    steps, losses = zip(*result["curve"], strict=True) if result["curve"] else ((), ())
    fig = vz.loss_curve(
        steps,
        losses,
        name=t("nt.loss_axis"),
        x_axis=t("nt.step_axis"),
        y_axis=t("nt.loss_axis"),
        total_steps=result["steps"],
        height=280,
    )
    last = f"{losses[-1]:.3f}" if losses else "—"
    plot(fig, key=key, alt=t("nt.learn_alt", steps=len(steps) * 20, loss=last))


def _show_learning(result: dict[str, Any]) -> None:
    st.success(
        t(
            "nt.learn_done",
            steps=result["steps"],
            params=f"{result['params']:,}",
            loss=f"{result['curve'][-1][1]:.3f}",
        ),
        icon=":material/check_circle:",
    )
    _loss_chart(result, key="nt_learn_fig")
    df = pd.DataFrame(
        [(s, visible(x)) for s, x in result["samples"]],
        columns=[t("nt.col_step"), t("nt.col_sample")],
    )
    st.dataframe(df, hide_index=True, width="stretch")


def rule_learned_at(threshold: float = 0.9) -> int:
    """First logged step at which the bundled model got ``threshold`` of the long-range
    answers right (from the training log stored with the model)."""
    for step, acc in bundle().meta["long_range_curve"]:
        if acc >= threshold:
            return int(step)
    return int(bundle().meta["settings"]["steps"])


def default_prompt() -> str:
    return t("nt.prompt_default")


# ── the bundled model, measured ───────────────────────────────────────────────
def bundled_report() -> None:
    b = bundle()
    meta, cfg = b.meta, b.model.config
    sc = heldout_scores()
    g, bg = sc["gpt"], sc["bigram"]
    st.subheader(t("nt.report_head"))
    gpt2 = count_parameters(GPTConfig(50257, 1024, 768, 12, 12))
    st.markdown(
        t(
            "nt.report_text",
            params=f"{b.model.n_params():,}",
            layers=cfg.n_layer,
            heads=cfg.n_head,
            width=cfg.n_embd,
            ctx=cfg.n_ctx,
            vocab=cfg.vocab_size,
            steps=meta["settings"]["steps"],
            seconds=f"{meta.get('train_cpu_seconds', meta['train_seconds']):.0f}",
            gpt2=f"{gpt2:,}",
        )
    )
    fams = [f for f in (1, 2, 3) if f in g.by_family]
    groups = [t("nt.group_all"), t("nt.group_long")] + [
        t(f"nt.family_{corpus.FAMILIES[f]}") for f in fams
    ]
    series = [
        (t("nt.gpt_name"), [g.accuracy, g.long_range_accuracy] + [g.by_family[f] for f in fams]),
        (
            t("nt.bigram_name"),
            [bg.accuracy, bg.long_range_accuracy] + [bg.by_family.get(f, 0.0) for f in fams],
        ),
    ]
    left, right = st.columns(2, gap="large")
    with left:
        plot(
            vz.accuracy_bars(groups, series, axis=t("nt.acc_axis")),
            key="nt_acc_fig",
            alt=t(
                "nt.acc_alt",
                gpt=f"{g.long_range_accuracy:.0%}",
                bigram=f"{bg.long_range_accuracy:.0%}",
            ),
        )
        st.caption(
            t(
                "nt.report_losses",
                gpt=f"{g.loss:.3f}",
                bigram=f"{bg.loss:.3f}",
                n=g.n_tokens,
                marked=g.n_marked,
            )
        )
    with right:
        steps, losses = zip(*meta["loss_curve"], strict=True)
        acc = tuple(zip(*meta["long_range_curve"], strict=True))
        fig = vz.loss_curve(
            steps,
            losses,
            name=t("nt.loss_axis"),
            x_axis=t("nt.step_axis"),
            y_axis=t("nt.loss_axis"),
            baseline=bg.loss,
            baseline_name=t("nt.bigram_line"),
            accuracy=acc,
            accuracy_name=t("nt.long_acc_axis"),
            height=360,
        )
        plot(fig, key="nt_log_fig", alt=t("nt.log_alt", steps=steps[-1], loss=f"{losses[-1]:.3f}"))
        st.caption(t("nt.log_caption"))
