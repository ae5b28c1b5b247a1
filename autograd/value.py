"""The ``Value`` node: one number, its gradient, and the operation that produced it."""

from __future__ import annotations

import numbers
import operator
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Union

from . import backprop, forwards
from ._checks import describe, not_a_number, to_float
from .backprop import CONSTANT
from .errors import DomainError
from .modes import HOOKS
from .rules import PRIMITIVES, arity

Number = Union[int, float]
Operand = Union["Value", int, float]


class Value:
    """A scalar in a computation graph: ``Value(5.0, label="a")``, from any real number.

    >>> a, b, c = Value(5.0, label="a"), Value(3.0, label="b"), Value(2.0, label="c")
    >>> J = 3 * (a + b * c)
    >>> J.backward()
    >>> J.data, a.grad, b.grad, c.grad
    (33.0, 3.0, 6.0, 9.0)
    """

    __slots__ = ("data", "grad", "label", "op", "parents")

    data: float  # the number
    grad: Any  # ∂output/∂self, added by backward(); 0.0 at first (a Value in higher-order passes)
    label: str  # a name shown in reprs and drawings, "" if none
    op: str  # the primitive that made this node, "" for a leaf
    parents: tuple[Value, ...]  # the inputs of that primitive, in argument order

    def __init__(self, data: Number, label: str = "") -> None:
        if not isinstance(label, str):
            raise TypeError(f"Value label must be a str, got {describe(label)}")
        self.data = data if type(data) is float else to_float(data, "Value")
        if self.data != self.data:
            raise DomainError("Value: got nan, which is not a number (often a missing value in the data)")
        self.grad = 0.0
        self.label = label
        self.op = ""
        self.parents = ()

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        op = f", op={self.op!r}" if self.op else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label}{op})"

    # Arithmetic: a node whose parents are the operands in order. A plain number becomes a constant.

    def __add__(self, other: Operand) -> Value:
        other = other if isinstance(other, Value) else _operand(other, "+")
        return node(self.data + other.data, "+", (self, other))

    def __radd__(self, other: Number) -> Value:
        return _operand(other, "+") + self

    def __sub__(self, other: Operand) -> Value:
        other = other if isinstance(other, Value) else _operand(other, "-")
        return node(self.data - other.data, "-", (self, other))

    def __rsub__(self, other: Number) -> Value:
        return _operand(other, "-") - self

    def __mul__(self, other: Operand) -> Value:
        other = other if isinstance(other, Value) else _operand(other, "*")
        return node(self.data * other.data, "*", (self, other))

    def __rmul__(self, other: Number) -> Value:
        return _operand(other, "*") * self

    def __truediv__(self, other: Operand) -> Value:
        other = other if isinstance(other, Value) else _operand(other, "/")
        return node(forwards.divide(self.data, other.data), "/", (self, other))

    def __rtruediv__(self, other: Number) -> Value:
        return _operand(other, "/") / self

    def __pow__(self, other: Operand) -> Value:
        other = other if isinstance(other, Value) else _operand(other, "**")
        return node(forwards.power(self.data, other.data), "**", (self, other))

    def __rpow__(self, other: Number) -> Value:
        return _operand(other, "**") ** self

    def __neg__(self) -> Value:
        return node(-self.data, "neg", (self,))

    def __abs__(self) -> Value:
        return node(abs(self.data), "abs", (self,))

    def __pos__(self) -> Value:
        return self  # +v is v, as for numbers: no node

    def __float__(self) -> float:
        if HOOKS.tracer is not None:  # compile traces in some thread: a float would leave the graph
            HOOKS.tracer.convert(self)
        return self.data

    # Comparisons look at the numbers; ``==`` and ``hash`` stay identity so Values work in sets and dicts.

    def __lt__(self, other: Operand) -> bool:
        return self.data < _number(other, self, "<")

    def __le__(self, other: Operand) -> bool:
        return self.data <= _number(other, self, "<=")

    def __gt__(self, other: Operand) -> bool:
        return self.data > _number(other, self, ">")

    def __ge__(self, other: Operand) -> bool:
        return self.data >= _number(other, self, ">=")

    # The passes over the graph: the algorithm is backprop.py's, the node's methods call it.

    def backward(self, gradient: float = 1.0) -> None:
        """Add ``gradient · ∂self/∂node`` into ``node.grad`` for every node of the graph under ``self``.

        ``gradient`` is the seed, ``∂L/∂self`` when ``self`` is itself a step on the way to a loss
        ``L`` (as in PyTorch); it is 1 for the output itself. Iterative, so a graph of any depth
        works. Calling it twice without ``zero_grad()`` adds twice, and never more.

        >>> x = Value(3.0)
        >>> y = x * x
        >>> y.backward(gradient=0.5)
        >>> x.grad
        3.0
        """
        backprop.backward(self, gradient)

    def zero_grad(self) -> None:
        """Set ``grad`` to 0.0 on every node of the graph under ``self``."""
        backprop.zero_grad(self)

    def nodes(self) -> list[Value]:
        """Every node of the graph under ``self``, each after the nodes it is computed from (``self`` last).

        >>> x = Value(2.0, label="x")
        >>> [v.label or v.op for v in (x * 3).nodes()]
        ['x', '', '*']
        """
        return backprop.topological_order(self)

    if TYPE_CHECKING:  # the primitives' methods (v.tanh(), ...) are made from the table below

        def __getattr__(self, op: str) -> Callable[[], Value]: ...

        def _primitive(self) -> Value: ...

        # named too, for class attributes (``Value.relu``), which __getattr__ does not cover
        exp = log = sqrt = log1p = expm1 = log2 = log10 = sin = cos = tan = asin = acos = atan = _primitive
        sinh = cosh = tanh = asinh = acosh = atanh = sigmoid = softplus = relu = leaky_relu = _primitive

    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        """Numpy's habits on Values: ``np.exp(v)``, ``np.tanh(v)``, ``np.float64(2) * v`` (``numpy_ufunc``, below).

        >>> import numpy as np
        >>> x = Value(0.5)
        >>> y = np.tanh(x) * np.exp(x)
        >>> y.backward()
        >>> round(y.data, 6), round(x.grad, 6)
        (0.761902, 2.058535)
        """
        return numpy_ufunc(ufunc, method, inputs, kwargs)

    def detach(self) -> Value:
        """A new leaf with the same number and label, cut off from this graph."""
        if HOOKS.tracer is not None and (cut := HOOKS.tracer.detach(self)) is not None:
            return cut  # traced by compile: a cut it can see (no gradient flows through it)
        leaf = Value(0.0, self.label)
        leaf.data = self.data  # as it is, nan too: detaching is not where a nan comes in
        return leaf


