"""The ``chainrule`` command: the value and derivatives of an expression, from the shell.

>>> main(["3*(a + b*c)", "a=5", "b=3", "c=2"])
J     = 33
∂J/∂a = 3
∂J/∂b = 6
∂J/∂c = 9
0
"""

from __future__ import annotations

import argparse
import json
import keyword
import math
import os
import sys
from typing import Any, NoReturn, Sequence

from .backprop import gradients
from .errors import DomainError
from .gradcheck import StepOutsideDomain, gradcheck_report
from .parse import Expression, ParseError, check_number, compile_expression
from .value import Value

EXIT_OK, EXIT_CHECK_FAILED, EXIT_ERROR = 0, 1, 2
GRAPH_FORMATS = (".svg", ".png", ".pdf", ".dot")
STEPS_FORMATS = (".html", ".htm")

EXAMPLES = """\
examples:
  chainrule "3*(a + b*c)" a=5 b=3 c=2          value and every partial derivative
  chainrule "x*x*y" x=3 y=2 --order 2          ... and the Hessian
  chainrule "sigmoid(w*x + b)" w=0.5 x=2 b=-1 --json
  chainrule "tanh(w*x + b)" w=1 x=2 b=0 --graph neuron.svg --local
  chainrule "3*(a + b*c)" a=5 b=3 c=2 --steps backprop.html
  chainrule "log(x)*sin(x)" x=2 --check        compare with central differences
  chainrule -- "-a*b" a=1 b=2                  an expression that starts with '-'

Expressions use numbers, names, + - * / **, unary minus, parentheses and the engine's
functions (exp log sqrt sin cos tanh sigmoid relu leaky_relu softplus abs; from Python, main()
also sees the primitives you added with autograd.defop).
Numbers are printed with 12 significant digits; --json gives full precision (null for inf/nan).
Exit status: 0 ok, 1 --check found a mismatch, 2 bad input or an unwritable output.
"""


class CommandError(Exception):
    """Bad input to the command: reported as one line on stderr, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        if message.startswith("unrecognized arguments: -"):
            message += "; to give an expression that starts with '-', put -- before it: chainrule -- \"-a*b\" a=1 b=2"
        raise CommandError(f"{message} (see chainrule --help)")


def build_parser() -> argparse.ArgumentParser:
    """The command's argument parser.

    >>> build_parser().parse_args(["a*b", "a=1", "b=2", "--order", "2"]).order
    2
    """
    parser = _Parser(
        prog="chainrule",
        description="Print the value of an expression and its derivatives with respect to every variable.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("expression", help='the expression, e.g. "3*(a + b*c)" (quote it for the shell)')
    parser.add_argument("bindings", nargs="*", metavar="NAME=VALUE", help="a number for each variable, e.g. a=5")
    parser.add_argument("--name", default="J", help="the output's name in the table (default: J)")
    parser.add_argument("--order", type=int, choices=(1, 2), default=1, help="2 adds the Hessian (default: 1)")
    parser.add_argument("--json", action="store_true", help="print JSON: value, gradient (and hessian)")
    parser.add_argument("--graph", metavar="FILE", help="draw the graph to FILE (.svg, .png, .pdf or .dot)")
    parser.add_argument("--local", action="store_true", help="with --graph: show local derivatives on the edges")
    parser.add_argument("--steps", metavar="FILE.html", help="write a step-by-step backprop replay to FILE.html")
    parser.add_argument("--check", action="store_true", help="compare the derivatives with central differences")
    parser.add_argument(
        "--max-nodes",
        type=_positive_int,
        metavar="N",
        help="draw graphs of at most N nodes (default: 500 for --graph, 100 for --steps)",
    )
    return parser


def _positive_int(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 1, got {text!r}")
    return n


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command on ``argv`` (default ``sys.argv[1:]``) and return its exit status.

    >>> main(["2**10"])
    J = 1024
    0
    """
    try:
        return _run(build_parser().parse_args(argv))
    except SystemExit as e:  # --help and --version print and exit; report their status
        return e.code if isinstance(e.code, int) else EXIT_OK
    except (CommandError, ParseError, DomainError) as e:
        print(f"chainrule: error: {one_line(str(e))}", file=sys.stderr)
        return EXIT_ERROR


