"""What the playground draws: the live figures (data and decision boundary or regression
curve, network diagram, loss and accuracy curves) and the numbers as CSV/JSON
(:func:`export`). Used by ui/network_play.py; its settings record, :class:`PlayConfig`,
is in ui/model/nn.py."""

from __future__ import annotations

import math
from dataclasses import asdict
from typing import Any

import numpy as np
import streamlit as st

from core.datasets import n_classes_of
from core.mlp import (
    Trainer,
    decision_grid,
)
from ui.i18n import t
from ui.layout import plot
from ui.model.nn import PlayConfig
from ui.network import (
    BOX,
    RES,
)
from viz.network import (
    boundary_figure,
    history_figure,
    network_figure,
    regression_figure,
)


def _layer_names() -> list[str]:
    return [t("nn.layer_in"), t("nn.layer_hidden"), t("nn.layer_out")]


def _draw(tr: Trainer, cfg: PlayConfig, slots: dict, tick: int) -> None:
    """Redraw the playground's figures and numbers into their placeholders."""
    h = tr.history
    m = tr.model
    with slots["metrics"].container(horizontal=True, gap="medium"):
        # fixed-width metrics wrap two by two on a phone instead of stacking (a width
        # on the metric itself, not a container each: fewer elements to send and redraw)
        st.metric(t("nn.m_step"), f"{tr.steps:,}", width=160)
        if cfg.regression:
            st.metric(
                t("nn.m_rmse_train"),
                f"{h.rmse('train')[-1]:.4f}",
                help=t("nn.m_mse_help", mse=f"{h.train_loss[-1]:.5f}"),
                width=160,
            )
            test = h.rmse("test")[-1]
            st.metric(
                t("nn.m_rmse_test"),
                "—" if math.isnan(test) else f"{test:.4f}",
                width=160,
            )
            st.metric(t("nn.m_mse_train"), f"{h.train_loss[-1]:.5f}", width=160)
        else:
            st.metric(t("nn.m_loss"), f"{h.train_loss[-1]:.4f}", width=160)
            st.metric(t("nn.m_acc_train"), f"{h.train_acc[-1]:.1%}", width=160)
            st.metric(
                t("nn.m_acc_test"),
                "—" if math.isnan(h.test_acc[-1]) else f"{h.test_acc[-1]:.1%}",
                width=160,
            )
    with slots["main"]:  # one figure: straight into its placeholder
        if cfg.regression:
            xs = np.linspace(-1.1, 1.1, 221)
            fit = m.forward(xs[:, None])[:, 0]
            fig = regression_figure(
                tr.X,
                tr.y,
                tr.X_test,
                tr.y_test,
                xs,
                fit,
                np.sin(np.pi * xs),
                train_name=t("nn.train_pts"),
                test_name=t("nn.test_pts"),
                fit_name=t("nn.fit"),
                truth_name=t("nn.truth"),
            )
            alt = t("nn.fit_alt", step=tr.steps, rmse=f"{h.rmse('train')[-1]:.3f}")
        else:
            g = decision_grid(m, -BOX, BOX, RES)
            k = g.probs.shape[-1]
            fig = boundary_figure(
                g.xs,
                g.probs,
                tr.X,
                tr.y,
                tr.X_test,
                tr.y_test,
                class_names=[t("nn.class", c=i) for i in range(k)],
                train_name=t("nn.train_pts"),
                test_name=t("nn.test_pts"),
            )
            alt = t(
                "nn.boundary_alt",
                step=tr.steps,
                acc=f"{h.train_acc[-1]:.0%}",
                data=t(f"nn.data.{cfg.dataset}"),
            )
        plot(fig, key=f"nn_play_fig_{tick}", alt=alt)
    with slots["net"]:
        plot(
            network_figure(
                m.weights,
                m.biases,
                layer_names=_layer_names(),
                weight_name=t("nn.weight_short"),
                bias_name=t("nn.bias_short"),
                height=360,
            ),
            key=f"nn_net_fig_{tick}",
            alt=t("nn.net_alt", sizes="-".join(str(s) for s in m.sizes), n=m.n_params),
        )
    if len(h.step) < 2:
        # one recorded point draws no curve: a sentence until the first step, so that a
        # move of the noise (which starts training afresh) redraws one figure, not three
        slots["curves"].caption(t("nn.curves_wait"))
        return
    with slots["curves"].container():
        left, right = st.columns(2, gap="medium")
        loss_name = "MSE" if cfg.loss == "mse" else t("nn.loss_cross_entropy")
        with left:
            st.markdown(f"**{t('nn.curve_loss', loss=loss_name)}**")
            plot(
                history_figure(
                    h.step,
                    [
                        (t("nn.train_pts"), h.train_loss, "solid"),
                        (t("nn.test_pts"), h.test_loss, "dash"),
                    ],
                    x_title=t("nn.m_step"),
                    y_title=loss_name,
                ),
                key=f"nn_loss_fig_{tick}",
                alt=t("nn.curve_loss_alt", n=len(h.step)),
            )
        with right:
            if cfg.regression:
                rm, rt = h.rmse("train"), h.rmse("test")
                series, title, ytitle, yr = (
                    [(t("nn.train_pts"), rm, "solid"), (t("nn.test_pts"), rt, "dash")],
                    t("nn.curve_rmse"),
                    "RMSE",
                    None,
                )
            else:
                series, title, ytitle, yr = (
                    [
                        (t("nn.train_pts"), h.train_acc, "solid"),
                        (t("nn.test_pts"), h.test_acc, "dash"),
                    ],
                    t("nn.curve_acc"),
                    t("nn.acc"),
                    (0, 1.02),
                )
            st.markdown(f"**{title}**")
            plot(
                history_figure(
                    h.step,
                    series,
                    x_title=t("nn.m_step"),
                    y_title=ytitle,
                    y_range=yr,
                    legend_at="top" if cfg.regression else "bottom",
                ),
                key=f"nn_acc_fig_{tick}",
                alt=t("nn.curve_acc_alt", n=len(h.step)),
            )


def export(tr: Trainer, cfg: PlayConfig) -> tuple[dict[str, list], dict[str, Any]]:
    """The playground's current numbers for the downloads, taken from the session's
    trainer (nothing is retrained): the training history as a table (one row per recorded
    step) and, as JSON, the settings, each layer's weights ``W (n_in, n_out)`` and biases
    ``b (n_out,)``, the training/test points and the same history. Copies, so that a file
    built later (on click) still shows the state of this run."""
    m = tr.model
    history = asdict(tr.history)  # step, train_loss, test_loss, train_acc, test_acc
    settings = {
        "data_set": cfg.dataset,
        "classes": n_classes_of(cfg.dataset, cfg.classes),  # 0: regression
        "noise": cfg.noise,
        "points": cfg.n,
        "test_fraction": cfg.test,
        "hidden_layers": cfg.layers,
        "width": cfg.width,
        "activation": m.activation.key,
        "output": m.output,
        "loss": tr.loss,
        "optimizer": tr.optimizer.name,
        "lr": tr.optimizer.lr,
        "batch": tr.batch_size,  # effective size (the whole set when "all")
        "steps_per_train": cfg.steps,
        "seed": cfg.seed,
    }
    data = {
        "settings": settings,
        "sizes": list(m.sizes),
        "step": tr.steps,
        "status": tr.status,
        "layers": [
            {"W": wt.copy(), "b": bs.copy()} for wt, bs in zip(m.weights, m.biases, strict=True)
        ],
        "train": {"x": tr.X, "y": tr.y},
        "test": {"x": tr.X_test, "y": tr.y_test},
        "history": history,
    }
    return history, data
