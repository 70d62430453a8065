"""Chapter settings as data: every control declared once (Streamlit-free).

Like TensorFlow Playground's ``state.ts``: a chapter's settings are one frozen dataclass
whose fields each declare, once, the control's URL key, kind, default, range and options
(by stable key). Reading the URL and writing it both follow from that declaration::

    @dataclass(frozen=True)
    class HomeSettings(Model):
        data: str = choice("home_data", ("exact", "noisy"), "exact", labels="home.data_{}")
        w: float = number("home_w", -1.0, 5.0, 1.0, step=0.01)

    HomeSettings.from_query({"home_data": ["noisy"]})  # never raises: bad values -> defaults
    HomeSettings(data="noisy").to_query()              # {"home_data": ["noisy"]}

The URL carries option *keys* (``gd_land=rosenbrock``), never translated labels, so a
link, a QR code or a tour stop opens the same view in either language. Links written
before keys were used (a label in either language) still parse to the right key.
"""

from __future__ import annotations

import dataclasses
import math
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar, Literal

from ui.catalog import catalog, languages

Kind = Literal["choice", "multi", "int", "float", "bool", "text", "range"]
Query = Mapping[str, str | Sequence[str]]

#: Longest URL value considered at all (longer ones are hostile: default).
MAX_RAW = 2000
_TRUE = frozenset({"true", "1", "yes", "on"})
_FALSE = frozenset({"false", "0", "no", "off"})


