"""autograd/forward_mode.py: jvp against backward() and sympy, on the course's graph, through every
primitive and on random expressions; hvp against hessian; nesting with grad; undefined local
derivatives where the tangent is 0; the errors; and the doctests of docs/forward_mode.md."""

from __future__ import annotations

import doctest
import math
import operator
import pathlib
from collections.abc import Callable
from typing import Any

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
import autograd.checking
import autograd.errors
import autograd.extend
import autograd.language.syntax
from autograd import Value, grad, hessian, hvp, jvp, no_grad
from autograd.derivatives.forward_mode import push_forward
from autograd.errors import DomainError
from autograd.extend import defop

from ..graphs import course_graph
from ..strategies import small_floats
from ..test_rules import OPS, reference_derivative, spec_for

EXAMPLES = settings(max_examples=25, deadline=None)
DOCS = pathlib.Path(__file__).resolve().parents[3] / "docs" / "forward_mode.md"


def J(a: Any, b: Any, c: Any) -> Any:
    """The course's J = 3(a + bc)."""
    return 3 * (a + b * c)


def close(expected: float) -> object:
    return pytest.approx(expected, rel=1e-9, abs=1e-9)


# The course's graph: one input's derivative per forward pass, all of them in one backward pass


@pytest.mark.parametrize("tangent, derivative", [((1, 0, 0), 3.0), ((0, 1, 0), 6.0), ((0, 0, 1), 9.0)])
def test_course_graph_one_input_per_pass(tangent: tuple[int, ...], derivative: float) -> None:
    assert jvp(J, (5.0, 3.0, 2.0), tangent) == (33.0, derivative)


def test_course_graph_forward_passes_match_the_one_backward_pass() -> None:
    g = course_graph()
    g["J"].backward()
    backward = [g[x].grad for x in "abc"]
    forward = [jvp(J, (5.0, 3.0, 2.0), tuple(float(i == k) for i in range(3)))[1] for k in range(3)]
    assert forward == backward == [3.0, 6.0, 9.0]
    # any direction: the dot product of the gradient with the tangent, 3·1 + 6·(-2) + 9·0.5
    assert jvp(J, (5, 3, 2), (1, -2, 0.5)) == (33.0, -4.5)


def test_intermediate_tangents_follow_the_course_graph() -> None:
    """u = bc, v = a + u, J = 3v with tangent (0, 1, 0): u̇ = c = 2, v̇ = 2, J̇ = 6, by hand."""
    g = course_graph()
    seeds = {g["a"]: 0.0, g["b"]: 1.0, g["c"]: 0.0}
    assert push_forward([g["u"], g["v"], g["J"]], seeds, create_graph=False) == [2.0, 2.0, 6.0]


# Every primitive of the table, against sympy (the specs of test_rules.py: a new row is covered too)


@pytest.mark.parametrize("op", OPS)
@settings(max_examples=10, deadline=None)
@given(data=st.data())
def test_jvp_through_every_primitive_matches_sympy(op: str, data: st.DataObject) -> None:
    spec = spec_for(op)
    xs = data.draw(st.tuples(*spec.inputs), label="primals")
    ts = data.draw(st.tuples(*[small_floats()] * len(xs)), label="tangents")
    f = lambda *args: autograd.extend.apply(op, *args)
    n = len(xs)
    value, tangent = jvp(f, xs, ts)
    assert value == close(reference_derivative(op, ())(*xs))
    assert tangent == close(sum(reference_derivative(op, (i,))(*xs) * ts[i] for i in range(n)))
    second = sum(reference_derivative(op, (i, j))(*xs) * ts[i] * ts[j] for i in range(n) for j in range(n))
    assert jvp(lambda *p: jvp(f, p, ts)[1], xs, ts)[1] == close(second)  # forward over forward
    hv = [sum(reference_derivative(op, (i, j))(*xs) * ts[j] for j in range(n)) for i in range(n)]
    assert list(hvp(f, xs, ts)) == [close(h) for h in hv]  # forward over reverse


# Random expressions: trees of operations that are defined for every real input


