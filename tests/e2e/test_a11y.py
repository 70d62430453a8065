"""Accessibility in a real Chromium: axe-core (WCAG 2.1 A and AA rules) finds no serious or
critical violation on any page, in a Japanese and an English browser, in the light and the
dark theme; every control the keyboard reaches shows where the focus is.

axe-core's script comes with the axe-playwright-python package (requirements-dev.txt) and
is injected into the page: nothing is fetched at test time.
"""

from __future__ import annotations

import pytest

from ui.chapters import CHAPTERS

pytestmark = pytest.mark.e2e

LOCALES = {"ja": "ja-JP", "en": "en-US"}
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
SERIOUS = ("serious", "critical")


def _axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def _settled(page, goto, chapter) -> None:
    goto(page, chapter.url)
    charts = page.locator(".app-figure")
    for i in range(charts.count()):  # plotly draws after the script run
        charts.nth(i).locator(".main-svg").first.wait_for(state="attached")


def _serious(page, axe) -> list[str]:
    found = []
    for v in axe.run(page, options=AXE_OPTIONS).response["violations"]:
        if v["impact"] in SERIOUS:
            for node in v["nodes"][:5]:
                found.append(
                    f"{v['id']} ({v['impact']}): {node['target']} {node['failureSummary']}"
                )
    return found


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", LOCALES)
def test_no_serious_axe_violation_on_any_page(browser, goto, shot, lang, scheme):
    ctx = browser.new_context(
        locale=LOCALES[lang], color_scheme=scheme, viewport={"width": 1280, "height": 800}
    )
    axe = _axe()
    problems: dict[str, list[str]] = {}
    try:
        page = ctx.new_page()
        page.set_default_timeout(60_000)
        for chapter in CHAPTERS:
            _settled(page, goto, chapter)
            found = _serious(page, axe)
            if found:
                problems[chapter.key] = found
                shot(page, f"a11y-{chapter.key}-{lang}-{scheme}", full_page=False)
    finally:
        ctx.close()
    assert not problems, problems


def test_app_css_survives_the_sanitiser() -> None:
    """st.html (DOMPurify) drops a style element whose text holds a "<"."""
    from ui.style import APP_CSS, DARK_CSS

    for css in (APP_CSS, DARK_CSS):
        body = css.strip().removeprefix("<style>").removesuffix("</style>")
        assert "<" not in body and ">" not in body.replace(":has(> ", "")


FOCUS_RING = """() => {
  let e = document.activeElement;
  if (!e || e === document.body) return null;
  // a check box, radio or toggle hides its <input>: what the eye sees is its label
  if (e.tagName === 'INPUT' && ['checkbox', 'radio'].includes(e.type)) e = e.closest('label') || e;
  const s = getComputedStyle(e);
  const ring = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
  const label = (e.getAttribute('aria-label') || e.innerText || e.tagName).slice(0, 40);
  return {ring, label, tag: e.tagName};
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_keyboard_focus_is_visible(browser, goto, shot, scheme):
    """Tab through the sidebar and the first controls of a page: every stop has a ring."""
    ctx = browser.new_context(
        locale="en-US", color_scheme=scheme, viewport={"width": 1280, "height": 800}
    )
    try:
        page = ctx.new_page()
        page.set_default_timeout(60_000)
        _settled(page, goto, next(c for c in CHAPTERS if c.key == "gd"))
        # the app's stylesheet (and, in the dark theme, its dark part) is in the page
        page.wait_for_function(
            "[...document.querySelectorAll('style')].some(s => s.textContent.includes("
            "'html body a:focus'))"
            + (
                " && getComputedStyle(document.documentElement).getPropertyValue('--app-focus')"
                if scheme == "dark"
                else ""
            )
        )
        seen = []
        for i in range(30):
            page.keyboard.press("Tab")
            info = page.evaluate(FOCUS_RING)
            if info is None:
                continue
            seen.append(info)
            if i == 12:
                shot(page, f"a11y-focus-{scheme}", full_page=False)
        assert len(seen) >= 20, seen
        unringed = [s for s in seen if not s["ring"]]
        assert not unringed, unringed
    finally:
        ctx.close()
