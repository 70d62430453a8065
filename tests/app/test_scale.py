"""The scale page under AppTest: presets, every control, impossible shapes, bad URL
values, both languages; and the number formatting it relies on."""

from __future__ import annotations

import dataclasses
import json
import math

import numpy as np
import pytest

from core.scale import KNOWN_MODELS, ModelShape, count_parameters
from tests.app.helpers import charts, open_page, texts
from tests.core.test_scale import _gpt2_arrays
from ui import fmt
from ui import scale as us
from ui.i18n import tr

# The page opens on Llama 3.1 405B (the article's scale); tests of the calculator's
# mechanics start from GPT-2 small, whose released checkpoint gives an exact count.
GPT2 = {"scale_model": "gpt2"}


def _all_text(at) -> str:
    """Visible text including alerts (errors, successes) and metric values."""
    parts = [texts(at)]
    parts += [str(e.value) for e in at.error] + [str(e.value) for e in at.success]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    return "\n".join(parts)


def _errors(at) -> list[str]:
    return [str(e.value) for e in at.error]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_default_page_gpt2_small_exact(lang):
    at = open_page("scale", lang, GPT2)
    body = _all_text(at)
    assert tr(lang, "scale.title") in body
    assert "124,439,808" in body
    assert tr(lang, "scale.exact_match") in body
    assert not _errors(at)
    assert len(charts(at)) == 2
    # the breakdown chart carries every non-zero part, in order
    spec = charts(at)[0].fig
    assert sum(spec["data"][0]["x"]) == 124_439_808
    # readable forms in each language
    assert ("124 M" if lang == "en" else "1.24億") in body


@pytest.mark.parametrize("key", list(KNOWN_MODELS))
def test_every_preset(key):
    at = open_page("scale", "en", GPT2)
    at.selectbox(key="scale_model").set_value(key).run()
    assert not at.exception
    m = KNOWN_MODELS[key]
    total = count_parameters(m.shape)["total"]
    body = _all_text(at)
    assert f"{total:,}" in body
    assert m.published_text in body
    assert at.number_input(key="scale_layers").value == m.shape.n_layers
    assert at.number_input(key="scale_d").value == m.shape.d_model
    if m.exact:
        assert m.exact == total
        assert tr("en", "scale.exact_match") in body
    assert tr("en", "scale.modified", name=m.name) not in body


def test_presets_from_url_in_japanese():
    at = open_page("scale", "ja", {"scale_model": "Llama 2 70B"})
    body = _all_text(at)
    assert "68,976,648,192" in body
    assert "690億" in body
    assert tr("ja", "scale.exact_match") in body
    # GQA: the key/value cache note appears, and the published GPU-hours cross-check
    assert "1,720,320" in body


def test_gpt3_175b_cross_checks_published_compute():
    at = open_page("scale", "en", {"scale_model": "GPT-3 175B"})
    body = _all_text(at)
    assert "174,604,259,328" in body
    assert "3.14 × 10²³" in body  # the paper's figure and 6·N·D agree to 3 digits
    assert "300,000,000,000" in body or "300 B" in body


def _expected(**changes) -> int:
    base = dict(vocab_size=50257, n_ctx=1024, d_model=768, n_layers=12, n_heads=12, d_ff=3072)
    return count_parameters(ModelShape(**(base | changes)))["total"]


@pytest.mark.parametrize(
    ("key", "value", "changes"),
    [
        ("scale_vocab", 32000, {"vocab_size": 32000}),
        ("scale_nctx", 2048, {"n_ctx": 2048}),
        ("scale_d", 1536, {"d_model": 1536}),
        ("scale_layers", 24, {"n_layers": 24}),
        ("scale_heads", 16, {"n_heads": 16}),
        ("scale_kv", 4, {"n_kv_heads": 4}),
        ("scale_dff", 2048, {"d_ff": 2048}),
    ],
)
def test_each_number_control_changes_the_count(key, value, changes):
    at = open_page("scale", "en", GPT2)
    at.number_input(key=key).set_value(value).run()
    assert not at.exception and not _errors(at)
    body = _all_text(at)
    assert f"{_expected(**changes):,}" in body
    assert tr("en", "scale.modified", name="GPT-2 small") in body


