"""``replay``: the step-by-step page of backpropagation as an object Jupyter shows in the output cell.

Notebook, JupyterLab and VS Code show an object's ``_repr_html_``. The page goes inside an
``<iframe srcdoc=...>``, sandboxed to run its own script and nothing else, so its script and styles
cannot clash with the notebook's, and it loads nothing, as the saved page does.

A notebook someone else ran is untrusted when opened: JupyterLab then shows its HTML outputs
cleaned of iframes and styles, GitHub shows no iframe at all. For them the output also holds a
picture of the replay's last step (a PNG) and one line saying to run the cell, which the
output's own style hides wherever the replay itself is shown.
"""

from __future__ import annotations

import base64
import html
import math
import struct
from pathlib import Path

from autograd import Value

from .html import ReplayPageParts, check_page_path, replay_page, write_page
from .page import KEYS, MIN_FIT_ZOOM
from .render import DEFAULT_TIMEOUT, PathLike, run_dot
from .replay import REPLAY_MAX_NODES
from .style import MIN_READABLE_SCALE

#: Widths of a notebook cell at which the room around the picture is estimated, in CSS pixels; in
#: between, the estimate is the higher of the two lines through these.
NARROW, MIDDLE, WIDE = 600, 750, 1200
#: The picture's area is as tall as the picture, fitted to the cell's width, up to this many CSS
#: pixels; a taller picture scrolls inside.
MAX_PICTURE_HEIGHT = 560
#: Around the picture: its margins, and the iframe's border.
PICTURE_MARGIN, BORDER = 16, 1
#: What the static picture says.
RUN_TO_STEP = "The last step of the replay. Run this cell to step through backpropagation one node at a time."


class ReplayPage:
    """The replay page of one graph: Jupyter shows it inline, ``save`` writes it to a file.

    Attributes:
        html: the page, a self-contained HTML document.
        height: its height in a notebook, in CSS pixels, where the cell's width is not known:
            room for its picture at actual size (up to ``MAX_PICTURE_HEIGHT``) and the controls.
        title: the page's heading.
    """

    def __init__(self, parts: ReplayPageParts, timeout: float) -> None:
        self.html = parts.text
        self.title = parts.heading
        self._parts = parts
        self._timeout = timeout
        self._png: bytes | None = None
        self.height = int(chrome_height(parts, 900) + PICTURE_MARGIN + min(MAX_PICTURE_HEIGHT, parts.picture_size[1]))

    def _frame_style(self) -> str:
        """The iframe's size: as wide as the cell, and as tall as the controls and the picture
        fitted to that width (never below ``MIN_FIT_ZOOM``, never above actual size or
        ``MAX_PICTURE_HEIGHT``). ``cqw`` is a hundredth of the cell's width; a browser without
        it keeps the first height."""
        width, height = self._parts.picture_size
        highest = min(height, MAX_PICTURE_HEIGHT)
        lowest = min(height * MIN_FIT_ZOOM, highest)
        ratio = height / width if width else 0.0
        fitted = f"(100cqw - {PICTURE_MARGIN + 2 * BORDER}px) * {ratio:.5f}"
        narrow, middle, wide = (chrome_height(self._parts, w) for w in (NARROW, MIDDLE, WIDE))
        first = f"{narrow:.0f}px + (100cqw - {NARROW}px) * {(middle - narrow) / (MIDDLE - NARROW):.4f}"
        second = f"{middle:.0f}px + (100cqw - {MIDDLE}px) * {(wide - middle) / (WIDE - MIDDLE):.4f}"
        chrome = f"clamp({wide:.0f}px, max({first}, {second}), {narrow:.0f}px)"
        return (
            f"width: 100%; height: {self.height}px; "
            f"height: calc({chrome} + {PICTURE_MARGIN}px + clamp({lowest:.0f}px, {fitted}, {highest:.0f}px)); "
            f"border: {BORDER}px solid #dee2e6; border-radius: 4px; box-sizing: border-box; display: block;"
        )

    def _repr_html_(self) -> str:
        """The page in a sandboxed iframe sized to the cell, and the static picture for where it is not shown."""
        picture = base64.b64encode(self._repr_png_()).decode("ascii")
        title = html.escape(self.title, quote=True)
        return (
            '<div class="chainrule-replay" style="container-type: inline-size;">'
            "<style>.chainrule-replay-static { display: none; }</style>"
            f'<iframe srcdoc="{html.escape(self.html, quote=True)}" sandbox="allow-scripts" '
            f'title="{title}" style="{self._frame_style()}"></iframe>'
            '<div class="chainrule-replay-static">'
            f'<img src="data:image/png;base64,{picture}" alt="{title}: the last step" {self._still_size()}>'
            f"<p>{html.escape(RUN_TO_STEP)}</p></div></div>"
        )

    def _still_size(self) -> str:
        """The static picture's size attributes: as wide as the cell, up to its own size, but no
        narrower than ``MIN_READABLE_SCALE`` of it (the cell scrolls instead), as the replay does."""
        width, height = struct.unpack(">II", self._repr_png_()[16:24])  # the PNG's header: dot draws 96 px an inch
        style = f"max-width: 100%; min-width: {width * MIN_READABLE_SCALE:.0f}px; height: auto;"
        return f'width="{width}" height="{height}" style="{style}"'

    def _repr_png_(self) -> bytes:
        """The replay's last step as a picture, for viewers that show no HTML."""
        if self._png is None:
            parts = self._parts
            self._png = run_dot(parts.last_frame, "png", "replay", self._timeout, parts.graph_size)
        return self._png

    def save(self, path: PathLike) -> Path:
        """Write the page to ``path`` (``.html`` or ``.htm``), whole or not at all, as ``save_backprop_html`` does."""
        path = check_page_path(path, "ReplayPage.save")
        return write_page(self.html, path, "ReplayPage.save")

    def __repr__(self) -> str:
        return (
            f"<ReplayPage {self.title!r}: {len(self.html):,} characters; "
            "run the cell in Jupyter to step through it, save(path) writes it>"
        )


