"""Tokenizer: round-trips, greedy longest match, unknown characters, bad ids."""

from __future__ import annotations

import numpy as np
import pytest

from core import corpus
from core.tokenizer import UNK, UNK_TEXT, Tokenizer, TokenizerError


@pytest.fixture(scope="module")
def tok() -> Tokenizer:
    return corpus.make_tokenizer()


def test_round_trip_on_corpus_sentences(tok: Tokenizer) -> None:
    rng = np.random.default_rng(3)
    for _ in range(300):
        text = corpus.text_of(corpus.sentence(rng))
        assert tok.decode(tok.encode(text)) == text


def test_round_trip_on_free_text_in_vocabulary_characters(tok: Tokenizer) -> None:
    for text in ("Hello, world! 1+1=2 {x}", "今日は晴れ？", "coffee\nwith milk", "  ", "<b>"):
        enc = tok.encode_detailed(text)
        assert tok.decode(enc.ids) == text and enc.unknown == ()
        assert "".join(enc.pieces) == text


def test_longest_match_picks_word_pieces(tok: Tokenizer) -> None:
    enc = tok.encode_detailed("昨日は雨だったけど、今日は")
    assert enc.pieces == ("昨日", "は", "雨", "だった", "けど", "、", "今日は")
    enc = tok.encode_detailed("Yesterday it was rainy, but today it's")
    assert enc.pieces == ("Yesterday", " it", " was", " rainy", ",", " but", " today", " it's")


def test_unknown_characters_fall_back_to_unk(tok: Tokenizer) -> None:
    enc = tok.encode_detailed("猫😀は猫")
    assert enc.ids[0] == 0 and enc.ids[1] == 0 and enc.ids[3] == 0
    assert enc.unknown == ("猫", "😀")
    assert tok.decode(enc.ids) == f"{UNK_TEXT}{UNK_TEXT}は{UNK_TEXT}"
    assert tok.encode("") == []


def test_vocabulary_rules_and_json(tok: Tokenizer) -> None:
    assert tok.vocab[0] == UNK and tok.size == len(set(tok.vocab))
    assert Tokenizer.from_json(tok.to_json()).vocab == tok.vocab
    assert corpus.make_tokenizer().vocab == tok.vocab  # deterministic ids
    with pytest.raises(TokenizerError) as e:
        tok.decode([tok.size])
    assert e.value.code == "bad_token_id"
    for bad in (["a", UNK], [UNK, "a", "a"], [UNK, ""]):
        with pytest.raises(TokenizerError):
            Tokenizer(bad)


def test_tokenizer_and_corpus_errors_share_the_base_class():
    import pytest

    from core.corpus import CorpusError
    from core.errors import ExplorableError
    from core.tokenizer import Tokenizer, TokenizerError

    assert issubclass(TokenizerError, ExplorableError)
    assert issubclass(CorpusError, ExplorableError)
    with pytest.raises(ExplorableError) as e:
        Tokenizer(["a", "b"])  # vocab[0] must be <unk>
    assert e.value.code == "bad_vocab"
