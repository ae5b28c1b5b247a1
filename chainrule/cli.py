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
import keyword
import sys
import textwrap
from collections.abc import Sequence
from typing import NoReturn

from autograd import DomainError, ParseError, Value, gradients
from autograd.language.parse import check_number, compile_program
from autograd.language.syntax import functions

from . import check as checking
from . import outputs, report
from .errors import EXIT_BROKEN_PIPE, EXIT_CHECK_FAILED, EXIT_ERROR, EXIT_OK, CommandError

#: The most bindings a run takes, and the most variables of a Hessian (--order 2), of a check
#: (--check: two evaluations per variable) and of a second-order check (n³ work).
MAX_BINDINGS = 10_000
MAX_ORDER2_VARIABLES = 500
MAX_CHECK_VARIABLES = 500
MAX_CHECK2_VARIABLES = 40

EXAMPLES = """\
examples:
  chainrule "3*(a + b*c)" a=5 b=3 c=2          value and every partial derivative
  chainrule "u = b*c; v = a + u; J = 3*v" a=5 b=3 c=2      the same, its steps named
  chainrule "x*x*y" x=3 y=2 --order 2          ... and the Hessian
  chainrule "sigmoid(w*x + b)" w=0.5 x=2 b=-1 --json
  chainrule "tanh(w*x + b)" w=1 x=2 b=0 --graph neuron.svg --local
  chainrule "3*(a + b*c)" a=5 b=3 c=2 --steps backprop.html
  chainrule "log(x)*sin(x)" x=2 --check        compare with central differences
  chainrule "3*(a + b*c)" a=5 b=3 c=2 --expect b=3*c --expect c=3*b   check your own derivation
  chainrule -- "-a*b" a=1 b=2                  an expression that starts with '-'

An expression uses numbers, names, + - * / **, unary minus, parentheses, the constants pi and e,
and the functions {functions}
(from Python, main() also sees the primitives you added with autograd.extend.defop). A program is
statements NAME = EXPRESSION separated by ; or new lines, the last one the output; each name
labels its node in --graph and --steps, and a computation written twice is one node.
Bindings NAME=VALUE give each variable a number; an expression without variables needs none.
Numbers are printed with 12 significant digits; --json gives full precision (null for inf/nan).
Exit status: 0 ok, 1 --check or --expect found a mismatch, 2 bad input or an unwritable output, 141 when
whoever reads the output closes the pipe early (as for any Unix tool).

Limits, so that every run takes seconds and a few hundred MB at most: an expression of at most
10,000 characters, 1,000 operators and brackets 100 deep; at most {bindings:,} bindings; with
--order 2 or --check at most {order2} variables, with both at most {check2}; --max-nodes at most
{graph_cap:,} for --graph and {steps_cap:,} for --steps.
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        if message.startswith("unrecognized arguments: -"):
            message += "; to give an expression that starts with '-', put -- before it: chainrule -- \"-a*b\" a=1 b=2"
        if message.startswith("the following arguments are required: expression"):
            message = (
                'no expression given: write one, as in chainrule "3*(a + b*c)" a=5 b=3 c=2; the bindings '
                "NAME=VALUE are optional (an expression without variables needs none)"
            )
        raise CommandError(f"{message} (see chainrule --help)")


def build_parser() -> argparse.ArgumentParser:
    """The command's argument parser.

    >>> build_parser().parse_args(["a*b", "a=1", "b=2", "--order", "2"]).order
    2
    """
    parser = _Parser(
        prog="chainrule",
        description="Print the value of an expression and its derivatives with respect to every variable.",
        epilog=EXAMPLES.format(
            functions=textwrap.fill(" ".join(functions()), 96),
            bindings=MAX_BINDINGS,
            order2=MAX_ORDER2_VARIABLES,
            check2=MAX_CHECK2_VARIABLES,
            graph_cap=outputs.MAX_GRAPH_NODES,
            steps_cap=outputs.MAX_STEPS_NODES,
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "expression", help='the expression, e.g. "3*(a + b*c)", or a program "u = b*c; J = 3*(a + u)" (quote it)'
    )
    parser.add_argument(
        "bindings", nargs="*", metavar="NAME=VALUE", help="a number for each variable, e.g. a=5 (optional)"
    )
    parser.add_argument("--name", help="the output's name (default: the last statement's name, or J)")
    parser.add_argument("--order", type=int, choices=(1, 2), default=1, help="2 adds the Hessian (default: 1)")
    parser.add_argument("--json", action="store_true", help="print JSON: value, gradient (and hessian)")
    parser.add_argument("--graph", metavar="FILE", help="draw the graph to FILE (.svg, .png, .pdf or .dot)")
    parser.add_argument("--local", action="store_true", help="with --graph: show local derivatives on the edges")
    parser.add_argument("--steps", metavar="FILE.html", help="write a step-by-step backprop replay to FILE.html")
    parser.add_argument("--check", action="store_true", help="compare the derivatives with central differences")
    parser.add_argument(
        "--expect",
        action="append",
        default=[],
        metavar="NAME=EXPR",
        help="your derivative by NAME, e.g. b=3*c: compared with the engine's and central differences (repeatable)",
    )
    parser.add_argument(
        "--max-nodes",
        type=_positive_int,
        metavar="N",
        help="draw graphs of at most N nodes (default: 500, for --graph and --steps alike)",
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
        print(f"chainrule: error: {report.one_line(str(e))}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:  # the reader went away (chainrule ... | head): stop quietly, as Unix tools do
        report.silence_stdout()
        return EXIT_BROKEN_PIPE


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
    outputs.check_paths(args)
    _check_sizes(args)
    bindings = parse_bindings(args.bindings)
    program = compile_program(args.expression)
    name = args.name if args.name is not None else program.output or "J"
    if not name.isidentifier():
        raise CommandError(f"--name {name!r}: the output's name must be a name such as J or L")
    if name in bindings or name in program.variables:
        raise CommandError(
            f"--name {name}: {name} is also a variable of the expression; give the output another name, e.g. --name L"
        )
    if name in program.assigned and name != program.output:
        raise CommandError(
            f"--name {name}: {name} names a step of the program, not its output; give the output another name"
        )
    unused = [v for v in bindings if v not in program.variables and v not in program.assigned]
    d = report.symbols()[0]
    for v in unused:  # its derivative is 0, which is right but rarely what was meant
        report.warn(f"{v} is bound but the expression does not use it ({d}{name}/{d}{v} = 0); is it misspelt?")
    variables = list(bindings)  # command-line order

    def build() -> Value:  # a fresh graph, its inputs labelled by their names
        return program.build({v: Value(x, label=v) for v, x in bindings.items()}, name)

    leaves = {v: Value(x, label=v) for v, x in bindings.items()}
    root = program.build(leaves, name)
    inputs = [leaves[v] for v in variables]
    first = gradients(root, inputs, create_graph=args.order == 2)
    gradient = {v: float(d) for v, d in zip(variables, first)}
    hessian = None
    if args.order == 2:
        rows = [gradients(d, inputs) if isinstance(d, Value) else [0.0] * len(inputs) for d in first]
        hessian = {v: dict(zip(variables, row)) for v, row in zip(variables, rows)}

    check = checking.gradcheck(program, bindings, name, args.order, root) if args.check else None
    expect = checking.expect(program, bindings, name, args.expect) if args.expect else None
    staged = outputs.prepare(args, build)
    try:
        if args.json:
            report.emit(report.as_json(args.expression, name, root.data, gradient, hessian, check, expect))
        else:
            tables = [report.text(name, root.data, gradient, hessian)] + [t for _, t in filter(None, (check, expect))]
            report.emit("\n\n".join(tables))
    except BaseException:
        for s in staged:
            s.discard()
        raise
    outputs.write(staged)
    failed = any(result is not None and not result[0] for result in (check, expect))
    return EXIT_CHECK_FAILED if failed else EXIT_OK


def _check_sizes(args: argparse.Namespace) -> None:
    """Refuse up front, in one line, what would take minutes or gigabytes (limits in --help)."""
    n = len(args.bindings)
    if n > MAX_BINDINGS:
        raise CommandError(f"{n:,} bindings; at most {MAX_BINDINGS:,} are taken")
    limits = []
    if args.order == 2:
        limits.append(("--order 2 (a Hessian of n*n entries)", MAX_ORDER2_VARIABLES))
    if args.check:
        limits.append(("--check (two evaluations per variable)", MAX_CHECK_VARIABLES))
    if args.check and args.order == 2:
        limits.append(("--check --order 2 (n*n*n evaluations)", MAX_CHECK2_VARIABLES))
    for what, most in limits:
        if n > most:
            raise CommandError(f"{what} takes at most {most} variables, got {n:,}; bind fewer, or drop the option")
    outputs.check_limits(args)
