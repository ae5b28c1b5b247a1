"""autograd/rules.py: every primitive of ``PRIMITIVES``, checked three ways.

The tests are parametrised over the table itself, so a new rule without an entry in ``SPECS`` fails.
For each primitive:

- a hand derivation at a point where the math gives exact numbers;
- its forward value and first derivative against an independent reference (sympy), and the first
  derivative against central differences of the engine's own forward, on hypothesis inputs;
- second and third derivatives through nested ``grad`` against sympy's ``diff``, lambdified;
- for ops with several inputs, the mixed second derivatives through ``hessian``.

Then the power rule where it needs care: negative bases, a zero base, integer exponents at 0.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import NamedTuple

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
import autograd.checking
import autograd.errors
import autograd.extend
import autograd.language.syntax
from autograd import Value, grad, gradients, hessian, rules

from .strategies import away_from_zero, central_difference, positive, small_floats

EXAMPLES = settings(max_examples=25, deadline=None)


class Case(NamedTuple):
    """A hand derivation: inputs, the exact output and the exact local derivatives."""

    inputs: tuple[float, ...]
    value: float
    derivatives: tuple[float, ...]


class Spec(NamedTuple):
    """How to test one primitive."""

    reference: Callable[..., sympy.Expr]  # the same function written in sympy
    inputs: tuple[st.SearchStrategy[float], ...]  # one strategy per input, away from singularities
    cases: tuple[Case, ...]


def _relu(x: sympy.Expr) -> sympy.Expr:
    return sympy.Piecewise((x, x > 0), (0, True))


def _leaky_relu(x: sympy.Expr) -> sympy.Expr:
    return sympy.Piecewise((x, x > 0), (sympy.Rational(1, 100) * x, True))


def _abs(x: sympy.Expr) -> sympy.Expr:
    # As a Piecewise, so that sympy's derivatives stay lambdifiable (no sign/DiracDelta).
    return sympy.Piecewise((x, x > 0), (-x, True))


LN2 = math.log(2.0)

SPECS: dict[str, Spec] = {
    "+": Spec(lambda x, y: x + y, (small_floats(), small_floats()),
              (Case((2.0, 3.0), 5.0, (1.0, 1.0)),)),
    "-": Spec(lambda x, y: x - y, (small_floats(), small_floats()),
              (Case((2.0, 3.0), -1.0, (1.0, -1.0)),)),
    "*": Spec(lambda x, y: x * y, (small_floats(), small_floats()),
              (Case((3.0, 4.0), 12.0, (4.0, 3.0)),)),
    "/": Spec(lambda x, y: x / y, (small_floats(), away_from_zero(0.2)),
              (Case((3.0, 4.0), 0.75, (0.25, -0.1875)),)),
    "**": Spec(lambda x, y: x**y, (positive(0.5, 3.0), small_floats()),
               (Case((2.0, 3.0), 8.0, (12.0, 8.0 * LN2)), Case((4.0, 0.5), 2.0, (0.25, 2.0 * math.log(4.0))))),
    "neg": Spec(lambda x: -x, (small_floats(),), (Case((2.0,), -2.0, (-1.0,)),)),
    "abs": Spec(_abs, (away_from_zero(),),
                (Case((-2.0,), 2.0, (-1.0,)), Case((2.0,), 2.0, (1.0,)))),
    "exp": Spec(sympy.exp, (small_floats(),),
                (Case((0.0,), 1.0, (1.0,)), Case((1.0,), math.e, (math.e,)))),
    "log": Spec(sympy.log, (positive(),),
                (Case((1.0,), 0.0, (1.0,)), Case((2.0,), LN2, (0.5,)))),
    "sqrt": Spec(sympy.sqrt, (positive(),), (Case((4.0,), 2.0, (0.25,)),)),
    "log1p": Spec(lambda x: sympy.log(1 + x), (small_floats(-0.8, 3.0),),
                  (Case((0.0,), 0.0, (1.0,)), Case((1.0,), LN2, (0.5,)))),
    "expm1": Spec(lambda x: sympy.exp(x) - 1, (small_floats(),),
                  (Case((0.0,), 0.0, (1.0,)),)),
    "log2": Spec(lambda x: sympy.log(x, 2), (positive(),),
                 (Case((8.0,), 3.0, (1.0 / (8.0 * LN2),)), Case((1.0,), 0.0, (1.0 / LN2,)))),
    "log10": Spec(lambda x: sympy.log(x, 10), (positive(),),
                  (Case((100.0,), 2.0, (1.0 / (100.0 * math.log(10.0)),)),)),
    "sin": Spec(sympy.sin, (small_floats(),), (Case((0.0,), 0.0, (1.0,)),)),
    "tan": Spec(sympy.tan, (small_floats(-1.3, 1.3),),
                (Case((0.0,), 0.0, (1.0,)),)),
    "asin": Spec(sympy.asin, (small_floats(-0.9, 0.9),),
                 (Case((0.0,), 0.0, (1.0,)), Case((0.5,), math.pi / 6, (2.0 / math.sqrt(3.0),)))),
    "acos": Spec(sympy.acos, (small_floats(-0.9, 0.9),),
                 (Case((0.0,), math.pi / 2, (-1.0,)), Case((0.5,), math.pi / 3, (-2.0 / math.sqrt(3.0),)))),
    "atan": Spec(sympy.atan, (small_floats(),),
                 (Case((0.0,), 0.0, (1.0,)), Case((1.0,), math.pi / 4, (0.5,)))),
    "sinh": Spec(sympy.sinh, (small_floats(),), (Case((0.0,), 0.0, (1.0,)),)),
    "cosh": Spec(sympy.cosh, (small_floats(),), (Case((0.0,), 1.0, (0.0,)),)),
    "asinh": Spec(sympy.asinh, (small_floats(),), (Case((0.0,), 0.0, (1.0,)),)),
    "acosh": Spec(sympy.acosh, (small_floats(1.1, 4.0),),
                  (Case((2.0,), math.log(2.0 + math.sqrt(3.0)), (1.0 / math.sqrt(3.0),)),)),
    "atanh": Spec(sympy.atanh, (small_floats(-0.9, 0.9),),
                  (Case((0.0,), 0.0, (1.0,)), Case((0.5,), math.atanh(0.5), (4.0 / 3.0,)))),
    "cos": Spec(sympy.cos, (small_floats(),), (Case((0.0,), 1.0, (0.0,)),)),
    "tanh": Spec(sympy.tanh, (small_floats(),), (Case((0.0,), 0.0, (1.0,)),)),
    "sigmoid": Spec(lambda x: 1 / (1 + sympy.exp(-x)), (small_floats(-6.0, 6.0),),
                    (Case((0.0,), 0.5, (0.25,)),)),
    "softplus": Spec(lambda x: sympy.log(1 + sympy.exp(x)), (small_floats(-6.0, 6.0),),
                     (Case((0.0,), LN2, (0.5,)),)),
    "relu": Spec(_relu, (away_from_zero(),),
                 (Case((3.0,), 3.0, (1.0,)), Case((-3.0,), 0.0, (0.0,)),
                  Case((0.0,), 0.0, (0.0,)))),  # documented: the derivative at 0 is taken as 0
    "leaky_relu": Spec(_leaky_relu, (away_from_zero(),),
                       (Case((3.0,), 3.0, (1.0,)), Case((-3.0,), -0.03, (0.01,)))),
    "sum": Spec(lambda a, b, c, d: a + b + c + d, (small_floats(),) * 4,
                (Case((1.0, 2.0, 3.0, 4.0), 10.0, (1.0, 1.0, 1.0, 1.0)),)),
    # dot's inputs are w1, w2, x1, x2, bias
    "dot": Spec(lambda w1, w2, x1, x2, b: w1 * x1 + w2 * x2 + b, (small_floats(),) * 5,
                (Case((2.0, -1.0, 3.0, 4.0, 0.5), 2.5, (3.0, 4.0, 2.0, -1.0, 1.0)),)),
}  # fmt: skip

#: The table as the engine defines it, read when the tests are collected (before any defop).
OPS = sorted(rules.PRIMITIVES)


def spec_for(op: str) -> Spec:
    if op not in SPECS:
        pytest.fail(f"primitive {op!r} is in autograd.rules.PRIMITIVES but has no test spec: add it to SPECS")
    return SPECS[op]


@functools.cache
def reference_derivative(op: str, wrt: tuple[int, ...]) -> Callable[..., float]:
    """sympy's ``∂^k op / ∂x_wrt[0] ... ∂x_wrt[k-1]``, lambdified to a float function."""
    spec = SPECS[op]
    xs = sympy.symbols(f"x0:{len(spec.inputs)}", real=True)
    expr = spec.reference(*xs)
    for i in wrt:
        expr = sympy.diff(expr, xs[i])
    return sympy.lambdify(xs, expr, modules="math")


