"""What array code calls at run time: the engine's float formulas on arrays, and the per-example fallbacks.

Imported only by compiled numpy and JAX code (``array_code.py`` binds these names), so ``import
autograd`` does not import numpy.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def sigmoid(xp: Any, x: Any) -> Any:
    """``forwards.sigmoid`` on arrays: ``1 / (1 + e^-x)`` above 0, ``e^x / (1 + e^x)`` below."""
    e = xp.exp(-xp.abs(x))
    return xp.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def softplus(xp: Any, x: Any) -> Any:
    """``forwards.softplus`` on arrays: ``max(x, 0) + log1p(e^-|x|)``."""
    return xp.maximum(x, 0.0) + xp.log1p(xp.exp(-xp.abs(x)))


def indices(where: Any, size: int) -> Any:
    """Where ``take`` reads, as an index array (for JAX's functional updates)."""
    flat = np.arange(size)
    if isinstance(where, int):
        return where
    if where[0] == "matrix":
        _, start, rows, stride, n = where
        return start + stride * np.arange(rows)[:, None] + np.arange(n)[None, :]
    if where[0] == "strided":
        _, start, rows, stride = where
        return start + stride * np.arange(rows)
    return flat[where[0] : where[1]]


def each(fn: Any, *args: Any) -> np.ndarray:
    """``fn`` (a forward on floats) applied to each example's numbers."""
    return np.frompyfunc(fn, len(args), 1)(*args).astype(float)


def each_rule(rule: Any, *args: Any) -> Any:
    """A rule's local derivatives, computed for each example: one array per input."""
    shape = np.broadcast_shapes(*(np.shape(a) for a in args))
    columns = [np.broadcast_to(a, shape).ravel().tolist() for a in args]
    rows = [rule(*numbers) for numbers in zip(*columns)]
    return tuple(np.array([float(d) for d in column]).reshape(shape) for column in zip(*rows))


def place(xp: Any, term: Any, lane: int, shape: tuple[int, ...]) -> Any:
    """An array of zeros with ``term`` in row ``lane``: one lane's part of a layer's gradient."""
    zeros = xp.zeros(shape)
    return zeros.at[lane].set(term) if hasattr(zeros, "at") else _set(zeros, lane, term)


def _set(zeros: np.ndarray, lane: int, term: Any) -> np.ndarray:
    zeros[lane] = term
    return zeros


def jit(fn: Any, plan: Any) -> Any:
    """``fn`` under ``jax.jit`` (``_m`` static), its results as numpy arrays."""
    import jax

    jitted = jax.jit(fn, static_argnums=(len(plan.args) + bool(plan.live),))

    def run(*args: Any) -> Any:
        value, grads = jitted(*args)
        return np.asarray(value), [np.asarray(g) for g in grads]

    return run
