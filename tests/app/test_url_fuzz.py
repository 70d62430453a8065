"""No URL value or typed text raises on any page (issue 15).

Every URL key a page reads — its declared controls (ui/model/), every widget's key (a
widget bound to the URL reads the parameter of its key), and the frame's own (lang,
present, tour) — is given hostile values: Unicode digits that ``isdigit`` accepts and
``int`` refuses, numbers past Python's 4,300-digit limit, NaN and infinities, empty and
repeated keys, markup, NUL, emoji, text over every box's maximum. Hypothesis mixes them
with valid option keys and labels over every key of every page, in both languages. Each
text box is also filled to its maximum length in several scripts. A page must run
without an exception and without showing a traceback or a server path."""

from __future__ import annotations

import functools
import pathlib
import re
import string
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.app.helpers import ROOT, app
from ui.catalog import catalog, languages
from ui.chapters import BY_KEY, CHAPTERS
from ui.model import all_models
from ui.state import MAX_RAW, PARAMS, _num_text

all_models()  # every declaration in PARAMS

CHAPTER_KEYS = [c.key for c in CHAPTERS]
FRAME_KEYS = ("lang", "present", "tour")
#: Keys no page declares: empty, look-alikes of real ones, URL syntax inside a key.
ODD_KEYS = ("", " ", "LANG", "lang ", "Tour", "tour[]", "a=b", "&", "%00", "\x00", "キー")
HOSTILE: tuple[Any, ...] = (
    "²",  # isdigit() accepts it, int() does not
    "٣",  # Arabic-Indic three
    "１２",  # full-width digits
    "9" * 4301,  # over Python's int-string limit
    "-" + "9" * 5000,
    "1e400",
    "-1e309",
    "nan",
    "inf",
    "",
    "<script>alert(1)</script>",
    "\x00",
    "😀" * 50,
    "x" * (MAX_RAW + 1),
    ["1", "2", "3"],  # a repeated key
    ["", ""],
)
#: Markers of a leaked traceback or server path in what a page shows.
LEAKS = ("Traceback", "/work/", str(ROOT), 'File "', '.py"', "site-packages")
#: Settings that bring out the text boxes a default view hides.
REVEAL: dict[str, dict[str, str]] = {"gd": {"gd_land": "custom"}}
_WIDGET_CALL = re.compile(r"""\bw\.\w+\(\s*["']([a-z]+_[a-z0-9_]+)["']""")


def _walk(node: Any):
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)
    yield node


def run_page(chapter: str, lang: str, params: dict[str, Any] | None = None):
    """A fresh session opening ``chapter`` with URL ``params``: the first run (the home
    page) gets them, and so does the page's run (a deep link), frame keys included."""
    at = app(lang, params).run()
    if chapter != "home":
        at.query_params = dict(params or {})
        at.switch_page(BY_KEY[chapter].file).run()
    return at


@functools.cache
def _source_keys() -> frozenset[str]:
    """Keys of URL-bound widgets written as literals in the views (w.slider("nn_n", ...)),
    also those a default view does not draw."""
    files = [*(ROOT / "ui").glob("*.py"), *(ROOT / "pages").glob("*.py")]
    return frozenset(k for f in files for k in _WIDGET_CALL.findall(pathlib.Path(f).read_text()))


@functools.cache
def page_keys(chapter: str) -> tuple[str, ...]:
    """Every URL key ``chapter``'s page reads: its declared controls, every widget key on
    the page (drawn or in the source) with its prefix, and the frame's keys."""
    prefix = BY_KEY[chapter].key_prefix
    at = run_page(chapter, "en", REVEAL.get(chapter))
    drawn = {getattr(n, "key", None) for n in _walk(at._tree)}
    drawn |= {getattr(getattr(n, "proto", None), "query_param_key", None) for n in _walk(at._tree)}
    keys = {k for k in drawn | set(PARAMS) | _source_keys() if k and k.startswith(prefix)}
    return (*sorted(keys), *FRAME_KEYS)


def _valid_words(key: str) -> list[str]:
    """URL words a key accepts: option keys, labels in either language, bounds, flags."""
    words = ["true", "false", "1", "0"]
    if key == "lang":
        return [*languages(), "日本語", "English"]
    if key == "tour":
        return ["1", "8", "12", "13", "0", "01", "٣", "²"]
    p = PARAMS.get(key)
    if p is None:
        return words
    words += [_num_text(o) for o in p.options]
    for o in p.options:
        if (lid := p.label_id(o)) is not None:
            words += [catalog(lang).get(lid, "") for lang in languages()]
    for v in (p.lo, p.hi, p.default):
        if isinstance(v, int | float) and not isinstance(v, bool):
            words += [_num_text(v), str(v)]
    if p.max_chars:
        words += ["あ" * p.max_chars, "😀" * (p.max_chars + 1)]
    return [w for w in words if isinstance(w, str)]


