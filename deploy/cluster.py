"""Several replicas of the app behind nginx, on loopback (``make cluster``).

    python deploy/cluster.py [--replicas 3] [--port 8080]      # serve until Ctrl-C
    python deploy/cluster.py --print-config --listen 80 \\
        --upstream app1:8501,app2:8501,app3:8501               # nginx.conf for a real host

Each replica is a plain ``streamlit run streamlit_app.py`` on its own loopback port;
nginx (``deploy/nginx.conf`` filled in) balances them with session affinity. All
replicas share one cookie secret, so a cookie signed by one replica is valid on the
others after a fail-over. The fail-over test (``tests/deploy``) and the scale-out
benchmark (``bench/classroom.py --replicas``) start the cluster through
:func:`cluster`.

nginx is Debian's (``apt-get install nginx``), or ``$NGINX``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import pathlib
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

ROOT = pathlib.Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "deploy" / "nginx.conf"
APP = "streamlit_app.py"
REPLICA_FLAGS = (
    "--server.headless=true",
    "--browser.gatherUsageStats=false",
    "--server.fileWatcherType=none",
    "--global.developmentMode=false",
)
# one refused connection marks a replica down for this long (then nginx tries it again)
UPSTREAM_OPTIONS = "max_fails=1 fail_timeout=10s"


def find_nginx() -> str:
    """$NGINX, else nginx on PATH or in /usr/sbin; a clear error when there is none."""
    env = os.environ.get("NGINX")
    if env and pathlib.Path(env).exists():
        return env
    for path in (shutil.which("nginx"), "/usr/sbin/nginx"):
        if path and pathlib.Path(path).exists():
            return path
    raise FileNotFoundError(
        "nginx not found: install it (Debian: apt-get install nginx) or set $NGINX"
    )


BROTLI_MODULE = pathlib.Path("/usr/lib/nginx/modules/ngx_http_brotli_filter_module.so")
BROTLI_SETTINGS = """    brotli on;
    brotli_comp_level 5;
    brotli_min_length 1024;
    brotli_types text/css text/plain text/javascript application/javascript
                 application/json image/svg+xml application/wasm font/ttf;"""


def render_config(
    upstreams: Sequence[str],
    *,
    listen: str,
    prefix: str,
    workers: str = "auto",
    brotli: bool | None = None,
) -> str:
    """deploy/nginx.conf with its @@MARKERS@@ filled in; ``brotli`` (default: whether
    Debian's brotli filter module is installed here) adds brotli next to gzip."""
    if brotli is None:
        brotli = BROTLI_MODULE.exists()
    if not upstreams:
        raise ValueError("at least one upstream replica is needed")
    lines = "\n".join(f"        server {u} {UPSTREAM_OPTIONS};" for u in upstreams)
    text = TEMPLATE.read_text()
    for marker, value in (
        ("@@UPSTREAMS@@", lines),
        ("@@LISTEN@@", listen),
        ("@@PREFIX@@", prefix.rstrip("/")),
        ("@@WORKERS@@", workers),
        ("@@MODULES@@", f"load_module {BROTLI_MODULE};" if brotli else ""),
        ("@@BROTLI@@", BROTLI_SETTINGS if brotli else ""),
    ):
        text = text.replace(marker, value)
    if "@@" in text:
        raise ValueError("deploy/nginx.conf has a marker render_config does not know")
    return text


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, proc: subprocess.Popen, timeout: float, log: pathlib.Path) -> None:
    t0 = time.monotonic()
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() - t0 > timeout:
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{url} did not answer within {timeout:.0f} s:\n{tail}")
        time.sleep(0.05)


def stop(proc: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@dataclass
class Replica:
    port: int
    proc: subprocess.Popen
    log: pathlib.Path

    @property
    def addr(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None


@dataclass
class Cluster:
    url: str  # nginx, the address students open
    replicas: list[Replica]
    nginx: subprocess.Popen
    prefix: pathlib.Path
    options: list[str] = field(default_factory=list)

    def replica(self, addr: str) -> Replica:
        """The replica nginx names in ``X-Replica`` (its upstream address)."""
        for r in self.replicas:
            if r.addr == addr:
                return r
        raise KeyError(addr)

    def kill(self, replica: Replica) -> None:
        """Kill a replica without warning (SIGKILL), as a crashed host would go."""
        replica.proc.kill()
        replica.proc.wait()

    def error_log(self) -> str:
        path = self.prefix / "error.log"
        return path.read_text(errors="replace") if path.exists() else ""


def start_replica(
    port: int, options: Sequence[str], env: dict[str, str], logdir: pathlib.Path
) -> Replica:
    log = logdir / f"replica-{port}.log"
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        APP,
        f"--server.port={port}",
        "--server.address=127.0.0.1",
        *REPLICA_FLAGS,
        *options,
    ]
    with open(log, "w") as fh:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=fh, stderr=subprocess.STDOUT, env=env)
    return Replica(port, proc, log)


