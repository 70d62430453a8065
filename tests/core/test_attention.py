"""core.attention against a direct loop-by-loop reference and hand-computed cases."""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

from core.attention import (
    AttentionError,
    attention_steps,
    causal_mask,
    head_steps,
    multi_head_attention,
    pca_2d,
    softmax,
    transformer_block,
)


def reference_attention(X, Wq, Wk, Wv, causal=True, scale=True, temperature=1.0):
    """Scalar loops, math.exp, no numpy broadcasting: an independent implementation."""
    T, _d = X.shape
    dk, dv = Wq.shape[1], Wv.shape[1]

    def matmul(A, B):
        return [
            [sum(A[i][k] * B[k][j] for k in range(len(B))) for j in range(len(B[0]))]
            for i in range(len(A))
        ]

    Xl = X.tolist()
    Q, K, V = matmul(Xl, Wq.tolist()), matmul(Xl, Wk.tolist()), matmul(Xl, Wv.tolist())
    out = [[0.0] * dv for _ in range(T)]
    weights = [[0.0] * T for _ in range(T)]
    for i in range(T):
        visible = range(i + 1) if causal else range(T)
        s = {j: sum(Q[i][k] * K[j][k] for k in range(dk)) for j in visible}
        if scale:
            s = {j: v / math.sqrt(dk) for j, v in s.items()}
        s = {j: v / temperature for j, v in s.items()}
        m = max(s.values())
        e = {j: math.exp(v - m) for j, v in s.items()}
        z = sum(e.values())
        for j, v in e.items():
            weights[i][j] = v / z
            for c in range(dv):
                out[i][c] += weights[i][j] * V[j][c]
    return np.array(weights), np.array(out)


@pytest.mark.parametrize("T,d,dk,dv", [(1, 3, 2, 2), (4, 6, 6, 6), (7, 5, 3, 4), (16, 6, 6, 6)])
@pytest.mark.parametrize("causal", [True, False])
@pytest.mark.parametrize("scale", [True, False])
def test_matches_reference(T, d, dk, dv, causal, scale):
    rng = np.random.default_rng(T * 100 + d)
    X, Wq, Wk = rng.normal(size=(T, d)), rng.normal(size=(d, dk)), rng.normal(size=(d, dk))
    Wv = rng.normal(size=(d, dv))
    for temp in (1.0, 0.3, 2.5):
        st = attention_steps(X, Wq, Wk, Wv, causal=causal, scale=scale, temperature=temp)
        w, out = reference_attention(X, Wq, Wk, Wv, causal, scale, temp)
        assert_allclose(st.weights, w, rtol=1e-12, atol=1e-14)
        assert_allclose(st.output, out, rtol=1e-10, atol=1e-12)
        assert_allclose(st.Q, X @ Wq)
        assert_allclose(st.scores, st.Q @ st.K.T)
        assert_allclose(st.scaled, st.scores / (math.sqrt(dk) if scale else 1.0))
        assert_allclose(st.weights.sum(axis=1), 1.0, rtol=1e-12)


def test_hand_computed_two_tokens():
    # X = I, Wq = Wk = Wv = I, d_k = 2: scores = I, scaled = I/√2.
    X = np.eye(2)
    st = attention_steps(X, np.eye(2), np.eye(2), np.eye(2), causal=False)
    a = 1 / math.sqrt(2)
    p = math.exp(a) / (math.exp(a) + 1)  # share of the token itself
    assert_allclose(st.weights, [[p, 1 - p], [1 - p, p]])
    assert_allclose(st.output, [[p, 1 - p], [1 - p, p]])
    causal = attention_steps(X, np.eye(2), np.eye(2), np.eye(2), causal=True)
    assert_allclose(causal.weights, [[1, 0], [1 - p, p]])
    assert causal.masked[0, 1] == -np.inf


def test_causal_mask_gives_exactly_zero_to_the_future():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(9, 6)) * 50  # large scores too
    st = attention_steps(
        X, rng.normal(size=(6, 6)), rng.normal(size=(6, 6)), rng.normal(size=(6, 6)), causal=True
    )
    future = ~causal_mask(9)
    assert np.all(st.weights[future] == 0.0)
    assert np.all(st.masked[future] == -np.inf)
    assert_allclose(st.weights.sum(axis=1), 1.0)
    # the first token sees only itself
    assert st.weights[0, 0] == 1.0