@pytest.mark.parametrize(
    ("key", "value", "changes"),
    [
        ("scale_mlp", "swiglu", {"mlp": "swiglu"}),
        ("scale_norm", "rmsnorm", {"norm": "rmsnorm"}),
    ],
)
def test_choice_controls(key, value, changes):
    at = open_page("scale", "en", GPT2)
    at.button_group(key=key).set_value(value).run()
    assert not at.exception
    assert f"{_expected(**changes):,}" in _all_text(at)


@pytest.mark.parametrize(
    ("key", "changes"),
    [
        ("scale_tied", {"tied_embeddings": False}),
        ("scale_learnedpos", {"learned_positions": False}),
        ("scale_bias", {"bias": False}),
    ],
)
def test_toggles(key, changes):
    at = open_page("scale", "en", GPT2)
    at.toggle(key=key).set_value(False).run()
    assert not at.exception
    assert f"{_expected(**changes):,}" in _all_text(at)


def test_ff_ratio_mode():
    at = open_page("scale", "en", GPT2)
    at.toggle(key="scale_byratio").set_value(True).run()
    at.number_input(key="scale_ffratio").set_value(2.5).run()
    assert not at.exception
    assert f"{_expected(d_ff=1920):,}" in _all_text(at)


def test_compute_controls_and_formula_by_hand():
    at = open_page("scale", "en", GPT2)
    at.number_input(key="scale_tokens").set_value(10_000_000_000).run()
    at.selectbox(key="scale_acc").set_value("h100").run()
    assert at.number_input(key="scale_tflops").value == 989.0
    assert at.number_input(key="scale_watts").value == 700.0
    at.slider(key="scale_util").set_value(50).run()
    at.number_input(key="scale_chips").set_value(8).run()
    at.number_input(key="scale_pue").set_value(1.2).run()
    body = _all_text(at)
    n = 124_439_808
    c = 6 * n * 10_000_000_000  # 7.466e18 FLOP
    assert fmt.sci(c) in body
    seconds = c / (989e12 * 0.5)
    assert fmt.sci(seconds) in body
    wall = seconds / 8
    assert fmt.duration(wall, "en") in body
    kwh = seconds / 3600 * 700 * 1.2 / 1000
    assert fmt.energy(kwh) in body


def test_peak_and_power_controls():
    at = open_page("scale", "en", GPT2)
    at.number_input(key="scale_tflops").set_value(100.0).run()
    at.number_input(key="scale_watts").set_value(250.0).run()
    body = _all_text(at)
    c = 6 * 124_439_808 * 20 * 124_439_808  # default D: 20 tokens per parameter
    seconds = c / (100e12 * 0.4)
    assert "100 TFLOP/s × 40 % = 40.0 TFLOP/s" in body
    assert fmt.sci(seconds) in body
    assert fmt.energy(seconds / 3600 * 250 * 1.1 / 1000) in body


def test_memory_controls():
    at = open_page("scale", "en", GPT2)
    at.number_input(key="scale_kvctx").set_value(2048).run()
    at.number_input(key="scale_batch").set_value(4).run()
    at.button_group(key="scale_kvdtype").set_value("fp32").run()
    kv = 2 * 12 * 12 * 64 * 2048 * 4 * 4
    assert f"{kv:,}" in _all_text(at)
    assert "498 MB" in _all_text(at)  # 124,439,808 × 4 bytes


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize(
    ("key", "value", "needle"),
    [
        ("scale_layers", 0, "errors.too_small"),
        ("scale_heads", 7, "errors.heads_not_divisor"),
        ("scale_kv", 5, "errors.kv_heads_not_divisor"),
        ("scale_d", 2_000_000, "errors.too_large"),
        ("scale_vocab", 0, "errors.too_small"),
    ],
)
def test_impossible_shapes_get_a_translated_message(lang, key, value, needle):
    at = open_page("scale", lang, GPT2)
    at.number_input(key=key).set_value(value).run()
    assert not at.exception
    errs = _errors(at)
    assert len(errs) == 1
    head = tr(lang, f"scale.{needle}").split("{")[0]
    assert errs[0].startswith(head) or head.strip() in errs[0]
    # nothing computed from an impossible shape is shown
    assert len(charts(at)) == 0


