"""The toy model of the attention page: a tokenizer, a hand-designed embedding table with
named dimensions, and weight presets.

Real models learn their token vectors and weights; here they are written by hand so that
each number means something. Each of the six dimensions names one idea:

    drink · dairy · mix · time · weather · grammar

A word's vector says how much of each idea it carries (coffee is a drink, milk is dairy
and a little drink, 混ぜる/mix is mixing, を/the are grammar...). A token that is not in the
table gets a small pseudo-random vector seeded from the SHA-256 of its text, so the same
token always gets the same vector on every machine.

The "meaningful" preset gives the weights roles in the same named coordinates: a drink's
Query asks for *dairy* and *mix*, and the Keys of dairy and mixing words offer exactly
that, so in "ミルクを入れて、よく混ぜたコーヒー" the token コーヒー attends mostly to
ミルク and 混ぜ — and after attention its vector moves toward カフェオレ / café au lait.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from core.errors import ExplorableError

Array = NDArray[np.float64]

DIMENSIONS: tuple[str, ...] = ("drink", "dairy", "mix", "time", "weather", "grammar")
D_MODEL = len(DIMENSIONS)
DRINK, DAIRY, MIX, TIME, WEATHER, GRAMMAR = range(D_MODEL)
MAX_TOKENS = 16
MAX_HEADS = 4
D_FF = 4  # hidden units of the feed-forward network
UNKNOWN_SCALE = 0.3  # standard deviation of the seeded vectors of unknown tokens

DEFAULT_TEXT: Mapping[str, str] = {
    "ja": "ミルクを入れて、よく混ぜたコーヒー",
    "en": "I added milk and mixed it into my coffee",
}
#: The reference point of the projection: where coffee should head after attention.
REFERENCE: Mapping[str, str] = {"ja": "カフェオレ", "en": "café au lait"}

# fmt: off
#            drink dairy  mix  time weather grammar
_TABLE: dict[str, tuple[float, ...]] = {
    # drinks and what goes into them
    "コーヒー":  (1.0, 0.0, 0.0, 0.0, 0.0, 0.0),
    "coffee":    (1.0, 0.0, 0.0, 0.0, 0.0, 0.0),
    "紅茶":      (0.9, 0.0, 0.0, 0.0, 0.0, 0.0),
    "tea":       (0.9, 0.0, 0.0, 0.0, 0.0, 0.0),
    "ミルク":    (0.3, 1.0, 0.0, 0.0, 0.0, 0.0),
    "milk":      (0.3, 1.0, 0.0, 0.0, 0.0, 0.0),
    "牛乳":      (0.3, 1.0, 0.0, 0.0, 0.0, 0.0),
    "クリーム":  (0.1, 0.9, 0.0, 0.0, 0.0, 0.0),
    "cream":     (0.1, 0.9, 0.0, 0.0, 0.0, 0.0),
    "砂糖":      (0.2, 0.0, 0.3, 0.0, 0.0, 0.0),
    "sugar":     (0.2, 0.0, 0.3, 0.0, 0.0, 0.0),
    "カフェオレ": (1.0, 0.9, 0.6, 0.0, 0.0, 0.0),
    "café au lait": (1.0, 0.9, 0.6, 0.0, 0.0, 0.0),
    # mixing
    "混ぜ":      (0.0, 0.0, 1.0, 0.0, 0.0, 0.0),
    "混ぜる":    (0.0, 0.0, 1.0, 0.0, 0.0, 0.0),
    "かき混ぜ":  (0.0, 0.0, 1.0, 0.0, 0.0, 0.0),
    "mix":       (0.0, 0.0, 1.0, 0.0, 0.0, 0.0),
    "mixed":     (0.0, 0.0, 1.0, 0.0, 0.0, 0.0),
    "mixing":    (0.0, 0.0, 1.0, 0.0, 0.0, 0.0),
    "stir":      (0.0, 0.0, 1.0, 0.0, 0.0, 0.0),
    "stirred":   (0.0, 0.0, 1.0, 0.0, 0.0, 0.0),
    "入れ":      (0.0, 0.0, 0.4, 0.0, 0.0, 0.1),
    "add":       (0.0, 0.0, 0.4, 0.0, 0.0, 0.1),
    "added":     (0.0, 0.0, 0.4, 0.0, 0.0, 0.1),
    "pour":      (0.0, 0.0, 0.4, 0.0, 0.0, 0.1),
    "poured":    (0.0, 0.0, 0.4, 0.0, 0.0, 0.1),
    "飲む":      (0.6, 0.0, 0.0, 0.0, 0.0, 0.1),
    "飲ん":      (0.6, 0.0, 0.0, 0.0, 0.0, 0.1),
    "drink":     (0.6, 0.0, 0.0, 0.0, 0.0, 0.1),
    "drank":     (0.6, 0.0, 0.0, 0.0, 0.0, 0.1),
    # time
    "昨日":      (0.0, 0.0, 0.0, 1.0, 0.0, 0.0),
    "今日":      (0.0, 0.0, 0.0, 1.0, 0.0, 0.0),
    "明日":      (0.0, 0.0, 0.0, 1.0, 0.0, 0.0),
    "朝":        (0.1, 0.0, 0.0, 0.8, 0.0, 0.0),
    "yesterday": (0.0, 0.0, 0.0, 1.0, 0.0, 0.0),
    "today":     (0.0, 0.0, 0.0, 1.0, 0.0, 0.0),
    "tomorrow":  (0.0, 0.0, 0.0, 1.0, 0.0, 0.0),
    "morning":   (0.1, 0.0, 0.0, 0.8, 0.0, 0.0),
    # weather
    "雨":        (0.0, 0.0, 0.0, 0.0, 1.0, 0.0),
    "晴れ":      (0.0, 0.0, 0.0, 0.0, 1.0, 0.0),
    "曇り":      (0.0, 0.0, 0.0, 0.0, 1.0, 0.0),
    "rain":      (0.0, 0.0, 0.0, 0.0, 1.0, 0.0),
    "rainy":     (0.0, 0.0, 0.0, 0.0, 1.0, 0.0),
    "sunny":     (0.0, 0.0, 0.0, 0.0, 1.0, 0.0),
    "cloudy":    (0.0, 0.0, 0.0, 0.0, 1.0, 0.0),
    # grammar: particles, articles, auxiliaries, punctuation
    "を": (0.0, 0.0, 0.0, 0.0, 0.0, 1.0), "に": (0.0, 0.0, 0.0, 0.0, 0.0, 1.0),
    "は": (0.0, 0.0, 0.0, 0.0, 0.0, 1.0), "が": (0.0, 0.0, 0.0, 0.0, 0.0, 1.0),
    "の": (0.0, 0.0, 0.0, 0.0, 0.0, 1.0), "と": (0.0, 0.0, 0.0, 0.0, 0.0, 1.0),
    "て": (0.0, 0.0, 0.0, 0.0, 0.0, 0.9), "で": (0.0, 0.0, 0.0, 0.0, 0.0, 0.9),
    "た": (0.0, 0.0, 0.0, 0.2, 0.0, 0.9), "だ": (0.0, 0.0, 0.0, 0.0, 0.0, 0.9),
    "だった": (0.0, 0.0, 0.0, 0.4, 0.0, 0.8), "けど": (0.0, 0.0, 0.0, 0.0, 0.0, 0.8),
    "よく": (0.0, 0.0, 0.2, 0.0, 0.0, 0.6), "、": (0.0, 0.0, 0.0, 0.0, 0.0, 0.7),
    "。": (0.0, 0.0, 0.0, 0.0, 0.0, 0.7),
    "i": (0.0, 0.0, 0.0, 0.0, 0.0, 0.8), "it": (0.0, 0.0, 0.0, 0.0, 0.0, 1.0),
    "my": (0.0, 0.0, 0.0, 0.0, 0.0, 1.0), "the": (0.0, 0.0, 0.0, 0.0, 0.0, 1.0),
    "a": (0.0, 0.0, 0.0, 0.0, 0.0, 1.0), "and": (0.0, 0.0, 0.0, 0.0, 0.0, 1.0),
    "into": (0.0, 0.0, 0.1, 0.0, 0.0, 0.9), "in": (0.0, 0.0, 0.0, 0.0, 0.0, 1.0),
    "with": (0.0, 0.0, 0.1, 0.0, 0.0, 0.9), "was": (0.0, 0.0, 0.0, 0.4, 0.0, 0.8),
    "is": (0.0, 0.0, 0.0, 0.0, 0.0, 0.9), "but": (0.0, 0.0, 0.0, 0.0, 0.0, 0.8),
    "well": (0.0, 0.0, 0.2, 0.0, 0.0, 0.6), ".": (0.0, 0.0, 0.0, 0.0, 0.0, 0.7),
    ",": (0.0, 0.0, 0.0, 0.0, 0.0, 0.7),
}
# fmt: on

#: The vocabulary in a fixed order: a token's id is its position here.
VOCAB: tuple[str, ...] = tuple(_TABLE)
TOKEN_ID: Mapping[str, int] = {w: i for i, w in enumerate(VOCAB)}
TABLE: Array = np.array([_TABLE[w] for w in VOCAB], dtype=np.float64)  # (V, d_model)
_MAX_WORD = max(len(w) for w in VOCAB)
UNKNOWN_ID_BASE = 1000  # unknown tokens get ids 1000..9999 from their hash


class TokenizeError(ExplorableError):
    """Input the tokenizer cannot use; ``code`` is ``empty`` (nothing but whitespace)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code, code=code)
        self.detail = detail


