"""nn/optim.py: SGD and Adam against updates written out by hand; hyperparameter and gradient checks."""

from __future__ import annotations

import math

import pytest

import nn
from autograd import Parameter
from nn.optim import SGD, Adam


def params_with_grads(values, grads):
    ps = [Parameter(v) for v in values]
    for p, g in zip(ps, grads):
        p.grad = g
    return ps


def test_sgd_is_plain_gradient_descent():
    ps = params_with_grads([1.0, -2.0], [0.5, -4.0])
    SGD(ps, lr=0.25).step()
    assert [p.data for p in ps] == [1.0 - 0.25 * 0.5, -2.0 + 0.25 * 4.0]


def test_sgd_momentum_and_weight_decay_by_hand():
    (p,) = ps = params_with_grads([2.0], [1.0])
    opt = SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.5)
    # step 1: g = 1 + 0.5*2 = 2, v = 2, p = 2 - 0.2 = 1.8
    opt.step()
    assert p.data == pytest.approx(1.8, abs=1e-15)
    # step 2 (same grad 1): g = 1 + 0.5*1.8 = 1.9, v = 0.9*2 + 1.9 = 3.7, p = 1.8 - 0.37 = 1.43
    opt.step()
    assert p.data == pytest.approx(1.43, abs=1e-15)


def test_sgd_learning_rate_can_follow_a_schedule():
    (p,) = ps = params_with_grads([0.0], [1.0])
    opt = SGD(ps, lr=1.0)
    for k in range(3):
        opt.lr = 1.0 - 0.25 * k
        opt.step()
    assert p.data == -(1.0 + 0.75 + 0.5)
    opt.lr = 0.0
    with pytest.raises(ValueError, match=r"SGD.step: lr must be a finite number > 0, got 0.0"):
        opt.step()


def test_adam_matches_the_update_written_out():
    values, grads = [0.5, -1.5, 3.0], [[0.2, -1.0, 0.0], [0.1, 2.0, 1e-3], [-0.3, 0.5, 5.0]]
    ps = [Parameter(v) for v in values]
    opt = Adam(ps, lr=0.01, betas=(0.8, 0.99), eps=1e-6)
    m = [0.0] * 3
    v = [0.0] * 3
    expected = list(values)
    for t, gs in enumerate(grads, start=1):
        for p, g in zip(ps, gs):
            p.grad = g
        opt.step()
        for i, g in enumerate(gs):
            m[i] = 0.8 * m[i] + 0.2 * g
            v[i] = 0.99 * v[i] + 0.01 * g * g
            expected[i] -= 0.01 * (m[i] / (1 - 0.8**t)) / (math.sqrt(v[i] / (1 - 0.99**t)) + 1e-6)
        assert [p.data for p in ps] == pytest.approx(expected, rel=1e-14, abs=1e-15)


def test_adam_first_step_moves_each_parameter_by_about_lr():
    ps = params_with_grads([0.0, 0.0], [1e-4, -50.0])
    Adam(ps, lr=0.1).step()
    assert [p.data for p in ps] == pytest.approx([-0.1, 0.1], rel=1e-3)


def test_optimizers_train_a_model_down_the_loss():
    X = [[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]]
    Y = [1.0, 1.0, 0.0, 0.0]  # xor: needs the hidden layer
    for make in (lambda ps: SGD(ps, lr=0.1, momentum=0.9), lambda ps: Adam(ps, lr=0.05)):
        model = nn.MLP(2, [8, 1], activation="tanh", seed=0)
        opt = make(model.parameters())
        first = last = None
        for _ in range(200):
            J = nn.losses.mean([nn.losses.mse(model(x), y) for x, y in zip(X, Y)])
            opt.zero_grad()
            J.backward()
            opt.step()
            first = J.data if first is None else first
            last = J.data
        assert last < 0.01 < first


def test_zero_grad_clears_the_optimizers_parameters():
    ps = params_with_grads([1.0, 2.0], [3.0, 4.0])
    SGD(ps, lr=0.1).zero_grad()
    assert [p.grad for p in ps] == [0.0, 0.0]


def test_non_finite_gradient_is_refused_before_anything_moves():
    ps = params_with_grads([1.0, 2.0], [0.5, math.nan])
    ps[1].label = "layers.0.neurons.0.b"
    for opt in (SGD(ps, lr=0.1), Adam(ps)):
        with pytest.raises(ValueError, match=r"step: parameter 'layers.0.neurons.0.b' has gradient nan"):
            opt.step()
        assert [p.data for p in ps] == [1.0, 2.0]


