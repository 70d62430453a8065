"""The glossary in the sidebar: every term in both languages, each linked to a chapter."""

from __future__ import annotations

import pytest

from tests.app.helpers import app, texts
from ui.catalog import catalog
from ui.chapters import BY_KEY
from ui.glossary import OPEN_KEY, TERMS


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_term_is_listed_with_a_link_to_its_chapter(lang):
    at = app(lang).run()
    at.session_state[OPEN_KEY] = True  # what a click on the popover does
    at.run()
    assert not at.exception
    body = texts(at)
    links = [el.proto for el in at.get("page_link")]
    labels = [p.label for p in links]
    for term, chapter in TERMS:
        assert catalog(lang)[f"glossary.{term}.term"] in body, term
        assert catalog(lang)[f"glossary.{term}.def"] in body, term
        if chapter in BY_KEY:
            want = catalog(lang)["glossary.go"].format(chapter=catalog(lang)[f"{chapter}.nav"])
            assert want in labels, (term, want)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_closed_glossary_writes_nothing(lang):
    """A page open does not pay for the closed popover's 18 terms and links."""
    at = app(lang).run()
    assert not at.exception
    body = texts(at)
    labels = [el.proto.label for el in at.get("page_link")]
    for term, _ in TERMS:
        assert catalog(lang)[f"glossary.{term}.def"] not in body, term
    want = catalog(lang)["glossary.go"].format(chapter=catalog(lang)["gd.nav"])
    assert want not in labels


def test_the_numerical_term_names_the_articles_word():
    """The article's 順伝播法 for slopes is numerical differentiation: said once, plainly."""
    assert "順伝播法" in catalog("ja")["glossary.numerical.def"]
    assert "順伝播法" in catalog("en")["glossary.numerical.def"]
