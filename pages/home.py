"""Home chapter: AI is a function whose parameters are learned.

A one-parameter (or two-parameter) model answer = w·question + b, its misses on a few
question→answer pairs, the loss L(w) and its minimum, then a map of the chapters.
"""

import numpy as np
import pyarrow as pa  # a Streamlit dependency
import streamlit as st

from core import linear
from ui import widgets as w
from ui.chapters import CHAPTERS
from ui.i18n import t
from ui.layout import chapter_header, chapter_link, downloads, explain, plot
from ui.model.home import B_RANGE, W_RANGE, HomeSettings
from ui.tour import focus, tour_start_button
from viz.home import fit_figure, loss_curve_figure

chapter_header("home")
st.latex(r"f(\text{x}) = w \cdot \text{x} + b")


@st.fragment
def model_sections() -> None:
    """The model, its misses, the loss and L(w): everything the data set, the offset
    switch and the two parameters change, in one fragment, so that moving a slider (or
    pressing a step button) reruns this part only and not the frame or the chapter map."""
    controls, figure = st.columns([1, 2], gap="large")
    with controls:
        st.subheader(t("home.model_head"))
        explain(t("home.model_text"))
        data_key = w.control(HomeSettings, "data", t("home.data_label"), kind="radio")
        use_bias = w.control(HomeSettings, "bias", t("home.use_bias"))
        x, y = linear.DATASETS[data_key]
        slope = w.control(HomeSettings, "w", t("home.w_label"))
        offset = w.control(HomeSettings, "b", t("home.b_label")) if use_bias else 0.0
        lr, lr_large = linear.lesson_step_sizes(x, fit_bias=use_bias)
        limit = 2 * linear.safe_step_size(x, fit_bias=use_bias)  # steps above 2/λ diverge

        def _set(new_w: float, new_b: float) -> None:
            st.session_state["home_w"] = float(np.clip(round(new_w, 4), *W_RANGE))
            if use_bias:
                st.session_state["home_b"] = float(np.clip(round(new_b, 4), *B_RANGE))

        st.button(
            t("home.step_button", lr=f"{lr:g}"),
            key="home_step",
            type="primary",
            help=t("home.step_help", lr=f"{lr:g}"),
            on_click=lambda: _set(
                *linear.gradient_step(x, y, slope, offset, lr, fit_bias=use_bias)
            ),
            icon=":material/south_east:",
            width="stretch",
        )
        st.button(
            t("home.big_step_button", lr=f"{lr_large:g}"),
            key="home_big_step",
            help=t("home.big_step_help", lr=f"{lr_large:g}", limit=f"{limit:.3f}"),
            on_click=lambda: _set(
                *linear.gradient_step(x, y, slope, offset, lr_large, fit_bias=use_bias)
            ),
            icon=":material/warning:",
            width="stretch",
        )
        clicks = linear.steps_to_bottom(x, y, slope, offset, lr, fit_bias=use_bias)
        note = "home.eta_note" if clicks else "home.eta_note_far"
        st.caption(t(note, lr=f"{lr:g}", n=clicks, big=f"{lr_large:g}", limit=f"{limit:.3f}"))
        st.button(
            t("home.best_button"),
            key="home_best",
            help=t("home.best_help"),
            on_click=lambda: _set(*linear.least_squares(x, y, fit_bias=use_bias)),
            icon=":material/vertical_align_bottom:",
            width="stretch",
        )

    fit = linear.fit(x, y, slope, offset)
    with figure, focus("function"):
        st.markdown(f"**{t('home.fit_title')}**")
        plot(
            fit_figure(
                x,
                y,
                fit.prediction,
                slope,
                offset,
                {
                    "x": t("home.axis_question"),
                    "y": t("home.axis_answer"),
                    "pairs": t("home.legend_pairs"),
                    "model": t("home.legend_model"),
                    "miss": t("home.legend_miss"),
                },
            ),
            key="home_fit_fig",
            alt=t("home.fit_alt", n=len(x), w=f"{slope:.2f}", b=f"{offset:.2f}"),
        )

    table, loss = st.columns([1, 1], gap="large")
    with table:
        st.subheader(t("home.pairs_head"))
        st.dataframe(
            pa.table(
                {
                    t("home.col_question"): x,
                    t("home.col_answer"): y,
                    t("home.col_prediction"): np.round(fit.prediction, 3),
                    t("home.col_error"): np.round(fit.error, 3),
                    t("home.col_squared"): np.round(fit.squared, 4),
                }
            ),  # as Arrow: a dict of columns goes through pandas first
            hide_index=True,
            width="stretch",
        )
        downloads(
            "home",
            key="home_dl",
            table={"x": x, "y": y, "prediction": fit.prediction, "error": fit.error,
                   "squared_error": fit.squared},
            data={"data_set": data_key, "w": slope, "b": offset, "x": x, "y": y,
                  "prediction": fit.prediction, "error": fit.error, "mse": fit.mse,
                  "rmse": fit.rmse, "dL_dw": fit.dw, "dL_db": fit.db},
        )  # fmt: skip
    with loss, focus("loss"):
        st.subheader(t("home.loss_head"))
        explain(t("home.loss_text"))
        st.markdown(t("home.loss_values", mse=f"{fit.mse:.4f}", rmse=f"{fit.rmse:.4f}"))
    terms = " + ".join(f"({e:.2f})^2" for e in fit.error)
    st.latex(rf"L = \tfrac{{1}}{{{len(x)}}}\left[{terms}\right] = {fit.mse:.4f}")

    w_best = linear.best_w(x, y, offset)
    ws = np.linspace(*W_RANGE, 241)
    curve = linear.loss_curve(x, y, ws, offset)
    loss_best = float(linear.loss_curve(x, y, np.array([w_best]), offset)[0])
    st.markdown(f"**{t('home.curve_title', b=f'{offset:.2f}')}**")
    plot(
        loss_curve_figure(
            ws,
            curve,
            slope,
            fit.mse,
            w_best,
            loss_best,
            {
                "x": t("home.axis_w"),
                "y": t("home.axis_loss"),
                "curve": t("home.legend_curve"),
                "current": t("home.legend_current"),
                "best": t("home.legend_best"),
            },
        ),
        key="home_curve_fig",
        alt=t(
            "home.curve_alt",
            lo=W_RANGE[0],
            hi=W_RANGE[1],
            w=f"{slope:.2f}",
            loss=f"{fit.mse:.3f}",
            wbest=f"{w_best:.3f}",
        ),
    )
    st.markdown(t("home.slope_now", dw=f"{fit.dw:+.4f}"))
    at_bottom = clicks == 0  # the same count as the caption under the step buttons
    if at_bottom:
        st.success(
            t("home.at_bottom", what=t("home.what_wb" if use_bias else "home.what_w")),
            icon=":material/flag:",
        )


model_sections()

st.subheader(t("home.learn_head"))
explain(t("home.learn_text"))

st.divider()
st.header(t("home.journey_head"))
explain(t("home.journey_text"))
tour_start_button("home")
chapters = [c for c in CHAPTERS if c.key != "home"]
for i, ch in enumerate(chapters):
    if i % 3 == 0:
        row = st.columns(3)
    with row[i % 3].container(border=True, height="stretch"):
        chapter_link(ch.key, f"{i + 1}. {t(f'{ch.key}.nav')}")
        st.caption(t(f"{ch.key}.journey"))