@dataclass(frozen=True)
class Tokenization:
    tokens: tuple[str, ...]  # at most max_tokens pieces of the text, as written
    n_total: int  # how many tokens the whole text has
    truncated: bool  # True when tokens were cut off at max_tokens


@dataclass(frozen=True)
class Embedding:
    tokens: tuple[str, ...]
    ids: tuple[int, ...]  # vocabulary id, or 1000+ (hash) for unknown tokens
    known: tuple[bool, ...]  # True where the token is in the hand-designed table
    X: Array  # (T, d_model) one row per token


def _key(token: str) -> str:
    """Lookup form of a token: Unicode NFKC and lower case (the token itself is kept)."""
    return unicodedata.normalize("NFKC", token).lower()


def _is_latin_word(ch: str) -> bool:
    return (ch.isalnum() and ord(ch) < 0x3000 and unicodedata.category(ch)[0] in "LN") or ch in "'’"


def _is_katakana(ch: str) -> bool:
    return "\u30a0" <= ch <= "\u30ff" or "\uff66" <= ch <= "\uff9f"


def _is_joiner(ch: str) -> bool:
    """Code points that belong to the previous character (marks, ZWJ, variation selectors)."""
    return (
        unicodedata.category(ch) in ("Mn", "Me", "Mc", "Sk")
        or ch in "\u200d\ufe0f\ufe0e"
        or "\U0001f3fb" <= ch <= "\U0001f3ff"
    )


