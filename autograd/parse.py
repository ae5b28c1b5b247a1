"""Turn expression text like ``"3*(a + b*c)"`` into a graph of Values, safely.

The text is parsed with Python's ``ast`` and checked against a whitelist: numbers, names,
``+ - * / **``, unary minus and plus, parentheses, and calls of the engine's functions
(``autograd.FUNCTIONS``, which includes every ``defop`` primitive). Nothing is ever evaluated
as Python: the checked tree is compiled into a short list of engine operations.

Labels: each leaf is labelled with its variable name; each intermediate node with the text of its
subexpression, normalised so that ``+`` and ``-`` are spaced and the tighter operators are not
(``b*c``, ``a + b*c``, ``3*(a + b*c)``, ``exp(-x**2)``); the root is labelled with ``name``.
"""

from __future__ import annotations

import ast
import inspect
import keyword
import math
import numbers
import operator
import re
import unicodedata
import warnings
from dataclasses import dataclass
from typing import Any, Callable, Mapping, NoReturn

from .functions import FUNCTIONS
from .value import Value

#: Longest expression accepted, in characters.
MAX_LENGTH = 10_000
#: Deepest nesting of brackets accepted.
MAX_NESTING = 100
#: Most operator characters (``+ - * / ...``) accepted; with MAX_NESTING this bounds the tree's depth
#: well below what ``ast.parse`` can build (about 3,000 levels), on any input.
MAX_OPERATORS = 1_000

ALLOWED = (
    "an expression may use numbers, variable names, + - * / **, unary minus, parentheses "
    "and calls of the functions {functions}"
)


class ParseError(ValueError):
    """The expression text is not one that ``parse`` accepts; the message quotes the offending part."""


# Precedence levels for the normalised labels (higher binds tighter).
_ADD, _MUL, _UNARY, _POW, _ATOM = 1, 2, 3, 4, 5
_BINOPS: dict[type, tuple[str, int, Callable[[Any, Any], Any]]] = {
    ast.Add: ("+", _ADD, operator.add),
    ast.Sub: ("-", _ADD, operator.sub),
    ast.Mult: ("*", _MUL, operator.mul),
    ast.Div: ("/", _MUL, operator.truediv),
    ast.Pow: ("**", _POW, operator.pow),
}
_BINOP_TEXT = {ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@", ast.LShift: "<<", ast.RShift: ">>",
               ast.BitOr: "|", ast.BitXor: "^", ast.BitAnd: "&"}  # fmt: skip
# What a rejected construct is, in words.
_REJECTED: dict[type, str] = {
    ast.Attribute: "attribute access is", ast.Subscript: "subscripts are", ast.Lambda: "lambdas are",
    ast.ListComp: "comprehensions are", ast.SetComp: "comprehensions are", ast.DictComp: "comprehensions are",
    ast.GeneratorExp: "generator expressions are", ast.Compare: "comparisons are", ast.BoolOp: "and/or are",
    ast.IfExp: "conditional expressions are", ast.Tuple: "tuples are", ast.List: "lists are", ast.Set: "sets are",
    ast.Dict: "dicts are", ast.JoinedStr: "strings are", ast.NamedExpr: "assignments (:=) are",
    ast.Starred: "starred arguments are", ast.Await: "await is", ast.Yield: "yield is", ast.YieldFrom: "yield is",
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
            hints = [f"{m} is a function: call it, e.g. {m}(x)" for m in missing if m in FUNCTIONS]
            raise ParseError(
                f"parse: no value for {', '.join(missing)} in {_quote(self.text)}; "
                f"bind every name the expression uses, e.g. {missing[0]}=1.0"
                + ("" if not hints else " (" + "; ".join(hints) + ")")
            )
        leaves = {v: _leaf(v, values[v]) for v in self.variables}
        stack: list[Value] = []
        for kind, arg, label, *extra in self.program:
            if kind == "num":
                stack.append(Value(arg))
                continue
            if kind == "var":
                stack.append(leaves[arg])
                continue
            if kind == "neg":
                out = -stack.pop()
            elif kind == "binop":
                right = stack.pop()
                out = arg(stack.pop(), right)
            else:  # "call"
                n_args, segment = extra
                args = stack[len(stack) - n_args :]
                del stack[len(stack) - n_args :]
                out = _call(arg, args, segment)
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
    tree = _syntax_tree(expr)
    program: list[tuple[Any, ...]] = []
    variables: dict[str, None] = {}
    texts: list[tuple[str, int]] = []  # (normalised text, precedence) of each finished subtree
    stack: list[tuple[ast.AST, bool]] = [(tree.body, False)]
    while stack:
        node, done = stack.pop()
        if not done:
            children = _check(node, expr)
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(children))
            continue
        if isinstance(node, ast.Constant):
            number = _number(node, expr)
            program.append(("num", number, ""))
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
            symbol, prec, function = _BINOPS[type(node.op)]
            right, left = texts.pop(), texts.pop()
            if prec == _POW:  # right-associative, and binds tighter than a unary minus on its left
                text = _wrap(left[0], left[1] <= _POW) + "**" + _wrap(right[0], right[1] < _UNARY)
            else:
                sep = f" {symbol} " if prec == _ADD else symbol
                text = _wrap(left[0], left[1] < prec) + sep + _wrap(right[0], right[1] <= prec)
            texts.append((text, prec))
            program.append(("binop", function, text))
        else:  # ast.Call, checked by _check
            n_args = len(node.args)  # type: ignore[attr-defined]
            args = [texts.pop()[0] for _ in range(n_args)][::-1]
            fname = node.func.id  # type: ignore[attr-defined]
            texts.append((f"{fname}({', '.join(args)})", _ATOM))
            program.append(("call", FUNCTIONS[fname], texts[-1][0], n_args, _segment(expr, node)))
    return Expression(expr, tuple(variables), tuple(program))


