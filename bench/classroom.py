"""Classroom load: N students open the lecturer's link at once and move the same slider.

Each simulated student is a websocket client (``bench/stclient.py``, one session
each, like one browser tab). All N connect within a short ramp (``--ramp`` seconds,
default 2: "everyone clicks the link at the same moment"), open the page, then make K
interactions — the view's main slider moved to a random value from the view's sweep
— with 1–3 s of think time between them. The whole load generator runs in this one
process on the same machine as the server (its CPU time is reported too).

Reported per (page, N): p50/p95/max of the interaction latency (``rerun_script`` →
``script_finished``), the same for the first page load, errors (exceptions shown in
the page, timeouts, refused or dropped connections), the server's peak RSS (VmHWM
from /proc) and its CPU use over the run.

    python bench/classroom.py -N 50,100,200 -K 10 [--pages home] [--option a=b]
    python bench/classroom.py --soak 5 -N 100 -K 3    # waves on one server: RSS after each
    python bench/classroom.py -N 200 --replicas 2      # through nginx (deploy/cluster.py)

With ``--replicas R`` the students go through nginx to R replicas (``make cluster``'s
setup): each first loads the page over HTTP for its affinity cookie, like a browser;
memory and CPU are then summed over the replicas.

With ``--soak W`` the same server takes W waves of N students; the RSS after every
wave (sessions gone: the soak server runs with ``server.disconnectedSessionTTL=3``)
shows whether memory stays flat.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import pathlib
import random
import resource
import sys
import time
from typing import Any

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from bench.common import (
    VIEWS,
    Server,
    View,
    machine,
    median,
    percentile,
    proc_status_kb,
    server,
    write_json,
)
from bench.stclient import ProtocolError, StreamlitClient
from deploy.cluster import cluster


class Replicas:
    """The replicas of a cluster seen as one server: memory and CPU summed."""

    def __init__(self, c: Any) -> None:
        self.url = c.url
        self.servers = [Server(r.proc, f"http://{r.addr}", 0.0, 0.0, r.log) for r in c.replicas]
        self.cookies = True  # students fetch nginx's affinity cookie first

    def rss_mb(self) -> float:
        return sum(s.rss_mb() for s in self.servers)

    def peak_rss_mb(self) -> float:
        return sum(proc_status_kb(s.pid, "VmHWM") for s in self.servers) / 1024

    def cpu_seconds(self) -> float:
        return sum(s.cpu_seconds() for s in self.servers)


def affinity_cookie(url: str) -> str:
    """GET the page like a browser and keep nginx's affinity cookie."""
    import urllib.request

    with urllib.request.urlopen(url, timeout=60) as r:
        r.read()
        return r.headers.get("Set-Cookie", "").split(";", 1)[0]


async def student(
    srv: Any, view: View, k: int, think: tuple[float, float], ramp: float, rng: random.Random
) -> dict[str, Any]:
    out: dict[str, Any] = {"open": None, "moves": [], "errors": []}
    await asyncio.sleep(rng.uniform(0, ramp))
    try:
        headers = {}
        if getattr(srv, "cookies", False):
            cookie = await asyncio.to_thread(affinity_cookie, f"{srv.url}/{view.path}")
            headers = {"Cookie": cookie}
        async with StreamlitClient(srv.url, timeout=120, headers=headers) as c:
            r = await c.open(view.path)
            out["open"] = r.latency
            out["errors"] += r.exceptions
            for key, value in view.setup:
                await c.set(key, value)
            for _ in range(k):
                await asyncio.sleep(rng.uniform(*think))
                r = await c.set(view.key, rng.choice(view.values))
                out["moves"].append(r.latency)
                out["errors"] += r.exceptions
    except (ProtocolError, OSError, KeyError) as exc:
        out["errors"].append(type(exc).__name__ + ": " + str(exc)[:120])
    except Exception as exc:  # websockets handshake errors and the like
        out["errors"].append(type(exc).__name__ + ": " + str(exc)[:120])
    return out


async def sample_memory(srv: Any, stop: asyncio.Event, samples: list[float]) -> None:
    while not stop.is_set():
        samples.append(srv.rss_mb())
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 0.5)


