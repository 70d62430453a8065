"""The attention page in a real Chromium: loads, steps forward with the button and the
keyboard, and shows hostile text literally without running it."""

from __future__ import annotations

import pytest

from ui.i18n import tr

pytestmark = pytest.mark.e2e

HOSTILE = (
    "<img src=x onerror=alert(1)>",
    '<iframe srcdoc="<script>parent.alert(1)</script>">',
)
SIZES = {"desktop": (1280, 720), "phone": (390, 844)}
LOCALES = {"ja": "ja-JP", "en": "en-US"}


def open_attention(page, goto, **params):
    return goto(page, "attention", **params)


def wait_charts(page, n: int = 1) -> None:
    page.wait_for_function(
        f"document.querySelectorAll('.app-figure .main-svg').length >= {n}",
        timeout=60_000,
    )


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_page_loads_and_screenshots(browser_page, goto, shot, lang, size):
    w, h = SIZES[size]
    page = browser_page(LOCALES[lang], w, h)
    open_attention(page, goto, lang=lang, att_step="6", att_views_open="true")
    wait_charts(page, 3)  # the step's figure and the two views
    assert page.get_by_text(tr(lang, "att.title")).count() >= 1
    shot(page, f"attention-{lang}-{size}-top", full_page=False)
    page.get_by_text(
        tr(lang, "att.step_title", n=6, name=tr(lang, "att.s6_name"))
    ).scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    shot(page, f"attention-{lang}-{size}-step6", full_page=False)
    page.get_by_text(tr(lang, "att.h_views")).scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    shot(page, f"attention-{lang}-{size}-views", full_page=False)
    assert page.dialogs == []


def test_five_fast_clicks_are_five_steps(browser_page, goto, wait_idle, click_fast):
    """Five clicks 80 ms apart on the step's + give five steps (issue 15: a pair of
    buttons lost 2-3 of them, because the server merges presses of a pending rerun);
    then ↓ in the focused box goes back one."""
    page = browser_page("en-US")
    open_attention(page, goto, lang="en")
    title = tr("en", "att.step_title", n=1, name=tr("en", "att.s1_name"))
    assert page.get_by_text(title).count() == 1
    click_fast(page, page.locator(".st-key-att_step [data-testid=stNumberInputStepUp]"))
    six = tr("en", "att.step_title", n=6, name=tr("en", "att.s6_name"))
    page.get_by_text(six).wait_for()
    assert "att_step=6" in page.url
    page.locator(".st-key-att_step input").focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    wait_idle(page)
    five = tr("en", "att.step_title", n=5, name=tr("en", "att.s5_name"))
    page.get_by_text(five).wait_for()


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_shown_literally_and_runs_nothing(browser_page, goto, shot, text):
    page = browser_page("en-US")
    open_attention(page, goto, lang="en", att_text=text, att_step="6")
    wait_charts(page)
    page.wait_for_timeout(1500)
    box = page.get_by_test_id("stTextInput").locator("input").first
    assert box.input_value() == text
    ticks = page.eval_on_selector_all(
        ".app-figure .ytick text", "els => els.map(e => e.textContent)"
    )
    assert any(t.strip().endswith("<") for t in ticks), ticks  # "<" drawn as a character
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("iframe[srcdoc]").count() == 0
    assert page.dialogs == []
    name = "img" if text.startswith("<img") else "iframe"
    shot(page, f"attention-hostile-{name}", full_page=False)


def test_downloads_carry_the_numbers(browser_page, goto, tmp_path):
    import json

    page = browser_page("en-US")
    open_attention(page, goto, lang="en", att_step="6", att_heads="2")
    with page.expect_download() as dl:
        page.locator(".st-key-att_dl6 button").click()
    dl.value.save_as(tmp_path / "s6.csv")
    csv_text = (tmp_path / "s6.csv").read_text(encoding="utf-8")
    assert csv_text.startswith("# weights") and "coffee" in csv_text
    last = csv_text.strip().splitlines()[-1].split(",")  # the coffee row: weights sum to 1
    assert abs(sum(float(v) for v in last[1:]) - 1.0) < 1e-9
    with page.expect_download() as dl:
        page.locator(".st-key-att_dl_json button").click()
    dl.value.save_as(tmp_path / "all.json")
    doc = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    assert len(doc["heads"]) == 2 and doc["tokens"][-1] == "coffee"


def test_temperature_move_redraws_the_views_in_place(browser_page, goto, wait_idle, shot):
    """The temperature slider sits in the settings row but belongs to the fragment that
    draws the steps, views and heads: a move must update them and the URL. The views are
    drawn only once opened (issue 16): closed, the page has no line view; a click on the
    opener draws it and puts the open state in the link."""
    import re

    page = browser_page("en-US")
    open_attention(page, goto, lang="en")
    wait_charts(page, 1)
    assert page.locator(".st-key-att_lines").count() == 0
    assert page.get_by_text(tr("en", "att.h_views")).count() == 1  # the heading stays
    opener = page.locator(".st-key-att_views_open summary")
    opener.scroll_into_view_if_needed()
    opener.click()
    wait_idle(page)
    wait_charts(page, 3)
    page.wait_for_url(re.compile(r"att_views_open=true"))
    lines = page.locator(".st-key-att_lines .main-svg text")

    def keys() -> str:
        return " ".join(lines.all_text_contents())

    before = keys()
    assert "milk  0.36" in before, before
    slider = page.get_by_test_id("stSlider").filter(has_text=tr("en", "att.temp"))
    assert slider.count() == 1
    slider.get_by_role("slider").focus()
    for _ in range(5):
        page.keyboard.press("ArrowLeft")  # 1.0 → 0.5: a sharper softmax
    wait_idle(page)
    page.wait_for_url(re.compile(r"att_temp=0\.5"))
    page.wait_for_function(
        "(b) => [...document.querySelectorAll('.st-key-att_lines .main-svg text')]"
        ".map(e => e.textContent).join(' ') !== b",
        arg=before,
        timeout=30_000,
    )
    assert "milk  0.36" not in keys()
    assert page.get_by_test_id("stSlider").filter(has_text=tr("en", "att.temp")).count() == 1
    assert page.get_by_test_id("stException").count() == 0
    page.get_by_text(tr("en", "att.h_views")).scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    shot(page, "attention-temp-moved", full_page=False)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_presenter_first_screen_shows_the_calculation(browser_page, goto, shot, lang):
    """Projected at 1280x720 (?present=1), the first screen shows the step's figure, not
    only controls: the heat map starts on screen, and the what-to-do sentence is there."""
    page = browser_page(LOCALES[lang], 1280, 720)
    open_attention(page, goto, lang=lang, present="1")
    wait_charts(page)
    page.wait_for_timeout(800)
    shot(page, f"attention-{lang}-present-first-screen", full_page=False)
    top = page.evaluate(
        "() => document.querySelector('.st-key-att_fig1, .app-figure').getBoundingClientRect().top"
    )
    assert top < 720 * 0.75, f"the first figure starts at {top}px, below the first screen"
    assert page.get_by_text(tr(lang, "att.do_steps").split("**")[-1].strip()[:12]).count() >= 1
