"""AppTest of the attention page: both languages, every step, every switch, an edited
weight cell, 1-4 heads, hostile and empty input, bad URL values."""

from __future__ import annotations

import json

import numpy as np
import pytest

from core.attention import attention_steps
from core.embeddings import DEFAULT_TEXT, embed, preset_weights, tokenize
from tests.app.helpers import charts as sent_charts
from tests.app.helpers import figure_key, open_page, texts
from ui.fmt import sci
from ui.i18n import tr
from viz.attention import labels

KATEX_USED = {
    "begin",
    "end",
    "vdots",
    "in",
    "times",
    "quad",
    "qquad",
    "top",
    "cdot",
    "sum",
    "frac",
    "sqrt",
    "text",
    "infty",
    "le",
    "tau",
    "operatorname",
    "dots",
}
HOSTILE = (
    "<img src=x onerror=alert(1)>",
    '<iframe srcdoc="<script>parent.alert(1)</script>">',
)


OPEN_ALL = {"att_views_open": "true", "att_heads_open": "true", "att_order_open": "true"}


def charts(at) -> dict[str, str]:
    """Plotly specs keyed by the widget key at the end of the element id."""
    return {c.key: c.spec for c in sent_charts(at)}


def cell_texts(spec: str) -> list[str]:
    """Every number written in the cells of a heatmap spec."""
    return [v for tr_ in json.loads(spec)["data"] for row in tr_.get("text") or [] for v in row]


def token_table(at):
    for df in at.dataframe:
        v = df.value
        if hasattr(v, "columns") and len(v.columns) > 3 and v.columns[0] == "#":
            return v
    raise AssertionError("no token table")


def softmax_table(at, lang="en"):
    col = tr(lang, "att.col_share")
    for df in at.dataframe:
        v = df.value
        if hasattr(v, "columns") and col in v.columns:
            return v
    raise AssertionError("no softmax table")


def go_step(at, step: int):
    at.number_input(key="att_step").set_value(step).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_page_loads_in_both_languages(lang):
    at = open_page("att", lang)
    body = texts(at)
    assert tr(lang, "att.title") in body
    step1 = tr(lang, "att.step_title", n=1, name=tr(lang, "att.s1_name"))
    assert step1 in body and tr(lang, "att.h_heads") in body  # the calculation comes first
    assert at.text_input(key="att_text").value == DEFAULT_TEXT[lang]
    toks = list(token_table(at)[tr(lang, "att.col_token")])
    assert toks == list(tokenize(DEFAULT_TEXT[lang]).tokens)
    other = "en" if lang == "ja" else "ja"
    assert tr(other, "att.h_tokens") not in body
    assert "⟦" not in body  # no missing translation
    assert len(at.latex) == 1  # the formula of step 1


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_step_renders_its_panel(lang):
    at = open_page("att", lang)
    for step in range(1, 9):
        go_step(at, step)
        names = [s.value for s in at.subheader]
        assert tr(lang, "att.step_title", n=step, name=tr(lang, f"att.s{step}_name")) in names
        assert f"att_fig{step}" in "".join(charts(at)), charts(at).keys()
        assert at.get("download_button")[0].key == f"att_dl{step}"
        # every LaTeX command is a known one (no "\\quady" from glued strings)
        import re

        for cmd in re.findall(r"\\([A-Za-z]+)", at.latex[0].value):
            assert cmd in KATEX_USED, cmd
    go_step(at, 5)
    assert "−∞" in cell_texts(charts(at)["att_fig5"])  # the mask is shown as −∞


def test_step_number_moves_and_stops_at_the_ends():
    """The step is a value with − / + (fast clicks are counted by the browser, not merged
    by the server): it moves one step per press and stays within 1-8."""
    at = open_page("att", "en")
    box = at.number_input(key="att_step")
    assert (box.value, box.min, box.max, box.step) == (1, 1, 8, 1)
    box.increment().run()
    assert at.number_input(key="att_step").value == 2
    at.number_input(key="att_step").decrement().run()
    at.number_input(key="att_step").decrement().run()
    assert at.number_input(key="att_step").value == 1
    go_step(at, 8)
    at.number_input(key="att_step").increment().run()
    assert at.number_input(key="att_step").value == 8
    assert not at.exception


