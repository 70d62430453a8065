"""What each kind of element adds to the browser's time per move.

The empty app's slider alone (the floor), then with one or two of the home page's plotly
figures, a small dataframe, a table, a KaTeX formula or ten lines of markdown redrawn
on every move (``bench/elements_app.py``). Same timing as ``bench/browser_latency.py``:
key press → rerun finished → two animation frames, median over N presses, each variant
twice (interleaved), reported as milliseconds and as a ratio to the floor.

    python bench/browser_elements.py [-N 10] [--json bench/out/browser_elements.json]
"""

from __future__ import annotations

import argparse
import pathlib
import sys
from typing import Any

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from bench.browser_latency import ARM, CHARTS, CHROMIUM, FLAGS, instrument, wait_drawn
from bench.common import machine, median, server, write_json

VARIANTS = ("floor", "fig1", "fig1,fig2", "df", "table", "latex", "md")


def measure(ctx: Any, url: str, parts: str, presses: int, warmup: int = 2) -> list[float]:
    page = ctx.new_page()
    page.set_default_timeout(120_000)
    try:
        page.goto(f"{url}/?parts={parts}")
        wait_drawn(page)
        charts = parts.count("fig")
        if charts:
            page.wait_for_function(
                f"n => [...document.querySelectorAll('{CHARTS}')]"
                ".filter(c => c.querySelector('.main-svg')).length >= n",
                arg=charts,
            )
        page.wait_for_timeout(500)
        slider = page.locator(".st-key-x input[type=range]").first
        slider.focus()
        times = []
        for i in range(presses + warmup):
            page.evaluate(ARM, 10_000)
            page.keyboard.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
            ms = page.evaluate("() => window.__lat")["ms"]
            page.wait_for_timeout(150)
            if ms is not None and i >= warmup:
                times.append(ms)
        return times
    finally:
        page.close()


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-N", "--presses", type=int, default=10)
    ap.add_argument("--json", default="bench/out/browser_elements.json")
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    info = machine() | {"presses": args.presses}
    print(f"browser elements: {info}", flush=True)
    times: dict[str, list[float]] = {v: [] for v in VARIANTS}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        ctx = browser.new_context(
            # tall enough that every element is on screen (off-screen charts draw late)
            locale="en-US",
            viewport={"width": 1280, "height": 2000},
            device_scale_factor=1,
        )
        instrument(ctx)
        try:
            with server("bench/elements_app.py", name="elements") as srv:
                for _ in range(2):
                    for v in VARIANTS:
                        times[v] += measure(ctx, srv.url, v, args.presses)
                        print(f"    {v}: {len(times[v])} presses timed", flush=True)
        finally:
            ctx.close()
            browser.close()
    floor = median(times["floor"])
    rows = []
    for v in VARIANTS:
        m = median(times[v])
        rows.append({"parts": v, "median_ms": m, "n": len(times[v]), "ratio": m / floor})
        print(f"  {v:<10} {m:.0f} ms  ({m / floor:.1f}× floor, n={len(times[v])})", flush=True)
    write_json(args.json, {"machine": info, "rows": rows})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
