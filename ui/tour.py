"""The guided tour: ten stops along the article's path, each a deep link.

A stop names a chapter and the state of its view. ``?tour=N`` shows the tour bar (where
you are, what to try, what to notice, back / forward) above the page. The same stop is
reachable two ways that must agree (a test checks):
- as a link: ``stop_params(i)``, URL parameters as Streamlit writes them (choice widgets
  by their displayed label, hence translated at call time);
- from the tour bar: its buttons put the stop's raw values into the widgets' state
  (a bound widget already on screen keeps its own value over the URL) and reset the
  page's other controls to their defaults.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from ui.chapters import BY_KEY
from ui.i18n import t
from ui.urlstate import frame_params
from ui.widgets import defaults

Params = dict[str, str | list[str]]
GOTO = "_tour_goto"  # stop to switch to (a page switch cannot happen in a callback)


@dataclass(frozen=True)
class Stop:
    key: str  # locale id: tour.<key>.title / .try / .notice
    chapter: str  # chapter key
    state: Mapping[str, Any] = field(default_factory=dict)  # widget key -> raw value
    url: Callable[[Callable[[str], str]], Params] = lambda tr: {}  # the same, for a URL


STOPS: tuple[Stop, ...] = (
    Stop("function", "home"),
    Stop(
        "loss",
        "home",
        {"home_data": "noisy", "home_bias": True},
        lambda tr: {"home_data": tr("home.data_noisy"), "home_bias": "true"},
    ),
    Stop("descent", "gd"),
    Stop("lr_large", "gd", {"gd_lr": 0.05}, lambda tr: {"gd_lr": "0.05"}),
    Stop(
        "numerical",
        "gd",
        {"gd_grad": "forward", "gd_h": 1e-10},
        lambda tr: {"gd_grad": tr("gd.grad.forward"), "gd_h": "1e-10"},
    ),
    Stop(
        "activation",
        "nn",
        {"nn_acts": ["sigmoid", "relu"]},
        lambda tr: {"nn_acts": [tr("nn.act.sigmoid"), tr("nn.act.relu")]},
    ),
    Stop("xor", "nn", {"nn_ldata": "xor"}, lambda tr: {"nn_ldata": tr("nn.data.xor")}),
    Stop("attention", "att", {"att_step": 6}, lambda tr: {"att_step": "6"}),
    Stop("next_token", "nt"),
    Stop("scale", "scale", {"scale_model": "gpt3-175b"}, lambda tr: {"scale_model": "GPT-3 175B"}),
)


def stop_params(i: int) -> Params:
    """Every URL parameter of stop ``i`` (1-based): its view, the tour, language, presenter."""
    return {**frame_params(), **STOPS[i - 1].url(t), "tour": str(i)}


def current_stop() -> int | None:
    """The 1-based stop number from ``?tour=``, or None (invalid values are ignored)."""
    raw = st.query_params.get("tour")
    if raw is None or not raw.isdigit():
        return None
    i = int(raw)
    return i if 1 <= i <= len(STOPS) else None


def _go(i: int, chapter: str) -> None:
    """Button callback: move the tour to stop ``i`` from a page of ``chapter``."""
    stop = STOPS[i - 1]
    if stop.chapter != chapter:
        st.session_state[GOTO] = i
        return
    for key, default in defaults().items():
        if key.startswith(f"{chapter}_") and key not in stop.state:
            st.session_state[key] = default
    for key, value in stop.state.items():
        st.session_state[key] = value
    st.query_params["tour"] = str(i)


def _follow_goto() -> None:
    i = st.session_state.pop(GOTO, None)
    if i is not None:
        st.switch_page(BY_KEY[STOPS[i - 1].chapter].file, query_params=stop_params(i))


def tour_bar(chapter: str) -> None:
    """The tour bar above the page, when ``?tour=N`` names a stop of this chapter."""
    _follow_goto()
    i = current_stop()
    if i is None or STOPS[i - 1].chapter != chapter:
        return
    stop = STOPS[i - 1]
    with st.container(border=True):
        title = t(f"tour.{stop.key}.title")
        st.progress(i / len(STOPS), text=t("tour.where", i=i, n=len(STOPS), title=title))
        st.markdown(f"**{t('tour.try')}** {t(f'tour.{stop.key}.try')}")
        st.markdown(f"**{t('tour.notice')}** {t(f'tour.{stop.key}.notice')}")
        back, end, forward = st.columns(3)
        if i > 1:
            back.button(
                t("tour.back"),
                key="app_tour_back",
                icon=":material/arrow_back:",
                on_click=_go,
                args=(i - 1, chapter),
                width="stretch",
                shortcut="Shift+Left",
            )
        if end.button(t("tour.end"), key="app_tour_end", icon=":material/close:", width="stretch"):
            del st.query_params["tour"]
            st.rerun()
        if i < len(STOPS):
            forward.button(
                t("tour.forward"),
                key="app_tour_next",
                type="primary",
                icon=":material/arrow_forward:",
                on_click=_go,
                args=(i + 1, chapter),
                width="stretch",
                shortcut="Shift+Right",
            )


def tour_start_button(chapter: str) -> None:
    """A button (on a page of ``chapter``) that starts the tour at its first stop."""
    st.button(
        t("tour.start"),
        key="app_tour_start",
        icon=":material/tour:",
        on_click=_go,
        args=(1, chapter),
    )