def _strings(proto: Any):
    """Every string in a protobuf message (what an element shows), nested ones included."""
    if proto is None or not hasattr(proto, "ListFields"):
        return
    for _, value in proto.ListFields():
        for v in value if isinstance(value, list | tuple) or hasattr(value, "extend") else (value,):
            if isinstance(v, str):
                yield v
            else:
                yield from _strings(v)


def _clean(at, params: dict[str, Any] | None = None) -> None:
    assert not at.exception, [e.value for e in at.exception]
    sent = " ".join(str(v) for v in (params or {}).values())
    text = "\n".join(s for node in _walk(at._tree) for s in _strings(getattr(node, "proto", None)))
    for leak in LEAKS:
        if leak not in sent:
            assert leak not in text, leak


def test_clean_pages_show_no_leak_markers() -> None:
    """The leak check is sound: no page shows a marker when nothing is wrong."""
    for chapter in CHAPTER_KEYS:
        _clean(run_page(chapter, "en"))


@pytest.mark.parametrize("chapter", CHAPTER_KEYS)
def test_each_page_reads_its_keys(chapter: str) -> None:
    keys = page_keys(chapter)
    assert len(keys) > len(FRAME_KEYS) + 3, keys  # the scan found the page's own keys
    declared = {k for k in PARAMS if k.startswith(BY_KEY[chapter].key_prefix)}
    assert declared <= set(keys)


@pytest.mark.parametrize("i", range(len(HOSTILE)))
@pytest.mark.parametrize("chapter", CHAPTER_KEYS)
def test_every_key_at_once_with_a_hostile_value(chapter: str, i: int) -> None:
    params = {k: HOSTILE[i] for k in page_keys(chapter)}
    params.update({k: HOSTILE[i] for k in ODD_KEYS})
    at = run_page(chapter, ("ja", "en")[i % 2], params)
    _clean(at, params)


_one = st.one_of(
    st.sampled_from([v for v in HOSTILE if isinstance(v, str)]),
    st.text(max_size=40),
    st.text(alphabet=string.digits + "٠١٢٣٤٥٦٧٨٩²³¹１２３.-+eE_ ", min_size=1, max_size=30),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)


def _value(key: str) -> st.SearchStrategy[Any]:
    one = st.one_of(st.sampled_from(_valid_words(key)), _one)
    return st.one_of(one, st.lists(one, min_size=2, max_size=4))  # repeated keys


@functools.cache
def _query(chapter: str) -> st.SearchStrategy[dict[str, Any]]:
    """Any subset of the page's keys (and of odd ones), each with any value."""
    own = st.fixed_dictionaries({}, optional={k: _value(k) for k in page_keys(chapter)})
    odd = st.dictionaries(st.sampled_from(ODD_KEYS), _value(""), max_size=2)
    return st.tuples(own, odd).map(lambda pair: {**pair[1], **pair[0]})


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("chapter", CHAPTER_KEYS)
@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_any_mix_of_keys_and_values(chapter: str, lang: str, data) -> None:
    params = data.draw(_query(chapter), label="params")
    _clean(run_page(chapter, lang, params), params)


FILLERS = (
    "猫の手も借りたい。",  # Japanese
    "😀👩‍👩‍👧🇯🇵",  # emoji, a ZWJ family and a flag
    "aé漢字ㅋ١ שלום Ж e\u0301",  # mixed scripts, right-to-left, a combining accent
    "9٣²",  # digits of three kinds
)


def _boxes(at) -> list[Any]:
    return [b for kind in ("text_input", "text_area") for b in at.get(kind)]


@pytest.mark.parametrize("chapter", CHAPTER_KEYS)
def test_every_text_box_at_its_maximum_in_any_script(chapter: str) -> None:
    at = run_page(chapter, "ja", REVEAL.get(chapter))
    keys = [(b.key, b.max_chars) for b in _boxes(at)]
    declared = [p.key for p in PARAMS.values() if p.kind == "text"]
    assert {k for k, _ in keys} >= {k for k in declared if k.startswith(BY_KEY[chapter].key_prefix)}
    for filler in FILLERS:
        for key, limit in keys:
            n = limit or 500
            text = (filler * (n // len(filler) + 1))[:n]
            box = next(b for b in _boxes(at) if b.key == key)
            box.set_value(text).run()
            _clean(at)