@contextlib.contextmanager
def cluster(
    replicas: int = 3,
    *,
    port: int = 0,
    options: Sequence[str] = (),
    timeout: float = 120,
    workers: str = "1",
) -> Iterator[Cluster]:
    """Start ``replicas`` app servers and nginx in front of them; stop all on exit."""
    nginx_bin = find_nginx()
    prefix = pathlib.Path(tempfile.mkdtemp(prefix="explorables-cluster-"))
    # nginx workers drop to an unprivileged user when started as root: let them write
    for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (prefix / sub).mkdir(mode=0o777)
        (prefix / sub).chmod(0o777)
    prefix.chmod(0o755)
    env = os.environ | {"STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32)}
    started: list[Replica] = []
    nginx: subprocess.Popen | None = None
    try:
        for _ in range(replicas):
            started.append(start_replica(free_port(), options, env, prefix))
        for r in started:
            wait_http(f"http://{r.addr}/_stcore/health", r.proc, timeout, r.log)
        listen = f"127.0.0.1:{port or free_port()}"
        conf = prefix / "nginx.conf"
        conf.write_text(
            render_config(
                [r.addr for r in started], listen=listen, prefix=str(prefix), workers=workers
            )
        )
        nlog = prefix / "nginx.out"
        with open(nlog, "w") as fh:
            nginx = subprocess.Popen(
                [
                    nginx_bin,
                    "-p",
                    str(prefix),
                    "-e",
                    str(prefix / "error.log"),
                    "-c",
                    str(conf),
                    "-g",
                    "daemon off;",
                ],
                stdout=fh,
                stderr=subprocess.STDOUT,
            )
        url = f"http://{listen}"
        wait_http(f"{url}/_stcore/health", nginx, 30, nlog)
        yield Cluster(url, started, nginx, prefix, list(options))
    finally:
        if nginx is not None:
            stop(nginx, signal.SIGQUIT)  # graceful: let workers finish
        for r in started:
            stop(r.proc)
        shutil.rmtree(prefix, ignore_errors=True)


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--replicas", type=int, default=3)
    ap.add_argument("--port", type=int, default=8080, help="nginx's port on 127.0.0.1")
    ap.add_argument("--print-config", action="store_true", help="print an nginx.conf and exit")
    ap.add_argument("--listen", default="80", help="with --print-config: nginx's listen")
    ap.add_argument(
        "--upstream",
        default="127.0.0.1:8501,127.0.0.1:8502,127.0.0.1:8503",
        help="with --print-config: the replicas, comma-separated host:port",
    )
    ap.add_argument("--prefix", default="/var/lib/nginx", help="with --print-config")
    args = ap.parse_args(argv)
    if args.print_config:
        upstreams = [u.strip() for u in args.upstream.split(",") if u.strip()]
        print(render_config(upstreams, listen=args.listen, prefix=args.prefix))
        return 0
    if args.replicas < 1:
        ap.error("--replicas must be at least 1")

    # SIGTERM (systemd, kill, a CI runner) stops everything as Ctrl-C does: the context
    # manager below then stops nginx and every replica.
    def _terminate(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _terminate)
    print(f"starting {args.replicas} replicas and nginx ...", flush=True)
    try:
        with cluster(args.replicas, port=args.port, workers="auto") as c:
            for r in c.replicas:
                print(f"  replica {r.addr} (pid {r.proc.pid}, log {r.log})")
            print(
                f"open {c.url}  (nginx config and logs in {c.prefix}); Ctrl-C stops all", flush=True
            )
            while c.nginx.poll() is None and any(r.alive for r in c.replicas):
                time.sleep(0.5)
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM: the context manager has stopped all
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
