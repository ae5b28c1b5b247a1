"""The replay's pictures: one drawing of the graph, and for each step what changes in it.

A step changes little: its node (its gradient, in orange, with the edges that gradient flows back
along), the previous step's node (no longer orange), and the inputs its gradient reaches, which
show what they have received "so far" until every use has sent its share, and then their complete
gradient, waiting for their own step. Kept as changes, a
replay grows with the graph rather than with the graph times its steps, and the page draws it once.
"""

from __future__ import annotations

from dataclasses import dataclass

import graphviz

from autograd import Value

from .draw import op_arrows, op_circle, reading_rows, value_box
from .layout import choose_rankdir
from .model import GraphModel, build_model, check_rankdir
from .replay import (
    Backprop,
    Piece,
    backward_pass,
    detail,
    formula,
    forward_caption,
    forward_detail,
    plain,
    replay_legend,
)
from .scene import Cell, Scene, to_digraph
from .style import COMPLETE_FILL, CONSTANT_TEXT, CURRENT_FILL, HOT, PARTIAL_FILL, PENDING_TEXT, ROLE_COLORS, fmt

#: The default ``max_nodes`` of ``backprop_frames``, which makes a whole picture for every step.
FRAMES_MAX_NODES = 100

#: How a grad cell looks in each state: (background, "" for the box's own; text colour; bold; italic).
LOOKS: dict[str, tuple[str, str, bool, bool]] = {
    "pending": ("", PENDING_TEXT, False, False),  # grad ?: nothing has arrived yet
    "partial": (PARTIAL_FILL, "#000000", False, True),  # grad 3 so far: some uses have not sent theirs
    "complete": (COMPLETE_FILL, "#000000", False, False),  # every use has sent its share; its step is to come
    "current": (CURRENT_FILL, "#000000", True, False),  # completed in this step
    "done": ("", "#000000", False, False),
    "constant": ("", CONSTANT_TEXT, False, False),  # a number's gradient: shown, with no step of its own
}
#: The current node is outlined in ``HOT``: its box this thick, its operation's circle and edges that.
HOT_BOX_WIDTH, HOT_EDGE_WIDTH = 3.0, 2.5

Change = tuple[int, str, str]  # (node, grad text, state in LOOKS)


@dataclass(frozen=True)
class Replay:
    """A replay: frame 0 is the forward pass, frame ``k >= 1`` completes node ``steps[k - 1]``.

    Attributes:
        model: the graph as drawn.
        scene: the picture of frame 0. Every grad cell is as wide as its widest text in any frame,
            so nothing moves from frame to frame.
        steps: the node each step completes (``replay.backprop_steps``).
        formulas: each frame's chain-rule step in numbers, in pieces whose local derivatives are
            marked (``∂J/∂b = ∂J/∂u · (local) ∂u/∂b = 3 · 2 = 6``).
        details: each frame's explanation in words.
        changes: for each frame, the grad cells it changes; frame 0 sets every cell.
        widths: each grad cell's width in points, enough for its widest text.
    """

    model: GraphModel
    scene: Scene
    steps: list[int]
    formulas: list[list[Piece]]
    details: list[str]
    changes: list[list[Change]]
    widths: list[int]

    @property
    def captions(self) -> list[str]:
        """Each frame's chain-rule step as one line of text."""
        return [plain(pieces) for pieces in self.formulas]

    def cells_at(self, frame: int) -> list[tuple[str, str]]:
        """Every grad cell's (text, state) in ``frame``: the changes up to it, applied in order."""
        cells = [("", "")] * len(self.model.order)
        for changes in self.changes[: frame + 1]:
            for i, text, state in changes:
                cells[i] = (text, state)
        return cells

    def current(self, frame: int) -> int | None:
        """The node that ``frame`` completes (None for the forward pass)."""
        return self.steps[frame - 1] if frame else None


def make_replay(
    root: Value, max_nodes: int, rankdir: str, max_edges: int | None = None, operation: str = "backprop_frames"
) -> Replay:
    """Work out the replay of ``root``'s backward pass; errors name ``operation``, the public
    function that was called.

    >>> from autograd import Value
    >>> x = Value(3.0, label="x")
    >>> y = x * x; y.label = "y"
    >>> r = make_replay(y, 10, "auto")
    >>> r.steps, r.cells_at(1)
    ([1, 0], [('grad 6', 'complete'), ('grad 1', 'current')])
    """
    check_rankdir(operation, rankdir)
    model = build_model(root, max_nodes, operation, max_edges, labelled=True)
    backprop = backward_pass(model)
    steps = backprop.steps
    changes = _changes(model, backprop)
    formulas = [[(forward_caption(model), False)]] + [formula(model, backprop, i) for i in steps]
    details = [forward_detail(model)]
    details += [detail(model, backprop, i, last=k == len(steps)) for k, i in enumerate(steps, 1)]
    widths = _widths(len(model.order), changes)
    scene = _picture(model, widths)
    scene.rankdir = choose_rankdir(scene, model.parents, labelled=True) if rankdir == "auto" else rankdir
    return Replay(model, scene, steps, formulas, details, changes, widths)