#: The width of a character, as a multiple of its font size: generous (DejaVu Sans, a wide default
#: font), so that the estimate below errs toward room to spare rather than a picture cut short.
CHAR_WIDTH = 0.56
#: The width the page's controls take on one line, in CSS pixels.
CONTROLS_WIDTH = 720


def chrome_height(parts: ReplayPageParts, width: float) -> float:
    """An estimate of the room the page takes around its picture in a frame ``width`` CSS pixels
    wide: the heading, the controls and the tallest caption above, the legend and the keys below.
    The sizes are those of ``page.STYLE`` (a rem is 16 pixels)."""
    line = width - 2 * BORDER - 32  # the header's and the footer's padding
    controls = 36 if line >= CONTROLS_WIDTH else 72  # on one line, or wrapped onto two
    header = 16 + _lines(parts.heading, 18.4, line) * 22 + 6 + controls
    tallest = max(
        _lines(c, 19.2, line) * 23 + 13 + _lines(d, 16, line) * 19 for c, d in zip(parts.captions, parts.details)
    )
    rows, used = 1, 0.0
    for text in parts.legend:  # the legend's entries wrap as words do
        entry = len(text) * CHAR_WIDTH * 12.8 + 40
        if used and used + entry > line:
            rows, used = rows + 1, 0.0
        used += entry
    footer = 11 + rows * 18 + 4 + _lines(KEYS, 12.8, line) * 16
    return header + max(tallest, 84) + footer


def _lines(text: str, font_size: float, width: float) -> int:
    return max(1, math.ceil(len(text) * CHAR_WIDTH * font_size / width))


def replay(
    root: Value,
    max_nodes: int = REPLAY_MAX_NODES,
    rankdir: str = "auto",
    title: str = "",
    max_edges: int | None = None,
    timeout: float = 2 * DEFAULT_TIMEOUT,
) -> ReplayPage:
    """The step-by-step replay of ``root``'s backward pass, shown inline by Jupyter.

    The same page as ``save_backprop_html`` writes (see there for the arguments and errors):
    ``viz.replay(J)`` as the last line of a cell shows it, ``viz.replay(J).save("replay.html")``
    writes it. Where a notebook's HTML is not shown (an untrusted notebook in JupyterLab, GitHub),
    the output shows a picture of the last step and says to run the cell.

    >>> from autograd import Value
    >>> x = Value(3.0, label="x")
    >>> y = x * x; y.label = "y"
    >>> page = replay(y)
    >>> '<iframe srcdoc="&lt;!DOCTYPE html&gt;' in page._repr_html_(), "://" in page.html
    (True, False)
    >>> page._repr_png_()[:4]
    b'\\x89PNG'
    """
    return ReplayPage(replay_page(root, max_nodes, rankdir, title, max_edges, timeout, "replay"), timeout)
