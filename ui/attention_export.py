"""Downloads of the attention page: one CSV per step and every matrix as JSON. Token
cells are made formula-safe; masked entries (−∞) become null in the JSON."""

from __future__ import annotations

import csv
import functools
import io
import json
from typing import TYPE_CHECKING, Any

import numpy as np
import streamlit as st

from core.embeddings import DIMENSIONS
from ui.i18n import t

if TYPE_CHECKING:
    from ui.attention import Result


def _cell(x: object) -> str:
    s = str(x)
    return "'" + s if s[:1] in ("=", "+", "-", "@", "\t", "\r") and not _is_number(s) else s


def _is_number(s: str) -> bool:
    try:
        float(s)
    except ValueError:
        return False
    return True


def step_matrices(step: int, res: Result, head: int) -> dict[str, np.ndarray]:
    hs = res.block.heads[head]
    b = res.block
    return {
        1: {"X": res.emb.X},
        2: {"Q": hs.Q, "K": hs.K, "V": hs.V},
        3: {"scores": hs.scores},
        4: {"scaled": hs.scaled},
        5: {"masked": hs.masked},
        6: {"weights": hs.weights},
        7: {"output": hs.output},
        8: {
            "concat": b.concat,
            "attn_out": b.attn_out,
            "residual": b.residual,
            "hidden": b.hidden,
            "ffn_out": b.ffn_out,
            "block_output": b.output,
        },
    }[step]


def to_csv(mats: dict[str, np.ndarray], tokens: tuple[str, ...]) -> str:
    """Matrices one after another, each with a title row; token cells made formula-safe."""
    buf = io.StringIO()
    wr = csv.writer(buf)
    for name, M in mats.items():
        wr.writerow([f"# {name}"])
        wr.writerow(["token"] + [f"c{j + 1}" for j in range(M.shape[1])])
        for i, row in enumerate(M):
            label = tokens[i] if M.shape[0] == len(tokens) else f"r{i + 1}"
            wr.writerow([_cell(label)] + [repr(float(v)) for v in row])
        wr.writerow([])
    return buf.getvalue()


def csv_button(step: int, res: Result, head: int) -> None:
    st.download_button(
        t("att.download_csv"),
        functools.partial(to_csv, step_matrices(step, res, head), res.tok.tokens),
        file_name=f"attention_step{step}.csv",
        mime="text/csv",
        key=f"att_dl{step}",
        icon=":material/download:",
        on_click="ignore",
    )


def to_json(res: Result, settings: dict[str, Any]) -> str:
    def arr(M: np.ndarray) -> Any:
        out = np.asarray(M, dtype=np.float64).astype(object)
        out[~np.isfinite(np.asarray(M, dtype=np.float64))] = None
        return out.tolist()

    w = res.weights
    heads = [
        {
            k: arr(getattr(h, k))
            for k in ("Q", "K", "V", "scores", "scaled", "masked", "weights", "output")
        }
        for h in res.block.heads
    ]
    b = res.block
    doc = {
        "note": "masked entries (-infinity) are null",
        "settings": settings,
        "dimensions": list(DIMENSIONS),
        "tokens": list(res.tok.tokens),
        "ids": list(res.emb.ids),
        "X": arr(res.emb.X),
        "weights": {k: arr(getattr(w, k)) for k in ("Wq", "Wk", "Wv", "Wo", "W1", "W2")}
        | {"b1": [float(v) for v in w.b1], "b2": [float(v) for v in w.b2]},
        "heads": heads,
        "concat": arr(b.concat),
        "attn_out": arr(b.attn_out),
        "residual": arr(b.residual),
        "hidden": arr(b.hidden),
        "ffn_out": arr(b.ffn_out),
        "block_output": arr(b.output),
    }
    return json.dumps(doc, ensure_ascii=False, indent=1, allow_nan=False)
