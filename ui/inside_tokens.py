"""The inside chapter's first part: from text to tokens. Bytes first, then byte-level
BPE merge by merge (core/bpe.py), then a real LLM tokenizer beside ours
(ui/real_tokenizer.py) and the "token tax" of a non-Latin script.

The merge slider and what it changes form a fragment: a move reruns only that part.
Settings are declared in ui/model/inside.py."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from core.bpe import BPE, train_bpe
from ui import real_tokenizer as rt
from ui import widgets as w
from ui.fmt import plain
from ui.i18n import t
from ui.layout import downloads, explain, plot
from ui.model.inside import CHIPS_SHOWN, MAX_MERGES, InsideSettings, byte_label, ratio
from ui.tour import focus
from viz import inside as vz


@st.cache_data(max_entries=64, show_spinner=False)
def trained(text: str) -> tuple[BPE, tuple[tuple[int, ...], ...]]:
    """BPE trained on ``text`` with up to MAX_MERGES merges, and the text's ids after
    0, 1, ... merges (each step applies one merge to the one before)."""
    bpe = train_bpe(text, MAX_MERGES)
    return bpe, tuple(tuple(s) for s in bpe.steps(text))


def bytes_section(text: str) -> None:
    """The first characters of the text with their UTF-8 bytes: where BPE starts."""
    st.markdown(t("inside.bytes_head"))
    chars = list(text[:10])
    if not chars:
        return
    table = {
        t("inside.col_char"): [ch.replace(" ", "␣").replace("\n", "↵") for ch in chars],
        t("inside.col_bytes"): [" ".join(f"{b:02X}" for b in ch.encode("utf-8")) for ch in chars],
    }
    # one column per character: the bytes sit right under the character they spell
    st.dataframe(pd.DataFrame(table, index=range(1, len(chars) + 1)).T, width="stretch")
    wide = next((ch for ch in text if len(ch.encode("utf-8")) >= 3), None)
    n_chars, n_bytes = len(text), len(text.encode("utf-8"))
    st.markdown(t("inside.bytes_count", chars=plain(n_chars), bytes=plain(n_bytes)))
    if wide is not None:
        hexes = " ".join(f"{b:02X}" for b in wide.encode("utf-8"))
        st.markdown(t("inside.bytes_wide", ch=wide, n=len(wide.encode("utf-8")), hex=hexes))


@dataclass(frozen=True)
class MergeView:
    k: int  # merges applied
    ids: tuple[int, ...]
    new_id: int | None  # the token the k-th merge made


def merge_view(steps: tuple[tuple[int, ...], ...], k: int) -> MergeView:
    """The text's tokens after ``k`` merges (clamped to the merges learned) and the id of
    the token the k-th merge made (byte-level BPE numbers merges from 256)."""
    k = min(max(int(k), 0), len(steps) - 1)
    return MergeView(k, steps[k], 256 + k - 1 if k > 0 else None)


@st.fragment
def merges_section(text: str) -> None:
    """The merge stepper: the text re-tokenized after each merge, the newest token lit."""
    bpe, steps = trained(text)
    n_learned = len(bpe.merges)
    st.subheader(t("inside.merge_head"))
    explain(t("inside.merge_text"))
    if n_learned == 0:
        st.info(t("inside.merge_none"), icon=":material/info:")
        return
    st.markdown(t("inside.do_merges"))
    k = w.control(
        InsideSettings,
        "merges",
        t("inside.merges_label"),
        max_value=n_learned,
        help=t("inside.merges_help", n=n_learned),
    )
    v = merge_view(steps, k)
    pieces = [byte_label(bpe.vocab[i]) for i in v.ids]
    new = [i == v.new_id for i in v.ids]
    n_bytes = len(steps[0])
    with focus("bpe"):
        if v.new_id is not None:
            a, b = bpe.merges[v.k - 1]
            st.markdown(
                t(
                    "inside.merge_now",
                    k=v.k,
                    a=byte_label(bpe.vocab[a]),
                    b=byte_label(bpe.vocab[b]),
                    new=byte_label(bpe.vocab[v.new_id]),
                    id=v.new_id,
                    n=sum(new),
                )
            )
        c1, c2, c3 = st.columns(3)
        c1.metric(t("inside.m_bytes"), plain(n_bytes))
        c2.metric(
            t("inside.m_tokens"),
            plain(len(v.ids)),
            delta=plain(len(v.ids) - n_bytes),
            delta_color="off",
        )
        c3.metric(t("inside.m_ratio"), f"{ratio(n_bytes, len(v.ids)):.2f}")
        shown = min(len(pieces), CHIPS_SHOWN)
        plot(
            vz.token_chips(pieces[:shown], new[:shown]),
            key="in_chips",
            alt=t("inside.chips_alt", n=len(v.ids), k=v.k),
        )
        if shown < len(pieces):
            st.caption(t("inside.chips_cut", shown=shown, n=len(pieces)))
    table = {
        t("inside.col_merge"): list(range(1, v.k + 1)),
        t("inside.col_pair"): [
            f"{byte_label(bpe.vocab[a])} + {byte_label(bpe.vocab[b])}" for a, b in bpe.merges[: v.k]
        ],
        t("inside.col_new"): [byte_label(bpe.vocab[256 + i]) for i in range(v.k)],
        t("inside.col_tokens"): [len(steps[i + 1]) for i in range(v.k)],
    }
    if v.k:
        # drawn only while open (the state is in the link): a closed expander's data grid
        # was still built and sent on every move of the merge slider
        box = w.expander(
            "in_merges_open", t("inside.merge_table", k=v.k), icon=":material/table_rows:"
        )
        if box.open:
            with box:
                st.dataframe(pd.DataFrame(table), hide_index=True, width="stretch")
    downloads(
        "bpe_merges",
        key="in_dl_bpe",
        table=table,
        data={"text": text, "merges": bpe.merges[: v.k], "ids": list(v.ids)},
    )


def real_section(text: str) -> None:
    """cl100k_base beside ours, and the same sentence in Japanese and English."""
    st.subheader(t("inside.real_head"))
    enc = rt.encoding()
    if enc is None:
        st.info(t("inside.real_missing"), icon=":material/extension_off:")
        return
    explain(t("inside.real_text"))
    own = rt.count(text, enc)
    if own is not None and own.tokens:
        st.markdown(
            t(
                "inside.real_count",
                tokens=plain(own.tokens),
                chars=plain(own.chars),
                bytes=plain(own.bytes),
            )
        )
        shown = [byte_label(b) for b in own.pieces[:CHIPS_SHOWN]]
        plot(
            vz.token_chips(shown, [False] * len(shown)),
            key="in_real_chips",
            alt=t("inside.real_alt", n=own.tokens),
        )
    pair = [
        (t("inside.tax_ja_name"), t("inside.tax_ja")),
        (t("inside.tax_en_name"), t("inside.tax_en")),
    ]
    counts = [rt.count(s, enc) for _, s in pair]
    rows = {
        t("inside.col_lang"): [name for name, _ in pair],
        t("inside.col_sentence"): [s for _, s in pair],
        t("inside.col_chars"): [c.chars for c in counts],
        t("inside.col_bytes_n"): [c.bytes for c in counts],
        t("inside.col_cl100k"): [c.tokens for c in counts],
    }
    with focus("token_tax"):
        st.markdown(t("inside.tax_head"))
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
        ja, en = counts
        st.markdown(
            t(
                "inside.tax_result",
                ja=ja.tokens,
                en=en.tokens,
                r=f"{ratio(ja.tokens, en.tokens):.1f}",
                cja=f"{ratio(ja.chars, ja.tokens):.1f}",
                cen=f"{ratio(en.chars, en.tokens):.1f}",
            )
        )
