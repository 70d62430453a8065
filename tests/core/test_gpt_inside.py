"""Looking inside the tiny GPT, against independent truth: hidden states and the logit
lens recomputed with the test's own LayerNorm, the residual-stream bookkeeping of
``trace``, position modes against a model with an edited position table, the KV cache
against full forward passes, and the cache arithmetic against hand and brute counts."""

from __future__ import annotations

import copy
import math
import pathlib

import numpy as np
import pytest
from numpy.testing import assert_allclose

from core.gpt import (
    GPT,
    GPTConfig,
    GPTError,
    KVCache,
    Trace,
    generation_macs,
    kv_bytes_per_token,
    load_checkpoint,
    logit_lens,
    position_losses,
    trace,
)

SMALL = GPTConfig(vocab_size=11, n_ctx=8, n_embd=8, n_layer=2, n_head=2)
BUNDLED = pathlib.Path(__file__).resolve().parents[2] / "assets" / "tiny_gpt.npz"


def perturbed(cfg: GPTConfig = SMALL, seed: int = 1) -> GPT:
    """A model far from the init (non-trivial LayerNorm weights and biases)."""
    rng = np.random.default_rng(seed)
    m = GPT(cfg, rng=rng)
    for k in m.params:
        m.params[k] = m.params[k] + rng.normal(0, 0.3, m.params[k].shape)
    return m


@pytest.fixture(scope="module")
def bundled() -> GPT:
    return load_checkpoint(BUNDLED)[0]


def ln(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    """LayerNorm written independently of core.gpt (two-pass variance, eps 1e-5)."""
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + 1e-5) * w + b


def gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))


def head(m: GPT, x: np.ndarray) -> np.ndarray:
    P = m.params
    return ln(x, P["transformer.ln_f.weight"], P["transformer.ln_f.bias"]) @ (
        P["transformer.wte.weight"].T
    )


def ids_for(m: GPT, T: int, seed: int = 0) -> list[int]:
    return [int(i) for i in np.random.default_rng(seed).integers(0, m.config.vocab_size, T)]


# ── hidden states and the logit lens ─────────────────────────────────────────
@pytest.mark.parametrize("which", ["small", "bundled"])
def test_hidden_states_shape_and_last_through_head_is_logits(which: str, bundled: GPT) -> None:
    m = perturbed() if which == "small" else bundled
    cfg = m.config
    ids = ids_for(m, cfg.n_ctx)
    logits, atts = m.forward(ids)
    l2, a2 = m.forward(ids, hidden_states=False)
    l3, a3, hidden = m.forward(ids, hidden_states=True)
    for a, b in ((logits, l2), (logits, l3), (atts, a2), (atts, a3)):
        assert_allclose(a, b, rtol=0, atol=0)
    assert hidden.shape == (cfg.n_layer + 1, cfg.n_ctx, cfg.n_embd)
    P = m.params
    assert_allclose(
        hidden[0], P["transformer.wte.weight"][ids] + P["transformer.wpe.weight"][: len(ids)]
    )
    assert_allclose(head(m, hidden[-1]), logits, rtol=1e-10, atol=1e-10)
    lens = logit_lens(m, ids)
    assert lens.shape == (cfg.n_layer + 1, cfg.n_ctx, cfg.vocab_size)
    assert_allclose(lens[-1], logits, rtol=1e-10, atol=1e-10)
    for layer in range(cfg.n_layer + 1):
        assert_allclose(lens[layer], head(m, hidden[layer]), rtol=1e-10, atol=1e-10)


def test_hidden_states_causal() -> None:
    """A later token changes no earlier hidden state."""
    m = perturbed()
    _, _, ha = m.forward([1, 2, 3, 4, 5], hidden_states=True)
    _, _, hb = m.forward([1, 2, 3, 9, 0], hidden_states=True)
    assert_allclose(ha[:, :3], hb[:, :3], rtol=0, atol=1e-13)
    assert not np.allclose(ha[1:, 3:], hb[1:, 3:])


