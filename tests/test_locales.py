"""The two locale files must agree key for key and placeholder for placeholder."""

import re

import pytest

from ui.i18n import LANGS, catalog, placeholders


def test_same_keys():
    ja, en = set(catalog("ja")), set(catalog("en"))
    assert not ja - en, f"only in ja.toml: {sorted(ja - en)}"
    assert not en - ja, f"only in en.toml: {sorted(en - ja)}"


@pytest.mark.parametrize("key", sorted(catalog("en")))
def test_same_placeholders(key):
    assert placeholders(catalog("ja")[key]) == placeholders(catalog("en")[key]), key


@pytest.mark.parametrize("lang", LANGS)
def test_strings_are_not_empty_and_format(lang):
    for key, text in catalog(lang).items():
        assert text.strip(), f"{lang}:{key} is empty"
        text.format(**{p: "1" for p in placeholders(text)})  # every string formats


def test_japanese_is_japanese():
    """Every ja string that reads like an English phrase (three or more words) has kana
    or kanji, unless it is identical in both files (a proper name or formula)."""
    kana_kanji = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
    same_ok = {k for k, v in catalog("ja").items() if v == catalog("en")[k]}
    for key, text in catalog("ja").items():
        if key in same_ok or not re.search(r"[A-Za-z]{3,}(\s+[A-Za-z]{2,}){2,}", text):
            continue
        assert kana_kanji.search(text), f"ja:{key} looks untranslated: {text!r}"


def test_every_literal_key_in_the_code_exists():
    """Each ``t("section.key")`` written as a literal in the app's code names a string of
    both locales (a missing one would show as ⟦section.key⟧, even inside a figure)."""
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[1]
    files = [root / "streamlit_app.py", *root.glob("ui/**/*.py"), *root.glob("pages/*.py")]
    pattern = re.compile(r"""\bt\(\s*["']([a-z_]+(?:\.[a-z0-9_]+)+)["']""")
    used = {(f.name, k) for f in files for k in pattern.findall(f.read_text(encoding="utf-8"))}
    assert len(used) > 300  # the scan finds the app's strings
    for lang in LANGS:
        missing = sorted(f"{name}: {k}" for name, k in used if k not in catalog(lang))
        assert not missing, (lang, missing)


@pytest.mark.parametrize("lang", LANGS)
def test_lab_error_terms_balance_where_the_lab_says(lang):
    """The lab states h ≈ 2·√(ε·|f|/|f″|) (ui.model.gd.lab_reading). That is where the
    truncation term (h/2)·|f″| meets a round-off term of 2ε·|f|/h, so the explanation
    above it must name that round-off term, not ε·|f|/h (which would balance elsewhere)."""
    text, terms = catalog(lang)["gd.lab_text"], catalog(lang)["gd.lab_terms"]
    assert "(h/2)·|f″|" in text and "2ε·|f|/h" in text
    assert "2·√(ε·|f| / |f″|)" in terms
