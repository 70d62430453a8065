"""Parameter, compute and memory arithmetic against independent truth: the parameter
counts of released checkpoints, the papers' figures, and hand-built weight lists."""

from __future__ import annotations

import json
import math
import pathlib

import numpy as np
import pytest

from core.scale import (
    ACCELERATORS,
    KNOWN_MODELS,
    PARTS,
    ModelShape,
    ScaleError,
    breakdown,
    checkpoint_model,
    count_parameters,
    kv_cache_bytes,
    read_gpt_checkpoint,
    training_cost,
    training_flops,
    weight_bytes,
)

ROOT = pathlib.Path(__file__).resolve().parents[2]

# Sum of the tensor sizes of the released checkpoints (independent published truth).
EXACT = {
    "gpt2": 124_439_808,
    "gpt2-medium": 354_823_168,
    "gpt2-large": 774_030_080,
    "gpt2-xl": 1_557_611_200,
    "llama2-7b": 6_738_415_616,
    "llama2-13b": 13_015_864_320,
    "llama2-70b": 68_976_648_192,
}


@pytest.mark.parametrize("key", sorted(EXACT))
def test_released_checkpoints_exact(key):
    assert count_parameters(KNOWN_MODELS[key].shape)["total"] == EXACT[key]
    assert KNOWN_MODELS[key].exact == EXACT[key]


def test_gpt3_175b_within_one_percent_of_paper():
    total = count_parameters(KNOWN_MODELS["gpt3-175b"].shape)["total"]
    assert abs(total - 175.0e9) / 175.0e9 < 0.01


def test_gpt3_family_close_to_paper():
    # The paper's Table 2.1 rounds; every size must land within 2 % of its figure.
    for m in KNOWN_MODELS.values():
        if m.family == "gpt3":
            total = count_parameters(m.shape)["total"]
            assert abs(total - m.published) / m.published < 0.02, m.key


def test_gpt2_small_parts_by_hand():
    c = count_parameters(KNOWN_MODELS["gpt2"].shape)
    assert c["token_embedding"] == 50257 * 768
    assert c["position_embedding"] == 1024 * 768
    assert c["attention_q"] == 12 * (768 * 768 + 768)
    assert c["attention_o"] == 12 * (768 * 768 + 768)
    assert c["mlp"] == 12 * (2 * 768 * 3072 + 3072 + 768)
    assert c["norms"] == 12 * 4 * 768 + 2 * 768
    assert c["output_head"] == 0  # tied: counted once, in the embedding


def test_llama2_70b_gqa_parts_by_hand():
    c = count_parameters(KNOWN_MODELS["llama2-70b"].shape)
    assert c["attention_q"] == 80 * 8192 * 8192
    assert c["attention_k"] == c["attention_v"] == 80 * 8192 * 8 * 128
    assert c["mlp"] == 80 * 3 * 8192 * 28672
    assert c["norms"] == 80 * 2 * 8192 + 8192
    assert c["position_embedding"] == 0
    assert c["output_head"] == c["token_embedding"] == 32000 * 8192