def test_zero_accelerators_and_zero_batch_are_messages_not_crashes():
    at = open_page("scale", "en", GPT2)
    at.number_input(key="scale_chips").set_value(0).run()
    assert not at.exception
    assert any(tr("en", "scale.field.n_accelerators") in e for e in _errors(at))
    at.number_input(key="scale_chips").set_value(16).run()
    at.number_input(key="scale_batch").set_value(0).run()
    assert any(tr("en", "scale.field.batch") in e for e in _errors(at))


@pytest.mark.parametrize(
    "params",
    [
        {"scale_layers": "abc"},
        {"scale_model": "GPT-9"},
        {"scale_mlp": "relu"},
        {"scale_util": "999"},
        {"scale_heads": "-3"},
        {"scale_tokens": "1e400"},
        {"scale_layers": "1e400"},
        {"scale_d": "nan"},
        {"scale_kvctx": "inf"},
        {"scale_pue": "-inf"},
        {"scale_d": "1e300"},
        {"scale_chips": "1e30"},
        {"scale_acc": "<script>"},
        {"scale_tied": "maybe"},
    ],
)
def test_bad_url_values_fall_back(params):
    """Streamlit drops what it cannot parse; what it lets through (like infinity) must
    end in a translated message, never an exception or a silent wrong number."""
    at = open_page("scale", "en", GPT2 | params)
    assert not at.exception
    body = _all_text(at)
    # an unknown model falls back to the default (Llama 3.1 405B), other values to GPT-2's
    expected = "405,853,388,800" if "scale_model" in params else "124,439,808"
    assert expected in body or _errors(at)
    assert "inf" not in body.lower().replace("information", "")
    assert all(len(e) < 400 for e in _errors(at))  # no 300-digit numbers in a message


def test_url_seeded_edit_survives():
    at = open_page("scale", "en", {"scale_layers": "6", "scale_model": "GPT-2 medium"})
    assert at.number_input(key="scale_layers").value == 6
    assert at.number_input(key="scale_d").value == 1024
    assert tr("en", "scale.modified", name="GPT-2 medium") in _all_text(at)


def test_project_tiny_gpt_preset_when_its_checkpoint_exists():
    if not us.TINY_PATH.exists():
        pytest.skip("assets/tiny_gpt.npz does not exist yet")
    at = open_page("scale", "ja", {"scale_model": "Tiny GPT"})
    body = _all_text(at)
    n = count_parameters(us.tiny_model()[0].shape)["total"]
    assert f"{n:,}" in body
    assert tr("ja", "scale.exact_match") in body


def test_qkv_link_to_attention():
    at = open_page("scale", "en", GPT2)
    links = [e for e in at.get("page_link") if "attention" in e.proto.page]
    assert links and links[0].proto.label == tr("en", "scale.qkv_link")


def test_tiny_preset_from_a_checkpoint(tmp_path, monkeypatch):
    """Absent file: the preset is hidden with a note. Present: it appears, and its count
    equals the arrays stored in the file."""
    monkeypatch.setattr(us, "TINY_PATH", tmp_path / "tiny_gpt.npz")
    at = open_page("scale", "en", GPT2)
    assert tr("en", "scale.tiny_checkpoint_missing") in _all_text(at)
    assert "Tiny GPT" not in at.selectbox(key="scale_model").options

    V, T, C, L = 40, 16, 8, 2
    data = _gpt2_arrays(V, T, C, L, np.random.default_rng(1))
    stored = sum(a.size for a in data.values())
    cfg = {"vocab_size": V, "n_ctx": T, "n_embd": C, "n_layer": L, "n_head": 2}
    np.savez(tmp_path / "tiny_gpt.npz", config_json=np.array(json.dumps(cfg)), **data)
    at = open_page("scale", "en", GPT2)
    assert "Tiny GPT" in at.selectbox(key="scale_model").options
    at.selectbox(key="scale_model").set_value("tiny").run()
    body = _all_text(at)
    assert f"{stored:,}" in body
    assert tr("en", "scale.exact_match") in body


# ── formatting (pure functions) ─────────────────────────────────────────────────────


# The number formats (count, sci, duration, ...) are tested in tests/test_fmt.py.


# ── downloads ───────────────────────────────────────────────────────────────────────


