"""The chapters of the app, in the article's order: one list that the navigation,
the journey map on the home page and the tests all read."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Chapter:
    key: str  # locale section and widget-key prefix stem
    # Page script, relative to the repository root. Its name is the URL path: before
    # st.navigation has run once, a fresh server serves pages/ in Streamlit's legacy
    # mode, which finds a page only by its file name (see ui.layout.leave_legacy_run).
    file: str
    url: str  # stable URL path ("" for the home page)
    icon: str  # Material icon shown in the navigation
    prefix: str = ""  # URL and widget-key prefix, when not "<key>_"

    @property
    def key_prefix(self) -> str:
        """The prefix of this chapter's URL keys and widget keys (``gd_``, ``in_``)."""
        return self.prefix or f"{self.key}_"


CHAPTERS: tuple[Chapter, ...] = (
    Chapter("home", "pages/home.py", "", ":material/functions:"),
    Chapter("gd", "pages/gradient-descent.py", "gradient-descent", ":material/landscape:"),
    Chapter("nn", "pages/neural-network.py", "neural-network", ":material/hub:"),
    Chapter("att", "pages/attention.py", "attention", ":material/center_focus_strong:"),
    Chapter("inside", "pages/inside.py", "inside", ":material/account_tree:", "in_"),
    Chapter("nt", "pages/next-token.py", "next-token", ":material/keyboard_double_arrow_right:"),
    Chapter("scale", "pages/scale.py", "scale", ":material/stacked_bar_chart:"),
)

BY_KEY: dict[str, Chapter] = {c.key: c for c in CHAPTERS}
