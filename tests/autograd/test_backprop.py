"""autograd/backprop.py: the topological order and the chain rule: exact numbers, shared nodes,
any depth, no reference cycles, a zero gradient that sends nothing back, and the errors of a local
derivative that is undefined."""

from __future__ import annotations

import gc
import math

import pytest

import autograd
import autograd.checking
import autograd.errors
import autograd.extend
import autograd.language.syntax
from autograd import Value, grad, gradients, hessian, no_grad, parse
from autograd.errors import DomainError
from autograd.extend import topological_order

from .graphs import course_graph, micrograd_readme_expression


def test_course_example_exact_numbers() -> None:
    g = course_graph()
    g["J"].backward()
    assert g["J"].data == 33.0
    grads = {name: node.grad for name, node in g.items()}
    assert grads == {"a": 3.0, "b": 6.0, "c": 9.0, "u": 3.0, "v": 3.0, "J": 1.0}


def test_micrograd_readme_expression() -> None:
    a, b, g = micrograd_readme_expression()
    g.backward()
    assert round(g.data, 4) == 24.7041
    assert round(a.grad, 4) == 138.8338
    assert round(b.grad, 4) == 645.5773


def test_shared_subexpression_is_counted_once_per_use() -> None:
    a = Value(3.0)
    b = a + a
    c = b + b
    c.backward()
    assert c.data == 12.0
    assert b.grad == 2.0
    assert a.grad == 4.0


def test_a_value_used_twice_in_one_op() -> None:
    x = Value(-3.0)
    y = x * x
    y.backward()
    assert x.grad == -6.0


def test_diamond_graph() -> None:
    """x feeds two branches that meet again: f = sin(x) * exp(x), f' = (cos x + sin x) e^x."""
    import math

    x = Value(0.5)
    f = x.sin() * x.exp()
    f.backward()
    assert x.grad == pytest.approx((math.cos(0.5) + math.sin(0.5)) * math.exp(0.5), rel=1e-15)


def test_topological_order_puts_parents_first_root_last_each_node_once() -> None:
    _, _, g = micrograd_readme_expression()
    order = topological_order(g)
    assert order[-1] is g
    assert len(order) == len({id(n) for n in order})
    position = {id(n): i for i, n in enumerate(order)}
    for n in order:
        for p in n.parents:
            assert position[id(p)] < position[id(n)]
    assert [id(n) for n in g.nodes()] == [id(n) for n in order]


def test_topological_order_of_a_leaf_and_of_a_wide_node() -> None:
    x = Value(1.0)
    assert topological_order(x) == [x]
    ws = [Value(float(i)) for i in range(3)]
    z = autograd.dot(ws, ws)  # six parents, each Value twice
    assert topological_order(z) == [*ws, z]


def test_traversal_order_is_deterministic() -> None:
    """Parents are a tuple, not a set: the same expression always gives the same order."""

    def signature() -> list[tuple[str, float]]:
        _, _, g = micrograd_readme_expression()
        return [(n.op, n.data) for n in topological_order(g)]

    first = signature()
    assert all(signature() == first for _ in range(5))


@pytest.mark.slow
def test_a_chain_of_a_million_ops() -> None:
    """Iterative everywhere: no RecursionError in ordering, backward, zeroing or freeing the graph."""
    x = Value(0.5)
    y = x
    for _ in range(1_000_000):
        y = -y
    y.backward()
    assert y.data == 0.5
    assert x.grad == 1.0
    del y  # a million nested tuples freed by reference counting: must not crash


