"""The rule table as expressions: a primitive's forward and local derivatives, written out for one node.

``autograd.compile`` turns a traced graph into straight-line Python, and for each node it needs
two things from ``rules.PRIMITIVES``, both taken from the table itself:

- ``forward_text``: the code that computes the node. The engine's own float functions are
  written out (``x + y``, ``_exp(x)``, ``0.0 if x <= 0 else x``); any other forward (a ``defop``
  one, a new row) is called as it is.
- ``local_exprs``: the local derivatives. The rule's source is read and evaluated with the node's
  variable names in place of ``ans, x, y``: what is known while compiling (``len(xs)``, slices of
  the inputs, a branch on a constant) is worked out, the rest stays an expression that runs at
  every call (``1.0 if x > 0 else 0.0``). ``None`` means: call the rule through the table at run
  time (its source cannot be read, or it does something this evaluator does not follow, like a
  ``defop`` rule that checks what it returns).

The source read must be the code that runs (``source.py`` checks it against the bytecode). With ``vector=True`` the expressions are for numpy arrays (``_where`` for a
branch); a rule that cannot be written so is ``None`` too.
"""

from __future__ import annotations

import ast
import builtins
import functools
import math
import operator
import re
from collections.abc import Callable
from typing import Any, NamedTuple

from .. import forwards, functions
from ..rules import PRIMITIVES
from .source import rule_tree
from .symbolic import Bind, Evaluator, GiveUp, Item, Known, number

#: Forwards written out, for operands that are names or numbers: (float code, numpy code), or
#: ``None`` to call the function itself.
FORWARDS: dict[Callable[..., float], tuple[str | None, str | None]] = {
    operator.add: ("{0} + {1}", "{0} + {1}"),
    operator.sub: ("{0} - {1}", "{0} - {1}"),
    operator.mul: ("{0} * {1}", "{0} * {1}"),
    forwards.divide: (
        "{0} / {1}",
        "{0} / {1}",
    ),  # a zero divisor raises ZeroDivisionError: the engine then names the op
    forwards.power: (None, "{0} ** {1}"),  # Python's float ** makes (-8) ** 0.5 a complex number: called
    operator.neg: ("-{0}", "-{0}"),
    abs: ("_abs({0})", "_np_abs({0})"),
    forwards.exp: ("_exp({0})", "_np_exp({0})"),
    forwards.log: ("_log({0})", "_np_log({0})"),
    forwards.sqrt: ("_sqrt({0})", "_np_sqrt({0})"),
    forwards.sin: ("_sin({0})", "_np_sin({0})"),
    forwards.cos: ("_cos({0})", "_np_cos({0})"),
    forwards.tanh: ("_tanh({0})", "_np_tanh({0})"),
    forwards.sigmoid: (None, "_np_sigmoid({0})"),
    forwards.softplus: (None, "_np_softplus({0})"),
    forwards.relu: ("0.0 if {0} <= 0 else {0}", "_where({0} <= 0, 0.0, {0})"),
    forwards.leaky_relu: ("0.01 * {0} if {0} <= 0 else {0}", "_where({0} <= 0, 0.01 * {0}, {0})"),
}
#: What the helper names of the float code stand for (the numpy ones are in ``arrays.py``).
HELPERS: dict[str, Any] = {"_abs": abs, "_exp": math.exp, "_log": math.log, "_sqrt": math.sqrt,
                           "_sin": math.sin, "_cos": math.cos, "_tanh": math.tanh, "_sum": builtins.sum}  # fmt: skip
_PLACEHOLDER = re.compile(r"__([ao]\d+)__")
#: Whether the built-in ``sum`` adds floats one at a time, left to right (Python 3.11 and older; 3.12
#: compensates). Then a short sum is written ``0.0 + a + b``: the engine's float operations, without
#: a call. Longer ones stay ``_sum(...)``: a long chain of ``+`` would reach Python's recursion limit.
SEQUENTIAL_SUM = builtins.sum([1.0, 1e100, 1.0, -1e100]) == 0.0
LONGEST_CHAIN = 50


class Code(NamedTuple):
    """An expression of generated code."""

    text: str
    atomic: bool  # needs no parentheses as an operand: a name, a number, a call