# ── trace: the residual stream, piece by piece ───────────────────────────────
@pytest.mark.parametrize("positions", [None, "none", [3, 0, 2, 1, 4]])
def test_trace_residual_bookkeeping(positions: object) -> None:
    m = perturbed()
    cfg, P = m.config, m.params
    ids = [4, 1, 7, 7, 2]
    T = len(ids)
    tr = trace(m, ids, positions=positions)
    assert isinstance(tr, Trace)
    L, H, C, V = cfg.n_layer, cfg.n_head, cfg.n_embd, cfg.vocab_size
    shapes = {
        "tok_emb": (T, C),
        "pos_emb": (T, C),
        "hidden": (L + 1, T, C),
        "attn_out": (L, T, C),
        "mlp_out": (L, T, C),
        "attentions": (L, H, T, T),
        "logits": (T, V),
        "lens": (L + 1, T, V),
        "probs": (T, V),
    }
    for name, shape in shapes.items():
        assert getattr(tr, name).shape == shape, name
    with pytest.raises(AttributeError):
        tr.logits = tr.probs  # type: ignore[misc]  # frozen

    wpe = P["transformer.wpe.weight"]
    if positions is None:
        want_pos = wpe[:T]
    elif positions == "none":
        want_pos = np.zeros((T, C))
    else:
        want_pos = wpe[positions]
    assert_allclose(tr.pos_emb, want_pos, rtol=0, atol=0)
    assert_allclose(tr.tok_emb, P["transformer.wte.weight"][ids], rtol=0, atol=0)
    assert_allclose(tr.hidden[0], tr.tok_emb + tr.pos_emb, rtol=0, atol=1e-15)
    for layer in range(L):
        assert_allclose(
            tr.hidden[layer + 1],
            tr.hidden[layer] + tr.attn_out[layer] + tr.mlp_out[layer],
            rtol=1e-12,
            atol=1e-12,
        )
        # attention and MLP parts recomputed here, from the stream they read
        p = f"transformer.h.{layer}."
        mid = tr.hidden[layer] + tr.attn_out[layer]
        want_mlp = (
            gelu(ln(mid, P[p + "ln_2.weight"], P[p + "ln_2.bias"]) @ P[p + "mlp.c_fc.weight"]
            + P[p + "mlp.c_fc.bias"])
            @ P[p + "mlp.c_proj.weight"]
            + P[p + "mlp.c_proj.bias"]
        )  # fmt: skip
        assert_allclose(tr.mlp_out[layer], want_mlp, rtol=1e-10, atol=1e-10)
        h1 = ln(tr.hidden[layer], P[p + "ln_1.weight"], P[p + "ln_1.bias"])
        qkv = h1 @ P[p + "attn.c_attn.weight"] + P[p + "attn.c_attn.bias"]
        D = C // H
        y = np.zeros((T, C))
        for h in range(H):
            v = qkv[:, 2 * C + h * D : 2 * C + (h + 1) * D]
            y[:, h * D : (h + 1) * D] = tr.attentions[layer, h] @ v
        want_attn = y @ P[p + "attn.c_proj.weight"] + P[p + "attn.c_proj.bias"]
        assert_allclose(tr.attn_out[layer], want_attn, rtol=1e-10, atol=1e-10)

    logits, atts = m.forward(ids, positions=positions)
    assert_allclose(tr.logits, logits, rtol=0, atol=0)
    assert_allclose(tr.attentions, atts, rtol=0, atol=0)
    assert_allclose(tr.lens, logit_lens(m, ids, positions=positions), rtol=1e-12, atol=1e-12)
    assert_allclose(tr.lens[-1], tr.logits, rtol=1e-10, atol=1e-10)
    assert_allclose(tr.probs.sum(-1), 1.0, atol=1e-12)
    assert_allclose(np.log(tr.probs[:, 1] / tr.probs[:, 0]), logits[:, 1] - logits[:, 0])


# ── position modes ────────────────────────────────────────────────────────────
def test_positions_identity_equals_default_exactly(bundled: GPT) -> None:
    for m in (perturbed(), bundled):
        ids = ids_for(m, m.config.n_ctx, seed=3)
        la, aa, ha = m.forward(ids, hidden_states=True)
        lb, ab, hb = m.forward(ids, hidden_states=True, positions=list(range(len(ids))))
        lc, _ = m.forward(ids, positions=np.arange(len(ids)))
        for x, y in ((la, lb), (aa, ab), (ha, hb), (la, lc)):
            assert_allclose(x, y, rtol=0, atol=0)