@pytest.mark.parametrize(
    "make",
    [
        lambda ps: SGD(ps, lr=1e300),
        lambda ps: SGD(ps, lr=1.0, weight_decay=1e308),
        lambda ps: SGD(ps, lr=1e300, momentum=0.9),
    ],
    ids=["lr", "weight decay", "momentum"],
)
def test_an_update_that_overflows_is_refused_and_changes_nothing(make):
    """1.0 - 1e300 * 1e10 is -inf: a finite gradient, but a step no model survives."""
    ps = params_with_grads([1.0, 2.0], [0.5, 1e10])
    ps[1].label = "w"
    opt = make(ps)
    with pytest.raises(ValueError, match=r"SGD.step: the update would make parameter 'w' -inf .*nothing was changed"):
        opt.step()
    assert [p.data for p in ps] == [1.0, 2.0] and opt.velocity == [0.0, 0.0]


def test_adam_refuses_a_gradient_whose_square_overflows():
    """(1e200)² is inf: the running average v would be inf for good, and the parameter frozen."""
    ps = params_with_grads([1.0, 2.0], [0.5, 1e200])
    opt = Adam(ps)
    with pytest.raises(ValueError, match=r"Adam.step: parameter 1 has gradient 1e\+200, whose square overflows"):
        opt.step()
    assert [p.data for p in ps] == [1.0, 2.0] and (opt.t, opt.m, opt.v) == (0, [0.0, 0.0], [0.0, 0.0])
    ps[1].grad = 1e150  # large, but its square is finite: Adam's step is still about lr
    opt.step()
    assert ps[1].data == pytest.approx(2.0 - 1e-3)


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda ps: SGD(ps, lr=0.0), r"SGD: lr must be a finite number > 0, got 0.0"),
        (lambda ps: SGD(ps, lr=-1), r"SGD: lr must be a finite number > 0, got -1"),
        (lambda ps: SGD(ps, lr=math.nan), r"SGD: lr must be a finite number"),
        (lambda ps: SGD(ps, lr="0.1"), r"SGD: lr must be a finite number"),
        (lambda ps: SGD(ps, lr=0.1, momentum=1.0), r"SGD: momentum must be a finite number in \[0, 1\), got 1.0"),
        (lambda ps: SGD(ps, lr=0.1, weight_decay=-0.1), r"SGD: weight_decay must be a finite number >= 0"),
        (lambda ps: Adam(ps, lr=0), r"Adam: lr must be a finite number > 0, got 0"),
        (lambda ps: Adam(ps, betas=(0.9,)), r"Adam: betas must be a pair"),
        (lambda ps: Adam(ps, betas=(0.9, 1.0)), r"Adam: betas\[1\] must be a finite number in \[0, 1\), got 1.0"),
        (lambda ps: Adam(ps, eps=0.0), r"Adam: eps must be a finite number > 0, got 0.0"),
        (lambda ps: SGD([], lr=0.1), r"SGD: got no parameters to optimize"),
        (lambda ps: SGD([ps[0], ps[0]], lr=0.1), r"SGD: parameter 1 \('w'\) appears twice"),
    ],
)
def test_bad_hyperparameters_are_refused_clearly(make, message):
    ps = [Parameter(1.0, label="w")]
    with pytest.raises(ValueError, match=message):
        make(ps)


def test_non_values_are_refused():
    with pytest.raises(TypeError, match="SGD: parameter 0 is float 1.0, not a Value"):
        SGD([1.0], lr=0.1)


@pytest.mark.parametrize("Optimizer", [SGD, Adam])
def test_passing_the_model_or_one_value_says_what_to_pass(Optimizer):
    name = Optimizer.__name__
    model = nn.MLP(2, [3, 1], seed=0)
    with pytest.raises(
        TypeError, match=rf"{name} needs the parameters, not the model: pass model.parameters\(\), got MLP\(2 -> "
    ):
        Optimizer(model, lr=0.1)
    with pytest.raises(TypeError, match=rf"{name} needs a list of parameters, got one Value .*; pass \[w\]"):
        Optimizer(Parameter(1.0, label="w"), lr=0.1)
    with pytest.raises(
        TypeError, match=rf"{name} needs the parameters, a list of Values: pass model.parameters\(\), got float 0.5"
    ):
        Optimizer(0.5, lr=0.1)
