"""The arguments of a compiled function: their structure, their numbers, checked and flattened.

An argument has the structure of the example it was traced at: a number, or a list (or tuple, or
1-D array) of them, nested; ``None`` stands for a number in a structure. Per-example arguments of a
batch are lists with one entry per example, or arrays with the examples along their last axis.
"""

from __future__ import annotations

import math
from typing import Any

from .._checks import describe, to_float
from ..errors import DomainError
from ..value import Value, node

Structure = Any  # None for one number, else a list with one structure per element
_FLOAT = frozenset({float})


def structure(x: Any, label: str, where: str, leaves: list[Value]) -> tuple[Structure, Any]:
    """The structure of the example ``x``, and ``x`` rebuilt from leaves (appended to ``leaves``): a
    number becomes a new leaf labelled ``w[0]``, a Value that is a leaf is kept (a model's parameter).

    >>> leaves = []
    >>> structure([1.0, [2, 3]], "w", "f", leaves)[0], [v.label for v in leaves]
    ([None, [None, None]], ['w[0]', 'w[1][0]', 'w[1][1]'])
    """
    if isinstance(x, Value):
        if x.parents:
            raise ValueError(f"{where}: {label} is a Value computed by {x.op!r} from others; pass leaves (numbers, or Values you made, like a model's parameters)")  # fmt: skip
        leaves.append(x)
        return None, x
    x = x.tolist() if hasattr(x, "tolist") and getattr(x, "ndim", 0) >= 1 else x
    if isinstance(x, (list, tuple)) and x and _FLOAT.issuperset(map(type, x)) and not any(map(math.isnan, x)):
        made = [node(e, "", ()) for e in x]  # floats, quickly
        for i, leaf in enumerate(made):
            leaf.label = f"{label}[{i}]"
        leaves += made
        return [None] * len(made), made
    if isinstance(x, (list, tuple)):
        parts = [structure(e, f"{label}[{i}]", where, leaves) for i, e in enumerate(x)]
        return [s for s, _ in parts], [v for _, v in parts]
    number = to_float(x, f"{where} {label}")
    if math.isnan(number):
        raise DomainError(f"{where}: {label} is nan, which is not a number (often a missing value in the data)")
    leaves.append(Value(number, label))
    return None, leaves[-1]


def flat(x: Any, shape: Structure, where: str) -> Any:
    """The numbers of ``x``, which has the structure ``shape``: a float, or a flat list of floats.

    >>> flat([1, [2.0, 3.0]], [None, [None, None]], "f w"), flat(Value(2.0), None, "f b")
    ([1.0, 2.0, 3.0], 2.0)
    """
    if shape is None:
        return float(x) if isinstance(x, Value) else to_float(x, where)  # float(): a trace hears of it
    array = hasattr(x, "tolist") and getattr(x, "ndim", 0) >= 1
    if not array and not isinstance(x, (list, tuple)):
        raise TypeError(f"{where} must be a list of {len(shape)} numbers, like the example it was compiled at; got {describe(x)}")  # fmt: skip
    if len(x) != len(shape):  # an array's length known before its numbers are read
        raise ValueError(f"{where} has {len(x)} entries; it was compiled for {len(shape)}")
    x = x.tolist() if array else x
    if _FLOAT.issuperset(map(type, x)) and all(s is None for s in shape):  # the usual case: as it is
        return x
    out: list[float] = []
    for i, (e, s) in enumerate(zip(x, shape)):
        numbers = flat(e, s, f"{where}[{i}]")
        out.extend([numbers] if s is None else numbers)
    return out


def examples(x: Any, shape: Structure, where: str) -> Any:
    """A per-example argument for the python backend: one ``flat`` entry per example. A list has one
    entry per example, in the structure it was compiled at; an array has the examples along its
    last axis (the course's ``X`` of shape ``(n_x, m)``), as for numpy.

    >>> import numpy as np
    >>> examples([[1, 2], [3, 4]], [None, None], "f x"), examples(np.array([[1.0, 2.0], [3.0, 4.0]]), [None, None], "f x")
    ([[1.0, 2.0], [3.0, 4.0]], [[1.0, 3.0], [2.0, 4.0]])
    """
    if hasattr(x, "tolist") and getattr(x, "ndim", 0) >= 1:
        columns = rows(x, shape, where).T.tolist()
        return [e[0] for e in columns] if shape is None else columns
    if not isinstance(x, (list, tuple)):
        raise TypeError(f"{where} is per example: a list with one entry per example, or an array with the examples along its last axis; got {describe(x)}")  # fmt: skip
    if shape is None and _FLOAT.issuperset(map(type, x)):
        return x
    return [flat(e, shape, f"{where}[{i}]") for i, e in enumerate(x)]


def rows(x: Any, shape: Structure, where: str) -> Any:
    """A per-example argument for numpy and JAX: an array of shape ``(n, m)``, one column per example
    (``n`` numbers in ``shape``). A list has one entry per example, read as ``examples`` reads it.

    >>> rows([[1, 2], [3, 4], [5, 6]], [None, None], "f x").tolist()
    [[1.0, 3.0, 5.0], [2.0, 4.0, 6.0]]
    """
    import numpy as np

    n = _size(shape)
    real(x, where)
    if isinstance(x, (list, tuple)):  # the examples' numbers, one row each, then turned
        x = np.asarray(examples(x, shape, where), dtype=float).reshape(len(x), n).T
    try:
        a = np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{where} must be an array of numbers with the examples along its last axis, or a list of examples; got {describe(x)}") from None  # fmt: skip
    if a.ndim == 0 or a.shape[-1] == 0 or a.size != n * a.shape[-1] or (a.ndim == 2 and a.shape[0] != n):
        transposed = " (this one looks transposed: pass X.T)" if a.ndim == 2 and a.shape[-1] == n else ""
        raise ValueError(f"{where} has shape {a.shape}; it must hold {n} number{'s' * (n != 1)} per example, with the examples along the last axis: shape ({n}, m), like the course's X of shape (n_x, m){transposed}")  # fmt: skip
    return a.reshape(n, a.shape[-1])


def real(x: Any, where: str) -> Any:
    """``x``, checked to hold real numbers if it is an array (numpy's, JAX's): complex numbers, text
    or dates are refused, as the engine refuses them, rather than cast (numpy drops an imaginary part).

    >>> import numpy as np
    >>> real(np.array([1.0 + 2j]), "f x")
    Traceback (most recent call last):
    TypeError: f x has dtype complex128; it must hold real numbers (floats or integers)
    """
    if getattr(getattr(x, "dtype", None), "kind", "f") not in "biufO":
        raise TypeError(f"{where} has dtype {x.dtype}; it must hold real numbers (floats or integers)")
    return x


def nest(numbers: Any, shape: Structure) -> Any:
    """A flat list of numbers put back into ``shape`` (the inverse of ``flat``).

    >>> nest([1.0, 2.0, 3.0], [None, [None, None]])
    [1.0, [2.0, 3.0]]
    """
    if shape is None or all(s is None for s in shape):
        return numbers
    out, it = [], iter(numbers)
    for s in shape:
        out.append(next(it) if s is None else nest([next(it) for _ in range(_size(s))], s))
    return out


def _size(shape: Structure) -> int:
    return 1 if shape is None else sum(map(_size, shape))
