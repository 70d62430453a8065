"""Bytes a student's browser downloads: the first load of a page and a repeat load, through
``deploy/`` (nginx in front of one replica, exactly as a class would reach it).

Chromium (Playwright) opens each page in a fresh browser context, waits until the page
has drawn its figures and the script is idle, and counts, from the DevTools protocol:

- HTTP bytes on the wire (``encodedDataLength``: compressed bodies plus headers), split
  into Streamlit's hashed static assets (``/static/``) and everything else;
- websocket bytes received (the page's elements and figures).

Then the same context opens the page again (a reload, as a student who comes back): the
hashed static files must come from the browser's cache (nginx gives them a one-year,
immutable lifetime), so their bytes are about 0.

    python bench/first_load.py [--pages home,att] [--json bench/out/first_load.json]

Target (issue 15): first load ≤ 3 MB per student; repeat load's static bytes ≈ 0.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import sys
import time
from typing import Any

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from bench.common import machine
from deploy.cluster import cluster
from scripts.find_chromium import on_path, playwright_build
from ui.chapters import CHAPTERS

TARGET_MB = 3.0
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


class Meter:
    """Counts the bytes of one page load from the DevTools protocol."""

    def __init__(self, page: Any) -> None:
        self.http_static = self.http_other = self.ws = 0
        self.requests = 0
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
        self.urls: dict[str, str] = {}
        self.cdp.on("Network.requestWillBeSent", self._sent)
        self.cdp.on("Network.loadingFinished", self._done)
        self.cdp.on("Network.webSocketFrameReceived", self._frame)

    def _sent(self, ev: dict) -> None:
        self.urls[ev["requestId"]] = ev["request"]["url"]

    def _done(self, ev: dict) -> None:
        n = int(ev.get("encodedDataLength", 0))
        self.requests += 1
        if "/static/" in self.urls.get(ev["requestId"], ""):
            self.http_static += n
        else:
            self.http_other += n

    def _frame(self, ev: dict) -> None:
        # binary frames come base64-encoded: 3 bytes per 4 characters
        data = ev["response"].get("payloadData", "")
        self.ws += len(data) * 3 // 4 if ev["response"].get("opcode") == 2 else len(data)

    def total(self) -> int:
        return self.http_static + self.http_other + self.ws


def load(page: Any, url: str) -> Meter:
    m = Meter(page)
    page.goto(url)
    page.wait_for_selector("[data-testid='stAppViewContainer']", timeout=90_000)
    page.wait_for_selector(IDLE, timeout=90_000)
    page.wait_for_timeout(1500)  # lazily loaded chunks (plotly) and the last frames
    page.wait_for_selector(IDLE, timeout=90_000)
    m.cdp.detach()
    return m


def measure(base: str, pages: list[str]) -> list[dict[str, Any]]:
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=os.environ.get("CHROMIUM") or on_path() or playwright_build()
        )
        for key in pages:
            chapter = next(c for c in CHAPTERS if c.key == key)
            url = f"{base}/{chapter.url}?lang=en"
            ctx = browser.new_context(locale="en-US")
            page = ctx.new_page()
            first = load(page, url)
            again = load(page, url)
            ctx.close()
            row = {
                "page": key,
                "first_kb": first.total() / 1000,
                "first_static_kb": first.http_static / 1000,
                "first_other_http_kb": first.http_other / 1000,
                "first_ws_kb": first.ws / 1000,
                "repeat_kb": again.total() / 1000,
                "repeat_static_kb": again.http_static / 1000,
                "requests": first.requests,
            }
            rows.append(row)
            print(
                f"  {key:7s} first {row['first_kb'] / 1000:.2f} MB (static "
                f"{row['first_static_kb']:.0f} KB, ws {row['first_ws_kb']:.0f} KB)  "
                f"repeat {row['repeat_kb']:.0f} KB (static {row['repeat_static_kb']:.1f} KB)",
                flush=True,
            )
    return rows


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", default=",".join(c.key for c in CHAPTERS))
    ap.add_argument("--json", default="bench/out/first_load.json")
    args = ap.parse_args(argv)
    info = machine() | {"target_mb": TARGET_MB, "via": "deploy/nginx.conf, 1 replica"}
    print(f"first load: {info}", flush=True)
    t0 = time.perf_counter()
    with cluster(1) as cl:
        rows = measure(cl.url, args.pages.split(","))
    info["wall_s"] = round(time.perf_counter() - t0, 1)
    out = pathlib.Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"info": info, "rows": rows}, indent=1))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
