"""The lecture frame: presenter view, share link + QR of the current view, tour, keys."""

import io
import urllib.parse

import pytest
import segno

from tests.app.helpers import app, open_page, texts
from ui.chapters import BY_KEY, CHAPTERS
from ui.frame import FALLBACK_BASE, qr_png
from ui.i18n import tr
from ui.layout import split_first_sentence
from ui.tour import STOPS


def _share_url(at) -> str:
    """Press "Share this view" and read the link its dialog shows."""
    at.button(key="app_qr").click().run()
    assert not at.exception
    urls = [c.value for c in at.code if c.value.startswith(FALLBACK_BASE)]
    assert len(urls) == 1, [c.value for c in at.code]
    return urls[0]


def test_share_link_reproduces_the_view():
    at = app("en", {"lang": "ja"}).run()
    at.slider(key="home_w").set_value(2.5).run()
    at.toggle(key="home_bias").set_value(True).run()
    at.radio(key="home_data").set_value("noisy").run()
    url = _share_url(at)
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    assert query == {
        "lang": ["ja"],
        "home_w": ["2.5"],
        "home_bias": ["true"],
        "home_data": ["noisy"],  # the option key, not its label (issue 14)
    }
    # Opening that link in a fresh session reproduces every control.
    fresh = app("en", {k: v[0] for k, v in query.items()}).run()
    assert not fresh.exception
    assert fresh.slider(key="home_w").value == 2.5
    assert fresh.toggle(key="home_bias").value is True
    assert fresh.radio(key="home_data").value == "noisy"
    assert fresh.title[0].value == tr("ja", "home.title")
    assert _share_url(fresh) == url


def test_default_view_shares_a_bare_link():
    at = app("en").run()
    assert _share_url(at) == FALLBACK_BASE


def test_qr_is_the_library_encoding_of_the_url():
    url = FALLBACK_BASE + "/attention?lang=ja&att_temp=2.0"
    ours = qr_png(url)
    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="png", scale=8, border=2, dark="#1B1F24")
    assert ours == buf.getvalue()
    assert ours.startswith(b"\x89PNG")
    # the image is the whole symbol: (modules + 2·border) · scale pixels wide
    width = int.from_bytes(ours[16:20], "big")
    assert width == (segno.make(url, error="m").symbol_size(scale=1, border=2)[0]) * 8


@pytest.mark.parametrize("value", ["1", "true"])
def test_presenter_view_from_url(value):
    at = app("en", {"present": value}).run()
    assert not at.exception
    assert at.session_state["app_present"] is True
    assert at.toggle(key="app_present").value is True


@pytest.mark.parametrize("value", ["0", "yes", "<b>", ""])
def test_presenter_view_bad_values_fall_back(value):
    at = app("en", {"present": value}).run()
    assert not at.exception
    assert at.session_state["app_present"] is False


@pytest.mark.parametrize("chapter", [c.key for c in CHAPTERS])
def test_presenter_view_on_every_page(chapter):
    at = open_page(chapter, "ja", {"present": "1"})
    assert at.session_state["app_present"] is True
    assert "present" in urllib.parse.parse_qs(urllib.parse.urlsplit(_share_url(at)).query)


def test_presenter_shortens_explanations():
    normal = texts(open_page("home", "en"))
    present = open_page("home", "en", {"present": "1"})
    lead = tr("en", "home.lead")
    head, rest = split_first_sentence(lead)
    assert lead in normal
    assert head in texts(present) and lead not in texts(present)
    assert rest and any(e.label == tr("en", "app.more") for e in present.expander)


@pytest.mark.parametrize(
    ("text", "head"),
    [
        ("One. Two three.", "One."),
        ("一つ目。二つ目。", "一つ目。"),
        ("No end", "No end"),
        ("Value 3.5 is fine. Next.", "Value 3.5 is fine."),
    ],
)
def test_split_first_sentence(text, head):
    assert split_first_sentence(text)[0] == head


