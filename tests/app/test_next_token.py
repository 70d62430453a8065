"""AppTest of the next-token page: both languages, prompt, Next, Generate, every sampling
mode, and hostile inputs (empty, unknown characters, too long, extreme settings, bad URLs)."""

from __future__ import annotations

import json

import pytest

from tests.app.helpers import charts, open_page, texts

pytestmark = pytest.mark.slow


def code_blocks(at) -> list[str]:
    return [c.value for c in at.code]


def so_far(at) -> str:
    """The 'text so far' box: the page's first plain-text element (the greedy and
    sampling continuations come after it; the unknown characters are a code block)."""
    return at.text[0].value


def figure_specs(at) -> list[dict]:
    return [c.fig for c in charts(at)]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_page_renders_in_both_languages(lang: str) -> None:
    at = open_page("nt", lang)
    body = texts(at)
    assert "⟦" not in body  # no missing translation
    if lang == "ja":
        assert "次のトークンを予測する" in body and at.text_input(key="nt_prompt").value == (
            "昨日は雨だったけど、今日は"
        )
    else:
        assert "Predicting the next token" in body
        assert at.text_input(key="nt_prompt").value.startswith("Yesterday it was rainy")
    figs = figure_specs(at)
    assert len(figs) >= 4  # probabilities, attention, accuracy, training log
    # the default prompt's likeliest next token is the opposite weather
    bars = figs[0]["data"][0]
    expect = "晴れ" if lang == "ja" else "␣sunny"
    assert bars["customdata"][0] == expect
    assert at.dataframe  # the token table


def test_plus_and_generate_append_tokens_and_reset() -> None:
    at = open_page("nt", "en")
    start = so_far(at)
    at.number_input(key="nt_added").increment().run()
    assert not at.exception
    one = so_far(at)
    assert one.startswith(start.rstrip()) and len(one) > len(start)
    assert one.replace("↵\n", "\n").startswith("Yesterday it was rainy, but today it's sunny")
    at.slider(key="nt_n").set_value(5).run()
    at.button(key="nt_generate").click().run()
    assert not at.exception
    assert len(so_far(at)) > len(one)
    assert at.number_input(key="nt_added").value == 6
    at.number_input(key="nt_added").decrement().run()  # − takes the last token back
    assert at.number_input(key="nt_added").value == 5
    at.button(key="nt_reset").click().run()
    assert so_far(at) == start
    assert at.number_input(key="nt_added").value == 0


def test_plus_pressed_n_times_equals_generate_n() -> None:
    params = {"nt_mode": "Sampling", "nt_seed": "7", "nt_temp": "1.5"}
    a = open_page("nt", "en", params)
    for _ in range(3):
        a.number_input(key="nt_added").increment().run()
    b = open_page("nt", "en", params)
    b.slider(key="nt_n").set_value(3).run()
    b.button(key="nt_generate").click().run()
    assert so_far(a) == so_far(b)


@pytest.mark.parametrize(
    "settings",
    [
        {"nt_mode": "greedy"},
        {"nt_mode": "sample", "nt_temp": 1.0},
        {"nt_mode": "sample", "nt_temp": 0.0},
        {"nt_mode": "sample", "nt_temp": 5.0},
        {"nt_mode": "sample", "nt_topk": 1},
        {"nt_mode": "sample", "nt_topk": 5},
        {"nt_mode": "sample", "nt_topp": 0.0},
        {"nt_mode": "sample", "nt_topp": 0.5},
        {"nt_mode": "sample", "nt_topp": 1.0, "nt_topk": 0},
    ],
)
def test_every_sampling_mode(settings: dict) -> None:
    at = open_page("nt", "ja")
    if settings.get("nt_mode") == "sample":
        at.button_group(key="nt_mode").set_value("sample").run()
    for key, value in settings.items():
        if key != "nt_mode":
            at.slider(key=key).set_value(value).run()
    at.button(key="nt_generate").click().run()
    assert not at.exception
    figs = figure_specs(at)
    drawn = figs[0]["data"][1]["x"]
    greedy_like = (
        settings.get("nt_mode") == "greedy"
        or settings.get("nt_temp") == 0.0
        or settings.get("nt_topk") == 1
        or settings.get("nt_topp") == 0.0
    )
    notes = " ".join(c.value for c in at.caption)
    if greedy_like:
        assert "貪欲法" in notes
        assert "ありそうもない" not in notes
    if settings.get("nt_temp") == 5.0:
        assert "ほぼ平ら" in notes
    assert drawn is not None


