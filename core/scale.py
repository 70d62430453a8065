"""Model scale: parameters, training compute and memory of decoder-only transformers.

Everything here is exact integer arithmetic on the shape of a model, so the counts can
be compared digit for digit with published checkpoints.

Symbols (the page shows the same letters)::

    V     vocab_size         T     n_ctx (context length)
    d     d_model            L     n_layers
    h     n_heads            h_kv  n_kv_heads (grouped-query attention; = h for plain MHA)
    d_h   d_model / h        d_ff  hidden width of the MLP

One transformer block holds
- attention: W_Q (d × h·d_h), W_K and W_V (d × h_kv·d_h each), W_O (h·d_h × d)
  (+ biases h·d_h, h_kv·d_h, h_kv·d_h, d);
- an MLP: GELU uses two matrices (d × d_ff, d_ff × d; biases d_ff + d), SwiGLU three
  (gate and up d × d_ff, down d_ff × d; biases 2·d_ff + d);
- two norms: LayerNorm has a gain and (with ``bias``) a shift per channel, RMSNorm only
  a gain.
Around the L blocks: the token embedding (V × d), learned positions (T × d) unless the
model uses rotary positions (no parameters), a final norm, and the output head (d × V,
no bias) unless it is tied to the token embedding (then it is counted once).

Training compute uses the standard estimate C ≈ 6·N·D (Kaplan et al. 2020, "Scaling
Laws for Neural Language Models", §2.1): about 2 FLOP per parameter and token forward
and 4 backward.
"""

from __future__ import annotations

import json
import math
import pathlib
import zipfile
from collections.abc import Mapping
from dataclasses import KW_ONLY, dataclass
from types import MappingProxyType

import numpy as np

from core.errors import ExplorableError

MLPS: tuple[str, ...] = ("gelu", "swiglu")
NORMS: tuple[str, ...] = ("layernorm", "rmsnorm")

#: Largest accepted value of each size: far beyond any real model, small enough that
#: every derived number stays meaningful.
LIMITS: Mapping[str, int] = MappingProxyType(
    {
        "vocab_size": 10_000_000,
        "n_ctx": 100_000_000,
        "d_model": 1_000_000,
        "n_layers": 100_000,
        "n_heads": 100_000,
        "d_ff": 10_000_000,
        "n_kv_heads": 100_000,
        "n_tokens": 10**16,
        "n_accelerators": 100_000_000,
        "context": 100_000_000,
        "batch": 1_000_000,
    }
)

#: Order of the parts in :func:`count_parameters` (and in the breakdown chart).
PARTS: tuple[str, ...] = (
    "token_embedding",
    "position_embedding",
    "attention_q",
    "attention_k",
    "attention_v",
    "attention_o",
    "mlp",
    "norms",
    "output_head",
)


class ScaleError(ExplorableError):
    """An invalid shape or quantity.

    ``code`` is machine-readable (the UI shows ``scale.errors.<code>``) and ``info`` holds
    the values the message needs (``field``, ``value``, ``limit``, ...).
    """

    def __init__(self, code: str, **info: object) -> None:
        super().__init__(f"{code}: {info}" if info else code, code=code, **info)


