"""The forward computations on plain floats, with a clear error wherever the math is undefined.

The rule table (``rules.py``) names these as each primitive's forward. Each error names the op,
the value and what is valid: ``log(-1.0) is undefined; the input must be > 0``. A division by
zero is also a ``ZeroDivisionError`` and an overflow an ``OverflowError``, as on Python floats.
"""

from __future__ import annotations

import math
import operator
from typing import Callable

from .errors import DivisionByZeroError, DomainError, FloatOverflowError


def divide(x: float, y: float) -> float:
    if y == 0:
        raise DivisionByZeroError(f"/: division by zero in {x!r} / {y!r}; the divisor must be nonzero")
    return x / y


def power(x: float, y: float) -> float:
    if x < 0 and not float(y).is_integer():
        raise DomainError(
            f"**: a negative base to a non-integer power is not a real number: {x!r} ** {y!r}; "
            "use an integer exponent or a base >= 0"
        )
    if x == 0 and y < 0:
        raise DivisionByZeroError(f"**: zero to a negative power divides by zero: {x!r} ** {y!r}")
    try:
        return x**y
    except OverflowError:
        raise FloatOverflowError(f"**: {x!r} ** {y!r} overflows a float (largest is about 1.8e308)") from None


def exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        raise FloatOverflowError(f"exp: exp({x!r}) overflows a float; valid inputs are <= 709.78") from None


def log(x: float) -> float:
    if x <= 0:
        raise DomainError(f"log: log({x!r}) is undefined; the input must be > 0")
    return math.log(x)


def sqrt(x: float) -> float:
    if x < 0:
        raise DomainError(f"sqrt: sqrt({x!r}) is undefined; the input must be >= 0")
    return math.sqrt(x)


def sin(x: float) -> float:
    if math.isinf(x):
        raise DomainError(f"sin: sin({x!r}) is undefined; the input must be finite")
    return math.sin(x)


def cos(x: float) -> float:
    if math.isinf(x):
        raise DomainError(f"cos: cos({x!r}) is undefined; the input must be finite")
    return math.cos(x)


def tan(x: float) -> float:
    if math.isinf(x):
        raise DomainError(f"tan: tan({x!r}) is undefined; the input must be finite")
    return math.tan(x)


def _hyperbolic(name: str, f: Callable[[float], float]) -> Callable[[float], float]:
    def forward(x: float) -> float:
        try:
            return f(x)
        except OverflowError:
            raise FloatOverflowError(f"{name}: {name}({x!r}) overflows a float; valid inputs are within ±710.47") from None

    forward.__name__ = name
    return forward


sinh = _hyperbolic("sinh", math.sinh)
cosh = _hyperbolic("cosh", math.cosh)
tanh = math.tanh


def asin(x: float) -> float:
    if x < -1 or x > 1:
        raise DomainError(f"asin: asin({x!r}) is undefined; the input must be in [-1, 1]")
    return math.asin(x)


def acos(x: float) -> float:
    if x < -1 or x > 1:
        raise DomainError(f"acos: acos({x!r}) is undefined; the input must be in [-1, 1]")
    return math.acos(x)


atan = math.atan
asinh = math.asinh


def acosh(x: float) -> float:
    if x < 1:
        raise DomainError(f"acosh: acosh({x!r}) is undefined; the input must be >= 1")
    return math.acosh(x)


def atanh(x: float) -> float:
    if x <= -1 or x >= 1:
        raise DomainError(f"atanh: atanh({x!r}) is undefined; the input must be in (-1, 1)")
    return math.atanh(x)


def log1p(x: float) -> float:
    if x <= -1:
        raise DomainError(f"log1p: log1p({x!r}) is undefined; the input must be > -1")
    return math.log1p(x)


def expm1(x: float) -> float:
    try:
        return math.expm1(x)
    except OverflowError:
        raise FloatOverflowError(f"expm1: expm1({x!r}) overflows a float; valid inputs are <= 709.78") from None


def log2(x: float) -> float:
    if x <= 0:
        raise DomainError(f"log2: log2({x!r}) is undefined; the input must be > 0")
    return math.log2(x)


def log10(x: float) -> float:
    if x <= 0:
        raise DomainError(f"log10: log10({x!r}) is undefined; the input must be > 0")
    return math.log10(x)


def sigmoid(x: float) -> float:
    # Two forms, so that exp never sees a large positive argument.
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def softplus(x: float) -> float:
    # log(1 + e^x), rearranged so it neither overflows nor loses small values.
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


def relu(x: float) -> float:
    return 0.0 if x <= 0 else x  # "x <= 0", so that a NaN goes through as NaN instead of becoming 0


def leaky_relu(x: float) -> float:
    return 0.01 * x if x <= 0 else x


def total(*xs: float) -> float:
    """The fused ``sum`` of its inputs."""
    return sum(xs)


def dot(*xs: float) -> float:
    """``w·x (+ b)``: the inputs are ``w1..wn, x1..xn`` and, when there is an odd one out, the bias."""
    n = len(xs) // 2
    result = sum(map(operator.mul, xs[:n], xs[n : 2 * n]), 0.0)
    return result + xs[-1] if len(xs) % 2 else result
