"""The inside chapter in a real Chromium: every figure drawn in both languages on a
desktop, a phone and the presenter view; the merge slider moved by keyboard re-tokenizes
the text; clicking a token of the prompt follows it; screenshots to look at."""

import re

import pytest

from core.bpe import train_bpe
from ui.i18n import tr

LOCALES = {"ja": "ja-JP", "en": "en-US"}
SIZES = {"desktop": (1280, 800), "phone": (390, 844)}
N_CHARTS = 10  # chips ×2, positions, stream, looks, lens, next, loss, cache, work


def _charts(page, n: int = N_CHARTS) -> None:
    page.wait_for_function(
        f"document.querySelectorAll('.app-figure .main-svg').length >= {n}",
        timeout=60_000,
    )


def _main_text(page) -> str:
    return page.get_by_test_id("stMain").inner_text()


@pytest.mark.e2e
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_inside_page_renders(browser_page, goto, shot, lang, size):
    page = browser_page(LOCALES[lang], *SIZES[size])
    goto(page, "inside")
    assert page.locator("h1").first.inner_text().strip() == tr(lang, "inside.title")
    _charts(page)
    body = _main_text(page)
    assert "⟦" not in body
    assert tr(lang, "inside.kv_head") in body
    shot(page, f"inside-{lang}-{size}")


@pytest.mark.e2e
def test_inside_presenter_view(browser_page, goto, shot):
    page = browser_page("ja-JP", 1280, 720)
    goto(page, "inside", present="1")
    _charts(page)
    shot(page, "inside-ja-present")


@pytest.mark.e2e
def test_merge_slider_by_keyboard_retokenizes(browser_page, goto, wait_idle):
    page = browser_page("en-US")
    goto(page, "inside", in_merges="3")
    _charts(page)
    text = tr("en", "inside.sample_default")
    steps = train_bpe(text, 60).steps(text)
    slider = page.get_by_role("slider", name=tr("en", "inside.merges_label"))
    slider.focus()
    for _ in range(4):  # each press is one merge; every one must be honoured
        page.keyboard.press("ArrowRight")
        wait_idle(page)
    assert "Merge 7:" in _main_text(page)
    tokens = page.get_by_test_id("stMetric").filter(has_text=tr("en", "inside.m_tokens"))
    assert tokens.get_by_test_id("stMetricValue").inner_text().strip() == str(len(steps[7]))
    assert "in_merges=7" in page.url


@pytest.mark.e2e
def test_clicking_a_token_follows_it(browser_page, goto, wait_idle):
    page = browser_page("en-US")
    goto(page, "inside")
    _charts(page)
    token = page.get_by_test_id("stButtonGroup").locator("button")
    token.filter(has_text=re.compile(r"^␣was$")).first.click()
    wait_idle(page)
    assert re.search(r"Where 「␣was」 looks", _main_text(page))
    assert "in_follow=2" in page.url
