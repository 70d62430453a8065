"""Streamlit helpers of the gradient-descent page: controls, cached runs, and the views.

Every control is declared once in ui/model/gd.py (:class:`GdSettings`) and drawn with
``w.control``. Everything expensive is cached on small hashable settings (a frozen
:class:`Settings`), never on arrays. :func:`walk_section` is a fragment owning the
learning-rate slider and everything that depends on it; inside it, :func:`views` (step
controls, figures, the hand-checked step and the differentiation lab) reruns alone when
the step moves. Panels that read a finished walk live in ui/descent_panels.py.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import streamlit as st

from core.differentiation import evaluations
from core.landscapes import Landscape
from core.optimizers import DEFAULTS, OPTIMIZERS, Trajectory, best_learning_rate, descend
from ui import descent_panels as dp
from ui import widgets as w
from ui.descent_controls import (  # noqa: F401  (re-exported: the page and tests use ud.*)
    DEFAULT_EXPR,
    RULES,
    C,
    expression_error,
    gradient_controls,
    hyper_controls,
    landscape,
    landscape_controls,
    lr_control,
    optimizer_controls,
    schedule_controls,
    show_formula,
    start_controls,
    update_rules,
    walk_controls,
)
from ui.descent_lab import LAB_HS, lab_panel  # noqa: F401
from ui.fmt import num as fmt
from ui.fmt import sci  # noqa: F401
from ui.i18n import lang, t
from ui.layout import explain, plot, show_error
from ui.model import gd as m
from ui.model.gd import LAND_KEYS, LR_OPTIONS, MODELS, RES_OPTIONS, WORK_BUDGET  # noqa: F401
from ui.tour import focus
from viz import descent as vd
from viz.theme import GREY


@dataclass(frozen=True)
class Settings:
    """Everything a walk depends on; hashable, so it keys the caches."""

    land: str
    expr: str
    span: float
    start: tuple[float, float]
    opts: tuple[str, ...]
    lr: float
    steps: int
    sched: str
    sched_opts: tuple[tuple[str, float], ...]
    grad: str
    h: float
    tol: float
    hyper: tuple[tuple[str, float], ...]
    cmp: bool
    lrs: tuple[float, ...] = ()  # each walker's own η (the race); empty: all use ``lr``

    def lr_of(self, i: int) -> float:
        return self.lrs[i] if i < len(self.lrs) else self.lr


# ── cached computations ───────────────────────────────────────────────────────────


@st.cache_data(max_entries=64, show_spinner=False)
def grid(land: str, expr: str, span: float, res: int) -> tuple[np.ndarray, ...]:
    res = min(int(res), max(RES_OPTIONS))
    return landscape(land, expr, span).grid(res)


def _walk(s: Settings, name: str, lr: float, **schedule: Any) -> Trajectory:
    land = landscape(s.land, s.expr, s.span)
    mine = {k: v for k, v in s.hyper if k in m_defaults(name)}
    return descend(land, s.start, optimizer=name, lr=lr, steps=s.steps, gradient=s.grad,
                   h=s.h, tol=s.tol, **schedule, **mine)  # fmt: skip


def m_defaults(name: str) -> Any:
    return DEFAULTS[name]


@st.cache_data(max_entries=128, show_spinner=False)
def runs(s: Settings) -> tuple[Trajectory, ...]:
    """One trajectory per chosen optimizer (+ the constant-η comparison, if asked)."""
    sched = {"schedule": s.sched, "schedule_options": dict(s.sched_opts)}
    out = [_walk(s, n, s.lr_of(i), **sched) for i, n in enumerate(s.opts)]
    if s.cmp and s.sched != "constant" and s.opts:
        out.append(_walk(s, s.opts[0], s.lr_of(0)))  # the same walker at a constant η
    return tuple(out)


@st.cache_data(max_entries=128, show_spinner=False)
def own_rates(s: Settings) -> tuple[float, ...]:
    """Each optimizer's best η from :data:`LR_OPTIONS` on this landscape (the fair race)."""
    land = landscape(s.land, s.expr, s.span)
    sched = {"schedule": s.sched, "schedule_options": dict(s.sched_opts)}
    return tuple(
        best_learning_rate(
            land,
            s.start,
            n,
            LR_OPTIONS,
            steps=s.steps,
            tol=s.tol,
            gradient=s.grad,
            h=s.h,
            **sched,
            **{k: v for k, v in s.hyper if k in m_defaults(n)},
        )
        for n in s.opts
    )


def names(s: Settings) -> list[str]:
    out = [t(f"gd.opt.{o}") for o in s.opts]
    if s.cmp and s.sched != "constant" and s.opts:
        out.append(t("gd.cmp_name", name=out[0]))
    return out


