"""Every primitive of the engine: its forward computation and its local derivatives.

This file is the whole calculus of chainrule. Each entry of ``PRIMITIVES`` maps an op name to

- ``forward(*xs)``: the output from plain floats (``floats.py``, which raises ``DomainError``
  where the math is undefined), and
- ``local_derivatives(ans, *xs)``: the local derivative ``∂ans/∂x`` for each input, in order.

Backpropagation multiplies each local derivative by the gradient arriving at the node (the chain
rule) and adds the product into the input's gradient.

The local derivatives are written with the same operations the engine differentiates (``*``,
``/``, ``cos``, ...). In an ordinary ``backward()`` they receive floats and return floats; when a
graph of the derivative itself is wanted (``grad(grad(f))``, ``create_graph=True``) they receive
``Value`` nodes and build that graph, so second and third derivatives come for free.
"""

from __future__ import annotations

import math
import operator
from typing import Any, Callable, NamedTuple

from . import floats
from .ops import cos, cosh, log, sigmoid, sin, sinh, sqrt

LN2, LN10 = math.log(2.0), math.log(10.0)


class Primitive(NamedTuple):
    """One entry of the table: how to compute an op and how to differentiate it."""

    forward: Callable[..., float]
    local_derivatives: Callable[..., tuple[Any, ...]]


class _Undefined:
    """A local derivative that does not exist at this point. Backprop stops with a ``DomainError``
    only where a gradient someone asked for would need it; a constant's gradient becomes nan."""

    def __mul__(self, other: Any) -> Any:
        raise ZeroDivisionError("the slope is vertical here")

    __rmul__ = __mul__

    def __repr__(self) -> str:
        return "UNDEFINED"


UNDEFINED = _Undefined()


def _power(ans: Any, x: Any, y: Any) -> tuple[Any, Any]:
    # x and y are floats, or Values in a higher-order pass: compare their numbers (== on Values is identity).
    base, exponent = float(x), float(y)
    # ∂(x**y)/∂x = y·x^(y-1). At x = 0 it is 0 for y = 0 (x ** 0 is constant), and does not exist
    # for 0 < y < 1 (a vertical slope): not computed there, as it would divide by zero.
    dx = (0.0 if exponent == 0 else UNDEFINED) if base == 0 and exponent < 1 else y * x ** (y - 1.0)
    # ∂(x**y)/∂y = x^y·log(x); 0 at x = 0 (0 ** y is 0 for every y > 0); undefined, nan, for x < 0,
    # where x ** y exists only at integer y. Written as ans * (...) so higher orders see it too.
    dy = ans * (log(x) if base > 0 else 0.0 if base == 0 else math.nan)
    return dx, dy


def _dot(ans: Any, *xs: Any) -> tuple[Any, ...]:
    # ∂(w·x + b)/∂w_i = x_i, ∂/∂x_i = w_i, ∂/∂b = 1
    n = len(xs) // 2
    return xs[n : 2 * n] + xs[:n] + (1.0,) * (len(xs) % 2)


PRIMITIVES: dict[str, Primitive] = {
    # op            forward           local derivatives ∂ans/∂input, one per input
    "+":          Primitive(operator.add, lambda ans, x, y: (1.0, 1.0)),
    "-":          Primitive(operator.sub, lambda ans, x, y: (1.0, -1.0)),
    "*":          Primitive(operator.mul, lambda ans, x, y: (y, x)),
    "/":          Primitive(floats.divide, lambda ans, x, y: (1.0 / y, -ans / y)),
    "**":         Primitive(floats.power, _power),
    "neg":        Primitive(operator.neg, lambda ans, x: (-1.0,)),
    "abs":        Primitive(abs,          lambda ans, x: (1.0 if x > 0 else -1.0 if x < 0 else 0.0,)),
    "exp":        Primitive(floats.exp,   lambda ans, x: (ans,)),
    "log":        Primitive(floats.log,   lambda ans, x: (1.0 / x,)),
    "sqrt":       Primitive(floats.sqrt,  lambda ans, x: (0.5 / ans,)),
    "log1p":      Primitive(floats.log1p, lambda ans, x: (1.0 / (1.0 + x),)),
    "expm1":      Primitive(floats.expm1, lambda ans, x: (ans + 1.0,)),
    "log2":       Primitive(floats.log2,  lambda ans, x: (1.0 / (x * LN2),)),
    "log10":      Primitive(floats.log10, lambda ans, x: (1.0 / (x * LN10),)),
    "sin":        Primitive(floats.sin,   lambda ans, x: (cos(x),)),
    "cos":        Primitive(floats.cos,   lambda ans, x: (-sin(x),)),
    "tan":        Primitive(floats.tan,   lambda ans, x: (1.0 + ans * ans,)),
    "asin":       Primitive(floats.asin,  lambda ans, x: (1.0 / sqrt(1.0 - x * x),)),
    "acos":       Primitive(floats.acos,  lambda ans, x: (-1.0 / sqrt(1.0 - x * x),)),
    "atan":       Primitive(floats.atan,  lambda ans, x: (1.0 / (1.0 + x * x),)),
    "sinh":       Primitive(floats.sinh,  lambda ans, x: (cosh(x),)),
    "cosh":       Primitive(floats.cosh,  lambda ans, x: (sinh(x),)),
    "tanh":       Primitive(floats.tanh,  lambda ans, x: (1.0 - ans * ans,)),
    "asinh":      Primitive(floats.asinh, lambda ans, x: (1.0 / sqrt(x * x + 1.0),)),
    "acosh":      Primitive(floats.acosh, lambda ans, x: (1.0 / sqrt(x * x - 1.0),)),
    "atanh":      Primitive(floats.atanh, lambda ans, x: (1.0 / (1.0 - x * x),)),
    # The course's a(1 - a). Followed by log(1 - a), as in the logistic loss, the same rounded
    # 1 - a appears on both sides and cancels, so dz = a - y comes out exactly.
    "sigmoid":    Primitive(floats.sigmoid, lambda ans, x: (ans * (1.0 - ans),)),
    "softplus":   Primitive(floats.softplus, lambda ans, x: (sigmoid(x),)),
    "relu":       Primitive(floats.relu,  lambda ans, x: (1.0 if x > 0 else 0.0,)),
    "leaky_relu": Primitive(floats.leaky_relu, lambda ans, x: (1.0 if x > 0 else 0.01,)),
    # Fused many-input nodes: one node for a whole sum or weighted sum.
    "sum":        Primitive(floats.total, lambda ans, *xs: (1.0,) * len(xs)),
    "dot":        Primitive(floats.dot,   _dot),
}  # fmt: skip
