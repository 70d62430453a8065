"""Helpers of the scale page: number formatting in both languages, formulas with the
actual numbers, presets (including this project's tiny GPT), and the URL-bound controls.

The formatting functions are pure (they take the language) so that tests can check them.
"""

from __future__ import annotations

import dataclasses
import math
import pathlib
from collections.abc import Mapping

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from core.scale import (
    ACCELERATORS,
    BRAIN,
    BYTES,
    HOUSEHOLD_KWH,
    KNOWN_MODELS,
    KnownModel,
    ModelShape,
    Part,
    ScaleError,
    Term,
    checkpoint_model,
    count_parameters,
    kv_cache_bytes,
    read_gpt_checkpoint,
    training_cost,
    weight_bytes,
)
from ui import layout
from ui import widgets as w
from ui.fmt import count, duration, energy, households, nbytes, power, power_of_ten, sci, sig
from ui.i18n import lang, t
from ui.layout import downloads, explain, plot
from ui.model.scale import DEFAULT_MODEL, MLPS, NORMS, ScaleSettings
from viz.scale import Item, comparison_figure

ROOT = pathlib.Path(__file__).resolve().parent.parent
TINY_PATH = ROOT / "assets" / "tiny_gpt.npz"

# ── formulas with the actual numbers ─────────────────────────────────────────────────


def _term(term: Term, sym: Mapping[str, int], numbers: bool) -> str:
    parts = [str(sym[f]) if numbers else f for f in term.factors]
    if term.coeff != 1 or not parts:
        parts.insert(0, str(term.coeff))
    return ("×" if numbers else "·").join(parts)


def formula(part: Part, shape: ModelShape, *, numbers: bool) -> str:
    """``L·(d·h·d_h + h·d_h)`` or, with numbers, ``12×(768×12×64 + 12×64)``."""
    sym = shape.symbols()
    out = []
    if part.layer_terms:
        inner = " + ".join(_term(x, sym, numbers) for x in part.layer_terms)
        if len(part.layer_terms) > 1:
            inner = f"({inner})"
        out.append(f"{sym['L'] if numbers else 'L'}{'×' if numbers else '·'}{inner}")
    out += [_term(x, sym, numbers) for x in part.terms]
    return " + ".join(out) if out else "0"


# ── presets ──────────────────────────────────────────────────────────────────────────


@st.cache_data(max_entries=4, show_spinner=False)
def _tiny(path: str, mtime: float) -> tuple[KnownModel | None, str, dict[str, object]]:
    try:
        ck = read_gpt_checkpoint(path)
    except ScaleError as exc:
        return None, exc.code, dict(exc.info)
    return checkpoint_model(ck, source="assets/tiny_gpt.npz"), "", {}


def tiny_model() -> tuple[KnownModel | None, str, dict[str, object]]:
    """This project's tiny GPT as a preset, or (None, error code, info)."""
    mtime = TINY_PATH.stat().st_mtime if TINY_PATH.is_file() else 0.0
    return _tiny(str(TINY_PATH), mtime)


def presets() -> dict[str, KnownModel]:
    tiny, _, _ = tiny_model()
    out = {"tiny": tiny} if tiny else {}
    return out | dict(KNOWN_MODELS)


def model_label(m: KnownModel) -> str:
    return "Tiny GPT" if m.key == "tiny" else m.name


def default_tokens(m: KnownModel) -> int:
    """Published training tokens, else the compute-optimal 20 tokens per parameter."""
    return m.tokens or 20 * count_parameters(m.shape)["total"]


# Widget keys of the shape, and the preset value each one starts from.
def preset_values(m: KnownModel) -> dict[str, object]:
    s = m.shape
    return {
        "scale_vocab": s.vocab_size,
        "scale_nctx": s.n_ctx,
        "scale_d": s.d_model,
        "scale_layers": s.n_layers,
        "scale_heads": s.n_heads,
        "scale_kv": 0 if s.n_kv_heads is None else s.n_kv_heads,
        "scale_byratio": False,
        "scale_dff": s.d_ff,
        "scale_ffratio": round(s.d_ff / s.d_model, 4),
        "scale_mlp": s.mlp,
        "scale_norm": s.norm,
        "scale_tied": s.tied_embeddings,
        "scale_learnedpos": s.learned_positions,
        "scale_bias": s.bias,
        "scale_tokens": default_tokens(m),
        "scale_kvctx": s.n_ctx,
    }