def apply_to(op: str) -> Callable[..., object]:
    return lambda *xs: autograd.extend.apply(op, *xs)


def close(expected: float) -> object:
    return pytest.approx(expected, rel=1e-9, abs=1e-9)


def test_specs_are_for_existing_primitives() -> None:
    """A spec for an op that the table no longer has is a stale test."""
    assert set(SPECS) <= set(rules.PRIMITIVES)


def test_table_entries_are_forward_and_derivative_pairs() -> None:
    for op, entry in rules.PRIMITIVES.items():
        assert isinstance(entry, rules.Primitive), op
        assert callable(entry.forward) and callable(entry.local_derivatives), op


@pytest.mark.parametrize("op", OPS)
def test_hand_derivation(op: str) -> None:
    for case in spec_for(op).cases:
        inputs = [Value(x) for x in case.inputs]
        out = autograd.extend.apply(op, *inputs)
        out.backward()
        assert out.op == op
        assert out.parents == tuple(inputs)
        assert out.data == pytest.approx(case.value, rel=1e-15, abs=1e-15)
        assert [x.grad for x in inputs] == [pytest.approx(d, rel=1e-15, abs=1e-15) for d in case.derivatives]
        # the same op on plain numbers is a plain float
        plain = autograd.extend.apply(op, *case.inputs)
        assert type(plain) is float and plain == out.data


