"""A picture described as plain data, and its translation to a ``graphviz.Digraph``.

``draw_dot`` and the backprop replay both describe what to show (boxes, circles, arrows, colours)
as a ``Scene``; only this module writes DOT. Every piece of text goes through ``style.escape`` into
an HTML-like label, so user text can never be read as Graphviz markup.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import graphviz

from .style import BORDER, FONT, MIN_READABLE_SCALE, escape, escape_tooltip, printable

#: Caps on the iterations of dot's network simplex (placing nodes in columns, then along them), as
#: multiples of the node count. Without them a value used by many operations far apart (a sum of
#: 100 products ``a*b``) kept dot busy for minutes; with them it takes about 1.5 s. The course
#: graph and MLPs of up to 340 Values need fewer iterations, so their pictures are unchanged:
#: 5 is the smallest cap that left them byte for byte the same (2 moved nodes of a 140-Value MLP).
LAYOUT_LIMITS = {"nslimit": "5", "nslimit1": "5"}
#: An edge label sits in a table with an empty cell after it: dot measures ∂ narrower than browsers
#: draw it, and labels of neighbouring edges ran into each other.
_LABEL_START = '<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0"><TR><TD>'
_LABEL_END = '</TD><TD WIDTH="8"></TD></TR></TABLE>'


@dataclass
class Cell:
    """One cell of a Value box: text, with an optional background and a minimum width in points."""

    text: str
    fill: str = ""
    color: str = ""
    bold: bool = False
    italic: bool = False
    min_width: int = 0


@dataclass
class Box:
    """A Value node: a row of cells (name | data | grad)."""

    node_id: str
    cells: list[Cell]
    fill: str
    border: str = BORDER
    penwidth: float = 1.0
    tooltip: str = ""
    cluster: tuple[str, ...] = ()


@dataclass
class Circle:
    """An operation node."""

    node_id: str
    text: str
    fill: str
    border: str = BORDER
    penwidth: float = 1.0
    cluster: tuple[str, ...] = ()


@dataclass
class Arrow:
    """An edge, optionally labelled (the local derivative)."""

    tail: str
    head: str
    label: str = ""
    color: str = BORDER
    label_color: str = BORDER
    penwidth: float = 1.0
    edge_id: str = ""  # the id of its SVG group, for a page's script to find it


@dataclass
class Scene:
    """Everything one picture shows. ``legend`` rows are (colour, text); a colour of ``""`` is a note.
    ``rows`` are node ids to keep in one rank in the order given (top to bottom, or left to right)."""

    rankdir: str
    boxes: list[Box] = field(default_factory=list)
    circles: list[Circle] = field(default_factory=list)
    arrows: list[Arrow] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)
    comment: str = ""
    rows: list[list[str]] = field(default_factory=list)


class Picture(graphviz.Digraph):
    """A ``graphviz.Digraph`` that Jupyter shows as an image fitted to its cell, with SVG and PNG beside it.

    JupyterLab shows an SVG output as an image at its full size, cut off by the cell with a
    scrollbar; an HTML output's image may carry a style, so this one shrinks to the cell's width
    (never below ``MIN_READABLE_SCALE``: a narrower cell scrolls). HTML is preferred to SVG by
    JupyterLab, Notebook and VS Code. Viewers that show only images from a notebook someone else
    ran (some renderers of notebooks on the web) show the PNG instead of the object's repr.
    """

    def _repr_mimebundle_(
        self, include: Iterable[str] | None = None, exclude: Iterable[str] | None = None, **kwargs: object
    ) -> dict[str, bytes | str]:
        """HTML, SVG and PNG, unless ``include`` asks for others."""
        wanted = set(include) if include is not None else {"text/html", "image/svg+xml", "image/png"}
        wanted -= set(exclude or ())
        images = wanted - {"text/html"}
        bundle = super()._repr_mimebundle_(images | {"image/svg+xml"} if "text/html" in wanted else images)
        if "text/html" in wanted:
            svg = bundle["image/svg+xml"] if "image/svg+xml" in wanted else bundle.pop("image/svg+xml")
            bundle["text/html"] = fitted_image(str(svg))
        return bundle


_SVG_SIZE = re.compile(r'<svg width="([0-9.]+)pt" height="([0-9.]+)pt"')


def fitted_image(svg: str, alt: str = "computation graph") -> str:
    """An ``<img>`` of ``svg`` (dot's output) at most as wide as its container, and at most its own size,
    but no narrower than ``MIN_READABLE_SCALE`` of that.

    >>> tag = fitted_image('<svg width="600pt" height="30pt" viewBox="0 0 600 30"></svg>')
    >>> tag.startswith('<img src="data:image/svg+xml;base64,'), tag[tag.index("width="):]
    (True, 'width="800" height="40" style="max-width: 100%; min-width: 560px; height: auto;">')
    """
    source = "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
    size = _SVG_SIZE.search(svg)
    if size is None:  # not dot's header: shrink it to the cell, as JupyterLab does an image
        return f'<img src="{source}" alt="{escape(alt)}" style="max-width: 100%; height: auto;">'
    width, height = (float(points) * 4 / 3 for points in size.groups())  # CSS pixels are 3/4 of a point
    style = f"max-width: 100%; min-width: {width * MIN_READABLE_SCALE:.0f}px; height: auto;"
    return f'<img src="{source}" alt="{escape(alt)}" width="{width:.0f}" height="{height:.0f}" style="{style}">'


def to_digraph(scene: Scene) -> graphviz.Digraph:
    """The ``graphviz.Digraph`` that draws ``scene``; nodes and edges keep the scene's order.

    >>> g = to_digraph(Scene("LR", boxes=[Box("n0", [Cell("a<b")], "#ffffff")]))
    >>> "a&lt;b" in g.source
    True
    """
    # The comment is written as "// comment" above the graph: one line, or the rest would be read as DOT.
    g = Picture(comment=" ".join(printable(scene.comment).splitlines()) or None)
    g.attr(rankdir=scene.rankdir, bgcolor="white", fontname=FONT, nodesep="0.25", ranksep="0.35")
    g.attr(**LAYOUT_LIMITS)
    g.attr("node", fontname=FONT, fontsize="11", color=BORDER)
    g.attr("edge", fontname=FONT, fontsize="10", arrowsize="0.7")
    tree = _ClusterTree()
    for box in scene.boxes:
        tree.add(box.cluster, _box_statement(box))
    for circle in scene.circles:
        tree.add(circle.cluster, _circle_statement(circle))
    cluster_of = {box.node_id: box.cluster for box in scene.boxes}
    for row in scene.rows:  # inside its nodes' cluster: a rank outside would take them out of it
        tree.find(cluster_of.get(row[0], ())).rows.append(row)
    if tree.children:
        # dot's last pass over the whole graph reorders clusters' nodes against their rows
        g.attr(remincross="false")
    tree.emit(g, mirrored=scene.rankdir in ("LR", "RL"))
    for arrow in scene.arrows:
        attrs = {"color": arrow.color, "penwidth": _num(arrow.penwidth)}
        if arrow.edge_id:
            attrs["id"] = arrow.edge_id
        if arrow.label:
            attrs.update(label=f"<{_LABEL_START}{escape(arrow.label)}{_LABEL_END}>", fontcolor=arrow.label_color)
        g.edge(arrow.tail, arrow.head, **attrs)
    if scene.legend:
        g.node("legend", label=_legend_label(scene.legend), shape="plain")
    return g


def _box_statement(box: Box) -> tuple[str, dict[str, str]]:
    cells = "".join(_cell(c, first=k == 0) for k, c in enumerate(box.cells))
    label = f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="4"><TR>{cells}</TR></TABLE>>'
    attrs = {
        "id": box.node_id,  # the SVG group's id, instead of dot's own numbering
        "label": label,
        "shape": "box",
        "style": "rounded,filled",
        "margin": "0.04,0.03",
        "height": "0.1",  # the table decides the size, not Graphviz's default half inch
        "width": "0.1",
        "fillcolor": box.fill,
        "color": box.border,
        "penwidth": _num(box.penwidth),
    }
    if box.tooltip:
        attrs["tooltip"] = escape_tooltip(box.tooltip)
    return box.node_id, attrs


def _cell(cell: Cell, first: bool) -> str:
    text = escape(cell.text)
    if cell.bold:
        text = f"<B>{text}</B>"
    if cell.italic:
        text = f"<I>{text}</I>"
    if cell.color:
        text = f'<FONT COLOR="{cell.color}">{text}</FONT>'
    # A thin line between cells, none around them: the node's own rounded outline frames the row.
    attrs = ' VALIGN="BOTTOM"' if first else ' VALIGN="BOTTOM" BORDER="1" SIDES="L" COLOR="#adb5bd"'
    if cell.fill:
        attrs += f' BGCOLOR="{cell.fill}"'
    if cell.min_width:
        attrs += f' WIDTH="{cell.min_width}"'
    return f"<TD{attrs}>{text}</TD>"


def _circle_statement(circle: Circle) -> tuple[str, dict[str, str]]:
    return circle.node_id, {
        "id": circle.node_id,
        "label": f"<{escape(circle.text)}>",
        "shape": "ellipse",
        "style": "filled",
        "fillcolor": circle.fill,
        "color": circle.border,
        "penwidth": _num(circle.penwidth),
        "fontsize": "12",
        "margin": "0.02,0.01",
        "height": "0.3",
        "width": "0.3",
    }


def _legend_label(rows: list[tuple[str, str]]) -> str:
    body = '<TR><TD COLSPAN="2" ALIGN="LEFT"><B>legend</B></TD></TR>'
    for color, text in rows:
        if color:
            swatch = f'<TD BGCOLOR="{color}" BORDER="1" FIXEDSIZE="TRUE" WIDTH="18" HEIGHT="11" CELLPADDING="0"></TD>'
            body += f'<TR>{swatch}<TD ALIGN="LEFT">{escape(text)}</TD></TR>'
        else:
            body += f'<TR><TD COLSPAN="2" ALIGN="LEFT">{escape(text)}</TD></TR>'
    table = '<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="2" CELLPADDING="2" COLOR="#ced4da">'
    return f'<<FONT POINT-SIZE="9">{table}{body}</TABLE></FONT>>'


def _num(x: float) -> str:
    return f"{x:g}"


class _ClusterTree:
    """Node statements grouped into nested clusters (``layers.0`` > ``layers.0.neurons.3``)."""

    def __init__(self, name: str = "") -> None:
        self.name = name
        self.nodes: list[tuple[str, dict[str, str]]] = []
        self.rows: list[list[str]] = []
        self.children: dict[str, _ClusterTree] = {}

    def find(self, path: tuple[str, ...]) -> _ClusterTree:
        tree = self
        for name in path:
            tree = tree.children.setdefault(name, _ClusterTree(name))
        return tree

    def add(self, path: tuple[str, ...], statement: tuple[str, dict[str, str]]) -> None:
        self.find(path).nodes.append(statement)

    def emit(self, g: graphviz.Digraph, prefix: str = "cluster", mirrored: bool = False) -> None:
        """Write the nodes and rows of this cluster, then its sub-clusters. ``mirrored``: the
        drawing goes left to right, where dot (2.43) puts a cluster's ranks in reverse order."""
        for node_id, attrs in self.nodes:
            g.node(node_id, **attrs)
        for row in self.rows:
            if mirrored and self.name:
                row = row[::-1]
            with g.subgraph() as same:  # invisible edges in one rank keep their ends in this order
                same.attr(rank="same")
                for tail, head in zip(row, row[1:]):
                    same.edge(tail, head, style="invis")
        for k, child in enumerate(self.children.values()):
            cluster_id = f"{prefix}_{k}"
            with g.subgraph(name=cluster_id) as sub:
                sub.attr(label=f"<{escape(child.name)}>", style="rounded,dashed", color="#868e96", fontsize="10")
                child.emit(sub, cluster_id, mirrored)
