"""Which local derivatives exist, one by one, when a rule fails on floats (the rare path of ``backprop``).

A rule returns every local derivative of a node at once, so one that overflows or divides by zero
(``∂(0.5**x)/∂base`` at ``x = -1023``) would take the others down with it. Here the rule runs again
on numpy's float64, whose arithmetic gives inf or nan where Python's float raises.
"""

from __future__ import annotations

import functools
import math
import operator
from typing import Any

from .rules import PRIMITIVES, UNDEFINED, is_undefined

_data = operator.attrgetter("data")


def existing_local_derivatives(v: Any) -> tuple[Any, ...]:
    """The local derivatives at ``v`` as floats, ``UNDEFINED`` for each one that does not exist,
    after the rule failed on floats.

    The rule runs again on numpy's float64, whose arithmetic gives inf or nan where Python's float
    raises, so each derivative comes out on its own: one that is not finite although ``v`` and its
    inputs are (an overflow, a division by zero), or that is ``UNDEFINED``, does not exist. A rule
    that fails even so (a float forward's domain error inside it) has none.

    >>> from autograd import Value
    >>> J = Value(0.5) ** Value(-1023.0)
    >>> existing_local_derivatives(J)
    (UNDEFINED, -6.230329639708919e+307)
    """
    import numpy as np  # here, on this rare path only: ``import autograd`` does not import numpy

    numbers = [v.data, *map(_data, v.parents)]
    try:
        with np.errstate(all="ignore"):
            local = PRIMITIVES[v.op].local_derivatives(*map(_float64_class(), numbers))
    except Exception:  # noqa: BLE001 - whatever a rule (a defop's too) raises on float64, it gives no answer
        return (UNDEFINED,) * len(v.parents)
    finite = all(map(math.isfinite, numbers))
    result: list[Any] = []
    for d in local:
        number = None if is_undefined(d) else float(d)
        result.append(UNDEFINED if number is None or (finite and not math.isfinite(number)) else number)
    return tuple(result)


@functools.cache
def _float64_class() -> Any:
    """numpy's float64 with comparisons that give Python bools, which ``rules.where`` reads as a branch."""
    import numpy as np

    class Float64(np.float64):
        def __lt__(self, other: Any) -> bool:  # type: ignore[override]
            return bool(np.float64(self) < other)

        def __le__(self, other: Any) -> bool:  # type: ignore[override]
            return bool(np.float64(self) <= other)

        def __gt__(self, other: Any) -> bool:  # type: ignore[override]
            return bool(np.float64(self) > other)

        def __ge__(self, other: Any) -> bool:  # type: ignore[override]
            return bool(np.float64(self) >= other)

    return Float64
