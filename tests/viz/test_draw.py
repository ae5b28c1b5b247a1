"""viz/draw.py: what draw_dot's picture shows, drawn by the real dot and read back from the SVG."""

from __future__ import annotations

import re

import numpy as np
import pytest

import viz
from autograd import Parameter, Value, dot
from autograd.extend import topological_order
from viz.layout import reading_order
from viz.style import GRAD_SCALE, ROLE_COLORS


def by_name(picture) -> dict[str, list[str]]:
    """Value nodes keyed by the first text in their box (their name, or a constant's number)."""
    return {texts[0]: texts for node, texts in picture.node_texts().items() if re.fullmatch(r"n\d+", node)}


def fill_of(picture, node_id: str) -> str:
    (g,) = [g for g in picture.root.iter() if g.get("class") == "node" and picture._title(g) == node_id]
    return next(e.get("fill") for e in g.iter() if e.get("fill") not in (None, "none"))


def test_course_graph_shows_every_name_value_and_gradient(course, draw_svg):
    course.J.backward()
    nodes = by_name(draw_svg(viz.draw_dot(course.J)))
    assert nodes == {
        "a": ["a", "data 5", "grad 3"],
        "b": ["b", "data 3", "grad 6"],
        "c": ["c", "data 2", "grad 9"],
        "u": ["u", "data 6", "grad 3"],
        "v": ["v", "data 11", "grad 3"],
        "J": ["J", "data 33", "grad 1"],
        "3": ["3", "grad 11"],  # the constant 3 of 3 * v: its number is its name
    }


def test_each_primitive_is_one_op_node_between_its_inputs_and_its_result(course, draw_svg):
    picture = draw_svg(viz.draw_dot(course.J))
    ops = {node: texts for node, texts in picture.node_texts().items() if node.startswith("op")}
    assert sorted(t for texts in ops.values() for t in texts) == ["+", "×", "×"]
    pos = {v: i for i, v in enumerate(reading_order(course.J))}  # node ids follow the drawing's order
    expected = set()
    for v in (course.u, course.v, course.J):
        expected |= {f"n{pos[p]}->op{pos[v]}" for p in v.parents} | {f"op{pos[v]}->n{pos[v]}"}
    assert sorted(picture.edges()) == sorted(expected)


def test_a_fused_dot_is_one_op_node_with_all_its_inputs(draw_svg):
    w = [Value(0.5, label="w1"), Value(-2.0, label="w2")]
    x = [Value(3.0, label="x1"), Value(4.0, label="x2")]
    z = dot(w, x, Value(1.0, label="b"))
    z.label = "z"
    picture = draw_svg(viz.draw_dot(z))
    ops = [texts for node, texts in picture.node_texts().items() if node.startswith("op")]
    assert ops == [["w·x+b"]]
    assert len(picture.edges()) == 6  # five inputs into the one op node, one result out
    assert by_name(picture)["z"] == ["z", "data -5.5", "grad 0"]  # 0.5*3 - 2*4 + 1, not backpropagated


def test_show_grad_false_leaves_out_the_gradients(course, draw_svg):
    course.J.backward()
    nodes = by_name(draw_svg(viz.draw_dot(course.J, show_grad=False)))
    assert nodes["b"] == ["b", "data 3"]
    assert not any("grad" in t for texts in nodes.values() for t in texts)


def test_unlabelled_results_get_a_name_from_their_position(draw_svg):
    x = Value(2.0, label="x")
    y = (x * x).tanh()
    nodes = by_name(draw_svg(viz.draw_dot(y)))
    assert set(nodes) == {"x", "n1", "n2"}  # x is at position 0, x*x at 1, tanh at 2


def test_same_graph_gives_the_same_source_whatever_the_object_ids():
    first, second = [viz.draw_dot(_course_J(), show_local=True) for _ in range(2)]
    assert first.source == second.source
    assert "0x" not in first.source and str(id(first)) not in first.source


def _course_J() -> Value:
    a, b, c = Value(5.0, label="a"), Value(3.0, label="b"), Value(2.0, label="c")
    J = 3 * (a + b * c)
    J.label = "J"
    return J


def test_drawing_reads_the_graph_and_changes_nothing(course):
    course.J.backward()
    before = [(v.data, v.grad, v.label) for v in topological_order(course.J)]
    viz.draw_dot(course.J, show_local=True, color_by_grad=True, cluster=True)
    assert [(v.data, v.grad, v.label) for v in topological_order(course.J)] == before


