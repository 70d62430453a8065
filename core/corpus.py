"""A tiny bilingual corpus in which the right next token depends on an earlier, distant one.

Three sentence families, each in Japanese and English, written as lists of word pieces:

- ``weather``: "Yesterday it was rainy, but today it is → sunny." The answer depends on
  the weather five to seven tokens back *and* on the connective: "but" turns it into its
  opposite (rainy↔sunny, snowy↔cloudy), "and … again" repeats it.
- ``drink``: "If you put milk in coffee, you get → café au lait." The answer depends on
  the drink and on what was added, four to six tokens back.
- ``ball``: "Taro has a red ball and Hanako has a blue ball. Taro's ball is → red." The
  answer is copied from whichever earlier clause names the same person (10+ tokens back).

The answer tokens that depend on a distant token are *marked* with their family, so a
model can be scored on exactly those positions. The first token of an answer is always
marked; a later token is marked too when the answers that share its prefix still differ
there (" iced" → " coffee" or " tea" depends on the drink, not on " iced").

Splits: windows of the held-out split come from a different random stream, and their
ball sentences use only colour pairs that never occur in the training split, so the
ball family measures copying, not memorising.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.tokenizer import Tokenizer

FAMILIES: tuple[str, ...] = ("none", "weather", "drink", "ball")  # index = mark value
SPLITS: tuple[str, ...] = ("train", "heldout")
LANGS: tuple[str, ...] = ("ja", "en")
EOS = "\n"  # every sentence ends with a newline token

Piece = tuple[str, int]  # (text, family mark: 0 = not marked)

# ── weather ────────────────────────────────────────────────────────────────
WEATHER = {"ja": ("雨", "晴れ", "雪", "くもり"), "en": (" rainy", " sunny", " snowy", " cloudy")}
OPPOSITE = (1, 0, 3, 2)  # "but": rainy<->sunny, snowy<->cloudy
WEATHER_PREFIX = {
    "ja": ((), ("東京", "では", "、"), ("ここ", "では", "、")),
    "en": ((), ("In", " Tokyo", ","), ("Here", ",")),
}

# ── drink ──────────────────────────────────────────────────────────────────
BASES = {"ja": ("コーヒー", "紅茶", "抹茶"), "en": (" coffee", " tea", " matcha")}
ADDS = {"ja": ("ミルク", "氷", "レモン"), "en": (" milk", " ice", " lemon")}
# (base, add) -> answer pieces; lemon goes only with tea.
DRINKS = {
    "ja": {
        (0, 0): ("カフェオレ",),
        (1, 0): ("ミルクティー",),
        (2, 0): ("抹茶ラテ",),
        (0, 1): ("アイスコーヒー",),
        (1, 1): ("アイスティー",),
        (2, 1): ("冷たい", "抹茶"),
        (1, 2): ("レモンティー",),
    },
    "en": {
        (0, 0): (" café", " au", " lait"),
        (1, 0): (" milk", " tea"),
        (2, 0): (" matcha", " latte"),
        (0, 1): (" iced", " coffee"),
        (1, 1): (" iced", " tea"),
        (2, 1): (" cold", " matcha"),
        (1, 2): (" lemon", " tea"),
    },
}

# ── ball ───────────────────────────────────────────────────────────────────
NAMES = {"ja": ("太郎", "花子", "健", "由美"), "en": ("Taro", "Hanako", "Ken", "Yumi")}
COLOURS = {
    "ja": ("赤い", "青い", "白い", "黒い", "黄色い"),
    "en": (" red", " blue", " white", " black", " yellow"),
}
#: ordered colour pairs (first clause, second clause) reserved for the held-out split
HELDOUT_PAIRS: frozenset[tuple[int, int]] = frozenset({(0, 3), (1, 4), (2, 0), (3, 1), (4, 2)})


class CorpusError(ValueError):
    """Bad corpus request; ``code`` is a machine-readable reason."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


def _answer_marks(
    options: Sequence[Sequence[str]], answer: Sequence[str], family: int
) -> list[Piece]:
    """Mark answer token i when the options sharing answer[:i] still differ at i."""
    out: list[Piece] = []
    for i, piece in enumerate(answer):
        alts = {o[i] for o in options if len(o) > i and tuple(o[:i]) == tuple(answer[:i])}
        out.append((piece, family if (i == 0 or len(alts) > 1) else 0))
    return out


def weather_sentence(rng: np.random.Generator, lang: str) -> list[Piece]:
    w = WEATHER[lang]
    y = int(rng.integers(len(w)))
    but = bool(rng.integers(2))
    today = OPPOSITE[y] if but else y
    prefix = WEATHER_PREFIX[lang][int(rng.integers(len(WEATHER_PREFIX[lang])))]
    ans = _answer_marks([(x,) for x in w], (w[today],), 1)
    if lang == "ja":
        conj = ("けど", "、", "今日", "は") if but else ("し", "、", "今日", "も")
        body = ["昨日", "は", w[y], "だった", *conj]
        tail = ["だ", "。"]
    else:
        first = "yesterday" if prefix else "Yesterday"
        conj = (
            (",", " but", " today", " it", " is") if but else (",", " and", " today", " it", " is")
        )
        body = [first, " it", " was", w[y], *conj]
        tail = ["." if but else " again", *([] if but else ["."])]
    return [(p, 0) for p in (*prefix, *body)] + ans + [(p, 0) for p in (*tail, EOS)]


