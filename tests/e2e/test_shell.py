"""Every page in a real Chromium, in Japanese and English browsers."""

import re
import urllib.parse

import pytest

from ui.chapters import CHAPTERS
from ui.i18n import tr

LOCALES = {"ja": "ja-JP", "en": "en-US"}

# Text that Streamlit ends with "…" because it does not fit (text-overflow: ellipsis on
# labels, buttons, links and metrics): a student cannot read what was cut, e.g. the step
# size at the end of home's step button on a projector.
CUT_OFF = """() => [...document.querySelectorAll('[data-testid=stApp] *')]
  .filter(e => getComputedStyle(e).textOverflow === 'ellipsis'
    && e.scrollWidth > e.clientWidth + 1 && e.textContent.trim()
    && e.getBoundingClientRect().width > 0)
  .map(e => e.textContent.trim().slice(0, 80))"""
# Figures whose toolbar (camera, zoom, full screen: always shown) lies over their plot
# area: it hid the first token chip's label on "inside" and the tallest bar on "scale"
# (viz.theme.TOOLBAR_ROW is the top margin it needs).
TOOLBAR_OVER_PLOT = """() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(gd => {
  const bar = gd.querySelector('.modebar')?.getBoundingClientRect();
  if (!bar || !bar.width) return [];
  const over = [...gd.querySelectorAll('.nsewdrag')].map(e => e.getBoundingClientRect())
    .filter(a => a.width && bar.left < a.right && a.left < bar.right
      && bar.top < a.bottom && a.top < bar.bottom);
  const box = gd.closest('[data-testid=stElementContainer]');
  const key = box ? [...box.classList].find(c => c.startsWith('st-key-')) : '';
  return over.length ? [`${key}: ${Math.round(bar.bottom - over[0].top)} px over the plot`] : [];
})"""
# Axis tick labels outside their figure or under an axis title: on "inside" the
# probability and work-curve ticks were cut off at the figure's bottom with the title on
# them, on next token the accuracy title lay on "40%", on gradient descent on "10⁻¹²".
TICKS_CLASH = """() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(gd => {
  const svg = gd.querySelector('.main-svg');
  if (!svg) return [];
  const f = svg.getBoundingClientRect();
  const boxes = sel => [...gd.querySelectorAll(sel)]
    .map(e => [e.textContent, e.getBoundingClientRect()]).filter(([, r]) => r.width);
  const titles = boxes('.g-xtitle text, .g-ytitle text');
  const meet = (a, b) => a.left < b.right - 1 && b.left < a.right - 1
    && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  const box = gd.closest('[data-testid=stElementContainer]');
  const key = box ? [...box.classList].find(c => c.startsWith('st-key-')) : '';
  return boxes('.xtick text, .ytick text').flatMap(([t, r]) => [
    ...(r.bottom > f.bottom + 1 || r.top < f.top - 1 || r.left < f.left - 1
      || r.right > f.right + 1 ? [`${key}: tick ${t} outside the figure`] : []),
    ...titles.filter(([, q]) => meet(r, q)).map(([q]) => `${key}: tick ${t} under ${q}`),
  ]);
})"""
# Everything drawn: web fonts loaded (text widths change when they arrive) and every
# figure box holding its plot (the network's metrics are drawn with its figures).
SETTLED = """() => document.fonts.status === 'loaded' && [...document.querySelectorAll(
  '.stBidiComponent')].every(e => e.querySelector('.main-svg'))"""


