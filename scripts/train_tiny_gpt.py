"""Train the bundled tiny GPT from scratch and write ``assets/tiny_gpt.npz``.

    python -m scripts.train_tiny_gpt            # the bundled model (a few minutes, 1 thread)
    python -m scripts.train_tiny_gpt --steps 300 --out /tmp/x.npz   # a quick try

Reproducible: the corpus, the initial weights and the batches come from fixed seeds, and
BLAS runs on one thread (set below, before NumPy is imported), so the same machine writes
the same file. Training runs in float32 for speed (about 3x faster than float64 here); the
weights are stored, and every metric is recomputed from them, in float64.

The file holds the weights under Hugging Face GPT-2 names, the config (``config_json``
and ``config.<field>`` integers), the vocabulary (``vocab_json``) and the training
metadata (``metadata_json``: seeds, steps, schedule, loss curve, and held-out loss and
accuracy of the GPT and of the bigram baseline).
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import pathlib  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from dataclasses import asdict, dataclass  # noqa: E402

import numpy as np  # noqa: E402

from core import corpus, gpt_train  # noqa: E402
from core.gpt import GPT, Evaluation, evaluate, evaluate_probs  # noqa: E402
from core.gpt_train import Recipe  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "assets" / "tiny_gpt.npz"


@dataclass(frozen=True)
class TrainSettings:
    seed: int = 1234  # initial weights and training batches
    steps: int = 1500
    batch: int = 24  # windows per step
    n_ctx: int = 32
    n_embd: int = 48
    n_layer: int = 2
    n_head: int = 4
    embedding_std: float = 0.3  # token-embedding init (see GPT.__init__)
    lr: float = 3e-3  # Adam, peak learning rate
    warmup: int = 150
    min_lr: float = 1e-4
    eval_seed: int = 20240  # held-out windows
    eval_windows: int = 500
    train_eval_seed: int = 777  # a fixed sample of training windows for the train loss
    train_eval_windows: int = 200
    bigram_seed: int = 99  # training windows the bigram counts
    bigram_windows: int = 4000
    bigram_alpha: float = 0.01
    dtype: str = "float32"  # training arithmetic; stored weights are float64


def eval_dict(ev: Evaluation) -> dict[str, object]:
    return {
        "loss": ev.loss,
        "accuracy": ev.accuracy,
        "long_range_accuracy": ev.long_range_accuracy,
        "by_family": {corpus.FAMILIES[k]: v for k, v in ev.by_family.items()},
        "n_tokens": ev.n_tokens,
        "n_marked": ev.n_marked,
    }


def held_out(s: TrainSettings, tok: object) -> corpus.Windows:
    return corpus.sample_windows(
        np.random.default_rng(s.eval_seed), s.eval_windows, s.n_ctx, tok, split="heldout"
    )


def baseline(s: TrainSettings, tok: object) -> tuple[object, dict[str, object]]:
    """The bigram baseline and its held-out scores (recomputable from the settings)."""
    bg = corpus.fit_baseline(s.bigram_seed, s.bigram_windows, s.n_ctx, tok, alpha=s.bigram_alpha)
    h = held_out(s, tok)
    return bg, eval_dict(evaluate_probs(bg.probs(h.inputs), h.targets, h.marks))


def scores(model: GPT, s: TrainSettings, tok: object) -> dict[str, object]:
    """Train loss on fixed training windows and held-out scores of ``model``."""
    tw = corpus.sample_windows(
        np.random.default_rng(s.train_eval_seed), s.train_eval_windows, s.n_ctx, tok, split="train"
    )
    h = held_out(s, tok)
    return {
        "train": eval_dict(evaluate(model, tw.inputs, tw.targets, tw.marks)),
        "heldout": eval_dict(evaluate(model, h.inputs, h.targets, h.marks)),
    }


def bar(done: int, total: int, loss: float, t0: float) -> str:
    n = 30 * done // total
    rate = done / max(time.perf_counter() - t0, 1e-9)
    eta = (total - done) / max(rate, 1e-9)
    return f"\r[{'#' * n}{'.' * (30 - n)}] {done}/{total}  loss {loss:.3f}  eta {eta:4.0f}s"


def train(s: TrainSettings, *, quiet: bool = False) -> tuple[GPT, dict[str, object]]:
    tok = corpus.make_tokenizer()
    recipe = Recipe(
        steps=s.steps,
        seed=s.seed,
        batch=s.batch,
        n_ctx=s.n_ctx,
        n_embd=s.n_embd,
        n_layer=s.n_layer,
        n_head=s.n_head,
        lr=s.lr,
        warmup=s.warmup,
        min_lr=s.min_lr,
        embedding_std=s.embedding_std,
        dtype=s.dtype,
    )
    curve: list[list[float]] = []
    # long-range accuracy during training, on a small held-out sample (seed eval_seed + 1)
    probe = corpus.heldout_windows(s.eval_seed + 1, gpt_train.PROBE_WINDOWS, s.n_ctx, tok)
    lr_curve: list[list[float]] = []
    running, t0, c0 = [], time.perf_counter(), time.process_time()
    for p in gpt_train.train(recipe, tok):
        model = p.model
        if p.step == 0:
            continue
        running.append(p.loss)
        if p.step % 100 == 0 or p.step == s.steps:
            ev = evaluate(model, probe.inputs, probe.targets, probe.marks)
            lr_curve.append([p.step, ev.long_range_accuracy])
        if p.step % 50 == 0 or p.step == s.steps:
            curve.append([p.step, float(np.mean(running))])
            running = []
            if not quiet:
                print(bar(p.step, s.steps, curve[-1][1], t0), end="", file=sys.stderr, flush=True)
    seconds = time.perf_counter() - t0
    cpu_seconds = time.process_time() - c0
    if not quiet:
        print(file=sys.stderr)
    model.params = {k: v.astype(np.float64) for k, v in model.params.items()}
    _, bigram_scores = baseline(s, tok)
    meta = {
        "settings": asdict(s),
        "config": model.config.to_dict(),
        "n_params": model.n_params(),
        "optimizer": "adam (core.optimizers, torch.optim defaults)",
        "schedule": "warmup_cosine (core.schedules)",
        "loss_curve": curve,  # [step, mean training loss of the last 50 steps]
        "long_range_curve": lr_curve,  # [step, long-range accuracy on the probe windows]
        "gpt": scores(model, s, tok),
        "bigram": {"heldout": bigram_scores},
        "train_seconds": round(seconds, 1),  # wall clock (the machine may be shared)
        "train_cpu_seconds": round(cpu_seconds, 1),  # CPU time of this process
        "tokens_per_second": round(s.steps * s.batch * s.n_ctx / seconds, 1),
        "threads": {
            k: os.environ.get(k)
            for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
        },
        "numpy": np.__version__,
        "python": platform.python_version(),
        "corpus": {
            "families": list(corpus.FAMILIES),
            "heldout_weather": sorted(corpus.HELDOUT_WEATHER),
        },
    }
    return model, meta


def save(model: GPT, meta: dict[str, object], out: pathlib.Path) -> None:
    tok = corpus.make_tokenizer()
    out.parent.mkdir(parents=True, exist_ok=True)
    model.save(
        out,
        extras={"vocab_json": tok.to_json(), "metadata_json": json.dumps(meta, ensure_ascii=False)},
    )


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--steps", type=int, default=TrainSettings.steps)
    ap.add_argument("--out", type=pathlib.Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    s = TrainSettings(steps=args.steps)
    model, meta = train(s)
    save(model, meta, args.out)
    g, b = meta["gpt"]["heldout"], meta["bigram"]["heldout"]
    print(
        f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB) in "
        f"{meta['train_seconds']} s, {meta['n_params']} parameters"
    )
    for name, e in (("GPT", g), ("bigram", b)):
        fams = ", ".join(f"{k} {v:.1%}" for k, v in e["by_family"].items())
        print(
            f"{name:7s} held-out loss {e['loss']:.3f}  accuracy {e['accuracy']:.1%}  "
            f"long-range {e['long_range_accuracy']:.1%} ({fams})"
        )


if __name__ == "__main__":
    main()