DEFAULT_CHIPS = 2048  # when the number of accelerators is not published


def hardware_values(m: KnownModel) -> dict[str, object]:
    """Widget keys of the compute controls and the value each starts from for ``m``:
    the published hardware when known (Llama 3.1: 16,384 H100 at 40 %), else A100s."""
    a = ACCELERATORS[m.accelerator or "a100"]
    return {
        "scale_acc": a.key,
        "scale_tflops": a.peak_tflops,
        "scale_watts": a.watts,
        "scale_chips": m.n_accelerators or DEFAULT_CHIPS,
        "scale_util": round(100 * m.utilisation) if m.utilisation else 40,
    }


def _apply_preset() -> None:
    """Preset callback: move every shape and hardware control to the chosen model."""
    m = presets().get(st.session_state.get("scale_model"))
    if m is not None:
        # whole-number controls are float widgets (see count_input)
        values = preset_values(m) | hardware_values(m)
        values["scale_chips"] = float(values["scale_chips"])
        st.session_state.update(
            {k: float(v) if type(v) is int and k != "scale_util" else v for k, v in values.items()}
        )


def _apply_accelerator() -> None:
    a = ACCELERATORS.get(st.session_state.get("scale_acc"))
    if a is not None:
        st.session_state["scale_tflops"] = a.peak_tflops
        st.session_state["scale_watts"] = a.watts


def choose_preset() -> KnownModel:
    models = presets()
    key = w.control(
        ScaleSettings,
        "model",
        t("scale.preset"),
        options=list(models),
        labels={k: model_label(m) for k, m in models.items()},
        on_change=_apply_preset,
    )
    return models.get(key, models[DEFAULT_MODEL])


def whole(value: object, field: str) -> int:
    """A widget value as an int, or ScaleError for NaN/infinite/fractional values (a URL
    can carry ``1e400``)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ScaleError("not_number", field=field, value=value)
    if value != int(value):
        raise ScaleError("not_integer", field=field, value=value)
    return int(value)


def real(value: object, field: str) -> float:
    """A widget value as a finite float, or ScaleError."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ScaleError("not_number", field=field, value=value)
    return float(value)


def count_input(
    key: str,
    field: str,
    defaults: Mapping[str, object],
    where: object,
    help_key: str | None = None,
    *,
    value: float | None = None,
    max_value: float | None = None,
) -> float:
    """A whole-number control, kept as a *float* widget shown without decimals.

    Streamlit 1.67 crashes while seeding an int number_input from a URL such as
    ``?scale_d=1e400`` (OverflowError in its deserializer); a float widget falls back to
    the default instead. :func:`whole` turns the value into an int (or a message).
    """
    default = defaults[key] if value is None else value
    return w.number(
        key,
        t(f"scale.field.{field}"),
        0.0,
        max_value,
        float(default),
        1.0,
        where=where,
        format="%.0f",
        help=t(f"scale.help.{help_key}") if help_key else None,
    )


