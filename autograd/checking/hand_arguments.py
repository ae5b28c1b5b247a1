"""The arguments of ``check_derivatives``, read and checked: the points, the inputs' names, and
``expected``, the hand derivatives keyed by input.

Each mistake gets its own message, before anything is evaluated: an unknown input name, an index
out of range, a point of the wrong length, a formula that does not take ``f``'s inputs.
"""

from __future__ import annotations

import inspect
import itertools
import numbers
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from .._checks import describe, finite_float
from ..value import Value

NAME = "check_derivatives"

#: The most points one call checks, and the most numbers in one point. Each point costs a gradient,
#: a hand formula and central differences, so 1,000 take seconds; more is a slip (an endless
#: iterator, such as ``itertools.repeat(1.0)``, would fill the memory), and is refused.
MAX_POINTS = 1_000


class Check(NamedTuple):
    """One derivative to check: the inputs it is taken by (one, or two for order 2), and the formula."""

    inputs: tuple[int, ...]
    label: str  # "d/dz", "d2/dzdy"
    hand: Any  # a number, a function of f's inputs, or a sequence with one number per point


def check_options(order: Any, eps: Any, atol: Any, rtol: Any) -> None:
    """Refuse an order other than 1 or 2, a negative or non-numeric tolerance, and a zero step."""
    if order not in (1, 2) or isinstance(order, bool):
        raise ValueError(f"{NAME}: order must be 1 or 2, got {order!r}")
    for option, number in (("eps", eps), ("atol", atol), ("rtol", rtol)):
        if isinstance(number, bool) or not isinstance(number, (int, float)) or not number >= 0:
            raise ValueError(f"{NAME}: {option} must be a number >= 0, got {number!r}")
    if eps == 0:
        raise ValueError(f"{NAME}: eps must be > 0 (it is the central-difference step), got 0")


def read_points(args: tuple[Any, ...], points: Iterable[Any] | None) -> list[tuple[float, ...]]:
    """The points to check at, each a tuple of finite floats, all of the same length.

    An iterator is read lazily, and only up to ``MAX_POINTS`` points (and numbers in a point):
    one more is refused before anything is evaluated.
    """
    if points is None:
        if not args:
            raise ValueError(f"{NAME}: give the point, e.g. {NAME}(f, expected, 0.5, 1.0), or points=[(0.5, 1.0), ...]")
        raw = [args]
    else:
        if args:
            raise ValueError(f"{NAME}: give the point as arguments or the points as points=, not both")
        if isinstance(points, (str, bytes)) or not isinstance(points, Iterable):
            raise TypeError(f"{NAME}: points must be a list of points, each a tuple of numbers, got {describe(points)}")
        raw = _at_most(points, "points gives", "points", "check them in batches of up to 1,000")
        if not raw:
            raise ValueError(f"{NAME}: points is empty; give at least one point")
    result: list[tuple[float, ...]] = []
    for k, p in enumerate(raw):
        if isinstance(p, numbers.Real):
            p = (p,)  # a function of one input: points=[0.5, 1.0]
        elif isinstance(p, (str, bytes)) or not isinstance(p, Iterable):
            raise TypeError(f"{NAME}: point {k} is {describe(p)}; each point is a tuple of numbers, one per input of f")
        point = tuple(_at_most(p, f"point {k} has", "numbers", "each point gives one number per input of f"))
        for i, x in enumerate(point):
            if finite_float(x) is None:
                error = TypeError if isinstance(x, bool) or not isinstance(x, numbers.Real) else ValueError
                raise error(f"{NAME}: point {k} has {describe(x)} at position {i}; expected a finite real number")
        if len(point) != len(result[0] if result else point):
            raise ValueError(
                f"{NAME}: point {k} has {_numbers(len(point))} but point 0 has {len(result[0])}; "
                "each point gives one number per input of f"
            )
        result.append(tuple(float(x) for x in point))
    return result


def _at_most(items: Iterable[Any], what: str, unit: str, advice: str) -> list[Any]:
    """The first ``MAX_POINTS`` of ``items``, read lazily, or a ``ValueError`` if there are more."""
    taken = list(itertools.islice(items, MAX_POINTS + 1))
    if len(taken) > MAX_POINTS:
        raise ValueError(f"{NAME}: {what} more than {MAX_POINTS:,} {unit} (the most one call takes); {advice}")
    return taken


