"""autograd/symbolic.py: a rule's source run on symbols; what is known is computed, the rest written."""

from __future__ import annotations

import ast
import math

import pytest

from autograd.compile.symbolic import Evaluator, GiveUp, Known, number


def run(source, *args, scope=None):
    """Evaluate the lambda or def in ``source`` with the given inputs (names as strings, numbers as Known)."""
    tree = ast.parse(source).body[0]
    tree = tree.value if isinstance(tree, ast.Expr) else tree
    items = [ast.Name(a) if isinstance(a, str) else Known(a) for a in args]
    bound = {}

    def bind(obj, hint):
        bound[f"_{hint}"] = obj
        return f"_{hint}"

    result = Evaluator(scope or {}, bind, lambda fn, written: None).call(tree, items)
    return [r.value if isinstance(r, Known) else ast.unparse(r) for r in result], bound


def test_arithmetic_on_inputs_is_written_and_on_constants_computed():
    assert run("lambda ans, x, y: (y * ans, -ans / y, 1.0 - 0.25)", "a", "u", "v")[0] == ["v * a", "-a / v", 0.75]
    assert run("lambda ans, x, y: (y, x)", "a", "u", 3.0)[0] == [3.0, "u"]  # a constant input is its number


def test_a_branch_on_an_input_stays_a_branch_and_on_a_constant_is_decided():
    assert run("lambda ans, x: (1.0 if x > 0 else 0.0,)", "a", "z")[0] == ["1.0 if z > 0 else 0.0"]
    assert run("lambda ans, x: (1.0 if x > 0 else 0.0,)", "a", -2.0)[0] == [0.0]


def test_variadic_inputs_lengths_and_slices_are_worked_out():
    dot = """
def _dot(ans, *xs):
    n = len(xs) // 2
    return xs[n : 2 * n] + xs[:n] + (1.0,) * (len(xs) % 2)
"""
    assert run(dot, "z", "w0", "w1", "x0", "x1", "b")[0] == ["x0", "x1", "w0", "w1", 1.0]
    assert run("lambda ans, *xs: (1.0,) * len(xs)", "s", "p", "q", "r")[0] == [1.0, 1.0, 1.0]


def test_objects_the_rule_uses_are_bound_by_name():
    written, bound = run(
        "lambda ans, x: (math.log(x) + UNDEFINED,)", "a", "x", scope={"math": math, "UNDEFINED": object}
    )
    assert written == ["_log(x) + _object"] and bound == {"_log": math.log, "_object": object}


def test_pure_builtins_on_known_numbers_are_folded():
    assert run("lambda ans, x, y: (float(y) == 0, abs(-2.5))", "a", "x", 0.0)[0] == [True, 2.5]


@pytest.mark.parametrize(
    "source",
    [
        "def r(ans, x):\n    for i in range(2):\n        pass\n    return (x,)",  # a loop
        "def r(ans, x):\n    if x > 0:\n        return (1.0,)\n    return (0.0,)",  # an if statement on an input
        "lambda ans, x: [x for _ in (1,)]",  # a comprehension
        "lambda ans, x: (unknown(x),)",  # a name that is nowhere
        "lambda ans, x, k=1: (x,)",  # a default
    ],
)
def test_what_it_does_not_follow_gives_up(source):
    with pytest.raises(GiveUp):
        run(source, "a", "x")


def test_numbers_are_written_exactly():
    texts = [ast.unparse(number(x)) for x in (2.5, -2.5, -0.0, math.inf, -math.inf, math.nan, 1e-300)]
    assert texts == ["2.5", "-2.5", "-0.0", "_inf", "-_inf", "_nan", "1e-300"]
    assert ast.literal_eval(ast.unparse(number(0.1 + 0.2))) == 0.1 + 0.2  # the repr round-trips
