"""Which plotly figures a move redraws, per page: opens each page's default view in
headless Chromium, watches every chart's DOM for changes (a redraw rewrites its SVG),
presses ArrowRight/ArrowLeft on the view's slider and prints, per press, the charts that
were drawn again (by their position on the page) and the elapsed time. A diagnostic for
``bench/browser_latency.py``: a move should redraw only the figures whose data changed.

It also tells how each chart was drawn again: *mounted anew* when its plotly graph div
is a new DOM node after the move (the whole chart built from scratch: ``Plotly.newPlot``,
its mode bar, a fresh layout of the page around it), else *in place*. Streamlit 1.67
mounts a keyed ``st.plotly_chart`` anew whenever its figure changes (`bench/notes.md`).

    python bench/browser_redraws.py [--pages home,nn] [-N 4]
"""

from __future__ import annotations

import argparse
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from bench.browser_latency import ARM, CHROMIUM, FLAGS, wait_drawn
from bench.common import APP, VIEWS, server

LISTEN = """() => { window.__draws = new Set();
  (window.__obs || []).forEach(o => o.disconnect()); window.__obs = [];
  document.querySelectorAll('[data-testid=stPlotlyChart]').forEach((c, i) => {
    const gd = c.querySelector('.js-plotly-plot');
    if (gd) gd.__benchMark = i;  // an expando: gone if the graph div is replaced
    const o = new MutationObserver(() => window.__draws.add(i));
    o.observe(c, {subtree: true, childList: true, attributes: true});
    window.__obs.push(o);
  }); }"""

# charts whose graph div is not the one LISTEN marked: mounted anew
REMOUNTED = """() => [...document.querySelectorAll('[data-testid=stPlotlyChart]')]
  .map((c, i) => [i, c.querySelector('.js-plotly-plot')])
  .filter(([i, gd]) => !gd || gd.__benchMark !== i).map(([i]) => i)"""

NAMES = """() => [...document.querySelectorAll('[data-testid=stPlotlyChart]')].map(c =>
  (c.querySelector('.gtitle')?.textContent || c.querySelector('.xtitle')?.textContent
   || '?').slice(0, 40))"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-N", "--presses", type=int, default=4)
    ap.add_argument("--pages", default="")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    pages = set(filter(None, args.pages.split(",")))
    views = [v for v in VIEWS if v.name == "default" and (not pages or v.page in pages)]
    with server(APP) as srv, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        ctx = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 720})
        for view in views:
            page = ctx.new_page()
            page.set_default_timeout(120_000)
            page.goto(f"{srv.url}/{view.path}")
            wait_drawn(page)
            page.wait_for_timeout(500)
            n = page.locator("[data-testid=stPlotlyChart]").count()
            slider = page.locator(f".st-key-{view.key} input[type=range]").first
            slider.scroll_into_view_if_needed()
            slider.focus()
            names = page.evaluate(NAMES)
            print(f"{view.page}: {n} charts: " + "; ".join(f"{i}={x}" for i, x in enumerate(names)))
            times = []
            for i in range(args.presses):
                page.evaluate(LISTEN)
                page.evaluate(ARM, 30_000)
                page.keyboard.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
                ms = page.evaluate("() => window.__lat")["ms"]
                page.wait_for_timeout(400)
                draws = sorted(page.evaluate("() => [...window.__draws]"))
                anew = page.evaluate(REMOUNTED)
                if ms is not None:
                    times.append(ms)
                print(
                    f"  press {i + 1}: {ms and round(ms)} ms, charts drawn again: {draws}"
                    f" (mounted anew: {anew})"
                )
            times.sort()
            if times:
                print(f"  median {round(times[len(times) // 2])} ms over {len(times)} presses")
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
