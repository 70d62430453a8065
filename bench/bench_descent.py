"""Benchmark of the gradient-descent page (a plain script, not a test).

Prints medians of:
- core: one 6-optimizer race of 5,000 steps on Rosenbrock (``descend`` × 6), cold;
- page: a full server-side rerun (AppTest, whole app incl. the frame) at default
  settings and with a six-optimizer race of 5,000 steps, both cold (caches cleared)
  and warm (what every further visitor with the same settings costs);
- payload: the bytes of the plotly figures one rerun sends.

Run:  .venv/bin/python bench/bench_descent.py [repeats]
The machine is shared: read medians, not single runs.
"""

from __future__ import annotations

import pathlib
import statistics
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

import tests.app.conftest  # noqa: E402, F401  (AppTest behaves like the server: st.navigation)
from core.landscapes import LANDSCAPES  # noqa: E402
from core.optimizers import OPTIMIZERS, descend  # noqa: E402
from tests.app.helpers import charts, open_page  # noqa: E402
from ui.i18n import tr  # noqa: E402

REPEATS = int(sys.argv[1]) if len(sys.argv) > 1 else 7
RACE = {
    **{f"gd_o_{o}": "true" for o in OPTIMIZERS},
    "gd_land": tr("en", "gd.land.rosenbrock"),
    "gd_lr": "0.001",
    "gd_steps": "5000",
    "gd_tol": tr("en", "gd.tol_never"),
}


def median_ms(fn, n: int = REPEATS) -> float:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


def figure_bytes(at) -> int:
    """Bytes of the figures' JSON as the page sent them (ui/figure.py)."""
    return sum(len(c.spec.encode()) for c in charts(at))


def page(params: dict | None, label: str) -> None:
    at = open_page("gd", "en", params)  # first run (imports, caches filled)
    assert at.title[0].value == tr("en", "gd.title"), "not on the gradient-descent page"

    def warm() -> None:
        at.run()
        assert not at.exception

    def cold() -> None:
        st.cache_data.clear()
        st.cache_resource.clear()
        at.run()
        assert not at.exception

    w = median_ms(warm)
    c = median_ms(cold, max(3, REPEATS // 2))
    kb = figure_bytes(at) / 1024
    print(f"page {label:<28} warm {w:7.1f} ms   cold {c:7.1f} ms   figures {kb:6.1f} KB")


def main() -> None:
    land = LANDSCAPES["rosenbrock"]

    def race() -> None:
        for o in OPTIMIZERS:
            descend(land, land.start, optimizer=o, lr=0.001, steps=5000)

    print(f"median of {REPEATS} runs")
    print(f"core descend: 6 optimizers x 5000 steps      {median_ms(race, 3):7.1f} ms")
    page(None, "default settings")
    page(RACE, "race of 6 x 5000 steps")


if __name__ == "__main__":
    main()
