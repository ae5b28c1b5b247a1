"""Check derivatives worked out by hand: the engine, your formula and central differences, side by side.

You derived ``dJ/db = 3c`` or ``dz = a - y`` on paper. ``check_derivatives`` evaluates your formula,
the engine's derivative and a central difference at one point or many, and returns True, or raises
``DerivativeMismatch`` whose message is a table saying which of the three disagrees.
"""

from __future__ import annotations

import itertools
import numbers
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from .._checks import describe, finite_float
from ..derivatives.reverse_mode import grad
from ..errors import DerivativeMismatch
from ..value import Value
from .gradcheck import central_difference, on_floats
from .graph_leaks import left_the_graph
from .hand_arguments import NAME, Check, check_options, read_checks, read_input_names, read_points

HAND, ENGINE, NUMERIC = "hand", "engine", "numeric"


class Row(NamedTuple):
    """One line of the table: a derivative at a point, its three values, and which disagrees."""

    point: str  # "z=0.5, y=1.0"
    input: str  # "d/dz", "d2/dzdz"
    engine: float
    hand: float
    numeric: float
    disagrees: str  # "" when all three agree


def check_derivatives(
    f: Callable[..., Any],
    expected: Mapping[Any, Any],
    *args: float,
    points: Iterable[Any] | None = None,
    order: int = 1,
    eps: float = 1e-6,
    atol: float = 1e-6,
    rtol: float = 1e-5,
    names: Sequence[str] | None = None,
) -> bool:
    """Compare hand-derived derivatives with the engine's and with central differences.

    Args:
        f: the function, written with Value operations (``+ * **``, ``autograd.log``, ...).
        expected: maps an input of ``f`` (its parameter name, or its index) to its hand-derived
            derivative: a number, or a function of the same arguments as ``f`` (called with
            floats), or a sequence with one number per point. With ``order=2`` a pair of inputs,
            ``("z", "z")`` or ``(0, 1)``, maps to a second derivative.
        *args: the point to check at, one number per input of ``f``; or else ``points``.
        points: several points, each a tuple with one number per input (a bare number for a
            function of one input); at most 1,000 (``hand_arguments.MAX_POINTS``). An iterator is
            read lazily, and refused with a ``ValueError`` when it gives more.
        order: 1 for first derivatives, 2 for second ones.
        eps: the central-difference step, relative: ``h = eps * max(1, |x|)``.
        atol, rtol: two values agree when ``|x - y| <= atol + rtol * max(|x|, |y|)``.
        names: the inputs' names, for a function without named parameters (``f(*xs)``).

    The tolerances. The engine and a right formula agree to rounding (about 1e-15 relative). A
    central difference is off by about ``1e-10 * |f|`` (rounding, ``1e-16 * |f| / h``) plus
    ``1e-13 * |f'''|`` (truncation, ``h² |f'''| / 6``). The defaults stay a hundred times above
    that for ``|f|`` up to 100 and still catch every usual slip: a sign, a factor, a lost term, or
    1/3 written as 0.3333. They are tighter than gradcheck's (1e-5, 1e-3), which guard against
    the numeric's error alone, because here two of the three values are exact. For a large ``f``
    near a flat point, raise ``atol``.

    Which disagrees. Each row compares the three values pairwise. When two agree and the third
    agrees with neither, that one is named: ``hand`` (check the derivation), ``engine`` (a
    derivative rule is wrong there, often your own ``defop``), or ``numeric`` (``f`` has a kink or
    jump within ``eps`` of the point, or is large beside its change). When no two agree, ``all
    three``: there is nothing to confirm your formula with at that point. When only one pair
    disagrees, the third value lies between them within the tolerance and cannot tell which is
    off: both are named, ``hand or engine``. So a formula that agrees with the numeric but not the
    engine gets ``engine`` if the engine and the numeric disagree too, ``hand or engine`` if not.

    For ``order=2`` the numeric value is the central difference of the engine's first derivative
    (as in ``gradcheck(order=2)``); check the first derivatives too if ``f`` uses your own ``defop``.

    Returns:
        True when every row agrees.

    Raises:
        DerivativeMismatch: a row disagrees (an ``AssertionError``, so pytest and hypothesis
            report it as a failed check); its message is the table of ``check_derivatives_report``.
        ValueError, TypeError: bad arguments (an unknown input, a point of the wrong length, a
            hand formula that raises or returns something else than a number, ...).
        StepOutsideDomain: a central-difference step leaves ``f``'s domain.

    >>> from autograd import log, sigmoid
    >>> def L(z, y):
    ...     a = sigmoid(z)
    ...     return -(y * log(a) + (1 - y) * log(1 - a))
    >>> check_derivatives(L, {"z": lambda z, y: sigmoid(z) - y}, points=[(0.5, 1.0), (-2.0, 0.0)])
    True
    >>> s = lambda z: sigmoid(z)
    >>> check_derivatives(L, {("z", "z"): lambda z, y: s(z) * (1 - s(z))}, 0.5, 1.0, order=2)
    True
    """
    passed, table = check_derivatives_report(
        f, expected, *args, points=points, order=order, eps=eps, atol=atol, rtol=rtol, names=names
    )
    if not passed:
        raise DerivativeMismatch(table)
    return True


