"""A link copied in one language opens the same view in the other.

A student with a Japanese browser (no ``lang=`` in the URL) makes choices with every kind
of control: radio, toggle, slider, select box, segmented control and multi-select pills.
The address-bar URL and the Share dialog's link, opened in an English browser, show the
same choices: the URL carries option keys, never translated labels."""

from __future__ import annotations

import re

import pytest

from ui.i18n import tr

pytestmark = pytest.mark.e2e


def _share_link(page, wait_idle, lang: str) -> str:
    wait_idle(page)
    page.locator(".st-key-app_qr").get_by_role("button", name=tr(lang, "app.share_title")).click()
    dialog = page.get_by_role("dialog")
    dialog.wait_for(timeout=15_000)
    link = dialog.get_by_test_id("stCode").first.inner_text().strip()
    page.keyboard.press("Escape")
    return link


def _active(page, key: str) -> list[str]:
    """The selected options of segmented control or pills ``key`` (the buttons a screen
    reader hears as pressed or checked), as shown."""
    page.locator(f".st-key-{key} button").first.wait_for(state="attached")
    on = "button[aria-pressed='true'], button[aria-checked='true']"  # pills, segmented
    buttons = page.locator(f".st-key-{key}").locator(on)
    return [b.strip() for b in buttons.all_inner_texts()]


def _open(browser_page, wait_idle, url: str):
    page = browser_page("en-US")
    page.goto(url)
    wait_idle(page)
    return page


def test_home_choices_survive_a_change_of_language(browser_page, goto, wait_idle):
    ja = browser_page("ja-JP")
    goto(ja, "")
    ja.locator(".st-key-home_data").get_by_text(tr("ja", "home.data_noisy"), exact=True).click()
    wait_idle(ja)
    ja.locator(".st-key-home_bias label").first.click()
    wait_idle(ja)
    ja.locator(".st-key-home_w").get_by_role("slider").focus()
    ja.keyboard.press("ArrowRight")
    wait_idle(ja)
    ja.wait_for_url(re.compile(r"home_w="))
    address = ja.url
    assert "lang=" not in address
    assert "home_data=noisy" in address, address
    shared = _share_link(ja, wait_idle, "ja")
    assert "home_data=noisy" in shared and "home_bias=true" in shared, shared
    w_value = ja.locator(".st-key-home_w").get_by_role("slider").get_attribute("aria-valuenow")
    for url in (address, shared):
        en = _open(browser_page, wait_idle, url)
        assert en.locator("h1").first.inner_text().strip() == tr("en", "home.title")
        noisy = en.locator(".st-key-home_data").get_by_role(
            "radio", name=tr("en", "home.data_noisy")
        )
        assert noisy.is_checked(), url
        assert en.locator(".st-key-home_bias").get_by_role("switch").is_checked(), url
        got = en.locator(".st-key-home_w").get_by_role("slider").get_attribute("aria-valuenow")
        assert got == w_value, (url, got, w_value)


def test_gradient_descent_select_and_segmented_survive(browser_page, goto, wait_idle):
    ja = browser_page("ja-JP")
    goto(ja, "gradient-descent")
    ja.locator(".st-key-gd_land").get_by_role("combobox").click()
    ja.get_by_role("option", name=tr("ja", "gd.land.rosenbrock")).click()
    wait_idle(ja)
    ja.wait_for_url(re.compile(r"gd_land=rosenbrock"))
    grad = ja.locator(".st-key-gd_grad")
    if not grad.is_visible():  # the gradient settings may sit in a closed section
        grad.locator("xpath=ancestor::details[1]/summary").click()
        wait_idle(ja)
    grad.get_by_text(tr("ja", "gd.grad.central"), exact=True).click()
    wait_idle(ja)
    ja.wait_for_url(re.compile(r"gd_grad=central"))
    address = ja.url
    shared = _share_link(ja, wait_idle, "ja")
    assert "gd_land=rosenbrock" in shared and "gd_grad=central" in shared, shared
    for url in (address, shared):
        en = _open(browser_page, wait_idle, url)
        chosen = en.locator(".st-key-gd_land input").first.input_value()
        assert chosen == tr("en", "gd.land.rosenbrock"), (url, chosen)
        grad = en.locator(".st-key-gd_grad")
        if not grad.is_visible():
            grad.locator("xpath=ancestor::details[1]/summary").click()
            wait_idle(en)
        assert _active(en, "gd_grad") == [tr("en", "gd.grad.central")], (
            url,
            _active(en, "gd_grad"),
        )
        # the English view holds the same choices: its own share link carries them
        again = _share_link(en, wait_idle, "en")
        assert "gd_land=rosenbrock" in again and "gd_grad=central" in again, again


def test_neural_network_pills_survive(browser_page, goto, wait_idle):
    ja = browser_page("ja-JP")
    goto(ja, "neural-network")
    pills = ja.locator(".st-key-nn_acts")
    pills.get_by_role("button", name=tr("ja", "nn.act.silu"), exact=True).click()
    wait_idle(ja)
    ja.wait_for_url(re.compile(r"nn_acts=silu"))
    address = ja.url
    assert "lang=" not in address
    chosen_ja = _active(ja, "nn_acts")
    assert tr("ja", "nn.act.silu") in chosen_ja, chosen_ja
    shared = _share_link(ja, wait_idle, "ja")
    assert "nn_acts=" in shared and "silu" in shared and "%E3" not in shared, shared
    want = [tr("en", f"nn.act.{k}") for k in ("sigmoid", "tanh", "relu", "gelu", "silu")]
    for url in (address, shared):
        en = _open(browser_page, wait_idle, url)
        assert sorted(_active(en, "nn_acts")) == sorted(want), (url, _active(en, "nn_acts"))
        # the English view holds the same choice: its own share link carries the key
        again = _share_link(en, wait_idle, "en")
        assert "nn_acts=" in again and "silu" in again, again
