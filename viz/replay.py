"""Backpropagation replayed one node at a time, as the course does it: right to left, by the chain rule.

The gradients here are computed from the engine's derivative table alone, in reverse reading order;
no ``.grad`` is read or written, so a replay never disturbs the user's graph. This module holds the
chain rule and what each step says, in numbers and in words; ``frames.py`` draws the steps.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from autograd import Value

from .draw import legend_rows, op_text
from .model import GraphModel, build_model
from .style import CURRENT_FILL, PARTIAL_FILL, fmt, fmt_factor, partial_of, shorten

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

    Each step completes one gradient, right to left. Constants (the numbers written in the
    expression) get no step of their own: nobody differentiates with respect to a 3.

    >>> from autograd import Value
    >>> a, b, c = Value(5.0, label="a"), Value(3.0, label="b"), Value(2.0, label="c")
    >>> u = b * c; u.label = "u"
    >>> v = a + u; v.label = "v"
    >>> J = 3 * v; J.label = "J"
    >>> backprop_captions(J)[5]
    '∂J/∂b = ∂J/∂u · ∂u/∂b = 3 · 2 = 6'
    """
    model = build_model(root, max_nodes, "backprop_captions", labelled=True)
    grads, terms = chain_rule(model)
    return [forward_caption(model)] + [caption(model, grads, terms, i) for i in backprop_steps(model)]


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


def backprop_steps(model: GraphModel) -> list[int]:
    """The node each step completes, in order: right to left, every node but the constants."""
    return [i for i in reversed(range(len(model.order))) if model.roles[i] != "constant"]


def forward_caption(model: GraphModel) -> str:
    root = len(model.order) - 1
    return f"Forward pass: {model.names[root]} = {fmt(model.order[root].data)}"


def forward_detail(model: GraphModel) -> str:
    return (
        "Each value is computed from its inputs, in the direction of the arrows. No gradient is known "
        "yet; backpropagation will now compute them against the arrows, from the output back."
    )


def caption(model: GraphModel, grads: list[float], terms: list[list[Term]], i: int) -> str:
    """``∂J/∂b = ∂J/∂u · ∂u/∂b = 3 · 2 = 6``: the step that completes node ``i``'s gradient."""
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


def detail(model: GraphModel, grads: list[float], i: int, last: bool) -> str:
    """The step that completes node ``i``, in words: where its gradient comes from and goes to."""
    name, role = model.names[i], model.roles[i]
    text = f"{name} stands for {shorten(model.labels[i], 120)}. " if model.auto_named[i] and model.labels[i] else ""
    if i == len(model.order) - 1:
        text += "Backpropagation starts at the output: its derivative with respect to itself is 1."
    else:
        text += _paths_sentence(model, i)
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


def replay_legend(model: GraphModel) -> list[tuple[str, str]]:
    """The legend of the replay's picture: the graph's, and what the grad cells' colours mean."""
    rows = legend_rows(model, show_local=True, color_by_grad=False)
    rows += [(PARTIAL_FILL, "gradient received so far"), (CURRENT_FILL, "gradient completed in this step")]
    if "constant" in model.roles:
        rows.append(("", "grey: a constant's gradient (no step)"))
    return rows
