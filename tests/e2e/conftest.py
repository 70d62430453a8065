"""Browser tests: the real app served by `streamlit run`, driven by Playwright in Chromium.

Fixtures
- ``app_url``: base URL of one server started for the whole session on a free port.
- ``browser_page(locale="en-US", width=1280, height=720)``: a fresh page in its own
  context; dialogs (alert/confirm) are recorded in ``page.dialogs`` and dismissed.
- ``goto(page, path="", **params)``: open ``/<path>?params`` and wait until the script
  has finished, failing on any ``stException``.
- ``wait_idle(page)``: wait for the current rerun to finish (no exception allowed).
- ``shot(page, name)``: save a full-page screenshot to tests/e2e/screenshots/<name>.png.

The browser is Debian's Chromium (or $CHROMIUM); without one the tests fail loudly
instead of being skipped: `make test` installs it.
"""

from __future__ import annotations

import os
import pathlib
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator

import pytest

pytestmark = pytest.mark.e2e

ROOT = pathlib.Path(__file__).resolve().parents[2]
SHOTS = ROOT / "tests" / "e2e" / "screenshots"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    # Software WebGL so that plotly's 3-D surfaces render without a GPU.
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
]
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def find_chromium() -> str:
    """$CHROMIUM, else chromium / chromium-browser / google-chrome on PATH."""
    env = os.environ.get("CHROMIUM")
    if env and pathlib.Path(env).exists():
        return env
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    pytest.fail("No Chromium found: set $CHROMIUM or run `make test`, which installs one.")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(
    log_name: str = "server.log", port: int | None = None
) -> tuple[subprocess.Popen, str]:
    """Start `streamlit run streamlit_app.py` on ``port`` (a free one by default); wait
    until it is healthy. The log is appended to, so a restart keeps the first run's."""
    port = port or _free_port()
    log_path = ROOT / "tests" / "e2e" / log_name
    log = open(log_path, "a")  # noqa: SIM115
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "streamlit", "run", "streamlit_app.py",
            "--server.headless", "true", "--server.port", str(port),
            "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none", "--global.developmentMode", "false",
        ],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail("streamlit did not start: " + log_path.read_text())
        time.sleep(0.3)


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    proc, url = start_server()
    yield url
    stop_server(proc)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    b = pw.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_FLAGS)
    yield b
    b.close()
    pw.stop()


@pytest.fixture
def browser_page(browser) -> Iterator[Callable[..., object]]:
    contexts = []

    def make(locale: str = "en-US", width: int = 1280, height: int = 720):
        ctx = browser.new_context(
            locale=locale,
            viewport={"width": width, "height": height},
            device_scale_factor=1,
            timezone_id="Asia/Tokyo",
        )
        contexts.append(ctx)
        page = ctx.new_page()
        page.dialogs = []

        def on_dialog(d):
            page.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", on_dialog)
        page.set_default_timeout(30_000)
        return page

    yield make
    for ctx in contexts:
        ctx.close()


def _wait_idle(page, timeout: float = 60_000) -> None:
    from playwright.sync_api import expect

    page.wait_for_timeout(200)
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-connection-state='CONNECTED']", timeout=timeout
    )
    page.wait_for_selector(IDLE, timeout=timeout)
    page.wait_for_timeout(150)
    page.wait_for_selector(IDLE, timeout=timeout)
    errors = page.get_by_test_id("stException")
    if errors.count():
        pytest.fail(
            "exception on the page: " + " | ".join(e.inner_text()[:1500] for e in errors.all())
        )
    expect(errors).to_have_count(0)


@pytest.fixture
def wait_idle() -> Callable[..., None]:
    return _wait_idle


def _click_fast(page, target, times: int = 5, gap_ms: int = 80) -> None:
    """Click ``target`` ``times`` times, ``gap_ms`` apart, as an impatient student does
    (issue 15: no click may be lost), then wait until the app is idle. Once each: a test
    that clicked again until the count came right would hide a lost click."""
    target.scroll_into_view_if_needed()
    for _ in range(times):
        target.click()
        page.wait_for_timeout(gap_ms)
    _wait_idle(page)


@pytest.fixture
def click_fast() -> Callable[..., None]:
    return _click_fast


@pytest.fixture
def goto(app_url: str) -> Callable[..., object]:
    def go(page, path: str = "", **params: str):
        query = urllib.parse.urlencode(params)
        page.goto(f"{app_url}/{path}" + (f"?{query}" if query else ""))
        page.wait_for_selector("[data-testid='stAppViewContainer']")
        _wait_idle(page)
        return page

    return go


@pytest.fixture
def shot() -> Callable[..., pathlib.Path]:
    def take(page, name: str, *, full_page: bool = True) -> pathlib.Path:
        """Screenshot; ``full_page`` grows the viewport to the app's scroll height first
        (Streamlit scrolls inside its main container, not the document)."""
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{name}.png"
        size = page.viewport_size
        if full_page and size:
            height = page.evaluate(
                "Math.max(...[...document.querySelectorAll('[data-testid=stMain],"
                " [data-testid=stAppViewContainer], section.main')].map(e => e.scrollHeight),"
                " document.documentElement.scrollHeight)"
            )
            page.set_viewport_size({"width": size["width"], "height": min(int(height), 12000)})
            page.wait_for_timeout(400)
        page.screenshot(path=str(path), full_page=full_page)
        if full_page and size:
            page.set_viewport_size(size)
        return path

    return take
