"""autograd/value.py: the ``Value`` node, what it accepts and holds, its operators, comparisons and
repr, ``Parameter``, the constants made for plain numbers, and ``detach``."""

from __future__ import annotations

import math
import operator

import numpy as np
import pytest
from hypothesis import given, settings

import autograd
import autograd.checking
import autograd.errors
import autograd.extend
import autograd.language.syntax
from autograd import Parameter, Value
from autograd.errors import DomainError
from autograd.extend import is_constant

from .strategies import away_from_zero, positive, small_floats

EXAMPLES = settings(max_examples=30, deadline=None)


# Construction


@pytest.mark.parametrize(
    "number, stored",
    [
        (3, 3.0),
        (-2.5, -2.5),
        (np.float64(1.5), 1.5),
        (np.float32(0.5), 0.5),
        (np.int64(7), 7.0),
        (np.int8(-3), -3.0),
    ],
)
def test_a_real_number_is_stored_as_a_float(number: object, stored: float) -> None:
    v = Value(number)
    assert type(v.data) is float
    assert v.data == stored


def test_a_new_value_is_a_leaf_with_zero_grad() -> None:
    v = Value(2.0)
    assert (v.data, v.grad, v.label, v.op, v.parents) == (2.0, 0.0, "", "", ())
    assert Value(2.0, label="w").label == "w"
    assert Value(2.0, "w").label == "w"


@pytest.mark.parametrize(
    "bad, named",
    [
        ("3.0", "str"),
        (1 + 2j, "complex"),
        (None, "NoneType"),
        ([1.0], "list"),
        ((1.0,), "tuple"),
    ],
)
def test_anything_but_a_real_number_is_a_type_error_naming_what_it_got(bad: object, named: str) -> None:
    with pytest.raises(TypeError, match=named) as info:
        Value(bad)
    assert repr(bad) in str(info.value)


@pytest.mark.parametrize("array", [np.array([1.0, 2.0]), np.zeros((2, 3)), np.array(1.0)])
def test_an_array_points_to_the_vectorized_path(array: np.ndarray) -> None:
    with pytest.raises(TypeError) as info:
        Value(array)
    message = str(info.value)
    assert "one number" in message
    assert "nn.vectorized" in message
    assert str(array.shape) in message


def test_a_value_of_a_value_is_a_type_error_saying_so() -> None:
    with pytest.raises(TypeError, match="Value") as info:
        Value(Value(1.0))
    assert "x.data" in str(info.value)


def test_a_label_must_be_a_str() -> None:
    with pytest.raises(TypeError, match="label"):
        Value(1.0, label=3)  # type: ignore[arg-type]


@pytest.mark.parametrize("nan", [math.nan, np.float64("nan"), -math.nan])
def test_nan_is_not_a_value(nan: object) -> None:
    """A NaN, often a missing value in a data set, is refused where it enters; inf is a float like any other."""
    with pytest.raises(DomainError, match="nan.*missing value"):
        Value(nan)
    assert Value(math.inf).data == math.inf


def test_an_int_too_large_for_a_float_is_a_domain_error() -> None:
    with pytest.raises(DomainError, match="too large"):
        Value(10**400)


def test_a_huge_integer_is_refused_with_a_short_message() -> None:
    with pytest.raises(DomainError) as info:
        Value(10**400)
    assert "too large for a float" in str(info.value) and len(str(info.value)) < 120


def test_value_has_slots_and_no_instance_dict() -> None:
    """Nodes are small: the style guide measures about 130 bytes a node against micrograd's 660."""
    v = Value(1.0)
    assert not hasattr(v, "__dict__")
    with pytest.raises(AttributeError):
        v.anything_else = 1  # type: ignore[attr-defined]


def test_parameter_is_a_value_leaf() -> None:
    p = Parameter(2.0, label="w")
    assert isinstance(p, Value)
    assert (p.data, p.grad, p.label, p.op, p.parents) == (2.0, 0.0, "w", "", ())
    assert not hasattr(p, "__dict__")
    y = p * 3
    y.backward()
    assert p.grad == 3.0


