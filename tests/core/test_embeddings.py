"""core.embeddings: the tokenizer, the hand-designed table and the weight presets."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from numpy.testing import assert_allclose

from core.attention import attention_steps, transformer_block
from core.embeddings import (
    D_MODEL,
    DEFAULT_TEXT,
    DIMENSIONS,
    MAX_TOKENS,
    PRESETS,
    REFERENCE,
    TokenizeError,
    embed,
    preset_weights,
    token_id,
    token_vector,
    tokenize,
)


def test_default_sentences_split_into_words():
    assert tokenize(DEFAULT_TEXT["ja"]).tokens == (
        "ミルク",
        "を",
        "入れ",
        "て",
        "、",
        "よく",
        "混ぜ",
        "た",
        "コーヒー",
    )
    assert tokenize(DEFAULT_TEXT["en"]).tokens == (
        "I",
        "added",
        "milk",
        "and",
        "mixed",
        "it",
        "into",
        "my",
        "coffee",
    )
    assert tokenize("昨日は雨だったけど、今日は晴れ").tokens == (
        "昨日",
        "は",
        "雨",
        "だった",
        "けど",
        "、",
        "今日",
        "は",
        "晴れ",
    )


def test_tokens_keep_the_text_as_written():
    tk = tokenize("Coffee, MILK.")
    assert tk.tokens == ("Coffee", ",", "MILK", ".")
    e = embed(tk.tokens)
    assert all(e.known)
    assert e.ids[0] == token_id("coffee")


@pytest.mark.parametrize("text", ["", "   ", "\n\t　"])
def test_empty_input_raises_with_code(text):
    with pytest.raises(TokenizeError) as e:
        tokenize(text)
    assert e.value.code == "empty"


def test_truncation_is_reported():
    tk = tokenize(" ".join(["milk"] * 40))
    assert len(tk.tokens) == MAX_TOKENS and tk.n_total == 40 and tk.truncated
    assert not tokenize("milk coffee").truncated


def test_hostile_emoji_and_mixed_scripts():
    tk = tokenize("<img src=x onerror=alert(1)>")
    assert "".join(tk.tokens) == "<imgsrc=xonerror=alert(1)>"
    tk = tokenize("👩\u200d👩\u200d👧 coffeeとミルク Привет 東京タワー é")
    assert tk.tokens[0] == "👩\u200d👩\u200d👧"  # a ZWJ sequence stays one token
    assert "coffee" in tk.tokens and "ミルク" in tk.tokens and "Привет" in tk.tokens
    assert "タワー" in tk.tokens  # unknown katakana run stays whole
    e = embed(tk.tokens)
    assert e.X.shape == (len(tk.tokens), D_MODEL) and np.all(np.isfinite(e.X))


def test_unknown_vectors_are_stable_across_processes():
    """Seeded from SHA-256, not Python's salted hash(): same vector in a new process."""
    code = (
        "from core.embeddings import token_vector, token_id;"
        "print(repr(token_vector('ラテ').tolist()), token_id('ラテ'))"
    )
    out = [
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
            cwd=str(__import__("pathlib").Path(__file__).parents[2]),
        ).stdout
        for seed in ("1", "2")
    ]
    assert out[0] == out[1]
    assert repr(token_vector("ラテ").tolist()) in out[0]
    assert token_id("ラテ") >= 1000
    assert not np.allclose(token_vector("ラテ"), token_vector("ラテA"))


