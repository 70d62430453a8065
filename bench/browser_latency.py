"""Browser latency in headless Chromium: key press on a slider → rerun finished + two
animation frames, per page, next to the empty Streamlit app measured in the same run.

For each page's default view (``bench/common.py``) one tab opens the page and another the
empty Streamlit app (``bench/empty_app.py``, one slider: the floor); each waits until it
is idle and every figure is drawn and focuses its slider. Then the two are pressed in
turn, N times each (ArrowRight, then back with ArrowLeft): floor, page, floor, page...
Each press is timed inside its page: ``keydown`` → ``[data-testid=stApp]``
``data-test-script-state`` goes ``running`` and back to ``notRunning`` → two
``requestAnimationFrame`` callbacks. The ratio is the page's median over the floor's
median from the same minutes. The first row is an A/A check: the empty app against
itself, which should come out near 1.0x.

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
# Marks the end of every rerun. Installed in each page before Streamlit runs (a context's
# init script), it listens to Streamlit's own websocket and fires "app-script-finished"
# when a ForwardMsg carries a final script_finished (field 6: 0 success, 1 compile error,
# 3 fragment run; 2, "finished early for a rerun", is not an end). The script state
# attribute (data-test-script-state) cannot mark it: a fast rerun's "running" and
# "notRunning" land in one React commit, so the attribute never changes and the press was
# taken for a miss (seen on the empty app: 3 presses in 8 looked lost).
WS_HOOK = """(() => {
  const Native = window.WebSocket;
  if (!Native || Native.__appHooked) return;
  const finalStatus = (buf) => {
    const b = new Uint8Array(buf);
    let i = 0;
    const varint = () => {
      let x = 0, s = 0, c;
      do { c = b[i++]; x += (c & 0x7f) * 2 ** s; s += 7; } while (c & 0x80 && i < b.length);
      return x;
    };
    while (i < b.length) {
      const tag = varint(), field = Math.floor(tag / 8), wire = tag & 7;
      if (wire === 0) { const v = varint(); if (field === 6) return v; }
      else if (wire === 2) { const n = varint(); i += n; } // not i += varint(): i is read first
      else if (wire === 5) i += 4;
      else if (wire === 1) i += 8;
      else return null;
    }
    return null;
  };
  window.__appFinalStatus = finalStatus; // for tests/e2e/test_bench_timer.py
  class Hooked extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        if (!(e.data instanceof ArrayBuffer)) return;
        const s = finalStatus(e.data);
        if (s === 0 || s === 1 || s === 3) {
          window.__appFinished = (window.__appFinished || 0) + 1;
          window.dispatchEvent(new Event('app-script-finished'));
        }
      });
    }
  }
  Hooked.__appHooked = true;
  window.WebSocket = Hooked;
})();"""


def instrument(ctx: Any) -> None:
    """Every page of the browser context reports the end of each rerun (``WS_HOOK``)."""
    ctx.add_init_script(WS_HOOK)


# Arms a one-shot timer: keydown → the rerun's final script_finished arrives (WS_HOOK) →
# two animation frames (the deltas before it are drawn by then).
ARM = """(timeoutMs) => { window.__lat = new Promise((resolve) => {
  let t0 = null;
  document.addEventListener('keydown', () => { if (t0 === null) t0 = performance.now(); },
                            {capture: true, once: true});
  const done = () => {
    if (t0 === null) return;
    window.removeEventListener('app-script-finished', done);
    requestAnimationFrame(() => requestAnimationFrame(
      () => resolve({ms: performance.now() - t0})));
  };
  window.addEventListener('app-script-finished', done);
  setTimeout(() => {
    window.removeEventListener('app-script-finished', done);
    resolve({ms: null});
  }, timeoutMs);
}); }"""


def wait_drawn(page: Any, timeout: float = 120_000) -> None:
    page.wait_for_selector("[data-testid='stAppViewContainer']", timeout=timeout)
    page.wait_for_selector(CONNECTED, timeout=timeout)
    page.wait_for_selector(IDLE, timeout=timeout)
    page.wait_for_function(ALL_CHARTS_DRAWN, timeout=timeout)
    page.evaluate(TWO_FRAMES)


class Tab:
    """One view open in its own tab, its slider focused, ready to be pressed."""

    def __init__(self, ctx: Any, base: str, view: View, warmup: int) -> None:
        self.view = view
        self.page = ctx.new_page()
        self.page.set_default_timeout(120_000)
        self.page.goto(f"{base}/{view.path}")
        wait_drawn(self.page)
        self.page.wait_for_timeout(300)
        self.errors = self.exceptions()
        self.slider = self.page.locator(f".st-key-{view.key} input[type=range]").first
        self.slider.scroll_into_view_if_needed()
        self.slider.focus()
        self.pressed = 0
        for _ in range(warmup):
            self.press()

    def exceptions(self) -> list[str]:
        found = self.page.get_by_test_id("stException")
        return [found.first.inner_text()[:200]] if found.count() else []

    def press(self) -> float | None:
        """One key press, timed in the page (s); None when it started no rerun. The slider
        goes six steps right, six back left, and so on: twelve steps one way ran the
        neural network's noise slider into its end, where a press changes nothing."""
        key = "ArrowRight" if (self.pressed // 6) % 2 == 0 else "ArrowLeft"
        self.pressed += 1
        self.page.bring_to_front()  # the slider keeps its focus
        self.page.evaluate(ARM, 10_000)
        self.page.keyboard.press(key)
        ms = self.page.evaluate("() => window.__lat")["ms"]
        self.page.wait_for_timeout(150)  # let the slider's own debounce settle between presses
        return None if ms is None else ms / 1000

    def close(self) -> None:
        self.page.close()


def timings(times: list[float | None]) -> dict[str, Any]:
    got = [x for x in times if x is not None]
    return {
        "median_ms": median(got) * 1000,
        "p95_ms": percentile(got, 95) * 1000,
        "n": len(got),
        "misses": len(times) - len(got),
    }


def measure_page(
    ctx: Any, empty: str, base: str, view: View, presses: int, warmup: int = 2
) -> dict:
    """The view and the empty app, each in its own tab, pressed in turn: floor, page,
    floor, page... The floor drifts on shared cores (44-86 ms within one hour here), and
    a floor measured minutes away from the page made ratios move 2x between runs; pressed
    in turn, both see the same machine."""
    row: dict[str, Any] = {"page": view.page, "view": view.name, "key": view.key}
    tabs: list[Tab] = []
    try:
        floor = Tab(ctx, empty, EMPTY_VIEW, warmup)
        tabs.append(floor)
        tab = Tab(ctx, base, view, warmup)
        tabs.append(tab)
        if tab.errors:
            row["errors"] = tab.errors
            return row
        floor_times, page_times = [], []
        for _ in range(presses):
            floor_times.append(floor.press())
            page_times.append(tab.press())
        f = timings(floor_times)
        row.update(timings(page_times))
        row.update(
            floor_ms=f["median_ms"],
            floor_p95_ms=f["p95_ms"],
            floor_misses=f["misses"],
            ratio=row["median_ms"] / f["median_ms"],
            errors=tab.exceptions(),
        )
    except Exception as exc:
        row["errors"] = [repr(exc)[:300]]
    finally:
        for t in tabs:
            t.close()
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
    ap.add_argument("--pages", default="", help="chapter keys, e.g. home,gd (default: all)")
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
        instrument(ctx)
        try:
            with (
                server(EMPTY_APP, options, name="empty") as empty,
                server(APP, options, name="app") as app,
            ):
                # An A/A check first: the empty app against itself must come out near 1.0x,
                # or the tabs disturb each other and no ratio below means anything.
                for view in [EMPTY_VIEW, *views]:
                    base = empty.url if view is EMPTY_VIEW else app.url
                    row = measure_page(ctx, empty.url, base, view, args.presses)
                    rows.append(row)
                    print(
                        f"  {view.page:<6} {row.get('median_ms', float('nan')):.0f}/"
                        f"{row.get('p95_ms', float('nan')):.0f} ms, floor "
                        f"{row.get('floor_ms', float('nan')):.0f} ms, "
                        f"{row.get('ratio', float('nan')):.2f}x {row.get('errors')}",
                        flush=True,
                    )
            floors = [r["floor_ms"] for r in rows if "floor_ms" in r]
            floor_ms = median(floors) if floors else float("nan")
            cold = cold_start(browser, args.cold) if args.cold else {}
            print(f"  cold start {cold}", flush=True)
        finally:
            ctx.close()
            browser.close()
    result = {"machine": info, "floor_ms": floor_ms, "rows": rows, "cold": cold}
    write_json(args.json, result)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
