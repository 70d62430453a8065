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

from core.differentiation import error_curve, evaluations, second_derivatives
from core.landscapes import LANDSCAPES, ExpressionError, Landscape, landscape_from_expression
from core.optimizers import DEFAULTS, OPTIMIZERS, Trajectory, best_learning_rate, descend
from ui import descent_panels as dp
from ui import widgets as w
from ui.descent_panels import _sci, fmt
from ui.i18n import lang, t
from ui.layout import explain, plot
from ui.model import gd as m
from ui.model.gd import (
    DEFAULT_EXPR,
    H_OPTIONS,
    LAND_KEYS,
    LR_OPTIONS,
    MODELS,
    RES_OPTIONS,
    WORK_BUDGET,
    GdSettings,
)
from ui.tour import focus
from viz import descent as vd
from viz.theme import GREY, ORANGE, PURPLE, VERMILLION

__all__ = ["DEFAULT_EXPR", "H_OPTIONS", "LAND_KEYS", "MODELS", "RES_OPTIONS", "WORK_BUDGET",
           "_sci", "fmt"]  # fmt: skip
C = GdSettings  # the declarations every control reads


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


@st.cache_resource(max_entries=64, show_spinner=False)
def landscape(land: str, expr: str, span: float) -> Landscape:
    """A built-in landscape, or the user's formula (raises ExpressionError)."""
    if land in LANDSCAPES:
        return LANDSCAPES[land]
    return landscape_from_expression(expr, x_range=(-span, span))


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


# ── controls ──────────────────────────────────────────────────────────────────────


def _new_seed() -> None:
    st.session_state["gd_seed"] = (int(st.session_state.get("gd_seed", 0)) + 1) % 100_000
    st.session_state["gd_start"] = "random"


def _suggest_lr(lr: float) -> None:
    st.session_state["gd_lr"] = lr


def landscape_controls() -> tuple[str, str, float]:
    land = w.control(C, "land", t("gd.land_label"))
    expr, span = DEFAULT_EXPR, 3.0
    if land == "custom":
        expr = w.control(C, "expr", t("gd.expr"), help=t("gd.expr_help"))
        span = w.control(C, "span", t("gd.span"))
    return land, expr, float(span)


def show_formula(land: Landscape, expr: str) -> None:
    """The landscape's formula (and, for the user's own, its exact gradient) in LaTeX.

    The LaTeX is printed from the parsed tree, never from the raw text."""
    st.caption(t("gd.formula_is"))
    st.latex(r"L(x, y) = " + land.latex)
    if land.key == "custom":
        from core.expression import compile_formula, to_latex

        f = compile_formula(expr)
        st.caption(t("gd.gradient_is"))
        st.latex(r"\tfrac{\partial L}{\partial x} = " + to_latex(f.dx))
        st.latex(r"\tfrac{\partial L}{\partial y} = " + to_latex(f.dy))


def expression_error(e: ExpressionError, text: str) -> None:
    """The translated message, plus the formula with a caret under the problem."""
    import re

    from core.expression import MAX_CHARS, MAX_DEPTH, MAX_EXPONENT

    maxv = {"expr_too_long": MAX_CHARS, "expr_nesting": MAX_DEPTH,
            "expr_exponent": int(MAX_EXPONENT)}.get(e.code, 0)  # fmt: skip
    token = re.sub(r"([\\`*_{}\[\]()#+\-.!<>|~$])", r"\\\1", e.token)  # literal in markdown
    st.error(
        t(f"gd.errors.{e.code}", pos=e.pos + 1, token=token, max=maxv), icon=":material/error:"
    )
    if text and len(text) <= 300:
        st.code(text + "\n" + " " * e.pos + "^", language=None)


def start_controls(land: Landscape) -> tuple[float, float]:
    mode = w.control(C, "start", t("gd.start_label"), kind="radio", horizontal=True)
    (x0, x1), (y0, y1) = land.x_range, land.y_range
    if mode == "random":
        c1, c2 = st.columns([1, 1], vertical_alignment="bottom")
        seed = w.control(C, "seed", t("gd.seed"), kind="number", where=c1)
        c2.button(t("gd.new_random"), key="gd_new_seed", on_click=_new_seed,
                  help=t("gd.new_random_help"), shortcut="N", icon=":material/casino:")  # fmt: skip
        return m.random_start(int(seed), land.x_range, land.y_range)
    if mode == "manual":
        c1, c2 = st.columns(2)
        sx = w.control(C, "x0", t("gd.x0"), kind="number", where=c1, format="%.3f")
        sy = w.control(C, "y0", t("gd.y0"), kind="number", where=c2, format="%.3f")
        cx, cy = min(max(sx, x0), x1), min(max(sy, y0), y1)
        if (cx, cy) != (sx, sy):
            st.caption(t("gd.start_clipped", x=fmt(cx), y=fmt(cy)))
        return float(cx), float(cy)
    return land.start


