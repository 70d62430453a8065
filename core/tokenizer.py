"""A word-piece tokenizer: text -> token ids by greedy longest match over a fixed vocabulary.

The vocabulary holds the grammar's word pieces (``"昨日"``, ``" sunny"``, ``"。"``; English
pieces carry their leading space as in GPT-2) plus every single character those pieces
use and the printable ASCII characters, so any text written with those characters
round-trips: ``decode(encode(s)) == s``. A character outside the vocabulary becomes the
fallback token ``<unk>`` (id 0), which decodes to U+FFFD; encoding never raises.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from core.errors import ExplorableError

UNK = "<unk>"
UNK_TEXT = "\ufffd"  # what <unk> decodes to
ASCII = (*(chr(c) for c in range(32, 127)), "\n")
JA_PUNCT = tuple("、。？！「」・ー\u3000")  # common Japanese punctuation


class TokenizerError(ExplorableError):
    """Bad vocabulary or token id; ``code`` is a machine-readable reason."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code, code=code)
        self.detail = detail


@dataclass(frozen=True)
class Encoding:
    """The result of encoding one text."""

    ids: tuple[int, ...]  # (T,) token ids
    pieces: tuple[str, ...]  # (T,) the text each token covers (unknown chars as they were)
    unknown: tuple[str, ...]  # distinct characters that fell back to <unk>, in order seen


class Tokenizer:
    """Greedy longest-match tokenizer over ``vocab`` (``vocab[0]`` is ``<unk>``)."""

    def __init__(self, vocab: Sequence[str]) -> None:
        vocab = tuple(vocab)
        if not vocab or vocab[0] != UNK:
            raise TokenizerError("bad_vocab", "vocab[0] must be <unk>")
        if len(set(vocab)) != len(vocab):
            raise TokenizerError("bad_vocab", "duplicate pieces")
        if any(not p for p in vocab):
            raise TokenizerError("bad_vocab", "empty piece")
        self.vocab: tuple[str, ...] = vocab
        self.index: dict[str, int] = {p: i for i, p in enumerate(vocab) if i > 0}
        self.max_len: int = max(len(p) for p in vocab[1:]) if len(vocab) > 1 else 1

    @classmethod
    def from_pieces(cls, pieces: Iterable[str]) -> Tokenizer:
        """Vocabulary = ``<unk>``, printable ASCII, newline and Japanese punctuation, every
        character of the pieces,
        then the multi-character pieces (sorted, so the ids do not depend on input order)."""
        pieces = set(pieces)
        chars = set(ASCII) | set(JA_PUNCT) | {c for p in pieces for c in p}
        multi = {p for p in pieces if len(p) > 1}
        return cls((UNK, *sorted(chars), *sorted(multi)))

    @property
    def size(self) -> int:
        return len(self.vocab)

    def encode_detailed(self, text: str) -> Encoding:
        """Tokens of ``text``: at each position the longest vocabulary piece that matches."""
        ids: list[int] = []
        pieces: list[str] = []
        unknown: list[str] = []
        i, n = 0, len(text)
        while i < n:
            for length in range(min(self.max_len, n - i), 0, -1):
                tid = self.index.get(text[i : i + length])
                if tid is not None:
                    ids.append(tid)
                    pieces.append(text[i : i + length])
                    i += length
                    break
            else:
                ch = text[i]
                ids.append(0)
                pieces.append(ch)
                if ch not in unknown:
                    unknown.append(ch)
                i += 1
        return Encoding(tuple(ids), tuple(pieces), tuple(unknown))

    def encode(self, text: str) -> list[int]:
        """Token ids of ``text`` (unknown characters -> 0)."""
        return list(self.encode_detailed(text).ids)

    def piece(self, token_id: int) -> str:
        """The text of one token (``<unk>`` shows as U+FFFD)."""
        tid = int(token_id)
        if not 0 <= tid < len(self.vocab):
            raise TokenizerError("bad_token_id", str(token_id))
        return UNK_TEXT if tid == 0 else self.vocab[tid]

    def decode(self, ids: Iterable[int]) -> str:
        """The text of a sequence of token ids."""
        return "".join(self.piece(i) for i in ids)

    def to_json(self) -> str:
        return json.dumps(list(self.vocab), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Tokenizer:
        vocab = json.loads(text)
        if not isinstance(vocab, list) or not all(isinstance(p, str) for p in vocab):
            raise TokenizerError("bad_vocab", "expected a JSON list of strings")
        return cls(vocab)
