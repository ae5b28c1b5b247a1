"""Forward mode: derivatives carried from the inputs to the output, ``jvp`` and ``hvp``.

``J.backward()`` (reverse mode) starts at the output and, in one pass right to left, gives
``∂J/∂x`` for every input ``x``. Forward mode starts at the inputs with a direction, a *tangent*
``ẋ`` for each input, and in one pass left to right gives the derivative of ``J`` along it,
``J̇ = Σ ∂J/∂x · ẋ``. Each node's tangent is the sum of its local derivatives (the same rows of
``rules.PRIMITIVES`` that backprop multiplies) times its inputs' tangents; a number written in
``f`` has tangent 0. For the course's ``J = 3(a + bc)`` at a=5, b=3, c=2, with ``u = bc`` and
``v = a + u``, the tangent (0, 1, 0) gives::

    ḃ = 1,   u̇ = c·ḃ + b·ċ = 2,   v̇ = ȧ + u̇ = 2,   J̇ = 3·v̇ = 6 = ∂J/∂b

One pass gives one directional derivative (for a unit tangent, one input's ``∂J/∂x``); reverse
mode gives them all in one pass. Forward mode wins the other way round: one input, many outputs.

``f`` runs once on Values, recording the graph as usual; ``push_forward`` then walks it once, in
topological order (inputs first), computing each node's tangent. ``docs/forward_mode.md`` tells the
story with the course's graph.
"""

from __future__ import annotations

import numbers
import operator
import warnings
from collections.abc import Callable, Sequence
from typing import Any

from .. import modes
from .._checks import describe, finite_float, shorten
from .._one_by_one import existing_local_derivatives
from ..backprop import topological_order
from ..errors import undefined_derivative
from ..rules import PRIMITIVES, UNDEFINED, is_undefined
from ..value import Value, constant
from . import reverse_mode

_data = operator.attrgetter("data")


def jvp(f: Callable[..., Any], primals: Sequence[Any], tangents: Sequence[Any]) -> tuple[Any, Any]:
    """``f(*primals)`` and its derivative in the direction ``tangents``, in one forward pass.

    The directional derivative is ``Σ_i ∂f/∂x_i · tangents[i]``: with the tangent 1 for one input
    and 0 for the others, it is that input's partial derivative. Like ``jax.jvp``.

    Args:
        f: a function of numbers written with Value operations; it returns one Value (or number),
            or a tuple or list of them (``grad`` of a function of several arguments does).
        primals: the point, a tuple or list with one number per argument of ``f``.
        tangents: the direction, one number per primal.

    Returns:
        ``(f(*primals), tangent of the output)``, each a float, or a tuple or list of floats when
        ``f`` returns one. Called with Values, or inside ``grad``, both are Values connected to the
        graph, so the result can be differentiated again (``grad`` of ``jvp``, ``jvp`` of ``jvp``).

    Raises:
        TypeError: ``f`` is not callable, ``primals`` or ``tangents`` is not a tuple or list, an
            entry is not a real number, or ``f`` returns something else than Values or numbers.
        ValueError: an empty ``primals``, lengths that differ, a number that is nan or infinite,
            or the same Value passed twice.
        DomainError: a local derivative that the tangent needs does not exist (``sqrt`` at 0).

    >>> J = lambda a, b, c: 3 * (a + b * c)
    >>> jvp(J, (5.0, 3.0, 2.0), (1.0, 0.0, 0.0))   # (J, ∂J/∂a)
    (33.0, 3.0)
    >>> jvp(J, (5.0, 3.0, 2.0), (0.0, 1.0, 0.0))   # (J, ∂J/∂b)
    (33.0, 6.0)
    >>> jvp(lambda x: (x * x, 3 * x), (2.0,), (1.0,))
    ((4.0, 6.0), (4.0, 3.0))
    """
    return _jvp("jvp", f, primals, tangents)