@pytest.mark.parametrize("op", OPS)
@EXAMPLES
@given(data=st.data())
def test_forward_matches_sympy(op: str, data: st.DataObject) -> None:
    spec = spec_for(op)
    xs = data.draw(st.tuples(*spec.inputs), label="inputs")
    out = autograd.extend.apply(op, *[Value(x) for x in xs])
    assert out.data == close(reference_derivative(op, ())(*xs))


@pytest.mark.parametrize("op", OPS)
@EXAMPLES
@given(data=st.data())
def test_first_derivative_matches_central_differences_and_sympy(op: str, data: st.DataObject) -> None:
    spec = spec_for(op)
    xs = data.draw(st.tuples(*spec.inputs), label="inputs")
    inputs = [Value(x) for x in xs]
    out = autograd.extend.apply(op, *inputs)
    out.backward()
    for i, x in enumerate(inputs):
        numeric = central_difference(apply_to(op), list(xs), i)
        assert x.grad == pytest.approx(numeric, rel=1e-5, abs=1e-6), f"∂{op}/∂x{i} at {xs}"
        assert x.grad == close(reference_derivative(op, (i,))(*xs)), f"∂{op}/∂x{i} at {xs}"


@pytest.mark.parametrize("op", OPS)
@EXAMPLES
@given(data=st.data())
def test_second_and_third_derivatives_through_nested_grad(op: str, data: st.DataObject) -> None:
    spec = spec_for(op)
    xs = data.draw(st.tuples(*spec.inputs), label="inputs")
    f = apply_to(op)
    for i in range(len(xs)):
        d1 = grad(f, argnums=i)
        d2 = grad(d1, argnums=i)
        d3 = grad(d2, argnums=i)
        for order, d in ((1, d1), (2, d2), (3, d3)):
            expected = reference_derivative(op, (i,) * order)(*xs)
            assert d(*xs) == close(expected), f"order {order} in x{i} of {op} at {xs}"


@pytest.mark.parametrize("op", [op for op in OPS if len(SPECS.get(op, Spec(None, (None,), ())).inputs) > 1])
@EXAMPLES
@given(data=st.data())
def test_mixed_second_derivatives_through_hessian(op: str, data: st.DataObject) -> None:
    spec = spec_for(op)
    xs = data.draw(st.tuples(*spec.inputs), label="inputs")
    h = hessian(apply_to(op))(*xs)
    n = len(xs)
    assert len(h) == n and all(len(row) == n for row in h)
    for i in range(n):
        for j in range(n):
            assert h[i][j] == close(reference_derivative(op, (i, j))(*xs)), f"∂²{op}/∂x{i}∂x{j} at {xs}"