def _reference(shape: ModelShape) -> dict[str, tuple[int, ...]]:
    """Every weight array of a model written out by name, like a state dict."""
    d, f, V = shape.d_model, shape.d_ff, shape.vocab_size
    dkv = shape.kv_heads * (d // shape.n_heads)
    w: dict[str, tuple[int, ...]] = {"wte": (V, d)}
    if shape.learned_positions:
        w["wpe"] = (shape.n_ctx, d)

    def norm(name: str) -> None:
        w[f"{name}.weight"] = (d,)
        if shape.norm == "layernorm" and shape.bias:
            w[f"{name}.bias"] = (d,)

    def linear(name: str, n_in: int, n_out: int) -> None:
        w[f"{name}.weight"] = (n_in, n_out)
        if shape.bias:
            w[f"{name}.bias"] = (n_out,)

    for i in range(shape.n_layers):
        norm(f"h{i}.ln1")
        linear(f"h{i}.q", d, d)
        linear(f"h{i}.k", d, dkv)
        linear(f"h{i}.v", d, dkv)
        linear(f"h{i}.o", d, d)
        norm(f"h{i}.ln2")
        if shape.mlp == "swiglu":
            linear(f"h{i}.gate", d, f)
        linear(f"h{i}.up", d, f)
        linear(f"h{i}.down", f, d)
    norm("ln_f")
    if not shape.tied_embeddings:
        w["lm_head"] = (d, V)  # no bias
    return w


@pytest.mark.parametrize("mlp", ["gelu", "swiglu"])
@pytest.mark.parametrize("norm", ["layernorm", "rmsnorm"])
@pytest.mark.parametrize("tied", [True, False])
@pytest.mark.parametrize("learned", [True, False])
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("kv", [None, 1, 2])
def test_every_option_against_a_hand_built_weight_list(mlp, norm, tied, learned, bias, kv):
    shape = ModelShape(
        11,
        5,
        8,
        3,
        4,
        13,
        mlp=mlp,
        norm=norm,
        tied_embeddings=tied,
        learned_positions=learned,
        bias=bias,
        n_kv_heads=kv,
    )
    ref = sum(math.prod(s) for s in _reference(shape).values())
    assert count_parameters(shape)["total"] == ref


def test_parts_sum_to_total_and_terms_reproduce_counts():
    for m in KNOWN_MODELS.values():
        b = breakdown(m.shape)
        assert [p.key for p in b.parts] == list(PARTS)
        assert sum(p.count for p in b.parts) == b.total
        sym = m.shape.symbols()
        for p in b.parts:
            per = sum(t.value(sym) for t in p.layer_terms)
            assert per == p.per_layer
            assert p.count == m.shape.n_layers * per + sum(t.value(sym) for t in p.terms)


def test_count_does_not_depend_on_heads_without_gqa():
    a = ModelShape(100, 16, 64, 2, 1, 256)
    b = ModelShape(100, 16, 64, 2, 16, 256)
    assert count_parameters(a)["total"] == count_parameters(b)["total"]


def test_absurd_tokens_are_refused_not_overflowed():
    with pytest.raises(ScaleError) as err:
        training_flops(10**18, 10**300)
    assert err.value.code == "too_large"
    assert math.isfinite(training_flops(10**18, 10**16))


def test_training_flops_6nd_by_hand():
    assert training_flops(1_000, 2_000) == 12_000_000
    # GPT-3 175B: 6 × 174,604,259,328 × 300e9 = 3.1428766679e23; paper Table D.1: 3.14e23
    n = count_parameters(KNOWN_MODELS["gpt3-175b"].shape)["total"]
    c = training_flops(n, 300_000_000_000)
    assert c == pytest.approx(3.142876667904e23, rel=1e-12)
    assert c == pytest.approx(KNOWN_MODELS["gpt3-175b"].compute, rel=0.01)


def test_training_cost_by_hand():
    cost = training_cost(
        1_000_000_000,
        10_000_000_000,
        peak_flops=312e12,
        utilisation=0.5,
        n_accelerators=8,
        watts=400,
        pue=1.1,
    )
    assert cost.flops == 6e19
    seconds = 6e19 / (312e12 * 0.5)  # 384,615.38 s
    assert cost.accelerator_seconds == pytest.approx(seconds)
    assert cost.accelerator_days == pytest.approx(seconds / 86400)
    assert cost.wall_days == pytest.approx(seconds / 86400 / 8)
    assert cost.energy_kwh == pytest.approx(seconds / 3600 * 400 * 1.1 / 1000)
    assert cost.power_kw == pytest.approx(8 * 400 * 1.1 / 1000)


def test_llama2_published_gpu_hours_imply_a_plausible_utilisation():
    # 6·N·D at the published A100 hours must correspond to 30–60 % of the bf16 peak.
    m = KNOWN_MODELS["llama2-70b"]
    c = training_flops(count_parameters(m.shape)["total"], m.tokens)
    utilisation = c / (m.gpu_hours * 3600 * ACCELERATORS["a100"].peak_tflops * 1e12)
    assert 0.3 < utilisation < 0.6
    from core.scale import flop_rate, hours_accelerator, implied_utilisation

    assert hours_accelerator(m) is ACCELERATORS["a100"]  # Table 2: A100-80GB hours
    assert implied_utilisation(c, m.gpu_hours, hours_accelerator(m)) == utilisation
    # by hand: 1e21 FLOP in 1,000 H100 hours = 1e21 / (3.6e6 s × 989e12) ≈ 28.1 %
    h100 = ACCELERATORS["h100"]
    assert implied_utilisation(1e21, 1000, h100) == pytest.approx(1e21 / 3.6e6 / 989e12)
    assert hours_accelerator(KNOWN_MODELS["llama3.1-405b"]) is h100
    assert flop_rate(6e12, 60) == 1e11
    with pytest.raises(ScaleError):
        flop_rate(1.0, 0)
    with pytest.raises(ScaleError):
        implied_utilisation(1.0, float("nan"), h100)


def test_memory():
    assert weight_bytes(124_439_808, "fp32") == 497_759_232
    assert weight_bytes(124_439_808, "bf16") == 248_879_616
    assert weight_bytes(124_439_808, "int8") == 124_439_808
    # Llama 2 7B at 4096 tokens in bf16: the well-known 2 GiB; 70B with GQA: 1.25 GiB.
    assert kv_cache_bytes(KNOWN_MODELS["llama2-7b"].shape, 4096, 1) == 2 * 2**30
    assert kv_cache_bytes(KNOWN_MODELS["llama2-70b"].shape, 4096, 1) == 1.25 * 2**30
    assert (
        kv_cache_bytes(KNOWN_MODELS["gpt2"].shape, 1024, 4, "fp32")
        == 2 * 12 * 12 * 64 * 1024 * 4 * 4
    )


@pytest.mark.parametrize(
    ("kwargs", "code", "field"),
    [
        ({"n_layers": 0}, "too_small", "n_layers"),
        ({"d_model": 0}, "too_small", "d_model"),
        ({"vocab_size": -5}, "too_small", "vocab_size"),
        ({"n_heads": 5}, "heads_not_divisor", None),
        ({"n_kv_heads": 3}, "kv_heads_not_divisor", None),
        ({"n_kv_heads": 0}, "too_small", "n_kv_heads"),
        ({"d_model": 10**9}, "too_large", "d_model"),
        ({"n_layers": 10**6}, "too_large", "n_layers"),
        ({"d_ff": 2.5}, "not_integer", "d_ff"),
        ({"n_layers": True}, "not_integer", "n_layers"),
        ({"mlp": "relu"}, "bad_choice", "mlp"),
        ({"norm": "batchnorm"}, "bad_choice", "norm"),
    ],
)
def test_invalid_shapes_raise_with_codes(kwargs, code, field):
    base = dict(vocab_size=100, n_ctx=16, d_model=64, n_layers=2, n_heads=8, d_ff=256)
    with pytest.raises(ScaleError) as err:
        ModelShape(**(base | kwargs))
    assert err.value.code == code
    if field:
        assert err.value.info["field"] == field
    assert isinstance(err.value, ValueError)


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"utilisation": 0}, "not_positive"),
        ({"utilisation": 1.5}, "too_large"),
        ({"peak_flops": 0}, "not_positive"),
        ({"watts": -1}, "too_small"),
        ({"n_accelerators": 0}, "too_small"),
        ({"pue": 0.5}, "too_small"),
        ({"watts": float("nan")}, "not_number"),
        ({"n_accelerators": 10**12}, "too_large"),
        ({"n_accelerators": 2.0}, "not_integer"),
        ({"pue": 50.0}, "too_large"),
    ],
)
def test_invalid_costs_raise_with_codes(kwargs, code):
    base = dict(peak_flops=1e12, utilisation=0.4, n_accelerators=1, watts=300, pue=1.0)
    with pytest.raises(ScaleError) as err:
        training_cost(10, 10, **(base | kwargs))
    assert err.value.code == code


