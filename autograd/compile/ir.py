"""The intermediate representation: a traced function as a list of equations, ``name = op(inputs)``.

A ``Var`` is an array with named axes: ``()`` for one number, ``("x",)`` for the numbers of a
vector argument ``x``, ``("k1", "x")`` for the weights of a layer's neurons, and ``"m"`` for the
examples of a batch. An ``Eqn`` computes one ``Var`` from others and numbers (plain floats). The
ops are the rule table's, plus a few of the IR's own: ``where``, the comparisons and ``and`` (which
piecewise rules are written with), ``detach`` (no gradient flows back through it), ``take`` (the
numbers of an argument), ``lane`` and ``stack`` (one number of a vector, a vector of numbers) and
``contract``, a product summed over the axes its result does not have (a dot product, a matrix
product, or the chain rule's ``g * d`` summed over the examples).

``Var`` is also the tracer the rules are applied to: its operators (``*``, ``>``, ``x.cos()``)
append equations to the ``IR`` being built (``building``), with the numbers' own simplifications
(``x * 1.0`` is ``x``). So the backward pass is made by running the rule table itself.
"""

from __future__ import annotations

import contextlib
import math
import threading
from collections.abc import Iterator
from typing import Any, NamedTuple

from ..errors import NotTraceable
from ..rules import PRIMITIVES, UNDEFINED

Operand = Any  # a Var, or a plain float


class Var:
    """A variable of the IR, and the tracer the rules are applied to."""

    __slots__ = ("name", "axes", "maybe_zero")
    traced = True  # what the engine's functions and defop's checks look for

    def __init__(self, name: str, axes: tuple[str, ...] = ()) -> None:
        self.name, self.axes = name, axes
        self.maybe_zero = False  # came through a select: may be exactly 0 for some inputs

    def __repr__(self) -> str:
        return self.name

    def _op(self, op: str, *ins: Operand) -> Any:
        return _current().emit(op, ins)

    def __add__(self, o: Operand) -> Any:
        return self._op("+", self, o)

    def __radd__(self, o: Operand) -> Any:
        return self._op("+", o, self)

    def __sub__(self, o: Operand) -> Any:
        return self._op("-", self, o)

    def __rsub__(self, o: Operand) -> Any:
        return self._op("-", o, self)

    def __mul__(self, o: Operand) -> Any:
        return self._op("*", self, o)

    def __rmul__(self, o: Operand) -> Any:
        return self._op("*", o, self)

    def __truediv__(self, o: Operand) -> Any:
        return self._op("/", self, o)

    def __rtruediv__(self, o: Operand) -> Any:
        return self._op("/", o, self)

    def __pow__(self, o: Operand) -> Any:
        return self._op("**", self, o)

    def __rpow__(self, o: Operand) -> Any:
        return self._op("**", o, self)

    def __neg__(self) -> Any:
        return self._op("neg", self)

    def __abs__(self) -> Any:
        return self._op("abs", self)

    def __gt__(self, o: Operand) -> Any:
        return self._op(">", self, o)

    def __lt__(self, o: Operand) -> Any:
        return self._op("<", self, o)

    def __ge__(self, o: Operand) -> Any:
        return self._op(">=", self, o)

    def __le__(self, o: Operand) -> Any:
        return self._op("<=", self, o)

    def __and__(self, o: Operand) -> Any:
        return self._op("and", self, o)

    __rand__ = __and__

    def where(self, if_true: Operand, if_false: Operand) -> Any:
        """``rules.where`` on a traced comparison: a select that keeps both sides."""
        return self._op("where", self, if_true, if_false)

    def __getattr__(self, op: str) -> Any:  # x.cos(), x.sigmoid(): the table's one-input ops
        if op in PRIMITIVES:
            return lambda: self._op(op, self)
        raise AttributeError(op)

    def __float__(self) -> float:
        raise NotTraceable("a rule asked for the number of a traced variable")

    __bool__ = __float__


class Eqn(NamedTuple):
    """``out = op(*ins)``; ``note`` says which rule a backward equation applies."""

    out: Var
    op: str
    ins: tuple[Any, ...]
    note: str = ""


class IR:
    """Equations being built, with the names they use and the sizes of their axes."""

    def __init__(self, sizes: dict[str, int] | None = None) -> None:
        self.eqns: list[Eqn] = []
        self.sizes: dict[str, int] = dict(sizes or {})
        self.axis_order: list[str] = list(self.sizes)
        self.names: set[str] = set()
        self.kept: dict[tuple[str, int], str] = {}  # the name of each number of an argument (``w_3``)
        self.count = 0
        self.note = ""  # the rule the equations being added apply, for their comments
        self.local: dict[Var, Any] = {}  # for each chain-rule product, its local derivative

    def var(self, hint: str = "", axes: tuple[str, ...] = ()) -> Var:
        """A new variable named after ``hint`` (``z``, ``z_2``), or ``t1``, ``t2``, ... without one."""
        if not hint:
            self.count += 1
            hint = f"t{self.count}"
        name, n = hint, 1
        while name in self.names:
            n += 1
            name = f"{hint}_{n}"
        self.names.add(name)
        return Var(name, axes)

    def axes_of(self, *ins: Operand) -> tuple[str, ...]:
        """The axes of an elementwise result: every input's, in one order, the examples last."""
        seen = {a for x in ins if isinstance(x, Var) for a in x.axes}
        for a in seen:
            if a not in self.axis_order:
                self.axis_order.append(a)
        return tuple(sorted(seen, key=lambda a: (a == "m", self.axis_order.index(a))))

    def add(self, out: Var, op: str, ins: tuple[Any, ...]) -> Var:
        self.eqns.append(Eqn(out, op, ins, self.note))
        return out

    def emit(self, op: str, ins: tuple[Operand, ...], hint: str = "", axes: tuple[str, ...] | None = None) -> Any:
        """``op(*ins)`` as a new equation, or simpler: numbers computed, ``x * 1.0`` as ``x``."""
        ins = tuple(_number(x) for x in ins)
        if not any(isinstance(x, Var) for x in ins):
            return _compute(op, ins)
        simple = _simplify(op, ins)
        if simple is not None:
            return simple
        out = self.var(hint, self.axes_of(*ins) if axes is None else axes)
        out.maybe_zero = op == "where" or (
            op in ("*", "contract", "neg") and any(getattr(x, "maybe_zero", False) for x in ins)
        )
        return self.add(out, op, ins)


