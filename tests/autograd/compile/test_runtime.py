"""autograd/compiled.py: a compiled function checks its arguments, and hands a call to the engine
where the engine would do something the generated code does not (an error, a skipped zero gradient)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from autograd import Value, compile, grad, log, relu, sqrt
from autograd.errors import DomainError


def test_arguments_must_have_the_compiled_structure():
    step = compile(lambda w, x: w[0] * x + w[1], [1.0, 2.0], 3.0)
    with pytest.raises(TypeError, match="compiled <lambda> takes 2 arguments, as it was compiled; got 1"):
        step([1.0, 2.0])
    with pytest.raises(ValueError, match="compiled <lambda>: argument 'w' has 3 entries; it was compiled for 2"):
        step([1.0, 2.0, 3.0], 1.0)


def test_per_example_arguments_must_have_as_many_examples():
    step = compile(lambda w, x, y: w * x * y, 1.0, 1.0, 1.0, per_example=(1, 2))
    with pytest.raises(ValueError, match="argument 'y' has 2 examples; the others have 3"):
        step(1.0, [1.0, 2.0, 3.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="argument 'x' has 0 examples; it needs at least one"):
        step(1.0, [], [])


def test_a_nan_argument_is_the_engines_error():
    step = compile(lambda x, y: x * y, 1.0, 2.0)
    with pytest.raises(DomainError, match="Value: got nan, which is not a number"):
        step(math.nan, 1.0)


def test_where_the_engine_skips_a_zero_gradient_the_call_gives_the_engines_numbers():
    # d(log x * 0)/d(log x) is 0, and the engine sends nothing back from there; the generated code
    # multiplies by the slope 1/x, infinite at x = 5e-324, and gets NaN: the engine answers instead.
    step = compile(lambda x: log(x) * 0.0 + x, 1.0)
    assert step(5e-324) == (5e-324, (1.0,))


def test_values_read_from_outside_are_read_at_each_call():
    scale = Value(2.0, label="scale")
    step = compile(lambda x: x * scale, 1.0)
    assert step(3.0) == (6.0, (2.0,))
    scale.data = 5.0
    assert step(3.0) == (15.0, (5.0,))


def test_wrt_chooses_the_gradients_and_a_single_one_comes_alone():
    f = lambda x, y: x * y + relu(x)
    assert compile(f, 1.0, 1.0, wrt=1)(2.0, 3.0) == (8.0, 2.0)
    # in the order asked for, as grad's argnums gives them (it used to be the arguments' order)
    assert compile(f, 1.0, 1.0, wrt=[1, 0])(2.0, 3.0) == (8.0, (2.0, 4.0)) == (8.0, grad(f, argnums=(1, 0))(2.0, 3.0))
    with pytest.raises(ValueError, match=r"wrt \(0, -2\) names an argument twice"):
        compile(f, 1.0, 1.0, wrt=(0, -2))
    with pytest.raises(ValueError, match="wrt must be argument positions between 0 and 1, got 2"):
        compile(f, 1.0, 1.0, wrt=2)


def test_numpy_per_example_values():
    np = pytest.importorskip("numpy")
    step = compile(lambda w, x: w * x, 2.0, 1.0, per_example=(1,), reduce=None, backend="numpy")
    values, (dw,) = step(2.0, np.array([1.0, 2.0, 3.0]))
    assert values.tolist() == [2.0, 4.0, 6.0] and dw == 6.0


def test_repr_says_what_it_is():
    step = compile(lambda w, x: w * x, 2.0, 1.0, per_example=(1,))
    assert repr(step) == "<compiled <lambda>: 4 equations, a batch (mean), backend 'python'>"


@pytest.mark.parametrize("backend", ["python", "numpy"])
def test_a_nan_in_an_argument_is_the_engines_error_naming_the_argument(backend):
    np = pytest.importorskip("numpy")
    step = compile(lambda w, x: w * x, 1.0, 1.0, per_example=(1,), backend=backend)
    with pytest.raises(DomainError, match=r"compiled <lambda>: argument 'w': Value: got nan"):
        step(math.nan, np.array([1.0, 2.0]))
    with pytest.raises(DomainError, match=r"compiled <lambda>, example 1: argument 'x': Value: got nan"):
        step(1.0, np.array([1.0, math.nan]))


@pytest.mark.parametrize("backend", ["python", "numpy", "jax"])
def test_arrays_of_complex_numbers_or_text_are_refused_not_cast(backend):
    """numpy's cast drops an imaginary part and reads text as numbers; the engine refuses both."""
    compiled = compile(lambda w, x: w[0] * x, [1.0], 1.0, per_example=(1,), backend=backend)
    for bad in (np.array([[1.0 + 5j, 2.0]]), np.array([["1.5", "2"]])):
        with pytest.raises(TypeError, match=f"argument 'x' has dtype {bad.dtype}; it must hold real numbers"):
            compiled([1.0], bad)
    if backend != "python":
        with pytest.raises(TypeError, match="argument 'w' has dtype complex128"):
            compiled(np.array([0.5 + 3j]), [1.0])