# ── checkpoints ──────────────────────────────────────────────────────────────────────


def _gpt2_arrays(V=13, T=7, C=8, L=2, rng=None):
    """A GPT-2 state dict in Hugging Face names and layouts (head tied, not stored)."""
    rng = rng or np.random.default_rng(0)
    a = {
        "transformer.wte.weight": (V, C),
        "transformer.wpe.weight": (T, C),
        "transformer.ln_f.weight": (C,),
        "transformer.ln_f.bias": (C,),
    }
    for i in range(L):
        p = f"transformer.h.{i}."
        a |= {
            p + "ln_1.weight": (C,),
            p + "ln_1.bias": (C,),
            p + "ln_2.weight": (C,),
            p + "ln_2.bias": (C,),
            p + "attn.c_attn.weight": (C, 3 * C),
            p + "attn.c_attn.bias": (3 * C,),
            p + "attn.c_proj.weight": (C, C),
            p + "attn.c_proj.bias": (C,),
            p + "mlp.c_fc.weight": (C, 4 * C),
            p + "mlp.c_fc.bias": (4 * C,),
            p + "mlp.c_proj.weight": (4 * C, C),
            p + "mlp.c_proj.bias": (C,),
        }
    return {k: rng.standard_normal(s) for k, s in a.items()}


