"""Every primitive of the engine: its forward computation and its local derivatives.

This file is the whole calculus of chainrule. Each entry of ``PRIMITIVES`` maps an op name to

- ``forward(*xs)``: the output from plain floats (``forwards.py``, which raises ``DomainError``
  where the math is undefined), and
- ``local_derivatives(ans, *xs)``: the local derivative ``∂ans/∂x`` for each input, in order.

Backpropagation multiplies each local derivative by the gradient arriving at the node (the chain
rule) and adds the product into the input's gradient.

The local derivatives are written with the same operations the engine differentiates (``*``,
``/``, ``cos``, ...). In an ordinary ``backward()`` they receive floats and return floats; when a
graph of the derivative itself is wanted (``grad(grad(f))``, ``create_graph=True``) they receive
``Value`` nodes and build that graph, so second and third derivatives come for free; and
``autograd.compile`` applies them to traced variables, so the code it writes takes every
derivative from here. A piecewise rule says ``where(test, a, b)``, not ``a if test else b``: on
numbers the two are the same, and traced, ``where`` keeps both sides (a Python ``if`` would keep
only the side taken while tracing).
"""

from __future__ import annotations

import inspect
import math
import operator
from collections.abc import Callable
from typing import Any, NamedTuple

from . import forwards

LN2, LN10 = math.log(2.0), math.log(10.0)


class Primitive(NamedTuple):
    """One entry of the table: how to compute an op and how to differentiate it."""

    forward: Callable[..., float]
    local_derivatives: Callable[..., tuple[Any, ...]]


class _Undefined:
    """A local derivative that does not exist at this point. Backprop stops with a ``DomainError``
    only where a gradient someone asked for would need it; a constant's gradient becomes nan.
    ``error`` says why, and is what using it raises."""

    def __init__(self, name: str, error: ArithmeticError | ValueError) -> None:
        self.name, self.error = name, error

    def __mul__(self, other: Any) -> Any:
        raise self.error

    __rmul__ = __mul__

    def __repr__(self) -> str:
        return self.name


UNDEFINED = _Undefined("UNDEFINED", ZeroDivisionError("the slope is vertical here"))
#: ``∂(x ** y)/∂y`` at ``x < 0``: ``x ** y`` is a real number there only at integer ``y``.
NOT_REAL = _Undefined("NOT_REAL", ValueError("x ** y at x < 0 is a real number only at integer y"))


def is_undefined(d: Any) -> bool:
    """Whether the local derivative ``d`` is one that does not exist (``UNDEFINED``, ``NOT_REAL``)."""
    return isinstance(d, _Undefined)


def where(test: Any, if_true: Any, if_false: Any) -> Any:
    """``if_true`` where ``test`` holds, else ``if_false``: the branch of a piecewise rule.

    On numbers and Values ``test`` is a bool, and this is ``if_true if test else if_false``. Traced
    by ``compile``, ``test`` is a comparison of traced variables, and both sides are kept.

    >>> where(2.0 > 0, 1.0, 0.0), where(-2.0 > 0, 1.0, 0.0)
    (1.0, 0.0)
    """
    if type(test) is bool:
        return if_true if test else if_false
    return test.where(if_true, if_false)


def _math(op: str) -> Callable[[Any], Any]:
    """The function ``op`` inside a rule: its float forward on a number, its node on anything else
    (``x.cos()`` on a Value, or on a traced variable)."""
    forward = getattr(forwards, op)

    def function(x: Any) -> Any:
        return forward(x) if isinstance(x, (float, int)) else getattr(x, op)()

    function.__name__ = op
    return function


cos, cosh, log, sigmoid, sin, sinh, sqrt = map(_math, ("cos", "cosh", "log", "sigmoid", "sin", "sinh", "sqrt"))


def _power(ans: Any, x: Any, y: Any) -> tuple[Any, Any]:
    # ∂(x**y)/∂x = y·x^(y-1). At x = 0 with y < 1 that power divides by zero: the slope there is 0
    # for y = 0 (x ** 0 is constant) and vertical, undefined, for 0 < y < 1. (The inner where keeps
    # the unused side from dividing by zero: both sides are computed.)
    pole = _zero(x) & (y < 1)
    dx = where(pole, where(_zero(y), 0.0, UNDEFINED), y * where(pole, 1.0, x) ** (y - 1.0))
    # ∂(x**y)/∂y = x^y·log(x); 0 at x = 0 (0 ** y is 0 for every y > 0); undefined for x < 0, where
    # x ** y exists only at integer y. Written with ans so higher orders see it too.
    positive = x > 0
    dy = where(positive, ans * log(where(positive, x, 1.0)), where(_zero(x), 0.0, NOT_REAL))
    return dx, dy


def _zero(x: Any) -> Any:
    return (x >= 0) & (x <= 0)  # not x == 0: == on a Value is identity, so Values work in sets and dicts


