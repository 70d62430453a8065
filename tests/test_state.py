"""The URL contract of every chapter (ui/state.py + ui/model/): settings -> URL ->
settings is the identity for valid settings, and hostile URL text gives defaults, never
an exception. Property-based (hypothesis) over every declared control of every chapter."""

from __future__ import annotations

import dataclasses
import math
import urllib.parse
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ui import state
from ui.catalog import catalog
from ui.model import all_models
from ui.state import Model, Param

MODELS = all_models()
HOSTILE = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "²",
            "٣",
            "𝟠",
            "1e400",
            "-1e400",
            "nan",
            "inf",
            "-inf",
            "",
            " ",
            "9" * 4301,
            "0x10",
            "１２",
            "true\x00",
            "<script>",
            "%00",
            "../../etc/passwd",
            "None",
            "[]",
        ]
    ),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)


def _value(p: Param) -> st.SearchStrategy[Any]:
    """Valid values of one control."""
    if p.kind == "choice":
        return st.sampled_from(p.options)
    if p.kind == "multi":
        return st.sets(st.sampled_from(p.options)).map(
            lambda s: tuple(o for o in p.options if o in s)
        )
    if p.kind == "bool":
        return st.booleans()
    if p.kind == "int":
        return st.integers(int(p.lo), int(p.hi))
    if p.kind == "float":
        return st.floats(p.lo, p.hi, allow_nan=False)
    if p.kind == "range":
        return st.tuples(st.floats(p.lo, p.hi), st.floats(p.lo, p.hi)).map(
            lambda ab: (min(ab), max(ab))
        )
    return st.text(max_size=p.max_chars or 50).filter(lambda s: "\x00" not in s)


def _settings(model: type[Model]) -> st.SearchStrategy[Model]:
    return st.fixed_dictionaries({n: _value(p) for n, p in model.params().items()}).map(
        lambda kw: model(**kw)
    )


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == b or math.isclose(a, b, rel_tol=1e-15)
    return a == b


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_round_trip(model: type[Model]) -> None:
    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(_settings(model))
    def check(s: Model) -> None:
        back = model.from_query_string(s.to_query_string())
        for f in dataclasses.fields(model):
            got, want = getattr(back, f.name), getattr(s, f.name)
            p = model.param(f.name)
            assert _same(got, p.normalise(want)), (f.name, got, want)

    check()


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_hostile_values_give_defaults_never_raise(model: type[Model]) -> None:
    keys = [p.key for p in model.params().values()]

    @settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.dictionaries(st.sampled_from(keys), st.lists(HOSTILE, max_size=3), max_size=6))
    def check(query: dict[str, list[str]]) -> None:
        s = model.from_query(query)
        for name, p in model.params().items():
            v = getattr(s, name)
            assert p.valid(v) or v == p.default, (name, v)

    check()


#: Values no control accepts except as text: each gives the field's default exactly.
INVALID = ["²", "٣", "𝟠", "１２", "1e400", "-1e400", "nan", "inf", "-inf", " ", "9" * 4301,
           "0x10", "true\x00", "<script>", "%00", "../../etc/passwd", "None", "[]"]  # fmt: skip


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_invalid_values_give_exactly_the_default(model: type[Model]) -> None:
    """Stronger than the property above: for every control that is not free text, each
    invalid value (alone, or repeated) gives exactly the declared default."""
    for name, p in model.params().items():
        if p.kind == "text":
            continue
        for v in INVALID:
            for raw in ([v], [v, v]):
                got = getattr(model.from_query({p.key: raw}), name)
                assert got == p.default, (name, v[:12], got)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_any_query_string_parses(model: type[Model]) -> None:
    @settings(max_examples=60, deadline=None)
    @given(st.text(max_size=300))
    def check(qs: str) -> None:
        model.from_query_string(qs)

    check()


def test_urls_carry_keys_and_old_labels_still_open() -> None:
    """A choice is written as its stable key; a link written with its label in either
    language (as Streamlit's own binding did) opens the same option."""
    checked = 0
    for model in MODELS:
        for p in model.params().values():
            if p.kind not in ("choice", "multi"):
                continue
            for o in p.options:
                if o == p.default:
                    continue
                enc = p.encode(o if p.kind == "choice" else (o,))
                assert enc == [state._num_text(o)]
                lid = p.label_id(o)
                for lang in ("ja", "en"):
                    if lid and lid in catalog(lang):
                        label = catalog(lang)[lid]
                        want = o if p.kind == "choice" else (o,)
                        assert p.parse([label]) == want, (p.key, lang, label)
                        checked += 1
    assert checked or not MODELS


def test_declared_keys_are_unique_and_prefixed() -> None:
    from ui.widgets import PREFIXES

    for key in state.PARAMS:
        assert key.startswith(PREFIXES), key


def test_param_basics() -> None:
    @dataclasses.dataclass(frozen=True)
    class Demo(Model):
        pick: str = state.choice("app_t_pick", ("a", "b", "c"), "a", aliases={"Bee": "b"})
        n: int = state.integer("app_t_n", 1, 10, 3)
        x: float = state.number("app_t_x", -1.0, 1.0, 0.5)
        on: bool = state.boolean("app_t_on")
        many: tuple = state.multi("app_t_many", ("p", "q", "r"), ("p",))

    d = Demo.from_query({"app_t_pick": "Bee", "app_t_n": ["²"], "app_t_x": "1e400"})
    assert (d.pick, d.n, d.x) == ("b", 3, 0.5)
    assert Demo.from_query({"app_t_n": ["4", "7"]}).n == 7  # repeated key: the last one
    assert Demo.from_query({"app_t_n": "9" * 4301}).n == 3
    assert Demo.from_query({"app_t_many": ["r", "q", "r"]}).many == ("q", "r")
    assert Demo.from_query({"app_t_many": [""]}).many == ()
    assert Demo(pick="c", on=True).to_query() == {"app_t_pick": ["c"], "app_t_on": ["true"]}
    qs = Demo(n=4, many=("q",)).to_query_string()
    assert urllib.parse.parse_qs(qs) == {"app_t_n": ["4"], "app_t_many": ["q"]}
