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
    perplexity,
    position_losses,
    softmax,
    target_nll,
    trace,
)
from ui import widgets as w
from ui.fmt import plain, signed
from ui.i18n import t
from ui.layout import downloads, explain, plot
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
        out[mode] = target_nll(tr.probs, ids)
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


def label(piece: str) -> str:
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


def model_text() -> str:
    """The sentence that introduces the tiny GPT, its sizes read from the loaded model."""
    cfg = bundle().model.config
    return t("inside.model_text", blocks=cfg.n_layer, heads=cfg.n_head, width=cfg.n_embd)


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
        col.markdown(t("inside.pos_top", mode=t(f"inside.pos_{m}"), token=label(pieces(p.ids)[-1])))
        col.dataframe(
            pd.DataFrame(
                {
                    t("inside.col_token"): [label(s) for s, _ in top],
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
            # three decimals, as in the table above: at two the modes often read alike
            learned=f"{means['learned']:.3f}",
            none=f"{means['none']:.3f}",
            shuffled=f"{means['shuffled']:.3f}",
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
            labels={i: label(s) for i, s in enumerate(ps)},
            help=t("inside.follow_help"),
        ),
        len(ps),
    )
    tr = traced(p.ids, "learned")
    best = top_tokens(tr.probs[f], 1)[0]
    st.markdown(
        t(
            "inside.flow_path",
            token=label(ps[f]),
            id=p.ids[f],
            pos=f,
            width=cfg.n_embd,
            n_layer=cfg.n_layer,
            vocab=cfg.vocab_size,
            top=label(best[0]),
            p=f"{best[1]:.0%}",
        )
    )
    rows = [tr.tok_emb[f], tr.pos_emb[f], tr.hidden[0][f]]
    for i in range(cfg.n_layer):
        rows += [tr.attn_out[i][f], tr.mlp_out[i][f], tr.hidden[i + 1][f]]
    plot(
        vz.residual_stream(np.stack(rows), stage_names(cfg.n_layer), dim_axis=t("inside.dim")),
        key="in_stream_fig",
        alt=t("inside.stream_alt", token=label(ps[f]), n=len(rows)),
    )
    norms = [float(np.linalg.norm(tr.hidden[i][f])) for i in range(cfg.n_layer + 1)]
    st.markdown(
        t(
            "inside.stream_notice",
            token=label(ps[f]),
            first=f"{norms[0]:.2f}",
            last=f"{norms[-1]:.2f}",
        )
    )
    st.markdown(t("inside.looks_head", token=label(ps[f])))
    heads = [
        t("inside.layer_head", layer=i + 1, head=h + 1)
        for i in range(cfg.n_layer)
        for h in range(cfg.n_head)
    ]
    weights = tr.attentions[:, :, f, : f + 1].reshape(-1, f + 1)
    plot(
        vz.looks_at(weights, ps[: f + 1], heads, weight_axis=t("inside.weight")),
        key="in_looks_fig",
        alt=t("inside.looks_alt", token=label(ps[f])),
    )
    row, col = np.unravel_index(int(np.argmax(weights)), weights.shape)
    st.markdown(
        t(
            "inside.looks_notice",
            head=heads[row],
            w=f"{weights[row, col]:.0%}",
            target=label(ps[col]),
        )
    )
    # the logit lens on the whole prompt, the followed position outlined
    lens = tr.lens
    probs = softmax(lens)
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
                token=label(ps[f]),
                echo=int(np.sum(best[0] == np.asarray(p.ids))),
                n=len(ps),
                early=label(first[0]),
                p_early=f"{first[1]:.0%}",
                final=label(final[0][0]),
                p_final=f"{final[0][1]:.0%}",
            )
        )
    _next_probs(tr.probs[f], p.ids[f + 1] if f + 1 < len(p.ids) else None, ps[f])
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


def _next_probs(probs: np.ndarray, actual: int | None, token: str) -> None:
    """The end of the flow: the probabilities at the followed position, and the token the
    prompt really continues with (when there is one) marked."""
    order = [int(i) for i in np.argsort(-probs, kind="stable")[:8]]
    if actual is not None and actual not in order:
        order[-1] = actual
    tok = bundle().tok
    mark = order.index(actual) if actual is not None else None
    st.markdown(t("inside.next_head", token=label(token)))
    plot(
        vz.next_probs([tok.piece(i) for i in order], probs[order], mark, axis=t("inside.prob")),
        key="in_next_fig",
        alt=t("inside.next_alt", token=label(token)),
    )
    if actual is not None:
        st.markdown(
            t(
                "inside.next_actual",
                actual=label(tok.piece(actual)),
                p=f"{probs[actual]:.1%}",
                loss=f"{-np.log(max(probs[actual], 1e-300)):.2f}",
            )
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
            ppl=f"{perplexity(losses):.2f}",
            worst=label(ps[worst + 1]),
            after=label(ps[worst]),
            p=f"{np.exp(-losses[worst]):.1%}",
            loss=f"{losses[worst]:.2f}",
        )
    )
    held = heldout_scores()["gpt"]  # recomputed live, once per server process
    st.caption(t("inside.loss_heldout", loss=f"{held.loss:.3f}", n=plain(held.n_tokens)))
