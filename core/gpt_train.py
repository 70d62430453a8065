"""One training loop for the tiny GPT, shared by ``scripts/train_tiny_gpt.py`` (the
bundled model) and the next-token page's "watch it learn" (a small model trained live).

:func:`train` is a generator: it yields a :class:`Progress` after every optimizer step
(and once before the first, so a caller can look at the untrained model), and the caller
decides what to record, print or draw. The sequence of random draws is fixed by the
recipe's seed: the initial weights, then one batch of training windows per step, from one
generator, so the same recipe gives the same model bit for bit on the same machine.

Pure NumPy (and this project's core modules)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from core import corpus
from core.gpt import GPT, GPTConfig, train_step
from core.optimizers import make_optimizer
from core.schedules import learning_rates
from core.tokenizer import Tokenizer

#: Held-out windows on which the training script measures the long-range accuracy
#: (the stored log's curve; the next-token page states this number).
PROBE_WINDOWS = 100


@dataclass(frozen=True)
class Recipe:
    """Everything that fixes a training run: the model's shape, the optimizer (Adam)
    with a warm-up + cosine learning-rate schedule, the batches and the seed."""

    steps: int
    seed: int
    batch: int  # training windows per step
    n_ctx: int
    n_embd: int
    n_layer: int
    n_head: int
    lr: float  # peak learning rate
    warmup: int
    min_lr: float
    embedding_std: float = 0.3  # token-embedding init (see GPT.__init__)
    dtype: str = "float32"  # training arithmetic


@dataclass(frozen=True)
class Progress:
    step: int  # optimizer steps done (0 before the first)
    loss: float  # the batch loss of this step, before its update (NaN at step 0)
    lr: float  # the learning rate this step used (NaN at step 0)
    model: GPT  # the model being trained (the same object throughout)


def train(recipe: Recipe, tokenizer: Tokenizer) -> Iterator[Progress]:
    """Train a fresh GPT on the corpus's training split, one :class:`Progress` per step."""
    cfg = GPTConfig(
        vocab_size=tokenizer.size,
        n_ctx=recipe.n_ctx,
        n_embd=recipe.n_embd,
        n_layer=recipe.n_layer,
        n_head=recipe.n_head,
    )
    rng = np.random.default_rng(recipe.seed)
    model = GPT(cfg, rng=rng, dtype=np.dtype(recipe.dtype), embedding_std=recipe.embedding_std)
    opt = make_optimizer("adam", lr=recipe.lr)
    lrs = learning_rates(
        "warmup_cosine", recipe.lr, recipe.steps, warmup_steps=recipe.warmup, min_lr=recipe.min_lr
    )
    yield Progress(0, float("nan"), float("nan"), model)
    for step in range(recipe.steps):
        w = corpus.sample_windows(rng, recipe.batch, recipe.n_ctx, tokenizer, split="train")
        lr = float(lrs[step])
        loss = train_step(model, opt, w.inputs, w.targets, lr)
        yield Progress(step + 1, loss, lr, model)
