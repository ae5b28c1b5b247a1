"""autograd/checking/graph_leaks.py: where f turns a Value into a plain number, named by its line;
an input that f's result reaches only through ``x.data``; the engine's own conversions not counted.
(check_derivatives's tables that use it: test_hand_derived.py.)"""

from __future__ import annotations

import math

from autograd import grad
from autograd.checking.graph_leaks import left_the_graph


def test_math_sin_on_a_value_is_found_at_its_line() -> None:
    def f(x):
        return x * math.sin(x)

    found = left_the_graph(f, None, (1.0,), {0}, ["x"])
    assert found is not None
    assert found.startswith(f"f left the graph at {__file__}:{f.__code__.co_firstlineno + 1} (return x * math.sin(x)):")


def test_an_input_reached_only_through_data_is_named_and_others_are_not() -> None:
    found = left_the_graph(lambda x, y: x.data * y, None, (2.0, 3.0), {0, 1}, ["x", "y"])
    assert found is not None and found.startswith("f's result does not reach x as a Value,")
    assert left_the_graph(lambda x, y: x.data * y, None, (2.0, 3.0), {1}, ["x", "y"]) is None  # y is reached


def test_data_beside_the_value_itself_is_not_seen() -> None:
    # x * x.data reaches x, and x.data calls nothing: no way to tell from the graph alone
    assert left_the_graph(lambda x: x * x.data, None, (1.0,), {0}, ["x"]) is None


def test_the_engines_own_float_conversions_are_not_counted() -> None:
    first = grad(lambda x: x * x)  # grad converts its result to a float inside autograd
    assert left_the_graph(lambda x: x * x, None, (1.0,), {0}, ["x"]) is None
    assert left_the_graph(lambda x: x * x, lambda x: first(x), (1.0,), {0}, ["x"]) is None
    assert left_the_graph(lambda x: float(first(x)) * x, None, (1.0,), {0}, ["x"]) is not None  # f's own float()


def test_a_function_that_fails_on_values_is_not_judged() -> None:
    def fails(x):
        raise ValueError("only on floats")

    assert left_the_graph(fails, None, (1.0,), {0}, ["x"]) is None
