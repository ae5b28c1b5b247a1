"""Turn a program like ``"u = b*c; v = a + u; J = 3*v"`` into a graph of Values, safely.

A program is one expression (``"3*(a + b*c)"``) or statements ``name = expression`` separated by
``;`` or line breaks, the last one the output. A line break is ``\n``, ``\r\n`` or ``\r``, as in
a Python file; the other characters some readers take for one (``\v``, ``\f``, ``\x1c`` to
``\x1e``, ``\x85``, ``\u2028``, ``\u2029``) are refused. The text is checked against a whitelist
(``syntax.py``) and compiled into a short list of engine operations; nothing is ever evaluated
as Python. ``pi`` and ``e`` are constants: they cannot be assigned nor bound to another value.

One node per subexpression: the same computation written twice (``sigmoid(w*x + b)`` in two
places, or ``sigmoid(z)`` after ``z = w*x + b``) is one node used twice, so a drawing shows the
fan-out the math has.

Labels: each leaf is labelled with its variable name and each assigned node with its name; any
other intermediate node with the text of its subexpression, normalised so that ``+`` and ``-`` are
spaced and the tighter operators are not (``b*c``, ``a + b*c``, ``exp(-x**2)``); the output with
its name (``J`` for a bare expression, unless ``name`` says otherwise).
"""

from __future__ import annotations

import math
import operator
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .._checks import describe, finite_float
from ..errors import ParseError
from ..extend import apply
from ..value import Value, constant
from .compiler import Compiler, Step
from .syntax import CONSTANTS, functions, quote, statements, syntax_tree
from .text import LINE_BREAK

_OPERATOR: dict[str, Callable[..., Any]] = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv, "**": operator.pow,
    "neg": operator.neg,
}  # fmt: skip


@dataclass(frozen=True)
class Program:
    """A checked program, compiled to engine operations; ``build`` makes a graph from it.

    Attributes:
        text: the source text.
        variables: the names it needs values for, in order of first use.
        assigned: the names its statements assign, in order.
        output: the name of the last statement, or ``None`` if it is a bare expression.
        steps: the nodes, each after its inputs; the last one computed is the output.

    >>> p = compile_program("u = b*c; v = a + u; J = 3*v")
    >>> p.variables, p.assigned, p.output
    (('b', 'c', 'a'), ('u', 'v', 'J'), 'J')
    >>> p.build({"a": 5, "b": 3, "c": 2}).data
    33.0
    """

    text: str
    variables: tuple[str, ...]
    assigned: tuple[str, ...]
    output: str | None
    steps: tuple[Step, ...]
    root: int

    def build(self, values: Mapping[str, Any], name: str | None = None) -> Value:
        """Run the program on ``values`` (numbers, made into labelled leaves, or Values used as given).

        Args:
            values: a number or Value for each variable; extra entries are ignored.
            name: the label of the output; by default the last statement's name, or ``J``. An
                output that is a bare variable keeps its own label.

        Raises:
            ParseError: a variable has no value or is also assigned, a value is given for ``pi`` or
                ``e``, or a number is not finite.
            DomainError: an operation is undefined at these values (``log(-1)``, ``1/0``, ...).
        """
        values = _as_python_names(values)
        if name is not None and name in CONSTANTS:
            raise ParseError(f"parse: {name} is a constant, so it cannot name the output; choose another name")
        missing = [v for v in self.variables if v not in values]
        if missing:
            hints = [f"{m} is a function: call it, e.g. {m}(x)" for m in missing if m in functions()]
            raise ParseError(
                f"parse: no value for {', '.join(missing)} in {quote(self.text)}; "
                f"bind every name the expression uses, e.g. {missing[0]}=1.0"
                + ("" if not hints else " (" + "; ".join(hints) + ")")
            )
        both = [a for a in self.assigned if a in values]
        if both:
            raise ParseError(
                f"parse: {both[0]} is both assigned in the program and bound to a value; "
                f"remove the binding {both[0]}=..., or give the statement another name"
            )
        nodes: list[Value] = []
        for step in self.steps:
            if step.op == "var":
                nodes.append(_leaf(step.label, values[step.label]))
                continue
            if step.op == "num":
                nodes.append(constant(step.inputs[0][1]))  # type: ignore[index]
                nodes[-1].label = step.label
                continue
            args = [nodes[r] if isinstance(r, int) else constant(r[1]) for r in step.inputs]
            out = _OPERATOR[step.op](*args) if step.op in _OPERATOR else _call(step.op, args, step.text)
            out.label = step.label
            nodes.append(out)
        root = nodes[self.root]
        if self.steps[self.root].op != "var":  # a bare variable stays its own labelled leaf
            root.label = name or self.output or "J"
        return root


def _as_python_names(values: Mapping[str, Any]) -> dict[str, Any]:
    """The bindings under the names Python reads: NFKC form, so the micro sign µ is the Greek μ.

    ``pi`` and ``e`` (in any spelling) are refused: a program always reads them as the constants.
    """
    names: dict[str, Any] = {}
    spelled: dict[str, str] = {}
    for given, x in values.items():
        name = unicodedata.normalize("NFKC", given) if isinstance(given, str) else given
        if name in spelled:
            raise ParseError(
                f"parse: {quote(spelled[name])} and {quote(given)} are the same name to Python ({quote(name)}); "
                "bind it once"
            )
        if name in CONSTANTS:
            raise ParseError(
                f"parse: {quote(given)} is the constant {name} = {CONSTANTS[name]!r}, so it cannot be bound to a "
                "value; name the variable otherwise, e.g. e_1"
            )
        names[name], spelled[name] = x, given
    return names


