"""The extender's API: your own primitives, and what the packages built on the engine use.

``defop`` adds a row to the rule table and ``apply`` applies any row by name; ``Primitive``,
``PRIMITIVES``, ``where`` and ``UNDEFINED`` are the table's own parts. The rest are the helpers
that ``nn``, ``viz`` and ``chainrule`` share with the engine: the graph's order and its constants,
the checks and messages for numbers, files written whole or not at all. A learner needs none of
this: ``autograd`` itself exports what they use.
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable
from typing import Any

from ._checks import check_finite, describe, finite_float, not_a_number, shorten, to_float
from ._files import Staged, as_path, commit, read_bounded, stage, write_atomically
from .backprop import is_constant, topological_order
from .errors import DomainError
from .functions import as_values, dot_of_values
from .rules import NOT_REAL, PRIMITIVES, UNDEFINED, Primitive, arity, is_undefined, where
from .value import Operand, Value, constant, node

__all__ = [
    "NOT_REAL",
    "PRIMITIVES",
    "UNDEFINED",
    "Primitive",
    "Staged",
    "apply",
    "as_path",
    "arity",
    "check_finite",
    "commit",
    "constant",
    "defop",
    "describe",
    "dot_of_values",
    "finite_float",
    "is_constant",
    "is_undefined",
    "node",
    "not_a_number",
    "read_bounded",
    "shorten",
    "stage",
    "to_float",
    "topological_order",
    "where",
    "write_atomically",
]

_BUILT_IN = frozenset(PRIMITIVES)


def apply(op: str, *args: Operand) -> Any:
    """Apply the primitive ``op`` of the table to Values or numbers.

    >>> apply("*", 2.0, 4)
    8.0
    >>> apply("*", Value(2.0), 4)
    Value(data=8.0, grad=0.0, op='*')
    """
    forward = PRIMITIVES[op].forward
    if not any(isinstance(a, Value) for a in args):
        return forward(*[to_float(a, op) for a in args])
    parents = as_values(args, op)
    return node(forward(*[p.data for p in parents]), op, parents)


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
        ``grad``, ``gradcheck``, drawing and the expression parser (which reads the table).

    >>> cube = defop("cube", lambda x: x ** 3, lambda ans, x: 3 * x ** 2)
    >>> x = Value(2.0)
    >>> y = cube(x)
    >>> y.backward()
    >>> y.data, x.grad
    (8.0, 12.0)
    """
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"defop: the name must be a Python identifier, got {name!r}")
    if name in _BUILT_IN:
        raise ValueError(f"defop: {name!r} is a built-in primitive; choose another name")
    if not callable(forward) or not callable(derivative):
        raise TypeError("defop: forward and derivative must both be callable")
    _check_arity(name, forward, derivative)
    if name in PRIMITIVES:  # nodes find their rule by name, so graphs built before change too
        warnings.warn(
            f"defop: {name!r} is redefined; nodes already made with {name!r} now use the new rule", stacklevel=2
        )
    PRIMITIVES[name] = Primitive(_checked_forward(name, forward), _checked_derivative(name, derivative))

    def op(*args: Operand) -> Any:
        return apply(name, *args)

    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"The user-defined primitive {name!r} (see ``autograd.defop``)."
    return op


def _checked_forward(name: str, forward: Callable[..., float]) -> Callable[..., float]:
    """``forward`` whose failures name the op and whose result must be a number."""

    def checked(*xs: float) -> float:
        try:
            out = forward(*xs)
        except DomainError:
            raise
        except (ArithmeticError, ValueError) as e:  # e.g. math.log's bare "math domain error"
            inputs = ", ".join(map(repr, xs))
            raise DomainError(f"{name}: {name}({inputs}) failed in its forward ({type(e).__name__}: {e})") from None
        return to_float(out, f"{name} (its forward returned)")

    return checked


def _checked_derivative(name: str, derivative: Callable[..., Any]) -> Callable[..., tuple[Any, ...]]:
    """``derivative`` made to return a tuple of one number or Value per input, or a clear error."""
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
        return tuple(
            d if type(d) is float or isinstance(d, Value) or getattr(d, "traced", False) else to_float(d, where)
            for d in ds
        )

    return local_derivatives


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
