"""Byte-level BPE: hand-worked merges, tie-breaks, round trips, steps, errors, speed."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.bpe import BPE, BPEError, train_bpe
from core.errors import ExplorableError

a, b, c, d = (ord(ch) for ch in "abcd")
MIXED = "猫が好き。I like cats 🐱🐱! ねこねこ neko neko 猫猫"


def test_wikipedia_example_worked_by_hand() -> None:
    # aaabdaaabac: (a,a) occurs 4 times -> Z=256; sequence Z a b d Z a b a c.
    # Then (Z,a) and (a,b) both occur twice; (Z,a) occurs first -> Y=257: Y b d Y b a c.
    # Then (Y,b) occurs twice -> X=258: X d X a c.
    bpe = train_bpe("aaabdaaabac", 3)
    assert bpe.merges == [(a, a), (256, a), (257, b)]
    assert bpe.encode("aaabdaaabac") == [258, d, 258, a, c]
    assert bpe.vocab[258] == b"aaab"


def test_tie_goes_to_the_earliest_occurring_pair() -> None:
    # xyabxyab: (x,y), (y,a), (a,b) each occur twice; (x,y) occurs first even though
    # (a,b) is smaller.
    bpe = train_bpe("xyabxyab", 1)
    assert bpe.merges == [(ord("x"), ord("y"))]
    # cdab cd ab: after (c,d) -> 256 the tie is between (256,a) and (a,b); (256,a) first.
    bpe = train_bpe("cdabcdab", 2)
    assert bpe.merges[0] == (c, d)
    assert bpe.merges[1] == (256, a)


def test_overlapping_pairs_count_naively_but_replace_non_overlapping() -> None:
    bpe = train_bpe("aaa", 5)  # (a,a) counted twice -> merged once, then nothing repeats
    assert bpe.merges == [(a, a)]
    assert bpe.encode("aaa") == [256, a]
    assert bpe.encode("aaaa") == [256, 256]
    assert bpe.encode("aaaaa") == [256, 256, a]


def test_early_stop_when_no_pair_repeats() -> None:
    assert train_bpe("abcdef", 10).merges == []
    bpe = train_bpe("abab", 10)  # (a,b) twice -> [256, 256]; (256,256) once -> stop
    assert bpe.merges == [(a, b)]
    assert bpe.encode("abab") == [256, 256]


def test_empty_text_and_zero_merges() -> None:
    assert train_bpe("", 5).merges == []
    bpe = train_bpe("hello hello", 0)
    assert bpe.merges == [] and len(bpe.vocab) == 256
    assert bpe.encode("") == [] and bpe.decode([]) == ""
    assert bpe.steps("") == [[]]


def test_kanji_starts_as_three_bytes() -> None:
    bpe = train_bpe("", 0)
    assert bpe.encode("猫") == [0xE7, 0x8C, 0xAB]
    assert bpe.encode("ね") == list("ね".encode())
    assert len(bpe.encode("ね")) == 3


def test_vocab_of_merged_id_is_concatenation_of_children() -> None:
    bpe = train_bpe(MIXED * 3, 40)
    assert all(bpe.vocab[i] == bytes([i]) for i in range(256))
    assert len(bpe.vocab) == 256 + len(bpe.merges)
    for i, (left, right) in enumerate(bpe.merges):
        assert bpe.vocab[256 + i] == bpe.vocab[left] + bpe.vocab[right]
        assert left < 256 + i and right < 256 + i


def test_encode_unseen_text() -> None:
    bpe = train_bpe("aaabdaaabac", 3)
    # x a a b -> x Z b ; (Z,b) is not a merge, (Z,a) is absent.
    assert bpe.encode("xaab") == [ord("x"), 256, b]
    assert bpe.decode(bpe.encode("xaab")) == "xaab"
    assert bpe.encode("猫") == [0xE7, 0x8C, 0xAB]


def test_decode_of_split_multibyte_char_gives_replacement() -> None:
    bpe = train_bpe("", 0)
    assert bpe.decode([0xE7, 0x8C, 0xAB]) == "猫"
    assert bpe.decode([0xE7, 0x8C]) == "\ufffd"
    assert bpe.decode([ord("x"), 0xE7]) == "x\ufffd"
    assert bpe.piece(0xE7) == "\ufffd"
    assert bpe.piece(ord("a")) == "a"


def test_piece_of_merged_token() -> None:
    bpe = train_bpe("ねこねこねこ", 10)
    assert "ねこ" in {bpe.piece(256 + i) for i in range(len(bpe.merges))}


@pytest.mark.parametrize("text", ["hello world", "猫が好き", "🐱🐶🐱", MIXED, ""])
def test_round_trip_examples(text: str) -> None:
    bpe = train_bpe(MIXED * 2, 50)
    assert bpe.decode(bpe.encode(text)) == text
    own = train_bpe(text * 3, 30)
    assert own.decode(own.encode(text)) == text


@settings(max_examples=150, deadline=None)
@given(st.text())
def test_round_trip_property(text: str) -> None:
    bpe = train_bpe(MIXED, 30)
    assert bpe.decode(bpe.encode(text)) == text
    own = train_bpe(text + text, 10)
    assert own.decode(own.encode(text)) == text
    for k in (0, 3):
        assert own.decode(own.encode(text, k)) == text


def test_steps_end_at_encode_and_shrink_by_occurrences() -> None:
    text = MIXED * 4
    bpe = train_bpe(text, 30)
    steps = bpe.steps(text)
    assert len(steps) == len(bpe.merges) + 1
    assert steps[0] == list(text.encode("utf-8"))
    assert steps[-1] == bpe.encode(text)
    for k in range(1, len(steps)):
        prev, cur = steps[k - 1], steps[k]
        new_id = 256 + k - 1
        assert new_id not in prev
        # each occurrence of the new id replaced exactly two tokens
        assert len(prev) - len(cur) == cur.count(new_id) >= 2
        assert steps[k] == bpe.encode(text, k)
        assert bpe.decode(cur) == text


def test_encode_with_merge_limit_clamps() -> None:
    bpe = train_bpe("aaabdaaabac", 3)
    assert bpe.encode("aaabdaaabac", 0) == list(b"aaabdaaabac")
    assert bpe.encode("aaabdaaabac", 1) == [256, a, b, d, 256, a, b, a, c]
    assert bpe.encode("aaabdaaabac", -4) == list(b"aaabdaaabac")
    assert bpe.encode("aaabdaaabac", 99) == bpe.encode("aaabdaaabac") == [258, d, 258, a, c]


def test_truncated_keeps_first_merges() -> None:
    bpe = train_bpe(MIXED * 3, 20)
    for k in range(len(bpe.merges) + 1):
        t = bpe.truncated(k)
        assert isinstance(t, BPE)
        assert t.merges == bpe.merges[:k]
        assert t.encode(MIXED) == bpe.encode(MIXED, k)


@pytest.mark.parametrize("bad", [-1, -10, 1.5, "3", None, True])
def test_bad_num_merges_raises(bad: object) -> None:
    with pytest.raises(BPEError) as info:
        train_bpe("abab", bad)  # type: ignore[arg-type]
    assert isinstance(info.value, ExplorableError) and isinstance(info.value, ValueError)
    assert info.value.code


def test_bad_token_id_raises() -> None:
    bpe = train_bpe("abab", 1)
    with pytest.raises(BPEError):
        bpe.decode([257])
    with pytest.raises(BPEError):
        bpe.piece(-1)


def test_training_speed_on_japanese() -> None:
    base = "吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。何でも薄暗いじめじめした所でニャーニャー泣いていた事だけは記憶している。"
    text = (base * (3000 // len(base) + 1))[:3000]
    assert len(text.encode("utf-8")) > 8500
    start = time.perf_counter()
    bpe = train_bpe(text, 60)
    elapsed = time.perf_counter() - start
    assert len(bpe.merges) == 60
    assert elapsed < 0.5
    assert bpe.decode(bpe.encode(text)) == text
