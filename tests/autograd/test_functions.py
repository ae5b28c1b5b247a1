"""autograd/ops.py: the functions exp, log, ..., tanh, and the fused many-input nodes sum and dot."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd import Value, dot, grad
from autograd.functions import dot_of_values

from .strategies import small_floats

EXAMPLES = settings(max_examples=30, deadline=None)


METHODS = ["exp", "log", "tanh", "sigmoid", "relu", "sqrt", "sin", "cos", "leaky_relu", "softplus",
           "tan", "sinh", "cosh", "asin", "acos", "atan", "asinh", "acosh", "atanh", "log1p", "expm1", "log2", "log10"]  # fmt: skip


@pytest.mark.parametrize("name", METHODS)
def test_each_function_rejects_what_is_not_a_number(name: str) -> None:
    with pytest.raises(TypeError, match=name):
        getattr(autograd, name)("0.5")
    with pytest.raises(TypeError, match="nn.vectorized"):
        getattr(autograd, name)(np.array([0.5, 1.0]))


# sum


def test_sum_is_one_node_with_many_parents() -> None:
    xs = [Value(float(i), label=f"x{i}") for i in range(5)]
    s = autograd.sum(xs)
    assert s.op == "sum"
    assert s.parents == tuple(xs)
    assert s.data == 10.0
    s.backward()
    assert [x.grad for x in xs] == [1.0] * 5
    assert list(s.nodes()) == [*xs, s]  # one node on top of the leaves, no chain of +


@EXAMPLES
@given(xs=st.lists(small_floats(), min_size=1, max_size=8))
def test_sum_matches_builtin_sum(xs: list[float]) -> None:
    values = [Value(x) for x in xs]
    s = autograd.sum(values)
    assert s.data == pytest.approx(math.fsum(xs), abs=1e-12)
    assert autograd.sum(xs) == pytest.approx(math.fsum(xs), abs=1e-12)


def test_sum_mixes_values_and_numbers_and_takes_any_iterable() -> None:
    a = Value(2.0)
    s = autograd.sum(v for v in [a, 3, np.float64(0.5)])
    assert s.data == 5.5
    assert s.parents[0] is a and [p.data for p in s.parents[1:]] == [3.0, 0.5]
    s.backward()
    assert a.grad == 1.0


def test_sum_counts_a_repeated_value_each_time() -> None:
    a = Value(2.0)
    s = autograd.sum([a, a, a])
    s.backward()
    assert (s.data, a.grad) == (6.0, 3.0)


def test_sum_of_numbers_is_a_float() -> None:
    assert autograd.sum([1, 2, 3]) == 6.0
    assert type(autograd.sum([1, 2, 3])) is float


def test_sum_of_nothing_is_the_float_zero() -> None:
    assert autograd.sum([]) == 0.0
    assert type(autograd.sum([])) is float


def test_sum_rejects_what_is_not_a_number() -> None:
    with pytest.raises(TypeError, match="sum"):
        autograd.sum([Value(1.0), "2"])
    with pytest.raises(TypeError, match="nn.vectorized"):
        autograd.sum([Value(1.0), np.ones(3)])


# dot


def test_dot_is_one_node_with_parents_ws_xs_bias() -> None:
    w = [Value(2.0), Value(-1.0)]
    x = [Value(3.0), Value(4.0)]
    b = Value(0.5)
    z = autograd.dot(w, x, bias=b)
    assert z.op == "dot"
    assert z.parents == (*w, *x, b)
    assert z.data == 2.5
    z.backward()
    assert [v.grad for v in w] == [3.0, 4.0]
    assert [v.grad for v in x] == [2.0, -1.0]
    assert b.grad == 1.0


def test_dot_without_bias() -> None:
    w = [Value(2.0), Value(-1.0)]
    z = autograd.dot(w, [3.0, 4.0])
    assert len(z.parents) == 4
    assert z.data == 2.0
    z.backward()
    assert [v.grad for v in w] == [3.0, 4.0]
    assert grad(lambda a, b: autograd.dot([a, b], [b, a]), argnums=(0, 1))(2.0, 3.0) == (6.0, 4.0)


@EXAMPLES
@given(pairs=st.lists(st.tuples(small_floats(), small_floats()), min_size=1, max_size=6), bias=small_floats())
def test_dot_matches_sum_of_products_and_its_gradients(pairs: list[tuple[float, float]], bias: float) -> None:
    ws = [Value(w) for w, _ in pairs]
    xs = [Value(x) for _, x in pairs]
    b = Value(bias)
    z = autograd.dot(ws, xs, bias=b)
    expected = math.fsum([w * x for w, x in pairs] + [bias])
    assert z.data == pytest.approx(expected, abs=1e-12)
    assert autograd.dot([w for w, _ in pairs], [x for _, x in pairs], bias) == pytest.approx(expected, abs=1e-12)
    z.backward()
    assert [w.grad for w in ws] == [x for _, x in pairs]
    assert [x.grad for x in xs] == [w for w, _ in pairs]
    assert b.grad == 1.0


def test_dot_of_a_value_with_itself() -> None:
    a = Value(3.0)
    z = autograd.dot([a], [a])
    z.backward()
    assert (z.data, a.grad) == (9.0, 6.0)
    assert grad(grad(lambda t: autograd.dot([t, t], [t, 2.0], bias=1.0)))(5.0) == 2.0


def test_dot_of_numbers_is_a_float() -> None:
    assert autograd.dot([1, 2], [3, 4]) == 11.0
    assert type(autograd.dot([1, 2], [3, 4], bias=1)) is float
    assert autograd.dot([1, 2], [3, 4], bias=1) == 12.0


def test_dot_of_empty_lists_is_the_bias() -> None:
    b = Value(2.0)
    z = autograd.dot([], [], bias=b)
    z.backward()
    assert (z.data, b.grad) == (2.0, 1.0)


def test_dot_of_nothing_is_the_float_zero() -> None:
    z = dot([], [], Value(0.5))
    assert z.data == 0.5 and type(z.data) is float
    empty = dot([], [])  # no Value among the arguments: a plain float, like dot([1.0], [2.0])
    assert empty == 0.0 and type(empty) is float
    assert dot([], [], 2) == 2.0 and type(dot([], [], 2)) is float


@pytest.mark.parametrize("ws, xs", [([1.0, 2.0], [1.0]), ([Value(1.0)], []), ([], [Value(1.0)])])
def test_dot_length_mismatch_is_a_value_error_naming_the_lengths(ws, xs) -> None:
    with pytest.raises(ValueError, match="dot") as info:
        autograd.dot(ws, xs)
    assert f"{len(ws)} weights" in str(info.value) and f"{len(xs)} inputs" in str(info.value)


def test_dot_rejects_what_is_not_a_number() -> None:
    with pytest.raises(TypeError, match="dot"):
        autograd.dot([Value(1.0)], ["2"])


def test_dot_of_values_is_dot_without_its_checks() -> None:
    w, x, b = [Value(2.0), Value(-1.0)], [Value(3.0), Value(4.0)], Value(0.5)
    z = dot_of_values(w, x, b)
    assert (z.op, z.data, z.parents) == ("dot", 2.5, (*w, *x, b))
    assert z.data == dot(w, x, b).data
    no_bias = dot_of_values(w, x)
    assert (no_bias.data, no_bias.parents) == (2.0, (*w, *x))
    no_bias.backward()
    assert [v.grad for v in w + x] == [3.0, 4.0, 2.0, -1.0]
