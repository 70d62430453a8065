"""Values the scale page derives from its settings (core/scale.py), by hand."""

import math

import pytest

from core.scale import KNOWN_MODELS, ScaleError, ff_width


@pytest.mark.parametrize(
    ("d_model", "ratio", "d_ff"),
    [(768, 4.0, 3072), (16_384, 3.25, 53_248), (768, 2.5, 1920), (10, 0.25, 2), (10, 0.35, 4)],
)
def test_ff_width_by_hand(d_model, ratio, d_ff):
    assert ff_width(d_model, ratio) == d_ff  # 10 × 0.25 = 2.5 rounds half to even: 2


def test_ff_width_gives_back_every_presets_width():
    """The ratio the page shows for a preset (4 decimals) gives its width back."""
    for m in KNOWN_MODELS.values():
        s = m.shape
        assert ff_width(s.d_model, round(s.d_ff / s.d_model, 4)) == s.d_ff, m.key


@pytest.mark.parametrize("ratio", [math.nan, math.inf, -1.0, True, "4"])
def test_ff_width_refuses_what_is_no_ratio(ratio):
    with pytest.raises(ScaleError) as err:
        ff_width(768, ratio)
    assert err.value.code in {"not_number", "too_small"}
