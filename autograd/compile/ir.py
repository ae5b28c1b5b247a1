"""The IR: equations ``out = op(ins)`` on variables with named axes, and ``Var``, the tracer the rules run on.

A ``Var``'s axes are ``()`` for a number, ``("n3",)`` for a vector argument, ``("k1", "n3")`` for a
layer's weights, ``"m"`` for a batch's examples. Operators on Vars inside ``building(ir)`` append
equations, simplified (``x * 1.0`` is ``x``), so running a rule on Vars writes its derivative.
"""

from __future__ import annotations

import contextlib
import keyword
import math
import threading
from collections.abc import Iterator
from typing import Any, NamedTuple

from ..errors import NotTraceable
from ..rules import PRIMITIVES, is_undefined

_COMPARE = {">": float.__gt__, "<": float.__lt__, ">=": float.__ge__, "<=": float.__le__, "and": lambda a, b: a and b}


class Var:
    """A variable of the IR; its operators (``x * y``, ``x > 0``, ``x.cos()``) add equations."""

    __slots__ = ("name", "axes", "maybe_zero")
    traced = True  # what the engine's functions and defop's checks look for

    def __init__(self, name: str, axes: tuple[str, ...] = ()) -> None:
        self.name, self.axes, self.maybe_zero = name, axes, False  # maybe_zero: 0 for some inputs (a select)

    def __repr__(self) -> str:
        return self.name

    def where(self, if_true: Any, if_false: Any) -> Any:
        """``rules.where`` on a traced test: a select that keeps both sides."""
        return _current().emit("where", (self, if_true, if_false))

    def __getattr__(self, op: str) -> Any:  # x.cos(), x.sigmoid(): the table's one-input ops
        if op in PRIMITIVES:
            return lambda: _current().emit(op, (self,))
        raise AttributeError(op)

    def __float__(self) -> float:
        raise NotTraceable("a rule asked for the number of a traced variable")

    __bool__ = __float__


def _operators() -> None:
    """``x + y``, ``2.0 * x``, ``x > 0``, ``-x`` on Vars: the equations of the table's ops."""
    for name, op in {"add": "+", "sub": "-", "mul": "*", "truediv": "/", "pow": "**", "and": "and"}.items():
        setattr(Var, f"__{name}__", lambda x, y, op=op: _current().emit(op, (x, y)))
        setattr(Var, f"__r{name}__", lambda x, y, op=op: _current().emit(op, (y, x)))
    for name, op in {"gt": ">", "lt": "<", "ge": ">=", "le": "<="}.items():
        setattr(Var, f"__{name}__", lambda x, y, op=op: _current().emit(op, (x, y)))
    for name, op in {"neg": "neg", "abs": "abs"}.items():
        setattr(Var, f"__{name}__", lambda x, op=op: _current().emit(op, (x,)))


_operators()


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
        self.tried: dict[str, int] = {}  # the last suffix given to each hint (``z_3``)
        self.limit, self.refusal = 10**9, ""  # at most this many equations, else ValueError(refusal)
        self.kept: dict[tuple[str, int], str] = {}  # the name of each number of an argument (``w_3``)
        self.count = 0
        self.note = ""  # the rule the equations being added apply, for their comments

    def var(self, hint: str = "", axes: tuple[str, ...] = ()) -> Var:
        """A new variable named after ``hint`` (``z``, ``z_2``), or ``t1``, ``t2``, ... without one."""
        if not hint:
            self.count += 1
            hint = f"t{self.count}"
        hint += "_" * keyword.iskeyword(hint)  # a Value labelled "lambda" (the course's λ) names lambda_
        name, n = hint, self.tried.get(hint, 1)
        while name in self.names:  # from the last suffix tried for this hint: a compile stays linear
            n += 1
            name = f"{hint}_{n}"
        self.names.add(name)
        self.tried[hint] = n
        return Var(name, axes)

    def rename(self, v: Var, hint: str) -> None:
        self.names.discard(v.name)
        v.name = self.var(hint).name

    def axes_of(self, *ins: Any) -> tuple[str, ...]:
        """The axes of an elementwise result: every input's, in one order, the examples last."""
        seen = {a for x in ins if isinstance(x, Var) for a in x.axes}
        self.axis_order += [a for a in seen if a not in self.axis_order]
        return tuple(sorted(seen, key=lambda a: (a == "m", self.axis_order.index(a))))

    def add(self, out: Var, op: str, ins: tuple[Any, ...]) -> Var:
        if len(self.eqns) >= self.limit:  # refused as soon as it is too large, not after making it all
            raise ValueError(self.refusal)
        self.eqns.append(Eqn(out, op, ins, self.note))
        return out

    def emit(self, op: str, ins: tuple[Any, ...], axes: tuple[str, ...] | None = None) -> Any:
        """``op(*ins)`` as a new equation, or simpler: numbers computed, ``x * 1.0`` as ``x``."""
        ins = tuple(map(_number, ins))
        known = [x for x in ins if not isinstance(x, Var)]
        if len(known) == len(ins):
            return _COMPARE[op](*ins) if op in _COMPARE else PRIMITIVES[op].forward(*ins)
        if op == "*" and known and known[0] in (1.0, -1.0):  # 1.0 * x is x, and -1.0 * x is -x, bit for bit
            x = ins[1] if ins[0] is known[0] else ins[0]
            return x if known[0] == 1.0 else self.emit("neg", (x,))
        if op == "/" and not isinstance(ins[1], Var) and ins[1] == 1.0:
            return ins[0]
        if op == "and" and known:
            return [x for x in ins if isinstance(x, Var)][0] if known[0] else False
        out = self.var("", self.axes_of(*ins) if axes is None else axes)
        out.maybe_zero = (
            op == "where" or op in ("*", "contract", "neg") and any(getattr(x, "maybe_zero", False) for x in ins)
        )
        return self.add(out, op, ins)


