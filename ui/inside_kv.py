"""The inside chapter's last part: writing token by token with a key/value cache.
Greedy generation by prefill + decode (core/gpt.py), the cached keys growing one row per
step, the work saved against recomputing everything, and the memory it costs, with the
scale chapter's formula (core/scale.py). A fragment: the slider reruns only this part."""

from __future__ import annotations

import numpy as np
import streamlit as st

from core.gpt import generation_macs, kv_bytes_per_token
from core.scale import ModelShape, kv_cache_bytes
from ui import widgets as w
from ui.fmt import plain, sci
from ui.i18n import t
from ui.inside_model import label, pieces
from ui.layout import chapter_link, downloads, explain, plot
from ui.model.inside import InsideSettings
from ui.next_token import Prompt, bundle
from ui.tour import focus
from viz import inside as vz


# ── generation with a key/value cache ──────────────────────────────────────────
@st.cache_data(max_entries=128, show_spinner=False)
def generated(ids: tuple[int, ...], n: int):
    """Greedy generation of up to ``n`` tokens with prefill + decode: the tokens, the
    caches after each step, and how far the cached logits are from a full forward pass."""
    model = bundle().model
    room = model.config.n_ctx - len(ids)
    n = max(0, min(n, room))
    logits, cache = model.prefill(list(ids))
    out, caches = [], [cache]
    last = logits[-1]
    for _ in range(n):
        nxt = int(np.argmax(last))
        out.append(nxt)
        if len(out) == n:
            break
        last, cache = model.decode(nxt, cache)
        caches.append(cache)
    check = 0.0
    if len(out) > 1:  # the cache's last logits against recomputing the whole sequence
        full, _ = model.forward(list(ids) + out[:-1])
        check = float(np.max(np.abs(full[-1] - last)))
    return tuple(out), caches, check


@st.fragment
def kv_section(p: Prompt) -> None:
    model = bundle().model
    cfg = model.config
    st.subheader(t("inside.kv_head"))
    explain(t("inside.kv_text"))
    room = cfg.n_ctx - len(p.ids)
    if room <= 0:
        st.info(t("inside.kv_full", n_ctx=cfg.n_ctx), icon=":material/info:")
        return
    st.markdown(t("inside.do_generate"))
    n = w.control(
        InsideSettings,
        "generated",
        t("inside.gen_label"),
        max_value=min(room, InsideSettings.param("generated").hi),
        help=t("inside.gen_help", n_ctx=cfg.n_ctx),
    )
    new, caches, check = generated(p.ids, int(n))
    cache = caches[-1]
    ps = pieces(p.ids) + pieces(new[: max(0, len(new) - 1)])
    steps = list(range(1, len(new) + 1))
    macs = [generation_macs(cfg, len(p.ids), k) for k in steps]
    with focus("kv_cache"):
        st.markdown(
            t(
                "inside.kv_story",
                prompt=len(p.ids),
                text="".join(label(s) for s in pieces(new)) or "∅",
                n=len(new),
                cached=cache.length,
            )
        )
        c1, c2 = st.columns(2)
        with c1:
            plot(
                vz.cache_table(
                    cache.keys[0][0],
                    ps[: cache.length],
                    len(p.ids),
                    dim_axis=t("inside.dim"),
                    names=(t("inside.kv_prefill"), t("inside.kv_decode")),
                ),
                key="in_cache_fig",
                alt=t("inside.cache_alt", n=cache.length),
            )
        with c2:
            if macs:
                plot(
                    vz.work_curves(
                        steps,
                        [a for a, _ in macs],
                        [b for _, b in macs],
                        names=(t("inside.kv_with"), t("inside.kv_without")),
                        x_axis=t("inside.kv_step"),
                        y_axis=t("inside.kv_macs"),
                    ),
                    key="in_macs_fig",
                    alt=t("inside.macs_alt", n=len(steps)),
                )
        if macs:
            a, b = macs[-1]
            st.markdown(
                t("inside.kv_saved", n=len(new), with_=plain(a), without=plain(b), r=f"{b / a:.1f}")
            )
        if len(new) > 1:
            st.caption(t("inside.kv_check", d=sci(check, 2)))
    per_token = kv_bytes_per_token(cfg)
    shape = ModelShape(
        cfg.vocab_size, cfg.n_ctx, cfg.n_embd, cfg.n_layer, cfg.n_head, 4 * cfg.n_embd
    )
    st.markdown(
        t(
            "inside.kv_memory",
            L=cfg.n_layer,
            C=cfg.n_embd,
            per=plain(per_token),
            total=plain(per_token * cache.length),
            n=cache.length,
            fp16=plain(kv_cache_bytes(shape, 1, 1, "bf16")),
        )
    )
    chapter_link("scale", t("inside.kv_scale_link"))
    rows = {
        t("inside.kv_step"): steps,
        t("inside.col_token"): [label(s) for s in pieces(new)],
        t("inside.kv_with"): [a for a, _ in macs],
        t("inside.kv_without"): [b for _, b in macs],
    }
    downloads("kv_cache", key="in_dl_kv", table=rows)
