"""The scale chapter's settings (every control, declared once) and the values they start
from.

Streamlit-free: see ui/state.py for the declaration helpers. The URL carries option keys
(``scale_model=gpt3-175b``, ``scale_acc=h100``); older links that carried a model's or a
chip's display name (the same in both languages) still parse, through ``aliases``.

Most controls start from the chosen preset (its shape, its published hardware) or from
the chosen accelerator. They are declared with the default page's values (Llama 3.1
405B on H100s); the view narrows each default to the preset's at draw time, and a URL
leaves out a value equal to it (the preset, in the URL, brings it back)."""

from __future__ import annotations

from dataclasses import dataclass

from core.scale import ACCELERATORS, KNOWN_MODELS, KnownModel, count_parameters
from ui.state import Model, boolean, choice, integer, number

TINY = "tiny"  # this project's tiny GPT (shown only when its checkpoint is present)
TINY_NAME = "Tiny GPT"
DEFAULT_MODEL = "llama3.1-405b"  # the article's scale: hundreds of billions of parameters
MODELS: tuple[str, ...] = (TINY, *KNOWN_MODELS)
MLPS = {"gelu": "GELU", "swiglu": "SwiGLU"}
NORMS = {"layernorm": "LayerNorm", "rmsnorm": "RMSNorm"}
DEFAULT_CHIPS = 2048  # when the number of accelerators is not published
#: Largest whole number a browser's number box holds exactly (2**53 - 1). Whole-number
#: controls accept anything up to it; core's limits turn larger sizes into a message.
WHOLE_MAX = 2**53 - 1


def model_name(key: str) -> str:
    """The display name of a preset (a proper name: the same in both languages)."""
    return TINY_NAME if key == TINY else KNOWN_MODELS[key].name


def default_tokens(m: KnownModel) -> int:
    """Published training tokens, else the compute-optimal 20 tokens per parameter."""
    return m.tokens or 20 * count_parameters(m.shape)["total"]


def preset_values(m: KnownModel) -> dict[str, object]:
    """URL keys of the shape controls and the value each starts from for preset ``m``."""
    s = m.shape
    return {
        "scale_vocab": s.vocab_size,
        "scale_nctx": s.n_ctx,
        "scale_d": s.d_model,
        "scale_layers": s.n_layers,
        "scale_heads": s.n_heads,
        "scale_kv": 0 if s.n_kv_heads is None else s.n_kv_heads,
        "scale_byratio": False,
        "scale_dff": s.d_ff,
        "scale_ffratio": round(s.d_ff / s.d_model, 4),
        "scale_mlp": s.mlp,
        "scale_norm": s.norm,
        "scale_tied": s.tied_embeddings,
        "scale_learnedpos": s.learned_positions,
        "scale_bias": s.bias,
        "scale_tokens": default_tokens(m),
        "scale_kvctx": s.n_ctx,
    }


def hardware_values(m: KnownModel) -> dict[str, object]:
    """URL keys of the compute controls and the value each starts from for ``m``: the
    published hardware when known (Llama 3.1: 16,384 H100 at 40 %), else A100s."""
    a = ACCELERATORS[m.accelerator or "a100"]
    return {
        "scale_acc": a.key,
        "scale_tflops": a.peak_tflops,
        "scale_watts": a.watts,
        "scale_chips": m.n_accelerators or DEFAULT_CHIPS,
        "scale_util": round(100 * m.utilisation) if m.utilisation else 40,
    }


_D = preset_values(KNOWN_MODELS[DEFAULT_MODEL]) | hardware_values(KNOWN_MODELS[DEFAULT_MODEL])


def _whole(key: str) -> int:
    """A whole-number size (a number box): 0 up to WHOLE_MAX, the default page's value."""
    return integer(key, 0, WHOLE_MAX, int(_D[key]))


@dataclass(frozen=True)
class ScaleSettings(Model):
    model: str = choice(
        "scale_model",
        MODELS,
        DEFAULT_MODEL,
        aliases={model_name(k): k for k in MODELS},
    )
    # the shape (section 1): defaults follow the preset
    vocab: int = _whole("scale_vocab")
    n_ctx: int = _whole("scale_nctx")
    d_model: int = _whole("scale_d")
    n_layers: int = _whole("scale_layers")
    n_heads: int = _whole("scale_heads")
    n_kv_heads: int = _whole("scale_kv")  # 0: as many as the heads (no grouped query)
    by_ratio: bool = boolean("scale_byratio", False)
    d_ff: int = _whole("scale_dff")
    ff_ratio: float = number("scale_ffratio", 0.0, 1000.0, float(_D["scale_ffratio"]), 0.25)
    mlp: str = choice(
        "scale_mlp", tuple(MLPS), str(_D["scale_mlp"]), aliases={v: k for k, v in MLPS.items()}
    )
    norm: str = choice(
        "scale_norm", tuple(NORMS), str(_D["scale_norm"]), aliases={v: k for k, v in NORMS.items()}
    )
    tied: bool = boolean("scale_tied", bool(_D["scale_tied"]))
    learned_positions: bool = boolean("scale_learnedpos", bool(_D["scale_learnedpos"]))
    bias: bool = boolean("scale_bias", bool(_D["scale_bias"]))
    # training compute (section 3): defaults follow the preset, peak and power the chip
    tokens: int = _whole("scale_tokens")
    accelerator: str = choice(
        "scale_acc",
        tuple(ACCELERATORS),
        str(_D["scale_acc"]),
        aliases={a.name: k for k, a in ACCELERATORS.items()},
    )
    peak_tflops: float = number("scale_tflops", 0.0, 100_000.0, float(_D["scale_tflops"]), 1.0)
    watts: float = number("scale_watts", 0.0, 100_000.0, float(_D["scale_watts"]), 10.0)
    utilisation: int = integer("scale_util", 1, 100, int(_D["scale_util"]))  # percent
    chips: int = _whole("scale_chips")
    pue: float = number("scale_pue", 0.5, 5.0, 1.1, 0.05)
    # memory (section 4): the context starts from the shape's
    kv_context: int = _whole("scale_kvctx")
    batch: int = integer("scale_batch", 0, WHOLE_MAX, 1)
    kv_dtype: str = choice("scale_kvdtype", ("bf16", "fp32", "int8"), "bf16")
