"""viz/model.py: what a drawing knows about a graph: its order, names, roles, local derivatives
(shown on the edges, worked out here by hand for every primitive), nn clusters, and the limits on
the nodes and arrow segments Graphviz is given.

The local-derivative graphs are f = op(x[, y]) at x = 0.5, y = 2 (x = -0.5 where the sign matters).
The expected numbers are the textbook derivatives evaluated by hand, written to 4 significant
digits: not read from the engine's table.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable

import pytest

import autograd
import autograd.checking
import autograd.errors
import autograd.extend
import autograd.language.syntax
import viz
from autograd import Parameter, Value, rules
from viz.model import build_model, local_derivatives

from .viz_course import sum_of_products


def test_build_model_names_roles_and_local_derivatives_of_the_course_graph(course) -> None:
    m = build_model(course.J, 100, "draw_dot")
    assert m.names == ["3", "a", "b", "c", "u", "v", "J"]
    assert m.roles == ["constant", "input", "input", "input", "computed", "computed", "output"]
    assert m.auto_named == [False] * 7
    assert m.parents == [(), (), (), (), (2, 3), (1, 4), (0, 5)]
    assert m.local == [(), (), (), (), (2.0, 3.0), (1.0, 1.0), (11.0, 3.0)]
    assert m.clusters == [()] * 7
    assert [v.label for v in m.order] == ["", "a", "b", "c", "u", "v", "J"]


def test_unlabelled_results_are_named_by_position_and_parameters_have_their_role() -> None:
    w = Parameter(0.5)
    y = (w * Value(2.0)).tanh()
    m = build_model(y, 10, "draw_dot")
    assert m.names == ["n0", "2", "n2", "n3"]  # an unlabelled Parameter is not a number to show
    assert m.auto_named == [False, False, True, True]
    assert m.roles == ["parameter", "constant", "computed", "output"]


def test_local_derivatives_of_a_leaf_an_undefined_one_and_an_unknown_op() -> None:
    x = Value(0.0)
    assert local_derivatives(x) == ()
    (undefined,) = local_derivatives(x.sqrt())  # 0.5 / sqrt(0) divides by zero: drawn, not raised
    assert math.isnan(undefined)
    stranger = x * 2
    stranger.op = "not_in_the_table"
    assert all(math.isnan(d) for d in local_derivatives(stranger)) and len(local_derivatives(stranger)) == 2


def test_clusters_follow_the_parameter_names_of_nn() -> None:
    xs = [Value(1.0, label="x")]
    w = Parameter(0.5, label="layers.0.neurons.3.w.0")
    b = Parameter(0.1, label="layers.0.neurons.3.b")
    out = autograd.dot([w], xs, b).tanh() * 2
    m = build_model(out, 100, "draw_dot")
    by_name = dict(zip(m.names, m.clusters))
    group = ("layers.0", "layers.0.neurons.3")
    assert by_name["layers.0.neurons.3.w.0"] == by_name["layers.0.neurons.3.b"] == group
    assert by_name["x"] == () and by_name["2"] == ()
    by_op = {v.op: cluster for v, cluster in zip(m.order, m.clusters) if v.op}
    assert by_op == {"dot": group, "tanh": group, "*": ()}  # the neuron's dot and activation, not what follows


@pytest.mark.parametrize("bad", [0, -1, 2.5, True, "10"])
def test_limits_must_be_positive_integers(course, bad) -> None:
    with pytest.raises(ValueError, match=rf"^draw_dot: max_nodes must be a positive integer, got {bad!r}$"):
        build_model(course.J, bad, "draw_dot")
    with pytest.raises(ValueError, match=rf"^render: max_edges must be a positive integer, got {bad!r}$"):
        build_model(course.J, 100, "render", max_edges=bad)


# Limits on the graph Graphviz is given


def test_a_graph_with_too_long_arrows_is_refused_at_once(tmp_path):
    with pytest.raises(viz.GraphTooTangledError) as caught:
        viz.render(sum_of_products(200), tmp_path / "sum.svg")
    message = str(caught.value)
    assert "about 40599 segments" in message and "more than max_edges=20000" in message
    assert "only 401 nodes, but 'a' is used 200 times" in message and "max_edges=40599" in message
    assert isinstance(caught.value, viz.GraphTooLargeError)
    assert os.listdir(tmp_path) == []


def test_edge_labels_count_double_and_max_edges_can_be_raised():
    J = sum_of_products(100)  # about 10,300 segments, 20,600 with labels on the arrows
    viz.draw_dot(J)
    with pytest.raises(viz.GraphTooTangledError, match="about 20598 segments"):
        viz.draw_dot(J, show_local=True)
    assert "nslimit" in viz.draw_dot(J, show_local=True, max_edges=20598).source


def test_the_replay_refuses_a_long_chain_that_reuses_its_input():
    x = Value(1.0, label="x")
    y = x
    for _ in range(33):
        y = y * x + 1.0  # 100 Values, 101 frames of a few seconds each
    with pytest.raises(viz.GraphTooTangledError, match="'x' is used 34 times"):
        viz.backprop_frames(y)


# Local derivatives on the edges (show_local)


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
        cube = autograd.extend.defop("viz_test_cube", lambda x: x**3, lambda ans, x: 3 * x**2)
        f = cube(x_())
        f.label = "f"
        picture = draw_svg(viz.draw_dot(f, show_local=True))
        assert [label for _, label in picture.edge_labels()] == ["∂f/∂x = 0.75"]  # 3·0.5²
        assert ["viz_test_cube"] in picture.node_texts().values()
    finally:
        rules.PRIMITIVES.pop("viz_test_cube", None)


def test_an_undefined_local_derivative_is_drawn_not_raised(draw_svg):
    try:
        step = autograd.extend.defop("viz_test_step", lambda x: 1.0 if x > 0 else 0.0, lambda ans, x: 1.0 / 0.0)
        f = step(x_())
        f.label = "f"
        picture = draw_svg(viz.draw_dot(f, show_local=True))
        assert [label for _, label in picture.edge_labels()] == ["∂f/∂x = undefined"]
    finally:
        rules.PRIMITIVES.pop("viz_test_step", None)


def test_without_show_local_edges_carry_no_label(course, draw_svg):
    assert draw_svg(viz.draw_dot(course.J)).edge_labels() == []
