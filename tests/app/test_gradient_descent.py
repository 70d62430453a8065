"""AppTest of the gradient-descent page: both languages, every landscape, optimizer,
schedule and gradient source, user formulas (good, bad, hostile), divergence, the race,
the scrubber, and untrusted URL values. Numbers on screen are checked against core."""

import base64
import json

import numpy as np
import pytest
from numpy.testing import assert_allclose

from core.landscapes import LANDSCAPES, landscape_from_expression
from core.optimizers import OPTIMIZERS, descend
from core.schedules import SCHEDULES
from tests.app.helpers import charts as sent_charts
from tests.app.helpers import open_page, texts
from ui.descent import LAND_KEYS
from ui.fmt import num as fmt
from ui.i18n import tr

HOSTILE = [
    "__import__('os').system('id')",
    "x.__class__",
    "[x for x in ()]",
    "lambda: 1",
    "9**9**9",
    "2**x**x**x",
    "(" * 100 + "x" + ")" * 100,
]


def chosen(*names):
    """URL parameters choosing exactly these optimizers."""
    return {f"gd_o_{o}": "true" if o in names else "false" for o in OPTIMIZERS}


def checked(at):
    return [o for o in OPTIMIZERS if at.checkbox(key=f"gd_o_{o}").value]


def label(lang, key):
    return tr(lang, key)


def charts(at):
    return [c.fig for c in sent_charts(at)]


def chart_with(at, trace_type):
    for spec in charts(at):
        if any(d.get("type") == trace_type for d in spec["data"]):
            return spec
    raise AssertionError(f"no chart with a {trace_type} trace")


def is_map(spec):
    """The map: its landscape is a layout image (a PNG), under the walks' traces."""
    images = spec.get("layout", {}).get("images", [])
    return any(i.get("name") == "landscape" for i in images)


def map_chart(at):
    for spec in charts(at):
        if is_map(spec):
            return spec
    raise AssertionError("no map chart (a chart with the landscape image)")


def alerts(at):
    return [e.value for e in (*at.success, *at.info, *at.warning, *at.error)]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_default_page_in_both_languages(lang):
    at = open_page("gd", lang)
    assert at.title[0].value == tr(lang, "gd.title")
    assert tr(lang, "gd.why_walker") in texts(at)
    specs = charts(at)
    types = {d.get("type") for s in specs for d in s["data"]}
    # only the open tab (the map) is drawn; the 3-D view is drawn once its tab is opened
    assert "scatter" in types and not {"surface", "scatter3d"} & types
    assert [x for x in specs if is_map(x)]
    # Play button and client-side frames on the walking views: the map and the progress
    animated = [s for s in specs if s.get("frames")]
    assert len(animated) == 2
    at.session_state["gd_view_tab"] = tr(lang, "gd.tab_surface")
    at.run()
    assert not at.exception
    specs3d = charts(at)
    types = {d.get("type") for s in specs3d for d in s["data"]}
    assert {"surface", "scatter3d"} <= types and not [x for x in specs3d if is_map(x)]
    animated += [s for s in specs3d if s.get("frames") and s not in animated]
    assert len(animated) == 3
    for s in animated:
        assert s["layout"]["updatemenus"][0]["buttons"][0]["label"] == tr(lang, "gd.play")
    # Himmelblau, gradient descent, η = 0.01 arrives at (3.584, −1.848)
    land = LANDSCAPES["himmelblau"]
    ref = descend(land, land.start, lr=0.01, steps=150, tol=1e-6)
    assert ref.status == "converged"
    msg = tr(
        lang,
        "gd.status_converged",
        name=tr(lang, "gd.opt.gd"),
        n=ref.steps,
        tol=fmt(1e-6),  # the tolerance of the walk above
        x=fmt(ref.points[-1][0]),
        y=fmt(ref.points[-1][1]),
        loss=fmt(ref.losses[-1]),
    )
    assert msg in alerts(at)


def test_japanese_page_has_no_missing_keys():
    at = open_page("gd", "ja")
    assert "⟦" not in texts(at)
    assert "⟦" not in " ".join(alerts(at))


@pytest.mark.parametrize("key", LAND_KEYS)
def test_each_landscape(key):
    at = open_page("gd", "en", {"gd_land": label("en", f"gd.land.{key}")})
    assert at.selectbox(key="gd_land").value == key
    spec = map_chart(at)
    x = spec["data"][0]["x"]
    assert x is not None
    assert alerts(at)


