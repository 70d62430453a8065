"""Gradient descent: walk down a loss landscape with six optimizers, your own formula,
numerical or exact gradients and learning-rate schedules (helpers in ui/descent.py,
settings declared once in ui/model/gd.py).

The learning rate and everything it changes (ud.walk_section) form a fragment: moving it
reruns only the walks, not the controls column. The article's ideas (the blindfolded
walker, the minus sign, the stride, strides that shrink) sit beside the figures."""

import streamlit as st

from core.landscapes import ExpressionError
from ui import descent as ud
from ui import widgets as w
from ui.i18n import t
from ui.layout import chapter_header, next_chapter

chapter_header("gd")
left, right = st.columns([1.25, 2], gap="large")

with left:
    land_key, expr, span = ud.landscape_controls()
    try:
        land = ud.landscape(land_key, expr, span)
    except ExpressionError as e:
        ud.expression_error(e, expr)
        land = None
    controls_land = land or ud.landscape("custom", ud.DEFAULT_EXPR, span)
    start = ud.start_controls(controls_land)
    opts = ud.optimizer_controls()
    lr_box = st.container()  # the learning-rate slider, drawn by ud.walk_section
    steps, tol = ud.walk_controls()
    with st.expander(t("gd.sched_head"), icon=":material/trending_down:"):
        sched, sched_opts, cmp = ud.schedule_controls()
    with st.expander(t("gd.grad_head"), icon=":material/calculate:"):
        grad, h = ud.gradient_controls()
        st.caption(t("gd.forward_pass_note"))
    with st.expander(t("gd.hyper_head"), icon=":material/tune:"):
        hyper = ud.hyper_controls(opts)
        st.markdown(t("gd.why_momentum"))
        ud.update_rules(opts)
    res = w.control(ud.C, "res", t("gd.res"), kind="select_slider")
    log_y = w.control(ud.C, "logy", t("gd.logy"))

with right:
    if land is not None:
        ud.show_formula(land, expr)
    base = ud.Settings(
        land=land_key,
        expr=expr if land_key == "custom" else "",
        span=span,
        start=(float(start[0]), float(start[1])),
        opts=opts,
        lr=0.0,  # set by the fragment from its slider
        steps=steps,
        sched=sched,
        sched_opts=sched_opts,  # min_lr as a fraction of the rate: resolved in the fragment
        grad=grad,
        h=h,
        tol=tol,
        hyper=hyper,
        cmp=cmp,
    )
    ud.walk_section(lr_box, base, land is not None, controls_land.lr, int(res), bool(log_y))

next_chapter("gd")