def test_a_graph_is_freed_by_reference_counting_alone() -> None:
    """No reference cycles: with the cycle collector off, dropping the output frees every node.

    Value has ``__slots__`` without ``__weakref__``, so we count the live Value objects that the
    garbage collector tracks, and check that the collector then finds nothing left to collect.
    """

    def live_values() -> int:
        return sum(1 for o in gc.get_objects() if isinstance(o, Value))

    gc.collect()
    gc.disable()
    try:
        before = live_values()
        x, w = Value(0.5), Value(-1.5)
        y = x
        for _ in range(200):
            y = (y * w + x).tanh() + autograd.dot([w, x], [y, y], bias=1.0).sigmoid() * 0.01
        y.backward()
        y.zero_grad()
        second = grad(grad(lambda t: (t * t).exp()))(0.3)
        (dy,) = gradients(y, [x], create_graph=True)
        with no_grad():
            z = y * 2
        assert live_values() - before > 1000
        del x, w, y, dy, z, second
        assert live_values() == before
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_a_zero_gradient_passes_nothing_back_not_even_an_undefined_derivative() -> None:
    # relu(x) = 0 for x < 0, so y = relu(x) * sqrt(z) is 0 for every z near 0: dy/dz = 0, even
    # though sqrt's own derivative is undefined at 0.
    x, z = Value(-1.0), Value(0.0)
    y = x.relu() * z.sqrt()
    y.backward()
    assert (y.data, x.grad, z.grad) == (0.0, 0.0, 0.0)
    assert gradients(y, [x, z]) == [0.0, 0.0]


# A local derivative that is undefined


BACKWARD_ERRORS = [
    (lambda x: x.sqrt(), 0.0, ["sqrt", "0.0", "undefined", "divides by zero"]),
    (lambda x: x**0.5, 0.0, ["**", "0.0", "undefined", "divides by zero"]),
    (lambda x: (x * x).sqrt(), 0.0, ["sqrt", "0.0"]),  # deeper in the graph
    # d(x ** -1)/dx = -x ** -2 overflows Python's float **, which says "(34, 'Numerical result ...')"
    (lambda x: x**-1, 1e-200, ["**", "1e-200", "-1", "overflows a float"]),
]


@pytest.mark.parametrize("f, at, words", BACKWARD_ERRORS)
def test_an_undefined_local_derivative_raises_in_backward(f, at: float, words: list[str]) -> None:
    x = Value(at)
    y = f(x)  # the forward is defined
    with pytest.raises(DomainError) as info:
        y.backward()
    message = str(info.value)
    for word in words:
        assert word in message, f"{word!r} not in {message!r}"


def test_an_undefined_derivative_through_grad_is_a_domain_error() -> None:
    with pytest.raises(DomainError, match="sqrt"):
        grad(autograd.sqrt)(0.0)


def test_an_undefined_derivative_in_a_higher_order_pass_names_the_op() -> None:
    with pytest.raises(DomainError, match="sqrt"):
        grad(grad(autograd.sqrt))(0.0)


# A local derivative that is undefined where nobody asked for a gradient (a constant's) does not fail the pass.


@pytest.mark.parametrize("y", [0.5, 0.25, 0.999])
def test_zero_to_a_power_below_one_differentiates_in_the_exponent(y: float) -> None:
    # 0 ** y = 0 for every y > 0, so d/dy is 0 (torch and HIPS autograd give 0.0 too); the base's
    # slope is vertical there, but the base is a constant nobody differentiates by.
    assert grad(lambda y: 0.0**y)(y) == 0.0
    assert grad(lambda y: 0**y + 3 * y)(y) == 3.0
    assert hessian(lambda y: 0.0**y + y * y)(y) == [[2.0]]


def test_backward_gives_the_constant_base_nan_and_the_exponent_zero() -> None:
    y = Value(0.5, label="y")
    J = 0.0**y
    J.backward()
    base = J.parents[0]
    assert autograd.extend.is_constant(base)
    assert y.grad == 0.0 and math.isnan(base.grad)  # nan: undefined, as the engine writes it


def test_an_expression_with_a_zero_base_differentiates() -> None:
    J = parse("0**y + y", y=0.5)
    (y,) = [v for v in J.nodes() if v.label == "y"]
    assert gradients(J, [y]) == [1.0]


def test_a_base_someone_differentiates_by_still_raises_at_the_op() -> None:
    with pytest.raises(DomainError, match=r"\*\*\(0.0, 0.5\).*divides by zero"):
        grad(lambda x: x**0.5)(0.0)
    x = Value(0.0)  # an unlabelled Value you made is differentiated by backward(), unlike a constant
    with pytest.raises(DomainError, match="divides by zero"):
        (x**0.5).backward()


