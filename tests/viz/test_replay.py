"""viz/replay.py: backprop_frames and backprop_captions: the backward pass one node at a time,
checked against the course."""

from __future__ import annotations

import math
import random
import re

import pytest

import viz
from autograd import DomainError, Value, topological_order
from viz.replay import CURRENT_FILL
from viz.style import HOT, PARTIAL_FILL


COURSE_CAPTIONS = [
    "Forward pass: J = 33",
    "∂J/∂J = 1",
    "∂J/∂v = ∂J/∂J · ∂J/∂v = 1 · 3 = 3",
    "∂J/∂u = ∂J/∂v · ∂v/∂u = 3 · 1 = 3",
    "∂J/∂c = ∂J/∂u · ∂u/∂c = 3 · 3 = 9",
    "∂J/∂b = ∂J/∂u · ∂u/∂b = 3 · 2 = 6",
    "∂J/∂a = ∂J/∂v · ∂v/∂a = 3 · 1 = 3",
    "∂J/∂3 = ∂J/∂J · ∂J/∂3 = 1 · 11 = 11",
]


def grad_cells(picture) -> dict[str, str]:
    """Each Value's name -> the text of its grad cell, as drawn."""
    cells = {}
    for node, texts in picture.node_texts().items():
        if re.fullmatch(r"n\d+", node):
            cells[texts[0]] = texts[-1]
    return cells


def test_one_frame_per_node_plus_the_forward_pass(course):
    frames = viz.backprop_frames(course.J)
    assert len(frames) == len(topological_order(course.J)) + 1 == 8


def test_captions_state_each_chain_rule_step_with_the_course_numbers(course):
    assert viz.backprop_captions(course.J) == COURSE_CAPTIONS
    assert [f.comment for f in viz.backprop_frames(course.J)] == COURSE_CAPTIONS


def test_forward_frame_has_values_and_no_gradients(course, draw_svg):
    picture = draw_svg(viz.backprop_frames(course.J)[0])
    cells = grad_cells(picture)
    assert set(cells.values()) == {"grad ?"}
    assert "data 33" in picture.texts and "data 6" in picture.texts


def test_last_frame_shows_every_gradient(course, draw_svg):
    cells = grad_cells(draw_svg(viz.backprop_frames(course.J)[-1]))
    assert cells == {"a": "grad 3", "b": "grad 6", "c": "grad 9", "u": "grad 3", "v": "grad 3", "J": "grad 1", "3": "grad 11"}


def test_each_frame_highlights_the_completed_node_and_the_edges_its_gradient_flows_along(course):
    order = topological_order(course.J)
    frames = viz.backprop_frames(course.J)
    assert HOT not in frames[0].source
    for k in range(1, len(frames)):
        i = len(order) - k  # frame k completes the k-th node from the end
        hot_nodes = re.findall(rf'\t(\w+) \[[^\n]*color="{HOT}"', frames[k].source)
        hot_edges = re.findall(rf'\t(\w+ -> \w+) \[[^\n]*color="{HOT}"', frames[k].source)
        if order[i].parents:
            assert hot_nodes == [f"n{i}", f"op{i}"]
            pos = {v: j for j, v in enumerate(order)}
            expected = [f"n{pos[p]} -> op{i}" for p in order[i].parents] + [f"op{i} -> n{i}"]
            assert hot_edges == expected
        else:
            assert hot_nodes == [f"n{i}"] and hot_edges == []  # a leaf sends nothing further
        assert frames[k].source.count(CURRENT_FILL) == 2  # its grad cell, and the legend


def test_gradient_from_several_paths_accumulates_visibly(draw_svg):
    a = Value(2.0, label="a")
    p = a * 3
    p.label = "p"
    q = a + 1
    q.label = "q"
    y = p + q
    y.label = "y"  # dy/da = 3 (through p) + 1 (through q) = 4
    order = topological_order(y)
    frames = viz.backprop_frames(y)
    cells = [grad_cells(draw_svg(f)) for f in frames]
    a_cells = [c["a"] for c in cells]
    first = 1 + [v.label for v in reversed(order)].index(order[-2].label)  # the first of p, q to complete
    received = "grad 1 so far" if order[-2] is q else "grad 3 so far"
    assert a_cells[first] == received
    assert a_cells[: first] == ["grad ?"] * first
    final = a_cells.index("grad 4")  # both paths in: final from then on, no "so far"
    assert a_cells[first:final] == [received] * (final - first) and a_cells[final:] == ["grad 4"] * (len(frames) - final)
    assert a_cells[-1] == "grad 4"
    assert PARTIAL_FILL in frames[first].source
    captions = viz.backprop_captions(y)
    assert "∂y/∂a = ∂y/∂q · ∂q/∂a + ∂y/∂p · ∂p/∂a = 1 · 1 + 1 · 3 = 4" in captions or (
        "∂y/∂a = ∂y/∂p · ∂p/∂a + ∂y/∂q · ∂q/∂a = 1 · 3 + 1 · 1 = 4" in captions
    )


def test_a_gradient_with_one_path_is_never_so_far(course, draw_svg):
    """In J = 3(a + bc) every node has one path to J: once it has arrived the gradient is final."""
    cells = [grad_cells(draw_svg(f)) for f in viz.backprop_frames(course.J)]
    assert not any("so far" in text for frame in cells for text in frame.values())
    a_cells = [frame["a"] for frame in cells]
    assert a_cells == ["grad ?"] * a_cells.index("grad 3") + ["grad 3"] * (len(cells) - a_cells.index("grad 3"))


