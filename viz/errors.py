"""The two ways drawing can fail before anything is drawn: no Graphviz, or too big a graph."""

from __future__ import annotations


class GraphvizMissingError(RuntimeError):
    """The Graphviz ``dot`` program, needed for SVG, PNG and PDF output, is not installed.

    >>> str(GraphvizMissingError("render to 'J.svg'")).splitlines()[0]
    "render to 'J.svg' needs the Graphviz program `dot`, which is not on PATH."
    """

    def __init__(self, operation: str) -> None:
        super().__init__(
            f"{operation} needs the Graphviz program `dot`, which is not on PATH.\n"
            "Install Graphviz and try again:\n"
            "  Debian/Ubuntu:  sudo apt-get install graphviz\n"
            "  macOS:          brew install graphviz\n"
            "  Windows:        winget install graphviz (then add its bin folder to PATH)\n"
            "Writing to a .dot file needs no Graphviz."
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
