"""The neural-network chapter in a real Chromium: it loads, trains, stops, diverges
cleanly, looks right on a projector and on a phone, and its links carry option keys."""

import re

import pytest
from playwright.sync_api import expect

from ui.i18n import tr

LOCALES = {"ja": "ja-JP", "en": "en-US"}
PATH = "neural-network"
N_FIGURES = 9  # neuron, f, f', 2 comparisons, boundary, network, loss, accuracy


def _charts(page, n=N_FIGURES):
    page.wait_for_function(
        f"document.querySelectorAll('.app-figure .main-svg').length >= {n}",
        timeout=60_000,
    )


def _open(page, goto, **params):
    """Open the page; close the "Page not found" dialog that Streamlit shows when the
    very first request after a server start asks for a page path before any session has
    run st.navigation (the page itself loads fine underneath)."""
    goto(page, PATH, **params)
    dialog = page.get_by_role("dialog")
    if dialog.count():
        dialog.get_by_role("button", name="Close").click()
        dialog.wait_for(state="detached")


def _click(page, key):
    page.locator(f".st-key-{key} button").click()


@pytest.mark.e2e
@pytest.mark.parametrize("size", [(1280, 720), (390, 844)], ids=["projector", "phone"])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_loads_trains_and_fits_the_screen(browser_page, goto, wait_idle, shot, lang, size):
    page = browser_page(LOCALES[lang], *size)
    _open(page, goto, nn_steps="200")
    assert page.locator("h1").first.inner_text().strip() == tr(lang, "nn.title")
    _charts(page)
    _click(page, "nn_train")
    wait_idle(page)
    page.get_by_text(tr(lang, "nn.trained", step=200)).wait_for()
    _charts(page)
    page.wait_for_timeout(600)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= size[0] + 1, f"page overflows sideways: {width}px > {size[0]}px"
    shot(page, f"nn-{lang}-{size[0]}x{size[1]}")
    page.locator(".st-key-nn_train").scroll_into_view_if_needed()
    page.wait_for_timeout(400)
    shot(page, f"nn-play-{lang}-{size[0]}x{size[1]}", full_page=False)


@pytest.mark.e2e
def test_stop_interrupts_a_long_run(browser_page, goto, wait_idle):
    page = browser_page("en-US")
    _open(page, goto, nn_steps="10000", nn_n="500", nn_layers="4", nn_width="16")
    _charts(page)
    # 10,000 steps of this network take several seconds: one click on Stop, made once
    # the progress bar shows, must interrupt the run part-way (no second try).
    _click(page, "nn_train")
    page.get_by_test_id("stProgress").wait_for(timeout=30_000)
    _click(page, "nn_stop")
    wait_idle(page)
    stopped = page.get_by_text("Stopped at step", exact=False)
    stopped.wait_for()
    step = int(stopped.inner_text().split("step")[1].split(".")[0].replace(",", ""))
    assert 0 < step < 10000, step


CHOICES = {"nn_data": "sine", "nn_opt": "gd", "nn_act": "relu"}
OLD_LABELS = {"nn_data": "nn.data.sine", "nn_opt": "nn.opt_gd", "nn_act": "nn.act.relu"}


@pytest.mark.e2e
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_divergent_run_is_explained(browser_page, goto, wait_idle, shot, lang):
    page = browser_page(LOCALES[lang])
    # English: a link with option keys; Japanese: one written before the URL carried
    # keys, with the Japanese labels (it still opens the same view)
    choices = CHOICES if lang == "en" else {k: tr(lang, i) for k, i in OLD_LABELS.items()}
    _open(page, goto, nn_lr="10", **choices)
    _charts(page)
    _click(page, "nn_train")
    wait_idle(page)
    before_step = tr(lang, "nn.diverged", lr="10", step="{step}").split("{step}")[0]
    page.get_by_test_id("stAlert").filter(has_text=before_step).first.wait_for()
    assert page.get_by_text(tr(lang, "nn.m_rmse_train")).count() == 1  # regression mode
    shot(page, f"nn-diverged-{lang}", full_page=False)


