"""Backpropagation replayed one node at a time, as the course does it: right to left, by the chain rule.

The gradients here are computed from the engine's derivative table alone, in reverse reading order;
no ``.grad`` is read or written, so a replay never disturbs the user's graph. This module holds the
chain rule and what each step says, in numbers and in words; ``frames.py`` draws the steps.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

from autograd import Value

from .draw import legend_rows, op_text
from .model import GraphModel, build_model
from .shortcut import Shortcut, sigmoid_cross_entropy
from .style import COMPLETE_FILL, CURRENT_FILL, PARTIAL_FILL, fmt, fmt_factor, partial_of, shorten

#: The default ``max_nodes`` of the replay page and its captions: like ``draw_dot``'s picture, they
#: grow with the graph.
REPLAY_MAX_NODES = 500


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


def backprop_captions(root: Value, max_nodes: int = REPLAY_MAX_NODES) -> list[str]:
    """The chain-rule step of each frame of the replay, with numbers; the first is the forward pass.

    Each step completes one gradient, in the course's order (``backprop_steps``). Constants (the
    numbers written in the expression) get no step of their own: nobody differentiates with
    respect to a 3. The local derivative in each product is marked ``(local)``, as it is written
    on the edges of the picture.

    >>> from autograd import Value
    >>> a, b, c = Value(5.0, label="a"), Value(3.0, label="b"), Value(2.0, label="c")
    >>> u = b * c; u.label = "u"
    >>> v = a + u; v.label = "v"
    >>> J = 3 * v; J.label = "J"
    >>> backprop_captions(J)[3]
    '∂J/∂a = ∂J/∂v · (local) ∂v/∂a = 3 · 1 = 3'
    """
    model = build_model(root, max_nodes, "backprop_captions", labelled=True)
    backprop = backward_pass(model)
    return [forward_caption(model)] + [plain(formula(model, backprop, i)) for i in backprop.steps]


@dataclass(frozen=True)
class Backprop:
    """What the replay shows of one backward pass.

    Attributes:
        grads: every node's gradient ``∂root/∂node`` (``chain_rule``).
        terms: for each node, the products its gradient is the sum of, in the order they arrive.
        steps: the node each step completes (``backprop_steps``).
        shortcuts: the course's ``dz = a − y``, by the node ``z`` whose step says it.
    """

    grads: list[float]
    terms: list[list[Term]]
    steps: list[int]
    shortcuts: dict[int, Shortcut]


def backward_pass(model: GraphModel) -> Backprop:
    """The gradients, their terms in order of arrival, the steps and the shortcuts of ``model``."""
    grads, terms = chain_rule(model)
    steps = backprop_steps(model)
    rank = {node: k for k, node in enumerate(steps)}
    arrived = [sorted(ts, key=lambda t: rank[t.consumer]) for ts in terms]  # stable: x * x keeps its order
    return Backprop(grads, arrived, steps, sigmoid_cross_entropy(model, grads))


def chain_rule(model: GraphModel) -> tuple[list[float], list[list[Term]]]:
    """Every node's gradient ``∂root/∂node`` and the terms it is the sum of, computed from the table.

    The terms are added in reverse reading order, as the engine's ``backward`` adds them, so the
    numbers are the engine's to the last bit. As there, a node whose gradient is 0 passes nothing
    back, even where its local derivative is undefined (``sqrt`` at 0 behind a dead ``relu``).
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


def backprop_steps(model: GraphModel) -> list[int]:
    """The node each step completes, in the course's order; constants get no step.

    A gradient is complete as soon as every use of the node has sent its share back, and the
    node's step comes then: an input's at once (it has nothing to send on), an operation's result
    in the order the gradients were completed. For J = 3(a + bc): J, v, a, u, b, c.
    """
    n = len(model.order)
    waiting = [0] * n  # uses that have not sent their share yet
    for ps in model.parents:
        for p in ps:
            waiting[p] += 1
    leaves: deque[int] = deque()
    results: deque[int] = deque([n - 1])
    steps = []
    while leaves or results:
        i = leaves.popleft() if leaves else results.popleft()
        if model.roles[i] != "constant":
            steps.append(i)
        for p in dict.fromkeys(model.parents[i]):
            waiting[p] -= model.parents[i].count(p)
            if waiting[p] == 0:
                (results if model.parents[p] else leaves).append(p)
    return steps


def forward_caption(model: GraphModel) -> str:
    root = len(model.order) - 1
    return f"Forward pass: {model.names[root]} = {fmt(model.order[root].data)}"


def forward_detail(model: GraphModel) -> str:
    return (
        "Each value is computed from its inputs, in the direction of the arrows. No gradient is known "
        "yet; backpropagation will now compute them against the arrows, from the output back."
    )


#: A piece of a caption: its text, and whether it is a local derivative (drawn as on the edges).
Piece = tuple[str, bool]


def plain(pieces: list[Piece]) -> str:
    """A caption's pieces as one line of text."""
    return "".join(text for text, _ in pieces)


