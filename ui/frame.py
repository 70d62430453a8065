"""The lecture frame around every page: presenter view, sharing (link + QR), keys help.

- ``?present=1`` turns on the presenter view: larger type and figures, sidebar collapsed,
  explanations shortened to their key sentence (see :func:`ui.layout.explain`).
- The share panel shows the URL of exactly the current view and its QR code, so that a
  room full of students can open what the lecturer shows.
"""

from __future__ import annotations

import io
import ipaddress
import os
import time
import urllib.parse
from typing import Any

import streamlit as st

from ui.i18n import LANGS, t
from ui.i18n import lang as current_lang
from ui.urlstate import frame_params, sticky, write_back
from ui.widgets import url_values

PRESENT_PARAM, PRESENT_KEY = "present", "app_present"
TOUR_PARAM = "tour"
QR_OPEN = "_qr_open"  # the QR dialog was asked for
FALLBACK_BASE = "http://localhost:8501"
#: The address students can reach (e.g. https://explorables.example.org), set by the
#: lecturer when the app is opened through a local or internal address.
PUBLIC_URL_ENV = "EXPLORABLES_PUBLIC_URL"


def public_base(base: str) -> str:
    """``base`` with its scheme and host replaced by $EXPLORABLES_PUBLIC_URL when set."""
    public = os.environ.get(PUBLIC_URL_ENV, "").strip().rstrip("/")
    if not public.startswith(("http://", "https://")):
        return base
    path = urllib.parse.urlsplit(base).path
    return public + path


def is_loopback(url: str) -> bool:
    """Whether ``url`` points at this machine only (no student's phone can open it)."""
    host = (urllib.parse.urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


#: Static CSS of the presenter view (no user content ever reaches it).
PRESENTER_CSS = """
<style>
html { font-size: 20px; }
[data-testid="stMainBlockContainer"] { padding-top: 2.2rem; max-width: 100%; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li {
  line-height: 1.55;
}
</style>
"""


def _parse_present(value: str) -> bool | None:
    return {"1": True, "true": True, "0": False, "false": False}.get(value.lower())


def _encode_present(value: bool) -> str | None:
    return "1" if value else None


def presenting() -> bool:
    """Whether the presenter view is on for this run."""
    return bool(st.session_state.get(PRESENT_KEY, False))


def init_presenter() -> bool:
    """Read ``?present=`` (before set_page_config, which collapses the sidebar)."""
    return bool(sticky(PRESENT_PARAM, PRESENT_KEY, _parse_present, lambda: False, _encode_present))


def presenter_switch() -> None:
    """The sidebar toggle; its CSS when on."""
    st.sidebar.toggle(
        t("app.present_label"),
        key=PRESENT_KEY,
        help=t("app.present_help"),
        on_change=write_back,
        args=(PRESENT_PARAM, PRESENT_KEY, _encode_present),
    )
    if presenting():
        st.html(PRESENTER_CSS)


def current_query() -> dict[str, list[str]]:
    """Every URL parameter needed to reproduce this run's view."""
    query: dict[str, list[str]] = {k: [v] for k, v in frame_params().items()}
    tour = st.query_params.get(TOUR_PARAM)
    if tour:
        query[TOUR_PARAM] = [tour]
    query.update(url_values())
    return query


def current_url() -> str:
    """The absolute URL of the current view (page path and every control)."""
    try:
        base = st.context.url
    except Exception:  # no browser context
        base = None
    if not base:
        base = FALLBACK_BASE
    base = public_base(base)
    query = urllib.parse.urlencode(current_query(), doseq=True)
    return f"{base}?{query}" if query else base


@st.cache_data(max_entries=512, show_spinner=False)
def qr_png(url: str, scale: int = 8) -> bytes:
    """The QR code of ``url`` as PNG bytes (segno, pure Python, no network)."""
    import segno  # here, not at the top: ~35 ms of import only when a QR code is drawn

    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="png", scale=scale, border=2, dark="#1B1F24")
    return buf.getvalue()


def qr_or_none(url: str, scale: int = 14) -> bytes | None:
    """The QR code of ``url``, or None when the link is too long for any QR code (a view
    with a long text in it): the link itself is then shown alone."""
    import segno  # lazily, as in qr_png

    try:
        return qr_png(url, scale)
    except segno.DataOverflowError:
        return None


def _close_share() -> None:
    st.session_state[QR_OPEN] = False


@st.dialog(" ", width="large", on_dismiss=_close_share)
def _share_dialog(url: str) -> None:
    if is_loopback(url):
        st.warning(t("app.loopback_warning", env=PUBLIC_URL_ENV), icon=":material/warning:")
    png = qr_or_none(url)
    if png is None:
        st.warning(t("app.qr_too_long"), icon=":material/qr_code_2:")
        st.code(url, language=None, wrap_lines=True)
        st.caption(t("app.share_help"))
        return
    qr, text = st.columns([3, 2], vertical_alignment="center")
    qr.image(png, width="stretch", caption=t("app.qr_dialog_title"))
    text.markdown(f"### {t('app.qr_dialog_title')}")
    text.code(url, language=None, wrap_lines=True)
    text.caption(t("app.share_help"))