def shape_controls(m: KnownModel) -> ModelShape:
    """The calculator's controls (defaults = the preset); raises ScaleError if the shape
    they describe is impossible."""
    d = preset_values(m)
    c = st.columns(4)
    vocab = count_input("scale_vocab", "vocab_size", d, c[0], "vocab")
    nctx = count_input("scale_nctx", "n_ctx", d, c[1], "n_ctx")
    dm = count_input("scale_d", "d_model", d, c[2], "d_model")
    layers = count_input("scale_layers", "n_layers", d, c[3], "n_layers")
    c = st.columns(4)
    heads = count_input("scale_heads", "n_heads", d, c[0], "n_heads")
    kv = count_input("scale_kv", "n_kv_heads", d, c[1], "n_kv_heads")
    with c[3]:
        st.space("small")  # aligns the toggle with the inputs' boxes
        by_ratio = w.toggle("scale_byratio", t("scale.field.ff_by_ratio"), False)
    if by_ratio:
        ratio = w.number(
            "scale_ffratio",
            t("scale.field.ff_ratio"),
            0.0,
            1000.0,
            float(d["scale_ffratio"]),
            0.25,
            where=c[2],
            format="%.4g",
        )
        dff = round(real(ratio, "ff_ratio") * whole(dm, "d_model"))
    else:
        dff = count_input("scale_dff", "d_ff", d, c[2], "d_ff")
    c = st.columns(2)
    mlp = w.control(
        ScaleSettings,
        "mlp",
        t("scale.field.mlp"),
        value=d["scale_mlp"],
        labels=MLPS,
        kind="segmented",
        where=c[0],
    )
    norm = w.control(
        ScaleSettings,
        "norm",
        t("scale.field.norm"),
        value=d["scale_norm"],
        labels=NORMS,
        kind="segmented",
        where=c[1],
    )
    c = st.columns(3)
    tied = w.toggle("scale_tied", t("scale.field.tied"), d["scale_tied"], where=c[0])
    learned = w.toggle(
        "scale_learnedpos", t("scale.field.learned_pos"), d["scale_learnedpos"], where=c[1]
    )
    bias = w.toggle("scale_bias", t("scale.field.bias"), d["scale_bias"], where=c[2])
    return ModelShape(
        whole(vocab, "vocab_size"),
        whole(nctx, "n_ctx"),
        whole(dm, "d_model"),
        whole(layers, "n_layers"),
        whole(heads, "n_heads"),
        whole(dff, "d_ff"),
        mlp=mlp,
        norm=norm,
        tied_embeddings=tied,
        learned_positions=learned,
        bias=bias,
        n_kv_heads=whole(kv, "n_kv_heads") or None,
    )


def show_error(exc: ScaleError) -> None:
    """A translated message for a core error code."""
    info = dict(exc.info)
    if "field" in info:
        info["field"] = t(f"scale.field.{info['field']}")
    for k, v in info.items():
        if isinstance(v, bool) or not isinstance(v, int | float):
            continue
        if not math.isfinite(v):
            info[k] = str(v)
        elif abs(v) >= 1e15:
            info[k] = sci(float(v))
        elif v == int(v):
            info[k] = f"{int(v):,}"
        else:
            info[k] = f"{v:g}"
    layout.show_error(ScaleError(exc.code, **info), section="scale.errors")


def fmt_count(x: float) -> str:
    return count(x, lang())


GROUPS: Mapping[str, str] = {
    "token_embedding": "embedding",
    "position_embedding": "embedding",
    "attention_q": "attention",
    "attention_k": "attention",
    "attention_v": "attention",
    "attention_o": "attention",
    "mlp": "mlp",
    "norms": "norm",
    "output_head": "head",
}


# ── page sections ────────────────────────────────────────────────────────────────────


def published_comparison(m: KnownModel, shape: ModelShape, n: int) -> None:
    """The calculator's count beside the published one (and the checkpoint's)."""
    label = model_label(m)
    if shape != m.shape:
        c = st.columns(2)
        c[0].metric(t("scale.calc_count"), fmt_count(n), help=f"{n:,}")
        c[1].metric(t("scale.calc_exact"), f"{n:,}")
        st.info(t("scale.modified", name=label), icon=":material/tune:")
        return
    c = st.columns(3)
    c[0].metric(t("scale.calc_count"), fmt_count(n), help=f"{n:,}")
    c[1].metric(t("scale.published", name=label), m.published_text, help=f"{m.published:,}")
    diff = (n - m.published) / m.published
    c[2].metric(
        t("scale.difference"),
        f"{diff:+.2%}".replace("%", " %"),
        delta=f"{n - m.published:+,}",
        delta_color="off",
    )
    lines = [t("scale.count_line", n=f"{n:,}")]
    lines.append(
        t("scale.published_line", text=m.published_text, source=m.source, url=m.url)
        if m.url
        else t("scale.tiny_line", source=m.source)
    )
    if m.exact is not None and m.key != "tiny":
        verdict = (
            t("scale.exact_match")
            if m.exact == n
            else t("scale.exact_differs", diff=f"{n - m.exact:+,}")
        )
        lines.append(
            t("scale.exact_line", n=f"{m.exact:,}", source=m.exact_source, verdict=verdict)
        )
    if m.key == "tiny":
        verdict = (
            t("scale.exact_match")
            if m.exact == n
            else t("scale.exact_differs", diff=f"{n - (m.exact or 0):+,}")
        )
        lines.append(t("scale.tiny_stored", n=f"{m.exact:,}", verdict=verdict))
    if m.note:
        lines.append(t(f"scale.note.{m.note}"))
    st.markdown("\n".join(f"- {x}" for x in lines))


