"""The functional API: grad, value_and_grad, hessian, gradients, no_grad and detach."""

from __future__ import annotations

import math
import warnings

import pytest
import sympy
from ag_strategies import small_floats
from hypothesis import given, settings

import autograd
from autograd import Value, grad, gradients, hessian, no_grad, value_and_grad

EXAMPLES = settings(max_examples=25, deadline=None)


# A composite function of two variables and its sympy twin, for closed-form higher derivatives.


def composite(x, y):
    # sin(x) * sin(x), not sin(x) ** 2: see test_derivatives_of_integer_powers_at_zero for why
    return autograd.tanh(x * y) + autograd.log(x * x + 1) * autograd.sigmoid(y) + autograd.sin(x) * autograd.sin(x) * (y * y + 2) ** -1


_X, _Y = sympy.symbols("x y", real=True)
_COMPOSITE = sympy.tanh(_X * _Y) + sympy.log(_X**2 + 1) / (1 + sympy.exp(-_Y)) + sympy.sin(_X) ** 2 / (_Y**2 + 2)


def composite_derivative(*wrt: sympy.Symbol):
    return sympy.lambdify((_X, _Y), sympy.diff(_COMPOSITE, *wrt), modules="math")


COMPOSITE_DERIVATIVES = {
    wrt: composite_derivative(*wrt)
    for wrt in [(_X,), (_Y,), (_X, _X), (_X, _Y), (_Y, _Y), (_X, _X, _X), (_X, _X, _Y), (_Y, _Y, _Y)]
}


def close(expected: float):
    return pytest.approx(expected, rel=1e-9, abs=1e-9)


# grad and value_and_grad


def test_grad_of_a_polynomial_exact() -> None:
    assert grad(lambda x: x**3)(2.0) == 12.0
    assert grad(lambda x: 3 * x * x - 2 * x + 1)(1.5) == 7.0


def test_grad_returns_a_float_for_plain_numbers() -> None:
    d = grad(lambda x: x * x)(3)
    assert type(d) is float and d == 6.0


def test_grad_with_argnums_int_tuple_and_negative() -> None:
    f = lambda x, y, z: x * y + y * z * z
    assert grad(f)(1.0, 2.0, 3.0) == 2.0
    assert grad(f, argnums=1)(1.0, 2.0, 3.0) == 10.0
    assert grad(f, argnums=-1)(1.0, 2.0, 3.0) == 12.0
    assert grad(f, argnums=(0, 2))(1.0, 2.0, 3.0) == (2.0, 12.0)
    assert grad(f, argnums=(2, 0, 1))(1.0, 2.0, 3.0) == (12.0, 2.0, 10.0)


def test_arguments_not_differentiated_are_passed_as_given() -> None:
    seen = []

    def f(x, label, n):
        seen.append((type(x), label, n))
        return x**n

    assert grad(f)(2.0, "anything", 3) == 12.0
    assert seen == [(Value, "anything", 3)]


@pytest.mark.parametrize("argnums", [2, -3, (0, 2), (5,)])
def test_argnums_out_of_range_is_a_value_error(argnums) -> None:
    with pytest.raises(ValueError, match="argnums") as info:
        grad(lambda x, y: x * y, argnums=argnums)(1.0, 2.0)
    assert "2 arguments" in str(info.value)


def test_argnums_that_are_not_ints_are_rejected() -> None:
    with pytest.raises((TypeError, ValueError), match="argnums"):
        grad(lambda x, y: x * y, argnums=("0",))(1.0, 2.0)


def test_grad_of_no_arguments_is_an_error() -> None:
    with pytest.raises(ValueError, match="argnums"):
        grad(lambda: 1.0)()


def test_grad_of_a_non_callable_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="callable"):
        grad(3.0)(1.0)  # type: ignore[arg-type]


def test_grad_of_a_function_returning_a_non_number_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="list"):
        grad(lambda x: [x, x])(1.0)


def test_grad_of_a_non_number_argument_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="str"):
        grad(lambda x: x * x)("3")


