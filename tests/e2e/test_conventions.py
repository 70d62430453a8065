"""Web conventions in a real Chromium: a browser-tab title per chapter and language,
nothing fetched from another host, light and dark themes that follow the system (figures
included), a presenter view that stays high-contrast."""

from __future__ import annotations

import re
import urllib.parse

import pytest

from ui.chapters import CHAPTERS
from ui.i18n import tr
from ui.style import tab_title

pytestmark = pytest.mark.e2e

LOCALES = {"ja": "ja-JP", "en": "en-US"}
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


def _load(page, goto, chapter, **params):
    goto(page, chapter.url, **params)
    if page.locator(".app-figure").count():
        page.locator(".app-figure").first.locator(".main-svg").first.wait_for()


@pytest.mark.parametrize("lang", LOCALES)
def test_each_chapter_has_its_own_tab_title(browser_page, goto, lang):
    page = browser_page(LOCALES[lang])
    titles = {}
    for chapter in CHAPTERS:
        goto(page, chapter.url)
        expected = tab_title(tr(lang, f"{chapter.key}.nav"), tr(lang, "app.name"))
        page.wait_for_function("t => document.title === t", arg=expected)
        titles[chapter.key] = page.title()
    assert len(set(titles.values())) == len(CHAPTERS), titles
    if lang == "ja":
        assert titles["gd"] == "勾配降下法 · さわってわかるLLM"


@pytest.mark.parametrize("lang", LOCALES)
def test_a_page_load_makes_no_request_off_this_host(browser_page, goto, lang):
    page = browser_page(LOCALES[lang])
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    for chapter in CHAPTERS:
        _load(page, goto, chapter)
    page.wait_for_timeout(500)  # late requests (favicon, lazy chunks) are recorded too
    outside = [
        u
        for u in requests
        if urllib.parse.urlsplit(u).scheme not in ("data", "blob")
        and urllib.parse.urlsplit(u).hostname not in LOOPBACK
    ]
    assert not outside, outside
    # the favicon is the app's own file, served by this host
    icon = page.evaluate("document.querySelector('link[rel*=icon]').href")
    assert urllib.parse.urlsplit(icon).hostname in LOOPBACK, icon


def _rgb(css: str) -> tuple[float, ...]:
    nums = [float(x) for x in re.findall(r"[\d.]+", css)[:3]]
    assert len(nums) == 3, css
    return tuple(nums)


def _luminance(css: str) -> float:
    def ch(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (ch(c) for c in _rgb(css))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_helper_hand_cases() -> None:
    assert contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)") == pytest.approx(21.0)
    assert contrast("rgb(118, 118, 118)", "rgb(255, 255, 255)") == pytest.approx(4.54, abs=0.01)


FIGURE_COLOURS = """() => {
  const svg = document.querySelector('.app-figure .main-svg');
  const tick = svg && svg.querySelector('.xtick text, .ytick text, .legendtext');
  if (!tick) return null;  // plotly draws after the script run: wait for it
  return {paper: getComputedStyle(svg).backgroundColor,
          font: tick.style.fill || getComputedStyle(tick).fill,
          app: getComputedStyle(document.querySelector('[data-testid=stApp]')).backgroundColor};
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("present", [False, True], ids=["normal", "presenter"])
def test_theme_follows_the_system_and_figures_follow_the_theme(
    browser, app_url, goto, shot, scheme, present
):
    ctx = browser.new_context(
        locale="en-US", color_scheme=scheme, viewport={"width": 1280, "height": 800}
    )
    try:
        page = ctx.new_page()
        page.set_default_timeout(30_000)
        home = CHAPTERS[0]
        _load(page, goto, home, **({"present": "1"} if present else {}))
        colours = page.wait_for_function(FIGURE_COLOURS).json_value()
        app_dark = _luminance(colours["app"]) < 0.05
        assert app_dark == (scheme == "dark"), colours
        paper_dark = _luminance(colours["paper"]) < 0.05
        assert paper_dark == (scheme == "dark"), colours
        # readable figure text: AA for normal text, AAA in the presenter view
        assert contrast(colours["font"], colours["paper"]) >= (7.0 if present else 4.5), colours
        name = f"theme-{scheme}" + ("-present" if present else "")
        shot(page, name, full_page=False)
    finally:
        ctx.close()


def test_the_page_declares_its_language(browser_page, goto):
    """<html lang> follows the app's language (Streamlit ships lang="en"), so a screen
    reader reads the Japanese pages with a Japanese voice, also after the switch."""
    page = browser_page(LOCALES["ja"])
    goto(page, "attention")
    page.wait_for_function("() => document.documentElement.lang === 'ja'")
    # Japanese headings break between phrases (Chromium's auto-phrase reads the lang)
    assert page.evaluate("() => getComputedStyle(document.querySelector('h1')).wordBreak") == (
        "auto-phrase"
    )
    page.locator("[data-testid=stSidebar]").get_by_text("English", exact=True).click()
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    goto(page, "", lang="ja")
    page.wait_for_function("() => document.documentElement.lang === 'ja'")


def test_back_leaves_the_chapter_instead_of_undoing_each_move(browser_page, goto, wait_idle):
    """Moving a control replaces the history entry (the address bar keeps the view); Back
    goes to the chapter before. Streamlit pushed an entry per move: after three steps,
    Back showed w = 1.02 in the address bar while the view stayed at 1.03."""
    page = browser_page(LOCALES["en"])
    goto(page, "attention")
    goto(page, "")
    entries = page.evaluate("() => history.length")
    page.locator(".st-key-home_w").get_by_role("slider").focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
        wait_idle(page)
    page.wait_for_function("() => location.search.includes('home_w=1.03')")
    assert page.evaluate("() => history.length") == entries
    # another chapter through the sidebar is a new entry, and Back returns to the view
    page.locator("[data-testid=stSidebar] a[href*='gradient-descent']").first.click()
    page.wait_for_function("() => location.pathname.endsWith('/gradient-descent')")
    wait_idle(page)
    assert page.evaluate("() => history.length") == entries + 1
    page.go_back()
    page.wait_for_function("() => location.search.includes('home_w=1.03')")
    wait_idle(page)
    thumb = page.locator(".st-key-home_w [data-testid=stSliderThumbValue]")
    assert thumb.inner_text() == "1.03"
    page.go_back()
    page.wait_for_function("() => location.pathname.endsWith('/attention')")
