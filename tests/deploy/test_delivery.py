"""Delivery through deploy/: text assets are compressed, hashed static files are cached
for long, and `deploy/cluster.py` stops its replicas and nginx on SIGTERM as on Ctrl-C."""

from __future__ import annotations

import os
import pathlib
import re
import signal
import subprocess
import sys
import time
import urllib.request

from deploy.cluster import BROTLI_MODULE, cluster, free_port

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _get(url: str, **headers: str):
    req = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.status, dict(r.headers), r.read()


def test_nginx_compresses_text_and_caches_hashed_static_files() -> None:
    with cluster(1, port=free_port()) as c:
        _, _, html = _get(c.url + "/")
        scripts = re.findall(rb'src="\.?/?(static/js/[^"]+\.js)"', html)
        assert scripts, "no script in the page"
        status, headers, body = _get(
            f"{c.url}/{scripts[0].decode()}", **{"Accept-Encoding": "gzip"}
        )
        assert status == 200
        assert headers.get("Content-Encoding") == "gzip", headers
        assert "max-age=31536000" in headers.get("Cache-Control", ""), headers
        _, _, plain = _get(f"{c.url}/{scripts[0].decode()}")
        assert len(body) < 0.6 * len(plain), (len(body), len(plain))
        # brotli where Debian's module is installed (`make nginx` and CI install it)
        assert BROTLI_MODULE.exists(), "apt-get install libnginx-mod-http-brotli-filter"
        _, headers, br = _get(f"{c.url}/{scripts[0].decode()}", **{"Accept-Encoding": "br, gzip"})
        assert headers.get("Content-Encoding") == "br", headers
        assert len(br) < len(body), (len(br), len(body))


def test_sigterm_stops_replicas_and_nginx() -> None:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "deploy/cluster.py", "--replicas", "1", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    pids = []
    deadline = time.monotonic() + 90
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        pids += [int(p) for p in re.findall(r"pid (\d+)", line)]
        if line.startswith("open "):
            break
    assert pids, "the cluster did not start"
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=60) == 0
    for pid in pids:
        for _ in range(50):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        else:
            raise AssertionError(f"replica {pid} still running after SIGTERM")
    with __import__("pytest").raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=3)