def test_grad_of_a_constant_function_is_zero() -> None:
    with pytest.warns(RuntimeWarning, match="plain number 5.0, not a Value, so its derivative is 0"):
        assert grad(lambda x: 5.0)(2.0) == 0.0
    assert grad(lambda x: Value(5.0))(2.0) == 0.0
    with pytest.warns(RuntimeWarning, match="plain number 9.0"):  # y is not differentiated: a float
        assert grad(lambda x, y: y * y)(2.0, 3.0) == 0.0
    assert grad(grad(lambda x: 3 * x))(2.0) == 0.0


def test_grad_warns_when_math_functions_hide_the_variable() -> None:
    # math.sin(x) calls float(x): the result is a plain number and the derivative (cos 1) is lost.
    with pytest.warns(RuntimeWarning, match=r"use autograd's functions \(autograd.sin\(x\)\)"):
        assert grad(lambda x: math.sin(x))(1.0) == 0.0
    assert grad(lambda x: autograd.sin(x))(1.0) == math.cos(1.0)


def test_nested_derivatives_that_are_constant_do_not_warn() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert grad(grad(lambda x: 3 * x))(2.0) == 0.0
        assert hessian(lambda x, y: x + y)(1.0, 2.0) == [[0.0, 0.0], [0.0, 0.0]]
        (d,) = gradients(Value(1.0) + 2.0, [Value(3.0)], create_graph=True)
        assert type(d) is Value and d.data == 0.0 and d.parents == ()


def test_grad_of_the_identity_is_one() -> None:
    assert grad(lambda x: x)(2.0) == 1.0


def test_value_and_grad() -> None:
    value, d = value_and_grad(lambda x: x**3)(2.0)
    assert (value, d) == (8.0, 12.0)
    assert type(value) is float
    assert value_and_grad(lambda x, y: x * y, argnums=(0, 1))(3.0, 4.0) == (12.0, (4.0, 3.0))
    with pytest.warns(RuntimeWarning, match="value_and_grad: f returned the plain number 7"):
        assert value_and_grad(lambda x: 7)(1.0) == (7.0, 0.0)


def test_grad_leaves_value_grads_untouched() -> None:
    w = Value(2.0)
    w.grad = 0.5
    assert grad(lambda x: x * w)(3.0) == 2.0
    assert w.grad == 0.5


# Higher orders


def test_nested_grad_of_a_cubic_to_third_order_exact() -> None:
    f = lambda x: x**3 - 2 * x * x
    assert grad(f)(2.0) == 4.0  # 3x² - 4x
    assert grad(grad(f))(2.0) == 8.0  # 6x - 4
    assert grad(grad(grad(f)))(2.0) == 6.0
    assert grad(grad(grad(grad(f))))(2.0) == 0.0


def test_nested_grad_of_exp_to_fourth_order() -> None:
    d = autograd.exp
    for _ in range(4):
        d = grad(d)
    assert d(1.0) == pytest.approx(math.e, rel=1e-15)


@EXAMPLES
@given(x=small_floats(-2.0, 2.0), y=small_floats(-2.0, 2.0))
def test_nested_grad_of_a_composite_function_matches_sympy(x: float, y: float) -> None:
    dx = grad(composite, 0)
    dy = grad(composite, 1)
    assert dx(x, y) == close(COMPOSITE_DERIVATIVES[(_X,)](x, y))
    assert dy(x, y) == close(COMPOSITE_DERIVATIVES[(_Y,)](x, y))
    assert grad(dx, 0)(x, y) == close(COMPOSITE_DERIVATIVES[(_X, _X)](x, y))
    assert grad(dx, 1)(x, y) == close(COMPOSITE_DERIVATIVES[(_X, _Y)](x, y))
    assert grad(dy, 0)(x, y) == close(COMPOSITE_DERIVATIVES[(_X, _Y)](x, y))
    assert grad(dy, 1)(x, y) == close(COMPOSITE_DERIVATIVES[(_Y, _Y)](x, y))
    assert grad(grad(dx, 0), 0)(x, y) == close(COMPOSITE_DERIVATIVES[(_X, _X, _X)](x, y))
    assert grad(grad(dx, 0), 1)(x, y) == close(COMPOSITE_DERIVATIVES[(_X, _X, _Y)](x, y))
    assert grad(grad(dy, 1), 1)(x, y) == close(COMPOSITE_DERIVATIVES[(_Y, _Y, _Y)](x, y))


