"""The partial derivatives the command prints: every one that exists, and why each other one does not.

``sqrt(x)`` at 0 has a value but no slope: the table still shows the value and the derivatives that
exist, and marks the others ``undefined`` with the engine's reason (``sqrt at 0 has a vertical slope``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Union

from autograd import DomainError, Value, gradients
from autograd.errors import DivisionByZeroError, FloatOverflowError


@dataclass(frozen=True)
class Undefined:
    """A derivative that does not exist at the point, and why.

    >>> str(Undefined("sqrt at 0 has a vertical slope"))
    'undefined: sqrt at 0 has a vertical slope'
    """

    reason: str

    def __str__(self) -> str:
        return f"undefined: {self.reason}"


#: A derivative: a number, a Value (to be differentiated again), or why it does not exist.
Derivative = Union[float, Value, Undefined]


def gradient(root: Value, leaves: dict[str, Value], create_graph: bool = False) -> dict[str, Derivative]:
    """``∂root/∂v`` for each variable ``v`` of ``leaves``: a float (a Value with ``create_graph``),
    or ``Undefined`` where a local derivative on the way to ``v`` does not exist.

    >>> x, y = Value(0.0, label="x"), Value(2.0, label="y")
    >>> gradient(x.sqrt() + 3 * y, {"x": x, "y": y})
    {'x': Undefined(reason='sqrt at 0 has a vertical slope'), 'y': 3.0}
    """
    names, inputs = list(leaves), list(leaves.values())
    try:
        return dict(zip(names, gradients(root, inputs, create_graph=create_graph)))
    except DomainError:
        pass  # some derivative does not exist: a pass of its own for each input finds which
    result: dict[str, Derivative] = {}
    for name, x in leaves.items():
        try:
            (result[name],) = gradients(root, [x], create_graph=create_graph)
        except DomainError as e:
            result[name] = Undefined(reason(e))
    return result


def hessian(first: dict[str, Derivative], leaves: dict[str, Value]) -> dict[str, dict[str, float | Undefined]]:
    """The second derivatives from the first (made with ``create_graph=True``): a row of
    ``Undefined`` where the first derivative is undefined, since it has no slope either."""
    rows: dict[str, dict[str, float | Undefined]] = {}
    for r, d in first.items():
        if isinstance(d, Undefined):
            rows[r] = dict.fromkeys(leaves, d)
        else:
            rows[r] = {c: x if isinstance(x, Undefined) else float(x) for c, x in gradient(d, leaves).items()}  # type: ignore[arg-type]
    return rows


_PASS = re.compile(r"(?:backward|jvp) through (?P<op>\S+?)\((?P<args>[^()]*)\): the local derivative (?P<rest>.*)")
_SYMBOLS = {"+", "-", "*", "/", "**"}


def reason(error: DomainError) -> str:
    """Why a derivative does not exist, in a few words, from the engine's error for its pass.

    >>> from autograd.errors import undefined_derivative
    >>> reason(undefined_derivative("**", [0.0, 0.5], ZeroDivisionError()))
    '0 ** 0.5 has a vertical slope'
    """
    message = " ".join(str(error).split())
    found = _PASS.match(message)
    if not found:
        return message
    args = [_number(a) for a in found["args"].split(", ")]
    op = found["op"]
    base = f"({args[0]})" if args[0].startswith("-") else args[0]  # (-1) ** 2, not -(1 ** 2)
    where = f"{base} {op} {args[1]}" if op in _SYMBOLS and len(args) == 2 else f"{op} at {', '.join(args)}"
    if isinstance(error, DivisionByZeroError):
        return f"{where} has a vertical slope"
    if isinstance(error, FloatOverflowError):
        return f"{where} has a slope too large for a float (about 1.8e308 at most)"
    return f"{where}: the local derivative {found['rest']}"


def _number(text: str) -> str:
    try:
        return format(float(text) + 0.0, ".12g")
    except ValueError:
        return text
