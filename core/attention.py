"""Scaled dot-product attention, one intermediate at a time.

For token vectors X (T, d_model) and weight matrices Wq, Wk (d_model, d_k), Wv (d_model, d_v)::

    Q = X Wq            K = X Wk            V = X Wv              # (T, d_k) (T, d_k) (T, d_v)
    scores  = Q Kᵀ                                                  # (T, T)
    scaled  = scores / √d_k          (or scores, if scale=False)
    masked  = scaled with -inf above the diagonal (causal) else scaled
    weights = softmax(masked / temperature) row by row              # rows sum to 1
    output  = weights V                                             # (T, d_v)

Row i of ``weights`` says how much of each token's Value flows into token i; with the
causal mask, token i sees only tokens 0..i. Several heads run the same computation on
column blocks of the weight matrices, and an output projection Wo mixes the concatenated
results. ``transformer_block`` adds the residual connection and a small ReLU feed-forward
network (no LayerNorm, so that every number can be checked by hand).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from core.errors import ExplorableError

Array = NDArray[np.float64]


class AttentionError(ExplorableError):
    """Invalid attention input; ``code`` is a machine-readable reason.

    Codes: ``empty`` (no tokens), ``shape`` (matrix shapes do not fit), ``heads`` (the
    number of heads does not divide the width), ``temperature`` (not a positive finite
    number), ``nonfinite`` (NaN or infinity in an input matrix).
    """

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code, code=code)
        self.detail = detail


def softmax(x: ArrayLike, axis: int = -1) -> Array:
    """exp(x_i − max x) / Σ_j exp(x_j − max x) along ``axis``.

    Subtracting the maximum keeps huge scores finite; -inf entries get weight exactly 0.
    A slice whose entries are all -inf has no valid position and returns zeros (not NaN).
    """
    a = np.asarray(x, dtype=np.float64)
    m = np.max(a, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    with np.errstate(over="ignore"):  # a − m may overflow to -inf: exp gives 0, as it should
        e = np.exp(a - m)
    s = np.sum(e, axis=axis, keepdims=True)
    return np.divide(e, s, out=np.zeros_like(e), where=s > 0)


def causal_mask(T: int) -> NDArray[np.bool_]:
    """(T, T) boolean, True where token i may look at token j (j ≤ i)."""
    return np.tril(np.ones((T, T), dtype=bool))


@dataclass(frozen=True)
class AttentionSteps:
    """Every intermediate of one attention head (shapes for T tokens)."""

    Q: Array  # (T, d_k)   what each token is looking for
    K: Array  # (T, d_k)   what each token offers as a signpost
    V: Array  # (T, d_v)   the meaning each token passes on
    scores: Array  # (T, T) Q Kᵀ
    scaled: Array  # (T, T) scores / √d_k (or scores when scale=False)
    masked: Array  # (T, T) scaled with -inf where j > i (causal) — equal to scaled otherwise
    weights: Array  # (T, T) softmax(masked / temperature), rows sum to 1
    output: Array  # (T, d_v) weights V
    divisor: float = 1.0  # √d_k when scaled, else 1
    temperature: float = 1.0
    causal: bool = True
    # the softmax written out, row by row: weights = exps / exp_sums[:, None]
    row_max: Array | None = None  # (T,) m_i = max_j masked_ij / τ (the shift; 0 if none)
    exps: Array | None = None  # (T, T) e^(masked_ij / τ − m_i); exactly 0 where masked
    exp_sums: Array | None = None  # (T,) Σ_j exps_ij


def _matrix(a: ArrayLike, name: str) -> Array:
    m = np.asarray(a, dtype=np.float64)
    if m.ndim != 2:
        raise AttentionError("shape", f"{name} must be 2-D, got shape {m.shape}")
    if not np.all(np.isfinite(m)):
        raise AttentionError("nonfinite", name)
    return m


def _check_temperature(temperature: float) -> float:
    t = float(temperature)
    if not np.isfinite(t) or t <= 0:
        raise AttentionError("temperature", repr(temperature))
    return t


def attention_steps(
    X: ArrayLike,
    Wq: ArrayLike,
    Wk: ArrayLike,
    Wv: ArrayLike,
    *,
    causal: bool = True,
    scale: bool = True,
    temperature: float = 1.0,
) -> AttentionSteps:
    """One head of scaled dot-product attention with every intermediate kept.

    X (T, d_model); Wq, Wk (d_model, d_k); Wv (d_model, d_v). See the module docstring.
    """
    X = _matrix(X, "X")
    Wq, Wk, Wv = _matrix(Wq, "Wq"), _matrix(Wk, "Wk"), _matrix(Wv, "Wv")
    T, d = X.shape
    if T == 0:
        raise AttentionError("empty")
    if Wq.shape[0] != d or Wk.shape[0] != d or Wv.shape[0] != d or Wq.shape != Wk.shape:
        raise AttentionError("shape", f"X {X.shape}, Wq {Wq.shape}, Wk {Wk.shape}, Wv {Wv.shape}")
    tau = _check_temperature(temperature)
    Q, K, V = X @ Wq, X @ Wk, X @ Wv
    scores = Q @ K.T
    divisor = float(np.sqrt(Q.shape[1])) if scale and Q.shape[1] > 0 else 1.0
    scaled = scores / divisor
    masked = np.where(causal_mask(T), scaled, -np.inf) if causal else scaled.copy()
    logits = masked / tau
    row_max = np.max(logits, axis=-1)
    row_max = np.where(np.isfinite(row_max), row_max, 0.0)
    with np.errstate(over="ignore"):
        exps = np.exp(logits - row_max[:, None])
    exp_sums = exps.sum(axis=-1)
    weights = softmax(logits, axis=-1)
    output = weights @ V
    return AttentionSteps(
        Q,
        K,
        V,
        scores,
        scaled,
        masked,
        weights,
        output,
        divisor,
        tau,
        bool(causal),
        row_max,
        exps,
        exp_sums,
    )


def _head_count(width: int, n_heads: int) -> int:
    if int(n_heads) != n_heads or n_heads < 1 or width % n_heads:
        raise AttentionError("heads", f"{n_heads} heads for width {width}")
    return width // int(n_heads)


def head_steps(
    X: ArrayLike,
    Wq: ArrayLike,
    Wk: ArrayLike,
    Wv: ArrayLike,
    *,
    n_heads: int,
    causal: bool = True,
    scale: bool = True,
    temperature: float = 1.0,
) -> tuple[AttentionSteps, ...]:
    """Attention steps of each head; head h uses columns h·d_head:(h+1)·d_head."""
    Wq, Wk, Wv = _matrix(Wq, "Wq"), _matrix(Wk, "Wk"), _matrix(Wv, "Wv")
    dk = _head_count(Wq.shape[1], n_heads)
    dv = _head_count(Wv.shape[1], n_heads)
    return tuple(
        attention_steps(
            X,
            Wq[:, h * dk : (h + 1) * dk],
            Wk[:, h * dk : (h + 1) * dk],
            Wv[:, h * dv : (h + 1) * dv],
            causal=causal,
            scale=scale,
            temperature=temperature,
        )
        for h in range(int(n_heads))
    )


def multi_head_attention(
    X: ArrayLike,
    Wq: ArrayLike,
    Wk: ArrayLike,
    Wv: ArrayLike,
    Wo: ArrayLike,
    *,
    n_heads: int,
    causal: bool = True,
    scale: bool = True,
    temperature: float = 1.0,
) -> tuple[Array, Array]:
    """concat(head_1 … head_H) Wo -> (out (T, d_model), weights (n_heads, T, T))."""
    heads = head_steps(
        X, Wq, Wk, Wv, n_heads=n_heads, causal=causal, scale=scale, temperature=temperature
    )
    concat = np.concatenate([h.output for h in heads], axis=1)
    Wo = _matrix(Wo, "Wo")
    if Wo.shape[0] != concat.shape[1]:
        raise AttentionError("shape", f"Wo {Wo.shape} after concat {concat.shape}")
    return concat @ Wo, np.stack([h.weights for h in heads])


def relu(x: Array) -> Array:
    return np.maximum(x, 0.0)


@dataclass(frozen=True)
class BlockSteps:
    """One Transformer block without normalisation: attention, residual, feed-forward."""

    heads: tuple[AttentionSteps, ...]
    concat: Array  # (T, H·d_v) head outputs side by side
    attn_out: Array  # (T, d_model) concat Wo
    residual: Array  # (T, d_model) X + attn_out
    pre_activation: Array  # (T, d_ff) residual W1 + b1
    hidden: Array  # (T, d_ff) relu(pre_activation)
    ffn_out: Array  # (T, d_model) hidden W2 + b2
    output: Array  # (T, d_model) residual + ffn_out


def transformer_block(
    X: ArrayLike,
    Wq: ArrayLike,
    Wk: ArrayLike,
    Wv: ArrayLike,
    Wo: ArrayLike,
    W1: ArrayLike,
    b1: ArrayLike,
    W2: ArrayLike,
    b2: ArrayLike,
    *,
    n_heads: int,
    causal: bool = True,
    scale: bool = True,
    temperature: float = 1.0,
) -> BlockSteps:
    """h = X + MultiHead(X);  y = h + relu(h W1 + b1) W2 + b2 (every intermediate kept)."""
    X = _matrix(X, "X")
    heads = head_steps(
        X, Wq, Wk, Wv, n_heads=n_heads, causal=causal, scale=scale, temperature=temperature
    )
    concat = np.concatenate([h.output for h in heads], axis=1)
    Wo, W1, W2 = _matrix(Wo, "Wo"), _matrix(W1, "W1"), _matrix(W2, "W2")
    b1 = np.asarray(b1, dtype=np.float64).reshape(-1)
    b2 = np.asarray(b2, dtype=np.float64).reshape(-1)
    d = X.shape[1]
    if (
        Wo.shape != (concat.shape[1], d)
        or W1.shape[0] != d
        or b1.shape != (W1.shape[1],)
        or W2.shape != (W1.shape[1], d)
        or b2.shape != (d,)
    ):
        raise AttentionError("shape", f"Wo {Wo.shape}, W1 {W1.shape}, W2 {W2.shape}")
    attn_out = concat @ Wo
    residual = X + attn_out
    pre = residual @ W1 + b1
    hidden = relu(pre)
    ffn = hidden @ W2 + b2
    return BlockSteps(heads, concat, attn_out, residual, pre, hidden, ffn, residual + ffn)


@dataclass(frozen=True)
class Projection:
    """A 2-D principal-component view of some vectors."""

    coords: Array  # (n, 2) the points on the two principal axes
    components: Array  # (2, d) unit axes (rows)
    mean: Array  # (d,) the centre that was subtracted
    explained: Array  # (2,) share of the variance each axis keeps


def pca_2d(points: ArrayLike) -> Projection:
    """Project ``points`` (n, d) onto their two main directions (SVD of the centred data).

    Signs are fixed so that each axis's largest-magnitude coefficient is positive, which
    makes the picture deterministic. Fewer than two directions are padded with zeros.
    """
    P = _matrix(points, "points")
    mean = P.mean(axis=0)
    C = P - mean
    _, s, vt = np.linalg.svd(C, full_matrices=False)
    comps = np.zeros((2, P.shape[1]))
    k = min(2, vt.shape[0])
    comps[:k] = vt[:k]
    for i in range(k):
        j = int(np.argmax(np.abs(comps[i])))
        if comps[i, j] < 0:
            comps[i] = -comps[i]
    var = s**2
    total = float(var.sum())
    explained = np.zeros(2)
    if total > 0:
        explained[:k] = var[:k] / total
    return Projection(C @ comps.T, comps, mean, explained)


@dataclass(frozen=True)
class OrderEffect:
    """What reordering the tokens does to attention, which has no notion of position.

    ``moved[k]`` is the largest change of the attention output of the token now at
    position k, compared with the same token's output in the original order."""

    perm: tuple[int, ...]  # new position k holds original token perm[k]
    moved_unmasked: Array  # (T,) without the causal mask: round-off only
    moved_masked: Array  # (T,) with it: a token sees other neighbours, so it changes


