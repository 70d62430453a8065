"""How long the scale page's work takes per rerun: the counts, the cost estimate and the
two figures (their construction and JSON serialisation). Prints medians in ms.

    .venv/bin/python -m bench.bench_scale
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from core.scale import KNOWN_MODELS, breakdown, count_parameters, training_cost
from viz.scale import Item, breakdown_figure, comparison_figure


def median_ms(fn: Callable[[], object], repeat: int = 30) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def counts() -> None:
    for m in KNOWN_MODELS.values():
        count_parameters(m.shape)


def cost() -> None:
    training_cost(
        68_976_648_192,
        2_000_000_000_000,
        peak_flops=312e12,
        utilisation=0.4,
        n_accelerators=2048,
        watts=400,
        pue=1.1,
    )


def figures() -> None:
    bd = breakdown(KNOWN_MODELS["llama2-70b"].shape)
    rows = [p for p in bd.parts if p.count]
    fig = breakdown_figure(
        [p.key for p in rows],
        [p.count for p in rows],
        ["mlp"] * len(rows),
        ["x"] * len(rows),
        ["x"] * len(rows),
        x_title="parameters",
        tick_format=str,
    )
    fig.to_json()
    items = [
        Item(m.name, count_parameters(m.shape)["total"], "model", "x")
        for m in list(KNOWN_MODELS.values())[:6]
    ]
    items.append(Item("synapses", 1e14, "brain", "x", high=1e15))
    power = [Item("brain", 20, "brain", "20 W"), Item("cluster", 9e5, "machine", "x")]
    comparison_figure(items, power, names={}, count_title="n", power_title="W").to_json()


if __name__ == "__main__":
    for name, fn in (
        ("count all 15 presets", counts),
        ("training cost", cost),
        ("both figures + to_json", figures),
    ):
        print(f"{name:28s} {median_ms(fn):8.3f} ms (median of 30)")