def test_repr_shows_data_grad_label_and_op() -> None:
    a, b, c = Value(5.0, label="a"), Value(3.0, label="b"), Value(2.0, label="c")
    J = 3 * (a + b * c)
    J.label = "J"
    J.backward()
    assert repr(J) == "Value(data=33.0, grad=1.0, label='J', op='*')"
    assert repr(a) == "Value(data=5.0, grad=3.0, label='a')"
    assert repr(Value(-0.5)) == "Value(data=-0.5, grad=0.0)"


# Operators


BINARY = [
    ("+", operator.add),
    ("-", operator.sub),
    ("*", operator.mul),
    ("/", operator.truediv),
]


@pytest.mark.parametrize("op, python", BINARY, ids=[name for name, _ in BINARY])
@EXAMPLES
@given(x=small_floats(), y=away_from_zero(0.2))
def test_binary_operators_with_a_value_or_a_number_on_either_side(op: str, python, x: float, y: float) -> None:
    expected = python(x, y)
    for out in (python(Value(x), Value(y)), python(Value(x), y), python(x, Value(y))):
        assert isinstance(out, Value)
        assert out.op == op
        assert out.data == expected
        assert [p.data for p in out.parents] == [x, y]  # argument order, also for the reflected form


@EXAMPLES
@given(x=positive(0.5, 3.0), y=small_floats())
def test_power_with_a_value_or_a_number_on_either_side(x: float, y: float) -> None:
    for out in (Value(x) ** Value(y), Value(x) ** y, x ** Value(y)):
        assert out.op == "**"
        assert out.data == pytest.approx(x**y, rel=1e-15)
        assert [p.data for p in out.parents] == [x, y]


def test_two_to_the_power_of_a_value() -> None:
    v = Value(3.0)
    out = 2**v
    out.backward()
    assert out.data == 8.0
    assert v.grad == pytest.approx(8.0 * math.log(2.0), rel=1e-15)


def test_unary_minus_abs_and_float() -> None:
    v = Value(-2.5)
    assert (-v).op == "neg" and (-v).data == 2.5 and (-v).parents == (v,)
    assert abs(v).op == "abs" and abs(v).data == 2.5 and abs(v).parents == (v,)
    assert float(v) == -2.5 and type(float(v)) is float


def test_unary_plus_is_the_value_itself() -> None:
    v = Value(2.0)
    assert +v is v


def test_parents_are_in_argument_order() -> None:
    a, b = Value(1.0, "a"), Value(2.0, "b")
    assert (a - b).parents == (a, b)
    assert (b - a).parents == (b, a)
    assert (a * a).parents == (a, a)
    rsub = 10 - a
    assert rsub.parents[1] is a and rsub.parents[0].data == 10.0 and rsub.parents[0].op == ""


def test_numbers_in_expressions_become_constant_leaves() -> None:
    a = Value(2.0)
    out = 3 * a
    const = out.parents[0]
    assert isinstance(const, Value)
    assert (const.data, const.op, const.parents) == (3.0, "", ())


def test_number_literals_become_unlabelled_leaves_in_argument_order() -> None:
    v = Value(2.0, label="v")
    y = 3 * v + 1.5
    three, one_and_a_half = y.parents[0].parents[0], y.parents[1]
    for c, number in ((three, 3.0), (one_and_a_half, 1.5)):
        assert (type(c), c.data, c.label, c.op, c.parents) == (Value, number, "", "", ())


def test_is_constant_tells_a_number_in_an_expression_from_a_value_you_made() -> None:
    v = Value(2.0, label="v")
    y = 3 * v
    three = y.parents[0]
    assert is_constant(three) and three.parents == () and three.data == 3.0
    assert not is_constant(v) and not is_constant(Value(3.0)) and not is_constant(y)
    assert not is_constant(y.detach())  # a detached copy is a leaf like one you made


@pytest.mark.parametrize("number", [np.float64(2.0), np.float32(2.0), np.int64(2)])
def test_numpy_scalars_work_on_either_side(number: object) -> None:
    v = Value(3.0)
    for out in (v * number, number * v, v + number, number + v, number**v):
        assert isinstance(out, Value), type(out)
    assert (number * v).data == 6.0
    assert (number - v).data == -1.0