def _dot(ans: Any, *xs: Any) -> tuple[Any, ...]:
    # ∂(w·x + b)/∂w_i = x_i, ∂/∂x_i = w_i, ∂/∂b = 1
    n = len(xs) // 2
    return xs[n : 2 * n] + xs[:n] + (1.0,) * (len(xs) % 2)


PRIMITIVES: dict[str, Primitive] = {
    # op            forward           local derivatives ∂ans/∂input, one per input
    "+":          Primitive(operator.add, lambda ans, x, y: (1.0, 1.0)),
    "-":          Primitive(operator.sub, lambda ans, x, y: (1.0, -1.0)),
    "*":          Primitive(operator.mul, lambda ans, x, y: (y, x)),
    "/":          Primitive(forwards.divide, lambda ans, x, y: (1.0 / y, -ans / y)),
    "**":         Primitive(forwards.power, _power),
    "neg":        Primitive(operator.neg, lambda ans, x: (-1.0,)),
    "abs":        Primitive(abs,          lambda ans, x: (where(x > 0, 1.0, where(x < 0, -1.0, 0.0)),)),
    "exp":        Primitive(forwards.exp,   lambda ans, x: (ans,)),
    "log":        Primitive(forwards.log,   lambda ans, x: (1.0 / x,)),
    "sqrt":       Primitive(forwards.sqrt,  lambda ans, x: (0.5 / ans,)),
    "log1p":      Primitive(forwards.log1p, lambda ans, x: (1.0 / (1.0 + x),)),
    "expm1":      Primitive(forwards.expm1, lambda ans, x: (ans + 1.0,)),
    "log2":       Primitive(forwards.log2,  lambda ans, x: (1.0 / (x * LN2),)),
    "log10":      Primitive(forwards.log10, lambda ans, x: (1.0 / (x * LN10),)),
    "sin":        Primitive(forwards.sin,   lambda ans, x: (cos(x),)),
    "cos":        Primitive(forwards.cos,   lambda ans, x: (-sin(x),)),
    "tan":        Primitive(forwards.tan,   lambda ans, x: (1.0 + ans * ans,)),
    "asin":       Primitive(forwards.asin,  lambda ans, x: (1.0 / sqrt(1.0 - x * x),)),
    "acos":       Primitive(forwards.acos,  lambda ans, x: (-1.0 / sqrt(1.0 - x * x),)),
    "atan":       Primitive(forwards.atan,  lambda ans, x: (1.0 / (1.0 + x * x),)),
    "sinh":       Primitive(forwards.sinh,  lambda ans, x: (cosh(x),)),
    "cosh":       Primitive(forwards.cosh,  lambda ans, x: (sinh(x),)),
    "tanh":       Primitive(forwards.tanh,  lambda ans, x: (1.0 - ans * ans,)),
    "asinh":      Primitive(forwards.asinh, lambda ans, x: (1.0 / sqrt(x * x + 1.0),)),
    "acosh":      Primitive(forwards.acosh, lambda ans, x: (1.0 / sqrt(x * x - 1.0),)),
    "atanh":      Primitive(forwards.atanh, lambda ans, x: (1.0 / (1.0 - x * x),)),
    # The course's a(1 - a). Followed by log(1 - a), as in the logistic loss, the same rounded
    # 1 - a appears on both sides and cancels, so dz = a - y comes out exactly.
    "sigmoid":    Primitive(forwards.sigmoid, lambda ans, x: (ans * (1.0 - ans),)),
    "softplus":   Primitive(forwards.softplus, lambda ans, x: (sigmoid(x),)),
    "relu":       Primitive(forwards.relu,  lambda ans, x: (where(x > 0, 1.0, 0.0),)),
    "leaky_relu": Primitive(forwards.leaky_relu, lambda ans, x: (where(x > 0, 1.0, 0.01),)),
    # Fused many-input nodes: one node for a whole sum or weighted sum.
    "sum":        Primitive(forwards.total, lambda ans, *xs: (1.0,) * len(xs)),
    "dot":        Primitive(forwards.dot,   _dot),
}  # fmt: skip


def arity(op: str) -> tuple[int, int]:
    """(fewest, most) inputs the forward of ``op`` takes; a variadic one (``*xs``) takes 1 or more.

    >>> arity("exp"), arity("*"), arity("dot")
    ((1, 1), (2, 2), (1, 1000000))
    """
    low = high = 0
    try:
        parameters = inspect.signature(PRIMITIVES[op].forward).parameters.values()
    except (TypeError, ValueError):
        return 1, 1_000_000
    for p in parameters:
        if p.kind is p.VAR_POSITIONAL:
            return max(low, 1), 1_000_000
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            high += 1
            low += p.default is p.empty
    return low, high