class Parameter(Value):
    """A leaf Value that a model trains (``nn`` makes its weights and biases Parameters).

    It behaves exactly like a Value; drawings colour it differently.
    """

    __slots__ = ()


_new = object.__new__


def node(data: float, op: str, parents: tuple[Value, ...]) -> Value:
    """Make the node ``op(*parents)`` whose value is ``data``: the engine's hot path, no checks.

    While ``no_grad`` or ``detect_anomaly`` is on in some thread, ``HOOKS.node`` sees every new node
    (``modes.py``); otherwise it is None, and that one check is all the modes cost.
    """
    v = _new(Value)
    v.data = data
    v.grad = 0.0
    v.label = ""
    v.op = op
    v.parents = parents
    if HOOKS.node is not None:
        HOOKS.node(v)
    return v


def constant(x: float) -> Value:
    """An unlabelled leaf for a plain number in an expression, like the 3 in ``3 * v``.

    A plain ``Value``, not a subclass: attribute access in the backward loop is fastest when every
    node has the same type (a second type there cost about a quarter of its speed).
    """
    return node(x, "", CONSTANT)


def _operand(x: Any, op: str) -> Value:
    """A plain number on the other side of an operator, as a constant; anything else is a TypeError."""
    if type(x) is float:
        return node(x, "", CONSTANT)  # constant(x), one call shorter: this is on every ``v * 0.5``
    if isinstance(x, numbers.Real):
        return constant(to_float(x, "Value"))
    if isinstance(x, Value):
        return x
    raise not_a_number(x, f"{op} with a Value")


def _number(x: Any, v: Value, op: str) -> float:
    """The number ``v`` is compared with (``v < x``), after the compare hook has seen the comparison."""
    if HOOKS.tracer is not None:  # autograd.compile is tracing in some thread (modes.tracing)
        HOOKS.tracer.compare(v, op, x)
    if isinstance(x, Value):
        return x.data
    return x if type(x) is float or type(x) is int else to_float(x, "comparison with a Value")