def formula_table(bd) -> str:
    """A markdown table: each part, its formula in symbols = with the numbers, its count."""
    rows = [
        f"| {t('scale.col_part')} | {t('scale.col_formula')} | {t('scale.col_count')} |",
        "|---|---|---:|",
    ]
    for p in bd.parts:
        name = t(f"scale.part.{p.key}")
        if p.count == 0:
            rows.append(f"| {name} | {t(f'scale.zero.{p.key}')} | 0 |")
            continue
        rows.append(
            f"| {name} | `{formula(p, bd.shape, numbers=False)}` = "
            f"`{formula(p, bd.shape, numbers=True)}` | {p.count:,} |"
        )
    rows.append(f"| **{t('scale.total')}** | | **{bd.total:,}** |")
    return "\n".join(rows)


def compute_controls(m: KnownModel, n: int):
    """Tokens, accelerator and data-centre settings; returns (TrainingCost | None, D)."""
    c = st.columns(2)
    tokens = count_input("scale_tokens", "tokens", {}, c[0], "tokens", value=default_tokens(m))
    with c[1]:
        if m.tokens and m.key == "tiny":
            st.caption(t("scale.tokens_tiny", d=fmt_count(m.tokens), source=m.tokens_source))
        elif m.tokens:
            st.caption(t("scale.tokens_published", d=fmt_count(m.tokens), source=m.tokens_source))
        else:
            st.caption(t("scale.tokens_assumed", d=fmt_count(default_tokens(m))))
    hw = hardware_values(m)
    c = st.columns(3)
    acc = w.control(
        ScaleSettings,
        "accelerator",
        t("scale.field.accelerator"),
        value=hw["scale_acc"],
        labels={k: a.name for k, a in ACCELERATORS.items()},
        on_change=_apply_accelerator,
        where=c[0],
    )
    a = ACCELERATORS[acc]
    tflops = w.number(
        "scale_tflops",
        t("scale.field.peak"),
        0.0,
        100_000.0,
        a.peak_tflops,
        1.0,
        where=c[1],
        format="%g",
        help=a.source,
    )
    watts = w.number(
        "scale_watts",
        t("scale.field.watts"),
        0.0,
        100_000.0,
        a.watts,
        10.0,
        where=c[2],
        format="%g",
        help=a.source,
    )
    c = st.columns(3)
    util = w.slider(
        "scale_util",
        t("scale.field.utilisation"),
        1,
        100,
        hw["scale_util"],
        1,
        where=c[0],
        format="%d %%",
        help=t("scale.help.utilisation"),
    )
    chips = count_input("scale_chips", "n_accelerators", {}, c[1], "chips", value=hw["scale_chips"])
    pue = w.number(
        "scale_pue",
        t("scale.field.pue"),
        0.5,
        5.0,
        1.1,
        0.05,
        where=c[2],
        format="%.2f",
        help=t("scale.help.pue"),
    )
    try:
        inputs = dict(
            tokens=whole(tokens, "n_tokens"),
            tflops=real(tflops, "peak"),
            util=whole(util, "utilisation"),
            chips=whole(chips, "n_accelerators"),
            watts=real(watts, "watts"),
            pue=real(pue, "pue"),
            accelerator=acc,
        )
        cost = training_cost(
            n,
            inputs["tokens"],
            peak_flops=inputs["tflops"] * 1e12,
            utilisation=inputs["util"] / 100,
            n_accelerators=inputs["chips"],
            watts=inputs["watts"],
            pue=inputs["pue"],
        )
    except ScaleError as exc:
        show_error(exc)
        return None, {}
    return cost, inputs


@st.fragment
def compute_section(
    m: KnownModel,
    bd,
    memory: Mapping,
    tiny: KnownModel | None,
    *,
    numbers: DeltaGenerator,
    compare: DeltaGenerator,
) -> None:
    """Section 3 (the compute controls and their results) as a fragment, with everything
    else that depends on those controls: the downloads (drawn into ``numbers``, in
    section 2) and the comparison figure (into ``compare``, in section 5). Moving a
    compute control reruns only this; ``bd`` (the breakdown) and ``memory`` (what
    :func:`memory_section` returned) come from the last full run, which is the only
    kind of run that changes them."""
    n = bd.total
    cost, inputs = compute_controls(m, n)
    if cost is not None:
        compute_results(m, bd.shape, n, inputs, cost)
    with numbers:
        download_numbers(m, bd, inputs, cost, memory)
    with compare:
        comparison(tiny, n, cost, inputs.get("watts"))


