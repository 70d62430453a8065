"""What one kind of element costs the browser: the empty app's slider plus the elements
named in ``?parts=`` (comma-separated), each redrawn on every move of the slider.

    fig1, fig2   the home page's two plotly figures (the model's line, L(w))
    df, table    a 5-row st.dataframe / st.table of the misses
    latex        the loss written out with KaTeX
    md           ten lines of markdown

Used by ``bench/browser_elements.py``.
"""

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

import numpy as np
import streamlit as st

from core import linear
from viz.home import fit_figure, loss_curve_figure

parts = set(st.query_params.get("parts", "").split(","))
w = st.slider("x", -1.0, 5.0, 1.0, 0.01, key="x")
x, y = linear.DATASETS["exact"]
fit = linear.fit(x, y, w, 0.0)
names = {"x": "x", "y": "y", "pairs": "pairs", "model": "model", "miss": "miss"}
names |= {"curve": "L(w)", "current": "w", "best": "best"}
config = {"displaylogo": False}
if "fig1" in parts:
    fig = fit_figure(x, y, fit.prediction, w, 0.0, names)
    st.plotly_chart(fig, key="f1", theme=None, config=config)
if "fig2" in parts:
    ws = np.linspace(-1.0, 5.0, 241)
    curve = linear.loss_curve(x, y, ws, 0.0)
    fig = loss_curve_figure(ws, curve, w, fit.mse, 2.0, 0.0, names)
    st.plotly_chart(fig, key="f2", theme=None, config=config)
table = {"x": x, "y": y, "prediction": np.round(fit.prediction, 3)}
if "df" in parts:
    st.dataframe(table, hide_index=True)
if "table" in parts:
    st.table(table)
if "latex" in parts:
    terms = " + ".join(f"({e:.2f})^2" for e in fit.error)
    st.latex(rf"L = \tfrac{{1}}{{{len(x)}}}\left[{terms}\right] = {fit.mse:.4f}")
if "md" in parts:
    for i in range(10):
        st.markdown(f"**line {i}**: {w * i:.3f}")