def test_empty_prompt_starts_a_sentence() -> None:
    at = open_page("nt", "en")
    at.text_input(key="nt_prompt").set_value("").run()
    assert not at.exception
    assert any("prompt is empty" in i.value for i in at.info)
    at.number_input(key="nt_added").increment().run()
    assert not at.exception


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_unknown_characters_are_replaced_and_explained(lang: str) -> None:
    at = open_page("nt", lang)
    at.text_input(key="nt_prompt").set_value("猫😀 <script>alert(1)</script>").run()
    assert not at.exception
    assert at.warning
    assert "😀" in code_blocks(at)[0] and "猫" in code_blocks(at)[0]
    at.number_input(key="nt_added").increment().run()
    assert not at.exception


def test_too_long_prompt_is_cut_from_the_left() -> None:
    long = "Yesterday it was rainy, but today it's sunny.\n" * 8
    at = open_page("nt", "en")
    at.text_input(key="nt_prompt").set_value(long).run()
    assert not at.exception
    assert any("cut off on the left" in i.value for i in at.info)
    table = at.dataframe[0].value
    assert any(str(c).startswith("✂") for c in table.columns)
    at.button(key="nt_generate").click().run()
    assert not at.exception


@pytest.mark.parametrize(
    "params",
    [
        {"nt_temp": "abc", "nt_seed": "-5", "nt_topp": "7", "nt_mode": "nope"},
        {"nt_topk": "999", "nt_layer": "9", "nt_n": "1e9", "nt_steps": "13"},
        {"nt_prompt": "x" * 5000},
    ],
)
def test_bad_url_values_fall_back(params: dict) -> None:
    at = open_page("nt", "ja", params)
    assert not at.exception


def sample_column(lang: str) -> str:
    """The samples' column title, with the temperature the samples are drawn at."""
    from ui.fmt import num
    from ui.i18n import tr
    from ui.next_token_learn import SAMPLE_TEMPERATURE

    return tr(lang, "nt.col_sample", temp=num(SAMPLE_TEMPERATURE))


def test_watch_it_learn_trains_a_fresh_model() -> None:
    at = open_page("nt", "en", {"nt_steps": "100"})
    at.button(key="nt_train").click().run(timeout=120)
    assert not at.exception
    assert at.success and "Trained 100 steps" in at.success[0].value
    samples = [df for df in at.dataframe if "after step" in df.value.columns]
    assert samples and list(samples[0].value["after step"]) == [0, 25, 50, 100]


def test_watch_it_learn_uses_the_seed_box_as_it_is_when_train_is_pressed() -> None:
    """The seed box lives in the decoding fragment, which can change it without rerunning
    "watch it learn": training must still use the box's current value."""

    def samples(at) -> list[str]:
        return next(df.value for df in at.dataframe if "after step" in df.value.columns)[
            sample_column("en")
        ].tolist()

    from_url = open_page("nt", "en", {"nt_steps": "100", "nt_seed": "5"})
    from_url.button(key="nt_train").click().run(timeout=120)
    moved = open_page("nt", "en", {"nt_steps": "100"})
    moved.number_input(key="nt_seed").set_value(5).run()
    moved.button(key="nt_train").click().run(timeout=120)
    default = open_page("nt", "en", {"nt_steps": "100"})
    default.button(key="nt_train").click().run(timeout=120)
    assert not (from_url.exception or moved.exception or default.exception)
    assert samples(moved) == samples(from_url) != samples(default)


def test_japanese_url_labels_seed_the_widgets() -> None:
    at = open_page("nt", "ja", {"nt_temp": "0.5", "nt_mode": "サンプリング"})
    assert at.slider(key="nt_temp").value == 0.5
    assert at.button_group(key="nt_mode").value == "sample"
    assert not at.slider(key="nt_temp").disabled


def test_language_switch_keeps_the_prompt_and_added_tokens() -> None:
    at = open_page("nt", "en")
    at.text_input(key="nt_prompt").set_value("If you put milk in tea, you get").run()
    at.number_input(key="nt_added").increment().run()
    at.button_group(key="lang").set_value("ja").run()
    assert not at.exception
    assert at.title[0].value == "次のトークンを予測する"
    assert at.text_input(key="nt_prompt").value == "If you put milk in tea, you get"
    assert so_far(at) == "If you put milk in tea, you get milk"