def atom(x: float) -> str:
    """A number as code that gives exactly ``x`` and needs no parentheses.

    >>> atom(2.5), atom(-0.0), atom(float("-inf"))
    ('2.5', '(-0.0)', '(-_inf)')
    """
    text = ast.unparse(number(x))
    return f"({text})" if text.startswith("-") else text


def _tuple(items: list[str]) -> str:
    return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"  # () for none


def forward_text(fn: Callable[..., float], args: list[str], bind: Bind, vector: bool, hint: str = "forward") -> str:
    """The code for ``fn(*args)``, the forward of one node, each of ``args`` a name or an ``atom``;
    ``bind`` names an object to call, after ``hint``, the op's name.

    >>> forward_text(forwards.relu, ["z"], None, False), forward_text(forwards.dot, ["w", "x", "b"], None, True)
    ('0.0 if z <= 0 else z', '_sum((w * x,), 0.0) + b')
    """
    if (
        fn is forwards.total or fn is forwards.dot
    ):  # the engine's sum, from 0, then + b for a dot (functions.dot_of_values)
        n = len(args) // 2
        terms = args if fn is forwards.total else [f"{w} * {x}" for w, x in zip(args[:n], args[n : 2 * n])]
        bias = [args[-1]] if fn is forwards.dot and len(args) % 2 else []
        if SEQUENTIAL_SUM and not vector and 0 < len(terms) <= LONGEST_CHAIN:
            return " + ".join(["0.0", *terms, *bias])
        total = f"_sum({_tuple(terms)})" if fn is forwards.total else f"_sum({_tuple(terms)}, 0.0)"
        return " + ".join([total, *bias])
    template = FORWARDS.get(fn, (None, None))[vector] if _hashable(fn) else None
    if template is not None and len(args) <= 2:
        return template.format(*args)
    name = bind(fn, hint)
    return f"_each({name}, {', '.join(args)})" if vector else f"{name}({', '.join(args)})"


def local_exprs(
    rule: Callable[..., Any], ans: str, args: list[str | float], bind: Bind, vector: bool
) -> list[Known | Code] | None:
    """The local derivatives of one node, one per input, from the source of ``rule``; None to call it.

    Args:
        rule: the row's ``local_derivatives``.
        ans: the name of the node's own value.
        args: each input's name, or its number for a constant (worked into the expressions now).
        bind: names an object (a function, ``UNDEFINED``) that the expressions use.
        vector: write them for numpy arrays.

    Each result is a ``Known`` number or the ``Code`` of an expression. A rule is evaluated once
    for each number of inputs, constants and backend, then only the names change.

    >>> from autograd.rules import PRIMITIVES
    >>> local_exprs(PRIMITIVES["sigmoid"].local_derivatives, "a", ["z"], None, False)
    [Code(text='a * (1.0 - a)', atomic=False)]
    """
    constants = tuple((i, a.hex()) for i, a in enumerate(args) if isinstance(a, float))
    template = _template(rule, getattr(rule, "__code__", None), len(args), constants, vector)
    if template is None:
        return None
    items, objects = template
    names = {"a0": ans, **{f"a{i + 1}": a for i, a in enumerate(args) if isinstance(a, str)}}
    names.update((f"o{k}", bind(obj, hint)) for k, (obj, hint) in enumerate(objects))
    return [
        d if isinstance(d, Known) else Code(_PLACEHOLDER.sub(lambda m: names[m.group(1)], d.text), d.atomic)
        for d in items
    ]


@functools.lru_cache(maxsize=1024)
def _template(rule: Callable[..., Any], code: Any, n: int, constants: tuple[tuple[int, str], ...], vector: bool) -> Any:
    """The rule evaluated on placeholders (``__a0__`` for ans, ``__a1__``... for the inputs,
    ``__o0__``... for the objects it uses), with the objects; None if it cannot be written out."""
    tree = rule_tree(rule)
    if tree is None:
        return None
    objects: list[tuple[Any, str]] = []

    def record(obj: Any, hint: str) -> str:
        found = [k for k, (o, _) in enumerate(objects) if o is obj]
        if not found:
            objects.append((obj, hint))
        return f"__o{found[0] if found else len(objects) - 1}__"

    def on_call(fn: Any, written: list[ast.expr]) -> ast.expr | None:
        primitive = ops_primitive(fn)  # autograd.cos(x) on a float is the row's forward: written out
        if primitive is None or len(written) != 1:
            return None
        text = forward_text(PRIMITIVES[primitive].forward, [_operand(written[0])], record, vector, primitive)
        return ast.parse(text, mode="eval").body

    known = dict(constants)
    args = [Known(float.fromhex(known[i])) if i in known else ast.Name(f"__a{i + 1}__") for i in range(n)]
    try:
        result = Evaluator.of(rule, record, on_call).call(tree, [ast.Name("__a0__"), *args])
        if not isinstance(result, tuple) or len(result) != n:
            raise GiveUp("the rule does not return one derivative per input")
        items = tuple(
            _code(_vectorized(d) if vector else d) if isinstance(d, ast.expr) else _number_item(d) for d in result
        )
    except (GiveUp, ArithmeticError, ValueError, TypeError):
        return None
    return items, tuple(objects)


