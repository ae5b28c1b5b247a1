"""Writing pictures to files: the format follows the extension, and a failure leaves no file behind."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any, Union

import graphviz

from autograd import Value, topological_order

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
    fmt = output_format(path, "render")
    graph = draw_dot(root, **options)
    if fmt == "png":
        graph.attr(dpi=PNG_DPI)
    if fmt == "dot":
        data = graph.source.encode("utf-8")
    else:
        data = run_dot(graph.source, fmt, f"render to {str(path)!r}", timeout, graph_size(root))
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
        raise ValueError(f"{operation}: timeout must be a positive number of seconds, at most {MAX_TIMEOUT:g}, got {timeout!r}")
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


def write_atomically(path: Path, data: bytes, operation: str) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and ``os.replace``.

    A reader never sees half a file, and a failure leaves ``path`` as it was. A symbolic link is
    written through, to the file it names; a device or a pipe is refused.
    """
    target = Path(os.path.realpath(path))  # messages keep naming the path the user gave
    if target.exists() and not target.is_file():
        raise _naming(OSError(errno.EINVAL, "it is not a regular file (a device, a pipe, ...)"), path, operation)
    folder = target.parent
    if not folder.is_dir():
        raise FileNotFoundError(f"{operation}: the folder {str(folder)!r} does not exist; create it first")
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as e:
        raise _naming(e, path, operation) from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; a picture is meant to be shared
        os.replace(tmp, target)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(e, OSError):
            raise _naming(e, path, operation) from None
        raise


def _naming(e: OSError, path: Path, operation: str) -> OSError:
    """The same kind of error, naming the user's file rather than our temporary one.

    >>> str(_naming(PermissionError(13, "Permission denied", "/sys/.x.svg.1.tmp"), Path("/sys/x.svg"), "render"))
    "[Errno 13] render: cannot write '/sys/x.svg': Permission denied"
    """
    reason = e.strerror or str(e)
    if e.errno is None:
        return type(e)(f"{operation}: cannot write {str(path)!r}: {reason}")
    return type(e)(e.errno, f"{operation}: cannot write {str(path)!r}: {reason}")