def order_effect(
    X: ArrayLike,
    Wq: ArrayLike,
    Wk: ArrayLike,
    Wv: ArrayLike,
    Wo: ArrayLike,
    *,
    n_heads: int,
    perm: tuple[int, ...] | None = None,
    scale: bool = True,
    temperature: float = 1.0,
) -> OrderEffect:
    """Run multi-head attention on X and on X reordered by ``perm`` (default: reversed),
    with and without the causal mask, and compare each token's output with itself.

    Attention uses only the vectors, never their positions: without the mask the outputs
    move with their tokens unchanged (permutation equivariance); with the mask a token's
    output changes only because the set of tokens it may see changes."""
    X = _matrix(X, "X")
    T = X.shape[0]
    p = tuple(range(T - 1, -1, -1)) if perm is None else tuple(int(i) for i in perm)
    if sorted(p) != list(range(T)):
        raise AttentionError("shape", f"perm {p} for {T} tokens")
    idx = np.asarray(p, dtype=int)
    moved = []
    for causal in (False, True):
        kw = dict(n_heads=n_heads, causal=causal, scale=scale, temperature=temperature)
        before, _ = multi_head_attention(X, Wq, Wk, Wv, Wo, **kw)
        after, _ = multi_head_attention(X[idx], Wq, Wk, Wv, Wo, **kw)
        moved.append(np.max(np.abs(after - before[idx]), axis=1))
    return OrderEffect(p, moved[0], moved[1])