def _to_float(raw: str) -> float | None:
    """A finite float from URL text, or None (never raises; '²', '1e400', 'nan' -> None).
    ASCII only: float() would also read other scripts' digits ('٣', '１２'), which no
    link this app writes contains."""
    if len(raw) > 64 or not raw.isascii():
        return None
    try:
        v = float(raw.strip())
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def _num_text(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(float(v))
    return str(v)


@dataclasses.dataclass(frozen=True)
class Param:
    """One control's URL contract."""

    key: str  # URL parameter = widget key (page-prefixed: gd_land, att_causal)
    kind: Kind
    default: Any
    lo: float | None = None  # numeric range (int, float, range)
    hi: float | None = None
    step: float | None = None
    options: tuple[Any, ...] = ()  # choice / multi: stable keys (str or numbers)
    labels: str | Mapping[Any, str] | None = None  # locale id template "x.{}" or dict
    max_chars: int | None = None  # text
    aliases: Mapping[str, Any] = dataclasses.field(default_factory=dict)  # old URL words

    # -- labels -------------------------------------------------------------------------
    def label_id(self, option: Any) -> str | None:
        """The locale id of an option's label, or None when options show as themselves."""
        if self.labels is None:
            return None
        if isinstance(self.labels, str):
            return self.labels.format(option)
        return self.labels.get(option)

    def _legacy(self) -> dict[str, Any]:
        """Every word an older link may carry for an option: its label in any language."""
        out: dict[str, Any] = {}
        for o in self.options:
            lid = self.label_id(o)
            if lid is not None:
                for lang in languages():
                    text = catalog(lang).get(lid)
                    if text:
                        out.setdefault(text, o)
        out.update(self.aliases)
        return out

    # -- parsing ------------------------------------------------------------------------
    def _option(self, raw: str) -> tuple[bool, Any]:
        for o in self.options:
            if _num_text(o) == raw:
                return True, o
        legacy = _legacy_cache(self)
        if raw in legacy:
            return True, legacy[raw]
        numeric = [
            o for o in self.options if isinstance(o, int | float) and not isinstance(o, bool)
        ]
        if numeric:
            v = _to_float(raw)
            if v is not None:
                for o in numeric:
                    if math.isclose(v, float(o), rel_tol=1e-9, abs_tol=1e-300):
                        return True, o
        return False, None

    def _scalar(self, raw: str) -> tuple[bool, Any]:
        if self.kind == "bool":
            low = raw.strip().lower()
            if low in _TRUE:
                return True, True
            if low in _FALSE:
                return True, False
            return False, None
        if self.kind in ("int", "float"):
            v = _to_float(raw)
            if v is None:
                return False, None
            if self.kind == "int":
                if v != int(v):
                    return False, None
                v = int(v)
            if (self.lo is not None and v < self.lo) or (self.hi is not None and v > self.hi):
                return False, None
            return True, v
        if self.kind == "text":
            text = raw if self.max_chars is None else raw[: self.max_chars]
            return True, text
        return self._option(raw)  # choice

    def parse(self, raw: str | Sequence[str] | None) -> Any:
        """The value a URL gives this control: the default when absent or invalid."""
        if raw is None:
            return self.default
        values = [raw] if isinstance(raw, str) else list(raw)
        if any(not isinstance(v, str) or len(v) > MAX_RAW for v in values):
            return self.default
        try:
            return self._parse(values)
        except (ValueError, TypeError, OverflowError):  # pragma: no cover - belt and braces
            return self.default

    def _parse(self, values: list[str]) -> Any:
        if self.kind == "multi":
            if values == [""]:
                return ()
            out: list[Any] = []
            for v in values:
                ok, o = self._option(v)
                if not ok:
                    return self.default
                if o not in out:
                    out.append(o)
            return tuple(o for o in self.options if o in out)
        if self.kind == "range":
            if len(values) != 2:
                return self.default
            got = [_to_float(v) for v in values]
            if any(g is None for g in got):
                return self.default
            a, b = float(got[0]), float(got[1])  # type: ignore[arg-type]
            if (
                a > b
                or (self.lo is not None and a < self.lo)
                or (self.hi is not None and b > self.hi)
            ):
                return self.default
            return (a, b)
        if not values:
            return self.default
        ok, v = self._scalar(values[-1])  # a repeated key: the last one wins, like Streamlit
        return v if ok else self.default

    # -- writing ------------------------------------------------------------------------
    def normalise(self, value: Any) -> Any:
        """``value`` in the declared form (tuples for multi/range, ints for int)."""
        if self.kind == "multi":
            return tuple(o for o in self.options if o in tuple(value or ()))
        if self.kind == "range":
            return (float(value[0]), float(value[1]))
        if self.kind == "int":
            return int(round(value))  # noqa: RUF046  (numpy floats round to floats)
        if self.kind == "float":
            return float(value)
        if self.kind == "bool":
            return bool(value)
        return value

    def encode(self, value: Any) -> list[str]:
        """URL values for ``value``; empty when it is the default (left out of the URL)."""
        value = self.normalise(value)
        if value == self.normalise(self.default):
            return []
        if self.kind == "multi":
            return [_num_text(o) for o in value] or [""]
        if self.kind == "range":
            return [_num_text(value[0]), _num_text(value[1])]
        return [_num_text(value)]

    def valid(self, value: Any) -> bool:
        """Whether ``value`` is one this control can hold (used by tests and the tour)."""
        try:
            return self.parse(self.encode(value) or None) == self.normalise(value)
        except (TypeError, ValueError, IndexError):
            return False


_LEGACY: dict[int, dict[str, Any]] = {}


def _legacy_cache(p: Param) -> dict[str, Any]:
    got = _LEGACY.get(id(p))
    if got is None:
        got = _LEGACY[id(p)] = p._legacy()
    return got


#: Every declared parameter of every chapter, by URL key (filled as models are defined).
PARAMS: dict[str, Param] = {}


def _field(p: Param) -> Any:
    if p.key in PARAMS and PARAMS[p.key] != p:
        raise ValueError(f"URL key {p.key!r} declared twice")
    PARAMS[p.key] = p
    default = p.default
    if isinstance(default, list):
        default = tuple(default)
    return dataclasses.field(default=default, metadata={"param": p})


def choice(key: str, options: Iterable[Any], default: Any, *, labels=None, aliases=None) -> Any:
    """One option out of ``options`` (stable keys); shown with ``labels`` (locale ids)."""
    opts = tuple(options)
    if default not in opts:
        raise ValueError(f"{key}: default {default!r} not among the options")
    return _field(Param(key, "choice", default, options=opts, labels=labels, aliases=aliases or {}))


def multi(key: str, options: Iterable[Any], default: Iterable[Any] = (), *, labels=None) -> Any:
    """Several options (kept in the declared order)."""
    opts = tuple(options)
    d = tuple(o for o in opts if o in tuple(default))
    return _field(Param(key, "multi", d, options=opts, labels=labels))


def integer(key: str, lo: int, hi: int, default: int, step: int = 1) -> Any:
    return _field(Param(key, "int", int(default), lo=lo, hi=hi, step=step))


def number(key: str, lo: float, hi: float, default: float, step: float | None = None) -> Any:
    return _field(Param(key, "float", float(default), lo=float(lo), hi=float(hi), step=step))


def span(key: str, lo: float, hi: float, default: tuple[float, float], step=None) -> Any:
    """A (low, high) pair, as a two-handled slider."""
    d = (float(default[0]), float(default[1]))
    return _field(Param(key, "range", d, lo=float(lo), hi=float(hi), step=step))


def boolean(key: str, default: bool = False) -> Any:
    return _field(Param(key, "bool", bool(default)))


def text(key: str, default: str = "", *, max_chars: int = 500) -> Any:
    return _field(Param(key, "text", default, max_chars=max_chars))


class Model:
    """Base of every chapter's frozen settings dataclass."""

    __dataclass_fields__: ClassVar[dict[str, dataclasses.Field]]

    @classmethod
    def params(cls) -> dict[str, Param]:
        """Field name -> its Param, in declaration order."""
        return {
            f.name: f.metadata["param"] for f in dataclasses.fields(cls) if "param" in f.metadata
        }

    @classmethod
    def param(cls, name: str) -> Param:
        return cls.params()[name]

    @classmethod
    def from_query(cls, query: Query) -> Any:
        """Settings from a query mapping (str or list of str per key). Never raises."""
        values: dict[str, Any] = {}
        for name, p in cls.params().items():
            raw = query.get(p.key) if hasattr(query, "get") else None
            values[name] = p.parse(raw)
        return cls(**values)

    @classmethod
    def from_query_string(cls, qs: str) -> Any:
        try:
            parsed = urllib.parse.parse_qs(qs, keep_blank_values=True, max_num_fields=1000)
        except ValueError:
            parsed = {}
        return cls.from_query(parsed)

    def to_query(self) -> dict[str, list[str]]:
        """URL parameters of these settings, defaults left out."""
        out: dict[str, list[str]] = {}
        for name, p in self.params().items():
            enc = p.encode(getattr(self, name))
            if enc:
                out[p.key] = enc
        return out

    def to_query_string(self) -> str:
        return urllib.parse.urlencode(self.to_query(), doseq=True)


def encode_state(state: Mapping[str, Any]) -> dict[str, list[str]]:
    """URL parameters of raw values keyed by URL key (a tour stop's state)."""
    out: dict[str, list[str]] = {}
    for key, value in state.items():
        p = PARAMS.get(key)
        if p is None:
            raise KeyError(f"{key!r} is not a declared parameter")
        enc = p.encode(value)
        if enc:
            out[key] = enc
    return out
