"""A function's source, read only if it is the code that runs: its syntax tree, checked against its bytecode.

``autograd.compile`` writes each derivative rule of the table into the code it generates, so it
reads the rule's source (``linecache``, as tracebacks do). A file edited since it was imported,
a function made by ``exec``, a lambda inside another function (whose names are its closure's):
for all of these the text is not, or not plainly, what runs. So the tree found is compiled again
on its own and used only if its bytecode, names and constants are the function's own.

>>> from autograd.rules import PRIMITIVES
>>> import ast
>>> ast.unparse(rule_tree(PRIMITIVES["relu"].local_derivatives))
'lambda ans, x: (1.0 if x > 0 else 0.0,)'
"""

from __future__ import annotations

import ast
import builtins
import functools
import linecache
import types
from collections.abc import Callable
from typing import Any


def rule_tree(fn: Callable[..., Any]) -> ast.Lambda | ast.FunctionDef | None:
    """The syntax tree of ``fn``'s source, if it can be read and compiles to ``fn``'s own bytecode.

    >>> from autograd.rules import _dot
    >>> rule_tree(_dot).name, rule_tree(len)
    ('_dot', None)
    """
    code = getattr(fn, "__code__", None)
    if code is None:
        return None
    return _tree(fn, code)


@functools.lru_cache(maxsize=256)
def _tree(fn: Callable[..., Any], code: types.CodeType) -> ast.Lambda | ast.FunctionDef | None:
    """``rule_tree``, once per function and code (a rule's code can be replaced, then it is read again)."""
    text = "".join(linecache.getlines(code.co_filename, getattr(fn, "__globals__", None)))
    for node in _definitions(text, code.co_firstlineno):
        if _compiles_to(node, code):
            return node
    return None


def _definitions(text: str, line: int) -> list[ast.Lambda | ast.FunctionDef]:
    """The lambdas and functions of the source ``text`` whose code starts at ``line``."""
    return _by_line(text).get(line, [])


@functools.lru_cache(maxsize=64)
def _by_line(text: str) -> dict[int, list[ast.Lambda | ast.FunctionDef]]:
    """Every lambda and function of ``text`` by the line its code starts on (a decorator's, if any):
    parsed and walked once per file, not once per rule."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return {}
    found: dict[int, list[ast.Lambda | ast.FunctionDef]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Lambda):
            found.setdefault(node.lineno, []).append(node)
        elif isinstance(node, ast.FunctionDef):
            found.setdefault(min([node.lineno] + [d.lineno for d in node.decorator_list]), []).append(node)
    return found


def _compiles_to(node: ast.Lambda | ast.FunctionDef, code: types.CodeType) -> bool:
    if isinstance(node, ast.FunctionDef):
        plain = ast.FunctionDef(node.name, node.args, node.body, [], None, None)
        module = ast.fix_missing_locations(ast.Module([plain], []))
    else:
        module = ast.fix_missing_locations(ast.Module([ast.Expr(node)], []))
    try:
        compiled = builtins.compile(module, code.co_filename, "exec", dont_inherit=True)
    except (SyntaxError, ValueError, TypeError):
        return False
    inner = [c for c in compiled.co_consts if isinstance(c, types.CodeType)]
    return len(inner) == 1 and _same_code(inner[0], code)


def _same_code(a: types.CodeType, b: types.CodeType) -> bool:
    if (a.co_code, a.co_names, a.co_varnames, a.co_freevars) != (b.co_code, b.co_names, b.co_varnames, b.co_freevars):
        return False
    if len(a.co_consts) != len(b.co_consts):
        return False
    for x, y in zip(a.co_consts, b.co_consts):
        same = (
            _same_code(x, y) if isinstance(x, types.CodeType) and isinstance(y, types.CodeType) else repr(x) == repr(y)
        )
        if not same:
            return False
    return True
