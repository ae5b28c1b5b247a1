"""The command's arguments: options, the expression and its bindings, in any order, read and checked.

A binding's value is a number or a constant expression (``x=pi/2``), read by the language's own
parser; names are kept as Python reads them (NFKC), so two spellings of one name are one name.
"""

from __future__ import annotations

import argparse
import keyword
import unicodedata
from collections.abc import Sequence
from typing import NoReturn

from autograd import DomainError, ParseError, __version__
from autograd.language.parse import constant_value
from autograd.language.syntax import CONSTANTS, functions

from . import outputs, report
from .errors import CommandError
from .help import EXAMPLES, HelpFormatter

#: The most bindings a run takes, and the most variables of a Hessian (--order 2), of a check
#: (--check: two evaluations per variable) and of a second-order check (n³ work).
MAX_BINDINGS = 10_000
MAX_ORDER2_VARIABLES = 500
MAX_CHECK_VARIABLES = 500
MAX_CHECK2_VARIABLES = 40

#: The longest argparse message quoted whole (an unrecognized argument can be 100 kB long).
MAX_MESSAGE = 300


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        if message.startswith("unrecognized arguments: -"):
            message += "; to give an expression that starts with '-', put -- before it: chainrule -- \"-a*b\" a=1 b=2"
        if message.startswith("the following arguments are required: expression"):
            message = (
                'no expression given: write one, as in chainrule "3*(a + b*c)" a=5 b=3 c=2; the bindings '
                "NAME=VALUE are optional (an expression without variables needs none)"
            )
        if len(message) > MAX_MESSAGE:
            message = message[: MAX_MESSAGE - 60] + " ... " + message[-40:] + f" ({len(message):,} characters)"
        raise CommandError(f"{message} (see chainrule --help)")


def build_parser() -> argparse.ArgumentParser:
    """The command's argument parser.

    >>> build_parser().parse_args(["a*b", "a=1", "b=2", "--order", "2"]).order
    2
    """
    parser = _Parser(
        prog="chainrule",
        usage="%(prog)s [options] [--] EXPRESSION [NAME=VALUE ...]",
        description="Print the value of an expression and its derivatives with respect to every variable.",
        epilog=EXAMPLES.format(
            functions=" ".join(functions()),
            bindings=MAX_BINDINGS,
            order2=MAX_ORDER2_VARIABLES,
            check2=MAX_CHECK2_VARIABLES,
            graph_cap=outputs.MAX_GRAPH_NODES,
            steps_cap=outputs.MAX_STEPS_NODES,
        ),
        formatter_class=HelpFormatter,
    )
    parser.add_argument(  # optional to argparse, so that main can take it from after "--"; required by main
        "expression",
        nargs="?",
        help='the expression, e.g. "3*(a + b*c)", or a program "u = b*c; J = 3*(a + u)" (quote it)',
    )
    parser.add_argument(
        "bindings",
        nargs="*",
        metavar="NAME=VALUE",
        help="a number for each variable, e.g. a=5 or x=pi/2 (optional; before or after the options)",
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
        help="your derivative by NAME, e.g. b=3*c (quote it if it has spaces): compared with the engine's and "
        "central differences (repeatable)",
    )
    parser.add_argument("--version", action="version", version=f"chainrule {__version__}")
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
        raise argparse.ArgumentTypeError(f"must be a whole number >= 1, got {report.excerpt(text)}")
    return n


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    """The command's arguments, options and bindings in any order; after ``--``, only the
    expression and bindings (argparse's ``parse_intermixed_args`` would read ``-a*b`` there as an option).

    >>> args = parse_arguments(["x*2", "--name", "L", "x=1"])
    >>> args.expression, args.bindings, args.name
    ('x*2', ['x=1'], 'L')
    >>> parse_arguments(["--json", "--", "-a*b", "a=1"]).expression
    '-a*b'
    """
    before, after = (argv[: argv.index("--")], argv[argv.index("--") + 1 :]) if "--" in argv else (argv, [])
    args = build_parser().parse_intermixed_args(before)
    positional = ([] if args.expression is None else [args.expression]) + args.bindings + after
    if not positional:
        _Parser().error("the following arguments are required: expression")
    args.expression, args.bindings = positional[0], positional[1:]
    return args