@pytest.mark.e2e
@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.key for c in CHAPTERS])
def test_page_loads_in_browser_language(browser_page, goto, shot, chapter, lang):
    page = browser_page(LOCALES[lang])
    goto(page, chapter.url)
    title = page.locator("h1").first.inner_text()
    assert title.strip() == tr(lang, f"{chapter.key}.title")
    from playwright.sync_api import expect

    nav = page.get_by_test_id("stSidebar").get_by_test_id("stPageLink-NavLink")
    for other in CHAPTERS:
        expect(nav.get_by_text(tr(lang, f"{other.key}.nav"), exact=True)).to_have_count(1)
    page.wait_for_function(SETTLED, timeout=60_000)
    assert page.evaluate(CUT_OFF) == []
    assert page.evaluate(TOOLBAR_OVER_PLOT) == []
    assert page.evaluate(TICKS_CLASH) == []
    shot(page, f"shell-{chapter.key}-{lang}")


@pytest.mark.e2e
def test_home_slider_moves_and_url_follows(browser_page, goto, wait_idle, shot):
    page = browser_page("en-US")
    goto(page, "")
    slider = page.get_by_test_id("stSlider").first.get_by_role("slider")
    slider.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    wait_idle(page)
    page.wait_for_url(re.compile(r"home_w=1\.05"))
    assert "1.05" in page.get_by_test_id("stSlider").first.inner_text()
    shot(page, "home-slider-moved")


@pytest.mark.e2e
def test_language_switch_writes_url_keeps_choices_and_survives_navigation(
    browser_page, goto, wait_idle
):
    page = browser_page("en-US")
    goto(page, "")
    page.get_by_text(tr("en", "home.data_noisy"), exact=True).click()
    wait_idle(page)
    page.get_by_test_id("stSidebar").get_by_text("日本語", exact=True).click()
    wait_idle(page)
    page.wait_for_url(re.compile(r"lang=ja"))
    assert page.locator("h1").first.inner_text().strip() == tr("ja", "home.title")
    noisy = page.get_by_role("radio", name=tr("ja", "home.data_noisy"))
    assert noisy.is_checked(), "the language switch lost the chosen data set"
    page.get_by_test_id("stSidebar").get_by_test_id("stPageLink-NavLink").get_by_text(
        tr("ja", "scale.nav"), exact=True
    ).click()
    wait_idle(page)
    page.wait_for_url(re.compile(r"/scale"))
    assert page.locator("h1").first.inner_text().strip() == tr("ja", "scale.title")
    page.wait_for_url(re.compile(r"lang=ja"))


@pytest.mark.e2e
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_url_language_wins_over_browser(browser_page, goto, lang):
    other = "en-US" if lang == "ja" else "ja-JP"
    page = browser_page(other)
    goto(page, "", lang=lang)
    assert page.locator("h1").first.inner_text().strip() == tr(lang, "home.title")


@pytest.mark.e2e
@pytest.mark.parametrize("size", [(1280, 720), (390, 844)], ids=["projector", "phone"])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_home_screenshots(browser_page, goto, shot, size, lang):
    page = browser_page(LOCALES[lang], *size)
    goto(page, "")
    page.wait_for_selector(".app-figure .main-svg")
    page.wait_for_timeout(500)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= size[0] + 1, f"page overflows sideways: {width}px > {size[0]}px"
    shot(page, f"home-{lang}-{size[0]}x{size[1]}")


@pytest.mark.e2e
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_presenter_view_and_share_panel(browser_page, goto, wait_idle, shot, lang):
    page = browser_page(LOCALES[lang])
    goto(page, "", present="1", home_w="2.5")
    page.wait_for_selector(".app-figure .main-svg")
    # presenter view: larger root font, sidebar collapsed
    # the presenter style arrives with the run's elements; give a rerun time to land
    page.wait_for_function(
        "parseFloat(getComputedStyle(document.documentElement).fontSize) >= 19", timeout=15_000
    )
    assert page.get_by_test_id("stSidebar").get_attribute("data-collapsed") == "true"
    shot(page, f"present-home-{lang}", full_page=False)
    # open the sidebar; "Share this view" shows the link of exactly this view, and its QR
    page.get_by_test_id("stExpandSidebarButton").click()
    dialog = open_share_dialog(page, wait_idle, lang)
    code = dialog.get_by_test_id("stCode").first.inner_text()
    assert "home_w=2.5" in code and "present=1" in code
    dialog.get_by_test_id("stImage").wait_for()
    shot(page, f"present-qr-{lang}", full_page=False)


