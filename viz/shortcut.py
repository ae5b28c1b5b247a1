"""The course's shortcut ``dz = a − y``, recognised where a sigmoid feeds the binary cross-entropy.

With ``a = σ(z)`` and ``L = −(y log a + (1 − y) log(1 − a))``, the chain rule's product
``∂L/∂a · ∂a/∂z = (a − y)/(a(1 − a)) · a(1 − a)`` simplifies to ``a − y``: the formula the course
writes as ``dz = a − y``. The replay says so at the step that completes ``z``. The graph is matched
by its shape (the loss as ``nn.losses.binary_cross_entropy`` and the course write it, also its
``−log a`` and ``−log(1 − a)`` forms for a label given as the number 1 or 0), and the claim is
made only where the chain rule's number agrees with ``a − y``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from .model import GraphModel


@dataclass(frozen=True)
class Shortcut:
    """``dz = a − y`` for the node ``z`` that feeds the sigmoid ``a``.

    Attributes:
        z: the sigmoid's input.
        a: the sigmoid's output.
        y: the label's value.
        y_node: the label's node, or None where the loss was written for a label of 1 or 0.
    """

    z: int
    a: int
    y: float
    y_node: int | None


def sigmoid_cross_entropy(model: GraphModel, grads: list[float]) -> dict[int, Shortcut]:
    """The shortcuts of the graph, by the node ``z`` whose step they belong to.

    Only a loss that is the graph's output counts: after a mean over examples, ``dz`` is
    ``(a − y)/m``, which the chain rule's caption already shows.

    >>> from autograd import Value
    >>> from viz.model import build_model
    >>> from viz.replay import chain_rule
    >>> z, y = Value(1.0, label="z"), Value(1.0, label="y")
    >>> a = z.sigmoid()
    >>> L = -(y * a.log() + (1 - y) * (1 - a).log())
    >>> model = build_model(L, 100, "doc")
    >>> sigmoid_cross_entropy(model, chain_rule(model)[0])
    {1: Shortcut(z=1, a=2, y=1.0, y_node=0)}
    """
    uses = [0] * len(model.order)
    for ps in model.parents:
        for p in ps:
            uses[p] += 1
    found = {}
    for a, v in enumerate(model.order):
        if v.op != "sigmoid":
            continue
        (z,) = model.parents[a]
        label = _label(model, a)
        if label is None or uses[z] != 1:
            continue
        y, y_node = label
        if math.isclose(grads[z], v.data - y, rel_tol=1e-9, abs_tol=1e-12):
            found[z] = Shortcut(z, a, y, y_node)
    return found


def _label(model: GraphModel, a: int) -> tuple[float, int | None] | None:
    """The label ``y`` if the output is ``−(y log a + (1 − y) log(1 − a))``, ``−log a`` or ``−log(1 − a)``."""
    order, parents = model.order, model.parents
    root = len(order) - 1
    if order[root].op != "neg":
        return None
    (inner,) = parents[root]
    if _is_log_of(model, inner, a):
        return 1.0, None
    if _is_log_of(model, inner, None, one_minus=a):
        return 0.0, None
    if order[inner].op != "+":
        return None
    first, second = parents[inner]
    for left, right in ((first, second), (second, first)):
        y = _factor_beside(model, left, lambda j: _is_log_of(model, j, a))
        one_minus_y = _factor_beside(model, right, lambda j: _is_log_of(model, j, None, one_minus=a))
        if y is not None and one_minus_y is not None and order[one_minus_y].data == 1.0 - order[y].data:
            return order[y].data, y
    return None


def _is_log_of(model: GraphModel, j: int, x: int | None, one_minus: int | None = None) -> bool:
    """Whether node ``j`` is ``log(x)``, or ``log(1 − one_minus)`` when that is given."""
    if model.order[j].op != "log":
        return False
    (arg,) = model.parents[j]
    if one_minus is None:
        return arg == x
    node = model.order[arg]
    return (
        node.op == "-"
        and model.parents[arg][1] == one_minus
        and model.roles[model.parents[arg][0]] == "constant"
        and model.order[model.parents[arg][0]].data == 1.0
    )


def _factor_beside(model: GraphModel, j: int, is_other: Callable[[int], bool]) -> int | None:
    """In a product ``j = p · q`` where ``is_other`` holds for one factor, the other one."""
    if model.order[j].op != "*":
        return None
    p, q = model.parents[j]
    if is_other(q):
        return p
    if is_other(p):
        return q
    return None
