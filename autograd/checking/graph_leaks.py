"""Where a function left the graph: the line where it turned a Value into a plain number
(``math.sin(x)``, ``float(x)``), or the input its result no longer reaches as a Value (``x.data``).

The engine follows derivatives only through Values; past such a point it sees a constant, so its
derivative is wrong though no rule is. ``check_derivatives`` asks here when it doubts the engine,
to say so instead of blaming a derivative rule.
"""

from __future__ import annotations

import linecache
import os
import sys
from collections.abc import Callable
from types import FrameType
from typing import Any

from .._checks import shorten
from ..backprop import topological_order
from ..modes import enable_grad, tracing
from ..value import Value


def left_the_graph(
    f: Callable[..., Any],
    first: Callable[..., Any] | None,
    point: tuple[float, ...],
    doubted: set[int],
    labels: list[str],
) -> str | None:
    """Where ``f`` left the graph at ``point``, so that the engine cannot follow its derivative, or None if not seen.

    A Value turned into a plain number (``math.sin(x)`` and ``float(x)`` call ``x.__float__``, which
    ``modes.tracing`` reports) is named with its file and line. Otherwise, an input among
    ``doubted`` (indices) that the result does not reach as a Value (``x.data`` used in arithmetic)
    is named. ``first``, for second derivatives, is the first derivative to run instead of ``f``:
    its graph, the rules' too, is the one differentiated.

    >>> print(left_the_graph(lambda x: x * x.data, None, (1.0,), {0}, ["x"]))
    None
    >>> left_the_graph(lambda x: x.data * 2, None, (1.0,), {0}, ["x"]).startswith("f's result does not reach x")
    True
    """
    inputs = [Value(x, name) for x, name in zip(point, labels)]
    trace = _Conversions()
    try:
        with enable_grad(), tracing(trace):
            out = f(*inputs) if first is None else first(*inputs)
    except Exception:  # noqa: BLE001 - f ran fine on these numbers before; if it does not now, nothing is seen
        return None
    if trace.sites:
        file, line = trace.sites[0]
        code = linecache.getline(file, line).strip()
        return (
            f"f left the graph at {file}:{line}{f' ({shorten(code, 80)})' if code else ''}: a Value became a "
            "plain number there (math.sin(x) and float(x) do that), and the engine cannot follow a "
            "derivative through a plain number; use autograd's functions (autograd.sin(x)) on Values"
        )
    if first is not None:
        return None
    reached = set(topological_order(out)) if isinstance(out, Value) else set()
    cut = [labels[i] for i in sorted(doubted) if inputs[i] not in reached]
    if not cut:
        return None
    return (
        f"f's result does not reach {', '.join(cut)} as a Value, though central differences show it "
        "changes with it: f left the graph by a float conversion such as x.data, float(x) or "
        "math.sin(x); use autograd's functions (autograd.sin(x)) on Values"
    )


_FLOAT = Value.__float__.__code__
_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


class _Conversions:
    """A trace for ``modes.tracing`` that notes where code outside ``autograd`` turns a Value into a float."""

    def __init__(self) -> None:
        self.sites: list[tuple[str, int]] = []

    def convert(self, v: Value) -> None:
        frame: FrameType | None = sys._getframe(1)
        while frame is not None and frame.f_code is not _FLOAT:
            frame = frame.f_back
        caller = frame.f_back if frame is not None else None
        # The engine's own conversions (grad returning a float) are no leak; f's and its rules' are.
        if caller is not None and not os.path.abspath(caller.f_code.co_filename).startswith(_PACKAGE):
            self.sites.append((caller.f_code.co_filename, caller.f_lineno))

    def record(self, v: Value, recording: bool) -> None:
        pass

    def compare(self, v: Value, op: str, other: Any) -> None:
        pass

    def detach(self, v: Value) -> None:
        return None
