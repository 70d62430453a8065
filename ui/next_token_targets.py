"""The next-token page's section on the training target: the answer at each position is
the next token of the text, the loss there is −log p(answer), its mean the cross-entropy
(beside the RMSE of the earlier chapters), all from the model on screen."""

from __future__ import annotations

import numpy as np
import streamlit as st

from ui.i18n import t
from ui.layout import explain, plot
from ui.next_token import Prompt, bundle, targets, visible
from viz import next_token as vz


def targets_section(p: Prompt) -> None:
    """Where the "correct answer" comes from: each next token of the prompt, the model's
    probability for it and the loss −log p, their mean (the cross-entropy) beside the
    RMSE of the earlier chapters, all computed by the model on screen."""
    tok = bundle().tok
    st.subheader(t("nt.target_head"))
    explain(t("nt.target_text"))
    r = targets(p.ids)
    if r is None:
        st.info(t("nt.target_short"), icon=":material/info:")
        return
    inputs = [tok.piece(i) for i in r.inputs]
    answers = [tok.piece(i) for i in r.targets]
    worst = int(np.argmax(r.losses))
    plot(
        vz.target_losses(
            inputs,
            answers,
            r.p_target,
            r.losses,
            mean=r.mean_loss,
            mean_name=t("nt.target_mean", loss=f"{r.mean_loss:.3f}"),
            loss_axis=t("nt.target_axis"),
        ),
        key="nt_target_fig",
        alt=t("nt.target_alt", n=len(r.losses), loss=f"{r.mean_loss:.3f}"),
    )
    st.markdown(
        t(
            "nt.target_numbers",
            n=len(r.losses),
            loss=f"{r.mean_loss:.3f}",
            ppl=f"{r.perplexity:.1f}",
            worst=vz.token_label(answers[worst]),
            after=vz.token_label(inputs[worst]),
            p=f"{r.p_target[worst]:.3f}",
            wloss=f"{r.losses[worst]:.2f}",
            wrmse=f"{r.rmse[worst]:.3f}",
            rmse=f"{r.mean_rmse:.3f}",
            v=tok.size,
        )
    )
    with st.expander(t("nt.target_table")):
        st.dataframe(
            {
                t("nt.col_pos"): list(range(1, len(inputs) + 1)),
                t("nt.col_read"): [visible(x) for x in inputs],
                t("nt.col_answer"): [visible(x) for x in answers],
                t("nt.col_p"): [round(float(v), 4) for v in r.p_target],
                t("nt.col_loss"): [round(float(v), 4) for v in r.losses],
                t("nt.col_rmse"): [round(float(v), 4) for v in r.rmse],
                t("nt.col_top"): [visible(tok.piece(i)) for i in r.top],
            },
            hide_index=True,
            width="stretch",
        )
