"""Turn a program like ``"u = b*c; v = a + u; J = 3*v"`` into a graph of Values, safely.

A program is one expression (``"3*(a + b*c)"``) or statements ``name = expression`` separated by
``;`` or new lines, the last one the output. The text is checked against a whitelist
(``syntax.py``) and compiled into a short list of engine operations; nothing is ever evaluated
as Python. ``pi`` and ``e`` are constants.

One node per subexpression: the same computation written twice (``sigmoid(w*x + b)`` in two
places, or ``sigmoid(z)`` after ``z = w*x + b``) is one node used twice, so a drawing shows the
fan-out the math has.

Labels: each leaf is labelled with its variable name and each assigned node with its name; any
other intermediate node with the text of its subexpression, normalised so that ``+`` and ``-`` are
spaced and the tighter operators are not (``b*c``, ``a + b*c``, ``exp(-x**2)``); the output with
its name (``J`` for a bare expression, unless ``name`` says otherwise).
"""

from __future__ import annotations

import ast
import operator
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Union

from .._checks import describe, finite_float
from ..errors import ParseError
from ..extend import apply
from ..value import Value, constant
from .syntax import BINOPS, CONSTANTS, check, functions, number, quote, reject, segment, statements, syntax_tree

# Precedence levels for the normalised labels (higher binds tighter).
_ADD, _MUL, _UNARY, _POW, _ATOM = 1, 2, 3, 4, 5
_PRECEDENCE = {"+": _ADD, "-": _ADD, "*": _MUL, "/": _MUL, "**": _POW}
_OPERATOR: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv, "**": operator.pow,
    "neg": operator.neg,
}  # fmt: skip

#: An input of a step: the index of an earlier step, or ("num", x), a number made a fresh constant.
Ref = Union[int, tuple[str, float]]