def test_positions_none_equals_zeroed_table(bundled: GPT) -> None:
    for m in (perturbed(), bundled):
        ids = ids_for(m, 6, seed=4)
        zeroed = copy.deepcopy(m)
        zeroed.params["transformer.wpe.weight"] = np.zeros_like(m.params["transformer.wpe.weight"])
        l_none, a_none, h_none = m.forward(ids, hidden_states=True, positions="none")
        l_zero, a_zero, h_zero = zeroed.forward(ids, hidden_states=True)
        assert_allclose(l_none, l_zero, rtol=0, atol=1e-14)
        assert_allclose(a_none, a_zero, rtol=0, atol=1e-14)
        assert_allclose(h_none, h_zero, rtol=0, atol=1e-14)
        assert not np.allclose(l_none, m.forward(ids)[0])  # positions matter
        assert_allclose(logit_lens(m, ids, positions="none"), logit_lens(zeroed, ids), atol=1e-12)


def test_positions_permutation_equals_permuted_table() -> None:
    m = perturbed()
    ids = [3, 1, 4, 1, 5, 9]
    perm = [5, 2, 0, 4, 1, 3]
    edited = copy.deepcopy(m)
    wpe = m.params["transformer.wpe.weight"]
    edited.params["transformer.wpe.weight"] = wpe.copy()
    edited.params["transformer.wpe.weight"][: len(ids)] = wpe[perm]
    assert_allclose(m.forward(ids, positions=perm)[0], edited.forward(ids)[0], rtol=0, atol=1e-14)
    # a repeated row and rows past T are allowed, as long as they are in the table
    m.forward(ids, positions=[7, 7, 7, 6, 6, 6])


@pytest.mark.parametrize(
    "positions",
    [[0, 1, 2], [0, 1, 2, 3, 4], [0, 1, 2, 8], [0, -1, 2, 3], [0.0, 1.0, 2.0, 3.0], "shuffle"],
)
def test_bad_positions(positions: object) -> None:
    m = perturbed()
    with pytest.raises(GPTError) as e:
        m.forward([1, 2, 3, 4], positions=positions)
    assert e.value.code == "bad_positions"
    with pytest.raises(GPTError):
        trace(m, [1, 2, 3, 4], positions=positions)


def test_default_path_and_gradients_unchanged_by_extensions() -> None:
    """The extended forward leaves loss_and_gradients' forward numbers alone."""
    m = perturbed()
    ids = np.array([[1, 2, 3, 4, 5, 6, 7], [7, 6, 5, 4, 3, 2, 1]])
    logits = m.logits_batch(ids)
    for b in range(2):
        assert_allclose(m.forward(ids[b])[0], logits[b], rtol=0, atol=0)
    loss, _ = m.loss_and_gradients(ids[0], [2, 3, 4, 5, 6, 7, 8])
    assert_allclose(loss, position_losses(m, [1, 2, 3, 4, 5, 6, 7, 8]).mean(), rtol=1e-13)


# ── KV cache ──────────────────────────────────────────────────────────────────
@pytest.mark.parametrize("which", ["small", "bundled"])
def test_prefill_decode_matches_full_forward(which: str, bundled: GPT) -> None:
    m = perturbed() if which == "small" else bundled
    cfg = m.config
    H, D = cfg.n_head, cfg.n_embd // cfg.n_head
    prompt = ids_for(m, 3, seed=5)
    logits, cache = m.prefill(prompt)
    assert isinstance(cache, KVCache)
    assert_allclose(logits, m.forward(prompt)[0], rtol=0, atol=1e-12)
    seq = list(prompt)
    rng = np.random.default_rng(6)
    while len(seq) < cfg.n_ctx:
        assert cache.length == len(seq)
        assert len(cache.keys) == len(cache.values) == cfg.n_layer
        for k, v in zip(cache.keys, cache.values, strict=True):
            assert k.shape == v.shape == (H, len(seq), D)
        assert cache.nbytes == kv_bytes_per_token(cfg) * len(seq)
        tok = int(rng.integers(cfg.vocab_size))
        step_logits, cache = m.decode(tok, cache)
        seq.append(tok)
        assert step_logits.shape == (cfg.vocab_size,)
        assert_allclose(step_logits, m.forward(seq)[0][-1], rtol=0, atol=1e-10)
    with pytest.raises(GPTError) as e:
        m.decode(0, cache)
    assert e.value.code == "too_long"


