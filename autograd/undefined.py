"""Where a local derivative does not exist: a backward pass goes on if no asked-for gradient needs it.

``sqrt`` at 0, or ``x ** y`` at ``x = 0`` for ``0 < y < 1`` (``rules.UNDEFINED``), have no slope.
That stops a pass with a ``DomainError`` naming the op only where a gradient someone asked for
would need it; a constant's gradient (the 0 of ``0 ** y``), which nobody asks for, becomes nan.
"""

from __future__ import annotations

import math
import operator
from typing import Any, Sequence

from .errors import undefined_derivative
from .rules import PRIMITIVES, UNDEFINED
from .value import Value, is_constant

_data = operator.attrgetter("data")


def where_undefined(
    v: Value, error: BaseException, order: Sequence[Value], inputs: Sequence[Value] | None, create_graph: bool
) -> tuple[Any, ...]:
    """The local derivatives at ``v``, which are not all defined: nan where one is missing, if no
    asked-for gradient needs it (a constant's does not); otherwise the ``DomainError`` naming ``v``."""
    try:
        rule = PRIMITIVES[v.op].local_derivatives
        local = rule(v, *v.parents) if create_graph else rule(v.data, *map(_data, v.parents))
    except (ArithmeticError, ValueError):
        local = (UNDEFINED,) * len(v.parents)
    asked = set(inputs) if inputs is not None else {u for u in order if not u.parents and not is_constant(u)}
    for u in order:  # and every node computed from one of them: its gradient flows on to them
        if u.parents and not asked.isdisjoint(u.parents):
            asked.add(u)
    if any(d is UNDEFINED and p in asked for p, d in zip(v.parents, local)):
        raise undefined_derivative(v.op, [p.data for p in v.parents], error) from None
    return tuple(math.nan if d is UNDEFINED else d for d in local)
