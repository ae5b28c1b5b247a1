"""show_local: the edge labels are the local derivatives, worked out here by hand for every primitive.

Each graph is f = op(x[, y]) at x = 0.5, y = 2 (x = -0.5 where the sign matters). The expected
numbers are the textbook derivatives evaluated by hand, written to 4 significant digits:
not read from the engine's table.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

import autograd
import viz
from autograd import Value, rules


def x_() -> Value:
    return Value(0.5, label="x")


def y_() -> Value:
    return Value(2.0, label="y")


def neg_x() -> Value:
    return Value(-0.5, label="x")


CASES: list[tuple[str, Callable[[], Value], list[str]]] = [
    ("+", lambda: x_() + y_(), ["∂f/∂x = 1", "∂f/∂y = 1"]),
    ("-", lambda: x_() - y_(), ["∂f/∂x = 1", "∂f/∂y = -1"]),
    ("*", lambda: x_() * y_(), ["∂f/∂x = 2", "∂f/∂y = 0.5"]),  # ∂(xy)/∂x = y, ∂/∂y = x
    ("/", lambda: x_() / y_(), ["∂f/∂x = 0.5", "∂f/∂y = -0.125"]),  # 1/y, -x/y² = -0.5/4
    # y·x^(y-1) = 2·0.5 = 1; x^y·ln x = 0.25·ln 0.5 = -0.17329
    ("**", lambda: x_() ** y_(), ["∂f/∂x = 1", "∂f/∂y = -0.1733"]),
    ("neg", lambda: -x_(), ["∂f/∂x = -1"]),
    ("abs", lambda: abs(neg_x()), ["∂f/∂x = -1"]),  # the sign of x
    ("exp", lambda: x_().exp(), ["∂f/∂x = 1.649"]),  # e^0.5 = 1.64872
    ("log", lambda: x_().log(), ["∂f/∂x = 2"]),  # 1/x
    ("sqrt", lambda: x_().sqrt(), ["∂f/∂x = 0.7071"]),  # 1/(2√0.5) = 0.70711
    ("sin", lambda: x_().sin(), ["∂f/∂x = 0.8776"]),  # cos 0.5 = 0.87758
    ("cos", lambda: x_().cos(), ["∂f/∂x = -0.4794"]),  # -sin 0.5 = -0.47943
    ("tanh", lambda: x_().tanh(), ["∂f/∂x = 0.7864"]),  # 1 - tanh²0.5 = 1 - 0.46212² = 0.78645
    ("sigmoid", lambda: x_().sigmoid(), ["∂f/∂x = 0.235"]),  # σ(1-σ) = 0.62246·0.37754 = 0.23500
    ("softplus", lambda: x_().softplus(), ["∂f/∂x = 0.6225"]),  # σ(0.5) = 0.62246
    ("relu", lambda: x_().relu(), ["∂f/∂x = 1"]),
    ("relu", lambda: neg_x().relu(), ["∂f/∂x = 0"]),
    ("leaky_relu", lambda: x_().leaky_relu(), ["∂f/∂x = 1"]),
    ("leaky_relu", lambda: neg_x().leaky_relu(), ["∂f/∂x = 0.01"]),
    ("sum", lambda: autograd.sum([x_(), y_(), Value(-1.0, label="z")]), ["∂f/∂x = 1", "∂f/∂y = 1", "∂f/∂z = 1"]),
    (
        "dot",  # w·x + b: ∂/∂w_i = x_i, ∂/∂x_i = w_i, ∂/∂b = 1
        lambda: autograd.dot(
            [Value(0.5, label="w1"), Value(-2.0, label="w2")],
            [Value(3.0, label="x1"), Value(4.0, label="x2")],
            Value(1.0, label="b"),
        ),
        ["∂f/∂w1 = 3", "∂f/∂w2 = 4", "∂f/∂x1 = 0.5", "∂f/∂x2 = -2", "∂f/∂b = 1"],
    ),
    ("* by a constant", lambda: 3 * x_(), ["∂f/∂3 = 0.5", "∂f/∂x = 3"]),
    ("* of x by itself", lambda: x_() * x_(), ["∂f/∂x = 0.5", "∂f/∂x = 0.5"]),
]


@pytest.mark.parametrize("op, build, expected", CASES, ids=[case[0] for case in CASES])
def test_edge_labels_are_the_local_derivatives(op, build, expected, draw_svg):
    f = build()
    f.label = "f"
    assert f.op == op.split(" ")[0]
    picture = draw_svg(viz.draw_dot(f, show_local=True))
    assert sorted(label for _, label in picture.edge_labels()) == sorted(expected)
    # every label sits on an edge from an input into the op node
    assert all(edge.startswith("n") and "->op" in edge for edge, _ in picture.edge_labels())


def test_a_user_defined_op_gets_its_own_derivative(draw_svg):
    try:
        cube = autograd.defop("viz_test_cube", lambda x: x**3, lambda ans, x: 3 * x**2)
        f = cube(x_())
        f.label = "f"
        picture = draw_svg(viz.draw_dot(f, show_local=True))
        assert [label for _, label in picture.edge_labels()] == ["∂f/∂x = 0.75"]  # 3·0.5²
        assert ["viz_test_cube"] in picture.node_texts().values()
    finally:
        rules.PRIMITIVES.pop("viz_test_cube", None)


def test_an_undefined_local_derivative_is_drawn_not_raised(draw_svg):
    try:
        step = autograd.defop("viz_test_step", lambda x: 1.0 if x > 0 else 0.0, lambda ans, x: 1.0 / 0.0)
        f = step(x_())
        f.label = "f"
        picture = draw_svg(viz.draw_dot(f, show_local=True))
        assert [label for _, label in picture.edge_labels()] == ["∂f/∂x = undefined"]
    finally:
        rules.PRIMITIVES.pop("viz_test_step", None)


def test_without_show_local_edges_carry_no_label(course, draw_svg):
    assert draw_svg(viz.draw_dot(course.J)).edge_labels() == []