@pytest.mark.parametrize(
    "expression",
    [
        lambda v: v + "a",
        lambda v: "a" + v,
        lambda v: v * None,
        lambda v: v + 1j,
        lambda v: v + [1.0],
        lambda v: v + np.array([1.0]),
        lambda v: np.array([1.0]) + v,
        lambda v: v * np.ones((2, 2)),
        lambda v: v ** "2",
    ],
)
def test_operands_that_are_not_real_numbers_are_type_errors(expression) -> None:
    with pytest.raises(TypeError):
        expression(Value(1.0))


# Comparisons, equality and hashing


def test_comparisons_look_at_data_and_return_bool() -> None:
    small, big = Value(1.0), Value(2.0)
    results = [small < big, small <= big, big > small, big >= small, small < 1.5, small <= 1, 2 > small, 0 >= small]
    assert results == [True, True, True, True, True, True, True, False]
    assert all(type(r) is bool for r in results)
    assert (big < small, big <= 1.0, small > 3, small >= 1.0) == (False, False, False, True)


@pytest.mark.parametrize("number", [np.float64(2.0), np.float32(2.0), np.int64(2)])
def test_comparisons_with_numpy_scalars_return_a_python_bool(number: object) -> None:
    v = Value(1.0)
    results = [v < number, v <= number, v > number, v >= number, number > v, number < v]
    assert results == [True, True, False, False, True, False]
    assert all(type(r) is bool for r in results)


def test_equality_and_hash_are_identity() -> None:
    a, b = Value(1.0), Value(1.0)
    assert a == a  # noqa: PLR0124 - identity is what is tested
    assert a != b
    assert not (a == 1.0)  # noqa: SIM201 - __eq__ itself is what is tested
    assert len({a, b}) == 2
    grads = {a: "a", b: "b"}
    assert grads[a] == "a" and grads[b] == "b"
    a.data = 5.0  # a Value's hash does not depend on its (mutable) number
    assert grads[a] == "a"


def test_comparing_with_a_string_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        Value(1.0) < "a"  # noqa: B015


# Primitives as methods


METHODS = ["exp", "log", "tanh", "sigmoid", "relu", "sqrt", "sin", "cos", "leaky_relu", "softplus",
           "tan", "sinh", "cosh", "asin", "acos", "atan", "asinh", "acosh", "atanh", "log1p", "expm1", "log2", "log10"]  # fmt: skip


@pytest.mark.parametrize("name", METHODS)
def test_each_primitive_is_a_method_and_a_function_of_numbers(name: str) -> None:
    x, whole = (1.7, 2) if name == "acosh" else (0.7, 0) if name == "atanh" else (0.7, 1)  # inside each domain
    method_result = getattr(Value(x), name)()
    function_result = getattr(autograd, name)(Value(x))
    plain = getattr(autograd, name)(x)
    assert method_result.op == function_result.op == name
    assert method_result.data == function_result.data == plain
    assert type(plain) is float
    assert type(getattr(autograd, name)(whole)) is float  # an int is a number too
    assert name in autograd.language.syntax.functions()  # an expression can call it, by the table's name
    assert autograd.parse(f"{name}(x)", x=x).data == plain


# detach


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


def test_detach_keeps_a_nan_as_it_is():
    """Value(nan) is refused as data coming in; a nan the graph made is carried by detach, not refused."""
    made = Value(1.0) * math.nan
    leaf = made.detach()
    assert math.isnan(leaf.data) and leaf.parents == () and leaf is not made


# Numpy's ufuncs on Values (``__array_ufunc__``)


@pytest.mark.parametrize(
    ("ufunc", "op", "slope"),
    [
        (np.exp, "exp", math.exp(0.5)),
        (np.log, "log", 2.0),
        (np.tanh, "tanh", 1.0 - math.tanh(0.5) ** 2),
        (np.sqrt, "sqrt", 0.5 / math.sqrt(0.5)),
        (np.sin, "sin", math.cos(0.5)),
        (np.cos, "cos", -math.sin(0.5)),
        (np.arctanh, "atanh", 1.0 / (1.0 - 0.25)),
        (np.negative, "neg", -1.0),
        (np.absolute, "abs", 1.0),
    ],
)
def test_a_numpy_ufunc_on_a_value_is_the_engines_node(ufunc: np.ufunc, op: str, slope: float) -> None:
    x = Value(0.5)
    y = ufunc(x)
    assert isinstance(y, Value) and y.op == op and y.parents == (x,)
    assert y.data == pytest.approx(float(ufunc(0.5)), rel=1e-15)  # the engine's forward, to rounding
    y.backward()
    assert x.grad == pytest.approx(slope, rel=1e-15)


