"""Where a page's rerun time goes, sampled inside the real server.

Starts ``streamlit run`` under a small sampling profiler (every ~2 ms it records the
stack of each ``ScriptRunner.scriptThread`` and of the event-loop thread), drives one
view with ``bench/stclient.py`` (open, apply the view, move its control R times), stops
the server and prints the functions with the largest share of samples (inclusive),
so a page's cost can be traced to a line of our code.

    python bench/profile_page.py att [--view heavy] [-R 30] [--top 30]
    python bench/profile_page.py --serve ARGS...   # internal: the profiled server
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import os
import pathlib
import signal
import subprocess
import sys
import threading
import time
import urllib.request

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

ROOT = pathlib.Path(__file__).resolve().parents[1]


# ── the profiled server (runs in the child process) ──────────────────────────────
def _serve(argv: list[str]) -> None:
    out = pathlib.Path(os.environ["PROFILE_OUT"])
    reset = out.with_suffix(".reset")
    counts: dict[str, collections.Counter] = {
        "script": collections.Counter(),
        "script_self": collections.Counter(),
        "loop": collections.Counter(),
    }
    samples = {"script": 0, "loop": 0}
    main_id = threading.main_thread().ident

    def where(frame) -> str:
        code = frame.f_code
        name = code.co_filename
        if name.startswith(str(ROOT)):
            name = name[len(str(ROOT)) + 1 :]
        elif "site-packages/" in name:
            name = name.split("site-packages/", 1)[1]
        return f"{name}:{code.co_firstlineno} {code.co_name}"

    def sampler() -> None:
        names = {}
        last_dump = time.monotonic()
        while True:
            time.sleep(0.002)
            if time.monotonic() - last_dump > 0.5:  # streamlit owns SIGTERM: dump often
                if reset.exists():  # the driver finished its warm-up
                    reset.unlink()
                    for c in counts.values():
                        c.clear()
                    samples.update(script=0, loop=0)
                dump()
                last_dump = time.monotonic()
            frames = sys._current_frames()
            for t in threading.enumerate():
                names[t.ident] = t.name
            for tid, frame in frames.items():
                name = names.get(tid, "")
                if name.startswith("ScriptRunner"):
                    kind = "script"
                elif tid == main_id:
                    kind = "loop"
                else:
                    continue
                seen = set()
                leaf = True
                f = frame
                while f is not None:
                    w = where(f)
                    if leaf:
                        if kind == "script":
                            counts["script_self"][w] += 1
                        leaf = False
                    if w not in seen:
                        counts[kind][w] += 1
                        seen.add(w)
                    f = f.f_back
                if kind == "loop" and "select" in where(frame):
                    continue  # idle in the selector
                samples[kind] += 1

    def dump() -> None:
        data = {k: c.most_common(400) for k, c in counts.items()} | {"samples": dict(samples)}
        tmp = out.with_suffix(".tmp")
        tmp.write_text(json.dumps(data))
        tmp.replace(out)

    if os.environ.get("SWITCH_INTERVAL"):  # experiment: the GIL hand-over interval
        sys.setswitchinterval(float(os.environ["SWITCH_INTERVAL"]))
    if os.environ.get("PROFILE_SAMPLE", "1") == "1":
        threading.Thread(target=sampler, daemon=True, name="sampler").start()
    from streamlit.web import cli

    sys.argv = ["streamlit", *argv]
    cli.main()


# ── the driver ───────────────────────────────────────────────────────────────────
def main(argv: list[str]) -> int:
    if argv and argv[0] == "--serve":
        _serve(argv[1:])
        return 0
    from bench.common import BASE_FLAGS, VIEWS, free_port
    from bench.stclient import StreamlitClient

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("page", help="chapter key: home, gd, nn, att, nt, scale")
    ap.add_argument("--view", default="default")
    ap.add_argument("-R", "--reruns", type=int, default=30)
    ap.add_argument("--top", type=int, default=30)
    ap.add_argument("--option", action="append", default=[])
    ap.add_argument("--no-sample", action="store_true", help="latency only, no profiler")
    ap.add_argument("--rerun", action="store_true", help="plain full reruns, not moves")
    ap.add_argument("--open", action="store_true", help="page opens (a new session each)")
    ap.add_argument("--switch-interval", type=float, help="sys.setswitchinterval in the server")
    args = ap.parse_args(argv)
    view = next(v for v in VIEWS if v.page == args.page and v.name == args.view)
    port = free_port()
    prof = pathlib.Path(os.environ.get("BENCH_TMP", "/tmp")) / f"profile-{port}.json"
    cmd = [
        sys.executable,
        __file__,
        "--serve",
        "run",
        "streamlit_app.py",
        f"--server.port={port}",
        "--server.address=127.0.0.1",
        *BASE_FLAGS,
        *[f"--{o}" for o in args.option],
    ]
    log = open(prof.with_suffix(".log"), "w")  # noqa: SIM115
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        env=os.environ
        | {
            "PROFILE_OUT": str(prof),
            "PROFILE_SAMPLE": "0" if args.no_sample else "1",
            "SWITCH_INTERVAL": str(args.switch_interval or ""),
        },
        stdout=log,
        stderr=log,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.1)

        async def drive() -> list[float]:
            async with StreamlitClient(url) as c:
                await c.open(view.path)
                for key, value in view.setup:
                    await c.set(key, value)
                for i in range(3):  # warm-up: imports, caches
                    await c.set(view.key, view.values[-1 - i])
                prof.with_suffix(".reset").touch()
                await asyncio.sleep(1.2)  # the sampler resets its counts
                lat = []
                for i in range(args.reruns):
                    if args.open:  # a new student: a fresh session opens the view
                        async with StreamlitClient(url) as fresh:
                            r = await fresh.open(view.path)
                    elif args.rerun:  # the whole page, unchanged (what a reconnect costs)
                        r = await c.rerun()
                    else:
                        r = await c.set(view.key, view.values[i % len(view.values)])
                    lat.append(r.latency * 1000)
                return lat

        lat = asyncio.run(drive())
        if not args.no_sample:
            time.sleep(1.5)  # one more dump of the profile
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        log.close()
    s = sorted(lat)
    if args.no_sample:
        print(
            f"{view.page} {view.name}: {args.reruns} moves of {view.key}: median "
            f"{s[len(s) // 2]:.1f} ms, p95 {s[int(0.95 * (len(s) - 1))]:.1f} ms"
        )
        return 0
    data = json.loads(prof.read_text())
    n = data["samples"]["script"] or 1
    print(
        f"{view.page} {view.name}: {args.reruns} {'opens' if args.open else 'moves of ' + view.key}, median "
        f"{sorted(lat)[len(lat) // 2]:.0f} ms; {n} script-thread samples (~2 ms each)"
    )
    print("\ninclusive (script thread):")
    for w, c in data["script"][: args.top]:
        print(f"  {100 * c / n:5.1f}%  {w}")
    print("\nself (script thread):")
    for w, c in data["script_self"][:15]:
        print(f"  {100 * c / n:5.1f}%  {w}")
    m = data["samples"]["loop"]
    print(f"\nevent loop busy samples: {m}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
