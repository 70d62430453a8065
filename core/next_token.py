"""Where a language model's "correct answer" comes from, and how its error is measured.

Training data for next-token prediction needs no labelling: in a text of token ids
``ids`` (T,), the answer at position t is simply the token that follows it, ids[t + 1].
The model gives a probability p_t(v) to every vocabulary token v at each position; the
loss at position t is

    loss_t = −log p_t(ids[t + 1])               (0 when the model is sure and right)

and the mean over the positions is the cross-entropy that language models minimise.
For comparison with the regression loss of the earlier chapters, the same predictions
also get an RMSE against the one-hot answer (1 for the correct token, 0 elsewhere):

    rmse_t = sqrt( mean_v (p_t(v) − onehot_t(v))² )

which never exceeds √(2/V) even when the model is confidently wrong, while −log p grows without
bound: that is why classifiers and LLMs use cross-entropy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from core.errors import ExplorableError

Array = NDArray[np.float64]


class TargetError(ExplorableError):
    """The ids and the logits do not fit (``code``: ``short`` or ``shape``)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code, code=code)


@dataclass(frozen=True)
class TargetLosses:
    """Every position's answer and how the model scored it (T−1 positions for T ids)."""

    inputs: tuple[int, ...]  # (T−1,) the token at each position
    targets: tuple[int, ...]  # (T−1,) the answer: the token that follows it in the text
    p_target: Array  # (T−1,) the model's probability of the answer
    losses: Array  # (T−1,) −log p_target (natural log)
    rmse: Array  # (T−1,) RMSE between the probabilities and the one-hot answer
    top: tuple[int, ...]  # (T−1,) the model's likeliest token at each position

    @property
    def mean_loss(self) -> float:
        """The cross-entropy: the mean of the per-position losses."""
        return float(np.mean(self.losses))

    @property
    def mean_rmse(self) -> float:
        return float(np.mean(self.rmse))

    @property
    def perplexity(self) -> float:
        """e^(cross-entropy): as unsure as choosing among this many tokens evenly."""
        return float(np.exp(self.mean_loss))


def log_softmax(logits: ArrayLike) -> Array:
    """log of the softmax along the last axis, computed stably (x − max − log Σ e^(x−max))."""
    z = np.asarray(logits, dtype=np.float64)
    m = np.max(z, axis=-1, keepdims=True)
    shifted = z - m
    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))


def training_pairs(ids: Sequence[int]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(inputs, targets) made from a text alone: targets are the inputs shifted by one."""
    ids = tuple(int(i) for i in ids)
    return ids[:-1], ids[1:]


def target_losses(logits: ArrayLike, ids: Sequence[int]) -> TargetLosses:
    """Score the model's predictions ``logits`` (T, V) for the text ``ids`` (T,).

    Row t of ``logits`` is the prediction after reading ids[0..t]; its answer is ids[t+1]
    (the last row has no answer in the text and is left out)."""
    z = np.asarray(logits, dtype=np.float64)
    ids = tuple(int(i) for i in ids)
    if len(ids) < 2:
        raise TargetError("short", f"{len(ids)} tokens")
    if z.ndim != 2 or z.shape[0] != len(ids) or not all(0 <= i < z.shape[1] for i in ids):
        raise TargetError("shape", f"logits {z.shape} for {len(ids)} ids")
    inputs, targets = training_pairs(ids)
    logp = log_softmax(z[:-1])  # (T−1, V)
    rows = np.arange(len(targets))
    tgt = np.asarray(targets)
    losses = -logp[rows, tgt]
    probs = np.exp(logp)
    onehot = np.zeros_like(probs)
    onehot[rows, tgt] = 1.0
    rmse = np.sqrt(np.mean((probs - onehot) ** 2, axis=-1))
    top = tuple(int(i) for i in np.argmax(probs, axis=-1))
    return TargetLosses(inputs, targets, probs[rows, tgt], losses, rmse, top)
