"""Panels of the gradient-descent page that read a finished walk: status messages, the
race table, the hand-checked step (it reads the optimizer state ``descend`` recorded, it
does not redo the arithmetic), the differentiation lab and the downloads."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa  # a Streamlit dependency
import streamlit as st

from core.landscapes import Landscape
from core.landscapes import nearest_minimum as _nearest
from core.optimizers import DEFAULTS, Trajectory
from ui.fmt import duration, sci, sup, times
from ui.fmt import num as fmt
from ui.i18n import lang, t
from ui.layout import downloads
from ui.model.gd import BACKPROP_EVALS, MODELS, LabReading


def status_message(tr: Trajectory, name: str, tol: float, start: tuple) -> None:
    n, (x, y), loss = tr.steps, tr.points[-1], tr.losses[-1]
    common = {"name": name, "n": n, "x": fmt(x), "y": fmt(y), "loss": fmt(loss)}
    lr = float(tr.learning_rates[0]) if tr.steps else 0.0
    if tr.status == "converged":
        st.success(t("gd.status_converged", tol=fmt(tol), **common), icon=":material/flag:")
    elif tr.status == "max_steps":
        st.info(t("gd.status_max", **common), icon=":material/directions_walk:")
    elif tr.reason == "bad_start":
        st.error(
            t("gd.status_bad_start", x=fmt(start[0]), y=fmt(start[1])), icon=":material/error:"
        )
    elif tr.reason == "nonfinite":
        st.warning(t("gd.status_nonfinite", **common), icon=":material/warning:")
    elif tr.losses[-1] >= tr.losses[0]:
        l0, l1 = fmt(tr.losses[0]), fmt(tr.losses[-1], 2)
        st.warning(t("gd.status_up", l0=l0, l1=l1, n=n, lr=fmt(lr), name=name), icon=":material/warning:")  # fmt: skip
    else:
        l0, l1 = fmt(tr.losses[0]), fmt(tr.losses[-1], 2)
        st.warning(t("gd.status_down", l0=l0, l1=l1, n=n, name=name), icon=":material/warning:")


def race_table(trs: tuple[Trajectory, ...], labels: list[str], land: Landscape, lrs) -> None:
    """One row per walker: its η, final loss, distance to a minimum, steps, status."""
    keys = ("opt", "lr", "loss", "dist", "conv", "status")
    rows: dict[str, list[str]] = {t(f"gd.col_{c}"): [] for c in keys}
    cols = list(rows)
    for tr, name, lr in zip(trs, labels, lrs, strict=False):
        _, dist = _nearest(land, tr.points[-1])
        rows[cols[0]].append(name)
        rows[cols[1]].append(fmt(lr))
        rows[cols[2]].append(fmt(tr.losses[-1]))
        rows[cols[3]].append(fmt(dist) if np.isfinite(dist) else t("gd.not_arrived"))
        rows[cols[4]].append(str(tr.steps) if tr.status == "converged" else t("gd.not_arrived"))
        rows[cols[5]].append(t(f"gd.st.{tr.status}"))
    # as an Arrow table: a dict goes through pandas first (~1 ms more per move)
    st.table(pa.table(rows), border="horizontal", hide_index=True)


def _pair(prefix: str, v: np.ndarray) -> dict[str, str]:
    return {f"{prefix}x": fmt(v[0]), f"{prefix}y": fmt(v[1])}


def hand_check(tr: Trajectory, opt: str, i: int, hyper: dict[str, float]) -> None:
    """Step i of the first walker with every number its update rule uses, read from the
    state ``descend`` recorded (``tr.states``), not recomputed here."""
    st.markdown("**" + t("gd.now_head", step=i) + "**")
    (x, y), loss = tr.points[i], tr.losses[i]
    if i >= tr.steps:
        st.markdown(t("gd.now_end", x=fmt(x), y=fmt(y), loss=fmt(loss)))
        return
    g, lr, new = tr.gradients[i], float(tr.learning_rates[i]), tr.points[i + 1]
    vals = {"x": fmt(x), "y": fmt(y), "loss": fmt(loss), "lr": fmt(lr), **_pair("g", g),
            **_pair("n", new)}  # fmt: skip
    if opt == "gd":
        st.markdown(t("gd.now_gd", **vals))
        return
    h = {**DEFAULTS[opt], **hyper}
    rec = tr.states

    def now_prev(key: str) -> tuple[np.ndarray, np.ndarray]:
        return rec[key][i], (rec[key][i - 1] if i > 0 else np.zeros(2))

    text = t("gd.now_slope", **vals) + " "
    if opt in ("momentum", "nesterov"):
        b, b0 = now_prev("buf")
        more = {"mu": fmt(h["momentum"]), **_pair("b", b), **_pair("b0", b0)}
        if opt == "nesterov":
            more |= _pair("u", rec["direction"][i])
        text += t(f"gd.now_{opt}", **vals, **more)
    elif opt in ("adagrad", "rmsprop"):
        sq, sq0 = now_prev("sum" if opt == "adagrad" else "sq")
        more = {**_pair("s", sq), **_pair("s0", sq0), **_pair("r", rec["denom"][i])}
        if opt == "rmsprop":
            more |= {"alpha": fmt(h["alpha"]), "calpha": fmt(1 - h["alpha"])}
        text += t(f"gd.now_{opt}", **vals, **more)
    else:  # adam
        (m, m0), (v, v0) = now_prev("m"), now_prev("v")
        k = i + 1  # Adam's own step counter
        b1, b2 = h["beta1"], h["beta2"]
        more = {"b1": fmt(b1), "b2": fmt(b2), "c1": fmt(1 - b1), "c2": fmt(1 - b2), "t": k,
                "ts": sup(k), "bc1": fmt(rec["c1"][i][0]), "bc2": fmt(rec["c2"][i][0]),
                **_pair("m", m), **_pair("m0", m0), **_pair("v", v), **_pair("v0", v0),
                **_pair("mh", rec["m_hat"][i]), **_pair("r", rec["denom"][i])}  # fmt: skip
        text += t("gd.now_adam", **vals, **more)
    st.markdown(text)


def lab_text(r: LabReading) -> None:
    """The lab's sentences: every number is read off the curve drawn (``r``)."""
    st.markdown(t("gd.lab_terms", f=fmt(r.loss), f2=fmt(r.curvature), pred=fmt(r.predicted_h, 2)))
    side = t(f"gd.lab_side.{r.article_side}")
    st.markdown(
        t(
            "gd.lab_read",
            hf=fmt(r.best_h_forward, 2),
            ef=fmt(r.best_err_forward, 2),
            hc=fmt(r.best_h_central, 2),
            ec=fmt(r.best_err_central, 2),
            ea=fmt(r.article_err, 2),
            ratio=times(r.ratio),
            side=side,
        )
    )