UNARY: dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {
    # name: (with the engine, with sympy)
    "sin": (autograd.sin, sympy.sin),
    "cos": (autograd.cos, sympy.cos),
    "tanh": (autograd.tanh, sympy.tanh),
    "sigmoid": (autograd.sigmoid, lambda x: 1 / (1 + sympy.exp(-x))),
    "softplus": (autograd.softplus, lambda x: sympy.log(1 + sympy.exp(x))),
    "neg": (operator.neg, operator.neg),
    "square": (lambda x: x**2, lambda x: x**2),
    "exp(tanh)": (lambda x: autograd.exp(autograd.tanh(x)), lambda x: sympy.exp(sympy.tanh(x))),
    "log(1+x²)": (lambda x: autograd.log(1 + x * x), lambda x: sympy.log(1 + x**2)),
    "sqrt(1+x²)": (lambda x: autograd.sqrt(1 + x * x), lambda x: sympy.sqrt(1 + x**2)),
}
BINARY: dict[str, tuple[Callable[[Any, Any], Any], Callable[[Any, Any], Any]]] = {
    "+": (operator.add, operator.add),
    "-": (operator.sub, operator.sub),
    "*": (operator.mul, operator.mul),
    "x/(1+y²)": (lambda x, y: x / (1 + y * y), lambda x, y: x / (1 + y**2)),
    "(2+tanh x)^tanh y": (
        lambda x, y: (2 + autograd.tanh(x)) ** autograd.tanh(y),
        lambda x, y: (2 + sympy.tanh(x)) ** sympy.tanh(y),
    ),
    "dot": (lambda x, y: autograd.dot([x, y], [y, 0.5], bias=x), lambda x, y: x * y + y / 2 + x),
    "sum": (lambda x, y: autograd.sum([x, y, 2.0]), lambda x, y: x + y + 2),
}

LEAVES = st.sampled_from([("var", 0), ("var", 1), ("var", 2)]) | small_floats(-2.0, 2.0).map(lambda c: ("num", c))
EXPRESSIONS = st.recursive(
    LEAVES,
    lambda children: (
        st.tuples(st.just("unary"), st.sampled_from(sorted(UNARY)), children)
        | st.tuples(st.just("binary"), st.sampled_from(sorted(BINARY)), children, children)
    ),
    max_leaves=6,
)


def build(tree: tuple[Any, ...], xs: Any, which: int) -> Any:
    """The expression ``tree`` on ``xs``, with the engine's functions (which=0) or sympy's (which=1)."""
    kind = tree[0]
    if kind == "var":
        return xs[tree[1]]
    if kind == "num":
        return tree[1]
    if kind == "unary":
        return UNARY[tree[1]][which](build(tree[2], xs, which))
    return BINARY[tree[1]][which](build(tree[2], xs, which), build(tree[3], xs, which))


def engine_function(tree: tuple[Any, ...]) -> Callable[..., Any]:
    # + 0 * x0: an expression without a variable still returns a Value
    return lambda *xs: build(tree, xs, 0) + 0 * xs[0]


THREE = st.tuples(small_floats(-2.0, 2.0), small_floats(-2.0, 2.0), small_floats(-2.0, 2.0))


@EXAMPLES
@given(tree=EXPRESSIONS, xs=THREE, ts=THREE)
def test_jvp_of_random_expressions_matches_backward(tree, xs, ts) -> None:
    f = engine_function(tree)
    inputs = [Value(x) for x in xs]
    out = f(*inputs)
    out.backward()
    value, tangent = jvp(f, xs, ts)
    assert value == out.data
    assert tangent == close(sum(x.grad * t for x, t in zip(inputs, ts)))
    for k in range(3):  # a unit tangent gives one partial derivative
        unit = tuple(float(i == k) for i in range(3))
        assert jvp(f, xs, unit)[1] == close(inputs[k].grad)


@pytest.mark.slow  # sympy differentiates each random expression: about a second
@settings(max_examples=30, deadline=None)
@given(tree=EXPRESSIONS, xs=THREE, ts=THREE)
def test_jvp_of_random_expressions_matches_sympy(tree, xs, ts) -> None:
    symbols = sympy.symbols("x0:3", real=True)
    expression = build(tree, symbols, 1)
    derivatives = [sympy.lambdify(symbols, sympy.diff(expression, s), modules="math") for s in symbols]
    value, tangent = jvp(engine_function(tree), xs, ts)
    assert value == close(float(sympy.lambdify(symbols, expression, modules="math")(*xs)))
    assert tangent == close(sum(d(*xs) * t for d, t in zip(derivatives, ts)))


@EXAMPLES
@given(tree=EXPRESSIONS, xs=THREE, ts=THREE)
def test_hvp_of_random_expressions_matches_hessian(tree, xs, ts) -> None:
    f = engine_function(tree)
    h = hessian(f)(*xs)
    hv = hvp(f, xs, ts)
    for i in range(3):
        terms = [h[i][j] * ts[j] for j in range(3)]
        # 1e-12 relative to the size of the terms: the two ways add the same products in other orders
        assert abs(hv[i] - math.fsum(terms)) <= 1e-12 * (1.0 + math.fsum(map(abs, terms))), (i, hv, h)


