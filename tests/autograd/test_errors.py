"""autograd/errors.py: each exception is caught by the clauses it promises, and undefined_derivative
says why a local derivative cannot be computed."""

from __future__ import annotations

import pytest

from autograd import Value
from autograd.errors import (
    AnomalyError,
    DerivativeMismatch,
    DivisionByZeroError,
    DomainError,
    FloatOverflowError,
    GradcheckError,
    undefined_derivative,
)


def test_domain_error_is_both_an_arithmetic_error_and_a_value_error() -> None:
    assert issubclass(DomainError, ArithmeticError)
    assert issubclass(DomainError, ValueError)


def test_a_division_by_zero_and_an_overflow_are_domain_errors_and_pythons_own() -> None:
    assert issubclass(DivisionByZeroError, DomainError) and issubclass(DivisionByZeroError, ZeroDivisionError)
    assert issubclass(FloatOverflowError, DomainError) and issubclass(FloatOverflowError, OverflowError)
    with pytest.raises(ZeroDivisionError):  # code written for floats keeps working on Values
        Value(1.0) / 0
    with pytest.raises(OverflowError):
        Value(710.0).exp()


def test_anomaly_error_is_an_arithmetic_error() -> None:
    assert issubclass(AnomalyError, ArithmeticError)


def test_gradcheck_error_is_an_assertion_error() -> None:
    assert issubclass(GradcheckError, AssertionError)


def test_derivative_mismatch_is_an_assertion_error_of_its_own() -> None:
    """pytest and hypothesis show it as a failed check; it is not a GradcheckError (no hand formula there)."""
    assert issubclass(DerivativeMismatch, AssertionError)
    assert not issubclass(DerivativeMismatch, GradcheckError)


@pytest.mark.parametrize(
    "op, inputs, error, kind, message",
    [
        (
            "sqrt",
            [0.0],
            ZeroDivisionError("float division by zero"),
            DivisionByZeroError,
            "backward through sqrt(0.0): the local derivative is undefined here: computing it divides by zero "
            "(a vertical slope, like sqrt's at 0)",
        ),
        (
            "**",
            [1e-200, -1.0],
            OverflowError(34, "Numerical result out of range"),
            FloatOverflowError,
            "backward through **(1e-200, -1.0): the local derivative overflows a float (largest about 1.8e308)",
        ),
        (
            "mylog",
            [-1.0],
            ValueError("math domain error"),
            DomainError,
            "backward through mylog(-1.0): the local derivative is undefined (math domain error)",
        ),
    ],
    ids=["division by zero", "overflow", "other"],
)
def test_undefined_derivative_names_the_op_its_inputs_and_why(op, inputs, error, kind, message) -> None:
    e = undefined_derivative(op, inputs, error)
    assert type(e) is kind and str(e) == message


def test_undefined_derivative_names_the_pass() -> None:
    e = undefined_derivative("sqrt", [0.0], ZeroDivisionError("float division by zero"), mode="jvp")
    assert type(e) is DivisionByZeroError
    assert str(e).startswith("jvp through sqrt(0.0): the local derivative is undefined here")
