"""Backpropagation replayed one node at a time, as the course does it: right to left, by the chain rule.

The gradients here are computed from the engine's derivative table alone, in reverse topological
order; no ``.grad`` is read or written, so a replay never disturbs the user's graph.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import graphviz

from autograd import Value

from .draw import legend_rows, op_arrows, op_circle, op_text, value_box
from .model import GraphModel, build_model, check_rankdir
from .scene import Cell, Scene, to_digraph
from .style import HOT, PARTIAL_FILL, fmt, fmt_factor, partial_of

#: The default ``max_nodes`` of a replay: it has one picture per node, so it grows as nodes squared.
REPLAY_MAX_NODES = 100
CURRENT_FILL = "#ffc078"


@dataclass(frozen=True)
class Term:
    """One path's share of a gradient: ``∂root/∂consumer · ∂consumer/∂node``."""

    consumer: int
    consumer_grad: float
    local: float

    @property
    def share(self) -> float:
        """What this path adds: nothing when the consumer's gradient is 0, as in the engine."""
        return 0.0 if self.consumer_grad == 0 else self.consumer_grad * self.local


@dataclass(frozen=True)
class Replay:
    """A replay: frame 0 is the forward pass, frame ``k >= 1`` completes node ``len(order) - k``."""

    frames: list[graphviz.Digraph]
    captions: list[str]
    details: list[str]


def backprop_frames(
    root: Value, max_nodes: int = REPLAY_MAX_NODES, rankdir: str = "LR", max_edges: int | None = None
) -> list[graphviz.Digraph]:
    """Pictures of backpropagation, one per step.

    Frame 0 shows the forward pass (values, no gradients). Then, in reverse topological order, one
    frame per node highlights the node whose gradient has just been completed and the edges along
    which it sends gradient to its inputs; an input that has received gradient from some but not
    all of its paths shows the sum so far. The last frame shows every gradient. Each frame's
    ``comment`` (the first line of its DOT source) is its caption; see ``backprop_captions``.

    Args:
        root: the output Value.
        max_nodes: refuse graphs with more Values than this (the replay has one frame per Value).
        rankdir: the direction of the drawing, as in ``draw_dot``.
        max_edges: refuse graphs whose arrows make more segments than this, as in ``draw_dot``.

    Raises:
        GraphTooLargeError: the graph has more than ``max_nodes`` Values, or its arrows more
            segments than ``max_edges``.

    >>> from autograd import Value
    >>> x = Value(3.0, label="x")
    >>> y = x * x; y.label = "y"
    >>> frames = backprop_frames(y)
    >>> len(frames), frames[-1].comment
    (3, '∂y/∂x = ∂y/∂y · ∂y/∂x + ∂y/∂y · ∂y/∂x = 1 · 3 + 1 · 3 = 6')
    """
    return make_replay(root, max_nodes, rankdir, max_edges).frames


def backprop_captions(root: Value, max_nodes: int = REPLAY_MAX_NODES) -> list[str]:
    """The chain-rule step of each frame of ``backprop_frames``, with numbers.

    >>> from autograd import Value
    >>> a, b, c = Value(5.0, label="a"), Value(3.0, label="b"), Value(2.0, label="c")
    >>> u = b * c; u.label = "u"
    >>> v = a + u; v.label = "v"
    >>> J = 3 * v; J.label = "J"
    >>> backprop_captions(J)[5]
    '∂J/∂b = ∂J/∂u · ∂u/∂b = 3 · 2 = 6'
    """
    return make_replay(root, max_nodes, "LR").captions


def chain_rule(model: GraphModel) -> tuple[list[float], list[list[Term]]]:
    """Every node's gradient ``∂root/∂node`` and the terms it is the sum of, computed from the table.

    As in the engine's ``backward``, a node whose gradient is 0 passes nothing back, even where its
    local derivative is undefined (``sqrt`` at 0 behind a dead ``relu``).
    """
    n = len(model.order)
    grads = [0.0] * n
    terms: list[list[Term]] = [[] for _ in range(n)]
    grads[-1] = 1.0
    for i in reversed(range(n)):
        for p, local in zip(model.parents[i], model.local[i]):
            term = Term(i, grads[i], local)
            grads[p] += term.share
            terms[p].append(term)
    return grads, terms


def make_replay(
    root: Value, max_nodes: int, rankdir: str, max_edges: int | None = None, operation: str = "backprop_frames"
) -> Replay:
    """Build the frames, captions and explanations of the replay of ``root``'s backward pass;
    errors name ``operation``, the public function that was called."""
    check_rankdir(operation, rankdir)
    model = build_model(root, max_nodes, operation, max_edges, labelled=True)
    grads, terms = chain_rule(model)
    n = len(model.order)
    texts = [_grad_texts(model, grads, terms, frame) for frame in range(n + 1)]
    # A cell at least as wide as its widest text in any frame keeps every node in the same place
    # from frame to frame, so the eye follows the gradient, not a moving layout.
    widths = [max(_text_width(t[i][0]) for t in texts) for i in range(n)]
    captions = [_forward_caption(model)] + [_caption(model, grads, terms, n - k) for k in range(1, n + 1)]
    details = [_forward_detail(model)] + [_detail(model, grads, n - k, last=k == n) for k in range(1, n + 1)]
    frames = []
    for frame in range(n + 1):
        current = n - frame if frame else None
        scene = Scene(rankdir, comment=captions[frame])
        for i in range(n):
            text, state = texts[frame][i]
            cell = Cell(text, min_width=widths[i])
            if state == "pending":
                cell.color = "#adb5bd"
            elif state == "partial":
                cell.fill, cell.italic = PARTIAL_FILL, True
            elif state == "current":
                cell.fill, cell.bold = CURRENT_FILL, True
            box = value_box(model, i, cell)
            if i == current:
                box.border, box.penwidth = HOT, 3.0
            scene.boxes.append(box)
            if model.parents[i]:
                circle = op_circle(model, i)
                arrows = op_arrows(model, i, show_local=True)
                if i == current:
                    circle.border, circle.penwidth = HOT, 2.5
                    for arrow in arrows:
                        # colour only: bold text would be wider and move the layout
                        arrow.color, arrow.penwidth, arrow.label_color = HOT, 2.5, HOT
                scene.circles.append(circle)
                scene.arrows.extend(arrows)
        scene.legend = legend_rows(model, show_local=True, color_by_grad=False) + [
            (PARTIAL_FILL, "gradient received so far"),
            (CURRENT_FILL, "gradient just completed"),
        ]
        frames.append(to_digraph(scene))
    return Replay(frames, captions, details)