def test_future_token_does_not_change_past_outputs():
    rng = np.random.default_rng(4)
    W = [rng.normal(size=(5, 5)) for _ in range(3)]
    X = rng.normal(size=(6, 5))
    X2 = X.copy()
    X2[-1] = rng.normal(size=5) * 10
    a, b = attention_steps(X, *W), attention_steps(X2, *W)
    assert_allclose(a.output[:-1], b.output[:-1], rtol=0, atol=0)


def test_softmax_stable_and_masked_rows():
    assert_allclose(softmax([1000.0, 1000.0]), [0.5, 0.5])
    assert_allclose(softmax([1e308, -1e308]), [1.0, 0.0])
    assert_allclose(softmax([-np.inf, 5.0, -np.inf]), [0.0, 1.0, 0.0])
    assert_allclose(softmax(np.array([[-np.inf, -np.inf, 3e300]])), [[0, 0, 1]])
    assert np.all(np.isfinite(softmax([-1e308, -1e308])))
    assert_allclose(softmax([-np.inf, -np.inf]), [0.0, 0.0])  # no valid position: zeros
    x = np.random.default_rng(0).normal(size=(4, 5))
    ref = np.exp(x) / np.exp(x).sum(axis=0, keepdims=True)
    assert_allclose(softmax(x, axis=0), ref)
    assert_allclose(softmax(x + 123.0), softmax(x))  # shift invariance


def test_temperature_sharpens_and_flattens():
    rng = np.random.default_rng(5)
    X, W = rng.normal(size=(5, 4)), [rng.normal(size=(4, 4)) for _ in range(3)]
    cold = attention_steps(X, *W, causal=False, temperature=0.01).weights
    hot = attention_steps(X, *W, causal=False, temperature=1e6).weights
    assert_allclose(cold.max(axis=1), 1.0, atol=1e-6)
    assert_allclose(hot, 1 / 5, atol=1e-5)


def test_multi_head_equals_heads_concatenated_then_projected():
    rng = np.random.default_rng(6)
    T, d = 7, 6
    for H in (1, 2, 3):
        Wq, Wk, Wv = (rng.normal(size=(d, 12)) for _ in range(3))
        Wo = rng.normal(size=(12, d))
        X = rng.normal(size=(T, d))
        out, weights = multi_head_attention(X, Wq, Wk, Wv, Wo, n_heads=H)
        dh = 12 // H
        parts, ws = [], []
        for h in range(H):
            cols = slice(h * dh, (h + 1) * dh)
            w, o = reference_attention(X, Wq[:, cols], Wk[:, cols], Wv[:, cols])
            parts.append(o)
            ws.append(w)
        assert_allclose(out, np.concatenate(parts, axis=1) @ Wo, rtol=1e-10)
        assert_allclose(weights, np.stack(ws), rtol=1e-10, atol=1e-14)
        assert weights.shape == (H, T, T)


def test_block_residual_and_feed_forward():
    rng = np.random.default_rng(7)
    T, d, f = 5, 6, 4
    X = rng.normal(size=(T, d))
    Wq, Wk, Wv = (rng.normal(size=(d, 2 * d)) for _ in range(3))
    Wo, W1, W2 = rng.normal(size=(2 * d, d)), rng.normal(size=(d, f)), rng.normal(size=(f, d))
    b1, b2 = rng.normal(size=f), rng.normal(size=d)
    blk = transformer_block(X, Wq, Wk, Wv, Wo, W1, b1, W2, b2, n_heads=2)
    attn, _ = multi_head_attention(X, Wq, Wk, Wv, Wo, n_heads=2)
    h = X + attn
    manual = h + np.maximum(h @ W1 + b1, 0) @ W2 + b2
    assert_allclose(blk.residual, h)
    assert_allclose(blk.output, manual)
    assert np.all(blk.hidden >= 0)


def test_errors_have_codes():
    X = np.ones((3, 4))
    I4 = np.eye(4)
    with pytest.raises(AttentionError) as e:
        attention_steps(X, I4, I4, I4, temperature=0)
    assert e.value.code == "temperature"
    with pytest.raises(AttentionError) as e:
        attention_steps(X, np.eye(3), np.eye(3), np.eye(3))
    assert e.value.code == "shape"
    with pytest.raises(AttentionError) as e:
        attention_steps(np.zeros((0, 4)), I4, I4, I4)
    assert e.value.code == "empty"
    with pytest.raises(AttentionError) as e:
        head_steps(X, I4, I4, I4, n_heads=3)
    assert e.value.code == "heads"
    bad = I4.copy()
    bad[0, 0] = np.nan
    with pytest.raises(AttentionError) as e:
        attention_steps(X, bad, I4, I4)
    assert e.value.code == "nonfinite"


