"""Section 4 of the neural-network chapter: the TensorFlow-Playground-style training
playground (its settings, the session's trainer, the training loop with live redraws,
and the numbers as CSV/JSON). See ui/network.py for the fragment layout; section 5's
gradient check (ui/network_check.py) is filled from here with the network just trained.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import streamlit as st

from core.activations import ActivationError
from core.datasets import DatasetError, make_dataset, n_classes_of
from core.datasets import train_test_split as split
from core.mlp import (
    MLP,
    MLPError,
    Trainer,
    new_trainer,
)
from core.optimizers import OptimizerError, make_optimizer
from ui import widgets as w
from ui.i18n import t
from ui.layout import downloads, explain, show_error
from ui.model.nn import NnSettings as C
from ui.model.nn import PlayConfig, play_config
from ui.network import RECORDS, REDRAW_EVERY
from ui.network_check import _backprop_check
from ui.network_draw import _draw, export

# ── ④ the playground ─────────────────────────────────────────────────────────────────


def _settings(boxes: list) -> dict[str, Any]:
    """The playground's controls except the three of :func:`_points` (the data set, the
    network and the training settings) in the boxes that :func:`playground_section` laid
    out with their headings; returns their values by :class:`NnSettings` field."""
    data_box, net_box, train_box = boxes
    v: dict[str, Any] = {}
    with data_box:
        v["data"] = w.control(C, "data", t("nn.dataset"))
        v["classes"] = w.control(
            C, "classes", t("nn.classes"), kind="segmented", disabled=v["data"] != "gaussians"
        )
    with net_box:
        v["layers"] = w.control(C, "layers", t("nn.layers"))
        v["width"] = w.control(C, "width", t("nn.width"))
        v["act"] = w.control(C, "act", t("nn.activation"))
        v["loss"] = w.control(
            C, "loss", t("nn.loss"), kind="segmented", disabled=v["data"] == "sine"
        )
    with train_box:
        v["opt"] = w.control(C, "opt", t("nn.optimizer"))
        v["lr"] = w.control(C, "lr", t("nn.lr"), kind="select_slider", labels=lambda x: f"{x:g}")
        v["batch"] = w.control(C, "batch", t("nn.batch"), kind="select_slider")
        v["steps"] = w.control(C, "steps", t("nn.steps"), kind="select_slider")
        v["seed"] = w.control(C, "seed", t("nn.seed"), kind="number")
    return v


def _points(data_box: Any) -> dict[str, Any]:
    """Noise, number of points and held-out share (the data box's last three controls)."""
    with data_box:
        noise = w.control(C, "noise", t("nn.noise"))
        n = w.control(C, "n", t("nn.points"))
        test = w.control(C, "test", t("nn.test_pct"), format="%d%%")
    return dict(noise=noise, n=n, test=test)


@st.cache_data(max_entries=64, show_spinner=False)
def _data(dataset: str, classes: int, noise: float, n: int, test: float, seed: int):
    X, y = make_dataset(dataset, n, noise=noise, rng=np.random.default_rng(seed), n_classes=classes)
    return split(X, y, test, np.random.default_rng(seed + 1))


def _build(cfg: PlayConfig) -> Trainer:
    X, y, Xt, yt = _data(cfg.dataset, cfg.classes, cfg.noise, cfg.n, cfg.test, cfg.seed)
    k = n_classes_of(cfg.dataset, cfg.classes)
    if cfg.regression:
        sizes, output = [1, *[cfg.width] * cfg.layers, 1], "identity"
    elif k == 2:
        sizes, output = [2, *[cfg.width] * cfg.layers, 1], "sigmoid"
    else:
        sizes, output = [2, *[cfg.width] * cfg.layers, k], "softmax"
    model = MLP(sizes, activation=cfg.act, output=output, rng=np.random.default_rng(cfg.seed))
    return new_trainer(
        model,
        X,
        y,
        Xt,
        yt,
        loss=cfg.loss,
        optimizer=cfg.opt,
        lr=cfg.lr,
        batch_size=cfg.batch or len(X),
        rng=np.random.default_rng(cfg.seed + 2),
    )


def _trainer(cfg: PlayConfig, *, reset: bool = False) -> Trainer:
    """The session's trainer for ``cfg``: rebuilt when the data or network changed, given
    a fresh optimizer (keeping the weights) when only the training settings changed."""
    ss = st.session_state
    tr = ss.get("nn_tr")
    if reset or tr is None or ss.get("nn_tr_sig") != cfg.model_sig():
        tr = _build(cfg)
        ss["nn_tr"], ss["nn_tr_sig"], ss["nn_opt_sig"] = tr, cfg.model_sig(), cfg.opt_sig()
    elif ss.get("nn_opt_sig") != cfg.opt_sig():  # continue from the last good state
        tr.retune(make_optimizer(cfg.opt, lr=cfg.lr), cfg.batch)
        ss["nn_opt_sig"] = cfg.opt_sig()
    return tr


def playground_section(check_box: Any) -> None:
    """The playground. Its controls, Train/Step/Reset and figures live in fragments; the
    Stop button deliberately does not: a click on a widget inside a running fragment is
    queued until the fragment finishes, while a click outside it interrupts the run.
    ``check_box`` (section 5's container) receives the gradient check of the network."""
    explain(t("nn.play_text"))
    st.markdown(t("nn.do_play"))
    # The boxes and their headings never change: laid out here, once per full run, so
    # that a move of a control resends only the controls (fewer elements per move).
    boxes = []
    for col, head in zip(st.columns(3, gap="medium"), ("data", "net", "train"), strict=True):
        box = col.container(border=True)
        box.markdown(t(f"nn.play_{head}"))
        boxes.append(box)
    # a row that wraps on a phone instead of stacking four full-width buttons
    row = st.container(horizontal=True, gap="small")
    bar = [row.container(width="content") for _ in range(4)]
    bar[3].button(t("nn.stop"), key="nn_stop", icon=":material/stop:", shortcut="P")
    _playground(boxes, bar, check_box)
    with st.expander(t("nn.play_more")):
        explain(t("nn.play_help"))


@st.fragment
def _playground(boxes: list, bar: list, check_box: Any) -> None:
    """The data set, network and training controls and Train/Step/Reset; a move or a
    click reruns them and, inside, :func:`_play` with the new settings (which reads the
    buttons' clicks from the session state)."""
    settings = _settings(boxes)
    bar[0].button(
        t("nn.train", n=settings["steps"]),
        key="nn_train",
        type="primary",
        icon=":material/play_arrow:",
        shortcut="T",
    )
    bar[1].button(t("nn.step"), key="nn_step", icon=":material/skip_next:", shortcut="S")
    bar[2].button(t("nn.reset"), key="nn_reset", icon=":material/restart_alt:", shortcut="X")
    _play(settings, boxes[0], check_box)


@st.fragment
def _play(settings: dict[str, Any], data_box: Any, check_box: Any) -> None:
    """Noise, points and held-out share, then the trainer, the training loop, the
    figures, the downloads and section 5's check. A fragment inside :func:`_playground`:
    moving one of its own controls reruns this alone, with the settings of the enclosing
    fragment's last run, which are the current ones."""
    try:
        cfg = play_config({**settings, **_points(data_box)})
        tr = _trainer(cfg, reset=bool(st.session_state.get("nn_reset", False)))
    except (DatasetError, MLPError, OptimizerError, ActivationError) as e:
        show_error(e, section="nn.err", fallback="nn.err.settings")
        return
    # the buttons live in the enclosing fragment: a click reruns it, and this with it
    train = bool(st.session_state.get("nn_train", False))
    step = bool(st.session_state.get("nn_step", False))
    stop = bool(st.session_state.get("nn_stop", False))
    status = st.empty()
    slots = {"metrics": st.empty()}
    main, net = st.columns([1.25, 1], gap="medium")
    slots["main"], slots["net"] = main.empty(), net.empty()
    slots["curves"] = st.empty()
    if step:
        tr.run(1)
    if train and tr.status != "diverged":
        # Metrics are recorded every `chunk` steps whatever the machine's speed; the
        # figures are redrawn at most every REDRAW_EVERY seconds. Each progress update
        # is a point where a click on Stop (outside this fragment) interrupts the run.
        chunk = max(1, cfg.steps // RECORDS)
        done, tick, last = 0, 0, time.perf_counter()
        bar_ = status.progress(0.0, text=t("nn.training", done=0, total=cfg.steps))
        while done < cfg.steps and tr.status != "diverged":
            n = min(chunk, cfg.steps - done)
            tr.run(n)
            done += n
            if tr.status == "diverged":
                break
            bar_.progress(done / cfg.steps, text=t("nn.training", done=done, total=cfg.steps))
            if time.perf_counter() - last >= REDRAW_EVERY and done < cfg.steps:
                tick += 1
                _draw(tr, cfg, slots, tick)
                last = time.perf_counter()
    if tr.status == "diverged":
        status.error(t("nn.diverged", lr=f"{cfg.lr:g}", step=tr.steps), icon=":material/warning:")
    elif stop:
        status.info(t("nn.stopped", step=tr.steps), icon=":material/pause_circle:")
    elif train:
        status.success(t("nn.trained", step=tr.steps), icon=":material/check_circle:")
    else:
        status.caption(t("nn.ready", step=tr.steps))
    _draw(tr, cfg, slots, 0)
    table, data = export(tr, cfg)
    downloads("neural-network", key="nn_dl", table=table, data=data)
    with check_box:
        _backprop_check(tr)
