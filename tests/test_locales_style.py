"""How the locale strings read once rendered: no literal Markdown markers, the preferred
term for each idea (locales/terms/preferred.toml), no stray spaces around Japanese text
placeholders, no doubled punctuation from a placeholder."""

from __future__ import annotations

import pathlib
import re
import tomllib

import pytest
from markdown_it import MarkdownIt

from ui.catalog import LANGS, LOCALES, catalog

MD = MarkdownIt("commonmark")
TERMS = tomllib.loads((LOCALES / "terms" / "preferred.toml").read_text(encoding="utf-8"))
# Placeholders whose value is a word or name (not a number): in Japanese no space
# separates them from the particle that follows or the word before.
WORDS = "name|names|act|land|method|title|data|token|field|dtype|largest|source|opt|model|chapter"


def _sample(text: str) -> str:
    """The string with every placeholder filled, as the app shows it."""
    return re.sub(r"\{[a-z_0-9]+\}", "X", text)


def _visible(text: str) -> str:
    """Text left after CommonMark rendering, without code spans and tags."""
    html = MD.render(_sample(text))
    html = re.sub(r"<code>.*?</code>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", "", html)


def _prose(text: str) -> str:
    """The string without code spans and formulas (where code words are right)."""
    text = re.sub(r"`[^`]*`", "", text)
    return re.sub(r"\$[^$]*\$", "", text)


@pytest.mark.parametrize("lang", LANGS)
def test_no_literal_markdown_markers(lang):
    bad = {k: v for k, v in catalog(lang).items() if "**" in _visible(v) or "__" in _visible(v)}
    assert not bad, f"strings that would show ** or __ literally: {sorted(bad)}"


@pytest.mark.parametrize("lang", LANGS)
def test_preferred_terms(lang):
    found = []
    for rule in TERMS.get(lang, []):
        for key, text in catalog(lang).items():
            prose = _prose(text)
            for ok in rule.get("except", []):
                prose = prose.replace(ok, "")
            for variant in rule["not"]:
                if variant in prose:
                    found.append(f"{key}: «{variant}» (use «{rule['use']}»)")
    assert not found, "\n".join(found)


def test_no_space_between_a_japanese_word_placeholder_and_its_particle():
    pat = re.compile(r"\{(" + WORDS + r")\}[ \u3000]+[はがをにでともへやの]")
    bad = [k for k, v in catalog("ja").items() if pat.search(v)]
    assert not bad, f"a space between a word placeholder and its particle: {bad}"


@pytest.mark.parametrize("lang", LANGS)
def test_no_doubled_punctuation(lang):
    bad = [k for k, v in catalog(lang).items() if re.search(r"：：|::|。。|、、", _sample(v))]
    assert not bad, bad


def test_terms_file_is_used():
    assert pathlib.Path(LOCALES / "terms" / "preferred.toml").exists()
    assert TERMS["ja"], "no Japanese rules"


@pytest.mark.parametrize("lang", LANGS)
def test_no_italics(lang):
    """No string renders in italics (CommonMark <em>): the italic font alone is 138 KB of
    a student's first load (issue 15), and italics do not suit Japanese. Use **bold** or
    quotes."""
    bad = {k: v for k, v in catalog(lang).items() if "<em>" in MD.render(_sample(v))}
    assert not bad, f"strings rendered in italics: {sorted(bad)}"
