"""What the command prints: the table of derivatives (with the Hessian), or the same as JSON."""

from __future__ import annotations

import json
import math
import os
import sys
from typing import Any

from .errors import CommandError
from .partials import Undefined


def emit(text: str) -> None:
    """Print ``text`` and flush it, or raise a ``CommandError`` that says why standard output failed.

    A text that the terminal's encoding cannot hold, a full disk or a closed file is one line on
    stderr, not a traceback; a closed pipe (``BrokenPipeError``) is left to ``main``, which stops quietly.
    """
    try:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except UnicodeEncodeError as e:
        silence_stdout()
        bad = e.object[e.start : e.end]
        raise CommandError(
            f"standard output takes {e.encoding} text, which cannot hold {ascii(bad)} of the output; "
            "set PYTHONIOENCODING=utf-8, or use names in plain letters"
        ) from None
    except (OSError, ValueError) as e:  # ENOSPC on > /dev/full, or a closed stream
        silence_stdout()
        raise CommandError(f"cannot write to standard output ({getattr(e, 'strerror', None) or e})") from None


def warn(message: str) -> None:
    """A warning on stderr, one line: the run goes on."""
    print(f"chainrule: warning: {message}", file=sys.stderr)


def silence_stdout() -> None:
    """Point standard output at the null device, so that Python's own flush at exit fails no more."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return  # not a real file (a test's captured stream): nothing will flush it at exit
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, fd)
    os.close(null)


def one_line(message: str) -> str:
    r"""A message on one line: its lines joined with "; " unless one already ends a sentence or a clause,
    its middle cut if it is longer than ``MAX_LINE`` characters.

    >>> one_line("dot is missing.\nInstall it:\n  apt-get install graphviz\n  brew install graphviz")
    'dot is missing. Install it: apt-get install graphviz; brew install graphviz'
    """
    lines = [" ".join(line.split()) for line in message.splitlines()]
    text = ""
    for line in filter(None, lines):
        text += line if not text else (" " if text[-1] in ".:;," else "; ") + line
    if len(text) > MAX_LINE:  # a message that quotes a path or a text of 100 kB: its start and end say enough
        text = f"{text[: MAX_LINE - 300]} ... {text[-200:]} ({len(text):,} characters)"
    return text


#: The longest message ``one_line`` gives whole.
MAX_LINE = 1_000


def excerpt(text: str, limit: int = 80) -> str:
    """``text`` quoted for a one-line message: whole when short, else cut in the middle, with its length.

    >>> excerpt("a=5")
    "'a=5'"
    >>> excerpt("x=" + "1" * 100_000)
    "'x=111111111111111111111111111111111111111111111111 ... 11111111111111111111' (100,002 characters)"
    """
    if len(text) <= limit:
        return repr(text)
    return repr(text[: limit - 30] + " ... " + text[-20:]) + f" ({len(text):,} characters)"


def name(text: str) -> str:
    """A name for a message: as it is when short, else its ``excerpt``.

    >>> name("rate"), name("x" * 1_000)
    ('rate', "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx ... xxxxxxxxxxxxxxxxxxxx' (1,000 characters)")
    """
    return text if len(text) <= 40 else excerpt(text)


def names(texts: list[str], most: int = 10) -> str:
    """Names for a message, the first ``most`` of them and how many more.

    >>> names(["a", "b"]), names([f"x{i}" for i in range(12)])
    ('a, b', 'x0, x1, x2, x3, x4, x5, x6, x7, x8, x9 and 2 more')
    """
    shown = ", ".join(name(t) for t in texts[:most])
    return shown + (f" and {len(texts) - most:,} more" if len(texts) > most else "")


def symbols() -> tuple[str, str]:
    """``∂`` and ``²`` where stdout can print them, else ``d`` and ``2``."""
    encoding = getattr(sys.stdout, "encoding", None)
    try:
        if encoding:  # an in-memory stream (no encoding) takes any text
            "∂²".encode(encoding)
        return "∂", "²"
    except (UnicodeEncodeError, LookupError):
        return "d", "2"


def format_number(x: float) -> str:
    """A number as the table shows it: 12 significant digits, no trailing ``.0``, ``0`` for ``-0.0``.

    >>> format_number(33.0), format_number(0.1 + 0.2), format_number(-0.0), format_number(1e-7)
    ('33', '0.3', '0', '1e-07')
    """
    return format(x + 0.0, ".12g")


def text(
    name: str,
    value: float,
    gradient: dict[str, float | Undefined],
    hessian: dict[str, dict[str, float | Undefined]] | None,
) -> str:
    """The table: the value, one row per partial derivative, then the Hessian if there is one.

    A derivative that does not exist says so, and why, in place of its number.

    >>> print(text("J", 33.0, {"a": 3.0, "b": 6.0}, None))
    J     = 33
    ∂J/∂a = 3
    ∂J/∂b = 6
    >>> print(text("J", 0.0, {"x": Undefined("sqrt at 0 has a vertical slope"), "y": 1.0}, None))
    J     = 0
    ∂J/∂x: undefined: sqrt at 0 has a vertical slope
    ∂J/∂y = 1
    """
    d, two = symbols()
    rows = [(name, value)] + [(f"{d}{name}/{d}{v}", g) for v, g in gradient.items()]
    width = max(len(label) for label, _ in rows)
    lines = [
        f"{label}: {x}" if isinstance(x, Undefined) else f"{label:<{width}} = {format_number(x)}" for label, x in rows
    ]
    if hessian:
        variables = list(hessian)
        cells = [[_cell(hessian[r][c]) for c in variables] for r in variables]
        first = max(len(v) for v in variables)
        widths = [max(len(c), *(len(row[j]) for row in cells)) for j, c in enumerate(variables)]
        lines += ["", f"Hessian {d}{two}{name}/{d}row {d}column:"]
        lines.append(" " * first + "".join(f"  {c:>{w}}" for c, w in zip(variables, widths)))
        for r, row in zip(variables, cells):
            lines.append(f"{r:<{first}}" + "".join(f"  {x:>{w}}" for x, w in zip(row, widths)))
        reasons = dict.fromkeys(x for row in hessian.values() for x in row.values() if isinstance(x, Undefined))
        lines += [str(x) for x in reasons]
    return "\n".join(lines)


def undefined(name: str, gradient: dict[str, Any], hessian: dict[str, dict[str, Any]] | None) -> list[str]:
    """The labels of the derivatives that do not exist, as the table names them.

    >>> undefined("J", {"x": Undefined("sqrt at 0 has a vertical slope"), "y": 1.0}, None)
    ['∂J/∂x']
    """
    d, two = symbols()
    labels = [f"{d}{name}/{d}{v}" for v, g in gradient.items() if isinstance(g, Undefined)]
    for r, row in (hessian or {}).items():
        labels += [f"{d}{two}{name}/{d}{r}{d}{c}" for c, x in row.items() if isinstance(x, Undefined)]
    return labels


def _cell(x: float | Undefined) -> str:
    return "undefined" if isinstance(x, Undefined) else format_number(x)


def _finite(x: float | Undefined) -> float | None:
    return None if isinstance(x, Undefined) or not math.isfinite(x) else x


def as_json(
    expression: str,
    name: str,
    value: float,
    gradient: dict[str, float | Undefined],
    hessian: dict[str, dict[str, float | Undefined]] | None,
    check: tuple[bool, str] | None,
    expect: tuple[bool, str] | None = None,
) -> str:
    """The same as JSON, at full precision; ``null`` for inf and nan, and for a derivative that does
    not exist, with its reason under ``"undefined"`` (``{"gradient": {"x": "sqrt at 0 ..."}}``)."""
    result: dict[str, Any] = {
        "expression": expression,
        "name": name,
        "value": _finite(value),
        "gradient": {v: _finite(g) for v, g in gradient.items()},
    }
    if hessian is not None:
        result["hessian"] = {r: {c: _finite(x) for c, x in row.items()} for r, row in hessian.items()}
    missing: dict[str, Any] = {}
    reasons = {v: g.reason for v, g in gradient.items() if isinstance(g, Undefined)}
    if reasons:
        missing["gradient"] = reasons
    rows = {r: {c: x.reason for c, x in row.items() if isinstance(x, Undefined)} for r, row in (hessian or {}).items()}
    if any(rows.values()):
        missing["hessian"] = {r: row for r, row in rows.items() if row}
    if missing:
        result["undefined"] = missing
    if check is not None:
        result["gradcheck"] = {"passed": check[0], "report": check[1]}
    if expect is not None:
        result["expect"] = {"passed": expect[0], "report": expect[1]}
    return json.dumps(result, ensure_ascii=False, indent=2)
