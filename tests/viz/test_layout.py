"""viz/layout.py: where dot will put things, estimated before it runs: reading order, ranks, arrow
segments (which refuse tangled graphs at once and let ordinary long sums draw), rows of leaves in
argument order, and the direction that keeps a picture narrow."""

from __future__ import annotations

import re
import time

import pytest

import autograd
import nn
import viz
from autograd import Value
from autograd.extend import topological_order
from viz.layout import MAX_WIDTH, arrow_segments, leaf_rows, picture_width, ranks, reading_order
from viz.model import build_model

from .viz_course import course_graph

SVG_NS = "{http://www.w3.org/2000/svg}"
XLINK_TITLE = "{http://www.w3.org/1999/xlink}title"


def test_reading_order_takes_parents_in_argument_order() -> None:
    a, b, c = Value(1.0, label="a"), Value(2.0, label="b"), Value(3.0, label="c")
    y = (a * b) + (c * a)
    order = reading_order(y)
    assert [v.label or v.op for v in order] == ["a", "b", "*", "c", "*", "+"]
    assert set(order) == set(topological_order(y))
    position = {v: i for i, v in enumerate(order)}
    assert all(position[p] < position[v] for v in order for p in v.parents)


def test_reading_order_needs_no_recursion() -> None:
    x = Value(1.0, label="x")
    for _ in range(20_000):
        x = x * 1.0
    assert len(reading_order(x)) == 40_001


@pytest.mark.parametrize(
    "parents, segments",
    [([()], 0), ([(), (), (0, 1)], 3), ([(), (0, 0), (1, 0)], 8), ([(), (0,), (1,), (2,)], 6)],
)
def test_arrow_segments_counts_the_ranks_each_arrow_crosses(parents, segments) -> None:
    assert arrow_segments(parents) == segments


def test_a_value_used_once_sits_just_before_its_use() -> None:
    # a0*b0 + a1*b1 + a2*b2: each product next to its sum, not all in the first ranks
    J = autograd.parse("+".join(f"a{i}*b{i}" for i in range(3)), **{f"{v}{i}": 1.0 for v in "ab" for i in range(3)})
    model = build_model(J, 100, "test")
    box, circle = ranks(model.parents)
    for i, ps in enumerate(model.parents):
        for p in ps:
            assert circle[i] - box[p] == 1, (model.names[p], model.names[i])  # every arrow crosses one rank
    computed = sum(1 for ps in model.parents if ps)
    assert arrow_segments(model.parents) == sum(len(ps) for ps in model.parents) + computed == 15


def test_a_long_sum_of_products_is_short_arrows() -> None:
    text = "+".join(f"a{i}*b{i}" for i in range(250))
    J = autograd.parse(text, **{f"{v}{i}": 1.0 for v in "ab" for i in range(250)})
    model = build_model(J, 1000, "test")
    assert len(model.order) == 999
    # 1,497 arrows, each across one rank: it was estimated at 126,498 and refused
    assert arrow_segments(model.parents) == 1497
    viz.draw_dot(J, max_nodes=1000, show_local=True)  # within the default max_edges


@pytest.mark.parametrize(
    "text, nodes, busiest, uses",  # (a program computes a*b once: one node used 200 times)
    [("+".join(["a*b"] * 200), 202, "a\\*b", 200), ("+".join(["a"] * 1000), 1000, "a", 1000)],
)
def test_a_value_used_by_operations_far_apart_is_refused_at_once(text, nodes, busiest, uses) -> None:
    J = autograd.parse(text, a=1.0, b=2.0) if "b" in text else autograd.parse(text, a=1.0)
    start = time.perf_counter()
    with pytest.raises(viz.GraphTooTangledError, match=f"only {nodes} nodes, but '{busiest}' is used {uses} times"):
        viz.draw_dot(J, max_nodes=1000)
    assert time.perf_counter() - start < 2  # refused before any work for dot


def test_leaf_rows_keep_each_operations_leaves_in_argument_order() -> None:
    # a neuron's dot(w, x, b): parameters w.0, w.1, b of its group, and the inputs x.0, x.1
    parents = [(), (), (), (), (), (0, 1, 2, 3, 4)]
    roles = ["parameter", "parameter", "input", "input", "parameter", "output"]
    groups = [("n0",), ("n0",), (), (), ("n0",), ()]
    assert leaf_rows(parents, roles, groups) == [[0, 1, 4], [2, 3]]
    assert leaf_rows([(), (), (1, 0)], ["input", "input", "output"], [(), (), ()]) == []  # never against reading order


def test_picture_width_side_by_side_or_widest_row() -> None:
    items = [(0, 100.0), (1, 40.0), (1, 60.0), (2, 10.0)]
    assert picture_width(items, "LR") == 100 + 60 + 10 + 2 * 25.2
    assert picture_width(items, "TB") == 40 + 18 + 60  # the widest row, with dot's gap between its nodes
    assert picture_width([], "TB") == 0.0


def test_the_course_goes_left_to_right_and_a_long_expression_top_to_bottom() -> None:
    assert "rankdir=LR" in viz.draw_dot(course_graph().J, show_local=True).source
    J = autograd.parse("-(y*log(sigmoid(w*x+b)) + (1-y)*log(1-sigmoid(w*x+b)))", w=0.5, x=2, b=0, y=1)
    assert "rankdir=TB" in viz.draw_dot(J, show_local=True).source
    assert "rankdir=LR" in viz.draw_dot(J, show_local=True, rankdir="LR").source  # asked for: kept
    assert MAX_WIDTH == 1200  # points: 1,600 pixels at 96 dpi


