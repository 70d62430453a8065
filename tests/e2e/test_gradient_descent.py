"""The gradient-descent page in a real Chromium: it loads in both languages and on a
phone, a slider moves and the URL follows, Play is present and animates client-side."""

import pytest

from core.landscapes import LANDSCAPES
from core.optimizers import descend
from ui.fmt import num
from ui.i18n import tr

LOCALES = {"ja": "ja-JP", "en": "en-US"}
PATH = "gradient-descent"


def wait_charts(page, n: int = 2) -> None:
    """Plotly loads lazily, after the script has finished: wait for the figures."""
    page.wait_for_function(
        f"document.querySelectorAll('.app-figure .main-svg').length >= {n}",
        timeout=60_000,
    )
    page.wait_for_timeout(600)


@pytest.mark.e2e
@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize(("width", "height"), [(1280, 720), (390, 844)], ids=["desk", "phone"])
def test_page_loads_with_views_and_play(browser_page, goto, shot, lang, width, height):
    page = browser_page(LOCALES[lang], width, height)
    goto(page, PATH)
    assert page.locator("h1").first.inner_text().strip() == tr(lang, "gd.title")
    wait_charts(page)
    play = page.locator(".updatemenu-button").filter(has_text=tr(lang, "gd.play").split()[-1])
    assert play.count() >= 2  # map and progress views (the 3-D tab is hidden until opened)
    assert page.get_by_test_id("stException").count() == 0
    shot(page, f"gd-{lang}-{width}x{height}")


@pytest.mark.e2e
def test_slider_moves_and_url_follows(browser_page, goto, wait_idle):
    page = browser_page("en-US")
    goto(page, PATH)
    wait_charts(page)
    slider = page.get_by_test_id("stSlider").filter(has_text=tr("en", "gd.steps"))
    handle = slider.get_by_role("slider")
    handle.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    wait_idle(page)
    # the address bar is rewritten in place (history API), not navigated: poll location
    page.wait_for_function("() => /[?&]gd_steps=180(&|$)/.test(location.search)")
    assert "180" in slider.inner_text()
    wait_charts(page)
    assert page.get_by_test_id("stException").count() == 0


@pytest.mark.e2e
def test_play_animates_without_a_rerun(browser_page, goto, wait_idle, shot):
    page = browser_page("en-US")
    goto(page, PATH, gd_step="0")
    wait_charts(page)
    chart = page.locator(".app-figure").first

    def current() -> str:  # the map's "step N" label (SVG text of a text trace)
        return chart.locator("g.scatterlayer g.textpoint text").first.text_content()

    before = current()
    assert before == tr("en", "gd.frame") + "0"
    chart.locator(".updatemenu-button").filter(has_text="Play").first.click()
    page.wait_for_timeout(2500)
    after = current()
    assert before != after and after.startswith(tr("en", "gd.frame")), (before, after)
    # client-side only: the script did not run again
    assert page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").count() == 1
    shot(page, "gd-played", full_page=False)


@pytest.mark.e2e
def test_custom_formula_and_bad_formula(browser_page, goto, wait_idle, shot):
    page = browser_page("ja-JP")
    goto(page, PATH, gd_land=tr("ja", "gd.land.custom"), gd_expr="x^2 + 3*sin(y)^2")
    wait_charts(page)
    # the formula and its two exact partial derivatives, typeset; a status message
    assert page.locator(".katex-display").count() >= 3
    assert page.get_by_test_id("stAlert").filter(has_text=tr("ja", "gd.opt.gd")).count() >= 1
    goto(page, PATH, gd_land=tr("ja", "gd.land.custom"), gd_expr="x.__class__")
    assert page.get_by_test_id("stAlert").filter(has_text="2 文字目").count() == 1
    shot(page, "gd-ja-bad-formula", full_page=False)


@pytest.mark.e2e
def test_learning_rate_move_redraws_the_walks_in_place(browser_page, goto, wait_idle, shot):
    """The rate slider sits in the controls column but belongs to the walks' fragment:
    moving it must update the status, the views and the URL, and leave one slider."""
    page = browser_page("en-US")
    goto(page, PATH)
    wait_charts(page)
    land = LANDSCAPES["himmelblau"]  # the default walk: η = 0.01, stop below |∇L| = 10⁻⁶
    ref = descend(land, land.start, lr=0.01, steps=150, tol=1e-6)
    (x, y), loss = ref.points[-1], ref.losses[-1]
    done = tr("en", "gd.status_converged", name=tr("en", "gd.opt.gd"), n=ref.steps,
              tol=num(1e-6), x=num(x), y=num(y), loss=num(loss))  # fmt: skip
    assert page.get_by_test_id("stAlert").filter(has_text=done).count() == 1
    slider = page.get_by_test_id("stSlider").filter(has_text=tr("en", "gd.lr"))
    assert slider.count() == 1
    slider.get_by_role("slider").focus()
    page.keyboard.press("ArrowLeft")  # 0.01 → 0.005
    wait_idle(page)
    page.wait_for_function("() => /[?&]gd_lr=0\\.005(&|$)/.test(location.search)")
    moved = page.get_by_test_id("stAlert").filter(has_text=tr("en", "gd.opt.gd"))
    moved.first.wait_for()
    assert done not in moved.first.inner_text()
    assert "0.005" in slider.inner_text()
    assert page.get_by_test_id("stSlider").filter(has_text=tr("en", "gd.lr")).count() == 1
    page.get_by_text(tr("en", "gd.lab_head")).click()  # the lab draws when opened
    wait_idle(page)
    wait_charts(page, 3)
    assert page.get_by_text(tr("en", "gd.cost_head")).count() == 1
    assert page.get_by_test_id("stException").count() == 0
    shot(page, "gd-lr-moved")


