"""autograd/defop.py: your own primitives with ``defop``, and any primitive of the table by name with ``apply``."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd
import autograd.checking
import autograd.errors
import autograd.extend
import autograd.language.syntax
from autograd import Value, grad, gradcheck, rules
from autograd.errors import DomainError


def test_apply_computes_any_op_of_the_table_on_values_or_numbers() -> None:
    plain = autograd.extend.apply("+", 1, 2)
    assert plain == 3.0 and type(plain) is float
    x = Value(2.0)
    y = autograd.extend.apply("**", x, 3)
    assert (y.op, y.data) == ("**", 8.0) and y.parents[0] is x
    assert autograd.extend.is_constant(y.parents[1]) and y.parents[1].data == 3.0
    with pytest.raises(TypeError, match=r"^tanh needs a real number \(int, float or numpy scalar\), got str '1'$"):
        autograd.extend.apply("tanh", "1")


def test_defop_adds_a_primitive_that_backward_grad_and_gradcheck_use(temporary_op) -> None:
    cube = temporary_op("ag_cube", lambda x: x**3, lambda ans, x: 3 * x**2)
    assert "ag_cube" in rules.PRIMITIVES
    assert "ag_cube" in autograd.language.syntax.functions()
    assert cube.__name__ == "ag_cube"
    x = Value(2.0)
    y = cube(x)
    assert (y.op, y.parents, y.data) == ("ag_cube", (x,), 8.0)
    y.backward()
    assert x.grad == 12.0
    assert cube(2) == 8.0 and type(cube(2)) is float
    assert grad(cube)(-1.0) == 3.0
    assert grad(grad(cube))(2.0) == 12.0  # 6x
    assert grad(grad(grad(cube)))(2.0) == 6.0
    assert gradcheck(lambda t: cube(t.sin()), 0.7, order=2)
    assert "op='ag_cube'" in repr(y)


def test_defop_with_two_inputs(temporary_op) -> None:
    hypot = temporary_op(
        "hypot_",
        lambda x, y: math.hypot(x, y),
        lambda ans, x, y: (x / ans, y / ans),
    )
    a, b = Value(3.0), Value(4.0)
    h = hypot(a, b)
    h.backward()
    assert (h.data, a.grad, b.grad) == (5.0, 0.6, 0.8)
    assert hypot(a, 4.0).parents[1].data == 4.0
    assert gradcheck(hypot, 0.3, -1.2, order=2)
    assert autograd.hessian(hypot)(3.0, 4.0) == [
        [pytest.approx(16 / 125), pytest.approx(-12 / 125)],
        [pytest.approx(-12 / 125), pytest.approx(9 / 125)],
    ]


@pytest.mark.parametrize("name", ["", "two words", "3d", "a-b", None, 3])
def test_defop_name_must_be_an_identifier(name, temporary_op) -> None:
    with pytest.raises(ValueError, match="identifier"):
        temporary_op(name, lambda x: x, lambda ans, x: 1.0)


@pytest.mark.parametrize("name", sorted(op for op in rules.PRIMITIVES if op.isidentifier()))
def test_defop_refuses_a_builtin_name(name: str, temporary_op) -> None:
    before = rules.PRIMITIVES[name]
    with pytest.raises(ValueError, match="built-in"):
        temporary_op(name, lambda x: x, lambda ans, x: 1.0)
    assert rules.PRIMITIVES[name] is before


def test_defop_needs_callables(temporary_op) -> None:
    with pytest.raises(TypeError, match="callable"):
        temporary_op("nope", 3.0, lambda ans, x: 1.0)
    with pytest.raises(TypeError, match="callable"):
        temporary_op("nope", lambda x: x, None)
    assert "nope" not in rules.PRIMITIVES


@pytest.mark.parametrize("create_graph", [False, True])
def test_defop_derivative_with_the_wrong_number_of_results_is_a_type_error(create_graph: bool, temporary_op) -> None:
    """A programming error, not a domain error: it must not blame the input value."""
    bad = temporary_op("bad_arity", lambda x: 2 * x, lambda ans, x: (2.0, 0.0))
    x = Value(1.0)
    y = bad(x)
    with pytest.raises(TypeError) as info:
        autograd.gradients(y, [x], create_graph=create_graph)
    assert not isinstance(info.value, DomainError)
    assert "bad_arity" in str(info.value)
    assert "returned 2 values for 1 inputs" in str(info.value)


@pytest.mark.parametrize(
    "forward, derivative",
    [
        (lambda x: x**3, lambda x: 3 * x**2),  # forgot ans
        (lambda x, y: x * y, lambda ans, x: (1.0, 1.0)),  # forgot an input
        (lambda x: x, lambda ans, x, y: 1.0),  # one input too many
    ],
    ids=["no ans", "missing input", "extra input"],
)
def test_defop_derivative_signature_is_checked_when_the_op_is_defined(forward, derivative, temporary_op) -> None:
    with pytest.raises(TypeError) as info:
        temporary_op("misfit", forward, derivative)
    message = str(info.value)
    assert "misfit" in message and "ans" in message
    assert "misfit" not in rules.PRIMITIVES


def test_defop_accepts_a_derivative_with_star_args(temporary_op) -> None:
    mean = temporary_op("mean3", lambda a, b, c: (a + b + c) / 3, lambda ans, *xs: (1 / 3,) * len(xs))
    x = Value(3.0)
    mean(x, 1.0, 2.0).backward()
    assert x.grad == pytest.approx(1 / 3)


def test_defop_forward_must_return_a_number(temporary_op) -> None:
    bad = temporary_op("bad_forward", lambda x: "not a number", lambda ans, x: 1.0)
    with pytest.raises(TypeError, match="bad_forward"):
        bad(Value(1.0))


def test_defop_forward_errors_name_the_op_and_the_input(temporary_op) -> None:
    """math.log's own message is a bare "math domain error": the op and the value are added."""
    mylog = temporary_op("mylog", math.log, lambda ans, x: 1 / x)
    with pytest.raises(
        DomainError, match=r"^mylog: mylog\(-1.0\) failed in its forward \(ValueError: math domain error\)"
    ):
        mylog(Value(-1.0))
    with pytest.raises(DomainError, match="mylog"):
        mylog(-1.0)


