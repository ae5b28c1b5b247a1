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
import sys
from collections.abc import Sequence
from typing import NoReturn

from autograd import DomainError, ParseError, Value
from autograd.language.parse import compile_program

from . import check as checking
from . import outputs, partials, report
from .arguments import (
    MAX_BINDINGS,
    MAX_CHECK2_VARIABLES,
    MAX_CHECK_VARIABLES,
    MAX_ORDER2_VARIABLES,
    check_spaced_expect,
    output_name,
    parse_arguments,
    parse_bindings,
)
from .errors import EXIT_BROKEN_PIPE, EXIT_CHECK_FAILED, EXIT_ERROR, EXIT_OK, CommandError


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command on ``argv`` (default ``sys.argv[1:]``) and return its exit status.

    >>> main(["2**10"])
    J = 1024
    0
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        check_spaced_expect(argv)
        return _run(parse_arguments(argv))
    except SystemExit as e:  # --help and --version print and exit; report their status
        return e.code if isinstance(e.code, int) else EXIT_OK
    except (CommandError, ParseError, DomainError) as e:
        print(f"chainrule: error: {report.one_line(str(e))}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:  # the reader went away (chainrule ... | head): stop quietly, as Unix tools do
        report.silence_stdout()
        return EXIT_BROKEN_PIPE


def _run(args: argparse.Namespace) -> int:
    outputs.check_paths(args)
    _check_sizes(args)
    bindings = parse_bindings(args.bindings)
    program = compile_program(args.expression)
    name = output_name(args.name, program.output, bindings, program.variables, program.assigned)
    unused = [v for v in bindings if v not in program.variables and v not in program.assigned]
    d = report.symbols()[0]
    for v in unused:  # its derivative is 0, which is right but rarely what was meant
        shown = report.name(v)
        report.warn(
            f"{shown} is bound but the expression does not use it ({d}{report.name(name)}/{d}{shown} = 0); is it misspelt?"
        )

    def build() -> Value:  # a fresh graph, its inputs labelled by their names
        return program.build({v: Value(x, label=v) for v, x in bindings.items()}, name)

    leaves = {v: Value(x, label=v) for v, x in bindings.items()}  # command-line order
    root = program.build(leaves, name)
    first = partials.gradient(root, leaves, create_graph=args.order == 2)
    gradient = {v: g if isinstance(g, partials.Undefined) else float(g) for v, g in first.items()}
    hessian = partials.hessian(first, leaves) if args.order == 2 else None
    undefined = report.undefined(name, gradient, hessian)
    if undefined:
        _report_undefined(args, name, root.data, gradient, hessian, undefined)

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


def _report_undefined(
    args: argparse.Namespace,
    name: str,
    value: float,
    gradient: dict[str, float | partials.Undefined],
    hessian: dict[str, dict[str, float | partials.Undefined]] | None,
    labels: list[str],
) -> NoReturn:
    """Print the table with what exists, then stop with exit status 2: a derivative does not exist here."""
    if args.json:
        report.emit(report.as_json(args.expression, name, value, gradient, hessian, None))
    else:
        report.emit(report.text(name, value, gradient, hessian))
    shown = ", ".join(labels[:5]) + (f" and {len(labels) - 5:,} more" if len(labels) > 5 else "")
    skipped = [option for option, asked in (("--check", args.check), ("--expect", args.expect),
               ("--graph", args.graph), ("--steps", args.steps)) if asked]  # fmt: skip
    listed = " and ".join(skipped) if len(skipped) < 3 else ", ".join(skipped[:-1]) + " and " + skipped[-1]
    note = f"; {listed} {'needs' if len(skipped) == 1 else 'need'} every derivative, so not run" if skipped else ""
    raise CommandError(f"{shown} {'is' if len(labels) == 1 else 'are'} undefined at these values{note}")


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
