"""``draw_dot``: a computation graph as a ``graphviz.Digraph``, the way the course draws it.

Values are boxes (name | data | grad); every primitive is its own small circle between its inputs
and its result, so the picture reads left to right like the forward pass.
"""

from __future__ import annotations

import math

import graphviz

from autograd import Value

from .layout import choose_rankdir, leaf_rows
from .model import DEFAULT_MAX_NODES, GraphModel, build_model, check_rankdir
from .names import tooltip as node_tooltip
from .scene import Arrow, Box, Cell, Circle, Scene, to_digraph
from .style import (
    GRAD_SCALE,
    LOCAL_COLOR,
    OP_FILL,
    OP_SYMBOLS,
    ROLE_COLORS,
    ROLE_NAMES,
    fmt,
    grad_color,
    partial_of,
)

ROLE_ORDER = ("input", "parameter", "constant", "computed", "output")


def draw_dot(
    root: Value,
    rankdir: str = "auto",
    show_grad: bool = True,
    show_local: bool = False,
    color_by_grad: bool = False,
    max_nodes: int = DEFAULT_MAX_NODES,
    cluster: bool = False,
    legend: bool = True,
    max_edges: int | None = None,
) -> graphviz.Digraph:
    """Draw the graph under ``root``; Jupyter shows the result inline.

    Args:
        root: the output Value; everything it was computed from is drawn.
        rankdir: ``"auto"``: ``"LR"`` (inputs on the left, as in the course) when the picture is at
            most 1,600 pixels wide, else ``"TB"`` (inputs at the top); or one of ``"LR"``, ``"RL"``,
            ``"TB"``, ``"BT"``.
        show_grad: show each Value's ``.grad`` (call ``root.backward()`` first).
        show_local: write the local derivative ``∂out/∂in`` on every input edge of an operation:
            the factors that the chain rule multiplies.
        color_by_grad: shade Values by ``|grad|``, blue where gradients vanish, red where they explode.
        max_nodes: refuse graphs with more Values than this.
        cluster: group the Values of each ``nn`` neuron and layer in a dashed box.
        legend: add a small legend of the colours.
        max_edges: refuse graphs whose arrows make more segments than this for Graphviz to lay out
            (an arrow that crosses k columns counts k); by default 40 per allowed node.

    Returns:
        A ``graphviz.Digraph``; ``.source`` is its DOT text, ``viz.render`` writes it to a file.

    Raises:
        GraphTooLargeError: the graph has more than ``max_nodes`` Values, or its arrows more than
            ``max_edges`` segments (a value used by many operations far apart).
        ValueError: ``rankdir`` is not ``"auto"`` or one of the four directions.

    >>> from autograd import Value
    >>> a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    >>> y = a * b; y.label = "y"
    >>> y.backward()
    >>> g = draw_dot(y, show_local=True)
    >>> "grad -3" in g.source, "∂y/∂a = -3" in g.source
    (True, True)
    """
    check_rankdir("draw_dot", rankdir)
    model = build_model(root, max_nodes, "draw_dot", max_edges, labelled=show_local)
    scene = graph_scene(model, show_grad, show_local, color_by_grad, cluster, legend)
    scene.rankdir = choose_rankdir(scene, model.parents, show_local) if rankdir == "auto" else rankdir
    return to_digraph(scene)


def graph_scene(
    model: GraphModel, show_grad: bool, show_local: bool, color_by_grad: bool, cluster: bool, legend: bool
) -> Scene:
    """What ``draw_dot`` shows, as a Scene whose direction is still to be chosen."""
    scene = Scene("")
    for i, v in enumerate(model.order):
        g = grad_number(v.grad)
        grad_cell = Cell(f"grad {fmt(g)}", bold=model.roles[i] == "output") if show_grad else None
        fill = ROLE_COLORS[model.roles[i]]
        box = value_box(model, i, grad_cell, clustered=cluster)
        if color_by_grad and model.roles[i] != "constant":  # nothing trains a constant: no alarm
            box.fill = grad_color(g)
            box.cells[0].fill = fill
        scene.boxes.append(box)
        if v.parents:
            scene.circles.append(op_circle(model, i, cluster))
            scene.arrows.extend(op_arrows(model, i, show_local))
    if legend:
        scene.legend = legend_rows(model, show_local=show_local, color_by_grad=color_by_grad)
    scene.rows = reading_rows(model)
    return scene


