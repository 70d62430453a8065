"""Browser latency in headless Chromium: key press on a slider → rerun finished + two
animation frames, per page, next to the empty Streamlit app measured in the same run.

For each page's default view (``bench/common.py``) a fresh tab opens the page, waits
until it is idle and every figure is drawn, focuses the view's slider and presses
ArrowRight (then ArrowLeft) N times. Each press is timed inside the page:
``keydown`` → ``[data-testid=stApp]`` ``data-test-script-state`` goes ``running`` and
back to ``notRunning`` → two ``requestAnimationFrame`` callbacks. The empty app
(``bench/empty_app.py``, one slider) is measured before and after the pages; the
ratio is page median / floor median.

Also the cold start: from ``streamlit run`` (process start) to the home page fully drawn
(script idle, every chart drawn, two frames), each time with a fresh server.

    python bench/browser_latency.py [-N 12] [--cold 3] [--pages home,gd]
        [--json bench/out/browser_latency.json]
"""

from __future__ import annotations

import argparse
import os
import pathlib
import sys
import time
from typing import Any

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from bench.common import (
    APP,
    EMPTY_APP,
    EMPTY_VIEW,
    VIEWS,
    View,
    machine,
    median,
    percentile,
    server,
    start_server,
    stop_server_proc,
    write_json,
)

CHROMIUM = os.environ.get("CHROMIUM") or "/usr/bin/chromium"
FLAGS = [  # as tests/e2e/conftest.py
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--use-angle=swiftshader",  # software WebGL for plotly's 3-D surfaces
    "--enable-unsafe-swiftshader",
]
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
CONNECTED = "[data-testid='stApp'][data-test-connection-state='CONNECTED']"
# One box per figure: the app's own figure component (ui/figure.py, a div.app-figure
# holding plotly's graph div), or an st.plotly_chart (ui/figure.py's fallback, and
# bench/elements_app.py).
CHARTS = ".app-figure, [data-testid=stPlotlyChart]"
# Every figure drawn. The component's host (.stBidiComponent: the app's only components-v2
# component is its figure) is on the page before figure.js has made its box, so a page
# whose figures have not started yet is not taken as drawn.
ALL_CHARTS_DRAWN = """() => [...document.querySelectorAll(
    '.stBidiComponent, [data-testid=stPlotlyChart]')].every(e => e.querySelector('.main-svg'))"""
TWO_FRAMES = """() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(
    () => r(performance.now()))))"""
# Arms a one-shot timer: keydown → the script leaves "notRunning" (rerunRequested or
# running) → back to notRunning → two frames. Every attribute change is read from the
# mutation records (with its old value), so a fast rerun whose states change between two
# observer callbacks is still seen instead of being timed out as a miss.
ARM = """(timeoutMs) => { window.__lat = new Promise((resolve) => {
  const app = document.querySelector("[data-testid='stApp']");
  let t0 = null, busy = false;
  document.addEventListener('keydown', () => { if (t0 === null) t0 = performance.now(); },
                            {capture: true, once: true});
  const obs = new MutationObserver((records) => {
    for (const r of records) {
      if (r.oldValue && r.oldValue !== 'notRunning') busy = true;
    }
    const s = app.getAttribute('data-test-script-state');
    if (s !== 'notRunning') busy = true;
    if (busy && s === 'notRunning' && t0 !== null) {
      obs.disconnect();
      requestAnimationFrame(() => requestAnimationFrame(
        () => resolve({ms: performance.now() - t0})));
    }
  });
  obs.observe(app, {attributes: true, attributeOldValue: true,
                    attributeFilter: ['data-test-script-state']});
  setTimeout(() => { obs.disconnect(); resolve({ms: null}); }, timeoutMs);
}); }"""


def wait_drawn(page: Any, timeout: float = 120_000) -> None:
    page.wait_for_selector("[data-testid='stAppViewContainer']", timeout=timeout)
    page.wait_for_selector(CONNECTED, timeout=timeout)
    page.wait_for_selector(IDLE, timeout=timeout)
    page.wait_for_function(ALL_CHARTS_DRAWN, timeout=timeout)
    page.evaluate(TWO_FRAMES)


