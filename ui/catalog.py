"""The translation tables, Streamlit-free: locales/<lang>.toml flattened to dotted ids.

ui/i18n.py chooses the language of a run and formats strings; chapter models (ui/model/)
read labels from here to accept older links that carried a translated label."""

from __future__ import annotations

import functools
import pathlib
import tomllib
from collections.abc import Mapping

LANGS: tuple[str, ...] = ("ja", "en")
LOCALES = pathlib.Path(__file__).resolve().parent.parent / "locales"


def languages() -> tuple[str, ...]:
    return LANGS


def _flatten(table: Mapping[str, object], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for k, v in table.items():
        if isinstance(v, Mapping):
            out.update(_flatten(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = str(v)
    return out


@functools.cache
def catalog(lang: str) -> dict[str, str]:
    """All strings of one language, keyed by dotted id (read once per process)."""
    path = LOCALES / f"{lang}.toml"
    return _flatten(tomllib.loads(path.read_text(encoding="utf-8")))
