"""Gradient descent: walk down a loss landscape with six optimizers, your own formula,
numerical or exact gradients and learning-rate schedules (helpers in ui/descent.py)."""

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
    opts, lr, steps, tol = ud.walk_controls(controls_land)
    with st.expander(t("gd.why_head"), icon=":material/lightbulb:"):
        for k in ("walker", "minus", "stride"):
            st.markdown(t(f"gd.why_{k}"))
    with st.expander(t("gd.sched_head"), icon=":material/trending_down:"):
        sched, sched_opts, cmp = ud.schedule_controls(steps)
        st.markdown(t("gd.why_decay"))
    with st.expander(t("gd.grad_head"), icon=":material/calculate:"):
        grad, h = ud.gradient_controls()
    with st.expander(t("gd.hyper_head"), icon=":material/tune:"):
        hyper = ud.hyper_controls(opts)
        st.markdown(t("gd.why_momentum"))
        ud.update_rules(opts)
    res = w.select_slider("gd_res", t("gd.res"), ud.RES_OPTIONS, 60)
    log_y = w.toggle("gd_logy", t("gd.logy"), True)

with right:
    if land is not None:
        ud.show_formula(land, expr)
    if land is None:
        pass  # the formula error is shown on the left; there is nothing to walk on
    elif not opts:
        st.info(t("gd.pick_one"), icon=":material/info:")
    else:
        n_runs = len(opts) + bool(cmp)
        capped = ud.work_cap(land, n_runs, steps)
        if capped < steps:
            st.caption(t("gd.steps_capped", n=capped, runs=n_runs, cost=land.cost))
            steps = capped
        s = ud.Settings(
            land=land_key,
            expr=expr if land_key == "custom" else "",
            span=span,
            start=(float(start[0]), float(start[1])),
            opts=opts,
            lr=lr,
            steps=steps,
            sched=sched,
            sched_opts=ud.resolve_schedule_options(sched_opts, lr),
            grad=grad,
            h=h,
            tol=tol,
            hyper=hyper,
            cmp=cmp,
        )
        try:
            trs = ud.runs(s)
        except ValueError as e:  # an impossible combination of settings
            st.error(t("gd.errors.settings", detail=str(e)), icon=":material/error:")
        else:
            labels = ud.names(s)
            race = len(trs) > 1  # in a race the table tells the outcome; only alarms here
            for tr, name in zip(trs, labels, strict=False):
                if not race or tr.status == "diverged":
                    ud.status_message(tr, name, s)
            ud.views(s, int(res), bool(log_y))
            if race:
                st.subheader(t("gd.race_head"))
                ud.race_table(trs, labels, ud.landscape(land_key, expr, span))
            ud.download_walks(s, trs)

next_chapter("gd")