def test_cache_keys_are_the_models_keys() -> None:
    """Keys/values in the cache are the c_attn projections of ln_1 of the stream."""
    m = perturbed()
    cfg, P = m.config, m.params
    C, H = cfg.n_embd, cfg.n_head
    D = C // H
    ids = [2, 9, 4, 0]
    _, cache = m.prefill(ids)
    tr = trace(m, ids)
    for layer in range(cfg.n_layer):
        p = f"transformer.h.{layer}."
        qkv = (
            ln(tr.hidden[layer], P[p + "ln_1.weight"], P[p + "ln_1.bias"])
            @ P[p + "attn.c_attn.weight"]
            + P[p + "attn.c_attn.bias"]
        )
        for h in range(H):
            k = qkv[:, C + h * D : C + (h + 1) * D]
            v = qkv[:, 2 * C + h * D : 2 * C + (h + 1) * D]
            assert_allclose(cache.keys[layer][h], k, rtol=1e-10, atol=1e-10)
            assert_allclose(cache.values[layer][h], v, rtol=1e-10, atol=1e-10)


def test_decode_leaves_old_cache_usable() -> None:
    m = perturbed()
    _, c0 = m.prefill([1, 2, 3])
    saved = [a.copy() for a in c0.keys + c0.values]
    la, c1 = m.decode(4, c0)
    lb, c2 = m.decode(5, c0)  # branch from the same cache
    assert c1 is not c0 and c2 is not c0
    assert c0.length == 3 and c1.length == c2.length == 4
    for a, b in zip(c0.keys + c0.values, saved, strict=True):
        assert_allclose(a, b, rtol=0, atol=0)
    assert_allclose(la, m.forward([1, 2, 3, 4])[0][-1], atol=1e-10)
    assert_allclose(lb, m.forward([1, 2, 3, 5])[0][-1], atol=1e-10)
    lc, _ = m.decode(6, c1)
    assert_allclose(lc, m.forward([1, 2, 3, 4, 6])[0][-1], atol=1e-10)


def test_decode_rejects_bad_input() -> None:
    m = perturbed()
    _, cache = m.prefill([1, 2])
    for tok in (-1, m.config.vocab_size, 1.5, True):
        with pytest.raises(GPTError) as e:
            m.decode(tok, cache)  # type: ignore[arg-type]
        assert e.value.code == "bad_token"
    with pytest.raises(GPTError) as e:
        m.decode(1, KVCache(keys=cache.keys[:1], values=cache.values[:1]))
    assert e.value.code == "bad_cache"
    _, full = m.prefill(list(range(m.config.n_ctx)))
    with pytest.raises(GPTError) as e:
        m.decode(1, full)
    assert e.value.code == "too_long"


# ── cache arithmetic ──────────────────────────────────────────────────────────
def test_kv_bytes_per_token_hand_case(bundled: GPT) -> None:
    # 2 (key and value) x 2 layers x 48 numbers x 8 bytes = 1536
    assert kv_bytes_per_token(bundled.config) == 1536
    assert kv_bytes_per_token(bundled.config, bytes_per_value=2) == 384
    assert kv_bytes_per_token(SMALL, 4) == 2 * 2 * 8 * 4
    _, cache = bundled.prefill([1, 2, 3, 4, 5])
    assert cache.nbytes == 5 * kv_bytes_per_token(bundled)


def brute_macs(cfg: GPTConfig, prompt_len: int, new_tokens: int) -> tuple[int, int]:
    """Walk the generation and add up the (rows x inner x cols) of every matrix product,
    head by head for attention, counting only the visible (causal) key positions."""
    C, L, H, V = cfg.n_embd, cfg.n_layer, cfg.n_head, cfg.vocab_size
    D = C // H

    def run(query_positions: list[int]) -> int:  # 0-based positions; each sees pos + 1
        n = len(query_positions)
        total = 0
        for _ in range(L):
            total += n * C * (3 * C)  # c_attn
            for _h in range(H):
                for pos in query_positions:
                    total += D * (pos + 1)  # q . k over the visible keys
                    total += (pos + 1) * D  # att @ v
            total += n * C * C  # attn c_proj
            total += n * C * (4 * C) + n * (4 * C) * C  # mlp
        return total + n * C * V  # tied head on every query position

    if new_tokens == 0:
        return 0, 0
    cached = run(list(range(prompt_len)))
    for s in range(2, new_tokens + 1):
        cached += run([prompt_len + s - 2])
    uncached = sum(run(list(range(prompt_len + s - 1))) for s in range(1, new_tokens + 1))
    return cached, uncached


