"""Inside chapter (issue 17): settings model and figure builders.

The page itself is not registered yet (its core API has not landed); AppTest cases
for every section join this file when it is."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from numpy.testing import assert_allclose

from ui.model.inside import InsideSettings, byte_counts, compression, utf8_bytes
from viz.inside import cosine_matrix, position_similarity, token_chips


def test_settings_round_trip_and_hostile_input() -> None:
    s = InsideSettings(source="corpus", merges=7, positions="shuffled")
    assert InsideSettings.from_query(s.to_query()) == s
    assert InsideSettings().to_query() == {}
    bad = InsideSettings.from_query({"in_merges": ["999"], "in_pos": ["<script>"]})
    assert bad == InsideSettings()


def test_utf8_bytes_kana_kanji_take_three() -> None:
    assert utf8_bytes("猫a") == [("猫", [0xE7, 0x8C, 0xAB]), ("a", [0x61])]
    assert byte_counts("こんにちは") == (5, 15)
    assert compression(15, 5) == 3.0
    assert compression(0, 0) == 0.0


def test_cosine_matrix_against_hand_case() -> None:
    v = np.array([[1.0, 0.0], [0.0, 2.0], [3.0, 3.0], [0.0, 0.0]])
    m = cosine_matrix(v)
    h = np.sqrt(0.5)
    assert_allclose(m[:3, :3], [[1, 0, h], [0, 1, h], [h, h, 1]], atol=1e-12)
    assert_allclose(m[3], 0.0)  # a zero vector is similar to nothing


def test_builders_are_valid_plotly() -> None:
    go.Figure(token_chips(["a", "b c", "<b>x</b>"], [False, True, False]).to_dict())
    sim = cosine_matrix(np.random.default_rng(0).normal(size=(6, 4)))
    go.Figure(position_similarity(sim, axis="pos", colorbar="cos").to_dict())
