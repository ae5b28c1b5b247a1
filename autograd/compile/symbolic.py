"""Running a rule's source on symbols: what is known now is computed, the rest becomes an expression.

A derivative rule like ``lambda ans, x: (1.0 if x > 0 else 0.0,)`` or ``_dot(ans, *xs)`` is run
with expressions in place of its inputs (the node's variable names). Numbers, ``len`` of the
inputs, slices of them and branches on constants are worked out while compiling; arithmetic,
comparisons and calls on the inputs become expressions that run at every call. Anything else (a
loop, a ``try``, an ``if`` statement on an input) raises ``GiveUp``, and the caller falls back to
calling the rule as it is. Known float arithmetic is done now with the same float operation that
would run later, so it gives the same bits.

>>> import ast
>>> rule = ast.parse("lambda ans, x, y: (y * ans, 1.0 - 0.5)", mode="eval").body
>>> result = Evaluator({}, lambda obj, hint: "_" + hint, lambda fn, args: None).call(rule, [ast.Name("a"), ast.Name("u"), ast.Name("v")])
>>> ast.unparse(result[0]), result[1]
('v * a', Known(value=0.5))
"""

from __future__ import annotations

import ast
import builtins
import dataclasses
import math
import operator
import types
from collections.abc import Callable
from typing import Any


@dataclasses.dataclass(frozen=True)
class Known:
    """A value known while compiling: a number, a function, a module (not a tuple: tuples of items are
    the sequences, like the inputs ``*xs``)."""

    value: Any


class GiveUp(Exception):
    """The rule does something the evaluator does not follow: it is called at run time instead."""


Item = Any  # a Known, an ast.expr, or a tuple of items (the inputs ``*xs``, a rule's result)
Bind = Callable[[Any, str], str]  # names an object that the generated code uses
OnCall = Callable[[Any, list[ast.expr]], "ast.expr | None"]  # writes out a call it knows, or None

BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
          ast.Pow: operator.pow, ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod}  # fmt: skip
UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos, ast.Not: operator.not_}
COMPARE = {ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge,
           ast.Eq: operator.eq, ast.NotEq: operator.ne}  # fmt: skip
FOLDABLE = (len, float, int, abs)  # pure builtins worked out while compiling when their arguments are known


def number(x: float) -> ast.expr:
    """``x`` as an expression that gives exactly ``x``: its repr, or ``_inf``/``_nan``, a minus in front.

    >>> ast.unparse(number(-0.0)), ast.unparse(number(float("-inf"))), ast.unparse(number(2.5))
    ('-0.0', '-_inf', '2.5')
    """
    if x != x:
        return ast.Name("_nan")
    if x < 0 or (x == 0 and math.copysign(1.0, x) < 0):
        return ast.UnaryOp(ast.USub(), number(-x))
    return ast.Name("_inf") if x == math.inf else ast.Constant(x)