def test_softmax_row_is_written_out_and_coffee_attends_to_milk_and_mix():
    at = go_step(open_page("att", "en"), 6)
    tab = softmax_table(at)
    shares = np.array([float(v) for v in tab[tr("en", "att.col_share")]])
    assert shares.sum() == pytest.approx(1.0, abs=5e-4)
    keys = list(tab[tr("en", "att.col_key")])
    top = {keys[i] for i in np.argsort(shares)[-2:]}
    assert top == {"3 milk", "5 mixed"}
    # the page shows the same numbers as core
    e = embed(tokenize(DEFAULT_TEXT["en"]).tokens)
    w = preset_weights("meaningful", 1)
    ref = attention_steps(e.X, w.Wq, w.Wk, w.Wv).weights[-1]
    np.testing.assert_allclose(shares, ref, atol=5e-5)


def test_causal_toggle_opens_the_future():
    at = go_step(open_page("att", "en", {"att_query": "1  I"}), 6)
    shares = [float(v) for v in softmax_table(at)[tr("en", "att.col_share")]]
    assert shares[0] == 1.0 and all(s == 0.0 for s in shares[1:])  # first token: only itself
    at.toggle(key="att_causal").set_value(False).run()
    shares = [float(v) for v in softmax_table(at)[tr("en", "att.col_share")]]
    assert all(s > 0 for s in shares)
    go_step(at, 5)
    assert tr("en", "att.mask_off") in texts(at)
    assert "−∞" not in cell_texts(charts(at)["att_fig5"])


def test_scale_toggle_changes_the_formula_and_the_numbers():
    at = go_step(open_page("att", "en"), 4)
    assert "2.449" in at.latex[0].value  # √6
    at.toggle(key="att_scale").set_value(False).run()
    assert "no scaling" in at.latex[0].value
    assert tr("en", "att.scale_off") in [i.value for i in at.info]
    assert "≈ 2.449" in texts(at)  # the text still names √6, not the switched-off 1
    go_step(at, 6)
    sharp = max(float(v) for v in softmax_table(at)[tr("en", "att.col_share")])
    at.toggle(key="att_scale").set_value(True).run()
    soft = max(float(v) for v in softmax_table(at)[tr("en", "att.col_share")])
    assert sharp > soft  # unscaled scores are larger, the softmax sharper


def test_temperature_sharpens_the_weights():
    at = go_step(open_page("att", "en"), 6)
    base = max(float(v) for v in softmax_table(at)[tr("en", "att.col_share")])
    at.slider(key="att_temp").set_value(0.2).run()
    cold = max(float(v) for v in softmax_table(at)[tr("en", "att.col_share")])
    at.slider(key="att_temp").set_value(5.0).run()
    hot = max(float(v) for v in softmax_table(at)[tr("en", "att.col_share")])
    assert hot < base < cold
    assert "0.2" in at.latex[0].value or "5" in at.latex[0].value