def test_single_blas_thread_restores_the_thread_count() -> None:
    import numpy as np

    from ui.next_token_learn import openblas_threads, single_blas_thread

    a = np.ones((300, 300))
    found = openblas_threads()
    if found is None:  # a NumPy built on another BLAS: the helper does nothing
        pytest.skip("no OpenBLAS in this process")
    get, _ = found
    before = get()
    with single_blas_thread():
        assert get() == 1
        np.testing.assert_allclose(a @ a, 300.0)
    assert get() == before


def test_prediction_downloads_agree_with_an_independent_forward_pass() -> None:
    import numpy as np

    from core.gpt import GPT, load_checkpoint, next_token_probs, softmax
    from core.tokenizer import Tokenizer
    from ui import next_token as nt
    from ui import next_token_export as export
    from ui.i18n import tr
    from ui.layout import data_json
    from ui.model.nt import sampler
    from viz.next_token import token_label

    prompt = "If you put milk in tea, you get"
    at = open_page("nt", "en", {"nt_prompt": prompt, "nt_mode": "Sampling", "nt_topk": "5"})
    assert at.button_group(key="nt_mode").value == "sample" and at.slider(key="nt_topk").value == 5
    buttons = at.get("download_button")
    labels = {b.proto.label for b in buttons}
    assert {tr("en", "app.download_csv"), tr("en", "app.download_json")} <= labels
    assert {"nt_dl_csv", "nt_dl_json"} <= {b.key for b in buttons}

    # independent: the checkpoint's own tokenizer and model, one forward pass, softmax
    model = GPT.load(nt.MODEL_PATH)
    tok = Tokenizer.from_json(load_checkpoint(nt.MODEL_PATH)[1]["vocab_json"])
    ids = tok.encode(prompt)
    logits = model.forward(ids)[0][-1]
    ref = softmax(logits)

    # what the page exports: its own pipeline (prepare → run → next_token_probs)
    p = nt.prepare(prompt)
    assert p.ids == tuple(ids)
    page_logits, _ = nt.run(p.ids)
    kw = sampler("sample", 1.0, 5, 1.0)
    table = export.prediction_table(
        nt.bundle().tok,
        page_logits,
        next_token_probs(page_logits),
        next_token_probs(page_logits, **kw),
    )
    assert table["rank"] == list(range(1, tok.size + 1))
    assert sorted(table["token_id"]) == list(range(tok.size))
    pm = np.array(table["p_model"])
    order = np.array(table["token_id"])
    np.testing.assert_allclose(pm, ref[order], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(table["logit"], logits[order], rtol=1e-9, atol=1e-9)
    assert abs(pm.sum() - 1.0) < 1e-9 and np.all(np.diff(pm) <= 0)
    ps = np.array(table["p_sampler"])
    assert abs(ps.sum() - 1.0) < 1e-9 and np.count_nonzero(ps) == 5
    np.testing.assert_allclose(ps[:5], ref[order[:5]] / ref[order[:5]].sum(), rtol=1e-9)
    assert table["token"] == [tok.piece(i) for i in table["token_id"]]
    # the page's chart shows the same ten likeliest tokens, in the same order
    chart = figure_specs(at)[0]["data"][0]["customdata"]
    assert chart == [token_label(x) for x in table["token"][: export.TOP]]

    data = export.prediction_data(
        nt.bundle().tok, p, prompt, [], {"mode": "sample", "top_k": 5}, kw, table
    )
    doc = json.loads(data_json(data))
    assert doc["prompt_ids"] == ids and doc["text_so_far"] == prompt
    assert [e["token_id"] for e in doc["top"]] == table["token_id"][: export.TOP]


def test_empty_prompt_shows_what_the_model_writes():
    """An empty prompt starts from a line break that is not text; the generated text shows."""
    at = open_page("nt", "en", {"nt_prompt": ""})
    at.button(key="nt_generate").click().run()
    assert not at.exception
    assert so_far(at).strip(), "the text written so far is empty after Generate"


@pytest.mark.parametrize("heads", [1, 3, 4])
def test_figures_are_valid_plotly(heads: int) -> None:
    """viz builds figures from plain dicts without plotly's validation: validate every
    builder here, and check the attention grid against plotly's own make_subplots."""
    import numpy as np
    import plotly.graph_objects as go
    from numpy.testing import assert_allclose
    from plotly.subplots import make_subplots

    from viz import next_token as vz

    rng = np.random.default_rng(heads)
    pieces = ["a", " b", "\n", "<x>", "晴れ", "&"]
    p = rng.random(6)
    p /= p.sum()
    w = np.tril(rng.random((heads, 20, 20)))
    w /= w.sum(-1, keepdims=True)
    att = vz.attention_maps(
        w, [f"t{i}" for i in range(20)], [f"h{h}" for h in range(heads)], weight_axis="weight"
    )
    figs = [
        vz.probability_bars(
            pieces, p, p**2 / (p**2).sum(), name_model="m", name_sample="s", axis="p"
        ),
        att,
        vz.loss_curve([], [], name="l", x_axis="s", y_axis="l", total_steps=300, height=280),
        vz.loss_curve([20, 40], [3.0, 2.0], name="l", x_axis="s", y_axis="l", total_steps=300),
        vz.loss_curve(
            [0, 100, 200],
            [5.0, 2.0, 0.6],
            name="l",
            x_axis="s",
            y_axis="l",
            baseline=1.2,
            baseline_name="<b>",
            accuracy=([0, 100, 200], [0.1, 0.5, 1]),
            accuracy_name="a",
        ),
        vz.accuracy_bars(["all", "long"], [("g", [0.8, 0.9]), ("b", [0.4, 0.1])], axis="acc"),
        vz.target_losses(
            pieces[:5], pieces[1:], p[:5], -np.log(p[:5]), mean=1.0, mean_name="<m>", loss_axis="l"
        ),
    ]
    for fig in figs:
        go.Figure(fig.to_dict())  # raises on any invalid property
        assert fig.layout.template.layout.font.family  # the project template is applied
    rows = -(-heads // 2)
    ref = make_subplots(
        rows=rows,
        cols=2,
        subplot_titles=[f"h{h}" for h in range(heads)],
        horizontal_spacing=0.06,
        vertical_spacing=0.08 if rows > 1 else 0.1,
    )
    for i in range(1, 2 * rows + 1):
        n = "" if i == 1 else str(i)
        for ax in ("xaxis", "yaxis"):
            assert_allclose(att.layout[ax + n].domain, ref.layout[ax + n].domain, atol=1e-12)
    for mine, theirs in zip(att.layout.annotations, ref.layout.annotations, strict=True):
        assert (mine.text, mine.yanchor) == (theirs.text, theirs.yanchor)
        assert_allclose((mine.x, mine.y), (theirs.x, theirs.y), atol=1e-12)
    for h, trace in enumerate(att.data):  # the future (upper triangle) is blank
        z = np.asarray(trace.z, dtype=float)
        assert np.isnan(z[np.triu_indices(20, 1)]).all()
        assert_allclose(z[np.tril_indices(20)], w[h][np.tril_indices(20)], rtol=1e-6)


# ── issue 13.8-10 and 14 ─────────────────────────────────────────────────────────────


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_training_target_and_loss_come_from_the_model_on_screen(lang: str) -> None:
    """The answers are the prompt's next tokens; the mean −log p shown is the GPT's own
    training loss on the prompt (an independent code path: loss_and_gradients)."""
    import numpy as np

    from ui import next_token as nt
    from ui.i18n import tr

    at = open_page("nt", lang)
    p = nt.prepare(tr(lang, "nt.prompt_default"))
    ids = list(p.ids)
    loss, _ = nt.bundle().model.loss_and_gradients(np.array([ids[:-1]]), np.array([ids[1:]]))
    body = texts(at)
    assert tr(lang, "nt.target_head") in body
    numbers = next(m.value for m in at.markdown if f"{float(loss):.3f}" in m.value)
    assert str(len(ids) - 1) in numbers
    spec = next(s for s in figure_specs(at) if "−log p" in json.dumps(s, ensure_ascii=False))
    bars = spec["data"][0]
    assert len(bars["text"]) == len(ids) - 1
    # each bar's label names the token read and, after the arrow, the next token of the text
    ticks = spec["layout"]["xaxis"]["ticktext"]
    tok = nt.bundle().tok
    from viz.next_token import token_label

    for i, tick in enumerate(ticks):
        assert tick == f"{token_label(tok.piece(ids[i]))}<br>→ {token_label(tok.piece(ids[i + 1]))}"


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_position_vectors_are_named_with_the_models_numbers(lang: str) -> None:
    from ui import next_token as nt
    from ui.i18n import tr

    at = open_page("nt", lang)
    n_pos, width = nt.bundle().model.params["transformer.wpe.weight"].shape
    want = tr(lang, "nt.position_text", ctx=f"{n_pos:,}", width=f"{width:,}",
              count=f"{n_pos * width:,}")  # fmt: skip
    assert want in [m.value for m in at.markdown]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_presenter_view_keeps_what_to_do(lang: str) -> None:
    from ui.i18n import tr

    at = open_page("nt", lang, {"present": "1"})
    shown = [m.value for m in at.markdown]
    for key in ("nt.do_prompt", "nt.do_next", "nt.do_train"):
        assert tr(lang, key) in shown, key


def test_url_carries_keys_and_old_labels_still_parse() -> None:
    from ui.model.nt import NtSettings, sampler

    s = NtSettings.from_query({"nt_mode": ["サンプリング"], "nt_steps": ["500"]})
    assert (s.mode, s.learn_steps) == ("sample", 500)
    assert NtSettings(mode="sample", layer=1).to_query() == {
        "nt_mode": ["sample"],
        "nt_layer": ["1"],
    }
    assert sampler("greedy", 3.0, 5, 0.5) == {"temperature": 0.0, "top_k": None, "top_p": 1.0}
    at = open_page("nt", "ja", {"nt_mode": "Sampling", "nt_layer": "1"})
    assert at.button_group(key="nt_mode").value == "sample"
    assert at.button_group(key="nt_layer").value == 1


def test_added_tokens_survive_a_visit_to_another_page() -> None:
    """The count box's widget state is dropped while another page is open; back on the
    page it shows the tokens kept, and + adds one more (it must not cut them)."""
    at = open_page("nt", "en")
    for _ in range(3):
        at.number_input(key="nt_added").increment().run()
    three = so_far(at)
    at.switch_page("pages/scale.py").run()
    at.switch_page("pages/next-token.py").run()
    assert so_far(at) == three
    assert at.number_input(key="nt_added").value == 3
    at.number_input(key="nt_added").increment().run()
    assert so_far(at).startswith(three.rstrip()) and len(so_far(at)) > len(three)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_learning_sentences_state_the_code_s_own_numbers(lang: str) -> None:
    """nt.learn_text (batch ratio, threshold, step) and nt.log_caption (log spacing, probe
    windows) are filled from the values the chapter computes with."""
    from ui.i18n import tr
    from ui.next_token import bundle
    from ui.next_token_learn import LIVE, RULE_SHARE, rule_learned_at

    meta = bundle().meta
    ratio = meta["settings"]["batch"] / LIVE["batch"]
    at = open_page("nt", lang)
    body = [m.value for m in at.markdown] + [c.value for c in at.caption]
    learn = tr(lang, "nt.learn_text", step=rule_learned_at(), share=f"{100 * RULE_SHARE:.0f} %",
               times=f"{ratio:g}")  # fmt: skip
    assert learn in body
    steps = [s for s, _ in meta["loss_curve"]]
    from ui.model.nt import PROBE_WINDOWS

    log = tr(lang, "nt.log_caption", every=steps[1] - steps[0], windows=PROBE_WINDOWS)
    assert log in body


def test_the_log_s_spacing_and_probe_size_match_the_stored_training_log() -> None:
    """The caption's numbers describe the stored log: loss entries every log_every steps,
    and long-range accuracies that are whole numbers of answers out of the marked
    positions of PROBE_WINDOWS held-out windows (as scripts/train_tiny_gpt.py drew them)."""
    from core import corpus
    from core.gpt import evaluate
    from ui.model.nt import PROBE_WINDOWS
    from ui.next_token import bundle
    from ui.next_token_learn import log_every

    b = bundle()
    s = b.meta["settings"]
    steps = [st for st, _ in b.meta["loss_curve"]]
    every = log_every(tuple(steps))
    assert steps == list(range(every, s["steps"] + 1, every))
    probe = corpus.heldout_windows(s["eval_seed"] + 1, PROBE_WINDOWS, s["n_ctx"], b.tok)
    ev = evaluate(b.model, probe.inputs, probe.targets, probe.marks)
    marked = ev.n_marked  # the long-range answers on this probe
    assert marked > 0 and ev.long_range_accuracy == b.meta["long_range_curve"][-1][1]
    for _, acc in b.meta["long_range_curve"]:
        assert abs(acc * marked - round(acc * marked)) < 1e-6, (acc, marked)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_sample_column_names_the_sampling_temperature(lang: str, monkeypatch) -> None:
    """nt.col_sample states SAMPLE_TEMPERATURE, the temperature the samples are drawn at:
    change it and the column title follows."""
    import ui.next_token_learn as ntl

    monkeypatch.setattr(ntl, "SAMPLE_TEMPERATURE", 0.55)
    at = open_page("nt", lang, {"nt_steps": "100"})
    at.button(key="nt_train").click().run(timeout=120)
    assert not at.exception
    cols = [c for df in at.dataframe for c in df.value.columns]
    assert sample_column(lang) in cols and "0.55" in sample_column(lang)