def test_inputs_parameters_constants_and_the_output_have_distinct_colours(draw_svg):
    x = Value(2.0, label="x")
    w = Parameter(0.5, label="w")
    y = 3 * (w * x)
    y.label = "y"
    picture = draw_svg(viz.draw_dot(y))
    pos = {v.label or ("3" if not v.parents else "w*x"): i for i, v in enumerate(reading_order(y))}
    fills = {name: fill_of(picture, f"n{pos[name]}") for name in ("x", "w", "3", "y")}
    assert fills == {
        "x": ROLE_COLORS["input"],
        "w": ROLE_COLORS["parameter"],
        "3": ROLE_COLORS["constant"],
        "y": ROLE_COLORS["output"],
    }
    assert len(set(fills.values())) == 4
    legend = picture.node_texts()["legend"]
    for words in ("input", "parameter", "constant", "output", "operation"):
        assert any(words in t for t in legend), words


def test_legend_can_be_left_out(course):
    assert "legend" not in viz.draw_dot(course.J, legend=False).source


def test_color_by_grad_marks_vanishing_and_exploding_gradients(draw_svg):
    x = Value(30.0, label="x")
    s = x.sigmoid()
    s.label = "s"  # ds/dx = s(1 - s), about 9e-14: vanishing
    big = Value(10.0, label="big")
    p = big**10
    p.label = "p"  # dp/dbig = 10 * 10**9 = 1e10: exploding
    y = s + p
    y.label = "y"
    y.backward()
    picture = draw_svg(viz.draw_dot(y, color_by_grad=True))
    pos = {v.label: i for i, v in enumerate(reading_order(y)) if v.label}
    assert fill_of(picture, f"n{pos['x']}") == GRAD_SCALE[0][1]
    assert fill_of(picture, f"n{pos['big']}") == GRAD_SCALE[-1][1]
    assert fill_of(picture, f"n{pos['y']}") == "#ffffff"  # |grad| = 1: neither
    assert any("vanishing" in t for t in picture.node_texts()["legend"])


def _bbox(element) -> tuple[float, float, float, float]:
    numbers = []
    for e in element.iter():
        numbers += re.findall(r"-?\d+(?:\.\d+)?", e.get("points") or e.get("d") or "")
    xs, ys = [float(n) for n in numbers[0::2]], [float(n) for n in numbers[1::2]]
    return min(xs), min(ys), max(xs), max(ys)


def test_cluster_groups_each_neuron_inside_its_layer(draw_svg):
    def neuron(prefix: str, xs: list[Value]) -> Value:
        w = [Parameter(0.5 * (k + 1), label=f"{prefix}.w.{k}") for k in range(len(xs))]
        return dot(w, xs, Parameter(0.1, label=f"{prefix}.b")).tanh()

    xs = [Value(1.0, label="x1"), Value(-1.0, label="x2")]
    hidden = [neuron(f"layers.0.neurons.{k}", xs) for k in range(2)]
    out = neuron("layers.1.neurons.0", hidden)
    out.label = "out"
    picture = draw_svg(viz.draw_dot(out, cluster=True))

    clusters = {}
    for g in picture.root.iter():
        if g.get("class") == "cluster":
            clusters[picture._texts(g)[0]] = _bbox(g)
    assert set(clusters) == {"layers.0", "layers.0.neurons.0", "layers.0.neurons.1", "layers.1", "layers.1.neurons.0"}

    def inside(inner, outer):
        return outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2] and inner[3] <= outer[3]

    assert inside(clusters["layers.0.neurons.1"], clusters["layers.0"])
    assert not inside(clusters["layers.1.neurons.0"], clusters["layers.0"])
    nodes = {g: picture._title(g) for g in picture.root.iter() if g.get("class") == "node"}
    pos = {v: i for i, v in enumerate(reading_order(out))}
    for v, i in pos.items():
        (g,) = [g for g, title in nodes.items() if title == f"n{i}"]
        if v.label.startswith("layers.0.neurons.1."):
            assert inside(_bbox(g), clusters["layers.0.neurons.1"]), v.label
            assert picture._texts(g)[0] == v.label[len("layers.0.neurons.1.") :]  # w.0, not the full name
        if v.label in ("x1", "x2"):
            assert not inside(_bbox(g), clusters["layers.0"])  # inputs belong to no neuron
    tanh_of_hidden_1 = pos[hidden[1]]
    (g,) = [g for g, title in nodes.items() if title == f"n{tanh_of_hidden_1}"]
    assert inside(_bbox(g), clusters["layers.0.neurons.1"])  # the activation stays with its neuron


