"""The guided tour leads the eye: every stop opens with the figure or control it talks
about on screen and outlined (``st-key-tour_focus``), on a laptop and on a phone."""

from __future__ import annotations

import urllib.parse

import pytest

from ui.chapters import BY_KEY
from ui.tour import STOPS

pytestmark = pytest.mark.e2e

ON_SCREEN = """() => {
  const el = document.querySelector('.st-key-tour_focus');
  if (!el) return null;
  const r = el.getBoundingClientRect();
  const h = window.innerHeight, w = window.innerWidth;
  const visible = Math.min(r.bottom, h) - Math.max(r.top, 0);
  return {top: r.top, bottom: r.bottom, height: r.height, visible: visible, vh: h,
          left: r.left, right: r.right, vw: w};
}"""


@pytest.mark.parametrize("size", [(1280, 800), (390, 844)], ids=["laptop", "phone"])
@pytest.mark.parametrize("i", range(1, len(STOPS) + 1))
def test_tour_stop_opens_on_its_focus(app_url, browser_page, wait_idle, shot, i, size):
    stop = STOPS[i - 1]
    lang = "ja" if i % 2 else "en"
    page = browser_page("ja-JP" if lang == "ja" else "en-US", *size)
    query = urllib.parse.urlencode({**stop.params(), "tour": str(i)}, doseq=True)
    page.goto(f"{app_url}/{BY_KEY[stop.chapter].url}?{query}")
    wait_idle(page)
    page.wait_for_selector(".st-key-tour_focus", timeout=30_000)
    # the tour bar scrolls once the focus is drawn (and again after its figures settle)
    page.wait_for_timeout(1500)
    box = page.evaluate(ON_SCREEN)
    shot(page, f"tour-focus-{i}-{stop.key}-{size[0]}", full_page=False)
    assert box is not None and box["height"] > 0, f"stop {i}: nothing wrapped in focus()"
    # on screen: either the whole target, or (if taller than the screen) most of the screen
    needed = min(box["height"], box["vh"]) * 0.6
    assert box["visible"] >= needed, f"stop {i} ({stop.key}) focus is off screen: {box}"
    outline = page.eval_on_selector(".st-key-tour_focus", "el => getComputedStyle(el).outlineStyle")
    assert outline != "none", "the focus is not highlighted"
