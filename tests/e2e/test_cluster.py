"""The real frontend behind nginx: a replica dies, the tab reconnects and keeps its view.

Two replicas behind ``deploy/nginx.conf`` (``deploy/cluster.py``). A student moves the
slope slider with the keyboard; the replica that serves the tab is then killed with
SIGKILL. Streamlit's frontend reconnects by itself; nginx sends it (same affinity
cookie) to the live replica, which starts a new session from the URL: the slider must
show the value the student had set, without an exception and without a reload.
The many-students version of this is ``tests/deploy/test_failover.py``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from deploy.cluster import Cluster, cluster
from ui.i18n import tr


@pytest.fixture(scope="module")
def two_replicas() -> Iterator[Cluster]:
    with cluster(2) as c:
        yield c


def test_tab_survives_the_death_of_its_replica(browser_page, wait_idle, shot, two_replicas):
    cl = two_replicas
    page = browser_page()
    response = page.goto(f"{cl.url}/?lang=en")
    assert response is not None and response.ok
    first = response.headers["x-replica"]
    page.wait_for_selector("[data-testid='stAppViewContainer']")
    wait_idle(page)

    slider = page.get_by_test_id("stSlider").first.get_by_role("slider")
    slider.focus()
    for _ in range(6):  # 1.00 -> 1.06 in steps of 0.01
        page.keyboard.press("ArrowRight")
    page.wait_for_url(re.compile(r"home_w=1\.06"))
    wait_idle(page)
    assert "1.06" in page.get_by_test_id("stSlider").first.inner_text()

    cl.kill(cl.replica(first))
    # the frontend notices the closed websocket, retries, and lands on the live replica
    page.wait_for_selector(
        "[data-testid='stApp']:not([data-test-connection-state='CONNECTED'])", timeout=30_000
    )
    wait_idle(page, timeout=90_000)
    assert re.search(r"home_w=1\.06", page.url), page.url
    assert "1.06" in page.get_by_test_id("stSlider").first.inner_text()
    slider = page.get_by_test_id("stSlider").first.get_by_role("slider")

    # the new replica answers further moves, and the page is whole
    slider.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_url(re.compile(r"home_w=1\.07"))
    wait_idle(page)
    assert page.get_by_test_id("stHeading").count() > 0
    shot(page, "cluster-after-failover", full_page=False)
    live = [r for r in cl.replicas if r.alive]
    assert len(live) == 1 and live[0].addr != first


def test_fragment_control_answers_after_fail_over(browser_page, wait_idle):
    """Issue 15: after the fail-over the tab's new session has run nothing yet, so a
    control inside an st.fragment (the BPE merge slider) used to do nothing. Now the tab
    reruns in full on reconnecting, says what it could not restore, and the slider works."""
    with cluster(2) as cl:  # a cluster of its own: the test above leaves one replica
        _fail_over_with_a_fragment(cl, browser_page(), wait_idle)


def _fail_over_with_a_fragment(cl: Cluster, page, wait_idle) -> None:
    response = page.goto(f"{cl.url}/inside?lang=en&in_merges=20")
    assert response is not None and response.ok
    first = response.headers["x-replica"]
    page.wait_for_selector("[data-testid='stAppViewContainer']")
    wait_idle(page)
    slider = page.get_by_role("slider", name=tr("en", "inside.merges_label"))
    slider.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_url(re.compile(r"in_merges=21"))
    wait_idle(page)

    cl.kill(cl.replica(first))
    page.wait_for_selector(
        "[data-testid='stApp']:not([data-test-connection-state='CONNECTED'])", timeout=30_000
    )
    wait_idle(page, timeout=90_000)
    page.get_by_test_id("stToast").filter(has_text=tr("en", "app.reconnected")[:30]).wait_for()
    assert "Merge 21:" in page.get_by_test_id("stMain").inner_text()
    slider = page.get_by_role("slider", name=tr("en", "inside.merges_label"))
    slider.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_url(re.compile(r"in_merges=22"))
    wait_idle(page)
    page.get_by_text("Merge 22:", exact=False).wait_for(timeout=15_000)
