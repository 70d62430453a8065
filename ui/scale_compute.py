"""Section 3 of the scale page: the compute controls (tokens, accelerator, utilisation,
chips, PUE) and each step of the estimate with its numbers, as one fragment."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from core.scale import (
    ACCELERATORS,
    HOUSEHOLD_KWH,
    KnownModel,
    ModelShape,
    ScaleError,
    flop_rate,
    hours_accelerator,
    household_watts,
    implied_utilisation,
    training_cost,
)
from ui.fmt import count, duration, energy, households, power, sci, sig
from ui.i18n import lang, t
from ui.model.scale import default_tokens, hardware_values
from ui.scale import (
    _apply_accelerator,
    control,
    count_input,
    fmt_count,
    model_label,
    real,
    show_error,
    whole,
)
from ui.scale_report import comparison, download_numbers

REFERENCE_ACCELERATOR = "a100"  # the chip the tiny model's measured speed is set against


def compute_controls(m: KnownModel, n: int):
    """Tokens, accelerator and data-centre settings; returns (TrainingCost | None, D)."""
    c = st.columns(2)
    tokens = count_input("tokens", "tokens", c[0], "tokens", value=default_tokens(m))
    with c[1]:
        if m.tokens and m.key == "tiny":
            st.caption(t("scale.tokens_tiny", d=fmt_count(m.tokens), source=m.tokens_source))
        elif m.tokens:
            st.caption(t("scale.tokens_published", d=fmt_count(m.tokens), source=m.tokens_source))
        else:
            st.caption(t("scale.tokens_assumed", d=fmt_count(default_tokens(m))))
    hw = hardware_values(m)
    c = st.columns(3)
    acc = control(
        "accelerator",
        t("scale.field.accelerator"),
        value=hw["scale_acc"],
        labels={k: a.name for k, a in ACCELERATORS.items()},
        on_change=_apply_accelerator,
        where=c[0],
    )
    a = ACCELERATORS[acc]
    chip = dict(kind="number", format="%g", help=a.source)  # peak and power: the chip's
    tflops = control("peak_tflops", t("scale.field.peak"), value=a.peak_tflops, where=c[1], **chip)
    watts = control("watts", t("scale.field.watts"), value=a.watts, where=c[2], **chip)
    c = st.columns(3)
    util = control(
        "utilisation",
        t("scale.field.utilisation"),
        value=hw["scale_util"],
        where=c[0],
        format="%d %%",
        help=t("scale.help.utilisation"),
    )
    chips = count_input("chips", "n_accelerators", c[1], "chips", value=hw["scale_chips"])
    pue = control(
        "pue",
        t("scale.field.pue"),
        kind="number",
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
    sustained = cost.sustained_flops / 1e12  # TFLOP/s: peak × utilisation (core)
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
                    wall=duration(cost.wall_seconds, lg),
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
                    jp_n=households(cost.households_energy("jp"), lg),
                    jp=f"{jp:,.0f}",
                    us_n=households(cost.households_energy("us"), lg),
                    us=f"{us_:,.0f}",
                ),
                t(
                    "scale.town_line",
                    p=power(cost.power_kw),
                    n=households(cost.households_power("jp"), lg),
                    w=f"{household_watts('jp'):,.0f}",
                    jp=f"{jp:,.0f}",
                ),
            )
        )
    )
    c = st.columns(4)
    c[0].metric(t("scale.m_flops"), sci(cost.flops))
    c[1].metric(t("scale.m_days"), duration(cost.wall_seconds, lg))
    c[2].metric(t("scale.m_energy"), energy(cost.energy_kwh))
    c[3].metric(t("scale.m_households"), households(cost.households_energy("jp"), lg))
    if shape == m.shape and m.train_seconds and m.tokens == x["tokens"]:
        rate = flop_rate(cost.flops, m.train_seconds)
        ref = ACCELERATORS[REFERENCE_ACCELERATOR]
        st.success(
            t(
                "scale.check_tiny",
                c=sci(cost.flops),
                s=sig(m.train_seconds),
                f=sci(rate),
                ratio=count(ref.peak_tflops * 1e12 / rate, lg),
                acc=ref.name,
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
        acc = hours_accelerator(m)  # the hardware the published hours were counted on
        implied = implied_utilisation(cost.flops, m.gpu_hours, acc)
        st.success(
            t(
                "scale.check_hours",
                name=model_label(m),
                hours=f"{m.gpu_hours:,}",
                acc=acc.name,
                source=m.gpu_hours_source,
                u=f"{100 * implied:.0f}",
                assumed=f"{x['util']:g}",
            ),
            icon=":material/check_circle:",
        )
