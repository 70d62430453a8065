"""One base class for every error the core raises on bad input.

``code`` is machine-readable (the UI shows the translated message ``errors.<code>``),
``info`` holds the values its placeholders need. No user-facing text lives here."""

from __future__ import annotations

from typing import Any


class ExplorableError(ValueError):
    """Bad input to a core function: ``code`` names the problem, ``info`` its details."""

    code: str = "invalid"

    def __init__(self, message: str = "", *, code: str | None = None, **info: Any) -> None:
        super().__init__(message or (code or self.code))
        if code is not None:
            self.code = code
        self.info: dict[str, Any] = dict(info)