def compute_results(m: KnownModel, shape: ModelShape, n: int, x: dict, cost) -> None:
    """Each step of the estimate with its numbers, then the published cross-checks."""
    lg = lang()
    sustained = x["tflops"] * x["util"] / 100
    jp, us_ = HOUSEHOLD_KWH["jp"][0], HOUSEHOLD_KWH["us"][0]
    st.markdown(
        "\n".join(
            "- " + line
            for line in (
                t("scale.flops_line", n=f"{n:,}", d=f"{x['tokens']:,}", c=sci(cost.flops)),
                t(
                    "scale.time_line",
                    peak=sig(x["tflops"]),
                    u=x["util"],
                    s=sig(sustained),
                    c=sci(cost.flops),
                    secs=sci(cost.accelerator_seconds),
                    one=duration(cost.accelerator_seconds, lg),
                    hours=count(cost.accelerator_hours, lg),
                ),
                t(
                    "scale.wall_line",
                    one=duration(cost.accelerator_seconds, lg),
                    chips=f"{x['chips']:,}",
                    wall=duration(cost.wall_days * 86_400, lg),
                ),
                t(
                    "scale.energy_line",
                    hours=count(cost.accelerator_hours, lg),
                    watts=sig(x["watts"]),
                    pue=f"{x['pue']:.2f}",
                    e=energy(cost.energy_kwh),
                    p=power(cost.power_kw),
                ),
                t(
                    "scale.households_line",
                    e=energy(cost.energy_kwh),
                    jp_n=households(cost.energy_kwh / jp, lg),
                    jp=f"{jp:,.0f}",
                    us_n=households(cost.energy_kwh / us_, lg),
                    us=f"{us_:,.0f}",
                ),
                t(
                    "scale.town_line",
                    p=power(cost.power_kw),
                    n=households(cost.power_kw * 8760 / jp, lg),
                    w=f"{jp * 1000 / 8760:,.0f}",
                    jp=f"{jp:,.0f}",
                ),
            )
        )
    )
    c = st.columns(4)
    c[0].metric(t("scale.m_flops"), sci(cost.flops))
    c[1].metric(t("scale.m_days"), duration(cost.wall_days * 86_400, lg))
    c[2].metric(t("scale.m_energy"), energy(cost.energy_kwh))
    c[3].metric(t("scale.m_households"), households(cost.energy_kwh / jp, lg))
    if shape == m.shape and m.train_seconds and m.tokens == x["tokens"]:
        rate = cost.flops / m.train_seconds
        st.success(
            t(
                "scale.check_tiny",
                c=sci(cost.flops),
                s=sig(m.train_seconds),
                f=sci(rate),
                ratio=count(ACCELERATORS["a100"].peak_tflops * 1e12 / rate, lg),
            ),
            icon=":material/check_circle:",
        )
    if shape == m.shape and m.compute:
        st.success(
            t(
                "scale.check_compute",
                name=model_label(m),
                c=sci(m.compute),
                source=m.compute_source,
                ours=sci(cost.flops),
            ),
            icon=":material/check_circle:",
        )
    if shape == m.shape and m.gpu_hours and m.tokens == x["tokens"]:
        a100 = ACCELERATORS["a100"].peak_tflops * 1e12
        implied = cost.flops / (m.gpu_hours * 3600 * a100)
        st.success(
            t(
                "scale.check_hours",
                name=model_label(m),
                hours=f"{m.gpu_hours:,}",
                source=m.gpu_hours_source,
                u=f"{100 * implied:.0f}",
            ),
            icon=":material/check_circle:",
        )


