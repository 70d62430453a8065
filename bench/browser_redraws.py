"""Which plotly figures a move redraws, per page: opens each page's default view in
headless Chromium, watches every chart's DOM for changes (a redraw rewrites its SVG),
presses ArrowRight/ArrowLeft on the view's slider and prints, per press, the charts that
were drawn again (by their position on the page) and the elapsed time. A diagnostic for
``bench/browser_latency.py``: a move should redraw only the figures whose data changed.

It also tells how each chart was drawn again:
- *mounted anew*: its plotly graph div is a new DOM node after the move, the whole chart
  built from scratch (``Plotly.newPlot``, its mode bar, a fresh layout of the page around
  it). Streamlit 1.67 does this to a keyed ``st.plotly_chart`` whenever its figure
  changes (`bench/notes.md`); the app's figures no longer use it (``ui/figure.py``).
- *rebuilt in place*: the same graph div, but a new plot inside it (its ``.main-svg`` is
  a new node): ``Plotly.react`` fell back to ``Plotly.newPlot``, as it does when the
  config it is given differs from the last one.
- *updated in place*: the same graph div and the same SVG, changed by ``Plotly.react``'s
  diff. This is what ``ui/figure.py`` is for.
A chart drawn by ``st.plotly_chart`` (the fallback in ``ui/figure.py``) is reported the
same way.

    python bench/browser_redraws.py [--pages home,nn] [-N 4]
"""

from __future__ import annotations

import argparse
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from bench.browser_latency import ARM, CHARTS, CHROMIUM, FLAGS, instrument, wait_drawn
from bench.common import APP, VIEWS, server

# Marks each chart's graph div and SVG with expandos (gone if the node is replaced) and
# watches the graph div: plotly's own drawing, not the attributes the component sets on
# its box on every call (a chart mounted anew is told apart by HOW).
LISTEN = f"""() => {{ window.__draws = new Set();
  (window.__obs || []).forEach(o => o.disconnect()); window.__obs = [];
  document.querySelectorAll('{CHARTS}').forEach((c, i) => {{
    const gd = c.querySelector('.js-plotly-plot');
    if (gd) gd.__benchMark = i;
    const svg = c.querySelector('.main-svg');
    if (svg) svg.__benchMark = i;
    const o = new MutationObserver(() => window.__draws.add(i));
    o.observe(gd || c, {{subtree: true, childList: true, attributes: true}});
    window.__obs.push(o);
  }}); }}"""

# how each chart is drawn now: "anew" (not the graph div LISTEN marked), "rebuilt" (the
# marked graph div with a new SVG) or "updated" (both marked)
HOW = f"""() => [...document.querySelectorAll('{CHARTS}')].map((c, i) => {{
  const gd = c.querySelector('.js-plotly-plot');
  if (!gd || gd.__benchMark !== i) return 'anew';
  const svg = c.querySelector('.main-svg');
  return svg && svg.__benchMark === i ? 'updated' : 'rebuilt'; }})"""

NAMES = f"""() => [...document.querySelectorAll('{CHARTS}')].map(c =>
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
        instrument(ctx)
        for view in views:
            page = ctx.new_page()
            page.set_default_timeout(120_000)
            page.goto(f"{srv.url}/{view.path}")
            wait_drawn(page)
            page.wait_for_timeout(500)
            n = page.evaluate(f"() => document.querySelectorAll('{CHARTS}').length")
            slider = page.locator(f".st-key-{view.key} input[type=range]").first
            slider.scroll_into_view_if_needed()
            slider.focus()
            names = page.evaluate(NAMES)
            print(f"{view.page}: {n} charts: " + "; ".join(f"{i}={x}" for i, x in enumerate(names)))
            times = []
            for i in range(args.presses):
                page.evaluate(LISTEN)
                page.evaluate(ARM, 10_000)
                page.keyboard.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
                ms = page.evaluate("() => window.__lat")["ms"]
                page.wait_for_timeout(400)
                draws = sorted(page.evaluate("() => [...window.__draws]"))
                how = page.evaluate(HOW)
                if ms is not None:
                    times.append(ms)
                anew = [j for j, h in enumerate(how) if h == "anew"]
                rebuilt = [j for j, h in enumerate(how) if h == "rebuilt"]
                updated = [j for j in draws if j < len(how) and how[j] == "updated"]
                print(
                    f"  press {i + 1}: {ms and round(ms)} ms, charts drawn again: {draws}"
                    f" (mounted anew: {anew}, rebuilt in place: {rebuilt},"
                    f" updated in place: {updated})"
                )
            times.sort()
            if times:
                print(f"  median {round(times[len(times) // 2])} ms over {len(times)} presses")
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
