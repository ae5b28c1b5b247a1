"""--check and --expect: the derivatives against central differences, and against your own.

--check compares every derivative with central differences, with a note where a kink explains a
mismatch; --expect NAME=EXPR compares ∂J/∂NAME with a derivative worked out by hand (``b=3*c``),
with the engine's and central differences, in the table of ``autograd.check_derivatives``.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from autograd import ParseError, Value
from autograd.checking import check_derivatives_report, gradcheck_report
from autograd.errors import DomainError, StepOutsideDomain
from autograd.language.parse import Program, compile_program

from . import report
from .errors import CommandError

#: The ops whose slope jumps at 0: central differences there average the two sides, the engine takes one.
KINKS = {"relu": "relu", "abs": "abs", "leaky_relu": "leaky_relu"}


def gradcheck(program: Program, bindings: dict[str, float], name: str, order: int, root: Value) -> tuple[bool, str]:
    """Run ``gradcheck`` on the program: (passed, its table), with rows named like the main table."""
    variables = list(bindings)
    if not variables:
        raise CommandError("--check needs at least one variable; give e.g. x=1 and use x in the expression")

    def f(*xs: Any) -> Any:
        return program.build(dict(zip(variables, xs)), name)

    try:
        passed, table = gradcheck_report(
            f, *bindings.values(), order=order, names=variables, output=name, symbols=report.symbols()
        )
    except StepOutsideDomain as e:  # without "pass a smaller eps": the command has no eps
        raise CommandError(f"--check: {e.problem}") from None
    kinks = kinks_at(root)
    if kinks and not passed:
        table += (
            f"\nnote: {', '.join(kinks)} at its kink, where the slope jumps: the engine takes one side's "
            "slope, central differences average both sides, so a mismatch is expected here"
        )
    return passed, table


def kinks_at(root: Value, within: float = 1e-6) -> list[str]:
    """Each ``relu``/``abs``/``leaky_relu`` node of the graph whose input is (within ``within`` of) 0.

    >>> from autograd import parse
    >>> kinks_at(parse("relu(x) + abs(y)", x=0.0, y=2.0))
    ['relu(x)']
    """
    found = []
    for v in root.nodes():
        if v.op in KINKS and abs(v.parents[0].data) <= within:
            found.append(f"{v.op}({v.parents[0].label or report.format_number(v.parents[0].data)})")
    return found


def expect(program: Program, bindings: dict[str, float], name: str, texts: list[str]) -> tuple[bool, str]:
    """Run ``check_derivatives`` for each ``--expect NAME=EXPR``: (passed, its table).

    Each EXPR is an expression (or program) of the variables, evaluated at the bound numbers.
    """
    variables = list(bindings)
    hand: dict[str, float] = {}
    for text in texts:
        variable, sep, formula = text.partition("=")
        variable, shown = unicodedata.normalize("NFKC", variable.strip()), report.excerpt(text)  # as bindings are
        if not sep or not formula.strip():
            raise CommandError(
                f"--expect {shown} is not NAME=EXPR; write e.g. --expect b=3*c (the derivative of {name} by b)"
            )
        if variable not in bindings:
            raise CommandError(
                f"--expect {shown}: {report.name(variable)} is not a bound variable "
                f"(the variables are {report.names(variables) or 'none'})"
            )
        if variable in hand:
            raise CommandError(
                f"--expect {shown}: {report.name(variable)} is expected twice; give one derivative per variable"
            )
        try:
            hand[variable] = compile_program(formula).build(bindings).data
        except ParseError as e:
            raise CommandError(f"--expect {shown}: {str(e).removeprefix('parse: ')}") from None
        except DomainError as e:  # the hand derivation itself fails at these numbers (1/0, log(-1))
            raise CommandError(f"--expect {shown}: at these values, {e}") from None

    def f(*xs: Any) -> Any:
        return program.build(dict(zip(variables, xs)), name)

    try:
        return check_derivatives_report(f, hand, *bindings.values(), names=variables)
    except StepOutsideDomain as e:
        raise CommandError(f"--expect: {e.problem}") from None
