"""LLM Explorables / さわってわかるLLM — the app frame.

Page config, the language switch (?lang=), the presenter view (?present=1), the guided
tour bar (?tour=N), sharing (link + QR of the current view), and the navigation over the
chapters. Each chapter is a thin script in pages/.
"""

# Import pandas (Streamlit's and plotly's dependency) before anything else: when a room
# opens a freshly started server at once, the first sessions' script threads imported it
# concurrently and plotly could see a half-initialised module ("partially initialized
# module 'pandas' has no attribute 'Series'"; 3 of 4 fresh servers with 10 students, 0 of
# 4 with this line; bench/notes.md).
import pandas  # noqa: F401  isort: skip
import streamlit as st

from ui.chapters import CHAPTERS
from ui.frame import (
    history_entries,
    init_presenter,
    keys_help,
    page_language,
    presenter_switch,
    reconnect_watch,
    share_panel,
)
from ui.glossary import glossary
from ui.i18n import run_language, t
from ui.layout import FRAME_RAN, remember_pages, resume_legacy_target
from ui.style import FAVICON, app_style, tab_title
from ui.tour import tour_bar
from ui.urlstate import frame_params
from ui.widgets import reset_url_values

present = init_presenter()
# No page_title: each st.Page's title below is its browser-tab title ("勾配降下法 ·
# さわってわかるLLM"). The favicon ships in assets/ (a Material icon would be fetched from
# an external font host).
st.set_page_config(
    page_icon=str(FAVICON),
    layout="wide",
    initial_sidebar_state="collapsed" if present else "auto",
)
app_style()
reset_url_values()
nav_slot = st.sidebar.container()  # the chapters, above the switches
with run_language():  # the sidebar switch; the run's language is read once
    presenter_switch()

    pages = {
        c.key: st.Page(
            c.file,
            title=tab_title(t(f"{c.key}.nav"), t("app.name")),
            icon=c.icon,
            url_path=c.url or None,
            default=not c.url,
        )
        for c in CHAPTERS
    }
    # The navigation is drawn by the frame (page links), not by st.navigation: the config's
    # client.showSidebarNavigation = false hides the wrong list a fresh server's legacy
    # pages/ mode would flash before the frame first runs (see ui.layout.leave_legacy_run).
    page = st.navigation(list(pages.values()), position="hidden")
    remember_pages(pages)
    resume_legacy_target(pages, page)
    st.session_state[FRAME_RAN] = True
    carry = frame_params()  # lang and present, the same for every chapter link
    with nav_slot:
        for c in CHAPTERS:
            st.page_link(pages[c.key], label=t(f"{c.key}.nav"), icon=c.icon, query_params=carry)
    share_slot = st.sidebar.container()
    keys_help(st.sidebar)
    glossary(st.sidebar)
    st.sidebar.caption(t("app.sidebar_about"))
    reconnect_watch(st.sidebar)
    page_language(st.sidebar)
    history_entries(st.sidebar)
    tour_bar(next(k for k, p in pages.items() if p is page))
    page.run()
    share_panel(share_slot)
