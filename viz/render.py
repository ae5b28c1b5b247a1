"""Writing pictures to files: the format follows the extension, and a failure leaves no file behind."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any, Union

import graphviz

from autograd import Value

from .draw import draw_dot
from .errors import GraphvizMissingError

PathLike = Union[str, "os.PathLike[str]"]

#: File extension -> Graphviz output format.
FORMATS: dict[str, str] = {".dot": "dot", ".pdf": "pdf", ".png": "png", ".svg": "svg"}
PNG_DPI = "144"  # Graphviz's default 72 dpi makes blurry text on today's screens


def render(root: Value, path: PathLike, **options: Any) -> Path:
    """Draw the graph under ``root`` into ``path``; the format follows its extension.

    Args:
        root: the output Value.
        path: where to write: ``.svg``, ``.png``, ``.pdf`` (these need Graphviz's ``dot``
            program) or ``.dot`` (the DOT text, needs nothing).
        **options: passed to ``draw_dot`` (``show_local=True``, ``rankdir="TB"``, ...).

    Returns:
        ``path`` as a ``Path``.

    Raises:
        ValueError: the extension is not one of the four.
        GraphvizMissingError: ``dot`` is not installed; nothing is written.
        GraphTooLargeError: the graph has more Values than ``max_nodes``.

    >>> import tempfile, pathlib
    >>> from autograd import Value
    >>> x = Value(3.0, label="x")
    >>> with tempfile.TemporaryDirectory() as d:
    ...     out = render(x * x, pathlib.Path(d) / "square.dot")
    ...     "data 9" in out.read_text()
    True
    """
    path = Path(path)
    fmt = output_format(path, "render")
    graph = draw_dot(root, **options)
    if fmt == "png":
        graph.attr(dpi=PNG_DPI)
    data = graph.source.encode("utf-8") if fmt == "dot" else run_dot(graph.source, fmt, f"render to {str(path)!r}")
    write_atomically(path, data, "render")
    return path


def output_format(path: Path, operation: str) -> str:
    """The Graphviz format named by ``path``'s extension, or a ``ValueError`` listing the valid ones.

    >>> output_format(Path("J.SVG"), "render")
    'svg'
    """
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        valid = ", ".join(FORMATS)
        got = f"extension {path.suffix!r}" if path.suffix else "no extension"
        raise ValueError(f"{operation}: cannot tell the format of {str(path)!r} from its {got}; use one of {valid}")
    return fmt


def run_dot(source: str, fmt: str, operation: str) -> bytes:
    """Run Graphviz's ``dot`` on DOT text (one or several graphs) and return its output.

    Raises:
        GraphvizMissingError: ``dot`` is not on PATH.
        RuntimeError: ``dot`` failed; the message includes what it printed.
    """
    try:
        return graphviz.pipe("dot", fmt, source.encode("utf-8"), quiet=True)
    except graphviz.ExecutableNotFound:
        raise GraphvizMissingError(operation) from None
    except graphviz.CalledProcessError as e:
        stderr = (e.stderr or b"").decode("utf-8", "replace").strip()
        raise RuntimeError(f"{operation}: Graphviz `dot` failed (exit code {e.returncode}): {stderr}") from None


def write_atomically(path: Path, data: bytes, operation: str) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and ``os.replace``.

    A reader never sees half a file, and a failure leaves ``path`` as it was.
    """
    folder = path.parent
    if not folder.is_dir():
        raise FileNotFoundError(f"{operation}: the folder {str(folder)!r} does not exist; create it first")
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; a picture is meant to be shared
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