def test_a_jax_array_of_integers_is_computed_in_floats():
    jnp = pytest.importorskip("jax.numpy")
    compiled = compile(lambda w, x: w * (x * x * x), 1.0, 1.0, per_example=(1,), backend="jax")
    assert compiled(1.0, jnp.asarray([[10, 2]], dtype=jnp.int8)) == (504.0, (504.0,))  # int8 would wrap: -8
    negated = compile(lambda w, x: w * (-x), 1.0, 1.0, per_example=(1,), backend="jax")
    assert negated(1.0, jnp.asarray([[1, 2]], dtype=jnp.uint8)) == (-1.5, (-1.5,))
    assert negated(1.0, jnp.asarray([[True, False]])) == (-0.5, (-0.5,))


@pytest.mark.parametrize("backend", ["python", "numpy"])
def test_a_failing_backward_pass_names_the_example(backend):
    compiled = compile(lambda w, x: sqrt(w * x), 1.0, 1.0, per_example=(1,), backend=backend)
    with pytest.raises(DomainError, match=r"compiled <lambda>, example 2: backward through sqrt\(0.0\)"):
        compiled(1.0, [1.0, 4.0, 0.0])


@pytest.mark.parametrize("backend", ["python", "numpy"])
def test_a_call_the_engine_could_not_replay_quickly_is_refused_saying_where_the_nan_is(backend):
    from autograd.compile import runtime

    L = lambda w, x, y: (w * x - y) ** 2
    compiled = compile(L, 1.0, 1.0, 1.0, per_example=(1, 2), backend=backend)
    m = runtime.MAX_REPLAY // 12 + 1  # each example: x, y, the constant 2, and 3 nodes (*, -, **) of 2 parents
    X, Y = np.ones(m), np.ones(m)
    Y[m - 3] = math.nan
    with pytest.raises(
        ValueError,
        match=rf"\({m * 12:,} nodes and inputs\) is over the limit of 6,000,000; argument 'y' is nan in example {m - 3:,}",
    ):
        compiled(1.0, X[None, :] if backend == "numpy" else X, Y)
    assert compiled(1.0, [1.0, 2.0], [0.0, 0.0]) == (2.5, (5.0,))  # a small batch: as before


def test_a_compiled_function_called_inside_a_traced_f_is_refused():
    """It reads its arguments' numbers, as float() does: the outer code would keep today's."""
    from autograd import TracingError

    square = compile(lambda t: t * t, 1.0)

    def outer(x):
        value, _ = square(x)
        return x * value

    with pytest.raises(TracingError, match="float"):
        compile(outer, 1.0)


def test_fs_name_never_takes_a_name_the_code_uses():
    def _log(w):
        return log(w)

    def _values(w, x):
        return w * x

    def np(w, x):  # shadows numpy here, on purpose
        return w * x

    assert compile(_log, 1.0)(2.0) == (math.log(2.0), (0.5,))
    assert compile(_values, 1.0, 1.0, per_example=(1,))(1.0, [1.0, 2.0]) == (1.5, (1.5,))
    assert compile(np, 1.0, 1.0, per_example=(1,), backend="numpy")(1.0, [1.0, 2.0]) == (1.5, (1.5,))


def test_an_empty_list_argument_works_on_floats():
    assert compile(lambda w, b: b * 2, [], 1.0)([], 3.0) == (6.0, ([], 2.0))
