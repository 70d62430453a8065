"""A tiny GPT-2 in NumPy: forward, backward, sampling, save/load.

Architecture (as GPT-2): token embedding + learned position embedding; ``n_layer`` blocks
of ``x = x + attn(ln_1(x))`` and ``x = x + mlp(ln_2(x))`` with pre-LayerNorm (eps 1e-5),
causal multi-head self-attention scaled by 1/sqrt(d_head), a 4x MLP with the tanh form
of GELU; a final LayerNorm; the output head is the token embedding transposed (tied).

Parameter names and layouts are Hugging Face's ``GPT2LMHeadModel`` ones: Conv1D weights
are stored (in, out) so ``y = x @ W + b``; ``attn.c_attn`` packs Q, K, V as columns
[0:C], [C:2C], [2:3C]; head h uses columns h*d:(h+1)*d of each. The tied ``lm_head`` is not
stored, and the causal-mask buffers (``attn.bias``) are not parameters.

Shapes: B batch, T tokens, C = n_embd, H = n_head, D = C / H, V = vocab_size.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal, overload

import numpy as np

from core.errors import ExplorableError

LN_EPS = 1e-5
GELU_K = math.sqrt(2.0 / math.pi)


class GPTError(ExplorableError):
    """Bad model input or configuration; ``code`` is a machine-readable reason."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code, code=code, detail=detail)
        self.detail = detail


@dataclass(frozen=True)
class GPTConfig:
    vocab_size: int  # V: number of token ids
    n_ctx: int  # longest sequence the position table covers
    n_embd: int  # C: width of every token vector
    n_layer: int  # number of Transformer blocks
    n_head: int  # attention heads per block (n_embd % n_head == 0)

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if not isinstance(value, int | np.integer) or value < 1:
                raise GPTError("bad_config", f"{name}={value!r}")
        if self.n_embd % self.n_head:
            raise GPTError("bad_config", "n_embd must be a multiple of n_head")

    def to_dict(self) -> dict[str, int]:
        return {k: int(v) for k, v in asdict(self).items()}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> GPTConfig:
        return cls(**{k: int(d[k]) for k in ("vocab_size", "n_ctx", "n_embd", "n_layer", "n_head")})


def param_shapes(cfg: GPTConfig) -> dict[str, tuple[int, ...]]:
    """Names and shapes of every parameter, in Hugging Face GPT-2 order."""
    C, V = cfg.n_embd, cfg.vocab_size
    shapes: dict[str, tuple[int, ...]] = {
        "transformer.wte.weight": (V, C),
        "transformer.wpe.weight": (cfg.n_ctx, C),
    }
    for i in range(cfg.n_layer):
        p = f"transformer.h.{i}."
        shapes.update(
            {
                p + "ln_1.weight": (C,),
                p + "ln_1.bias": (C,),
                p + "attn.c_attn.weight": (C, 3 * C),
                p + "attn.c_attn.bias": (3 * C,),
                p + "attn.c_proj.weight": (C, C),
                p + "attn.c_proj.bias": (C,),
                p + "ln_2.weight": (C,),
                p + "ln_2.bias": (C,),
                p + "mlp.c_fc.weight": (C, 4 * C),
                p + "mlp.c_fc.bias": (4 * C,),
                p + "mlp.c_proj.weight": (4 * C, C),
                p + "mlp.c_proj.bias": (C,),
            }
        )
    shapes["transformer.ln_f.weight"] = (C,)
    shapes["transformer.ln_f.bias"] = (C,)
    return shapes


def count_parameters(cfg: GPTConfig) -> int:
    return int(sum(math.prod(s) for s in param_shapes(cfg).values()))


# ── building blocks ───────────────────────────────────────────────────────────
def _gelu_tanh(x: np.ndarray) -> np.ndarray:
    return np.tanh(GELU_K * x * (1.0 + 0.044715 * (x * x)))  # x*x, not x**3: 10x faster


def gelu(x: np.ndarray) -> np.ndarray:
    """GELU, tanh form: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))."""
    return 0.5 * x * (1.0 + _gelu_tanh(x))


def gelu_grad(x: np.ndarray, t: np.ndarray | None = None) -> np.ndarray:
    """d gelu / dx; ``t`` may pass the tanh term already computed in the forward pass."""
    t = _gelu_tanh(x) if t is None else t
    return 0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * GELU_K * (1.0 + 3 * 0.044715 * (x * x))