def parse_bindings(texts: Sequence[str]) -> dict[str, float]:
    """``["a=5", "b=-1.5"]`` as ``{"a": 5.0, "b": -1.5}``, or a ``CommandError`` naming the bad one.

    >>> parse_bindings(["a=5", "b=-1.5"])
    {'a': 5.0, 'b': -1.5}
    """
    bindings: dict[str, float] = {}
    for text in texts:
        name, sep, number = text.partition("=")
        name, number = name.strip(), number.strip()
        if not sep or not name.isidentifier() or keyword.iskeyword(name):
            raise CommandError(f"binding {text!r} is not NAME=VALUE; write e.g. a=5 (the name a Python identifier)")
        if name.startswith("__") and name.endswith("__"):
            raise CommandError(f"binding {text!r}: dunder names are not allowed")
        if name in bindings:
            raise CommandError(f"binding {text!r}: {name} is given twice; give each variable one value")
        try:
            value = float(number)
        except ValueError:
            raise CommandError(f"binding {text!r}: {number!r} is not a number; write e.g. {name}=0.5") from None
        try:
            bindings[name] = check_number(name, value)
        except ParseError as e:
            raise CommandError(f"binding {text!r}: {str(e).removeprefix('parse: ')}") from None
    return bindings


def _run(args: argparse.Namespace) -> int:
    _check_outputs(args)
    bindings = parse_bindings(args.bindings)
    expression = compile_expression(args.expression)
    if not args.name.isidentifier():
        raise CommandError(f"--name {args.name!r}: the output's name must be a name such as J or L")
    if args.name in bindings or args.name in expression.variables:
        raise CommandError(
            f"--name {args.name}: {args.name} is also a variable of the expression; "
            "give the output another name, e.g. --name L"
        )
    variables = list(bindings)  # command-line order; a bound name the expression does not use has ∂ = 0
    leaves = {v: Value(x, label=v) for v, x in bindings.items()}
    root = expression.build(leaves, args.name)
    inputs = [leaves[v] for v in variables]
    first = gradients(root, inputs, create_graph=args.order == 2)
    gradient = {v: float(d) for v, d in zip(variables, first)}
    hessian = None
    if args.order == 2:
        rows = [gradients(d, inputs) if isinstance(d, Value) else [0.0] * len(inputs) for d in first]
        hessian = {v: dict(zip(variables, row)) for v, row in zip(variables, rows)}

    check: tuple[bool, str] | None = None
    if args.check:
        check = _gradcheck(expression, bindings, args.name, args.order)
    _write_outputs(args, expression, leaves)

    if args.json:
        print(_json(args, root.data, gradient, hessian, check))
    else:
        print(_text(args.name, root.data, gradient, hessian))
        if check is not None:
            print()
            print(check[1])
    return EXIT_CHECK_FAILED if check is not None and not check[0] else EXIT_OK


def _check_outputs(args: argparse.Namespace) -> None:
    """Reject bad output paths before any work is done, so no file is written for bad input."""
    if args.local and not args.graph:
        raise CommandError("--local only applies to --graph; add --graph FILE")
    for option, path, formats in (("--graph", args.graph, GRAPH_FORMATS), ("--steps", args.steps, STEPS_FORMATS)):
        if path is None:
            continue
        extension = os.path.splitext(path)[1].lower()
        if extension not in formats:
            raise CommandError(f"{option} {path!r}: the file must end in {', '.join(formats)}")
        directory = os.path.dirname(os.path.abspath(path))
        if os.path.isdir(path):
            raise CommandError(f"{option} {path!r} is a directory; give a file name")
        if not os.path.isdir(directory):
            raise CommandError(f"{option} {path!r}: the directory {directory!r} does not exist")
        if not os.access(directory, os.W_OK):
            raise CommandError(f"{option} {path!r}: the directory {directory!r} is not writable")
    if args.graph and args.steps and os.path.abspath(args.graph) == os.path.abspath(args.steps):
        raise CommandError("--graph and --steps name the same file; give two different files")


def _gradcheck(expression: Expression, bindings: dict[str, float], name: str, order: int) -> tuple[bool, str]:
    """Run ``gradcheck`` on the expression: (passed, its table)."""
    variables = list(bindings)
    if not variables:
        raise CommandError("--check needs at least one variable; give e.g. x=1 and use x in the expression")

    def f(*xs: Any) -> Any:
        return expression.build(dict(zip(variables, xs)), name)

    try:
        return gradcheck_report(f, *bindings.values(), order=order, names=variables)
    except StepOutsideDomain as e:  # without "pass a smaller eps": the command has no eps
        raise CommandError(f"--check: {e.problem}") from None