def _lookup_prefix(text: str, i: int) -> int:
    """Length of the longest vocabulary word starting at text[i] (0 if none)."""
    for n in range(min(_MAX_WORD, len(text) - i), 0, -1):
        if _key(text[i : i + n]) in TOKEN_ID:
            return n
    return 0


def _add(out: list[str], piece: str) -> None:
    """Append a token without a dangling zero-width joiner (a joiner needs a partner)."""
    piece = piece.rstrip("\u200d")
    if piece:
        out.append(piece)


def _split(text: str) -> list[str]:
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            i += 1  # whitespace, control and format characters (NUL, bidi overrides...)
            continue
        if _is_latin_word(ch):
            j = i + 1
            while j < n and (_is_latin_word(text[j]) or _is_joiner(text[j])):
                j += 1
            _add(out, text[i:j])
            i = j
            continue
        m = _lookup_prefix(text, i)
        if m:
            j = i + m
        elif _is_katakana(ch):  # an unknown katakana word stays whole
            j = i + 1
            while j < n and (_is_katakana(text[j]) or _is_joiner(text[j])):
                j += 1
        else:  # anything else: one character with its combining marks / joined emoji
            j = i + 1
            while j < n and _is_joiner(text[j]):
                j += 1
                if text[j - 1] == "\u200d" and j < n:  # ZWJ joins the next character
                    j += 1
        _add(out, text[i:j])
        i = j
    return out