@pytest.mark.e2e
@pytest.mark.parametrize("path", [c.url for c in CHAPTERS], ids=[c.key for c in CHAPTERS])
def test_first_visit_of_a_fresh_server_gets_the_frame(browser_page, wait_idle, path):
    """The very first run of a new server goes through Streamlit's legacy pages/ mode;
    the page must still come up inside the frame (language switch, translated nav), and
    no automatic page list (file names, untranslated) may flash in the sidebar meanwhile."""
    from tests.e2e.conftest import start_server, stop_server

    proc, url = start_server("server-fresh.log")
    try:
        page = browser_page("ja-JP")
        from playwright.sync_api import expect

        page.add_init_script(
            """window.__autoNav = 0;
            new MutationObserver(() => {
              if (document.querySelector('[data-testid=stSidebarNav]')) window.__autoNav++;
            }).observe(document, {childList: true, subtree: true});"""
        )
        page.goto(f"{url}/{path}")
        # the legacy first run is followed by a rerun through the frame: wait for it
        page.get_by_test_id("stSidebar").get_by_text("日本語", exact=True).wait_for()
        wait_idle(page)
        key = next(c.key for c in CHAPTERS if c.url == path)
        expect(page.locator("h1").first).to_have_text(tr("ja", f"{key}.title"))
        nav = page.get_by_test_id("stSidebar").get_by_test_id("stPageLink-NavLink")
        assert nav.get_by_text(tr("ja", "home.nav"), exact=True).count() == 1
        assert page.url.split("?")[0].endswith(f"/{path}"), page.url
        page.wait_for_timeout(1000)
        assert page.get_by_role("dialog").count() == 0, "a 'page not found' dialog opened"
        assert page.evaluate("window.__autoNav") == 0, "the automatic page list flashed"
    finally:
        stop_server(proc)


@pytest.mark.e2e
def test_guided_tour_walks_all_stops(browser_page, goto, wait_idle, shot):
    from ui.chapters import BY_KEY
    from ui.tour import STOPS

    page = browser_page("ja-JP")
    goto(page, "", lang="ja")
    page.locator(".st-key-app_tour_start button").click()
    for i, stop in enumerate(STOPS, start=1):
        wait_idle(page)
        page.wait_for_function(f"/[?&]tour={i}(&|$)/.test(location.search)")
        bar = tr("ja", "tour.where", i=i, n=len(STOPS), title=tr("ja", f"tour.{stop.key}.title"))
        page.get_by_text(bar).wait_for()
        path = BY_KEY[stop.chapter].url
        assert page.url.split("?")[0].rstrip("/").endswith(path), (page.url, path)
        assert page.locator("h1").first.inner_text().strip() == tr("ja", f"{stop.chapter}.title")
        if i == 4:
            shot(page, "tour-stop-4", full_page=False)
        if i < len(STOPS):
            if i % 2:
                page.locator(".st-key-app_tour_next button").click()
            else:  # the tour's keyboard shortcut
                page.locator("h1").first.click()
                page.keyboard.press("Shift+ArrowRight")


@pytest.mark.e2e
@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.key for c in CHAPTERS])
def test_every_page_fits_a_phone_and_a_projector_in_presenter_view(
    browser_page, goto, shot, chapter
):
    """390×844: nothing overflows sideways. 1280×720 presenter view: renders, big type."""
    phone = browser_page("ja-JP", 390, 844)
    goto(phone, chapter.url)
    phone.wait_for_timeout(800)
    width = phone.evaluate(
        "Math.max(document.documentElement.scrollWidth,"
        " document.querySelector('[data-testid=stMain]')?.scrollWidth || 0)"
    )
    assert width <= 391, f"{chapter.key} overflows sideways on a phone: {width}px"
    shot(phone, f"phone-{chapter.key}-ja")
    room = browser_page("en-US", 1280, 720)
    goto(room, chapter.url, present="1")
    room.wait_for_timeout(800)
    # the presenter style arrives with the run's elements; give a rerun time to land
    room.wait_for_function(
        "parseFloat(getComputedStyle(document.documentElement).fontSize) >= 19", timeout=15_000
    )
    shot(room, f"present-{chapter.key}-en", full_page=False)