def memory_section(shape: ModelShape, n: int) -> dict[str, object]:
    """Bytes to hold the weights, to train them, and the key/value cache; returns the
    figures shown (``kv_cache`` is None when its settings are invalid)."""
    figures: dict[str, object] = {
        "weights_bytes": {dt: weight_bytes(n, dt) for dt in BYTES},
        "training_bytes": 16 * n,
        "training_bytes_per_parameter": 16,
        "training_bytes_assumption": "mixed-precision Adam: bf16 weight + bf16 gradient "
        "+ fp32 master copy + two fp32 moments = 2 + 2 + 12 bytes (ZeRO), no activations",
        "kv_cache": None,
    }
    explain(t("scale.memory_text"))
    c = st.columns(4)
    for col, dt in zip(c, ("fp32", "bf16", "int8"), strict=False):
        col.metric(
            t("scale.m_weights", dtype=dt),
            nbytes(weight_bytes(n, dt)),
            help=f"{n:,} × {BYTES[dt]} B",
        )
    c[3].metric(t("scale.m_training"), nbytes(16 * n), help=f"{n:,} × 16 B")
    st.caption(t("scale.training_memory_note"))
    st.subheader(t("scale.kv_head"))
    c = st.columns(3)
    ctx = count_input("scale_kvctx", "context", {}, c[0], value=shape.n_ctx)
    batch = count_input("scale_batch", "batch", {}, c[1], value=1)
    dt = w.control(
        ScaleSettings,
        "kv_dtype",
        t("scale.field.kv_dtype"),
        kind="segmented",
        where=c[2],
    )
    try:
        ctx, batch = whole(ctx, "context"), whole(batch, "batch")
        kv = kv_cache_bytes(shape, ctx, batch, dt)
    except ScaleError as exc:
        show_error(exc)
        return figures
    figures["kv_cache"] = {
        "formula": "2 · L · h_kv · d_h · context · batch · bytes",
        "context": ctx,
        "batch": batch,
        "dtype": dt,
        "bytes_per_number": BYTES[dt],
        "bytes": kv,
    }
    st.markdown(
        t(
            "scale.kv_line",
            L=shape.n_layers,
            hkv=shape.kv_heads,
            dh=shape.d_head,
            ctx=f"{ctx:,}",
            b=f"{batch:,}",
            bytes=BYTES[dt],
            total=f"{kv:,}",
            nice=nbytes(kv),
        )
    )
    if shape.kv_heads < shape.n_heads:
        st.caption(
            t(
                "scale.gqa_note",
                h=shape.n_heads,
                hkv=shape.kv_heads,
                factor=shape.n_heads // shape.kv_heads,
            )
        )
    return figures


# ── downloads ────────────────────────────────────────────────────────────────────────


def export(m: KnownModel, bd, x: Mapping, cost, memory: Mapping) -> tuple[dict, dict]:
    """The page's current numbers: (CSV table of the breakdown, JSON document).

    ``bd`` is the breakdown, ``x`` the compute inputs and ``cost`` the TrainingCost of
    this run (empty / None when the compute settings are invalid), ``memory`` what
    :func:`memory_section` returned.
    """
    shape = bd.shape
    table = {
        "part": [p.key for p in bd.parts] + ["total"],
        "name": [t(f"scale.part.{p.key}") for p in bd.parts] + [t("scale.total")],
        "formula": [formula(p, shape, numbers=False) for p in bd.parts] + [""],
        "with_numbers": [formula(p, shape, numbers=True) for p in bd.parts] + [""],
        "parameters": [p.count for p in bd.parts] + [bd.total],
    }
    training = None
    if cost is not None:
        acc = ACCELERATORS[x["accelerator"]]  # preset specs; peak and watts may be edited
        if x["tokens"] != default_tokens(m):
            d_source = "set by hand"
        elif m.tokens:
            d_source = m.tokens_source
        else:
            d_source = "assumed: 20 tokens per parameter of the preset (Hoffmann et al. 2022)"
        training = {
            "formula": "C = 6 · N · D (Kaplan et al. 2020)",
            "parameters_N": bd.total,
            "tokens_D": x["tokens"],
            "tokens_source": d_source,
            "flops": cost.flops,
            "accelerator": acc.name,
            "accelerator_source": acc.source,
            "peak_tflops": x["tflops"],
            "utilisation": x["util"] / 100,
            "sustained_flops_per_accelerator": cost.sustained_flops,
            "n_accelerators": x["chips"],
            "watts_per_accelerator": x["watts"],
            "pue": x["pue"],
            "accelerator_seconds": cost.accelerator_seconds,
            "accelerator_hours": cost.accelerator_hours,
            "accelerator_days": cost.accelerator_days,
            "wall_clock_days": cost.wall_days,
            "power_kw": cost.power_kw,
            "energy_kwh": cost.energy_kwh,
        }
    data = {
        "preset": {
            "key": m.key,
            "name": model_label(m),
            "published_parameters": m.published,
            "published_text": m.published_text,
            "source": m.source,
            "url": m.url,
            "checkpoint_parameters": m.exact,
            "checkpoint_source": m.exact_source,
            "shape_is_preset": shape == m.shape,
        },
        "shape": dataclasses.asdict(shape) | {"kv_heads": shape.kv_heads, "d_head": shape.d_head},
        "parameters": bd.as_dict(),
        "training": training,
        "memory": dict(memory),
    }
    return table, data


