"""The shared GPT training generator (core/gpt_train.py) against the loop it replaced:
the same weights bit for bit, one progress per step, deterministic for a seed. (The full
proof — the script rewriting assets/tiny_gpt.npz identically — takes ~30 s; it was run
when the generator was introduced: every array and every non-timing metadata field
equal.)"""

from __future__ import annotations

import math

import numpy as np

from core import corpus, gpt_train
from core.gpt import GPT, GPTConfig, train_step
from core.gpt_train import Recipe
from core.optimizers import make_optimizer
from core.schedules import learning_rates

TINY = Recipe(
    steps=12, seed=5, batch=3, n_ctx=8, n_embd=8, n_layer=1, n_head=2, lr=3e-3, warmup=3,
    min_lr=1e-4,
)  # fmt: skip


def _reference(r: Recipe, tok) -> tuple[GPT, list[float]]:
    """The loop as scripts/train_tiny_gpt.py wrote it before the generator existed."""
    cfg = GPTConfig(vocab_size=tok.size, n_ctx=r.n_ctx, n_embd=r.n_embd, n_layer=r.n_layer,
                    n_head=r.n_head)  # fmt: skip
    rng = np.random.default_rng(r.seed)
    model = GPT(cfg, rng=rng, dtype=np.dtype(r.dtype), embedding_std=r.embedding_std)
    opt = make_optimizer("adam", lr=r.lr)
    lrs = learning_rates("warmup_cosine", r.lr, r.steps, warmup_steps=r.warmup, min_lr=r.min_lr)
    losses = []
    for step in range(r.steps):
        w = corpus.sample_windows(rng, r.batch, r.n_ctx, tok, split="train")
        losses.append(train_step(model, opt, w.inputs, w.targets, float(lrs[step])))
    return model, losses


def test_generator_equals_the_old_loop_bit_for_bit() -> None:
    tok = corpus.make_tokenizer()
    ref, ref_losses = _reference(TINY, tok)
    progress = list(gpt_train.train(TINY, tok))
    assert [p.step for p in progress] == list(range(TINY.steps + 1))
    assert math.isnan(progress[0].loss)
    assert [p.loss for p in progress[1:]] == ref_losses
    model = progress[-1].model
    assert all(p.model is model for p in progress)
    for name, value in ref.params.items():
        assert np.array_equal(model.params[name], value), name


def test_deterministic_for_a_seed_and_learning() -> None:
    tok = corpus.make_tokenizer()
    r = Recipe(**{**TINY.__dict__, "steps": 60})
    a = [p.loss for p in gpt_train.train(r, tok)][1:]
    b = [p.loss for p in gpt_train.train(r, tok)][1:]
    assert a == b
    assert all(np.isfinite(a))
    assert np.mean(a[-10:]) < np.mean(a[:10])  # it learns
    c = [p.loss for p in gpt_train.train(Recipe(**{**r.__dict__, "seed": 6}), tok)][1:]
    assert c != a
