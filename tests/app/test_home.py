"""The home chapter in AppTest: controls, buttons, both languages, bad URL values."""

import json

import pytest

from core import linear
from tests.app.helpers import app, charts, open_page, texts
from ui.i18n import tr


def _figure(at, index):
    return charts(at)[index].fig


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_default_view(lang):
    at = open_page("home", lang)
    body = texts(at)
    assert tr(lang, "home.learn_head") in body
    assert len(charts(at)) == 2
    x, y = linear.DATASETS["exact"]
    mse = linear.fit(x, y, 1.0, 0.0).mse
    assert f"{mse:.4f}" in body


def test_slider_changes_the_loss():
    at = open_page("home", "en")
    at.slider(key="home_w").set_value(2.0).run()
    assert not at.exception
    assert "MSE = **0.0000**" in texts(at)
    assert tr("en", "home.at_bottom", what=tr("en", "home.what_w")) in [s.value for s in at.success]


@pytest.mark.parametrize("data", list(linear.DATASETS))
def test_jump_to_bottom_reaches_least_squares(data):
    at = open_page("home", "ja", {"home_data": tr("ja", f"home.data_{data}"), "home_bias": "true"})
    at.button(key="home_best").click().run()
    x, y = linear.DATASETS[data]
    w, b = linear.least_squares(x, y, fit_bias=True)
    assert at.slider(key="home_w").value == pytest.approx(round(w, 4))
    assert at.slider(key="home_b").value == pytest.approx(round(b, 4))
    assert len(at.success) == 1


def test_downhill_step_lowers_the_loss():
    at = open_page("home", "en", {"home_w": "4.5"})
    x, y = linear.DATASETS["exact"]
    before = linear.fit(x, y, at.slider(key="home_w").value, 0.0).mse
    at.button(key="home_step").click().run()
    after = linear.fit(x, y, at.slider(key="home_w").value, 0.0).mse
    assert after < before


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_default_view_reaches_the_bottom_in_5_to_15_steps_and_shows_eta(lang):
    at = open_page("home", lang)
    x, y = linear.DATASETS["exact"]
    lr, big = linear.lesson_step_sizes(x, fit_bias=False)
    assert at.button(key="home_step").label == tr(lang, "home.step_button", lr=f"{lr:g}")
    n = linear.steps_to_bottom(x, y, 1.0, 0.0, lr, fit_bias=False)
    assert tr(lang, "home.eta_note", lr=f"{lr:g}", n=n, big=f"{big:g}",
              limit=f"{2 * linear.safe_step_size(x, fit_bias=False):.3f}") in [
        c.value for c in at.caption]  # fmt: skip
    assert 5 <= n <= 15
    for _ in range(n - 1):  # exactly n clicks: not at the bottom after n − 1, there after n
        at.button(key="home_step").click().run()
    assert not at.exception and not at.success
    at.button(key="home_step").click().run()
    assert [s.value for s in at.success] == [
        tr(lang, "home.at_bottom", what=tr(lang, "home.what_w"))
    ]


def test_too_large_step_overshoots_and_the_loss_grows():
    at = open_page("home", "en")
    x, y = linear.DATASETS["exact"]
    w0 = at.slider(key="home_w").value
    at.button(key="home_big_step").click().run()
    w1 = at.slider(key="home_w").value
    assert w0 < 2.0 < w1  # jumped over the bottom at w = 2
    at.button(key="home_big_step").click().run()
    w2 = at.slider(key="home_w").value
    assert w2 < 2.0
    mse = [linear.fit(x, y, w, 0.0).mse for w in (w0, w1, w2)]
    assert mse[0] < mse[1] < mse[2]


def test_bias_toggle_shows_the_offset_slider():
    at = open_page("home", "en")
    assert not [s for s in at.slider if s.key == "home_b"]
    at.toggle(key="home_bias").set_value(True).run()
    at.slider(key="home_b").set_value(1.5).run()
    assert not at.exception
    fig = _figure(at, 0)
    assert fig["data"][1]["name"] == tr("en", "home.legend_model")


@pytest.mark.parametrize(
    "params",
    [
        {"home_w": "abc"},
        {"home_w": "1e309"},
        {"home_w": "-99"},
        {"home_data": "nonsense"},
        {"home_bias": "maybe"},
        {"home_b": "NaN", "home_bias": "true"},
    ],
)
def test_bad_url_values_fall_back(params):
    at = app("en", params).run()
    assert not at.exception
    assert -1.0 <= at.slider(key="home_w").value <= 5.0


def test_url_seeds_the_view():
    at = app("en", {"home_w": "2.5"}).run()
    assert at.slider(key="home_w").value == 2.5


def test_numbers_download_as_csv_and_json():
    import csv
    import io

    from ui.layout import data_json, table_csv

    at = open_page("home", "en", {"home_w": "1.5"})
    kinds = {b.proto.label for b in at.get("download_button")}
    assert {tr("en", "app.download_csv"), tr("en", "app.download_json")} <= kinds
    x, y = linear.DATASETS["exact"]
    f = linear.fit(x, y, 1.5, 0.0)
    rows = list(csv.reader(io.StringIO(table_csv({"x": x, "error": f.error}))))
    assert rows[0] == ["x", "error"]
    assert [float(r[1]) for r in rows[1:]] == f.error.tolist()
    assert json.loads(data_json({"mse": f.mse, "bad": float("nan")})) == {"mse": f.mse, "bad": None}
    assert table_csv({"t": ["=1+1", "ok"]}).splitlines()[1] == "'=1+1"


def test_home_settings_declared_once_keys_in_the_url():
    from ui.model.home import HomeSettings

    assert HomeSettings.from_query({"home_data": ["noisy"]}).data == "noisy"
    for lang in ("ja", "en"):  # older links carried the translated label
        assert HomeSettings.from_query({"home_data": [tr(lang, "home.data_noisy")]}).data == "noisy"
    assert HomeSettings.from_query({"home_w": ["1e400"], "home_data": ["<x>"]}) == HomeSettings()
    assert HomeSettings(data="noisy", bias=True).to_query() == {
        "home_data": ["noisy"],
        "home_bias": ["true"],
    }