class Evaluator:
    """Runs one rule's syntax tree; names are looked up in the rule's closure, globals and builtins."""

    def __init__(self, scope: dict[str, Any], bind: Bind, on_call: OnCall) -> None:
        self.outer = [scope, vars(builtins)]
        self.bind, self.on_call = bind, on_call

    @classmethod
    def of(cls, fn: Callable[..., Any], bind: Bind, on_call: OnCall) -> Evaluator:
        """An evaluator for the function ``fn``: its closure and globals are its outer scope."""
        cells = dict(zip(fn.__code__.co_freevars, (c.cell_contents for c in (fn.__closure__ or ()))))
        return cls({**getattr(fn, "__globals__", {}), **cells}, bind, on_call)

    def call(self, tree: ast.Lambda | ast.FunctionDef, args: list[Item]) -> Item:
        """The rule's result with ``args`` as its positional arguments."""
        a = tree.args
        if a.posonlyargs or a.kwonlyargs or a.kwarg or a.defaults or len(args) < len(a.args):
            raise GiveUp("a signature with more than positional parameters")
        if a.vararg is None and len(args) != len(a.args):
            raise GiveUp("a different number of inputs")
        env: dict[str, Item] = dict(zip((p.arg for p in a.args), args))
        if a.vararg is not None:
            env[a.vararg.arg] = tuple(args[len(a.args) :])
        return self.expr(tree.body, env) if isinstance(tree, ast.Lambda) else self.block(tree.body, env)

    def block(self, body: list[ast.stmt], env: dict[str, Item]) -> Item:
        for stmt in body:
            if isinstance(stmt, ast.Return) and stmt.value is not None:
                return self.expr(stmt.value, env)
            if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
                continue  # a docstring
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
                self.assign(stmt.targets[0], self.expr(stmt.value, env), env)
            elif isinstance(stmt, ast.If):
                result = self.block(stmt.body if self.known(stmt.test, env) else stmt.orelse, env)
                if result is not None:
                    return result
            else:
                raise GiveUp(f"a {type(stmt).__name__} statement")
        return None

    def assign(self, target: ast.expr, value: Item, env: dict[str, Item]) -> None:
        if isinstance(target, ast.Name):
            env[target.id] = value
        elif isinstance(target, ast.Tuple) and isinstance(value, tuple) and len(value) == len(target.elts):
            for t, v in zip(target.elts, value):
                self.assign(t, v, env)
        else:
            raise GiveUp("an assignment this evaluator does not unpack")

    def expr(self, node: ast.expr, env: dict[str, Item]) -> Item:
        method = getattr(self, f"_{type(node).__name__}", None)
        if method is None:
            raise GiveUp(f"a {type(node).__name__} expression")
        return method(node, env)

    def known(self, node: ast.expr, env: dict[str, Item]) -> Any:
        """The value of ``node``, which must be known while compiling (an index, a length, an if)."""
        item = self.expr(node, env)
        if not isinstance(item, Known):
            raise GiveUp("a value needed now that is known only at run time")
        return item.value

    def sequence(self, item: Item) -> tuple[Item, ...]:
        if isinstance(item, tuple):
            return item
        if isinstance(item, Known) and isinstance(item.value, tuple):
            return tuple(Known(v) for v in item.value)
        raise GiveUp("a sequence known only at run time")

    def _Constant(self, node: ast.Constant, env: dict[str, Item]) -> Item:
        return Known(node.value)

    def _Name(self, node: ast.Name, env: dict[str, Item]) -> Item:
        if node.id in env:
            return env[node.id]
        for scope in self.outer:
            if node.id in scope:
                return Known(scope[node.id])
        raise GiveUp(f"the unknown name {node.id}")

    def _Attribute(self, node: ast.Attribute, env: dict[str, Item]) -> Item:
        owner = self.known(node.value, env)
        if not isinstance(owner, types.ModuleType):
            raise GiveUp("an attribute of something other than a module")
        return Known(getattr(owner, node.attr))

    def _Tuple(self, node: ast.Tuple, env: dict[str, Item]) -> Item:
        items: list[Item] = []
        for e in node.elts:
            if isinstance(e, ast.Starred):
                items.extend(self.sequence(self.expr(e.value, env)))
            else:
                items.append(self.expr(e, env))
        return tuple(items)

    def _Subscript(self, node: ast.Subscript, env: dict[str, Item]) -> Item:
        seq = self.sequence(self.expr(node.value, env))
        s = node.slice
        if isinstance(s, ast.Slice):
            return seq[slice(*(None if b is None else self.known(b, env) for b in (s.lower, s.upper, s.step)))]
        return seq[self.known(s, env)]

    def _BinOp(self, node: ast.BinOp, env: dict[str, Item]) -> Item:
        left, right, op = self.expr(node.left, env), self.expr(node.right, env), BINARY.get(type(node.op))
        if op is None:
            raise GiveUp(f"the operator {type(node.op).__name__}")
        if isinstance(left, tuple) or isinstance(right, tuple):  # tuples: + joins, * repeats, known lengths
            return op(*(side if isinstance(side, tuple) else self._known_item(side) for side in (left, right)))
        if isinstance(left, Known) and isinstance(right, Known):
            return Known(op(left.value, right.value))  # the same float operation, done once now
        return ast.BinOp(self.to_ast(left), node.op, self.to_ast(right))

    def _known_item(self, item: Item) -> Any:
        if not isinstance(item, Known):
            raise GiveUp("a tuple repeated a number of times known only at run time")
        return item.value

    def _UnaryOp(self, node: ast.UnaryOp, env: dict[str, Item]) -> Item:
        operand = self.expr(node.operand, env)
        if type(node.op) not in UNARY:
            raise GiveUp("the operator ~")
        if isinstance(operand, Known):
            return Known(UNARY[type(node.op)](operand.value))
        return ast.UnaryOp(node.op, self.to_ast(operand))

    def _Compare(self, node: ast.Compare, env: dict[str, Item]) -> Item:
        if any(type(op) not in COMPARE for op in node.ops):
            raise GiveUp("a comparison other than < <= > >= == !=")
        items = [self.expr(node.left, env)] + [self.expr(c, env) for c in node.comparators]
        if all(isinstance(i, Known) for i in items):
            return Known(all(COMPARE[type(op)](a.value, b.value) for op, a, b in zip(node.ops, items, items[1:])))
        return ast.Compare(self.to_ast(items[0]), node.ops, [self.to_ast(i) for i in items[1:]])

    def _BoolOp(self, node: ast.BoolOp, env: dict[str, Item]) -> Item:
        return ast.BoolOp(node.op, [self.to_ast(self.expr(v, env)) for v in node.values])

    def _IfExp(self, node: ast.IfExp, env: dict[str, Item]) -> Item:
        test = self.expr(node.test, env)
        if isinstance(test, Known):  # a branch on a constant: only the side taken is written
            return self.expr(node.body if test.value else node.orelse, env)
        body, orelse = (self.to_ast(self.expr(side, env)) for side in (node.body, node.orelse))
        return ast.IfExp(self.to_ast(test), body, orelse)

    def _Call(self, node: ast.Call, env: dict[str, Item]) -> Item:
        fn = self.known(node.func, env)
        if node.keywords:
            raise GiveUp("a call with keyword arguments")
        args: list[Item] = []
        for a in node.args:
            args.extend(self.sequence(self.expr(a.value, env)) if isinstance(a, ast.Starred) else [self.expr(a, env)])
        if fn is len and len(args) == 1 and isinstance(args[0], tuple):
            return Known(len(args[0]))
        if any(fn is f for f in FOLDABLE) and all(isinstance(a, Known) for a in args):
            return Known(fn(*(a.value for a in args)))
        written = [self.to_ast(a) for a in args]
        known_call = self.on_call(fn, written)
        if known_call is not None:
            return known_call
        return ast.Call(ast.Name(self.bind(fn, getattr(fn, "__name__", "f"))), written, [])

    def to_ast(self, item: Item) -> ast.expr:
        """An item as an expression: numbers exactly (``number``), objects by the name ``bind`` gives."""
        if isinstance(item, ast.expr):
            return item
        if isinstance(item, tuple):
            raise GiveUp("a tuple inside an expression")
        value = item.value
        if isinstance(value, bool) or value is None:
            return ast.Constant(value)
        if isinstance(value, float):
            return number(value)
        if isinstance(value, int):
            return ast.Constant(value) if value >= 0 else ast.UnaryOp(ast.USub(), ast.Constant(-value))
        shown = repr(value) if not hasattr(value, "__name__") else value.__name__
        return ast.Name(self.bind(value, shown if shown.isidentifier() and len(shown) <= 30 else type(value).__name__))
