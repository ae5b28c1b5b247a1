"""``replay``: the step-by-step page of backpropagation as an object Jupyter shows in the output cell.

Notebook, JupyterLab and VS Code show an object's ``_repr_html_``. The page goes inside an
``<iframe srcdoc=...>``, sandboxed to run its own script and nothing else, so its script and styles
cannot clash with the notebook's, and it loads nothing, as the saved page does.
"""

from __future__ import annotations

import html
from pathlib import Path

from autograd import Value

from .html import check_page_path, replay_page, write_page
from .render import DEFAULT_TIMEOUT, PathLike
from .replay import REPLAY_MAX_NODES

#: The room the page needs above its picture (heading, controls, caption), in CSS pixels.
HEADER_HEIGHT = 250
#: The inline page's height stays within these, in CSS pixels; the picture scrolls inside.
MIN_HEIGHT, MAX_HEIGHT = 380, 760


class ReplayPage:
    """The replay page of one graph: Jupyter shows it inline, ``save`` writes it to a file.

    Attributes:
        html: the page, a self-contained HTML document.
        height: the height it is shown at in a notebook, in CSS pixels.
    """

    def __init__(self, page: str, picture_height: float, title: str) -> None:
        self.html = page
        self.height = int(min(MAX_HEIGHT, max(MIN_HEIGHT, picture_height + HEADER_HEIGHT)))
        self.title = title

    def _repr_html_(self) -> str:
        """The page in a sandboxed iframe as tall as it needs (up to ``MAX_HEIGHT``) and as wide as the cell."""
        return (
            f'<iframe srcdoc="{html.escape(self.html, quote=True)}" sandbox="allow-scripts" '
            f'title="{html.escape(self.title, quote=True)}" '
            f'style="width: 100%; height: {self.height}px; border: 1px solid #dee2e6; border-radius: 4px;"></iframe>'
        )

    def save(self, path: PathLike) -> Path:
        """Write the page to ``path`` (``.html`` or ``.htm``), whole or not at all, as ``save_backprop_html`` does."""
        path = check_page_path(path, "ReplayPage.save")
        return write_page(self.html, path, "ReplayPage.save")

    def __repr__(self) -> str:
        return f"<ReplayPage {self.title!r}: {len(self.html):,} characters; save(path) writes it>"


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
    writes it.

    >>> from autograd import Value
    >>> x = Value(3.0, label="x")
    >>> y = x * x; y.label = "y"
    >>> page = replay(y)
    >>> page._repr_html_().startswith('<iframe srcdoc="&lt;!DOCTYPE html&gt;'), "://" in page.html
    (True, False)
    """
    text, picture_height, heading = replay_page(root, max_nodes, rankdir, title, max_edges, timeout, "replay")
    return ReplayPage(text, picture_height, heading)
