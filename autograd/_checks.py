"""Checking what callers pass, and saying what was wrong: the helpers every package shares.

An error message names the operation, shows the offending value (``describe``, cut by
``shorten`` so a 5 MB string makes a short message) and says what would be valid.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

from .errors import DomainError

#: The longest repr an error message quotes in full.
SHORT = 40


def shorten(text: str, limit: int = SHORT) -> str:
    """``text`` cut to ``limit`` characters, ending in ``...`` when cut.

    >>> shorten("a" * 50)
    'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...'
    """
    return text if len(text) <= limit else text[: limit - 3] + "..."


def describe(x: Any) -> str:
    """``x``'s type and a short repr, for error messages.

    >>> describe(None), describe("a" * 50)
    ('NoneType None', "str 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...")
    """
    return f"{type(x).__name__} {shorten(repr(x))}"


def to_float(x: Any, where: str) -> float:
    """``x`` as a float, or a ``TypeError`` that says what ``where`` got and what it takes.

    >>> to_float(3, "Value")
    3.0
    >>> to_float("3", "Value")
    Traceback (most recent call last):
    TypeError: Value needs a real number (int, float or numpy scalar), got str '3'
    """
    if type(x) is float:
        return x
    if isinstance(x, numbers.Real):
        try:
            return float(x)
        except OverflowError:
            raise DomainError(f"{where}: {shorten(repr(x))} is too large for a float (largest about 1.8e308)") from None
    raise not_a_number(x, where)


def not_a_number(x: Any, where: str) -> TypeError:
    """The ``TypeError`` for something that is not one real number, saying what it is instead.

    >>> print(not_a_number([1, 2], "log"))
    log needs a real number (int, float or numpy scalar), got list [1, 2]
    """
    if hasattr(x, "grad") and hasattr(x, "parents"):  # a Value, whose number is x.data
        return TypeError(f"{where} needs a plain number, got a Value ({shorten(repr(x))}); use it directly or x.data")
    shape = getattr(x, "shape", None)
    if shape is not None:
        return TypeError(
            f"{where}: got an array of shape {tuple(shape)}, but a Value holds one number; "
            "the scalar engine works one number at a time (for arrays use nn.vectorized)"
        )
    return TypeError(f"{where} needs a real number (int, float or numpy scalar), got {describe(x)}")


def finite_float(x: Any) -> float | None:
    """``x`` as a float if it is a finite real number and not a bool, else ``None``.

    Python and NumPy numbers are alike here (NumPy registers its scalars as ``numbers.Real``);
    ``True`` is refused although Python counts it as 1: a bool where a number belongs is a slip.

    >>> finite_float(3), finite_float(True), finite_float(float("inf")), finite_float(10**400)
    (3.0, None, None, None)
    """
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        return None
    try:
        number = float(x)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def check_finite(
    x: Any, what: str, error: type[Exception] = ValueError, wrong_type: type[Exception] | None = None
) -> float:
    """``x`` as a float if it is a finite real number (not a bool), else ``error`` naming ``what``.

    ``wrong_type``, when given, is raised instead for something that is not a real number at all
    (a str, a bool, None): a ``TypeError`` for an argument of the engine, as Python's own functions
    do, while a number that is nan or infinite stays ``error``.

    >>> check_finite(5, "load: 'b'")
    5.0
    >>> check_finite(True, "load: 'b'")
    Traceback (most recent call last):
    ValueError: load: 'b' is bool True; expected a finite real number (int or float)
    >>> check_finite(float("nan"), "load: 'b'")
    Traceback (most recent call last):
    ValueError: load: 'b' is nan; expected a finite real number (int or float)
    >>> check_finite("1", "backward: the gradient", wrong_type=TypeError)
    Traceback (most recent call last):
    TypeError: backward: the gradient is str '1'; expected a finite real number (int or float)
    """
    number = finite_float(x)
    if number is None:
        if isinstance(x, bool) or not isinstance(x, numbers.Real):
            shown = describe(x)
            error = wrong_type or error
        else:  # a real number that is not finite, or too large for a float
            shown = "nan" if x != x else "-inf" if x < 0 else "inf"  # noqa: PLR0124 - nan is the one number unequal to itself
        raise error(f"{what} is {shown}; expected a finite real number (int or float)")
    return number
