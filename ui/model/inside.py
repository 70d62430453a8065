"""The inside chapter's settings (its controls, each declared once) and derived values.

Streamlit-free: see ui/state.py for the declaration helpers. The URL carries keys
(``in_source=corpus``), never translated labels.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core import corpus
from ui.state import Model, choice, integer, text

MAX_CHARS = 300  # text box limit for the BPE section
MAX_MERGES = 60  # merge stepper's range
MAX_GENERATE = 24  # KV-cache section: tokens generated
MAX_POSITIONS = 32  # the tiny GPT's context (the follow control's declared range)


@dataclass(frozen=True)
class InsideSettings(Model):
    source: str = choice("in_source", ("text", "corpus"), "text", labels="inside.source_{}")
    sample: str = text("in_text", "", max_chars=MAX_CHARS)  # "" = the language's example
    merges: int = integer("in_merges", 0, MAX_MERGES, 10)
    positions: str = choice(
        "in_pos", ("learned", "none", "shuffled"), "learned", labels="inside.pos_{}"
    )
    prompt: str = text("in_prompt", "", max_chars=MAX_CHARS)  # "" = the example prompt
    # the position followed through the model (0-based; the view narrows it to the
    # prompt and clamps, so the default names the last token)
    follow: int = choice("in_follow", tuple(range(MAX_POSITIONS)), MAX_POSITIONS - 1)
    generated: int = integer("in_gen", 0, MAX_GENERATE, 4)  # KV cache: tokens generated


def utf8_bytes(text: str) -> list[tuple[str, list[int]]]:
    """Each character with its UTF-8 bytes: kana and kanji take three, ASCII one."""
    return [(ch, list(ch.encode("utf-8"))) for ch in text]


def byte_counts(text: str) -> tuple[int, int]:
    """(characters, UTF-8 bytes) of ``text``: the length BPE starts from is the second."""
    return len(text), len(text.encode("utf-8"))


def compression(n_bytes: int, n_tokens: int) -> float:
    """Bytes per token after merging (1.0 before the first merge)."""
    return n_bytes / n_tokens if n_tokens else 0.0


CORPUS_SENTENCES = 40  # the corpus source: this many sentences the tiny GPT learned from
CORPUS_SEED = 0
SHUFFLE_SEED = 0  # "shuffled" positions: one fixed permutation per prompt length
CHIPS_SHOWN = 160  # token chips drawn (the rest are counted, not drawn)
FOLLOW_STAGES = 2  # rows per block in the residual-stream figure: attention, MLP


def byte_label(raw: bytes) -> str:
    """A token's text for display: its characters when its bytes are whole UTF-8, else
    the bytes in hex (``E7·8C``: part of a character, as BPE first sees a kanji)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return "·".join(f"{b:02X}" for b in raw)


def corpus_text() -> str:
    """A fixed sample of the sentences the tiny GPT was trained on (both languages)."""
    rng = np.random.default_rng(CORPUS_SEED)
    return "".join(corpus.text_of(corpus.sentence(rng)) for _ in range(CORPUS_SENTENCES))


def shuffled_positions(n: int) -> tuple[int, ...]:
    """The position rows used for "shuffled": a fixed permutation of 0..n-1 that moves
    every position when n > 1 (a derangement found by re-drawing, seeded)."""
    rng = np.random.default_rng(SHUFFLE_SEED)
    if n < 2:
        return tuple(range(n))
    while True:
        perm = rng.permutation(n)
        if not np.any(perm == np.arange(n)):
            return tuple(int(i) for i in perm)


def positions_arg(mode: str, n: int) -> str | tuple[int, ...] | None:
    """core.gpt's ``positions`` argument for a mode of the position switch."""
    if mode == "none":
        return "none"
    if mode == "shuffled":
        return shuffled_positions(n)
    return None


def ratio(a: float, b: float) -> float:
    """a / b, or 0 when b is 0."""
    return a / b if b else 0.0


def clamp(position: int, n_tokens: int) -> int:
    """A followed position within a prompt of ``n_tokens`` (its last token by default)."""
    return min(max(int(position), 0), max(n_tokens - 1, 0))
