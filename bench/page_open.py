"""Server CPU per page open: what one student's first visit to a chapter costs.

For the empty app (the floor: ``bench/empty_app.py``) and each chapter's default view,
one server is started and warmed by two visits (imports, shared caches: the lecturer's
own visit); then ``-R`` students open the page one after another, each a fresh websocket
session (``bench/stclient.py``). Reported per page: the server's CPU time per open
(user + system, from /proc, so it hardly depends on the machine's other load) and the
open latency. A class opening a link at once costs about N x this CPU, shared by the
replicas.

    python bench/page_open.py [--pages home,nn] [-R 20] [--json bench/out/page_open.json]
"""

from __future__ import annotations

import argparse
import asyncio
import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from bench.common import (
    APP,
    EMPTY_APP,
    EMPTY_VIEW,
    VIEWS,
    machine,
    median,
    percentile,
    server,
    write_json,
)
from bench.stclient import StreamlitClient


async def _open(url: str, path: str) -> tuple[float, list[str]]:
    async with StreamlitClient(url, timeout=120) as c:
        r = await c.open(path)
        return r.latency, r.exceptions


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", default="home,gd,nn,att,inside,nt,scale")
    ap.add_argument("-R", "--opens", type=int, default=20)
    ap.add_argument("--json", default="bench/out/page_open.json")
    args = ap.parse_args(argv)
    pages = args.pages.split(",")
    views = [EMPTY_VIEW] + [v for p in pages for v in VIEWS if v.page == p and v.name == "default"]
    info = machine() | {"opens": args.opens}
    print(f"page open: {info}", flush=True)
    rows = []
    for view in views:
        app, path = (EMPTY_APP, "") if view is EMPTY_VIEW else (APP, view.path)
        with server(app, name=f"open-{view.page}") as srv:
            for _ in range(2):
                asyncio.run(_open(srv.url, path))
            cpu, lat, errors = [], [], []
            for _ in range(args.opens):
                c0 = srv.cpu_seconds()
                latency, exc = asyncio.run(_open(srv.url, path))
                time.sleep(0.05)  # let the session's last messages and cleanup finish
                cpu.append(srv.cpu_seconds() - c0)
                lat.append(latency)
                errors += exc
            row = {
                "page": view.page,
                "cpu_ms": median(cpu) * 1000,
                # /proc counts in 10 ms ticks: the mean over all opens is the finer figure
                "cpu_mean_ms": sum(cpu) / len(cpu) * 1000,
                "cpu_p95_ms": percentile(cpu, 95) * 1000,
                "open_ms": median(lat) * 1000,
                "open_p95_ms": percentile(lat, 95) * 1000,
                "errors": sorted({e[:80] for e in errors}),
            }
            rows.append(row)
            print(
                f"  {view.page:6} cpu {row['cpu_mean_ms']:.1f} mean, {row['cpu_ms']:.0f}/"
                f"{row['cpu_p95_ms']:.0f} ms  "
                f"open {row['open_ms']:.0f}/{row['open_p95_ms']:.0f} ms  {row['errors']}",
                flush=True,
            )
    write_json(args.json, {"machine": info, "rows": rows})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