def tokenize(text: str, *, max_tokens: int = MAX_TOKENS) -> Tokenization:
    """Split ``text`` into words of the table (longest match), Latin words, unknown
    katakana runs, and single characters; keep at most ``max_tokens`` of them.

    Raises TokenizeError("empty") for text with no tokens (empty or whitespace only).
    """
    pieces = _split(str(text))
    if not pieces:
        raise TokenizeError("empty")
    return Tokenization(tuple(pieces[:max_tokens]), len(pieces), len(pieces) > max_tokens)


def _digest(token: str) -> bytes:
    return hashlib.sha256(_key(token).encode("utf-8")).digest()


def token_id(token: str) -> int:
    """Vocabulary id, or a stable id in 1000..9999 from the token's SHA-256."""
    k = _key(token)
    if k in TOKEN_ID:
        return TOKEN_ID[k]
    return UNKNOWN_ID_BASE + int.from_bytes(_digest(token)[:8], "little") % 9000


def token_vector(token: str) -> Array:
    """The table's row for a known token; a SHA-256-seeded N(0, 0.3²) vector otherwise."""
    k = _key(token)
    if k in TOKEN_ID:
        return TABLE[TOKEN_ID[k]].copy()
    rng = np.random.default_rng(int.from_bytes(_digest(token)[:8], "little"))
    return rng.normal(0.0, UNKNOWN_SCALE, D_MODEL)


def embed(tokens: tuple[str, ...] | list[str]) -> Embedding:
    """Token vectors X (T, d_model) with ids and a known/unknown flag per token."""
    toks = tuple(tokens)
    X = np.array([token_vector(t) for t in toks], dtype=np.float64).reshape(len(toks), D_MODEL)
    return Embedding(
        toks, tuple(token_id(t) for t in toks), tuple(_key(t) in TOKEN_ID for t in toks), X
    )


# ── weight presets ──────────────────────────────────────────────────────────────────────

PRESETS: tuple[str, ...] = ("meaningful", "random", "identity")


@dataclass(frozen=True)
class Weights:
    """All weights of one block. Head h uses columns h·d:(h+1)·d of Wq, Wk, Wv."""

    Wq: Array  # (d_model, H·d_head)
    Wk: Array  # (d_model, H·d_head)
    Wv: Array  # (d_model, H·d_head)
    Wo: Array  # (H·d_head, d_model)
    W1: Array  # (d_model, d_ff)
    b1: Array  # (d_ff,)
    W2: Array  # (d_ff, d_model)
    b2: Array  # (d_model,)


EDITABLE: tuple[str, ...] = ("Wq", "Wk", "Wv", "Wo")  # matrices a reader may edit
MAX_EDIT = 1e6  # an edited cell must be a finite number of at most this size


def apply_edits(w: Weights, edits: Sequence[tuple[str, int, int, float]]) -> Weights:
    """``w`` with some cells of Wq, Wk, Wv or Wo replaced: edits are (matrix, row, col,
    value). Cells outside the matrices, other matrices, and values that are not finite
    numbers of magnitude at most ``MAX_EDIT`` are ignored (the preset value stays)."""
    mats = {m: getattr(w, m).copy() for m in EDITABLE}
    for m, r, c, v in edits:
        if m not in mats or not (0 <= r < mats[m].shape[0] and 0 <= c < mats[m].shape[1]):
            continue
        v = float(v)
        if np.isfinite(v) and abs(v) <= MAX_EDIT:
            mats[m][r, c] = v
    return Weights(mats["Wq"], mats["Wk"], mats["Wv"], mats["Wo"], w.W1, w.b1, w.W2, w.b2)


