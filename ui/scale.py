"""Helpers of the scale page: number formatting in both languages, formulas with the
actual numbers, presets (including this project's tiny GPT), and the URL-bound controls.

The formatting functions are pure (they take the language) so that tests can check them.
"""

from __future__ import annotations

import math
import pathlib
from collections.abc import Mapping

import streamlit as st

from core.scale import (
    ACCELERATORS,
    KNOWN_MODELS,
    KnownModel,
    ModelShape,
    Part,
    ScaleError,
    Term,
    checkpoint_model,
    count_parameters,
    read_gpt_checkpoint,
)
from ui import layout
from ui import widgets as w
from ui.fmt import count, sci
from ui.i18n import lang, t
from ui.model.scale import DEFAULT_MODEL, MLPS, NORMS, ScaleSettings

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
    c[1].metric(  # in this language's units; the source's own text is in the help
        t("scale.published", name=label),
        fmt_count(m.published),
        help=f"{m.published_text} = {m.published:,}",
    )
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