def test_table_dimensions_have_meaning():
    i = {name: k for k, name in enumerate(DIMENSIONS)}
    assert token_vector("コーヒー")[i["drink"]] == 1.0
    assert token_vector("milk")[i["dairy"]] == 1.0
    assert token_vector("混ぜ")[i["mix"]] == 1.0
    assert token_vector("雨")[i["weather"]] == 1.0
    assert token_vector("を")[i["grammar"]] > 0.5


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("n_heads", [1, 2, 3, 4])
def test_meaningful_preset_coffee_attends_to_milk_and_mix(lang, n_heads):
    e = embed(tokenize(DEFAULT_TEXT[lang]).tokens)
    w = preset_weights("meaningful", n_heads)
    d = D_MODEL
    st = attention_steps(e.X, w.Wq[:, :d], w.Wk[:, :d], w.Wv[:, :d])
    coffee = len(e.tokens) - 1
    milk = next(k for k, t in enumerate(e.tokens) if t in ("ミルク", "milk"))
    mix = next(k for k, t in enumerate(e.tokens) if t in ("混ぜ", "mixed"))
    row = st.weights[coffee]
    top2 = set(np.argsort(row)[-2:].tolist())
    assert top2 == {milk, mix}
    assert row[milk] + row[mix] > 0.5
    # after attention (and after the whole block) coffee is closer to café au lait
    ref = token_vector(REFERENCE[lang])
    blk = transformer_block(e.X, w.Wq, w.Wk, w.Wv, w.Wo, w.W1, w.b1, w.W2, w.b2, n_heads=n_heads)
    before = np.linalg.norm(e.X[coffee] - ref)
    assert np.linalg.norm(blk.residual[coffee] - ref) < before
    assert np.linalg.norm(blk.output[coffee] - ref) < before


@pytest.mark.parametrize("name", PRESETS)
@pytest.mark.parametrize("n_heads", [1, 2, 3, 4])
def test_preset_shapes(name, n_heads):
    w = preset_weights(name, n_heads, seed=3)
    d = D_MODEL
    assert w.Wq.shape == w.Wk.shape == w.Wv.shape == (d, n_heads * d)
    assert w.Wo.shape == (n_heads * d, d)
    assert w.W1.shape[0] == d and w.W2.shape == (w.W1.shape[1], d)
    assert_allclose(preset_weights(name, n_heads, seed=3).Wq, w.Wq)  # deterministic


def test_identity_preset_output_is_plain_attention():
    e = embed(tokenize(DEFAULT_TEXT["en"]).tokens)
    for H in (1, 3):
        w = preset_weights("identity", H)
        blk = transformer_block(e.X, w.Wq, w.Wk, w.Wv, w.Wo, w.W1, w.b1, w.W2, w.b2, n_heads=H)
        one = attention_steps(e.X, np.eye(D_MODEL), np.eye(D_MODEL), np.eye(D_MODEL))
        assert_allclose(blk.attn_out, one.output)  # identical heads, averaged
        assert_allclose(blk.output, blk.residual)  # no feed-forward


def test_bad_preset_arguments():
    with pytest.raises(ValueError):
        preset_weights("nope")
    with pytest.raises(ValueError):
        preset_weights("random", 5)


def test_control_and_format_characters_are_dropped():
    # NUL, a right-to-left override and a lone zero-width joiner never become tokens
    assert tokenize("\x00milk\u202e coffee\u200d").tokens == ("milk", "coffee")
    with pytest.raises(TokenizeError):
        tokenize("\u202e\u200b\x00")
    assert tokenize("👩\u200d👩\u200d👧").tokens == ("👩\u200d👩\u200d👧",)


def test_weight_edits_replace_only_valid_cells():
    import numpy as np

    from core.embeddings import apply_edits, preset_weights

    w = preset_weights("meaningful", 2)
    edits = [("Wq", 0, 1, 2.5), ("Wo", 11, 5, -1.0), ("Wk", 99, 0, 1.0), ("W1", 0, 0, 9.0),
             ("Wv", 0, 0, float("nan")), ("Wv", 1, 1, 1e7)]  # fmt: skip
    e = apply_edits(w, edits)
    assert e.Wq[0, 1] == 2.5 and e.Wo[11, 5] == -1.0
    changed = {
        m: np.argwhere(getattr(e, m) != getattr(w, m)).tolist() for m in ("Wq", "Wk", "Wv", "Wo")
    }
    assert changed == {"Wq": [[0, 1]], "Wk": [], "Wv": [], "Wo": [[11, 5]]}
    assert e.W1 is w.W1 and w.Wq[0, 1] != 2.5  # the preset is not modified
