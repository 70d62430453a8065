"""App-wide look that the theme settings cannot express: static CSS only (no user text
ever reaches it), the favicon shipped in the repository, the browser-tab titles.

No "<" inside the CSS, not even in a comment: st.html's sanitiser (DOMPurify) then drops
the whole style element.

The colours themselves are in .streamlit/config.toml ([theme.light] / [theme.dark], which
follow the browser's colour-scheme preference); tests/e2e/test_a11y.py checks the result
with axe-core (WCAG 2.1 AA) on every page in both languages and both schemes.
"""

from __future__ import annotations

import pathlib

import streamlit as st

ROOT = pathlib.Path(__file__).resolve().parents[1]
FAVICON = ROOT / "assets" / "favicon.png"
TAB_SEPARATOR = " · "

#: Static CSS for every page.
APP_CSS = """
<style>
/* A visible keyboard focus on every control (WCAG 2.4.7): a ring in the theme's primary
   colour around whatever has the keyboard focus (mouse clicks show none). */
:focus-visible, html body a:focus {
  outline: 2px solid var(--app-focus, #005F99) !important;
  outline-offset: 2px !important;
}
/* Check boxes, radios and toggles hide their input element: ring its label instead. */
label:has(> input:focus-visible), label:has(input[type="checkbox"]:focus-visible),
label:has(input[type="radio"]:focus-visible) {
  outline: 2px solid var(--app-focus, #005F99);
  outline-offset: 2px;
  border-radius: 4px;
}
/* Keyboard hints on buttons ("PageDown", "J"): Streamlit fades them to 60 % opacity,
   2.9:1 on a primary button; at full opacity they meet 4.5:1 like the label. */
button kbd { opacity: 1 !important; }
/* Display formulas: no vertical scroll box from KaTeX's tall glyphs, and small enough to
   fit a column (a scroll box that the keyboard cannot reach fails WCAG 2.1.1). */
.katex-display { overflow-y: hidden; padding: 0 3px; }
[data-testid="stColumn"] .katex-display { font-size: 0.75em; }
@media (max-width: 640px) { .katex-display { font-size: 0.85em; } }
/* Tables of long formulas and numbers wrap inside a phone's width instead of pushing
   the page sideways. */
[data-testid="stMarkdownContainer"] table td, [data-testid="stMarkdownContainer"] table th {
  overflow-wrap: anywhere;
}
/* Japanese headings break between phrases, not inside a word (Chromium's auto-phrase
   reads the page's lang, which ui/frame.page_language sets; English is unaffected). */
h1, h2, h3, h4 { word-break: auto-phrase; }
/* A figure out of view is not drawn until it scrolls near it: a move then costs the browser
   what is on screen. Measured on the same pages pressed in turn with and without this
   rule (bench/notes.md, seventh session): a move 4-24 % faster on home and the neural
   network. Only the figure boxes: the rule clips what overflows its box (paint
   containment), which would cut focus rings and tooltips off controls. */
.app-figure { content-visibility: auto; contain-intrinsic-size: auto 450px; } /* figure.js: its height */
/* Button, link, switch and metric labels wrap instead of ending in "…": Streamlit keeps
   them on one line, which cut the step size off home's step button on a projector
   ("η = 0.02…"), chapter links on a phone and the network's metrics in the presenter
   view (tests/e2e/test_shell.py looks for cut text on every page). */
:is([data-testid="stButton"], [data-testid="stDownloadButton"], [data-testid="stCheckbox"],
    [data-testid="stMetricLabel"]) .stMarkdownEllipsis,
[data-testid="stPageLink-NavLink"] span {  /* a link's label cuts in its own span */
  white-space: normal !important;
  text-overflow: clip !important;
  overflow: visible !important;
}
[data-testid="stPageLink-NavLink"] span p { line-height: 1.4; }
</style>
"""

#: The dark theme's additions. Its primary colour is a light blue (readable as text on the
#: dark background, e.g. a selected segment), so text ON it is dark: Streamlit writes white
#: on primary buttons, 2.2:1 there. No colour can serve both with white text.
DARK_CSS = """
<style>
:root { --app-focus: #7CC4F0; }
[data-testid^="stBaseButton-primary"], [data-testid^="stBaseButton-primary"] * {
  color: #0E1117 !important;
}
</style>
"""


def tab_title(page: str, app: str) -> str:
    """The browser-tab title of a chapter: its name first (tabs are cut at the end)."""
    return f"{page}{TAB_SEPARATOR}{app}"


def app_style() -> None:
    """Add the app-wide CSS to this run (call once per run, from the frame), with the dark
    theme's part when the browser shows the dark theme (``st.context.theme`` is the theme
    in use, whether it came from the system preference or the app menu)."""
    st.html(APP_CSS + (DARK_CSS if st.context.theme.type == "dark" else ""))