def cost_panel(k: int) -> None:
    """What a difference gradient would cost for a real model of MODELS[k]."""
    n = MODELS[int(k)][1]
    fwd_n, cen_n = n + 1, 2 * n
    st.markdown(
        t(
            "gd.cost_text",
            fwd=sci(fwd_n),
            cen=sci(cen_n),
            backprop=BACKPROP_EVALS,
            ratio=sci(fwd_n / BACKPROP_EVALS),
            time=duration(fwd_n, lang()),
        )
    )


EXPORT_COLUMNS: tuple[str, ...] = ("optimizer", "step", "x", "y", "loss", "gx", "gy", "lr")


def export(s: Any, ids: list[str], trs: tuple[Trajectory, ...]) -> tuple[dict[str, list], dict]:
    """The walks already computed for this view, to take home: a table with one row per
    point visited (row t holds the point, its loss, and the gradient and η of step t,
    blank on the last point) and a JSON document with the settings and every walk."""
    table: dict[str, list] = {c: [] for c in EXPORT_COLUMNS}
    walks = []
    hyper = dict(s.hyper)
    for rid, tr in zip(ids, trs, strict=True):
        own = {**DEFAULTS[tr.optimizer],
               **{k: v for k, v in hyper.items() if k in DEFAULTS[tr.optimizer]}}  # fmt: skip
        walks.append({
            "id": rid, "optimizer": tr.optimizer, "hyperparameters": own,
            "schedule": "constant" if rid.endswith("_constant") else s.sched,
            "status": tr.status, "reason": tr.reason, "steps": tr.steps,
            "loss_evaluations": tr.evaluations, "points": tr.points, "losses": tr.losses,
            "gradients": tr.gradients, "learning_rates": tr.learning_rates,
        })  # fmt: skip
        if tr.reason == "bad_start":  # no point was visited (its stand-in is not data)
            continue
        n = tr.steps
        table["optimizer"] += [rid] * (n + 1)
        table["step"] += list(range(n + 1))
        table["x"] += tr.points[:, 0].tolist()
        table["y"] += tr.points[:, 1].tolist()
        table["loss"] += tr.losses.tolist()
        table["gx"] += [*tr.gradients[:, 0].tolist(), None]
        table["gy"] += [*tr.gradients[:, 1].tolist(), None]
        table["lr"] += [*tr.learning_rates.tolist(), None]
    data = {
        "landscape": s.land, "formula": s.expr if s.land == "custom" else None,
        "span": s.span if s.land == "custom" else None, "start": list(s.start),
        "lr": s.lr, "steps": s.steps, "tol": s.tol, "schedule": s.sched,
        "schedule_options": dict(s.sched_opts), "gradient": s.grad, "h": s.h,
        "walks": walks,
    }  # fmt: skip
    return table, data


def download_walks(s: Any, ids: list[str], trs: tuple[Trajectory, ...]) -> None:
    """CSV and JSON buttons for the walks on screen (keys ``gd_dl_csv`` / ``gd_dl_json``)."""
    table, data = export(s, ids, trs)
    downloads("gradient-descent", key="gd_dl", table=table, data=data)