@pytest.mark.parametrize(
    "derivative, words",
    [
        (lambda ans, x: "2x", ["bad_result", "derivative", "str"]),
        (lambda ans, x: None, ["bad_result", "derivative", "NoneType"]),
        (lambda ans, x: np.array([2.0, 5.0]), ["bad_result", "array of shape (2,)"]),
        (lambda ans, x: [np.array([1.0, 2.0])], ["bad_result", "array"]),
    ],
    ids=["str", "None", "array", "array in a list"],
)
def test_defop_derivative_results_must_be_numbers(derivative, words: list[str], temporary_op) -> None:
    bad = temporary_op("bad_result", lambda x: 2 * x, derivative)
    x = Value(1.0)
    with pytest.raises(TypeError) as info:
        bad(x).backward()
    for word in words:
        assert word in str(info.value)
    assert x.grad == 0.0  # a failed backward leaves the gradients as they were


def test_defop_derivative_may_return_numpy_scalars(temporary_op) -> None:
    double = temporary_op("np_double", lambda x: 2 * x, lambda ans, x: np.float64(2.0))
    x = Value(1.5)
    double(x).backward()
    assert x.grad == 2.0 and type(x.grad) is float


def test_a_defop_derivative_may_return_a_list() -> None:
    mul2 = autograd.extend.defop("mul2_list", lambda x, y: x * y, lambda ans, x, y: [y, x])
    try:
        x, y = Value(3.0), Value(4.0)
        mul2(x, y).backward()
        assert (x.grad, y.grad) == (4.0, 3.0)
    finally:
        del autograd.rules.PRIMITIVES["mul2_list"]


def test_redefining_an_op_warns_that_earlier_graphs_change(temporary_op) -> None:
    """Nodes find their rule by name: a graph built before the second defop uses the new rule."""
    sq = temporary_op("sq", lambda x: x * x, lambda ans, x: 2 * x)
    x = Value(3.0)
    y = sq(x)
    with pytest.warns(UserWarning, match="'sq' is redefined"):
        temporary_op("sq", lambda x: x**3, lambda ans, x: 3 * x * x)
    y.backward()
    assert (y.data, x.grad) == (9.0, 27.0)
