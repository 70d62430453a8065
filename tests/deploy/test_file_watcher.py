"""A plain ``streamlit run streamlit_app.py`` watches no source files.

Streamlit's default file watcher (``server.fileWatcherType = "auto"``) gives every new
session its own watcher: it resolves the path of every imported module and registers
inotify watches on the app's folder, which holds the ``.venv`` that ``make`` creates.
Measured on this machine (2026-12-06, 20 opens each, server CPU from /proc): a page open
cost 446 ms of CPU on home and 500 ms on the neural network with the default watcher,
20 ms and 54 ms without it. A class of 200 opening the link at once would queue for
minutes. The benchmarks and ``deploy/cluster.py`` always passed
``--server.fileWatcherType=none``, so they never saw it; the routes a lecturer uses
(``make run``, the README's plain command, Community Cloud) read only
``.streamlit/config.toml``.

This test starts the README's plain command, with no flag but the port, opens two pages
as two students would and, while both are open, counts the server's inotify watches in
/proc.
"""

from __future__ import annotations

import asyncio
import os
import pathlib
import subprocess
import sys
import tomllib

import pytest

from bench.stclient import StreamlitClient
from deploy.cluster import free_port, stop, wait_http

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_config_turns_the_file_watcher_off() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["fileWatcherType"] == "none"
    assert config["server"].get("runOnSave", False) is False


def inotify_watches(pid: int) -> int:
    """The number of inotify watches the process holds (0 when it has no inotify fd)."""
    count = 0
    fd_dir = pathlib.Path(f"/proc/{pid}/fd")
    for fd in fd_dir.iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target == "anon_inode:inotify":
            info = pathlib.Path(f"/proc/{pid}/fdinfo/{fd.name}").read_text()
            count += sum(1 for line in info.splitlines() if line.startswith("inotify wd:"))
    return count


@pytest.mark.slow
@pytest.mark.skipif(not pathlib.Path("/proc/self/fdinfo").is_dir(), reason="needs Linux /proc")
def test_a_plain_streamlit_run_opens_pages_without_watching_files(tmp_path: pathlib.Path) -> None:
    port = free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", "streamlit_app.py"]
    cmd += [f"--server.port={port}", "--server.address=127.0.0.1", "--server.headless=true"]
    log = tmp_path / "server.log"
    with open(log, "w") as fh:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=fh, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_http(f"{url}/_stcore/health", proc, 90, log)

        async def visit() -> tuple[list[bool], int]:
            # two students with the page open: a session's watches end with it
            async with (
                StreamlitClient(url, timeout=90) as a,
                StreamlitClient(url, timeout=90) as b,
            ):
                oks = [(await a.open("")).ok, (await b.open("neural-network")).ok]
                return oks, inotify_watches(proc.pid)

        oks, watches = asyncio.run(visit())
        assert oks == [True, True]
        assert watches == 0
    finally:
        stop(proc)
