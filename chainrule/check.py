"""--check: the derivatives against central differences, with a note where a kink explains a mismatch."""

from __future__ import annotations

from typing import Any

from autograd import Value
from autograd.gradcheck import StepOutsideDomain, gradcheck_report
from autograd.parse import Program

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
