"""The course's data layout for numpy, and the checks that keep to it: ``X`` of shape ``(n_x, m)``,
one COLUMN per example, and labels ``Y`` of shape ``(1, m)``, each 0 or 1.

``nn.vectorized`` (logistic regression) and ``nn.deep`` (the two-layer and L-layer networks) read
their arrays through these functions, so a learner gets the same message wherever an array is
off: its shape and the shape expected, an ``X`` with one ROW per example (scikit-learn's layout)
reported as transposed, the first label that is not 0 or 1, the first NaN or infinity.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.extend import describe

TRANSPOSED = "X looks transposed: the course's layout is X of shape (n_x, m); pass X.T"


def shape_error(where: str, name: str, expected: str, actual: tuple[int, ...], hint: str = "") -> ValueError:
    """The ``ValueError`` for an array of the wrong shape.

    >>> print(shape_error("propagate", "w", "(n_x, 1) = (2, 1)", (3, 1)))
    propagate: w must have shape (n_x, 1) = (2, 1), got shape (3, 1)
    """
    return ValueError(f"{where}: {name} must have shape {expected}, got shape {actual}{hint}")


def as_numbers(where: str, name: str, value: Any) -> np.ndarray:
    """``value`` as an array of floats (not copied if it is one), or a ``ValueError`` saying what kept it from being one.

    >>> as_numbers("propagate", "X", [[1, 2], [3, 4]]).dtype
    dtype('float64')
    """
    try:
        array = np.asarray(value)
    except ValueError:  # numpy cannot build an array from rows of different lengths
        raise ValueError(
            f"{where}: {name} is ragged (its rows have different lengths), got {describe(value)}; "
            "it must be a rectangular array of numbers"
        ) from None
    if array.dtype.kind not in "biuf":
        raise ValueError(
            f"{where}: {name} holds {array.dtype} values, got {describe(value)}; "
            "it must be an array of real numbers (convert text columns to numbers first)"
        )
    # Not astype(float), which always copies: at the course's 12288 x 209 that copy alone took
    # as long as the whole vectorized step.
    return np.asarray(array, dtype=float)


def examples(where: str, X: Any) -> np.ndarray:
    """``X`` as a float array of shape ``(n_x, m)`` with at least one example."""
    X = as_numbers(where, "X", X)
    if X.ndim != 2:
        raise shape_error(where, "X", "(n_x, m), one column per example", X.shape)
    if X.shape[1] == 0:
        raise ValueError(f"{where}: got no examples (X has shape {X.shape}; one column per example)")
    return X


def check_finite(where: str, name: str, array: np.ndarray) -> None:
    """A ``ValueError`` naming the first NaN or infinite entry of ``array``, if it has one.

    >>> check_finite("propagate", "X", np.array([[1.0, np.inf]]))
    Traceback (most recent call last):
    ...
    ValueError: propagate: X[0, 1] is inf (1 entry is NaN or infinite); every entry of X must be a finite number (look for missing values or an overflow)
    """
    bad = ~np.isfinite(array)
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        count = int(bad.sum())
        entries = "1 entry is" if count == 1 else f"{count} entries are"
        raise ValueError(
            f"{where}: {name}{list(index)} is {float(array[index])!r} ({entries} NaN or infinite); "
            f"every entry of {name} must be a finite number (look for missing values or an overflow)"
        )


def check_labels(where: str, Y: np.ndarray) -> None:
    """A ``ValueError`` naming the first label that is not 0 or 1 (and how to turn ±1 into 0/1)."""
    bad = (Y != 0.0) & (Y != 1.0)
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        hint = " (turn labels ±1 into 0/1 with (Y + 1) / 2)" if np.isin(Y, (-1.0, 1.0)).all() else ""
        raise ValueError(f"{where}: label Y{list(index)} is {float(Y[index])!r}; labels must be 0 or 1{hint}")


def labels(where: str, Y: Any, X: np.ndarray) -> np.ndarray:
    """``Y`` checked against ``X``: shape ``(1, m)`` and every label 0 or 1.

    >>> labels("fit", [[1, 0, 1]], np.zeros((2, 3)))
    array([[1., 0., 1.]])
    """
    n_x, m = X.shape
    Y = as_numbers(where, "Y", Y)
    if Y.shape != (1, m):
        if Y.size == n_x and n_x != m:
            raise ValueError(
                f"{where}: {TRANSPOSED} (X has shape {X.shape} and Y has {Y.size} labels, one per row of X)"
            )
        hint = "; pass Y.reshape(1, -1)" if Y.size == m else ""
        raise shape_error(where, "Y", f"(1, m) = (1, {m}) to match X of shape {X.shape}", Y.shape, hint)
    check_labels(where, Y)
    return Y
