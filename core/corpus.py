"""A tiny bilingual corpus in which the right next token depends on an earlier, distant one.

Two sentence families, each in Japanese and English, written as lists of word pieces:

- ``weather``: "Yesterday it was rainy, but today it's → sunny." The answer depends on
  the weather five tokens back *and* on the connective: "but" turns it into its opposite
  (rainy↔sunny, snowy↔cloudy), "and … again" repeats it.
- ``drink``: "If you put milk in coffee, you get → café au lait." The answer depends on
  the drink and on what was added, four to six tokens back.

The answer tokens that depend on a distant token are *marked* with their family, so a
model can be scored on exactly those positions. The first token of an answer is always
marked; a later token is marked too when the answers that share its prefix still differ
there (" iced" → " coffee" or " tea" depends on the drink, not on " iced").

Splits: windows of the held-out split come from a different random stream, and their
weather sentences use only (opening, weather) combinations that never occur in the
training split ("Here, yesterday it was rainy…"), so they test more than memory.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.bigram import fit_bigram
from core.errors import ExplorableError
from core.tokenizer import Tokenizer

FAMILIES: tuple[str, ...] = ("none", "weather", "drink")  # index = mark value
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
#: (opening, yesterday's weather) combinations reserved for the held-out split
HELDOUT_WEATHER: frozenset[tuple[int, int]] = frozenset({(1, 2), (2, 0)})

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


class CorpusError(ExplorableError):
    """Bad corpus request; ``code`` is a machine-readable reason."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code, code=code)
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


def weather_combos(split: str) -> list[tuple[int, int]]:
    """(opening, yesterday's weather) pairs of ``split``."""
    combos = [(p, y) for p in range(len(WEATHER_PREFIX["en"])) for y in range(len(OPPOSITE))]
    return [c for c in combos if (c in HELDOUT_WEATHER) == (split == "heldout")]


def weather_sentence(rng: np.random.Generator, lang: str, split: str = "train") -> list[Piece]:
    w = WEATHER[lang]
    combos = weather_combos(split)
    pre, y = combos[int(rng.integers(len(combos)))]
    but = bool(rng.integers(2))
    today = OPPOSITE[y] if but else y
    prefix = WEATHER_PREFIX[lang][pre]
    ans = _answer_marks([(x,) for x in w], (w[today],), 1)
    if lang == "ja":
        conj = ("けど", "、", "今日は") if but else ("し", "、", "今日も")
        body = ["昨日", "は", w[y], "だった", *conj]
        tail = ["だ", "。"]
    else:
        first = " yesterday" if prefix else "Yesterday"
        conj = (",", " but" if but else " and", " today", " it's")
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


FAMILY_WEIGHTS = (0.5, 0.5)  # weather, drink


def sentence(rng: np.random.Generator, split: str = "train") -> list[Piece]:
    """One random sentence (language and family drawn from ``rng``)."""
    if split not in SPLITS:
        raise CorpusError("bad_split", split)
    lang = LANGS[int(rng.integers(2))]
    fam = int(rng.choice(len(FAMILY_WEIGHTS), p=FAMILY_WEIGHTS))
    if fam == 0:
        return weather_sentence(rng, lang, split)
    return drink_sentence(rng, lang)


def all_pieces() -> set[str]:
    """Every word piece the grammar can emit (the tokenizer's multi-character pieces)."""
    out: set[str] = {EOS}
    for lang in LANGS:
        out.update(WEATHER[lang], BASES[lang], ADDS[lang])
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
            "今日は",
            "今日も",
            "し",
            "だ",
            "。",
            "に",
            "を",
            "入れる",
            "と",
            "なる",
        ]
    )
    out.update(
        [
            "Yesterday",
            " yesterday",
            " it",
            " it's",
            " was",
            ",",
            " but",
            " today",
            ".",
            " and",
            " again",
            "If",
            " you",
            " put",
            " in",
            " get",
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
    rng: np.random.Generator,
    n: int,
    n_ctx: int,
    tokenizer: Tokenizer,
    split: str = "train",
    *,
    random_start: bool = True,
) -> Windows:
    """``n`` windows of ``n_ctx`` inputs each, packing sentences until ``n_ctx + 1`` tokens.

    With ``random_start`` a window starts anywhere inside its first sentence, as the
    sliding window does when a long text is generated; the answers of that cut first
    sentence are not marked (their clue may be cut off). Otherwise every window starts
    at a sentence start."""
    if split not in SPLITS:
        raise CorpusError("bad_split", split)
    if n < 0 or n_ctx < 1:
        raise CorpusError("bad_size", f"n={n}, n_ctx={n_ctx}")
    ids = np.zeros((n, n_ctx + 1), dtype=np.int64)
    marks = np.zeros((n, n_ctx + 1), dtype=np.int8)
    index = tokenizer.index
    for r in range(n):
        row: list[Piece] = []
        if random_start:
            first = sentence(rng, split)
            off = int(rng.integers(len(first)))
            row = [(p, 0) for p, _ in first[off:]] if off else first
        while len(row) < n_ctx + 1:
            row.extend(sentence(rng, split))
        row = row[: n_ctx + 1]
        ids[r] = [index[p] for p, _ in row]
        marks[r] = [m for _, m in row]
    return Windows(ids[:, :-1], ids[:, 1:].copy(), marks[:, 1:].copy())


def text_of(pieces: Sequence[Piece]) -> str:
    return "".join(p for p, _ in pieces)


# ── scoring on the held-out split ─────────────────────────────────────────────
def heldout_windows(seed: int, n: int, n_ctx: int, tokenizer: Tokenizer) -> Windows:
    """The held-out windows a model is scored on (fixed by ``seed``)."""
    return sample_windows(np.random.default_rng(seed), n, n_ctx, tokenizer, split="heldout")


def fit_baseline(seed: int, n: int, n_ctx: int, tokenizer: Tokenizer, *, alpha: float):
    """The bigram baseline counted on ``n`` training windows drawn with ``seed``."""
    w = sample_windows(np.random.default_rng(seed), n, n_ctx, tokenizer, split="train")
    return fit_bigram(w.inputs, w.targets, tokenizer.size, alpha=alpha)


def sentence_counts(text: str) -> tuple[int, int]:
    """(whole sentences, distinct ones) in generated ``text``: the lines that both start
    and end inside it (the first line finishes the prompt, the last may be cut)."""
    whole = text.split(EOS)[1:-1]
    return len(whole), len(set(whole))