def _syntax_tree(expr: str) -> ast.Expression:
    """``ast.parse`` behind limits that keep it from exhausting the stack or memory."""
    if not isinstance(expr, str):
        raise ParseError(f"parse: the expression must be a str, got {type(expr).__name__}")
    if not expr.strip():
        raise ParseError("parse: the expression is empty; write one such as '3*(a + b*c)'")
    if len(expr) > MAX_LENGTH:
        raise ParseError(f"parse: the expression is {len(expr):,} characters long; at most {MAX_LENGTH:,} are allowed")
    depth = deepest = operators = 0
    for ch in expr:
        if ch in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in ")]}":
            depth -= 1
        elif ch in "+-*/%@&|^~<>=!":
            operators += 1
    if deepest > MAX_NESTING:
        raise ParseError(f"parse: brackets are nested {deepest} deep; at most {MAX_NESTING} levels are allowed")
    if operators > MAX_OPERATORS:
        raise ParseError(
            f"parse: the expression has {operators:,} operator characters; at most {MAX_OPERATORS:,} are allowed"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. "'int' object is not callable" for ``3(a)``
            return ast.parse(expr, mode="eval")
    except SyntaxError as e:
        where = f" at column {e.offset}" if e.offset else ""
        raise ParseError(f"parse: invalid syntax in {_quote(expr)}{where}: {e.msg}{_juxtaposition_hint(expr)}") from None
    except (RecursionError, MemoryError):
        raise ParseError(f"parse: the expression is too deeply nested to parse: {_quote(expr)}") from None
    except ValueError as e:  # null bytes
        raise ParseError(f"parse: invalid text in {_quote(expr)}: {e}") from None


_NUMBER = r"(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_NAME = r"[^\W\d]\w*"
_JUXTAPOSED = re.compile(rf"(\)|(?<![\w.])(?:{_NUMBER}|{_NAME}))\s*({_NAME}|\()")


def _juxtaposition_hint(expr: str) -> str:
    """A hint for two operands side by side, as on paper: ``2a``, ``2 a``, ``a b``, ``(a)(b)``, ``sin x``.

    >>> _juxtaposition_hint("1.5 x + 2"), _juxtaposition_hint("sin x"), _juxtaposition_hint("a +")
    (' (multiplication needs *: write 1.5*x)', ' (a function needs parentheses: write sin(x))', '')
    """
    for match in _JUXTAPOSED.finditer(expr):
        left, right = match.groups()
        if keyword.iskeyword(left) or keyword.iskeyword(right) or (left.isidentifier() and right == "("):
            continue  # "a if b", or a call such as "f (x)": not a product
        if left in FUNCTIONS and right.isidentifier():
            return f" (a function needs parentheses: write {left}({right}))"
        return f" (multiplication needs *: write {'(...)' if left == ')' else left}*{right})"
    return ""


def _check(node: ast.AST, expr: str) -> list[ast.AST]:
    """Raise ``ParseError`` unless ``node`` is allowed; return the children to visit."""
    if isinstance(node, ast.Constant):
        return []
    if isinstance(node, ast.Name):
        _check_name(node.id, node, expr)
        return []
    if isinstance(node, ast.BinOp):
        if type(node.op) not in _BINOPS:
            symbol = _BINOP_TEXT.get(type(node.op), type(node.op).__name__)
            hint = " (a power is written **, as in x**2)" if symbol == "^" else ""
            _reject(f"the operator {symbol} is not supported{hint}", node, expr)
        return [node.left, node.right]
    if isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, (ast.USub, ast.UAdd)):
            _reject(f"the operator {'not' if isinstance(node.op, ast.Not) else '~'} is not supported", node, expr)
        return [node.operand]
    if isinstance(node, ast.Call):
        return _check_call(node, expr)
    _reject(f"{_REJECTED.get(type(node), type(node).__name__ + ' is')} not allowed", node, expr)