def test_only_the_asked_inputs_decide() -> None:
    # x ** 0.5 at x = 0: undefined for x, but gradients() asked only about y.
    x, y = Value(0.0, label="x"), Value(2.0, label="y")
    J = x**0.5 + y * y
    assert gradients(J, [y]) == [4.0]
    with pytest.raises(DomainError):
        gradients(J, [x, y])
    assert (x.grad, y.grad) == (0.0, 0.0)  # a failed pass leaves the gradients as they were


def test_a_rule_undefined_for_a_constant_alone_is_skipped() -> None:
    # sqrt(0) of a literal has no slope, but nothing asked for the literal's gradient.
    J = parse("y*sqrt(0)", y=3.0)
    J.backward()
    (y,) = [v for v in J.nodes() if v.label == "y"]
    assert y.grad == 0.0


def test_a_vertical_slope_in_backward_is_a_zero_division_error_too() -> None:
    with pytest.raises(ZeroDivisionError):
        Value(0.0).sqrt().backward()
    with pytest.raises(OverflowError):
        (Value(1e-200) ** -1).backward()


# A local derivative that overflows, where nobody asked for it, does not stop one that exists (issue 19, item 1).
# ∂(0.5 ** x)/∂x = 0.5 ** x · ln 0.5 = 2 ** 1023 · (-ln 2) ≈ -6.2e307 at x = -1023, a float; ∂/∂0.5 = x · 0.5 ** (x - 1)
# = -1023 · 2 ** 1024 overflows, but 0.5 is a constant.
DX_AT_MINUS_1023 = math.ldexp(1.0, 1023) * -math.log(2.0)


def test_an_overflowing_derivative_of_a_constant_leaves_the_exponents() -> None:
    assert grad(lambda x: 0.5**x)(-1023.0) == DX_AT_MINUS_1023
    x = Value(-1023.0, label="x")
    J = 0.5**x
    J.backward()
    assert x.grad == DX_AT_MINUS_1023
    assert math.isnan(J.parents[0].grad)  # the constant's: undefined, written nan


def test_an_overflowing_derivative_that_is_asked_for_still_raises() -> None:
    with pytest.raises(autograd.errors.FloatOverflowError, match=r"^backward through \*\*\(0\.5, -1023\.0\)"):
        grad(lambda b, x: b**x, argnums=(0, 1))(0.5, -1023.0)
    with pytest.raises(OverflowError, match="overflows a float"):
        grad(lambda b: b**-1023.0)(0.5)


def test_an_overflowing_derivative_of_a_constant_under_detect_anomaly() -> None:
    with autograd.detect_anomaly():
        assert grad(lambda x: 0.5**x)(-1023.0) == DX_AT_MINUS_1023


def test_a_higher_order_pass_still_stops_at_a_rule_that_overflows() -> None:
    # Values are needed there, and the rule makes them all together: the error names the op, as before.
    with pytest.raises(autograd.errors.FloatOverflowError, match=r"^backward through \*\*\(0\.5, -1023\.0\)"):
        grad(grad(lambda x: 0.5**x))(-1023.0)
    assert grad(grad(lambda x: 0.5**x))(-1000.0) == 0.5**-1000.0 * math.log(2.0) ** 2


def test_existing_local_derivatives_one_by_one() -> None:
    from autograd.backprop import existing_local_derivatives

    assert existing_local_derivatives(Value(0.5) ** Value(-1023.0)) == (autograd.extend.UNDEFINED, DX_AT_MINUS_1023)
    assert existing_local_derivatives(Value(0.0) ** Value(0.5)) == (autograd.extend.UNDEFINED, 0.0)
    assert existing_local_derivatives(Value(0.0).sqrt()) == (autograd.extend.UNDEFINED,)


def test_import_autograd_does_not_import_numpy_and_the_error_path_works_without_it_loaded() -> None:
    import subprocess
    import sys

    code = "import sys, autograd; assert 'numpy' not in sys.modules; print(autograd.grad(lambda x: 0.5 ** x)(-1023.0))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert float(out) == DX_AT_MINUS_1023


