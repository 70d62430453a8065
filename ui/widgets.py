"""URL-bound widgets.

Every control on every page is drawn by :func:`control` from its declaration in the
chapter's model (ui/model/, see ui/state.py), so that it
- has a page-prefixed key (``gd_lr``, ``att_causal``, ...), which is also its URL parameter;
- is parsed from the URL by the declaration (an invalid value falls back to the default)
  and written back with option *keys*, never translated labels, so a link reproduces the
  view in either language.

Choice widgets show translated labels; the language switch re-asserts their values (see
:func:`remember_choices`) to keep a selection across it. :func:`expander` is the one
widget Streamlit binds to the URL itself: an open section is part of a shared view.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import streamlit as st

from ui.i18n import t
from ui.state import Model, Param, _num_text

#: Key prefixes, one per page (and ``app_`` for the frame). A key must start with one.
PREFIXES: tuple[str, ...] = ("app_", "home_", "gd_", "nn_", "att_", "in_", "nt_", "scale_")
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


def expander(key: str, label: str, expanded: bool = False, *, where: Any = st, **kw: Any) -> Any:
    """A keyed expander whose open state is part of the URL (a shared link opens it too);
    read ``.open`` on the result to draw its content only while it is open."""
    box = where.expander(
        label, expanded=expanded, key=_check(key), on_change="rerun", bind="query-params", **kw
    )
    _record(key, bool(box.open), expanded, lambda v: ["true" if v else "false"])
    return box


# -- Declared controls (ui/state.py) -----------------------------------------------------
# A control declared in a chapter model owns its URL parameter: the URL is parsed by the
# declaration (the same pure function the tests check), and written back with option
# *keys*, never translated labels. The widget itself is not bound by Streamlit; its value
# lives in session state, seeded from the URL.

_SEEN = "_url_seen"  # key -> the URL values last read or written for it


def _url_raw(key: str) -> list[str]:
    try:
        return list(st.query_params.get_all(key))
    except Exception:  # a malformed query string: treat as absent
        return []


def _clamp(p: Param, value: Any, lo: Any, hi: Any) -> Any:
    if p.kind in ("int", "float") and lo is not None and hi is not None:
        return type(value)(min(max(value, lo), hi))
    if p.kind == "range" and lo is not None and hi is not None:
        a, b = (min(max(float(v), lo), hi) for v in value)
        return (a, b)
    return value


def _seed(p: Param, default: Any, lo: Any, hi: Any, options: Sequence[Any]) -> None:
    """Put the URL's value (or the default) into session state before the widget runs.

    Only when the widget has no state yet (a page opened from a link, or a control that
    just appeared): afterwards the widget's own state wins. Every rerun carries the
    browser's query string, which can lag behind the value this session just wrote, so
    letting the URL win then would undo key presses."""
    raw = _url_raw(p.key)
    seen = st.session_state.setdefault(_SEEN, {})
    if p.key not in st.session_state:
        value = p.parse(raw) if raw else default
        # an invalid URL value parses to the declared default: use the narrowed one
        narrowed = default != p.default and p.kind not in ("multi", "range")
        if raw and narrowed and value == p.default and not p._scalar(raw[-1])[0]:
            value = default
        if p.kind in ("choice",) and value not in options:
            value = default
        if p.kind == "multi":
            value = [o for o in value if o in options]
        elif p.kind == "range":
            value = tuple(value)
        st.session_state[p.key] = _clamp(p, value, lo, hi)
    else:
        # Assign only when the value must change: any assignment counts as a value set
        # from the server, which the browser applies over a key press in flight.
        cur = st.session_state[p.key]
        if p.kind == "choice" and cur not in options:
            st.session_state[p.key] = default
        elif p.kind in ("int", "float", "range"):
            fixed = _clamp(p, cur, lo, hi)
            if fixed != cur:
                st.session_state[p.key] = fixed
    seen[p.key] = tuple(raw)


def _write_url(p: Param, value: Any, default: Any, derived: bool = False) -> None:
    """Make the URL carry ``value`` (nothing when it is the default).

    A default narrowed at draw time (``default`` is not the declared one) is written
    anyway, since it may depend on the language, which a link need not carry; unless
    ``derived``: it follows from other settings the URL carries (a preset), so the URL
    leaves out exactly the values equal to it and writes any other, even the declared
    default (which a link opened with that preset would not give back)."""
    v, d = p.normalise(value), p.normalise(default)
    enc = [] if v == d else p.encode(v)
    if not enc and v != (d if derived else p.normalise(p.default)):
        many = p.kind in ("multi", "range")  # the declared default, written out
        enc = p.encode(v) or ((list(map(_num_text, v)) or [""]) if many else [_num_text(v)])
    raw = _url_raw(p.key)
    if enc != raw:
        if enc:
            st.query_params[p.key] = enc if len(enc) > 1 else enc[0]
        elif p.key in st.query_params:
            del st.query_params[p.key]
    st.session_state.setdefault(_SEEN, {})[p.key] = tuple(enc)
    _record(p.key, p.normalise(value), p.normalise(default), lambda v: enc)


def control(
    model: type[Model],
    name: str,
    label: str,
    *,
    kind: str | None = None,
    where: Any = st,
    derived: bool = False,
    **kw: Any,
) -> Any:
    """The widget of ``model``'s field ``name``: its key, default, range and options come
    from the declaration. ``kind`` picks the widget (see below); ``min_value``,
    ``max_value``, ``value`` (a default) and ``options`` may be narrowed for ranges that
    depend on other settings; ``derived=True`` says such a ``value`` follows from
    settings the URL carries (see :func:`_write_url`); everything else goes to the
    Streamlit widget.

    kinds: choice -> selectbox (default) | radio | segmented | pills | select_slider;
    multi -> multiselect (default) | pills; int/float -> slider (default) | number;
    range -> slider; bool -> toggle (default) | checkbox; text -> text (default) | area.
    """
    p = model.param(name)
    key = _check(p.key)
    lo = kw.pop("min_value", p.lo)
    hi = kw.pop("max_value", p.hi)
    default = kw.pop("value", p.default)
    options = list(kw.pop("options", p.options))
    step = kw.pop("step", p.step)
    labels = kw.pop("labels", None)
    if p.kind in ("choice", "multi"):
        if labels is None:
            labels = {o: (t(lid) if (lid := p.label_id(o)) else _num(o)) for o in options}
        fmt = _formatter(labels, options)
    _register_choice(key)  # labels change with the language: keep the value (remember_choices)
    _seed(p, default, lo, hi, options)
    if p.kind == "choice":
        kind = kind or "selectbox"
        common = dict(format_func=fmt, key=key, **kw)
        if kind == "selectbox":
            got = where.selectbox(label, options, **common)
        elif kind == "radio":
            got = where.radio(label, options, **common)
        elif kind in ("segmented", "pills"):
            fn = where.segmented_control if kind == "segmented" else where.pills
            got = fn(label, options, required=True, **common)
        elif kind == "select_slider":
            got = where.select_slider(label, options=options, **common)
        else:
            raise ValueError(f"unknown kind {kind!r}")
        got = default if got is None else got
    elif p.kind == "multi":
        common = dict(format_func=fmt, key=key, **kw)
        if (kind or "multiselect") == "pills":
            got = where.pills(label, options, selection_mode="multi", **common)
        else:
            got = where.multiselect(label, options, **common)
        got = tuple(o for o in options if o in (got or ()))
    elif p.kind in ("int", "float", "range"):
        if p.kind == "int":
            lo, hi, step = int(lo), int(hi), int(step or 1)
        else:
            lo, hi = float(lo), float(hi)
            step = float(step) if step is not None else None
        fn = where.number_input if kind == "number" else where.slider
        got = fn(label, min_value=lo, max_value=hi, step=step, key=key, **kw)
        if p.kind == "range":
            got = (float(got[0]), float(got[1]))
    elif p.kind == "bool":
        fn = where.checkbox if kind == "checkbox" else where.toggle
        got = bool(fn(label, key=key, **kw))
    else:  # text
        fn = where.text_area if kind == "area" else where.text_input
        got = fn(label, max_chars=p.max_chars, key=key, **kw) or ""
    _write_url(p, got, default, derived)
    return got
