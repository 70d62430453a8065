"""URL-bound widgets.

Every control on every page goes through these wrappers so that it
- has a page-prefixed key (``gd_lr``, ``att_causal``, ...), which is also its URL parameter;
- is bound to the URL (``bind="query-params"``): the address bar reproduces the view,
  and an invalid URL value silently falls back to the default (Streamlit drops it).

Choice widgets (select, radio, segmented, pills, multiselect) take *keys* as options and
show translated labels. Streamlit stores the displayed label, so the language switch
re-asserts their values (see :func:`remember_choices`) to keep a selection across it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import streamlit as st

#: Key prefixes, one per page (and ``app_`` for the frame). A key must start with one.
PREFIXES: tuple[str, ...] = ("app_", "home_", "gd_", "nn_", "att_", "nt_", "scale_")
_CHOICES = "_choice_widget_keys"
URL_VALUES = "_url_values"  # key -> URL values of this run's widgets that are off default
DEFAULTS = "_url_defaults"  # key -> default value of this run's widgets

Labels = Mapping[Any, str] | Callable[[Any], str] | None


def _check(key: str) -> str:
    if not key.startswith(PREFIXES):
        raise ValueError(f"widget key {key!r} lacks a page prefix {PREFIXES}")
    return key


def _formatter(labels: Labels, options: Sequence[Any]) -> Callable[[Any], str]:
    """A format_func that is fixed at creation time.

    Labels are resolved now, in this run's language: Streamlit (and AppTest) may call
    format_func later, outside the script run, where the language is unknown.
    """
    if labels is None:
        names = {o: str(o) for o in options}
    elif callable(labels):
        names = {o: labels(o) for o in options}
    else:
        names = {o: labels.get(o, str(o)) for o in options}
    return lambda o: names.get(o, str(o))


def _register_choice(key: str) -> None:
    st.session_state.setdefault(_CHOICES, set()).add(key)


def _num(v: Any) -> str:
    return repr(float(v)) if isinstance(v, float) else str(v)


def _record(key: str, value: Any, default: Any, encode: Callable[[Any], list[str]]) -> Any:
    """Remember how ``value`` is written in the URL (nothing when it is the default), so
    that a share link or QR code can reproduce this run's view; returns ``value``."""
    values = st.session_state.setdefault(URL_VALUES, {})
    st.session_state.setdefault(DEFAULTS, {})[key] = default
    if value == default:
        values.pop(key, None)
    else:
        values[key] = encode(value)
    return value


def reset_url_values() -> None:
    """Forget the previous run's widgets (called once per full run by the app frame)."""
    st.session_state[URL_VALUES] = {}
    st.session_state[DEFAULTS] = {}


def defaults() -> dict[str, Any]:
    """Default value of each widget of this run, by key."""
    return dict(st.session_state.get(DEFAULTS, {}))


def url_values() -> dict[str, list[str]]:
    """URL parameters of this run's widgets that are off their defaults."""
    return dict(st.session_state.get(URL_VALUES, {}))


def remember_choices() -> None:
    """Re-assign the current value of every choice widget (call from a callback)."""
    for key in st.session_state.get(_CHOICES, set()):
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def slider(
    key: str,
    label: str,
    min_value: Any,
    max_value: Any,
    value: Any,
    step: Any = None,
    *,
    where: Any = st,
    **kw: Any,
) -> Any:
    got = where.slider(
        label,
        min_value=min_value,
        max_value=max_value,
        value=value,
        step=step,
        key=_check(key),
        bind="query-params",
        **kw,
    )
    enc = (lambda v: [_num(x) for x in v]) if isinstance(value, tuple) else (lambda v: [_num(v)])
    return _record(key, got, value, enc)


def select_slider(
    key: str,
    label: str,
    options: Sequence[Any],
    value: Any,
    *,
    labels: Labels = None,
    where: Any = st,
    **kw: Any,
) -> Any:
    _register_choice(_check(key))
    fmt = _formatter(labels, options)
    got = where.select_slider(
        label,
        options=list(options),
        value=value,
        format_func=fmt,
        key=key,
        bind="query-params",
        **kw,
    )
    return _record(key, got, value, lambda v: [fmt(v)])


