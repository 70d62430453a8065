"""LLM Explorables / さわってわかるLLM — the app frame.

Page config, the language switch (bound to ?lang=), and the navigation over the
chapters. Each chapter is a thin script in pages/.
"""

import streamlit as st

from ui.chapters import CHAPTERS
from ui.i18n import language_switch, t

st.set_page_config(
    page_title="LLM Explorables · さわってわかるLLM",
    page_icon=":material/neurology:",
    layout="wide",
    initial_sidebar_state="auto",
)

language_switch()

pages = [
    st.Page(
        c.file, title=t(f"{c.key}.nav"), icon=c.icon, url_path=c.url or None, default=(c.url == "")
    )
    for c in CHAPTERS
]
page = st.navigation(pages)
st.sidebar.caption(t("app.sidebar_about"))
page.run()
