"""Streamlit helpers of the gradient-descent page: controls, cached runs, and the views.

Everything expensive is cached on small hashable settings (a frozen :class:`Settings`),
never on arrays. Two nested fragments keep a move cheap: :func:`walk_section` owns the
learning-rate slider (drawn into a container of the controls column) and everything that
depends on it, so moving the rate reruns neither the controls nor the app frame; inside
it, :func:`views` (step scrubber, figures, the hand-checked step and the differentiation
lab, drawn only while open) reruns alone when the scrubber moves.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import streamlit as st

from core.differentiation import SWEET_SPOT, error_curve, evaluations
from core.landscapes import LANDSCAPES, ExpressionError, Landscape, landscape_from_expression
from core.landscapes import nearest_minimum as _nearest
from core.optimizers import DEFAULTS, MAX_STEPS, OPTIMIZERS, Trajectory, descend
from core.schedules import SCHEDULES
from ui import widgets as w
from ui.i18n import lang, t
from ui.layout import downloads, explain, plot
from viz import descent as vd
from viz.theme import GREY, ORANGE, PURPLE, VERMILLION

LAND_KEYS: tuple[str, ...] = (*LANDSCAPES, "custom")
DEFAULT_LAND = "himmelblau"
DEFAULT_EXPR = "(x^2 + y^2)/8 + sin(2*x)*cos(y)"
LR_OPTIONS: tuple[float, ...] = (
    0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05,
    0.1, 0.2, 0.3, 0.5, 0.8, 1.0, 1.1, 1.5, 2.0,
)  # fmt: skip
H_OPTIONS: tuple[float, ...] = tuple(10.0**-k for k in range(16, 0, -1))
TOL_OPTIONS: tuple[float, ...] = (0.0, 1e-8, 1e-6, 1e-4, 1e-3, 1e-2)
RES_OPTIONS: tuple[int, ...] = (30, 45, 60, 80, 100)  # grid cap: 100 × 100
MODELS: tuple[tuple[str, float], ...] = (
    ("GPT-2 small", 124e6), ("GPT-2 XL", 1.5e9), ("Llama 2 7B", 7e9),
    ("Llama 2 70B", 70e9), ("GPT-3", 175e9),
)  # fmt: skip
HYPER_KEYS = {"momentum": "gd_mu", "alpha": "gd_alpha", "beta1": "gd_b1", "beta2": "gd_b2"}


def fmt(v: float, digits: int = 4) -> str:
    """A number as shown on the page: 4 significant digits, no ``-0``."""
    v = float(v)
    if v == 0 or not math.isfinite(v):
        return "0" if v == 0 else str(v)
    return f"{v:.{digits}g}".replace("e+", "e")


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


@st.cache_data(max_entries=128, show_spinner=False)
def runs(s: Settings) -> tuple[Trajectory, ...]:
    """One trajectory per chosen optimizer (+ the constant-η comparison, if asked)."""
    land = landscape(s.land, s.expr, s.span)

    def walk(name: str, **schedule: Any) -> Trajectory:
        mine = {k: v for k, v in s.hyper if k in DEFAULTS[name]}
        return descend(land, s.start, optimizer=name, lr=s.lr, steps=s.steps, gradient=s.grad,
                       h=s.h, tol=s.tol, **schedule, **mine)  # fmt: skip

    out = [walk(n, schedule=s.sched, schedule_options=dict(s.sched_opts)) for n in s.opts]
    if s.cmp and s.sched != "constant" and s.opts:
        out.append(walk(s.opts[0]))  # the same walker with a constant learning rate
    return tuple(out)


# ── controls ──────────────────────────────────────────────────────────────────────


def _new_seed() -> None:
    st.session_state["gd_seed"] = (int(st.session_state.get("gd_seed", 0)) + 1) % 100_000
    st.session_state["gd_start"] = "random"


def _scrub_to_end() -> None:
    """A new number of steps: show the end of the new walk."""
    st.session_state["gd_step"] = int(st.session_state["gd_steps"])


def _suggest_lr(lr: float) -> None:
    st.session_state["gd_lr"] = lr


def landscape_controls() -> tuple[str, str, float]:
    land = w.select(
        "gd_land",
        t("gd.land_label"),
        LAND_KEYS,
        DEFAULT_LAND,
        labels={k: t(f"gd.land.{k}") for k in LAND_KEYS},
    )
    expr, span = DEFAULT_EXPR, 3.0
    if land == "custom":
        expr = w.text("gd_expr", t("gd.expr"), DEFAULT_EXPR, max_chars=300, help=t("gd.expr_help"))
        span = w.slider("gd_span", t("gd.span"), 0.5, 10.0, 3.0, 0.5)
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
    from core.expression import MAX_CHARS, MAX_DEPTH, MAX_EXPONENT

    maxv = {
        "expr_too_long": MAX_CHARS,
        "expr_nesting": MAX_DEPTH,
        "expr_exponent": int(MAX_EXPONENT),
    }.get(e.code, 0)
    token = re.sub(r"([\\`*_{}\[\]()#+\-.!<>|~$])", r"\\\1", e.token)  # literal in markdown
    st.error(
        t(f"gd.errors.{e.code}", pos=e.pos + 1, token=token, max=maxv), icon=":material/error:"
    )
    if text and len(text) <= 300:
        st.code(text + "\n" + " " * e.pos + "^", language=None)


def start_controls(land: Landscape) -> tuple[float, float]:
    mode = w.select(
        "gd_start",
        t("gd.start_label"),
        ("suggested", "random", "manual"),
        "suggested",
        labels={k: t(f"gd.start.{k}") for k in ("suggested", "random", "manual")},
        kind="radio",
        horizontal=True,
    )
    (x0, x1), (y0, y1) = land.x_range, land.y_range
    if mode == "random":
        c1, c2 = st.columns([1, 1], vertical_alignment="bottom")
        seed = w.number("gd_seed", t("gd.seed"), 0, 99_999, 0, 1, where=c1)
        c2.button(
            t("gd.new_random"),
            key="gd_new_seed",
            on_click=_new_seed,
            help=t("gd.new_random_help"),
            shortcut="N",
            icon=":material/casino:",
        )
        rng = np.random.default_rng(int(seed))
        u = rng.uniform(0.1, 0.9, 2)
        return float(x0 + u[0] * (x1 - x0)), float(y0 + u[1] * (y1 - y0))
    if mode == "manual":
        c1, c2 = st.columns(2)
        sx = w.number("gd_x0", t("gd.x0"), -10.0, 10.0, 1.0, 0.1, where=c1, format="%.3f")
        sy = w.number("gd_y0", t("gd.y0"), -10.0, 10.0, 1.0, 0.1, where=c2, format="%.3f")
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
        o for o in OPTIMIZERS if w.checkbox(f"gd_o_{o}", t(f"gd.opt.{o}"), o == "gd", where=row)
    )


def lr_control(suggested: float) -> float:
    """The learning-rate slider, and a button for the landscape's suggested rate."""
    lr = w.select_slider("gd_lr", t("gd.lr"), LR_OPTIONS, 0.01, labels=fmt)
    if suggested in LR_OPTIONS and suggested != lr:
        st.button(
            t("gd.lr_suggest", lr=fmt(suggested)),
            key="gd_lr_btn",
            on_click=_suggest_lr,
            args=(suggested,),
            help=t("gd.lr_suggest_help"),
            icon=":material/straighten:",
        )
    return float(lr)


