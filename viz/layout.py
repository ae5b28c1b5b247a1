"""Where Graphviz's ``dot`` will put things, estimated before running it: the order nodes are
drawn in, the column (rank) of each, how many arrow segments that makes, and how wide it gets.

``dot`` puts every node in a rank and cuts an arrow that crosses ``k`` ranks into ``k`` segments;
its layout time grows faster than their number, so a drawing with too many is refused before
``dot`` starts. ``dot`` chooses ranks that make the arrows short in total (network simplex); the
estimate here does the same in a few cheap sweeps. In a drawing, each computed Value ``i`` is two
nodes, the circle of its operation (arrows in from its inputs) and its box (an arrow in from the
circle, arrows out to the circles that use it).
"""

from __future__ import annotations

from autograd import Value

from .scene import Box, Scene

#: Sweeps of the rank estimate after placing every node as late as its uses allow.
BALANCING_SWEEPS = 4


def reading_order(root: Value) -> list[Value]:
    """The nodes under ``root``, each after its parents, the parents taken in argument order.

        ``dot`` keeps the order it is given where it can, so a neuron's weights come out as ``w.0,
        w.1, ..., b`` and layers' neurons as ``0, 1, 2`` from the top, as a reader expects.

        >>> from autograd import Value

    from .scene import Box, Scene
        >>> a, b = Value(1.0, label="a"), Value(2.0, label="b")
        >>> [v.label or v.op for v in reading_order((a * b) + a.exp())]
        ['a', 'b', '*', 'exp', '+']
    """
    order: list[Value] = []
    placed: set[Value] = set()
    stack: list[tuple[Value, int]] = [(root, 0)]
    while stack:
        v, k = stack.pop()
        if v in placed:
            continue
        parents = v.parents
        while k < len(parents) and parents[k] in placed:
            k += 1
        if k == len(parents):
            placed.add(v)
            order.append(v)
        else:
            stack.append((v, k + 1))
            stack.append((parents[k], 0))
    return order


def leaf_rows(parents: list[tuple[int, ...]], roles: list[str], groups: list[tuple[str, ...]]) -> list[list[int]]:
    """Leaves to keep side by side in one rank, in argument order: for each operation, its labelled
    leaf inputs of one role and one ``nn`` group (a neuron's ``w.0, w.1, ..., b``; ``x.0, x.1``).

    ``dot`` may otherwise shuffle nodes that are equally good for its crossing count. Each row
    follows the reading order, so rows can never ask for opposite orders.

    >>> leaf_rows([(), (), (), (), (0, 2, 1, 3)], ["parameter", "input", "parameter", "input", "output"], [("n",), (), ("n",), (), ()])
    [[0, 2], [1, 3]]
    """
    rows: dict[tuple[int, ...], None] = {}
    for ps in parents:
        runs: dict[tuple[str, tuple[str, ...]], list[int]] = {}
        for p in ps:
            if not parents[p] and roles[p] in ("input", "parameter"):
                run = runs.setdefault((roles[p], groups[p]), [])
                if not run or p > run[-1]:
                    run.append(p)
        rows.update((tuple(run), None) for run in runs.values() if len(run) > 1)
    return [list(row) for row in rows]


def ranks(parents: list[tuple[int, ...]]) -> tuple[list[int], list[int]]:
    """Estimated ranks of each Value's box and of its operation's circle (``-1`` for a leaf).

    First every node goes as late as its uses allow (a value used once sits just before its use,
    as ``dot`` puts it); then each node with more arrows on one side than on the other moves to
    that side as far as it can, which is what shortens the arrows in total.

    >>> ranks([(), (), (0, 1), (2,)])  # a, b, a*b, exp(a*b)
    ([0, 0, 2, 4], [-1, -1, 1, 3])
    """
    n = len(parents)
    users: list[list[int]] = [[] for _ in range(n)]  # the circles each box has an arrow to
    for i, ps in enumerate(parents):
        for p in ps:
            users[p].append(i)
    box, circle = [0] * n, [-1] * n
    for i, ps in enumerate(parents):  # as early as possible: a first placement that respects the arrows
        if ps:
            circle[i] = max(box[p] for p in ps) + 1
            box[i] = circle[i] + 1
    for i in reversed(range(n - 1)):  # as late as the uses allow
        if users[i]:
            box[i] = min(circle[u] for u in users[i]) - 1
            if parents[i]:
                circle[i] = box[i] - 1
    for _ in range(BALANCING_SWEEPS):
        moved = False
        for i in range(n):
            ps = parents[i]
            if ps and len(ps) > 1:  # a circle with several arrows in and one out: towards its inputs
                earliest = max(box[p] for p in ps) + 1
                if circle[i] > earliest:
                    circle[i], moved = earliest, True
            if users[i] and len(users[i]) > (1 if ps else 0):  # a box used more often than made: towards its uses
                latest = min(circle[u] for u in users[i]) - 1
                if box[i] < latest:
                    box[i], moved = latest, True
        if not moved:
            break
    return box, circle


