"""The course's data layout for numpy, and the checks that keep to it: ``X`` of shape ``(n_x, m)``,
one COLUMN per example, and labels ``Y`` of shape ``(1, m)``, each 0 or 1.

``nn.vectorized`` (logistic regression) and ``nn.deep`` (the two-layer and L-layer networks) read
their arrays through these functions, so a learner gets the same message wherever an array is
off: its shape and the shape expected, an ``X`` with one ROW per example (scikit-learn's layout)
reported as transposed, the first label that is not 0 or 1, the first NaN or infinity. The limits
that every numpy function of ``nn`` keeps (``MAX_NUMBERS``, ...) are here too.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.extend import describe

from . import checks

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


# Refused up front, in one line, so that no call runs for minutes or takes gigabytes:
#: Numbers at most in one array (800 MB of float64s).
MAX_NUMBERS = 10**8
#: Gradient-descent steps at most in one run (100 times the course's longest).
MAX_ITERATIONS = 10**6
#: Multiply-adds at most in a run's forward passes (twice the course's largest: 3,000 steps of
#: [12288, 20, 7, 5, 1] on 209 pictures, 80 s on 2 cores).
MAX_WORK = 3 * 10**11
#: Noise at most in a made data set (beyond, it hides everything).
MAX_NOISE = 100.0


def check_size(where: str, what: str, count: int) -> None:
    """A ``ValueError`` if ``what`` would hold more than ``MAX_NUMBERS`` numbers."""
    if count > MAX_NUMBERS:
        raise ValueError(
            f"{where}: {what} would hold {count:,} numbers, more than MAX_NUMBERS = {MAX_NUMBERS:,} (800 MB); ask for less"
        )


def check_array(where: str, name: str, value: Any, shape: tuple[int | str, ...], why: str = "") -> np.ndarray:
    """``value`` as a float array of finite numbers of ``shape`` (a str: any size >= 1), or the error saying ``why``.

    >>> check_array("standardize", "X_train", [[1.0, 2.0]], ("m", 3))
    Traceback (most recent call last):
    ValueError: standardize: X_train must have shape (m, 3) with m >= 1, got shape (1, 2)
    """
    array = as_numbers(where, name, value)
    if array.ndim != len(shape) or any(n != d if isinstance(d, int) else n < 1 for d, n in zip(shape, array.shape)):
        sizes = [d for d in shape if isinstance(d, str)]
        expected = f"({', '.join(map(str, shape))})" + (f" with {', '.join(sizes)} >= 1" if sizes else "") + why
        raise shape_error(where, name, expected, array.shape)
    check_finite(where, name, array)
    return array


def check_iterations(where: str, num_iterations: Any, work: int) -> int:
    """``num_iterations``, an int >= 0 within ``MAX_ITERATIONS`` and, at ``work`` multiply-adds a step, ``MAX_WORK``."""
    n = checks.integer(where, "num_iterations", num_iterations, minimum=0)
    most = min(MAX_ITERATIONS, MAX_WORK // max(work, 1))
    if n > most:
        raise ValueError(
            f"{where}: num_iterations={n:,} is too many; at most {most:,} at this size (MAX_ITERATIONS = {MAX_ITERATIONS:,} steps, MAX_WORK = {MAX_WORK:.0e} multiply-adds in all, {work:,} per step here)"
        )
    return n


def check_seed(where: str, seed: Any) -> int | None:
    """``seed`` if it is None or an int >= 0 (what numpy's ``default_rng`` takes), else a ``ValueError``."""
    if seed is None:
        return None
    if not checks.is_int(seed) or seed < 0:
        raise ValueError(f"{where}: seed must be None or an int >= 0, got {seed!r}")
    return int(seed)