def test_temperature_move_redraws_everything_that_depends_on_it():
    """The temperature lives in a fragment with the steps, views, heads and download: a
    move must redraw every one of them that is open (and leave the slider drawn once, in
    place)."""
    from core.attention import transformer_block

    at = open_page("att", "en", OPEN_ALL | {"att_concat_open": "true"})  # concat too
    before = charts(at)
    at.slider(key="att_temp").set_value(0.3).run()
    assert not at.exception
    after = charts(at)
    assert set(after) == set(before)
    for k in ("att_lines", "att_pca", "att_heads_fig", "att_concat", "att_attn_out"):
        assert after[k] != before[k], k
    assert after["att_fig1"] == before["att_fig1"]  # X does not depend on the temperature
    assert [s.key for s in at.slider].count("att_temp") == 1
    e = embed(tokenize(DEFAULT_TEXT["en"]).tokens)
    w = preset_weights("meaningful", 1)
    b = transformer_block(e.X, w.Wq, w.Wk, w.Wv, w.Wo, w.W1, w.b1, w.W2, w.b2, n_heads=1,
                          temperature=0.3)  # fmt: skip
    keys = json.loads(after["att_lines"])["data"][-1]["text"]  # "milk  0.93" at each key
    shown = [float(k.rsplit(" ", 1)[-1]) for k in keys]
    np.testing.assert_allclose(shown, b.heads[0].weights[-1], atol=5e-3)
    assert cell_texts(after["att_heads_fig"]) == [
        f"{v:.2f}" if f"{v:.2f}".strip("0.") else "0" for v in b.heads[0].weights.ravel()
    ]
    go_step(at, 6)  # the steps follow too, and keep following
    assert "0.3" in at.latex[0].value
    at.slider(key="att_temp").set_value(2.0).run()
    assert "2" in at.latex[0].value and not at.exception


