"""The differentiation lab of the gradient-descent page: the error of both difference
formulas against h at a point chosen for the lesson (the walk's start, or the step
shown), and sentences whose numbers are read off the very curve drawn."""

from __future__ import annotations

from typing import Any

import numpy as np
import streamlit as st

from core.differentiation import error_curve, second_derivatives
from ui import descent_panels as dp
from ui import widgets as w
from ui.descent_controls import C, landscape
from ui.fmt import num as fmt
from ui.fmt import power_of_ten, sci
from ui.i18n import lang, t
from ui.layout import explain, plot
from ui.model import gd as m
from ui.model.gd import MODELS
from viz import descent as vd
from viz.theme import ORANGE, PURPLE, VERMILLION

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
    fig = vd.h_error_figure(LAB_HS, fwd, cen, h_now=h, h_label=f"h = {power_of_ten(h)}",
                            marks=marks, x_title=t("gd.lab_x"),
                            y_title=t("gd.lab_y"),
                            names=(t("gd.grad.forward"), t("gd.grad.central")))  # fmt: skip
    return fig, g, r


def lab_panel(s: Any, points: np.ndarray, i: int, *, shown: bool = True) -> None:
    """The h-error curve at the chosen point (the walk's start, or the step shown) and
    the cost of difference gradients. A closed lab computes and draws nothing but its
    controls, which keep their values (and URL parameters) until it is opened again."""
    where = w.control(C, "lab_at", t("gd.lab_point_label"), kind="segmented")
    k = w.control(C, "model", t("gd.nparams"), kind="select_slider",
                  labels=lambda j: t("gd.nparams_label", name=MODELS[j][0], n=sci(MODELS[j][1])))  # fmt: skip
    if not shown:
        return
    j = 0 if where == "start" else i
    px, py = float(points[j, 0]), float(points[j, 1])
    fig, g, reading = _lab_figure(s.land, s.expr, s.span, px, py, s.h, lang())
    explain(t("gd.lab_text"))
    st.caption(t("gd.lab_at", x=fmt(px), y=fmt(py), gx=fmt(g[0]), gy=fmt(g[1]), step=j))
    plot(fig, key="gd_lab_fig", alt=t("gd.lab_alt", x=fmt(px), y=fmt(py)))
    dp.lab_text(reading)
    st.markdown("**" + t("gd.cost_head") + "**")
    dp.cost_panel(int(k))
