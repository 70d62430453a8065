"""The inside chapter's second part: the tiny GPT of the next-token chapter, opened up.
Its learned positions, one token followed through every block with the logit lens, the
loss at each position, and generation with a key/value cache.

Each section whose control changes only itself is a fragment. The computations are
cached on small keys (token ids and a mode), and come from core/gpt.py."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from core import corpus
from core.gpt import (
    Evaluation,
    evaluate,
    generation_macs,
    kv_bytes_per_token,
    position_losses,
    trace,
)
from core.scale import ModelShape, kv_cache_bytes
from ui import widgets as w
from ui.fmt import plain
from ui.i18n import t
from ui.layout import chapter_link, downloads, explain, plot
from ui.model.inside import InsideSettings, clamp, positions_arg
from ui.next_token import Prompt, bundle, heldout_scores
from ui.tour import focus
from viz import inside as vz
from viz.inside import cosine_matrix

TOP = 5  # tokens listed per prediction


def pieces(ids: tuple[int, ...]) -> tuple[str, ...]:
    tok = bundle().tok
    return tuple(tok.piece(i) for i in ids)


@st.cache_data(max_entries=256, show_spinner=False)
def traced(ids: tuple[int, ...], mode: str):  # -> core.gpt.Trace
    """Everything the flow shows for a prompt, with the positions of ``mode``."""
    return trace(bundle().model, list(ids), positions=positions_arg(mode, len(ids)))


@st.cache_data(max_entries=256, show_spinner=False)
def mode_losses(ids: tuple[int, ...]) -> dict[str, np.ndarray]:
    """−log p(correct next token) at each position, for each position mode."""
    model = bundle().model
    out = {}
    for mode in MODES:
        tr = traced(ids, mode)
        p = tr.probs[:-1][np.arange(len(ids) - 1), list(ids[1:])]
        out[mode] = -np.log(np.maximum(p, 1e-300))
    # the learned row is also core's own position_losses (checked in the tests)
    out["learned"] = position_losses(model, list(ids))
    return out


@st.cache_resource(show_spinner=False)
def position_sim() -> np.ndarray:
    return cosine_matrix(bundle().model.params["transformer.wpe.weight"])


def top_tokens(probs: np.ndarray, k: int = TOP) -> list[tuple[str, float]]:
    order = np.argsort(-probs, kind="stable")[:k]
    tok = bundle().tok
    return [(tok.piece(int(i)), float(probs[i])) for i in order]


def signed(x: float) -> str:
    """Two decimals with a true minus sign (−0.56, not -0.56)."""
    return f"{x:.2f}".replace("-", "−")


def _label(piece: str) -> str:
    return piece.replace("\n", "↵").replace(" ", "␣") or "∅"


# ── positions ───────────────────────────────────────────────────────────────────
MODES = ("learned", "none", "shuffled")


@st.cache_resource(show_spinner=False)
def position_scores() -> dict[str, Evaluation]:
    """The held-out windows of the next-token chapter, scored with each position mode
    (once per server process): how much the model leans on word order."""
    b = bundle()
    s = b.meta["settings"]
    h = corpus.heldout_windows(s["eval_seed"], s["eval_windows"], s["n_ctx"], b.tok)
    T = h.inputs.shape[1]
    return {
        m: evaluate(b.model, h.inputs, h.targets, h.marks, positions=positions_arg(m, T))
        for m in MODES
    }


@st.fragment
def positions_section(p: Prompt) -> None:
    cfg = bundle().model.config
    st.subheader(t("inside.pos_head"))
    explain(t("inside.pos_text", ctx=cfg.n_ctx, width=cfg.n_embd))
    sim = position_sim()
    near = signed(float(np.mean(np.diag(sim, k=1))))
    far = signed(float(np.mean(np.diag(sim, k=cfg.n_ctx // 2))))
    plot(
        vz.position_similarity(sim, axis=t("inside.pos_axis"), colorbar=t("inside.pos_cos")),
        key="in_pos_fig",
        alt=t("inside.pos_alt", n=cfg.n_ctx),
    )
    st.markdown(t("inside.pos_notice", near=near, far=far, gap=cfg.n_ctx // 2))
    scores = position_scores()
    st.markdown(t("inside.pos_eval_head", n=plain(scores["learned"].n_tokens)))
    st.dataframe(
        pd.DataFrame(
            {
                t("inside.pos_label"): [t(f"inside.pos_{m}") for m in MODES],
                t("inside.col_loss"): [f"{scores[m].loss:.3f}" for m in MODES],
                t("inside.col_acc"): [f"{scores[m].accuracy:.1%}" for m in MODES],
                t("inside.col_long"): [f"{scores[m].long_range_accuracy:.1%}" for m in MODES],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    st.markdown(
        t(
            "inside.pos_eval_notice",
            learned=f"{scores['learned'].long_range_accuracy:.0%}",
            none=f"{scores['none'].long_range_accuracy:.0%}",
            shuffled=f"{scores['shuffled'].long_range_accuracy:.0%}",
        )
    )
    if len(p.ids) < 2:
        st.info(t("inside.short_prompt"), icon=":material/info:")
        return
    st.markdown(t("inside.do_positions"))
    mode = w.control(InsideSettings, "positions", t("inside.pos_label"), kind="segmented")
    shown = ("learned",) if mode == "learned" else ("learned", mode)
    cols = st.columns(len(shown))
    for col, m in zip(cols, shown, strict=True):
        top = top_tokens(traced(p.ids, m).probs[-1])
        col.markdown(
            t("inside.pos_top", mode=t(f"inside.pos_{m}"), token=_label(pieces(p.ids)[-1]))
        )
        col.dataframe(
            pd.DataFrame(
                {
                    t("inside.col_token"): [_label(s) for s, _ in top],
                    t("inside.col_prob"): [f"{v:.1%}" for _, v in top],
                }
            ),
            hide_index=True,
            width="stretch",
        )
    means = {m: float(np.mean(v)) for m, v in mode_losses(p.ids).items()}
    st.markdown(
        t(
            "inside.pos_loss",
            learned=f"{means['learned']:.2f}",
            none=f"{means['none']:.2f}",
            shuffled=f"{means['shuffled']:.2f}",
        )
    )


# ── one token through the model ──────────────────────────────────────────────────
def stage_names(n_layer: int) -> list[str]:
    names = [t("inside.st_tok"), t("inside.st_pos"), t("inside.st_sum")]
    for i in range(1, n_layer + 1):
        names += [t("inside.st_attn", i=i), t("inside.st_mlp", i=i), t("inside.st_after", i=i)]
    return names


def lens_stages(n_layer: int) -> list[str]:
    return [t("inside.lens_embed")] + [t("inside.lens_block", i=i) for i in range(1, n_layer + 1)]


@st.fragment
def flow_section(p: Prompt) -> None:
    model = bundle().model
    cfg = model.config
    st.subheader(t("inside.flow_head"))
    explain(t("inside.flow_text", n_layer=cfg.n_layer, n_head=cfg.n_head, width=cfg.n_embd))
    ps = pieces(p.ids)
    st.markdown(t("inside.do_follow"))
    f = clamp(
        w.control(
            InsideSettings,
            "follow",
            t("inside.follow_label"),
            kind="pills",
            options=list(range(len(ps))),
            value=len(ps) - 1,
            labels={i: _label(s) for i, s in enumerate(ps)},
            help=t("inside.follow_help"),
        ),
        len(ps),
    )
    tr = traced(p.ids, "learned")
    rows = [tr.tok_emb[f], tr.pos_emb[f], tr.hidden[0][f]]
    for i in range(cfg.n_layer):
        rows += [tr.attn_out[i][f], tr.mlp_out[i][f], tr.hidden[i + 1][f]]
    plot(
        vz.residual_stream(np.stack(rows), stage_names(cfg.n_layer), dim_axis=t("inside.dim")),
        key="in_stream_fig",
        alt=t("inside.stream_alt", token=_label(ps[f]), n=len(rows)),
    )
    norms = [float(np.linalg.norm(tr.hidden[i][f])) for i in range(cfg.n_layer + 1)]
    st.markdown(
        t(
            "inside.stream_notice",
            token=_label(ps[f]),
            first=f"{norms[0]:.2f}",
            last=f"{norms[-1]:.2f}",
        )
    )
    st.markdown(t("inside.looks_head", token=_label(ps[f])))
    heads = [
        t("inside.layer_head", layer=i + 1, head=h + 1)
        for i in range(cfg.n_layer)
        for h in range(cfg.n_head)
    ]
    weights = tr.attentions[:, :, f, : f + 1].reshape(-1, f + 1)
    plot(
        vz.looks_at(weights, ps[: f + 1], heads, weight_axis=t("inside.weight")),
        key="in_looks_fig",
        alt=t("inside.looks_alt", token=_label(ps[f])),
    )
    row, col = np.unravel_index(int(np.argmax(weights)), weights.shape)
    st.markdown(
        t(
            "inside.looks_notice",
            head=heads[row],
            w=f"{weights[row, col]:.0%}",
            target=_label(ps[col]),
        )
    )
    # the logit lens on the whole prompt, the followed position outlined
    lens = tr.lens
    probs = np.exp(lens - lens.max(axis=-1, keepdims=True))
    probs /= probs.sum(axis=-1, keepdims=True)
    best = probs.argmax(axis=-1)
    top = [[bundle().tok.piece(int(i)) for i in row] for row in best]
    with focus("lens"):
        st.markdown(t("inside.lens_head"))
        explain(t("inside.lens_text"))
        plot(
            vz.logit_lens(
                np.take_along_axis(probs, best[..., None], axis=-1)[..., 0],
                top,
                ps,
                lens_stages(cfg.n_layer),
                follow=f,
                prob_axis=t("inside.prob"),
            ),
            key="in_lens_fig",
            alt=t("inside.lens_alt", n=len(ps)),
        )
        final = top_tokens(tr.probs[f])
        first = top_tokens(probs[0][f], 1)[0]
        st.markdown(
            t(
                "inside.lens_notice",
                token=_label(ps[f]),
                echo=int(np.sum(best[0] == np.asarray(p.ids))),
                n=len(ps),
                early=_label(first[0]),
                p_early=f"{first[1]:.0%}",
                final=_label(final[0][0]),
                p_final=f"{final[0][1]:.0%}",
            )
        )
    downloads(
        "inside_flow",
        key="in_dl_flow",
        data={
            "tokens": list(ps),
            "followed": f,
            "stages": stage_names(cfg.n_layer),
            "residual": np.stack(rows),
            "attention": weights,
            "logit_lens_top": top,
            "logit_lens_prob": np.take_along_axis(probs, best[..., None], axis=-1)[..., 0],
            "next_top": final,
        },
    )


# ── the loss at each position ───────────────────────────────────────────────────
def loss_section(p: Prompt) -> None:
    st.subheader(t("inside.loss_head"))
    explain(t("inside.loss_text"))
    if len(p.ids) < 2:
        st.info(t("inside.short_prompt"), icon=":material/info:")
        return
    losses = mode_losses(p.ids)["learned"]
    ps = pieces(p.ids)
    mean = float(np.mean(losses))
    worst = int(np.argmax(losses))
    plot(
        vz.position_losses(
            losses, ps[1:], mean, axis=t("inside.loss_axis"), mean_name=t("inside.loss_mean")
        ),
        key="in_loss_fig",
        alt=t("inside.loss_alt", n=len(losses), mean=f"{mean:.3f}"),
    )
    st.markdown(
        t(
            "inside.loss_notice",
            mean=f"{mean:.3f}",
            n=len(losses),
            ppl=f"{np.exp(mean):.2f}",
            worst=_label(ps[worst + 1]),
            after=_label(ps[worst]),
            p=f"{np.exp(-losses[worst]):.1%}",
            loss=f"{losses[worst]:.2f}",
        )
    )
    held = heldout_scores()["gpt"]  # recomputed live, once per server process
    st.caption(t("inside.loss_heldout", loss=f"{held.loss:.3f}", n=plain(held.n_tokens)))


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
                text="".join(_label(s) for s in pieces(new)) or "∅",
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
            st.caption(t("inside.kv_check", d=f"{check:.1e}"))
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
        t("inside.col_token"): [_label(s) for s in pieces(new)],
        t("inside.kv_with"): [a for a, _ in macs],
        t("inside.kv_without"): [b for _, b in macs],
    }
    downloads("kv_cache", key="in_dl_kv", table=rows)