def walk_controls() -> tuple[int, float]:
    steps = w.slider("gd_steps", t("gd.steps"), 10, MAX_STEPS, 150, 10, on_change=_scrub_to_end)
    tol = w.select_slider(
        "gd_tol",
        t("gd.tol"),
        TOL_OPTIONS,
        1e-6,
        labels=lambda v: fmt(v) if v else t("gd.tol_never"),
    )
    return int(steps), float(tol)


def schedule_controls(steps: int) -> tuple[str, tuple[tuple[str, float], ...], bool]:
    sched = w.select(
        "gd_sched",
        t("gd.sched_label"),
        SCHEDULES,
        "constant",
        labels={k: t(f"gd.sched.{k}") for k in SCHEDULES},
    )
    opts: dict[str, float] = {}
    if sched == "step":
        c1, c2 = st.columns(2)
        opts["gamma"] = w.slider("gd_sgamma", t("gd.sgamma"), 0.05, 0.95, 0.5, 0.05, where=c1)
        opts["step_size"] = w.slider("gd_ssize", t("gd.ssize"), 1, 1000, 50, 1, where=c2)
    elif sched == "exponential":
        opts["gamma"] = w.select_slider(
            "gd_egamma", t("gd.egamma"), (0.9, 0.95, 0.98, 0.99, 0.995, 0.999), 0.99
        )
    elif sched == "warmup_cosine":
        opts["warmup_steps"] = w.slider("gd_warm", t("gd.warm"), 0, 500, 10, 1)
    if sched in ("cosine", "warmup_cosine"):
        opts["min_lr"] = w.slider("gd_minlr", t("gd.minlr"), 0.0, 0.5, 0.0, 0.05)
    cmp = sched != "constant" and w.toggle("gd_cmp", t("gd.cmp"), True)
    return sched, tuple(sorted(opts.items())), bool(cmp)