def drink_sentence(rng: np.random.Generator, lang: str) -> list[Piece]:
    table = DRINKS[lang]
    keys = sorted(table)
    base, add = keys[int(rng.integers(len(keys)))]
    ans = _answer_marks(list(table.values()), table[(base, add)], 2)
    b, a = BASES[lang][base], ADDS[lang][add]
    if lang == "ja":
        head = [b, "に", a, "を", "入れる", "と", "、"]
        tail = ["に", "なる", "。"]
    else:
        head = ["If", " you", " put", a, " in", b, ",", " you", " get"]
        tail = ["."]
    return [(p, 0) for p in head] + ans + [(p, 0) for p in (*tail, EOS)]


def ball_pairs(split: str) -> list[tuple[int, int]]:
    """Ordered colour pairs of ``split`` (the held-out ones never occur in training)."""
    n = len(COLOURS["en"])
    pairs = [(i, j) for i in range(n) for j in range(n) if i != j]
    held = split == "heldout"
    return [p for p in pairs if (p in HELDOUT_PAIRS) == held]


def ball_sentence(rng: np.random.Generator, lang: str, split: str = "train") -> list[Piece]:
    names, colours = NAMES[lang], COLOURS[lang]
    pairs = ball_pairs(split)
    c1, c2 = pairs[int(rng.integers(len(pairs)))]
    n1, n2 = (int(k) for k in rng.choice(len(names), size=2, replace=False))
    asked_first = bool(rng.integers(2))
    q, cq = (n1, c1) if asked_first else (n2, c2)
    ans = _answer_marks([(c,) for c in colours], (colours[cq],), 3)
    if lang == "ja":
        head = [
            names[n1],
            "は",
            colours[c1],
            "ボール",
            "を",
            "、",
            names[n2],
            "は",
            colours[c2],
            "ボール",
            "を",
            "持っている",
            "。",
            names[q],
            "の",
            "ボール",
            "は",
        ]
        tail = ["。"]
    else:
        head = [
            names[n1],
            " has",
            " a",
            colours[c1],
            " ball",
            " and",
            " " + names[n2],
            " has",
            " a",
            colours[c2],
            " ball",
            ".",
            " " + names[q],
            "'s",
            " ball",
            " is",
        ]
        tail = ["."]
    return [(p, 0) for p in head] + ans + [(p, 0) for p in (*tail, EOS)]


FAMILY_WEIGHTS = (0.35, 0.35, 0.30)  # weather, drink, ball


def sentence(rng: np.random.Generator, split: str = "train") -> list[Piece]:
    """One random sentence (language and family drawn from ``rng``)."""
    if split not in SPLITS:
        raise CorpusError("bad_split", split)
    lang = LANGS[int(rng.integers(2))]
    fam = int(rng.choice(3, p=FAMILY_WEIGHTS))
    if fam == 0:
        return weather_sentence(rng, lang)
    if fam == 1:
        return drink_sentence(rng, lang)
    return ball_sentence(rng, lang, split)


def all_pieces() -> set[str]:
    """Every word piece the grammar can emit (the tokenizer's multi-character pieces)."""
    out: set[str] = {EOS}
    for lang in LANGS:
        out.update(WEATHER[lang], BASES[lang], ADDS[lang], NAMES[lang], COLOURS[lang])
        out.update(" " + n for n in NAMES["en"])
        for p in WEATHER_PREFIX[lang]:
            out.update(p)
        for ans in DRINKS[lang].values():
            out.update(ans)
    out.update(
        [
            "昨日",
            "は",
            "だった",
            "けど",
            "、",
            "今日",
            "も",
            "し",
            "だ",
            "。",
            "に",
            "を",
            "入れる",
            "と",
            "なる",
            "ボール",
            "持っている",
            "の",
        ]
    )
    out.update(
        [
            "Yesterday",
            "yesterday",
            " it",
            " was",
            ",",
            " but",
            " today",
            " is",
            ".",
            " and",
            " again",
            "If",
            " you",
            " put",
            " in",
            " get",
            " has",
            " a",
            " ball",
            "'s",
        ]
    )
    return out


def make_tokenizer() -> Tokenizer:
    """The tokenizer of this corpus (deterministic)."""
    return Tokenizer.from_pieces(all_pieces())


@dataclass(frozen=True)
class Windows:
    """Training or evaluation windows: inputs and next-token targets, aligned."""

    inputs: np.ndarray  # (n, T) int64 token ids
    targets: np.ndarray  # (n, T) int64: targets[:, t] is the token after inputs[:, t]
    marks: np.ndarray  # (n, T) int8: family of targets[:, t] if long-range, else 0


def sample_windows(
    rng: np.random.Generator, n: int, n_ctx: int, tokenizer: Tokenizer, split: str = "train"
) -> Windows:
    """``n`` windows of ``n_ctx`` inputs each, every one starting at a sentence start
    and packing whole sentences (the last one cut) until ``n_ctx + 1`` tokens."""
    if split not in SPLITS:
        raise CorpusError("bad_split", split)
    if n < 0 or n_ctx < 1:
        raise CorpusError("bad_size", f"n={n}, n_ctx={n_ctx}")
    ids = np.zeros((n, n_ctx + 1), dtype=np.int64)
    marks = np.zeros((n, n_ctx + 1), dtype=np.int8)
    index = tokenizer.index
    for r in range(n):
        row: list[Piece] = []
        while len(row) < n_ctx + 1:
            row.extend(sentence(rng, split))
        row = row[: n_ctx + 1]
        ids[r] = [index[p] for p, _ in row]
        marks[r] = [m for _, m in row]
    return Windows(ids[:, :-1], ids[:, 1:].copy(), marks[:, 1:].copy())


def text_of(pieces: Sequence[Piece]) -> str:
    return "".join(p for p, _ in pieces)