def run_ids(s: Settings) -> list[str]:
    """Language-neutral names of the walks of :func:`runs`, in order (``gd``, ``adam``, …;
    the constant-η comparison is ``<first>_constant``)."""
    ids = list(s.opts)
    if s.cmp and s.sched != "constant" and s.opts:
        ids.append(f"{s.opts[0]}_constant")
    return ids


def work_cap(land: Landscape, n_runs: int, steps: int) -> int:
    """Steps allowed for ``n_runs`` walks on ``land`` within :data:`WORK_BUDGET`."""
    return m.work_cap(land.cost, n_runs, steps)


# ── the walks (a fragment owning the learning rate) ───────────────────────────────


@st.fragment
def walk_section(lr_box: Any, base: Settings, land_ok: bool, suggested_lr: float,
                 res: int, log_y: bool) -> None:  # fmt: skip
    """The learning rate (drawn into ``lr_box``, a container of the controls column) and
    everything that depends on it: status messages, the views, the race table and the
    downloads. A fragment, so that moving the learning rate reruns only this part."""
    with lr_box:
        lr = lr_control(suggested_lr)
        race_mode = "shared"
        if len(base.opts) > 1:
            race_mode = w.control(C, "lr_mode", t("gd.lr_mode_label"), kind="radio")
    if not land_ok:
        return  # the formula error is shown on the left; there is nothing to walk on
    if not base.opts:
        st.info(t("gd.pick_one"), icon=":material/info:")
        return
    land = landscape(base.land, base.expr, base.span)
    steps = base.steps
    n_runs = len(base.opts) + bool(base.cmp)
    capped = work_cap(land, n_runs, steps)
    if capped < steps:
        st.caption(t("gd.steps_capped", n=capped, runs=n_runs, cost=land.cost))
        steps = capped
    s = replace(base, lr=lr, steps=steps,
                sched_opts=m.resolve_schedule_options(base.sched_opts, lr))  # fmt: skip
    try:
        if race_mode == "own" and len(s.opts) > 1 and not land.cost:
            s = replace(s, lrs=own_rates(s))
        trs = runs(s)
    except ValueError as e:  # an impossible combination of settings (core errors)
        show_error(e, section="gd.errors", fallback="gd.errors.settings")
        return
    labels = names(s)
    race = len(trs) > 1
    views(s, res, log_y)
    if race:
        st.subheader(t("gd.race_head"))
        what = "gd.race_what_own" if s.lrs else "gd.race_what_shared"
        st.markdown(t(what, n=s.steps, lr=fmt(s.lr)))
        lrs = [s.lr_of(i) for i in range(len(s.opts))] + [s.lr_of(0)] * (len(trs) - len(s.opts))
        dp.race_table(trs, labels, land, lrs)
    dp.download_walks(s, run_ids(s), trs)


# ── views (one fragment) ──────────────────────────────────────────────────────────


def paths_of(trs: tuple[Trajectory, ...], labels: list[str], s: Settings) -> list[vd.PathView]:
    out = []
    for i, (tr, name) in enumerate(zip(trs, labels, strict=False)):
        is_cmp = s.cmp and s.sched != "constant" and i == len(s.opts)
        col = GREY if is_cmp else vd.color(OPTIMIZERS.index(s.opts[i]))
        out.append(vd.PathView(name, col, tr.points, tr.losses, tr.learning_rates, tr.gradients,
                               dash="dash" if is_cmp else "solid"))  # fmt: skip
    return out


def fig_labels() -> vd.Labels:
    return vd.Labels(
        loss=t("gd.axis_loss"), loss_axis=t("gd.axis_loss"), step=t("gd.axis_step"),
        lr=t("gd.axis_lr"), start=t("gd.legend_start"), minimum=t("gd.legend_minimum"),
        downhill=t("gd.legend_downhill"), play=t("gd.play"), pause=t("gd.pause"),
        frame=t("gd.frame"),
    )  # fmt: skip


def _step_by(delta: int, top: int) -> None:
    v = int(st.session_state.get("gd_step", 0)) + delta
    st.session_state["gd_step"] = min(max(v, 0), top)


@st.cache_data(max_entries=32, show_spinner=False)
def landscape_png(key: str, expr: str, span: float, res: int) -> str:
    """The map's landscape raster (a PNG ``data:`` URI), once per landscape and grid: a
    move of the learning rate or the step does not redraw it."""
    z = grid(key, expr, span, res)[2]
    return vd.png_data_uri(vd.landscape_rgba(vd.display_z(z)[0]))