def check_derivatives_report(
    f: Callable[..., Any],
    expected: Mapping[Any, Any],
    *args: float,
    points: Iterable[Any] | None = None,
    order: int = 1,
    eps: float = 1e-6,
    atol: float = 1e-6,
    rtol: float = 1e-5,
    names: Sequence[str] | None = None,
) -> tuple[bool, str]:
    """``check_derivatives``'s comparison, returned as ``(passed, table)`` instead of raised.

    >>> passed, table = check_derivatives_report(lambda a, b, c: 3 * (a + b * c), {"b": 6}, 5, 3, 2)
    >>> passed
    True
    >>> print(table)
    check_derivatives passed: engine, hand and numeric agree on 1 derivative (tolerance: atol=1e-06, rtol=1e-05)
    point                input          engine            hand         numeric  disagrees
    a=5.0, b=3.0, c=2.0  d/db                6               6               6
    """
    if not callable(f):
        raise TypeError(f"{NAME}: f must be callable, got {describe(f)}")
    check_options(order, eps, atol, rtol)
    at = read_points(args, points)
    labels = read_input_names(f, names, at[0])
    checks = read_checks(expected, labels, order, len(at))
    n = len(labels)
    first = grad(f, argnums=tuple(range(n)))  # every input reaches f as a Value (f may call x.exp())
    rows: list[Row] = []
    suspect: tuple[tuple[float, ...], set[int]] | None = None  # the first point where the engine is doubted
    for k, point in enumerate(at):
        engine, numeric = _engine_and_numeric(f, first, point, checks, order, eps, labels)
        shown = ", ".join(f"{name}={x!r}" for name, x in zip(labels, point))
        for c in checks:
            hand = _hand(c, point, k, shown)
            e, num = engine[c.inputs], numeric[c.inputs]
            rows.append(Row(shown, c.label, e, hand, num, disagreement(e, hand, num, atol, rtol)))
            if ENGINE in rows[-1].disagrees and (suspect is None or suspect[0] is point):
                suspect = (point, (suspect[1] if suspect else set()) | set(c.inputs))
    left = None if suspect is None else left_the_graph(f, first if order == 2 else None, *suspect, labels)
    return _table(rows, atol, rtol, left)


def disagreement(engine: float, hand: float, numeric: float, atol: float, rtol: float) -> str:
    """Which of the three values disagrees: ``""`` if none, as ``check_derivatives`` defines it.

    >>> disagreement(6.0, 5.0, 6.0000001, 1e-6, 1e-5)
    'hand'
    >>> disagreement(6.0, 6.0, 6.5, 1e-6, 1e-5)
    'numeric'
    """
    values = {HAND: hand, ENGINE: engine, NUMERIC: numeric}
    apart = [(a, b) for a, b in itertools.combinations(values, 2) if not agree(values[a], values[b], atol, rtol)]
    if not apart:
        return ""
    if len(apart) == 3:
        return "all three"
    if len(apart) == 2:  # the value in both disagreeing pairs
        (odd,) = set(apart[0]) & set(apart[1])
        return odd
    return " or ".join(apart[0])


def agree(x: float, y: float, atol: float, rtol: float) -> bool:
    """``|x - y| <= atol + rtol * max(|x|, |y|)``, for finite numbers; no two of nan or inf agree."""
    if not (finite_float(x) is not None and finite_float(y) is not None):
        return False
    return abs(x - y) <= atol + rtol * max(abs(x), abs(y))