def _write_outputs(args: argparse.Namespace, expression: Expression, leaves: dict[str, Value]) -> None:
    """Write --graph and --steps; if one fails, remove the other so no half-done output remains."""
    if not (args.graph or args.steps):
        return
    import viz  # only now: the plain table needs no drawing

    written: list[str] = []
    option = ""
    limit = {} if args.max_nodes is None else {"max_nodes": args.max_nodes}  # else each output's default
    try:
        if args.graph:
            option = "--graph"
            # A fresh graph with its gradients filled in, so the drawing shows them.
            root = expression.build({v: Value(x.data, label=v) for v, x in leaves.items()}, args.name)
            root.backward()
            viz.render(root, args.graph, show_local=args.local, **limit)
            written.append(args.graph)
        if args.steps:
            option = "--steps"
            root = expression.build({v: Value(x.data, label=v) for v, x in leaves.items()}, args.name)
            viz.save_backprop_html(root, args.steps, **limit)
            written.append(args.steps)
    except (viz.GraphvizMissingError, viz.GraphTooLargeError, RuntimeError, OSError) as e:  # RuntimeError: dot failed
        for path in written:
            _remove(path)
        if isinstance(e, OSError):
            path = args.graph if option == "--graph" else args.steps
            raise CommandError(f"{option} {path!r}: could not write the file ({e.strerror or e})") from None
        if isinstance(e, viz.GraphTooTangledError):  # its advice names a Python argument, max_edges
            needed = -(-e.segments * e.max_nodes // e.max_edges)  # the arrow budget grows with --max-nodes
            raise CommandError(
                f"{option}: the graph has only {e.node_count} nodes, but values used by operations far apart "
                f"make long arrows, {e.segments} segments for Graphviz to lay out; draw a smaller expression, "
                f"or pass --max-nodes {needed} to draw it all (Graphviz may take minutes)"
            ) from None
        if isinstance(e, viz.GraphTooLargeError):
            raise CommandError(
                f"{option}: the graph has {e.node_count} nodes, more than --max-nodes {e.max_nodes}; draw a smaller "
                f"expression, or pass --max-nodes {e.node_count} to draw it all (Graphviz may take a while)"
            ) from None
        raise CommandError(one_line(str(e))) from None
    for path in written:  # on stderr, so that --json output stays pure JSON
        print(f"wrote {path}", file=sys.stderr)


def one_line(message: str) -> str:
    r"""A message on one line: its lines joined with "; " unless one already ends a sentence or a clause.

    >>> one_line("dot is missing.\nInstall it:\n  apt-get install graphviz\n  brew install graphviz")
    'dot is missing. Install it: apt-get install graphviz; brew install graphviz'
    """
    lines = [" ".join(line.split()) for line in message.splitlines()]
    text = ""
    for line in filter(None, lines):
        text += line if not text else (" " if text[-1] in ".:;," else "; ") + line
    return text


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass


def _symbols() -> tuple[str, str]:
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


def _text(name: str, value: float, gradient: dict[str, float], hessian: dict[str, dict[str, float]] | None) -> str:
    d, two = _symbols()
    rows = [(name, value)] + [(f"{d}{name}/{d}{v}", g) for v, g in gradient.items()]
    width = max(len(label) for label, _ in rows)
    lines = [f"{label:<{width}} = {format_number(x)}" for label, x in rows]
    if hessian:
        variables = list(hessian)
        cells = [[format_number(hessian[r][c]) for c in variables] for r in variables]
        first = max(len(v) for v in variables)
        widths = [max(len(c), *(len(row[j]) for row in cells)) for j, c in enumerate(variables)]
        lines += ["", f"Hessian {d}{two}{name}/{d}row {d}column:"]
        lines.append(" " * first + "".join(f"  {c:>{w}}" for c, w in zip(variables, widths)))
        for r, row in zip(variables, cells):
            lines.append(f"{r:<{first}}" + "".join(f"  {x:>{w}}" for x, w in zip(row, widths)))
    return "\n".join(lines)


def _finite(x: float) -> float | None:
    return x if math.isfinite(x) else None


def _json(args: argparse.Namespace, value: float, gradient: dict[str, float],
          hessian: dict[str, dict[str, float]] | None, check: tuple[bool, str] | None) -> str:  # fmt: skip
    result: dict[str, Any] = {
        "expression": args.expression,
        "name": args.name,
        "value": _finite(value),
        "gradient": {v: _finite(g) for v, g in gradient.items()},
    }
    if hessian is not None:
        result["hessian"] = {r: {c: _finite(x) for c, x in row.items()} for r, row in hessian.items()}
    if check is not None:
        result["gradcheck"] = {"passed": check[0], "report": check[1]}
    return json.dumps(result, ensure_ascii=False, indent=2)
