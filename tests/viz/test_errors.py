"""viz/errors.py: how drawing fails: no Graphviz, too big or too tangled a graph, a layout that does
not finish; each error says what to do and carries its numbers."""

from __future__ import annotations

import viz


def test_graphviz_missing_says_how_to_install_it() -> None:
    e = viz.GraphvizMissingError("render to 'J.svg'")
    assert isinstance(e, RuntimeError) and e.operation == "render to 'J.svg'"
    lines = str(e).splitlines()
    assert lines[0] == "render to 'J.svg' needs the Graphviz program `dot`, which is not on PATH."
    assert (
        "  Debian/Ubuntu:  sudo apt-get install graphviz" in lines
        and "  macOS:          brew install graphviz" in lines
    )
    assert lines[-1] == "Writing to a .dot file needs no Graphviz."
    assert str(viz.GraphvizMissingError("x", "Do without.")).splitlines()[-1] == "Do without."


def test_graph_too_large_carries_its_numbers_and_the_way_out() -> None:
    e = viz.GraphTooLargeError("draw_dot", 1200, 500)
    assert isinstance(e, ValueError) and (e.node_count, e.max_nodes) == (1200, 500)
    assert str(e).startswith("draw_dot: the graph has 1200 nodes, more than max_nodes=500. ")
    assert str(e).endswith("or pass a larger max_nodes (for example max_nodes=1200) if you really want it all.")


def test_graph_too_tangled_is_a_graph_too_large_with_the_busiest_value() -> None:
    e = viz.GraphTooTangledError("render", 201, 500, 40000, 20000, "a", 100)
    assert isinstance(e, viz.GraphTooLargeError) and isinstance(e, ValueError)
    assert (e.node_count, e.max_nodes, e.segments, e.max_edges) == (201, 500, 40000, 20000)
    message = str(e)
    assert message.startswith(
        "render: the graph's arrows make about 40000 segments for Graphviz to lay out, more than max_edges=20000"
    )
    assert "It has only 201 nodes, but 'a' is used 100 times by operations far apart" in message
    assert message.endswith("(for example max_edges=40000) if you really want it all.")
    assert "max_nodes=" not in message  # not GraphTooLargeError's advice


def test_graphviz_timeout_suggests_four_times_as_long() -> None:
    e = viz.GraphvizTimeoutError("render to 'J.svg'", 60, 201, 599)
    assert isinstance(e, RuntimeError) and (e.timeout, e.node_count, e.edge_count) == (60, 201, 599)
    assert str(e).startswith(
        "render to 'J.svg': Graphviz `dot` had not finished laying out the graph (201 nodes, 599 edges) after 60 s"
    )
    assert str(e).endswith("or pass a larger timeout (for example timeout=240).")
    assert "(for example timeout=0.004)" in str(viz.GraphvizTimeoutError("x", 0.001, 1, 0))