def optimizer_controls() -> tuple[str, ...]:
    """One checkbox per optimizer (URL: gd_o_<name>=true|false) in a row that wraps, so
    all six stay visible in a narrow column and on a phone."""
    st.caption(t("gd.opt_label"))
    row = st.container(horizontal=True, wrap=True, gap="small")
    return tuple(
        o
        for o in OPTIMIZERS
        if w.control(C, f"o_{o}", t(f"gd.opt.{o}"), kind="checkbox", where=row)
    )


def lr_control(suggested: float) -> float:
    """The learning-rate slider, and a button for the landscape's suggested rate."""
    lr = w.control(C, "lr", t("gd.lr"), kind="select_slider", labels=fmt)
    st.caption(t("gd.why_stride"))  # what to do, next to its control
    if suggested in LR_OPTIONS and suggested != lr:
        st.button(t("gd.lr_suggest", lr=fmt(suggested)), key="gd_lr_btn", on_click=_suggest_lr,
                  args=(suggested,), help=t("gd.lr_suggest_help"), icon=":material/straighten:")  # fmt: skip
    return float(lr)


def walk_controls() -> tuple[int, float]:
    steps = w.control(C, "steps", t("gd.steps"))
    tol = w.control(C, "tol", t("gd.tol"), kind="select_slider",
                    labels=lambda v: fmt(v) if v else t("gd.tol_never"))  # fmt: skip
    return int(steps), float(tol)


def schedule_controls() -> tuple[str, tuple[tuple[str, float], ...], bool]:
    sched = w.control(C, "sched", t("gd.sched_label"))
    v: dict[str, float] = {}
    if sched == "step":
        c1, c2 = st.columns(2)
        v["gamma"] = w.control(C, "sgamma", t("gd.sgamma"), where=c1)
        v["step_size"] = w.control(C, "ssize", t("gd.ssize"), where=c2)
    elif sched == "exponential":
        v["gamma"] = w.control(C, "egamma", t("gd.egamma"), kind="select_slider")
    elif sched == "warmup_cosine":
        v["warmup_steps"] = w.control(C, "warm", t("gd.warm"))
    if sched in ("cosine", "warmup_cosine"):
        v["min_lr"] = w.control(C, "minlr", t("gd.minlr"))
    cmp = sched != "constant" and w.control(C, "cmp", t("gd.cmp"))
    return sched, m.schedule_options(sched, v), bool(cmp)


def gradient_controls() -> tuple[str, float]:
    grad = w.control(C, "grad", t("gd.grad_label"), kind="segmented")
    h = w.control(C, "h", t("gd.h"), kind="select_slider", labels=lambda v: f"{v:.0e}")
    return grad, float(h)


#: The update rules as implemented in core/optimizers.py (torch.optim), g = ∇L(p).
RULES: dict[str, str] = {
    "gd": r"p \leftarrow p - \eta\, g",
    "momentum": r"b \leftarrow \mu b + g,\quad p \leftarrow p - \eta\, b",
    "nesterov": r"b \leftarrow \mu b + g,\quad p \leftarrow p - \eta\,(g + \mu b)",
    "adagrad": r"s \leftarrow s + g^2,\quad p \leftarrow p - \eta\, \frac{g}{\sqrt{s} + \varepsilon}",
    "rmsprop": r"s \leftarrow \alpha s + (1-\alpha) g^2,\quad "
    r"p \leftarrow p - \eta\, \frac{g}{\sqrt{s} + \varepsilon}",
    "adam": r"m \leftarrow \beta_1 m + (1-\beta_1) g,\; v \leftarrow \beta_2 v + (1-\beta_2) g^2,"
    r"\; p \leftarrow p - \eta\, \frac{m/(1-\beta_1^t)}{\sqrt{v/(1-\beta_2^t)} + \varepsilon}",
}


def update_rules(opts: tuple[str, ...]) -> None:
    """The rule of every chosen optimizer (all six if none is chosen)."""
    st.markdown("**" + t("gd.rules_head") + "**")
    for name in opts or OPTIMIZERS:
        st.caption(t(f"gd.opt.{name}"))
        st.latex(RULES[name])


