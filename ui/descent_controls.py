"""The controls column of the gradient-descent page: every widget reads its key, default,
range and options from :class:`ui.model.gd.GdSettings` (declared once) through
``w.control``. Also the landscape cache, the formula display and its error."""

from __future__ import annotations

import re

import streamlit as st

from core.expression import MAX_CHARS, MAX_DEPTH, MAX_EXPONENT, compile_formula, to_latex
from core.landscapes import LANDSCAPES, ExpressionError, Landscape, landscape_from_expression
from core.optimizers import OPTIMIZERS
from ui import widgets as w
from ui.fmt import num as fmt
from ui.fmt import power_of_ten
from ui.i18n import t
from ui.layout import show_error
from ui.model import gd as m
from ui.model.gd import DEFAULT_EXPR, LR_OPTIONS, GdSettings

C = GdSettings  # the declarations every control reads


@st.cache_resource(max_entries=64, show_spinner=False)
def landscape(land: str, expr: str, span: float) -> Landscape:
    """A built-in landscape, or the user's formula (raises ExpressionError)."""
    if land in LANDSCAPES:
        return LANDSCAPES[land]
    return landscape_from_expression(expr, x_range=(-span, span))


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
        f = compile_formula(expr)
        st.caption(t("gd.gradient_is"))
        st.latex(r"\tfrac{\partial L}{\partial x} = " + to_latex(f.dx))
        st.latex(r"\tfrac{\partial L}{\partial y} = " + to_latex(f.dy))


def expression_error(e: ExpressionError, text: str) -> None:
    """The translated message, plus the formula with a caret under the problem."""
    maxv = {"expr_too_long": MAX_CHARS, "expr_nesting": MAX_DEPTH,
            "expr_exponent": int(MAX_EXPONENT)}.get(e.code, 0)  # fmt: skip
    token = re.sub(r"([\\`*_{}\[\]()#+\-.!<>|~$])", r"\\\1", e.token)  # literal in markdown
    e.info.update(token=token, max=maxv)  # the message shows the token literally
    show_error(e, section="gd.errors")
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
    limit = m.stable_limit(m.STRIDE_LAND)  # above it, the walk on the bowl diverges
    st.caption(t("gd.why_stride", lr=fmt(m.STRIDE_TRY), limit=fmt(round(limit, 6))))
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
    # labelled 10⁻⁵, as the text writes h (the URL keeps the number)
    h = w.control(C, "h", t("gd.h"), kind="select_slider", labels=power_of_ten)
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
