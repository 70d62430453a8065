"""Streamlit-free chapter models: each chapter's settings (every control declared once,
see ui/state.py) and the values its view shows. Nothing here imports streamlit."""

from __future__ import annotations

import importlib
import pkgutil

from ui.state import Model


def all_models() -> list[type[Model]]:
    """Every chapter settings class (imports each ui/model/<chapter>.py)."""
    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")
    seen: list[type[Model]] = []
    todo = list(Model.__subclasses__())
    while todo:
        cls = todo.pop()
        if cls not in seen:
            seen.append(cls)
            todo.extend(cls.__subclasses__())
    return [c for c in seen if c.params()]