def hvp(f: Callable[..., Any], primals: Sequence[Any], tangents: Sequence[Any]) -> tuple[Any, ...]:
    """The Hessian of ``f`` at ``primals`` times the vector ``tangents``: ``jvp`` of ``grad(f)``.

    Forward over reverse: ``grad(f)`` builds the graph of the gradient, and one forward pass
    through it gives ``H·v`` without forming the ``n × n`` Hessian.

    Returns:
        A tuple with one entry per argument of ``f``: ``Σ_j ∂²f/∂x_i∂x_j · tangents[j]``.

    >>> # f = x²y: its Hessian at (3, 2) is [[2y, 2x], [2x, 0]] = [[4, 6], [6, 0]]
    >>> hvp(lambda x, y: x * x * y, (3.0, 2.0), (1.0, 0.0))
    (4.0, 6.0)
    >>> hvp(lambda x, y: x * x * y, (3.0, 2.0), (1.0, 1.0))
    (10.0, 6.0)
    """
    _check_callable("hvp", f)
    n = len(_sequence("hvp", "primals", primals))
    gradient = reverse_mode.grad(f, argnums=tuple(range(n)))
    return tuple(_jvp("hvp", gradient, primals, tangents)[1])


def push_forward(outputs: Sequence[Any], seeds: dict[Value, Any], create_graph: bool, mode: str = "jvp") -> list[Any]:
    """The tangent of each of ``outputs``, in one pass over their graph from the inputs on.

    ``seeds`` maps the inputs to their tangents; every other leaf (a constant, or a Value that
    ``f`` did not get as an argument) has tangent 0. A node whose parents all have tangent 0 has
    tangent 0 and computes no local derivative, so one that is undefined there (``UNDEFINED``, or
    a rule that raises) does no harm; where a nonzero tangent needs it, ``DomainError`` names the op.
    With ``create_graph`` the local derivatives are Values and so are the tangents.

    >>> x = Value(3.0)
    >>> push_forward([x * x], {x: 1.0}, create_graph=False)
    [6.0]
    """
    scratch = Value(0.0)  # a root above all outputs, so that one topological sort covers them
    scratch.parents = tuple(o for o in outputs if isinstance(o, Value))
    order = topological_order(scratch)
    order.pop()
    tangent: dict[Value, Any] = dict(seeds)
    for v in order:
        if v in seeds or not v.parents:
            continue
        ts = [tangent.get(p, 0.0) for p in v.parents]
        if all(_is_zero(t) for t in ts):
            continue
        total = None
        for d, t in zip(_local(v, ts, create_graph, mode), ts):
            if not _is_zero(t):
                total = d * t if total is None else total + d * t
        tangent[v] = total
    return [tangent.get(o, 0.0) if isinstance(o, Value) else 0.0 for o in outputs]


def _is_zero(t: Any) -> bool:
    # A Value tangent is never skipped: its number may be 0, its derivative (in an outer pass) not.
    return type(t) is float and t == 0.0


def _local(v: Value, ts: list[Any], create_graph: bool, mode: str) -> tuple[Any, ...]:
    """The local derivatives at ``v``, or the ``DomainError`` if one that a nonzero tangent needs is undefined.

    A rule that fails on floats is asked again input by input (``existing_local_derivatives``), so
    that a derivative nobody needs (a constant's, whose tangent is 0) does not stop one that exists.
    """
    rule = PRIMITIVES[v.op].local_derivatives
    error: BaseException | None = None
    try:
        local = rule(v, *v.parents) if create_graph else rule(v.data, *map(_data, v.parents))
    except (ArithmeticError, ValueError) as e:
        error = e
        local = (UNDEFINED,) * len(v.parents) if create_graph else existing_local_derivatives(v)
    missing = [d for d, t in zip(local, ts) if is_undefined(d) and not _is_zero(t)]
    if missing:
        error = error or missing[0].error
        raise undefined_derivative(v.op, [p.data for p in v.parents], error, mode) from None
    return local


