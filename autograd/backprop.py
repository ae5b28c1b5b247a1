"""Reverse-mode backpropagation: order the graph, then apply the chain rule from the output back.

No recursion anywhere, so a chain of a million operations is as fine as a chain of ten. What is
here: ``topological_order``; ``propagate``, the chain rule at every node; ``fresh_pass``, a pass
that starts every gradient at 0; ``backward`` and ``zero_grad`` (``Value``'s methods call them);
and what a pass does where a local derivative does not exist (``where_undefined``).

The nodes are ``value.Value``s, read here only through their attributes (``data``, ``grad``,
``op``, ``parents``): ``Value.backward`` calls this module, so it cannot import ``value.py``.
"""

from __future__ import annotations

import itertools
import math
import operator
from collections.abc import Sequence
from typing import Any, Protocol, TypeVar

from . import modes
from ._checks import check_finite
from ._one_by_one import existing_local_derivatives
from .errors import undefined_derivative
from .rules import PRIMITIVES, UNDEFINED, is_undefined

#: The table's own ``dot`` row: ``propagate`` writes its chain rule out while the table still holds it.
_DOT = PRIMITIVES["dot"]


class Value(Protocol):
    """What backprop reads and writes of a node (``value.Value``)."""

    data: float
    grad: Any
    op: str
    parents: tuple[Any, ...]  # Values of the caller's own class (a Protocol attribute cannot vary with it)


#: A node of any class that has ``Value``'s attributes: ``topological_order`` gives back the class it gets.
V = TypeVar("V", bound=Value)


class _NoParents(tuple):
    __slots__ = ()


#: The parents of every constant: empty like any leaf's, but its own object, so that backprop can
#: tell a number written in an expression from a Value you made (nobody differentiates by a constant).
CONSTANT: tuple[Any, ...] = _NoParents()


def is_constant(v: Value) -> bool:
    """Whether ``v`` is a constant made for a plain number (``value.constant``), not a Value someone made."""
    return v.parents is CONSTANT


_data = operator.attrgetter("data")


def topological_order(root: V) -> list[V]:
    """Every node under ``root``, each after all of its parents (``root`` last).

    An iterative depth-first search. A node is expanded once: it goes back on the stack with a
    ``None`` above it, then its parents above that; when the ``None`` comes off again, its parents
    are all placed, so it is placed next. Leaves, and wide nodes whose parents are all placed
    already, are placed at once (without cycles, a visited parent is a placed one).
    """
    order: list[V] = []
    visited: set[V] = set()
    stack: list[Any] = [root]  # nodes, and a None above each node whose parents are being placed
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


def propagate(order: Sequence[Value], create_graph: bool = False, inputs: Sequence[Value] | None = None) -> None:
    """Apply the chain rule to ``order`` (from ``topological_order``), output first.

    Each node sends ``node.grad * ∂node/∂parent`` to each parent, the local derivatives coming
    from ``rules.py``: floats, or Values when ``create_graph`` is set, so that the gradients are
    nodes that can be differentiated again. A node whose gradient is exactly 0 sends nothing back
    and computes nothing (every product would be 0: a dead relu, a satisfied hinge). ``inputs``
    are the nodes whose gradients are asked for (default: every leaf but the constants).
    """
    if create_graph or modes.anomaly_on():
        _propagate_general(order, create_graph, inputs)
        return
    dot_as_in_table = PRIMITIVES.get("dot") is _DOT  # a row edited by hand is used as it is written
    for v in reversed(order):
        parents = v.parents
        if not parents:
            continue
        g = v.grad
        if g == 0.0:
            continue
        # The chain rule of send_back, written out for one and two parents, which nearly every node
        # has: unpacking them by name makes the whole pass 2 to 2.5 times faster (measured on the
        # elementary graphs of benchmarks/engine.py).
        try:
            if len(parents) == 2:
                x, y = parents
                dx, dy = PRIMITIVES[v.op].local_derivatives(v.data, x.data, y.data)
                dx, dy = g * dx, g * dy  # both first: if one is undefined, neither is added
                x.grad += dx
                y.grad += dy
            elif len(parents) == 1:
                x = parents[0]
                (dx,) = PRIMITIVES[v.op].local_derivatives(v.data, x.data)
                x.grad += g * dx
            elif v.op == "dot" and dot_as_in_table:
                send_back_dot(parents, g)
            else:
                send_back(v, PRIMITIVES[v.op].local_derivatives(v.data, *map(_data, parents)))
        except (ArithmeticError, ValueError) as e:
            send_back(v, where_undefined(v, e, order, inputs, create_graph))


def send_back(v: Value, local: Sequence[Any]) -> None:
    """The chain rule at one node: add ``∂out/∂v · ∂v/∂parent`` into each parent's gradient."""
    g = v.grad
    for p, d in zip(v.parents, local):
        p.grad += g * d