def arrow_segments(parents: list[tuple[int, ...]]) -> int:
    """About how many edge segments ``dot`` lays out for a drawing of the graph, by ``ranks``.

    >>> arrow_segments([(), (), (0, 1)])  # a * b: two arrows into the circle, one out of it
    3
    >>> arrow_segments([(), (0, 0), (1, 0)])  # x*x, then n1*x: the third arrow from x crosses 3 ranks
    8
    """
    box, circle = ranks(parents)
    into_circles = sum(circle[i] - box[p] for i, ps in enumerate(parents) for p in ps)
    return into_circles + sum(box[i] - circle[i] for i, ps in enumerate(parents) if ps)


#: Widths of text in points, per character and point of font size: Helvetica's digits and lower case
#: are about 0.55 em wide, capitals and bold more; a little over is safer than under.
EM_PER_CHAR = 0.53
RANKSEP, NODESEP = 25.2, 18.0  # the scene's ranksep and nodesep (0.35 and 0.25 inch) in points
#: The widest picture, in points, that is drawn left to right (1,600 pixels at 96 dpi); a wider one
#: is drawn top to bottom, where it grows downwards as a page does.
MAX_WIDTH = 1200.0


def text_width(text: str, size: float) -> float:
    """About how wide ``text`` is in points at font size ``size``."""
    return len(text) * size * EM_PER_CHAR


def picture_width(items: list[tuple[int, float]], rankdir: str, ranksep: float = RANKSEP) -> float:
    """About how wide ``dot``'s picture is, in points, given each node's (rank, width along the page).

    Left to right, the ranks stand side by side: the picture is as wide as their widest nodes
    together. Top to bottom, a rank is a row: the picture is as wide as its widest row.

    >>> picture_width([(0, 50.0), (1, 30.0), (1, 40.0)], "LR"), picture_width([(0, 50.0), (1, 30.0), (1, 40.0)], "TB")
    (115.2, 88.0)
    """
    by_rank: dict[int, list[float]] = {}
    for rank, width in items:
        by_rank.setdefault(rank, []).append(width)
    if not by_rank:
        return 0.0
    if rankdir in ("LR", "RL"):
        return sum(max(ws) for ws in by_rank.values()) + ranksep * (len(by_rank) - 1)
    return max(sum(ws) + NODESEP * (len(ws) - 1) for ws in by_rank.values())


def choose_rankdir(scene: Scene, parents: list[tuple[int, ...]], labelled: bool) -> str:
    """``"LR"``, as the course draws, when that picture is at most ``MAX_WIDTH`` wide or narrower
    than ``"TB"``'s; else ``"TB"``. ``scene`` draws Value ``i`` as box ``n<i>`` and circle ``op<i>``.

    Edge labels take a rank of their own between the two ranks they join, as in ``dot``, which then
    halves the space between ranks.
    """
    box, circle = ranks(parents)
    step = 2 if labelled else 1
    rank_of = {f"n{i}": step * r for i, r in enumerate(box)}
    rank_of.update((f"op{i}", step * r) for i, r in enumerate(circle))
    items = [(rank_of[b.node_id], box_width(b)) for b in scene.boxes]
    items += [(rank_of[c.node_id], max(22.0, text_width(c.text, 12) + 8)) for c in scene.circles]
    items += [((rank_of[a.tail] + rank_of[a.head]) // 2, text_width(a.label, 10) + 6) for a in scene.arrows if a.label]
    if scene.legend:
        items.append((0, max(text_width(text, 9) for _, text in scene.legend) + 36))
    across = picture_width(items, "LR", RANKSEP / step)  # dot halves ranksep when it doubles the ranks
    return "LR" if across <= MAX_WIDTH or across <= picture_width(items, "TB") else "TB"


def box_width(box: Box) -> float:
    """About how wide a Value's box is, in points: its cells side by side, each padded."""
    return sum(max(text_width(c.text, 11), c.min_width) + 9 for c in box.cells) + 6