def test_generation_macs_hand_case() -> None:
    # C=2, L=1, V=3: one position seeing t costs 12*4 + 2*2*t = 48 + 4t, head 6.
    # forward over S tokens: sum_{t<=S} (48 + 4t) + 6S -> F(2)=120, F(3)=186, F(4)=256.
    # with cache, prompt 2, 3 new: F(2) + (48+12+6) + (48+16+6) = 120 + 66 + 70 = 256
    # without: F(2) + F(3) + F(4) = 562
    cfg = GPTConfig(vocab_size=3, n_ctx=8, n_embd=2, n_layer=1, n_head=1)
    assert generation_macs(cfg, 2, 3) == (256, 562)
    assert generation_macs(cfg, 2, 1) == (120, 120)
    assert generation_macs(cfg, 2, 0) == (0, 0)
    assert brute_macs(cfg, 2, 3) == (256, 562)


@pytest.mark.parametrize(
    "cfg",
    [SMALL, GPTConfig(vocab_size=5, n_ctx=12, n_embd=6, n_layer=3, n_head=3)],
)
def test_generation_macs_against_brute_count(cfg: GPTConfig) -> None:
    for prompt_len in range(1, 5):
        for new_tokens in range(0, cfg.n_ctx - prompt_len + 2):
            got = generation_macs(cfg, prompt_len, new_tokens)
            assert got == brute_macs(cfg, prompt_len, new_tokens), (prompt_len, new_tokens)
            assert all(isinstance(x, int) for x in got)
            if new_tokens == 1:
                assert got[0] == got[1]
            elif new_tokens > 1:
                assert got[0] < got[1]


def test_generation_macs_rejects_bad_input() -> None:
    with pytest.raises(GPTError):
        generation_macs(SMALL, 0, 3)
    with pytest.raises(GPTError):
        generation_macs(SMALL, 2, -1)
    with pytest.raises(GPTError) as e:
        generation_macs(SMALL, 5, 5)  # 5 + 4 = 9 positions > n_ctx 8
    assert e.value.code == "too_long"
    generation_macs(SMALL, 5, 4)  # 8 positions fit


# ── per-position losses ───────────────────────────────────────────────────────
@pytest.mark.parametrize("which", ["small", "bundled"])
def test_position_losses_mean_is_the_loss(which: str, bundled: GPT) -> None:
    m = perturbed() if which == "small" else bundled
    for T in (2, 5, m.config.n_ctx + 1):
        ids = ids_for(m, T, seed=T)
        losses = position_losses(m, ids)
        assert losses.shape == (T - 1,)
        assert np.all(losses > 0)
        loss, _ = m.loss_and_gradients(ids[:-1], ids[1:])
        assert_allclose(losses.mean(), loss, rtol=1e-12)
        logits = m.forward(ids[:-1])[0]
        for t in range(T - 1):
            z = logits[t]
            want = -(z[ids[t + 1]] - math.log(sum(math.exp(v) for v in z)))
            assert_allclose(losses[t], want, rtol=1e-10)


def test_position_losses_bad_input() -> None:
    m = perturbed()
    with pytest.raises(GPTError):
        position_losses(m, [1])
    with pytest.raises(GPTError):
        position_losses(m, [1, m.config.vocab_size])
    with pytest.raises(GPTError):
        position_losses(m, list(range(m.config.n_ctx + 2)))


def test_evaluate_with_positions_matches_forward_per_window() -> None:
    """Scoring a batch with shuffled or removed positions equals scoring each window with
    forward(positions=...) on its own (the batch path broadcasts the same rows)."""
    from core.gpt import evaluate

    cfg = GPTConfig(vocab_size=11, n_ctx=8, n_embd=8, n_layer=1, n_head=2)
    model = GPT(cfg, rng=np.random.default_rng(3))
    rng = np.random.default_rng(4)
    inputs = rng.integers(0, 11, size=(5, 6))
    targets = rng.integers(0, 11, size=(5, 6))
    marks = np.zeros((5, 6), dtype=np.int8)
    for pos in ("none", [5, 3, 1, 0, 2, 4]):
        got = evaluate(model, inputs, targets, marks, batch=2, positions=pos)
        losses = []
        for x, y in zip(inputs, targets, strict=True):
            logits, _ = model.forward(x, positions=pos)
            z = logits - logits.max(axis=-1, keepdims=True)
            logp = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
            losses.append(-logp[np.arange(6), y])
        np.testing.assert_allclose(got.loss, np.mean(losses), rtol=1e-12)