@EXAMPLES
@given(x=small_floats(-4.0, 4.0).filter(lambda x: abs(x) > 0.1), n=st.integers(-3, 4))
def test_power_of_a_negative_or_any_base_with_an_integer_exponent(x: float, n: int) -> None:
    """For a base <= 0 only integer exponents are real; their derivative is n x^(n-1), done by hand."""
    base = Value(x)
    out = base**n
    out.backward()
    assert out.data == close(x**n)
    assert base.grad == close(n * x ** (n - 1))
    assert grad(grad(lambda b: b**n))(x) == close(n * (n - 1) * x ** (n - 2))


#: Points that random inputs reach only by luck: exponents 0 and 1, base 1, zero operands.
EDGE_POINTS: dict[str, list[tuple[float, ...]]] = {
    "**": [(2.0, 0.0), (1.0, 0.0), (2.0, 1.0), (1.0, 1.0), (0.5, 2.0), (3.0, -1.0)],
    "*": [(0.0, 0.0), (0.0, 2.0)],
    "/": [(0.0, 2.0)],
    "+": [(0.0, 0.0)],
    "-": [(0.0, 0.0)],
}


@pytest.mark.parametrize(
    "op, xs", [(op, xs) for op, points in EDGE_POINTS.items() for xs in points], ids=lambda v: repr(v)
)
def test_derivatives_at_edge_points_match_sympy(op: str, xs: tuple[float, ...]) -> None:
    f = apply_to(op)
    n = len(xs)
    first = grad(f, argnums=tuple(range(n)))(*xs)
    assert list(first) == [close(reference_derivative(op, (i,))(*xs)) for i in range(n)]
    h = hessian(f)(*xs)
    for i in range(n):
        for j in range(n):
            assert h[i][j] == close(reference_derivative(op, (i, j))(*xs)), f"∂²{op}/∂x{i}∂x{j} at {xs}"


# The power rule: a negative base, a zero base, integer exponents at 0


def test_the_exponent_has_no_derivative_where_the_base_is_negative() -> None:
    # x ** y for x < 0 is only defined at integer y, so d/dy is undefined: an error where it is
    # asked for, nan where nobody needs it (the constant 2 of x ** 2). d/dx is the usual
    # y * x ** (y - 1) = 2 * -2 = -4, and its own derivative y (y - 1) x ** (y - 2) = 2.
    x, y = Value(-2.0), Value(2.0)
    with pytest.raises(autograd.errors.DomainError, match=r"backward through \*\*\(-2.0, 2.0\).*only at integer y"):
        (x**y).backward()
    assert (x.grad, y.grad) == (0.0, 0.0)  # a pass that fails leaves every gradient as it was
    with pytest.raises(autograd.errors.DomainError, match="only at integer y"):
        hessian(lambda x, y: x**y)(-2.0, 2.0)
    square = x**2
    square.backward()
    assert x.grad == -4.0 and math.isnan(square.parents[1].grad)
    assert hessian(lambda x: x**2)(-2.0) == [[2.0]]


def test_the_exponent_slope_is_zero_at_a_zero_base_and_log_x_times_ans_above() -> None:
    x, y = Value(0.0), Value(3.0)
    (x**y).backward()
    assert (x.grad, y.grad) == (0.0, 0.0)  # 0 ** y = 0 for every y > 0
    x, y = Value(2.0), Value(3.0)
    (x**y).backward()
    assert (x.grad, y.grad) == (12.0, 8.0 * math.log(2.0))


def test_hessian_of_a_power_at_base_zero() -> None:
    """f = x**y at (0, 2): f_xx = y(y-1)x^(y-2) = 2, f_xy = x^(y-1)(1 + y log x) -> 0, f_yy = x^y log²x -> 0.
    The rule tells the base 0 apart by its number, also when it is a Value in the second pass."""
    assert hessian(lambda x, y: x**y)(0.0, 2.0) == [[2.0, 0.0], [0.0, 0.0]]
    y = Value(2.0)
    (dy,) = gradients(Value(0.0) ** y, [y], create_graph=True)
    assert dy.data == 0.0


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


@pytest.mark.parametrize("op, x", [("asin", 1.0), ("asin", -1.0), ("acos", 1.0), ("acosh", 1.0), ("sqrt", 0.0)])
def test_a_vertical_slope_at_the_edge_of_the_domain_is_an_undefined_derivative(op: str, x: float) -> None:
    """The forward is defined at the edge; the slope there is vertical: backward names the op."""
    v = Value(x, label="x")
    y = autograd.extend.apply(op, v)
    with pytest.raises(autograd.errors.DivisionByZeroError, match=rf"backward through {op}\({x!r}\).*vertical slope"):
        y.backward()