# What one walking view shows right now: the landscape drawn (the map's layout image, or
# the 3-D view's WebGL canvas), its traces, and the minima markers drawn on screen.
VIEW_STATE = """(i) => {
  const g = document.querySelectorAll('.app-figure .js-plotly-plot')[i];
  const images = (g.layout.images || []).filter(im => im.name === 'landscape');
  return {landscape: images.length ? images[0].source.length : 0,
          surface: g.data[0].type === 'surface' && !!g.data[0].z,
          n: g.data.length,
          minima: g.data.filter(d => d.mode === 'markers' && d.marker
                                  && d.marker.symbol === 'x-thin').length,
          drawn: g.querySelectorAll('.imagelayer image, canvas').length,
          marks: g.querySelectorAll('g.scatterlayer path.point').length};
}"""

# Samples the view at every painted frame for ``ms`` (requestAnimationFrame runs just
# before the browser paints): how many frames showed no landscape, or fewer point marks
# than the first sample.
PAINTED = """([i, ms]) => new Promise(res => {
  const g = document.querySelectorAll('.app-figure .js-plotly-plot')[i];
  const sel = '.imagelayer image, canvas';
  let blank = 0, lost = 0, total = 0, marks0 = null; const t0 = performance.now();
  const tick = () => {
    total++;
    if (!g.querySelectorAll(sel).length) blank++;
    const marks = g.querySelectorAll('g.scatterlayer path.point').length;
    if (marks0 === null) marks0 = marks; else if (marks < marks0) lost++;
    if (performance.now() - t0 < ms) requestAnimationFrame(tick);
    else res({blank, lost, total});
  };
  requestAnimationFrame(tick);
})"""


@pytest.mark.e2e
@pytest.mark.parametrize("tab", ["map", "3d"])
def test_play_keeps_the_landscape_and_minima(browser_page, goto, wait_idle, shot, tab):
    """Issue 13.3: ▶ Play must not erase the landscape or the minima, during or after the
    animation, not even for one painted frame. (A full redraw per frame left the map's
    contour layer empty for about one painted frame in four: a flicker at the frame
    rate. The map's landscape is now a layout image and its frames redraw nothing.)"""
    page = browser_page("en-US")
    goto(page, PATH, gd_step="0")
    wait_charts(page)
    if tab == "3d":
        page.get_by_role("tab", name=tr("en", "gd.tab_surface")).click()
        page.wait_for_function(
            "[...document.querySelectorAll('.app-figure .js-plotly-plot')]"
            ".some(g => g.data && g.data[0].type === 'surface' && g.offsetParent)",
            timeout=30_000,
        )
        wait_idle(page)
        page.wait_for_timeout(800)
    idx = page.evaluate(
        """(want) => [...document.querySelectorAll('.app-figure .js-plotly-plot')]
          .findIndex(g => g.offsetParent && (want === 'surface'
              ? g.data && g.data[0].type === 'surface'
              : (g.layout.images || []).some(im => im.name === 'landscape')))""",
        "surface" if tab == "3d" else "map",
    )
    assert idx >= 0
    chart = page.locator(".app-figure").nth(idx)
    before = page.evaluate(VIEW_STATE, idx)
    assert before["drawn"] > 0 and (before["landscape"] > 1000 or before["surface"]), before
    chart.locator(".updatemenu-button").filter(has_text="Play").first.click()
    painted = page.evaluate(PAINTED, [idx, 3000])  # during the animation
    page.wait_for_timeout(5000)  # the animation ends (at most 100 frames of 80 ms)
    after = page.evaluate(VIEW_STATE, idx)
    shot(page, f"gd-play-kept-{tab}", full_page=False)
    assert painted["total"] > 10, painted
    assert painted["blank"] == 0, painted
    if tab == "map":
        assert painted["lost"] == 0, painted
    for key in ("landscape", "surface", "n", "minima"):
        assert after[key] == before[key], (before, after)
    assert after["drawn"] > 0 and after["marks"] >= before["marks"], (before, after)
    if tab == "map":
        assert before["minima"] == 1  # himmelblau: one marker trace holding its 4 minima


@pytest.mark.e2e
def test_five_fast_clicks_are_five_steps(browser_page, goto, click_fast):
    """Five clicks 80 ms apart on "step +1" move the walk five steps (issue 15: no click
    is lost, including one that arrives while the previous click's rerun runs)."""
    page = browser_page("en-US")
    goto(page, PATH, gd_step="0")
    click_fast(page, page.locator(".st-key-gd_fwd").get_by_role("button").first)
    page.wait_for_function("() => /[?&]gd_step=5(&|$)/.test(location.search)")
    assert page.get_by_test_id("stException").count() == 0
