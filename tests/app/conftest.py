"""AppTest set-up shared by every app test.

AppTest resets ``PagesManager.uses_pages_directory`` before every run, so each rerun of
an app that has a ``pages/`` folder goes through Streamlit's legacy (v1) multipage path,
which drops the sidebar elements from AppTest's tree after the first run. The real server
sets the flag to False for good as soon as ``st.navigation`` runs; this makes AppTest do
the same, so sidebar widgets (language, presenter view, share panel) can be tested.
"""

import streamlit.testing.v1.app_test as _app_test
from streamlit.runtime.pages_manager import PagesManager


class _NavigationPagesManager(PagesManager):
    def __init__(self, *args, **kwargs):
        PagesManager.uses_pages_directory = False
        super().__init__(*args, **kwargs)


_app_test.PagesManager = _NavigationPagesManager
