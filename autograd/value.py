"""The ``Value`` node: one number, its gradient, and the operation that produced it."""

from __future__ import annotations

import numbers
from typing import Any, Callable, Iterator, Union

from . import rules
from .errors import DomainError

Number = Union[int, float]
Operand = Union["Value", int, float]

#: When set, every new node is passed to this hook (``no_grad`` and ``detect_anomaly`` use it).
#: A single ``None`` check keeps the common path fast.
_node_hook: Callable[[Value], None] | None = None


def _unary_method(op: str) -> Callable[[Value], Value]:
    """The method ``v.op()``: the node ``op(v)``, computed by the table's forward for ``op``."""
    forward = rules.PRIMITIVES[op].forward

    def method(self: Value) -> Value:
        return node(forward(self.data), op, (self,))

    method.__name__, method.__qualname__ = op, f"Value.{op}"
    method.__doc__ = f"The node ``{op}(self)``; the same as ``autograd.{op}(self)``."
    return method


class Value:
    """A scalar in a computation graph.

    Args:
        data: one real number (int, float or numpy scalar); it is stored as a float.
        label: a name shown in reprs and drawings.

    Attributes:
        data: the number.
        grad: ``∂output/∂self`` accumulated by ``backward()``; starts at 0.0.
        label: the name, ``""`` if none.
        op: the primitive that produced this node, ``""`` for a leaf.
        parents: the inputs of that primitive, in argument order.

    >>> a, b, c = Value(5.0, label="a"), Value(3.0, label="b"), Value(2.0, label="c")
    >>> J = 3 * (a + b * c)
    >>> J.backward()
    >>> J.data, a.grad, b.grad, c.grad
    (33.0, 3.0, 6.0, 9.0)
    """

    __slots__ = ("data", "grad", "label", "op", "parents")
    __array_ufunc__ = None  # numpy should not broadcast over a Value; ``v + array`` is a TypeError

    data: float
    grad: Any
    label: str
    op: str
    parents: tuple[Value, ...]

    def __init__(self, data: Number, label: str = "") -> None:
        if not isinstance(label, str):
            raise TypeError(f"Value label must be a str, got {type(label).__name__} {label!r}")
        self.data = data if type(data) is float else to_float(data, "Value")
        if self.data != self.data:
            raise DomainError(
                "Value: got nan, which is not a number (often a missing value in the data); a Value holds one real number"
            )
        self.grad = 0.0
        self.label = label
        self.op = ""
        self.parents = ()

    def __repr__(self) -> str:
        text = f"Value(data={self.data!r}, grad={self.grad!r}"
        if self.label:
            text += f", label={self.label!r}"
        if self.op:
            text += f", op={self.op!r}"
        return text + ")"

    # Arithmetic. Plain numbers on either side become constant leaves; the parents keep argument order.

    def __add__(self, other: Operand) -> Value:
        other = other if isinstance(other, Value) else _operand(other)
        if other is NotImplemented:
            return NotImplemented
        return node(self.data + other.data, "+", (self, other))

    def __radd__(self, other: Number) -> Value:
        other = other if isinstance(other, Value) else _operand(other)
        if other is NotImplemented:
            return NotImplemented
        return node(other.data + self.data, "+", (other, self))

    def __sub__(self, other: Operand) -> Value:
        other = other if isinstance(other, Value) else _operand(other)
        if other is NotImplemented:
            return NotImplemented
        return node(self.data - other.data, "-", (self, other))

    def __rsub__(self, other: Number) -> Value:
        other = other if isinstance(other, Value) else _operand(other)
        if other is NotImplemented:
            return NotImplemented
        return node(other.data - self.data, "-", (other, self))

    def __mul__(self, other: Operand) -> Value:
        other = other if isinstance(other, Value) else _operand(other)
        if other is NotImplemented:
            return NotImplemented
        return node(self.data * other.data, "*", (self, other))

    def __rmul__(self, other: Number) -> Value:
        other = other if isinstance(other, Value) else _operand(other)
        if other is NotImplemented:
            return NotImplemented
        return node(other.data * self.data, "*", (other, self))

    def __truediv__(self, other: Operand) -> Value:
        other = other if isinstance(other, Value) else _operand(other)
        if other is NotImplemented:
            return NotImplemented
        return node(rules.divide(self.data, other.data), "/", (self, other))

    def __rtruediv__(self, other: Number) -> Value:
        other = other if isinstance(other, Value) else _operand(other)
        if other is NotImplemented:
            return NotImplemented
        return node(rules.divide(other.data, self.data), "/", (other, self))

    def __pow__(self, other: Operand) -> Value:
        other = other if isinstance(other, Value) else _operand(other)
        if other is NotImplemented:
            return NotImplemented
        return node(rules.power(self.data, other.data), "**", (self, other))

    def __rpow__(self, other: Number) -> Value:
        other = other if isinstance(other, Value) else _operand(other)
        if other is NotImplemented:
            return NotImplemented
        return node(rules.power(other.data, self.data), "**", (other, self))

    def __pos__(self) -> Value:
        return self  # +v is v, as for numbers: no node

    def __neg__(self) -> Value:
        return node(-self.data, "neg", (self,))

    def __abs__(self) -> Value:
        return node(abs(self.data), "abs", (self,))

    def __float__(self) -> float:
        return self.data

    # Comparisons look at the numbers; ``==`` and ``hash`` stay identity so Values work in sets and dicts.

    def __lt__(self, other: Operand) -> bool:
        return self.data < _number(other)

    def __le__(self, other: Operand) -> bool:
        return self.data <= _number(other)

    def __gt__(self, other: Operand) -> bool:
        return self.data > _number(other)

    def __ge__(self, other: Operand) -> bool:
        return self.data >= _number(other)

    # Primitives as methods: ``v.tanh()`` is ``autograd.tanh(v)``.

    exp = _unary_method("exp")
    log = _unary_method("log")
    sqrt = _unary_method("sqrt")
    sin = _unary_method("sin")
    cos = _unary_method("cos")
    tanh = _unary_method("tanh")
    sigmoid = _unary_method("sigmoid")
    relu = _unary_method("relu")
    leaky_relu = _unary_method("leaky_relu")
    softplus = _unary_method("softplus")

    # Gradients.

    def backward(self) -> None:
        """Add ``∂self/∂node`` into ``node.grad`` for every node of the graph under ``self``.

        Iterative, so a graph of any depth works. Calling it twice without ``zero_grad()`` adds twice.
        """
        from .backprop import backward

        backward(self)

    def zero_grad(self) -> None:
        """Set ``grad`` to 0.0 on every node of the graph under ``self``."""
        from .backprop import topological_order

        for n in topological_order(self):
            n.grad = 0.0

    def detach(self) -> Value:
        """A new leaf with the same number and label, cut off from this graph."""
        leaf = Value(0.0, self.label)
        leaf.data = self.data  # as it is, nan too: detaching is not where a nan comes in
        return leaf

    def nodes(self) -> Iterator[Value]:
        """Every node of the graph under ``self``, inputs before the nodes that use them."""
        from .backprop import topological_order

        return iter(topological_order(self))


