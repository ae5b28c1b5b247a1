"""Every primitive of the engine: its forward computation on floats and its local derivatives.

This file is the whole calculus of chainrule. Read it top to bottom.

Each entry of ``PRIMITIVES`` maps an op name to a pair:

- ``forward(*xs)`` computes the output from plain floats, and raises ``DomainError``
  where the math is undefined;
- ``derivative(ans, *xs)`` returns the local derivatives ``∂ans/∂x`` for each input, in order.

Backpropagation multiplies each local derivative by the gradient arriving at the node (the chain
rule) and adds the product into the input's gradient.

The derivatives are written with the same operations the engine differentiates (``*``, ``/``,
``cos``, ...). During an ordinary ``backward()`` they receive floats and return floats; when a
graph of the derivative itself is wanted (``grad(grad(f))``, ``create_graph=True``) they receive
``Value`` nodes and build that graph, so second and third derivatives come for free.
"""

from __future__ import annotations

import math
import operator
from typing import Any, Callable, NamedTuple

from .errors import DomainError
from . import functions as fn  # the engine's own cos, log, ...: they take floats or Values


class Primitive(NamedTuple):
    """One entry of the table: how to compute an op and how to differentiate it."""

    forward: Callable[..., float]
    derivative: Callable[..., tuple[Any, ...]]


# Forward computations that can fail get a clear message naming the op, the value, and what is valid.


def divide(x: float, y: float) -> float:
    if y == 0:
        raise DomainError(f"/: division by zero in {x!r} / {y!r}; the divisor must be nonzero")
    return x / y


def power(x: float, y: float) -> float:
    if x < 0 and not float(y).is_integer():
        raise DomainError(
            f"**: a negative base to a non-integer power is not a real number: {x!r} ** {y!r}; "
            "use an integer exponent or a base >= 0"
        )
    if x == 0 and y < 0:
        raise DomainError(f"**: zero to a negative power divides by zero: {x!r} ** {y!r}")
    try:
        return x**y
    except OverflowError:
        raise DomainError(f"**: {x!r} ** {y!r} overflows a float (largest is about 1.8e308)") from None


def exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        raise DomainError(f"exp: exp({x!r}) overflows a float; valid inputs are <= 709.78") from None


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


def sigmoid(x: float) -> float:
    # Two forms, so that exp never sees a large positive argument.
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def softplus(x: float) -> float:
    # log(1 + e^x), rearranged so it neither overflows nor loses small values.
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


def dot(*xs: float) -> float:
    """``w·x (+ b)``: the inputs are ``w1..wn, x1..xn`` and, when there is an odd one out, the bias."""
    n = len(xs) // 2
    total = sum(map(operator.mul, xs[:n], xs[n : 2 * n]), 0.0)
    return total + xs[-1] if len(xs) % 2 else total


def _dot_derivative(ans: Any, *xs: Any) -> tuple[Any, ...]:
    # ∂(w·x + b)/∂w_i = x_i, ∂/∂x_i = w_i, ∂/∂b = 1
    n = len(xs) // 2
    return xs[n : 2 * n] + xs[:n] + (1.0,) * (len(xs) % 2)


def _power_derivative(ans: Any, x: Any, y: Any) -> tuple[Any, Any]:
    # x and y are floats, or Values in a higher-order pass: compare their numbers (== on Values is identity).
    base = float(x)
    # ∂(x**y)/∂x = y·x^(y-1); at 0 ** 0 it is 0 (x ** 0 is constant), without asking for 0 ** -1.
    dx = 0.0 if base == float(y) == 0 else y * x ** (y - 1.0)
    # ∂(x**y)/∂y = x^y·log(x); 0 at x = 0 (0 ** y is 0 for every y > 0); undefined, nan, for x < 0,
    # where x ** y exists only at integer y. Written as ans * (...) so higher orders see it too.
    dy = ans * (fn.log(x) if base > 0 else 0.0 if base == 0 else math.nan)
    return dx, dy


PRIMITIVES: dict[str, Primitive] = {
    # op            forward           local derivatives ∂ans/∂input, one per input
    "+":          Primitive(operator.add, lambda ans, x, y: (1.0, 1.0)),
    "-":          Primitive(operator.sub, lambda ans, x, y: (1.0, -1.0)),
    "*":          Primitive(operator.mul, lambda ans, x, y: (y, x)),
    "/":          Primitive(divide,       lambda ans, x, y: (1.0 / y, -ans / y)),
    "**":         Primitive(power,        _power_derivative),
    "neg":        Primitive(operator.neg, lambda ans, x: (-1.0,)),
    "abs":        Primitive(abs,          lambda ans, x: (1.0 if x > 0 else -1.0 if x < 0 else 0.0,)),
    "exp":        Primitive(exp,          lambda ans, x: (ans,)),
    "log":        Primitive(log,          lambda ans, x: (1.0 / x,)),
    "sqrt":       Primitive(sqrt,         lambda ans, x: (0.5 / ans,)),
    "sin":        Primitive(sin,          lambda ans, x: (fn.cos(x),)),
    "cos":        Primitive(cos,          lambda ans, x: (-fn.sin(x),)),
    "tanh":       Primitive(math.tanh,    lambda ans, x: (1.0 - ans * ans,)),
    # The course's a(1 - a). Followed by log(1 - a), as in the logistic loss, the same rounded
    # 1 - a appears on both sides and cancels, so dz = a - y comes out exactly.
    "sigmoid":    Primitive(sigmoid,      lambda ans, x: (ans * (1.0 - ans),)),
    "softplus":   Primitive(softplus,     lambda ans, x: (fn.sigmoid(x),)),
    # (Written "x <= 0" so that a NaN goes through as NaN instead of becoming 0.)
    "relu":       Primitive(lambda x: 0.0 if x <= 0 else x,
                                          lambda ans, x: (1.0 if x > 0 else 0.0,)),
    "leaky_relu": Primitive(lambda x: 0.01 * x if x <= 0 else x,
                                          lambda ans, x: (1.0 if x > 0 else 0.01,)),
    # Fused many-input nodes: one node for a whole sum or weighted sum.
    "sum":        Primitive(lambda *xs: sum(xs), lambda ans, *xs: (1.0,) * len(xs)),
    "dot":        Primitive(dot,          _dot_derivative),
}  # fmt: skip
