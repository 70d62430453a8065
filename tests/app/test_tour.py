"""The tour bar's sentences: the numbers and names a stop's try / notice text states are
filled from the stop's declared state (ui/tour.py STOPS) and the model preset it selects
(core/scale.py KNOWN_MODELS), never typed into the locales."""

from __future__ import annotations

import pytest

from core.scale import KNOWN_MODELS
from tests.app.helpers import open_page, texts
from ui.i18n import tr
from ui.model.gd import GdSettings
from ui.model.scale import ScaleSettings
from ui.tour import STOPS, Stop

BY_STOP = {s.key: (i, s) for i, s in enumerate(STOPS, start=1)}


#: What each stop's placeholders must say, written out by hand (not recomputed the way
#: Stop.values does): the stop's η, h, and GPT-3 175B's 96 layers (Brown et al. 2020).
EXPECTED = {
    "lr_large": {"lr": "0.05"},
    "numerical": {"h": "10⁻¹⁰"},
    "scale": {"model": "GPT-3 175B", "layers": "96"},
}


def _expected(stop: Stop) -> dict[str, str]:
    return EXPECTED[stop.key]


@pytest.mark.parametrize("key", ["lr_large", "numerical", "scale"])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_tour_bar_states_the_stop_s_own_values(lang, key):
    i, stop = BY_STOP[key]
    values = _expected(stop)
    assert stop.values() == values
    at = open_page(stop.chapter, lang, {"lang": lang, "tour": str(i), **stop.params()})
    body = texts(at)
    for part in ("try", "notice"):
        assert tr(lang, f"tour.{key}.{part}", **values) in body
    assert not any(f"{{{name}}}" in body for name in values)  # none left unfilled


def test_the_declared_values_reach_the_sentences():
    """The numbers are read from the declaration: another state, another sentence."""
    assert BY_STOP["lr_large"][1].state["gd_lr"] == 0.05
    assert "0.05" in tr("en", "tour.lr_large.try", **BY_STOP["lr_large"][1].values())
    faster = Stop("lr_large", "gd", GdSettings(lr=0.2))
    assert "0.2" in tr("en", "tour.lr_large.try", **faster.values())
    assert BY_STOP["scale"][1].values()["layers"] == str(KNOWN_MODELS["gpt3-175b"].shape.n_layers)
    small = Stop("scale", "scale", ScaleSettings(model="gpt2"))
    notice = tr("ja", "tour.scale.notice", **small.values())
    assert f"{KNOWN_MODELS['gpt2'].shape.n_layers} 層" in notice
    assert KNOWN_MODELS["gpt2"].name in tr("en", "tour.scale.try", **small.values())
    tiny_h = Stop("numerical", "gd", GdSettings(h=1e-8))
    assert "h = 10⁻⁸" in tr("en", "tour.numerical.try", **tiny_h.values())


@pytest.mark.parametrize("stop", STOPS, ids=lambda s: s.key)
def test_each_stop_is_valid_settings_of_its_chapter(stop: Stop):
    """A stop is its chapter's settings: every value is one its declaration accepts, the
    model is the chapter's, and its link parses back to the same settings."""
    from ui.chapters import BY_KEY
    from ui.model import all_models

    if stop.settings is None:
        return
    model = type(stop.settings)
    assert model in all_models()
    prefix = BY_KEY[stop.chapter].key_prefix
    for name, p in model.params().items():
        assert p.key.startswith(prefix), (stop.key, p.key)
        assert p.valid(getattr(stop.settings, name)), (stop.key, name)
    assert stop.state, stop.key  # a stop with settings changes something
    assert model.from_query(stop.settings.to_query()) == stop.settings
