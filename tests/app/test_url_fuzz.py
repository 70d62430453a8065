"""No URL value or typed text raises on any page (issue 15).

Every URL key a page reads — its declared controls (ui/model/), the widgets bound to the
URL (their keys), and the frame's own (lang, present, tour) — is given hostile values:
Unicode digits that ``isdigit`` accepts and ``int`` refuses, huge numbers, NaN and
infinities, empty and repeated keys, markup, NUL, emoji. Each text box is filled to its
maximum length in several scripts. The page must run without an exception and without
showing a traceback or a server path."""

from __future__ import annotations

import functools
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.app.helpers import open_page, texts
from ui.chapters import CHAPTERS
from ui.model import all_models

FRAME_KEYS = ("lang", "present", "tour")
HOSTILE = (
    "²",  # isdigit() accepts it, int() does not
    "٣",  # Arabic-Indic three
    "１２",  # full-width digits
    "9" * 4301,  # over Python's int-string limit
    "-1e309",
    "nan",
    "inf",
    "",
    "<script>alert(1)</script>",
    "\x00",
    "😀" * 50,
    "0x1F",
    "1_000",
    " 3 ",
)
LEAKS = ("Traceback", "/work/", 'File "', '.py"', "site-packages")


@functools.cache
def page_keys(chapter: str) -> tuple[str, ...]:
    """Every URL key ``chapter``'s page reads: declared controls of its prefix, the keys
    of its widgets (Streamlit binds a widget's URL parameter to its key), the frame's."""
    prefix = next(c.key_prefix for c in CHAPTERS if c.key == chapter)
    declared = {p.key for m in all_models() for p in m.params().values()}
    at = open_page(chapter, "en")
    widgets = set()
    for kind in ("slider", "select_slider", "selectbox", "radio", "multiselect", "toggle",
                 "checkbox", "number_input", "text_input", "text_area", "button_group"):  # fmt: skip
        widgets |= {w.key for w in at.get(kind) if w.key}
    own = {k for k in declared | widgets if k.startswith(prefix)}
    return tuple(sorted(own)) + FRAME_KEYS


def _clean(at) -> None:
    assert not at.exception, [e.value for e in at.exception]
    shown = (
        texts(at)
        + " ".join(str(e.value) for e in at.error)
        + " ".join(str(w.value) for w in at.warning)
    )
    for leak in LEAKS:
        assert leak not in shown, leak


@pytest.mark.parametrize("chapter", [c.key for c in CHAPTERS])
def test_each_page_reads_its_keys(chapter: str) -> None:
    keys = page_keys(chapter)
    assert len(keys) > len(FRAME_KEYS), keys  # the scan found the page's own keys


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
@pytest.mark.parametrize("chapter", [c.key for c in CHAPTERS])
def test_every_key_at_once_with_a_hostile_value(chapter: str, value: str) -> None:
    lang = ("ja", "en")[HOSTILE.index(value) % 2]
    params = {k: value for k in page_keys(chapter)}
    _clean(open_page(chapter, lang, params))


@pytest.mark.parametrize("chapter", [c.key for c in CHAPTERS])
def test_repeated_keys(chapter: str) -> None:
    """``?k=1&k=2`` reaches the app as two values for one key."""
    params = {k: ["1", "2"] for k in page_keys(chapter)}
    _clean(open_page(chapter, "en", params))


_values = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=40),
    st.text(alphabet=string.digits + "٠١٢٣٤٥٦٧٨٩²³¹.-+eE", min_size=1, max_size=30),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)


@pytest.mark.parametrize("chapter", [c.key for c in CHAPTERS])
@settings(
    max_examples=5,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_any_mix_of_keys_and_values(chapter: str, data) -> None:
    keys = page_keys(chapter)
    params = data.draw(st.dictionaries(st.sampled_from(keys), _values, max_size=6))
    lang = data.draw(st.sampled_from(("ja", "en")))
    _clean(open_page(chapter, lang, params))


FILLERS = ("猫の手も借りたい。", "😀🙂", "aé漢字ㅋ١ ")


@pytest.mark.parametrize("chapter", [c.key for c in CHAPTERS])
def test_every_text_box_at_its_maximum_in_any_script(chapter: str) -> None:
    at = open_page(chapter, "ja")
    boxes = [(b.key, b.max_chars) for kind in ("text_input", "text_area") for b in at.get(kind)]
    for filler in FILLERS:
        for key, limit in boxes:
            n = limit or 500
            text = (filler * (n // len(filler) + 1))[:n]
            box = next(
                b for kind in ("text_input", "text_area") for b in at.get(kind) if b.key == key
            )
            box.set_value(text).run()
            _clean(at)
