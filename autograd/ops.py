"""The engine's functions: ``exp``, ``log``, ..., ``tanh``, and the fused ``sum`` and ``dot``.

Each takes Values or plain numbers. Given a Value it adds a node to the graph; given only plain
numbers it returns a plain float. That is what lets the derivative rules in ``rules.py``, which
are written with these functions, serve both first-order passes (floats) and higher-order ones
(Values).
"""

from __future__ import annotations

import builtins
from typing import Any, Callable, Iterable, Sequence

from . import floats
from .checks import to_float
from .value import Operand, Parameter, Value, constant, node

_PLAIN_VALUES = frozenset({Value, Parameter})


def _unary(op: str, forward: Callable[[float], float], x: Operand) -> Any:
    """``op(x)``: a new node when ``x`` is a Value, else the float ``forward(x)``."""
    if isinstance(x, Value):
        return node(forward(x.data), op, (x,))
    return forward(to_float(x, op))


def exp(x: Operand) -> Any:
    """``e**x``. Raises ``DomainError`` past 709.78, where a float overflows.

    >>> exp(0.0)
    1.0
    """
    return _unary("exp", floats.exp, x)


def log(x: Operand) -> Any:
    """Natural logarithm, for ``x > 0``."""
    return _unary("log", floats.log, x)


def log1p(x: Operand) -> Any:
    """``log(1 + x)``, for ``x > -1``, accurate for tiny ``x`` where ``log(1 + x)`` rounds.

    >>> log1p(1e-20)
    1e-20
    """
    return _unary("log1p", floats.log1p, x)


def expm1(x: Operand) -> Any:
    """``e**x - 1``, accurate for tiny ``x``; overflows past 709.78."""
    return _unary("expm1", floats.expm1, x)


def log2(x: Operand) -> Any:
    """Logarithm to base 2, for ``x > 0``."""
    return _unary("log2", floats.log2, x)


def log10(x: Operand) -> Any:
    """Logarithm to base 10, for ``x > 0``.

    >>> log10(1000)
    3.0
    """
    return _unary("log10", floats.log10, x)


def sqrt(x: Operand) -> Any:
    """Square root, for ``x >= 0``."""
    return _unary("sqrt", floats.sqrt, x)


def sin(x: Operand) -> Any:
    """Sine of ``x`` in radians."""
    return _unary("sin", floats.sin, x)


def cos(x: Operand) -> Any:
    """Cosine of ``x`` in radians."""
    return _unary("cos", floats.cos, x)


def tan(x: Operand) -> Any:
    """Tangent of ``x`` in radians."""
    return _unary("tan", floats.tan, x)


def asin(x: Operand) -> Any:
    """Arcsine, for ``-1 <= x <= 1``, in radians; its slope is vertical at ±1."""
    return _unary("asin", floats.asin, x)


def acos(x: Operand) -> Any:
    """Arccosine, for ``-1 <= x <= 1``, in radians; its slope is vertical at ±1."""
    return _unary("acos", floats.acos, x)


def atan(x: Operand) -> Any:
    """Arctangent, in radians.

    >>> atan(1.0) * 4
    3.141592653589793
    """
    return _unary("atan", floats.atan, x)


def sinh(x: Operand) -> Any:
    """Hyperbolic sine; overflows past ±710.47."""
    return _unary("sinh", floats.sinh, x)


def cosh(x: Operand) -> Any:
    """Hyperbolic cosine; overflows past ±710.47."""
    return _unary("cosh", floats.cosh, x)


def asinh(x: Operand) -> Any:
    """Inverse hyperbolic sine."""
    return _unary("asinh", floats.asinh, x)


def acosh(x: Operand) -> Any:
    """Inverse hyperbolic cosine, for ``x >= 1``; its slope is vertical at 1."""
    return _unary("acosh", floats.acosh, x)


def atanh(x: Operand) -> Any:
    """Inverse hyperbolic tangent, for ``-1 < x < 1``."""
    return _unary("atanh", floats.atanh, x)