def measure_page(ctx: Any, base: str, view: View, presses: int, warmup: int = 2) -> dict:
    page = ctx.new_page()
    page.set_default_timeout(120_000)
    url = f"{base}/{view.path}"
    row: dict[str, Any] = {"page": view.page, "view": view.name, "key": view.key}
    try:
        page.goto(url)
        wait_drawn(page)
        page.wait_for_timeout(300)
        if page.get_by_test_id("stException").count():
            row["errors"] = [page.get_by_test_id("stException").first.inner_text()[:200]]
            return row
        slider = page.locator(f".st-key-{view.key} input[type=range]").first
        slider.scroll_into_view_if_needed()
        slider.focus()
        times, misses = [], 0
        keys = ["ArrowRight"] * ((presses + warmup) // 2 + 1) + ["ArrowLeft"] * presses
        for i, key in enumerate(keys[: presses + warmup]):
            page.evaluate(ARM, 30_000)
            page.keyboard.press(key)
            ms = page.evaluate("() => window.__lat")["ms"]
            page.wait_for_timeout(150)  # let the slider's own debounce settle between presses
            if i < warmup:
                continue
            if ms is None:
                misses += 1
            else:
                times.append(ms / 1000)
        row.update(
            median_ms=median(times) * 1000,
            p95_ms=percentile(times, 95) * 1000,
            n=len(times),
            misses=misses,
            errors=[],
        )
        if page.get_by_test_id("stException").count():
            row["errors"] = [page.get_by_test_id("stException").first.inner_text()[:200]]
    except Exception as exc:
        row["errors"] = [repr(exc)[:300]]
    finally:
        page.close()
    return row


def cold_start(browser: Any, runs: int) -> dict:
    """``streamlit run`` → home page fully drawn, fresh server each time."""
    ready, drawn = [], []
    for _ in range(runs):
        srv = start_server(APP, name="cold")
        ctx = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 720})
        try:
            page = ctx.new_page()
            page.goto(srv.url + "/")
            wait_drawn(page)
            drawn.append(time.perf_counter() - srv.started)
            ready.append(srv.ready)
        finally:
            ctx.close()
            stop_server_proc(srv.proc)
    return {
        "runs": runs,
        "server_ready_s": median(ready),
        "drawn_median_s": median(drawn),
        "drawn_max_s": max(drawn) if drawn else float("nan"),
    }


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-N", "--presses", type=int, default=12)
    ap.add_argument("--cold", type=int, default=3, help="cold-start repetitions (0: skip)")
    ap.add_argument("--pages", default="")
    ap.add_argument("--option", action="append", default=[])
    ap.add_argument("--json", default="bench/out/browser_latency.json")
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    pages = set(filter(None, args.pages.split(",")))
    views = [v for v in VIEWS if v.name == "default" and (not pages or v.page in pages)]
    options = [f"--{o}" for o in args.option]
    info = machine() | {"options": args.option, "presses": args.presses}
    print(f"browser latency: {info}", flush=True)
    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        ctx = browser.new_context(
            locale="en-US", viewport={"width": 1280, "height": 720}, device_scale_factor=1
        )
        try:
            with (
                server(EMPTY_APP, options, name="empty") as empty,
                server(APP, options, name="app") as app,
            ):
                # The floor drifts on shared cores (44-85 ms within one hour here): it is
                # measured before every page and once more at the end, and each page is
                # set against the two floors around it.
                floors = []

                def floor() -> None:
                    floors.append(measure_page(ctx, empty.url, EMPTY_VIEW, args.presses))
                    print(f"  floor  {floors[-1].get('median_ms', float('nan')):.0f} ms")

                for view in views:
                    floor()
                    row = measure_page(ctx, app.url, view, args.presses)
                    rows.append(row)
                    print(
                        f"  {view.page:<6} {row.get('median_ms', float('nan')):.0f}/"
                        f"{row.get('p95_ms', float('nan')):.0f} ms {row.get('errors')}",
                        flush=True,
                    )
                floor()
            floor_ms = median([f["median_ms"] for f in floors if "median_ms" in f])
            for i, row in enumerate(rows):
                around = [f["median_ms"] for f in floors[i : i + 2] if "median_ms" in f]
                if "median_ms" in row and around:
                    row["floor_ms"] = sum(around) / len(around)
                    row["ratio"] = row["median_ms"] / row["floor_ms"]
            cold = cold_start(browser, args.cold) if args.cold else {}
            print(f"  cold start {cold}", flush=True)
        finally:
            ctx.close()
            browser.close()
    result = {"machine": info, "floors": floors, "floor_ms": floor_ms, "rows": rows, "cold": cold}
    write_json(args.json, result)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
