"""The names a drawing gives its nodes: short enough to read in a box, on an edge and in a caption.

A learner's short labels are kept. A computed node that carries a whole subexpression as its label
(the parser labels ``y*log(sigmoid(w*x + b))`` that way) is drawn with a short name made of its
operation and a counter, ``mul2`` or ``log1``; a long input label is cut with an ellipsis. The full
label goes in the tooltip. Edge labels and the replay's captions use the same names, so the picture
and the text always agree.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from autograd import Value

from .style import fmt, printable, shorten

#: A computed node's label longer than this is replaced by a short name (its op and a counter).
MAX_COMPUTED_NAME = 16
#: No name is longer than this: longer input labels are cut with an ellipsis.
MAX_NAME = 30
#: Tooltips show labels up to this length (Graphviz refuses attributes of some ten thousand characters).
MAX_TOOLTIP = 1000
#: How operations are named in short names; other ops (``log``, ``sigmoid``, ``dot``, ...) use their own name.
OP_WORDS = {"+": "add", "-": "sub", "*": "mul", "/": "div", "**": "pow"}
_WORD = re.compile(r"[A-Za-z_]\w{0,11}")


@dataclass(frozen=True)
class Names:
    """What each node is called; lists indexed like the drawing's order of nodes.

    Attributes:
        shown: the name in the box, on the edges and in the captions.
        made_up: whether a computed node's ``shown`` name was made up here rather than being its
            own label (drawn in grey italics; the tooltip gives the label).
        full: the whole label for the tooltip (cut at ``MAX_TOOLTIP``); ``""`` for none.
    """

    shown: list[str]
    made_up: list[bool]
    full: list[str]


def node_names(order: list[Value], roles: list[str]) -> Names:
    """The names of the nodes of ``order`` (each after its parents), whose roles are ``roles``.

    - a constant is its number: ``3``;
    - a labelled input or parameter keeps its label, cut to ``MAX_NAME`` characters;
    - a computed node keeps a label of at most ``MAX_COMPUTED_NAME`` characters that no other node
      has; any other is named by its op and a counter in reading order (``log1``, ``log2``, ``mul1``):
      an expression that computes ``sigmoid(w*x + b)`` twice has two such nodes, and a caption must
      say which one it means;
    - an unlabelled computed node or parameter is ``n`` and its position: ``n7``.

    >>> from autograd import Value
    >>> w, x = Value(0.5, label="w"), Value(2.0, label="x")
    >>> z = (w * x).log(); z.label = "log(w*x + a_long_label)"
    >>> node_names([w, x, z], ["input", "input", "output"]).shown
    ['w', 'x', 'log1']
    """
    labels = Counter(printable(v.label) for v in order)
    counters: dict[str, int] = {}
    shown, made_up, full = [], [], []
    for i, (v, role) in enumerate(zip(order, roles)):
        label = printable(v.label)
        full.append(shorten(label, MAX_TOOLTIP))
        if role == "constant":
            name = fmt(v.data)
        elif not label:
            name = f"n{i}"
        elif v.parents and (len(label) > MAX_COMPUTED_NAME or labels[label] > 1):
            name = _next_short_name(v.op, counters, labels)
        else:
            name = shorten(label, MAX_NAME)
        shown.append(name)
        made_up.append(bool(v.parents) and name != label)
    return Names(shown, made_up, full)


def _next_short_name(op: str, counters: dict[str, int], taken: Counter[str]) -> str:
    """``log1``, then ``log2``, ...: skipping any that is some node's own label."""
    word = OP_WORDS.get(op) or (op if _WORD.fullmatch(op) else "op")
    while True:
        counters[word] = counters.get(word, 0) + 1
        name = f"{word}{counters[word]}"
        if name not in taken:
            return name


def tooltip(name: str, label: str, data: float) -> str:
    """What hovering over a node shows: its whole label when the name is not it, and its number.

    >>> tooltip("log1", "log(sigmoid(z))", -0.5), tooltip("x", "x", 2.0)
    ('log1 = log(sigmoid(z)): data = -0.5', 'x: data = 2.0')
    """
    title = f"{name} = {label}" if label and name != label else name
    return f"{title}: data = {data!r}"
