"""autograd/compile/array_code.py: numpy and JAX code, the engine's numbers to 1e-12."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import nn
from autograd import Value, compile, dot, gradients, log, sigmoid
from autograd import sum as sum_of
from autograd.errors import DomainError, FloatOverflowError
from nn.losses import bce_with_logits, mean

from ..strategies import small_floats
from .test_compile import build, expressions


def L(w, b, x, y):
    z = dot(w, x, b)
    a = sigmoid(z)
    return -(y * log(a) + (1 - y) * log(1 - a))


def test_the_courses_logistic_regression_at_its_size_is_a_few_lines_of_numpy():
    X, Y = nn.datasets.make_images(m=9, n_x=12288, seed=0)
    step = compile(L, [0.0] * 12288, 0.0, X[:, 0].tolist(), 1.0, per_example=(2, 3), backend="numpy")
    assert len(step.source.splitlines()) <= 40
    assert (
        "    t1 = w @ X\n" in step.source
        and "    dw = dz @ X.T\n" in step.source
        and "    db = dz.sum(axis=0)\n" in step.source
    )
    J, (dw, db) = step(np.zeros(12288), 0.0, X, Y)
    assert J == pytest.approx(np.log(2.0), rel=1e-15)
    # at w = 0 every a is 1/2: the course's dw = X (A - Y).T / m, db = mean(A - Y)
    assert np.allclose(dw, X @ (0.5 - Y[0]) / 9, rtol=1e-13, atol=1e-16) and db == pytest.approx(
        np.mean(0.5 - Y), rel=1e-13
    )


def test_a_domain_error_goes_to_the_engine_which_names_the_op_and_the_example():
    step = compile(lambda w, x: log(w * x), 1.0, 1.0, per_example=(1,), backend="numpy")
    with pytest.raises(DomainError, match=r"compiled <lambda>, example 1: log: log\(-2\.0\) is undefined"):
        step(1.0, np.array([1.0, -2.0, 3.0]))


def test_an_op_without_an_array_version_runs_per_example(temporary_op):
    cube = temporary_op("cube_arr", lambda x: x**3, lambda ans, x: 3.0 * x * x)
    step = compile(lambda w, x: cube(w * x), 0.5, 1.0, per_example=(1,), backend="numpy")
    assert "_each(_cube_arr_forward" in step.source
    J, dw = step(0.5, np.array([1.0, 2.0]))[0], step(0.5, np.array([1.0, 2.0]))[1][0]
    assert J == pytest.approx((0.125 + 1.0) / 2, rel=1e-15) and dw == pytest.approx((0.75 + 6.0) / 2, rel=1e-15)


@pytest.fixture(params=["python", "numpy", "jax"])
def backend(request):
    """Each backend by name; JAX in float64, skipped where it cannot be imported."""
    if request.param != "jax":
        yield request.param
        return
    jax = pytest.importorskip("jax", reason="the JAX backend needs jax (pip install -e .[jax])")
    before = jax.config.jax_enable_x64
    jax.config.update("jax_enable_x64", True)
    yield "jax"
    jax.config.update("jax_enable_x64", before)


class TestJax:
    @pytest.fixture(autouse=True)
    def x64(self):
        jax = pytest.importorskip("jax", reason="the JAX backend needs jax (pip install -e .[jax])")
        before = jax.config.jax_enable_x64
        jax.config.update("jax_enable_x64", True)
        yield
        jax.config.update("jax_enable_x64", before)

    def test_the_jax_backend_gives_the_engines_numbers(self):
        model = nn.MLP(3, [5, 4, 1], seed=3)
        params = model.parameters()
        X, Y = np.random.default_rng(0).normal(size=(3, 20)), (np.arange(20) % 2).astype(float)
        step = compile(lambda p, x, y: bce_with_logits(model(x), y), params, [0.1, 0.2, 0.3], 1.0,
                       per_example=(1, 2), backend="jax")  # fmt: skip
        assert "jnp." in step.source and "@" in step.source
        J, (grads,) = step(params, X, Y)
        whole = mean([bce_with_logits(model(x), y) for x, y in zip(X.T.tolist(), Y.tolist())])
        reference = np.array(gradients(whole, params))
        assert J == pytest.approx(whole.data, rel=1e-12)
        assert np.max(np.abs(np.asarray(grads) - reference)) <= 1e-12 * np.max(np.abs(reference))

    def test_jax_arrays_are_taken_as_they_are(self):
        import jax.numpy as jnp

        X, Y = nn.datasets.make_images(m=6, n_x=20, seed=1)
        step = compile(L, [0.0] * 20, 0.0, X[:, 0].tolist(), 1.0, per_example=(2, 3), backend="jax")
        on_host = step(np.zeros(20), 0.0, X, Y)
        on_device = step(jnp.zeros(20), 0.0, jnp.asarray(X), jnp.asarray(Y, dtype=float))
        assert on_device[0] == on_host[0] and np.array_equal(on_device[1][0], on_host[1][0])

    def test_a_jax_number_for_a_per_example_argument_is_refused_by_its_shape(self):
        import jax.numpy as jnp

        step = compile(lambda w, x: w * x, 1.0, 1.0, per_example=(1,), backend="jax")
        with pytest.raises(ValueError, match=r"argument 'x' has shape \(\); it must hold 1 number per example"):
            step(1.0, jnp.asarray(2.0))

    def test_an_error_on_jax_is_the_engines(self):
        step = compile(lambda w, x: log(w * x), 1.0, 1.0, per_example=(1,), backend="jax")
        with pytest.raises(DomainError, match=r"example 0: log: log\(0\.0\) is undefined"):
            step(1.0, np.array([0.0, 1.0]))


def close(got, want):
    """Within 1e-12 relative (1e-300 absolute), NaN where the other is NaN."""
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    return bool(np.all(np.isclose(got, want, rtol=1e-12, atol=1e-300, equal_nan=True)))


@pytest.mark.slow
@given(
    expressions(),
    st.lists(small_floats(-2.0, 2.0), min_size=2, max_size=2),
    st.lists(st.sampled_from([0.0, 0.5, -1.0, 1.0, 2.0]) | small_floats(-2.0, 2.0), min_size=8, max_size=8),
)
@settings(max_examples=120, deadline=None)
def test_random_expressions_in_a_batch_on_numpy_match_the_engine(tree, at, examples):
    """x and y are shared, z is one number per example: four examples, the mean of f and its gradients."""
    f = lambda x, y, z: build(tree, [x, y, z])
    try:
        compiled = compile(f, at[0], at[1], examples[0], per_example=(2,), backend="numpy")
    except DomainError:
        assume(False)
    shared, zs = examples[:2], examples[2:6]

    def reference():
        values = [Value(shared[0]), Value(shared[1])]
        outs = [f(*values, z) for z in zs]
        total = mean(outs)
        grads = gradients(total, values) if isinstance(total, Value) else [0.0, 0.0]
        return float(total), grads

    try:
        want = reference()
    except (ArithmeticError, ValueError) as e:
        with pytest.raises(type(e)):
            compiled(*shared, np.array(zs))
        return
    value, grads = compiled(*shared, np.array(zs))
    assert close(value, want[0]) and close(grads, want[1])


def test_the_jax_backend_without_jax_says_how_to_install_it(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "jax", None)  # as if it were not installed
    monkeypatch.setitem(sys.modules, "jax.numpy", None)
    with pytest.raises(
        ImportError, match=r"compile <lambda>: backend='jax' needs jax, which is not installed: pip install"
    ):
        compile(lambda w, x: w * x, 1.0, 1.0, per_example=(1,), backend="jax")


def test_a_negative_base_to_a_fractional_power_is_the_engines_error_not_a_complex_number():
    # A shared number reaches numpy as numpy's float: x ** x is nan (then the engine's error), not complex.
    step = compile(lambda x, z: x**x * z, 2.0, 1.0, per_example=(1,), backend="numpy")
    with pytest.raises(DomainError, match=r"example 0: \*\*: a negative base to a non-integer power"):
        step(-0.5, np.array([1.0, 2.0]))
    J, (dx,) = step(2.0, np.array([1.0, 3.0]))
    assert J == 8.0 and dx == pytest.approx(2.0 * 4.0 * (math.log(2.0) + 1.0), rel=1e-15)


def test_a_rule_that_multiplies_by_a_test_known_when_tracing_runs_on_arrays(temporary_op):
    gate = temporary_op("gate_at", lambda x, k: x * k, lambda ans, x, k: (1.0 + (k > 0) * x, x))
    f = lambda w, x: gate(w * x, -1.0)  # (k > 0) is False here: the equation False * x stays
    on_floats = compile(f, 1.0, 1.0, per_example=(1,))(2.0, [1.0, 3.0])
    assert (
        compile(f, 1.0, 1.0, per_example=(1,), backend="numpy")(2.0, np.array([1.0, 3.0]))
        == on_floats
        == (-4.0, (2.0,))
    )


def test_a_list_argument_read_whole_by_a_sum_gets_one_gradient_per_number(backend):
    # J = sum over the examples of 2 * (n_0 + n_1 + n_2) + x: ∂J/∂n_i = 2 per example, 4 for the two
    # (numpy and JAX once gave the single number 4.0: the gradient lacked the list's axis)

    def f(x, numbers):
        total = sum_of(numbers)
        return total + total + x

    step = compile(f, 1.0, [1.0, 2.0, 3.0], per_example=(0,), wrt=1, reduce="sum", backend=backend)
    J, dl = step(np.array([1.0, 2.0]), [1.0, 2.0, 3.0])
    assert J == 27.0 and list(dl) == [4.0, 4.0, 4.0]


def test_a_list_of_examples_in_a_nested_structure_is_read_the_same_by_every_backend(backend):
    # x is [[x0, x1]] per example; two examples given as a list: ([[1, 2]], [[3, 4]]).
    # J = mean(1*3 + 2*4, 3*3 + 4*4) = 18, ∂J/∂y = mean of the x's = (2, 3). numpy once read the
    # list as the array (2, 1, 2) with the examples along its last axis: 18.5, (1.5, 3.5).
    step = compile(lambda x, y: dot(x[0], y), [[1.0, 2.0]], [3.0, 4.0], per_example=(0,), backend=backend)
    J, (dy,) = step([[[1.0, 2.0]], [[3.0, 4.0]]], [3.0, 4.0])
    assert J == 18.0 and list(dy) == [2.0, 3.0]
    by_columns = np.array([[1.0, 3.0], [2.0, 4.0]])  # the same examples as an array: one column each
    J, (dy,) = step(by_columns, [3.0, 4.0])
    assert J == 18.0 and list(dy) == [2.0, 3.0]


def test_a_domain_error_nobody_reads_still_raises_as_in_the_engine(backend):
    # log(y - 2) is made and never read: the engine raises at example 1 (log(-1)) while f runs.
    # (JAX's compiler drops what nothing reads; the compiled J now depends on its being finite)

    def f(x, y):
        log(y - 2.0)
        return x * y

    step = compile(f, 1.0, 3.0, per_example=(1,), backend=backend)
    with pytest.raises(DomainError, match=r"example 1: log"):
        step(1.0, np.array([3.0, 1.0]))
    assert step(2.0, np.array([3.0, 5.0])) == (8.0, (4.0,))


def test_an_overflow_that_a_later_op_absorbs_is_still_the_engines_error(backend):
    # y ** 2 overflows at y = 1e200 (the engine raises there); x / (1 + inf) would be a finite 0.
    step = compile(lambda x, y: x / (1.0 + y**2.0), 1.0, 1.0, per_example=(1,), backend=backend)
    with pytest.raises(FloatOverflowError, match=r"example 1: \*\*: 1e\+200 \*\* 2.0 overflows"):
        step(1.0, np.array([1.0, 1e200]))
    assert step(1.0, np.array([1.0, 2.0])) == (0.35, (0.35,))


def test_an_op_without_a_numpy_formula_on_a_shared_number(temporary_op):
    """Called once per example (``_each``), it also works on a number all the examples share."""
    cube = temporary_op("cube_shared", lambda x: x**3, lambda ans, x: 3.0 * x * x)
    compiled = compile(lambda w, x: cube(w) * x, 2.0, 1.0, per_example=(1,), backend="numpy")
    assert compiled(2.0, [1.0, 2.0]) == (12.0, (18.0,))  # 8 * mean(x); 3 w² * mean(x)
