"""viz/scene.py: a picture described as plain data, translated to DOT with user text made literal
and dot's layout work bounded."""

from __future__ import annotations

import graphviz
import pytest

import viz
from viz.scene import LAYOUT_LIMITS, Arrow, Box, Cell, Circle, Scene, to_digraph

from .viz_course import sum_of_products


def test_a_scene_becomes_a_digraph_in_the_scenes_order() -> None:
    scene = Scene(
        "TB",
        boxes=[Box("n0", [Cell("x"), Cell("data 2")], "#cfe2ff"), Box("n1", [Cell("y", bold=True)], "#b2f2bb")],
        circles=[Circle("op1", "×", "#f1f3f5")],
        arrows=[Arrow("n0", "op1", label="∂y/∂x = 3"), Arrow("op1", "n1")],
    )
    g = to_digraph(scene)
    assert isinstance(g, graphviz.Digraph)
    source = g.source
    assert "rankdir=TB" in source
    assert source.index("\tn0 [") < source.index("\tn1 [") < source.index("\top1 [")  # boxes, then circles
    assert "\tn0 -> op1 [" in source and "\top1 -> n1 [" in source
    assert source.index("n0 -> op1") < source.index("op1 -> n1")
    assert '<TD>∂y/∂x = 3</TD><TD WIDTH="8"></TD>' in source and "<B>y</B>" in source  # a label, padded after
    assert "legend" not in source  # no legend rows, no legend


def test_user_text_is_escaped_in_every_label() -> None:
    tricky = '<b>{x|y}" & C:\\Net'
    scene = Scene(
        "LR",
        boxes=[Box("n0", [Cell(tricky)], "#ffffff", tooltip=tricky)],
        circles=[Circle("op0", tricky, "#ffffff")],
        arrows=[Arrow("n0", "op0", label=tricky)],
        legend=[("#ffffff", tricky), ("", tricky)],
    )
    source = to_digraph(scene).source
    assert tricky not in source and "<b>" not in source
    assert source.count("&lt;b&gt;{x|y}&quot; &amp; C:\\\\Net") == 5  # the box, the circle, the arrow, two legend rows


def test_the_comment_is_one_line_above_the_graph() -> None:
    source = to_digraph(Scene("LR", comment='first\ndigraph{x[label="Click"]}')).source
    assert source.splitlines()[:2] == ['// first digraph{x[label="Click"]}', "digraph {"]


def test_clusters_nest_by_their_path() -> None:
    scene = Scene(
        "LR",
        boxes=[
            Box("n0", [Cell("w.0")], "#ffd8a8", cluster=("layers.0", "layers.0.neurons.0")),
            Box("n1", [Cell("w.0")], "#ffd8a8", cluster=("layers.0", "layers.0.neurons.1")),
            Box("n2", [Cell("x")], "#cfe2ff"),
        ],
    )
    source = to_digraph(scene).source
    assert source.count("subgraph cluster_0 {") == 1
    assert "subgraph cluster_0_0 {" in source and "subgraph cluster_0_1 {" in source
    assert source.index("subgraph cluster_0 {") < source.index("subgraph cluster_0_0 {") < source.index("\t\t\tn0 [")
    assert "label=<layers.0.neurons.1>" in source and "\tn2 [" in source


def test_dots_layout_work_is_bounded_in_every_picture() -> None:
    assert LAYOUT_LIMITS == {"nslimit": "5", "nslimit1": "5"}
    assert "nslimit=5 nslimit1=5" in to_digraph(Scene("LR")).source


@pytest.mark.slow
def test_a_high_fan_out_graph_renders_with_bounded_layout_work(tmp_path, dot_program, read_svg):
    J = sum_of_products(100)  # 201 Values; dot ran for minutes on it without the limits
    assert "nslimit=5 nslimit1=5" in viz.draw_dot(J).source
    path = viz.render(J, tmp_path / "sum.svg", timeout=60)  # a hang fails here instead of hanging
    assert "data 200" in read_svg(path.read_text(encoding="utf-8")).texts
