"""The exceptions the engine raises, so callers can catch exactly what they mean to."""

from __future__ import annotations


class DomainError(ArithmeticError, ValueError):
    """An operation was asked for a value outside its domain: ``log(-1)``, ``1 / 0``, ``exp(1000)``.

    It is both an ``ArithmeticError`` and a ``ValueError``, so either ``except`` clause catches it.
    """


class DivisionByZeroError(DomainError, ZeroDivisionError):
    """A ``DomainError`` that divides by zero (``1 / 0``, ``0 ** -1``): also a ``ZeroDivisionError``,
    so code written for floats (``except ZeroDivisionError``) keeps working on Values.

    >>> issubclass(DivisionByZeroError, ZeroDivisionError)
    True
    """


class FloatOverflowError(DomainError, OverflowError):
    """A ``DomainError`` whose result is too large for a float (``exp(1000)``): also an ``OverflowError``.

    >>> issubclass(FloatOverflowError, OverflowError)
    True
    """


class AnomalyError(ArithmeticError):
    """Raised inside ``detect_anomaly()`` when an operation first produces NaN or infinity."""


class GradcheckError(AssertionError):
    """Raised by ``gradcheck`` when analytic and numeric derivatives disagree; the message is a table."""


class DerivativeMismatch(AssertionError):
    """Raised by ``check_derivatives`` when the engine, a hand-derived formula and central differences
    do not all agree; the message is a table that says which of the three disagrees.

    An ``AssertionError``, so pytest and hypothesis report it as a failed check.

    >>> issubclass(DerivativeMismatch, AssertionError)
    True
    """


def undefined_derivative(op: str, inputs: list[float], error: BaseException, mode: str = "backward") -> DomainError:
    """The error for a local derivative that cannot be computed in a pass, naming the op and the
    pass (``mode``: ``"backward"``, or ``"jvp"`` for forward mode).

    >>> print(undefined_derivative("sqrt", [0.0], ZeroDivisionError("float division by zero")))
    backward through sqrt(0.0): the local derivative is undefined here: computing it divides by zero (a vertical slope, like sqrt's at 0)
    """
    where = f"{mode} through {op}({', '.join(map(repr, inputs))}): the local derivative"
    if isinstance(error, OverflowError):  # Python's float ** says "(34, 'Numerical result out of range')"
        return FloatOverflowError(f"{where} overflows a float (largest about 1.8e308)")
    if isinstance(error, ZeroDivisionError):  # sqrt at 0, x ** 0.5 at 0: the slope is vertical
        return DivisionByZeroError(
            f"{where} is undefined here: computing it divides by zero (a vertical slope, like sqrt's at 0)"
        )
    return DomainError(f"{where} is undefined ({error})")