def test_checkpoint_with_scalar_config(tmp_path):
    arrays = _gpt2_arrays()
    stored = sum(a.size for a in arrays.values())
    cfg = {
        "config.vocab_size": 13,
        "config.n_ctx": 7,
        "config.n_embd": 8,
        "config.n_layer": 2,
        "config.n_head": 2,
    }
    # a causal-mask buffer and a duplicated tied head must not count as parameters
    extra = {
        "transformer.h.0.attn.bias": np.ones((1, 1, 7, 7)),
        "lm_head.weight": arrays["transformer.wte.weight"].copy(),
    }
    np.savez(tmp_path / "m.npz", **arrays, **extra, **{k: np.int64(v) for k, v in cfg.items()})
    ck = read_gpt_checkpoint(tmp_path / "m.npz")
    assert ck.stored == stored
    assert ck.tokens is None and ck.train_seconds is None  # no training record
    assert count_parameters(ck.shape)["total"] == stored
    m = checkpoint_model(ck, source="m.npz")
    assert m.published == m.exact == stored


def test_checkpoint_with_json_config(tmp_path):
    arrays = _gpt2_arrays(V=20, T=5, C=12, L=1)
    cfg = json.dumps({"vocab_size": 20, "n_ctx": 5, "n_embd": 12, "n_layer": 1, "n_head": 3})
    meta = json.dumps({"settings": {"steps": 10, "batch": 4}, "train_seconds": 2.5})
    np.savez(tmp_path / "m.npz", config=np.array(cfg), metadata_json=np.array(meta), **arrays)
    ck = read_gpt_checkpoint(tmp_path / "m.npz")
    assert ck.config["n_head"] == 3
    assert count_parameters(ck.shape)["total"] == ck.stored
    assert ck.tokens == 10 * 4 * 5  # steps × batch × n_ctx
    assert ck.train_seconds == 2.5
    m = checkpoint_model(ck, source="m.npz")
    assert m.tokens == 200 and m.train_seconds == 2.5


def test_checkpoint_errors(tmp_path):
    with pytest.raises(ScaleError) as err:
        read_gpt_checkpoint(tmp_path / "absent.npz")
    assert err.value.code == "checkpoint_missing"
    (tmp_path / "junk.npz").write_bytes(b"not a zip file")
    with pytest.raises(ScaleError) as err:
        read_gpt_checkpoint(tmp_path / "junk.npz")
    assert err.value.code == "checkpoint_unreadable"
    np.savez(tmp_path / "nocfg.npz", **_gpt2_arrays())
    with pytest.raises(ScaleError) as err:
        read_gpt_checkpoint(tmp_path / "nocfg.npz")
    assert err.value.code == "checkpoint_config"
    np.savez(tmp_path / "pickled.npz", config=np.array([{"n_embd": 8}], dtype=object))
    with pytest.raises(ScaleError) as err:
        read_gpt_checkpoint(tmp_path / "pickled.npz")
    assert err.value.code == "checkpoint_unreadable"


