"""Bigram baseline: hand-counted tables and smoothing."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from core.bigram import fit_bigram


def test_counts_and_smoothed_probabilities_by_hand() -> None:
    seq = np.array([0, 1, 0, 1, 2, 0])
    bg = fit_bigram(seq[:-1], seq[1:], 3, alpha=0.5)
    # pairs: 0->1, 1->0, 0->1, 1->2, 2->0
    assert bg.counts.tolist() == [[0, 2, 0], [1, 0, 1], [1, 0, 0]]
    assert_allclose(bg.table[0], [0.5 / 3.5, 2.5 / 3.5, 0.5 / 3.5])
    assert_allclose(bg.table[2], [1.5 / 2.5, 0.5 / 2.5, 0.5 / 2.5])
    assert_allclose(bg.table.sum(1), 1.0)
    assert_allclose(bg.probs(np.array([[0, 2]]))[0, 1], bg.table[2])


def test_alpha_must_be_positive() -> None:
    with pytest.raises(ValueError):
        fit_bigram(np.array([0]), np.array([1]), 2, alpha=0.0)
