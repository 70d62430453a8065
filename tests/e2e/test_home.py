"""The home page in a real Chromium: the downhill step reaches the bottom in a handful of
clicks with η shown, and the too-large stride visibly overshoots."""

import pytest

from core import linear
from ui.i18n import tr

LOCALES = {"ja": "ja-JP", "en": "en-US"}


def _w(page) -> float:
    """The slope slider's current value, as the browser shows it."""
    return float(page.locator(".st-key-home_w [data-testid=stSliderThumbValue]").inner_text())


@pytest.mark.e2e
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_downhill_steps_reach_the_bottom(browser_page, goto, wait_idle, shot, lang):
    page = browser_page(LOCALES[lang])
    goto(page, "")
    x, y = linear.DATASETS["exact"]
    lr, _ = linear.lesson_step_sizes(x, fit_bias=False)
    n = linear.steps_to_bottom(x, y, 1.0, 0.0, lr, fit_bias=False)
    assert n is not None and 5 <= n <= 15
    button = page.get_by_role("button", name=tr(lang, "home.step_button", lr=f"{lr:g}"))
    assert _w(page) == 1.0
    button.click()
    wait_idle(page)
    w1 = _w(page)
    assert 1.0 < w1 < 2.0  # one step downhill, toward the bottom at w = 2, not past it
    for _ in range(n - 1):  # exactly n clicks in all
        button.click()
        wait_idle(page)
    main = page.get_by_test_id("stMain")
    at_bottom = tr(lang, "home.at_bottom", what=tr(lang, "home.what_w")).strip()
    assert main.get_by_test_id("stAlert").filter(has_text=at_bottom[:12]).count() == 1
    assert page.get_by_test_id("stException").count() == 0
    shot(page, f"home-bottom-{lang}", full_page=False)


@pytest.mark.e2e
def test_too_large_stride_overshoots(browser_page, goto, wait_idle, shot):
    page = browser_page("en-US")
    goto(page, "")
    x, _y = linear.DATASETS["exact"]
    _, big = linear.lesson_step_sizes(x, fit_bias=False)
    button = page.get_by_role("button", name=tr("en", "home.big_step_button", lr=f"{big:g}"))
    button.click()
    wait_idle(page)
    w1 = _w(page)
    button.click()
    wait_idle(page)
    w2 = _w(page)
    assert w1 > 2.0 > w2  # jumps over the bottom at w = 2, back and forth
    assert abs(w2 - 2.0) > abs(w1 - 2.0) > 1.0  # each time farther away
    assert page.get_by_test_id("stException").count() == 0
    shot(page, "home-overshoot-en", full_page=False)


@pytest.mark.e2e
def test_five_fast_clicks_are_five_steps(browser_page, goto, click_fast):
    """Five clicks 80 ms apart on the downhill step give five steps (issue 15: no click is
    lost), computed here by five gradient steps from w = 1."""
    page = browser_page("en-US")
    goto(page, "")
    x, y = linear.DATASETS["exact"]
    lr, _ = linear.lesson_step_sizes(x, fit_bias=False)
    want = 1.0
    for _ in range(5):
        want = round(linear.gradient_step(x, y, want, 0.0, lr, fit_bias=False)[0], 4)
    click_fast(page, page.get_by_role("button", name=tr("en", "home.step_button", lr=f"{lr:g}")))
    page.wait_for_function(
        "w => new URLSearchParams(location.search).get('home_w') === w", arg=f"{want:g}"
    )
    assert _w(page) == pytest.approx(want, abs=0.006)
