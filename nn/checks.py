"""The checks every part of ``nn`` makes on sizes, counts and hyperparameters, written once.

Python and NumPy numbers are treated alike: ``np.int64(3)`` is an int and ``np.float32(0.1)``
a real number (NumPy registers its scalars with ``numbers.Integral`` and ``numbers.Real``).
``True`` and ``False`` are refused even though Python counts them as ints: a bool where a size
or a learning rate belongs is a mistake, not a 1 or a 0.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from autograd import Value
from autograd.extend import describe, finite_float

from .module import Module


def is_int(x: Any) -> bool:
    """True for a Python or NumPy integer, False for a bool.

    >>> import numpy as np
    >>> is_int(3), is_int(np.int64(3)), is_int(True), is_int(3.0)
    (True, True, False, False)
    """
    return isinstance(x, numbers.Integral) and not isinstance(x, bool)


def is_real(x: Any) -> bool:
    """True for a Python or NumPy real number (int or float), False for a bool.

    >>> import numpy as np
    >>> is_real(0.1), is_real(np.float32(0.1)), is_real(False), is_real("0.1")
    (True, True, False, False)
    """
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


#: Parameters at most in one model on the scalar engine: each is a Value of about 150 bytes
#: (2,000,000: about 0.3 GB; the course's week-4 network has 245,973).
MAX_PARAMETERS = 2_000_000


def model_size(where: str, count: int) -> None:
    """A ``ValueError`` if a model of ``count`` parameters is too large to make, said before it is made.

    >>> model_size("MLP", 10**12)
    Traceback (most recent call last):
    ValueError: MLP: 1,000,000,000,000 parameters, over the limit of 2,000,000 for the scalar engine (each is a Value); for larger models write them with numpy (nn.deep, nn.vectorized)
    """
    if count > MAX_PARAMETERS:
        raise ValueError(
            f"{where}: {count:,} parameters, over the limit of {MAX_PARAMETERS:,} for the scalar engine (each is a Value); for larger models write them with numpy (nn.deep, nn.vectorized)"
        )


def integer(where: str, name: str, n: Any, minimum: int = 1) -> int:
    """``n`` as an int if it is an integer ``>= minimum``, else a ``ValueError`` naming ``where`` and ``name``.

    >>> integer("make_images", "m", 5)
    5
    >>> integer("make_images", "m", 0)
    Traceback (most recent call last):
    ValueError: make_images: m must be a positive int, got 0
    >>> integer("optimize", "num_iterations", -1, minimum=0)
    Traceback (most recent call last):
    ValueError: optimize: num_iterations must be an int >= 0, got -1
    """
    if not is_int(n) or n < minimum:
        valid = "a positive int" if minimum == 1 else f"an int >= {minimum}"
        raise ValueError(f"{where}: {name} must be {valid}, got {n!r}")
    return int(n)


def real(
    where: str,
    name: str,
    x: Any,
    low: float = -math.inf,
    high: float = math.inf,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """``x`` as a float if it is a finite real number in the interval, else a ``ValueError``.

    The interval runs from ``low`` to ``high``; ``low_open``/``high_open`` leave an end out.

    >>> import numpy as np
    >>> real("SGD", "lr", np.float32(0.5), low=0.0, low_open=True)
    0.5
    >>> real("SGD", "lr", 0.0, low=0.0, low_open=True)
    Traceback (most recent call last):
    ValueError: SGD: lr must be a finite number > 0, got 0.0
    >>> real("SGD", "momentum", 1.0, 0.0, 1.0, high_open=True)
    Traceback (most recent call last):
    ValueError: SGD: momentum must be a finite number in [0, 1), got 1.0
    """
    value = finite_float(x)
    inside = (
        value is not None
        and (low < value if low_open else low <= value)
        and (value < high if high_open else value <= high)
    )
    if value is None or not inside:
        raise ValueError(f"{where}: {name} must be {_interval(low, high, low_open, high_open)}, got {x!r}")
    return value


def _interval(low: float, high: float, low_open: bool, high_open: bool) -> str:
    if math.isinf(low) and math.isinf(high):
        return "a finite number"
    if math.isinf(high):
        return f"a finite number {'>' if low_open else '>='} {low:g}"
    if math.isinf(low):
        return f"a finite number {'<' if high_open else '<='} {high:g}"
    return f"a finite number in {'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"


def examples(where: str, X: Any, n: int) -> None:
    """Check a data set: ``m >= 1`` examples (rows), each ``n`` finite numbers or Values.

    ``X`` in the course's vectorized layout, ``n`` rows of ``m`` (one column per example), is
    reported as transposed, with the advice ``pass X.T``, as ``nn.vectorized`` reports rows.

    A data set of plain numbers is checked in one pass of NumPy, so a large one costs little.

    >>> examples("fit", [[1.0, 2.0], [3.0, float("nan")]], 2)
    Traceback (most recent call last):
    ValueError: fit: X[1][1] is float nan; every feature must be a finite number (look for missing values)
    """
    if isinstance(X, (str, bytes)) or not (isinstance(X, Sequence) or getattr(X, "ndim", 0) == 2):
        raise TypeError(f"{where}: X is a list of examples, each a list of {n} numbers; got {describe(X)}")
    if len(X) == 0:
        raise ValueError(f"{where}: got no examples (X is empty)")
    first = X[0]
    if len(X) == n and not isinstance(first, (str, bytes)) and hasattr(first, "__len__") and len(first) != n:
        raise ValueError(  # the same words as nn.vectorized's message for the other layout
            f"{where}: X looks transposed: the scalar engine takes one row per example, X of shape (m, n_x) = "
            f"(m, {n}), and got {n} rows of {len(first)} numbers (the course's (n_x, m)); pass X.T"
        )
    for i, x in enumerate(X):
        if isinstance(x, (str, bytes)) or not (isinstance(x, Sequence) or getattr(x, "ndim", 0) == 1):
            raise TypeError(
                f"{where}: example {i} is {describe(x)}; X is a list of examples, each a list of {n} numbers"
            )
        if len(x) != n:
            raise ValueError(
                f"{where}: example {i} has {len(x)} features, expected n_x={n} (X is a list of examples, one row each)"
            )
    array = np.asarray(X)
    if array.dtype.kind in "biuf" and np.isfinite(array).all():
        return  # numbers only (bools count as 0 and 1, as in a one-hot feature), checked at C speed
    for i, x in enumerate(X):  # find the culprit: text, nan, inf, an int too large (Values check themselves)
        for j, v in enumerate(x):
            if isinstance(v, Value):
                continue
            if not isinstance(v, numbers.Real):
                raise TypeError(f"{where}: X[{i}][{j}] is {describe(v)}; every feature must be a number")
            try:
                finite = math.isfinite(v)
            except OverflowError:
                finite = False
            if not finite:
                raise ValueError(
                    f"{where}: X[{i}][{j}] is {describe(v)}; every feature must be a finite number (look for missing values)"
                )


def parameters(where: str, params: Any) -> list[Value]:
    """``params`` as a list of distinct Values (a model's parameters), or an error saying what to pass.

    >>> parameters("SGD", [Value(1.0)])
    [Value(data=1.0, grad=0.0)]
    """
    params = parameter_list(where, params)
    if not params:
        raise ValueError(f"{where}: got no parameters to optimize; pass model.parameters()")
    seen: set[int] = set()
    for i, p in enumerate(params):
        if not isinstance(p, Value):
            raise TypeError(f"{where}: parameter {i} is {type(p).__name__} {p!r}, not a Value")
        if id(p) in seen:
            raise ValueError(f"{where}: parameter {i} ({p.label or p!r}) appears twice; each must appear once")
        seen.add(id(p))
    return params


def parameter_list(where: str, params: Any) -> list[Any]:
    """``params`` as a list, unless it is the model itself, one Value, or not a collection at all."""
    if isinstance(params, Module):
        raise TypeError(f"{where} needs the parameters, not the model: pass model.parameters(), got {params!r}")
    if isinstance(params, Value):
        raise TypeError(f"{where} needs a list of parameters, got one Value ({params!r}); pass [{params.label or 'w'}]")
    if not isinstance(params, Iterable) or isinstance(params, (str, bytes)):
        raise TypeError(
            f"{where} needs the parameters, a list of Values: pass model.parameters(), got {describe(params)}"
        )
    return list(params)


def one_example(where: str, x: Any, n: int) -> Sequence[Any]:
    """One input of ``n`` numbers: a sequence, or a 1-D NumPy array (made a list), else a clear error.

    ``where`` names the model in the message. A 2-D array is the whole data set, given where one
    example belongs, and gets told so.

    >>> import numpy as np
    >>> one_example("MLP", np.array([0.5, -1.0]), 2)
    [0.5, -1.0]
    >>> one_example("MLP", np.zeros((4, 2)), 2)
    Traceback (most recent call last):
    TypeError: MLP: one example at a time: pass X[i], not X (got an array of shape (4, 2), one input has 2 numbers)
    """
    shape = getattr(x, "shape", ())
    if len(shape) == 2:
        raise TypeError(
            f"{where}: one example at a time: pass X[i], not X (got an array of shape {tuple(shape)}, "
            f"one input has {n} numbers)"
        )
    if len(shape) > 2:
        raise TypeError(f"{where}: an input is a sequence of {n} numbers, got an array of shape {tuple(shape)}")
    if len(shape) == 1 and hasattr(x, "tolist"):
        x = x.tolist()
    if isinstance(x, (str, bytes)) or not isinstance(x, Sequence):
        raise TypeError(f"{where}: an input is a sequence of {n} numbers, got {describe(x)}")
    if len(x) != n:
        raise ValueError(f"{where}: expected {n} inputs, got {len(x)}")
    return x