@st.cache_resource(max_entries=96, show_spinner=False)
def figures(s: Settings, res: int, step: int, log_y: bool, language: str) -> tuple:
    """(map, 3-D, progress figures, log-scale note), built once per setting and language.

    Shared read-only objects: st.plotly_chart copies a figure before sending it."""
    land = landscape(s.land, s.expr, s.span)
    paths = paths_of(runs(s), names(s), s)
    x, y, z = grid(s.land, s.expr, s.span, res)
    lab = fig_labels()
    used_log, lo = vd.display_z(z)[1:]
    z_title = t("gd.colorbar_log") if used_log else t("gd.colorbar")
    known = [float(land.loss(np.float64(mx), np.float64(my))) for mx, my in land.minima]
    contour = vd.contour_figure(x, y, z, paths, step, lab, minima=land.minima, colorbar=z_title,
                                landscape=landscape_png(s.land, s.expr, s.span, res))  # fmt: skip
    surface = vd.surface_figure(x, y, z, paths, step, lab, z_title=z_title, minima=land.minima,
                                minima_loss=known)  # fmt: skip
    ref = 0.0
    if log_y:
        ref = min([*known, *(float(p.losses.min()) for p in paths)])
        lab = replace(lab, loss_axis=t("gd.axis_loss_log", ref=fmt(ref)))
    progress = vd.progress_figure(paths, step, lab, log_y=log_y, loss_ref=ref)
    note = t("gd.z_log_note", lo=fmt(lo)) if used_log else ""
    return contour, surface, progress, note


@st.fragment
def views(s: Settings, res: int, log_y: bool) -> None:
    """Step controls, map / 3-D / progress figures, the hand-checked step, the lab."""
    trs = runs(s)
    labels = names(s)
    paths = paths_of(trs, labels, s)
    top = max(max(tr.steps for tr in trs), 1)  # the same range as the figures' own slider
    if int(st.session_state.get("gd_step", 0)) > top:  # fewer steps than before
        st.session_state["gd_step"] = top
    with focus("descent"):
        explain(t("gd.why_walker"))
        explain(t("gd.why_minus"))
        row = st.container(horizontal=True, vertical_alignment="bottom", wrap=False)
        c0 = row.container(width="stretch")
        row.button(t("gd.back"), key="gd_back", on_click=_step_by, args=(-1, top),
                   help=t("gd.scrub_help", key="J", dir=t("gd.scrub_back")), shortcut="J")  # fmt: skip
        row.button(t("gd.forward"), key="gd_fwd", on_click=_step_by, args=(1, top), type="primary",
                   help=t("gd.scrub_help", key="K", dir=t("gd.scrub_forward")), shortcut="K")  # fmt: skip
        step = int(w.control(C, "step", t("gd.scrub"), where=c0, max_value=top))
        st.caption(t("gd.step_do"))
        first = paths[0]
        i = min(step, len(first.points) - 1)
        alt = {"land": t(f"gd.land.{s.land}"), "n": len(paths), "step": i, "name": first.name,
               "x": fmt(first.points[i, 0]), "y": fmt(first.points[i, 1]),
               "loss": fmt(first.losses[i])}  # fmt: skip
        contour, surface, progress, note = figures(s, res, step, log_y, lang())
        with focus("lr_large"):  # the map and, under it, how the walk ended
            # only the open tab is drawn: a move does not redraw the hidden 3-D view
            # (software WebGL makes it the page's most expensive figure)
            tab_names = [t("gd.tab_contour"), t("gd.tab_surface")]
            tab1, tab2 = st.tabs(tab_names, key="gd_view_tab", on_change="rerun")
            with tab1:
                if tab1.open:
                    plot(contour, key="gd_contour_fig", alt=t("gd.contour_alt", **alt))
            with tab2:
                if tab2.open:
                    plot(surface, key="gd_surface_fig", alt=t("gd.surface_alt", **alt))
            st.caption(t("gd.map_notice"))
            if note:
                st.caption(note)
            for tr, name in zip(trs, labels, strict=False):  # a race's table tells the rest
                if len(trs) == 1 or tr.status == "diverged":
                    dp.status_message(tr, name, s.tol, s.start)
    plot(progress, key="gd_progress_fig", alt=t("gd.progress_alt", **alt))
    explain(t("gd.why_decay"))  # strides that shrink, beside the η-per-step plot
    dp.hand_check(trs[0], s.opts[0], i, dict(s.hyper))
    with focus("numerical"):
        if s.grad != "analytic":
            k = evaluations(2, s.grad)
            st.caption(t("gd.grad_cost", method=t(f"gd.grad.{s.grad}"), k=k, total=trs[0].evaluations))  # fmt: skip
        lab = w.expander("gd_lab", t("gd.lab_head"), icon=":material/science:")
        with lab:
            lab_panel(s, first.points, i, shown=bool(lab.open))