def test_hvp_matches_hessian_exactly_on_a_polynomial() -> None:
    f = lambda x, y: x * x * y + y**3
    assert hessian(f)(3.0, 2.0) == [[4.0, 6.0], [6.0, 12.0]]
    assert hvp(f, (3.0, 2.0), (1.0, 0.0)) == (4.0, 6.0)
    assert hvp(f, (3.0, 2.0), (0.0, 1.0)) == (6.0, 12.0)
    assert hvp(f, (3.0, 2.0), (2.0, -1.0)) == (2.0, 0.0)


# Outputs, constants, nesting


def test_several_outputs_keep_their_container() -> None:
    f = lambda x, y: (x * y, x + y, 3.0 * x)
    assert jvp(f, (2.0, 5.0), (1.0, 0.0)) == ((10.0, 7.0, 6.0), (5.0, 1.0, 3.0))
    assert jvp(lambda x: [x * x, -x], [3.0], [1.0]) == ([9.0, -3.0], [6.0, -1.0])


def test_grad_of_several_arguments_is_a_tuple_of_outputs() -> None:
    assert jvp(grad(J, argnums=(0, 1, 2)), (5.0, 3.0, 2.0), (0.0, 1.0, 0.0)) == ((3.0, 6.0, 9.0), (0.0, 0.0, 3.0))


def test_constants_have_tangent_zero() -> None:
    w = Value(4.0)  # a Value f closes over, not an argument: a constant for jvp
    assert jvp(lambda x: w * x + 7, (2.0,), (1.0,)) == (15.0, 4.0)
    with pytest.warns(RuntimeWarning, match="jvp: f returned the plain number 7.0"):
        assert jvp(lambda x: 7.0, (2.0,), (1.0,)) == (7.0, 0.0)


def test_the_output_may_be_an_input() -> None:
    assert jvp(lambda x, y: (y, x), (1.0, 2.0), (3.0, 4.0)) == ((2.0, 1.0), (4.0, 3.0))


def test_jvp_records_a_graph_inside_no_grad() -> None:
    with no_grad():
        assert jvp(lambda x: x * x, (3.0,), (1.0,)) == (9.0, 6.0)


def test_grad_of_jvp_and_jvp_of_jvp_are_second_derivatives() -> None:
    f = lambda x: autograd.sin(x) * x  # f'' = 2 cos x - x sin x
    x0 = 0.7
    exact = 2 * math.cos(x0) - x0 * math.sin(x0)
    assert grad(lambda x: jvp(f, (x,), (1.0,))[1])(x0) == close(exact)  # reverse over forward
    assert jvp(lambda x: jvp(f, (x,), (1.0,))[1], (x0,), (1.0,))[1] == close(exact)  # forward over forward


def test_inside_grad_the_tangent_stays_connected_to_what_f_closes_over() -> None:
    # d/dw of the directional derivative of w·x in x is d/dw (w) = 1
    assert grad(lambda w: jvp(lambda x: w * x, (2.0,), (1.0,))[1])(3.0) == 1.0


def test_values_in_give_values_out() -> None:
    x = Value(2.0)
    value, tangent = jvp(lambda a: a * a * a, (x,), (1.0,))
    assert isinstance(value, Value) and isinstance(tangent, Value)
    assert (value.data, tangent.data) == (8.0, 12.0)
    tangent.backward()  # d/dx (3x²) = 6x
    assert x.grad == 12.0


def test_no_false_anomaly_for_the_slope_of_a_constant_exponent() -> None:
    """With Values in, the tangents are built as nodes; x ** 2 at x < 0 has a nan slope in its 2."""
    with autograd.detect_anomaly():
        value, tangent = jvp(lambda a: a**2, (Value(-2.0),), (1.0,))
    assert (value.data, tangent.data) == (4.0, -4.0)


# Undefined local derivatives: harmless where the tangent is 0, an error where it is needed


def test_an_undefined_local_derivative_with_tangent_zero_is_skipped() -> None:
    assert jvp(lambda x, y: autograd.sqrt(y) + x, (1.0, 0.0), (1.0, 0.0)) == (1.0, 1.0)
    assert jvp(lambda x, y: x**0.5 + y, (0.0, 1.0), (0.0, 1.0)) == (1.0, 1.0)  # rules.UNDEFINED at 0


def test_a_nan_slope_of_a_constant_exponent_does_not_reach_the_tangent() -> None:
    # ∂(x**2)/∂2 is nan at x < 0 (no real x**y there); the 2 is a constant, tangent 0
    assert jvp(lambda x: x**2, (-2.0,), (1.0,)) == (4.0, -4.0)


