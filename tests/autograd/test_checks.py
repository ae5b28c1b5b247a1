"""autograd/checks.py: the checks every package shares, and the words of their errors."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest

from autograd import Value
from autograd._checks import SHORT, check_finite, describe, finite_float, not_a_number, shorten, to_float
from autograd.errors import DomainError


def test_shorten_keeps_short_text_and_cuts_long_text_to_the_limit() -> None:
    assert SHORT == 40
    assert shorten("a" * 40) == "a" * 40
    assert shorten("a" * 41) == "a" * 37 + "..."
    assert len(shorten("x" * 5_000_000)) == 40
    assert shorten("abcdefgh", limit=5) == "ab..."
    assert shorten("") == ""


@pytest.mark.parametrize(
    "x, described",
    [
        (3, "int 3"),
        (None, "NoneType None"),
        ("x", "str 'x'"),
        ([1.0, 2.0], "list [1.0, 2.0]"),
        (b"a" * 100, "bytes b'" + "a" * 35 + "..."),
    ],
)
def test_describe_is_the_type_and_a_short_repr(x, described) -> None:
    assert describe(x) == described


@pytest.mark.parametrize(
    "x, number",
    [(3, 3.0), (-2.5, -2.5), (np.int64(7), 7.0), (np.float32(0.5), 0.5), (Fraction(1, 4), 0.25)],
)
def test_to_float_takes_any_real_number(x, number) -> None:
    result = to_float(x, "Value")
    assert result == number and type(result) is float


def test_to_float_refuses_what_is_not_a_real_number_and_what_is_too_large() -> None:
    with pytest.raises(TypeError) as info:
        to_float("3", "log")
    assert str(info.value) == "log needs a real number (int, float or numpy scalar), got str '3'"
    with pytest.raises(DomainError) as info:
        to_float(10**400, "Value")
    assert str(info.value) == "Value: " + "1" + "0" * 36 + "... is too large for a float (largest about 1.8e308)"


def test_not_a_number_says_what_was_given_instead() -> None:
    assert str(not_a_number(None, "sum")) == "sum needs a real number (int, float or numpy scalar), got NoneType None"
    assert str(not_a_number(Value(1.0), "exp")) == (
        "exp needs a plain number, got a Value (Value(data=1.0, grad=0.0)); use it directly or x.data"
    )
    assert str(not_a_number(np.zeros((2, 3)), "log")) == (
        "log: got an array of shape (2, 3), but a Value holds one number; "
        "the scalar engine works one number at a time (for arrays use nn.vectorized)"
    )
    assert all(type(not_a_number(x, "f")) is TypeError for x in (None, Value(1.0), np.zeros(2)))


@pytest.mark.parametrize(
    "x, number",
    [(3, 3.0), (-0.5, -0.5), (np.float32(0.25), 0.25), (np.int64(-4), -4.0), (Fraction(3, 2), 1.5), (1e308, 1e308)],
)
def test_finite_float_of_a_finite_real_number(x, number) -> None:
    result = finite_float(x)
    assert result == number and type(result) is float


@pytest.mark.parametrize(
    "x",
    [
        True,
        False,
        np.bool_(True),
        math.nan,
        math.inf,
        -math.inf,
        np.float64("nan"),
        np.float32("inf"),
        10**400,
        -(10**400),
        "3",
        None,
        1 + 0j,
        [1.0],
    ],
)
def test_finite_float_of_anything_else_is_none(x) -> None:
    assert finite_float(x) is None


@pytest.mark.parametrize(
    "x, shown",
    [
        (True, "bool True"),
        (False, "bool False"),
        ("0.5", "str '0.5'"),
        (None, "NoneType None"),
        (math.nan, "nan"),
        (np.float64("nan"), "nan"),
        (math.inf, "inf"),
        (-math.inf, "-inf"),
        (10**400, "inf"),
        (-(10**400), "-inf"),
    ],
)
def test_check_finite_names_what_it_got(x, shown) -> None:
    with pytest.raises(ValueError) as info:
        check_finite(x, "load: 'b'")
    assert str(info.value) == f"load: 'b' is {shown}; expected a finite real number (int or float)"


def test_check_finite_returns_a_float_or_raises_the_error_asked_for() -> None:
    assert check_finite(np.float32(0.5), "x") == 0.5 and type(check_finite(np.int64(2), "x")) is float

    class StateError(ValueError):
        pass

    with pytest.raises(StateError, match="^w is nan; expected a finite real number"):
        check_finite(math.nan, "w", StateError)


def test_check_finite_raises_wrong_type_for_something_that_is_not_a_number() -> None:
    for x in ("1", True, None, [1.0]):
        with pytest.raises(TypeError, match=r"^backward: the gradient is .*; expected a finite real number"):
            check_finite(x, "backward: the gradient", wrong_type=TypeError)
    for x in (math.nan, math.inf, 10**400):  # a number, but not a finite one: still the error asked for
        with pytest.raises(ValueError) as info:
            check_finite(x, "backward: the gradient", wrong_type=TypeError)
        assert type(info.value) is ValueError
