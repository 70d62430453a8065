"""The att chapter's settings (its controls, each declared once) and derived values.

Streamlit-free: see ui/state.py for the declaration helpers. The URL carries keys:
``att_preset=random``, ``att_query=3`` (the query token's 0-based position),
``att_step=6``. Ranges that depend on the sentence (the query token) or on the number of
heads (the head shown) are narrowed by the view with ``options=``."""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.embeddings import MAX_HEADS, MAX_TOKENS, PRESETS
from ui.state import Model, boolean, choice, integer, number, text

N_STEPS = 8
MATRICES = ("Wq", "Wk", "Wv", "Wo")
MAX_CHARS = 200


@dataclass(frozen=True)
class AttSettings(Model):
    text: str = text("att_text", "", max_chars=MAX_CHARS)  # "" = the language's example
    preset: str = choice("att_preset", PRESETS, "meaningful", labels="att.preset_{}")
    heads: int = choice("att_heads", tuple(range(1, MAX_HEADS + 1)), 1)
    seed: int = integer("att_seed", 0, 9999, 0)
    causal: bool = boolean("att_causal", True)
    scale: bool = boolean("att_scale", True)
    temperature: float = number("att_temp", 0.1, 5.0, 1.0, step=0.1)
    head: int = choice("att_head", tuple(range(1, MAX_HEADS + 1)), 1)  # 1-based
    matrix: str = choice("att_mat", MATRICES, "Wq", labels="att.mat_{}")
    query: int = choice("att_query", tuple(range(MAX_TOKENS)), MAX_TOKENS - 1)  # 0-based
    step: int = integer("att_step", 1, N_STEPS, 1)  # a value, so fast clicks all count
    show_all: bool = boolean("att_all", False)


def legacy_query(raw: str | None) -> str | None:
    """An older link wrote the query token's label (``"3  milk"``, 1-based) into the URL;
    this returns its key (``"2"``), or None when ``raw`` is no such label."""
    if raw is None:
        return None
    m = re.fullmatch(r"\s*([0-9]{1,3})\s+\S.*", raw, flags=re.S)
    if m is None or not 1 <= int(m.group(1)) <= MAX_TOKENS:
        return None
    return str(int(m.group(1)) - 1)


def clamp_query(query: int, n_tokens: int) -> int:
    """The query position within a sentence of ``n_tokens`` (the last token by default)."""
    return min(max(int(query), 0), n_tokens - 1)


def base_key(preset: str, seed: int, n_heads: int) -> str:
    """Weight edits are kept per preset, seed (random preset only) and head count."""
    return f"{preset}{seed if preset == 'random' else ''}h{n_heads}"


def show_steps(step: int, show_all: bool) -> tuple[int, ...]:
    """The steps whose figures are drawn: the current one, or all eight."""
    return tuple(range(1, N_STEPS + 1)) if show_all else (int(step),)
