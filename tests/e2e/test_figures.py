"""The app's figures in a real Chromium (ui/figure.py, ui/figure.js), on the home page in
a Japanese and an English browser: a move of the slider updates a figure in place (the
same plotly graph div, not a new one as Streamlit 1.67's st.plotly_chart would mount),
every figure is labelled for screen readers and has its PNG and full-screen buttons, and
the full-screen button enters and leaves full screen. When plotly.js cannot load or draw
a figure, the figure's box says so, and a later rerun draws it."""

from __future__ import annotations

import re

import pytest

from core import linear
from ui.i18n import tr
from ui.model.home import W_RANGE

pytestmark = pytest.mark.e2e

LOCALES = {"ja": "ja-JP", "en": "en-US"}
FIGURES = ("home_fit_fig", "home_curve_fig")  # the home page's figures, in page order
PNG = '.modebar-btn[data-title="Download plot as a PNG"]'
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _drawn(page) -> None:
    """Plotly draws after the script run: wait until each of home's figures is drawn.
    (By key only, as the move tests below look for the plot: they would find
    st.plotly_chart's too, and fail on what it does, not on where it is.)"""
    for key in FIGURES:
        page.locator(f".st-key-{key} .js-plotly-plot .main-svg").first.wait_for(state="attached")


def _figure(page, key: str):
    return page.locator(f".st-key-{key} .app-figure")


def _fullscreen(lang: str) -> str:
    return f'.modebar-btn[data-title="{tr(lang, "app.figure_fullscreen")}"]'


def _w(page) -> float:
    return float(page.locator(".st-key-home_w [data-testid=stSliderThumbValue]").inner_text())


# The model's line in the graph div ``gd``: its y values and its drawn SVG path.
LINE = """(gd, name) => {
  const i = gd.data.findIndex(t => t.name === name);
  const path = gd.querySelectorAll('g.scatterlayer g.trace')[i]?.querySelector('path.js-line');
  return {i, y: Array.from(gd.data[i].y), d: path ? path.getAttribute('d') : null};
}"""

# Tags the fit figure's graph div (an expando: a new node would not carry it), keeps a
# reference to it and returns its model line.
TAG = f"""(name) => {{
  const gd = document.querySelector('.st-key-home_fit_fig .js-plotly-plot');
  gd.__tag = 1;
  window.__fig = gd;
  return ({LINE})(gd, name);
}}"""

# The graph div tagged before the move, as it is now.
TAGGED = f"""(name) => {{
  const gd = window.__fig;
  const now = document.querySelector('.st-key-home_fit_fig .js-plotly-plot');
  return {{same: now === gd, tag: gd.__tag ?? null, connected: gd.isConnected,
           line: gd.data ? ({LINE})(gd, name) : null}};
}}"""

# The fit figure on the page now (whichever node it is) draws a line other than ``d``.
REDRAWN = f"""([name, d]) => {{
  const gd = document.querySelector('.st-key-home_fit_fig .js-plotly-plot');
  return !!(gd && gd.data && ({LINE})(gd, name).d !== d);
}}"""


def _move_w(page, wait_idle) -> None:
    """One keyboard step of the slope slider: w 1.00 → 1.01."""
    assert _w(page) == 1.0
    page.locator(".st-key-home_w").get_by_role("slider").focus()
    page.keyboard.press("ArrowRight")
    wait_idle(page)
    assert _w(page) == 1.01