def _loss_at_start(noise: float, width: int) -> str:
    """Training loss of the default playground (circles, 200 points, 20 % held out, two
    hidden tanh layers, seed 0) before any step, with this noise and width: from core,
    the way the page builds it."""
    import numpy as np

    from core.datasets import make_dataset, train_test_split
    from core.mlp import MLP

    X, y = make_dataset("circles", 200, noise=noise, rng=np.random.default_rng(0), n_classes=2)
    X, y, _, _ = train_test_split(X, y, 0.2, np.random.default_rng(1))
    m = MLP([2, width, width, 1], activation="tanh", output="sigmoid", rng=np.random.default_rng(0))
    return f"{m.loss(X, y, loss='cross_entropy'):.4f}"


@pytest.mark.e2e
def test_playground_fragments_follow_each_other(browser_page, goto, wait_idle):
    """The noise reruns only the inner fragment and the width the outer one (with the
    inner inside): whichever moved last, the network, its loss and section 5's check use
    the current noise *and* the current width."""
    import re

    page = browser_page("en-US")
    _open(page, goto)
    _charts(page)
    main = page.get_by_test_id("stMain")

    def move(key, presses, pattern):
        page.locator(f".st-key-{key}").get_by_role("slider").focus()
        for _ in range(presses):
            page.keyboard.press("ArrowRight")
        page.wait_for_url(re.compile(pattern))
        wait_idle(page)

    def loss():
        metric = page.get_by_test_id("stMetric").filter(has_text=tr("en", "nn.m_loss"))
        return metric.get_by_test_id("stMetricValue").inner_text().strip()

    assert loss() == _loss_at_start(0.1, 6)
    move("nn_noise", 2, r"nn_noise=0\.2")
    page.wait_for_function(
        "v => [...document.querySelectorAll('[data-testid=stMetricValue]')]"
        ".some(e => e.textContent.trim() === v)",
        arg=_loss_at_start(0.2, 6),
    )
    move("nn_width", 2, r"nn_width=8")
    main.get_by_text("Network 2-8-8-1 after 0 steps", exact=False).wait_for()
    assert loss() == _loss_at_start(0.2, 8)
    move("nn_noise", 2, r"nn_noise=0\.3")
    page.wait_for_function(
        "v => [...document.querySelectorAll('[data-testid=stMetricValue]')]"
        ".some(e => e.textContent.trim() === v)",
        arg=_loss_at_start(0.3, 8),
    )
    assert "Network 2-8-8-1 after 0 steps" in main.inner_text()
    assert page.get_by_test_id("stMetric").filter(has_text="parameters N").get_by_test_id(
        "stMetricValue"
    ).inner_text().strip() == str(2 * 8 + 8 + 8 * 8 + 8 + 8 + 1)


@pytest.mark.e2e
def test_trainer_choices_keep_their_keys_across_languages(browser_page, goto, wait_idle):
    """A data set and an activation chosen on the Japanese page are written to the URL as
    keys; the address opened in an English browser shows the same choices."""
    ja = browser_page("ja-JP")
    _open(ja, goto, nn_steps="50")
    _charts(ja)
    for key, option in (("nn_data", "nn.data.spirals"), ("nn_act", "nn.act.relu")):
        box = ja.locator(f".st-key-{key}").get_by_role("combobox")
        box.scroll_into_view_if_needed()  # the page settles as figures come into view:
        ja.wait_for_timeout(400)  # a click during that lands where the box was
        box.click()
        ja.get_by_role("option", name=tr("ja", option), exact=True).click()
        wait_idle(ja)
        ja.wait_for_url(re.compile(rf"{key}={option.rsplit('.', 1)[-1]}(&|$)"))
    address = ja.url
    assert "%E3" not in address  # no Japanese label in the URL
    en = browser_page("en-US")
    en.goto(address)
    wait_idle(en)
    for key, option in (("nn_data", "nn.data.spirals"), ("nn_act", "nn.act.relu")):
        chosen = en.locator(f".st-key-{key} input").first.input_value()
        assert chosen == tr("en", option), (key, chosen)


@pytest.mark.e2e
def test_five_fast_clicks_are_five_steps(browser_page, goto, click_fast):
    """Five clicks 80 ms apart on Step train five steps (issue 15: no click is lost)."""
    page = browser_page("en-US")
    _open(page, goto)
    click_fast(page, page.locator(".st-key-nn_step").get_by_role("button").first)
    metric = page.get_by_test_id("stMetric").filter(has_text=tr("en", "nn.m_step"))
    expect(metric.first.get_by_test_id("stMetricValue")).to_have_text("5")
    assert page.get_by_test_id("stException").count() == 0