#: Numpy's ufuncs whose name is not the table's; every other one-input primitive has numpy's name (exp, tanh).
UFUNC_OPS = {"negative": "neg", "absolute": "abs"}
UFUNC_OPS.update({f"arc{f}": f"a{f}" for f in ("sin", "cos", "tan", "sinh", "cosh", "tanh")})
_OPERATORS: dict[str, Callable[..., Any]] = dict(add=operator.add, subtract=operator.sub, multiply=operator.mul)
_OPERATORS.update(divide=operator.truediv, power=operator.pow, positive=operator.pos)
_OPERATORS.update(equal=operator.is_, not_equal=operator.is_not)  # ``==`` on Values is identity
_INSTEAD = {"square": "x * x", "reciprocal": "1 / x", "maximum": "autograd.relu(x) for max(x, 0)", "exp2": "2 ** x"}
#: A comparison, and the same one seen from the right-hand side: numpy may put the Value second.
_COMPARISONS = {"less": (operator.lt, operator.gt), "less_equal": (operator.le, operator.ge)}
_COMPARISONS.update(greater=(operator.gt, operator.lt), greater_equal=(operator.ge, operator.le))


def numpy_ufunc(ufunc: Any, method: str, inputs: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """What numpy's ``ufunc`` means on Values: a primitive's node, an operator, or a comparison of numbers.

    Beside an object array, numpy's own loop runs (it calls the Values' operators and methods). A ufunc
    without a rule, plain arrays, keywords (``out=``) and ``np.add.reduce`` are TypeErrors saying what works.
    """
    import numpy as np  # loaded already: numpy is the caller

    name = ufunc.__name__
    if any(isinstance(x, np.ndarray) and x.dtype == object for x in inputs):
        return getattr(ufunc, method)(*[np.asarray(x, object) if isinstance(x, Value) else x for x in inputs], **kwargs)
    if method != "__call__" or kwargs:
        raise TypeError(f"np.{name}.{method}({', '.join(kwargs)}) on a Value: only np.{name}(...) itself works")
    inputs = tuple(x[()] if isinstance(x, np.ndarray) and x.ndim == 0 else x for x in inputs)  # numpy's 0-d scalars
    for x in inputs:
        if not isinstance(x, (Value, numbers.Real)):
            raise not_a_number(x, f"np.{name} with a Value")
    op = UFUNC_OPS.get(name, name)
    if op in PRIMITIVES and arity(op) == (1, 1):
        return node(PRIMITIVES[op].forward(inputs[0].data), op, inputs)
    if name in _OPERATORS:
        return _OPERATORS[name](*[x if isinstance(x, Value) else _operand(x, name) for x in inputs])
    if name in _COMPARISONS:
        a, b = inputs
        return _COMPARISONS[name][0](a, b) if isinstance(a, Value) else _COMPARISONS[name][1](b, a)
    ufuncs = {u.__name__ for u in vars(np).values() if isinstance(u, np.ufunc)}
    works = sorted(n for n in ufuncs if UFUNC_OPS.get(n, n) in PRIMITIVES or n in _OPERATORS and "equal" not in n)
    raise TypeError(
        f"np.{name} has no derivative rule in the engine, so it cannot take a Value; use "
        f"{_INSTEAD.get(name, 'Value operations (+ - * / **) and autograd functions (autograd.relu, ...)')}. "
        f"These work on Values: {', '.join('np.' + n for n in works)}"
    )


def _method(op: str) -> Callable[[Value], Value]:
    """The method ``v.op()``: the node ``op(v)``, its number computed by the table's forward."""
    forward = PRIMITIVES[op].forward

    def method(self: Value) -> Value:
        return node(forward(self.data), op, (self,))

    method.__name__, method.__qualname__ = op, f"Value.{op}"
    method.__doc__ = f"The node ``{op}(self)``; the same as ``autograd.{op}(self)``."
    return method


# Every one-input primitive of the table is a method, ``v.tanh()``; ``-v`` and ``abs(v)`` are its operators.
for _op in PRIMITIVES:
    if _op.isidentifier() and arity(_op) == (1, 1) and _op not in ("neg", "abs"):
        setattr(Value, _op, _method(_op))