def formula(model: GraphModel, backprop: Backprop, i: int) -> list[Piece]:
    """``∂J/∂b = ∂J/∂u · (local) ∂u/∂b = 3 · 2 = 6``: the step that completes node ``i``, in pieces.

    The total gradient arriving from each use is written ``∂J/∂u``; the local derivative it is
    multiplied by is marked ``(local)`` and is the piece drawn in the edges' colour, as are its numbers.
    """
    out = partial_of(model.names[-1])
    name = partial_of(model.names[i])
    if i == len(model.order) - 1:
        return [(f"{out}/{out} = 1", False)]
    terms = backprop.terms[i]
    pieces: list[Piece] = [(f"{out}/{name} = ", False)]
    for k, t in enumerate(terms):
        user = partial_of(model.names[t.consumer])
        pieces += [(" + " if k else "", False), (f"{out}/{user} · ", False), (f"(local) {user}/{name}", True)]
    pieces.append((" = ", False))
    for k, t in enumerate(terms):
        pieces += [(" + " if k else "", False), *_term_numbers(t)]
    pieces.append((f" = {_number(backprop.grads[i])}", False))
    shortcut = backprop.shortcuts.get(i)
    if shortcut is not None:
        a, y = model.order[shortcut.a].data, shortcut.y
        pieces.append(
            (
                f", which simplifies to d{name[1:]} = {model.names[shortcut.a]} − {_y_name(model, shortcut)}"
                f" = {fmt(a)} − {fmt_factor(y)} = {fmt(a - y)}",
                False,
            )
        )
    return [piece for piece in pieces if piece[0]]


def _y_name(model: GraphModel, shortcut: Shortcut) -> str:
    y = shortcut.y_node
    return model.names[y] if y is not None and model.roles[y] != "constant" else "y"


def _term_numbers(t: Term) -> list[Piece]:
    """``3 · 2``; ``0 · (not needed)`` where a zero gradient meets an undefined local derivative."""
    if t.consumer_grad == 0 and not math.isfinite(t.local):
        return [("0 · ", False), ("(not needed)", True)]
    return [(f"{fmt_factor(t.consumer_grad)} · ", False), (_number(t.local, factor=True), True)]


def _number(x: float, factor: bool = False) -> str:
    if math.isnan(x):
        return "undefined"
    return fmt_factor(x) if factor else fmt(x)


def detail(model: GraphModel, backprop: Backprop, i: int, last: bool) -> str:
    """The step that completes node ``i``, in words: where its gradient comes from and goes to."""
    grads = backprop.grads
    name, role = model.names[i], model.roles[i]
    text = f"{name} stands for {shorten(model.labels[i], 120)}. " if model.auto_named[i] and model.labels[i] else ""
    if i == len(model.order) - 1:
        text += "Backpropagation starts at the output: its derivative with respect to itself is 1."
    else:
        text += _paths_sentence(model, i)
    shortcut = backprop.shortcuts.get(i)
    if shortcut is not None:
        a, y = model.names[shortcut.a], _y_name(model, shortcut)
        text += (
            f" {a} is the sigmoid of {name} and the loss is the cross-entropy, so the product always"
            f" simplifies: {partial_of(model.names[-1])}/{partial_of(a)} = ({a} − {y})/({a}(1 − {a})) and the"
            f" local derivative is {a}(1 − {a}), which leaves the course's d{partial_of(name)[1:]} = {a} − {y}."
        )
    if model.parents[i]:
        inputs = list(dict.fromkeys(model.names[p] for p in model.parents[i]))
        if grads[i] == 0:
            text += (
                f" Its gradient is 0, so it passes nothing back to {', '.join(inputs)}: every product would be 0,"
                " and backward() does not even compute its local derivatives."
            )
        else:
            text += (
                f" Now {name} sends its gradient back through {op_text(model, i)} to {', '.join(inputs)}"
                f" (orange edges).{_completes(model, backprop, i)}"
            )
    elif role == "parameter":
        text += f" {name} is a parameter: gradient descent moves it by −learning_rate × {fmt(grads[i])}."
    else:
        text += f" {name} is an input, so its gradient is final."
    if last:
        text += " Every gradient is now known."
    return text


def _completes(model: GraphModel, backprop: Backprop, i: int) -> str:
    """Which of ``i``'s inputs this step completes, and which still wait for other uses."""
    done: list[str] = []
    waiting: list[str] = []
    for p in dict.fromkeys(model.parents[i]):
        if model.roles[p] == "constant":
            continue
        last_use = backprop.terms[p][-1].consumer == i
        (done if last_use else waiting).append(model.names[p])
    text = ""
    if done:
        gradients = "the gradient of" if len(done) == 1 else "the gradients of"
        text += f" That completes {gradients} {', '.join(done)}: every use has sent its share."
    if waiting:
        text += f' {", ".join(waiting)} still wait{"s" if len(waiting) == 1 else ""} for other uses ("so far").'
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


def replay_legend(model: GraphModel) -> list[tuple[str, str]]:
    """The legend of the replay's picture: the graph's, and what the grad cells' colours mean."""
    rows = legend_rows(model, show_local=True, color_by_grad=False)
    rows += [
        (PARTIAL_FILL, "gradient received so far"),
        (COMPLETE_FILL, "gradient complete: every use has sent its share"),
        (CURRENT_FILL, "this step's gradient"),
    ]
    if "constant" in model.roles:
        rows.append(("", "grey: a constant's gradient (no step)"))
    return rows