def read_input_names(f: Callable[..., Any], names: Sequence[str] | None, point: tuple[float, ...]) -> list[str]:
    """The name of each input: ``names``, else ``f``'s parameters (``x0, x1, ...`` where it has none)."""
    n = len(point)
    if names is not None:
        labels = [str(name) for name in names]
        if len(labels) != n:
            raise ValueError(f"{NAME}: {len(labels)} names for points of {_numbers(n)}; give one name per input")
        _refuse_repeated(labels)
        return labels
    try:
        parameters = list(inspect.signature(f).parameters.values())
    except (TypeError, ValueError):  # some callables have no signature to read
        return [f"x{i}" for i in range(n)]
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    required = sum(p.default is p.empty for p in positional)
    variadic = any(p.kind is p.VAR_POSITIONAL for p in parameters)
    if n < required or (n > len(positional) and not variadic):
        signature = ", ".join(p.name for p in positional)
        takes = f"{required} to {len(positional)}" if len(positional) > required else str(required)
        raise ValueError(
            f"{NAME}: the point {point!r} has {_numbers(n)}, but f({signature}) takes {takes}; "
            "give one number per input of f"
        )
    return [p.name for p in positional[:n]] + [f"x{i}" for i in range(len(positional), n)]


def _refuse_repeated(labels: list[str]) -> None:
    """Refuse two inputs with one name: a key of ``expected`` would name only the first of them.

    Names equal once NFKC-normalized count as one, as they do to Python: ``lambda ａ, b: ...``
    (a full-width ａ) takes an input called a.
    """
    first: dict[str, int] = {}
    for i, label in enumerate(labels):
        j = first.setdefault(unicodedata.normalize("NFKC", label), i)
        if j == i:
            continue
        if labels[j] == label:
            raise ValueError(f"{NAME}: names has {label!r} twice (inputs {j} and {i}); give each input its own name")
        raise ValueError(
            f"{NAME}: names has {labels[j]!r} (input {j}) and {label!r} (input {i}), one name to Python (NFKC); "
            "give each input its own name"
        )


def read_checks(expected: Any, labels: list[str], order: int, n_points: int) -> list[Check]:
    """``expected`` as a list of checks, every key resolved to input indices, every formula looked at."""
    if not isinstance(expected, Mapping):
        raise TypeError(
            f"{NAME}: expected must be a dict from an input (name or index) to its hand derivative, "
            f"e.g. {{'z': lambda z, y: sigmoid(z) - y}}, got {describe(expected)}"
        )
    if not expected:
        raise ValueError(f"{NAME}: expected is empty; map an input to its hand derivative, e.g. {{{labels[0]!r}: 1.0}}")
    checks: dict[tuple[int, ...], Check] = {}
    for key, hand in expected.items():
        if order == 1 and isinstance(key, tuple):
            raise ValueError(f"{NAME}: the key {key!r} is a pair of inputs, a second derivative; pass order=2")
        if order == 2 and not (isinstance(key, tuple) and len(key) == 2):
            raise ValueError(f"{NAME}: with order=2 each key is a pair of inputs, such as ('z', 'z'), got {key!r}")
        inputs = tuple(_index(k, labels) for k in (key if order == 2 else (key,)))
        label = "d/d" + labels[inputs[0]] if order == 1 else f"d2/d{labels[inputs[0]]}d{labels[inputs[1]]}"
        if inputs in checks:
            raise ValueError(f"{NAME}: expected gives {label} twice; give each derivative once")
        _check_hand(hand, label, labels, n_points)
        checks[inputs] = Check(inputs, label, hand)
    return list(checks.values())


def _index(key: Any, labels: list[str]) -> int:
    n = len(labels)
    if isinstance(key, str):
        if key not in labels:
            raise ValueError(
                f"{NAME}: expected names the input {key!r}, but f's inputs are {', '.join(labels)}; "
                f"use one of these names or an index 0..{n - 1}"
            )
        return labels.index(key)
    if isinstance(key, bool) or not isinstance(key, int):
        raise TypeError(f"{NAME}: a key of expected is {describe(key)}; use an input's name or index")
    if not -n <= key < n:
        raise ValueError(
            f"{NAME}: the index {key} is out of range for f's {n} inputs ({', '.join(labels)}); use 0..{n - 1}"
        )
    return key % n


def _check_hand(hand: Any, label: str, labels: list[str], n_points: int) -> None:
    """Refuse, before any evaluation, a formula of the wrong arguments or a wrong-length list."""
    where = f"{NAME}: the hand derivative {label}"
    if callable(hand):
        try:
            signature = inspect.signature(hand)
        except (TypeError, ValueError):
            return
        try:
            signature.bind(*labels)
        except TypeError:
            raise TypeError(
                f"{where} must take f's {len(labels)} inputs, as f does, but it takes {signature}: "
                f"write it as lambda {', '.join(labels)}: ..."
            ) from None
    elif isinstance(hand, (list, tuple)):
        if len(hand) != n_points:
            raise ValueError(f"{where} has {_numbers(len(hand))} for {n_points} points; give one number per point")
    elif isinstance(hand, bool) or not isinstance(hand, (numbers.Real, Value)):
        raise TypeError(
            f"{where} is {describe(hand)}; give a number, a function of f's inputs, or one number per point"
        )


def _numbers(n: int) -> str:
    return "1 number" if n == 1 else f"{n} numbers"