def test_labels_are_drawn_literally(draw_svg):
    tricky = "<b>{x|y}\" & 'q' \\l"
    x = Value(2.0, label=tricky)
    y = x * x
    y.label = "y<2>"
    picture = draw_svg(viz.draw_dot(y, show_local=True))
    assert tricky in picture.texts
    assert "y<2>" in picture.texts
    assert [label for _, label in picture.edge_labels()] == [f"∂(y<2>)/∂({tricky}) = 2"] * 2


SVG_NS = "{http://www.w3.org/2000/svg}"

XLINK_TITLE = "{http://www.w3.org/1999/xlink}title"


def test_backslashes_and_unprintable_characters_in_labels(draw_svg):
    """Graphviz expands \\N (the node's name) and \\G even in HTML-like labels and in tooltips."""
    x = Value(2.0, label="C:\\Net\\Graph")
    y = x * 3
    y.label = "bad\ufffe\ud800 \\N"
    picture = draw_svg(viz.draw_dot(y))
    assert "C:\\Net\\Graph" in picture.texts
    assert "bad\ufffd\ufffd \\N" in picture.texts
    tooltips = [a.get(XLINK_TITLE) for a in picture.root.iter(f"{SVG_NS}a")]
    assert "C:\\Net\\Graph: data = 2.0" in tooltips


def test_a_labelled_result_inside_a_cluster_keeps_its_label(draw_svg):
    w = [Parameter(0.5, label="layers.0.neurons.0.w.0")]
    out = dot(w, [Value(1.0, label="x")], Parameter(0.1, label="layers.0.neurons.0.b")).tanh()
    out.label = "hidden_out"  # no group prefix to cut
    texts = draw_svg(viz.draw_dot(out, cluster=True)).texts
    assert "hidden_out" in texts and "w.0" in texts and "b" in texts


def test_numpy_integers_are_node_limits(course):
    assert "digraph" in viz.draw_dot(course.J, max_nodes=np.int64(7)).source
    with pytest.raises(viz.GraphTooLargeError):
        viz.draw_dot(course.J, max_nodes=np.int64(6))


def test_bad_rankdir_and_root_are_named_in_the_error(course, tmp_path):
    with pytest.raises(ValueError, match=r"rankdir must be one of auto, LR, RL, TB, BT, got 'up'"):
        viz.draw_dot(course.J, rankdir="up")
    with pytest.raises(TypeError, match=r"draw_dot: root must be an autograd Value, got float"):
        viz.draw_dot(3.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"max_nodes must be a positive integer, got 0"):
        viz.draw_dot(course.J, max_nodes=0)
    with pytest.raises(ValueError, match=r"backprop_frames: rankdir must be one of auto, LR, RL, TB, BT, got 'XX'"):
        viz.backprop_frames(course.J, rankdir="XX")
    with pytest.raises(ValueError, match=r"save_backprop_html: rankdir must be one of"):
        viz.save_backprop_html(course.J, tmp_path / "replay.html", rankdir="XX")


def chain(length: int) -> Value:
    """A graph of ``2 * length + 1`` nodes: x + 1 + 1 + ..., each + with its constant."""
    x = Value(0.0, label="x")
    for _ in range(length):
        x = x + 1
    return x


def test_too_many_nodes_is_a_clear_error():
    with pytest.raises(viz.GraphTooLargeError) as caught:
        viz.draw_dot(chain(15), max_nodes=30)
    message = str(caught.value)
    assert "the graph has 31 nodes, more than max_nodes=30" in message
    assert "Draw a smaller piece" in message and "max_nodes=31" in message
    assert isinstance(caught.value, ValueError)
    assert viz.draw_dot(chain(15), max_nodes=31).source.count(">data ") == 16  # at the limit it draws


def test_the_default_limit_is_500_nodes():
    with pytest.raises(viz.GraphTooLargeError, match="the graph has 501 nodes, more than max_nodes=500"):
        viz.draw_dot(chain(250))
    viz.draw_dot(chain(249))  # 499 nodes


def test_no_box_is_wider_than_30_characters_of_text(draw_svg):
    long = "the_input_with_a_name_far_longer_than_thirty"
    x = Value(2.0, label=long)
    y = x * 2
    y.label = "y"
    picture = draw_svg(viz.draw_dot(y))
    cut = long[:29] + "…"
    assert by_name(picture)[cut] == [cut, "data 2", "grad 0"] and len(cut) == 30
    tooltips = [a.get(XLINK_TITLE) for a in picture.root.iter(f"{SVG_NS}a")]
    assert f"{cut} = {long}: data = 2.0" in tooltips
