"""viz/scene.py: a picture described as plain data, translated to DOT with user text made literal
and dot's layout work bounded."""

from __future__ import annotations

import base64
import re

import graphviz
import pytest

import viz
from viz.scene import LAYOUT_LIMITS, Arrow, Box, Cell, Circle, Scene, to_digraph
from viz.style import MIN_READABLE_SCALE

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


def test_jupyter_gets_an_image_that_fits_its_cell_beside_the_svg_and_png(course, dot_program) -> None:
    """JupyterLab shows an SVG output at full size, cut off by the cell: the HTML output, which it
    prefers, is the same SVG as an image that shrinks to the cell, down to MIN_READABLE_SCALE."""
    g = viz.draw_dot(course.J, show_local=True)
    bundle = g._repr_mimebundle_()
    assert set(bundle) == {"text/html", "image/svg+xml", "image/png"}
    assert bundle["image/png"].startswith(b"\x89PNG")
    match = re.fullmatch(
        r'<img src="data:image/svg\+xml;base64,([^"]+)" alt="computation graph" width="(\d+)" height="(\d+)" '
        r'style="max-width: 100%; min-width: (\d+)px; height: auto;">',
        bundle["text/html"],
    )
    assert match, bundle["text/html"][-200:]
    svg = base64.b64decode(match.group(1)).decode("utf-8")
    assert svg == bundle["image/svg+xml"] == g.pipe(format="svg", encoding="utf-8")
    points = re.search(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"', svg)
    assert int(match.group(2)) == round(float(points.group(1)) * 4 / 3) == 1148  # dot's points as CSS pixels
    assert int(match.group(3)) == round(float(points.group(2)) * 4 / 3)
    assert int(match.group(4)) == round(1148 * MIN_READABLE_SCALE) == 804
    assert list(g._repr_mimebundle_(include=["image/png"])) == ["image/png"]
    assert set(g._repr_mimebundle_(exclude=["text/html"])) == {"image/svg+xml", "image/png"}
    assert set(g._repr_mimebundle_(include=["text/html", "image/png"])) == {"text/html", "image/png"}
    assert isinstance(g, graphviz.Digraph) and "∂J/∂v = 3" in g.source


@pytest.mark.slow
def test_in_a_cell_900_pixels_wide_a_wider_graph_shrinks_to_fit_and_never_below_readable(course, browser, tmp_path):
    """A graph wider than the cell shrinks to its width; a narrower one keeps its size; one that
    would shrink below MIN_READABLE_SCALE stops there, and the cell scrolls."""
    from autograd import Value

    x = Value(3.0, label="x")
    y = x * x
    y.label = "y"
    graphs = {
        "wider": viz.draw_dot(course.J, show_local=True),  # 1148 pixels
        "narrower": viz.draw_dot(y, legend=False),  # 385 pixels
        "much wider": viz.draw_dot(sum_of_products(8), rankdir="LR"),  # 2393 pixels
    }
    cells = "".join(
        f"<div class='cell' id='{name}' style='width: 900px; overflow-x: auto'>{g._repr_mimebundle_()['text/html']}</div>"
        for name, g in graphs.items()
    )
    page = tmp_path / "cells.html"
    page.write_text(f"<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>{cells}</body></html>", "utf-8")
    browser.get(page.as_uri())
    shown = browser.execute_script(
        """
        return Array.from(document.querySelectorAll(".cell"), cell => {
          const img = cell.querySelector("img"), r = img.getBoundingClientRect();
          return [cell.id, img.complete && img.naturalWidth > 0, Math.round(r.width), Math.round(r.height),
                  img.getAttribute("width") / img.getAttribute("height"), cell.scrollWidth > cell.clientWidth];
        });
        """
    )
    wider, narrower, much_wider = shown
    assert wider[1:3] == [True, 900] and not wider[5]
    assert narrower[1:3] == [True, 385] and not narrower[5]
    assert much_wider[1:3] == [True, round(2393 * MIN_READABLE_SCALE)] and much_wider[5]
    for _, _, width, height, ratio, _ in shown:
        assert abs(width / ratio - height) <= 1  # the aspect ratio is kept
    assert [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")] == []