def _layer_norm(
    x: np.ndarray, w: np.ndarray, b: np.ndarray
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    mu = x.mean(-1, keepdims=True)
    xc = x - mu
    rstd = 1.0 / np.sqrt((xc * xc).mean(-1, keepdims=True) + LN_EPS)
    xhat = xc * rstd
    return xhat * w + b, (xhat, rstd)


def _layer_norm_back(
    dy: np.ndarray, w: np.ndarray, cache: tuple[np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    xhat, rstd = cache
    axes = tuple(range(dy.ndim - 1))
    dw = (dy * xhat).sum(axes)
    db = dy.sum(axes)
    g = dy * w
    dx = rstd * (g - g.mean(-1, keepdims=True) - xhat * (g * xhat).mean(-1, keepdims=True))
    return dx, dw, db


def softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    m = np.max(x, axis=axis, keepdims=True)
    e = np.exp(x - np.where(np.isfinite(m), m, 0.0))
    return e / e.sum(axis=axis, keepdims=True)


@dataclass(frozen=True)
class KVCache:
    """Keys and values of every position seen so far, one array per layer, each
    (n_head, T_so_far, head_dim): Hugging Face's ``past_key_values`` layout without the
    batch axis. Made by :meth:`GPT.prefill`, extended (as a new object) by
    :meth:`GPT.decode`."""

    keys: list[np.ndarray]
    values: list[np.ndarray]

    @property
    def length(self) -> int:
        """Number of positions cached (T_so_far)."""
        return int(self.keys[0].shape[1]) if self.keys else 0

    @property
    def nbytes(self) -> int:
        """Memory held by the keys and values arrays, in bytes."""
        return int(sum(a.nbytes for a in self.keys) + sum(a.nbytes for a in self.values))


# ── the model ───────────────────────────────────────────────────────────────
class GPT:
    """A GPT-2-style language model whose parameters live in ``self.params``."""

    def __init__(
        self,
        config: GPTConfig,
        *,
        rng: np.random.Generator | None = None,
        dtype: Any = np.float64,
        embedding_std: float = 0.02,
    ) -> None:
        """Random initial parameters as in GPT-2 (normal, std 0.02; residual projections
        0.02/sqrt(2·n_layer); biases 0; LayerNorm weights 1).

        ``embedding_std`` sets the std of the token embedding alone. With a tied head and
        a tiny vocabulary, tokens that play the same role (the four weathers) get pushed
        the same way at first; starting them further apart (e.g. 0.3) lets the model tell
        them apart and copy them much sooner."""
        self.config = config
        rng = np.random.default_rng(0) if rng is None else rng
        std, proj_std = 0.02, 0.02 / math.sqrt(2 * config.n_layer)
        self.params: dict[str, np.ndarray] = {}
        for name, shape in param_shapes(config).items():
            if name.endswith(("ln_1.weight", "ln_2.weight", "ln_f.weight")):
                arr = np.ones(shape)
            elif name.endswith(".bias"):
                arr = np.zeros(shape)
            else:
                s = proj_std if name.endswith("c_proj.weight") else std
                if name == "transformer.wte.weight":
                    s = embedding_std
                arr = rng.normal(0.0, s, size=shape)
            self.params[name] = arr.astype(dtype)

    # -- helpers
    def _check_ids(self, ids: Any) -> np.ndarray:
        arr = np.asarray(ids)
        if arr.ndim == 1:
            arr = arr[None, :]
        if arr.ndim != 2 or arr.shape[1] == 0:
            raise GPTError("empty_input" if arr.size == 0 else "bad_shape", str(arr.shape))
        if not np.issubdtype(arr.dtype, np.integer):
            raise GPTError("bad_token", "token ids must be integers")
        if arr.shape[1] > self.config.n_ctx:
            raise GPTError("too_long", f"{arr.shape[1]} > {self.config.n_ctx}")
        if arr.min() < 0 or arr.max() >= self.config.vocab_size:
            raise GPTError("bad_token", "token id out of range")
        return arr.astype(np.int64)

    def n_params(self) -> int:
        return int(sum(p.size for p in self.params.values()))

    def _check_positions(self, positions: Any, T: int) -> np.ndarray | str | None:
        """``None`` (rows 0..T-1 of wpe), the string ``"none"`` (no position vector), or
        an int array (T,) of wpe rows, each in 0..n_ctx-1; raises ``GPTError`` otherwise."""
        if positions is None:
            return None
        if isinstance(positions, str):
            if positions == "none":
                return "none"
            raise GPTError("bad_positions", f"unknown positions mode {positions!r}")
        arr = np.asarray(positions)
        if arr.ndim != 1 or arr.shape[0] != T:
            raise GPTError("bad_positions", f"need {T} positions, got shape {arr.shape}")
        if not np.issubdtype(arr.dtype, np.integer):
            raise GPTError("bad_positions", "positions must be integers")
        if T and (arr.min() < 0 or arr.max() >= self.config.n_ctx):
            raise GPTError("bad_positions", f"positions must lie in 0..{self.config.n_ctx - 1}")
        return arr.astype(np.int64)

    # -- forward with a cache for backward
    def _forward(
        self,
        ids: np.ndarray,
        *,
        keep: bool,
        positions: np.ndarray | str | None = None,
        record: dict[str, list] | None = None,
    ) -> tuple[np.ndarray, np.ndarray, list]:
        """``positions`` is a value checked by :meth:`_check_positions` (the backward pass
        in ``loss_and_gradients`` assumes the default, None). ``record``, when given, is
        filled with per-layer lists: ``hidden`` (L+1 residual streams (B, T, C), before
        ln_f), ``attn_out`` and ``mlp_out`` (L additions (B, T, C)), ``keys``/``values``
        (L arrays (B, H, T, D)). Neither changes the numbers of the default path."""
        cfg, P = self.config, self.params
        B, T = ids.shape
        C, H = cfg.n_embd, cfg.n_head
        D = C // H
        scale = 1.0 / math.sqrt(D)
        future = np.triu(np.ones((T, T), dtype=bool), k=1)
        if positions is None:
            x = P["transformer.wte.weight"][ids] + P["transformer.wpe.weight"][:T]  # (B, T, C)
        elif isinstance(positions, str):  # "none": no position vector at all
            x = P["transformer.wte.weight"][ids]
        else:
            x = P["transformer.wte.weight"][ids] + P["transformer.wpe.weight"][positions]
        if record is not None:
            for key in ("hidden", "attn_out", "mlp_out", "keys", "values"):
                record[key] = []
            record["hidden"].append(x)
        caches: list = []
        atts = []
        for i in range(cfg.n_layer):
            p = f"transformer.h.{i}."
            h1, ln1 = _layer_norm(x, P[p + "ln_1.weight"], P[p + "ln_1.bias"])
            qkv = h1 @ P[p + "attn.c_attn.weight"] + P[p + "attn.c_attn.bias"]  # (B, T, 3C)
            q, k, v = (
                qkv[..., j * C : (j + 1) * C].reshape(B, T, H, D).transpose(0, 2, 1, 3)
                for j in range(3)
            )  # each (B, H, T, D)
            scores = (q @ k.transpose(0, 1, 3, 2)) * scale  # (B, H, T, T)
            scores = np.where(future, -np.inf, scores)
            att = softmax(scores)  # (B, H, T, T), rows sum to 1, zero above the diagonal
            y = (att @ v).transpose(0, 2, 1, 3).reshape(B, T, C)
            ya = y @ P[p + "attn.c_proj.weight"]
            x = x + ya + P[p + "attn.c_proj.bias"]  # same order as x + y @ W + b
            h2, ln2 = _layer_norm(x, P[p + "ln_2.weight"], P[p + "ln_2.bias"])
            f = h2 @ P[p + "mlp.c_fc.weight"] + P[p + "mlp.c_fc.bias"]  # (B, T, 4C)
            th = _gelu_tanh(f)
            g = 0.5 * f * (1.0 + th)  # gelu(f)
            gm = g @ P[p + "mlp.c_proj.weight"]
            x = x + gm + P[p + "mlp.c_proj.bias"]
            if record is not None:
                record["attn_out"].append(ya + P[p + "attn.c_proj.bias"])
                record["mlp_out"].append(gm + P[p + "mlp.c_proj.bias"])
                record["hidden"].append(x)
                record["keys"].append(k)
                record["values"].append(v)
            if keep:
                caches.append((h1, ln1, q, k, v, att, y, h2, ln2, f, th, g))
            else:
                atts.append(att)
        xf, lnf = _layer_norm(x, P["transformer.ln_f.weight"], P["transformer.ln_f.bias"])
        logits = xf @ P["transformer.wte.weight"].T  # (B, T, V)
        if keep:
            caches.append((xf, lnf))
            return logits, np.empty(0), caches
        return logits, np.stack(atts, axis=1), caches  # attentions (B, L, H, T, T)

    @overload
    def forward(
        self,
        ids: Sequence[int] | np.ndarray,
        *,
        hidden_states: Literal[False] = False,
        positions: Sequence[int] | np.ndarray | str | None = None,
    ) -> tuple[np.ndarray, np.ndarray]: ...

    @overload
    def forward(
        self,
        ids: Sequence[int] | np.ndarray,
        *,
        hidden_states: Literal[True],
        positions: Sequence[int] | np.ndarray | str | None = None,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]: ...

    def forward(
        self,
        ids: Sequence[int] | np.ndarray,
        *,
        hidden_states: bool = False,
        positions: Sequence[int] | np.ndarray | str | None = None,
    ) -> tuple[np.ndarray, np.ndarray] | tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Logits (T, V) for one sequence and attention weights (n_layer, n_head, T, T).

        With ``hidden_states=True`` a third array (n_layer + 1, T, n_embd) follows: the
        residual stream after the embeddings (token + position) and after each block,
        before the final LayerNorm. ``positions`` chooses the position vectors: None uses
        rows 0..T-1 of wpe; a sequence of T ints in 0..n_ctx-1 uses those rows (e.g. a
        permutation: "shuffled"); the string ``"none"`` adds no position vector at all.
        Raises ``GPTError("bad_positions")`` for anything else."""
        arr = self._check_ids(ids)
        if arr.shape[0] != 1:
            raise GPTError("bad_shape", "forward takes one sequence; use logits_batch")
        pos = self._check_positions(positions, arr.shape[1])
        record: dict[str, list] | None = {} if hidden_states else None
        logits, atts, _ = self._forward(arr, keep=False, positions=pos, record=record)
        if record is None:
            return logits[0], atts[0]
        return logits[0], atts[0], np.stack([h[0] for h in record["hidden"]])

    def logits_batch(self, ids: np.ndarray, *, positions: Any = None) -> np.ndarray:
        """Logits (B, T, V) of a batch of sequences (B, T); ``positions`` as in forward."""
        arr = self._check_ids(ids)
        pos = self._check_positions(positions, arr.shape[1])
        return self._forward(arr, keep=False, positions=pos)[0]

    # -- incremental decoding with a key/value cache
    def prefill(self, ids: Sequence[int] | np.ndarray) -> tuple[np.ndarray, KVCache]:
        """Run the prompt ``ids`` (T,) once: its logits (T, V), as :meth:`forward` gives
        them, and a :class:`KVCache` holding every layer's keys and values (H, T, D)."""
        arr = self._check_ids(ids)
        if arr.shape[0] != 1:
            raise GPTError("bad_shape", "prefill takes one sequence")
        record: dict[str, list] = {}
        logits, _, _ = self._forward(arr, keep=False, record=record)
        cache = KVCache(
            keys=[np.ascontiguousarray(k[0]) for k in record["keys"]],
            values=[np.ascontiguousarray(v[0]) for v in record["values"]],
        )
        return logits[0], cache

    def decode(self, token_id: int, cache: KVCache) -> tuple[np.ndarray, KVCache]:
        """Feed one more token at position ``cache.length``: the logits (V,) for the token
        after it and a new cache one position longer. Only the new position is computed:
        its query attends to the cached keys/values plus its own. ``cache`` is left as it
        was (the new cache holds new, concatenated arrays). Raises ``GPTError("too_long")``
        when the position would be n_ctx or beyond."""
        cfg, P = self.config, self.params
        C, H = cfg.n_embd, cfg.n_head
        D = C // H
        if isinstance(token_id, bool) or not isinstance(token_id, int | np.integer):
            raise GPTError("bad_token", "token id must be an integer")
        if not 0 <= int(token_id) < cfg.vocab_size:
            raise GPTError("bad_token", "token id out of range")
        if (
            not isinstance(cache, KVCache)
            or len(cache.keys) != cfg.n_layer
            or len(cache.values) != cfg.n_layer
        ):
            raise GPTError("bad_cache", "need a KVCache with one entry per layer")
        t = cache.length
        for k, v in zip(cache.keys, cache.values, strict=True):
            if k.shape != (H, t, D) or v.shape != (H, t, D):
                raise GPTError("bad_cache", f"expected ({H}, {t}, {D}), got {k.shape}/{v.shape}")
        if t >= cfg.n_ctx:
            raise GPTError("too_long", f"{t + 1} > {cfg.n_ctx}")
        scale = 1.0 / math.sqrt(D)
        x = P["transformer.wte.weight"][int(token_id)] + P["transformer.wpe.weight"][t]  # (C,)
        keys, values = [], []
        for i in range(cfg.n_layer):
            p = f"transformer.h.{i}."
            h1, _ = _layer_norm(x, P[p + "ln_1.weight"], P[p + "ln_1.bias"])
            qkv = h1 @ P[p + "attn.c_attn.weight"] + P[p + "attn.c_attn.bias"]  # (3C,)
            q, k, v = (qkv[j * C : (j + 1) * C].reshape(H, 1, D) for j in range(3))
            K = np.concatenate([cache.keys[i], k], axis=1)  # (H, t+1, D)
            Vv = np.concatenate([cache.values[i], v], axis=1)
            att = softmax((q @ K.transpose(0, 2, 1)) * scale)  # (H, 1, t+1): all visible
            y = (att @ Vv).reshape(C)
            x = x + y @ P[p + "attn.c_proj.weight"] + P[p + "attn.c_proj.bias"]
            h2, _ = _layer_norm(x, P[p + "ln_2.weight"], P[p + "ln_2.bias"])
            f = h2 @ P[p + "mlp.c_fc.weight"] + P[p + "mlp.c_fc.bias"]  # (4C,)
            x = x + gelu(f) @ P[p + "mlp.c_proj.weight"] + P[p + "mlp.c_proj.bias"]
            keys.append(K)
            values.append(Vv)
        xf, _ = _layer_norm(x, P["transformer.ln_f.weight"], P["transformer.ln_f.bias"])
        return xf @ P["transformer.wte.weight"].T, KVCache(keys=keys, values=values)

    def loss_and_gradients(self, ids: Any, targets: Any) -> tuple[float, dict[str, np.ndarray]]:
        """Mean cross-entropy of predicting ``targets`` from ``ids`` ((T,) or (B, T)) and its
        gradient with respect to every parameter (same keys and shapes as ``params``)."""
        arr = self._check_ids(ids)
        tgt = np.asarray(targets, dtype=np.int64).reshape(arr.shape)
        if tgt.min() < 0 or tgt.max() >= self.config.vocab_size:
            raise GPTError("bad_token", "target id out of range")
        cfg, P = self.config, self.params
        B, T = arr.shape
        C, H = cfg.n_embd, cfg.n_head
        D = C // H
        scale = 1.0 / math.sqrt(D)
        logits, _, caches = self._forward(arr, keep=True)
        probs = softmax(logits)
        bi, ti = np.meshgrid(np.arange(B), np.arange(T), indexing="ij")
        picked = probs[bi, ti, tgt]
        loss = float(-np.log(np.maximum(picked, np.finfo(probs.dtype).tiny)).mean())
        grads = {k: np.zeros_like(v) for k, v in P.items()}

        dlogits = probs
        dlogits[bi, ti, tgt] -= 1.0
        dlogits /= B * T
        xf, lnf = caches[-1]
        wte = P["transformer.wte.weight"]
        grads["transformer.wte.weight"] += dlogits.reshape(-1, cfg.vocab_size).T @ xf.reshape(-1, C)
        dx, dw, db = _layer_norm_back(dlogits @ wte, P["transformer.ln_f.weight"], lnf)
        grads["transformer.ln_f.weight"], grads["transformer.ln_f.bias"] = dw, db
        for i in reversed(range(cfg.n_layer)):
            p = f"transformer.h.{i}."
            h1, ln1, q, k, v, att, y, h2, ln2, f, th, g = caches[i]
            # MLP
            grads[p + "mlp.c_proj.weight"] = g.reshape(-1, 4 * C).T @ dx.reshape(-1, C)
            grads[p + "mlp.c_proj.bias"] = dx.sum((0, 1))
            df = (dx @ P[p + "mlp.c_proj.weight"].T) * gelu_grad(f, th)
            grads[p + "mlp.c_fc.weight"] = h2.reshape(-1, C).T @ df.reshape(-1, 4 * C)
            grads[p + "mlp.c_fc.bias"] = df.sum((0, 1))
            dh2 = df @ P[p + "mlp.c_fc.weight"].T
            d, grads[p + "ln_2.weight"], grads[p + "ln_2.bias"] = _layer_norm_back(
                dh2, P[p + "ln_2.weight"], ln2
            )
            dx = dx + d
            # attention
            grads[p + "attn.c_proj.weight"] = y.reshape(-1, C).T @ dx.reshape(-1, C)
            grads[p + "attn.c_proj.bias"] = dx.sum((0, 1))
            dy = (dx @ P[p + "attn.c_proj.weight"].T).reshape(B, T, H, D).transpose(0, 2, 1, 3)
            datt = dy @ v.transpose(0, 1, 3, 2)  # (B, H, T, T)
            dv = att.transpose(0, 1, 3, 2) @ dy
            dscores = att * (datt - (datt * att).sum(-1, keepdims=True)) * scale
            dq = dscores @ k
            dk = dscores.transpose(0, 1, 3, 2) @ q
            dqkv = np.concatenate(
                [t.transpose(0, 2, 1, 3).reshape(B, T, C) for t in (dq, dk, dv)], axis=-1
            )  # (B, T, 3C)
            grads[p + "attn.c_attn.weight"] = h1.reshape(-1, C).T @ dqkv.reshape(-1, 3 * C)
            grads[p + "attn.c_attn.bias"] = dqkv.sum((0, 1))
            dh1 = dqkv @ P[p + "attn.c_attn.weight"].T
            d, grads[p + "ln_1.weight"], grads[p + "ln_1.bias"] = _layer_norm_back(
                dh1, P[p + "ln_1.weight"], ln1
            )
            dx = dx + d
        np.add.at(grads["transformer.wte.weight"], arr.reshape(-1), dx.reshape(-1, C))
        grads["transformer.wpe.weight"][:T] += dx.sum(0)
        return loss, grads

    # -- persistence
    def save(
        self, path: str | os.PathLike[str], *, extras: Mapping[str, str] | None = None
    ) -> None:
        """Write an ``.npz``: every parameter under its Hugging Face name, the config as
        JSON (``config_json``) and as plain integers (``config.<field>``), and any
        ``extras`` (name -> JSON text) such as the vocabulary and training metadata."""
        arrays: dict[str, np.ndarray] = {k: np.asarray(v) for k, v in self.params.items()}
        arrays["config_json"] = np.array(json.dumps(self.config.to_dict()))
        for k, v in self.config.to_dict().items():
            arrays[f"config.{k}"] = np.array(v, dtype=np.int64)
        for k, v in (extras or {}).items():
            arrays[k] = np.array(v)
        np.savez_compressed(path, **arrays)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> GPT:
        """Read a file written by :meth:`save` (no pickle)."""
        model, _ = load_checkpoint(path)
        return model


def load_checkpoint(path: str | os.PathLike[str]) -> tuple[GPT, dict[str, str]]:
    """The model and the extra JSON texts (e.g. ``vocab_json``, ``metadata_json``)."""
    with np.load(path, allow_pickle=False) as f:
        cfg = GPTConfig.from_dict(json.loads(str(f["config_json"])))
        model = GPT(cfg)
        for name, shape in param_shapes(cfg).items():
            arr = np.asarray(f[name], dtype=np.float64)
            if arr.shape != shape:
                raise GPTError("bad_checkpoint", f"{name}: {arr.shape} != {shape}")
            model.params[name] = arr
        extras = {k: str(f[k]) for k in f.files if k.endswith("_json") and k != "config_json"}
    return model, extras


# ── sampling ───────────────────────────────────────────────────────────────────
def next_token_probs(
    logits: np.ndarray, *, temperature: float = 1.0, top_k: int | None = None, top_p: float = 1.0
) -> np.ndarray:
    """The distribution a sampler draws from, (V,), given one row of logits (V,).

    temperature 0 means greedy (all mass on the arg-max); top_k keeps the k likeliest
    tokens (None or 0: all); top_p keeps the smallest set of likeliest tokens whose
    probability reaches p (always at least one token, so p = 0 is greedy too)."""
    z = np.asarray(logits, dtype=np.float64)
    if not math.isfinite(temperature) or temperature < 0:
        raise GPTError("bad_temperature", str(temperature))
    if not math.isfinite(top_p) or not 0.0 <= top_p <= 1.0:
        raise GPTError("bad_top_p", str(top_p))
    if top_k is not None and top_k < 0:
        raise GPTError("bad_top_k", str(top_k))
    V = z.shape[-1]
    if temperature == 0.0:
        out = np.zeros(V)
        out[int(np.argmax(z))] = 1.0
        return out
    probs = softmax(z / temperature)
    order = np.argsort(-probs, kind="stable")
    keep = np.ones(V, dtype=bool)
    if top_k:
        keep[order[top_k:]] = False
    if top_p < 1.0:
        csum = np.cumsum(probs[order])
        n_keep = int(np.searchsorted(csum, top_p, side="left")) + 1  # first reaching p
        keep[order[max(n_keep, 1) :]] = False
    probs = np.where(keep, probs, 0.0)
    return probs / probs.sum()


def sample(probs: np.ndarray, rng: np.random.Generator) -> int:
    """Draw one token id from ``probs`` (V,) with one uniform number from ``rng``."""
    c = np.cumsum(probs)
    return int(min(np.searchsorted(c, rng.random() * c[-1], side="right"), len(c) - 1))


def generate(
    model: GPT,
    ids: Sequence[int],
    max_new_tokens: int,
    *,
    temperature: float = 1.0,
    top_k: int | None = None,
    top_p: float = 1.0,
    rng: np.random.Generator | None = None,
) -> np.ndarray:
    """``ids`` followed by ``max_new_tokens`` sampled tokens, (T + max_new_tokens,).

    The model sees at most its last ``n_ctx`` tokens. Greedy when ``temperature`` is 0."""
    out = [int(i) for i in ids]
    if not out:
        raise GPTError("empty_input")
    rng = np.random.default_rng(0) if rng is None else rng
    n_ctx = model.config.n_ctx
    for _ in range(int(max_new_tokens)):
        logits, _ = model.forward(out[-n_ctx:])
        probs = next_token_probs(logits[-1], temperature=temperature, top_k=top_k, top_p=top_p)
        out.append(sample(probs, rng))
    return np.asarray(out, dtype=np.int64)


# ── training and evaluation ─────────────────────────────────────────────────
def train_step(
    model: GPT, optimizer: Any, ids: np.ndarray, targets: np.ndarray, lr: float
) -> float:
    """One optimizer step on a batch; returns the batch loss before the step."""
    loss, grads = model.loss_and_gradients(ids, targets)
    optimizer.step(model.params, grads, lr=lr)
    return loss


@dataclass(frozen=True)
class Evaluation:
    loss: float  # mean cross-entropy over all positions
    accuracy: float  # share of positions where the arg-max is the target
    long_range_accuracy: float  # the same over marked positions only
    by_family: dict[int, float]  # accuracy over positions marked with each family
    n_tokens: int
    n_marked: int


def evaluate_probs(probs: np.ndarray, targets: np.ndarray, marks: np.ndarray) -> Evaluation:
    """Score predicted distributions (n, T, V) against targets and long-range marks (n, T)."""
    p = np.take_along_axis(probs, targets[..., None], -1)[..., 0]
    loss = float(-np.log(np.maximum(p, 1e-300)).mean())
    hit = probs.argmax(-1) == targets
    marked = marks > 0
    fam = {int(f): float(hit[marks == f].mean()) for f in np.unique(marks[marked])}
    return Evaluation(
        loss=loss,
        accuracy=float(hit.mean()),
        long_range_accuracy=float(hit[marked].mean()) if marked.any() else float("nan"),
        by_family=fam,
        n_tokens=int(hit.size),
        n_marked=int(marked.sum()),
    )


def evaluate(
    model: GPT,
    inputs: np.ndarray,
    targets: np.ndarray,
    marks: np.ndarray,
    *,
    batch: int = 64,
    positions: Any = None,
) -> Evaluation:
    """Score ``model`` on windows (n, T); ``positions`` as in :meth:`GPT.forward` (the
    same position rows for every window)."""
    probs = np.concatenate(
        [
            softmax(model.logits_batch(inputs[i : i + batch], positions=positions))
            for i in range(0, len(inputs), batch)
        ]
    )
    return evaluate_probs(probs, targets, marks)


def repetition(ids: Sequence[int], *, min_repeats: int = 2) -> tuple[int, int]:
    """(period, repeats) of the shortest block that ends ``ids`` and occurs there at least
    ``min_repeats`` times in a row; (0, 0) when the tail does not repeat."""
    seq = [int(i) for i in ids]
    n = len(seq)
    for p in range(1, n // min_repeats + 1):
        block = seq[n - p :]
        r = 1
        while (r + 1) * p <= n and seq[n - (r + 1) * p : n - r * p] == block:
            r += 1
        if r >= min_repeats:
            return p, r
    return 0, 0


# ── inside the model: hidden states, logit lens, tracing, cache arithmetic ─────────
def _head(model: GPT, x: np.ndarray) -> np.ndarray:
    """Final LayerNorm then the tied output head: logits (..., V) of residual streams (..., C)."""
    P = model.params
    xf, _ = _layer_norm(x, P["transformer.ln_f.weight"], P["transformer.ln_f.bias"])
    return xf @ P["transformer.wte.weight"].T


def logit_lens(
    model: GPT,
    ids: Sequence[int] | np.ndarray,
    *,
    positions: Sequence[int] | np.ndarray | str | None = None,
) -> np.ndarray:
    """The "logit lens": every residual stream of :meth:`GPT.forward` (``hidden_states``)
    sent through the final LayerNorm (ln_f) and the tied head, (n_layer + 1, T, V).
    Row 0 reads the embeddings, row l the stream after block l; the last row equals the
    model's logits."""
    _, _, hidden = model.forward(ids, hidden_states=True, positions=positions)
    return _head(model, hidden)


@dataclass(frozen=True, eq=False)
class Trace:
    """Everything needed to follow one token through the model (one sequence of T
    tokens; L layers, H heads, C = n_embd, V = vocab_size).

    ``hidden[0] == tok_emb + pos_emb`` and ``hidden[l + 1] == hidden[l] + attn_out[l] +
    mlp_out[l]`` (up to rounding); ``lens[-1]`` equals ``logits``."""

    tok_emb: np.ndarray  # (T, C) token embedding rows wte[ids]
    pos_emb: np.ndarray  # (T, C) position vectors added (zeros for positions="none")
    hidden: np.ndarray  # (L+1, T, C) residual stream after embeddings / each block
    attn_out: np.ndarray  # (L, T, C) what each attention block adds (after c_proj + bias)
    mlp_out: np.ndarray  # (L, T, C) what each MLP adds (after c_proj + bias)
    attentions: np.ndarray  # (L, H, T, T) attention weights
    logits: np.ndarray  # (T, V)
    lens: np.ndarray  # (L+1, T, V) logit lens of ``hidden``
    probs: np.ndarray  # (T, V) softmax of ``logits``


def trace(
    model: GPT,
    ids: Sequence[int] | np.ndarray,
    *,
    positions: Sequence[int] | np.ndarray | str | None = None,
) -> Trace:
    """Run one sequence and keep every intermediate of the residual stream (see
    :class:`Trace`). ``positions`` as in :meth:`GPT.forward`."""
    arr = model._check_ids(ids)
    if arr.shape[0] != 1:
        raise GPTError("bad_shape", "trace takes one sequence")
    T = arr.shape[1]
    pos = model._check_positions(positions, T)
    record: dict[str, list] = {}
    logits, atts, _ = model._forward(arr, keep=False, positions=pos, record=record)
    wte, wpe = model.params["transformer.wte.weight"], model.params["transformer.wpe.weight"]
    if pos is None:
        pos_emb = wpe[:T].copy()
    elif isinstance(pos, str):
        pos_emb = np.zeros((T, model.config.n_embd), dtype=wpe.dtype)
    else:
        pos_emb = wpe[pos]
    hidden = np.stack([h[0] for h in record["hidden"]])
    return Trace(
        tok_emb=wte[arr[0]],
        pos_emb=pos_emb,
        hidden=hidden,
        attn_out=np.stack([a[0] for a in record["attn_out"]]),
        mlp_out=np.stack([m[0] for m in record["mlp_out"]]),
        attentions=atts[0],
        logits=logits[0],
        lens=_head(model, hidden),
        probs=softmax(logits[0]),
    )


def position_losses(model: GPT, ids: Sequence[int] | np.ndarray) -> np.ndarray:
    """Per-position cross-entropy (T-1,): entry t is −log p(ids[t+1] | ids[:t+1]).

    The model reads ``ids[:-1]`` (so ``ids`` may be up to n_ctx + 1 long, like a training
    window plus its last target); the mean equals
    ``model.loss_and_gradients(ids[:-1], ids[1:])[0]``."""
    arr = np.asarray(ids)
    if arr.ndim != 1:
        raise GPTError("bad_shape", str(arr.shape))
    if arr.shape[0] < 2:
        raise GPTError("too_short", "need at least two tokens")
    logits, _ = model.forward(arr[:-1])
    tgt = model._check_ids(arr[1:])[0]
    z = logits - logits.max(-1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(-1, keepdims=True))
    return -logp[np.arange(len(tgt)), tgt]


def target_nll(probs: np.ndarray, ids: Sequence[int] | np.ndarray) -> np.ndarray:
    """−log p(correct next token) at each position (T-1,), from next-token probabilities
    ``probs`` (T, V) read at ``ids`` (T,): entry t is −log probs[t, ids[t+1]] (a zero
    probability counts as 1e-300, so the loss stays finite)."""
    p = np.asarray(probs, dtype=np.float64)
    arr = np.asarray(ids)
    if p.ndim != 2 or arr.ndim != 1 or len(arr) != len(p) or len(arr) < 2:
        raise GPTError("bad_shape", f"{p.shape} probabilities for {arr.shape} tokens")
    picked = p[np.arange(len(arr) - 1), arr[1:]]
    return -np.log(np.maximum(picked, 1e-300))


def perplexity(losses: Sequence[float] | np.ndarray) -> float:
    """exp(mean cross-entropy): the number of equally likely tokens the model is, on
    average, as unsure as (1 for a certain model, the vocabulary size for a uniform one)."""
    arr = np.asarray(losses, dtype=np.float64)
    if arr.size == 0:
        raise GPTError("too_short", "no losses")
    return float(np.exp(arr.mean()))


def _config_of(config: GPTConfig | GPT) -> GPTConfig:
    return config.config if isinstance(config, GPT) else config


def kv_bytes_per_token(config: GPTConfig | GPT, bytes_per_value: int = 8) -> int:
    """Bytes the KV cache grows by per position: one key and one value vector of n_embd
    numbers (all heads together) in each layer, 2 · n_layer · n_embd · bytes_per_value
    (8 for float64, 4 for float32, 2 for float16)."""
    cfg = _config_of(config)
    return 2 * cfg.n_layer * cfg.n_embd * int(bytes_per_value)


def generation_macs(config: GPTConfig | GPT, prompt_len: int, new_tokens: int) -> tuple[int, int]:
    """(with cache, without cache): multiply-accumulates of the matrix products needed
    to generate ``new_tokens`` tokens after a prompt of ``prompt_len`` tokens.

    Cost model (C = n_embd, L = n_layer, V = vocab_size). Processing one position that
    sees t positions (itself and all earlier ones) costs, per layer, 3C² (q, k, v) + C²
    (attention output projection) + 8C² (MLP, C→4C→C) + 2·C·t (scores q·k over the t
    visible positions and the weighted sum of their values), i.e. L·(12C² + 2Ct); every
    position whose logits are computed adds V·C for the tied head. Embedding look-ups,
    LayerNorms, GELU, softmax and biases are not counted.

    Steps: step 1 runs the prompt (positions 1..prompt_len, head on all of them, as
    :meth:`GPT.forward` does) and yields the first new token; steps 2..new_tokens each
    yield one more token. The last generated token is never fed back in.

    * With cache: step 1 is :meth:`GPT.prefill`; step s ≥ 2 is one :meth:`GPT.decode`
      call, which processes the single position prompt_len + s − 1 (seeing that many
      positions) and computes the head once.
    * Without cache: step s re-runs the full forward over the prompt_len + s − 1 tokens
      so far (every position, head on every position).

    So the two are equal for new_tokens = 1 and with cache is smaller beyond that;
    new_tokens = 0 costs (0, 0). Raises ``GPTError`` for prompt_len < 1, new_tokens < 0,
    or a sequence longer than n_ctx."""
    cfg = _config_of(config)
    C, L, V = cfg.n_embd, cfg.n_layer, cfg.vocab_size
    P, N = int(prompt_len), int(new_tokens)
    if P < 1:
        raise GPTError("empty_input", f"prompt_len={prompt_len}")
    if N < 0:
        raise GPTError("bad_new_tokens", f"new_tokens={new_tokens}")
    if P + max(N - 1, 0) > cfg.n_ctx:
        raise GPTError("too_long", f"{P + max(N - 1, 0)} > {cfg.n_ctx}")
    if N == 0:
        return 0, 0

    def position(t: int) -> int:  # one position seeing t positions, all layers, no head
        return L * (12 * C * C + 2 * C * t)

    def full_forward(S: int) -> int:  # S positions, head on all of them
        return sum(position(t) for t in range(1, S + 1)) + S * V * C

    with_cache = full_forward(P) + sum(position(P + s - 1) + V * C for s in range(2, N + 1))
    without_cache = sum(full_forward(P + s - 1) for s in range(1, N + 1))
    return with_cache, without_cache