@pytest.mark.parametrize("opt", OPTIMIZERS)
def test_each_optimizer_and_its_hand_check(opt):
    land = LANDSCAPES["bowl"]
    params = {
        "gd_land": label("en", "gd.land.bowl"),
        **chosen(opt),
        "gd_lr": "0.1",
        "gd_step": "3",
        "gd_tol": "1e-06",
    }
    at = open_page("gd", "en", params)
    assert checked(at) == [opt]
    ref = descend(land, land.start, optimizer=opt, lr=0.1, steps=150, tol=1e-6)
    (x, y), (nx, ny), (gx, gy) = ref.points[3], ref.points[4], ref.gradients[3]
    body = texts(at)
    g, lr = ref.gradients, 0.1
    if opt == "gd":
        # the arithmetic shown can be redone by hand: p − η·∇L
        assert fmt(x - 0.1 * gx) == fmt(nx)
        shown = f"({fmt(x)}, {fmt(y)}) − 0.1 × ({fmt(gx)}, {fmt(gy)}) = ({fmt(nx)}, {fmt(ny)})"
        assert shown in body
        return
    # the optimizer's memory, recomputed here from the gradients with the textbook rule
    if opt in ("momentum", "nesterov"):
        b = np.zeros(2)
        for k in range(4):
            b = 0.9 * b + g[k]
        mem = b
    elif opt == "adagrad":
        mem = (g[:4] ** 2).sum(axis=0)
    elif opt == "rmsprop":
        mem = np.zeros(2)
        for k in range(4):
            mem = 0.99 * mem + 0.01 * g[k] ** 2
    else:
        mem = np.zeros(2)
        for k in range(4):
            mem = 0.9 * mem + 0.1 * g[k]
    assert f"= ({fmt(mem[0])}, {fmt(mem[1])})" in body
    assert f"= ({fmt(nx)}, {fmt(ny)})" in body
    if opt == "momentum":  # and the step itself is p − η·b
        assert_allclose([nx, ny], [x, y] - lr * mem)


def test_race_with_all_six():
    at = open_page("gd", "en", chosen(*OPTIMIZERS))
    assert checked(at) == list(OPTIMIZERS)
    df = at.table[0].value
    assert len(df) == 6
    assert list(df.iloc[:, 0]) == [tr("en", f"gd.opt.{o}") for o in OPTIMIZERS]
    land = LANDSCAPES["himmelblau"]
    # issue 13.4: by default each optimizer races at its own best η from the slider's list
    from core.optimizers import best_learning_rate
    from ui.model.gd import LR_OPTIONS

    for i, o in enumerate(OPTIMIZERS):
        lr = best_learning_rate(land, land.start, o, LR_OPTIONS, steps=150, tol=1e-6)
        ref = descend(land, land.start, optimizer=o, lr=lr, steps=150, tol=1e-6)
        assert df.iloc[i, 1] == fmt(lr)
        assert df.iloc[i, 2] == fmt(ref.losses[-1])
        assert df.iloc[i, 5] == tr("en", f"gd.st.{ref.status}")
    assert len(set(df.iloc[:, 1])) > 1  # not one shared η
    what = tr("en", "gd.race_what_own", n=150, lr="0.01")
    assert what in [e.value for e in at.markdown]
    # one colour per optimizer in the map: six path traces plus markers
    spec = map_chart(at)
    names = [d.get("name") for d in spec["data"]]
    assert all(tr("en", f"gd.opt.{o}") in names for o in OPTIMIZERS)
    assert len(spec["frames"][0]["data"][0]["x"]) == 6


def test_race_with_one_shared_rate_says_so():
    """The shared-η race (the old comparison) stays available, and the page says it."""
    at = open_page("gd", "en", {**chosen(*OPTIMIZERS), "gd_lr_mode": "shared"})
    df = at.table[0].value
    land = LANDSCAPES["himmelblau"]
    for i, o in enumerate(OPTIMIZERS):
        ref = descend(land, land.start, optimizer=o, lr=0.01, steps=150, tol=1e-6)
        assert df.iloc[i, 1] == "0.01"
        assert df.iloc[i, 2] == fmt(ref.losses[-1])
    what = tr("en", "gd.race_what_shared", n=150, lr="0.01")
    assert what in [e.value for e in at.markdown]


@pytest.mark.parametrize("sched", SCHEDULES)
def test_each_schedule(sched):
    at = open_page(
        "gd",
        "en",
        {
            "gd_sched": label("en", f"gd.sched.{sched}"),
            "gd_land": label("en", "gd.land.bowl"),
            "gd_lr": "0.1",
        },
    )
    assert at.selectbox(key="gd_sched").value == sched
    spec = next(s for s in charts(at) if s["layout"].get("yaxis2"))
    lr_traces = [d for d in spec["data"] if d.get("yaxis") == "y2"]
    # a decaying schedule is compared with the constant rate on the same landscape
    assert len(lr_traces) == (1 if sched == "constant" else 2)


def test_schedule_controls_change_the_run():
    at = open_page(
        "gd",
        "en",
        {
            "gd_sched": label("en", "gd.sched.step"),
            "gd_ssize": "20",
            "gd_sgamma": "0.5",
            "gd_land": label("en", "gd.land.bowl"),
            "gd_lr": "0.1",
            "gd_tol": label("en", "gd.tol_never"),
        },
    )
    assert at.slider(key="gd_ssize").value == 20
    assert at.toggle(key="gd_cmp").value is True
    assert len(at.table) == 1  # walker + its constant-η twin in the table
    assert len(at.table[0].value) == 2