#: Node evaluations one page rerun may spend on walks of a custom formula (~2 s worst).
WORK_BUDGET = 3_000_000


def work_cap(land: Landscape, n_runs: int, steps: int) -> int:
    """Steps allowed for ``n_runs`` walks on ``land`` within :data:`WORK_BUDGET`."""
    if not land.cost or n_runs < 1:
        return steps
    return max(10, min(steps, WORK_BUDGET // (land.cost * n_runs)))


def resolve_schedule_options(
    sched_opts: tuple[tuple[str, float], ...], lr: float
) -> tuple[tuple[str, float], ...]:
    """Turn the UI's "final η as a fraction" into the absolute ``min_lr``; ints stay ints."""
    out = []
    for k, v in sched_opts:
        if k == "min_lr":
            v = v * lr
        elif k in ("step_size", "warmup_steps"):
            v = int(v)
        out.append((k, v))
    return tuple(out)


def gradient_controls() -> tuple[str, float]:
    grad = w.select(
        "gd_grad",
        t("gd.grad_label"),
        ("analytic", "forward", "central"),
        "analytic",
        labels={k: t(f"gd.grad.{k}") for k in ("analytic", "forward", "central")},
        kind="segmented",
    )
    h = w.select_slider("gd_h", t("gd.h"), H_OPTIONS, 1e-5, labels=lambda v: f"{v:.0e}")
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
        out["momentum"] = w.slider("gd_mu", t("gd.mu"), 0.0, 0.99, 0.9, 0.01)
    if "rmsprop" in opts:
        out["alpha"] = w.slider("gd_alpha", t("gd.alpha"), 0.5, 0.999, 0.99, 0.001, format="%.3f")
    if "adam" in opts:
        out["beta1"] = w.slider("gd_b1", t("gd.b1"), 0.0, 0.99, 0.9, 0.01)
        out["beta2"] = w.select_slider("gd_b2", t("gd.b2"), (0.9, 0.99, 0.999, 0.9999), 0.999)
    st.caption(t("gd.eps_note"))
    return tuple(sorted(out.items()))


# ── status and tables ─────────────────────────────────────────────────────────────


def names(s: Settings) -> list[str]:
    out = [t(f"gd.opt.{o}") for o in s.opts]
    if s.cmp and s.sched != "constant" and s.opts:
        out.append(t("gd.cmp_name", name=out[0]))
    return out


def status_message(tr: Trajectory, name: str, s: Settings) -> None:
    n, (x, y), loss = tr.steps, tr.points[-1], tr.losses[-1]
    common = {"name": name, "n": n, "x": fmt(x), "y": fmt(y), "loss": fmt(loss)}
    if tr.status == "converged":
        st.success(t("gd.status_converged", tol=fmt(s.tol), **common), icon=":material/flag:")
    elif tr.status == "max_steps":
        st.info(t("gd.status_max", **common), icon=":material/directions_walk:")
    elif tr.reason == "bad_start":
        st.error(
            t("gd.status_bad_start", x=fmt(s.start[0]), y=fmt(s.start[1])), icon=":material/error:"
        )
    elif tr.reason == "nonfinite":
        st.warning(t("gd.status_nonfinite", **common), icon=":material/warning:")
    elif tr.losses[-1] >= tr.losses[0]:
        st.warning(
            t(
                "gd.status_up",
                l0=fmt(tr.losses[0]),
                l1=fmt(tr.losses[-1], 2),
                n=n,
                lr=fmt(s.lr),
                name=name,
            ),
            icon=":material/warning:",
        )
    else:
        st.warning(
            t("gd.status_down", l0=fmt(tr.losses[0]), l1=fmt(tr.losses[-1], 2), n=n, name=name),
            icon=":material/warning:",
        )


def race_table(trs: tuple[Trajectory, ...], labels: list[str], land: Landscape) -> None:
    rows: dict[str, list[str]] = {
        t(f"gd.col_{c}"): [] for c in ("opt", "loss", "dist", "conv", "status")
    }
    cols = list(rows)
    for tr, name in zip(trs, labels, strict=False):
        _, dist = _nearest(land, tr.points[-1])
        rows[cols[0]].append(name)
        rows[cols[1]].append(fmt(tr.losses[-1]))
        rows[cols[2]].append(fmt(dist) if np.isfinite(dist) else t("gd.not_arrived"))
        rows[cols[3]].append(str(tr.steps) if tr.status == "converged" else t("gd.not_arrived"))
        rows[cols[4]].append(t(f"gd.st.{tr.status}"))
    import pyarrow as pa  # a Streamlit dependency

    # as an Arrow table: a dict goes through pandas first (~1 ms more per move)
    st.table(pa.table(rows), border="horizontal", hide_index=True)


def run_ids(s: Settings) -> list[str]:
    """Language-neutral names of the walks of :func:`runs`, in order (``gd``, ``adam``, …;
    the constant-η comparison is ``<first>_constant``)."""
    ids = list(s.opts)
    if s.cmp and s.sched != "constant" and s.opts:
        ids.append(f"{s.opts[0]}_constant")
    return ids


EXPORT_COLUMNS: tuple[str, ...] = ("optimizer", "step", "x", "y", "loss", "gx", "gy", "lr")


def export(s: Settings, trs: tuple[Trajectory, ...]) -> tuple[dict[str, list], dict]:
    """The walks already computed for this view, to take home: a table with one row per
    point visited (row t holds the point, its loss, and the gradient and η of step t,
    blank on the last point) and a JSON document with the settings and every walk."""
    table: dict[str, list] = {c: [] for c in EXPORT_COLUMNS}
    walks = []
    hyper = dict(s.hyper)
    for rid, tr in zip(run_ids(s), trs, strict=True):
        own = {
            **DEFAULTS[tr.optimizer],
            **{k: v for k, v in hyper.items() if k in DEFAULTS[tr.optimizer]},
        }
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


def download_walks(s: Settings, trs: tuple[Trajectory, ...]) -> None:
    """CSV and JSON buttons for the walks on screen (keys ``gd_dl_csv`` / ``gd_dl_json``)."""
    table, data = export(s, trs)
    downloads("gradient-descent", key="gd_dl", table=table, data=data)


# ── the walks (a fragment owning the learning rate) ───────────────────────────────


@st.fragment
def walk_section(lr_box: Any, base: Settings, land_ok: bool, suggested_lr: float,
                 res: int, log_y: bool) -> None:  # fmt: skip
    """The learning rate (drawn into ``lr_box``, a container of the controls column) and
    everything that depends on it: status messages, the views, the race table and the
    downloads. A fragment, so that moving the learning rate reruns only this part.

    ``base`` holds every other setting; its ``lr`` is ignored and the ``min_lr`` of its
    schedule options is still the UI's fraction of the learning rate (resolved here).
    """
    with lr_box:
        lr = lr_control(suggested_lr)
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
    s = replace(base, lr=lr, steps=steps, sched_opts=resolve_schedule_options(base.sched_opts, lr))
    try:
        trs = runs(s)
    except ValueError as e:  # an impossible combination of settings
        st.error(t("gd.errors.settings", detail=str(e)), icon=":material/error:")
        return
    labels = names(s)
    race = len(trs) > 1  # in a race the table tells the outcome; only alarms here
    for tr, name in zip(trs, labels, strict=False):
        if not race or tr.status == "diverged":
            status_message(tr, name, s)
    views(s, res, log_y)
    if race:
        st.subheader(t("gd.race_head"))
        race_table(trs, labels, land)
    download_walks(s, trs)


# ── views (one fragment) ──────────────────────────────────────────────────────────


def paths_of(trs: tuple[Trajectory, ...], labels: list[str], s: Settings) -> list[vd.PathView]:
    out = []
    for i, (tr, name) in enumerate(zip(trs, labels, strict=False)):
        is_cmp = s.cmp and s.sched != "constant" and i == len(s.opts)
        col = GREY if is_cmp else vd.color(OPTIMIZERS.index(s.opts[i]))
        out.append(
            vd.PathView(
                name,
                col,
                tr.points,
                tr.losses,
                tr.learning_rates,
                tr.gradients,
                dash="dash" if is_cmp else "solid",
            )
        )
    return out


def fig_labels() -> vd.Labels:
    return vd.Labels(
        loss=t("gd.axis_loss"),
        loss_axis=t("gd.axis_loss"),
        step=t("gd.axis_step"),
        lr=t("gd.axis_lr"),
        start=t("gd.legend_start"),
        minimum=t("gd.legend_minimum"),
        downhill=t("gd.legend_downhill"),
        play=t("gd.play"),
        pause=t("gd.pause"),
        frame=t("gd.frame"),
    )


def _step_by(delta: int, top: int) -> None:
    v = int(st.session_state.get("gd_step", top)) + delta
    st.session_state["gd_step"] = min(max(v, 0), top)


def _pair(prefix: str, v: np.ndarray) -> dict[str, str]:
    return {f"{prefix}x": fmt(v[0]), f"{prefix}y": fmt(v[1])}


def hand_check(tr: Trajectory, opt: str, i: int, hyper: dict[str, float]) -> None:
    """Step i of the first walker with every number its update rule uses."""
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
    st_ = tr.states

    def now_prev(key: str) -> tuple[np.ndarray, np.ndarray]:
        return st_[key][i], (st_[key][i - 1] if i > 0 else np.zeros(2))

    text = t("gd.now_slope", **vals) + " "
    if opt in ("momentum", "nesterov"):
        b, b0 = now_prev("buf")
        more = {"mu": fmt(h["momentum"]), **_pair("b", b), **_pair("b0", b0),
                **_pair("u", g + h["momentum"] * b)}  # fmt: skip
        text += t(f"gd.now_{opt}", **vals, **more)
    elif opt in ("adagrad", "rmsprop"):
        key = "sum" if opt == "adagrad" else "sq"
        sq, sq0 = now_prev(key)
        more = {**_pair("s", sq), **_pair("s0", sq0), **_pair("r", np.sqrt(sq) + h["eps"])}
        if opt == "rmsprop":
            more |= {"alpha": fmt(h["alpha"]), "calpha": fmt(1 - h["alpha"])}
        text += t(f"gd.now_{opt}", **vals, **more)
    else:  # adam
        (m, m0), (v, v0) = now_prev("m"), now_prev("v")
        k = i + 1  # Adam's own step counter
        b1, b2 = h["beta1"], h["beta2"]
        more = {"b1": fmt(b1), "b2": fmt(b2), "c1": fmt(1 - b1), "c2": fmt(1 - b2), "t": k, "ts": _sup(k),
                **_pair("m", m), **_pair("m0", m0), **_pair("v", v), **_pair("v0", v0),
                **_pair("mh", m / (1 - b1**k)),
                **_pair("r", np.sqrt(v / (1 - b2**k)) + h["eps"])}  # fmt: skip
        text += t("gd.now_adam", **vals, **more)
    st.markdown(text)


@st.cache_resource(max_entries=96, show_spinner=False)
def figures(s: Settings, res: int, step: int, log_y: bool, language: str) -> tuple:
    """(map, 3-D, progress figures, log-scale note), built once per setting and language.

    Shared read-only objects: st.plotly_chart copies a figure before sending it.
    """
    land = landscape(s.land, s.expr, s.span)
    paths = paths_of(runs(s), names(s), s)
    x, y, z = grid(s.land, s.expr, s.span, res)
    lab = fig_labels()
    used_log, lo = vd.display_z(z)[1:]
    z_title = t("gd.colorbar_log") if used_log else t("gd.colorbar")
    contour = vd.contour_figure(x, y, z, paths, step, lab, minima=land.minima, colorbar=z_title)
    surface = vd.surface_figure(x, y, z, paths, step, lab, z_title=z_title)
    ref = 0.0
    if log_y:
        known = [float(land.loss(np.float64(mx), np.float64(my))) for mx, my in land.minima]
        ref = min([*known, *(float(p.losses.min()) for p in paths)])
        lab = replace(lab, loss_axis=t("gd.axis_loss_log", ref=fmt(ref)))
    progress = vd.progress_figure(paths, step, lab, log_y=log_y, loss_ref=ref)
    note = t("gd.z_log_note", lo=fmt(lo)) if used_log else ""
    return contour, surface, progress, note


@st.fragment
def views(s: Settings, res: int, log_y: bool) -> None:
    """Scrubber, map / 3-D / progress figures, the hand-checked step, the lab."""
    trs = runs(s)
    labels = names(s)
    paths = paths_of(trs, labels, s)
    top = max(s.steps, 1)
    if int(st.session_state.get("gd_step", 0)) > top:  # fewer steps than before
        st.session_state["gd_step"] = top
    row = st.container(horizontal=True, vertical_alignment="bottom", wrap=False)
    c0 = row.container(width="stretch")
    c1 = c2 = row
    c1.button(
        t("gd.back"),
        key="gd_back",
        on_click=_step_by,
        args=(-1, top),
        help=t("gd.scrub_help", key="J", dir=t("gd.scrub_back")),
        shortcut="J",
    )
    c2.button(
        t("gd.forward"),
        key="gd_fwd",
        on_click=_step_by,
        args=(1, top),
        help=t("gd.scrub_help", key="K", dir=t("gd.scrub_forward")),
        shortcut="K",
    )
    step = int(w.slider("gd_step", t("gd.scrub"), 0, top, top, 1, where=c0))
    first = paths[0]
    i = min(step, len(first.points) - 1)
    alt_vals = {
        "land": t(f"gd.land.{s.land}"),
        "n": len(paths),
        "step": i,
        "name": first.name,
        "x": fmt(first.points[i, 0]),
        "y": fmt(first.points[i, 1]),
        "loss": fmt(first.losses[i]),
    }
    contour, surface, progress, note = figures(s, res, step, log_y, lang())
    tab1, tab2 = st.tabs([t("gd.tab_contour"), t("gd.tab_surface")])
    with tab1:
        plot(contour, key="gd_contour_fig", alt=t("gd.contour_alt", **alt_vals))
    with tab2:
        plot(surface, key="gd_surface_fig", alt=t("gd.surface_alt", **alt_vals))
    if note:
        st.caption(note)
    fig = progress
    plot(fig, key="gd_progress_fig", alt=t("gd.progress_alt", **alt_vals))
    hand_check(trs[0], s.opts[0], i, dict(s.hyper))
    if s.grad != "analytic":
        k = evaluations(2, s.grad)
        st.caption(t("gd.grad_cost", method=t(f"gd.grad.{s.grad}"), k=k, total=trs[0].evaluations))
    lab = w.expander("gd_lab", t("gd.lab_head"), icon=":material/science:")
    with lab:
        lab_panel(s, first.points[i], shown=bool(lab.open))


# ── differentiation lab ───────────────────────────────────────────────────────────

LAB_HS = np.logspace(-16, -1, 61)


@st.cache_resource(max_entries=96, show_spinner=False)
def _lab_figure(
    land: str, expr: str, span: float, px: float, py: float, h: float, language: str
) -> tuple:
    fwd, cen, g = _lab_curve(land, expr, span, px, py)
    marks = [
        (1e-10, t("gd.lab_mark_article"), VERMILLION),
        (SWEET_SPOT["forward"], t("gd.lab_mark_fwd"), PURPLE),
        (SWEET_SPOT["central"], t("gd.lab_mark_cen"), ORANGE),
    ]
    fig = vd.h_error_figure(
        LAB_HS,
        fwd,
        cen,
        h_now=h,
        marks=marks,
        x_title=t("gd.lab_x"),
        y_title=t("gd.lab_y"),
        names=(t("gd.grad.forward"), t("gd.grad.central")),
    )
    return fig, g


@st.cache_data(max_entries=128, show_spinner=False)
def _lab_curve(land: str, expr: str, span: float, px: float, py: float):
    L = landscape(land, expr, span)
    g = np.array([float(v) for v in L.gradient(np.float64(px), np.float64(py))])
    curve = error_curve(
        lambda p: float(L.loss(np.float64(p[0]), np.float64(p[1]))), g, np.array([px, py]), LAB_HS
    )
    return curve.forward, curve.central, g


def lab_panel(s: Settings, point: np.ndarray, *, shown: bool = True) -> None:
    """The h-error curve at ``point`` and the cost of difference gradients.

    A closed lab (``shown=False``) computes and draws nothing but its model slider, which
    keeps its value (and URL parameter) until the lab is opened again.
    """
    if shown:
        px, py = float(point[0]), float(point[1])
        fig, g = _lab_figure(s.land, s.expr, s.span, px, py, s.h, lang())
        explain(t("gd.lab_text"))
        st.caption(t("gd.lab_at", x=fmt(px), y=fmt(py), gx=fmt(g[0]), gy=fmt(g[1])))
        plot(fig, key="gd_lab_fig", alt=t("gd.lab_alt", x=fmt(px), y=fmt(py)))
        st.markdown("**" + t("gd.cost_head") + "**")
    opts = tuple(range(len(MODELS)))
    k = w.select_slider(
        "gd_model",
        t("gd.nparams"),
        opts,
        2,
        labels=lambda j: t("gd.nparams_label", name=MODELS[j][0], n=_sci(MODELS[j][1])),
    )
    if not shown:
        return
    n = MODELS[int(k)][1]
    fwd_n, cen_n = n + 1, 2 * n
    st.markdown(
        t(
            "gd.cost_text",
            fwd=_sci(fwd_n),
            cen=_sci(cen_n),
            ratio=_sci(fwd_n / 3),
            time=_duration(fwd_n),
        )
    )


def _sup(n: int) -> str:
    """An integer in superscript digits (for exponents in running text)."""
    return str(n).translate(str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻"))


def _sci(v: float) -> str:
    """1.24 × 10⁸ style."""
    if v < 1e4:
        return fmt(v)
    e = math.floor(math.log10(v))
    m = v / 10**e
    return f"{m:.3g} × 10{_sup(e)}"


def _duration(seconds: float) -> str:
    if seconds < 3600:
        return t("gd.time_s", v=fmt(seconds, 3))
    if seconds < 86400 * 2:
        return t("gd.time_h", v=fmt(seconds / 3600, 3))
    if seconds < 86400 * 365 * 2:
        return t("gd.time_d", v=fmt(seconds / 86400, 3))
    return t("gd.time_y", v=fmt(seconds / (86400 * 365.25), 3))
