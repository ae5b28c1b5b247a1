"""The engine's functions: ``exp``, ``tanh``, ..., the fused ``sum`` and ``dot``, and ``defop``.

Each takes Values or plain numbers. Given a Value it adds a node to the graph; given only plain
numbers it returns a plain float, which is what lets the derivative rules in ``rules.py`` serve
both first-order passes (floats) and higher-order ones (Values).
"""

from __future__ import annotations

import builtins
import inspect
import warnings
from typing import Any, Callable, Iterable, Sequence

from . import rules
from .errors import DomainError
from .value import Operand, Parameter, Value, constant, node, to_float

_PLAIN_VALUES = frozenset({Value, Parameter})


def apply(op: str, *args: Operand) -> Any:
    """Apply the primitive ``op`` from the table to Values or numbers.

    >>> apply("*", 2.0, 4)
    8.0
    >>> apply("*", Value(2.0), 4)
    Value(data=8.0, grad=0.0, op='*')
    """
    forward = rules.PRIMITIVES[op].forward
    if not any(isinstance(a, Value) for a in args):
        return forward(*[to_float(a, op) for a in args])
    parents = tuple(a if isinstance(a, Value) else constant(to_float(a, op)) for a in args)
    return node(forward(*[p.data for p in parents]), op, parents)


def exp(x: Operand) -> Any:
    """``e**x``. Raises ``DomainError`` past 709.78, where a float overflows.

    >>> exp(0.0)
    1.0
    """
    return apply("exp", x)


def log(x: Operand) -> Any:
    """Natural logarithm, for ``x > 0``."""
    return apply("log", x)


def sqrt(x: Operand) -> Any:
    """Square root, for ``x >= 0``."""
    return apply("sqrt", x)


def sin(x: Operand) -> Any:
    """Sine of ``x`` in radians."""
    return apply("sin", x)


def cos(x: Operand) -> Any:
    """Cosine of ``x`` in radians."""
    return apply("cos", x)


def tanh(x: Operand) -> Any:
    """Hyperbolic tangent.

    >>> tanh(0.0)
    0.0
    """
    return apply("tanh", x)


def sigmoid(x: Operand) -> Any:
    """The logistic function ``1 / (1 + e**-x)``, stable for large ``|x|``.

    >>> sigmoid(0)
    0.5
    """
    return apply("sigmoid", x)


def relu(x: Operand) -> Any:
    """``max(0, x)``; its derivative at 0 is taken as 0."""
    return apply("relu", x)


def leaky_relu(x: Operand) -> Any:
    """``x`` for ``x > 0``, else ``0.01 * x``."""
    return apply("leaky_relu", x)


def softplus(x: Operand) -> Any:
    """``log(1 + e**x)``, a smooth relu whose derivative is ``sigmoid(x)``."""
    return apply("softplus", x)


def _as_values(xs: Iterable[Operand], op: str) -> list[Value]:
    return [x if isinstance(x, Value) else constant(to_float(x, op)) for x in xs]


def sum(values: Iterable[Operand]) -> Any:  # noqa: A001 - the engine's sum, as in numpy
    """``v1 + v2 + ... + vn`` as ONE node with n parents.

    >>> sum([Value(1.0), 2, 3])
    Value(data=6.0, grad=0.0, op='sum')
    """
    values = list(values)
    if not any(isinstance(v, Value) for v in values):
        return float(builtins.sum(to_float(v, "sum") for v in values))
    parents = tuple(_as_values(values, "sum"))
    return node(builtins.sum([p.data for p in parents]), "sum", parents)


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
    parents = (*ws, *xs) if bias is None else (*ws, *xs, bias)
    if parents and _PLAIN_VALUES.issuperset(map(type, parents)):  # the common case, checked in C
        return dot_of_values(ws, xs, bias)
    if not any(isinstance(a, Value) for a in parents):
        return rules.dot(*[to_float(a, "dot") for a in parents])
    return apply("dot", *parents)


