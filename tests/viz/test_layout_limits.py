"""Graphs that used to keep Graphviz busy for minutes: bounded, refused, or stopped with a clear message."""

from __future__ import annotations

import math
import os

import pytest

import viz
from autograd import Value


def sum_of_products(terms: int) -> Value:
    """a*b + a*b + ...: few nodes, but a and b are used by operations all along the chain."""
    a, b = Value(1.0, label="a"), Value(2.0, label="b")
    total = a * b
    for _ in range(terms - 1):
        total = total + a * b
    total.label = "J"
    return total


def test_a_high_fan_out_graph_renders_with_bounded_layout_work(tmp_path, dot_program, read_svg):
    J = sum_of_products(100)  # 201 Values; dot ran for minutes on it without the limits
    assert "nslimit=5 nslimit1=5" in viz.draw_dot(J).source
    path = viz.render(J, tmp_path / "sum.svg", timeout=60)  # a hang fails here instead of hanging
    assert "data 200" in read_svg(path.read_text(encoding="utf-8")).texts


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


def test_dot_that_runs_too_long_is_stopped_with_a_clear_message(course, tmp_path, dot_program):
    path = tmp_path / "course.svg"
    with pytest.raises(viz.GraphvizTimeoutError) as caught:
        viz.render(course.J, path, timeout=1e-4)
    message = str(caught.value)
    assert message.startswith(f"render to {str(path)!r}: Graphviz `dot` had not finished")
    assert "(7 nodes, 6 edges) after 0.0001 s" in message and "write a .dot file instead" in message
    assert isinstance(caught.value, RuntimeError)  # what the chainrule command reports
    assert os.listdir(tmp_path) == []
    with pytest.raises(viz.GraphvizTimeoutError, match="save_backprop_html to"):
        viz.save_backprop_html(course.J, tmp_path / "replay.html", timeout=1e-4)
    for bad in (0, -1.0, math.inf, math.nan, "60"):
        with pytest.raises(ValueError, match=f"timeout must be a positive number of seconds, at most 86400, got {bad!r}"):
            viz.render(course.J, path, timeout=bad)
