"""autograd/functional.py: backward, zero_grad and nodes on a graph; gradients, grad,
value_and_grad and hessian; fresh_pass; and the course's logistic-regression derivation."""

from __future__ import annotations

import math
import warnings

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
import autograd.checking
import autograd.errors
import autograd.extend
import autograd.language.syntax
from autograd import Value, grad, gradients, hessian, no_grad, value_and_grad
from autograd.backprop import fresh_pass, restore
from autograd.errors import DomainError
from autograd.extend import topological_order

from ..graphs import course_graph, micrograd_readme_expression
from ..strategies import small_floats

EXAMPLES = settings(max_examples=25, deadline=None)
LOGISTIC_EXAMPLES = settings(max_examples=60, deadline=None)


# backward, zero_grad and nodes


def test_backward_twice_adds_exactly_twice() -> None:
    """micrograd's bug: a second backward() without zeroing must give exactly double, everywhere."""
    a, b, g = micrograd_readme_expression()
    g.backward()
    first = {id(n): n.grad for n in g.nodes()}
    g.backward()
    assert g.grad == 2.0
    for n in g.nodes():
        # exact: doubling a float is exact. The constant 2 of e**2 (e < 0) has an undefined
        # gradient, nan, on both passes: x ** y has no slope in y where x < 0.
        assert n.grad == 2 * first[id(n)] or (math.isnan(n.grad) and math.isnan(first[id(n)]))
    assert round(a.grad, 4) == round(2 * 138.8338192419825, 4)
    assert round(b.grad, 4) == round(2 * 645.5772594752186, 4)


def test_backward_seeds_one_and_adds_into_existing_grads() -> None:
    g = course_graph()
    g["a"].grad = 10.0
    g["u"].grad = -1.0
    g["J"].backward()
    assert g["a"].grad == 13.0
    assert g["u"].grad == 2.0
    assert g["J"].grad == 1.0


def test_two_outputs_sharing_a_leaf_accumulate() -> None:
    x = Value(3.0)
    y1 = x * x  # dy1/dx = 6
    y2 = 4 * x  # dy2/dx = 4
    y1.backward()
    y2.backward()
    assert x.grad == 10.0


def test_backward_of_a_leaf_is_one() -> None:
    x = Value(2.0)
    x.backward()
    assert x.grad == 1.0


def test_zero_grad_zeroes_every_node_under_the_output() -> None:
    g = course_graph()
    g["J"].backward()
    unrelated = Value(1.0)
    unrelated.grad = 7.0
    g["J"].zero_grad()
    assert all(node.grad == 0.0 for node in g["J"].nodes())
    assert unrelated.grad == 7.0
    g["J"].backward()
    assert (g["a"].grad, g["b"].grad, g["c"].grad) == (3.0, 6.0, 9.0)


def test_a_failing_backward_leaves_earlier_grads_untouched() -> None:
    a = Value(4.0)
    a.sqrt().backward()
    assert a.grad == 0.25
    c = (a - 4.0).sqrt()  # sqrt(0): fine forward, no derivative
    with pytest.raises(DomainError):
        c.backward()
    assert a.grad == 0.25
    assert all(n.grad == 0.0 for n in c.nodes() if n is not a)


def test_a_failing_first_backward_leaves_grads_at_zero() -> None:
    x = Value(0.0)
    y = x * 3
    z = y.sqrt() + y  # the + and * nodes are passed before sqrt fails
    with pytest.raises(DomainError):
        z.backward()
    assert [n.grad for n in z.nodes()] == [0.0] * len(list(z.nodes()))


def test_nodes_are_the_graph_in_topological_order() -> None:
    g = course_graph()
    nodes = list(g["J"].nodes())
    assert nodes == topological_order(g["J"])
    assert len(nodes) == 7 and nodes[-1] is g["J"]  # a, b, c, the constant 3, u, v, J
    assert all(any(n is v for n in nodes) for v in g.values())


def test_fresh_pass_starts_from_zero_and_hands_back_the_earlier_gradients() -> None:
    x = Value(3.0)
    y = x * x
    order = topological_order(y)
    assert fresh_pass(order) is None  # every gradient was 0: nothing to hand back
    assert (x.grad, y.grad) == (6.0, 1.0)
    earlier = fresh_pass(order)  # the second pass starts from 0 again, not from 6
    assert earlier == [6.0, 1.0] and (x.grad, y.grad) == (6.0, 1.0)
    x.grad = 100.0
    restore(order, earlier)
    assert (x.grad, y.grad) == (6.0, 1.0)
    restore(order, None)
    assert (x.grad, y.grad) == (0.0, 0.0)


# grad and value_and_grad, checked against closed forms and sympy


def composite(x, y):
    # sin(x) * sin(x), not sin(x) ** 2: see test_derivatives_of_integer_powers_at_zero in test_rules.py for why
    return (
        autograd.tanh(x * y)
        + autograd.log(x * x + 1) * autograd.sigmoid(y)
        + autograd.sin(x) * autograd.sin(x) * (y * y + 2) ** -1
    )


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


def test_grad_inside_no_grad_still_differentiates() -> None:
    """grad is a function transform (as in JAX and torch.func): an outer no_grad must not zero it."""
    with no_grad():
        assert grad(lambda x: x * x)(3.0) == 6.0
        assert grad(grad(lambda x: x**3))(2.0) == 12.0
        y = Value(2.0) * 3
    assert y.parents == ()  # and no_grad still holds around it


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


def test_hessian_of_no_arguments_is_an_error() -> None:
    with pytest.raises(ValueError, match="hessian"):
        hessian(lambda: 1.0)()


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


