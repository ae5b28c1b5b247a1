"""autograd/expected.py: how check_derivatives reads its arguments. Inputs by name or index,
hand derivatives as numbers, functions or one number per point, bare numbers as points of a
function of one input; and a clear error for each mistake, before anything is evaluated."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator

import pytest

from autograd import check_derivatives, log, sigmoid
from autograd.checking import check_derivatives_report, hand_arguments


def J(a, b, c):
    """The course's J = 3(a + bc)."""
    return 3 * (a + b * c)


def L(z, y):
    """Logistic regression's loss for one example, a = σ(z)."""
    a = sigmoid(z)
    return -(y * log(a) + (1 - y) * log(1 - a))


def dz(z, y):
    return sigmoid(z) - y


# Ways to give the inputs and the hand derivatives


def test_inputs_by_index_and_hand_derivatives_as_numbers_or_lists() -> None:
    assert check_derivatives(J, {0: 3, -2: lambda a, b, c: 3 * c, 2: 3.0 * 3}, 5, 3, 2)
    points = [(5, 3, 2), (0, 1, -4)]
    assert check_derivatives(J, {"b": [6, -12], "c": (9, 3)}, points=points)  # one number per point
    assert check_derivatives(J, {("a", 1): 0}, 5, 3, 2, order=2)


def test_a_function_of_one_input_takes_bare_numbers_as_points() -> None:
    assert check_derivatives(lambda x: x.exp(), {"x": math.exp}, points=[-1.0, 0.0, 2])


# Bad input


@pytest.mark.parametrize(
    "expected, kwargs, error, message",
    [
        ({"w": dz}, {}, ValueError, r"expected names the input 'w', but f's inputs are z, y; .* index 0\.\.1"),
        ({2: dz}, {}, ValueError, r"the index 2 is out of range for f's 2 inputs \(z, y\); use 0\.\.1"),
        ({-3: dz}, {}, ValueError, r"the index -3 is out of range"),
        ({True: dz}, {}, TypeError, r"a key of expected is bool True; use an input's name or index"),
        ({1.0: dz}, {}, TypeError, r"a key of expected is float 1\.0"),
        ({}, {}, ValueError, r"expected is empty; map an input to its hand derivative"),
        ({"z": dz, 0: dz}, {}, ValueError, r"expected gives d/dz twice"),
        ({"z": "a - y"}, {}, TypeError, r"the hand derivative d/dz is str 'a - y'; give a number, a function"),
        ({"z": True}, {}, TypeError, r"the hand derivative d/dz is bool True"),
        (
            {"z": lambda z: z},
            {},
            TypeError,
            r"the hand derivative d/dz must take f's 2 inputs, as f does, but it takes \(z\): write it as lambda z, y: ",
        ),
        (
            {"z": [1.0, 2.0]},
            {},
            ValueError,
            r"the hand derivative d/dz has 2 numbers for 1 points; give one number per point",
        ),
        (
            {("z", "z"): 1.0},
            {},
            ValueError,
            r"the key \('z', 'z'\) is a pair of inputs, a second derivative; pass order=2",
        ),
        (
            {"z": 1.0},
            {"order": 2},
            ValueError,
            r"with order=2 each key is a pair of inputs, such as \('z', 'z'\), got 'z'",
        ),
        ({"z": dz}, {"order": 3}, ValueError, r"order must be 1 or 2, got 3"),
        ({"z": dz}, {"atol": -1}, ValueError, r"atol must be a number >= 0, got -1"),
        ({"z": dz}, {"eps": 0}, ValueError, r"eps must be > 0"),
        ({"z": dz}, {"names": ["z"]}, ValueError, r"1 names for points of 2 numbers"),
    ],
)
def test_bad_expected_and_options(expected, kwargs, error, message) -> None:
    with pytest.raises(error, match="^check_derivatives: " + message):
        check_derivatives(L, expected, 0.5, 1.0, **kwargs)


