"""Shared pieces of the benchmarks: a Streamlit server we start and stop ourselves,
its memory read from /proc, the views measured on every page, and small statistics.

Every benchmark starts its own server on a free loopback port (never the one a
developer is using) and kills it, and only it, when done.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import pathlib
import platform
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from deploy.cluster import REPLICA_FLAGS, free_port
from ui.model.scale import MODELS as SCALE_MODELS

ROOT = pathlib.Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
APP = "streamlit_app.py"
EMPTY_APP = "bench/empty_app.py"

#: The flags the e2e tests use (tests/e2e/conftest.py), plus nothing else: the server
#: reads .streamlit/config.toml like in production. The same flags and port picker as
#: the replicas of deploy/cluster.py, so a benchmark server is one replica.
BASE_FLAGS = REPLICA_FLAGS


@dataclass
class Server:
    """A `streamlit run` process that this benchmark owns."""

    proc: subprocess.Popen
    url: str
    started: float  # perf_counter at Popen
    ready: float  # seconds from Popen to /_stcore/health answering
    log: pathlib.Path

    @property
    def pid(self) -> int:
        return self.proc.pid

    def rss_mb(self) -> float:
        return proc_status_kb(self.pid, "VmRSS") / 1024

    def peak_rss_mb(self) -> float:
        """High-water mark of the resident set (VmHWM) since the process started."""
        return proc_status_kb(self.pid, "VmHWM") / 1024

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server process (all threads)."""
        fields = pathlib.Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = os.sysconf("SC_CLK_TCK")
        return (int(fields[11]) + int(fields[12])) / ticks


def proc_status_kb(pid: int, name: str) -> int:
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(name + ":"):
            return int(line.split()[1])
    raise KeyError(name)


def start_server(
    app: str = APP, options: Sequence[str] = (), *, name: str = "server", timeout: float = 120
) -> Server:
    """Start ``streamlit run app`` on a free port and wait until it answers."""
    port = free_port()
    log = pathlib.Path(os.environ.get("BENCH_TMP", "/tmp")) / f"bench-{name}-{port}.log"
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        app,
        f"--server.port={port}",
        "--server.address=127.0.0.1",
        *BASE_FLAGS,
        *options,
    ]
    t0 = time.perf_counter()
    with open(log, "w") as fh:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=fh, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.perf_counter() - t0 > timeout:
            stop_server_proc(proc)
            raise RuntimeError(f"streamlit did not start ({app}): {log.read_text()[-2000:]}")
        time.sleep(0.05)
    return Server(proc, url, t0, time.perf_counter() - t0, log)


