"""A server restart under an open tab (issue 15): the server is killed (SIGKILL) and a
new one starts on the same port. Streamlit's frontend reconnects to a new session that
has run nothing yet, so a control inside an st.fragment used to do nothing ("The
fragment with id … does not exist anymore"). The tab must come back at its URL's view,
say what it could not restore, and answer a fragment control. (The nginx fail-over
version is in test_cluster.py.)"""

from __future__ import annotations

import pathlib
import re

import pytest

from tests.e2e.conftest import _free_port, start_server, stop_server
from ui.i18n import tr

LOG = "server-reconnect.log"


@pytest.mark.e2e
def test_fragment_controls_work_after_a_server_restart(browser_page, wait_idle, shot):
    port = _free_port()
    (pathlib.Path(__file__).parent / LOG).write_text("")
    proc, url = start_server(LOG, port)
    try:
        page = browser_page("en-US")
        page.goto(f"{url}/inside?in_merges=14")
        wait_idle(page)
        slider = page.get_by_role("slider", name=tr("en", "inside.merges_label"))
        slider.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_url(re.compile(r"in_merges=15"))
        wait_idle(page)
        assert "Merge 15:" in page.get_by_test_id("stMain").inner_text()

        proc.kill()
        proc.wait()
        page.wait_for_selector(
            "[data-testid='stApp']:not([data-test-connection-state='CONNECTED'])",
            timeout=30_000,
        )
        proc, _ = start_server(LOG, port)
        wait_idle(page, timeout=90_000)
        # the new session says what it could not bring back
        page.get_by_test_id("stToast").filter(has_text=tr("en", "app.reconnected")[:30]).wait_for(
            timeout=30_000
        )
        wait_idle(page)
        assert "Merge 15:" in page.get_by_test_id("stMain").inner_text()  # the URL's view

        # a control inside a fragment answers at once
        slider = page.get_by_role("slider", name=tr("en", "inside.merges_label"))
        slider.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_url(re.compile(r"in_merges=16"))
        wait_idle(page)
        page.get_by_text("Merge 16:", exact=False).wait_for(timeout=15_000)
        shot(page, "reconnect-after-restart", full_page=False)
        log = (pathlib.Path(__file__).parent / LOG).read_text()
        assert "does not exist anymore" not in log
    finally:
        stop_server(proc)