def number(
    key: str,
    label: str,
    min_value: Any,
    max_value: Any,
    value: Any,
    step: Any = None,
    *,
    where: Any = st,
    **kw: Any,
) -> Any:
    """A number input. Whole-number inputs are float widgets shown without decimals:
    Streamlit 1.67 crashes (OverflowError) seeding an integer number_input from a URL
    value such as ``?k=1e400``, while a float one rejects it like any invalid value."""
    whole = all(isinstance(v, int) for v in (min_value, max_value, value)) and (
        step is None or isinstance(step, int)
    )
    if whole:
        kw.setdefault("format", "%.0f")
        min_value, max_value, value = float(min_value), float(max_value), float(value)
        step = float(step if step is not None else 1)
    got = where.number_input(
        label,
        min_value=min_value,
        max_value=max_value,
        value=value,
        step=step,
        key=_check(key),
        bind="query-params",
        **kw,
    )
    if whole and got is not None:
        got = round(got)
        value = int(value)
    return _record(key, got, value, lambda v: [_num(v)])


def toggle(key: str, label: str, value: bool = False, *, where: Any = st, **kw: Any) -> bool:
    got = where.toggle(label, value=value, key=_check(key), bind="query-params", **kw)
    return _record(key, got, value, lambda v: ["true" if v else "false"])


def expander(key: str, label: str, expanded: bool = False, *, where: Any = st, **kw: Any) -> Any:
    """A keyed expander whose open state is part of the URL (a shared link opens it too);
    read ``.open`` on the result to draw its content only while it is open."""
    box = where.expander(
        label, expanded=expanded, key=_check(key), on_change="rerun", bind="query-params", **kw
    )
    _record(key, bool(box.open), expanded, lambda v: ["true" if v else "false"])
    return box


def checkbox(key: str, label: str, value: bool = False, *, where: Any = st, **kw: Any) -> bool:
    got = where.checkbox(label, value=value, key=_check(key), bind="query-params", **kw)
    return _record(key, got, value, lambda v: ["true" if v else "false"])


def text(
    key: str,
    label: str,
    value: str = "",
    *,
    max_chars: int | None = None,
    area: bool = False,
    where: Any = st,
    **kw: Any,
) -> str:
    fn = where.text_area if area else where.text_input
    got = fn(label, value=value, max_chars=max_chars, key=_check(key), bind="query-params", **kw)
    return _record(key, got, value, lambda v: [v])


def select(
    key: str,
    label: str,
    options: Sequence[Any],
    default: Any = None,
    *,
    labels: Labels = None,
    kind: str = "selectbox",
    where: Any = st,
    **kw: Any,
) -> Any:
    """One choice out of ``options`` (keys); ``kind`` is selectbox|radio|segmented|pills."""
    opts = list(options)
    if default is None:
        default = opts[0]
    fmt = _formatter(labels, opts)
    _register_choice(_check(key))
    common = dict(format_func=fmt, key=key, bind="query-params", **kw)
    if kind == "selectbox":
        got = where.selectbox(label, opts, index=opts.index(default), **common)
    elif kind == "radio":
        got = where.radio(label, opts, index=opts.index(default), **common)
    elif kind in ("segmented", "pills"):
        fn = where.segmented_control if kind == "segmented" else where.pills
        got = fn(label, opts, default=default, required=True, **common)
        got = default if got is None else got
    else:
        raise ValueError(f"unknown kind {kind!r}")
    return _record(key, got, default, lambda v: [fmt(v)])


def multiselect(
    key: str,
    label: str,
    options: Sequence[Any],
    default: Sequence[Any] = (),
    *,
    labels: Labels = None,
    kind: str = "multiselect",
    where: Any = st,
    **kw: Any,
) -> list[Any]:
    """Several choices; ``kind`` is multiselect|pills."""
    _register_choice(_check(key))
    fmt = _formatter(labels, options)
    common = dict(format_func=fmt, key=key, bind="query-params", **kw)
    if kind == "pills":
        got = list(
            where.pills(
                label, list(options), default=list(default), selection_mode="multi", **common
            )
            or []
        )
    else:
        got = list(where.multiselect(label, list(options), default=list(default), **common))
    return _record(key, got, list(default), lambda v: [fmt(x) for x in v] or [""])
