"""The baseline: a bigram model, which predicts the next token from the current one only.

P(next = j | current = i) = (count(i, j) + α) / (count(i, ·) + α·V), counted on training
windows. It cannot see anything further back, so on the corpus's long-range positions it
can only guess the answer that most often follows the previous token.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Bigram:
    counts: np.ndarray  # (V, V) int64: counts[i, j] = how often token j followed token i
    alpha: float  # add-alpha smoothing

    @property
    def table(self) -> np.ndarray:
        """P(next | current), (V, V), rows sum to 1."""
        c = self.counts + self.alpha
        return c / c.sum(1, keepdims=True)

    def probs(self, ids: np.ndarray) -> np.ndarray:
        """Next-token distributions (..., V) for token ids of any shape (...)."""
        return self.table[np.asarray(ids, dtype=np.int64)]


def fit_bigram(
    inputs: np.ndarray, targets: np.ndarray, vocab_size: int, *, alpha: float = 0.01
) -> Bigram:
    """Count (current, next) pairs of aligned ``inputs`` and ``targets`` (any equal shape)."""
    if alpha <= 0:
        raise ValueError("alpha must be positive (otherwise unseen pairs have probability 0)")
    flat = np.asarray(inputs, np.int64).ravel() * vocab_size + np.asarray(targets, np.int64).ravel()
    counts = np.bincount(flat, minlength=vocab_size * vocab_size).reshape(vocab_size, vocab_size)
    return Bigram(counts=counts, alpha=float(alpha))
