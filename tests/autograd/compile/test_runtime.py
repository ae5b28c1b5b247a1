"""autograd/compiled.py: a compiled function checks its arguments, and hands a call to the engine
where the engine would do something the generated code does not (an error, a skipped zero gradient)."""

from __future__ import annotations

import math

import pytest

from autograd import Value, compile, log, relu
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
    assert compile(f, 1.0, 1.0, wrt=[1, 0])(2.0, 3.0) == (8.0, (4.0, 2.0))  # in argument order
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
