"""bench/report.py's comparison with the baseline run (issue 14: no default view more
than 20 % slower): a ratio above 1.2 in any column fails the view, a missing view fails."""

import json

from bench.report import BASELINE, SLOWDOWN, slowdown_section

COLS = ("move_median_ms", "move_p95_ms", "rerun_median_ms", "rerun_p95_ms")


def _run(scale: dict[str, float]) -> dict:
    base = json.loads(BASELINE.read_text())
    rows = [
        {"page": page, "view": "default", **{c: then[c] * scale.get(page, 1.0) for c in COLS}}
        for page, then in base["default"].items()
        if page != "scale"  # left out of this run
    ]
    return {"floor": base["floor"], "rows": rows}


def test_baseline_has_every_default_view():
    base = json.loads(BASELINE.read_text())
    assert set(base["default"]) == {"home", "gd", "nn", "att", "nt", "scale"}
    assert all(set(v) == set(COLS) for v in base["default"].values())


def test_ratios_pass_at_the_limit_and_fail_above_it():
    base = json.loads(BASELINE.read_text())
    lines = slowdown_section(_run({"att": 1.25, "nt": SLOWDOWN}), base)
    row = {line.split("|")[1].strip(): line for line in lines if line.startswith("| ")}
    assert row["attention"].endswith("❌ |") and "(1.25×)" in row["attention"]
    assert row["next token"].endswith("✅ |") and "(1.20×)" in row["next token"]
    assert row["home `/`"].endswith("✅ |") and "(1.00×)" in row["home `/`"]
    assert "not run" in row["scale"] and row["scale"].endswith("❌ |")


def test_page_open_section_lists_each_page_with_the_class_cpu():
    from bench.report import page_open_section

    d = {
        "machine": {
            "date": "d",
            "cpus": 2,
            "load": "0 0 0",
            "python": "3",
            "streamlit": "1",
            "options": [],
            "opens": 4,
        },
        "rows": [
            {
                "page": "empty",
                "cpu_ms": 5.0,
                "cpu_p95_ms": 10.0,
                "open_ms": 8.0,
                "open_p95_ms": 9.0,
                "errors": [],
            },
            {
                "page": "nn",
                "cpu_ms": 60.0,
                "cpu_mean_ms": 57.5,
                "cpu_p95_ms": 70.0,
                "open_ms": 64.0,
                "open_p95_ms": 67.0,
                "errors": [],
            },
        ],
    }
    lines = page_open_section(d)
    rows = [x for x in lines if x.startswith("| ") and "---" not in x][1:]
    # a run without the mean (older JSON) falls back on the median
    assert rows[0].startswith("| empty app (floor) | 5.0; 5 / 10 |") and rows[0].endswith("| 1.0 |")
    assert rows[1].startswith("| neural network | 57.5; 60 / 70 |")
    assert rows[1].endswith("| 11.5 |")  # 200 opens x the mean


def test_classroom_section_says_how_the_room_arrived_and_counts_the_open():
    from bench.report import classroom_section

    machine = {"date": "d", "cpus": 2, "load": "0 0 0", "python": "3", "streamlit": "1",
               "options": [], "think": [1.0, 3.0], "replicas": 2, "nginx": True}  # fmt: skip
    row = {"page": "nn", "n": 200, "k": 10, "interactions": 2000, "expected": 2000,
           "p50_ms": 80.0, "p95_ms": 900.0, "max_ms": 2000.0, "open_p95_ms": 1500.0,
           "errors": 0, "vmhwm_mb": 400.0, "server_cpu_pct": 120.0,
           "loadgen_cpu_pct": 15.0}  # fmt: skip
    burst = classroom_section({"machine": machine | {"ramp": 2.0}, "rows": [row]})
    spread = classroom_section(
        {"machine": machine | {"ramp": 30.0}, "rows": [row | {"open_p95_ms": 600.0}]}
    )
    assert burst[0] == "## Classroom load through nginx, 2 replicas"
    assert spread[0] == "## Classroom load through nginx, 2 replicas, the room arriving over 30 s"
    assert "arrive within 30 s" in spread[2]
    # the page open counts: moves under 1 s but an open at 1.5 s fails the row
    assert burst[-1].endswith("❌ |") and spread[-1].endswith("✅ |")


def test_browser_section_sets_each_page_against_its_own_floor():
    from bench.report import browser_section

    machine = {"date": "d", "cpus": 2, "load": "0 0 0", "python": "3.11", "streamlit": "1.67"}
    row = {"view": "default", "p95_ms": 1.0, "misses": 0, "floor_misses": 0, "interleaved": True}
    d = {
        "machine": machine | {"options": [], "presses": 12},
        "floor_ms": 40.0,
        "rows": [
            row | {"page": "empty", "key": "x", "median_ms": 41.0, "floor_ms": 41.0, "ratio": 1.0},
            row | {"page": "home", "key": "home_w", "median_ms": 90, "floor_ms": 45, "ratio": 2.0},
            row
            | {"page": "nn", "key": "nn_noise", "median_ms": 100, "floor_ms": 40, "ratio": 2.5}
            | {"misses": 1},
        ],
        "cold": {},
    }
    lines = browser_section(d)
    rows = {line.split("|")[1].strip(): line for line in lines if line.startswith("| ")}
    assert rows["empty app (A/A check)"].endswith("| 1.0× | – |")
    assert rows["home `/`"].endswith("| 45 | 2.0× | ✅ |")
    assert rows["neural network"].endswith("| 40 | 2.5× | ❌ (1 press untimed) |")
    assert any("in turn" in line for line in lines)