def test_negative_factors_are_parenthesised():
    x = Value(3.0, label="x")
    y = x * -2.0
    y.label = "y"
    z = y * y
    z.label = "z"  # dz/dy = 2y = -12; dz/dx = -12 · -2 = 24
    captions = viz.backprop_captions(z)
    assert "∂z/∂y = ∂z/∂z · ∂z/∂y + ∂z/∂z · ∂z/∂y = 1 · (-6) + 1 · (-6) = -12" in captions
    assert "∂z/∂x = ∂z/∂y · ∂y/∂x = (-12) · (-2) = 24" in captions


def test_replay_uses_its_own_gradients_and_leaves_grad_alone(course):
    for v in topological_order(course.J):
        v.grad = 42.0  # a user's half-finished accumulation must survive the replay
    captions = viz.backprop_captions(course.J)
    assert captions == COURSE_CAPTIONS
    assert {v.grad for v in topological_order(course.J)} == {42.0}


def test_replay_matches_backward_on_a_neuron(draw_svg):
    w1, w2, b = Value(-3.0, label="w1"), Value(1.0, label="w2"), Value(6.8813735870195432, label="b")
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    n = x1 * w1 + x2 * w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    frames = viz.backprop_frames(o)
    assert len(frames) == len(topological_order(o)) + 1 == 11
    drawn = grad_cells(draw_svg(frames[-1]))
    o.backward()
    # tanh(n) = 0.7071 at n = 0.8814, so do/dn = 1 - 0.5 = 0.5; do/dw1 = x1 · 0.5 = 1; do/dx1 = w1 · 0.5 = -1.5
    assert (drawn["n"], drawn["w1"], drawn["x1"], drawn["w2"], drawn["x2"]) == (
        "grad 0.5", "grad 1", "grad -1.5", "grad 0", "grad 0.5",
    )
    for v in topological_order(o):
        if v.label:
            assert drawn[v.label] == f"grad {viz.style.fmt(v.grad)}", v.label


def test_nodes_stay_in_place_from_frame_to_frame(course, draw_svg):
    a = Value(2.0, label="a")
    y = (a * a + a.exp()) * course.J  # a shared input, several widths of grad text
    y.label = "y"
    outlines = [draw_svg(f).node_outlines() for f in viz.backprop_frames(y)]
    assert len(outlines[0]) == 12 + 7 + 1  # 12 values, 7 of them computed by an op, and the legend
    assert all(o == outlines[0] for o in outlines[1:])


@pytest.mark.slow
def test_replay_refuses_large_graphs():
    x = Value(1.0, label="x")
    for _ in range(50):
        x = x * 1.01
    with pytest.raises(viz.GraphTooLargeError, match=r"backprop_frames: the graph has 101 nodes, more than max_nodes=100"):
        viz.backprop_frames(x)
    assert len(viz.backprop_frames(x, max_nodes=101)) == 102


def replay_gradients(root: Value) -> list[float]:
    from viz.model import build_model
    from viz.replay import chain_rule

    return chain_rule(build_model(root, 1000, "test"))[0]


def same(a: float, b: float) -> bool:
    return a == b or (math.isnan(a) and math.isnan(b))


def test_a_zero_gradient_passes_nothing_back_as_in_backward():
    x = Value(0.0, label="x")
    y = (x.sqrt() - 1).relu()  # relu is dead, so nothing reaches sqrt, whose derivative at 0 is undefined
    y.label = "y"
    captions = viz.backprop_captions(y)
    assert captions[-2] == "∂y/∂x = ∂y/∂n2 · ∂n2/∂x = 0 · (not needed) = 0"
    y.backward()
    assert x.grad == 0.0 and replay_gradients(y)[1] == 0.0
    detail = viz.replay.make_replay(y, 100, "LR").details[3]
    assert "Its gradient is 0, so it passes nothing back to x" in detail


@pytest.mark.parametrize("seed", range(20))
def test_replay_gradients_equal_backward_on_random_graphs(seed):
    rng = random.Random(seed)
    nodes = [Value(rng.choice([0.0, 0.5, -1.5, 2.0]), label=f"x{k}") for k in range(3)]
    for _ in range(rng.randint(3, 15)):
        a, b = rng.choice(nodes), rng.choice(nodes)
        op = rng.choice(["+", "*", "-", "relu", "tanh", "sqrt_relu", "pow"])
        if op == "+":
            nodes.append(a + b)
        elif op == "*":
            nodes.append(a * b)
        elif op == "-":
            nodes.append(a - b)
        elif op == "relu":
            nodes.append(a.relu())
        elif op == "tanh":
            nodes.append(a.tanh())
        elif op == "sqrt_relu":
            nodes.append(a.relu().sqrt())  # often sqrt(0): undefined, unless a zero gradient hides it
        else:
            nodes.append(a ** 2)  # the exponent's local derivative is undefined where a < 0
    root = nodes[-1]
    try:
        root.backward()
    except DomainError:
        return  # backward refuses; there is nothing to compare
    expected = [v.grad for v in topological_order(root)]
    got = replay_gradients(root)
    assert all(same(e, g) for e, g in zip(expected, got)), (expected, got)


def test_an_undefined_local_derivative_is_shown_as_undefined(draw_svg):
    x = Value(-2.0, label="x")
    z = x**2  # ∂z/∂2 = z · log(-2): undefined
    z.label = "z"
    assert viz.backprop_captions(z)[2] == "∂z/∂2 = ∂z/∂z · ∂z/∂2 = 1 · undefined = undefined"
    assert ("n1->op2", "∂z/∂2 = undefined") in draw_svg(viz.backprop_frames(z)[-1]).edge_labels()
    assert "∂z/∂2 = undefined" in viz.draw_dot(z, show_local=True).source