def test_an_overflowing_local_derivative_with_tangent_zero_is_skipped() -> None:
    # ∂(0.5 ** x)/∂0.5 overflows at x = -1023, but the constant 0.5 has tangent 0; ∂/∂x = 2 ** 1023 · (-ln 2)
    expected = math.ldexp(1.0, 1023) * -math.log(2.0)
    assert jvp(lambda x: 0.5**x, (-1023.0,), (1.0,)) == (math.ldexp(1.0, 1023), expected)
    assert jvp(lambda b, x: b**x, (0.5, -1023.0), (0.0, 1.0))[1] == expected
    with pytest.raises(autograd.errors.FloatOverflowError, match=r"^jvp through \*\*\(0\.5, -1023\.0\)"):
        jvp(lambda b, x: b**x, (0.5, -1023.0), (1.0, 0.0))


def test_an_undefined_local_derivative_that_the_tangent_needs_names_the_op() -> None:
    with pytest.raises(DomainError, match=r"^jvp through sqrt\(0\.0\): the local derivative is undefined here"):
        jvp(lambda x, y: autograd.sqrt(y) + x, (1.0, 0.0), (1.0, 1.0))
    with pytest.raises(ZeroDivisionError, match=r"jvp through \*\*\(0\.0, 0\.5\)"):
        jvp(lambda x: x**0.5, (0.0,), (1.0,))
    with pytest.raises(DomainError, match=r"^hvp through"):
        hvp(lambda x: x**1.5, (0.0,), (1.0,))  # its second derivative, 0.75 x^-0.5, has no value at 0


def test_a_rule_that_raises_fails_only_where_its_input_moves(restore_functions) -> None:
    def rule(ans: float, x: float, y: float) -> tuple[float, float]:
        if y == 0:
            raise ValueError("no slope at y = 0")
        return (1.0, 1.0)

    plus = defop("plus_unless_zero", lambda x, y: x + y, rule)
    assert jvp(lambda x, y: x + y + plus(x, 0.0) * 0 + y, (1.0, 2.0), (0.0, 1.0)) == (5.0, 2.0)
    with pytest.raises(DomainError, match=r"jvp through plus_unless_zero\(1\.0, 0\.0\).*no slope at y = 0"):
        jvp(lambda x: plus(x, 0.0), (1.0,), (1.0,))


# Errors


@pytest.mark.parametrize(
    "primals, tangents, error, message",
    [
        (
            3.0,
            (1.0,),
            TypeError,
            r"jvp: primals must be a tuple or list.* float 3\.0; for one argument write \(3\.0,\)",
        ),
        ((3.0,), 1.0, TypeError, r"jvp: tangents must be a tuple or list"),
        ((), (), ValueError, r"jvp: primals is empty"),
        ((1.0, 2.0), (1.0,), ValueError, r"jvp: 2 primals but 1 tangents; give one tangent per primal"),
        (("1",), (1.0,), TypeError, r"jvp: primal 0 is str '1'; expected a finite real number"),
        ((True,), (1.0,), TypeError, r"jvp: primal 0 is bool True"),
        ((1.0,), (math.nan,), ValueError, r"jvp: tangent 0 is float nan; expected a finite real number"),
        ((math.inf,), (1.0,), ValueError, r"jvp: primal 0 is float inf"),
        ((1.0,), ([1.0],), TypeError, r"jvp: tangent 0 is list \[1\.0\]"),
    ],
)
def test_bad_primals_and_tangents(primals, tangents, error, message) -> None:
    with pytest.raises(error, match=message):
        jvp(lambda x, *rest: x, primals, tangents)


def test_the_same_value_twice_is_refused() -> None:
    x = Value(1.0)
    with pytest.raises(ValueError, match="jvp: primals 0 and 1 are the same Value"):
        jvp(lambda a, b: a * b, (x, x), (1.0, 0.0))


def test_f_must_be_callable_and_return_values_or_numbers() -> None:
    with pytest.raises(TypeError, match="jvp: f must be callable, got int 3"):
        jvp(3, (1.0,), (1.0,))
    with pytest.raises(TypeError, match="jvp: f must return a Value or number, or a tuple or list of them, got str"):
        jvp(lambda x: "x", (1.0,), (1.0,))
    with pytest.raises(TypeError, match=r"jvp: f must return .*got tuple \(Value"):
        jvp(lambda x: (x, None), (1.0,), (1.0,))


def test_hvp_errors_name_hvp() -> None:
    with pytest.raises(TypeError, match="hvp: f must be callable"):
        hvp(None, (1.0,), (1.0,))
    with pytest.raises(ValueError, match="hvp: 1 primals but 2 tangents"):
        hvp(lambda x: x * x, (1.0,), (1.0, 0.0))
    with pytest.raises(TypeError, match="hvp: primals must be a tuple or list"):
        hvp(lambda x: x * x, 1.0, (1.0,))


# The documentation


def test_docs_forward_mode_examples_run() -> None:
    flags = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS
    result = doctest.testfile(str(DOCS), module_relative=False, optionflags=flags, verbose=False)
    assert result.attempted > 0 and result.failed == 0