@pytest.mark.parametrize("grad", ["analytic", "forward", "central"])
def test_each_gradient_source(grad):
    at = open_page("gd", "en", {"gd_grad": label("en", f"gd.grad.{grad}"), "gd_h": "1e-08"})
    caps = " ".join(c.value for c in at.caption)
    if grad == "analytic":
        assert "loss evaluations" not in caps
    else:
        k = 3 if grad == "forward" else 4
        assert f"costs {k} loss evaluations" in caps


def test_tiny_h_makes_the_forward_walker_stand_still():
    at = open_page(
        "gd",
        "en",
        {
            "gd_grad": label("en", "gd.grad.forward"),
            "gd_h": "1e-16",
            "gd_land": label("en", "gd.land.bowl"),
            "gd_lr": "0.1",
        },
    )
    # the bowl's start (−2.4, 1.8): x + 1e-16 == x, so every difference is 0
    assert any("(-2.4, 1.8)" in a for a in alerts(at))


def test_custom_formula_gets_an_exact_gradient():
    text = "x^2 + 3*sin(y)^2"
    at = open_page("gd", "en", {"gd_land": label("en", "gd.land.custom"), "gd_expr": text})
    latex = " ".join(e.value for e in at.get("latex"))
    # ∂L/∂x = 2x and ∂L/∂y = 6 sin(y) cos(y), printed from the derived tree
    assert "partial x} = 2 \\cdot x" in latex
    assert "partial y} = 6 \\cdot \\sin\\left(y\\right) \\cdot \\cos\\left(y\\right)" in latex
    land = landscape_from_expression(text)
    ref = descend(land, land.start, lr=0.01, steps=150, tol=1e-6)
    assert any(fmt(ref.losses[-1]) in a for a in alerts(at))


@pytest.mark.parametrize("text", ["x +* y", "sin x", "(x + 1", "x + z", ""])
def test_bad_formula_shows_a_translated_pointer(text):
    for lang in ("en", "ja"):
        at = open_page("gd", lang, {"gd_land": label(lang, "gd.land.custom"), "gd_expr": text})
        assert at.error, text
        assert "⟦" not in at.error[0].value
        assert not sent_charts(at)  # nothing to walk on, and no crash


@pytest.mark.parametrize("text", HOSTILE, ids=lambda s: s[:16])
def test_hostile_formula_is_refused(text):
    at = open_page("gd", "en", {"gd_land": label("en", "gd.land.custom"), "gd_expr": text})
    assert at.error
    # the user's text is only ever shown as code, never rendered
    assert all(text not in m.value for m in at.markdown)


def test_divergent_learning_rate_is_explained():
    at = open_page("gd", "en", {"gd_land": label("en", "gd.land.bowl"), "gd_lr": "1.5"})
    land = LANDSCAPES["bowl"]
    ref = descend(land, land.start, lr=1.5, steps=150, tol=1e-6)
    assert ref.status == "diverged"
    msg = tr(
        "en",
        "gd.status_up",
        name=tr("en", "gd.opt.gd"),
        n=ref.steps,
        l0=fmt(ref.losses[0]),
        l1=fmt(ref.losses[-1], 2),
        lr="1.5",
    )
    assert msg in [w.value for w in at.warning]
    spec = map_chart(at)
    for d in spec["data"]:
        assert "NaN" not in json.dumps(d.get("x", []))


def test_divergence_message_in_japanese():
    at = open_page("gd", "ja", {"gd_land": label("ja", "gd.land.bowl"), "gd_lr": "1.5"})
    assert "発散" in at.warning[0].value


@pytest.mark.parametrize(
    "params",
    [
        {"gd_lr": "abc"},
        {"gd_lr": "1e9"},
        {"gd_steps": "999999"},
        {"gd_steps": "-5"},
        {"gd_land": "evil"},
        {"gd_res": "5000"},
        {"gd_step": "-3"},
        {"gd_h": "1e-99"},
        {"gd_o_gd": "maybe"},
        {"gd_o_sgd": "true"},
        {"gd_seed": "1e400"},
        {"gd_x0": "nan"},
        {"gd_tol": "0.5"},
        {"gd_sched": "<script>"},
        {"gd_span": "1e6"},
    ],
)
def test_bad_url_values_fall_back_to_defaults(params):
    at = open_page("gd", "en", params)
    assert at.slider(key="gd_steps").value <= 5000
    assert at.select_slider(key="gd_lr").value in (0.01,)
    assert at.select_slider(key="gd_res").value == 60
    assert sent_charts(at)


def test_steps_slider_and_scrubber():
    at = open_page(
        "gd",
        "en",
        {
            "gd_land": label("en", "gd.land.bowl"),
            "gd_lr": "0.1",
            "gd_tol": "0",  # keys in the URL (issue 14)
        },
    )
    at.slider(key="gd_steps").set_value(500).run()
    assert not at.exception
    # issue 13.6: the walk opens at step 0 and the scrubber spans exactly the walk
    assert at.slider(key="gd_step").value == 0
    assert at.slider(key="gd_step").max == 500
    at.slider(key="gd_step").set_value(7).run()
    assert "**" + tr("en", "gd.now_head", step=7) + "**" in texts(at)
    at.button(key="gd_fwd").click().run()
    assert at.slider(key="gd_step").value == 8
    at.button(key="gd_back").click().run()
    at.button(key="gd_back").click().run()
    assert at.slider(key="gd_step").value == 6
    spec = map_chart(at)
    # the map's current marker is the walker's point at step 6
    land = LANDSCAPES["bowl"]
    ref = descend(land, land.start, lr=0.1, steps=500)
    marker = spec["data"][-2]
    assert np.allclose([marker["x"][0], marker["y"][0]], ref.points[6])