@pytest.mark.e2e
@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.key for c in CHAPTERS])
def test_no_text_is_cut_off_on_a_phone_or_in_the_presenter_view(browser_page, goto, chapter, lang):
    """No label, button, link or metric ends in "…" on a phone or in the presenter view
    (larger type) on a projector: the ellipsis hid home's step size, chapter links and
    the network's metric names. On a phone no figure's toolbar lies over its plot and no
    tick label is cut off or under an axis title."""
    phone = browser_page(LOCALES[lang], 390, 844)
    goto(phone, chapter.url)
    phone.wait_for_function(SETTLED, timeout=60_000)
    assert phone.evaluate(CUT_OFF) == []
    assert phone.evaluate(TOOLBAR_OVER_PLOT) == []
    assert phone.evaluate(TICKS_CLASH) == []
    room = browser_page(LOCALES[lang], 1280, 720)
    goto(room, chapter.url, present="1")
    room.wait_for_function(
        "parseFloat(getComputedStyle(document.documentElement).fontSize) >= 19", timeout=15_000
    )
    room.wait_for_function(SETTLED, timeout=60_000)
    assert room.evaluate(CUT_OFF) == []


@pytest.mark.e2e
def test_share_link_follows_a_fragment_move(browser_page, goto, wait_idle):
    """A control inside an st.fragment reruns only its fragment; the shared link must
    still carry its new value (the link is written when Share is pressed)."""
    page = browser_page("en-US")
    goto(page, "neural-network", lang="en")
    slider = page.locator(".st-key-nn_noise").get_by_role("slider")
    slider.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.wait_for_url(re.compile(r"nn_noise=0\.\d+"))
    wait_idle(page)
    value = urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query)["nn_noise"][0]
    dialog = open_share_dialog(page, wait_idle, "en")
    code = dialog.get_by_test_id("stCode").first.inner_text()
    assert f"nn_noise={value}" in code, (value, code)


def open_share_dialog(page, wait_idle, lang: str):
    """Press *Share this view* in the sidebar once and return its dialog (no retry: the
    dialog must open on the first click, even one that lands during a rerun)."""
    button = page.locator(".st-key-app_qr").get_by_role("button", name=tr(lang, "app.share_title"))
    button.click()
    dialog = page.get_by_role("dialog")
    dialog.wait_for(timeout=10_000)
    return dialog


@pytest.mark.e2e
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_glossary_opens_with_every_term_and_a_working_link(
    browser_page, goto, wait_idle, shot, lang
):
    """The glossary's terms are written only once it is opened (one click, no retry); a
    term's link then leads to its chapter."""
    page = browser_page(LOCALES[lang])
    goto(page, "", lang=lang)
    wait_idle(page)
    definition = tr(lang, "glossary.gradient.def")
    assert page.get_by_text(definition, exact=False).count() == 0
    page.locator(".st-key-glossary_open").get_by_role("button").first.click()
    body = page.get_by_test_id("stPopoverBody")
    body.get_by_text(tr(lang, "glossary.flops.term"), exact=False).first.wait_for(timeout=15_000)
    shot(page, f"glossary-{lang}", full_page=False)
    link = body.get_by_role("link", name=tr(lang, "glossary.go", chapter=tr(lang, "gd.nav")))
    link.first.click()
    page.wait_for_url(re.compile(r"/gradient-descent"), timeout=15_000)
    wait_idle(page)
    assert f"lang={lang}" in page.url