def _engine_and_numeric(
    f: Callable[..., Any],
    first: Callable[..., Any],
    point: tuple[float, ...],
    checks: list[Check],
    order: int,
    eps: float,
    labels: list[str],
) -> tuple[dict[tuple[int, ...], float], dict[tuple[int, ...], float]]:
    """The engine's derivatives and their central differences at ``point``, for every check."""
    everything = tuple(range(len(point)))
    engine: dict[tuple[int, ...], float] = {}
    numeric: dict[tuple[int, ...], float] = {}
    if order == 1:
        derivatives = first(*point)
        value_of = on_floats(f)
        for (i,) in {c.inputs for c in checks}:
            engine[(i,)] = derivatives[i]
            numeric[(i,)] = central_difference(value_of, list(point), i, eps, labels[i], NAME)
        return engine, numeric
    for i in sorted({c.inputs[0] for c in checks}):

        def partial(*xs: Any, i: int = i) -> Any:
            return first(*xs)[i]

        second = grad(partial, argnums=everything)(*point)
        for j in {c.inputs[1] for c in checks if c.inputs[0] == i}:
            engine[(i, j)] = second[j]
            numeric[(i, j)] = central_difference(partial, list(point), j, eps, labels[j], NAME)
    return engine, numeric


def _hand(c: Check, point: tuple[float, ...], k: int, shown: str) -> float:
    """The hand derivative of ``c`` at ``point`` (the ``k``-th), as a float, or a clear error."""
    where = f"{NAME}: the hand derivative {c.label} at {shown}"
    if callable(c.hand):
        try:
            value = c.hand(*point)
        except Exception as e:
            raise ValueError(
                f"{where} raised {type(e).__name__}: {e}; it must give a number at every point checked"
            ) from e
    elif isinstance(c.hand, (list, tuple)):
        value = c.hand[k]
    else:
        value = c.hand
    if isinstance(value, Value):
        return value.data
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{where} is {describe(value)}; it must be a real number (int or float)")
    return float(value)


_MEANING = {
    HAND: "your formula disagrees with the engine and with central differences, which agree: check the derivation",
    ENGINE: "the engine disagrees with your formula and with central differences, which agree: "
    "a derivative rule (your defop?) is wrong here, or f used x.data (a plain number, which the engine cannot follow)",
    NUMERIC: "your formula and the engine agree, central differences do not: f may have a kink or jump "
    "within eps of the point, or be large beside its change (move the point, or raise atol)",
    "all three": "no two agree, so nothing confirms your formula here: check at another point",
}
_ENGINE_DOUBTED = "the engine disagrees with your formula and with central differences, which agree"
_BETWEEN = (
    "these two differ by a little more than the tolerance and the third lies between them, "
    "so it cannot tell which is off"
)


def _table(rows: list[Row], atol: float, rtol: float, left: str | None = None) -> tuple[bool, str]:
    """``(passed, table)``: a header, one line per row, then what each verdict in the table means
    (``left``: where ``f`` left the graph, which explains the engine's verdicts)."""
    wrong = [r for r in rows if r.disagrees]
    count = f"{len(rows)} derivative{'s' * (len(rows) != 1)}"
    head = f"failed for {len(wrong)} of {count}" if wrong else f"passed: engine, hand and numeric agree on {count}"
    pw, iw = max(5, *(len(r.point) for r in rows)), max(5, *(len(r.input) for r in rows))
    lines = [
        f"{NAME} {head} (tolerance: atol={atol}, rtol={rtol})",
        f"{'point':<{pw}}  {'input':<{iw}}  {'engine':>14}  {'hand':>14}  {'numeric':>14}  disagrees",
    ]
    for r in rows:
        numbers = f"{r.engine:>14.8g}  {r.hand:>14.8g}  {r.numeric:>14.8g}"
        lines.append(f"{r.point:<{pw}}  {r.input:<{iw}}  {numbers}  {r.disagrees}".rstrip())
    verdicts = dict.fromkeys(r.disagrees for r in wrong)
    for verdict in verdicts:
        if verdict == ENGINE and left:
            lines.append(f"{ENGINE}: {_ENGINE_DOUBTED}: {left}")
        else:
            lines.append(f"{verdict}: {_MEANING.get(verdict, _BETWEEN)}")
    if left and ENGINE not in verdicts:
        lines.append(f"why the engine may be off: {left}")
    return not wrong, "\n".join(lines)
