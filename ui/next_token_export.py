"""The next-token page's downloads: the current prediction as CSV (every vocabulary
token) and JSON (settings, the prompt's tokens, the text so far, the top entries)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from core.tokenizer import Tokenizer
from ui.layout import downloads

if TYPE_CHECKING:
    from ui.next_token import Prompt

TOP = 10  # bars in the probability chart, entries of the JSON's "top" list


def prediction_table(
    tok: Tokenizer, logits: np.ndarray, probs: np.ndarray, draw: np.ndarray
) -> dict[str, list[Any]]:
    """Every vocabulary token, likeliest first: rank, id, text, logit, the model's
    probability and the probability the sampler draws with (ties keep id order)."""
    order = [int(i) for i in np.argsort(-probs, kind="stable")]
    return {
        "rank": list(range(1, len(order) + 1)),
        "token_id": order,
        "token": [tok.piece(i) for i in order],
        "logit": [float(logits[i]) for i in order],
        "p_model": [float(probs[i]) for i in order],
        "p_sampler": [float(draw[i]) for i in order],
    }


def prediction_data(
    tok: Tokenizer,
    p: Prompt,
    text: str,
    added: list[int],
    settings: dict[str, Any],
    kw: dict[str, Any],
    table: dict[str, list[Any]],
) -> dict[str, Any]:
    """The JSON export: settings, the prompt's tokens, the text so far, the top entries."""
    n_prompt = len(p.all_ids) - len(added)
    return {
        "settings": {"prompt": text, **settings, "sampler": kw},
        "prompt_tokens": list(p.pieces[:n_prompt]),
        "prompt_ids": list(p.all_ids[:n_prompt]),
        "generated_ids": list(added),
        "text_so_far": tok.decode(p.all_ids[1:] if p.empty else p.all_ids),  # no start mark
        "context_ids": list(p.ids),
        "n_cut": p.n_cut,
        "top": [{k: v[r] for k, v in table.items()} for r in range(min(TOP, len(table["rank"])))],
    }


def download_prediction(
    tok: Tokenizer,
    p: Prompt,
    text: str,
    added: list[int],
    settings: dict[str, Any],
    kw: dict[str, Any],
    logits: np.ndarray,
    probs: np.ndarray,
    draw: np.ndarray,
) -> None:
    """The current prediction as CSV (every token) and JSON (settings, prompt, top)."""
    table = prediction_table(tok, logits, probs, draw)
    downloads(
        "next-token",
        key="nt_dl",
        table=table,
        data=prediction_data(tok, p, text, added, settings, kw, table),
    )