def boxes(picture) -> dict[str, list[str]]:
    """Value boxes keyed by the first text in them (their name, or a constant's number)."""
    return {texts[0]: texts for node, texts in picture.node_texts().items() if re.fullmatch(r"n\d+", node)}


def top_of(element) -> float:
    numbers = []
    for e in element.iter():
        numbers += re.findall(r"-?\d+(?:\.\d+)?", e.get("points") or e.get("d") or "")
    return min(float(n) for n in numbers[1::2])


# The second thing a learner draws: the logistic loss of one example


def logistic_program(labels: str = "parser") -> Value:
    """z = w*x + b; a = sigmoid(z); L = -(y*log(a) + (1-y)*log(1-a)), at w=0.5 x=2 b=0 y=1.

    Built by hand as the parser builds the program form: z, a and L named, sigmoid once; with
    ``labels="parser"`` the other nodes carry their subexpression text, as the parser labels them.
    """
    w, x, b, y = Value(0.5, label="w"), Value(2.0, label="x"), Value(0.0, label="b"), Value(1.0, label="y")

    def name(v: Value, text: str) -> Value:
        if labels == "parser" or text in ("z", "a", "L"):
            v.label = text
        return v

    wx = name(w * x, "w*x")
    z = name(wx + b, "z")
    a = name(z.sigmoid(), "a")
    first = name(y * name(a.log(), "log(a)"), "y*log(a)")
    second = name(name(1 - y, "1 - y") * name(name(1 - a, "1 - a").log(), "log(1 - a)"), "(1 - y)*log(1 - a)")
    return name(-name(first + second, "y*log(a) + (1 - y)*log(1 - a)"), "L")


def svg_width_px(svg: str) -> float:
    return float(re.search(r'<svg width="([\d.]+)pt"', svg).group(1)) * 96 / 72


@pytest.mark.parametrize("labels", ["parser", "names only", "parsed"])
def test_the_logistic_program_fits_1600_pixels_with_one_sigmoid(labels, tmp_path, dot_program, read_svg):
    program = "z = w*x + b; a = sigmoid(z); L = -(y*log(a) + (1-y)*log(1-a))"
    L = autograd.parse(program, w=0.5, x=2, b=0, y=1) if labels == "parsed" else logistic_program(labels)
    L.backward()
    svg = viz.render(L, tmp_path / "logistic.svg", show_local=True).read_text(encoding="utf-8")
    assert svg_width_px(svg) <= 1600
    picture = read_svg(svg)
    ops = [texts for node, texts in picture.node_texts().items() if node.startswith("op")]
    assert ops.count(["sigmoid"]) == 1
    # the course's dz = a - y = σ(1) - 1 = -0.2689 and dw = x dz = -0.5379
    assert boxes(picture)["z"] == ["z", "data 1", "grad -0.2689"]
    assert boxes(picture)["w"] == ["w", "data 0.5", "grad -0.5379"]
    if labels != "names only":  # y = 1, so ∂(y log a)/∂(log a) = y = 1
        assert "∂(y*log(a))/∂(log(a)) = 1" in [label for _, label in picture.edge_labels()]


def test_the_logistic_expression_fits_1600_pixels(tmp_path, dot_program, read_svg):
    J = autograd.parse("-(y*log(sigmoid(w*x+b)) + (1-y)*log(1-sigmoid(w*x+b)))", w=0.5, x=2, b=0, y=1)
    J.backward()
    svg = viz.render(J, tmp_path / "logistic.svg", show_local=True).read_text(encoding="utf-8")
    assert svg_width_px(svg) <= 1600  # it was 9,562 pixels wide
    picture = read_svg(svg)
    names = [texts[0] for node, texts in picture.node_texts().items() if re.fullmatch(r"n\d+", node)]
    assert max(len(name) for name in names) <= 16
    assert all(len(label) <= 40 for _, label in picture.edge_labels())
    assert "∂log1/∂(sigmoid(w*x + b)) = 1.368" in [label for _, label in picture.edge_labels()]
    tooltips = [a.get(XLINK_TITLE) for a in picture.root.iter(f"{SVG_NS}a")]
    assert "log1 = log(sigmoid(w*x + b)): data = -0.3132616875182228" in tooltips


def test_model_drawings_in_reading_order(draw_svg):
    """Inputs x.0, x.1 from the top; neurons 0, 1, 2 from the top, inside each w.0, w.1, b."""
    model = nn.MLP(2, [3, 1], activation="tanh", seed=1)
    L = nn.losses.mse(model([0.5, -1.0]), 1.0)
    L.label = "L"
    for cluster in (False, True):
        picture = draw_svg(viz.draw_dot(L, cluster=cluster, rankdir="LR"))
        top = {}
        for g in picture.root.iter(f"{SVG_NS}g"):
            if g.get("class") == "node" and re.fullmatch(r"n\d+", picture._title(g)):
                top[picture._title(g)] = top_of(g)  # y grows downwards
        m = build_model(L, 100, "test")
        by_label = {v.label: top[f"n{i}"] for i, v in enumerate(m.order) if v.label}
        assert by_label["x.0"] < by_label["x.1"]
        for layer, width, nin in (("layers.0", 3, 2), ("layers.1", 1, 3)):
            for k in range(width):
                names = [f"{layer}.neurons.{k}.w.{j}" for j in range(nin)] + [f"{layer}.neurons.{k}.b"]
                ys = [by_label[name] for name in names]
                assert ys == sorted(ys), (cluster, names)
        firsts = [by_label[f"layers.0.neurons.{k}.w.0"] for k in range(3)]
        assert firsts == sorted(firsts), cluster  # neuron 0 above neuron 1 above neuron 2
    assert "/∂-" not in viz.draw_dot(L, show_local=True).source  # a negative constant is ∂(-2), never ∂-2