def test_pca_2d():
    rng = np.random.default_rng(8)
    # points on a plane in 5-D: two axes keep all the variance, distances are preserved
    basis = np.linalg.qr(rng.normal(size=(5, 2)))[0].T
    coeff = rng.normal(size=(10, 2)) * [3.0, 1.0]
    P = coeff @ basis + 2.0
    proj = pca_2d(P)
    assert_allclose(proj.explained.sum(), 1.0)
    assert proj.explained[0] >= proj.explained[1]
    d_full = np.linalg.norm(P[:, None] - P[None], axis=-1)
    d_2d = np.linalg.norm(proj.coords[:, None] - proj.coords[None], axis=-1)
    assert_allclose(d_2d, d_full, atol=1e-9)
    assert_allclose(proj.components @ proj.components.T, np.eye(2), atol=1e-12)
    assert_allclose(pca_2d(P).coords, proj.coords)  # deterministic signs
    assert pca_2d(np.ones((1, 3))).coords.shape == (1, 2)


# ── the softmax written out, errors, word order (issues 13.9 and 14) ─────────────────


def test_steps_carry_the_softmax_exponentials():
    from core.attention import attention_steps

    rng = np.random.default_rng(3)
    X, Wq, Wk, Wv = (rng.normal(size=s) for s in ((5, 4), (4, 3), (4, 3), (4, 2)))
    for causal in (True, False):
        s = attention_steps(X, Wq, Wk, Wv, causal=causal, temperature=0.7)
        logits = s.masked / 0.7
        # independent: the row max over the visible entries, by a Python loop
        for i in range(5):
            seen = [logits[i, j] for j in range(5) if not causal or j <= i]
            assert s.row_max[i] == pytest.approx(max(seen))
            for j in range(5):
                want = np.exp(logits[i, j] - max(seen)) if (not causal or j <= i) else 0.0
                assert s.exps[i, j] == pytest.approx(want, rel=1e-12, abs=0)
        assert_allclose(s.exps / s.exp_sums[:, None], s.weights, atol=1e-15)
        assert np.all(s.exps.max(axis=1) == 1.0)  # the largest entry is e^0


def test_core_errors_share_the_base_class():
    from core.attention import AttentionError, attention_steps
    from core.embeddings import TokenizeError, tokenize
    from core.errors import ExplorableError

    with pytest.raises(ExplorableError) as e:
        attention_steps(np.ones((2, 2)), np.ones((2, 2)), np.ones((2, 2)), np.ones((2, 2)),
                        temperature=0)  # fmt: skip
    assert isinstance(e.value, AttentionError) and e.value.code == "temperature"
    with pytest.raises(ExplorableError) as e:
        tokenize("   ")
    assert isinstance(e.value, TokenizeError) and e.value.code == "empty"


def test_without_positions_reordering_only_moves_the_outputs():
    from core.attention import multi_head_attention, order_effect

    rng = np.random.default_rng(5)
    T, d = 6, 4
    X = rng.normal(size=(T, d))
    Wq, Wk, Wv, Wo = (rng.normal(size=(d, d)) for _ in range(4))
    perm = (2, 0, 5, 1, 4, 3)
    eff = order_effect(X, Wq, Wk, Wv, Wo, n_heads=2, perm=perm)
    assert eff.perm == perm
    assert np.max(eff.moved_unmasked) < 1e-12  # equivariance: round-off only
    # with the mask, a token's output changes unless it sees the same set of tokens
    before, _ = multi_head_attention(X, Wq, Wk, Wv, Wo, n_heads=2, causal=True)
    after, _ = multi_head_attention(X[list(perm)], Wq, Wk, Wv, Wo, n_heads=2, causal=True)
    assert_allclose(eff.moved_masked, np.max(np.abs(after - before[list(perm)]), axis=1))
    for k in range(T):
        same_set = set(perm[: k + 1]) == set(range(perm[k] + 1))
        assert (eff.moved_masked[k] < 1e-12) == same_set
    assert order_effect(X, Wq, Wk, Wv, Wo, n_heads=1).perm == (5, 4, 3, 2, 1, 0)
    with pytest.raises(ValueError):
        order_effect(X, Wq, Wk, Wv, Wo, n_heads=1, perm=(0, 0, 1, 2, 3, 4))