def hyper_controls(opts: tuple[str, ...]) -> tuple[tuple[str, float], ...]:
    out: dict[str, float] = {}
    if {"momentum", "nesterov"} & set(opts):
        out["momentum"] = w.control(C, "mu", t("gd.mu"))
    if "rmsprop" in opts:
        out["alpha"] = w.control(C, "alpha", t("gd.alpha"), format="%.3f")
    if "adam" in opts:
        out["beta1"] = w.control(C, "b1", t("gd.b1"))
        out["beta2"] = w.control(C, "b2", t("gd.b2"), kind="select_slider")
    st.caption(t("gd.eps_note"))
    return tuple(sorted(out.items()))


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
    except ValueError as e:  # an impossible combination of settings
        st.error(t("gd.errors.settings", detail=str(e)), icon=":material/error:")
        return
    labels = names(s)
    race = len(trs) > 1  # in a race the table tells the outcome; only alarms here
    for tr, name in zip(trs, labels, strict=False):
        if not race or tr.status == "diverged":
            dp.status_message(tr, name, s.tol, s.start)
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
    contour = vd.contour_figure(x, y, z, paths, step, lab, minima=land.minima, colorbar=z_title)
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
    with focus("descent"), focus("lr_large"):
        st.markdown(t("gd.why_walker"))
        st.markdown(t("gd.why_minus"))
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
        tab1, tab2 = st.tabs([t("gd.tab_contour"), t("gd.tab_surface")])
        with tab1:
            plot(contour, key="gd_contour_fig", alt=t("gd.contour_alt", **alt))
        with tab2:
            plot(surface, key="gd_surface_fig", alt=t("gd.surface_alt", **alt))
        st.caption(t("gd.map_notice"))
        if note:
            st.caption(note)
    plot(progress, key="gd_progress_fig", alt=t("gd.progress_alt", **alt))
    st.markdown(t("gd.why_decay"))  # strides that shrink, beside the η-per-step plot
    dp.hand_check(trs[0], s.opts[0], i, dict(s.hyper))
    with focus("numerical"):
        if s.grad != "analytic":
            k = evaluations(2, s.grad)
            st.caption(t("gd.grad_cost", method=t(f"gd.grad.{s.grad}"), k=k, total=trs[0].evaluations))  # fmt: skip
        lab = w.expander("gd_lab", t("gd.lab_head"), icon=":material/science:")
        with lab:
            lab_panel(s, first.points, i, shown=bool(lab.open))


# ── differentiation lab ───────────────────────────────────────────────────────────

LAB_HS = np.logspace(-16, -1, 61)


@st.cache_data(max_entries=128, show_spinner=False)
def _lab_curve(land: str, expr: str, span: float, px: float, py: float):
    """The error curve at (px, py), |f| there and the largest curvature |∂²f/∂pᵢ²|."""
    L = landscape(land, expr, span)
    g = np.array([float(v) for v in L.gradient(np.float64(px), np.float64(py))])

    def f(p: np.ndarray) -> float:
        return float(L.loss(np.float64(p[0]), np.float64(p[1])))

    p = np.array([px, py])
    curve = error_curve(f, g, p, LAB_HS)
    curv = float(np.max(np.abs(second_derivatives(f, p))))
    reading = m.lab_reading(LAB_HS, curve.forward, curve.central, f(p), curv)
    return curve.forward, curve.central, g, reading


@st.cache_resource(max_entries=96, show_spinner=False)
def _lab_figure(land: str, expr: str, span: float, px: float, py: float, h: float,
                language: str) -> tuple:  # fmt: skip
    fwd, cen, g, r = _lab_curve(land, expr, span, px, py)
    marks = [
        (m.ARTICLE_H, t("gd.lab_mark_article"), VERMILLION),
        (r.best_h_forward, t("gd.lab_mark_fwd"), PURPLE),
        (r.best_h_central, t("gd.lab_mark_cen"), ORANGE),
    ]
    fig = vd.h_error_figure(LAB_HS, fwd, cen, h_now=h, marks=marks, x_title=t("gd.lab_x"),
                            y_title=t("gd.lab_y"),
                            names=(t("gd.grad.forward"), t("gd.grad.central")))  # fmt: skip
    return fig, g, r


def lab_panel(s: Settings, points: np.ndarray, i: int, *, shown: bool = True) -> None:
    """The h-error curve at the chosen point (the walk's start, or the step shown) and
    the cost of difference gradients. A closed lab computes and draws nothing but its
    controls, which keep their values (and URL parameters) until it is opened again."""
    where = w.control(C, "lab_at", t("gd.lab_point_label"), kind="segmented")
    k = w.control(C, "model", t("gd.nparams"), kind="select_slider",
                  labels=lambda j: t("gd.nparams_label", name=MODELS[j][0], n=_sci(MODELS[j][1])))  # fmt: skip
    if not shown:
        return
    j = 0 if where == "start" else i
    px, py = float(points[j, 0]), float(points[j, 1])
    fig, g, reading = _lab_figure(s.land, s.expr, s.span, px, py, s.h, lang())
    explain(t("gd.lab_text"))
    st.caption(t("gd.lab_at", x=fmt(px), y=fmt(py), gx=fmt(g[0]), gy=fmt(g[1]), step=j))
    plot(fig, key="gd_lab_fig", alt=t("gd.lab_alt", x=fmt(px), y=fmt(py)))
    dp.lab_text(reading, s.h)
    st.markdown("**" + t("gd.cost_head") + "**")
    dp.cost_panel(int(k))