@pytest.mark.parametrize("lang", LOCALES)
def test_a_move_updates_the_figure_in_place(browser_page, goto, wait_idle, lang):
    """st.plotly_chart (Streamlit 1.67) puts the figure in its element id, so a changed
    figure was a new element: a new graph div without the tag. The figure component keeps
    its graph div and hands the new figure to Plotly.react."""
    page = browser_page(LOCALES[lang])
    goto(page, "")
    _drawn(page)
    x, _y = linear.DATASETS["exact"]
    lo, hi = float(min(x.min(), 0.0)), float(x.max() + 0.5)  # the line's ends (viz.home)
    model = tr(lang, "home.legend_model")
    before = page.evaluate(TAG, model)
    assert before["i"] >= 0 and before["d"], before
    assert before["y"] == pytest.approx([1.0 * lo, 1.0 * hi])
    _move_w(page, wait_idle)
    # plotly draws after the rerun has finished: wait until the figure on the page shows
    # a line other than the first (the assertions below are on the node tagged before)
    page.wait_for_function(REDRAWN, arg=[model, before["d"]], timeout=15_000)
    after = page.evaluate(TAGGED, model)
    assert after["same"] and after["tag"] == 1 and after["connected"], after
    assert after["line"]["y"] == pytest.approx([1.01 * lo, 1.01 * hi])
    assert after["line"]["d"] and after["line"]["d"] != before["d"]
    assert page.get_by_test_id("stException").count() == 0


# Tags each figure's plot (its first SVG) and mode bar: Plotly.react's diff keeps them,
# Plotly.newPlot (what react falls back to when its config differs from the last one)
# builds new ones.
TAG_PLOTS = """(keys) => keys.forEach(k => {
  const gd = document.querySelector(`.st-key-${k} .js-plotly-plot`);
  gd.querySelector('.main-svg').__tag = k;
  gd.querySelector('.modebar').__tag = k;
})"""
PLOTS_NOW = """(keys) => keys.map(k => {
  const gd = document.querySelector(`.st-key-${k} .js-plotly-plot`);
  return [k, gd.querySelector('.main-svg')?.__tag ?? null,
          gd.querySelector('.modebar')?.__tag ?? null];
})"""


@pytest.mark.parametrize("lang", LOCALES)
def test_a_move_does_not_rebuild_the_plot(browser_page, goto, wait_idle, lang):
    """In place down to the SVG: a move changes both of home's figures, and each keeps
    its plot and mode bar (a full Plotly.newPlot is the cost the component is there to
    save, bench/notes.md)."""
    page = browser_page(LOCALES[lang])
    goto(page, "")
    _drawn(page)
    model = tr(lang, "home.legend_model")
    before = page.evaluate(TAG, model)
    page.evaluate(TAG_PLOTS, list(FIGURES))
    _move_w(page, wait_idle)
    page.wait_for_function(REDRAWN, arg=[model, before["d"]], timeout=15_000)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    assert page.evaluate(PLOTS_NOW, list(FIGURES)) == [[k, k, k] for k in FIGURES]


