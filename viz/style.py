"""How a drawing looks: colours, number formatting and escaping of user text.

Colour carries meaning, so every picture of chainrule reads the same way: a learner's inputs are
blue, a model's parameters orange, plain numbers grey, the output green.
"""

from __future__ import annotations

import html
import math
import re

#: Fill colour of a Value node by its role in the graph.
ROLE_COLORS: dict[str, str] = {
    "input": "#cfe2ff",  # a labelled leaf: what the user differentiates with respect to
    "parameter": "#ffd8a8",  # a Parameter: a weight or bias that a model trains
    "constant": "#eeeeee",  # an unlabelled leaf, like the 3 in 3 * v
    "computed": "#ffffff",  # the result of an operation
    "output": "#b2f2bb",  # the root: the value being differentiated
}
ROLE_NAMES: dict[str, str] = {
    "input": "input (labelled leaf)",
    "parameter": "parameter (trained weight)",
    "constant": "constant (unlabelled leaf)",
    "computed": "intermediate value",
    "output": "output",
}
OP_FILL = "#f1f3f5"
BORDER = "#495057"
LOCAL_COLOR = "#c2255c"  # edge labels: local derivatives ∂out/∂in
HOT = "#e8590c"  # the replay's current node and the edges its gradient flows along
PARTIAL_FILL = "#fff3bf"  # the replay: a gradient received so far, before its own step completes it
COMPLETE_FILL = "#ffe8cc"  # the replay: a complete gradient, whose own step has not come yet
CURRENT_FILL = "#ffc078"  # the replay: the gradient of this step's node
PENDING_TEXT = "#adb5bd"  # the replay: a gradient not known yet
CONSTANT_TEXT = "#868e96"  # the replay: a constant's gradient, which gets no step of its own
FONT = "Helvetica,Arial,sans-serif"
#: The smallest scale at which a picture is shown to fit its cell: node text, 11 pt (14.7 CSS pixels)
#: at full size, stays 10 CSS pixels or more. A cell too narrow for that scrolls instead.
MIN_READABLE_SCALE = 0.7
# No markup can show these; XML forbids most, and lone surrogates cannot even be written as UTF-8.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff\ufffe\uffff]")

#: How ops are written in node circles; ops not listed (tanh, exp, user ops, ...) show their name.
OP_SYMBOLS: dict[str, str] = {"*": "×", "/": "÷", "-": "−", "sum": "Σ"}

#: The |grad| scale of ``color_by_grad``, from vanishing to exploding: (upper bound, colour, meaning).
GRAD_SCALE: tuple[tuple[float, str, str], ...] = (
    (1e-6, "#748ffc", "|grad| < 1e-6 (vanishing)"),
    (1e-3, "#bac8ff", "|grad| < 1e-3"),
    (1e-1, "#e7ecff", "|grad| < 0.1"),
    (1e1, "#ffffff", "0.1 ≤ |grad| < 10"),
    (1e3, "#ffe3e3", "|grad| < 1e3"),
    (1e6, "#ffa8a8", "|grad| < 1e6"),
    (math.inf, "#ff6b6b", "|grad| ≥ 1e6 (exploding)"),
)


def fmt(x: float) -> str:
    """A number in at most 4 significant digits, with a short exponent.

    >>> [fmt(33.0), fmt(-0.5), fmt(2 / 3), fmt(12345.0), fmt(1e-7), fmt(-0.0), fmt(float("nan"))]
    ['33', '-0.5', '0.6667', '1.234e4', '1e-7', '0', 'undefined']
    """
    if x == 0:
        return "0"  # also turns -0.0 into 0
    if math.isnan(x):
        return "undefined"  # as the engine uses nan: a derivative that does not exist
    text = format(x, ".4g")
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}e{int(exponent)}"
    return text


def fmt_factor(x: float) -> str:
    """A number as a factor in a product: negatives in parentheses.

    >>> fmt_factor(3.0), fmt_factor(-2.0)
    ('3', '(-2)')
    """
    text = fmt(x)
    return f"({text})" if text.startswith("-") else text


def grad_color(g: float) -> str:
    """The ``color_by_grad`` fill for a gradient ``g``: blue when vanishing, red when exploding.

    >>> grad_color(1.0), grad_color(1e-9), grad_color(float("nan"))
    ('#ffffff', '#748ffc', '#ff6b6b')
    """
    size = abs(g)
    if math.isnan(size):
        return GRAD_SCALE[-1][1]
    for bound, color, _ in GRAD_SCALE:
        if size < bound:
            return color
    return GRAD_SCALE[-1][1]


def partial_of(name: str) -> str:
    """``∂name``, with parentheses around anything but a plain name or number: ``∂(a + b*c)`` and
    ``∂(-2)`` (never ``∂-2``, which reads as a subtraction), but ``∂a``, ``∂w.0`` and ``∂3``.

    >>> partial_of("u"), partial_of("a + b*c"), partial_of("-2.5")
    ('∂u', '∂(a + b*c)', '∂(-2.5)')
    """
    return f"∂{name}" if _SIMPLE_NAME.fullmatch(name) else f"∂({name})"


_SIMPLE_NAME = re.compile(r"[\w.]+|[\d.]+(e[-+]?\d+)?")


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, an ellipsis marking the cut.

    >>> shorten("a_very_long_input_name", 10), shorten("x", 10)
    ('a_very_lo…', 'x')
    """
    return text if len(text) <= limit else text[: limit - 1] + "…"


def escape(text: str) -> str:
    r"""User text made literal inside a Graphviz HTML-like label.

    Graphviz reads ``<``, ``>``, ``&`` and ``"`` as markup, and expands backslash sequences even
    in HTML-like labels (``\N`` is the node's name): those four are escaped and backslashes doubled.
    Ordinary labels would also need ``{`` and ``|`` escaped; HTML-like ones show them literally.

    >>> escape('<b>{x|y}" C:\\Net')
    '&lt;b&gt;{x|y}&quot; C:\\\\Net'
    """
    return html.escape(printable(text), quote=True).replace("\\", "\\\\").replace("\n", "<BR/>")


def escape_tooltip(text: str) -> str:
    r"""User text made literal in a tooltip, a quoted DOT string: entities, and backslashes that
    survive both the quoting and the expansion of sequences like ``\N`` (so four for one).

    >>> escape_tooltip('a<b\\N')
    'a&lt;b\\\\\\\\N'
    """
    return html.escape(printable(text), quote=True).replace("\\", "\\\\\\\\")


def printable(text: str) -> str:
    r"""``text`` with what no page or picture can show (control characters, lone surrogates,
    noncharacters) replaced by U+FFFD, and tabs by spaces; line breaks stay.

    >>> printable("a\x00b\tc\ud800") == "a\ufffdb c\ufffd"
    True
    """
    return _CONTROL.sub("\ufffd", text.replace("\t", " "))