def _number(x: Any) -> Any:
    """An operand as the IR keeps it: a Var, or a plain float (a numpy float, a float subclass,
    an int: its value, never its repr); ``UNDEFINED`` is nan, which makes the call go to the engine."""
    if isinstance(x, Var):
        return x
    if x is UNDEFINED:
        return math.nan
    if isinstance(x, bool):
        return x
    try:
        return float.__float__(float(x))
    except (TypeError, ValueError):
        raise NotTraceable(f"a rule used {type(x).__name__} {x!r:.40}, not a number") from None


def _compute(op: str, ins: tuple[Any, ...]) -> Any:
    if op == "where":
        return ins[1] if ins[0] else ins[2]
    if op in _COMPARE:
        return _COMPARE[op](*ins)
    return PRIMITIVES[op].forward(*ins)


_COMPARE = {">": float.__gt__, "<": float.__lt__, ">=": float.__ge__, "<=": float.__le__, "and": lambda a, b: a and b}


def _simplify(op: str, ins: tuple[Any, ...]) -> Any:
    """The same number without an equation: ``x * 1.0``, ``1.0 * x``, ``x / 1.0`` are ``x`` bit for bit."""
    if op == "*" and ins[0] == 1.0 and not isinstance(ins[0], Var):
        return ins[1]
    if op == "*" and -1.0 in [x for x in ins if not isinstance(x, Var)]:  # -1.0 * x is -x, the same bits
        return _current().emit("neg", (ins[1] if ins[0] == -1.0 and not isinstance(ins[0], Var) else ins[0],))
    if op in ("*", "/") and ins[1] == 1.0 and not isinstance(ins[1], Var):
        return ins[0]
    if op == "where" and not isinstance(ins[0], Var):
        return ins[1] if ins[0] else ins[2]
    if op == "and" and not all(isinstance(x, Var) for x in ins):  # a test that is known here
        known, other = (ins[0], ins[1]) if not isinstance(ins[0], Var) else (ins[1], ins[0])
        return other if known else False
    return None


_building = threading.local()


@contextlib.contextmanager
def building(ir: IR) -> Iterator[IR]:
    """Inside this block, operations on ``Var``s add equations to ``ir``."""
    before = getattr(_building, "ir", None)
    _building.ir = ir
    try:
        yield ir
    finally:
        _building.ir = before


def _current() -> IR:
    ir = getattr(_building, "ir", None)
    if ir is None:
        raise NotTraceable("a traced variable was used outside compile's tracing")
    return ir


def use_counts(ir: IR) -> dict[Var, int]:
    """How many equations read each variable (the emitters write a variable read once in place)."""
    counts: dict[Var, int] = {}
    for e in ir.eqns:
        for x in e.ins:
            if isinstance(x, Var):
                counts[x] = counts.get(x, 0) + 1
    return counts


def literal(x: Any) -> str:
    """A number as code: ``float.__repr__`` of a plain float, which reads back as the same bits
    (never the repr of the object it came from); ``inf`` and ``nan`` are names the code is given."""
    if isinstance(x, bool):
        return repr(x)
    if math.isnan(x):
        return "_nan"
    if math.isinf(x):
        return "_inf" if x > 0 else "(-_inf)"
    text = float.__repr__(x)
    return f"({text})" if text.startswith("-") else text


def show(x: Any) -> str:
    """An operand as the IR prints it."""
    if isinstance(x, Var):
        return x.name
    if isinstance(x, tuple):
        return "(" + ", ".join(map(show, x)) + ")"
    return repr(x)


def render(ir: IR, inputs: list[tuple[Var, bool]], outputs: list[Any]) -> str:
    """The IR as text: ``{ lambda w:f64[12288] b:f64 | x:f64[12288] y:f64 . ... }``, one line per equation.

    Inputs after ``|`` hold one example each (per-example arguments of a batch).
    """

    def typed(v: Var) -> str:
        dims = [str(ir.sizes[a]) for a in v.axes if a != "m"]
        return f"{v.name}:f64" + (f"[{','.join(dims)}]" if dims else "")

    shared = " ".join(typed(v) for v, per in inputs if not per)
    examples = " ".join(typed(v) for v, per in inputs if per)
    lines = ["{ lambda " + shared + (" | " + examples if examples else "") + " ."]
    for e in ir.eqns:
        if e.op == "grad":  # an argument's gradient, added up
            at = "" if e.ins[1] is None else f"[{show(e.ins[1])}]"
            lines.append(f"    d{e.ins[0].name}{at} += {show(e.ins[2])}")
            continue
        line = f"    {typed(e.out)} = {e.op} {' '.join(show(x) for x in e.ins)}"
        lines.append(line + (f"    # {e.note}" if e.note else ""))
    lines.append("  in (" + ", ".join(show(x) for x in outputs) + ") }")
    return "\n".join(lines)
