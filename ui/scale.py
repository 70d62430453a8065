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
    ff_width,
    read_gpt_checkpoint,
)
from ui import layout
from ui import widgets as w
from ui.fmt import count, sci
from ui.i18n import lang, t
from ui.model.scale import (
    DEFAULT_MODEL,
    MLPS,
    NORMS,
    ScaleSettings,
    hardware_values,
    preset_values,
)

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


def _apply_preset() -> None:
    """Preset callback: move every shape and hardware control to the chosen model."""
    m = presets().get(st.session_state.get("scale_model"))
    if m is not None:
        st.session_state.update(preset_values(m) | hardware_values(m))


def _apply_accelerator() -> None:
    a = ACCELERATORS.get(st.session_state.get("scale_acc"))
    if a is not None:
        st.session_state["scale_tflops"] = a.peak_tflops
        st.session_state["scale_watts"] = a.watts


def choose_preset() -> KnownModel:
    models = presets()
    key = control(
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


def control(name: str, label: str, **kw: object) -> object:
    """A control of ScaleSettings. A default narrowed here (``value=``) follows from the
    preset or the accelerator the URL carries, so the URL leaves out a value equal to it."""
    return w.control(ScaleSettings, name, label, derived=True, **kw)


def count_input(name: str, field: str, where: object, help_key: str | None = None, **kw) -> int:
    """A whole-number number box (an int widget: the declaration parses the URL, so a
    value such as ``?scale_d=1e400`` falls back to the default before Streamlit sees it)."""
    label = t(f"scale.field.{field}")
    hint = t(f"scale.help.{help_key}") if help_key else None
    return control(name, label, kind="number", where=where, help=hint, **kw)


def shape_controls(m: KnownModel) -> ModelShape:
    """The calculator's controls (defaults = the preset); raises ScaleError if the shape
    they describe is impossible."""
    d = preset_values(m)
    c = st.columns(4)
    vocab = count_input("vocab", "vocab_size", c[0], "vocab", value=d["scale_vocab"])
    nctx = count_input("n_ctx", "n_ctx", c[1], "n_ctx", value=d["scale_nctx"])
    dm = count_input("d_model", "d_model", c[2], "d_model", value=d["scale_d"])
    layers = count_input("n_layers", "n_layers", c[3], "n_layers", value=d["scale_layers"])
    c = st.columns(4)
    heads = count_input("n_heads", "n_heads", c[0], "n_heads", value=d["scale_heads"])
    kv = count_input("n_kv_heads", "n_kv_heads", c[1], "n_kv_heads", value=d["scale_kv"])
    with c[3]:
        st.space("small")  # aligns the toggle with the inputs' boxes
        by_ratio = control("by_ratio", t("scale.field.ff_by_ratio"))
    if by_ratio:
        label = t("scale.field.ff_ratio")
        ratio = control(
            "ff_ratio", label, kind="number", value=d["scale_ffratio"], where=c[2], format="%.4g"
        )
        dff = ff_width(whole(dm, "d_model"), real(ratio, "ff_ratio"))
    else:
        dff = count_input("d_ff", "d_ff", c[2], "d_ff", value=d["scale_dff"])
    c = st.columns(2)
    mlp = control(
        "mlp",
        t("scale.field.mlp"),
        value=d["scale_mlp"],
        labels=MLPS,
        kind="segmented",
        where=c[0],
    )
    norm = control(
        "norm",
        t("scale.field.norm"),
        value=d["scale_norm"],
        labels=NORMS,
        kind="segmented",
        where=c[1],
    )
    # one row that wraps, each switch as wide as its label: in three equal columns the
    # Japanese "learned positions (off: rotary)" was cut before the part that says what
    # "off" means
    row = st.container(horizontal=True, gap="small")
    tied = control("tied", t("scale.field.tied"), value=d["scale_tied"], where=row)
    learned = control(
        "learned_positions", t("scale.field.learned_pos"), value=d["scale_learnedpos"], where=row
    )
    bias = control("bias", t("scale.field.bias"), value=d["scale_bias"], where=row)
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