def test_numpy_habits_give_the_course_derivative() -> None:
    # J = tanh(w) * exp(w) at w = 0.5: dJ/dw = exp(w) (1 - tanh(w)^2 + tanh(w)), by the product rule.
    w = Value(0.5)
    J = np.tanh(w) * np.exp(w)
    J.backward()
    t, e = math.tanh(0.5), math.exp(0.5)
    assert (J.data, w.grad) == (pytest.approx(t * e, rel=1e-15), pytest.approx(e * (1 - t * t + t), rel=1e-15))


def test_binary_ufuncs_are_the_operators_and_comparisons_compare_numbers() -> None:
    v = Value(3.0)
    results = [np.add(v, 2), np.subtract(2, v), np.multiply(v, v), np.divide(1.5, v), np.power(v, 2)]
    assert [(r.op, r.data) for r in results] == [("+", 5.0), ("-", -1.0), ("*", 9.0), ("/", 0.5), ("**", 9.0)]
    assert np.positive(v) is v
    compared = [np.less(v, 4), np.greater(np.float64(4), v), np.greater_equal(2, v), np.less_equal(v, v)]
    assert compared == [True, True, False, True] and all(type(c) is bool for c in compared)
    assert (np.float64(3.0) == v, np.equal(v, v), np.float64(3.0) != v) == (False, True, True)  # == is identity


def test_ufuncs_on_an_object_array_of_values_compute_through_the_engine() -> None:
    w = np.array([Value(0.0), Value(1.0)], dtype=object)
    scale = Value(2.0)
    A = np.tanh(w) * scale  # numpy's loop calls Value.tanh, then Value.__mul__
    J = A[0] + A[1]
    J.backward()
    assert [a.op for a in A] == ["*", "*"]
    assert (w[0].grad, w[1].grad) == (2.0, pytest.approx(2.0 * (1.0 - math.tanh(1.0) ** 2), rel=1e-15))
    assert scale.grad == pytest.approx(math.tanh(1.0), rel=1e-15)


@pytest.mark.parametrize(("ufunc", "instead"), [(np.square, "x * x"), (np.maximum, "autograd.relu"), (np.arctan2, "")])
def test_a_ufunc_without_a_rule_is_a_type_error_saying_what_to_use(ufunc: np.ufunc, instead: str) -> None:
    args = (Value(1.0),) * ufunc.nin
    with pytest.raises(TypeError, match=rf"np\.{ufunc.__name__} has no derivative rule") as info:
        ufunc(*args)
    assert instead in str(info.value) and "np.tanh" in str(info.value)


def test_a_ufunc_method_or_keyword_on_a_value_is_a_type_error() -> None:
    v = Value(1.0)
    with pytest.raises(TypeError, match=r"np\.add\.reduce\(\) on a Value"):
        np.add.reduce(v)
    with pytest.raises(TypeError, match=r"np\.exp\.__call__\(out\) on a Value"):
        np.exp(v, out=np.empty(()))


# nodes() (issue 19, item 15): a list, so len() and indexing work; the graph, inputs first, the root last.


def test_nodes_is_a_list_with_the_inputs_first_and_the_root_last() -> None:
    a, b, c = Value(5.0, label="a"), Value(3.0, label="b"), Value(2.0, label="c")
    u = b * c
    v = a + u
    J = 3 * v
    nodes = J.nodes()
    assert type(nodes) is list and len(nodes) == 7  # a, b, c, the constant 3, u, v, J
    assert nodes[-1] is J
    three = J.parents[0]
    assert nodes == [three, a, b, c, u, v, J]  # the README's order: ['', 'a', 'b', 'c', 'u', 'v', 'J']
    for i, node in enumerate(nodes):  # each node after the nodes it is computed from
        assert all(nodes.index(p) < i for p in node.parents)
    assert J.nodes() == nodes and J.nodes() is not nodes  # a fresh list each call


def test_nodes_of_a_leaf_is_the_leaf_alone() -> None:
    x = Value(2.0)
    assert x.nodes() == [x] and len(x.nodes()) == 1