@EXAMPLES
@given(x=small_floats(-2.0, 2.0), y=small_floats(-2.0, 2.0))
def test_hessian_of_a_composite_function_matches_sympy(x: float, y: float) -> None:
    h = hessian(composite)(x, y)
    expected = [
        [COMPOSITE_DERIVATIVES[(_X, _X)](x, y), COMPOSITE_DERIVATIVES[(_X, _Y)](x, y)],
        [COMPOSITE_DERIVATIVES[(_X, _Y)](x, y), COMPOSITE_DERIVATIVES[(_Y, _Y)](x, y)],
    ]
    assert h == [[close(e) for e in row] for row in expected]


def test_hessian_exact() -> None:
    assert hessian(lambda x, y: x * x * y)(3.0, 2.0) == [[4.0, 6.0], [6.0, 0.0]]
    assert hessian(lambda x: x**3)(2.0) == [[12.0]]
    assert hessian(lambda x, y, z: x * y * z)(1.0, 2.0, 3.0) == [[0.0, 3.0, 2.0], [3.0, 0.0, 1.0], [2.0, 1.0, 0.0]]
    h = hessian(lambda x, y: x + y)(1.0, 2.0)
    assert h == [[0.0, 0.0], [0.0, 0.0]]
    assert all(type(e) is float for row in h for e in row)


def test_hessian_of_a_power_at_base_zero() -> None:
    """f = x**y at (0, 2): f_xx = y(y-1)x^(y-2) = 2, f_xy = x^(y-1)(1 + y log x) -> 0, f_yy = x^y log²x -> 0.
    The rule tells the base 0 apart by its number, also when it is a Value in the second pass."""
    assert hessian(lambda x, y: x**y)(0.0, 2.0) == [[2.0, 0.0], [0.0, 0.0]]
    y = Value(2.0)
    (dy,) = gradients(Value(0.0) ** y, [y], create_graph=True)
    assert dy.data == 0.0


def test_hessian_of_no_arguments_is_an_error() -> None:
    with pytest.raises(ValueError, match="hessian"):
        hessian(lambda: 1.0)()


@pytest.mark.parametrize(
    "f, order, expected",
    [
        (lambda x: x**0, 1, 0.0),  # d/dx x^0 = 0 everywhere
        (lambda x: x**1, 2, 0.0),
        (lambda x: x**2, 3, 0.0),
        (lambda x: x**3, 4, 0.0),
        (lambda x: autograd.sin(x) ** 2, 3, 0.0),  # -4 sin(2x), where a learner meets it
    ],
    ids=["x^0'", "x^1''", "x^2'''", "x^3''''", "sin^2'''"],
)
def test_derivatives_of_integer_powers_at_zero(f, order: int, expected: float) -> None:
    d = f
    for _ in range(order):
        d = grad(d)
    assert d(0.0) == expected


def test_derivatives_of_integer_powers_at_zero_below_the_exponent() -> None:
    assert grad(lambda x: x**2)(0.0) == 0.0
    assert grad(grad(lambda x: x**2))(0.0) == 2.0
    assert grad(grad(grad(lambda x: x**3)))(0.0) == 6.0


# gradients


def test_gradients_returns_floats_and_leaves_grad_untouched() -> None:
    x, y = Value(3.0), Value(4.0)
    x.grad = 100.0
    z = x * x * y
    z.grad = -1.0
    result = gradients(z, [x, y])
    assert result == [24.0, 9.0]
    assert all(type(r) is float for r in result)
    assert (x.grad, y.grad, z.grad) == (100.0, 0.0, -1.0)


