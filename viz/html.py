"""The backprop replay as one self-contained HTML page: one picture, drawn by one run of ``dot``, and
for each step its caption and the changes it makes to the picture.

The page loads nothing: no network, no external script, style or font (its Content-Security-Policy
forbids them), so it works offline and can be mailed or attached to a course forum as one file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from autograd import Value
from autograd.extend import write_atomically

from .frames import HOT_BOX_WIDTH, HOT_EDGE_WIDTH, LOOKS, Replay, frame_scene, make_replay
from .names import tooltip
from .page import page
from .render import DEFAULT_TIMEOUT, PathLike, graph_size, run_dot
from .replay import REPLAY_MAX_NODES
from .scene import to_digraph
from .style import HOT

_PROLOGUE = re.compile(r"\A.*?(?=<svg\b)", re.DOTALL)  # XML declaration, DOCTYPE, generator comment
# Namespace declarations are web addresses that nothing downloads; inline in HTML, SVG needs none.
_NAMESPACES = re.compile(r'\s+xmlns(?::xlink)?="[^"]*"')
_COMMENTS = re.compile(r"<!--.*?-->\n?", re.DOTALL)
_TITLE = re.compile(r'(<g id="([^"]+)" class="(?:node|edge|graph|cluster)"[^>]*>\n)<title>[^<]*</title>')


def save_backprop_html(
    root: Value,
    path: PathLike,
    max_nodes: int = REPLAY_MAX_NODES,
    rankdir: str = "auto",
    title: str = "",
    max_edges: int | None = None,
    timeout: float = 2 * DEFAULT_TIMEOUT,
) -> Path:
    """Write the step-by-step replay of ``root``'s backward pass to one HTML file.

    The page shows the graph once, at a readable size (it scrolls, and zooms with buttons or the
    + and - keys), with the chain-rule step of each frame as a caption
    (``∂J/∂b = ∂J/∂u · (local) ∂u/∂b = 3 · 2 = 6``, the local derivative in the edges' colour). Move with the Previous/Next buttons, the slider or the
    arrow keys; the current step's nodes scroll into view. ``viz.replay`` shows the same page in Jupyter.

    Args:
        root: the output Value.
        path: the file to write (``replay.html``).
        max_nodes: refuse graphs with more Values than this.
        rankdir: the direction of the drawing, as in ``draw_dot``.
        title: the page heading; by default it names the output.
        max_edges: refuse graphs whose arrows make more segments than this for Graphviz to lay
            out, as in ``draw_dot``; by default 40 per allowed node.
        timeout: seconds to let ``dot`` draw the picture before stopping it.

    Returns:
        ``path`` as a ``Path``.

    Raises:
        GraphvizMissingError: ``dot`` is not installed; nothing is written.
        GraphTooLargeError: the graph has more than ``max_nodes`` Values, or its arrows more
            segments than ``max_edges``.
        GraphvizTimeoutError: ``dot`` took longer than ``timeout``; nothing is written.
        ValueError: ``path`` does not end in ``.html`` or ``.htm``.

    >>> import tempfile, pathlib
    >>> from autograd import Value
    >>> x = Value(3.0, label="x")
    >>> y = x * x; y.label = "y"
    >>> with tempfile.TemporaryDirectory() as d:
    ...     page = save_backprop_html(y, pathlib.Path(d) / "replay.html").read_text(encoding="utf-8")
    >>> '(local) ∂y/∂x</span> = 1 · <span class="local">3</span>' in page
    True
    """
    path = check_page_path(path, "save_backprop_html")
    operation = f"save_backprop_html to {str(path)!r}"
    text = backprop_page(root, max_nodes, rankdir, title, max_edges, timeout, operation)
    return write_page(text, path, "save_backprop_html")


def check_page_path(path: PathLike, operation: str) -> Path:
    """``path`` as a Path, if it names an HTML file; else a ValueError saying what would do."""
    path = Path(path)
    if path.suffix.lower() not in (".html", ".htm"):
        got = f"extension {path.suffix!r}" if path.suffix else "no extension"
        raise ValueError(
            f"{operation}: the replay is an HTML page, so the file must end in .html or .htm; "
            f"{str(path)!r} has {got}. To draw the graph as a picture, use viz.render."
        )
    return path


def write_page(text: str, path: Path, operation: str) -> Path:
    """Write the page whole, or leave ``path`` as it was."""
    write_atomically(path, text.encode("utf-8"), operation)
    return path


def backprop_page(
    root: Value,
    max_nodes: int = REPLAY_MAX_NODES,
    rankdir: str = "auto",
    title: str = "",
    max_edges: int | None = None,
    timeout: float = 2 * DEFAULT_TIMEOUT,
    operation: str = "backprop_page",
) -> str:
    """The page that ``save_backprop_html`` writes, as text; errors name ``operation``."""
    return replay_page(root, max_nodes, rankdir, title, max_edges, timeout, operation).text


@dataclass(frozen=True)
class ReplayPageParts:
    """A replay page and what a notebook needs to show it.

    Attributes:
        text: the page.
        picture_size: its picture's (width, height) at actual size, in CSS pixels.
        heading: its heading.
        last_frame: the DOT text of the replay's last frame, whole (its static picture).
        graph_size: the graph's (Values, arrows), for messages about ``dot``.
        captions: each frame's caption as text, and ``details`` its explanation.
        legend: the legend's texts.
    """

    text: str
    picture_size: tuple[float, float]
    heading: str
    last_frame: str
    graph_size: tuple[int, int]
    captions: list[str]
    details: list[str]
    legend: list[str]


def replay_page(
    root: Value, max_nodes: int, rankdir: str, title: str, max_edges: int | None, timeout: float, operation: str
) -> ReplayPageParts:
    """The replay page of ``root``, the size of its picture, its heading and its last frame."""
    if not isinstance(title, str):
        raise TypeError(f"{operation}: title must be a str, got {type(title).__name__} {title!r:.60}")
    replay = make_replay(root, max_nodes, rankdir, max_edges, operation.split(" ")[0])
    instead = "The replay's pictures need dot; without it, viz.backprop_captions(root) gives its steps as text."
    picture = replace(replay.scene, legend=[])  # the page shows the legend beneath the picture, in HTML
    size = graph_size(root)
    output = run_dot(to_digraph(picture).source, "svg", operation, timeout, size, instead)
    svg = inline_svg(output.decode("utf-8"), _tooltips(replay))
    heading = title or f"Backpropagation, step by step: the gradient of {replay.model.names[-1]}"
    text = page(heading, svg, replay.formulas, replay.details, replay.scene.legend, _script_data(replay))
    last_frame = to_digraph(frame_scene(replay, len(replay.formulas) - 1)).source
    return ReplayPageParts(
        text,
        (_points(svg, "width"), _points(svg, "height")),
        heading,
        last_frame,
        size,
        replay.captions,
        replay.details,
        [text for _, text in replay.scene.legend],
    )


def _points(svg: str, attribute: str) -> float:
    """The SVG's width or height in CSS pixels (dot writes points: 3/4 of a CSS pixel)."""
    match = re.search(rf'<svg\b[^>]*\s{attribute}="([\d.]+)pt"', svg)
    return float(match.group(1)) * 4 / 3 if match else 0.0


def inline_svg(svg: str, titles: dict[str, str]) -> str:
    """dot's SVG made ready to sit inside a page: no prologue, namespaces or comments, and each
    node's hover text (its SVG ``title``) taken from ``titles`` by id, instead of dot's node name."""
    svg = _COMMENTS.sub("", _PROLOGUE.sub("", svg, count=1))
    svg = _NAMESPACES.sub("", svg, count=2)

    def title(match: re.Match[str]) -> str:
        return f"{match.group(1)}<title>{titles.get(match.group(2), '')}</title>"

    return _TITLE.sub(title, svg).strip()


def _tooltips(replay: Replay) -> dict[str, str]:
    """Each Value box's hover text, XML-escaped: its name, its whole label and its number."""
    model = replay.model
    return {f"n{i}": _xml(tooltip(model.names[i], model.labels[i], v.data)) for i, v in enumerate(model.order)}


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _script_data(replay: Replay) -> dict[str, Any]:
    frames = [[-1, replay.changes[0]]]
    frames += [[i, changes] for i, changes in zip(replay.steps, replay.changes[1:])]
    return {
        "frames": frames,
        "parents": replay.model.parents,
        "looks": LOOKS,
        "hot": [HOT, HOT_BOX_WIDTH, HOT_EDGE_WIDTH],
    }