def test_edited_weight_cell_changes_every_later_step():
    at = go_step(open_page("att", "en"), 6)
    before = list(softmax_table(at)[tr("en", "att.col_share")])
    at.button_group(key="att_mat").set_value("Wk").run()
    editor = "att_ed_meaningfulh1_Wk_0"
    col = tr("en", "att.dim_dairy")
    # Wk[grammar, dairy] = 5: function words now offer "dairy", which coffee asks for
    at.session_state[editor] = {
        "edited_rows": {5: {col: 5.0}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception
    after = [float(v) for v in softmax_table(at)[tr("en", "att.col_share")]]
    assert after != [float(v) for v in before]
    assert after[3] > float(before[3])  # "and" (grammar 1) now draws coffee's attention
    go_step(at, 3)  # the scores (an earlier step than 6) changed too
    e = embed(tokenize(DEFAULT_TEXT["en"]).tokens)
    w = preset_weights("meaningful", 1)
    Wk = w.Wk.copy()
    Wk[5, 1] = 5.0
    expected = attention_steps(e.X, w.Wq, Wk, w.Wv).scores
    got = cell_texts(charts(at)["att_fig3"])
    assert got == [
        f"{v:.2f}".replace("-", "−") if f"{v:.2f}".strip("-0.") else "0" for v in expected.ravel()
    ]
    go_step(at, 6)
    assert tr("en", "att.edit_count", n=1) in [c.value for c in at.caption]
    at.button_group(key="att_mat").set_value("Wq").run()  # the edit survives a switch
    assert [float(v) for v in softmax_table(at)[tr("en", "att.col_share")]] == after
    assert tr("en", "att.edit_count", n=1) in [c.value for c in at.caption]
    # the JSON download carries the edited value
    at.button(key="att_reset").click().run()
    assert list(softmax_table(at)[tr("en", "att.col_share")]) == before
    assert tr("en", "att.edit_count", n=0) in [c.value for c in at.caption]


def test_invalid_edit_keeps_the_preset_value():
    at = open_page("att", "ja")
    col = tr("ja", "att.dim_drink")
    at.button_group(key="att_mat").set_value("Wk").run()
    at.session_state["att_ed_meaningfulh1_Wk_0"] = {
        "edited_rows": {1: {col: None}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception
    assert tr("ja", "att.edit_invalid") in [w.value for w in at.warning]


def test_closed_details_are_not_drawn():
    """The concatenated heads and the FFN's hidden units sit in closed expanders by
    default: they are drawn only once opened (a temperature move redraws less), and the
    open state is part of the link."""
    at = open_page("att", "en", {"att_step": "8"})
    assert "att_concat" not in charts(at) and "att_fig8f" not in charts(at)
    at = open_page("att", "en", {"att_step": "8", "att_heads_open": "true"})
    assert "att_concat" not in charts(at)  # the heads are open, their concatenation not
    at = open_page(
        "att",
        "en",
        {"att_step": "8", "att_heads_open": "true", "att_concat_open": "true",
         "att_ffn_open": "true"},
    )  # fmt: skip
    shown = charts(at)
    assert "att_concat" in shown and "att_fig8f" in shown
    assert [e.label for e in at.expander if e.label.startswith(tr("en", "att.ffn_details"))]


@pytest.mark.parametrize("heads", [1, 2, 3, 4])
def test_one_to_four_heads(heads):
    at = open_page("att", "en", {"att_heads": str(heads), "att_heads_open": "true",
                                 "att_concat_open": "true"})  # fmt: skip
    assert at.button_group(key="att_heads").value == heads
    spec = json.loads(charts(at)["att_heads_fig"])
    assert sum(tr["type"] == "heatmap" for tr in spec["data"]) == heads
    concat = json.loads(charts(at)["att_concat"])
    assert len(concat["layout"]["xaxis"]["ticktext"]) == 6 * heads
    if heads > 1:
        at.button_group(key="att_head").set_value(heads).run()
        assert not at.exception
        assert tr("en", "att.edit_title", h=heads) in [e.label for e in at.expander]
        at.button_group(key="att_heads").set_value(1).run()  # shown head disappears
        assert not at.exception


@pytest.mark.parametrize("preset", ["random", "identity"])
def test_other_presets(preset):
    at = open_page("att", "en")
    at.button_group(key="att_preset").set_value(preset).run()
    assert not at.exception
    if preset == "random":
        at.number_input(key="att_seed").set_value(7).run()
        assert not at.exception


@pytest.mark.parametrize("text", (*HOSTILE, "👩\u200d👩\u200d👧 coffee とミルク Привет"))
def test_hostile_and_unusual_text_is_shown_as_text(text):
    at = open_page("att", "en")
    at.text_input(key="att_text").set_value(text).run()
    assert not at.exception
    toks = list(token_table(at)[tr("en", "att.col_token")])
    assert toks == list(tokenize(text).tokens)
    for spec in charts(at).values():
        assert "<img" not in spec and "<script" not in spec and "<iframe" not in spec
    assert all("<img" not in m.value and "<script" not in m.value for m in at.markdown)


def test_plotly_labels_escape_markup():
    assert labels(["<b>x</b>", "a&b"]) == ["1 &lt;b&gt;x&lt;/b&gt;", "2 a&amp;b"]
    at = open_page("att", "en")
    at.text_input(key="att_text").set_value("coffee < milk > mix").run()
    spec = charts(at)["att_fig1"]
    assert "&lt;" in spec and "&gt;" in spec


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("text", ["", "   "])
def test_empty_input_gives_a_translated_message(lang, text):
    at = open_page("att", lang)
    at.text_input(key="att_text").set_value(text).run()
    assert not at.exception
    assert tr(lang, "att.err.empty") in [e.value for e in at.error]  # ui.layout.show_error


def test_long_text_is_cut_with_a_note():
    at = open_page("att", "en", {"att_text": " ".join(["milk"] * 30)})
    assert tr("en", "att.truncated", n=30, max=16) in texts(at)
    assert len(token_table(at)) == 16


def test_bad_url_values_fall_back():
    params = {
        "att_heads": "9",
        "att_step": "99",
        "att_temp": "abc",
        "att_preset": "evil",
        "att_query": "999",
        "att_seed": "-5",
        "att_causal": "maybe",
        "att_all": "x",
    }
    at = open_page("att", "ja", params)
    assert at.button_group(key="att_heads").value == 1
    assert at.number_input(key="att_step").value == 1
    assert at.slider(key="att_temp").value == 1.0
    assert at.toggle(key="att_causal").value is True


def test_url_state_is_restored():
    at = open_page(
        "att", "en", {"att_step": "5", "att_causal": "false", "att_temp": "2.5", "att_heads": "2"}
    )
    assert at.number_input(key="att_step").value == 5
    assert at.toggle(key="att_causal").value is False
    assert at.slider(key="att_temp").value == 2.5
    assert tr("en", "att.mask_off") in texts(at)


def test_show_all_steps():
    at = open_page("att", "en")
    at.toggle(key="att_all").set_value(True).run()
    assert not at.exception
    assert len(at.latex) == 8
    assert len(at.get("download_button")) == 9  # 8 CSVs + JSON


def test_downloads_are_complete_and_formula_safe():
    from ui.attention import compute
    from ui.attention_export import to_csv, to_json

    res = compute("=cmd|' /C calc'!A0 milk coffee", "en", "meaningful", 0, 2, True, True, 1.0, ())
    csv_text = to_csv({"X": res.emb.X}, res.tok.tokens)
    assert "\n=" not in csv_text  # no cell starts a spreadsheet formula
    doc = json.loads(to_json(res, {"heads": 2}))
    assert len(doc["heads"]) == 2
    assert doc["heads"][0]["masked"][0][1] is None  # −∞ as null
    np.testing.assert_allclose(doc["block_output"], res.block.output)


def _norm(x):
    """JSON without empty containers (validation drops them; they mean nothing)."""
    if isinstance(x, dict):
        return {k: _norm(v) for k, v in x.items() if v not in ([], {})}
    if isinstance(x, list):
        return [_norm(v) for v in x]
    return x


def test_every_figure_is_valid_plotly():
    """viz skips plotly's validation for speed: validate every builder's output here."""
    import plotly.graph_objects as go
    import plotly.io as pio

    from core.attention import pca_2d, transformer_block
    from viz import attention as va

    tok = tokenize("<b>x</b> ミルクを混ぜたコーヒー and coffee").tokens
    e = embed(tok)
    for H in (1, 2, 3, 4):
        w = preset_weights("meaningful", H)
        b = transformer_block(e.X, w.Wq, w.Wk, w.Wv, w.Wo, w.W1, w.b1, w.W2, w.b2, n_heads=H)
        lab = va.labels(tok)
        P = pca_2d(np.vstack([e.X, b.residual, e.X[:1]])).coords
        T = len(tok)
        figs = [
            va.matrix_heatmap(
                b.heads[0].masked,
                lab,
                lab,
                kind="diverging",
                title="t",
                x_title="k",
                y_title="q",
                highlight_row=1,
            ),
            va.matrix_heatmap(b.heads[0].weights, lab, lab, kind="weights"),
            va.line_view(
                tok, b.heads[0].weights, T - 1, title="t", left_title="q", right_title="k"
            ),
            va.heads_grid(
                np.stack([h.weights for h in b.heads]), tok, [f"<i>{h}</i>" for h in range(H)]
            ),
            va.projection_view(
                P[:T],
                P[T : 2 * T],
                tok,
                P[-1],
                "<b>ref</b>",
                highlight=0,
                before_name="b",
                after_name="a",
                x_title="x",
                y_title="y",
            ),
        ]
        for f in figs:
            spec = f.to_plotly_json()
            checked = go.Figure(spec)  # raises on any invalid property
            # what ui.figure sends (as st.plotly_chart does) is what plotly's own dict gives
            own = go.Figure.to_dict(f)
            assert json.loads(pio.to_json(f.to_dict(), validate=False)) == json.loads(
                pio.to_json(own, validate=False)
            )
            # and means the same: no magic-underscore or other shorthand that only
            # validation would expand
            assert _norm(json.loads(checked.to_json())) == _norm(json.loads(f.to_json()))
            assert spec["layout"]["template"]["layout"]["font"]["family"]
            text = json.dumps(spec, default=str)
            assert "<b>" not in text and "<i>" not in text


def test_language_switch_swaps_the_example_but_keeps_own_text():
    at = open_page("att", "en")
    at.sidebar.button_group(key="lang").set_value("ja").run()
    assert not at.exception
    assert at.text_input(key="att_text").value == DEFAULT_TEXT["ja"]
    assert tr("ja", "att.h_tokens") in texts(at)
    at.text_input(key="att_text").set_value("coffee with milk").run()
    at.sidebar.button_group(key="lang").set_value("en").run()
    assert at.text_input(key="att_text").value == "coffee with milk"
    assert not at.exception


# ── issue 13 (lesson) and 14 (state as data) ────────────────────────────────────────────


def _order(at):
    """Element ids in page order (figures by key, widgets by key)."""
    out = []

    def walk(node):
        key = getattr(node, "key", None)
        if key:
            out.append(key)
        elif getattr(node, "type", "") == "bidi_component":  # a figure (ui/figure.py)
            out.append(figure_key(node.proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return out


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_calculation_comes_before_its_controls(lang):
    """The first screen (also projected) shows the step and its figure, not only controls:
    the step navigator and figure come before the preset, heads and toggles."""
    at = open_page("att", lang, {"present": "1"})
    order = _order(at)
    assert order.index("att_fig1") < order.index("att_text") < order.index("att_preset")
    assert order.index("att_preset") < order.index("att_causal")
    assert order.index("att_step") < order.index("att_fig1")
    # the sentence that says what to do stays in the presenter view, beside the navigator
    assert tr(lang, "att.do_steps") in [m.value for m in at.markdown]


def test_only_the_current_step_is_drawn():
    at = open_page("att", "en")
    figs = [k for k in charts(at) if k.startswith("att_fig")]
    assert figs == ["att_fig1"]
    go_step(at, 6)
    assert [k for k in charts(at) if k.startswith("att_fig")] == ["att_fig6"]


def test_softmax_table_shows_the_cores_exponentials():
    at = go_step(open_page("att", "en", {"att_query": "8"}), 6)
    tok = tokenize(DEFAULT_TEXT["en"])
    X = embed(tok.tokens).X
    w = preset_weights("meaningful", 1)
    s = attention_steps(X, w.Wq, w.Wk, w.Wv)
    df = softmax_table(at)
    np.testing.assert_allclose(
        [float(v) for v in df[tr("en", "att.col_exp")]], s.exps[8], atol=5e-5
    )
    # independent: e^(x − max) over the visible scores of row 8, by hand
    row = s.scaled[8, :9]
    np.testing.assert_allclose(s.exps[8, :9], np.exp(row - row.max()))


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_word_order_section_states_what_the_arrays_show(lang):
    from core.attention import order_effect

    at = open_page("att", lang)
    tok = tokenize(DEFAULT_TEXT[lang])
    X = embed(tok.tokens).X
    w = preset_weights("meaningful", 1)
    eff = order_effect(X, w.Wq, w.Wk, w.Wv, w.Wo, n_heads=1)
    T = len(tok.tokens)
    changed = int(np.sum(eff.moved_masked > 1e-9))
    assert 0 < changed <= T and np.max(eff.moved_unmasked) < 1e-12
    same = sci(float(np.max(eff.moved_unmasked)), 2)  # "1.1 × 10⁻¹⁶", or "0"
    want = tr(lang, "att.order_text", same=same, changed=changed, n=T)
    assert want in texts(at)  # the lesson is on the page, the table behind its opener
    assert not [d for d in at.dataframe if tr(lang, "att.order_col_masked") in d.value.columns]
    at = open_page("att", lang, {"att_order_open": "true"})
    assert want in texts(at)
    table = next(
        d.value for d in at.dataframe if tr(lang, "att.order_col_masked") in d.value.columns
    )
    assert list(table[tr(lang, "att.order_col_was")]) == list(range(T, 0, -1))


def test_url_carries_keys_and_old_label_links_still_work():
    from ui.model.att import AttSettings, legacy_query

    s = AttSettings.from_query({"att_preset": ["ランダム"], "att_mat": ["W_V (value)"]})
    assert s.preset == "random"
    assert AttSettings(preset="random", step=6, query=2).to_query() == {
        "att_preset": ["random"],
        "att_query": ["2"],
        "att_step": ["6"],
    }
    assert legacy_query("3  milk") == "2" and legacy_query("3") is None
    at = open_page("att", "en", {"att_query": "2  put", "att_preset": "Random"})
    assert at.selectbox(key="att_query").value == 1
    assert at.button_group(key="att_preset").value == "random"


# ── issue 16: the sections below the settings are drawn once opened ──────────────────────


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_sections_are_drawn_only_once_opened(lang):
    """The views, the heads and the word-order table are drawn only once the student
    opens them (a temperature move then redraws only the step), while each section's
    heading and lesson stay on the page next to its opener; opened, they show the
    core's numbers, also after a temperature move; the open state is part of the link."""
    from core.attention import order_effect, transformer_block

    at = open_page("att", lang)
    body = texts(at)
    for k in ("att.h_views", "att.h_heads", "att.h_order", "att.order_gpt"):
        assert tr(lang, k) in body, k
    assert tr(lang, "att.heads_text", n=1, width=6) in body
    assert sorted(charts(at)) == ["att_fig1"]  # the step's figure, nothing below
    assert not [d for d in at.dataframe if tr(lang, "att.order_col_masked") in d.value.columns]
    openers = [e for e in at.expander if e.key in OPEN_ALL]
    assert len(openers) == 3 and not any(e.proto.expanded for e in openers)
    at.slider(key="att_temp").set_value(0.5).run()  # a move keeps them closed
    assert not at.exception and sorted(charts(at)) == ["att_fig1"]

    at = open_page("att", lang, OPEN_ALL | {"att_temp": "0.5", "att_heads": "2"})
    shown = charts(at)
    assert {"att_lines", "att_pca", "att_heads_fig", "att_attn_out"} <= set(shown)
    assert "att_concat" not in shown  # still behind its own opener
    e = embed(tokenize(DEFAULT_TEXT[lang]).tokens)
    w = preset_weights("meaningful", 2)
    b = transformer_block(e.X, w.Wq, w.Wk, w.Wv, w.Wo, w.W1, w.b1, w.W2, w.b2, n_heads=2,
                          temperature=0.5)  # fmt: skip
    keys = json.loads(shown["att_lines"])["data"][-1]["text"]  # the last token's weights
    np.testing.assert_allclose([float(k.rsplit(" ", 1)[-1]) for k in keys],
                               b.heads[0].weights[-1], atol=5e-3)  # fmt: skip
    grid = json.loads(shown["att_heads_fig"])["data"]
    assert sum(tr_["type"] == "heatmap" for tr_ in grid) == 2
    assert cell_texts(shown["att_heads_fig"]) == [
        f"{v:.2f}" if f"{v:.2f}".strip("0.") else "0" for h in b.heads for v in h.weights.ravel()
    ]
    out = [float(v) for v in cell_texts(shown["att_attn_out"])]  # concat · W_O, written
    np.testing.assert_allclose(out, b.attn_out.ravel(), atol=5e-3)
    eff = order_effect(e.X, w.Wq, w.Wk, w.Wv, w.Wo, n_heads=2, temperature=0.5)
    table = next(
        d.value for d in at.dataframe if tr(lang, "att.order_col_masked") in d.value.columns
    )
    assert list(table[tr(lang, "att.order_col_was")]) == [i + 1 for i in eff.perm]
    assert list(table[tr(lang, "att.order_col_masked")]) == [f"{v:.3f}" for v in eff.moved_masked]
    before = charts(at)
    at.slider(key="att_temp").set_value(2.0).run()  # opened: they follow the temperature
    after = charts(at)
    assert not at.exception and after["att_fig1"] == before["att_fig1"]
    for k in ("att_lines", "att_pca", "att_heads_fig", "att_attn_out"):
        assert after[k] != before[k], k
