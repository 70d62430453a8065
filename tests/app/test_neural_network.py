"""The neural-network chapter in AppTest: both languages, every control, training
(train / step / reset / stop), a divergent run, links that carry option keys (and older
ones that carry a translated label), and hostile URL values."""

import inspect
import json
import math

import numpy as np
import pytest

from tests.app.helpers import charts, open_page, texts
from ui.i18n import tr

FAST = {"nn_steps": "50"}  # keep training runs short


def sine(**more):
    """URL parameters of a regression run (choices carry their option key)."""
    return {**FAST, "nn_data": "sine", **more}


def _charts(at):
    return charts(at)


def _metric(at, label):
    for m in at.metric:
        if m.label == label:
            return m.value
    raise AssertionError(f"no metric {label!r}: {[m.label for m in at.metric]}")


def _latex(at):
    return "\n".join(e.value for e in at.latex)


def _ok(at):
    assert not at.exception, [e.value for e in at.exception]
    assert "⟦" not in texts(at), "a translation key is missing"
    return at


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_page_loads_in_both_languages(lang):
    at = _ok(open_page("nn", lang, FAST))
    assert at.title[0].value == tr(lang, "nn.title")
    heads = [h.value for h in at.header]
    for key in ("neuron", "act", "lin", "play", "bp"):
        assert any(tr(lang, f"nn.h_{key}") in h for h in heads)
    # untrained: the loss and accuracy curves would be single points, so a sentence says
    # where they will appear; one step draws them (7 figures, then 9)
    assert len(_charts(at)) == 7
    assert tr(lang, "nn.curves_wait") in [c.value for c in at.caption]
    for chart in _charts(at):
        assert isinstance(chart.fig, dict)  # valid figure JSON
    # the step-0 status and the four playground metrics
    assert any(tr(lang, "nn.ready", step=0) in c.value for c in at.caption)
    assert _metric(at, tr(lang, "nn.m_step")) == "0"
    at.button(key="nn_step").click().run()
    assert len(_charts(at)) == 9
    assert tr(lang, "nn.curves_wait") not in [c.value for c in at.caption]
    assert {"nn_loss_fig_0", "nn_acc_fig_0"} <= {c.key for c in _charts(at)}


def test_neuron_arithmetic_is_shown_with_the_numbers():
    at = open_page("nn", "en", FAST)
    # defaults: x = (1, -0.5), w = (0.8, 1.5), b = 0.2 -> z = 0.8 - 0.75 + 0.2 = 0.25
    tex = _latex(at)
    assert "0.2500" in tex and f"{1 / (1 + math.exp(-0.25)):.4f}" in tex
    at.number_input(key="nn_w1").set_value(2.0).run()
    at.selectbox(key="nn_nact").set_value("tanh").run()
    _ok(at)
    tex = _latex(at)
    assert "1.4500" in tex and f"{math.tanh(1.45):.4f}" in tex  # 2 - 0.75 + 0.2
    at.number_input(key="nn_b").set_value(-2.0).run()
    assert tr("en", "nn.side_neg", z="-0.7500") in texts(at)  # 2 - 0.75 - 2
    for key in ("nn_x1", "nn_x2", "nn_w2"):
        at.number_input(key=key).set_value(0.5).run()
        _ok(at)