class Parameter(Value):
    """A leaf Value that a model trains (``nn`` makes its weights and biases Parameters).

    It behaves exactly like a Value; drawings colour it differently.
    """

    __slots__ = ()


_new = object.__new__


def node(data: float, op: str, parents: tuple[Value, ...]) -> Value:
    """Make the node ``op(*parents)`` whose value is ``data``: the engine's hot path, no checks."""
    v = _new(Value)
    v.data = data
    v.grad = 0.0
    v.label = ""
    v.op = op
    v.parents = parents
    if _node_hook is not None:
        _node_hook(v)
    return v


def constant(x: float) -> Value:
    """An unlabelled leaf for a plain number in an expression, like the 3 in ``3 * v``.

    A plain ``Value``, not a subclass: attribute access in the backward loop is fastest when every
    node has the same type (a second type there cost about a quarter of its speed).
    """
    return node(x, "", ())


def to_float(x: Any, where: str) -> float:
    """``x`` as a float, or a ``TypeError`` that says what ``where`` got and what it takes."""
    if type(x) is float:
        return x
    if isinstance(x, numbers.Real):
        try:
            return float(x)
        except OverflowError:
            raise DomainError(f"{where}: {_short(repr(x))} is too large for a float (largest about 1.8e308)") from None
    if isinstance(x, Value):
        raise TypeError(f"{where} needs a plain number, got a Value ({x!r}); use it directly or x.data")
    shape = getattr(x, "shape", None)
    if shape is not None:
        raise TypeError(
            f"{where}: got an array of shape {tuple(shape)}, but a Value holds one number; "
            "the scalar engine works one number at a time (for arrays use nn.vectorized)"
        )
    raise TypeError(f"{where} needs a real number (int, float or numpy scalar), got {type(x).__name__} {_short(repr(x))}")


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


def _operand(x: Any) -> Any:
    """A plain number on the other side of an operator, as a constant leaf; ``NotImplemented`` otherwise."""
    if type(x) is float:
        return node(x, "", ())  # constant(x), one call shorter: this is on every ``v * 0.5``
    if isinstance(x, numbers.Real):
        return constant(to_float(x, "Value"))
    if getattr(x, "shape", None) is not None:  # an array: say so, rather than numpy's ufunc message
        to_float(x, "Value arithmetic")
    return NotImplemented


def _number(x: Any) -> float:
    if isinstance(x, Value):
        return x.data
    return x if type(x) is float or type(x) is int else to_float(x, "comparison with a Value")