def _changes(model: GraphModel, backprop: Backprop) -> list[list[Change]]:
    n = len(model.order)
    grads, terms = backprop.grads, backprop.terms
    received = [0.0] * n
    arrived = [0] * n
    frames: list[list[Change]] = [[(i, "grad ?", "pending") for i in range(n)]]
    previous = None
    for i in backprop.steps:
        changed: dict[int, tuple[str, str]] = {}
        if previous is not None:
            changed[previous] = (f"grad {fmt(grads[previous])}", "done")
        changed[i] = (f"grad {fmt(grads[i])}", "current")
        for p in model.parents[i]:
            received[p] += terms[p][arrived[p]].share
            arrived[p] += 1
            if arrived[p] < len(terms[p]):
                state = "constant" if model.roles[p] == "constant" else "partial"
                changed[p] = (f"grad {fmt(received[p])} so far", state)
            else:  # the chain rule's own sum, to the last bit, whatever order the shares came in
                changed[p] = (f"grad {fmt(grads[p])}", "constant" if model.roles[p] == "constant" else "complete")
        frames.append([(j, text, state) for j, (text, state) in changed.items()])
        previous = i
    return frames


def _widths(n: int, changes: list[list[Change]]) -> list[int]:
    longest = [0] * n
    for frame in changes:
        for i, text, _ in frame:
            longest[i] = max(longest[i], len(text))
    return [8 + 6 * chars for chars in longest]  # generous for 11 pt sans-serif: the text never decides


def _picture(model: GraphModel, widths: list[int]) -> Scene:
    scene = Scene("")
    for i, v in enumerate(model.order):
        scene.boxes.append(value_box(model, i, grad_cell(model, i, "grad ?", "pending", widths[i])))
        if v.parents:
            scene.circles.append(op_circle(model, i))
            scene.arrows.extend(op_arrows(model, i, show_local=True))
    scene.legend = replay_legend(model)
    scene.rows = reading_rows(model)
    return scene


def grad_cell(model: GraphModel, i: int, text: str, state: str, width: int) -> Cell:
    """Node ``i``'s grad cell in ``state``. Always filled, with the box's own colour if nothing else,
    so that the page's script finds a background to colour."""
    back, color, bold, italic = LOOKS[state]
    fill = back or ROLE_COLORS[model.roles[i]]
    return Cell(text, fill=fill, color=color, bold=bold, italic=italic, min_width=width)


def backprop_frames(
    root: Value, max_nodes: int = FRAMES_MAX_NODES, rankdir: str = "auto", max_edges: int | None = None
) -> list[graphviz.Digraph]:
    """Pictures of backpropagation, one per step: the frames of the replay page, each whole.

    Frame 0 shows the forward pass (values, no gradients). Then one frame per node, in the
    course's order, highlights the node of that step and the edges along which it sends gradient
    to its inputs; an input shows what it has received "so far" until every use has sent its share.
    Constants get no step: their gradients appear in grey as they arrive. Each frame's ``comment``
    (the first line of its DOT source) is its caption; see ``backprop_captions``.

    Args:
        root: the output Value.
        max_nodes: refuse graphs with more Values than this (each frame is a whole picture).
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
    (3, '∂y/∂x = ∂y/∂y · (local) ∂y/∂x + ∂y/∂y · (local) ∂y/∂x = 1 · 3 + 1 · 3 = 6')
    """
    replay = make_replay(root, max_nodes, rankdir, max_edges)
    return [to_digraph(frame_scene(replay, k)) for k in range(len(replay.captions))]


def frame_scene(replay: Replay, frame: int) -> Scene:
    """The whole picture of one frame: the replay's picture with that frame's cells and highlight."""
    model, current = replay.model, replay.current(frame)
    scene = Scene(
        replay.scene.rankdir, legend=replay.scene.legend, comment=replay.captions[frame], rows=replay.scene.rows
    )
    for i, (text, state) in enumerate(replay.cells_at(frame)):
        box = value_box(model, i, grad_cell(model, i, text, state, replay.widths[i]))
        if i == current:
            box.border, box.penwidth = HOT, HOT_BOX_WIDTH
        scene.boxes.append(box)
        if model.parents[i]:
            circle, arrows = op_circle(model, i), op_arrows(model, i, show_local=True)
            if i == current:
                circle.border, circle.penwidth = HOT, HOT_EDGE_WIDTH
                for arrow in arrows:  # colour only: bold text would be wider and move the layout
                    arrow.color, arrow.penwidth, arrow.label_color = HOT, HOT_EDGE_WIDTH, HOT
            scene.circles.append(circle)
            scene.arrows.extend(arrows)
    return scene