def tanh(x: Operand) -> Any:
    """Hyperbolic tangent.

    >>> tanh(0.0)
    0.0
    """
    return _unary("tanh", floats.tanh, x)


def sigmoid(x: Operand) -> Any:
    """The logistic function ``1 / (1 + e**-x)``, stable for large ``|x|``.

    >>> sigmoid(0)
    0.5
    """
    return _unary("sigmoid", floats.sigmoid, x)


def relu(x: Operand) -> Any:
    """``max(0, x)``; its derivative at 0 is taken as 0."""
    return _unary("relu", floats.relu, x)


def leaky_relu(x: Operand) -> Any:
    """``x`` for ``x > 0``, else ``0.01 * x``."""
    return _unary("leaky_relu", floats.leaky_relu, x)


def softplus(x: Operand) -> Any:
    """``log(1 + e**x)``, a smooth relu whose derivative is ``sigmoid(x)``."""
    return _unary("softplus", floats.softplus, x)


def as_values(xs: Iterable[Operand], op: str) -> tuple[Value, ...]:
    """Each of ``xs`` as a Value: Values as they are, numbers as constants (errors name ``op``)."""
    return tuple(x if isinstance(x, Value) else constant(to_float(x, op)) for x in xs)


def sum(values: Iterable[Operand]) -> Any:  # noqa: A001 - the engine's sum, as in numpy
    """``v1 + v2 + ... + vn`` as ONE node with n parents.

    >>> sum([Value(1.0), 2, 3])
    Value(data=6.0, grad=0.0, op='sum')
    """
    values = list(values)
    if not any(isinstance(v, Value) for v in values):
        return float(builtins.sum(to_float(v, "sum") for v in values))
    parents = as_values(values, "sum")
    return node(floats.total(*[p.data for p in parents]), "sum", parents)


def dot(ws: Iterable[Operand], xs: Iterable[Operand], bias: Operand | None = None) -> Any:
    """The weighted sum ``w1*x1 + ... + wn*xn (+ bias)`` as ONE node.

    A neuron's pre-activation is one node with 2n+1 parents instead of 2n nodes, which is where
    most of the speed of ``nn`` comes from. Parents are ``w1..wn, x1..xn, bias``.

    >>> w = [Value(2.0), Value(-1.0)]
    >>> z = dot(w, [3.0, 4.0], bias=0.5)
    >>> z.backward()
    >>> z.data, w[0].grad, w[1].grad
    (2.5, 3.0, 4.0)
    """
    ws = ws if isinstance(ws, (list, tuple)) else list(ws)
    xs = xs if isinstance(xs, (list, tuple)) else list(xs)
    if len(ws) != len(xs):
        raise ValueError(f"dot: {len(ws)} weights but {len(xs)} inputs; they must have the same length")
    args = (*ws, *xs) if bias is None else (*ws, *xs, bias)
    if args and _PLAIN_VALUES.issuperset(map(type, args)):  # the common case, checked in C
        return dot_of_values(ws, xs, bias)
    if not any(isinstance(a, Value) for a in args):
        return floats.dot(*[to_float(a, "dot") for a in args])
    parents = as_values(args, "dot")
    return node(floats.dot(*[p.data for p in parents]), "dot", parents)


def dot_of_values(ws: Sequence[Value], xs: Sequence[Value], bias: Value | None = None) -> Value:
    """``dot(ws, xs, bias)`` without its checks: for callers that already know every argument is a
    Value and that ``ws`` and ``xs`` have the same length (``nn``'s layers check their input once
    per layer instead of once per neuron).

    >>> dot_of_values([Value(2.0)], [Value(3.0)], Value(1.0))
    Value(data=7.0, grad=0.0, op='dot')
    """
    data = builtins.sum([w.data * x.data for w, x in zip(ws, xs)], 0.0)
    if bias is None:
        return node(data, "dot", (*ws, *xs))
    return node(data + bias.data, "dot", (*ws, *xs, bias))
