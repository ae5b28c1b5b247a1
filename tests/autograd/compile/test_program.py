"""autograd/program.py: the compiled function's layout: one example, a loop over examples, numpy arrays."""

from __future__ import annotations

import pytest

from autograd import compile, dot, relu, sigmoid


def f(w, b, x, y):
    return (sigmoid(dot(w, x, b)) - y) * (sigmoid(dot(w, x, b)) - y)


def body(source):
    """The code of the function's lines, without comments."""
    return [
        line.split("  #")[0].strip()
        for line in source.splitlines()
        if line.startswith("    ") and not line.strip().startswith("#")
    ]


def test_one_example_unpacks_computes_and_returns_the_gradients_it_was_asked_for():
    lines = body(compile(f, [0.0, 0.0], 0.0, [1.0, 2.0], 1.0, wrt=(0, 1)).source)
    assert lines[:2] == ["w_0, w_1 = w", "x_0, x_1 = x"]
    assert "dw_0 = dw_1 = db = 0.0" in lines and "return f, ([dw_0, dw_1], db)" in lines
    assert not any(line.startswith("for ") for line in lines)


def test_no_gradients_asked_no_backward_pass():
    source = compile(f, [0.0, 0.0], 0.0, [1.0, 2.0], 1.0, wrt=()).source
    assert "    # backward" not in source and " += " not in source and body(source)[-1] == "return f, ()"


def test_a_batch_loops_over_its_examples_adds_up_then_adds_the_penalty():
    source = compile(f, [0.0, 0.0], 0.0, [1.0, 2.0], 1.0, per_example=(2, 3), penalty=lambda w, b: dot(w, w)).source
    lines = body(source)
    assert "\ndef f(w, b, X, Y, _m):\n" in source
    assert "for x, y in _zip(X, Y):" in lines and "_seed = 1.0 / _m" in lines
    after = lines[lines.index("for x, y in _zip(X, Y):") :]
    assert after.index("J = _sum(_values) * (1.0 / _m) + penalty") < after.index("dpenalty = 1.0")
    assert lines[-1] == "return J, ([dw_0, dw_1], db)"


def test_what_is_the_same_for_every_example_is_computed_once():
    lines = body(compile(lambda w, x: relu(w * w) * x, 1.0, 1.0, per_example=(1,), reduce="sum").source)
    loop = lines.index("for x in X:")
    assert lines.index("t1 = w * w") < loop and "_seed = 1.0" in lines


def test_numpy_has_no_loop_and_sums_the_examples_shares():
    pytest.importorskip("numpy")
    lines = body(compile(f, [0.0, 0.0], 0.0, [1.0, 2.0], 1.0, per_example=(2, 3), backend="numpy").source)
    assert not any(line.startswith("for ") for line in lines)
    assert "x_0, x_1 = X" in lines and "(y,) = Y" in lines
    assert "dw_0 += _total_product(dt1, x_0, _m)" in lines and "J = _total(f, _m) * (1.0 / _m)" in lines


def test_updates_after_a_branching_rule_are_skipped_when_the_gradient_is_zero():
    lines = body(compile(lambda w, x: relu(dot(w, x)), [1.0, 1.0], [1.0, 1.0], wrt=0).source)
    guard = lines.index("if dt1:")  # t1 = dot(w, x); relu's slope can make dt1 exactly 0
    assert lines[guard + 1 : guard + 3] == ["dw_0 += dt1 * x_0", "dw_1 += dt1 * x_1"]
    assert compile(lambda w, x: relu(dot(w, x)), [1.0, 1.0], [1.0, 1.0], wrt=0)([1.0, 1.0], [-1.0, -2.0]) == (
        0.0,
        [0.0, 0.0],
    )
    assert (
        "if " not in compile(f, [0.0, 0.0], 0.0, [1.0, 2.0], 1.0).source.split("# backward")[1]
    )  # no branch: straight