@dataclass
class Step:
    """One node of the program: a variable's leaf, or ``op`` applied to ``inputs``."""

    op: str  # "var" for a variable's leaf, "num" for a named number, else "+", "neg", "sigmoid", ...
    inputs: tuple[Ref, ...]  # for "var", empty (the variable is ``label``); for "num", its number
    label: str
    text: str  # the step's source text, for messages


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
            ParseError: a variable has no value or is also assigned, or a number is not finite.
            DomainError: an operation is undefined at these values (``log(-1)``, ``1/0``, ...).
        """
        values = _as_python_names(values)
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
    """The bindings under the names Python reads: NFKC form, so the micro sign µ is the Greek μ."""
    names: dict[str, Any] = {}
    spelled: dict[str, str] = {}
    for given, x in values.items():
        name = unicodedata.normalize("NFKC", given) if isinstance(given, str) else given
        if name in spelled:
            raise ParseError(
                f"parse: {spelled[name]!r} and {given!r} are the same name to Python ({name!r}); bind it once"
            )
        names[name], spelled[name] = x, given
    return names


def parse(text: str, /, name: str | None = None, **bindings: Any) -> Value:
    """Build the graph of a program with its variables bound to numbers, and return its output.

    Args:
        text: one expression, ``"3*(a + b*c)"``, or statements, ``"z = w*x + b; a = sigmoid(z)"``.
        name: the label of the output (default: the last statement's name, or ``J``).
        **bindings: a real number for each variable (extra ones are ignored).

    Returns:
        The output Value; ``.backward()`` it or pass it to ``gradients`` or ``viz.render``.

    Raises:
        ParseError: the text is not an allowed program, a variable is unbound or also assigned,
            or a binding is not a finite real number. The message quotes the offending part.
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
        text = "\n".join(line.strip() for line in text.strip().splitlines())
    tree = syntax_tree(text)
    program = statements(tree, text)
    compiler = _Compiler(text, [name for name, _, _ in program])
    root, output = 0, None
    for output, expr, whole in program:
        root = compiler.statement(output, expr, whole)
    variables = tuple(s.label for s in compiler.steps if s.op == "var")
    return Program(text, variables, tuple(compiler.names), output, tuple(compiler.steps), root)


class _Compiler:
    """Turns each statement's checked tree into steps, one step per distinct computation."""

    def __init__(self, text: str, assigned: list[str | None]) -> None:
        self.text = text
        self.steps: list[Step] = []
        self.names: dict[str, int] = {}  # each assigned name and the step it names
        self.known: dict[tuple[Any, ...], int] = {}  # (op, inputs) or ("var", name) -> step
        self.later = set(assigned)  # the names not assigned yet

    def statement(self, name: str | None, expr: ast.expr, whole: ast.stmt) -> int:
        """The step of the statement ``name = expr`` (or of the output ``expr``), labelled ``name``."""
        if name in self.names:
            reject(f"{name} is assigned twice; give each statement its own name", whole, self.text)
        ref, _, _ = self.expression(expr)
        if isinstance(ref, tuple):  # "c = 2", or a number as the output: a leaf of its own, a constant
            ref = self._add(("num", ref[1], name), Step("num", (ref,), name or "", segment(self.text, expr)))
        elif name is not None and self.steps[ref].op != "var" and self.steps[ref].label not in self.names:
            self.steps[ref].label = name  # (a leaf keeps its name: ``u = a`` is a second name for a)
        if name is not None:
            self.names[name] = ref
            self.later.discard(name)
        return ref

    def expression(self, tree: ast.expr) -> tuple[Ref, str, int]:
        """The step (or number) that computes ``tree``, with its normalised text and precedence."""
        done: list[tuple[Ref, str, int]] = []  # (ref, text, precedence) of each finished subtree
        stack: list[tuple[ast.AST, bool]] = [(tree, False)]
        while stack:
            node, finished = stack.pop()
            if not finished:
                children = check(node, self.text)
                stack.append((node, True))
                stack.extend((child, False) for child in reversed(children))
                continue
            if isinstance(node, ast.Constant):
                x = number(node, self.text)
                done.append((("num", x), repr(node.value), _ATOM))
            elif isinstance(node, ast.Name):
                done.append((self._name(node), node.id, _ATOM))
            elif isinstance(node, ast.UnaryOp):
                if isinstance(node.op, ast.USub):  # unary plus makes no node: ``+a`` is ``a``
                    ref, text, prec = done.pop()
                    text = "-" + _wrap(text, prec < _UNARY)
                    done.append((self._op("neg", (ref,), text, node), text, _UNARY))
            elif isinstance(node, ast.BinOp):
                symbol = BINOPS[type(node.op)]
                prec = _PRECEDENCE[symbol]
                (right, rtext, rprec), (left, ltext, lprec) = done.pop(), done.pop()
                if prec == _POW:  # right-associative, and binds tighter than a unary minus on its left
                    text = _wrap(ltext, lprec <= _POW) + "**" + _wrap(rtext, rprec < _UNARY)
                else:
                    sep = f" {symbol} " if prec == _ADD else symbol
                    text = _wrap(ltext, lprec < prec) + sep + _wrap(rtext, rprec <= prec)
                done.append((self._op(symbol, (left, right), text, node), text, prec))
            else:  # ast.Call, checked by syntax.check
                n = len(node.args)  # type: ignore[attr-defined]
                args = done[len(done) - n :]
                del done[len(done) - n :]
                fname = node.func.id  # type: ignore[attr-defined]
                text = f"{fname}({', '.join(t for _, t, _ in args)})"
                done.append((self._op(fname, tuple(r for r, _, _ in args), text, node), text, _ATOM))
        return done[0]

    def _name(self, node: ast.Name) -> Ref:
        name = node.id
        if name in self.names:
            return self.names[name]
        if name in self.later:
            reject(f"{name} is used before it is assigned; assign it in an earlier statement", node, self.text)
        if name in CONSTANTS:
            return ("num", CONSTANTS[name])
        return self._add(("var", name), Step("var", (), name, name))

    def _op(self, op: str, inputs: tuple[Ref, ...], text: str, node: ast.AST) -> int:
        return self._add((op, inputs), Step(op, inputs, text, segment(self.text, node)))

    def _add(self, key: tuple[Any, ...], step: Step) -> int:
        if key not in self.known:
            self.known[key] = len(self.steps)
            self.steps.append(step)
        return self.known[key]


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


def _wrap(text: str, needed: bool) -> str:
    return f"({text})" if needed else text
