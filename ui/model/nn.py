"""The nn chapter's settings (its controls, each declared once) and derived values.

Streamlit-free: see ui/state.py for the declaration helpers."""

from __future__ import annotations
