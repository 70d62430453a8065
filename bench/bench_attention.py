"""Benchmark of the attention page with 16 tokens and 4 heads (plain script, prints medians).

    .venv/bin/python bench/bench_attention.py [repeats] 2>/dev/null

(medians go to stdout; Streamlit's log warnings, if any, to stderr)

1. core: tokenize + embed + transformer_block + PCA, uncached;
2. figures: building every plotly figure of one view;
3. page rerun, server side: the script (entrypoint + page), driven by AppTest and timed in
   the script thread, with a changed temperature (nothing cached), an unchanged rerun
   (computation cached), and with "show all steps".
Not included: Streamlit's post-run gc.collect (runner.postScriptGC, tens of ms, a server
setting) and the websocket. The machine is shared: read the medians with noise in mind.
"""

from __future__ import annotations

import pathlib
import statistics
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from core.attention import pca_2d, transformer_block  # noqa: E402
from core.embeddings import embed, preset_weights, tokenize  # noqa: E402

TEXT = "ミルクを入れて、よく混ぜたコーヒー。昨日は雨だったけど、今日は晴れ"  # ≥ 16 tokens
HEADS = 4


def median_ms(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


def core_once() -> None:
    tok = tokenize(TEXT)
    assert len(tok.tokens) == 16
    e = embed(tok.tokens)
    w = preset_weights("meaningful", HEADS)
    b = transformer_block(e.X, w.Wq, w.Wk, w.Wv, w.Wo, w.W1, w.b1, w.W2, w.b2, n_heads=HEADS)
    pca_2d(np.vstack([e.X, b.residual]))


def figures_once() -> None:
    from viz import attention as va

    tok = tokenize(TEXT).tokens
    e = embed(tok)
    w = preset_weights("meaningful", HEADS)
    b = transformer_block(e.X, w.Wq, w.Wk, w.Wv, w.Wo, w.W1, w.b1, w.W2, w.b2, n_heads=HEADS)
    lab = va.labels(tok)
    va.matrix_heatmap(b.heads[0].weights, lab, lab, kind="weights").to_json()
    va.line_view(tok, b.heads[0].weights, 15).to_json()
    va.heads_grid(np.stack([h.weights for h in b.heads]), tok, ["1", "2", "3", "4"]).to_json()
    va.matrix_heatmap(b.concat, lab, [str(i) for i in range(24)]).to_json()
    va.matrix_heatmap(b.attn_out, lab, [str(i) for i in range(6)]).to_json()
    P = pca_2d(np.vstack([e.X, b.residual, e.X[:1]])).coords
    va.projection_view(P[:16], P[16:32], tok, P[-1], "ref").to_json()


SCRIPT_MS: list[float] = []


def _time_script_runs() -> None:
    """Time every script execution in the script thread (entrypoint + page), without
    AppTest's polling; Streamlit's post-run garbage collection is not included."""
    from streamlit.runtime.scriptrunner import script_runner

    inner = script_runner.exec_func_with_error_handling

    def timed(func, ctx):
        t0 = time.perf_counter()
        try:
            return inner(func, ctx)
        finally:
            SCRIPT_MS.append((time.perf_counter() - t0) * 1e3)

    script_runner.exec_func_with_error_handling = timed


def page_reruns(repeats: int) -> dict[str, float]:
    from tests.app.helpers import open_page

    _time_script_runs()

    at = open_page(
        "att", "ja", {"att_text": TEXT, "att_heads": str(HEADS), "att_step": "6"}, timeout=60
    )
    temps = [round(0.1 * k, 1) for k in range(5, 50)]
    out: dict[str, list[float]] = {
        "changed temperature": [],
        "unchanged rerun": [],
        "show all steps (changed)": [],
    }
    for k in range(repeats):
        at.slider(key="att_temp").set_value(temps[k % len(temps)])
        at.run()
        out["changed temperature"].append(SCRIPT_MS[-1])
        at.run()
        out["unchanged rerun"].append(SCRIPT_MS[-1])
    at.toggle(key="att_all").set_value(True).run()
    for k in range(max(3, repeats // 3)):
        at.slider(key="att_temp").set_value(temps[(k + 7) % len(temps)])
        at.run()
        out["show all steps (changed)"].append(SCRIPT_MS[-1])
    assert not at.exception, [e.value for e in at.exception]
    return {k: statistics.median(v) for k, v in out.items()}


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    print(f"attention page, 16 tokens, {HEADS} heads, median of {repeats} runs")
    print(f"  core (tokenize, embed, block, PCA):  {median_ms(core_once, repeats * 4):7.2f} ms")
    print(f"  plotly figures of one view (+JSON):  {median_ms(figures_once, repeats):7.2f} ms")
    for name, ms in page_reruns(repeats).items():
        print(f"  page script, {name + ':':26s} {ms:7.2f} ms")


if __name__ == "__main__":
    main()