def _code(expr: ast.expr) -> Code:
    return Code(
        ast.unparse(expr),
        isinstance(expr, (ast.Name, ast.Call))
        or (isinstance(expr, ast.Constant) and not str(expr.value).startswith("-")),
    )


def _operand(expr: ast.expr) -> str:
    code = _code(expr)
    return code.text if code.atomic else f"({code.text})"


def _number_item(d: Item) -> Item:
    if isinstance(d, Known) and not (isinstance(d.value, (int, float)) and not isinstance(d.value, bool)):
        raise GiveUp("a derivative that is not a number")
    if isinstance(d, tuple):
        raise GiveUp("a tuple where a derivative belongs")
    return d


def _hashable(fn: Any) -> bool:
    try:
        hash(fn)
    except TypeError:
        return False
    return True


def ops_primitive(fn: Any) -> str | None:
    """The row whose forward ``fn`` applies when given a float, if ``fn`` is one of ``autograd.ops``'
    one-input functions (``cos``, ``sigmoid``, ...): they are written as ``_unary(name, forwards.name, x)``.

    >>> ops_primitive(functions.cos), ops_primitive(functions.dot), ops_primitive(abs)
    ('cos', None, None)
    """
    name = getattr(fn, "__name__", None)
    code = getattr(fn, "__code__", None)
    if name not in PRIMITIVES or code is None or getattr(functions, name, None) is not fn:
        return None
    if code.co_names != ("_unary", "floats", name) or getattr(forwards, name, None) is not PRIMITIVES[name].forward:
        return None
    return name


def _vectorized(expr: ast.expr) -> ast.expr:
    """``expr`` for numpy arrays: a branch becomes ``_where(test, a, b)``; anything else that only
    works on one number (``and``, ``float()``, a function of the rule) makes the rule run per example."""

    class Vectorize(ast.NodeTransformer):
        def visit_IfExp(self, node: ast.IfExp) -> ast.expr:
            return ast.Call(
                ast.Name("_where"), [self.visit(node.test), self.visit(node.body), self.visit(node.orelse)], []
            )

        def visit_Call(self, node: ast.Call) -> ast.expr:
            if not (isinstance(node.func, ast.Name) and node.func.id in VECTOR_FUNCTIONS):
                raise GiveUp("a function that takes one number at a time")
            each = node.func.id == "_each"  # _each(forward, *arrays) applies a forward per example
            node.args = (
                node.args[:1] + [self.visit(a) for a in node.args[1:]] if each else [self.visit(a) for a in node.args]
            )
            return node

        def visit_BoolOp(self, node: ast.BoolOp) -> ast.expr:
            raise GiveUp("and/or on arrays")

        def visit_Name(self, node: ast.Name) -> ast.expr:
            if _PLACEHOLDER.fullmatch(node.id) and node.id.startswith("__o"):
                raise GiveUp("an object of the rule's, which takes one number at a time")
            return node

        def visit_Compare(self, node: ast.Compare) -> ast.expr:
            if len(node.ops) > 1:
                raise GiveUp("a chained comparison on arrays")
            return self.generic_visit(node)

    return Vectorize().visit(expr)


#: The functions that numpy expressions may call (``codegen`` binds them to numpy's).
VECTOR_FUNCTIONS = frozenset(
    {
        "_where",
        "_np_abs",
        "_np_exp",
        "_np_log",
        "_np_sqrt",
        "_np_sin",
        "_np_cos",
        "_np_tanh",
        "_np_sigmoid",
        "_np_softplus",
        "_sum",
        "_each",
    }
)
