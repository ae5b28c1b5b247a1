"""The engine's functions: ``exp``, ``log``, ..., ``tanh``, made from the table, and the fused ``sum`` and ``dot``.

Each takes Values or plain numbers. Given a Value it adds a node to the graph; given only plain
numbers it returns a plain float (from the op's forward, with its domain errors).

>>> exp(0.0), tanh(Value(0.0))
(1.0, Value(data=0.0, grad=0.0, op='tanh'))
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from . import forwards
from ._checks import to_float
from .rules import PRIMITIVES, arity
from .value import Operand, Parameter, Value, constant, node

_PLAIN_VALUES = frozenset({Value, Parameter})


def function(op: str) -> Callable[[Operand], Any]:
    """The function of the table's one-input primitive ``op``: a node for a Value, a float for a number."""
    forward = PRIMITIVES[op].forward

    def apply(x: Operand) -> Any:
        if isinstance(x, Value):
            return node(forward(x.data), op, (x,))
        if getattr(x, "traced", False):  # a variable of autograd.compile's trace: its own op
            return getattr(x, op)()
        return forward(to_float(x, op))

    apply.__name__ = apply.__qualname__ = op
    apply.__doc__ = (getattr(forwards, op).__doc__ or f"The primitive {op!r}.").split("\n\n")[0]
    return apply


#: The table's one-input primitives that are names, each as a function (``-x`` and ``abs`` are operators).
UNARY = [op for op in PRIMITIVES if op.isidentifier() and arity(op) == (1, 1) and op not in ("neg", "abs")]
globals().update({op: function(op) for op in UNARY})


if TYPE_CHECKING:  # the line above, spelled out for type checkers, which cannot run it
    # Not only through __getattr__ below: mypy reads its type unanalyzed inside autograd's import cycle,
    # so ``from .functions import exp`` crashed its cache ("Cannot serialize TypeList", python/mypy#5345).
    exp = log = sqrt = log1p = expm1 = log2 = log10 = sin = cos = tan = asin = acos = atan = function("")
    sinh = cosh = tanh = asinh = acosh = atanh = sigmoid = softplus = relu = leaky_relu = function("")


def __getattr__(name: str) -> Callable[[Operand], Any]:  # for type checkers: a row added to the table
    raise AttributeError(f"module 'autograd.functions' has no attribute {name!r}")


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
    return node(forwards.total(*[p.data for p in parents]), "sum", parents)


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
        return dot_of_values(ws, xs, bias)  # type: ignore[arg-type]  # all Values, checked above
    if not any(isinstance(a, Value) for a in args):
        return forwards.dot(*[to_float(a, "dot") for a in args])
    parents = as_values(args, "dot")
    return node(forwards.dot(*[p.data for p in parents]), "dot", parents)


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
