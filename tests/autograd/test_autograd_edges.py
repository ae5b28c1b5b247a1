"""Edge cases found in review: exponents of negative bases, constants, gradcheck's step, dot of nothing."""

from __future__ import annotations

import math

import pytest

import autograd
from autograd import DomainError, Value, detect_anomaly, dot, gradcheck, hessian


def test_number_literals_become_unlabelled_leaves_in_argument_order() -> None:
    v = Value(2.0, label="v")
    y = 3 * v + 1.5
    three, one_and_a_half = y.parents[0].parents[0], y.parents[1]
    for c, number in ((three, 3.0), (one_and_a_half, 1.5)):
        assert (type(c), c.data, c.label, c.op, c.parents) == (Value, number, "", "", ())


def test_the_exponent_has_no_derivative_where_the_base_is_negative() -> None:
    # x ** y for x < 0 is only defined at integer y, so d/dy is undefined: nan, and so is every
    # second derivative that involves y. d/dx is the usual y * x ** (y - 1) = 2 * -2 = -4.
    h = hessian(lambda x, y: x**y)(-2.0, 2.0)
    assert h[0][0] == 2.0  # y (y - 1) x ** (y - 2) = 2
    assert math.isnan(h[0][1]) and math.isnan(h[1][0]) and math.isnan(h[1][1])
    x, y = Value(-2.0), Value(2.0)
    (x**y).backward()
    assert x.grad == -4.0 and math.isnan(y.grad)


def test_the_exponent_slope_is_zero_at_a_zero_base_and_log_x_times_ans_above() -> None:
    x, y = Value(0.0), Value(3.0)
    (x**y).backward()
    assert (x.grad, y.grad) == (0.0, 0.0)  # 0 ** y = 0 for every y > 0
    x, y = Value(2.0), Value(3.0)
    (x**y).backward()
    assert (x.grad, y.grad) == (12.0, 8.0 * math.log(2.0))


def test_a_constant_exponent_of_a_negative_base_is_not_an_anomaly() -> None:
    # (y_hat - y) ** 2 with a negative residual is everyday code: the constant 2's gradient is nan
    # (undefined), but nothing uses it, so detect_anomaly lets it pass ...
    with detect_anomaly():
        r = Value(-3.0, label="r")
        loss = r**2
        loss.backward()
    assert r.grad == -6.0 and math.isnan(loss.parents[1].grad)
    # ... while a variable exponent's undefined derivative is stopped.
    with detect_anomaly(), pytest.raises(autograd.AnomalyError, match=r"\*\* \(inputs: r=-3.0, p=2.0\)"):
        (Value(-3.0, label="r") ** Value(2.0, label="p")).backward()


def test_gradcheck_steps_relative_to_the_argument() -> None:
    # An absolute step of 1e-6 at x = 1e8 is below float precision there: the check would fail.
    assert gradcheck(lambda x: x**3, 1e8) is True


def test_gradcheck_says_when_its_steps_leave_the_domain() -> None:
    with pytest.raises(DomainError, match=r"gradcheck: the central-difference steps x0 = 1e-09 ± 1e-06 leave f's domain"):
        gradcheck(lambda x: x.sqrt(), 1e-9)


@pytest.mark.parametrize(("option", "value"), [("eps", 0.0), ("eps", -1e-6), ("atol", float("nan")), ("rtol", "1")])
def test_gradcheck_rejects_bad_tolerances(option: str, value: object) -> None:
    with pytest.raises(ValueError, match=f"gradcheck: {option} must be"):
        gradcheck(lambda x: x * x, 1.0, **{option: value})


def test_dot_of_nothing_is_the_float_zero() -> None:
    z = dot([], [], Value(0.5))
    assert z.data == 0.5 and type(z.data) is float
    empty = dot([], [])  # no Value among the arguments: a plain float, like dot([1.0], [2.0])
    assert empty == 0.0 and type(empty) is float
    assert dot([], [], 2) == 2.0 and type(dot([], [], 2)) is float


def test_unary_plus_is_the_value_itself() -> None:
    v = Value(2.0)
    assert +v is v


def test_a_defop_derivative_may_return_a_list() -> None:
    mul2 = autograd.defop("mul2_list", lambda x, y: x * y, lambda ans, x, y: [y, x])
    try:
        x, y = Value(3.0), Value(4.0)
        mul2(x, y).backward()
        assert (x.grad, y.grad) == (4.0, 3.0)
    finally:
        del autograd.rules.PRIMITIVES["mul2_list"]


def test_a_huge_integer_is_refused_with_a_short_message() -> None:
    with pytest.raises(DomainError) as info:
        Value(10**400)
    assert "too large for a float" in str(info.value) and len(str(info.value)) < 120


def test_parse_explains_that_name_labels_the_root() -> None:
    with pytest.raises(autograd.ParseError, match="name is the root's label, a str, got int 2"):
        autograd.parse("name + 1", name=2)
