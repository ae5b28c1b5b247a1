"""Domain errors at the op and in backward, with messages that name the op and the value; stability."""

from __future__ import annotations

import math

import pytest
from ag_strategies import small_floats
from hypothesis import given, settings

import autograd
from autograd import DomainError, Value, grad

EXAMPLES = settings(max_examples=50, deadline=None)


def test_domain_error_is_both_an_arithmetic_error_and_a_value_error() -> None:
    assert issubclass(DomainError, ArithmeticError)
    assert issubclass(DomainError, ValueError)


FORWARD_ERRORS = [
    # (expression, words the message must contain)
    (lambda: Value(0.0).log(), ["log", "0.0", "> 0"]),
    (lambda: Value(-1.0).log(), ["log", "-1.0", "> 0"]),
    (lambda: autograd.log(-2.5), ["log", "-2.5"]),
    (lambda: Value(-1.0).sqrt(), ["sqrt", "-1.0", ">= 0"]),
    (lambda: autograd.sqrt(-4), ["sqrt", "-4"]),
    (lambda: Value(1.0) / 0, ["/", "1.0", "0"]),
    (lambda: 3 / Value(0.0), ["/", "3.0", "0.0"]),
    (lambda: Value(2.0) / Value(-0.0), ["/", "division by zero"]),
    (lambda: Value(-8.0) ** (1 / 3), ["**", "-8.0", "non-integer"]),
    (lambda: (-8.0) ** Value(0.5), ["**", "-8.0", "0.5"]),
    (lambda: Value(0.0) ** -1, ["**", "0.0", "-1"]),
    (lambda: Value(10.0) ** 400, ["**", "10.0", "400", "overflow"]),
    (lambda: 2 ** Value(2000.0), ["**", "2000.0", "overflow"]),
    (lambda: Value(710.0).exp(), ["exp", "710.0", "709.78"]),
    (lambda: autograd.exp(1000), ["exp", "1000"]),
    (lambda: Value(math.inf).sin(), ["sin", "inf", "finite"]),
    (lambda: autograd.cos(-math.inf), ["cos", "-inf", "finite"]),
]


@pytest.mark.parametrize("expression, words", FORWARD_ERRORS)
def test_a_value_outside_the_domain_raises_at_the_op(expression, words: list[str]) -> None:
    with pytest.raises(DomainError) as info:
        expression()
    message = str(info.value)
    for word in words:
        assert word in message, f"{word!r} not in {message!r}"


def test_domain_errors_are_caught_by_either_except_clause() -> None:
    with pytest.raises(ValueError):
        Value(-1.0).log()
    with pytest.raises(ArithmeticError):
        Value(1.0) / 0


def test_the_edges_of_the_domains_are_inside() -> None:
    assert Value(0.0).sqrt().data == 0.0
    assert Value(709.0).exp().data == pytest.approx(math.exp(709.0), rel=1e-15)
    assert (Value(-2.0) ** 3).data == -8.0
    assert (Value(0.0) ** 0).data == 1.0
    assert (Value(0.0) ** 2.5).data == 0.0


BACKWARD_ERRORS = [
    (lambda x: x.sqrt(), 0.0, ["sqrt", "0.0", "undefined", "divides by zero"]),
    (lambda x: x**0.5, 0.0, ["**", "0.0", "undefined", "divides by zero"]),
    (lambda x: (x * x).sqrt(), 0.0, ["sqrt", "0.0"]),  # deeper in the graph
    # d(x ** -1)/dx = -x ** -2 overflows Python's float **, which says "(34, 'Numerical result ...')"
    (lambda x: x**-1, 1e-200, ["**", "1e-200", "-1", "overflows a float"]),
]


@pytest.mark.parametrize("f, at, words", BACKWARD_ERRORS)
def test_an_undefined_local_derivative_raises_in_backward(f, at: float, words: list[str]) -> None:
    x = Value(at)
    y = f(x)  # the forward is defined
    with pytest.raises(DomainError) as info:
        y.backward()
    message = str(info.value)
    for word in words:
        assert word in message, f"{word!r} not in {message!r}"


def test_an_undefined_derivative_through_grad_is_a_domain_error() -> None:
    with pytest.raises(DomainError, match="sqrt"):
        grad(autograd.sqrt)(0.0)


def test_an_undefined_derivative_in_a_higher_order_pass_names_the_op() -> None:
    with pytest.raises(DomainError, match="sqrt"):
        grad(grad(autograd.sqrt))(0.0)


# Stability for large |x|


@pytest.mark.parametrize(
    "name, x, value, derivative",
    [
        ("sigmoid", -1000.0, 0.0, 0.0),
        ("sigmoid", 1000.0, 1.0, 0.0),
        ("tanh", -1000.0, -1.0, 0.0),
        ("tanh", 1000.0, 1.0, 0.0),
        ("softplus", 1000.0, 1000.0, 1.0),
        ("softplus", -1000.0, 0.0, 0.0),
        ("exp", -1000.0, 0.0, 0.0),
    ],
)
def test_stable_for_large_inputs(name: str, x: float, value: float, derivative: float) -> None:
    v = Value(x)
    out = getattr(v, name)()
    out.backward()
    assert out.data == value
    assert v.grad == derivative
    assert getattr(autograd, name)(x) == value


@EXAMPLES
@given(x=small_floats(-800.0, 800.0))
def test_sigmoid_is_in_the_unit_interval_and_symmetric(x: float) -> None:
    s, s_minus = autograd.sigmoid(x), autograd.sigmoid(-x)
    assert 0.0 <= s <= 1.0
    assert s + s_minus == pytest.approx(1.0, abs=1e-15)
    d = grad(autograd.sigmoid)(x)
    assert 0.0 <= d <= 0.25
    # ans * (1 - ans) loses relative digits as ans -> 1 (1 - ans cancels), not absolute ones
    assert d == pytest.approx(s * s_minus, rel=1e-12, abs=1e-15)


@EXAMPLES
@given(x=small_floats(-700.0, 700.0))
def test_softplus_is_log_one_plus_exp_without_overflow_or_lost_digits(x: float) -> None:
    expected = math.log1p(math.exp(x)) if x < 30 else x + math.log1p(math.exp(-x))
    assert autograd.softplus(x) == pytest.approx(expected, rel=1e-12, abs=1e-300)


def test_softplus_keeps_small_values() -> None:
    assert autograd.softplus(-30.0) == pytest.approx(math.exp(-30.0), rel=1e-12)


def test_relu_and_leaky_relu_pass_nan_through() -> None:
    """A NaN in the data must not come out as a plausible 0 (relu) or a small negative number."""
    assert math.isnan(autograd.relu(math.nan))
    assert math.isnan(autograd.leaky_relu(math.nan))
    assert (autograd.relu(-0.5), autograd.relu(0.0), autograd.relu(2.0)) == (0.0, 0.0, 2.0)
    assert (autograd.leaky_relu(-2.0), autograd.leaky_relu(3.0)) == (-0.02, 3.0)
