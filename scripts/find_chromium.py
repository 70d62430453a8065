"""Print the path of a Chromium for the browser tests, installing one if there is none.

Order: $CHROMIUM; chromium / chromium-browser / google-chrome on PATH; else, as root,
Debian's `chromium` (and CJK fonts for Japanese screenshots) with apt-get; else
Playwright's own build (`python -m playwright install chromium`). Fails loudly: the
browser tests are never skipped silently.
"""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def on_path() -> str | None:
    env = os.environ.get("CHROMIUM")
    if env and pathlib.Path(env).exists():
        return env
    for name in NAMES:
        if path := shutil.which(name):
            return path
    return None


def playwright_build() -> str | None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    with sync_playwright() as pw:
        path = pw.chromium.executable_path
    return path if path and pathlib.Path(path).exists() else None


def install() -> None:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        print("installing Debian's chromium with apt-get ...", file=sys.stderr)
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env, stdout=sys.stderr)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "chromium", "fonts-noto-cjk"],
            check=True,
            env=env,
            stdout=sys.stderr,
        )
    else:
        print("installing Playwright's chromium ...", file=sys.stderr)
        subprocess.run(
            [sys.executable, "-m", "playwright", "install", "chromium"],
            check=True,
            stdout=sys.stderr,
        )


def main() -> int:
    path = on_path() or playwright_build()
    if path is None:
        install()
        path = on_path() or playwright_build()
    if path is None:
        print("no Chromium could be found or installed", file=sys.stderr)
        return 1
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
