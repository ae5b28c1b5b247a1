"""autograd/gradcheck.py: True for right derivatives, a readable table for wrong ones, to second
order; steps relative to the argument, and a clear error where they leave the domain."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

import autograd
import autograd.checking
import autograd.errors
import autograd.extend
import autograd.language.syntax
from autograd import gradcheck
from autograd.errors import DomainError, GradcheckError, StepOutsideDomain

from ..strategies import small_floats


def test_gradcheck_passes_right_derivatives() -> None:
    assert gradcheck(lambda x: x**3, 1.5) is True
    assert gradcheck(lambda x, y: autograd.tanh(x * y), 0.5, -1.5, order=2) is True
    assert (
        gradcheck(lambda x, y, z: autograd.dot([x, y], [z, z], bias=autograd.exp(x)), 0.1, 0.2, -0.3, order=2) is True
    )


def test_gradcheck_of_a_function_written_with_methods() -> None:
    assert gradcheck(lambda x, y: x.exp() * y.tanh(), 0.3, 0.7) is True


def test_gradcheck_order_two_of_a_function_written_with_methods() -> None:
    assert gradcheck(lambda x, y: x.exp() * y.tanh(), 0.3, 0.7, order=2) is True


@settings(max_examples=15, deadline=None)
@given(x=small_floats(-2.0, 2.0), y=small_floats(-2.0, 2.0))
def test_gradcheck_passes_a_composite_function_to_second_order(x: float, y: float) -> None:
    f = lambda a, b: autograd.sigmoid(a * b - 1) * autograd.softplus(b) + autograd.cos(a + 2 * b)
    assert gradcheck(f, x, y, order=2)


def test_a_wrong_first_derivative_raises_with_a_table(temporary_op) -> None:
    wrong = temporary_op("wrong_square", lambda x: x * x, lambda ans, x: 3 * x)  # should be 2x
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda x, y: wrong(x) + y, 2.0, 1.0)
    lines = str(info.value).splitlines()
    assert "x0=2.0" in lines[0] and "x1=1.0" in lines[0]
    assert "atol=1e-05" in lines[0] and "rtol=0.001" in lines[0]
    assert lines[1].split() == ["input", "analytic", "numeric", "error"]
    row_x0 = next(line for line in lines if line.startswith("d/dx0"))
    _, analytic, numeric, error, *mark = row_x0.split()
    assert float(analytic) == 6.0
    assert float(numeric) == pytest.approx(4.0, rel=1e-6)
    assert float(error) == pytest.approx(2.0, rel=1e-3)
    assert mark == ["<-", "mismatch"]
    row_x1 = next(line for line in lines if line.startswith("d/dx1"))
    assert "mismatch" not in row_x1  # every derivative is shown, only the wrong one is marked


def test_order_two_catches_a_derivative_that_is_only_right_to_first_order(temporary_op) -> None:
    """Writing the derivative on floats (float(x)) cuts the graph: first order right, second order 0."""
    flat = temporary_op("flat_square", lambda x: x * x, lambda ans, x: 2 * float(x))
    assert gradcheck(flat, 1.5) is True
    with pytest.raises(GradcheckError) as info:
        gradcheck(flat, 1.5, order=2)
    row = next(line for line in str(info.value).splitlines() if line.startswith("d2/dx0dx0"))
    assert row.split()[1:3] == ["0", "2"] or (
        float(row.split()[1]) == 0.0 and float(row.split()[2]) == pytest.approx(2.0)
    )
    assert "mismatch" in row


def test_tolerances_are_used() -> None:
    # (1.1^3 - 0.9^3) / 0.2 = 3.01 against the exact 3: passes only when rtol allows 0.01 / 3.01
    with pytest.raises(GradcheckError):
        gradcheck(lambda x: x**3, 1.0, eps=0.1)
    assert gradcheck(lambda x: x**3, 1.0, eps=0.1, rtol=1e-2)
    assert gradcheck(lambda x: x**3, 1.0, eps=0.1, rtol=0.0, atol=0.011)


def test_gradcheck_steps_relative_to_the_argument() -> None:
    # An absolute step of 1e-6 at x = 1e8 is below float precision there: the check would fail.
    assert gradcheck(lambda x: x**3, 1e8) is True


def test_gradcheck_says_when_its_steps_leave_the_domain() -> None:
    with pytest.raises(
        DomainError, match=r"gradcheck: the central-difference steps x0 = 1e-09 ± 1e-06 leave f's domain"
    ):
        gradcheck(lambda x: x.sqrt(), 1e-9)


def test_a_step_outside_the_domain_keeps_the_problem_apart_from_the_advice() -> None:
    with pytest.raises(StepOutsideDomain) as info:
        gradcheck(lambda x: x.log(), 1e-7)
    assert isinstance(info.value, DomainError)
    assert info.value.problem == (
        "gradcheck: the central-difference steps x0 = 1e-07 ± 1e-06 leave f's domain "
        "(log: log(-9e-07) is undefined; the input must be > 0); check at a point further from the edge"
    )
    assert str(info.value) == info.value.problem + ", or pass a smaller eps"


@pytest.mark.parametrize(("option", "value"), [("eps", 0.0), ("eps", -1e-6), ("atol", float("nan")), ("rtol", "1")])
def test_gradcheck_rejects_bad_tolerances(option: str, value: object) -> None:
    with pytest.raises(ValueError, match=f"gradcheck: {option} must be"):
        gradcheck(lambda x: x * x, 1.0, **{option: value})


@pytest.mark.parametrize("order", [0, 3, "2"])
def test_gradcheck_order_must_be_one_or_two(order) -> None:
    with pytest.raises(ValueError, match="order"):
        gradcheck(lambda x: x, 1.0, order=order)


def test_gradcheck_needs_a_point() -> None:
    with pytest.raises(ValueError, match="point"):
        gradcheck(lambda x: x)


def test_gradcheck_point_must_be_numbers() -> None:
    with pytest.raises(TypeError, match="gradcheck"):
        gradcheck(lambda x: x, "1.0")


def test_names_label_the_table(temporary_op) -> None:
    wrong = temporary_op("wrong_double", lambda x: 2 * x, lambda ans, x: 3.0)
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda w, bias: wrong(w) * bias, 1.0, 2.0, names=["w", "bias"], order=2)
    lines = str(info.value).splitlines()
    assert "w=1.0, bias=2.0" in lines[0]
    assert [line.split()[0] for line in lines[2:]] == [
        "d/dw", "d/dbias", "d2/dwdw", "d2/dwdbias", "d2/dbiasdw", "d2/dbiasdbias",
    ]  # fmt: skip
    assert "mismatch" in next(line for line in lines if line.startswith("d/dw "))


def test_names_must_match_the_arguments() -> None:
    with pytest.raises(ValueError, match="names"):
        gradcheck(lambda x, y: x * y, 1.0, 2.0, names=["x"])


def test_gradcheck_report_returns_instead_of_raising(temporary_op) -> None:
    passed, table = autograd.checking.gradcheck_report(lambda x: x * x, 3.0, names=["x"])
    assert passed is True
    assert table.splitlines()[0] == "gradcheck passed at x=3.0 (tolerance: atol=1e-05, rtol=0.001)"
    assert table.splitlines()[2].split()[:3] == ["d/dx", "6", "6"]
    wrong = temporary_op("wrong_triple", lambda x: 3 * x, lambda ans, x: 1.0)
    passed, table = autograd.checking.gradcheck_report(wrong, 3.0)
    assert passed is False
    assert table.splitlines()[0].startswith("gradcheck failed at x0=3.0")
    assert "mismatch" in table
