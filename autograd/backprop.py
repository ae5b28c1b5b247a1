"""Reverse-mode backpropagation: order the graph, then apply the chain rule from the output back.

No recursion anywhere, so a chain of a million operations is as fine as a chain of ten.
"""

from __future__ import annotations

import operator
from typing import Any, Sequence

from . import modes, rules
from .errors import DomainError
from .value import Value, constant

_data = operator.attrgetter("data")


def topological_order(root: Value) -> list[Value]:
    """Every node under ``root``, each after all of its parents (``root`` last).

    An iterative depth-first search. A node is expanded once: it goes back on the stack with a
    ``None`` above it, then its parents above that. When the ``None`` comes off again, every
    parent has been placed, so the node under it is placed next. Leaves, and wide nodes whose
    parents are all placed already, are placed as soon as they are seen: in a graph without
    cycles a visited parent is a placed one.
    """
    order: list[Value] = []
    visited: set[Value] = set()
    stack: list[Value | None] = [root]
    pop, push, place, visit = stack.pop, stack.append, order.append, visited.add
    while stack:
        v = pop()
        if v is None:  # the parents of the node below are all placed
            place(pop())
        elif v not in visited:
            visit(v)
            parents = v.parents
            if len(parents) > 2 and visited.issuperset(parents):  # a wide node, often a neuron's dot
                place(v)
                continue
            push(v)
            push(None)
            for p in parents:
                if p not in visited:
                    if p.parents:
                        push(p)
                    else:
                        visit(p)
                        place(p)
    return order


def propagate(order: Sequence[Value], create_graph: bool = False) -> None:
    """Apply the chain rule to ``order`` (from ``topological_order``), output first.

    Each node passes ``node.grad * ∂node/∂parent`` to each parent. The local derivatives come from
    the table in ``rules.py``: computed on floats, or on Values when ``create_graph`` is set, so
    that the gradients are themselves nodes that can be differentiated again.

    A node whose gradient is exactly 0 passes nothing back: its contributions would all be 0
    (a dead relu, a satisfied hinge). So its local derivatives are not even computed, and one
    that is undefined there (``sqrt`` at 0 under a zero gradient) raises nothing.
    """
    if create_graph or modes.anomaly_sites is not None:
        _propagate_general(order, create_graph)
        return
    table = rules.PRIMITIVES
    for v in reversed(order):
        parents = v.parents
        if not parents:
            continue
        g = v.grad
        if g == 0.0:  # a zero gradient would only add zeros to its parents
            continue
        # The same chain rule three times: unpacking one or two parents by name is about twice
        # as fast as the general loop, and nearly every node has one or two.
        try:
            if len(parents) == 2:
                x, y = parents
                dx, dy = table[v.op].derivative(v.data, x.data, y.data)
                x.grad += g * dx
                y.grad += g * dy
            elif len(parents) == 1:
                x = parents[0]
                (dx,) = table[v.op].derivative(v.data, x.data)
                x.grad += g * dx
            else:
                for p, d in zip(parents, table[v.op].derivative(v.data, *map(_data, parents))):
                    p.grad += g * d
        except (ArithmeticError, ValueError) as e:
            raise _undefined(v, e) from None


def _propagate_general(order: Sequence[Value], create_graph: bool) -> None:
    """``propagate`` for higher-order passes (local derivatives as Values) and ``detect_anomaly``."""
    table = rules.PRIMITIVES
    with modes.backward_pass():
        for v in reversed(order):
            parents = v.parents
            g = v.grad
            if not parents or (type(g) is float and g == 0.0):
                continue
            try:
                if create_graph:
                    local = table[v.op].derivative(v, *parents)
                else:
                    local = table[v.op].derivative(v.data, *[p.data for p in parents])
            except (ArithmeticError, ValueError) as e:
                raise _undefined(v, e) from None
            if modes.anomaly_sites is not None:
                modes.check_backward(v, local)
            for p, d in zip(parents, local):
                p.grad += g * d


def _undefined(v: Value, error: BaseException) -> DomainError:
    inputs = ", ".join(repr(p.data) for p in v.parents)
    where = f"backward through {v.op}({inputs}): the local derivative"
    if isinstance(error, OverflowError):  # Python's float ** says "(34, 'Numerical result out of range')"
        return DomainError(f"{where} overflows a float (largest about 1.8e308)")
    if isinstance(error, ZeroDivisionError):  # sqrt at 0, x ** 0.5 at 0: the slope is vertical
        return DomainError(f"{where} is undefined here: computing it divides by zero (a vertical slope, like sqrt's at 0)")
    return DomainError(f"{where} is undefined ({error})")


def backward(root: Value) -> None:
    """Seed ``root`` with 1 and add this pass's ``∂root/∂node`` into ``node.grad`` for every node."""
    order = topological_order(root)
    earlier = [v.grad for v in order]
    has_earlier = any(earlier)
    if has_earlier:
        for v in order:
            v.grad = 0.0
    root.grad = 1.0
    try:
        propagate(order)
    except BaseException:
        for v, g in zip(order, earlier):  # a failed pass leaves every gradient as it was
            v.grad = g
        raise
    if has_earlier:
        for v, g in zip(order, earlier):
            v.grad += g


def gradients(output: Any, inputs: Sequence[Value], create_graph: bool = False) -> list[Any]:
    """``∂output/∂x`` for each ``x`` in ``inputs``, leaving every ``.grad`` as it was.

    Args:
        output: the Value to differentiate (a plain number has zero derivatives).
        inputs: the Values to differentiate with respect to.
        create_graph: return the derivatives as Values connected to the graph, so they can be
            differentiated again (a derivative that is constant comes back as a leaf Value);
            otherwise as floats.

    >>> x = Value(3.0)
    >>> y = x * x * x
    >>> gradients(y, [x])
    [27.0]
    >>> (dy,) = gradients(y, [x], create_graph=True)
    >>> gradients(dy, [x])
    [18.0]
    """
    for x in inputs:
        if not isinstance(x, Value):
            raise TypeError(f"gradients: inputs must be Values, got {type(x).__name__} {x!r}")
    if not isinstance(output, Value):
        return [constant(0.0) if create_graph else 0.0 for _ in inputs]
    order = topological_order(output)
    earlier = [v.grad for v in order]
    for v in order:
        v.grad = 0.0
    try:
        output.grad = 1.0
        if create_graph:
            with modes.enable_grad():
                propagate(order, create_graph=True)
        else:
            propagate(order)
        in_graph = set(order)
        result = [x.grad if x in in_graph else 0.0 for x in inputs]
    finally:
        for v, g in zip(order, earlier):
            v.grad = g
    if create_graph:  # a derivative that came out constant is still a Value, as promised
        return [g if isinstance(g, Value) else constant(g) for g in result]
    return [float(g) for g in result]
