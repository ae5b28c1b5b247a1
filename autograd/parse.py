"""Turn expression text like ``"3*(a + b*c)"`` into a graph of Values, safely.

The text is checked against a whitelist (``syntax.py``) and compiled into a short list of engine
operations; nothing is ever evaluated as Python.

Labels: each leaf is labelled with its variable name; each intermediate node with the text of its
subexpression, normalised so that ``+`` and ``-`` are spaced and the tighter operators are not
(``b*c``, ``a + b*c``, ``3*(a + b*c)``, ``exp(-x**2)``); the root is labelled with ``name``.
"""

from __future__ import annotations

import ast
import operator
import unicodedata
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from .checks import describe, finite_float
from .defop import apply
from .syntax import BINOPS, ParseError, check, functions, number, quote, segment, syntax_tree
from .value import Value, constant

# Precedence levels for the normalised labels (higher binds tighter).
_ADD, _MUL, _UNARY, _POW, _ATOM = 1, 2, 3, 4, 5
_PRECEDENCE = {"+": _ADD, "-": _ADD, "*": _MUL, "/": _MUL, "**": _POW}
_OPERATOR: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv, "**": operator.pow,
}  # fmt: skip


@dataclass(frozen=True)
class Expression:
    """A checked expression, compiled to engine operations; ``build`` makes a graph from it.

    Attributes:
        text: the source text.
        variables: the names it uses, in order of first appearance.

    >>> e = compile_expression("3*(a + b*c)")
    >>> e.variables
    ('a', 'b', 'c')
    >>> e.build({"a": 5, "b": 3, "c": 2}).data
    33.0
    """

    text: str
    variables: tuple[str, ...]
    program: tuple[tuple[Any, ...], ...]

    def build(self, values: Mapping[str, Any], name: str = "J") -> Value:
        """Run the expression on ``values`` (numbers, made into labelled leaves, or Values used as given).

        Args:
            values: a number or Value for each variable; extra entries are ignored.
            name: the label of the root node (a root that is a bare variable keeps its own label).

        Raises:
            ParseError: a variable has no value, or a number is not a finite real number.
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
        leaves = {v: _leaf(v, values[v]) for v in self.variables}
        stack: list[Value] = []
        for kind, arg, label, *extra in self.program:
            if kind == "num":
                stack.append(constant(arg))
                continue
            if kind == "var":
                stack.append(leaves[arg])
                continue
            if kind == "neg":
                out = -stack.pop()
            elif kind == "binop":
                right = stack.pop()
                out = _OPERATOR[arg](stack.pop(), right)
            else:  # "call"
                n_args, text = extra
                args = stack[len(stack) - n_args :]
                del stack[len(stack) - n_args :]
                out = _call(arg, args, text)
            out.label = label
            stack.append(out)
        root = stack.pop()
        if self.program[-1][0] != "var":  # a bare variable stays its own labelled leaf
            root.label = name
        return root


def _as_python_names(values: Mapping[str, Any]) -> dict[str, Any]:
    """The bindings under the names Python reads: NFKC form, so the micro sign µ is the Greek μ."""
    names: dict[str, Any] = {}
    spelled: dict[str, str] = {}
    for given, x in values.items():
        name = unicodedata.normalize("NFKC", given) if isinstance(given, str) else given
        if name in spelled:
            raise ParseError(f"parse: {spelled[name]!r} and {given!r} are the same name to Python ({name!r}); bind it once")
        names[name], spelled[name] = x, given
    return names


def parse(expr: str, /, name: str = "J", **bindings: Any) -> Value:
    """Build the graph of ``expr`` with its variables bound to numbers, and return its root.

    Args:
        expr: the expression, e.g. ``"3*(a + b*c)"`` or ``"sigmoid(w*x + b)"``.
        name: the label of the root node.
        **bindings: a real number for each variable (extra ones are ignored).

    Returns:
        The root Value; ``.backward()`` it or pass it to ``gradients`` or ``viz.render``.

    Raises:
        ParseError: the text is not an allowed expression, a variable is unbound, or a binding is
            not a finite real number. The message quotes the offending part.
        DomainError: an operation is undefined at these numbers.

    >>> J = parse("3*(a + b*c)", a=5, b=3, c=2)
    >>> J.backward()
    >>> J.label, J.data, J.parents[1].label, J.parents[1].parents[1].label
    ('J', 33.0, 'a + b*c', 'b*c')
    """
    if not isinstance(name, str):
        raise ParseError(
            f"parse: name is the root's label, a str, got {type(name).__name__} {name!r}; a variable "
            "called name cannot be bound by keyword here: rename it in the expression"
        )
    expression = compile_expression(expr)
    for variable, value in bindings.items():
        check_number(variable, value)
    return expression.build(bindings, name)


def compile_expression(expr: str) -> Expression:
    """Check ``expr`` against the whitelist and compile it, without any numbers yet.

    >>> compile_expression("x**2 + exp(-x)").variables
    ('x',)
    """
    expr = expr.strip() if isinstance(expr, str) else expr  # " x" is no indentation error
    tree = syntax_tree(expr)
    program: list[tuple[Any, ...]] = []
    variables: dict[str, None] = {}
    texts: list[tuple[str, int]] = []  # (normalised text, precedence) of each finished subtree
    stack: list[tuple[ast.AST, bool]] = [(tree.body, False)]
    while stack:
        node, done = stack.pop()
        if not done:
            children = check(node, expr)
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(children))
            continue
        if isinstance(node, ast.Constant):
            program.append(("num", number(node, expr), ""))
            texts.append((repr(node.value), _ATOM))
        elif isinstance(node, ast.Name):
            variables.setdefault(node.id)
            program.append(("var", node.id, node.id))
            texts.append((node.id, _ATOM))
        elif isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.USub):
                text, prec = texts.pop()
                texts.append(("-" + _wrap(text, prec < _UNARY), _UNARY))
                program.append(("neg", None, texts[-1][0]))
            # unary plus makes no node: ``+a`` is ``a``
        elif isinstance(node, ast.BinOp):
            symbol = BINOPS[type(node.op)]
            prec = _PRECEDENCE[symbol]
            right, left = texts.pop(), texts.pop()
            if prec == _POW:  # right-associative, and binds tighter than a unary minus on its left
                text = _wrap(left[0], left[1] <= _POW) + "**" + _wrap(right[0], right[1] < _UNARY)
            else:
                sep = f" {symbol} " if prec == _ADD else symbol
                text = _wrap(left[0], left[1] < prec) + sep + _wrap(right[0], right[1] <= prec)
            texts.append((text, prec))
            program.append(("binop", symbol, text))
        else:  # ast.Call, checked by syntax.check
            n_args = len(node.args)  # type: ignore[attr-defined]
            args = [texts.pop()[0] for _ in range(n_args)][::-1]
            fname = node.func.id  # type: ignore[attr-defined]
            texts.append((f"{fname}({', '.join(args)})", _ATOM))
            program.append(("call", fname, texts[-1][0], n_args, segment(expr, node)))
    return Expression(expr, tuple(variables), tuple(program))


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
