"""Sections 4-5 of the scale page and its downloads: memory, the comparison with the
brain and a household, the CSV/JSON export and the list of sources."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import streamlit as st

from core.scale import (
    ACCELERATORS,
    ADAM_BYTES_PER_PARAMETER,
    BRAIN,
    BYTES,
    HOUSEHOLD_KWH,
    KNOWN_MODELS,
    KnownModel,
    ModelShape,
    ScaleError,
    count_parameters,
    household_watts,
    kv_cache_bytes,
    training_bytes,
    weight_bytes,
)
from ui.fmt import count, nbytes, power, power_of_ten
from ui.i18n import lang, t
from ui.layout import downloads, explain, plot
from ui.model.scale import default_tokens
from ui.scale import control, count_input, formula, model_label, show_error, whole
from viz.scale import Item, comparison_figure


def memory_section(shape: ModelShape, n: int) -> dict[str, object]:
    """Bytes to hold the weights, to train them, and the key/value cache; returns the
    figures shown (``kv_cache`` is None when its settings are invalid)."""
    figures: dict[str, object] = {
        "weights_bytes": {dt: weight_bytes(n, dt) for dt in BYTES},
        "training_bytes": training_bytes(n),
        "training_bytes_per_parameter": ADAM_BYTES_PER_PARAMETER,
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
    c[3].metric(
        t("scale.m_training"),
        nbytes(training_bytes(n)),
        help=f"{n:,} × {ADAM_BYTES_PER_PARAMETER} B",
    )
    st.caption(t("scale.training_memory_note"))
    st.subheader(t("scale.kv_head"))
    c = st.columns(3)
    ctx = count_input("kv_context", "context", c[0], value=shape.n_ctx)
    batch = count_input("batch", "batch", c[1])
    dt = control("kv_dtype", t("scale.field.kv_dtype"), kind="segmented", where=c[2])
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
    house_w = household_watts("jp")
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