def _jvp(name: str, f: Callable[..., Any], primals: Sequence[Any], tangents: Sequence[Any]) -> tuple[Any, Any]:
    _check_callable(name, f)
    points = _sequence(name, "primals", primals)
    directions = _sequence(name, "tangents", tangents)
    if not points:
        raise ValueError(f"{name}: primals is empty; give one number per argument of f, e.g. {name}(f, (1.0,), (1.0,))")
    if len(directions) != len(points):
        raise ValueError(f"{name}: {len(points)} primals but {len(directions)} tangents; give one tangent per primal")
    points = [_number(name, f"primal {i}", x) for i, x in enumerate(points)]
    directions = [_number(name, f"tangent {i}", t) for i, t in enumerate(directions)]
    _check_distinct(name, points)
    # Values in, or a grad around this call: the result must stay connected for an outer pass.
    create_graph = reverse_mode._nesting.depth > 0 or any(isinstance(x, Value) for x in points + directions)
    inputs = [x if isinstance(x, Value) else Value(x) for x in points]
    with modes.enable_grad():  # forward mode needs the graph, even inside the caller's no_grad
        out = f(*inputs)
        outputs = _outputs(name, out)
        if create_graph:
            # The nodes made here are derivatives, not values: detect_anomaly's forward checks leave
            # them alone, as in backprop (the nan slope of the constant 2 in x ** 2 at x < 0 is no anomaly).
            with modes.backward_pass():
                out_tangents = push_forward(outputs, dict(zip(inputs, directions)), True, name)
        else:
            out_tangents = push_forward(outputs, dict(zip(inputs, directions)), False, name)
    if create_graph:
        values, out_tangents = outputs, [t if isinstance(t, Value) else constant(float(t)) for t in out_tangents]
    else:
        values, out_tangents = [float(o) for o in outputs], [float(t) for t in out_tangents]
    if isinstance(out, (tuple, list)):
        container = tuple if isinstance(out, tuple) else list
        return container(values), container(out_tangents)
    return values[0], out_tangents[0]


def _check_callable(name: str, f: Any) -> None:
    if not callable(f):
        raise TypeError(f"{name}: f must be callable, got {describe(f)}")


def _sequence(name: str, what: str, xs: Any) -> list[Any]:
    if isinstance(xs, (tuple, list)):
        return list(xs)
    hint = f"; for one argument write ({shorten(repr(xs))},)" if isinstance(xs, (numbers.Real, Value)) else ""
    raise TypeError(
        f"{name}: {what} must be a tuple or list with one entry per argument of f, got {describe(xs)}{hint}"
    )


def _number(name: str, what: str, x: Any) -> Any:
    """``x`` as a finite float (a Value is kept: it comes from an outer pass)."""
    if isinstance(x, Value):
        return x
    number = finite_float(x)
    if number is None:
        error = TypeError if isinstance(x, bool) or not isinstance(x, numbers.Real) else ValueError
        raise error(f"{name}: {what} is {describe(x)}; expected a finite real number (int or float)")
    return number


def _check_distinct(name: str, points: list[Any]) -> None:
    first: dict[Value, int] = {}
    for i, x in enumerate(points):
        if isinstance(x, Value):
            if x in first:
                raise ValueError(
                    f"{name}: primals {first[x]} and {i} are the same Value; each argument has its own "
                    "tangent, so pass distinct Values (or numbers)"
                )
            first[x] = i


def _outputs(name: str, out: Any) -> list[Any]:
    """``f``'s result as a list of Values and numbers, or a ``TypeError``; a plain number gets a warning."""
    items = list(out) if isinstance(out, (tuple, list)) else [out]
    for o in items:
        if not isinstance(o, Value) and (isinstance(o, bool) or not isinstance(o, numbers.Real)):
            raise TypeError(f"{name}: f must return a Value or number, or a tuple or list of them, got {describe(out)}")
    plain = [o for o in items if not isinstance(o, Value)]
    if plain:
        warnings.warn(
            f"{name}: f returned the plain number {plain[0]!r}, not a Value, so its tangent is 0. If f uses "
            "math.sin(x), float(x) or x.data, use autograd's functions (autograd.sin(x)) so that the "
            "derivative can be followed; if f really is constant there, ignore this.",
            RuntimeWarning,
            stacklevel=4,
        )
    return items