def test_gradients_with_create_graph_returns_values_that_can_be_differentiated() -> None:
    x = Value(3.0)
    y = x * x * x
    (dy,) = gradients(y, [x], create_graph=True)
    assert isinstance(dy, Value) and dy.data == 27.0
    (d2y,) = gradients(dy, [x], create_graph=True)
    assert d2y.data == 18.0
    assert gradients(d2y, [x]) == [6.0]
    assert x.grad == 0.0 and y.grad == 0.0


def test_gradients_with_respect_to_a_value_not_in_the_graph_is_zero() -> None:
    x, outsider = Value(2.0), Value(5.0)
    assert gradients(x * x, [outsider, x]) == [0.0, 4.0]
    assert gradients(3.0, [x]) == [0.0]  # a plain number does not depend on anything


def test_gradients_inputs_must_be_values() -> None:
    with pytest.raises(TypeError, match="Values"):
        gradients(Value(1.0), [1.0])  # type: ignore[list-item]


def test_gradients_of_an_intermediate_node() -> None:
    a, b = Value(2.0), Value(3.0)
    u = a * b
    J = u.exp()
    assert gradients(J, [u]) == [pytest.approx(math.exp(6.0), rel=1e-15)]
    assert gradients(u, [a, b, J]) == [3.0, 2.0, 0.0]


# no_grad and detach


def test_no_grad_results_are_leaves_with_correct_numbers() -> None:
    x = Value(2.0)
    with no_grad():
        y = x * 3 + 1
        z = autograd.tanh(y)
        s = autograd.sum([x, y])
        d = autograd.dot([x], [y])
    assert (y.data, y.op, y.parents) == (7.0, "", ())
    assert z.data == math.tanh(7.0) and z.op == "" and z.parents == ()
    assert (s.data, s.parents, d.data, d.parents) == (9.0, (), 14.0, ())
    z.backward()
    assert x.grad == 0.0


def test_recording_resumes_after_no_grad_even_after_an_exception() -> None:
    x = Value(2.0)
    with pytest.raises(RuntimeError), no_grad():
        raise RuntimeError("boom")
    y = x * x
    assert y.op == "*" and y.parents == (x, x)


def test_nested_no_grad() -> None:
    x = Value(2.0)
    with no_grad():
        with no_grad():
            pass
        inner = x * x
    assert inner.parents == ()
    assert (x * x).parents == (x, x)


def test_grad_inside_no_grad_still_differentiates() -> None:
    """grad is a function transform (as in JAX and torch.func): an outer no_grad must not zero it."""
    with no_grad():
        assert grad(lambda x: x * x)(3.0) == 6.0
        assert grad(grad(lambda x: x**3))(2.0) == 12.0
        y = Value(2.0) * 3
    assert y.parents == ()  # and no_grad still holds around it


def test_detach_is_a_new_leaf_with_the_same_number_and_label() -> None:
    x = Value(2.0, label="x")
    y = x * x
    y.label = "y"
    d = y.detach()
    assert d is not y
    assert (d.data, d.label, d.op, d.parents, d.grad) == (4.0, "y", "", (), 0.0)
    z = d * x
    z.backward()
    assert x.grad == 4.0  # only through the direct use: nothing flows through the detached copy
    assert y.grad == 0.0


def test_an_exception_inside_f_does_not_leave_grad_in_higher_order_mode() -> None:
    """grad counts how deep it is nested; an exception must not leave that count raised."""

    def broken(x):
        raise RuntimeError("inside f")

    with pytest.raises(RuntimeError):
        grad(broken)(1.0)
    with pytest.raises(RuntimeError):
        grad(grad(broken))(1.0)
    d = grad(lambda x: x * x)(3.0)
    assert type(d) is float and d == 6.0
    value, d = value_and_grad(lambda x: x * x)(3.0)
    assert type(value) is float and type(d) is float


def test_gradients_of_an_input_with_respect_to_itself() -> None:
    x = Value(2.0)
    assert gradients(x, [x, x]) == [1.0, 1.0]
