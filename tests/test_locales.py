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


# Sentences whose numbers (or chip and model names) come from the code that drives the
# view: they must keep these placeholders, never a number typed in (the audit of issue 14).
FROM_CODE = {
    "inside.model_text": {"blocks", "heads", "width"},
    "nt.learn_text": {"times", "share", "step"},
    "nt.log_caption": {"every", "windows"},
    "nt.col_sample": {"temp"},
    "nn.lin_compare": {"inputs", "hidden", "width", "steps"},
    "nn.lin_alt": {"shape", "steps"},
    "tour.lr_large.try": {"lr"},
    "tour.numerical.try": {"h"},
    "tour.scale.try": {"model"},
    "tour.scale.notice": {"layers"},
    "scale.check_hours": {"acc", "u", "assumed"},
    "scale.check_tiny": {"acc", "ratio"},
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("key", sorted(FROM_CODE))
def test_numbers_from_the_code_stay_placeholders(lang, key):
    have = set(placeholders(catalog(lang)[key]))
    assert FROM_CODE[key] <= have, (key, FROM_CODE[key] - have)


def test_unused_duration_words_are_gone():
    """Durations are written by ui.fmt.duration from fmt.dur.*; scale.dur.* had no reader."""
    for lang in LANGS:
        assert not [k for k in catalog(lang) if k.startswith("scale.dur.")]
        assert {"seconds", "minutes", "hours", "days", "months", "years"} <= {
            k.split(".")[-1] for k in catalog(lang) if k.startswith("fmt.dur.")
        }
