"""The chapters of the app, in the article's order: one list that the navigation,
the journey map on the home page and the tests all read."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Chapter:
    key: str  # locale section and widget-key prefix stem
    file: str  # page script, relative to the repository root
    url: str  # stable URL path ("" for the home page)
    icon: str  # Material icon shown in the navigation


CHAPTERS: tuple[Chapter, ...] = (
    Chapter("home", "pages/home.py", "", ":material/functions:"),
    Chapter("gd", "pages/gradient_descent.py", "gradient-descent", ":material/landscape:"),
    Chapter("nn", "pages/neural_network.py", "neural-network", ":material/hub:"),
    Chapter("att", "pages/attention.py", "attention", ":material/center_focus_strong:"),
    Chapter("nt", "pages/next_token.py", "next-token", ":material/keyboard_double_arrow_right:"),
    Chapter("scale", "pages/scale.py", "scale", ":material/stacked_bar_chart:"),
)

BY_KEY: dict[str, Chapter] = {c.key: c for c in CHAPTERS}
