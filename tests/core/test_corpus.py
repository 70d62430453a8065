"""The corpus: seeded, tokenizes back to its own pieces, follows its rules, marks exactly
the answers that depend on a distant token, and keeps held-out colour pairs out of training."""

from __future__ import annotations

import numpy as np
import pytest

from core import corpus


@pytest.fixture(scope="module")
def tok():
    return corpus.make_tokenizer()


def test_seeded_and_split_dependent(tok) -> None:
    a = corpus.sample_windows(np.random.default_rng(5), 20, 32, tok)
    b = corpus.sample_windows(np.random.default_rng(5), 20, 32, tok)
    c = corpus.sample_windows(np.random.default_rng(5), 20, 32, tok, split="heldout")
    assert np.array_equal(a.inputs, b.inputs) and np.array_equal(a.marks, b.marks)
    assert not np.array_equal(a.inputs, c.inputs)


def test_windows_align_inputs_targets_and_marks(tok) -> None:
    w = corpus.sample_windows(np.random.default_rng(1), 50, 40, tok, random_start=False)
    assert w.inputs.shape == w.targets.shape == w.marks.shape == (50, 40)
    assert np.array_equal(w.inputs[:, 1:], w.targets[:, :-1])
    assert (w.marks > 0).sum() > 50
    # every window starts at a sentence start
    starts = {tok.index[p] for p in ("昨日", "東京", "ここ", "Yesterday", "In", "Here", "If")}
    starts |= {tok.index[b] for b in corpus.BASES["ja"]}
    assert all(int(i) in starts for i in w.inputs[:, 0])


def test_random_starts_unmark_the_cut_first_sentence(tok) -> None:
    w = corpus.sample_windows(np.random.default_rng(8), 300, 24, tok)
    eos = tok.index[corpus.EOS]
    starts = {tok.index[p] for p in ("昨日", "東京", "ここ", "Yesterday", "In", "Here", "If")}
    starts |= {tok.index[b] for b in corpus.BASES["ja"]}
    assert sum(int(i) not in starts for i in w.inputs[:, 0]) > 100  # many start mid-sentence
    for ids, marks in zip(w.inputs, w.marks, strict=True):
        first_eos = int(np.argmax(ids == eos)) if (ids == eos).any() else len(ids)
        if int(ids[0]) not in starts:
            assert not marks[:first_eos].any()


def test_text_tokenizes_back_to_the_grammar_pieces(tok) -> None:
    rng = np.random.default_rng(2)
    for split in corpus.SPLITS:
        for _ in range(500):
            s = corpus.sentence(rng, split)
            assert tok.encode(corpus.text_of(s)) == [tok.index[p] for p, _ in s]


def _answers(s):
    return [(i, p, m) for i, (p, m) in enumerate(s) if m]


def test_weather_rule_but_flips_and_repeats() -> None:
    rng = np.random.default_rng(3)
    for lang in corpus.LANGS:
        w = corpus.WEATHER[lang]
        for _ in range(100):
            s = corpus.weather_sentence(rng, lang)
            pieces = [p for p, _ in s]
            ((i, ans, fam),) = _answers(s)
            assert fam == 1
            yesterday = next(p for p in pieces[:i] if p in w)
            but = ("けど" if lang == "ja" else " but") in pieces
            expect = w[corpus.OPPOSITE[w.index(yesterday)]] if but else yesterday
            assert ans == expect
            assert i - pieces.index(yesterday) >= 5  # at least five tokens back


def test_drink_table_and_marks() -> None:
    rng = np.random.default_rng(4)
    seen = set()
    for lang in corpus.LANGS:
        for _ in range(200):
            s = corpus.drink_sentence(rng, lang)
            pieces = [p for p, _ in s]
            base = next(b for b in corpus.BASES[lang] if b in pieces)
            add = next(a for a in corpus.ADDS[lang] if a in pieces)
            key = (corpus.BASES[lang].index(base), corpus.ADDS[lang].index(add))
            ans = corpus.DRINKS[lang][key]
            marked = _answers(s)
            start = marked[0][0]
            assert tuple(pieces[start : start + len(ans)]) == ans
            seen.add((lang, key))
    assert len(seen) == 14
    # " iced" is shared by iced coffee / iced tea, so the token after it is marked too
    marks = corpus._answer_marks(list(corpus.DRINKS["en"].values()), (" iced", " tea"), 2)
    assert [m for _, m in marks] == [2, 2]
    marks = corpus._answer_marks(list(corpus.DRINKS["en"].values()), (" café", " au", " lait"), 2)
    assert [m for _, m in marks] == [2, 0, 0]


def test_heldout_weather_combinations_never_occur_in_training() -> None:
    rng = np.random.default_rng(6)
    for split in corpus.SPLITS:
        seen = set()
        for lang in corpus.LANGS:
            for _ in range(200):
                s = corpus.weather_sentence(rng, lang, split)
                pieces = [p for p, _ in s]
                opening = next(
                    (
                        i
                        for i, o in enumerate(corpus.WEATHER_PREFIX[lang])
                        if o and tuple(pieces[: len(o)]) == o
                    ),
                    0,
                )
                y = next(corpus.WEATHER[lang].index(p) for p in pieces if p in corpus.WEATHER[lang])
                seen.add((opening, y))
        if split == "heldout":
            assert seen == set(corpus.HELDOUT_WEATHER)
        else:
            assert seen and not seen & corpus.HELDOUT_WEATHER


def test_bad_requests_raise_coded_errors(tok) -> None:
    with pytest.raises(corpus.CorpusError) as e:
        corpus.sample_windows(np.random.default_rng(0), 1, 8, tok, split="test")
    assert e.value.code == "bad_split"
    with pytest.raises(corpus.CorpusError):
        corpus.sample_windows(np.random.default_rng(0), 1, 0, tok)


def test_sentence_counts_ignore_the_first_and_the_cut_lines() -> None:
    text = "sunny.\nA.\nB.\nA.\nIf you"
    assert corpus.sentence_counts(text) == (3, 2)
    assert corpus.sentence_counts("no line break") == (0, 0)