def _meaningful_head(h: int, n_heads: int) -> tuple[Array, Array, Array]:
    """Hand-designed heads in the named coordinates (Q/K/V columns reuse DIMENSIONS).

    The "drink" role: a drink's Query asks for dairy and mixing, the Keys of dairy and
    mixing words offer them, and Values pass on every meaning except grammar. The
    "calendar" role: time and weather words ask for each other and pass on only time and
    weather. One head plays both roles; with two or more heads, head 1 plays the drink
    role and head 2 the calendar role; heads 3 and 4 are seeded random (untrained).
    """
    d = D_MODEL
    Wq, Wk, Wv = np.zeros((d, d)), np.zeros((d, d)), np.zeros((d, d))
    drink = h == 0
    calendar = h == 1 or n_heads == 1
    if h >= 2:
        rng = np.random.default_rng(1000 + h)
        return tuple(rng.normal(0, 1 / np.sqrt(d), (d, d)) for _ in range(3))  # type: ignore[return-value]
    if drink:
        Wq[DRINK, DAIRY] = Wq[DRINK, MIX] = 3.0  # "I am a drink: what was added? mixed?"
        Wk[DAIRY, DAIRY] = Wk[MIX, MIX] = 2.0  # the signposts milk and mixing offer
        for k in (DRINK, DAIRY, MIX, TIME, WEATHER):
            Wv[k, k] = 1.0  # pass on meaning, not grammar
    if calendar:
        Wq[TIME, WEATHER] = Wq[WEATHER, TIME] = 3.0  # "what was the weather?" / "when?"
        Wk[TIME, TIME] = Wk[WEATHER, WEATHER] = 2.0
        Wv[TIME, TIME] = Wv[WEATHER, WEATHER] = 1.0
    return Wq, Wk, Wv


def preset_weights(name: str, n_heads: int = 1, *, seed: int = 0) -> Weights:
    """Weights for ``n_heads`` heads (1..4), each of width d_head = d_model.

    ``meaningful``: hand-designed heads (see :func:`_meaningful_head`), Wo adds them, and
    a feed-forward network whose units detect "café au lait" (drink+dairy+mix, adds
    dairy and mix), "the day's weather" (time+weather), grammar (damped) and dairy.
    ``random``: N(0, 1/d_model) from ``np.random.default_rng(seed)``.
    ``identity``: Wq = Wk = Wv = I per head, Wo averages the heads, no feed-forward.
    """
    if name not in PRESETS:
        raise ExplorableError(f"unknown preset {name!r}", code="preset", preset=name)
    H = int(n_heads)
    if not 1 <= H <= MAX_HEADS:
        raise ExplorableError(f"n_heads must be 1..{MAX_HEADS}", code="heads", n_heads=n_heads)
    d = D_MODEL
    if name == "random":
        rng = np.random.default_rng(seed)
        s = 1 / np.sqrt(d)
        return Weights(
            rng.normal(0, s, (d, H * d)),
            rng.normal(0, s, (d, H * d)),
            rng.normal(0, s, (d, H * d)),
            rng.normal(0, s / np.sqrt(H), (H * d, d)),
            rng.normal(0, s, (d, D_FF)),
            np.zeros(D_FF),
            rng.normal(0, 1 / np.sqrt(D_FF), (D_FF, d)),
            np.zeros(d),
        )
    if name == "identity":
        eye = np.eye(d)
        wide = np.tile(eye, (1, H))
        return Weights(
            wide,
            wide.copy(),
            wide.copy(),
            np.tile(eye, (H, 1)) / H,
            np.zeros((d, D_FF)),
            np.zeros(D_FF),
            np.zeros((D_FF, d)),
            np.zeros(d),
        )
    heads = [_meaningful_head(h, H) for h in range(H)]
    Wq = np.concatenate([q for q, _, _ in heads], axis=1)
    Wk = np.concatenate([k for _, k, _ in heads], axis=1)
    Wv = np.concatenate([v for _, _, v in heads], axis=1)
    # Wo adds the hand-designed heads and a quarter of each untrained one
    Wo = np.concatenate([np.eye(d) * (1.0 if h < 2 else 0.25) for h in range(H)], axis=0)
    W1 = np.zeros((d, D_FF))
    b1 = np.zeros(D_FF)
    W2 = np.zeros((D_FF, d))
    W1[[DRINK, DAIRY, MIX], 0], b1[0] = 1.0, -1.0  # café au lait detector
    W2[0, [DAIRY, MIX]] = 0.3
    W1[[TIME, WEATHER], 1], b1[1] = 1.0, -1.0  # "the weather of that day"
    W2[1, WEATHER] = 0.5
    W1[GRAMMAR, 2], b1[2] = 1.0, -0.5  # damp function words
    W2[2, GRAMMAR] = -0.3
    W1[DAIRY, 3], b1[3] = 1.0, -0.5  # dairy is something you drink
    W2[3, DRINK] = 0.2
    return Weights(Wq, Wk, Wv, Wo, W1, b1, W2, np.zeros(d))