def parse(text: str, /, name: str | None = None, **bindings: Any) -> Value:
    """Build the graph of a program with its variables bound to numbers, and return its output.

    Args:
        text: one expression, ``"3*(a + b*c)"``, or statements, ``"z = w*x + b; a = sigmoid(z)"``.
        name: the label of the output (default: the last statement's name, or ``J``).
        **bindings: a real number for each variable (extra ones are ignored). ``pi`` and ``e`` are
            the constants and cannot be bound (a ``ParseError``); two spellings that Python reads
            as one name (``µ`` and ``μ``, ``ｘ`` and ``x``: the same NFKC form) cannot both be bound.

    Returns:
        The output Value; ``.backward()`` it or pass it to ``gradients`` or ``viz.render``.

    Raises:
        ParseError: the text is not an allowed program, a variable is unbound or also assigned,
            a binding is not a finite real number or binds ``pi`` or ``e``. The message quotes the
            offending part.
        DomainError: an operation is undefined at these numbers.

    >>> J = parse("u = b*c; v = a + u; J = 3*v", a=5, b=3, c=2)
    >>> J.backward()
    >>> J.label, J.data, J.parents[1].label, J.parents[1].parents[1].label
    ('J', 33.0, 'v', 'u')
    """
    if name is not None and not isinstance(name, str):
        raise ParseError(
            f"parse: name is the output's label, a str, got {type(name).__name__} {name!r}; a variable "
            "called name cannot be bound by keyword here: rename it in the expression"
        )
    program = compile_program(text)
    for variable, value in bindings.items():
        check_number(variable, value)
    return program.build(bindings, name)


def compile_program(text: str) -> Program:
    """Check ``text`` against the whitelist and compile it, without any numbers yet.

    >>> compile_program("x**2 + exp(-x)").variables
    ('x',)
    """
    if isinstance(text, str):  # indentation means nothing in a program: " x" is no indentation error
        text = "\n".join(line.strip(" \t") for line in LINE_BREAK.split(text.strip(" \t\r\n")))
    tree = syntax_tree(text)
    program = statements(tree, text)
    compiler = Compiler(text, [name for name, _, _ in program])
    root, output = 0, None
    for output, expr, whole in program:
        root = compiler.statement(output, expr, whole)
    variables = tuple(s.label for s in compiler.steps if s.op == "var")
    return Program(text, variables, tuple(compiler.names), output, tuple(compiler.steps), root)


def constant_value(text: str) -> float:
    """The number a constant expression stands for: ``"pi/2"``, ``"-1e-3"``, ``"2*e"``, ``"sqrt(2)"``.

    The text is read by the same whitelist as a program: numbers, ``pi``, ``e``, ``+ - * / **``,
    parentheses and the language's functions; any other name, or a statement, is refused.

    Raises:
        ParseError: the text is not one expression of numbers and constants, or its value is not finite.
        DomainError: a function is undefined there (``log(-1)``).

    >>> constant_value("pi/2") == math.pi / 2, constant_value("-1e-3"), constant_value("sqrt(4)")
    (True, -0.001, 2.0)
    """
    if isinstance(text, str) and (";" in text or LINE_BREAK.search(text.strip())):
        raise ParseError(f"parse: a value is one expression, not statements: {quote(text)}")
    program = compile_program(text)
    if program.assigned:
        raise ParseError(f"parse: a value is one expression, not an assignment: {quote(text)}")
    if program.variables:
        unknown = program.variables[0]
        where = "" if unknown == text.strip() else f" in {quote(text)}"
        what = "a finite number" if unknown.lower() in ("inf", "nan", "infinity") else "a number nor a constant"
        raise ParseError(
            f"parse: {quote(unknown)}{where} is not {what}: a value may use numbers, pi, e and the functions, "
            "as in 0.5, -1e-3, pi/2 or sqrt(2)"
        )
    value = program.build({}).data
    if not math.isfinite(value):
        raise ParseError(f"parse: {quote(text)} is {value}, not a finite number")
    return value


def check_number(name: str, value: Any) -> float:
    """``value`` as a float if it is a finite real number (not a bool), else a ``ParseError``.

    >>> check_number("a", 5)
    5.0
    """
    number = finite_float(value)
    if number is None:
        raise ParseError(f"parse: {name} must be bound to a finite number (int or float), got {describe(value)}")
    return number


def _leaf(name: str, value: Any) -> Value:
    return value if isinstance(value, Value) else Value(check_number(name, value), label=name)


def _call(op: str, args: list[Value], text: str) -> Value:
    try:
        return apply(op, *args)
    except TypeError as e:  # a defop primitive whose forward does not take this many arguments
        raise ParseError(f"parse: {quote(text)} could not be applied: {e}") from None