def reading_rows(model: GraphModel) -> list[list[str]]:
    """The boxes to keep in one rank in reading order (``layout.leaf_rows``)."""
    return [[f"n{i}" for i in row] for row in leaf_rows(model.parents, model.roles, model.clusters)]


def grad_number(g: object) -> float:
    """A ``.grad`` as a float: after ``create_graph`` it can be a Value, whose number is shown."""
    if isinstance(g, Value):
        return g.data
    try:
        return float(g)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan


def value_box(model: GraphModel, i: int, grad_cell: Cell | None, clustered: bool = False) -> Box:
    """The box of Value ``i``: name | data | grad (constants show only their number and grad).

    In a cluster the name is shortened to what follows the cluster's name (``w.1``).
    """
    v = model.order[i]
    role = model.roles[i]
    cells = []
    if role != "constant":
        name = model.names[i]
        group = model.clusters[i][-1] + "." if clustered and model.clusters[i] else ""
        if group and name.startswith(group):  # a computed node in the group may carry its own label
            name = name[len(group) :] or name
        auto = model.auto_named[i]
        cells.append(Cell(name, bold=not auto, italic=auto, color="#868e96" if auto else ""))
        cells.append(Cell(f"data {fmt(v.data)}"))
    else:
        cells.append(Cell(fmt(v.data)))
    if grad_cell is not None:
        cells.append(grad_cell)
    tooltip = node_tooltip(model.names[i], model.labels[i], v.data)
    cluster = model.clusters[i] if clustered else ()
    return Box(f"n{i}", cells, ROLE_COLORS[role], tooltip=tooltip, cluster=cluster)


def op_text(model: GraphModel, i: int) -> str:
    """What the circle of Value ``i``'s operation says: ``×`` for ``*``, ``w·x+b`` for a dot with bias."""
    v = model.order[i]
    if v.op == "dot":
        return "w·x+b" if len(v.parents) % 2 else "w·x"
    return OP_SYMBOLS.get(v.op, v.op)


def op_circle(model: GraphModel, i: int, clustered: bool = False) -> Circle:
    """The operation that computed Value ``i``, drawn between its inputs and ``i``."""
    return Circle(f"op{i}", op_text(model, i), OP_FILL, cluster=model.clusters[i] if clustered else ())


def local_label(model: GraphModel, i: int, k: int) -> str:
    """``∂out/∂in = number`` for the ``k``-th input edge of Value ``i``.

    >>> from autograd import Value
    >>> from viz.model import build_model
    >>> b, c = Value(3.0, label="b"), Value(2.0, label="c")
    >>> u = b * c; u.label = "u"
    >>> local_label(build_model(u, 10, "doc"), 2, 0)
    '∂u/∂b = 2'
    """
    d = model.local[i][k]
    number = "undefined" if math.isnan(d) else fmt(d)
    return f"{partial_of(model.names[i])}/{partial_of(model.names[model.parents[i][k]])} = {number}"


def op_arrows(model: GraphModel, i: int, show_local: bool) -> list[Arrow]:
    """The edges inputs → operation (one per argument, in order: ids ``e<i>_<k>``) and operation →
    Value ``i`` (id ``e<i>_out``)."""
    arrows = []
    for k, p in enumerate(model.parents[i]):
        label = local_label(model, i, k) if show_local else ""
        arrows.append(Arrow(f"n{p}", f"op{i}", label=label, label_color=LOCAL_COLOR, edge_id=f"e{i}_{k}"))
    arrows.append(Arrow(f"op{i}", f"n{i}", edge_id=f"e{i}_out"))
    return arrows


def legend_rows(model: GraphModel, show_local: bool, color_by_grad: bool) -> list[tuple[str, str]]:
    """The legend: the roles present in this graph, then notes for the options in use."""
    present = set(model.roles)
    rows = [(ROLE_COLORS[r], ROLE_NAMES[r]) for r in ROLE_ORDER if r in present]
    if any(model.parents):
        rows.append((OP_FILL, "operation (○)"))
    if show_local:
        rows.append(("", "on edges: local derivative ∂out/∂in"))
    if color_by_grad:
        rows.append(("", "shading: |grad| (constants excepted)"))
        rows.extend((color, text) for _, color, text in GRAD_SCALE)
    return rows
