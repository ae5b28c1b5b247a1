"""The whitelist of expression syntax: what ``parse`` accepts, and a clear error for anything else.

The text is read with Python's ``ast`` behind limits on its size, and every node of the tree is
checked here: numbers, names, ``+ - * / **``, unary minus and plus, parentheses, and calls of
the functions in the rule table (which includes every ``defop`` primitive). Nothing is ever
evaluated as Python.
"""

from __future__ import annotations

import ast
import difflib
import io
import keyword
import math
import re
import tokenize
import warnings
from typing import NoReturn

from ..errors import ParseError
from ..rules import PRIMITIVES, arity
from .text import check_line_breaks, one_line, quote, without_comments

#: Longest expression accepted, in characters.
MAX_LENGTH = 10_000
#: Deepest nesting of brackets accepted.
MAX_NESTING = 100
#: Most digits in a row accepted (a float keeps about 17 significant ones).
MAX_DIGITS = 400
#: Most operator characters (``+ - * / ...``) accepted; with MAX_NESTING this bounds the tree's depth
#: well below what ``ast.parse`` can build (about 3,000 levels), on any input.
MAX_OPERATORS = 1_000

#: Ops of the table that are not called by name: unary minus, and the fused nodes that take lists.
NOT_CALLABLE = frozenset({"neg", "sum", "dot"})

ALLOWED = "an expression may use numbers, names, + - * / **, unary minus, parentheses and calls of functions"

BINOPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_OTHER_BINOPS = {ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@", ast.LShift: "<<", ast.RShift: ">>",
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


def functions() -> list[str]:
    """The names an expression may call: the table's ops that are names, in alphabetical order.

    >>> [f for f in functions() if f in ("abs", "exp", "neg", "sum", "tanh")]
    ['abs', 'exp', 'tanh']
    """
    return sorted(op for op in PRIMITIVES if op.isidentifier() and op not in NOT_CALLABLE)


def syntax_tree(expr: str) -> ast.Module:
    """``ast.parse`` of a program (statements separated by ``;`` or line breaks) behind limits that
    keep it from exhausting the stack or memory. Comments count toward the length only."""
    if not isinstance(expr, str):
        raise ParseError(f"parse: the expression must be a str, got {type(expr).__name__}")
    if not expr.strip():
        raise ParseError("parse: the expression is empty; write one such as '3*(a + b*c)'")
    if len(expr) > MAX_LENGTH:
        raise ParseError(f"parse: the expression is {len(expr):,} characters long; at most {MAX_LENGTH:,} are allowed")
    check_line_breaks(expr)
    code = without_comments(expr)
    depth = deepest = operators = 0
    for ch in code:
        if ch in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in ")]}":
            depth -= 1
        elif ch in "+-*/%@&|^~<>=!":
            operators += 1
    digits = max((len(run) for run in _DIGITS.findall(code)), default=0)
    if digits > MAX_DIGITS:
        raise ParseError(
            f"parse: a number in the expression has {digits:,} digits in a row; at most {MAX_DIGITS} are allowed "
            "(a float keeps about 17 significant digits)"
        )
    if deepest > MAX_NESTING:
        raise ParseError(f"parse: brackets are nested {deepest} deep; at most {MAX_NESTING} levels are allowed")
    if operators > MAX_OPERATORS:
        raise ParseError(
            f"parse: the expression has {operators:,} operator characters; at most {MAX_OPERATORS:,} are allowed"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. "'int' object is not callable" for ``3(a)``
            return ast.parse(expr, mode="exec")
    except SyntaxError as e:
        where = f" at column {e.offset}" if e.offset else ""
        raise ParseError(f"parse: invalid syntax in {quote(expr)}{where}: {e.msg}{juxtaposition_hint(expr)}") from None
    except (RecursionError, MemoryError):
        raise ParseError(f"parse: the expression is too deeply nested to parse: {quote(expr)}") from None
    except ValueError as e:  # null bytes
        raise ParseError(f"parse: invalid text in {quote(expr)}: {e}") from None


def juxtaposition_hint(expr: str) -> str:
    """A hint for two operands side by side, as on paper: ``2a``, ``2 a``, ``a b``, ``(a)(b)``, ``sin x``.

    The text is read token by token, in one pass, so even a long one costs little.

    >>> juxtaposition_hint("1.5 x + 2"), juxtaposition_hint("sin x"), juxtaposition_hint("a +")
    (' (multiplication needs *: write 1.5*x)', ' (a function needs parentheses: write sin(x))', '')
    """
    try:
        tokens = [
            t for t in tokenize.generate_tokens(io.StringIO(expr).readline) if t.type in _OPERANDS or t.string in "()"
        ]
    except (tokenize.TokenError, SyntaxError):
        return ""
    for left, right in zip(tokens, tokens[1:]):
        if not (
            (left.type in _OPERANDS or left.string == ")") and (right.type == tokenize.NAME or right.string == "(")
        ):
            continue
        if keyword.iskeyword(left.string) or keyword.iskeyword(right.string):
            continue  # "a if b": not a product
        if left.type == tokenize.NAME and right.string == "(":
            continue  # a call such as "f (x)"
        if left.string in PRIMITIVES and right.type == tokenize.NAME:
            return f" (a function needs parentheses: write {left.string}({right.string}))"
        shown = ["(...)" if t.string in "()" else t.string for t in (left, right)]
        return f" (multiplication needs *: write {shown[0]}*{shown[1]})"
    return ""


_OPERANDS = (tokenize.NUMBER, tokenize.NAME)
_DIGITS = re.compile(rf"\d{{{MAX_DIGITS + 1},}}")


#: Names that are constants in a program, not variables.
CONSTANTS = {"pi": math.pi, "e": math.e}


def statements(tree: ast.Module, expr: str) -> list[tuple[str | None, ast.expr, ast.stmt]]:
    """The statements of a program as (name assigned or None, expression, statement): only
    ``name = expression`` statements, and a bare expression last (the output), are allowed.

    >>> [(name, type(e).__name__) for name, e, _ in statements(syntax_tree("u = b*c; 3*u"), "u = b*c; 3*u")]
    [('u', 'BinOp'), (None, 'BinOp')]
    """
    if not tree.body:
        raise ParseError("parse: the expression is empty; write one such as '3*(a + b*c)'")
    result: list[tuple[str | None, ast.expr, ast.stmt]] = []
    for k, statement in enumerate(tree.body):
        last = k == len(tree.body) - 1
        if isinstance(statement, ast.Expr) and last:
            result.append((None, statement.value, statement))
        elif (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
        ):
            name = statement.targets[0].id
            _check_name(name, statement.targets[0], expr)
            if name in functions() or name in CONSTANTS:
                what = "a function" if name in functions() else "a constant"
                reject(f"{name} is {what}, so it cannot be assigned; choose another name", statement.targets[0], expr)
            result.append((name, statement.value, statement))
        elif isinstance(statement, ast.Expr):
            reject(
                "only the last statement can be a bare expression (the output); give this one a name, as in u = b*c",
                statement,
                expr,
            )
        else:
            reject(
                "a program is statements 'name = expression' separated by ; or new lines, the last one the output",
                statement,
                expr,
            )
    return result


def check(node: ast.AST, expr: str) -> list[ast.AST]:
    """Raise ``ParseError`` unless ``node`` is allowed; return the children to visit."""
    if isinstance(node, ast.Constant):
        return []
    if isinstance(node, ast.Name):
        _check_name(node.id, node, expr)
        return []
    if isinstance(node, ast.BinOp):
        if type(node.op) not in BINOPS:
            symbol = _OTHER_BINOPS.get(type(node.op), type(node.op).__name__)
            hint = " (a power is written **, as in x**2)" if symbol == "^" else ""
            reject(f"the operator {symbol} is not supported{hint}", node, expr)
        return [node.left, node.right]
    if isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, (ast.USub, ast.UAdd)):
            reject(f"the operator {'not' if isinstance(node.op, ast.Not) else '~'} is not supported", node, expr)
        return [node.operand]
    if isinstance(node, ast.Call):
        return _check_call(node, expr)
    reject(f"{_REJECTED.get(type(node), type(node).__name__ + ' is')} not allowed", node, expr)


def _check_name(name: str, node: ast.AST, expr: str) -> None:
    if name.startswith("__") and name.endswith("__"):
        reject("dunder names are not allowed", node, expr)


def _check_call(node: ast.Call, expr: str) -> list[ast.AST]:
    func = node.func
    if isinstance(func, ast.Attribute):
        reject("attribute access is not allowed", func, expr)
    if isinstance(func, ast.Constant) and type(func.value) in (int, float):  # 3(a + b)
        whole, number = segment(expr, node), segment(expr, func)
        rest = one_line(whole[len(number) :])
        reject(f"a number cannot be called (to multiply, write *: {number}*{rest.lstrip()})", node, expr)
    if not isinstance(func, ast.Name):
        reject("only a function's name can be called (to multiply, write *: (a + 1)*(a - 1))", node, expr)
    _check_name(func.id, func, expr)
    if func.id not in functions():
        close = difflib.get_close_matches(func.id, functions(), n=1)
        hint = (
            f" (did you mean {close[0]}?)"
            if close
            else " (the functions are autograd.language.syntax.functions(), or see chainrule --help)"
        )
        reject(f"unknown function {func.id!r}{hint}", node, expr)
    if node.keywords:
        reject("keyword arguments are not allowed", node.keywords[0], expr)
    for arg in node.args:
        if isinstance(arg, ast.Starred):
            reject("starred arguments are not allowed", arg, expr)
    low, high = arity(func.id)
    if not low <= len(node.args) <= high:
        wanted = str(low) if low == high else f"{low} to {high}" if high < 1_000 else f"at least {low}"
        reject(f"{func.id} takes {wanted} argument{'s' if wanted != '1' else ''}, not {len(node.args)}", node, expr)
    return list(node.args)


def number(node: ast.Constant, expr: str) -> float:
    """The value of a number literal, or a ``ParseError`` for any other constant or an overflow."""
    value = node.value
    if type(value) is not int and type(value) is not float:
        kind = {bool: "booleans are", complex: "complex numbers are", str: "strings are", bytes: "bytes are"}
        reject(f"{kind.get(type(value), repr(value) + ' is')} not allowed, only int and float numbers", node, expr)
    try:
        result = float(value)
    except OverflowError:
        result = math.inf
    if not math.isfinite(result):
        reject("the number is too large for a float (about 1.8e308 at most)", node, expr)
    return result


def segment(expr: str, node: ast.AST) -> str:
    """The text of ``node`` in ``expr``."""
    return ast.get_source_segment(expr, node) or expr


def reject(problem: str, node: ast.AST, expr: str) -> NoReturn:
    """Raise the ``ParseError`` for ``problem`` at ``node``, quoting it."""
    raise ParseError(f"parse: {problem}: {quote(segment(expr, node))}; {ALLOWED}")