def send_back_dot(parents: Sequence[Value], g: float) -> None:
    """``send_back`` for a ``dot`` node (a neuron's ``w·x + b``), with the table's rule written out:
    ``∂/∂w_i = x_i``, ``∂/∂x_i = w_i``, ``∂/∂b = 1``, sent in the table's order (the weights, the
    inputs, the bias), so every gradient gets the same numbers in the same order, bit for bit.

    Building the rule's 2n + 1 local derivatives as tuples cost as much as sending them: written
    out, the chain rule of the MLP step (``benchmarks/mlp.py``) takes 2.9 ms instead of 5.2.
    """
    n = len(parents) // 2
    ws, xs = parents[:n], parents[n : 2 * n]
    for w, x in zip(ws, xs):
        w.grad += g * x.data
    for w, x in zip(ws, xs):
        x.grad += g * w.data
    if len(parents) % 2:
        parents[-1].grad += g  # g * 1.0, the same number


def _propagate_general(order: Sequence[Value], create_graph: bool, inputs: Sequence[Value] | None) -> None:
    """``propagate`` for higher-order passes (local derivatives as Values) and ``detect_anomaly``."""
    with modes.backward_pass():
        for v in reversed(order):
            parents = v.parents
            g = v.grad
            if not parents or (type(g) is float and g == 0.0):
                continue
            try:
                local = _local(v, create_graph)
                missing = next((d for d in local if is_undefined(d)), None)
                if missing is not None:
                    raise missing.error
            except (ArithmeticError, ValueError) as e:
                local = where_undefined(v, e, order, inputs, create_graph)
            if modes.anomaly_on():
                modes.check_backward(v, local)
            send_back(v, local)


def _local(v: Value, create_graph: bool) -> tuple[Any, ...]:
    if create_graph:
        return PRIMITIVES[v.op].local_derivatives(v, *v.parents)
    return PRIMITIVES[v.op].local_derivatives(v.data, *map(_data, v.parents))


def where_undefined(
    v: Value, error: BaseException, order: Sequence[Value], inputs: Sequence[Value] | None, create_graph: bool
) -> tuple[Any, ...]:
    """The local derivatives at ``v``, which are not all defined: nan where one is missing, if no
    asked-for gradient needs it (a constant's does not); otherwise the ``DomainError`` naming ``v``.

    A rule computes all of a node's local derivatives together, so one that fails stops the others:
    ``0.5 ** x`` at x = -1023 has the finite ∂/∂x = -6.2e307, but ∂/∂0.5 overflows. On floats, each
    is then found on its own (``existing_local_derivatives``). A pass that builds the graph of its
    derivatives (``create_graph``) needs them as Values, which only the whole rule makes: there, a
    rule that fails counts as undefined for every input.
    """
    try:
        rule = PRIMITIVES[v.op].local_derivatives
        local = rule(v, *v.parents) if create_graph else rule(v.data, *map(_data, v.parents))
    except (ArithmeticError, ValueError):
        local = (UNDEFINED,) * len(v.parents) if create_graph else existing_local_derivatives(v)
    asked = set(inputs) if inputs is not None else {u for u in order if not u.parents and not is_constant(u)}
    for u in order:  # and every node computed from one of them: its gradient flows on to them
        if u.parents and not asked.isdisjoint(u.parents):
            asked.add(u)
    if any(is_undefined(d) and p in asked for p, d in zip(v.parents, local)):
        raise undefined_derivative(v.op, [p.data for p in v.parents], error) from None
    return tuple(math.nan if is_undefined(d) else d for d in local)


def fresh_pass(
    order: Sequence[Value], create_graph: bool = False, inputs: Sequence[Value] | None = None, seed: Any = 1.0
) -> list[Any] | None:
    """Backpropagate from ``order[-1]`` (seeded with ``seed``) with every gradient starting at 0, and
    return the gradients from before (``None`` if all were 0) for the caller to add back or restore.

    A pass starts from 0 because the chain rule sends on whatever a node's ``grad`` holds: an
    earlier pass's gradient left in an intermediate node would be sent a second time (micrograd's
    double counting when ``backward()`` runs twice). A pass that fails leaves every gradient as it was.
    """
    earlier: list[Any] | None
    earlier = [v.grad for v in order]
    if any(earlier):
        for v in order:
            v.grad = 0.0
    else:
        earlier = None  # the usual case, after zero_grad(): nothing to set aside
    order[-1].grad = seed
    try:
        propagate(order, create_graph, inputs)
    except BaseException:
        restore(order, earlier)
        raise
    return earlier


def restore(order: Sequence[Value], earlier: list[Any] | None) -> None:
    """Put back the gradients that ``fresh_pass`` set aside."""
    for v, g in zip(order, itertools.repeat(0.0) if earlier is None else earlier):
        v.grad = g


def backward(root: Value, gradient: float = 1.0) -> None:
    """``root.backward(gradient)``: add ``gradient · ∂root/∂node`` into every node's ``grad``."""
    if type(gradient) is float and gradient == 1.0:
        seed = 1.0
    else:  # a wrong type is a TypeError, as in jvp; nan or inf a ValueError
        seed = check_finite(gradient, "backward: the gradient", wrong_type=TypeError)
    order = topological_order(root)
    earlier = fresh_pass(order, seed=seed)
    if earlier is not None:
        for v, g in zip(order, earlier):
            v.grad += g


def zero_grad(root: Value) -> None:
    """``root.zero_grad()``: set ``grad`` to 0.0 on every node of the graph under ``root``."""
    for v in topological_order(root):
        v.grad = 0.0