async def wave(
    srv: Any, view: View, n: int, k: int, think: tuple[float, float], ramp: float, seed: int
) -> dict[str, Any]:
    rng = random.Random(seed)
    stop = asyncio.Event()
    rss: list[float] = []
    sampler = asyncio.create_task(sample_memory(srv, stop, rss))
    cpu0, t0 = srv.cpu_seconds(), time.perf_counter()
    me0 = resource.getrusage(resource.RUSAGE_SELF)
    students = [student(srv, view, k, think, ramp, random.Random(rng.random())) for _ in range(n)]
    results = await asyncio.gather(*students)
    wall = time.perf_counter() - t0
    cpu = srv.cpu_seconds() - cpu0
    me1 = resource.getrusage(resource.RUSAGE_SELF)
    stop.set()
    await sampler
    moves = [m for r in results for m in r["moves"]]
    opens = [r["open"] for r in results if r["open"] is not None]
    errors = [e for r in results for e in r["errors"]]
    return {
        "page": view.page,
        "view": view.name,
        "key": view.key,
        "n": n,
        "k": k,
        "interactions": len(moves),
        "expected": n * k,
        "p50_ms": median(moves) * 1000,
        "p95_ms": percentile(moves, 95) * 1000,
        "max_ms": (max(moves) if moves else float("nan")) * 1000,
        "open_p50_ms": median(opens) * 1000,
        "open_p95_ms": percentile(opens, 95) * 1000,
        "open_max_ms": (max(opens) if opens else float("nan")) * 1000,
        "errors": len(errors),
        "error_kinds": sorted({e[:80] for e in errors})[:5],
        "rss_start_mb": rss[0] if rss else float("nan"),
        "rss_peak_sampled_mb": max(rss) if rss else float("nan"),
        "vmhwm_mb": srv.peak_rss_mb(),
        "server_cpu_pct": 100 * cpu / wall,
        "loadgen_cpu_pct": 100
        * ((me1.ru_utime - me0.ru_utime) + (me1.ru_stime - me0.ru_stime))
        / wall,
        "wall_s": wall,
    }


def print_row(r: dict[str, Any]) -> None:
    print(
        f"  {r['page']:<6} N={r['n']:<4} K={r['k']:<3} p50 {r['p50_ms']:.0f} ms  "
        f"p95 {r['p95_ms']:.0f} ms  max {r['max_ms']:.0f} ms  open p95 {r['open_p95_ms']:.0f} ms  "
        f"errors {r['errors']}  peak RSS {r['vmhwm_mb']:.0f} MB  "
        f"server CPU {r['server_cpu_pct']:.0f}%  loadgen CPU {r['loadgen_cpu_pct']:.0f}%  "
        f"({r['wall_s']:.0f} s) {r['error_kinds'][:2]}",
        flush=True,
    )


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-N", default="50,100,200", help="comma-separated numbers of students")
    ap.add_argument("-K", type=int, default=10, help="interactions per student")
    ap.add_argument("--pages", default="home", help="chapter keys (default views)")
    ap.add_argument("--think", default="1,3", help="think time range in seconds")
    ap.add_argument("--ramp", type=float, default=2.0, help="students arrive within this (s)")
    ap.add_argument("--soak", type=int, default=0, help="waves on one server (memory check)")
    ap.add_argument("--option", action="append", default=[])
    ap.add_argument("--seed", type=int, default=8)
    ap.add_argument("--replicas", type=int, default=0, help="through nginx to this many")
    ap.add_argument("--json", default="bench/out/classroom.json")
    args = ap.parse_args(argv)
    ns = [int(x) for x in args.N.split(",")]
    lo, hi = (float(x) for x in args.think.split(","))
    pages = args.pages.split(",")
    options = [f"--{o}" for o in args.option]
    views = [v for p in pages for v in VIEWS if v.page == p and v.name == "default"]
    info = machine() | {
        "options": args.option,
        "think": [lo, hi],
        "ramp": args.ramp,
        "replicas": args.replicas or 1,
        "nginx": bool(args.replicas),
    }
    print(f"classroom: {info}", flush=True)
    # 200 sockets plus the server's: make sure the soft file limit is not the bottleneck
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, 4096)), hard))
    rows: list[dict[str, Any]] = []
    soak: list[dict[str, Any]] = []
    if args.soak:
        view = views[0]
        # sessions of closed tabs are kept for server.disconnectedSessionTTL (120 s by
        # default) in case the tab reconnects; a short TTL lets each wave's sessions go.
        ttl = 3.0
        soak_options = [*options, f"--server.disconnectedSessionTTL={ttl:g}"]
        with server(options=soak_options, name="soak") as srv:
            base = srv.rss_mb()
            print(f"  soak: RSS at start {base:.0f} MB", flush=True)
            for w in range(args.soak):
                r = asyncio.run(wave(srv, view, ns[0], args.K, (lo, hi), args.ramp, args.seed + w))
                time.sleep(ttl + 5)  # TTL, then the runtime's periodic cleanup
                r["rss_after_mb"] = srv.rss_mb()
                r["wave"] = w + 1
                soak.append(r)
                print_row(r)
                print(f"    after wave {w + 1}: RSS {r['rss_after_mb']:.0f} MB", flush=True)
            info["soak_rss_start_mb"] = base
    else:
        for view in views:
            for n in ns:
                with contextlib.ExitStack() as stack:
                    if args.replicas:
                        srv: Any = Replicas(
                            stack.enter_context(cluster(args.replicas, options=options))
                        )
                    else:
                        srv = stack.enter_context(server(options=options, name=f"class{n}"))
                    # one session first, as the lecturer opens the page before the class
                    warm = 3 * args.replicas if args.replicas else 1  # reach every replica
                    asyncio.run(wave(srv, view, warm, 1, (0, 0), 0, args.seed))
                    r = asyncio.run(wave(srv, view, n, args.K, (lo, hi), args.ramp, args.seed))
                    r["replicas"] = args.replicas or 1
                    rows.append(r)
                    print_row(r)
    write_json(args.json, {"machine": info, "rows": rows, "soak": soak})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
