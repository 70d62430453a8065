"""The browser benchmarks' timer (bench/browser_latency.py) times every rerun.

It ends a press when the rerun's final ``script_finished`` arrives on Streamlit's
websocket. It used to wait for ``data-test-script-state`` to leave ``notRunning`` and
come back, but a fast rerun's two states land in one React commit: on the empty app 3
presses in 8 were never seen, and the floor was taken from the slow presses only."""

from __future__ import annotations

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.browser_latency import ARM, WS_HOOK

STATUS = ForwardMsg.ScriptFinishedStatus


def _finished(status: int) -> bytes:
    msg = ForwardMsg()
    msg.hash = "0" * 32
    msg.metadata.delta_path.extend([0, 1])
    msg.script_finished = status
    return msg.SerializeToString()


def _markdown_delta() -> bytes:
    msg = ForwardMsg()
    msg.metadata.delta_path.extend([0, 6])  # nested fields numbered 6 must not count
    msg.delta.new_element.markdown.body = "x" * 300
    msg.delta.fragment_id = "f" * 200
    return msg.SerializeToString()


def _new_session() -> bytes:
    msg = ForwardMsg()
    msg.new_session.initialize.session_id = "s" * 36
    msg.new_session.page_script_hash = "p" * 32
    return msg.SerializeToString()


CASES = [
    (_finished(STATUS.FINISHED_SUCCESSFULLY), 0),
    (_finished(STATUS.FINISHED_WITH_COMPILE_ERROR), 1),
    (_finished(STATUS.FINISHED_EARLY_FOR_RERUN), 2),
    (_finished(STATUS.FINISHED_FRAGMENT_RUN_SUCCESSFULLY), 3),
    (_markdown_delta(), None),
    (_new_session(), None),
]


def test_the_hook_reads_the_status_of_script_finished_only(browser_page):
    page = browser_page()
    page.evaluate(WS_HOOK)
    for data, status in CASES:
        got = page.evaluate(
            "(bytes) => window.__appFinalStatus(new Uint8Array(bytes).buffer)", list(data)
        )
        assert got == status, (data.hex(), got, status)


def test_every_press_on_a_slider_is_timed(browser_page, goto):
    page = browser_page()
    page.context.add_init_script(WS_HOOK)
    goto(page, "")
    page.locator(".st-key-home_w").get_by_role("slider").focus()
    times = []
    for _ in range(6):
        page.evaluate(ARM, 10_000)
        page.keyboard.press("ArrowRight")
        times.append(page.evaluate("() => window.__lat")["ms"])
        page.wait_for_timeout(150)
    assert None not in times, times
    assert all(t > 0 for t in times)
    assert page.locator(".st-key-home_w [data-testid=stSliderThumbValue]").inner_text() == "1.06"
