"""Writing pictures to files: the format follows the extension, and a failure leaves no file behind."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any, Union

from autograd import Value
from autograd.extend import topological_order, write_atomically

from .draw import draw_dot
from .errors import GraphvizMissingError, GraphvizTimeoutError

PathLike = Union[str, "os.PathLike[str]"]

#: File extension -> Graphviz output format.
FORMATS: dict[str, str] = {".dot": "dot", ".pdf": "pdf", ".png": "png", ".svg": "svg"}
PNG_DPI = "144"  # Graphviz's default 72 dpi makes blurry text on today's screens
#: Seconds that ``dot`` may take before it is stopped: a graph within the size limits takes a few.
DEFAULT_TIMEOUT = 60.0
MAX_TIMEOUT = 86400.0  # a day; beyond it the operating system's timers overflow (inf does)


def render(root: Value, path: PathLike, timeout: float = DEFAULT_TIMEOUT, **options: Any) -> Path:
    """Draw the graph under ``root`` into ``path``; the format follows its extension.

    Args:
        root: the output Value.
        path: where to write: ``.svg``, ``.png``, ``.pdf`` (these need Graphviz's ``dot``
            program) or ``.dot`` (the DOT text, needs nothing).
        timeout: seconds to let ``dot`` lay the graph out before stopping it.
        **options: passed to ``draw_dot`` (``show_local=True``, ``rankdir="TB"``, ...).

    Returns:
        ``path`` as a ``Path``.

    Raises:
        ValueError: the extension is not one of the four.
        GraphvizMissingError: ``dot`` is not installed; nothing is written.
        GraphTooLargeError: the graph has more Values than ``max_nodes``, or its arrows more
            segments than ``max_edges``.
        GraphvizTimeoutError: ``dot`` took longer than ``timeout``; nothing is written.

    >>> import tempfile, pathlib
    >>> from autograd import Value
    >>> x = Value(3.0, label="x")
    >>> with tempfile.TemporaryDirectory() as d:
    ...     out = render(x * x, pathlib.Path(d) / "square.dot")
    ...     "data 9" in out.read_text()
    True
    """
    path = Path(path)
    data = render_data(root, output_format(path, "render"), f"render to {str(path)!r}", timeout, **options)
    write_atomically(path, data, "render")
    return path


def render_data(
    root: Value, fmt: str, operation: str = "render", timeout: float = DEFAULT_TIMEOUT, **options: Any
) -> bytes:
    """The picture of the graph under ``root`` in the Graphviz format ``fmt``, as bytes (see ``render``).

    >>> from autograd import Value
    >>> render_data(Value(2.0, label="x"), "dot").startswith(b"digraph")
    True
    """
    graph = draw_dot(root, **options)
    if fmt == "png":
        graph.attr(dpi=PNG_DPI)
    if fmt == "dot":
        return graph.source.encode("utf-8")
    return run_dot(graph.source, fmt, operation, timeout, graph_size(root))


def output_format(path: Path, operation: str) -> str:
    """The Graphviz format named by ``path``'s extension, or a ``ValueError`` listing the valid ones.

    >>> output_format(Path("J.SVG"), "render")
    'svg'
    """
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        valid = ", ".join(FORMATS)
        got = f"from its extension {path.suffix!r}" if path.suffix else "without an extension"
        raise ValueError(f"{operation}: cannot tell the format of {str(path)!r} {got}; use one of {valid}")
    return fmt


def run_dot(
    source: str, fmt: str, operation: str, timeout: float, size: tuple[int, int], instead: str | None = None
) -> bytes:
    """Run Graphviz's ``dot`` on DOT text (one or several graphs) and return its output.

    Args:
        source: the DOT text.
        fmt: the output format (``svg``, ``png``, ``pdf``).
        operation: what error messages start with, naming the user's file.
        timeout: seconds before ``dot`` is stopped.
        size: the graph's (Values, arrows), for the message if it times out.
        instead: what to do without Graphviz, for the message if ``dot`` is missing.

    Raises:
        GraphvizMissingError: ``dot`` is not on PATH.
        GraphvizTimeoutError: ``dot`` ran longer than ``timeout``.
        RuntimeError: ``dot`` failed; the message includes what it printed.
    """
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 < timeout <= MAX_TIMEOUT:
        raise ValueError(
            f"{operation}: timeout must be a positive number of seconds, at most {MAX_TIMEOUT:g}, got {timeout!r}"
        )
    # graphviz.pipe has no timeout, so dot is run here; the graphviz package only builds the DOT text.
    program = shutil.which("dot")
    if program is None:
        raise (GraphvizMissingError(operation, instead) if instead else GraphvizMissingError(operation)) from None
    try:
        result = subprocess.run(
            [program, f"-T{fmt}"], input=source.encode("utf-8"), capture_output=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        raise GraphvizTimeoutError(operation, timeout, *size) from None
    except OSError as e:
        raise RuntimeError(f"{operation}: could not run Graphviz `dot` ({program}): {e}") from None
    if result.returncode != 0:
        stderr = result.stderr.decode("utf-8", "replace").strip()
        raise RuntimeError(f"{operation}: Graphviz `dot` failed (exit code {result.returncode}): {stderr}")
    return result.stdout


def graph_size(root: Value) -> tuple[int, int]:
    """(Values, arrows from inputs to operations) of the graph under ``root``.

    >>> x = Value(2.0)
    >>> graph_size(x * x + 1)
    (4, 4)
    """
    order = topological_order(root)
    return len(order), sum(len(v.parents) for v in order)
