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
                "cpu_p95_ms": 70.0,
                "open_ms": 64.0,
                "open_p95_ms": 67.0,
                "errors": [],
            },
        ],
    }
    lines = page_open_section(d)
    rows = [x for x in lines if x.startswith("| ") and "---" not in x][1:]
    assert rows[0].startswith("| empty app (floor) | 5 / 10 |") and rows[0].endswith("| 1.0 |")
    assert rows[1].startswith("| neural network | 60 / 70 |") and rows[1].endswith("| 12.0 |")