def _grad_texts(model: GraphModel, grads: list[float], terms: list[list[Term]], frame: int) -> list[tuple[str, str]]:
    """(text, state) of every grad cell in one frame; state is pending, partial, current or done."""
    n = len(model.order)
    if frame == 0:
        return [("grad ?", "pending")] * n
    current = n - frame  # the node completed in this frame; those after it are already done
    cells = []
    for i in range(n):
        if i >= current:
            cells.append((f"grad {fmt(grads[i])}", "current" if i == current else "done"))
            continue
        received = [t for t in terms[i] if t.consumer >= current]
        if not received:
            cells.append(("grad ?", "pending"))
        elif len(received) < len(terms[i]):  # some of its paths have delivered, not all
            cells.append((f"grad {fmt(sum(t.share for t in received))} so far", "partial"))
        else:  # every path has delivered: the gradient is final before the node's own frame
            cells.append((f"grad {fmt(grads[i])}", "done"))
    return cells


def _text_width(text: str) -> int:
    return 8 + 6 * len(text)  # generous for an 11 pt sans-serif, so the text never decides the width


def _forward_caption(model: GraphModel) -> str:
    root = len(model.order) - 1
    return f"Forward pass: {model.names[root]} = {fmt(model.order[root].data)}"


def _forward_detail(model: GraphModel) -> str:
    return (
        "Each value is computed from its inputs, left to right. No gradient is known yet; "
        "backpropagation will now compute them right to left."
    )


def _caption(model: GraphModel, grads: list[float], terms: list[list[Term]], i: int) -> str:
    out = partial_of(model.names[-1])
    name = partial_of(model.names[i])
    if i == len(model.order) - 1:
        return f"{out}/{out} = 1"
    symbols = " + ".join(
        f"{out}/{partial_of(model.names[t.consumer])} · {partial_of(model.names[t.consumer])}/{name}" for t in terms[i]
    )
    numbers = " + ".join(_term_numbers(t) for t in terms[i])
    return f"{out}/{name} = {symbols} = {numbers} = {_number(grads[i])}"


def _term_numbers(t: Term) -> str:
    """``3 · 2``; ``0 · (not needed)`` where a zero gradient meets an undefined local derivative."""
    if t.consumer_grad == 0 and not math.isfinite(t.local):
        return "0 · (not needed)"
    return f"{fmt_factor(t.consumer_grad)} · {_number(t.local, factor=True)}"


def _number(x: float, factor: bool = False) -> str:
    if math.isnan(x):
        return "undefined"
    return fmt_factor(x) if factor else fmt(x)


def _detail(model: GraphModel, grads: list[float], i: int, last: bool) -> str:
    name, role = model.names[i], model.roles[i]
    if i == len(model.order) - 1:
        text = "Backpropagation starts at the output: its derivative with respect to itself is 1."
    else:
        text = _paths_sentence(model, i)
    if model.parents[i]:
        inputs = ", ".join(dict.fromkeys(model.names[p] for p in model.parents[i]))
        if grads[i] == 0:
            text += (
                f" Its gradient is 0, so it passes nothing back to {inputs}: every product would be 0,"
                " and backward() does not even compute its local derivatives."
            )
        else:
            text += f" Now {name} sends its gradient back through {op_text(model, i)} to {inputs} (orange edges)."
    elif role == "parameter":
        text += f" {name} is a parameter: gradient descent moves it by −learning_rate × {fmt(grads[i])}."
    elif role == "constant":
        text += " It is a constant, so nothing will use this gradient."
    else:
        text += f" {name} is an input, so its gradient is final."
    if last:
        text += " Every gradient is now known."
    return text


def _paths_sentence(model: GraphModel, i: int) -> str:
    """How the caption's sum comes about: one product per use of the node on the way to the output."""
    name, out = model.names[i], model.names[-1]
    users = list(dict.fromkeys(model.names[c] for c, ps in enumerate(model.parents) if i in ps))
    uses = sum(ps.count(i) for ps in model.parents)
    if uses == 1:
        return (
            f"{name} reaches {out} only through {users[0]}: its gradient is {users[0]}'s gradient "
            f"times the local derivative {partial_of(users[0])}/{partial_of(name)}."
        )
    return (
        f"{name} is used {uses} times (by {', '.join(users)}): the chain rule adds one product "
        "(gradient arriving × local derivative) per use."
    )
