"""The home chapter's settings (its controls, each declared once) and derived values.

Streamlit-free: see ui/state.py for the declaration helpers. The URL carries the data
set's key (``home_data=noisy``); older links with its label (either language) still parse."""

from __future__ import annotations

from dataclasses import dataclass

from core import linear
from ui.state import Model, boolean, choice, number

W_RANGE, B_RANGE = (-1.0, 5.0), (-4.0, 6.0)


@dataclass(frozen=True)
class HomeSettings(Model):
    data: str = choice("home_data", tuple(linear.DATASETS), "exact", labels="home.data_{}")
    bias: bool = boolean("home_bias", False)
    w: float = number("home_w", *W_RANGE, 1.0, step=0.01)
    b: float = number("home_b", *B_RANGE, 0.0, step=0.01)
