"""autograd/arrays.py: the engine's forwards on arrays of examples, entry by entry the float ones."""

from __future__ import annotations

import pytest

from autograd import forwards as floats
from autograd.rules import UNDEFINED

np = pytest.importorskip("numpy")
from autograd.compile import arrays  # noqa: E402 - numpy first


def test_sigmoid_and_softplus_follow_the_float_formulas():
    x = np.array([-800.0, -3.0, -1e-9, 0.0, 1e-9, 2.5, 800.0])
    for array_version, float_version in ((arrays.sigmoid, floats.sigmoid), (arrays.softplus, floats.softplus)):
        with np.errstate(**arrays.ERRORS):
            got = array_version(x)
        want = [float_version(v) for v in x.tolist()]
        assert np.allclose(got, want, rtol=2e-16, atol=0.0)  # numpy's exp may differ from libm's by one bit


def test_each_applies_a_float_function_per_example():
    assert arrays.each(floats.power, np.array([4.0, 9.0]), 0.5).tolist() == [2.0, 3.0]
    dx, dy = arrays.each_rule(lambda ans, x, y: (y, x), np.array([2.0, 6.0]), np.array([1.0, 2.0]), 2.0)
    assert dx.tolist() == [2.0, 2.0] and dy.tolist() == [1.0, 2.0]


def test_an_undefined_slope_raises_where_it_is_multiplied():
    (d,) = arrays.each_rule(lambda ans, x: (UNDEFINED if x == 0 else 1.0,), np.array([0.0, 1.0]), np.array([0.0, 1.0]))
    with pytest.raises(ZeroDivisionError):
        np.array([1.0, 1.0]) * d


def test_total_and_spread():
    assert arrays.total(np.array([1.0, 2.0]), 2) == 3.0 and arrays.total(1.5, 4) == 6.0
    assert arrays.spread(2.0, 3).tolist() == [2.0, 2.0, 2.0]
