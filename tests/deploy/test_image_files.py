"""The container image's files serve every page.

No Docker daemon runs here, so the image is not built; instead the test copies what
the Dockerfile's ``COPY . .`` would copy (the repository's files minus
``.dockerignore``) into an empty folder, starts the Dockerfile's command there, and opens
every chapter through the websocket client: a file the app needs but the image lacks
would show as an exception or a failed start.
"""

from __future__ import annotations

import asyncio
import fnmatch
import os
import pathlib
import re
import shlex
import shutil
import subprocess
import sys
import urllib.request

import pytest

from bench.stclient import StreamlitClient
from deploy.cluster import free_port, stop, wait_http
from ui.chapters import CHAPTERS

ROOT = pathlib.Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def ignore_patterns() -> list[str]:
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


def ignored(path: str, patterns: list[str]) -> bool:
    """.dockerignore matching for the forms this repository uses: a name or glob
    anchored at the root (which also covers everything below it), and ``**/glob``."""
    parts = path.split("/")
    for pat in patterns:
        if pat.startswith("**/"):
            if any(fnmatch.fnmatchcase(p, pat[3:]) for p in parts):
                return True
        else:
            depth = pat.count("/") + 1
            if fnmatch.fnmatchcase("/".join(parts[:depth]), pat):
                return True
    return False


def image_files() -> list[str]:
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    patterns = ignore_patterns()
    return [f for f in tracked.split("\0") if f and not ignored(f, patterns)]


def dockerfile_command() -> str:
    """The shell command of the Dockerfile's CMD ["sh", "-c", "..."]."""
    text = (ROOT / "Dockerfile").read_text()
    m = re.search(r'^CMD \["sh", "-c", "(.*)"\]\s*$', text, re.MULTILINE)
    assert m, "Dockerfile: CMD must be the sh -c form this test reads"
    return m.group(1)


def test_dockerignore_keeps_the_app_and_drops_the_rest() -> None:
    files = set(image_files())
    for needed in ("streamlit_app.py", "requirements.txt", ".streamlit/config.toml"):
        assert needed in files
    assert any(f.startswith("assets/") for f in files)
    assert any(f.startswith("locales/") for f in files)
    assert not any(f.startswith(("tests/", "bench/", ".git/")) for f in files)


def test_image_files_serve_every_page(tmp_path: pathlib.Path) -> None:
    for f in image_files():
        dest = tmp_path / f
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / f, dest)
    port = free_port()
    argv = shlex.split(dockerfile_command().removeprefix("exec "))
    assert argv[:2] == ["streamlit", "run"], argv
    # the image's python is on PATH; here it is this venv's
    cmd = [sys.executable, "-m", *argv]
    cmd = [a.replace("${PORT}", str(port)) for a in cmd]
    cmd = [a.replace("0.0.0.0", "127.0.0.1") for a in cmd]
    log = tmp_path / "server.log"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    with open(log, "w") as fh:
        proc = subprocess.Popen(cmd, cwd=tmp_path, stdout=fh, stderr=subprocess.STDOUT, env=env)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_http(f"{url}/_stcore/health", proc, 90, log)
        with urllib.request.urlopen(url, timeout=10) as r:
            assert r.status == 200

        async def visit() -> dict[str, list[str]]:
            problems: dict[str, list[str]] = {}
            for c in CHAPTERS:
                async with StreamlitClient(url, timeout=90) as client:
                    r = await client.open(c.url, "lang=ja")
                    if not r.ok or not client.widgets:
                        problems[c.url or "/"] = r.exceptions or [f"status {r.status}"]
            return problems

        problems = asyncio.run(visit())
        assert not problems, problems
        assert "Traceback" not in log.read_text()
    finally:
        stop(proc)