def _number(x: Any) -> Any:
    """An operand as the IR keeps it: a Var, a bool, or a plain float (its value, never its repr);
    ``UNDEFINED`` is nan, which sends the call to the engine."""
    if isinstance(x, (Var, bool)):
        return x
    if is_undefined(x):
        return math.nan
    try:
        return float.__float__(float(x))
    except (TypeError, ValueError):
        raise NotTraceable(f"a rule used {type(x).__name__} {x!r:.40}, not a number") from None


_building = threading.local()


@contextlib.contextmanager
def building(ir: IR) -> Iterator[IR]:
    """Inside this block, operations on ``Var``s add equations to ``ir``."""
    before, _building.ir = getattr(_building, "ir", None), ir
    try:
        yield ir
    finally:
        _building.ir = before


def _current() -> IR:
    ir = getattr(_building, "ir", None)
    if ir is None:
        raise NotTraceable("a traced variable was used outside compile's tracing")
    return ir


def use_counts(eqns: list[Eqn]) -> dict[Var, int]:
    """How many equations read each variable (the emitters write a variable read once in place)."""
    counts: dict[Var, int] = {}
    for x in (x for e in eqns for x in e.ins if isinstance(x, Var)):
        counts[x] = counts.get(x, 0) + 1
    return counts


def literal(x: Any) -> str:
    """A number as code: ``float.__repr__`` of a plain float (never its object's repr); inf and nan by name."""
    if isinstance(x, bool) or not math.isfinite(x):
        return repr(x) if isinstance(x, bool) else "_nan" if math.isnan(x) else "_inf" if x > 0 else "(-_inf)"
    text = float.__repr__(x)
    return f"({text})" if text.startswith("-") else text


def render(ir: IR, inputs: list[tuple[Var, bool]], outputs: list[Any]) -> str:
    """The IR as text, one line per equation: ``{ lambda w:f64[3] b:f64 | x:f64[3] y:f64 . ... }``
    (the inputs after ``|`` hold one example each)."""

    def typed(v: Var) -> str:
        dims = [str(ir.sizes[a]) for a in v.axes if a != "m"]
        return f"{v.name}:f64" + (f"[{','.join(dims)}]" if dims else "")

    def show(x: Any) -> str:
        return (
            x.name if isinstance(x, Var) else "(" + ", ".join(map(show, x)) + ")" if isinstance(x, tuple) else repr(x)
        )

    per = [" ".join(typed(v) for v, each in inputs if each == flag) for flag in (False, True)]
    lines = ["{ lambda " + per[0] + (" | " + per[1] if per[1] else "") + " ."]
    for e in ir.eqns:
        if e.op == "grad":  # an argument's gradient, added up
            lines.append(f"    d{e.ins[0].name}{'' if e.ins[1] is None else f'[{show(e.ins[1])}]'} += {show(e.ins[2])}")
        else:
            line = f"    {typed(e.out)} = {e.op} {' '.join(map(show, e.ins))}"
            lines.append(line + (f"    # {e.note}" if e.note else ""))
    return "\n".join(lines + ["  in (" + ", ".join(map(show, outputs)) + ") }"])


def own_name(name: str) -> bool:
    """Whether ``f``'s name can name the code: not one of the names the code's own helpers have
    (``_sum``, ``_values``, ``np``), nor a keyword."""
    return name.isidentifier() and name.isascii() and name[0] != "_" and name not in ("np", "jnp", *keyword.kwlist)


def function(plan: Any, body: list[str], value: str, grads: list[str], about: str) -> str:
    """The source of a compiled function: a comment saying what it is, then its ``def``."""
    name = plan.name if own_name(plan.name) else "f"
    params = plan.batch_names + (["_live"] if plan.live else []) + (["_m"] if plan.batch else [])
    lines = [f"# Compiled by autograd.compile from {name}{about}", f"def {name}({', '.join(params)}):"]
    lines += ["    " + line for line in body] + [f"    return {value}, ({', '.join(grads)}{',' * (len(grads) == 1)})"]
    return "\n".join(lines) + "\n"