def test_project_tiny_gpt_checkpoint_count_matches_stored_arrays():
    path = ROOT / "assets" / "tiny_gpt.npz"
    if not path.exists():
        pytest.skip("assets/tiny_gpt.npz does not exist yet")
    ck = read_gpt_checkpoint(path)
    assert count_parameters(ck.shape)["total"] == ck.stored


def test_checkpoint_written_by_core_gpt(tmp_path):
    """The project's own writer: the count from the config equals the stored arrays, and
    both equal the model's own parameter dictionary."""
    gpt = pytest.importorskip("core.gpt")
    cfg = gpt.GPTConfig(vocab_size=37, n_ctx=12, n_embd=16, n_layer=3, n_head=4)
    model = gpt.GPT(cfg, rng=np.random.default_rng(0))
    model.save(tmp_path / "t.npz", extras={"meta_json": json.dumps({"steps": 1})})
    ck = read_gpt_checkpoint(tmp_path / "t.npz")
    in_memory = sum(int(np.asarray(a).size) for a in model.params.values())
    assert ck.stored == in_memory
    assert count_parameters(ck.shape)["total"] == in_memory


def test_scale_error_is_an_explorable_error_with_code_and_info():
    from core.errors import ExplorableError
    from core.scale import ScaleError

    exc = ScaleError("not_integer", field="d_model", value=1.5)
    assert isinstance(exc, ExplorableError) and isinstance(exc, ValueError)
    assert exc.code == "not_integer" and exc.info == {"field": "d_model", "value": 1.5}


def test_llama31_405b_preset_reproduces_its_published_figures():
    from core.scale import KNOWN_MODELS, count_parameters, training_flops

    m = KNOWN_MODELS["llama3.1-405b"]
    n = count_parameters(m.shape)["total"]
    # hand count: untied 128,256 × 16,384 embeddings, 126 blocks of GQA attention
    # (q, o: d²; k, v: d·8·128) + SwiGLU (3·d·53,248) + two RMSNorms, and a final norm
    d, per = 16_384, 2 * 16_384**2 + 2 * 16_384 * 1024 + 3 * 16_384 * 53_248 + 2 * 16_384
    assert n == 2 * 128_256 * d + 126 * per + d == 405_853_388_800
    assert abs(n - m.published) / m.published < 0.01
    assert abs(training_flops(n, m.tokens) - m.compute) / m.compute < 0.01  # 3.8e25
    assert m.n_accelerators == 16_384 and m.accelerator == "h100"
    for field in ("source", "tokens_source", "compute_source", "accelerators_source"):
        assert getattr(m, field)


def test_households_and_training_memory_by_hand():
    import dataclasses

    import pytest

    from core.scale import BRAIN, HOUSEHOLD_KWH, Fact, household_watts, training_bytes
    from core.scale import training_cost as cost_of

    assert all(isinstance(f, Fact) and f.source and f.url for f in HOUSEHOLD_KWH.values())
    assert all(isinstance(f, Fact) and f.source for f in BRAIN.values())
    assert dataclasses.is_dataclass(Fact) and Fact.__dataclass_params__.frozen
    value, source, _url = HOUSEHOLD_KWH["jp"]  # still unpacks like a tuple
    assert value == HOUSEHOLD_KWH["jp"][0] == 4175.0 and source
    # 1,000 chips × 500 W × PUE 1.2 = 600 kW; C = 6·10⁹·10¹⁰ = 6·10¹⁹ FLOP at 10¹⁴ FLOP/s
    c = cost_of(10**9, 10**10, peak_flops=2e14, utilisation=0.5, n_accelerators=1000,
                watts=500, pue=1.2)  # fmt: skip
    assert c.sustained_flops == pytest.approx(1e14)
    assert c.wall_seconds == pytest.approx(6e19 / 1e14 / 1000)
    kwh = 6e19 / 1e14 / 3600 * 500 * 1.2 / 1000
    assert c.households_energy("jp") == pytest.approx(kwh / 4175)
    assert household_watts("jp") == pytest.approx(4175 * 1000 / 8766)
    assert c.households_power("jp") == pytest.approx(600_000 / (4175 * 1000 / 8766))
    assert training_bytes(124_439_808) == 16 * 124_439_808
