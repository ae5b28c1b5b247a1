"""Derivatives by reverse mode, asked for as values: of a graph, ``gradients(J, inputs)``; of a
function, ``grad``, ``value_and_grad`` and ``hessian``.

``J.backward()`` adds into every ``.grad``, as in PyTorch; ``gradients`` returns the derivatives and
leaves ``.grad`` alone. ``grad(f)`` returns a new function that computes ``f``'s derivative. It can
be nested: ``grad(grad(f))`` is the second derivative, because the inner derivative is built as a
graph of Values that the outer one differentiates again.
"""

from __future__ import annotations

import functools
import threading
import warnings
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Union

from .._checks import to_float
from ..backprop import fresh_pass, restore, topological_order
from ..modes import enable_grad
from ..value import Value, constant

ArgNums = Union[int, Sequence[int]]


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
    with enable_grad():  # a graph of the derivatives is recorded, even inside the caller's no_grad
        earlier = fresh_pass(order, create_graph, inputs)
    in_graph = set(order)
    result = [x.grad if x in in_graph else 0.0 for x in inputs]
    restore(order, earlier)
    if create_graph:  # a derivative that came out constant is still a Value, as promised
        return [g if isinstance(g, Value) else constant(g) for g in result]
    return [float(g) for g in result]


class _Nesting(threading.local):
    """How many ``grad`` calls are running in this thread. Inside one, derivatives must stay
    connected to the graph (the outer call differentiates them), so they are returned as Values."""

    depth = 0


_nesting = _Nesting()


def _prepare(name: str, f: Callable[..., Any], argnums: ArgNums, args: tuple[Any, ...]) -> tuple[list[Any], list[int]]:
    if not callable(f):
        raise TypeError(f"{name}: f must be callable, got {type(f).__name__}")
    nums = [argnums] if isinstance(argnums, int) else list(argnums)
    for i in nums:
        if not isinstance(i, int) or not -len(args) <= i < len(args):
            raise ValueError(f"{name}: argnums {argnums!r} is out of range for {len(args)} arguments")
    nums = [i % len(args) for i in nums]
    inputs = list(args)
    names = _parameter_names(f)
    for i in nums:
        label = names[i] if i < len(names) else f"x{i}"  # so messages can say which argument
        inputs[i] = _as_values(inputs[i], label, f"{name} argument {i}")
    return inputs, nums


def _as_values(x: Any, label: str, where: str) -> Any:
    """``x`` with every number made a Value labelled by its place (``w.0.1``); lists and tuples keep their shape."""
    if isinstance(x, (list, tuple)):
        return type(x)(_as_values(xi, f"{label}.{j}", f"{where}[{j}]") for j, xi in enumerate(x))
    return x if isinstance(x, Value) else Value(to_float(x, where), label)


def _leaves(x: Any) -> list[Value]:
    """The Values of a (nested) list or tuple of them, in order."""
    return [v for xi in x for v in _leaves(xi)] if isinstance(x, (list, tuple)) else [x]


def _shaped(x: Any, ds: Iterator[Any]) -> Any:
    """The derivatives ``ds`` arranged as the argument ``x`` is: a number for a number, a list for a list."""
    return type(x)(_shaped(xi, ds) for xi in x) if isinstance(x, (list, tuple)) else next(ds)


def _parameter_names(f: Callable[..., Any]) -> tuple[str, ...]:
    code = getattr(f, "__code__", None)
    return code.co_varnames[: code.co_argcount] if code is not None else ()


def _evaluate(name: str, f: Callable[..., Any], argnums: ArgNums, args: tuple[Any, ...]) -> tuple[Any, Any]:
    inputs, nums = _prepare(name, f, argnums, args)
    plain = _nesting.depth == 0 and not any(isinstance(a, Value) for a in _leaves(list(args)))
    _nesting.depth += 1
    try:
        with enable_grad():  # differentiating needs the graph, even inside the caller's no_grad
            out = f(*inputs)
        if not isinstance(out, Value):
            _plain_output(name, out)
        ds = iter(gradients(out, _leaves([inputs[i] for i in nums]), create_graph=not plain))
    finally:
        _nesting.depth -= 1
    value = float(out) if plain else out
    shaped = [_shaped(inputs[i], ds) for i in nums]
    result = shaped[0] if isinstance(argnums, int) else tuple(shaped)
    return value, result


def _plain_output(name: str, out: Any) -> None:
    if isinstance(out, bool) or not isinstance(out, (int, float)):
        raise TypeError(f"{name}: f must return one Value or number, got {type(out).__name__} {out!r:.40}")
    warnings.warn(
        f"{name}: f returned the plain number {out!r}, not a Value, so its derivative is 0. If f uses "
        "math.sin(x), float(x) or x.data, use autograd's functions (autograd.sin(x)) so that the "
        "derivative can be followed; if f really is constant, ignore this.",
        RuntimeWarning,
        stacklevel=4,
    )


def value_and_grad(f: Callable[..., Any], argnums: ArgNums = 0) -> Callable[..., tuple[Any, Any]]:
    """Like ``grad``, but the new function returns ``(f(*args), derivative)``.

    >>> value_and_grad(lambda x, y: x * y, argnums=(0, 1))(3.0, 4.0)
    (12.0, (4.0, 3.0))
    """

    @functools.wraps(f)
    def wrapped(*args: Any) -> tuple[Any, Any]:
        return _evaluate("value_and_grad", f, argnums, args)

    return wrapped


def grad(f: Callable[..., Any], argnums: ArgNums = 0) -> Callable[..., Any]:
    """The derivative of a scalar function ``f`` with respect to argument ``argnums``.

    Args:
        f: a function of numbers that returns one number, written with Value operations
            (``+ * **``, ``autograd.tanh``, ...).
        argnums: which argument to differentiate by, or a tuple of them (then a tuple comes back).

    >>> from autograd import tanh
    >>> grad(lambda x: x ** 3)(2.0)
    12.0
    >>> grad(grad(lambda x: x ** 3))(2.0)
    12.0
    >>> grad(lambda x, y: x * y, argnums=(0, 1))(3.0, 4.0)
    (4.0, 3.0)

    An argument that is a list (or a nested list, or tuple) of numbers gets its derivatives in the same shape:

    >>> grad(lambda w: w[0] * w[1][0] + w[1][1])([2.0, [5.0, 7.0]])
    [5.0, [2.0, 1.0]]
    """

    @functools.wraps(f)
    def wrapped(*args: Any) -> Any:
        return _evaluate("grad", f, argnums, args)[1]

    return wrapped


def hessian(f: Callable[..., Any]) -> Callable[..., list[list[float]]]:
    """The matrix of second derivatives of ``f`` with respect to all its arguments.

    >>> hessian(lambda x, y: x * x * y)(3.0, 2.0)
    [[4.0, 6.0], [6.0, 0.0]]
    """

    def wrapped(*args: Any) -> list[list[float]]:
        if not args:
            raise ValueError("hessian: f needs at least one argument")
        first = grad(f, argnums=tuple(range(len(args))))
        inputs = [Value(to_float(a, f"hessian argument {i}")) for i, a in enumerate(args)]
        _nesting.depth += 1
        try:
            row_outputs = first(*inputs)
        finally:
            _nesting.depth -= 1
        return [gradients(d, inputs) for d in row_outputs]

    return wrapped
