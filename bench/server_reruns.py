"""Server-side rerun time and bytes per rerun, per page, through the real server.

For every view in ``bench/common.py`` (each page's default view and a heavy one) a
fresh session opens the page over the websocket protocol (``bench/stclient.py``),
applies the view's settings, warms up, and then

- *moves* the view's main control R times through distinct values (an interaction:
  a full rerun, or a fragment rerun when the control lives in an ``st.fragment``),
- *reruns* it R times unchanged (what pressing R or a reconnect costs).

Per view it reports the median and p95 of the latency seen by the client
(``rerun_script`` sent → ``script_finished`` received, loopback, TCP_QUICKACK), the
server's CPU time per interaction (from /proc; robust when other processes share the
CPU), and the bytes received per interaction (ForwardMsg payload; wire bytes too).
The empty app (``bench/empty_app.py``) is measured in the same run as the floor.

    python bench/server_reruns.py [-R 30] [--pages gd,att] [--option runner.postScriptGC=false]
        [--json bench/out/server_reruns.json]
"""

from __future__ import annotations

import argparse
import asyncio
import pathlib
import sys
import time
from typing import Any

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from bench.common import (
    EMPTY_APP,
    EMPTY_VIEW,
    VIEWS,
    Server,
    View,
    fmt_kb,
    fmt_ms,
    machine,
    median,
    percentile,
    server,
    write_json,
)
from bench.stclient import StreamlitClient


async def measure_view(srv: Server, view: View, reruns: int, warmup: int = 3) -> dict[str, Any]:
    out: dict[str, Any] = {
        "page": view.page,
        "view": view.name,
        "key": view.key,
        "url": view.url,
        "note": view.note,
    }
    async with StreamlitClient(srv.url) as c:
        first = await c.open(view.path)
        out["open_ms"] = first.latency * 1000
        out["open_kb"] = first.payload_bytes / 1000
        errors = list(first.exceptions)
        for key, value in view.setup:
            r = await c.set(key, value)
            errors += r.exceptions
        values = list(view.values)
        # warm-up: imports, caches for the first values, plotly's lazy pieces
        for i in range(warmup):
            r = await c.set(view.key, values[i % len(values)])
            errors += r.exceptions
        lat, payload, wire, frag = [], [], [], []
        cpu0 = srv.cpu_seconds()
        for i in range(reruns):
            value = values[(warmup + i) % len(values)]
            r = await c.set(view.key, value)
            lat.append(r.latency)
            payload.append(r.payload_bytes)
            wire.append(r.wire_bytes)
            frag.append(r.fragment)
            errors += r.exceptions
        cpu = (srv.cpu_seconds() - cpu0) / reruns  # /proc ticks are 10 ms: use the mean
        same_lat, same_bytes = [], []
        for _ in range(reruns):
            r = await c.rerun()
            same_lat.append(r.latency)
            same_bytes.append(r.payload_bytes)
            errors += r.exceptions
    out.update(
        fragment=all(frag),
        move_median_ms=median(lat) * 1000,
        move_p95_ms=percentile(lat, 95) * 1000,
        move_max_ms=max(lat) * 1000,
        cpu_mean_ms=cpu * 1000,
        kb_median=median(payload) / 1000,
        kb_max=max(payload) / 1000,
        wire_kb_median=median(wire) / 1000,
        rerun_median_ms=median(same_lat) * 1000,
        rerun_p95_ms=percentile(same_lat, 95) * 1000,
        rerun_kb_median=median(same_bytes) / 1000,
        n=reruns,
        errors=sorted(set(errors)),
    )
    return out


async def run_all(srv: Server, views: list[View], reruns: int) -> list[dict[str, Any]]:
    rows = []
    for view in views:
        t0 = time.perf_counter()
        try:
            row = await measure_view(srv, view, reruns)
        except Exception as exc:  # a broken page is a result, not a crash of the bench
            row = {"page": view.page, "view": view.name, "url": view.url, "errors": [repr(exc)]}
        rows.append(row)
        print(
            f"  {view.page:<6} {view.name:<8} move {fmt_ms(row.get('move_median_ms', float('nan')) / 1000)}"
            f"/{fmt_ms(row.get('move_p95_ms', float('nan')) / 1000)} ms  "
            f"cpu {row.get('cpu_mean_ms', float('nan')):.1f} ms  "
            f"{fmt_kb(row.get('kb_median', float('nan')) * 1000)} KB  "
            f"rerun {fmt_ms(row.get('rerun_median_ms', float('nan')) / 1000)} ms  "
            f"({time.perf_counter() - t0:.0f} s) {row['errors'][:1]}",
            flush=True,
        )
    return rows


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-R", "--reruns", type=int, default=30)
    ap.add_argument("--pages", default="", help="comma-separated chapter keys (default: all)")
    ap.add_argument("--views", default="default,heavy")
    ap.add_argument("--option", action="append", default=[], help="extra server option, e.g. a=b")
    ap.add_argument("--json", default="bench/out/server_reruns.json")
    args = ap.parse_args(argv)
    pages = set(filter(None, args.pages.split(",")))
    kinds = set(args.views.split(","))
    views = [v for v in VIEWS if (not pages or v.page in pages) and v.name.split("·")[0] in kinds]
    options = [f"--{o}" for o in args.option]
    info = machine() | {"options": args.option, "reruns": args.reruns}
    print(f"server reruns: {info}", flush=True)

    with server(EMPTY_APP, options, name="empty") as srv:
        floor = asyncio.run(run_all(srv, [EMPTY_VIEW], args.reruns))
    with server(options=options, name="app") as srv:
        rows = asyncio.run(run_all(srv, views, args.reruns))
        info["rss_mb_after"] = srv.rss_mb()
    result = {"machine": info, "floor": floor[0], "rows": rows}
    write_json(args.json, result)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
