"""What a drawing needs to know about a graph: its nodes in order, their names, roles and local derivatives.

Everything here is computed from the graph alone, in reading order (each node after its parents,
parents in argument order), so the same graph always gives the same drawing: node ids come from
positions in that order, never from ``id()``.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Any

from autograd import Parameter, Value
from autograd.extend import PRIMITIVES, is_constant, is_undefined, topological_order

from .errors import GraphTooLargeError, GraphTooTangledError
from .layout import arrow_segments, reading_order
from .names import Names, node_names

#: The default ``max_nodes`` of ``draw_dot`` and ``render``: Graphviz lays this out in about a second.
DEFAULT_MAX_NODES = 500
#: ``max_edges`` is this many arrow segments per allowed node unless given. An MLP of 340 Values
#: makes about 1,500 segments and takes 0.2 s; a sum of 100 products ``a*b`` (one ``a`` used by 100
#: operations far apart) makes 10,000 and takes 1.5 s, a sum of 200 makes 40,000 and takes 15 s.
SEGMENTS_PER_NODE = 40


@dataclass(frozen=True)
class GraphModel:
    """A graph ready to draw; list entries are indexed by position in reading order (root last).

    Attributes:
        order: the Values, each after its parents (``layout.reading_order``).
        parents: for each node, the positions of its parents, in argument order.
        names: the name shown for each node (``names.node_names``): its label if short enough, its
            number for a constant, a short name like ``log1`` for a long computed label, else
            ``n<position>``.
        auto_named: whether the name was made up here (shown in grey).
        labels: the whole label of each node (``""`` for none), for tooltips.
        roles: ``"output"``, ``"parameter"``, ``"input"``, ``"constant"`` or ``"computed"``.
        local: for each node, ``∂node/∂parent`` per parent (``nan`` where undefined).
        clusters: for each node, the nested ``nn`` groups it belongs to, outermost first.
    """

    order: list[Value]
    parents: list[tuple[int, ...]]
    names: list[str]
    auto_named: list[bool]
    labels: list[str]
    roles: list[str]
    local: list[tuple[float, ...]]
    clusters: list[tuple[str, ...]]


def build_model(
    root: Value, max_nodes: int, operation: str, max_edges: int | None = None, labelled: bool = False
) -> GraphModel:
    """Order the graph under ``root`` and work out everything a drawing shows.

    Args:
        root: the output Value.
        max_nodes: refuse graphs with more Values than this.
        operation: the name that error messages start with.
        max_edges: refuse graphs whose arrows make more segments than this (see ``arrow_segments``);
            by default ``SEGMENTS_PER_NODE * max_nodes``.
        labelled: the arrows will carry labels, which doubles their length in Graphviz's layout.

    Raises:
        TypeError: ``root`` is not a Value.
        ValueError: ``max_nodes`` or ``max_edges`` is not a positive integer.
        GraphTooLargeError: the graph has more than ``max_nodes`` nodes, or (``GraphTooTangledError``)
            its arrows make more than ``max_edges`` segments.

    >>> from autograd import Value
    >>> b, c = Value(3.0, label="b"), Value(2.0, label="c")
    >>> m = build_model(2 * (b * c), 100, "draw_dot")
    >>> m.names, m.roles[-1], m.local[-1]
    (['2', 'b', 'c', 'n3', 'n4'], 'output', (6.0, 2.0))
    """
    if not isinstance(root, Value):
        raise TypeError(f"{operation}: root must be an autograd Value, got {type(root).__name__} {root!r:.60}")
    max_nodes = _positive_int(operation, "max_nodes", max_nodes)
    if max_edges is None:
        max_edges = SEGMENTS_PER_NODE * max_nodes
    max_edges = _positive_int(operation, "max_edges", max_edges)
    node_count = len(topological_order(root))  # the cheapest count, before any other work
    if node_count > max_nodes:
        raise GraphTooLargeError(operation, node_count, max_nodes)
    order = reading_order(root)
    position = {v: i for i, v in enumerate(order)}
    parents = [tuple(position[p] for p in v.parents) for v in order]
    roles = [_role(v, i == len(order) - 1) for i, v in enumerate(order)]
    names: Names = node_names(order, roles)
    segments = arrow_segments(parents) * (2 if labelled else 1)
    if segments > max_edges:
        uses = [0] * len(order)
        for ps in parents:
            for p in ps:
                uses[p] += 1
        busiest = max(range(len(order)), key=uses.__getitem__)
        name = names.shown[busiest]
        raise GraphTooTangledError(operation, len(order), max_nodes, segments, max_edges, name, uses[busiest])
    return GraphModel(
        order=order,
        parents=parents,
        names=names.shown,
        auto_named=names.made_up,
        labels=names.full,
        roles=roles,
        local=[local_derivatives(v) for v in order],
        clusters=_clusters(order, parents),
    )


def _role(v: Value, is_root: bool) -> str:
    if is_root:
        return "output"
    if isinstance(v, Parameter):
        return "parameter"
    if v.parents:
        return "computed"
    # A number written in an expression (is_constant), or a Value nobody named: nothing a learner
    # differentiates with respect to, so it is drawn as its number.
    return "input" if v.label and not is_constant(v) else "constant"


def local_derivatives(v: Value) -> tuple[float, ...]:
    """``∂v/∂parent`` for each parent of ``v``, from the engine's table; ``nan`` where undefined.

    >>> from autograd import Value
    >>> x = Value(4.0)
    >>> local_derivatives(x.sqrt()), local_derivatives(x)
    ((0.25,), ())
    """
    if not v.parents:
        return ()
    primitive = PRIMITIVES.get(v.op)
    if primitive is None:
        return (math.nan,) * len(v.parents)
    try:
        ds = primitive.local_derivatives(v.data, *[p.data for p in v.parents])
        return tuple(math.nan if is_undefined(d) else float(d) for d in ds)
    except (ArithmeticError, ValueError, TypeError):
        # Drawing must not fail where the math does: the picture shows "undefined" instead.
        return (math.nan,) * len(v.parents)


def _positive_int(operation: str, name: str, n: Any) -> int:
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:  # numpy ints are fine
        raise ValueError(f"{operation}: {name} must be a positive integer, got {n!r}")
    return int(n)


RANKDIRS = ("auto", "LR", "RL", "TB", "BT")


def check_rankdir(operation: str, rankdir: Any) -> None:
    if rankdir not in RANKDIRS:
        raise ValueError(f"{operation}: rankdir must be one of {', '.join(RANKDIRS)}, got {rankdir!r}")


def _clusters(order: list[Value], parents: list[tuple[int, ...]]) -> list[tuple[str, ...]]:
    """The ``nn`` groups of each node, read from parameter names like ``layers.0.neurons.3.w.1``.

    A parameter belongs to every prefix of its name that ends in an index (``layers.0``,
    ``layers.0.neurons.3``). An operation on parameters of one group (a neuron's ``dot``) joins that
    group, and so does a one-input operation right after it (the neuron's activation).
    """
    clusters: list[tuple[str, ...]] = [() for _ in order]
    via_parameters = [False] * len(order)
    for i, v in enumerate(order):
        if isinstance(v, Parameter):
            clusters[i] = _name_groups(v.label)
            continue
        groups = {clusters[p] for p in parents[i] if isinstance(order[p], Parameter)}
        if len(groups) == 1:
            clusters[i] = groups.pop()
            via_parameters[i] = True
        elif len(parents[i]) == 1 and via_parameters[parents[i][0]]:
            clusters[i] = clusters[parents[i][0]]
    return clusters


def _name_groups(name: str) -> tuple[str, ...]:
    """The nested groups named by a parameter's dotted name.

    >>> _name_groups("layers.0.neurons.3.w.1"), _name_groups("neurons.1.b"), _name_groups("w")
    (('layers.0', 'layers.0.neurons.3'), ('neurons.1',), ())
    """
    parts = name.split(".")
    while parts and parts[-1].isdigit():
        parts.pop()  # the index of a weight inside its vector: w.1
    parts = parts[:-1]  # the parameter's own name: w, b
    groups = [".".join(parts[: k + 1]) for k, part in enumerate(parts) if part.isdigit()]
    prefix = ".".join(parts)
    if prefix and (not groups or groups[-1] != prefix):
        groups.append(prefix)
    return tuple(groups)