def _check_int(name: str, value: object, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ScaleError("not_integer", field=name, value=value)
    if value < minimum:
        raise ScaleError("too_small", field=name, value=value, limit=minimum)
    limit = LIMITS.get(name)
    if limit is not None and value > limit:
        raise ScaleError("too_large", field=name, value=value, limit=limit)
    return value


@dataclass(frozen=True)
class ModelShape:
    """The hyper-parameters that fix a decoder-only transformer's parameter count.

    Raises :class:`ScaleError` on construction if the shape is impossible.
    """

    vocab_size: int  # V: number of distinct tokens
    n_ctx: int  # T: context length (rows of a learned position table)
    d_model: int  # d: width of every token vector
    n_layers: int  # L: number of transformer blocks
    n_heads: int  # h: attention heads; d_model = h · d_head
    d_ff: int  # hidden width of the MLP (4·d for GPT, ~8/3·d for SwiGLU)
    _: KW_ONLY  # the architecture switches are keyword-only, as in the core contract
    mlp: str = "gelu"  # "gelu" (2 matrices) or "swiglu" (3 matrices)
    norm: str = "layernorm"  # "layernorm" (gain + shift) or "rmsnorm" (gain)
    tied_embeddings: bool = True  # output head shares the token embedding
    learned_positions: bool = True  # learned T × d table (False: rotary, no parameters)
    bias: bool = True  # biases in linear layers and LayerNorm shifts
    n_kv_heads: int | None = None  # h_kv for grouped-query attention (None: = n_heads)

    def __post_init__(self) -> None:
        for name in ("vocab_size", "n_ctx", "d_model", "n_layers", "n_heads", "d_ff"):
            _check_int(name, getattr(self, name))
        if self.n_kv_heads is not None:
            _check_int("n_kv_heads", self.n_kv_heads)
        if self.mlp not in MLPS:
            raise ScaleError("bad_choice", field="mlp", value=self.mlp)
        if self.norm not in NORMS:
            raise ScaleError("bad_choice", field="norm", value=self.norm)
        for name in ("tied_embeddings", "learned_positions", "bias"):
            if not isinstance(getattr(self, name), bool):
                raise ScaleError("bad_choice", field=name, value=getattr(self, name))
        if self.d_model % self.n_heads:
            raise ScaleError("heads_not_divisor", d_model=self.d_model, n_heads=self.n_heads)
        if self.n_heads % self.kv_heads:
            raise ScaleError("kv_heads_not_divisor", n_heads=self.n_heads, n_kv_heads=self.kv_heads)

    @property
    def kv_heads(self) -> int:
        """h_kv: heads of K and V (= n_heads unless grouped-query attention)."""
        return self.n_heads if self.n_kv_heads is None else self.n_kv_heads

    @property
    def d_head(self) -> int:
        """d_h = d_model / n_heads."""
        return self.d_model // self.n_heads

    def symbols(self) -> dict[str, int]:
        """Value of every symbol a formula may use."""
        return {
            "V": self.vocab_size,
            "T": self.n_ctx,
            "d": self.d_model,
            "L": self.n_layers,
            "h": self.n_heads,
            "h_kv": self.kv_heads,
            "d_h": self.d_head,
            "d_ff": self.d_ff,
        }


@dataclass(frozen=True)
class Term:
    """``coeff`` × the product of the symbols in ``factors`` (e.g. 2·d·d_ff)."""

    coeff: int
    factors: tuple[str, ...]

    def value(self, symbols: Mapping[str, int]) -> int:
        return self.coeff * math.prod(symbols[f] for f in self.factors)


@dataclass(frozen=True)
class Part:
    """One part of the model: L × (sum of ``layer_terms``) + sum of ``terms``."""

    key: str
    layer_terms: tuple[Term, ...]  # repeated in each of the L blocks
    terms: tuple[Term, ...]  # present once
    per_layer: int  # value of one block's share
    count: int  # total over the model


@dataclass(frozen=True)
class Breakdown:
    shape: ModelShape
    parts: tuple[Part, ...]  # in PARTS order, zero-count parts included
    total: int

    def as_dict(self) -> dict[str, int]:
        out = {p.key: p.count for p in self.parts}
        out["total"] = self.total
        return out


def _terms(shape: ModelShape) -> dict[str, tuple[tuple[Term, ...], tuple[Term, ...]]]:
    """(layer_terms, once_terms) of every part; the single source of every count."""
    b = shape.bias
    norm_width = 2 if (shape.norm == "layernorm" and b) else 1  # gain (+ shift)
    n_mats = 3 if shape.mlp == "swiglu" else 2
    return {
        "token_embedding": ((), (Term(1, ("V", "d")),)),
        "position_embedding": ((), (Term(1, ("T", "d")),) if shape.learned_positions else ()),
        "attention_q": (
            (Term(1, ("d", "h", "d_h")),) + ((Term(1, ("h", "d_h")),) if b else ()),
            (),
        ),
        "attention_k": (
            (Term(1, ("d", "h_kv", "d_h")),) + ((Term(1, ("h_kv", "d_h")),) if b else ()),
            (),
        ),
        "attention_v": (
            (Term(1, ("d", "h_kv", "d_h")),) + ((Term(1, ("h_kv", "d_h")),) if b else ()),
            (),
        ),
        "attention_o": ((Term(1, ("h", "d_h", "d")),) + ((Term(1, ("d",)),) if b else ()), ()),
        "mlp": (
            (Term(n_mats, ("d", "d_ff")),)
            + ((Term(n_mats - 1, ("d_ff",)), Term(1, ("d",))) if b else ()),
            (),
        ),
        "norms": ((Term(2 * norm_width, ("d",)),), (Term(norm_width, ("d",)),)),
        "output_head": ((), () if shape.tied_embeddings else (Term(1, ("d", "V")),)),
    }


def breakdown(shape: ModelShape) -> Breakdown:
    """Every part of the parameter count with the terms it is made of."""
    sym = shape.symbols()
    parts = []
    for key, (layer_terms, once_terms) in _terms(shape).items():
        per_layer = sum(t.value(sym) for t in layer_terms)
        count = shape.n_layers * per_layer + sum(t.value(sym) for t in once_terms)
        parts.append(Part(key, layer_terms, once_terms, per_layer, count))
    return Breakdown(shape, tuple(parts), sum(p.count for p in parts))


def count_parameters(shape: ModelShape) -> dict[str, int]:
    """Parameters of each part (keys of :data:`PARTS`) and their ``total``."""
    return breakdown(shape).as_dict()


def ff_width(d_model: int, ratio: float) -> int:
    """The feed-forward width set as a multiple of d_model: ``round(ratio · d_model)``
    (half to even), e.g. 4 × 768 = 3072 (GPT-2), 3.25 × 16,384 = 53,248 (Llama 3.1
    405B). A non-finite or negative ratio raises ScaleError; :class:`ModelShape` checks
    the width it gives."""
    return round(_check_number("ff_ratio", ratio) * d_model)


# ── compute, time, energy ────────────────────────────────────────────────────────────


def _check_number(name: str, value: object, *, positive: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScaleError("not_number", field=name, value=value)
    x = float(value)
    if not math.isfinite(x):
        raise ScaleError("not_number", field=name, value=value)
    if x < 0 or (positive and x == 0):
        raise ScaleError(
            "not_positive" if positive else "too_small", field=name, value=value, limit=0
        )
    return x


def training_flops(n_params: int, n_tokens: int) -> float:
    """C ≈ 6·N·D floating-point operations to train N parameters on D tokens.

    N is at most what the largest accepted shape holds (≈10¹⁸) and D at most
    ``LIMITS["n_tokens"]``, so C stays a finite float.
    """
    n = _check_number("n_params", n_params)
    d = _check_number("n_tokens", n_tokens)
    if n > 10**19:
        raise ScaleError("too_large", field="n_params", value=n_params, limit=10**19)
    if d > LIMITS["n_tokens"]:
        raise ScaleError("too_large", field="n_tokens", value=n_tokens, limit=LIMITS["n_tokens"])
    if isinstance(n_params, int) and isinstance(n_tokens, int):
        return float(6 * n_params * n_tokens)  # exact before the final rounding
    return 6.0 * n * d


SECONDS_PER_DAY = 86_400


@dataclass(frozen=True)
class TrainingCost:
    flops: float  # C = 6·N·D
    sustained_flops: float  # per accelerator: peak × utilisation, FLOP/s
    accelerator_seconds: float  # C / sustained
    accelerator_days: float
    accelerator_hours: float
    wall_days: float  # accelerator_days / n_accelerators
    power_kw: float  # n_accelerators × watts × PUE / 1000
    energy_kwh: float  # accelerator_hours × watts × PUE / 1000

    @property
    def wall_seconds(self) -> float:
        """Wall-clock time with the work split perfectly over the accelerators, s."""
        return self.wall_days * SECONDS_PER_DAY

    def households_energy(self, region: str) -> float:
        """How many households' yearly electricity the training uses:
        energy_kwh / (kWh per household per year) in ``region`` ("jp" or "us")."""
        return self.energy_kwh / HOUSEHOLD_KWH[region].value

    def households_power(self, region: str) -> float:
        """How many households use electricity as fast as the cluster does: power_kw over
        a household's average power (its yearly kWh spread over 8,766 hours)."""
        return self.power_kw / household_watts(region) * 1000


def training_cost(
    n_params: int,
    n_tokens: int,
    *,
    peak_flops: float,
    utilisation: float,
    n_accelerators: int,
    watts: float,
    pue: float = 1.0,
) -> TrainingCost:
    """Time and energy of training: C = 6·N·D at ``peak_flops × utilisation`` per chip.

    ``peak_flops`` in FLOP/s per accelerator, ``utilisation`` in (0, 1], ``watts`` the
    power per accelerator, ``pue`` the data-centre overhead (total power / IT power, ≥ 1).
    """
    c = training_flops(n_params, n_tokens)
    peak = _check_number("peak_flops", peak_flops, positive=True)
    u = _check_number("utilisation", utilisation, positive=True)
    if u > 1:
        raise ScaleError("too_large", field="utilisation", value=utilisation, limit=1)
    _check_int("n_accelerators", n_accelerators)
    w = _check_number("watts", watts)
    if w > 1e7:
        raise ScaleError("too_large", field="watts", value=watts, limit=10**7)
    p = _check_number("pue", pue)
    if p > 10:
        raise ScaleError("too_large", field="pue", value=pue, limit=10)
    if p < 1:
        raise ScaleError("too_small", field="pue", value=pue, limit=1)
    sustained = peak * u
    seconds = c / sustained
    hours = seconds / 3600
    return TrainingCost(
        flops=c,
        sustained_flops=sustained,
        accelerator_seconds=seconds,
        accelerator_days=seconds / SECONDS_PER_DAY,
        accelerator_hours=hours,
        wall_days=seconds / SECONDS_PER_DAY / n_accelerators,
        power_kw=n_accelerators * w * p / 1000,
        energy_kwh=hours * w * p / 1000,
    )


# ── memory ───────────────────────────────────────────────────────────────────────────

#: Bytes per number of the usual storage formats.
BYTES: Mapping[str, int] = MappingProxyType({"fp32": 4, "bf16": 2, "int8": 1})


def weight_bytes(n_params: int, dtype: str) -> int:
    """Bytes to hold N parameters: N × bytes per number."""
    if dtype not in BYTES:
        raise ScaleError("bad_choice", field="dtype", value=dtype)
    return n_params * BYTES[dtype]


def kv_cache_bytes(shape: ModelShape, context: int, batch: int, dtype: str = "bf16") -> int:
    """Bytes of the key/value cache: 2 (K and V) × L × h_kv × d_h × context × batch × bytes.

    Grouped-query attention shrinks it by h / h_kv.
    """
    _check_int("context", context)
    _check_int("batch", batch)
    if dtype not in BYTES:
        raise ScaleError("bad_choice", field="dtype", value=dtype)
    return 2 * shape.n_layers * shape.kv_heads * shape.d_head * context * batch * BYTES[dtype]


# ── published models ─────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class KnownModel:
    """A published model: its shape, the parameter count its authors published and where.

    ``published`` is the figure as stated in the source (the paper's table rounds, and
    GPT-2's paper lists smaller numbers than its released weights contain);
    ``exact`` is the number of parameters stored in the released checkpoint, when one
    was released. ``note`` names a locale note (``scale.note.<note>``) or is empty.
    """

    key: str
    family: str
    name: str
    shape: ModelShape
    published: int
    published_text: str  # as printed in the source, e.g. "175.0B"
    source: str
    url: str
    exact: int | None = None
    exact_source: str = ""
    tokens: int | None = None  # training tokens D, if published
    tokens_source: str = ""
    compute: float | None = None  # published training FLOP, if any
    compute_source: str = ""
    gpu_hours: int | None = None  # published accelerator hours, if any
    gpu_hours_source: str = ""
    note: str = ""
    train_seconds: float | None = None  # measured training time, if recorded
    accelerator: str = ""  # key in ACCELERATORS of the published training hardware
    n_accelerators: int | None = None  # published number of accelerators, if any
    accelerators_source: str = ""
    utilisation: float | None = None  # published model-FLOPs utilisation, if any
    utilisation_source: str = ""


_GPT2_SRC = "Radford et al. 2019, Language Models are Unsupervised Multitask Learners, Table 2"
_GPT2_URL = (
    "https://cdn.openai.com/better-language-models/"
    "language_models_are_unsupervised_multitask_learners.pdf"
)
_GPT2_EXACT = "Hugging Face openai-community/gpt2{}"
_GPT3_SRC = "Brown et al. 2020, Language Models are Few-Shot Learners, Table 2.1"
_GPT3_URL = "https://arxiv.org/abs/2005.14165"
_GPT3_TOK = "Brown et al. 2020, §2.2 (all models trained on 300B tokens)"
_LLAMA_SRC = "Touvron et al. 2023, Llama 2: Open Foundation and Fine-Tuned Chat Models, Table 1"
_LLAMA_URL = "https://arxiv.org/abs/2307.09288"
_LLAMA_EXACT = "Hugging Face meta-llama/Llama-2-{}-hf"
_LLAMA_HOURS = "Touvron et al. 2023, Table 2"


def _gpt2(
    key: str,
    name: str,
    d: int,
    layers: int,
    heads: int,
    published: int,
    text: str,
    exact: int,
    suffix: str,
) -> KnownModel:
    shape = ModelShape(50257, 1024, d, layers, heads, 4 * d)
    return KnownModel(
        key,
        "gpt2",
        name,
        shape,
        published,
        text,
        _GPT2_SRC,
        _GPT2_URL,
        exact=exact,
        exact_source=_GPT2_EXACT.format(suffix),
        note="gpt2_paper",
    )


def _gpt3(
    key: str,
    name: str,
    d: int,
    layers: int,
    heads: int,
    published: int,
    text: str,
    note: str = "",
    compute: float | None = None,
) -> KnownModel:
    shape = ModelShape(50257, 2048, d, layers, heads, 4 * d)
    return KnownModel(
        key,
        "gpt3",
        name,
        shape,
        published,
        text,
        _GPT3_SRC,
        _GPT3_URL,
        tokens=300_000_000_000,
        tokens_source=_GPT3_TOK,
        note=note,
        compute=compute,
        compute_source="Brown et al. 2020, Table D.1" if compute else "",
        accelerator="v100",
        accelerators_source="Brown et al. 2020, §2.3",
    )


def _llama2(
    key: str,
    name: str,
    d: int,
    layers: int,
    heads: int,
    kv: int | None,
    d_ff: int,
    published: int,
    text: str,
    exact: int,
    size: str,
    hours: int,
) -> KnownModel:
    shape = ModelShape(
        32000,
        4096,
        d,
        layers,
        heads,
        d_ff,
        mlp="swiglu",
        norm="rmsnorm",
        tied_embeddings=False,
        learned_positions=False,
        bias=False,
        n_kv_heads=kv,
    )
    return KnownModel(
        key,
        "llama2",
        name,
        shape,
        published,
        text,
        _LLAMA_SRC,
        _LLAMA_URL,
        exact=exact,
        exact_source=_LLAMA_EXACT.format(size),
        tokens=2_000_000_000_000,
        tokens_source=_LLAMA_SRC,
        gpu_hours=hours,
        gpu_hours_source=_LLAMA_HOURS,
        accelerator="a100",  # Table 2 counts A100-80GB hours
        note="llama2_gqa" if kv else "",
    )


_MODELS: tuple[KnownModel, ...] = (
    _gpt2("gpt2", "GPT-2 small", 768, 12, 12, 117_000_000, "117M", 124_439_808, ""),
    _gpt2("gpt2-medium", "GPT-2 medium", 1024, 24, 16, 345_000_000, "345M", 354_823_168, "-medium"),
    _gpt2("gpt2-large", "GPT-2 large", 1280, 36, 20, 762_000_000, "762M", 774_030_080, "-large"),
    _gpt2("gpt2-xl", "GPT-2 XL", 1600, 48, 25, 1_542_000_000, "1542M", 1_557_611_200, "-xl"),
    _gpt3("gpt3-small", "GPT-3 Small", 768, 12, 12, 125_000_000, "125M"),
    _gpt3("gpt3-medium", "GPT-3 Medium", 1024, 24, 16, 350_000_000, "350M"),
    _gpt3("gpt3-large", "GPT-3 Large", 1536, 24, 16, 760_000_000, "760M"),
    _gpt3("gpt3-xl", "GPT-3 XL", 2048, 24, 16, 1_300_000_000, "1.3B", note="gpt3_xl_heads"),
    _gpt3("gpt3-2.7b", "GPT-3 2.7B", 2560, 32, 32, 2_700_000_000, "2.7B"),
    _gpt3("gpt3-6.7b", "GPT-3 6.7B", 4096, 32, 32, 6_700_000_000, "6.7B"),
    _gpt3("gpt3-13b", "GPT-3 13B", 5120, 40, 40, 13_000_000_000, "13.0B", note="gpt3_13b_width"),
    _gpt3("gpt3-175b", "GPT-3 175B", 12288, 96, 96, 175_000_000_000, "175.0B", compute=3.14e23),
    _llama2(
        "llama2-7b",
        "Llama 2 7B",
        4096,
        32,
        32,
        None,
        11008,
        7_000_000_000,
        "7B",
        6_738_415_616,
        "7b",
        184_320,
    ),
    _llama2(
        "llama2-13b",
        "Llama 2 13B",
        5120,
        40,
        40,
        None,
        13824,
        13_000_000_000,
        "13B",
        13_015_864_320,
        "13b",
        368_640,
    ),
    _llama2(
        "llama2-70b",
        "Llama 2 70B",
        8192,
        80,
        64,
        8,
        28672,
        70_000_000_000,
        "70B",
        68_976_648_192,
        "70b",
        1_720_320,
    ),
)

_LLAMA3_SRC = "Llama Team, AI @ Meta 2024, The Llama 3 Herd of Models, Table 3"
_LLAMA3_URL = "https://arxiv.org/abs/2407.21783"

#: Llama 3.1 405B: Table 3 of the paper (126 layers, d_model 16,384, FFN 53,248, 128
#: heads, 8 key/value heads); vocabulary 128,256 and context 128K as released; 15.6T
#: training tokens and 3.8 × 10²⁵ FLOPs (§3.2.1); up to 16K H100 GPUs (§3.3) at 38–43 %
#: model-FLOPs utilisation (Table 4).
LLAMA31_405B = KnownModel(
    "llama3.1-405b",
    "llama3",
    "Llama 3.1 405B",
    ModelShape(
        128_256,
        131_072,
        16_384,
        126,
        128,
        53_248,
        mlp="swiglu",
        norm="rmsnorm",
        tied_embeddings=False,
        learned_positions=False,
        bias=False,
        n_kv_heads=8,
    ),
    405_000_000_000,
    "405B",
    _LLAMA3_SRC,
    _LLAMA3_URL,
    tokens=15_600_000_000_000,
    tokens_source="Llama Team 2024, §3.2.1",
    compute=3.8e25,
    compute_source="Llama Team 2024, §3.2.1",
    accelerator="h100",
    n_accelerators=16_384,
    accelerators_source="Llama Team 2024, §3.3, Table 4",
    utilisation=0.40,
    utilisation_source="Llama Team 2024, Table 4 (MFU)",
)

_MODELS = (*_MODELS, LLAMA31_405B)

#: Published models by key, in order of size within each family.
KNOWN_MODELS: Mapping[str, KnownModel] = MappingProxyType({m.key: m for m in _MODELS})


# ── accelerators and reference quantities (defaults of the page, with sources) ──────


@dataclass(frozen=True)
class Accelerator:
    key: str
    name: str
    peak_tflops: float  # dense bf16/fp16 tensor throughput, TFLOP/s
    watts: float  # maximum board power, W
    source: str
    url: str


ACCELERATORS: Mapping[str, Accelerator] = MappingProxyType(
    {
        "v100": Accelerator(
            "v100",
            "NVIDIA V100 SXM2",
            125.0,
            300.0,
            "NVIDIA V100 datasheet: 125 TFLOP/s tensor (fp16), 300 W",
            "https://images.nvidia.com/content/technologies/volta/pdf/"
            "volta-v100-datasheet-update-us-1165301-r5.pdf",
        ),
        "a100": Accelerator(
            "a100",
            "NVIDIA A100 SXM",
            312.0,
            400.0,
            "NVIDIA A100 datasheet: 312 TFLOP/s bf16 dense, 400 W",
            "https://www.nvidia.com/content/dam/en-zz/Solutions/Data-Center/a100/"
            "pdf/nvidia-a100-datasheet-us-nvidia-1758950-r4-web.pdf",
        ),
        "h100": Accelerator(
            "h100",
            "NVIDIA H100 SXM",
            989.0,
            700.0,
            "NVIDIA H100 datasheet: 989 TFLOP/s bf16 dense, up to 700 W",
            "https://www.nvidia.com/en-us/data-center/h100/",
        ),
    }
)


def flop_rate(flops: float, seconds: float) -> float:
    """The average rate at which ``flops`` operations took ``seconds``, FLOP/s."""
    return _check_number("flops", flops) / _check_number("seconds", seconds, positive=True)


def implied_utilisation(flops: float, accelerator_hours: float, accelerator: Accelerator) -> float:
    """The share of ``accelerator``'s peak at which ``accelerator_hours`` of it do
    ``flops``: C / (hours × 3600 s × peak), e.g. a model's C = 6·N·D over its published
    GPU hours (a fraction; above 1 means the hours could not have done the work)."""
    hours = _check_number("accelerator_hours", accelerator_hours, positive=True)
    return _check_number("flops", flops) / (hours * 3600 * accelerator.peak_tflops * 1e12)


def hours_accelerator(m: KnownModel) -> Accelerator:
    """The accelerator ``m``'s published hours (and hardware) refer to: the one its
    source names, else an A100."""
    return ACCELERATORS[m.accelerator or "a100"]


#: Yearly electricity of one household, kWh, with sources.
@dataclass(frozen=True)
class Fact:
    """A published quantity with its source: ``value`` (in the unit its name says),
    ``source`` (a citation) and ``url``. Unpacks like the tuple it replaces:
    ``value, source, url = fact`` and ``fact[0]``."""

    value: float
    source: str
    url: str

    def __iter__(self):
        return iter((self.value, self.source, self.url))

    def __getitem__(self, i: int) -> float | str:
        return (self.value, self.source, self.url)[i]


HOURS_PER_YEAR = 8766.0  # 365.25 days
#: Bytes per parameter to train with mixed-precision Adam (ZeRO's count): bf16 weight and
#: gradient (2 + 2) + fp32 master copy and two fp32 moments (4 + 4 + 4); no activations.
ADAM_BYTES_PER_PARAMETER = 16


def training_bytes(n_params: int) -> int:
    """Memory to hold a model while training it with mixed-precision Adam (no
    activations): 16 bytes per parameter."""
    return ADAM_BYTES_PER_PARAMETER * int(n_params)


def household_watts(region: str) -> float:
    """A household's average electric power in ``region``, W: yearly kWh / hours."""
    return HOUSEHOLD_KWH[region].value * 1000 / HOURS_PER_YEAR


HOUSEHOLD_KWH: Mapping[str, Fact] = MappingProxyType(
    {
        "jp": Fact(
            4175.0,
            "環境省 令和3年度 家庭部門のCO2排出実態統計調査 (FY2021 average)",
            "https://www.env.go.jp/earth/ondanka/kateico2tokei/energy/detail/01/",
        ),
        "us": Fact(
            10715.0,
            "U.S. EIA, FAQ “How much electricity does an American home use?” (2020)",
            "https://www.eia.gov/tools/faqs/faq.php?id=97&t=3",
        ),
    }
)

#: The human brain: not parameters, but the nearest biological quantities.
BRAIN: Mapping[str, Fact] = MappingProxyType(
    {
        "neurons": Fact(
            86e9,
            "Azevedo et al. 2009, J. Comp. Neurol. 513:532",
            "https://doi.org/10.1002/cne.21974",
        ),
        "synapses_low": Fact(
            1e14,
            "Pakkenberg et al. 2003, Exp. Gerontol. 38:95",
            "https://doi.org/10.1016/S0531-5565(02)00151-1",
        ),
        "synapses_high": Fact(
            1e15,
            "Sporns et al. 2005, PLoS Comput. Biol. 1:e42",
            "https://doi.org/10.1371/journal.pcbi.0010042",
        ),
        "watts": Fact(
            20.0,
            "Raichle & Gusnard 2002, PNAS 99:10237",
            "https://doi.org/10.1073/pnas.172399499",
        ),
    }
)


# ── this project's own tiny GPT ──────────────────────────────────────────────────────

#: GPTConfig fields of core/gpt.py that fix the parameter count.
GPT_CONFIG_FIELDS: tuple[str, ...] = ("vocab_size", "n_ctx", "n_embd", "n_layer", "n_head")


@dataclass(frozen=True)
class Checkpoint:
    """What a GPT checkpoint file says about its own size."""

    config: Mapping[str, int]  # GPT_CONFIG_FIELDS
    shape: ModelShape  # the GPT-2 architecture of core/gpt.py with that config
    stored: int  # parameters actually stored (sum of array sizes, tied head once)
    n_arrays: int
    steps: int | None = None  # training settings recorded in the file, if any
    batch: int | None = None
    train_seconds: float | None = None

    @property
    def tokens(self) -> int | None:
        """Training tokens D = steps × batch × n_ctx (each step reads ``batch`` windows of
        ``n_ctx`` tokens), when the file records them."""
        if self.steps and self.batch:
            return self.steps * self.batch * self.config["n_ctx"]
        return None


def _scalar_int(a: np.ndarray) -> int | None:
    if a.size == 1 and a.dtype.kind in "iu":
        return int(a.reshape(()))
    if a.size == 1 and a.dtype.kind == "f" and float(a.reshape(())).is_integer():
        return int(a.reshape(()))
    return None


def _find_config(arrays: Mapping[str, np.ndarray]) -> dict[str, int]:
    """Config values stored as scalar entries (``n_embd``, ``config.n_embd``, ...) or as
    one JSON string entry whose name contains ``config``."""
    found: dict[str, int] = {}
    for name, a in arrays.items():
        if "config" in name.lower() and a.dtype.kind == "U" and a.size == 1:
            try:
                data = json.loads(str(a.reshape(())))
            except ValueError:
                continue
            if isinstance(data, dict):
                for f in GPT_CONFIG_FIELDS:
                    v = data.get(f)
                    if isinstance(v, int) and not isinstance(v, bool):
                        found.setdefault(f, v)
    for name, a in arrays.items():
        leaf = name.replace("/", ".").split(".")[-1]
        if leaf in GPT_CONFIG_FIELDS and leaf not in found:
            v = _scalar_int(a)
            if v is not None:
                found[leaf] = v
    return found


def _is_weight(name: str, a: np.ndarray) -> bool:
    """Float arrays that are parameters (not GPT-2's causal-mask buffers)."""
    if a.dtype.kind != "f" or a.ndim == 0:
        return False
    leaf = name.split(".")[-1]
    return (
        not (name.endswith((".attn.bias", ".attn.masked_bias")) and a.ndim == 4)
        and leaf not in GPT_CONFIG_FIELDS
    )


def read_gpt_checkpoint(path: str | pathlib.Path) -> Checkpoint:
    """Read the config and the stored parameter count of a core/gpt.py checkpoint.

    Never unpickles (``allow_pickle=False``). Raises :class:`ScaleError` with code
    ``checkpoint_missing`` (no file), ``checkpoint_unreadable`` (not an .npz) or
    ``checkpoint_config`` (config entries missing or impossible).
    """
    p = pathlib.Path(path)
    if not p.is_file():
        raise ScaleError("checkpoint_missing", path=str(p.name))
    try:
        with np.load(p, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
        raise ScaleError("checkpoint_unreadable", path=str(p.name)) from exc
    config = _find_config(arrays)
    missing = [f for f in GPT_CONFIG_FIELDS if f not in config]
    if missing:
        raise ScaleError("checkpoint_config", path=str(p.name), missing=", ".join(missing))
    weights = {k: a for k, a in arrays.items() if _is_weight(k, a)}
    # A stored output head equal to the token embedding is the same (tied) parameter.
    head, wte = weights.get("lm_head.weight"), weights.get("transformer.wte.weight")
    if (
        head is not None
        and wte is not None
        and head.shape == wte.shape
        and np.array_equal(head, wte)
    ):
        del weights["lm_head.weight"]
    try:
        shape = ModelShape(
            config["vocab_size"],
            config["n_ctx"],
            config["n_embd"],
            config["n_layer"],
            config["n_head"],
            4 * config["n_embd"],
        )
    except ScaleError as exc:
        raise ScaleError("checkpoint_config", path=str(p.name), missing=exc.code) from exc
    steps, batch, seconds = _training_record(arrays)
    return Checkpoint(
        config,
        shape,
        sum(int(a.size) for a in weights.values()),
        len(weights),
        steps,
        batch,
        seconds,
    )


def _training_record(
    arrays: Mapping[str, np.ndarray],
) -> tuple[int | None, int | None, float | None]:
    """(steps, batch, seconds) from a JSON entry whose name contains ``meta``, if present:
    ``{"settings": {"steps": .., "batch": ..}, "train_seconds": ..}``."""
    for name, a in arrays.items():
        if "meta" not in name.lower() or a.dtype.kind != "U" or a.size != 1:
            continue
        try:
            data = json.loads(str(a.reshape(())))
        except ValueError:
            continue
        if not isinstance(data, dict):
            continue
        settings = data.get("settings")
        settings = settings if isinstance(settings, dict) else {}

        def positive_int(v: object) -> int | None:
            return v if isinstance(v, int) and not isinstance(v, bool) and v > 0 else None

        secs = data.get("train_seconds")
        ok = (
            isinstance(secs, int | float)
            and not isinstance(secs, bool)
            and math.isfinite(secs)
            and secs > 0
        )
        return (
            positive_int(settings.get("steps")),
            positive_int(settings.get("batch")),
            float(secs) if ok else None,
        )
    return None, None, None


def checkpoint_model(ckpt: Checkpoint, *, source: str) -> KnownModel:
    """A preset for a checkpoint: its "published" figure is the count stored in the file."""
    return KnownModel(
        "tiny",
        "tiny",
        "tiny GPT",
        ckpt.shape,
        ckpt.stored,
        f"{ckpt.stored:,}",
        source,
        "",
        exact=ckpt.stored,
        exact_source=source,
        tokens=ckpt.tokens,
        tokens_source=f"{ckpt.steps:,} × {ckpt.batch:,} × {ckpt.config['n_ctx']:,}"
        if ckpt.tokens
        else "",
        note="tiny",
        train_seconds=ckpt.train_seconds,
    )
