"""The nt chapter's settings (its controls, each declared once) and derived values.

Streamlit-free: see ui/state.py for the declaration helpers. The URL carries keys
(``nt_mode=sample``), never the translated labels; older links with a label in either
language still parse."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core import gpt_train
from ui.state import Model, choice, integer, number, text

MAX_CHARS = 400  # prompt box limit
MAX_LAYERS = 8  # the layer switch's declared range (the bundled model has fewer)
LEARN_STEPS = (100, 200, 300, 500, 1000)
#: held-out windows on which scripts/train_tiny_gpt.py measured the long-range accuracy
#: during training (the green curve of the stored log; tests/app/test_next_token.py checks
#: that every stored accuracy is a whole number of answers out of this probe's)
PROBE_WINDOWS = gpt_train.PROBE_WINDOWS


@dataclass(frozen=True)
class NtSettings(Model):
    prompt: str = text("nt_prompt", "", max_chars=MAX_CHARS)  # "" in the URL = the example
    mode: str = choice("nt_mode", ("greedy", "sample"), "greedy", labels="nt.mode_{}")
    temperature: float = number("nt_temp", 0.0, 5.0, 1.0, step=0.05)
    top_k: int = integer("nt_topk", 0, 20, 0)
    top_p: float = number("nt_topp", 0.0, 1.0, 1.0, step=0.05)
    seed: int = integer("nt_seed", 0, 99999, 0)
    n_generate: int = integer("nt_n", 1, 40, 10)
    layer: int = choice("nt_layer", tuple(range(MAX_LAYERS)), 0)  # 0-based
    learn_steps: int = choice("nt_steps", LEARN_STEPS, 300)


def sampler(mode: str, temp: float, top_k: int, top_p: float) -> dict[str, Any]:
    """The keyword arguments of core.gpt.next_token_probs for these settings."""
    if mode == "greedy":
        return {"temperature": 0.0, "top_k": None, "top_p": 1.0}
    return {"temperature": float(temp), "top_k": int(top_k) or None, "top_p": float(top_p)}


def sampling_notes(mode: str, temp: float, top_k: int, top_p: float) -> list[tuple[str, dict]]:
    """What the sampling settings do, as (locale id, placeholders) pairs."""
    if mode == "greedy":
        return [("nt.note_greedy", {})]
    notes: list[tuple[str, dict]] = []
    if temp == 0:
        notes.append(("nt.note_temp0", {}))
    elif temp >= 2.5:
        notes.append(("nt.note_temp_high", {"temp": f"{temp:g}"}))
    elif temp < 1:
        notes.append(("nt.note_temp_low", {}))
    if top_k == 1 or top_p == 0:
        notes.append(("nt.note_one_token", {}))
    elif top_k:
        notes.append(("nt.note_topk", {"k": top_k}))
    if 0 < top_p < 1:
        notes.append(("nt.note_topp", {"p": f"{top_p:.0%}"}))
    if top_k == 0 and top_p == 1 and temp > 0:
        notes.append(("nt.note_all", {}))
    return notes
