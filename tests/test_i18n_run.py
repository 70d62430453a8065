"""ui.i18n.run_language: a run reads its language once, and the pin never outlives the
run nor leaks into another thread (where callbacks, fragment reruns and other sessions'
runs must read session state)."""

from __future__ import annotations

import threading

import pytest

from ui import i18n


@pytest.fixture
def switch(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []

    def fake_switch() -> str:
        calls.append("ja")
        return "ja"

    monkeypatch.setattr(i18n, "language_switch", fake_switch)
    return calls


def test_the_run_answers_from_one_read(switch: list[str]) -> None:
    with i18n.run_language() as current:
        assert current == "ja"
        assert [i18n.lang() for _ in range(5)] == ["ja"] * 5
        assert i18n.tr("ja", "app.name") == i18n.t("app.name")
    assert switch == ["ja"]  # the switch was drawn (and read) once
    assert getattr(i18n._RUN, "lang", None) is None


def test_the_pin_ends_with_the_run_even_when_it_is_cut_short(switch: list[str]) -> None:
    class Rerun(Exception):  # as st.rerun() or st.switch_page() end a run
        pass

    with pytest.raises(Rerun), i18n.run_language():
        raise Rerun
    assert getattr(i18n._RUN, "lang", None) is None


def test_another_thread_does_not_see_the_pin(switch: list[str]) -> None:
    seen: list[object] = []
    with i18n.run_language():
        worker = threading.Thread(target=lambda: seen.append(getattr(i18n._RUN, "lang", None)))
        worker.start()
        worker.join()
    assert seen == [None]
