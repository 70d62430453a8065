"""Byte-pair encoding (BPE) trained on raw UTF-8 bytes, in the style of minbpe.

Training starts from the bytes of the text (ids 0-255). Merge ``i`` replaces the most
frequent adjacent pair with the new id ``256 + i``; ties go to the pair whose first
occurrence is earliest in the current sequence. Pairs are counted over all adjacent
positions (``"aaa"`` holds ``(a, a)`` twice), but replacement scans left to right and
replaces non-overlapping occurrences. Training stops early once no pair occurs twice.
There is no regex pre-split: spaces and punctuation merge like any other byte.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import pairwise

from core.errors import ExplorableError

N_BYTES = 256


class BPEError(ExplorableError):
    """Bad merge count, text or token id; ``code`` is a machine-readable reason."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code, code=code)
        self.detail = detail


def _merge(ids: Sequence[int], pair: tuple[int, int], new_id: int) -> list[int]:
    """Replace non-overlapping occurrences of ``pair`` in ``ids``, scanning left to right."""
    a, b = pair
    out: list[int] = []
    i, n = 0, len(ids)
    while i < n:
        if i + 1 < n and ids[i] == a and ids[i + 1] == b:
            out.append(new_id)
            i += 2
        else:
            out.append(ids[i])
            i += 1
    return out


def _check_text(text: object) -> str:
    if not isinstance(text, str):
        raise BPEError("bad_text", f"expected str, got {type(text).__name__}")
    return text


class BPE:
    """A trained byte-level BPE: ``merges[i]`` is the pair that became id ``256 + i``."""

    def __init__(self, merges: Sequence[tuple[int, int]]) -> None:
        self.merges: list[tuple[int, int]] = [(int(a), int(b)) for a, b in merges]
        vocab: dict[int, bytes] = {i: bytes([i]) for i in range(N_BYTES)}
        for i, (a, b) in enumerate(self.merges):
            if a not in vocab or b not in vocab:
                raise BPEError("bad_merge", f"merge {i} uses unknown id")
            vocab[N_BYTES + i] = vocab[a] + vocab[b]
        self.vocab: dict[int, bytes] = vocab

    def __repr__(self) -> str:
        return f"BPE(merges={len(self.merges)})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BPE) and self.merges == other.merges

    __hash__ = None  # type: ignore[assignment]

    def _clamp(self, merges: int | None) -> int:
        if merges is None:
            return len(self.merges)
        return max(0, min(int(merges), len(self.merges)))

    def truncated(self, k: int) -> BPE:
        """The same tokenizer with only its first ``k`` merges (clamped to the range)."""
        return BPE(self.merges[: self._clamp(k)])

    def encode(self, text: str, merges: int | None = None) -> list[int]:
        """Token ids of ``text`` using the first ``merges`` merges (None = all).

        Repeatedly applies the present pair with the lowest merge index, as minbpe does."""
        ids = list(_check_text(text).encode("utf-8"))
        k = self._clamp(merges)
        ranks = {pair: i for i, pair in enumerate(self.merges[:k])}
        while len(ids) >= 2:
            present = set(pairwise(ids))
            best = min(present, key=lambda p: ranks.get(p, k))
            rank = ranks.get(best)
            if rank is None:
                break
            ids = _merge(ids, best, N_BYTES + rank)
        return ids

    def decode(self, ids: Sequence[int]) -> str:
        """Text of ``ids``; byte runs that are not valid UTF-8 become U+FFFD."""
        return b"".join(self._bytes(i) for i in ids).decode("utf-8", errors="replace")

    def piece(self, token_id: int) -> str:
        """The bytes of one token decoded for display (invalid UTF-8 -> U+FFFD)."""
        return self._bytes(token_id).decode("utf-8", errors="replace")

    def steps(self, text: str) -> list[list[int]]:
        """Token ids of ``text`` after 0, 1, ..., ``len(merges)`` merges.

        Element 0 is the raw bytes; element ``k`` applies merge ``k - 1`` to element ``k - 1``."""
        ids = list(_check_text(text).encode("utf-8"))
        out = [ids]
        for i, pair in enumerate(self.merges):
            ids = _merge(ids, pair, N_BYTES + i)
            out.append(ids)
        return out

    def _bytes(self, token_id: int) -> bytes:
        try:
            return self.vocab[token_id]
        except (KeyError, TypeError):
            raise BPEError("bad_token_id", repr(token_id)) from None


def train_bpe(text: str, num_merges: int) -> BPE:
    """Learn up to ``num_merges`` merges on the UTF-8 bytes of ``text``."""
    if isinstance(num_merges, bool) or not isinstance(num_merges, int):
        raise BPEError("bad_num_merges", f"expected int, got {type(num_merges).__name__}")
    if num_merges < 0:
        raise BPEError("bad_num_merges", str(num_merges))
    ids = list(_check_text(text).encode("utf-8"))
    merges: list[tuple[int, int]] = []
    for i in range(num_merges):
        # Counter keeps first-occurrence order and max() returns the first maximum,
        # so ties go to the pair that occurs earliest.
        counts = Counter(pairwise(ids))
        if not counts:
            break
        pair, count = max(counts.items(), key=lambda kv: kv[1])
        if count < 2:
            break
        merges.append(pair)
        ids = _merge(ids, pair, N_BYTES + i)
    return BPE(merges)