def test_random_start_is_seeded():
    p = {"gd_start": label("en", "gd.start.random"), "gd_seed": "42"}
    a = open_page("gd", "en", p)
    b = open_page("gd", "en", p)
    assert alerts(a) == alerts(b)
    b.button(key="gd_new_seed").click().run()
    assert b.number_input(key="gd_seed").value == 43
    assert alerts(a) != alerts(b)


def test_manual_start_outside_the_range_is_moved_inside():
    at = open_page(
        "gd", "en", {"gd_start": label("en", "gd.start.manual"), "gd_x0": "9", "gd_y0": "-9"}
    )
    assert tr("en", "gd.start_clipped", x="5", y="-5") in [c.value for c in at.caption]


def test_suggested_learning_rate_button():
    at = open_page("gd", "en", {"gd_land": label("en", "gd.land.rosenbrock")})
    at.button(key="gd_lr_btn").click().run()
    assert at.select_slider(key="gd_lr").value == 0.001


def test_moving_the_learning_rate_updates_everything_that_depends_on_it():
    """The rate lives in a fragment with the walks: a move must redraw all of them."""
    land = LANDSCAPES["himmelblau"]
    at = open_page("gd", "en")
    before = charts(at)
    at.select_slider(key="gd_lr").set_value(0.001).run()
    assert not at.exception
    ref = descend(land, land.start, lr=0.001, steps=150, tol=1e-6)
    assert ref.status == "max_steps"
    (x, y), loss = ref.points[-1], ref.losses[-1]
    msg = tr("en", "gd.status_max", name=tr("en", "gd.opt.gd"), n=ref.steps, x=fmt(x),
             y=fmt(y), loss=fmt(loss))  # fmt: skip
    assert msg in alerts(at)
    assert [s.key for s in at.select_slider].count("gd_lr") == 1  # drawn once, in place
    after = charts(at)
    assert len(after) == len(before) == 2  # the map and the progress (3-D tab closed)
    for old, new in zip(before, after, strict=True):
        assert old["data"] != new["data"]  # every view shows the new walk
    path = map_chart(at)["data"][2]  # the walk on the map (float32)
    assert_allclose(np.frombuffer(base64.b64decode(path["x"]["bdata"]), np.float32)[-1], x,
                    rtol=1e-6)  # fmt: skip
    # the numbers to take home follow the rate too
    buttons = {b.key for b in at.get("download_button")}
    assert buttons == {"gd_dl_csv", "gd_dl_json"}
    # with the 3-D tab open, a move redraws the surface view
    at.session_state["gd_view_tab"] = tr("en", "gd.tab_surface")
    at.run()
    surface = chart_with(at, "surface")
    at.select_slider(key="gd_lr").set_value(0.002).run()
    assert not at.exception
    assert chart_with(at, "surface")["data"] != surface["data"]


def test_differentiation_lab_is_drawn_when_opened():
    from ui.descent import MODELS
    from ui.fmt import sci as _sci

    model = tr("en", "gd.nparams_label", name=MODELS[4][0], n=_sci(MODELS[4][1]))
    assert model  # the URL carries the option key, not this label (issue 14)
    at = open_page("gd", "en", {"gd_lr": "0.1", "gd_model": "4"})
    assert not any(s["data"][0].get("mode") == "lines+markers" for s in charts(at))
    assert at.select_slider(key="gd_model").value == 4  # a closed lab keeps its setting
    at.session_state["gd_lab"] = True  # open it
    at.run()
    assert not at.exception
    lab = next(s for s in charts(at) if s["layout"].get("xaxis", {}).get("type") == "log")
    assert [d["name"] for d in lab["data"]] == [tr("en", "gd.grad.forward"),
                                                tr("en", "gd.grad.central")]  # fmt: skip
    # issue 13.1: the lab is drawn at the walk's start by default, and says so
    land = LANDSCAPES["himmelblau"]
    (x, y) = land.start
    gx, gy = land.gradient(x, y)
    caps = [c.value for c in at.caption]
    assert tr("en", "gd.lab_at", x=fmt(x), y=fmt(y), gx=fmt(gx), gy=fmt(gy), step=0) in caps
    assert at.select_slider(key="gd_model").value == 4
    assert _sci(175e9 + 1) in texts(at)  # GPT-3: one extra evaluation per parameter
    # the sentence's best h is the minimum of the very curve drawn
    fwd = np.array(lab["data"][0]["y"]["bdata"] if isinstance(lab["data"][0]["y"], dict)
                   else lab["data"][0]["y"], dtype=object)  # fmt: skip
    from core.differentiation import error_curve
    from ui.descent import LAB_HS

    def f(p):
        return float(land.loss(np.float64(p[0]), np.float64(p[1])))

    curve = error_curve(f, np.array([gx, gy], dtype=float), np.array([x, y]), LAB_HS)
    best = LAB_HS[int(np.argmin(np.where(curve.forward > 0, curve.forward, np.inf)))]
    k = int(np.argmin(np.abs(np.log10(LAB_HS) + 10)))
    side = "roundoff" if LAB_HS[k] < best else ("best" if LAB_HS[k] == best else "truncation")
    read = [m.value for m in at.markdown if tr("en", f"gd.lab_side.{side}") in m.value]
    assert len(read) == 1 and f"h = {fmt(best, 2)} (error" in read[0]
    assert side == "roundoff"  # at the start the article's 1e-10 is past the best h
    assert fwd.size
    # the step shown instead: the lab follows the walker
    at.segmented_control(key="gd_lab_at").set_value("step").run()
    at.slider(key="gd_step").set_value(3).run()
    ref = descend(land, land.start, lr=0.1, steps=150, tol=1e-6)
    (x, y) = ref.points[3]
    gx, gy = land.gradient(x, y)
    caps = [c.value for c in at.caption]
    assert tr("en", "gd.lab_at", x=fmt(x), y=fmt(y), gx=fmt(gx), gy=fmt(gy), step=3) in caps


