"""Benchmark of the tiny GPT (plain script, prints medians).

    .venv/bin/python -m bench.bench_gpt [--repeats 30]

- forward latency of the bundled model on a 32-token prompt (float64, as the page runs it);
- training throughput (tokens/s) of loss_and_gradients + an Adam step, float32 and float64,
  batch 16 x 48 tokens, at the bundled model's size;
- only where PyTorch happens to be installed (never a dependency): the same forward and
  forward+backward written with torch on CPU, the ratio numpy/torch, and a cross-check
  that both give the same logits and gradients; where transformers is installed too, the
  checkpoint's parameters loaded unchanged into ``GPT2LMHeadModel`` and its logits compared.

Threads are pinned to 1 (as in training) before NumPy is imported. The machine is shared:
read medians, not single runs.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import pathlib  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402

import numpy as np  # noqa: E402

from core import corpus  # noqa: E402
from core.gpt import GPT, load_checkpoint  # noqa: E402
from core.optimizers import make_optimizer  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[1]


def median_seconds(fn: Callable[[], object], repeats: int, warmup: int = 2) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def torch_forward_backward(model: GPT, ids: np.ndarray, targets: np.ndarray):
    """The same GPT-2 computation in torch (float64), reading the same named parameters."""
    import torch
    import torch.nn.functional as F

    cfg = model.config
    P = {k: torch.tensor(v, requires_grad=True) for k, v in model.params.items()}
    C, H = cfg.n_embd, cfg.n_head

    def forward(idx: torch.Tensor) -> torch.Tensor:
        B, T = idx.shape
        x = P["transformer.wte.weight"][idx] + P["transformer.wpe.weight"][:T]
        mask = torch.ones(T, T, dtype=torch.bool).tril()
        for i in range(cfg.n_layer):
            p = f"transformer.h.{i}."
            h = F.layer_norm(x, (C,), P[p + "ln_1.weight"], P[p + "ln_1.bias"], 1e-5)
            q, k, v = (h @ P[p + "attn.c_attn.weight"] + P[p + "attn.c_attn.bias"]).split(C, -1)
            q, k, v = (z.view(B, T, H, C // H).transpose(1, 2) for z in (q, k, v))
            att = (q @ k.transpose(-1, -2)) / (C // H) ** 0.5
            att = att.masked_fill(~mask, float("-inf")).softmax(-1)
            y = (att @ v).transpose(1, 2).reshape(B, T, C)
            x = x + y @ P[p + "attn.c_proj.weight"] + P[p + "attn.c_proj.bias"]
            h = F.layer_norm(x, (C,), P[p + "ln_2.weight"], P[p + "ln_2.bias"], 1e-5)
            f = F.gelu(h @ P[p + "mlp.c_fc.weight"] + P[p + "mlp.c_fc.bias"], approximate="tanh")
            x = x + f @ P[p + "mlp.c_proj.weight"] + P[p + "mlp.c_proj.bias"]
        x = F.layer_norm(x, (C,), P["transformer.ln_f.weight"], P["transformer.ln_f.bias"], 1e-5)
        return x @ P["transformer.wte.weight"].T

    idx, tgt = torch.tensor(ids), torch.tensor(targets)

    def fwd() -> torch.Tensor:
        with torch.no_grad():
            return forward(idx[:1, :32])

    def fwd_bwd() -> tuple[float, dict]:
        for t in P.values():
            t.grad = None
        logits = forward(idx)
        loss = F.cross_entropy(logits.reshape(-1, cfg.vocab_size), tgt.reshape(-1))
        loss.backward()
        return float(loss.detach()), {k: t.grad.numpy() for k, t in P.items()}

    return torch, fwd, fwd_bwd


def hugging_face_check(model: GPT, prompt: list[int]) -> str:
    """Load our parameters, unchanged, into transformers.GPT2LMHeadModel (only where
    transformers is installed) and compare the logits."""
    import torch
    from transformers import GPT2Config, GPT2LMHeadModel

    cfg = model.config
    hf = (
        GPT2LMHeadModel(
            GPT2Config(
                vocab_size=cfg.vocab_size,
                n_positions=cfg.n_ctx,
                n_embd=cfg.n_embd,
                n_layer=cfg.n_layer,
                n_head=cfg.n_head,
                activation_function="gelu_new",
                resid_pdrop=0.0,
                embd_pdrop=0.0,
                attn_pdrop=0.0,
                layer_norm_epsilon=1e-5,
                bos_token_id=None,
                eos_token_id=None,
            )
        )
        .double()
        .eval()
    )
    state = {k: torch.tensor(v) for k, v in model.params.items()}
    missing, unexpected = hf.load_state_dict(state, strict=False)
    # what is allowed to be missing: the tied head and the causal-mask buffers
    assert not unexpected, unexpected
    assert all(
        k == "lm_head.weight" or k.endswith((".attn.bias", ".attn.masked_bias")) for k in missing
    ), missing
    hf.tie_weights()
    with torch.no_grad():
        out = hf(torch.tensor([prompt])).logits[0].numpy()
    err = float(np.abs(out - model.forward(prompt)[0]).max())
    return f"transformers GPT2LMHeadModel with our parameters: |Δlogits| {err:.1e}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=30)
    args = ap.parse_args()
    model, _ = load_checkpoint(ROOT / "assets" / "tiny_gpt.npz")
    cfg = model.config
    tok = corpus.make_tokenizer()
    w = corpus.sample_windows(np.random.default_rng(0), 16, cfg.n_ctx, tok)
    prompt = w.inputs[0, :32].tolist()
    print(f"tiny GPT: {model.n_params():,} parameters, {cfg}")
    print(
        f"threads: OMP={os.environ['OMP_NUM_THREADS']} "
        f"OPENBLAS={os.environ['OPENBLAS_NUM_THREADS']}, numpy {np.__version__}"
    )

    t_fwd = median_seconds(lambda: model.forward(prompt), args.repeats)
    print(f"forward, 32-token prompt (float64):       median {t_fwd * 1e3:7.2f} ms")

    n_tok = w.inputs.size
    results = {}
    for dtype in (np.float32, np.float64):
        m = GPT(cfg, dtype=dtype)
        m.params = {k: v.astype(dtype) for k, v in model.params.items()}
        opt = make_optimizer("adam", lr=1e-4)

        def step(m: GPT = m, opt=opt) -> None:
            _, g = m.loss_and_gradients(w.inputs, w.targets)
            opt.step(m.params, g)

        t = median_seconds(step, max(5, args.repeats // 3))
        results[dtype] = t
        print(
            f"training step {w.inputs.shape[0]}x{w.inputs.shape[1]} ({np.dtype(dtype).name}):"
            f"  median {t * 1e3:7.2f} ms = {n_tok / t:9.0f} tokens/s"
        )

    try:
        torch, fwd, fwd_bwd = torch_forward_backward(model, w.inputs, w.targets)
    except ImportError:
        print("torch: not installed, no comparison (it is never a dependency)")
        return
    torch.set_num_threads(1)
    loss_np, g_np = model.loss_and_gradients(w.inputs, w.targets)
    loss_t, g_t = fwd_bwd()
    logits_t = fwd().numpy()[0]
    err_logits = float(np.abs(logits_t - model.forward(prompt)[0]).max())
    err_grad = max(float(np.abs(g_t[k] - g_np[k]).max()) for k in g_np)
    print(
        f"torch {torch.__version__} cross-check (float64): |Δlogits| {err_logits:.1e}, "
        f"|Δloss| {abs(loss_t - loss_np):.1e}, max |Δgrad| {err_grad:.1e}"
    )
    try:
        print(hugging_face_check(model, prompt))
    except ImportError:
        print("transformers: not installed, no Hugging Face check")
    t_tf = median_seconds(fwd, args.repeats)
    t_tb = median_seconds(fwd_bwd, max(5, args.repeats // 3))
    t_nb = median_seconds(
        lambda: model.loss_and_gradients(w.inputs, w.targets), max(5, args.repeats // 3)
    )
    print(
        f"torch forward 32 tokens: median {t_tf * 1e3:7.2f} ms  -> numpy/torch = {t_fwd / t_tf:.2f}"
    )
    print(
        f"torch forward+backward {w.inputs.shape}: median {t_tb * 1e3:7.2f} ms; numpy "
        f"float64 {t_nb * 1e3:7.2f} ms -> numpy/torch = {t_nb / t_tb:.2f}"
    )


if __name__ == "__main__":
    main()