def _check_arity(name: str, forward: Callable[..., Any], derivative: Callable[..., Any]) -> None:
    """Catch the usual slip, a derivative without ``ans`` first, when the op is defined, not in backward."""
    try:
        inputs = list(inspect.signature(forward).parameters.values())
        signature = inspect.signature(derivative)
    except (TypeError, ValueError):
        return  # some builtins have no signature to check; backward will say if they misfit
    if any(p.kind is p.VAR_POSITIONAL for p in inputs):
        return
    try:
        signature.bind(*range(len(inputs) + 1))
    except TypeError as e:
        wanted = ", ".join(["ans"] + [p.name for p in inputs])
        raise TypeError(
            f"defop {name!r}: derivative must take ({wanted}): the op's output first, then each input "
            f"of forward; it takes {signature} ({e})"
        ) from None


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


#: The functions an expression may call, by name (the parser and the CLI read this).
FUNCTIONS: dict[str, Callable[..., Any]] = {
    f.__name__: f for f in (exp, log, sqrt, sin, cos, tanh, sigmoid, relu, leaky_relu, softplus, builtins.abs)
}
_BUILTIN_OPS = frozenset(rules.PRIMITIVES)


def defop(name: str, forward: Callable[..., float], derivative: Callable[..., Any]) -> Callable[..., Any]:
    """Add a primitive to the engine and return the function that applies it.

    Args:
        name: the op's name, shown in reprs and drawings (a Python identifier).
        forward: computes the output from plain floats.
        derivative: ``derivative(ans, *inputs)`` returns the local derivative ``∂ans/∂input`` for each
            input (a tuple, or a single value for a one-input op). Write it with the engine's own
            operations and functions so it also works on Values: then higher-order derivatives work.

    Returns:
        A function of Values or numbers, like ``autograd.tanh``; it works with ``backward``,
        ``grad``, ``gradcheck``, drawing and the expression parser.

    >>> import math
    >>> cube = defop("cube", lambda x: x ** 3, lambda ans, x: 3 * x ** 2)
    >>> x = Value(2.0)
    >>> y = cube(x)
    >>> y.backward()
    >>> y.data, x.grad
    (8.0, 12.0)
    """
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"defop: the name must be a Python identifier, got {name!r}")
    if name in _BUILTIN_OPS:
        raise ValueError(f"defop: {name!r} is a built-in primitive; choose another name")
    if not callable(forward) or not callable(derivative):
        raise TypeError("defop: forward and derivative must both be callable")
    _check_arity(name, forward, derivative)
    if name in FUNCTIONS:  # nodes find their rule by name, so graphs built before change too
        warnings.warn(f"defop: {name!r} is redefined; nodes already made with {name!r} now use the new rule", stacklevel=2)

    where = f"defop {name!r}: its derivative"

    def local_derivatives(ans: Any, *xs: Any) -> tuple[Any, ...]:
        ds = derivative(ans, *xs)
        if getattr(ds, "ndim", 0):  # a numpy array would pass for one number, or for a sequence of them
            raise TypeError(
                f"defop {name!r}: derivative returned an array of shape {ds.shape}; "
                "return a tuple with one local derivative per input"
            )
        ds = tuple(ds) if isinstance(ds, (tuple, list)) else (ds,)
        if len(ds) != len(xs):
            raise TypeError(
                f"defop {name!r}: derivative returned {len(ds)} values for {len(xs)} inputs; "
                "return one local derivative per input"
            )
        return tuple(d if type(d) is float or isinstance(d, Value) else to_float(d, where) for d in ds)

    def checked_forward(*xs: float) -> float:
        try:
            out = forward(*xs)
        except DomainError:
            raise
        except (ArithmeticError, ValueError) as e:  # e.g. math.log's bare "math domain error"
            inputs = ", ".join(map(repr, xs))
            raise DomainError(f"{name}: {name}({inputs}) failed in its forward ({type(e).__name__}: {e})") from None
        return to_float(out, f"{name} (its forward returned)")

    rules.PRIMITIVES[name] = rules.Primitive(checked_forward, local_derivatives)

    def op(*args: Operand) -> Any:
        return apply(name, *args)

    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"The user-defined primitive {name!r} (see ``autograd.defop``)."
    FUNCTIONS[name] = op
    return op
