"""The neural-network chapter's settings (its controls, each declared once) and derived
values. Streamlit-free: see ui/state.py for the declaration helpers.

Declared so far: the activation playground's choice and the linear-collapse comparison
(the controls the guided tour sets); the trainer's controls still use the older widget
wrappers."""

from __future__ import annotations

from dataclasses import dataclass

from core.activations import KEYS
from ui.state import Model, choice, multi

COMPARE_DATA = ("circles", "xor", "moons", "spirals")
COMPARE_ACTS = tuple(k for k in KEYS if k not in ("identity", "step"))


@dataclass(frozen=True)
class NnSettings(Model):
    acts: tuple = multi("nn_acts", KEYS, ("sigmoid", "tanh", "relu", "gelu"), labels="nn.act.{}")
    ldata: str = choice("nn_ldata", COMPARE_DATA, "circles", labels="nn.data.{}")
    lact: str = choice("nn_lact", COMPARE_ACTS, "tanh", labels="nn.act.{}")