@pytest.mark.parametrize("i", range(1, len(STOPS) + 1))
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_tour_stop_link_reproduces_its_state(i, lang):
    stop = STOPS[i - 1]
    params = stop.params()
    at = open_page(stop.chapter, lang, {"lang": lang, "tour": str(i), **params})
    # the tour bar says where we are, what to try and what to notice
    bar = [p.proto.text for p in at.get("progress")]
    assert (
        tr(lang, "tour.where", i=i, n=len(STOPS), title=tr(lang, f"tour.{stop.key}.title")) in bar
    )
    body = texts(at)
    assert tr(lang, f"tour.{stop.key}.try", **stop.values()) in body
    assert tr(lang, f"tour.{stop.key}.notice", **stop.values()) in body
    # every parameter of the stop took effect: the view's own share link carries it
    shared = urllib.parse.parse_qs(urllib.parse.urlsplit(_share_url(at)).query)
    for k, v in params.items():
        assert shared.get(k) == (v if isinstance(v, list) else [v]), (k, v, shared)
    assert shared["tour"] == [str(i)]


def test_tour_ignores_bad_stop_numbers():
    for bad in ["0", "99", "-1", "x", "<script>", "²", "٣", "9" * 4301, "", " 1", "1.0"]:
        at = app("en", {"tour": bad}).run()
        assert not at.exception
        assert not at.get("progress")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_tour_buttons_reach_the_same_view_as_the_links(lang):
    """Walking the tour with its buttons gives, at every stop, the view its link gives."""
    at = app(lang, {"lang": lang, "tour": "1"}).run()
    for i, stop in enumerate(STOPS, start=1):
        assert not at.exception, (i, [e.value for e in at.exception])
        shared = urllib.parse.parse_qs(urllib.parse.urlsplit(_share_url(at)).query)
        assert shared.get("tour") == [str(i)], (i, shared)
        expected = stop.params()
        for k, v in expected.items():
            assert shared.get(k) == (v if isinstance(v, list) else [v]), (i, k, shared)
        own = {k for k in shared if k.startswith(BY_KEY[stop.chapter].key_prefix)}
        assert own == set(expected), (i, "controls left off their defaults", own)
        if i < len(STOPS):
            at.button(key="app_tour_next").click().run()


def test_share_never_fails_when_the_view_is_too_long_for_a_qr_code():
    """A text box at its maximum (200 emoji) overflows the largest QR code: the link is
    still given, with a note, and no traceback."""
    from ui.frame import qr_or_none

    long_url = FALLBACK_BASE + "/attention?att_text=" + urllib.parse.quote("猫" * 1200)
    assert qr_or_none(long_url) is None
    assert qr_or_none(FALLBACK_BASE) is not None
    at = app("ja", {"lang": "ja"}).run()
    at.switch_page("pages/attention.py").run()
    at.text_input(key="att_text").set_value("😀" * 200).run()  # the box's maximum
    at.button(key="app_qr").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert tr("ja", "app.qr_too_long") in [w.value for w in at.warning]


def test_share_warns_about_a_loopback_link_and_takes_the_public_url(monkeypatch):
    from ui.frame import PUBLIC_URL_ENV, is_loopback, public_base

    assert is_loopback("http://localhost:8501/x") and is_loopback("http://127.0.0.2/")
    assert is_loopback("http://[::1]:8501/") and not is_loopback("http://192.0.2.7:8501/")
    assert not is_loopback("https://explorables.example.org/scale")
    at = app("en").run()
    at.button(key="app_qr").click().run()
    assert tr("en", "app.loopback_warning", env=PUBLIC_URL_ENV) in [w.value for w in at.warning]
    monkeypatch.setenv(PUBLIC_URL_ENV, "https://class.example.org/")
    assert public_base("http://localhost:8501/scale") == "https://class.example.org/scale"
    at = app("en", {"home_w": "2.5"}).run()
    at.button(key="app_qr").click().run()
    assert not at.warning
    assert [c.value for c in at.code] == ["https://class.example.org?home_w=2.5"]


def test_share_dialog_stays_open_through_a_following_rerun():
    """Issue 15: the click used to be swallowed when another rerun followed (or
    interrupted) the one that opened the dialog: its flag was popped on the first run.
    Now the dialog is drawn on every run until it is closed."""
    at = app("en").run()
    first = _share_url(at)
    at.run()  # e.g. a rerun requested by a slider moved a moment later
    assert [c.value for c in at.code if c.value.startswith(FALLBACK_BASE)] == [first]
