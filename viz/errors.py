"""How drawing can fail: no Graphviz, too big a graph, or a layout that Graphviz does not finish."""

from __future__ import annotations


class GraphvizMissingError(RuntimeError):
    """The Graphviz ``dot`` program, needed for SVG, PNG and PDF output, is not installed.

    >>> str(GraphvizMissingError("render to 'J.svg'")).splitlines()[0]
    "render to 'J.svg' needs the Graphviz program `dot`, which is not on PATH."
    """

    def __init__(self, operation: str, instead: str = "Writing to a .dot file needs no Graphviz.") -> None:
        super().__init__(
            f"{operation} needs the Graphviz program `dot`, which is not on PATH.\n"
            "Install Graphviz and try again:\n"
            "  Debian/Ubuntu:  sudo apt-get install graphviz\n"
            "  macOS:          brew install graphviz\n"
            "  Windows:        winget install graphviz (then add its bin folder to PATH)\n"
            f"{instead}"
        )
        self.operation = operation


class GraphTooLargeError(ValueError):
    """A graph has more nodes than a drawing allows; Graphviz would take minutes on it.

    >>> print(GraphTooLargeError("draw_dot", 1200, 500))  # doctest: +ELLIPSIS
    draw_dot: the graph has 1200 nodes, more than max_nodes=500. ...
    """

    def __init__(self, operation: str, node_count: int, max_nodes: int) -> None:
        super().__init__(
            f"{operation}: the graph has {node_count} nodes, more than max_nodes={max_nodes}. "
            "Graphviz gets slow and the picture unreadable on graphs this size. Draw a smaller "
            "piece (a single neuron or one example instead of a whole batch), or pass a larger "
            f"max_nodes (for example max_nodes={node_count}) if you really want it all."
        )
        self.node_count = node_count
        self.max_nodes = max_nodes


class GraphTooTangledError(GraphTooLargeError):
    """A graph has few nodes but long arrows: one value used by many operations far apart.

    Graphviz cuts an arrow that crosses ``k`` columns of the drawing into ``k`` segments and lays out
    every segment; a value used 200 times along a chain of 200 operations makes about 40,000.

    >>> print(GraphTooTangledError("render", 201, 500, 40000, 20000, "a", 100))  # doctest: +ELLIPSIS
    render: the graph's arrows make about 40000 segments for Graphviz to lay out, more than max_edges=20000 ...
    """

    def __init__(
        self,
        operation: str,
        node_count: int,
        max_nodes: int,
        segments: int,
        max_edges: int,
        busiest: str,
        uses: int,
    ) -> None:
        ValueError.__init__(
            self,
            f"{operation}: the graph's arrows make about {segments} segments for Graphviz to lay out, "
            f"more than max_edges={max_edges} (an arrow that crosses k columns of the drawing counts k). "
            f"It has only {node_count} nodes, but {busiest!r} is used {uses} times by operations far apart, "
            "and Graphviz could take minutes on it. Draw a smaller piece, or pass a larger max_edges "
            f"(for example max_edges={segments}) if you really want it all.",
        )
        self.node_count = node_count
        self.max_nodes = max_nodes
        self.segments = segments
        self.max_edges = max_edges


class GraphvizTimeoutError(RuntimeError):
    """Graphviz's ``dot`` was stopped because it did not finish the layout in time.

    >>> print(GraphvizTimeoutError("render to 'J.svg'", 60, 201, 599))  # doctest: +ELLIPSIS
    render to 'J.svg': Graphviz `dot` had not finished laying out the graph (201 nodes, 599 edges) after 60 s, ...
    """

    def __init__(self, operation: str, timeout: float, node_count: int, edge_count: int) -> None:
        super().__init__(
            f"{operation}: Graphviz `dot` had not finished laying out the graph ({node_count} nodes, "
            f"{edge_count} edges) after {timeout:g} s, so it was stopped and nothing was written. "
            "Draw a smaller piece of the graph, write a .dot file instead (it needs no layout), "
            f"or pass a larger timeout (for example timeout={4 * timeout:g})."
        )
        self.timeout = timeout
        self.node_count = node_count
        self.edge_count = edge_count
