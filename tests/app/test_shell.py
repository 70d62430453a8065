"""The app frame: every page runs in both languages; language from URL and browser."""

import pytest

from tests.app.helpers import app, open_page, texts
from ui.chapters import CHAPTERS
from ui.i18n import tr

KEYS = [c.key for c in CHAPTERS]


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("chapter", KEYS)
def test_every_page_runs_in_both_languages(chapter, lang):
    at = open_page(chapter, lang)
    assert at.title[0].value == tr(lang, f"{chapter}.title")
    assert "⟦" not in texts(at), "a translation key is missing"


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_url_language_overrides_browser(lang):
    other = "en" if lang == "ja" else "ja"
    at = app(other, {"lang": lang}).run()
    assert not at.exception
    assert at.title[0].value == tr(lang, "home.title")
    assert at.session_state["lang"] == lang


def test_browser_locale_decides_without_url():
    assert app("ja").run().title[0].value == tr("ja", "home.title")
    assert app("en").run().title[0].value == tr("en", "home.title")


@pytest.mark.parametrize("bad", ["de", "", "<script>", "ja,en", "%00"])
def test_bad_language_falls_back_to_browser(bad):
    at = app("ja", {"lang": bad}).run()
    assert not at.exception
    assert at.title[0].value == tr("ja", "home.title")


def test_switching_language_changes_strings_url_and_keeps_choices():
    at = app("en").run()
    at.radio(key="home_data").set_value("noisy").run()
    before = texts(at)
    at.button_group(key="lang").set_value("ja").run()
    assert not at.exception
    after = texts(at)
    assert tr("ja", "home.title") in after and tr("en", "home.title") not in after
    assert after != before
    assert at.query_params["lang"] == "ja"
    assert at.radio(key="home_data").value == "noisy", "the language switch lost a choice"


def test_language_survives_page_switch():
    at = app("en", {"lang": "ja"}).run()
    at.switch_page("pages/scale.py").run()
    assert at.title[0].value == tr("ja", "scale.title")


def test_sidebar_lists_every_chapter():
    at = app("en").run()
    assert not at.exception


@pytest.mark.parametrize("bad", ["1e400", "-inf", "nan", "abc", "99999999"])
def test_whole_number_inputs_survive_absurd_url_values(bad):
    """Streamlit 1.67 crashes seeding an integer number_input from ?k=1e400; ours do not."""
    at = app("en", {"nn_seed": bad}).run()
    at.switch_page("pages/neural-network.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.number_input(key="nn_seed").value == 0


def test_page_files_are_named_after_their_url_paths():
    """A fresh server's legacy first run finds a page only by its file name."""
    import pathlib

    for c in CHAPTERS:
        if c.url:
            assert pathlib.Path(c.file).stem == c.url, c
            assert (pathlib.Path(__file__).parents[2] / c.file).exists(), c
