"""Watching a GPT learn, and the bundled model measured: the next-token page's last two
sections. "Watch it learn" trains a fresh small GPT in this session (a fragment: Train
reruns only this part), seeded by the decoding section's seed box, read when Train is
pressed (:func:`current_seed`)."""

from __future__ import annotations

import contextlib
import ctypes
import functools
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from core import corpus, gpt_train
from core.gpt import GPT, GPTConfig, count_parameters, next_token_probs, sample
from core.gpt_train import Recipe
from ui import widgets as w
from ui.fmt import count, num, plain
from ui.i18n import lang, t
from ui.layout import explain, plot
from ui.model.nt import PROBE_WINDOWS, NtSettings
from ui.next_token import bundle, heldout_scores, visible
from viz import next_token as vz


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
    explain(
        t(
            "nt.learn_text",
            step=rule_learned_at(),
            share=f"{100 * RULE_SHARE:.0f} %",
            times=num(batch_ratio(), 3),
        )
    )
    st.markdown(t("nt.do_train"))
    steps = w.control(NtSettings, "learn_steps", t("nt.steps_label"), kind="select_slider")
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


#: the small GPT trained live (about 40,000 parameters; a step takes a few ms)
LIVE = dict(n_ctx=32, n_embd=32, n_layer=2, n_head=2, batch=8, lr=5e-3, warmup=20, min_lr=5e-4)
SAMPLE_TEMPERATURE = 0.7  # how the live model's checkpoints continue the prompt
SAMPLE_TOKENS = 20  # tokens written at each checkpoint


def batch_ratio() -> float:
    """How many times as many training windows a step of the bundled model saw as a step
    of the live one (its batch over LIVE's)."""
    return bundle().meta["settings"]["batch"] / LIVE["batch"]


def _train_live(steps: int, seed: int, prompt: tuple[int, ...]) -> dict[str, Any]:
    b = bundle()
    recipe = Recipe(steps=steps, seed=seed, embedding_std=0.3, dtype="float32", **LIVE)
    bar = st.progress(0.0, text=t("nt.progress", step=0, steps=steps, loss="—"))
    chart = st.empty()
    result: dict[str, Any] = {"steps": steps, "curve": [], "samples": [], "params": 0}
    running: list[float] = []
    start = list(prompt[-16:])
    for p in gpt_train.train(recipe, b.tok):  # the bundled model's loop (core/gpt_train.py)
        if p.step in LEARN_CHECKPOINTS or p.step == steps:
            result["samples"].append((p.step, b.tok.decode(_sample_small(p.model, start, seed))))
        if p.step == 0:
            result["params"] = p.model.n_params()
            continue
        running.append(p.loss)
        if p.step % 20 == 0 or p.step == steps:
            result["curve"].append((p.step, float(np.mean(running))))
            running = []
            bar.progress(
                p.step / steps,
                text=t(
                    "nt.progress", step=p.step, steps=steps, loss=f"{result['curve'][-1][1]:.3f}"
                ),
            )
            with chart.container():
                _loss_chart(result, key=f"nt_learn_live_{p.step}")
    bar.empty()
    chart.empty()
    return result


def _sample_small(model: GPT, start: list[int], seed: int) -> list[int]:
    """What the model writes after ``start`` (SAMPLE_TOKENS tokens at SAMPLE_TEMPERATURE,
    seeded)."""
    ids = list(start)
    rng = np.random.default_rng([seed, 7])
    for _ in range(SAMPLE_TOKENS):
        logits, _ = model.forward(ids[-model.config.n_ctx :])
        ids.append(sample(next_token_probs(logits[-1], temperature=SAMPLE_TEMPERATURE), rng))
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
            params=plain(result["params"]),
            loss=f"{result['curve'][-1][1]:.3f}",
        ),
        icon=":material/check_circle:",
    )
    _loss_chart(result, key="nt_learn_fig")
    df = pd.DataFrame(
        [(s, visible(x)) for s, x in result["samples"]],
        columns=[t("nt.col_step"), t("nt.col_sample", temp=num(SAMPLE_TEMPERATURE))],
    )
    st.dataframe(df, hide_index=True, width="stretch")


RULE_SHARE = 0.9  # share of long-range answers right that counts as "the rule is learned"


def rule_learned_at(threshold: float = RULE_SHARE) -> int:
    """First logged step at which the bundled model got ``threshold`` of the long-range
    answers right (from the training log stored with the model)."""
    for step, acc in bundle().meta["long_range_curve"]:
        if acc >= threshold:
            return int(step)
    return int(bundle().meta["settings"]["steps"])


def log_every(steps: tuple[int, ...]) -> int:
    """Steps per entry of the stored loss log (the spacing of the steps it drew)."""
    return int(steps[1] - steps[0]) if len(steps) > 1 else int(steps[0])


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
            params=plain(b.model.n_params()),
            layers=cfg.n_layer,
            heads=cfg.n_head,
            width=cfg.n_embd,
            ctx=cfg.n_ctx,
            vocab=cfg.vocab_size,
            steps=meta["settings"]["steps"],
            seconds=f"{meta.get('train_cpu_seconds', meta['train_seconds']):.0f}",
            gpt2=count(gpt2, lang()),
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
        st.caption(t("nt.log_caption", every=log_every(steps), windows=PROBE_WINDOWS))