def share_panel(where) -> None:
    """A button in ``where`` (a sidebar container) that opens the link of the current
    view, with a copy button, and its QR code in a dialog.

    The link is written when the button is pressed, never ahead of time: a control
    inside an ``st.fragment`` reruns only its fragment, so a link drawn in the sidebar
    would go stale with the first fragment move; and encoding a QR code costs more
    than most page updates."""
    where.button(
        t("app.share_title"),
        key="app_qr",
        icon=":material/qr_code_2:",
        help=t("app.share_button_help"),
        width="stretch",
        on_click=st.session_state.__setitem__,
        args=(QR_OPEN, True),
    )
    # A flag set by the button's callback and cleared only when the dialog is closed, not
    # the button's return value: a rerun that interrupts or follows this one would
    # otherwise swallow the click (the dialog is drawn again on every run while open).
    if st.session_state.get(QR_OPEN, False):
        _share_dialog(current_url())


def keys_help(where) -> None:
    """The keyboard shortcuts, listed once for every page."""
    with where.popover(t("app.keys_title"), icon=":material/keyboard:", width="stretch"):
        st.markdown(t("app.keys_body"))


# ── reconnecting after a server restart or a replica's death ───────────────────────
RECONNECT_COOKIE = "explorables_reconnect"  # set by the browser while it is cut off
SESSION_MARK = "_app_session_started"
NOTICE_UNTIL = "_app_reconnect_notice_until"
NOTICE_SECONDS = 12.0
# Static script (no user text, no URL value reaches it). When the browser's connection
# comes back, the server behind it may be a new process with a new session that has not
# run the page yet: it knows none of the page's fragments, and drops a fragment's rerun
# ("The fragment with id … does not exist anymore"), so every control inside one would do
# nothing until some other action reran the whole app. So on reconnection this asks for
# one full rerun — the app's own R shortcut, which sends the current widget values and
# URL. While the connection is down a short-lived cookie is set; the websocket of the
# reconnection carries it, so the new session (and only it) can say what it could not
# restore. The cookie is cleared once connected.
_RECONNECT_HTML = """
<script>
(() => {
  const doc = window.parent && window.parent.document ? window.parent.document : document;
  const win = doc.defaultView || window;
  if (win.__explorablesReconnect) return;
  win.__explorablesReconnect = true;
  let lost = false;
  const cookie = (age) => { doc.cookie = "explorables_reconnect=1; path=/; max-age=" + age +
    "; samesite=strict"; };
  const rerun = () => doc.body.dispatchEvent(new KeyboardEvent("keydown",
    {key: "r", code: "KeyR", keyCode: 82, which: 82, bubbles: true}));
  const watch = () => {
    const app = doc.querySelector("[data-testid=stApp]");
    if (!app) { setTimeout(watch, 500); return; }
    new MutationObserver(() => {
      const state = app.getAttribute("data-test-connection-state");
      if (state && state !== "CONNECTED") { if (!lost) cookie(600); lost = true; return; }
      if (state === "CONNECTED" && lost) {
        lost = false;
        setTimeout(() => { cookie(0); rerun(); }, 300);
      }
    }).observe(app, {attributes: true, attributeFilter: ["data-test-connection-state"]});
  };
  watch();
})();
</script>
"""


# Static script (no user text, no URL value reaches it). Streamlit records every change of
# the query string as a new history entry (pushState): after five slider steps the Back
# button stepped the address bar back one step at a time while the view stayed where it
# was, so the address bar and the view disagreed and Back did not leave the chapter. A
# change of the query string on the same page now replaces the entry instead; a change
# of page (another path) still adds one, so Back goes to the chapter before, in the view
# it was left in.
_HISTORY_HTML = """
<script>
(() => {
  const win = window.parent && window.parent.history ? window.parent : window;
  if (win.__explorablesHistory) return;
  win.__explorablesHistory = true;
  const push = win.history.pushState.bind(win.history);
  win.history.pushState = (state, title, url) => {
    let samePage = false;
    try {
      samePage = new URL(url, win.location.href).pathname === win.location.pathname;
    } catch (e) { samePage = false; }
    return samePage ? win.history.replaceState(state, title, url) : push(state, title, url);
  };
})();
</script>
"""


def history_entries(where: Any) -> None:
    """One history entry per chapter visited, not one per control moved (_HISTORY_HTML)."""
    where.html(_HISTORY_HTML, unsafe_allow_javascript=True)


# Streamlit's page is always <html lang="en">: a screen reader would read the Japanese
# pages with an English voice, and the browser would break Japanese lines by English
# rules. The language is one of ui.i18n.LANGS (never text from the URL as such).
_LANG_HTML = '<script>document.documentElement.lang = "{lang}";</script>'


def page_language(where: Any) -> None:
    """Set the page's language (``<html lang>``) to the app's current language."""
    lang = current_lang()
    if lang not in LANGS:  # the switch returns only these; no other text reaches the script
        return
    where.html(_LANG_HTML.format(lang=lang), unsafe_allow_javascript=True)


def reconnect_watch(where: Any) -> None:
    """Install the reconnection watcher (once per browser tab) and, in the first run of
    a new session that a reconnection started, say what was reset: what lives only in a
    session (a trained network, generated tokens, edited weights) did not survive."""
    where.html(_RECONNECT_HTML, unsafe_allow_javascript=True)
    came_back = st.context.cookies.get(RECONNECT_COOKIE) == "1"
    if came_back and not st.session_state.get(SESSION_MARK):
        st.session_state[NOTICE_UNTIL] = time.monotonic() + NOTICE_SECONDS
    st.session_state[SESSION_MARK] = True
    # drawn again by every run for a while: a run that follows (the reconnection's own
    # rerun, a legacy-mode switch) would otherwise clear it as a stale element at once
    if time.monotonic() < st.session_state.get(NOTICE_UNTIL, 0.0):
        st.toast(t("app.reconnected"), icon=":material/sync:", duration="long")