# backward's seed (issue 19, item 13): a wrong type is a TypeError, as in jvp; a number that is not finite a ValueError.


@pytest.mark.parametrize("gradient", ["1", None, True, [1.0]])
def test_a_gradient_of_the_wrong_type_is_a_type_error(gradient) -> None:
    x = Value(3.0)
    with pytest.raises(TypeError, match=r"^backward: the gradient is \w+ .*; expected a finite real number"):
        (x * x).backward(gradient=gradient)
    assert x.grad == 0.0
    with pytest.raises(TypeError):  # the same mistake in jvp's tangent
        autograd.jvp(lambda x: x * x, (3.0,), (gradient,))


@pytest.mark.parametrize("gradient", [math.nan, math.inf, -math.inf, 10**400])
def test_a_gradient_that_is_not_finite_is_a_value_error(gradient) -> None:
    with pytest.raises(ValueError, match=r"^backward: the gradient is -?(nan|inf); expected a finite real number"):
        (Value(3.0) * 2).backward(gradient=gradient)


def test_a_gradient_of_numpy_type_seeds_the_pass() -> None:
    import numpy as np

    x = Value(3.0)
    (x * x).backward(gradient=np.float32(0.5))
    assert x.grad == 3.0
    with pytest.raises(TypeError, match=r"^backward: the gradient is ndarray"):
        (x * x).backward(gradient=np.array([1.0, 2.0]))
    with pytest.raises(
        TypeError, match=r"^backward: the gradient is Value"
    ):  # backward builds no graph of its gradients
        (x * x).backward(gradient=Value(1.0))


def _dot_by_the_table(ws: list[float], xs: list[float], bias: float | None, g: float) -> list[float]:
    """What the dot rule of rules.py sends to each parent, added in its order: the reference for the
    written-out chain rule of ``send_back_dot``."""
    parents = [*ws, *xs] + ([] if bias is None else [bias])
    local = autograd.rules.PRIMITIVES["dot"].local_derivatives(0.0, *parents)
    return [g * d for d in local]


@pytest.mark.parametrize("bias", [None, 0.25])
def test_a_dot_sends_what_the_table_says_in_its_order_even_with_a_parent_read_thrice(bias: float | None) -> None:
    """dot([a, b, a], [d, a, c], bias): a is two weights and an input. Each gradient is the sum of
    the rule's terms in the table's order (the weights', then the inputs', then the bias's): for a,
    (d + c) + b = (1e16 + 1) - 1e16 = 0.0 in floats; in another order it would be 1.0."""
    a, b, c, d = Value(0.5), Value(-1e16), Value(1.0), Value(1e16)
    ws, xs = [a, b, a], [d, a, c]
    z = autograd.dot(ws, xs, None if bias is None else Value(bias))
    z.backward()
    terms = _dot_by_the_table([v.data for v in ws], [v.data for v in xs], bias, 1.0)
    expected = {id(v): 0.0 for v in (a, b, c, d)}
    for v, t in zip([*ws, *xs], terms):
        expected[id(v)] += t
    assert [v.grad for v in (a, b, c, d)] == [expected[id(v)] for v in (a, b, c, d)]
    assert (a.grad, b.grad, c.grad, d.grad) == (0.0, 0.5, 0.5, 0.5)  # by hand: ∂z/∂w_i = x_i, ∂z/∂x_i = w_i


def test_a_dot_row_edited_by_hand_is_the_one_backward_uses() -> None:
    row = autograd.rules.PRIMITIVES["dot"]
    w, x = Value(2.0), Value(5.0)
    autograd.rules.PRIMITIVES["dot"] = row._replace(local_derivatives=lambda ans, *xs: (10.0,) * len(xs))
    try:
        z = autograd.dot([w], [x], Value(1.0))
        z.backward()
    finally:
        autograd.rules.PRIMITIVES["dot"] = row
    assert (w.grad, x.grad) == (10.0, 10.0)
    z = autograd.dot([w], [x], Value(1.0))
    w.grad = x.grad = 0.0
    z.backward()
    assert (w.grad, x.grad) == (5.0, 2.0)