def _check_name(name: str, node: ast.AST, expr: str) -> None:
    if name.startswith("__") and name.endswith("__"):
        _reject("dunder names are not allowed", node, expr)


def _check_call(node: ast.Call, expr: str) -> list[ast.AST]:
    func = node.func
    if isinstance(func, ast.Attribute):
        _reject("attribute access is not allowed", func, expr)
    if isinstance(func, ast.Constant) and type(func.value) in (int, float):  # 3(a + b)
        whole, number = _segment(expr, node), _segment(expr, func)
        _reject(f"a number cannot be called (to multiply, write *: {number}*{whole[len(number):].lstrip()})", node, expr)
    if not isinstance(func, ast.Name):
        _reject("only a function's name can be called (to multiply, write *: (a + 1)*(a - 1))", node, expr)
    _check_name(func.id, func, expr)
    if func.id not in FUNCTIONS:
        _reject(f"unknown function {func.id!r}", node, expr)
    if node.keywords:
        _reject("keyword arguments are not allowed", node.keywords[0], expr)
    for arg in node.args:
        if isinstance(arg, ast.Starred):
            _reject("starred arguments are not allowed", arg, expr)
    low, high = _arity(FUNCTIONS[func.id])
    if not low <= len(node.args) <= high:
        wanted = str(low) if low == high else f"{low} to {high}" if high < 1_000 else f"at least {low}"
        _reject(f"{func.id} takes {wanted} argument{'s' if wanted != '1' else ''}, not {len(node.args)}", node, expr)
    return list(node.args)


def _arity(function: Callable[..., Any]) -> tuple[int, int]:
    """(fewest, most) positional arguments ``function`` takes; a ``*args`` function takes 1 or more."""
    low = high = 0
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return 1, 1_000_000
    for p in parameters:
        if p.kind is p.VAR_POSITIONAL:
            return max(low, 1), 1_000_000
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            high += 1
            low += p.default is p.empty
    return low, high


def _number(node: ast.Constant, expr: str) -> float:
    value = node.value
    if type(value) not in (int, float):
        kind = {bool: "booleans are", complex: "complex numbers are", str: "strings are", bytes: "bytes are"}
        _reject(f"{kind.get(type(value), repr(value) + ' is')} not allowed, only int and float numbers", node, expr)
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        _reject("the number is too large for a float (about 1.8e308 at most)", node, expr)
    return number


def check_number(name: str, value: Any) -> float:
    """``value`` as a float if it is a finite real number (not a bool), else a ``ParseError``.

    >>> check_number("a", 5)
    5.0
    """
    text = repr(value)
    text = text if len(text) <= 40 else text[:37] + "..."
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ParseError(
            f"parse: {name} must be bound to a real number (int or float), got {type(value).__name__} {text}"
        )
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise ParseError(f"parse: {name} must be bound to a finite number, got {text}")
    return number


def _leaf(name: str, value: Any) -> Value:
    return value if isinstance(value, Value) else Value(check_number(name, value), label=name)


def _call(function: Callable[..., Any], args: list[Value], segment: str) -> Value:
    try:
        return function(*args)
    except TypeError as e:  # a defop primitive called with a number of arguments its forward does not take
        raise ParseError(f"parse: {_quote(segment)} could not be applied: {e}") from None


def _wrap(text: str, needed: bool) -> str:
    return f"({text})" if needed else text


def _segment(expr: str, node: ast.AST) -> str:
    return ast.get_source_segment(expr, node) or expr


def _quote(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 25] + " ... " + text[-20:]
    return repr(text)


def _reject(problem: str, node: ast.AST, expr: str) -> NoReturn:
    functions = ", ".join(sorted(FUNCTIONS))
    raise ParseError(f"parse: {problem}: {_quote(_segment(expr, node))}; " + ALLOWED.format(functions=functions))