def download_numbers(m: KnownModel, bd, x: Mapping, cost, memory: Mapping) -> None:
    """CSV and JSON buttons with this run's numbers (see :func:`export`)."""
    table, data = export(m, bd, x, cost, memory)
    downloads("scale", key="scale_dl", table=table, data=data)


COMPARE = ("gpt2", "gpt2-xl", "gpt3-175b", "llama2-7b", "llama2-70b")


def comparison(tiny: KnownModel | None, n: int, cost, chip_watts: float | None) -> None:
    """Parameters beside the brain's neurons and synapses; watts beside watts."""
    lg = lang()
    counts = []
    if tiny is not None:
        counts.append(
            Item(t("scale.tiny_name"), tiny.exact or 0, "tiny", count(tiny.exact or 0, lg))
        )
    for k in COMPARE:
        total = count_parameters(KNOWN_MODELS[k].shape)["total"]
        counts.append(Item(KNOWN_MODELS[k].name, total, "model", count(total, lg)))
    counts.append(Item(t("scale.your_model"), n, "current", count(n, lg)))
    neurons = BRAIN["neurons"][0]
    lo, hi = BRAIN["synapses_low"][0], BRAIN["synapses_high"][0]
    counts.append(
        Item(
            t("scale.brain_neurons"), neurons, "brain", t("scale.brain_cells", n=count(neurons, lg))
        )
    )
    counts.append(
        Item(
            t("scale.brain_synapses"),
            lo,
            "brain",
            t("scale.brain_links", lo=power_of_ten(lo), hi=power_of_ten(hi)),
            high=hi,
        )
    )
    house_w = HOUSEHOLD_KWH["jp"][0] * 1000 / 8760
    watts = [
        Item(t("scale.brain_power"), BRAIN["watts"][0], "brain", "≈ 20 W"),
        Item(t("scale.house_power"), house_w, "reference", power(house_w / 1000)),
    ]
    if cost is not None and chip_watts:
        watts.append(Item(t("scale.chip_power"), chip_watts, "machine", power(chip_watts / 1000)))
    if cost is not None and cost.power_kw > 0:
        watts.append(
            Item(t("scale.cluster_power"), cost.power_kw * 1000, "machine", power(cost.power_kw))
        )
    names = {
        k: t(f"scale.kind.{k}")
        for k in ("model", "current", "tiny", "brain", "machine", "reference")
    }
    fig = comparison_figure(
        counts,
        watts,
        names=names,
        count_title=t("scale.count_title"),
        power_title=t("scale.power_title"),
    )
    plot(fig, key="scale_compare_fig", alt=t("scale.compare_alt", n=count(n, lg)))


def sources_markdown() -> str:
    seen: dict[str, str] = {}
    for m in KNOWN_MODELS.values():
        seen.setdefault(m.source, m.url)
        for extra in (
            m.exact_source,
            m.tokens_source,
            m.compute_source,
            m.gpu_hours_source,
            m.accelerators_source,
            m.utilisation_source,
        ):
            if extra:
                seen.setdefault(extra, m.url if "Table" in extra or "§" in extra else "")
    for a in ACCELERATORS.values():
        seen.setdefault(a.source, a.url)
    for _, src, url in HOUSEHOLD_KWH.values():
        seen.setdefault(src, url)
    for _, src, url in BRAIN.values():
        seen.setdefault(src, url)
    for key in ("kaplan", "chinchilla", "pue", "palm", "zero"):
        seen.setdefault(t(f"scale.src.{key}"), "")
    return "\n".join(f"- [{s}]({u})" if u else f"- {s}" for s, u in seen.items())
