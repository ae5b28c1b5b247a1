"""nn/losses.py: exact values, gradcheck, the stable logits form, and clear errors."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nn
from autograd import Parameter, Value, gradcheck, sigmoid
from autograd.errors import DomainError
from nn.losses import bce_with_logits, binary_cross_entropy, hinge, l2, mean, mse

probabilities = st.floats(min_value=0.01, max_value=0.99)

logits = st.floats(min_value=-30.0, max_value=30.0)

labels01 = st.floats(min_value=0.0, max_value=1.0)


def test_binary_cross_entropy_is_the_course_formula():
    assert binary_cross_entropy(0.8, 1) == pytest.approx(-math.log(0.8), rel=1e-15)
    assert binary_cross_entropy(0.8, 0) == pytest.approx(-math.log(0.2), rel=1e-15)
    assert binary_cross_entropy(0.8, 0.25) == pytest.approx(-(0.25 * math.log(0.8) + 0.75 * math.log(0.2)), rel=1e-15)
    # a certain, correct prediction costs exactly nothing
    assert binary_cross_entropy(1.0, 1) == 0.0
    assert binary_cross_entropy(0.0, 0) == 0.0
    assert isinstance(binary_cross_entropy(Value(0.5), 1), Value)


def test_binary_cross_entropy_derivative_by_hand():
    # dL/dŷ = -y/ŷ + (1-y)/(1-ŷ)
    y_hat = Value(0.8)
    binary_cross_entropy(y_hat, 1).backward()
    assert y_hat.grad == pytest.approx(-1 / 0.8, rel=1e-15)
    y_hat = Value(0.8)
    binary_cross_entropy(y_hat, 0).backward()
    assert y_hat.grad == pytest.approx(1 / 0.2, rel=1e-12)


@settings(max_examples=25, deadline=None)
@given(probabilities, labels01)
def test_binary_cross_entropy_gradcheck(p, y):
    assert gradcheck(binary_cross_entropy, p, y)
    assert gradcheck(lambda q: binary_cross_entropy(q, 1), p)
    assert gradcheck(lambda q: binary_cross_entropy(q, 0), p)


def test_binary_cross_entropy_refuses_saturated_predictions():
    with pytest.raises(
        DomainError, match=r"binary_cross_entropy: y_hat=1.0 with label y=0.0 takes the log of 0.0; .*bce_with_logits"
    ):
        binary_cross_entropy(1.0, 0)
    with pytest.raises(DomainError, match=r"y_hat=0.0 with label y=1.0 takes the log of 0.0"):
        binary_cross_entropy(Value(0.0), 1)
    with pytest.raises(ValueError, match=r"label y=2.0 is outside \[0, 1\]"):
        binary_cross_entropy(0.5, 2)


@pytest.mark.parametrize("y_hat", [1.5, Value(1.5), -0.5, Value(-0.5), 1.0000001, math.nan, math.inf])
@pytest.mark.parametrize("y", [0, 1, 0.5, Value(1.0)])
def test_binary_cross_entropy_refuses_predictions_outside_0_1(y_hat, y):
    # 1.5 with label 1 used to give log(1.5) = -0.405: a negative loss.
    shown = y_hat.data if isinstance(y_hat, Value) else y_hat
    with pytest.raises(
        DomainError,
        match=rf"binary_cross_entropy: y_hat={shown!r} is not a probability; y_hat must be strictly between 0 and 1",
    ):
        binary_cross_entropy(y_hat, y)


def test_binary_cross_entropy_allows_exact_0_or_1_where_the_log_is_dropped():
    assert binary_cross_entropy(1.0, 1) == 0.0 and binary_cross_entropy(0.0, 0) == 0.0


@settings(max_examples=25, deadline=None)
@given(logits, labels01)
def test_bce_with_logits_equals_bce_of_sigmoid_and_gradchecks(z, y):
    if abs(z) <= 10:  # beyond, 1 - sigmoid(z) loses the digits that the logits form keeps
        a = sigmoid(z)
        assert bce_with_logits(z, y) == pytest.approx(binary_cross_entropy(a, y), rel=1e-9, abs=1e-12)
    assert gradcheck(bce_with_logits, z, y)
    assert gradcheck(lambda v: bce_with_logits(v, 1), z)
    assert gradcheck(lambda v: bce_with_logits(v, 0), z)


@pytest.mark.parametrize("z", [-1000.0, -700.0, -40.0, 40.0, 700.0, 1000.0])
@pytest.mark.parametrize("y", [0, 1, 0.5])
def test_bce_with_logits_is_finite_with_exact_gradient_at_large_z(z, y):
    # L = log(1 + e^z) - y z; for |z| >= 40, log(1 + e^z) is max(z, 0) to double precision
    zv = Value(z)
    L = bce_with_logits(zv, y)
    L.backward()
    assert L.data == pytest.approx(max(z, 0.0) - y * z, abs=1e-15)
    a = 1.0 if z > 0 else 0.0  # sigmoid(z) to double precision
    assert zv.grad == pytest.approx(a - y, abs=1e-15)  # dz = a - y


def test_mse_exact_and_gradcheck():
    assert mse(2.5, 1.0) == 2.25
    y_hat = Value(2.5)
    mse(y_hat, 1.0).backward()
    assert y_hat.grad == 3.0  # 2 (ŷ - y)
    assert gradcheck(mse, 0.3, -1.2)


def test_hinge_exact_values_and_gradients():
    assert hinge(0.25, 1) == 0.75
    assert hinge(0.25, -1) == 1.25
    assert hinge(3.0, 1) == 0.0
    assert hinge(-3.0, -1) == 0.0
    s = Value(0.25)
    hinge(s, -1).backward()
    assert s.grad == 1.0
    s = Value(0.25)
    hinge(s, 1).backward()
    assert s.grad == -1.0
    s = Value(2.0)
    hinge(s, 1).backward()
    assert s.grad == 0.0
    for score in (-1.7, 0.3, 0.9):
        assert gradcheck(lambda v: hinge(v, 1), score)
        assert gradcheck(lambda v: hinge(v, -1), -score)
        assert gradcheck(lambda v, y: hinge(v, y), score, 1.0)


def test_hinge_refuses_zero_one_labels():
    with pytest.raises(ValueError, match=r"hinge: label y=0.0 is not -1 or \+1; .*2\*y - 1"):
        hinge(0.5, 0)


def test_mean_and_l2():
    assert mean([1.0, 2.0, 6.0]) == 3.0
    ls = [Value(1.0), Value(2.0), Value(6.0)]
    J = mean(ls)
    assert J.data == 3.0
    J.backward()
    assert [v.grad for v in ls] == [1 / 3] * 3
    with pytest.raises(ValueError, match="mean: got no losses"):
        mean([])
    ps = [Parameter(3.0), Parameter(-4.0)]
    R = l2(ps)
    assert R.op == "dot" and R.data == 25.0
    R.backward()
    assert [p.grad for p in ps] == [6.0, -8.0]  # 2p
    assert gradcheck(lambda a, b: l2([a, b]), 0.7, -0.2)


def test_l2_takes_the_parameters_and_says_so_when_given_something_else():
    model = nn.MLP(2, [3, 1], seed=0)
    assert l2(model.parameters()).data == sum(p.data**2 for p in model.parameters())
    with pytest.raises(TypeError, match=r"l2 needs the parameters, not the model: pass model.parameters\(\)"):
        l2(model)
    with pytest.raises(TypeError, match=r"l2 needs a list of parameters, got one Value"):
        l2(Parameter(3.0))
    assert l2(iter([])).data == 0.0 and l2([2.0, 3.0]) == 13.0  # plain numbers give a float, as in every loss


def test_losses_on_plain_numbers_return_floats():
    for value in (binary_cross_entropy(0.3, 1), bce_with_logits(0.3, 1), mse(0.3, 1.0), hinge(0.3, 1)):
        assert type(value) is float
    with pytest.raises(TypeError, match="mse y_hat needs a real number"):
        mse("1", 1.0)


@pytest.mark.parametrize("losses", [Value(1.0), 2.5, "abc", None])
def test_mean_of_something_that_is_not_a_list_says_what_it_takes(losses):
    with pytest.raises(TypeError, match=r"mean takes a list of losses \(Values or numbers\), one per example, got "):
        mean(losses)


def test_l2_of_no_parameters_is_a_float_zero_without_calling_dot(monkeypatch):
    def no_dot(*args):
        raise AssertionError("l2([]) should not depend on what dot([], []) returns")

    monkeypatch.setattr(nn.losses, "dot", no_dot)
    assert type(nn.losses.l2([]).data) is float and nn.losses.l2([]).data == 0.0