def test_activation_controls_and_value_table():
    at = open_page("nn", "en", FAST)
    at.pills(key="nn_acts").set_value(["sigmoid", "leaky_relu", "elu", "softplus"]).run()
    at.slider(key="nn_slope").set_value(0.2).run()
    at.slider(key="nn_alpha").set_value(2.0).run()
    at.slider(key="nn_beta").set_value(2.0).run()
    at.slider(key="nn_xr").set_value((-3.0, 4.0)).run()
    at.slider(key="nn_at").set_value(-1.0).run()
    _ok(at)
    df = at.table[0].value  # the value table (a static table)
    # six decimals, as shown
    assert all(len(v.split(".")[1]) == 6 for v in (*df["f(x)"], *df["f′(x)"]))
    values = dict(zip(df.iloc[:, 0], df["f(x)"].astype(float), strict=True))
    assert values["sigmoid"] == pytest.approx(1 / (1 + math.e), abs=1e-6)
    assert values["leaky ReLU"] == pytest.approx(-0.2)
    assert values["ELU"] == pytest.approx(2 * (math.exp(-1) - 1), abs=1e-6)
    assert values["softplus"] == pytest.approx(math.log1p(math.exp(-2)) / 2, abs=1e-6)
    for chart in _charts(at)[1:3]:  # f and f' over the chosen range
        spec = chart.fig
        assert spec["layout"]["xaxis"]["range"] == [-3.0, 4.0]
        names = [d.get("name") for d in spec["data"]]
        assert {"sigmoid", "leaky ReLU", "ELU", "softplus"} <= set(names)
    at.pills(key="nn_acts").set_value([]).run()
    assert tr("en", "nn.act_none") in texts(at)


def _root(f, a, b):
    """Bisection for a sign change of ``f`` on [a, b] (independent of core/)."""
    for _ in range(80):
        m = (a + b) / 2
        if (f(a) < 0) == (f(m) < 0):
            a = m
        else:
            b = m
    return (a + b) / 2


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_stall_list_states_where_each_bar_is(lang):
    """The list under the activation figures says where |f′| < 0.01, as the bars do. The
    thresholds are solved here from the derivatives' own formulas, then taken to the
    figure's grid of x (601 points from −6 to 6: 0.02 apart), outward."""
    at = _ok(open_page("nn", lang, FAST))
    sep = tr(lang, "nn.act_stall_item", name="", where="")
    block = next(
        m.value
        for m in at.markdown
        if m.value.startswith(tr(lang, "nn.act_stall_where", lo="−6.00", hi="6.00"))
    )
    lines = dict(line[2:].split(sep, 1) for line in block.splitlines()[1:])
    phi = lambda x: math.exp(-x * x / 2) / math.sqrt(2 * math.pi)  # noqa: E731
    Phi = lambda x: (1 + math.erf(x / math.sqrt(2))) / 2  # noqa: E731
    sig = lambda x: 1 / (1 + math.exp(-x))  # noqa: E731
    d = {
        "sigmoid": lambda x: sig(x) * (1 - sig(x)),
        "tanh": lambda x: 1 - math.tanh(x) ** 2,
        "gelu": lambda x: Phi(x) + x * phi(x),
    }
    out = lambda v: f"{math.ceil(round(v / 0.02, 6)) * 0.02:.2f}".replace("-", "−")  # noqa: E731
    s_edge = _root(lambda x: d["sigmoid"](x) - 0.01, 0, 6)  # 4.585
    t_edge = _root(lambda x: d["tanh"](x) - 0.01, 0, 6)  # 2.993
    g_edge = _root(lambda x: abs(d["gelu"](x)) - 0.01, -6, -2)  # about −3.07
    g_zero = _root(d["gelu"], -2, -0.1)  # about −0.752: the slope crosses zero
    j = tr(lang, "nn.act_stall_sep")
    name = lambda k: tr(lang, f"nn.act.{k}")  # noqa: E731
    assert lines[name("sigmoid")] == f"x ≤ −{out(s_edge)}{j}x ≥ {out(s_edge)}"
    assert lines[name("tanh")] == f"x ≤ −{out(t_edge)}{j}x ≥ {out(t_edge)}"
    assert lines[name("relu")] == "x ≤ 0.00"  # ReLU′(0) is taken as 0, like the bar
    left = f"{-math.ceil(round(-g_edge / 0.02, 6)) * 0.02:.2f}".replace("-", "−")
    assert lines[name("gelu")] == f"x ≤ {left}{j}x ≈ {g_zero:.2f}".replace("-", "−")
    # leaky ReLU at a slope under the threshold stalls on the whole negative side; the
    # identity nowhere, the step function everywhere
    at.pills(key="nn_acts").set_value(["leaky_relu", "identity", "step"]).run()
    at.slider(key="nn_slope").set_value(0.005).run()
    block = next(
        m.value
        for m in at.markdown
        if m.value.startswith(tr(lang, "nn.act_stall_where", lo="−6.00", hi="6.00"))
    )
    lines = dict(line[2:].split(sep, 1) for line in block.splitlines()[1:])
    assert lines[name("leaky_relu")] == "x ≤ 0.00"
    assert lines[name("identity")] == tr(lang, "nn.act_stall_none")
    assert lines[name("step")] == tr(lang, "nn.act_stall_all")


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_vanishing_product_is_written_as_a_power(lang):
    """The sigmoid note: σ′(0) = 1/4 to the power of the layers, in a student's notation
    (0.25¹⁰ ≈ 9.5 × 10⁻⁷), not a programmer's (0.25^10 ≈ 9.5e-07)."""
    from ui.model.nn import SIGMOID_DEPTH

    at = _ok(open_page("nn", lang, FAST))
    note = next(i.value for i in at.info if "σ′(0) = 0.25" in i.value)
    sup = str(SIGMOID_DEPTH).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
    e = math.floor(math.log10(0.25**SIGMOID_DEPTH))
    mantissa = f"{0.25**SIGMOID_DEPTH / 10**e:.1f}"
    exp = str(e).replace("-", "⁻").translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
    assert f"0.25{sup} ≈ {mantissa} × 10{exp}" in note
    assert "^" not in note and "e-0" not in note


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_gradient_check_states_h_as_a_power_of_ten(lang):
    """The gradient check's sentence names its step as the article does, h = 10⁻⁵."""
    from core.mlp import gradient_check

    h = inspect.signature(gradient_check).parameters["h"].default
    k = round(-math.log10(h))
    at = _ok(open_page("nn", lang, FAST))
    sup = str(k).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
    assert f"h = 10⁻{sup}" in texts(at)
    assert "e-0" not in texts(at)


