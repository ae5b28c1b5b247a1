"""Hypothesis strategies shared by the autograd tests: "small floats", kept away from singularities."""

from __future__ import annotations

from hypothesis import strategies as st


def small_floats(low: float = -3.0, high: float = 3.0) -> st.SearchStrategy[float]:
    """Finite floats in ``[low, high]``: where central differences are accurate."""
    return st.floats(min_value=low, max_value=high, allow_nan=False, allow_infinity=False)


def away_from_zero(low: float = 0.1, high: float = 3.0) -> st.SearchStrategy[float]:
    """Floats with ``low <= |x| <= high``: keeps kinks (relu, abs) and poles (1/x) out of reach of eps."""
    magnitude = small_floats(low, high)
    return st.builds(lambda m, negative: -m if negative else m, magnitude, st.booleans())


def positive(low: float = 0.1, high: float = 5.0) -> st.SearchStrategy[float]:
    """Floats in ``[low, high]``, for log, sqrt and a power's base."""
    return small_floats(low, high)


def central_difference(f, args: list[float], i: int, eps: float = 1e-6) -> float:
    """``(f(x + eps) - f(x - eps)) / 2eps`` in argument ``i``, computed on plain floats."""
    plus, minus = list(args), list(args)
    plus[i] += eps
    minus[i] -= eps
    return (f(*plus) - f(*minus)) / (2 * eps)