def test_figures_are_valid_plotly_and_send_plotly_s_own_json():
    """viz skips plotly's validation (and its deep copy on every send) for speed: every
    builder's output must validate, and the dict sent must be the one plotly would make."""
    import plotly.graph_objects as go
    import plotly.io as pio

    from core.differentiation import error_curve
    from viz import descent as vd

    land = LANDSCAPES["rosenbrock"]
    paths = []
    for i, o in enumerate(("gd", "adam", "momentum")):
        tr_ = descend(land, land.start, optimizer=o, lr=0.001, steps=90)
        paths.append(vd.PathView(f"<b>{o}</b>", vd.color(i), tr_.points, tr_.losses,
                                 tr_.learning_rates, tr_.gradients,
                                 dash="dash" if i == 2 else "solid"))  # fmt: skip
    x, y, z = land.grid(30)
    lab = vd.Labels()
    hs = np.logspace(-16, -1, 61)
    g = np.array(land.gradient(1.0, 0.5))
    curve = error_curve(lambda p: float(land.loss(p[0], p[1])), g, np.array([1.0, 0.5]), hs)
    figs = [
        vd.contour_figure(x, y, z, paths, 7, lab, minima=land.minima, colorbar="c"),
        vd.contour_figure(x, y, z, paths[:1], 0, lab),
        vd.surface_figure(x, y, z, paths, 90, lab, z_title="z"),
        vd.progress_figure(paths, 7, lab, log_y=True, loss_ref=-1.0),
        vd.progress_figure(paths[:1], 3, lab),
        vd.h_error_figure(hs, curve.forward, curve.central, h_now=1e-5,
                          marks=[(1e-10, "a", "#000000")], x_title="h", y_title="e"),
    ]  # fmt: skip
    for f in figs:
        sent = f.to_dict()
        assert f.to_dict() is sent  # built once
        go.Figure(sent)  # raises on any invalid property
        own = go.Figure.to_dict(f)  # plotly's own (deep-copied) dict of the same figure
        assert json.loads(pio.to_json(sent, validate=False)) == json.loads(
            pio.to_json(own, validate=False)
        )
        assert sent["layout"]["template"]["layout"]["font"]["family"]


def test_hyperparameters_and_log_axis():
    at = open_page(
        "gd",
        "en",
        {**chosen("momentum", "adam"), "gd_mu": "0.5"},
    )
    assert at.slider(key="gd_mu").value == 0.5
    assert at.slider(key="gd_b1").value == 0.9
    at.toggle(key="gd_logy").set_value(False).run()
    spec = next(s for s in charts(at) if s["layout"].get("yaxis2"))
    assert spec["layout"]["yaxis"]["type"] == "linear"


def test_pick_no_optimizer():
    at = open_page("gd", "en")
    for o in OPTIMIZERS:
        at.session_state[f"gd_o_{o}"] = False
    at.run()
    assert tr("en", "gd.pick_one") in [i.value for i in at.info]


def test_saddle_log_axis_handles_negative_losses():
    at = open_page("gd", "en", {"gd_land": label("en", "gd.land.saddle"), "gd_lr": "0.05"})
    spec = next(s for s in charts(at) if s["layout"].get("yaxis2"))
    assert spec["layout"]["yaxis"]["type"] == "log"
    assert "L*" in spec["layout"]["yaxis"]["title"]["text"]


def test_error_token_is_shown_literally_not_as_markdown():
    at = open_page(
        "gd", "en", {"gd_land": label("en", "gd.land.custom"), "gd_expr": "x + __import__"}
    )
    assert at.error[0].value == tr("en", "gd.errors.expr_name", pos=5, token="\\_\\_import\\_\\_")


