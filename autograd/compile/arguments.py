"""The arguments of a compiled function: their structure, their numbers, checked and flattened.

A compiled function takes arguments with the structure of the example it was traced at: a
number, or a list (or tuple, or 1-D array) of them, nested. ``structure`` records it and makes
the leaves that tracing uses; ``flat`` checks an argument against it and returns its numbers as
one flat list, which is what the generated code unpacks; ``nest`` puts a flat list of gradients
back into the structure. Per-example arguments of a batch are sequences of such examples
(``examples``), or, for numpy, one array with the examples along its last axis (``rows``).
"""

from __future__ import annotations

import math
from typing import Any

from .._checks import describe, to_float
from ..value import Value, node

Structure = Any  # None for one number, else a list with one structure per element
_FLOATS = frozenset({float})


def structure(x: Any, label: str, where: str, leaves: list[Value]) -> tuple[Structure, Any]:
    """The structure of the example ``x`` and ``x`` rebuilt from leaves (appended to ``leaves``).

    A number becomes a new leaf labelled ``label`` (``w[0]``); a Value that is a leaf is used as
    it is, so a model's own parameters can be an argument.

    >>> leaves = []
    >>> structure([1.0, [2, 3]], "w", "f", leaves)[0], [v.label for v in leaves]
    ([None, [None, None]], ['w[0]', 'w[1][0]', 'w[1][1]'])
    """
    if isinstance(x, Value):
        if x.parents:
            raise ValueError(
                f"{where}: {label} is a Value computed by {x.op!r} from others; pass leaves "
                "(numbers, or Values you made, like a model's parameters)"
            )
        leaves.append(x)
        return None, x
    if hasattr(x, "tolist") and getattr(x, "ndim", 0) >= 1:  # a numpy array: its numbers, as lists
        x = x.tolist()
    if (
        isinstance(x, (list, tuple)) and x and _FLOATS.issuperset(map(type, x)) and not any(map(math.isnan, x))
    ):  # floats: quickly
        made = [node(e, "", ()) for e in x]
        for i, leaf in enumerate(made):
            leaf.label = f"{label}[{i}]"
        leaves += made
        return [None] * len(made), made
    if isinstance(x, (list, tuple)):
        parts = [structure(e, f"{label}[{i}]", where, leaves) for i, e in enumerate(x)]
        return [s for s, _ in parts], [v for _, v in parts]
    leaf = Value(to_float(x, f"{where} {label}"), label)
    leaves.append(leaf)
    return None, leaf


def flat(x: Any, shape: Structure, where: str) -> Any:
    """The numbers of ``x``, shaped like ``shape``: a float for a number, else a flat list of floats.

    >>> flat([1, [2.0, 3.0]], [None, [None, None]], "f w"), flat(Value(2.0), None, "f b")
    ([1.0, 2.0, 3.0], 2.0)
    """
    if shape is None:
        return x.data if isinstance(x, Value) else to_float(x, where)
    if hasattr(x, "tolist") and getattr(x, "ndim", 0) >= 1:
        x = x.tolist()
    if not isinstance(x, (list, tuple)):
        raise TypeError(
            f"{where} must be a list of {len(shape)} numbers, like the example it was compiled at; got {describe(x)}"
        )
    if len(x) != len(shape):
        raise ValueError(f"{where} has {len(x)} entries; it was compiled for {len(shape)}")
    if all(s is None for s in shape):
        if _FLOATS.issuperset(map(type, x)):  # the usual case, checked in C
            return x
        return [e.data if isinstance(e, Value) else to_float(e, f"{where}[{i}]") for i, e in enumerate(x)]
    out: list[float] = []
    for i, (e, s) in enumerate(zip(x, shape)):
        numbers = flat(e, s, f"{where}[{i}]")
        out.extend([numbers] if s is None else numbers)
    return out


def examples(x: Any, shape: Structure, where: str) -> list[Any] | tuple[Any, ...]:
    """A per-example argument of a batch, for the python backend: one ``flat`` entry per example.

    One layout for every backend: a list has one entry per example; an array has the examples
    along its last axis (the course's ``X`` of shape ``(n_x, m)``), so its columns are the examples.

    >>> examples([[1, 2], [3, 4]], [None, None], "f x")
    [[1.0, 2.0], [3.0, 4.0]]
    >>> import numpy as np
    >>> examples(np.array([[1.0, 2.0], [3.0, 4.0]]), [None, None], "f x")
    [[1.0, 3.0], [2.0, 4.0]]
    """
    if hasattr(x, "tolist") and getattr(x, "ndim", 0) >= 1:
        x = rows(x, len(shape) if isinstance(shape, list) else 1, where).T.tolist()
        if shape is None:
            x = [e[0] for e in x]
    if not isinstance(x, (list, tuple)):
        raise TypeError(
            f"{where} is per example: a list with one entry per example, or an array with the examples along its last axis; got {describe(x)}"
        )
    if shape is None and _FLOATS.issuperset(map(type, x)):
        return x
    return [flat(e, shape, f"{where}[{i}]") for i, e in enumerate(x)]


def rows(x: Any, n: int, where: str) -> Any:
    """A per-example argument for numpy and JAX: an array of shape ``(n, m)``, one column per example
    (the course's ``X`` of shape ``(n_x, m)``). A list has one entry per example (it is transposed).

    >>> rows([1.0, 0.0, 1.0], 1, "f y").tolist()
    [[1.0, 0.0, 1.0]]
    >>> rows([[1, 2], [3, 4], [5, 6]], 2, "f x").tolist()
    [[1.0, 3.0, 5.0], [2.0, 4.0, 6.0]]
    """
    import numpy as np

    listed = not hasattr(x, "ndim")
    try:
        a = np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(
            f"{where} must be an array of numbers with the examples along its last axis, or a list of examples; got {describe(x)}"
        ) from None
    if listed and a.ndim == 2:  # a list of examples: one row each
        a = a.T
    if a.ndim == 0 or a.shape[-1] == 0 or a.size != n * a.shape[-1] or (a.ndim == 2 and a.shape[0] != n):
        raise ValueError(
            f"{where} has shape {a.shape}; it must hold {n} number{'s' if n != 1 else ''} per example, "
            f"with the examples along the last axis: shape ({n}, m), like the course's X of shape (n_x, m)"
            + (" (this one looks transposed: pass X.T)" if a.ndim == 2 and a.shape[-1] == n else "")
        )
    return a.reshape(n, a.shape[-1])


def nest(numbers: Any, shape: Structure) -> Any:
    """A flat list of numbers put back into ``shape`` (the inverse of ``flat``).

    >>> nest([1.0, 2.0, 3.0], [None, [None, None]])
    [1.0, [2.0, 3.0]]
    """
    if shape is None or all(s is None for s in shape):
        return numbers
    out, i = [], 0
    for s in shape:
        size = _size(s)
        out.append(numbers[i] if s is None else nest(numbers[i : i + size], s))
        i += size
    return out


def _size(shape: Structure) -> int:
    return 1 if shape is None else sum(_size(s) for s in shape)
