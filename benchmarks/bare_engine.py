"""A measuring stick, not a product: chainrule's node model with everything but the arithmetic removed.

One object per node with the same five slots, a parents tuple, a table of local derivatives,
chainrule's own topological sort and the same backward loop. Gone: type checks, domain errors,
the node hook that ``no_grad`` and ``detect_anomaly`` use, the saved gradients that make a second
``backward()`` add instead of double-counting, every op but ``+ * relu``, and the helper calls on
the way to a new node (each interior node is built inline).

``engine.py`` runs it beside chainrule and micrograd. How far it gets ahead of micrograd is about
as far as an engine with this node model can get in CPython: allocating and freeing the node, its
parents tuple and a constant leaf, and dispatching the operator, cost what they cost.
"""

from __future__ import annotations

from typing import Any

from autograd.extend import topological_order

_new = object.__new__

DERIVATIVE = {
    "+": lambda ans, x, y: (1.0, 1.0),
    "*": lambda ans, x, y: (y, x),
    "relu": lambda ans, x: (1.0 if x > 0 else 0.0,),
}


class BareValue:
    __slots__ = ("data", "grad", "label", "op", "parents")

    def __init__(self, data: float, label: str = "") -> None:
        self.data = data
        self.grad = 0.0
        self.label = label
        self.op = ""
        self.parents = ()

    def __add__(self, other: Any) -> BareValue:
        if type(other) is not BareValue:
            other = BareValue(other)
        v = _new(BareValue)
        v.data = self.data + other.data
        v.grad = 0.0
        v.label = ""
        v.op = "+"
        v.parents = (self, other)
        return v

    def __mul__(self, other: Any) -> BareValue:
        if type(other) is not BareValue:
            other = BareValue(other)
        v = _new(BareValue)
        v.data = self.data * other.data
        v.grad = 0.0
        v.label = ""
        v.op = "*"
        v.parents = (self, other)
        return v

    def relu(self) -> BareValue:
        v = _new(BareValue)
        v.data = self.data if self.data > 0 else 0.0
        v.grad = 0.0
        v.label = ""
        v.op = "relu"
        v.parents = (self,)
        return v

    def backward(self) -> None:
        order = topological_order(self)  # chainrule's own sort: it works on anything with .parents
        self.grad = 1.0
        for v in reversed(order):
            parents = v.parents
            if not parents:
                continue
            g = v.grad
            if len(parents) == 2:
                x, y = parents
                dx, dy = DERIVATIVE[v.op](v.data, x.data, y.data)
                x.grad += g * dx
                y.grad += g * dy
            else:
                (x,) = parents
                (dx,) = DERIVATIVE[v.op](v.data, x.data)
                x.grad += g * dx
