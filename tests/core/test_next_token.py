"""The next-token target and its loss, against hand cases and the GPT's own loss."""

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

from core.errors import ExplorableError
from core.next_token import log_softmax, target_losses, training_pairs


def test_targets_are_the_text_shifted_by_one():
    assert training_pairs([5, 1, 4, 1]) == ((5, 1, 4), (1, 4, 1))


def test_hand_case():
    # two positions, three tokens; answers are tokens 1 then 2
    logits = np.log(np.array([[0.2, 0.5, 0.3], [0.1, 0.1, 0.8], [1 / 3, 1 / 3, 1 / 3]]))
    r = target_losses(logits, [0, 1, 2])
    assert r.inputs == (0, 1) and r.targets == (1, 2)
    assert_allclose(r.p_target, [0.5, 0.8])
    assert_allclose(r.losses, [math.log(2), -math.log(0.8)])
    assert r.mean_loss == pytest.approx((math.log(2) - math.log(0.8)) / 2)
    assert r.perplexity == pytest.approx(math.exp(r.mean_loss))
    rmse0 = math.sqrt((0.2**2 + 0.5**2 + 0.3**2) / 3)
    rmse1 = math.sqrt((0.1**2 + 0.1**2 + 0.2**2) / 3)
    assert_allclose(r.rmse, [rmse0, rmse1])
    assert r.top == (1, 2)


def test_confidently_wrong_costs_without_bound_while_rmse_stays_bounded():
    for big in (10.0, 100.0, 700.0):
        r = target_losses(np.array([[big, 0.0], [0.0, 0.0]]), [0, 1])
        assert r.losses[0] == pytest.approx(big + math.log1p(math.exp(-big)), rel=1e-9)
        assert r.rmse[0] <= math.sqrt(2 / 2) + 1e-12  # at most √(2/V)


def test_log_softmax_is_stable_and_agrees_with_the_naive_form():
    z = np.random.default_rng(0).normal(size=(4, 7))
    assert_allclose(log_softmax(z), np.log(np.exp(z) / np.exp(z).sum(-1, keepdims=True)))
    assert np.all(np.isfinite(log_softmax(np.array([[1e308, 0.0, -5.0]]))))


def test_mean_equals_the_gpt_training_loss():
    from core.gpt import GPT, GPTConfig

    cfg = GPTConfig(vocab_size=11, n_ctx=8, n_embd=8, n_layer=1, n_head=2)
    model = GPT(cfg, rng=np.random.default_rng(1))
    ids = [3, 1, 4, 1, 5, 9, 2, 6]
    logits, _ = model.forward(ids)
    r = target_losses(logits, ids)
    loss, _ = model.loss_and_gradients(np.array([ids[:-1]]), np.array([ids[1:]]))
    assert r.mean_loss == pytest.approx(float(loss), rel=1e-6)


@pytest.mark.parametrize(("logits", "ids"), [(np.zeros((1, 3)), [0]), (np.zeros((2, 3)), [0, 5])])
def test_bad_input_raises_a_coded_error(logits, ids):
    with pytest.raises(ExplorableError) as e:
        target_losses(logits, ids)
    assert e.value.code in ("short", "shape")