def _downloaded(monkeypatch, lang, params=None) -> tuple[list, dict]:
    """Open the page and return what its CSV and JSON buttons would hand over (the files
    are built on click, so the deferred callables are captured and run here)."""
    import csv
    import io

    from streamlit.runtime.media_file_manager import MediaFileManager

    files = {}
    real = MediaFileManager.add_deferred

    def spy(self, fn, mimetype, coordinates, file_name=None, **kw):
        files[file_name] = fn()
        return real(self, fn, mimetype, coordinates, file_name=file_name, **kw)

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    at = open_page("scale", lang, GPT2 | (params or {}))
    labels = {b.proto.label for b in at.get("download_button")}
    assert labels == {tr(lang, "app.download_csv"), tr(lang, "app.download_json")}
    assert {b.key for b in at.get("download_button")} == {"scale_dl_csv", "scale_dl_json"}
    return list(csv.DictReader(io.StringIO(files["scale.csv"]))), json.loads(files["scale.json"])


def test_downloads_match_an_independent_computation(monkeypatch):
    rows, doc = _downloaded(monkeypatch, "en")
    m = KNOWN_MODELS["gpt2"]
    n = 124_439_808
    expected = count_parameters(m.shape)
    assert expected["total"] == n
    # CSV: every part with its count as on the page's table, then the total
    parts = {r["part"]: int(r["parameters"]) for r in rows}
    assert parts == expected
    assert sum(int(r["parameters"]) for r in rows if r["part"] != "total") == n
    assert {r["part"]: r["with_numbers"] for r in rows}["attention_q"] == "12×(768×12×64 + 12×64)"
    # JSON: shape, preset, counts, compute, memory
    assert doc["shape"]["d_model"] == 768 and doc["shape"]["n_kv_heads"] is None
    assert doc["preset"]["published_parameters"] == 117_000_000
    assert doc["preset"]["checkpoint_parameters"] == n and doc["preset"]["shape_is_preset"]
    assert doc["parameters"] == expected
    assert sum(v for k, v in doc["parameters"].items() if k != "total") == n
    tr_ = doc["training"]
    d = 20 * n  # GPT-2 publishes no token count: 20 tokens per parameter
    assert tr_["tokens_D"] == d
    assert 6 * n * d == 120 * n**2 == 1_858_231_897_809_223_680  # by hand: ≈ 1.86 × 10¹⁸
    assert tr_["flops"] == float(6 * n * d)
    seconds = 6 * n * d / (312e12 * 0.40)  # A100 default, 40 % utilisation
    assert math.isclose(tr_["accelerator_seconds"], seconds, rel_tol=1e-12)
    assert math.isclose(tr_["accelerator_days"], seconds / 86_400, rel_tol=1e-12)
    assert math.isclose(tr_["energy_kwh"], seconds / 3600 * 400 * 1.1 / 1000, rel_tol=1e-12)
    mem = doc["memory"]
    assert mem["weights_bytes"] == {"fp32": 4 * n, "bf16": 2 * n, "int8": n}
    assert mem["training_bytes"] == 16 * n
    assert mem["kv_cache"]["bytes"] == 2 * 12 * 12 * 64 * 1024 * 1 * 2


def test_downloads_follow_the_controls_in_japanese(monkeypatch):
    rows, doc = _downloaded(monkeypatch, "ja", {"scale_model": "Llama 2 70B", "scale_layers": "40"})
    assert doc["preset"]["name"] == "Llama 2 70B" and not doc["preset"]["shape_is_preset"]
    shape = KNOWN_MODELS["llama2-70b"].shape
    expected = count_parameters(dataclasses.replace(shape, n_layers=40))
    assert doc["parameters"] == expected
    assert {r["part"]: int(r["parameters"]) for r in rows} == expected
    assert doc["training"]["flops"] == 6 * expected["total"] * 2_000_000_000_000
    assert doc["training"]["tokens_source"] == KNOWN_MODELS["llama2-70b"].tokens_source
    assert rows[-1]["name"] == tr("ja", "scale.total")


