"""Benchmark of the neural-network chapter (a plain script, not a test).

Prints medians of:
- training: full-batch steps per second of a 2-8-8-1 tanh network on 200 points
  (sigmoid output, cross-entropy), with gd and with Adam, pinned to one core
  (aim: >= 2,000 steps/s);
- one live redraw of the playground: the 60 x 60 decision grid plus the four figures
  the training loop redraws (boundary, network diagram, loss and accuracy curves),
  built and serialised to JSON as Streamlit does, and the bytes it sends;
- the gradient check of section 5 on the same network (2N forward passes);
- the page on the server (AppTest, whole app incl. the frame): a warm rerun at default
  settings, and a Train press of 500 steps with its live redraws (``REDRAW_EVERY``).

Run:  .venv/bin/python bench/bench_mlp.py [repeats]
The machine is shared with other people's work: read medians, not single runs.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import pathlib
import statistics
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from core.datasets import make_dataset  # noqa: E402
from core.mlp import MLP, decision_grid, gradient_check, new_trainer  # noqa: E402
from viz.network import boundary_figure, history_figure, network_figure  # noqa: E402

REPEATS = int(sys.argv[1]) if len(sys.argv) > 1 else 7
STEPS = 1000


def pin_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned (no sched_setaffinity)"


def trainer(optimizer: str, lr: float):
    X, y = make_dataset("circles", 200, noise=0.1, rng=np.random.default_rng(1))
    m = MLP([2, 8, 8, 1], activation="tanh", output="sigmoid", rng=np.random.default_rng(2))
    return new_trainer(
        m,
        X,
        y,
        X[:0],
        y[:0],
        loss="cross_entropy",
        optimizer=optimizer,
        lr=lr,
        batch_size=200,
        rng=np.random.default_rng(3),
    )


def steps_per_second(optimizer: str, lr: float) -> list[float]:
    rates = []
    for _ in range(REPEATS):
        tr = trainer(optimizer, lr)
        t0 = time.perf_counter()
        tr.run(STEPS)
        rates.append(STEPS / (time.perf_counter() - t0))
        assert tr.status == "ready"
    return rates


def redraw(tr) -> tuple[float, int]:
    """One redraw as the playground does it; returns (ms, bytes of figure JSON)."""
    h, m = tr.history, tr.model
    t0 = time.perf_counter()
    g = decision_grid(m, -1.6, 1.6, 60)
    figs = [
        boundary_figure(
            g.xs,
            g.probs,
            tr.X,
            tr.y,
            tr.X_test,
            tr.y_test,
            class_names=["class 0", "class 1"],
            train_name="train",
            test_name="test",
        ),
        network_figure(
            m.weights,
            m.biases,
            layer_names=["input", "hidden", "output"],
            weight_name="weight",
            bias_name="bias",
            height=360,
        ),
        history_figure(h.step, [("train", h.train_loss, "solid")], x_title="step", y_title="loss"),
        history_figure(
            h.step,
            [("train", h.train_acc, "solid")],
            x_title="step",
            y_title="accuracy",
            y_range=(0, 1.02),
        ),
    ]
    size = sum(len(f.to_json().encode()) for f in figs)  # what ui/figure.py serialises
    return (time.perf_counter() - t0) * 1e3, size


def main() -> None:
    print(f"bench_mlp: {REPEATS} repeats, {pin_one_core()}, numpy {np.__version__}")
    for opt, lr in (("gd", 0.5), ("adam", 0.03)):
        rates = steps_per_second(opt, lr)
        print(
            f"  train 2-8-8-1 tanh, 200 pts, full batch, {opt:>4}: "
            f"median {statistics.median(rates):,.0f} steps/s "
            f"(min {min(rates):,.0f}, max {max(rates):,.0f}; aim >= 2,000)"
        )
    tr = trainer("adam", 0.03)
    for _ in range(40):
        tr.run(25)  # a history of 41 points, as after a 1000-step Train press
    redraw(tr)  # warm-up (plotly's validators are built lazily)
    times, sizes = zip(*(redraw(tr) for _ in range(REPEATS)), strict=True)
    print(
        f"  one live redraw (grid 60x60 + 4 figures + JSON): "
        f"median {statistics.median(times):.1f} ms, {sizes[0] / 1024:.0f} KiB of figure JSON"
    )
    t = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        chk = gradient_check(tr.model, tr.X, tr.y, loss="cross_entropy")
        t.append((time.perf_counter() - t0) * 1e3)
    print(
        f"  gradient check, N = {chk.n_params} parameters ({chk.forward_passes_numerical} "
        f"forward passes): median {statistics.median(t):.1f} ms, "
        f"max |difference| {chk.max_abs_diff:.1e}"
    )


def page() -> None:
    import tests.app.conftest  # noqa: F401  (AppTest behaves like the server: st.navigation)
    from tests.app.helpers import open_page

    at = open_page("nn", "en", {"nn_steps": "500"})
    warm, train = [], []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        at.run()
        warm.append((time.perf_counter() - t0) * 1e3)
        at.button(key="nn_reset").click().run()
        t0 = time.perf_counter()
        at.button(key="nn_train").click().run()
        train.append((time.perf_counter() - t0) * 1e3)
        assert not at.exception and at.session_state["nn_tr"].steps == 500
    print(f"  page, warm full rerun (all five sections): median {statistics.median(warm):.0f} ms")
    print(f"  page, Train 500 steps incl. live redraws: median {statistics.median(train):.0f} ms")


if __name__ == "__main__":
    main()
    page()
