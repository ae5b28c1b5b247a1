"""autograd/floats.py: the forward computations, with an error naming the op and the value wherever
the math is undefined, and stable for large inputs."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings

import autograd
import autograd.checking
import autograd.errors
import autograd.extend
import autograd.language.syntax
from autograd import Value, grad
from autograd import forwards as floats
from autograd.errors import DivisionByZeroError, DomainError, FloatOverflowError

from .strategies import small_floats

EXAMPLES = settings(max_examples=50, deadline=None)


FORWARD_ERRORS = [
    (lambda: Value(math.inf).tan(), ["tan", "inf", "finite"]),
    (lambda: Value(1.5).asin(), ["asin", "1.5", "[-1, 1]"]),
    (lambda: autograd.acos(-1.01), ["acos", "-1.01", "[-1, 1]"]),
    (lambda: Value(0.5).acosh(), ["acosh", "0.5", ">= 1"]),
    (lambda: autograd.atanh(1), ["atanh", "1", "(-1, 1)"]),
    (lambda: Value(-1.0).atanh(), ["atanh", "-1.0", "(-1, 1)"]),
    (lambda: Value(-1.0).log1p(), ["log1p", "-1.0", "> -1"]),
    (lambda: Value(0.0).log2(), ["log2", "0.0", "> 0"]),
    (lambda: autograd.log10(-3), ["log10", "-3", "> 0"]),
    (lambda: Value(711.0).sinh(), ["sinh", "711.0", "710.47"]),
    (lambda: autograd.cosh(-800), ["cosh", "-800", "710.47"]),
    (lambda: Value(710.0).expm1(), ["expm1", "710.0", "709.78"]),
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


def test_a_division_by_zero_and_an_overflow_raise_their_own_kinds() -> None:
    with pytest.raises(DivisionByZeroError, match=r"^/: division by zero in 1.0 / 0.0; the divisor must be nonzero$"):
        floats.divide(1.0, 0.0)
    with pytest.raises(DivisionByZeroError, match=r"^\*\*: zero to a negative power divides by zero: 0.0 \*\* -2.0$"):
        floats.power(0.0, -2.0)
    with pytest.raises(
        FloatOverflowError, match=r"^\*\*: 10.0 \*\* 400.0 overflows a float \(largest is about 1.8e308\)$"
    ):
        floats.power(10.0, 400.0)
    with pytest.raises(FloatOverflowError, match=r"^exp: exp\(710.0\) overflows a float; valid inputs are <= 709.78$"):
        floats.exp(710.0)
    with pytest.raises(DomainError) as info:
        floats.log(0.0)
    assert type(info.value) is DomainError  # neither a division by zero nor an overflow


def test_the_edges_of_the_domains_are_inside() -> None:
    assert Value(0.0).sqrt().data == 0.0
    assert Value(709.0).exp().data == pytest.approx(math.exp(709.0), rel=1e-15)
    assert (Value(-2.0) ** 3).data == -8.0
    assert (Value(0.0) ** 0).data == 1.0
    assert (Value(0.0) ** 2.5).data == 0.0


def test_the_fused_sum_and_dot_on_floats() -> None:
    assert floats.total() == 0 and floats.total(1.0, 2.0, 3.5) == 6.5
    assert floats.dot(1.0, 2.0, 3.0, 4.0) == 11.0  # w1 x1 + w2 x2
    assert floats.dot(1.0, 2.0, 3.0, 4.0, 0.5) == 11.5  # the odd one out is the bias
    assert floats.dot() == 0.0 and floats.dot(2.0) == 2.0


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


# A division by zero is also a ZeroDivisionError, an overflow an OverflowError: code written for floats keeps working.


@pytest.mark.parametrize(
    "make",
    [
        lambda: Value(1.0) / 0,
        lambda: 3 / Value(0.0),
        lambda: Value(0.0) ** -1,
        lambda: autograd.extend.apply("/", 1, 0),
    ],
)
def test_division_by_zero_is_a_zero_division_error(make) -> None:
    with pytest.raises(ZeroDivisionError) as info:
        make()
    assert isinstance(info.value, DomainError)


@pytest.mark.parametrize("make", [lambda: Value(710.0).exp(), lambda: autograd.exp(1000), lambda: Value(10.0) ** 400])
def test_overflow_is_an_overflow_error(make) -> None:
    with pytest.raises(OverflowError) as info:
        make()
    assert isinstance(info.value, DomainError)


def test_code_written_for_floats_catches_the_engine_s_errors() -> None:
    def safe_ratio(a, b):
        try:
            return a / b
        except ZeroDivisionError:
            return 0.0

    assert safe_ratio(Value(1.0), Value(0.0)) == 0.0 and safe_ratio(1.0, 0.0) == 0.0
