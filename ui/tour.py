"""The guided tour: about ten stops along the article's path, each a deep link.

A stop names a chapter and the URL parameters that set its view; ``?tour=N`` shows the
tour bar (where you are, what to try, what to notice, back / forward) above the page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from ui.chapters import BY_KEY
from ui.i18n import t
from ui.urlstate import frame_params


@dataclass(frozen=True)
class Stop:
    key: str  # locale id: tour.<key>.title / .try / .notice
    chapter: str  # chapter key
    # URL parameters of the stop's view, given a translator (choice widgets are written
    # in the URL by their displayed label, so labels are translated at call time).
    params: Callable[[Callable[[str], str]], dict[str, str]]


STOPS: tuple[Stop, ...] = (
    Stop("function", "home", lambda tr: {}),
    Stop("loss", "home", lambda tr: {"home_data": tr("home.data_noisy"), "home_bias": "true"}),
)


def stop_params(i: int) -> dict[str, str]:
    """Every URL parameter of stop ``i`` (1-based): its view, the tour, language, presenter."""
    return {**frame_params(), **STOPS[i - 1].params(t), "tour": str(i)}


def current_stop() -> int | None:
    """The 1-based stop number from ``?tour=``, or None (invalid values are ignored)."""
    raw = st.query_params.get("tour")
    if raw is None or not raw.isdigit():
        return None
    i = int(raw)
    return i if 1 <= i <= len(STOPS) else None


def tour_bar(chapter: str) -> None:
    """The tour bar above the page, when ``?tour=N`` names a stop of this chapter."""
    i = current_stop()
    if i is None or STOPS[i - 1].chapter != chapter:
        return
    stop = STOPS[i - 1]
    with st.container(border=True):
        st.progress(
            i / len(STOPS),
            text=t("tour.where", i=i, n=len(STOPS), title=t(f"tour.{stop.key}.title")),
        )
        st.markdown(f"**{t('tour.try')}** {t(f'tour.{stop.key}.try')}")
        st.markdown(f"**{t('tour.notice')}** {t(f'tour.{stop.key}.notice')}")
        back, end, forward = st.columns(3)
        if i > 1:
            prev = STOPS[i - 2]
            back.page_link(
                BY_KEY[prev.chapter].file,
                label=t("tour.back"),
                icon=":material/arrow_back:",
                query_params=stop_params(i - 1),
            )
        end.page_link(
            BY_KEY[chapter].file,
            label=t("tour.end"),
            icon=":material/close:",
            query_params=frame_params(),
        )
        if i < len(STOPS):
            nxt = STOPS[i]
            forward.page_link(
                BY_KEY[nxt.chapter].file,
                label=t("tour.forward"),
                icon=":material/arrow_forward:",
                query_params=stop_params(i + 1),
            )


def tour_start_link() -> None:
    """A link that starts the tour at its first stop."""
    first = STOPS[0]
    st.page_link(
        BY_KEY[first.chapter].file,
        label=t("tour.start"),
        icon=":material/tour:",
        query_params=stop_params(1),
    )