@pytest.mark.parametrize(
    "args, points, error, message",
    [
        ((), None, ValueError, r"give the point, e\.g\. check_derivatives\(f, expected, 0\.5, 1\.0\)"),
        ((0.5, 1.0), [(0.5, 1.0)], ValueError, r"give the point as arguments or the points as points=, not both"),
        ((), [], ValueError, r"points is empty"),
        ((), "0.5", TypeError, r"points must be a list of points"),
        ((), [(0.5, 1.0), (0.5,)], ValueError, r"point 1 has 1 number but point 0 has 2"),
        ((), [(0.5, 1.0, 2.0)], ValueError, r"the point \(0\.5, 1\.0, 2\.0\) has 3 numbers, but f\(z, y\) takes 2"),
        ((0.5,), None, ValueError, r"the point \(0\.5,\) has 1 number, but f\(z, y\) takes 2"),
        ((), [(0.5, math.nan)], ValueError, r"point 0 has float nan at position 1; expected a finite real number"),
        ((), [(math.inf, 1.0)], ValueError, r"point 0 has float inf at position 0"),
        ((), [("0.5", 1.0)], TypeError, r"point 0 has str '0\.5' at position 0"),
        ((), [None], TypeError, r"point 0 is NoneType None; each point is a tuple of numbers"),
    ],
)
def test_bad_points(args, points, error, message) -> None:
    with pytest.raises(error, match="^check_derivatives: " + message):
        check_derivatives(L, {"z": dz}, *args, points=points)


@pytest.mark.parametrize(
    "names, message",
    [
        (["a", "a", "c"], r"names has 'a' twice \(inputs 0 and 1\); give each input its own name"),
        (["a", "b", "b"], r"names has 'b' twice \(inputs 1 and 2\)"),
        # a full-width ａ (U+FF41): Python reads it as a, in a hand formula's ``lambda ａ, b, c:`` too
        (["a", "b", "\uff41"], r"names has 'a' \(input 0\) and 'ａ' \(input 2\), one name to Python \(NFKC\); give"),
    ],
)
def test_two_inputs_with_one_name_are_refused(names, message) -> None:
    # Otherwise a key of expected would name only the first of them (issue 19, item 6).
    with pytest.raises(ValueError, match="^check_derivatives: " + message):
        check_derivatives(J, {"c": 9.0}, 5, 3, 2, names=names)
    assert check_derivatives(J, {"c": 9.0}, 5, 3, 2, names=["a", "b", "c"])


def test_a_point_must_fit_a_function_with_defaults() -> None:
    with pytest.raises(ValueError, match=r"the point \(1\.0, 2\.0, 3\.0\) has 3 numbers, but f\(x, w\) takes 1 to 2"):
        check_derivatives(lambda x, w=2.0: w * x, {"x": 2.0}, 1.0, 2.0, 3.0)
    assert check_derivatives(lambda x, w=2.0: w * x, {"x": 2.0}, 1.0)


def test_expected_must_be_a_mapping() -> None:
    with pytest.raises(TypeError, match=r"^check_derivatives: expected must be a dict .* got list"):
        check_derivatives(L, [dz], 0.5, 1.0)


# Bounded work (issue 19, item 2): at most 1,000 points, an iterator read lazily up to the cap.


def test_an_endless_iterator_of_points_is_refused_after_reading_one_more_than_the_cap() -> None:
    read = 0

    def endless() -> Iterator[float]:
        nonlocal read
        while True:
            read += 1
            yield 1.0

    with pytest.raises(ValueError, match=r"^check_derivatives: points gives more than 1,000 points"):
        check_derivatives_report(lambda x: x * x, {"x": lambda x: 2 * x}, points=endless())
    assert read == 1_001
    with pytest.raises(ValueError, match=r"more than 1,000 points"):
        check_derivatives(lambda x: x * x, {"x": 2.0}, points=itertools.repeat(1.0))
    assert hand_arguments.MAX_POINTS == 1_000


def test_an_endless_point_is_refused() -> None:
    with pytest.raises(ValueError, match=r"^check_derivatives: point 1 has more than 1,000 numbers"):
        check_derivatives(lambda x: x * x, {"x": 2.0}, points=[(1.0,), itertools.repeat(1.0)])


def test_as_many_points_as_the_cap_are_checked_from_an_iterator() -> None:
    passed, table = check_derivatives_report(
        lambda x: 3 * x, {"x": 3.0}, points=(float(k) for k in range(1_000)), names=["x"]
    )
    assert passed
    assert "agree on 1000 derivatives" in table.splitlines()[0]