def test_figures_are_valid_plotly():
    """viz/scale builds its figures without plotly's validation: validate them here, in
    the shapes the page draws (ticks written by hand, ranges, hatched brain bars)."""
    import plotly.graph_objects as go

    from viz import scale as v

    items = [
        v.Item("GPT-2", 124e6, "model", "124 M"),
        v.Item("yours", 2e9, "current", "2 B"),
        v.Item("tiny", 1e5, "tiny", "100 k"),
        v.Item("neurons", 8.6e10, "brain", "86 B cells"),
        v.Item("synapses", 1e14, "brain", "10¹⁴–10¹⁵", high=1e15),
    ]
    watts = [
        v.Item("brain", 20, "brain", "≈ 20 W"),
        v.Item("home", 480, "reference", "480 W"),
        v.Item("chip", 400, "machine", "400 W"),
    ]
    figs = [
        v.breakdown_figure(
            ["a", "b", "c"],
            [10, 2000, 0],
            ["embedding", "attention", "mlp"],
            ["10", "2,000", "0"],
            ["a: 10", "b: 2,000", "c: 0"],
            x_title="parameters",
            tick_format=lambda x: f"{x:,.0f}",
        ),
        v.breakdown_figure(["a"], [5], ["norm"], ["5"], ["a: 5"], x_title="n", height=200),
        v.comparison_figure(
            items, watts, names={"model": "model"}, count_title="how many", power_title="watts"
        ),
        v.comparison_figure(items[:1], [], names={}, count_title="n", power_title="w"),
    ]
    for fig in figs:
        go.Figure(fig.to_dict())  # raises on any invalid property
        assert fig.layout.template.layout.font.family  # the project template is applied


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_default_view_is_the_articles_scale(lang):
    """Hundreds of billions of parameters, thousands of chips, months, a town's power."""
    at = open_page("scale", lang)
    m = KNOWN_MODELS["llama3.1-405b"]
    n = count_parameters(m.shape)["total"]
    assert 1e11 <= n < 1e12
    body = _all_text(at)
    assert f"{n:,}" in body
    assert at.metric[0].value == fmt.count(n, lang)  # the count, not a ± difference, first
    assert "16,384" in body
    flops = 6 * n * m.tokens
    assert fmt.sci(flops) == fmt.sci(3.8e25) == "3.80 × 10²⁵"
    wall = flops / (989e12 * 0.40) / 16_384  # seconds on 16,384 H100 at 40 %
    assert fmt.duration_unit(wall)[0] == "months"
    assert fmt.duration(wall, lang) in body
    kwh = wall * 16_384 * 700 * 1.1 / 3.6e6
    assert fmt.households(kwh / 4175, lang) in body
    time_metric = next(x for x in at.metric if x.label == tr(lang, "scale.m_days"))
    assert time_metric.value == fmt.duration(wall, lang)  # months, under a label naming no unit
    if lang == "ja":  # the brain sources are Japanese text, not English from code
        assert "order of magnitude" not in body and "upper estimate" not in body


def test_model_key_in_the_url():
    at = open_page("scale", "en", {"scale_model": "gpt3-175b"})
    body = _all_text(at)
    assert "174,604,259,328" in body
    assert "3.14 × 10²³" in body and "Brown et al. 2020, Table D.1" in body


@pytest.mark.parametrize(("lang", "count", "published"), [("ja", "1.24億", "1.17億"),
                                                         ("en", "124 M", "117 M")])  # fmt: skip
def test_counts_use_one_unit_rule_per_language(lang, count, published):
    at = open_page("scale", lang, GPT2)
    assert [m.value for m in at.metric[:2]] == [count, published]


# ── a shared link (every control declared in ui/model/scale.py) ─────────────────────

SHARED = GPT2 | {
    "scale_layers": "6",  # a custom shape
    "scale_byratio": "true",
    "scale_ffratio": "2.5",  # d_ff = 2.5 × 768 = 1920 (core.scale.ff_width)
    "scale_acc": "h100",
    "scale_tflops": "500.0",  # the chip's own peak is 989: a custom one
    "scale_util": "55",
    "scale_chips": "64",
    "scale_pue": "1.25",
    "scale_kvctx": "2048",
}


def _numbers(at) -> dict[str, object]:
    """Every number box and slider of the page, by key."""
    out = {n.key: n.value for n in at.number_input}
    return out | {s.key: s.value for s in at.slider}


