"""What code compiled with ``backend="numpy"`` calls: the engine's forwards on arrays of examples.

Each per-example number of the scalar code becomes an array with one entry per example. The
float forwards of ``floats.py`` are written again for arrays with the same formulas (the two
branches of ``sigmoid``, the rearranged ``softplus``), so each entry is the float the scalar code
computes, up to numpy's own ``exp`` and ``log``, which may differ from the C library's in the last
bit. A forward or rule that only takes one number at a time runs once per example (``each``).
Imported only by compiled numpy code, so ``import autograd`` does not import numpy.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

#: Errors, not warnings, for what the engine raises on: the compiled function then asks the engine
#: which op and which example, and raises the engine's own error. Underflow to 0 is no error.
ERRORS = {"divide": "raise", "over": "raise", "invalid": "raise", "under": "ignore"}


def sigmoid(x: Any) -> Any:
    """``floats.sigmoid`` on an array: ``1 / (1 + e^-x)`` for ``x >= 0``, ``e^x / (1 + e^x)`` below.

    >>> sigmoid(np.array([0.0, 800.0, -800.0])).tolist()
    [0.5, 1.0, 0.0]
    """
    e = np.exp(-np.abs(x))  # e^-x above 0, e^x below: never overflows
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def softplus(x: Any) -> Any:
    """``floats.softplus`` on an array: ``max(x, 0) + log1p(e^-|x|)``.

    >>> softplus(np.array([0.0, 1000.0])).tolist()
    [0.6931471805599453, 1000.0]
    """
    return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))


def _columns(args: tuple[Any, ...]) -> list[list[Any]]:
    """Each argument as a list with one entry per example (a number given once is repeated)."""
    shape = np.broadcast_shapes(*(np.shape(a) for a in args))
    return [np.broadcast_to(a, shape).tolist() for a in args]


def each(fn: Callable[..., float], *args: Any) -> np.ndarray:
    """``fn`` (a forward on floats) applied to each example's numbers.

    >>> each(lambda x, y: x * y, np.array([1.0, 2.0]), 3.0).tolist()
    [3.0, 6.0]
    """
    return np.array([fn(*numbers) for numbers in zip(*_columns(args))])


def each_rule(rule: Callable[..., tuple[Any, ...]], *args: Any) -> tuple[np.ndarray, ...]:
    """A rule's local derivatives, computed per example: one array per input.

    An entry that is not a number (the rules' ``UNDEFINED``) makes an object array, which raises
    where it is multiplied, as the engine does.

    >>> [d.tolist() for d in each_rule(lambda ans, x, y: (y, x), np.array([2.0, 6.0]), np.array([1.0, 2.0]), 2.0)]
    [[2.0, 2.0], [1.0, 2.0]]
    """
    rows = [rule(*numbers) for numbers in zip(*_columns(args))]
    return tuple(np.array(column) for column in zip(*rows))


def total(x: Any, m: int) -> float:
    """The sum over the ``m`` examples of ``x``: an array with one entry each, or one number for all.

    >>> total(np.array([1.0, 2.0, 3.0]), 3), total(0.5, 4)
    (6.0, 2.0)
    """
    return float(x.sum()) if isinstance(x, np.ndarray) else x * m


def total_product(g: Any, d: Any, m: int) -> float:
    """``total(g * d, m)``, in one ``np.dot`` when both are arrays (no array of products made).

    >>> total_product(np.array([1.0, 2.0]), np.array([3.0, 4.0]), 2), total_product(2.0, np.array([1.0, 1.0]), 2)
    (11.0, 4.0)
    """
    if isinstance(g, np.ndarray) and isinstance(d, np.ndarray):
        return float(np.dot(g, d))
    return total(g * d, m)


def spread(x: Any, m: int) -> np.ndarray:
    """``x`` as an array with one entry per example (a number that is the same for all, repeated).

    >>> spread(2.0, 3).tolist()
    [2.0, 2.0, 2.0]
    """
    return np.array(np.broadcast_to(x, (m,)), dtype=float)


#: The names compiled numpy code uses for these functions (see ``inline.VECTOR_FUNCTIONS``).
HELPERS: dict[str, Any] = {
    "_where": np.where,
    "_np_abs": np.abs,
    "_np_exp": np.exp,
    "_np_log": np.log,
    "_np_sqrt": np.sqrt,
    "_np_sin": np.sin,
    "_np_cos": np.cos,
    "_np_tanh": np.tanh,
    "_np_sigmoid": sigmoid,
    "_np_softplus": softplus,
    "_each": each,
    "_each_rule": each_rule,
    "_total": total,
    "_total_product": total_product,
    "_spread": spread,
}