def test_gradients_of_an_input_with_respect_to_itself() -> None:
    x = Value(2.0)
    assert gradients(x, [x, x]) == [1.0, 1.0]


# Logistic regression's hand derivation, dz = a - y, through separate sigmoid and log-loss nodes


labels = st.one_of(st.sampled_from([0.0, 1.0]), small_floats(0.0, 1.0))


def log_loss(a: Value, y: float) -> Value:
    """L(a, y) = -(y log a + (1 - y) log(1 - a)), written with separate nodes."""
    return -(y * a.log() + (1 - y) * (1 - a).log())


@LOGISTIC_EXAMPLES
@given(z=small_floats(-20.0, 20.0), y=labels)
def test_dz_is_a_minus_y(z: float, y: float) -> None:
    z_node = Value(z, label="z")
    a = z_node.sigmoid()
    L = log_loss(a, y)
    L.backward()
    ops = {n.op for n in L.nodes()}
    assert {"sigmoid", "log"} <= ops  # not a fused loss: the chain rule does the work
    a_expected = 1 / (1 + math.exp(-z))
    assert a.data == pytest.approx(a_expected, rel=1e-14)
    assert a.grad == pytest.approx(-y / a.data + (1 - y) / (1 - a.data), rel=1e-9)  # da
    assert z_node.grad == pytest.approx(a.data - y, abs=1e-12)  # dz = a - y


@LOGISTIC_EXAMPLES
@given(
    examples=st.lists(st.tuples(small_floats(-3.0, 3.0), st.sampled_from([0.0, 1.0])), min_size=1, max_size=8),
    w=small_floats(-2.0, 2.0),
    b=small_floats(-2.0, 2.0),
)
def test_cost_gradients_dw_db_over_m_examples(examples: list[tuple[float, float]], w: float, b: float) -> None:
    """J = (1/m) Σ L(a⁽ⁱ⁾, y⁽ⁱ⁾) with z = w x + b: dw = (1/m) Σ x dz, db = (1/m) Σ dz."""
    w_node, b_node = Value(w, label="w"), Value(b, label="b")
    m = len(examples)
    J = sum((log_loss((w_node * x + b_node).sigmoid(), y) for x, y in examples), Value(0.0)) / m
    J.backward()
    dz = [1 / (1 + math.exp(-(w * x + b))) - y for x, y in examples]
    assert w_node.grad == pytest.approx(sum(x * d for (x, _), d in zip(examples, dz)) / m, abs=1e-12)
    assert b_node.grad == pytest.approx(sum(dz) / m, abs=1e-12)


def test_one_example_by_hand() -> None:
    """z = 0: a = 1/2, and with y = 1: L = log 2, dz = -1/2, da = -2."""
    z = Value(0.0)
    a = z.sigmoid()
    L = log_loss(a, 1.0)
    L.backward()
    assert a.data == 0.5
    assert L.data == pytest.approx(math.log(2.0), rel=1e-15)
    assert a.grad == -2.0
    assert z.grad == -0.5


# List arguments: the derivatives come back in the argument's shape


def cost_of_weights(w, b):
    """J = (w0 * 2 + w1 * 3 + b)^2 at a fixed example x = (2, 3): dJ/dw = 2 z x, dJ/db = 2 z."""
    z = w[0] * 2.0 + w[1] * 3.0 + b
    return z * z


def test_grad_of_a_weight_list_is_a_list_of_the_same_length() -> None:
    # z = 1*2 + (-1)*3 + 0.5 = -0.5, so dJ/dw = 2 z x = [-2, -3] and dJ/db = 2 z = -1.
    assert grad(cost_of_weights)([1.0, -1.0], 0.5) == [-2.0, -3.0]
    assert grad(cost_of_weights, argnums=(0, 1))([1.0, -1.0], 0.5) == ([-2.0, -3.0], -1.0)
    assert value_and_grad(cost_of_weights)([1.0, -1.0], 0.5) == (0.25, [-2.0, -3.0])


def test_grad_of_nested_lists_and_tuples_keeps_their_shape() -> None:
    def f(W):
        return W[0][0] * W[1][1] - W[0][1] * W[1][0] + W[2][0]  # a 2x2 determinant, plus a third row's entry

    d = grad(f)([[2.0, 3.0], (5.0, 7.0), [11.0]])
    assert d == [[7.0, -5.0], (-3.0, 2.0), [1.0]]
    assert type(d[1]) is tuple and all(type(x) is float for row in d for x in row)


def test_grad_of_a_list_nests_for_second_derivatives() -> None:
    # f = w0^2 w1: df/dw0 = 2 w0 w1, whose derivative by w1 is 2 w0 = 6 at w = (3, 2).
    def df_dw0(w):
        return grad(lambda v: v[0] * v[0] * v[1])(w)[0]

    assert grad(df_dw0)([3.0, 2.0]) == [4.0, 6.0]


def test_a_list_of_values_gives_values_and_scalars_are_unchanged() -> None:
    w = [Value(1.0), Value(-1.0)]
    d = grad(cost_of_weights)(w, 0.5)
    assert all(isinstance(x, Value) for x in d) and [x.data for x in d] == [-2.0, -3.0]
    assert grad(lambda x: x**3)(2.0) == 12.0 and type(grad(lambda x: x**3)(2.0)) is float


def test_a_list_argument_with_a_non_number_names_its_place() -> None:
    with pytest.raises(TypeError, match=r"grad argument 0\[1\]"):
        grad(cost_of_weights)([1.0, "2"], 0.5)
