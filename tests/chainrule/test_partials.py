"""chainrule/partials.py: every derivative that exists, and why each other one does not."""

from __future__ import annotations

import pytest

from autograd import Value
from autograd.errors import DomainError, undefined_derivative
from chainrule.partials import Undefined, gradient, hessian, reason


def test_a_derivative_that_does_not_exist_does_not_hide_the_others() -> None:
    x, y = Value(0.0, label="x"), Value(2.0, label="y")
    J = x.sqrt() * y + 3 * y
    assert gradient(J, {"x": x, "y": y}) == {"x": Undefined("sqrt at 0 has a vertical slope"), "y": 3.0}
    assert gradient(J, {"y": y}) == {"y": 3.0}


def test_a_row_of_the_hessian_is_undefined_where_the_first_derivative_is() -> None:
    x, y = Value(0.0, label="x"), Value(2.0, label="y")
    first = gradient(x.sqrt() + x * y, {"x": x, "y": y}, create_graph=True)
    rows = hessian(first, {"x": x, "y": y})
    why = Undefined("sqrt at 0 has a vertical slope")
    assert rows == {"x": {"x": why, "y": why}, "y": {"x": 1.0, "y": 0.0}}


@pytest.mark.parametrize(
    "op, inputs, error, why",
    [
        ("sqrt", [0.0], ZeroDivisionError(), "sqrt at 0 has a vertical slope"),
        ("**", [-0.0, 0.5], ZeroDivisionError(), "0 ** 0.5 has a vertical slope"),
        (
            "**",
            [0.5, -1023.0],
            OverflowError(),
            "0.5 ** -1023 has a slope too large for a float (about 1.8e308 at most)",
        ),
        (
            "acos",
            [1.0],
            ValueError("math domain error"),
            "acos at 1: the local derivative is undefined (math domain error)",
        ),
    ],
)
def test_the_reason_in_a_few_words(op, inputs, error, why) -> None:
    assert reason(undefined_derivative(op, inputs, error)) == why
    assert reason(DomainError("something else\n  entirely")) == "something else entirely"
