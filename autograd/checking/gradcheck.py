"""Check analytic derivatives against central differences, as you would by hand."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from .._checks import to_float
from ..derivatives.reverse_mode import grad
from ..errors import DomainError, GradcheckError, StepOutsideDomain
from ..modes import no_grad
from ..value import Value


def central_difference(
    f: Callable[..., Any], args: list[float], i: int, eps: float, name: str, caller: str = "gradcheck"
) -> float:
    """``(f(x + h) - f(x - h)) / 2h`` in argument ``i``, with the step ``h = eps * max(1, |x|)``
    relative to the size of ``x``, so large arguments are not differenced below their precision.

    A step that leaves ``f``'s domain raises ``StepOutsideDomain``, its message naming ``caller``
    and the argument ``name``. ``check_derivatives`` (``handcheck.py``) differences with this too.

    >>> round(central_difference(lambda x: x * x, [3.0], 0, 1e-6, "x"), 6)
    6.0
    """
    h = eps * max(1.0, abs(args[i]))
    plus, minus = list(args), list(args)
    plus[i] += h
    minus[i] -= h
    try:
        return (float(f(*plus)) - float(f(*minus))) / (2 * h)
    except DomainError as e:
        raise StepOutsideDomain(
            f"{caller}: the central-difference steps {name} = {args[i]!r} ± {h:.3g} leave f's domain ({e}); "
            "check at a point further from the edge",
            "or pass a smaller eps",
        ) from None


def on_floats(f: Callable[..., Any]) -> Callable[..., float]:
    """``f`` as a function of plain floats that records no graph: each argument reaches ``f`` as a
    Value (``f`` may call ``x.exp()``) and the result comes back as a float."""

    def value_of(*xs: float) -> float:
        with no_grad():
            return float(f(*[Value(x) for x in xs]))

    return value_of


def gradcheck(
    f: Callable[..., Any],
    *args: float,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    order: int = 1,
    names: Sequence[str] | None = None,
) -> bool:
    """Compare ``grad(f)`` with central differences at ``args``; with ``order=2``, second derivatives too.

    Returns True, or raises ``GradcheckError`` whose message is a table of every derivative checked:
    input, analytic, numeric, error. A derivative passes when
    ``|analytic - numeric| <= atol + rtol * |numeric|``. The step for argument ``x`` is
    ``eps * max(1, |x|)``. ``names`` labels the arguments in the table (default ``x0, x1, ...``).

    Two limits of the method. ``atol`` decides for derivatives much smaller than itself, so a
    function whose derivatives are about 1e-8 passes with any of them: scale it, or lower ``atol``.
    And the differences of ``f`` lose digits when ``f`` is large beside its change (``x + 1e10``):
    check ``f`` minus its constant part.

    >>> from autograd import tanh
    >>> gradcheck(lambda x, y: tanh(x * y), 0.5, -1.5, order=2)
    True
    """
    passed, table = gradcheck_report(f, *args, eps=eps, atol=atol, rtol=rtol, order=order, names=names)
    if not passed:
        raise GradcheckError(table)
    return True


def gradcheck_report(
    f: Callable[..., Any],
    *args: float,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    order: int = 1,
    names: Sequence[str] | None = None,
    output: str = "",
    symbols: tuple[str, str] = ("d", "2"),
) -> tuple[bool, str]:
    """``gradcheck``'s comparison, returned as ``(passed, table)`` instead of raised.

    ``output`` and ``symbols`` name the rows: ``d/dx`` and ``d2/dxdy`` by default, ``∂J/∂x`` and
    ``∂²J/∂x∂y`` with ``output="J", symbols=("∂", "²")``.

    >>> passed, table = gradcheck_report(lambda x: x * x, 3.0, names=["x"])
    >>> passed
    True
    >>> print(table.splitlines()[0])
    gradcheck passed at x=3.0 (tolerance: atol=1e-05, rtol=0.001)
    """
    if order not in (1, 2):
        raise ValueError(f"gradcheck: order must be 1 or 2, got {order!r}")
    for option, number in (("eps", eps), ("atol", atol), ("rtol", rtol)):
        if isinstance(number, bool) or not isinstance(number, (int, float)) or not number >= 0:
            raise ValueError(f"gradcheck: {option} must be a number >= 0, got {number!r}")
    if eps == 0:
        raise ValueError("gradcheck: eps must be > 0 (it is the central-difference step), got 0")
    if not args:
        raise ValueError("gradcheck: give the point to check at, e.g. gradcheck(f, 0.5)")
    point = [to_float(a, f"gradcheck argument {i}") for i, a in enumerate(args)]
    n = len(point)
    names = [f"x{i}" for i in range(n)] if names is None else [str(name) for name in names]
    if len(names) != n:
        raise ValueError(f"gradcheck: {len(names)} names for {n} arguments; give one name per argument")

    value_of = on_floats(f)
    rows: list[tuple[str, float, float]] = []
    d, two = symbols
    everything = tuple(range(n))
    first = grad(f, argnums=everything)  # every argument reaches f as a Value (f may call x.exp())
    analytic = first(*point)
    for i in range(n):
        rows.append((f"{d}{output}/{d}{names[i]}", analytic[i], central_difference(value_of, point, i, eps, names[i])))
    if order == 2:
        for i in range(n):

            def partial(*xs: Any, i: int = i) -> Any:
                return first(*xs)[i]

            second = grad(partial, argnums=everything)(*point)
            for j in range(n):
                numeric = central_difference(partial, point, j, eps, names[j])
                rows.append((f"{d}{two}{output}/{d}{names[i]}{d}{names[j]}", second[j], numeric))

    passed = all(_close(a, num, atol, rtol) for _, a, num in rows)
    return passed, _table(rows, point, names, atol, rtol, passed)


def _close(analytic: float, numeric: float, atol: float, rtol: float) -> bool:
    if not (math.isfinite(analytic) and math.isfinite(numeric)):
        return False
    return abs(analytic - numeric) <= atol + rtol * abs(numeric)


def _table(
    rows: list[tuple[str, float, float]], point: list[float], names: list[str], atol: float, rtol: float, passed: bool
) -> str:
    at = ", ".join(f"{name}={x!r}" for name, x in zip(names, point))
    width = max(14, *(len(r[0]) for r in rows))
    lines = [
        f"gradcheck {'passed' if passed else 'failed'} at {at} (tolerance: atol={atol}, rtol={rtol})",
        f"{'input':<{width}} {'analytic':>16} {'numeric':>16} {'error':>12}",
    ]
    for name, a, num in rows:
        mark = "" if _close(a, num, atol, rtol) else "  <- mismatch"
        lines.append(f"{name:<{width}} {a:>16.8g} {num:>16.8g} {abs(a - num):>12.3g}{mark}")
    return "\n".join(lines)