@pytest.mark.parametrize("lang", LOCALES)
def test_every_figure_is_labelled_and_has_its_buttons(browser_page, goto, lang):
    page = browser_page(LOCALES[lang])
    goto(page, "")
    _drawn(page)
    boxes = page.locator(".app-figure")
    assert boxes.count() == len(FIGURES)
    for key in FIGURES:
        assert _figure(page, key).count() == 1
    for i in range(boxes.count()):
        box = boxes.nth(i)
        assert box.get_attribute("role") == "figure"
        label = (box.get_attribute("aria-label") or "").strip()
        assert label
        # the label is in the page's language
        assert bool(JAPANESE.search(label)) == (lang == "ja"), label
        box.locator(PNG).wait_for(state="attached")
        assert box.locator(PNG).count() == 1
        assert box.locator(_fullscreen(lang)).count() == 1
        # and not plotly's "Share chart", which would upload the figure to Plotly's cloud
        assert box.locator('.modebar-btn[data-title*="Share"]').count() == 0
    # the labels are the figures' alt texts, and the accessibility tree names the figures
    x, y = linear.DATASETS["exact"]
    fit = linear.fit(x, y, 1.0, 0.0)
    w_best = linear.best_w(x, y, 0.0)
    alts = {
        "home_fit_fig": tr(lang, "home.fit_alt", n=len(x), w="1.00", b="0.00"),
        "home_curve_fig": tr(
            lang,
            "home.curve_alt",
            lo=W_RANGE[0],
            hi=W_RANGE[1],
            w="1.00",
            loss=f"{fit.mse:.3f}",
            wbest=f"{w_best:.3f}",
        ),
    }
    for key, alt in alts.items():
        assert _figure(page, key).get_attribute("aria-label") == alt
        assert page.get_by_role("figure", name=alt, exact=True).count() == 1
    # the PNG button downloads a PNG
    box = _figure(page, "home_curve_fig")
    box.hover()
    with page.expect_download(timeout=30_000) as download:
        box.locator(PNG).click()
    path = download.value.path()
    assert download.value.suggested_filename.endswith(".png")
    with open(path, "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"


FULLSCREEN_IS = "(box) => document.fullscreenElement === box"


@pytest.mark.parametrize("lang", LOCALES)
def test_full_screen_button_enters_and_leaves(browser_page, goto, lang):
    """The Fullscreen API works in headless Chromium. Esc does not leave there: leaving on
    Esc is the browser window's job, and headless Chromium has none (pressing it keeps the
    figure in full screen), so the test leaves with the button and with
    document.exitFullscreen()."""
    page = browser_page(LOCALES[lang])
    goto(page, "")
    _drawn(page)
    box = _figure(page, "home_fit_fig")
    button = box.locator(_fullscreen(lang))
    assert page.evaluate("() => document.fullscreenEnabled")
    box.hover()
    button.click()
    page.wait_for_function("() => document.fullscreenElement !== null")
    assert box.evaluate(FULLSCREEN_IS)
    button.click()  # the same button leaves
    page.wait_for_function("() => document.fullscreenElement === null")
    box.hover()
    button.click()
    page.wait_for_function("() => document.fullscreenElement !== null")
    assert box.evaluate(FULLSCREEN_IS)
    page.evaluate("() => document.exitFullscreen()")
    page.wait_for_function("() => document.fullscreenElement === null")
    assert page.get_by_test_id("stException").count() == 0


# The plot's size as plotly laid it out, and its box's.
SIZES = """(box) => { const gd = box.querySelector('.js-plotly-plot');
  return {w: gd._fullLayout.width, h: gd._fullLayout.height,
          boxW: box.clientWidth, boxH: box.clientHeight,
          winW: innerWidth, winH: innerHeight}; }"""


@pytest.mark.parametrize("lang", LOCALES)
def test_full_screen_fills_the_screen_and_the_page_again_after(browser_page, goto, lang):
    """In full screen the plot takes the screen's width and height; back on the page it
    has its own height again and still follows the page's width (a narrower window)."""
    page = browser_page(LOCALES[lang])
    goto(page, "")
    _drawn(page)
    box = _figure(page, "home_fit_fig")
    first = box.evaluate(SIZES)
    assert abs(first["w"] - first["boxW"]) <= 2, first
    box.hover()
    box.locator(_fullscreen(lang)).click()
    page.wait_for_function("() => document.fullscreenElement !== null")
    # plotly lays the plot out again on the next frames (relayout, the resize observer)
    page.wait_for_function(
        f"(box) => {{ const s = ({SIZES})(box); return s.h > s.winH * 0.9 && s.w >= s.winW * 0.9; }}",
        arg=box.element_handle(),
    )
    full = box.evaluate(SIZES)
    assert full["w"] >= full["winW"] * 0.9, full
    assert full["winH"] * 0.9 <= full["h"] <= full["winH"], full
    page.evaluate("() => document.exitFullscreen()")
    page.wait_for_function("() => document.fullscreenElement === null")
    page.wait_for_function(
        f"([box, h, w]) => {{ const s = ({SIZES})(box); return s.h === h && Math.abs(s.w - w) <= 2; }}",
        arg=[box.element_handle(), first["h"], first["w"]],
    )
    back = box.evaluate(SIZES)
    assert back["h"] == first["h"] and abs(back["w"] - first["w"]) <= 2, (first, back)
    page.set_viewport_size({"width": 900, "height": 720})
    # the box narrows, and the resize observer lays the plot out to its width
    page.wait_for_function(
        f"(box) => {{ const s = ({SIZES})(box); return s.boxW < 400 && Math.abs(s.w - s.boxW) <= 2; }}",
        arg=box.element_handle(),
    )
    narrow = box.evaluate(SIZES)
    assert abs(narrow["w"] - narrow["boxW"]) <= 2, narrow


# Streamlit's plotly.js chunk (ui/figure.py's CHUNK), also when figure.js asks for it again
# under a URL of its own (?retry=N).
PLOTLY_CHUNK = re.compile(r"/static/js/PlotlyChart\.[\w-]+\.js(\?|$)")


def _notice(page, key: str):
    """The figure's notice: a live region, empty while the figure is fine."""
    return _figure(page, key).get_by_role("status")


def _watch(page) -> dict[str, list[str]]:
    """Uncaught errors of the page, and what figure.js logs with console.error."""
    seen: dict[str, list[str]] = {"uncaught": [], "logged": []}
    page.on("pageerror", lambda e: seen["uncaught"].append(str(e)))
    page.on(
        "console",
        lambda m: seen["logged"].append(m.text) if m.type == "error" else None,
    )
    return seen


def _offline(page) -> list[str]:
    """Abort every request for the plotly chunk (a dropped connection); returns their URLs."""
    aborted: list[str] = []

    def abort(route):
        aborted.append(route.request.url)
        route.abort("internetdisconnected")

    page.route(PLOTLY_CHUNK, abort)
    return aborted


# Where the notice is, and whether it is what a click in the box's middle would hit.
NOTICE_BOX = """(n) => { const r = n.getBoundingClientRect(), b = n.parentElement.getBoundingClientRect();
  const hit = document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2);
  return {w: r.width, h: r.height, boxW: b.width, boxH: b.height, onTop: hit === n}; }"""


def _assert_notices(page, lang: str) -> None:
    """Each of home's figures shows the notice, in the page's language, over the box."""
    from playwright.sync_api import expect

    text = tr(lang, "app.figure_failed")
    for key in FIGURES:
        notice = _notice(page, key)
        expect(notice).to_have_text(text, timeout=15_000)
        expect(notice).to_be_visible()
        notice.scroll_into_view_if_needed()
        where = notice.evaluate(NOTICE_BOX)
        assert where["onTop"] and where["h"] >= 100, where
        assert abs(where["w"] - where["boxW"]) <= 1 and abs(where["h"] - where["boxH"]) <= 1


@pytest.mark.parametrize("lang", LOCALES)
def test_a_figure_that_cannot_load_plotly_says_so(browser_page, goto, lang):
    """A student's connection drops before plotly.js arrives: each figure's box says so in
    the page's language (a live region, so screen readers read it out) instead of staying
    blank, and the page keeps running without an uncaught error."""
    page = browser_page(LOCALES[lang])
    seen = _watch(page)
    aborted = _offline(page)
    goto(page, "")
    _assert_notices(page, lang)
    assert aborted, "the page never asked for the plotly chunk"
    assert page.locator(".app-figure").count() == len(FIGURES)
    assert page.locator(".app-figure .main-svg").count() == 0
    assert bool(JAPANESE.search(tr(lang, "app.figure_failed"))) == (lang == "ja")
    # the failed load is caught and logged, never left uncaught
    assert seen["uncaught"] == [], seen["uncaught"]
    assert any(m.startswith("app figure:") for m in seen["logged"]), seen["logged"]
    # the rest of the page still works
    assert page.get_by_test_id("stException").count() == 0
    assert page.locator(".st-key-home_w").get_by_role("slider").count() == 1


@pytest.mark.parametrize("lang", LOCALES)
def test_a_rerun_after_a_failed_load_draws_the_figures(browser_page, goto, wait_idle, lang):
    """A failed load is not kept: once the connection is back, the next rerun (a move of
    the slider) loads plotly.js again, draws the figures and clears the notices."""
    page = browser_page(LOCALES[lang])
    seen = _watch(page)
    aborted = _offline(page)
    goto(page, "")
    _assert_notices(page, lang)
    page.unroute(PLOTLY_CHUNK)
    count = len(aborted)
    _move_w(page, wait_idle)
    _drawn(page)
    for key in FIGURES:
        notice = _notice(page, key)
        assert notice.text_content() == ""
        assert not notice.is_visible()  # an empty live region takes no room
    assert len(aborted) == count  # drawn from a request that got through
    x, _y = linear.DATASETS["exact"]
    lo, hi = float(min(x.min(), 0.0)), float(x.max() + 0.5)
    line = page.evaluate(
        f"(name) => ({LINE})(document.querySelector('.st-key-home_fit_fig .js-plotly-plot'), name)",
        tr(lang, "home.legend_model"),
    )
    assert line["d"] and line["y"] == pytest.approx([1.01 * lo, 1.01 * hi])
    assert seen["uncaught"] == [], seen["uncaught"]


def test_a_figure_plotly_cannot_draw_says_so_and_the_next_one_is_drawn(
    browser_page, goto, wait_idle
):
    """Plotly.react throwing (a figure it cannot draw) shows the notice over the stale
    figure instead of breaking the page; the next figure it can draw clears it."""
    page = browser_page(LOCALES["ja"])
    seen = _watch(page)
    goto(page, "")
    _drawn(page)
    page.evaluate(
        """() => { window.__react = Plotly.react;
        Plotly.react = () => { throw new Error('a figure plotly cannot draw'); }; }"""
    )
    _move_w(page, wait_idle)
    _assert_notices(page, "ja")
    assert any("a figure plotly cannot draw" in m for m in seen["logged"]), seen["logged"]
    assert seen["uncaught"] == [], seen["uncaught"]
    page.evaluate("() => { Plotly.react = window.__react; }")
    page.locator(".st-key-home_w").get_by_role("slider").focus()
    page.keyboard.press("ArrowRight")
    wait_idle(page)
    assert _w(page) == 1.02
    for key in FIGURES:
        page.wait_for_function(
            "(n) => n.textContent === '' && n.style.cssText === ''",
            arg=_notice(page, key).element_handle(),
        )
    assert seen["uncaught"] == [], seen["uncaught"]


def test_figures_a_rerun_leaves_alone_are_drawn_once_plotly_loads(browser_page, goto, wait_idle):
    """On the neural network, the noise slider's fragment redraws the playground's figures
    only. After a failed load, the first figure drawn also draws the others that failed
    (no rerun sends them again, as their data did not change)."""
    page = browser_page(LOCALES["en"])
    seen = _watch(page)
    _offline(page)
    goto(page, "neural-network")
    text = tr("en", "app.figure_failed")
    boxes = page.locator(".app-figure")
    page.wait_for_function(
        "(text) => { const n = [...document.querySelectorAll('.app-figure [role=status]')];"
        " return n.length >= 5 && n.every(e => e.textContent === text); }",
        arg=text,
    )
    total = boxes.count()
    page.unroute(PLOTLY_CHUNK)
    slider = page.locator(".st-key-nn_noise").get_by_role("slider")
    slider.focus()
    page.keyboard.press("ArrowRight")
    wait_idle(page)
    page.wait_for_function(
        "(n) => document.querySelectorAll('.app-figure .main-svg').length >= n"
        " && [...document.querySelectorAll('.app-figure [role=status]')]"
        ".every(e => e.textContent === '')",
        arg=total,
    )
    assert boxes.count() == total
    assert seen["uncaught"] == [], seen["uncaught"]