def test_linear_collapse_controls():
    at = open_page("nn", "ja", FAST)
    at.slider(key="nn_k").set_value(6).run()
    at.number_input(key="nn_lseed").set_value(42).run()
    _ok(at)
    ok = [s.value for s in at.success if "6" in s.value]
    assert ok and tr("ja", "nn.lin_same", diff="", k=6).split("{")[0][:10] in ok[0]
    assert "M_{6}" in _latex(at) or "M_6" in _latex(at)
    at.selectbox(key="nn_ldata").set_value("xor").run()
    at.selectbox(key="nn_lact").set_value("relu").run()
    _ok(at)
    titles = [m.value for m in at.markdown if m.value.startswith("**ReLU")]
    assert titles, "the comparison shows the ReLU network"


def test_train_step_reset_and_stop():
    at = open_page("nn", "en", FAST)
    at.button(key="nn_train").click().run()
    _ok(at)
    assert _metric(at, "step") == "50"
    assert tr("en", "nn.trained", step=50) in [s.value for s in at.success]
    acc_after_train = _metric(at, "training accuracy")
    at.button(key="nn_step").click().run()
    assert _metric(at, "step") == "51"
    at.button(key="nn_stop").click().run()
    assert tr("en", "nn.stopped", step=51) in [i.value for i in at.info]
    at.button(key="nn_reset").click().run()
    assert _metric(at, "step") == "0"
    assert acc_after_train.endswith("%")
    at.button(key="nn_step").click().run()
    assert "Network 2-6-6-1 after 1 steps, on its first 100 training points" in texts(at)
    # section 5 checks the playground's network as it is now: 2-6-6-1 = 67 parameters
    assert _metric(at, "parameters N") == "67"
    assert _metric(at, tr("en", "nn.bp_passes_num")) == "134"
    mantissa, _, power = _metric(at, "largest difference").partition(" × 10")  # 1.9 × 10⁻¹¹
    exponent = power.translate(str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")) or "0"
    diff = float(mantissa) * 10 ** int(exponent)
    assert diff < 1e-6


def test_numbers_download_as_csv_and_json(monkeypatch):
    """The playground's downloads hold the network the page holds: its exported weights,
    run through a fresh MLP on the exported training points, give the exported loss and
    accuracy of the last recorded step."""
    import csv
    import io

    from core.mlp import MLP
    from ui import network_play as network
    from ui.layout import data_json, table_csv

    sent = []  # what the page hands to ui.layout.downloads, run by run
    real = network.downloads

    def spy(name, **kw):
        sent.append((name, kw))
        real(name, **kw)

    monkeypatch.setattr(network, "downloads", spy)
    at = _ok(open_page("nn", "en", FAST))
    buttons = {b.proto.label: b.key for b in at.get("download_button")}
    assert buttons == {
        tr("en", "app.download_csv"): "nn_dl_csv",
        tr("en", "app.download_json"): "nn_dl_json",
    }
    at.button(key="nn_train").click().run()
    at.button(key="nn_step").click().run()
    _ok(at)
    assert len(at.get("download_button")) == 2
    name, kw = sent[-1]
    assert name == "neural-network" and kw["key"] == "nn_dl"
    rows = list(csv.DictReader(io.StringIO(table_csv(kw["table"]))))
    doc = json.loads(data_json(kw["data"]))
    assert list(rows[0]) == ["step", "train_loss", "test_loss", "train_acc", "test_acc"]
    # 50 steps recorded one by one (fewer than RECORDS chunks), then the Step press
    assert [int(r["step"]) for r in rows] == doc["history"]["step"] == list(range(52))
    assert doc["step"] == 51 and doc["status"] == "ready" and doc["sizes"] == [2, 6, 6, 1]
    s = doc["settings"]
    assert s == {
        "data_set": "circles",
        "classes": 2,
        "noise": 0.1,
        "points": 200,
        "test_fraction": 0.2,
        "hidden_layers": 2,
        "width": 6,
        "activation": "tanh",
        "output": "sigmoid",
        "loss": "cross_entropy",
        "optimizer": "adam",
        "lr": 0.03,
        "batch": 160,  # "all" of the 160 training points
        "steps_per_train": 50,
        "seed": 0,
    }
    assert len(doc["train"]["x"]) == 160 and len(doc["test"]["x"]) == 40
    # rebuild the network from the file alone and evaluate it
    m = MLP(
        doc["sizes"], activation=s["activation"], output=s["output"], rng=np.random.default_rng(1)
    )
    m.weights = [np.array(layer["W"]) for layer in doc["layers"]]
    m.biases = [np.array(layer["b"]) for layer in doc["layers"]]
    X, y = np.array(doc["train"]["x"]), np.array(doc["train"]["y"])
    Xt, yt = np.array(doc["test"]["x"]), np.array(doc["test"]["y"])
    last = rows[-1]
    assert m.loss(X, y, loss=s["loss"]) == pytest.approx(float(last["train_loss"]), rel=1e-12)
    assert m.loss(Xt, yt, loss=s["loss"]) == pytest.approx(float(last["test_loss"]), rel=1e-12)
    assert m.accuracy(X, y) == float(last["train_acc"]) == doc["history"]["train_acc"][-1]
    assert m.accuracy(Xt, yt) == float(last["test_acc"])
    assert float(rows[0]["train_loss"]) != float(last["train_loss"])  # it did train
    # ... and it is the network (and data) the page holds, not a retrained one
    held = at.session_state["nn_tr"]
    np.testing.assert_array_equal(m.flat(), held.model.flat())
    np.testing.assert_array_equal(X, held.X)
    assert held.steps == 51


def test_every_playground_control():
    at = open_page("nn", "en", FAST)
    at.selectbox(key="nn_data").set_value("gaussians").run()
    at.segmented_control(key="nn_cls").set_value(3).run()
    at.slider(key="nn_noise").set_value(0.2).run()
    at.slider(key="nn_n").set_value(120).run()
    at.slider(key="nn_test").set_value(30).run()
    at.slider(key="nn_layers").set_value(3).run()
    at.slider(key="nn_width").set_value(5).run()
    at.selectbox(key="nn_act").set_value("relu").run()
    at.segmented_control(key="nn_loss").set_value("mse").run()
    at.selectbox(key="nn_opt").set_value("momentum").run()
    at.select_slider(key="nn_lr").set_value(0.1).run()
    at.select_slider(key="nn_batch").set_value(16).run()
    at.select_slider(key="nn_steps").set_value(100).run()
    at.number_input(key="nn_seed").set_value(7).run()
    _ok(at)
    at.button(key="nn_train").click().run()
    _ok(at)
    assert _metric(at, "step") == "100"
    tr_ = at.session_state["nn_tr"]
    assert tr_.model.sizes == (2, 5, 5, 5, 3) and tr_.model.output == "softmax"
    assert tr_.loss == "mse" and tr_.optimizer.name == "momentum" and tr_.batch_size == 16
    assert len(tr_.X) == 84 and len(tr_.X_test) == 36  # 120 points, 30 % held out
    # changing only the learning rate keeps the weights and the step count
    at.select_slider(key="nn_lr").set_value(0.03).run()
    assert _metric(at, "step") == "100" and at.session_state["nn_tr"].optimizer.lr == 0.03
    # changing the data starts over
    at.slider(key="nn_noise").set_value(0.1).run()
    assert _metric(at, "step") == "0"


def test_regression_reports_rmse_and_mse():
    at = open_page("nn", "ja", sine())
    at.button(key="nn_train").click().run()
    _ok(at)
    tr_ = at.session_state["nn_tr"]
    mse = tr_.model.loss(tr_.X, tr_.y, loss="mse")
    assert _metric(at, tr("ja", "nn.m_rmse_train")) == f"{math.sqrt(mse):.4f}"
    assert _metric(at, tr("ja", "nn.m_mse_train")) == f"{mse:.5f}"
    assert at.segmented_control(key="nn_loss").disabled


def test_divergent_run_stops_keeps_last_good_state_and_recovers():
    at = open_page("nn", "en", sine(nn_opt="gd", nn_lr="0.01"))
    at.button(key="nn_train").click().run()
    assert at.session_state["nn_tr"].steps == 50
    at.select_slider(key="nn_lr").set_value(10.0).run()
    at.button(key="nn_train").click().run()
    _ok(at)
    tr_ = at.session_state["nn_tr"]
    # the run is recorded step by step (50 steps / 40 records); the step that overflowed
    # was undone, so the network is the one of the last recorded step
    assert tr_.status == "diverged" and 50 <= tr_.steps < 100
    assert [e.value for e in at.error] == [tr("en", "nn.diverged", lr="10", step=tr_.steps)]
    assert tr_.history.step[-1] == tr_.steps
    assert all(math.isfinite(v) for v in tr_.history.train_loss)
    assert np.all(np.isfinite(tr_.model.flat()))
    assert tr_.model.loss(tr_.X, tr_.y, loss="mse") == pytest.approx(tr_.history.train_loss[-1])
    stuck = tr_.steps
    at.button(key="nn_train").click().run()  # still blocked: same settings
    assert at.session_state["nn_tr"].steps == stuck and at.error
    at.select_slider(key="nn_lr").set_value(0.01).run()  # lower it and go on
    at.button(key="nn_train").click().run()
    _ok(at)
    assert at.session_state["nn_tr"].steps == stuck + 50 and not at.error


def test_divergence_message_in_japanese():
    # a link written before the URL carried keys: Japanese labels
    old = {"nn_data": tr("ja", "nn.data.sine"), "nn_opt": tr("ja", "nn.opt_gd")}
    at = open_page("nn", "ja", {**FAST, **old, "nn_lr": "10", "nn_act": tr("ja", "nn.act.relu")})
    at.button(key="nn_train").click().run()
    _ok(at)
    steps = at.session_state["nn_tr"].steps
    assert [e.value for e in at.error] == [tr("ja", "nn.diverged", lr="10", step=steps)]


@pytest.mark.parametrize(
    "params",
    [
        {"nn_lr": "abc", "nn_layers": "99", "nn_width": "-3", "nn_data": "evil"},
        {"nn_acts": "<script>alert(1)</script>", "nn_xr": "nan", "nn_n": "1e9"},
        {
            "nn_steps": "7",
            "nn_batch": "0.5",
            "nn_seed": "-1",
            "nn_cls": "9",
            "nn_opt": "__import__",
        },
        {"nn_k": "1000", "nn_lseed": "x", "nn_w1": "inf", "nn_nact": "eval", "nn_test": "100"},
        {"nn_seed": "1e400", "nn_lseed": "9" * 4301, "nn_k": "2.5", "nn_xr": ["3", "-3"]},
        {"nn_seed": "²", "nn_n": ["1e400", "nan"], "nn_loss": "MSE ", "nn_x1": "-1e309"},
    ],
)
def test_bad_url_values_fall_back_to_defaults(params):
    at = _ok(open_page("nn", "en", params))
    tr_ = at.session_state["nn_tr"]
    assert tr_.model.sizes == (2, 6, 6, 1)
    assert tr_.optimizer.name == "adam" and tr_.optimizer.lr == 0.03
    assert len(_charts(at)) == 7  # untrained: no curves yet
    assert "<script>" not in texts(at)


def _url(at, key):
    """The URL value the page wrote back for ``key`` (None when left out)."""
    if key not in at.query_params:
        return None
    v = at.query_params[key]
    return v[-1] if isinstance(v, list) else v


def test_japanese_link_opens_the_same_trainer_in_english_and_writes_keys():
    """Issue 14: an older link made on the Japanese page (trainer choices carried their
    Japanese labels) opens the same playground in English, and the URL written back
    carries the option keys, never a label of either language."""
    ja = {
        "nn_data": tr("ja", "nn.data.spirals"),
        "nn_act": tr("ja", "nn.act.leaky_relu"),
        "nn_opt": tr("ja", "nn.opt_momentum"),
        "nn_loss": tr("ja", "nn.loss_mse"),
        "nn_batch": "16",
        "nn_lr": "0.1",
        "nn_nact": tr("ja", "nn.act.relu"),
        "nn_ldata": tr("ja", "nn.data.moons"),
    }
    at = _ok(open_page("nn", "en", {**FAST, **ja}))
    assert at.selectbox(key="nn_data").value == "spirals"
    assert at.selectbox(key="nn_act").value == "leaky_relu"
    assert at.selectbox(key="nn_opt").value == "momentum"
    assert at.segmented_control(key="nn_loss").value == "mse"
    assert at.select_slider(key="nn_lr").value == 0.1
    assert at.select_slider(key="nn_batch").value == 16
    assert at.selectbox(key="nn_nact").value == "relu"
    assert at.selectbox(key="nn_ldata").value == "moons"
    tr_ = at.session_state["nn_tr"]
    assert tr_.optimizer.name == "momentum" and tr_.loss == "mse" and tr_.batch_size == 16
    want = {
        "nn_data": "spirals",
        "nn_act": "leaky_relu",
        "nn_opt": "momentum",
        "nn_loss": "mse",
        "nn_batch": "16",
        "nn_lr": "0.1",
        "nn_nact": "relu",
        "nn_ldata": "moons",
    }
    assert {k: _url(at, k) for k in want} == want
    # a key link gives the same view in Japanese; a moved choice writes its key
    at = _ok(open_page("nn", "ja", {**FAST, **want}))
    assert at.selectbox(key="nn_data").value == "spirals"
    assert at.session_state["nn_tr"].optimizer.name == "momentum"
    at.selectbox(key="nn_data").set_value("gaussians").run()
    at.segmented_control(key="nn_cls").set_value(3).run()
    at.select_slider(key="nn_batch").set_value(0).run()  # "全部": the default
    _ok(at)
    assert (_url(at, "nn_data"), _url(at, "nn_cls"), _url(at, "nn_batch")) == (
        "gaussians",
        "3",
        None,
    )


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_old_links_parse_in_the_model_and_settings_round_trip(lang):
    """Every word an older link carried (a label of this language, a learning rate as
    ``f"{v:g}"``, the whole batch as its label) parses to the option, and settings ->
    URL -> settings is the identity."""
    from ui.model.nn import BATCHES, LRS, STEPS, NnSettings, play_config

    old = {
        "nn_data": [tr(lang, "nn.data.sine")],
        "nn_act": [tr(lang, "nn.act.gelu_tanh")],
        "nn_opt": [tr(lang, "nn.opt_gd")],
        "nn_loss": [tr(lang, "nn.loss_cross_entropy")],
        "nn_batch": [tr(lang, "nn.batch_all")],
        "nn_lact": [tr(lang, "nn.act.silu")],
        "nn_xr": ["-3", "4"],  # a range slider wrote its two ends
        "nn_seed": ["42.0"],  # a whole-number input written as a float
    }
    s = NnSettings.from_query(old)
    assert (s.data, s.act, s.opt, s.loss, s.batch, s.lact) == (
        "sine", "gelu_tanh", "gd", "cross_entropy", 0, "silu"
    )  # fmt: skip
    assert s.xr == (-3.0, 4.0) and s.seed == 42
    assert NnSettings.from_query(s.to_query()) == s
    assert s.to_query()["nn_data"] == ["sine"] and "nn_batch" not in s.to_query()
    for lr in LRS:
        assert NnSettings.from_query({"nn_lr": [f"{lr:g}"]}).lr == lr
    for b in BATCHES:
        assert NnSettings.from_query({"nn_batch": [str(b)]}).batch == b
    for n in STEPS:
        assert NnSettings.from_query({"nn_steps": [str(n)]}).steps == n
    # the playground's derived settings: a regression trains on MSE, the share a fraction
    cfg = play_config({"data": s.data, "loss": s.loss, "test": 30})
    assert cfg.loss == "mse" and cfg.regression and cfg.test == 0.3
    assert play_config({}).loss == "cross_entropy" and play_config({}).batch == 0


def test_every_figure_builder_passes_plotly_validation():
    """viz/network.py skips plotly's validation for speed; validate its output here."""
    import plotly.graph_objects as go

    from core.activations import ACTIVATIONS, sample
    from core.mlp import MLP, decision_grid, neuron_grid
    from viz import network as v

    rng = np.random.default_rng(0)
    X, y = rng.uniform(-1, 1, (30, 2)), rng.integers(0, 3, 30)
    curves = [sample(ACTIVATIONS[k], -6, 6) for k in ("sigmoid", "relu", "identity")]
    xs, values = neuron_grid([1.0, -0.5], 0.3, ACTIVATIONS["tanh"], -3, 3)
    figs = [
        v.activation_figure(
            curves[0].x,
            [(c.key, c.dy) for c in curves],
            [c.stalled for c in curves],
            x_title="",
            y_title="f′",
            stall_name="bars",
        ),
        v.neuron_figure(
            xs,
            values,
            [1.0, -0.5],
            0.3,
            [0.2, 0.1],
            x_title="x₁",
            y_title="x₂",
            value_name="a",
            line_name="z = 0",
            point_name="x",
            weight_name="w",
        ),
        v.history_figure(
            [0, 10],
            [("train", [1.0, 0.5], "solid"), ("test", [float("nan")] * 2, "dash")],
            x_title="step",
            y_title="loss",
            log_y=True,
        ),
        v.regression_figure(
            X[:, :1],
            X[:, 1:],
            X[:5, :1],
            X[:5, 1:],
            np.linspace(-1, 1, 9),
            np.zeros(9),
            np.ones(9),
            train_name="a",
            test_name="b",
            fit_name="c",
            truth_name="d",
        ),
    ]
    for k in (2, 3):
        m = MLP(
            [2, 4, 1 if k == 2 else 3],
            activation="tanh",
            output="sigmoid" if k == 2 else "softmax",
            rng=rng,
        )
        g = decision_grid(m, -1.6, 1.6, 20)
        figs.append(
            v.boundary_figure(
                g.xs,
                g.probs,
                X,
                y % k,
                X[:5],
                y[:5] % k,
                class_names=["a", "b", "c"],
                train_name="t",
                test_name="s",
            )
        )
        figs.append(
            v.network_figure(
                m.weights, m.biases, layer_names=["i", "h", "o"], weight_name="w", bias_name="b"
            )
        )
    for fig in figs:
        go.Figure(fig.to_dict())  # raises on any invalid property
        assert fig.layout.template.layout.font.family  # the project template is applied


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_linear_comparison_states_the_network_it_trained(lang, monkeypatch):
    """nn.lin_compare and nn.lin_alt state the sizes of the networks the comparison
    trained (read off the trained models) and its number of steps (COMPARE_STEPS):
    change the steps and both sentences follow."""
    import ui.network as un
    from core.mlp import train_linear_and_nonlinear

    X = np.array([[0.0, 0.0], [1.0, 1.0]])
    sizes = next(iter(train_linear_and_nonlinear(X, np.array([0, 1]), "tanh", steps=1).values()))
    sizes = sizes[0].sizes  # the layer sizes core trains with
    monkeypatch.setattr(un, "COMPARE_STEPS", 40)
    un._compare.clear()  # the cache is keyed on the data and activation only
    try:
        at = _ok(open_page("nn", lang, FAST))
    finally:
        un._compare.clear()
    want = tr(lang, "nn.lin_compare", inputs=sizes[0], hidden=len(sizes) - 2, width=sizes[1],
              steps="40")  # fmt: skip
    assert want in [m.value for m in at.markdown]
    shape = "-".join(str(s) for s in sizes)
    alts = [c.alt for c in _charts(at) if shape in c.alt]
    assert len(alts) == 2 and all("40" in a for a in alts)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_gradient_table_is_drawn_only_once_opened(lang):
    """Section 5's per-parameter table (the longest element of the page) waits behind an
    opener whose state is in the link; the metrics and the sentence stay visible. Opened,
    it lists every parameter of the 2-6-6-1 network with both gradients, and they agree."""
    at = _ok(open_page("nn", lang, FAST))
    assert _metric(at, tr(lang, "nn.bp_params")) == "67"
    label = tr(lang, "nn.bp_table_open", n="67")
    assert label in [e.label for e in at.expander]
    heads = {tr(lang, k) for k in ("nn.bp_col_bp", "nn.bp_col_num")}
    assert not [tb for tb in at.table if heads <= set(tb.value.columns)]
    at = _ok(open_page("nn", lang, {**FAST, "nn_bp_table_open": "true"}))
    (df,) = [tb.value for tb in at.table if heads <= set(tb.value.columns)]
    assert len(df) == 67
    assert list(df[tr(lang, "nn.bp_col_param")])[:2] == ["W1[1,1]", "W1[1,2]"]
    bp = df[tr(lang, "nn.bp_col_bp")].astype(float)
    num = df[tr(lang, "nn.bp_col_num")].astype(float)
    assert np.max(np.abs(bp - num)) < 1e-6
