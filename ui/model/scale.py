"""The scale chapter's settings (its choice controls, each declared once) and derived
values.

Streamlit-free: see ui/state.py for the declaration helpers. The URL carries option keys
(``scale_model=gpt3-175b``, ``scale_acc=h100``); older links that carried a model's or a
chip's display name (the same in both languages) still parse, through ``aliases``."""

from __future__ import annotations

from dataclasses import dataclass

from core.scale import ACCELERATORS, KNOWN_MODELS
from ui.state import Model, choice

TINY = "tiny"  # this project's tiny GPT (shown only when its checkpoint is present)
TINY_NAME = "Tiny GPT"
DEFAULT_MODEL = "llama3.1-405b"  # the article's scale: hundreds of billions of parameters
MODELS: tuple[str, ...] = (TINY, *KNOWN_MODELS)
MLPS = {"gelu": "GELU", "swiglu": "SwiGLU"}
NORMS = {"layernorm": "LayerNorm", "rmsnorm": "RMSNorm"}


def model_name(key: str) -> str:
    """The display name of a preset (a proper name: the same in both languages)."""
    return TINY_NAME if key == TINY else KNOWN_MODELS[key].name


@dataclass(frozen=True)
class ScaleSettings(Model):
    model: str = choice(
        "scale_model",
        MODELS,
        DEFAULT_MODEL,
        aliases={model_name(k): k for k in MODELS},
    )
    accelerator: str = choice(
        "scale_acc",
        tuple(ACCELERATORS),
        "a100",
        aliases={a.name: k for k, a in ACCELERATORS.items()},
    )
    mlp: str = choice("scale_mlp", tuple(MLPS), "gelu", aliases={v: k for k, v in MLPS.items()})
    norm: str = choice(
        "scale_norm", tuple(NORMS), "layernorm", aliases={v: k for k, v in NORMS.items()}
    )
    kv_dtype: str = choice("scale_kvdtype", ("bf16", "fp32", "int8"), "bf16")
