"""The inside chapter's settings (its controls, each declared once) and derived values.

Streamlit-free: see ui/state.py for the declaration helpers. The URL carries keys
(``in_source=corpus``), never translated labels.
"""

from __future__ import annotations

from dataclasses import dataclass

from ui.state import Model, choice, integer, text

MAX_CHARS = 300  # text box limit for the BPE section
MAX_MERGES = 60  # merge stepper's range
MAX_GENERATE = 24  # KV-cache section: tokens generated


@dataclass(frozen=True)
class InsideSettings(Model):
    source: str = choice("in_source", ("text", "corpus"), "text", labels="inside.source_{}")
    sample: str = text("in_text", "", max_chars=MAX_CHARS)  # "" = the language's example
    merges: int = integer("in_merges", 0, MAX_MERGES, 10)
    positions: str = choice(
        "in_pos", ("learned", "none", "shuffled"), "learned", labels="inside.pos_{}"
    )
    prompt: str = text("in_prompt", "", max_chars=MAX_CHARS)  # "" = the example prompt
    follow: int = integer("in_follow", 0, 63, 0)  # position followed through the model
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