def parse_bindings(texts: Sequence[str]) -> dict[str, float]:
    """``["a=5", "x=pi/2"]`` as ``{"a": 5.0, "x": 1.5707963267948966}``, or a ``CommandError`` naming the bad one.

    A value is a number or a constant expression of the language (``pi/2``, ``-1e-3``, ``sqrt(2)``),
    read by the same parser as the expression; a name is kept as Python reads it (NFKC).

    >>> parse_bindings(["a=5", "b=-1.5", "c=2*e"])
    {'a': 5.0, 'b': -1.5, 'c': 5.43656365691809}
    """
    bindings: dict[str, float] = {}
    spelled: dict[str, str] = {}
    for k, text in enumerate(texts):
        given, sep, value = text.partition("=")
        given, value = given.strip(), value.strip()
        name, shown = unicodedata.normalize("NFKC", given), report.excerpt(text)
        if not sep or not name.isidentifier() or keyword.iskeyword(name):
            after = texts[k + 1 : k + 3] if texts[k + 1 : k + 2] == ["="] else texts[k + 1 : k + 2]
            spaced = not sep and after and after[0].startswith("=") and len("".join(after)) < 40 and len(text) < 40
            hint = f" (without spaces: {text.strip()}{''.join(after)})" if spaced else ""
            raise CommandError(
                f"binding {shown} is not NAME=VALUE; write e.g. a=5 (the name a Python identifier){hint}"
            )
        if name.startswith("__") and name.endswith("__"):
            raise CommandError(f"binding {shown}: dunder names are not allowed")
        if name in CONSTANTS:
            raise CommandError(
                f"binding {shown}: {name} is the constant {CONSTANTS[name]!r} in an expression, so it cannot be "
                f"bound; name the variable otherwise, e.g. {name}_1"
            )
        if name in bindings:
            same = "" if spelled[name] == given else f" (as {report.excerpt(spelled[name])}: the same name to Python)"
            raise CommandError(
                f"binding {shown}: {report.name(name)} is given twice{same}; give each variable one value"
            )
        if not value:
            raise CommandError(f"binding {shown} has no value; write e.g. {report.name(name)}=0.5")
        try:
            bindings[name] = constant_value(value)
        except (ParseError, DomainError) as e:
            raise CommandError(f"binding {shown}: {str(e).removeprefix('parse: ')}") from None
        spelled[name] = given
    return bindings


def check_spaced_expect(argv: list[str]) -> None:
    """Refuse ``--expect b = 3*c``: the shell splits it in three, so say to quote it."""
    for k, arg in enumerate(argv):
        if arg == "--":
            return
        option, inline, given = arg.partition("=")
        if not (len(option) >= 3 and "--expect".startswith(option)):
            continue
        words = [given] if inline else argv[k + 1 : k + 2]
        rest = argv[k + 1 + (not inline) :]
        if not words or not rest:
            continue
        if ("=" not in words[0] and rest[0].startswith("=")) or (
            words[0].endswith("=") and not rest[0].startswith("-")
        ):
            for word in rest:  # the rest of the derivative: up to the next option or binding
                if word.startswith("--") or ("=" in word and "=" in " ".join(words)):
                    break
                words.append(word)
            whole = " ".join(words)
            example = f'--expect "{whole}"' if len(whole) <= 100 and '"' not in whole else '--expect "b = 3*c"'
            raise CommandError(
                f"--expect with spaces is several arguments to the shell: quote it, {example} "
                "(or write it without spaces)"
            )


def output_name(
    asked: str | None,
    output: str | None,
    bindings: dict[str, float],
    variables: tuple[str, ...],
    assigned: tuple[str, ...],
) -> str:
    """The output's name: ``--name`` as Python reads it (NFKC), else the program's, else ``J``."""
    if asked is None:
        asked = output or "J"
    name = unicodedata.normalize("NFKC", asked)
    shown = report.name(asked) if asked.isidentifier() else report.excerpt(asked)
    if not name.isidentifier() or keyword.iskeyword(name):
        raise CommandError(f"--name {shown}: the output's name must be a name such as J or L")
    same = "" if name == asked else f" (as {report.excerpt(asked)}: the same name to Python)"
    if name in CONSTANTS:
        raise CommandError(
            f"--name {shown}: {report.name(name)} is a constant{same}; give the output another name, e.g. --name L"
        )
    if name in bindings or name in variables:
        raise CommandError(
            f"--name {shown}: {report.name(name)} is also a variable of the expression{same}; give the output another name, "
            "e.g. --name L"
        )
    if name in assigned and name != output:
        raise CommandError(
            f"--name {shown}: {report.name(name)} names a step of the program, not its output{same}; give the output another name"
        )
    return name