def stop_server_proc(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextlib.contextmanager
def server(
    app: str = APP, options: Sequence[str] = (), *, name: str = "server"
) -> Iterator[Server]:
    s = start_server(app, options, name=name)
    try:
        yield s
    finally:
        stop_server_proc(s.proc)


# ── what is measured on each page ────────────────────────────────────────────────
@dataclass(frozen=True)
class View:
    """A page in one state, and the control a student moves there.

    ``setup`` is applied widget by widget after the page opens (values are option
    indices for choice widgets, so the view does not depend on translated labels).
    ``url`` is the same view as a shareable query string (English labels).
    """

    page: str  # chapter key
    path: str  # URL path
    name: str  # "default" | "heavy"
    setup: tuple[tuple[str, Any], ...]
    url: str
    key: str  # the widget moved in every interaction
    values: tuple[Any, ...]  # cycled through, so most moves are new values
    note: str = ""
    tags: tuple[str, ...] = field(default=())


def _sweep(lo: float, hi: float, n: int, digits: int = 2) -> tuple[float, ...]:
    return tuple(round(lo + (hi - lo) * i / (n - 1), digits) for i in range(n))


LONG_PROMPT = (
    "Yesterday it was rainy, so I stayed at home and read a book about the sea. "
    "Today the sun is out and the birds are singing in the trees, and I want to go"
)
SIXTEEN_TOKENS = "the cat sat on the mat and the dog ate my milk then it ran into the garden"

VIEWS: tuple[View, ...] = (
    View("home", "", "default", (), "/", "home_w", _sweep(0.2, 4.2, 21), "slope slider"),
    View(
        "home",
        "",
        "heavy",
        (("home_bias", True),),
        "/?home_bias=true",
        "home_w",
        _sweep(0.2, 4.2, 21),
        "two parameters (bias on)",
    ),
    View(
        "gd",
        "gradient-descent",
        "default",
        (),
        "/gradient-descent",
        "gd_lr",
        (6, 7, 8, 9, 5, 10, 4),
        "learning-rate slider (full rerun)",
    ),
    View(
        "gd",
        "gradient-descent",
        "heavy",
        (
            *((f"gd_o_{o}", True) for o in ("momentum", "nesterov", "adagrad", "rmsprop", "adam")),
            ("gd_land", 2),
            ("gd_res", 4),
        ),
        "/gradient-descent?gd_o_momentum=true&…(all six)&gd_land=Rosenbrock&gd_res=100",
        "gd_lr",
        (6, 7, 8, 9, 5, 10, 4),
        "race of six optimizers on Rosenbrock, 100×100 surface",
    ),
    View(
        "nn",
        "neural-network",
        "default",
        (),
        "/neural-network",
        "nn_noise",
        _sweep(0.0, 0.5, 11),
        "playground noise slider (fragment)",
    ),
    View(
        "nn",
        "neural-network",
        "heavy",
        (("nn_layers", 4), ("nn_width", 16), ("nn_n", 500)),
        "/neural-network?nn_layers=4&nn_width=16&nn_n=500",
        "nn_noise",
        _sweep(0.0, 0.5, 11),
        "4 hidden layers × 16, 500 points",
    ),
    View(
        "att",
        "attention",
        "default",
        (),
        "/attention",
        "att_temp",
        _sweep(0.2, 3.0, 15),
        "temperature slider (full rerun)",
    ),
    View(
        "att",
        "attention",
        "heavy",
        (("att_text", SIXTEEN_TOKENS), ("att_heads", 3)),
        "/attention?att_text=…(16 tokens)&att_heads=4",
        "att_temp",
        _sweep(0.2, 3.0, 15),
        "16 tokens, 4 heads",
    ),
    View(
        "inside",
        "inside",
        "default",
        (),
        "/inside",
        "in_merges",
        tuple(range(0, 31)),
        "BPE merge slider (fragment)",
    ),
    View(
        "inside",
        "inside",
        "default·follow",
        (),
        "/inside",
        "in_follow",
        tuple(range(8)),
        "token followed through the model (pills, fragment)",
    ),
    View(
        "inside",
        "inside",
        "default·generate",
        (),
        "/inside",
        "in_gen",
        tuple(range(1, 25)),
        "tokens generated with the KV cache (fragment)",
    ),
    View(
        "inside",
        "inside",
        "heavy",
        (("in_source", 1),),
        "/inside?in_source=corpus",
        "in_merges",
        tuple(range(0, 61, 2)),
        "BPE trained on the tiny GPT's corpus sample (about 1,500 characters)",
    ),
    View(
        "nt",
        "next-token",
        "default",
        (),
        "/next-token",
        "nt_n",
        tuple(range(5, 31, 2)),
        "number of generated tokens (full rerun)",
    ),
    View(
        "nt",
        "next-token",
        "heavy",
        (("nt_prompt", LONG_PROMPT), ("nt_mode", 1), ("nt_n", 40)),
        "/next-token?nt_prompt=…(long)&nt_mode=sample&nt_n=40",
        "nt_temp",
        _sweep(0.2, 3.0, 15),
        "long prompt, sampling, 40 generated tokens; temperature slider",
    ),
    View(
        "scale",
        "scale",
        "default",
        (),
        "/scale",
        "scale_util",
        tuple(range(20, 81, 5)),
        "utilisation slider, per cent (full rerun)",
    ),
    View(
        "scale",
        "scale",
        "heavy",
        (("scale_model", SCALE_MODELS.index("llama2-70b")),),
        "/scale?scale_model=llama2-70b",
        "scale_util",
        tuple(range(20, 81, 5)),
        "Llama 2 70B",
    ),
)

EMPTY_VIEW = View("empty", "", "floor", (), "bench/empty_app.py", "x", tuple(range(1, 31)))


# ── statistics and the report header ─────────────────────────────────────────────
def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    if not values:
        return float("nan")
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(-(-q * len(s) // 100)) - 1))
    return s[k]


def median(values: Sequence[float]) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def machine() -> dict[str, Any]:
    load = os.getloadavg()
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": os.cpu_count(),
        "load": f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}",
        "python": platform.python_version(),
        "streamlit": _version("streamlit"),
    }


def _version(pkg: str) -> str:
    from importlib.metadata import version

    try:
        return version(pkg)
    except Exception:
        return "?"


def write_json(path: str, data: Any) -> None:
    """Write a benchmark's results to ``path`` (its folder made if needed) and say so."""
    out = pathlib.Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, indent=1, ensure_ascii=False))
    print(f"wrote {out}")


def fmt_ms(seconds: float) -> str:
    return "–" if seconds != seconds else f"{seconds * 1000:.0f}"


def fmt_kb(n: float) -> str:
    return "–" if n != n else f"{n / 1000:.1f}"