def test_update_rules_of_the_chosen_optimizers_are_shown():
    from ui.descent import RULES

    at = open_page("gd", "en", chosen("adam", "nesterov"))
    latex = [e.value for e in at.get("latex")]
    assert any(RULES["adam"] in v for v in latex)
    assert any(RULES["nesterov"] in v for v in latex)
    assert not any(RULES["rmsprop"] in v for v in latex)


def test_long_formula_limits_the_steps_on_a_shared_server():
    from ui.descent import WORK_BUDGET

    text = "*".join(["sin(x*y)"] * 12)
    at = open_page(
        "gd",
        "en",
        {
            "gd_land": label("en", "gd.land.custom"),
            "gd_expr": text,
            "gd_steps": "5000",
            **chosen(*OPTIMIZERS),
        },
    )
    land = landscape_from_expression(text)
    n = max(10, WORK_BUDGET // (land.cost * 6))
    assert n < 5000
    caps = [c.value for c in at.caption]
    assert tr("en", "gd.steps_capped", n=n, runs=6, cost=land.cost) in caps
    assert at.slider(key="gd_step").max == n  # the scrubber spans the capped walk


def test_figures_stay_small_and_frames_carry_only_coordinates():
    at = open_page(
        "gd",
        "en",
        {**chosen(*OPTIMIZERS), "gd_steps": "2000", "gd_tol": label("en", "gd.tol_never")},
    )
    total = sum(len(c.spec) for c in sent_charts(at))
    assert total < 300_000
    for spec in charts(at):
        for d in spec["data"]:
            if d.get("type") in ("contour", "surface"):
                assert d["z"]["dtype"] == "f4"  # float32 grids
        frames = spec.get("frames", [])
        assert len(frames) <= 60
        for f in frames:
            for d in f["data"]:
                assert set(d) <= {"type", "x", "y", "z", "text"}  # text: the map's step


def test_rosenbrock_uses_log_heights():
    at = open_page("gd", "en", {"gd_land": label("en", "gd.land.rosenbrock")})
    spec = map_chart(at)
    assert spec["data"][0]["marker"]["colorbar"]["title"]["text"] == tr("en", "gd.colorbar_log")
    lo = LANDSCAPES["rosenbrock"].grid(60)[2].min()  # the lowest grid point, default grid
    assert tr("en", "gd.z_log_note", lo=fmt(lo)) in [c.value for c in at.caption]


def test_walks_download_as_csv_and_json(monkeypatch):
    import csv
    import io

    from core.schedules import learning_rates
    from ui.layout import data_json, table_csv

    seen = []  # what the page hands to ui.layout.downloads on this run

    def record(name, **kw):
        seen.append((name, kw))
        return downloads(name, **kw)

    import ui.descent_panels as dp

    downloads = dp.downloads
    monkeypatch.setattr(dp, "downloads", record)
    at = open_page(
        "gd",
        "en",
        {
            **chosen("gd", "momentum", "adam"),
            "gd_lr_mode": "shared",  # one η for the three (the race's other mode)
            "gd_mu": "0.5",
            "gd_land": label("en", "gd.land.bowl"),
            "gd_lr": "0.1",
            "gd_sched": label("en", "gd.sched.step"),
            "gd_ssize": "20",
            "gd_sgamma": "0.5",
            "gd_grad": label("en", "gd.grad.central"),
            "gd_h": "1e-06",
            "gd_tol": "0",  # the URL carries the key (issue 14)
        },
    )
    buttons = {b.proto.label: b.key for b in at.get("download_button")}
    assert buttons[tr("en", "app.download_csv")] == "gd_dl_csv"
    assert buttons[tr("en", "app.download_json")] == "gd_dl_json"
    assert len(seen) == 1 and seen[0][0] == "gradient-descent"
    rows = list(csv.DictReader(io.StringIO(table_csv(seen[0][1]["table"]))))
    doc = json.loads(data_json(seen[0][1]["data"]))

    # the same walks, computed here straight from core
    land = LANDSCAPES["bowl"]
    common = dict(lr=0.1, steps=150, gradient="central", h=1e-6, tol=0.0)
    step = dict(schedule="step", schedule_options={"gamma": 0.5, "step_size": 20})
    refs = {
        "gd": descend(land, land.start, optimizer="gd", **common, **step),
        "momentum": descend(land, land.start, optimizer="momentum", momentum=0.5, **common, **step),
        "adam": descend(land, land.start, optimizer="adam", **common, **step),
        "gd_constant": descend(land, land.start, optimizer="gd", **common),
    }
    assert [r["optimizer"] for r in rows] == [k for k, r in refs.items() for _ in r.losses]
    assert list(rows[0]) == ["optimizer", "step", "x", "y", "loss", "gx", "gy", "lr"]
    for k, ref in refs.items():
        mine = [r for r in rows if r["optimizer"] == k]
        n = ref.steps
        assert [int(r["step"]) for r in mine] == list(range(n + 1))
        steps = mine[:n]  # the rows that take a step

        def num(c, steps=steps):
            return np.array([float(r[c]) for r in steps])

        assert_allclose([float(r["x"]) for r in mine], ref.points[:, 0], rtol=1e-12)
        assert_allclose([float(r["y"]) for r in mine], ref.points[:, 1], rtol=1e-12)
        assert_allclose([float(r["loss"]) for r in mine], ref.losses, rtol=1e-12)
        assert_allclose(np.c_[num("gx"), num("gy")], ref.gradients, rtol=1e-12)
        assert_allclose(num("lr"), ref.learning_rates, rtol=1e-12)
        assert mine[-1]["gx"] == mine[-1]["gy"] == mine[-1]["lr"] == ""  # no step from the end
        # and by hand: L(x, y) of the bowl, its gradient, the step schedule
        x, y = num("x"), num("y")
        assert_allclose(num("loss"), land.loss(x, y), rtol=1e-12)
        gx, gy = land.gradient(x, y)
        assert_allclose(num("gx"), gx, atol=1e-7)
        assert_allclose(num("gy"), gy, atol=1e-7)
        sched = ("constant", {}) if k == "gd_constant" else ("step", step["schedule_options"])
        assert_allclose(num("lr"), learning_rates(sched[0], 0.1, n, **sched[1]), rtol=1e-12)
        if k.startswith("gd"):  # plain descent: p_{t+1} = p_t − η_t·g_t
            x1 = np.array([float(r["x"]) for r in mine[1:]])
            assert_allclose(x1, x - num("lr") * num("gx"), rtol=1e-12, atol=1e-15)

    assert {k: doc[k] for k in ("landscape", "formula", "lr", "steps", "tol", "gradient", "h")} == {
        "landscape": "bowl",
        "formula": None,
        "lr": 0.1,
        "steps": 150,
        "tol": 0.0,
        "gradient": "central",
        "h": 1e-6,
    }
    assert doc["schedule"] == "step"
    assert doc["schedule_options"] == {"gamma": 0.5, "step_size": 20}
    assert doc["start"] == list(land.start)
    assert [w["id"] for w in doc["walks"]] == list(refs)
    assert doc["walks"][1]["hyperparameters"] == {"momentum": 0.5}
    assert doc["walks"][2]["hyperparameters"] == {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
    assert doc["walks"][3]["schedule"] == "constant"
    for w, ref in zip(doc["walks"], refs.values(), strict=True):
        assert w["status"] == ref.status and w["steps"] == ref.steps
        assert_allclose(w["points"], ref.points, rtol=1e-12)
        assert_allclose(w["learning_rates"], ref.learning_rates, rtol=1e-12)


def test_a_shared_link_opens_the_lab():
    """The lab's open state is in the URL: a link with gd_lab=true opens it drawn."""
    at = open_page("gd", "en", {"gd_lab": "true"})
    assert any(s["layout"].get("xaxis", {}).get("type") == "log" for s in charts(at))
    closed = open_page("gd", "en", {"gd_lab": "nonsense"})  # a bad value: closed, no error
    assert not any(s["layout"].get("xaxis", {}).get("type") == "log" for s in charts(closed))


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_model_links_carry_keys_and_old_labels_still_open(lang):
    """Issue 14: the settings write keys (gd_land=rosenbrock), and a link written before
    (a translated label in either language) parses to the same key."""
    from ui.model.gd import GdSettings

    s = GdSettings.from_query(
        {"gd_land": [tr(lang, "gd.land.rosenbrock")], "gd_tol": [tr(lang, "gd.tol_never")],
         "gd_sched": [tr(lang, "gd.sched.cosine")], "gd_grad": [tr(lang, "gd.grad.central")]}
    )  # fmt: skip
    assert (s.land, s.tol, s.sched, s.grad) == ("rosenbrock", 0.0, "cosine", "central")
    q = s.to_query()
    assert q["gd_land"] == ["rosenbrock"] and q["gd_sched"] == ["cosine"]
    assert GdSettings.from_query(q) == s
    assert GdSettings().step == 0  # the page opens at step 0
    hostile = GdSettings.from_query({"gd_land": ["<script>"], "gd_step": ["-3"]})
    assert hostile == GdSettings()  # untrusted values fall back to the defaults


def test_lab_reading_on_a_hand_made_curve():
    """The lab's sentences come from the curve: its minimum, the article's h, the side."""
    from ui.model.gd import lab_reading

    hs = np.logspace(-16, -1, 16)  # 1e-16 … 1e-1, one per decade
    fwd = 1e-16 / hs + hs  # round-off + truncation: smallest at h = 1e-8
    r = lab_reading(hs, fwd, fwd * 0.5, loss=1.0, curvature=2.0)
    assert r.best_h_forward == pytest.approx(1e-8)
    assert r.article_side == "roundoff"
    assert r.article_err == pytest.approx(1e-6 + 1e-10)
    assert r.ratio == pytest.approx((1e-6 + 1e-10) / (2e-8))
    assert r.predicted_h == pytest.approx(2 * np.sqrt(np.finfo(float).eps / 2))


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_lab_ratio_reads_as_a_whole_number_from_the_curve(lang):
    """The lab's "… times the best" is the ratio of the curve drawn, written for a student
    ("390", never "3.9e02"), formatted by ui.fmt.times."""
    from core.landscapes import LANDSCAPES
    from ui.descent_lab import _lab_curve
    from ui.fmt import times
    from ui.model.gd import GdSettings

    s = GdSettings()
    x, y = LANDSCAPES[s.land].start
    r = _lab_curve(s.land, s.expr, s.span, float(x), float(y))[3]
    assert r.ratio >= 100  # the case the audit found: shown as 3.9e02 before
    at = open_page("gd", lang, {"gd_lab": "true"})
    side = tr(lang, f"gd.lab_side.{r.article_side}")
    read = tr(lang, "gd.lab_read", hf=fmt(r.best_h_forward, 2), ef=fmt(r.best_err_forward, 2),
              hc=fmt(r.best_h_central, 2), ec=fmt(r.best_err_central, 2),
              ea=fmt(r.article_err, 2), ratio=times(r.ratio), side=side)  # fmt: skip
    assert read in [m.value for m in at.markdown]
    assert times(r.ratio) == f"{round(r.ratio, -1):,.0f}"  # two significant digits: 390


def _inside_expanders(at) -> list[str]:
    """The text of everything drawn inside an expander (collapsed until clicked)."""
    out = []
    for box in at.expander:
        out += [e.value for e in box.markdown] + [e.value for e in box.caption]
    return out


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_forward_pass_note_is_shown(lang):
    """The article's 順伝播法 for slopes is numerical differentiation; the page says so,
    since elsewhere 順伝播 (a forward pass) means running the model."""
    at = open_page("gd", lang)
    assert tr(lang, "gd.forward_pass_note") in [c.value for c in at.caption]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_article_s_ideas_are_in_the_page_not_behind_expanders(lang):
    """The walker feeling the slope, the minus sign, the stride (learning rate) and strides
    that shrink are the article's ideas: shown in the page body, not in a collapsed
    expander a student has to find."""
    at = open_page("gd", lang)
    hidden = _inside_expanders(at)
    body = [m.value for m in at.markdown] + [c.value for c in at.caption]
    from ui.model.gd import STRIDE_TRY

    stride = {"lr": fmt(STRIDE_TRY), "limit": "1"}  # the bowl x² + y²: diverges above η = 1
    for key in ("gd.why_walker", "gd.why_minus", "gd.why_stride", "gd.why_decay"):
        text = tr(lang, key, **(stride if key == "gd.why_stride" else {}))
        assert text in body, key
        assert text not in hidden, key
    assert hidden  # the walk does reach the expanders' contents (settings, rules)


def test_stable_limit_is_two_over_the_largest_curvature():
    """By hand: on x² + y² a step maps x to (1 − 2η)·x, which grows once η > 1; on the
    ravine 0.1·x² + 4·y² the y curvature 8 limits η to 2/8."""
    from ui.model.gd import STRIDE_LAND, STRIDE_TRY, stable_limit

    assert stable_limit("bowl") == pytest.approx(1.0, abs=1e-6)
    assert stable_limit("ravine") == pytest.approx(0.25, abs=1e-6)
    assert stable_limit(STRIDE_LAND) < STRIDE_TRY  # the suggested stride does diverge
    land = LANDSCAPES[STRIDE_LAND]
    tr_ = descend(land, land.start, optimizer="gd", lr=STRIDE_TRY, steps=60)
    assert tr_.status == "diverged" or tr_.losses[-1] > tr_.losses[0]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_backprop_cost_sentence_uses_the_same_constant_as_its_ratio(lang):
    from ui.model.gd import BACKPROP_EVALS

    at = open_page("gd", lang, {"gd_lab": "true"})  # the cost sits in the opened lab
    body = texts(at)
    assert f"**{BACKPROP_EVALS}**" in body
    assert "**3**" in tr(lang, "gd.cost_text", fwd="a", cen="b", backprop=3, ratio="c", time="d")


def test_h_choices_are_written_as_powers_of_ten():
    """The step h of the numerical gradient is chosen as the text writes it (10⁻⁸), not
    in a programmer's notation (1e-08); the URL keeps the number."""
    from ui.model.gd import H_OPTIONS

    at = open_page("gd", "en", {"gd_h": "1e-08"})
    slider = at.select_slider(key="gd_h")
    digits = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
    want = [f"10⁻{str(round(-np.log10(h))).translate(digits)}" for h in H_OPTIONS]
    assert list(slider.options) == want
    assert slider.value == 1e-08


def test_lab_labels_the_current_h_as_a_power_of_ten():
    """The differentiation lab's line for the h in use says h = 10⁻⁶, as the text does."""
    at = open_page("gd", "en", {"gd_lab": "true", "gd_h": "1e-06"})
    lab = next(s for s in charts(at) if s["layout"].get("xaxis", {}).get("type") == "log")
    notes = [a["text"] for a in lab["layout"]["annotations"]]
    assert "h = 10⁻⁶" in notes and not any("e-0" in n for n in notes)
