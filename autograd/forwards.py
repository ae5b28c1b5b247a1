"""The forward computations on plain floats, with a clear error wherever the math is undefined.

The rule table (``rules.py``) names these as each primitive's forward. Each error names the op,
the value and what is valid: ``log(-1.0) is undefined; the input must be > 0``. A division by
zero is also a ``ZeroDivisionError`` and an overflow an ``OverflowError``, as on Python floats.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable

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
    """``e**x``. Raises ``DomainError`` past 709.78, where a float overflows.

    >>> exp(0.0)
    1.0
    """
    try:
        return math.exp(x)
    except OverflowError:
        raise FloatOverflowError(f"exp: exp({x!r}) overflows a float; valid inputs are <= 709.78") from None


def log(x: float) -> float:
    """Natural logarithm, for ``x > 0``."""
    if x <= 0:
        raise DomainError(f"log: log({x!r}) is undefined; the input must be > 0")
    return math.log(x)


def sqrt(x: float) -> float:
    """Square root, for ``x >= 0``."""
    if x < 0:
        raise DomainError(f"sqrt: sqrt({x!r}) is undefined; the input must be >= 0")
    return math.sqrt(x)


def sin(x: float) -> float:
    """Sine of ``x`` in radians."""
    if math.isinf(x):
        raise DomainError(f"sin: sin({x!r}) is undefined; the input must be finite")
    return math.sin(x)


def cos(x: float) -> float:
    """Cosine of ``x`` in radians."""
    if math.isinf(x):
        raise DomainError(f"cos: cos({x!r}) is undefined; the input must be finite")
    return math.cos(x)


def tan(x: float) -> float:
    """Tangent of ``x`` in radians."""
    if math.isinf(x):
        raise DomainError(f"tan: tan({x!r}) is undefined; the input must be finite")
    return math.tan(x)


def _hyperbolic(name: str, f: Callable[[float], float]) -> Callable[[float], float]:
    def forward(x: float) -> float:
        try:
            return f(x)
        except OverflowError:
            raise FloatOverflowError(
                f"{name}: {name}({x!r}) overflows a float; valid inputs are within ±710.47"
            ) from None

    forward.__name__ = name
    return forward


sinh = _hyperbolic("sinh", math.sinh)
sinh.__doc__ = "Hyperbolic sine; overflows past ±710.47."
cosh = _hyperbolic("cosh", math.cosh)
cosh.__doc__ = "Hyperbolic cosine; overflows past ±710.47."


def tanh(x: float) -> float:
    """Hyperbolic tangent.

    >>> tanh(0.0)
    0.0
    """
    return math.tanh(x)


def asin(x: float) -> float:
    """Arcsine, for ``-1 <= x <= 1``, in radians; its slope is vertical at ±1."""
    if x < -1 or x > 1:
        raise DomainError(f"asin: asin({x!r}) is undefined; the input must be in [-1, 1]")
    return math.asin(x)


def acos(x: float) -> float:
    """Arccosine, for ``-1 <= x <= 1``, in radians; its slope is vertical at ±1."""
    if x < -1 or x > 1:
        raise DomainError(f"acos: acos({x!r}) is undefined; the input must be in [-1, 1]")
    return math.acos(x)


def atan(x: float) -> float:
    """Arctangent, in radians.

    >>> atan(1.0) * 4
    3.141592653589793
    """
    return math.atan(x)


def asinh(x: float) -> float:
    """Inverse hyperbolic sine."""
    return math.asinh(x)


def acosh(x: float) -> float:
    """Inverse hyperbolic cosine, for ``x >= 1``; its slope is vertical at 1."""
    if x < 1:
        raise DomainError(f"acosh: acosh({x!r}) is undefined; the input must be >= 1")
    return math.acosh(x)


def atanh(x: float) -> float:
    """Inverse hyperbolic tangent, for ``-1 < x < 1``."""
    if x <= -1 or x >= 1:
        raise DomainError(f"atanh: atanh({x!r}) is undefined; the input must be in (-1, 1)")
    return math.atanh(x)


def log1p(x: float) -> float:
    """``log(1 + x)``, for ``x > -1``, accurate for tiny ``x`` where ``log(1 + x)`` rounds.

    >>> log1p(1e-20)
    1e-20
    """
    if x <= -1:
        raise DomainError(f"log1p: log1p({x!r}) is undefined; the input must be > -1")
    return math.log1p(x)


def expm1(x: float) -> float:
    """``e**x - 1``, accurate for tiny ``x``; overflows past 709.78."""
    try:
        return math.expm1(x)
    except OverflowError:
        raise FloatOverflowError(f"expm1: expm1({x!r}) overflows a float; valid inputs are <= 709.78") from None


def log2(x: float) -> float:
    """Logarithm to base 2, for ``x > 0``."""
    if x <= 0:
        raise DomainError(f"log2: log2({x!r}) is undefined; the input must be > 0")
    return math.log2(x)


def log10(x: float) -> float:
    """Logarithm to base 10, for ``x > 0``.

    >>> log10(1000)
    3.0
    """
    if x <= 0:
        raise DomainError(f"log10: log10({x!r}) is undefined; the input must be > 0")
    return math.log10(x)


def sigmoid(x: float) -> float:
    """The logistic function ``1 / (1 + e**-x)``, stable for large ``|x|``.

    >>> sigmoid(0)
    0.5
    """
    # Two forms, so that exp never sees a large positive argument.
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def softplus(x: float) -> float:
    """``log(1 + e**x)``, a smooth relu whose derivative is ``sigmoid(x)``."""
    # log(1 + e^x), rearranged so it neither overflows nor loses small values.
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


def relu(x: float) -> float:
    """``max(0, x)``; its derivative at 0 is taken as 0."""
    return 0.0 if x <= 0 else x  # "x <= 0", so that a NaN goes through as NaN instead of becoming 0


def leaky_relu(x: float) -> float:
    """``x`` for ``x > 0``, else ``0.01 * x``."""
    return 0.01 * x if x <= 0 else x


def total(*xs: float) -> float:
    """The fused ``sum`` of its inputs."""
    return sum(xs)


def dot(*xs: float) -> float:
    """``w·x (+ b)``: the inputs are ``w1..wn, x1..xn`` and, when there is an odd one out, the bias."""
    n = len(xs) // 2
    result = sum(map(operator.mul, xs[:n], xs[n : 2 * n]), 0.0)
    return result + xs[-1] if len(xs) % 2 else result