def test_a_shared_link_opens_the_same_numbers_in_either_language():
    """Custom numbers survive the other language; the URL the page writes back is the
    link itself (values equal to the preset's are left out, the others kept); and the
    settings model parses the link to the numbers the page shows."""
    from ui.model.scale import ScaleSettings

    seen = {}
    for lang in ("en", "ja"):
        at = open_page("scale", lang, SHARED)
        assert not _errors(at)
        assert dict(at.query_params) == SHARED
        seen[lang] = _numbers(at)
        n = _expected(n_layers=6, d_ff=1920)
        assert f"{n:,}" in _all_text(at)
    assert seen["en"] == seen["ja"]
    got = seen["en"]
    s = ScaleSettings.from_query(SHARED)
    assert (got["scale_layers"], got["scale_ffratio"], got["scale_tflops"]) == (6, 2.5, 500.0)
    assert (got["scale_util"], got["scale_chips"], got["scale_pue"]) == (55, 64, 1.25)
    assert (s.n_layers, s.ff_ratio, s.peak_tflops, s.utilisation, s.chips, s.pue) == (
        6,
        2.5,
        500.0,
        55,
        64,
        1.25,
    )
    assert got["scale_kvctx"] == s.kv_context == 2048
    assert got["scale_d"] == 768 and got["scale_watts"] == 700.0  # the preset's, the chip's


def test_the_url_leaves_out_the_presets_values_and_keeps_any_other():
    at = open_page("scale", "en")
    assert dict(at.query_params) == {}  # the default page: a clean link
    at.selectbox(key="scale_model").set_value("gpt3-175b").run()
    assert dict(at.query_params) == {"scale_model": "gpt3-175b"}
    assert at.number_input(key="scale_layers").value == 96
    # 126 is the declared default (the default page's), not this preset's: it is kept
    at.number_input(key="scale_layers").set_value(126).run()
    assert dict(at.query_params) == {"scale_model": "gpt3-175b", "scale_layers": "126"}
    at = open_page("scale", "ja", dict(at.query_params))
    assert at.number_input(key="scale_layers").value == 126


def test_whole_number_boxes_are_integer_widgets_safe_from_hostile_urls():
    """An int number_input seeded by Streamlit from ``?k=1e400`` would crash; the
    declaration parses the URL first, so the widget only ever sees a whole number."""
    hostile = {k: "1e400" for k in ("scale_d", "scale_tokens", "scale_chips", "scale_batch")}
    at = open_page("scale", "en", GPT2 | hostile | {"scale_layers": "9" * 5000})
    assert not at.exception and not _errors(at)
    assert at.number_input(key="scale_d").value == 768
    assert at.number_input(key="scale_layers").value == 12
    assert isinstance(at.number_input(key="scale_tokens").value, int)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_hours_cross_check_names_the_hardware_the_hours_were_counted_on(lang, monkeypatch):
    """scale.check_hours takes the chip's name, the implied utilisation and the assumed one
    from the code: rename the chip and move the utilisation, and the sentence follows."""
    import core.scale as cs
    from ui.model.scale import hardware_values

    m = KNOWN_MODELS["llama2-70b"]
    real_acc = cs.hours_accelerator(m)
    renamed = dataclasses.replace(real_acc, name="Test Chip 9000")
    monkeypatch.setattr(cs, "ACCELERATORS", {**cs.ACCELERATORS, real_acc.key: renamed})
    at = open_page("scale", lang, {"scale_model": m.key})
    n = count_parameters(m.shape)["total"]
    u = cs.implied_utilisation(6 * n * m.tokens, m.gpu_hours, renamed)
    util = hardware_values(m)["scale_util"]

    def check(at) -> str:
        found = [s.value for s in at.success if f"{m.gpu_hours:,}" in s.value]
        assert len(found) == 1, [s.value for s in at.success]
        return found[0]

    text = check(at)
    assert "Test Chip 9000" in text and "A100" not in text
    assert f"**{100 * u:.0f} %**" in text and f"{util:g} %" in text
    at.slider(key="scale_util").set_value(util + 15).run()
    assert not at.exception
    assert f"{util + 15:g} %" in check(at)


def test_tiny_check_names_the_reference_chip(monkeypatch):
    """scale.check_tiny compares the tiny model's measured speed with the reference chip
    of ui.scale_compute, by that chip's name and peak (not a name typed in the locales)."""
    if not us.TINY_PATH.exists():
        pytest.skip("assets/tiny_gpt.npz does not exist yet")
    import ui.scale_compute as sc
    from core.scale import ACCELERATORS

    monkeypatch.setattr(sc, "REFERENCE_ACCELERATOR", "h100")
    at = open_page("scale", "en", {"scale_model": "tiny"})
    found = [s.value for s in at.success if ACCELERATORS["h100"].name in s.value]
    assert len(found) == 1 and "A100" not in found[0]
