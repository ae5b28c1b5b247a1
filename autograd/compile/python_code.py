"""The IR as Python on floats: one line per equation, the numbers of an argument unpacked into names.

The forward lines are one per node (``z = _sum((w_0 * x_0, w_1 * x_1), 0.0) + b``); the backward
lines one per gradient, the local derivative written in (``dz = da * (a * (1.0 - a))  # sigmoid``),
an argument's gradient added up as the engine adds it (``dw_0 += dz * x_0``). A batch loops over
its examples (``for x, y in _zip(X, Y):``). The float operations are the engine's, in its order,
so the numbers are the engine's bit for bit. An argument longer than ``UNROLL`` numbers stays a
list, and its runs are written with ``map`` and comprehensions instead of a name per number.
"""

from __future__ import annotations

import builtins
import math
import operator
from typing import Any

from ..rules import PRIMITIVES
from .ir import IR, Eqn, Var, literal, use_counts

UNROLL = 1000
INFIX = {"+": "{0} + {1}", "-": "{0} - {1}", "*": "{0} * {1}", "/": "{0} / {1}", "neg": "-{0}", ">": "{0} > {1}",
         "<": "{0} < {1}", ">=": "{0} >= {1}", "<=": "{0} <= {1}", "and": "{0} and {1}", "where": "{1} if {0} else {2}"}  # fmt: skip
#: How tightly each op binds, for parentheses when an expression is written into another.
BINDS = {"where": 0, "and": 1, ">": 2, "<": 2, ">=": 2, "<=": 2, "+": 3, "-": 3, "*": 4, "/": 4, "neg": 5}


class PythonCode:
    """Writes the equations of ``ir``; ``values`` holds each variable's code (a name, a number's
    text, an inlined expression, or for a vector a list of its numbers' code)."""

    def __init__(self, ir: IR, keep: set[Var]) -> None:
        self.ir, self.keep = ir, keep  # keep: variables read outside the lines written (outputs)
        self.values: dict[Var, Any] = {}
        self.binds: dict[Var, int] = {}
        self.namespace: dict[str, Any] = {"_sum": builtins.sum, "_mul": operator.mul, "_map": map, "_zip": zip, "_inf": math.inf,
                                          "_nan": math.nan, "__builtins__": {}}  # fmt: skip
        self.lists: set[Var] = set()  # vectors kept as Python lists (longer than UNROLL)
        self.loop = False  # writing the body of the loop over examples
        self.zero_test: dict[Any, Var | None] = {}  # a run's products: the gradient that may be exactly 0
        self.grads: dict[Var, Any] = {}  # each argument's gradient: a name, a list of names, or a list's name
        self.uses = use_counts(ir)

    def code(self, x: Any, binds: int = 9) -> Any:
        """``x`` as code where an operator binding at ``binds`` is applied to it."""
        if not isinstance(x, Var):
            return literal(x)
        value = self.values[x]
        if isinstance(value, list):
            return value
        return f"({value})" if self.binds.get(x, 9) < binds else value

    def elements(self, x: Any, n: int) -> list[str]:
        value = self.code(x, 4)
        return value if isinstance(value, list) else [value] * n

    def lines(self, eqns: list[Eqn]) -> list[str]:
        out: list[str] = []
        for e in eqns:
            out += self.eqn(e)
        return out

    def eqn(self, e: Eqn) -> list[str]:
        v, op, ins = e.out, e.op, e.ins
        if op == "take":
            arg = self.values[ins[0]]
            where = ins[1]
            if isinstance(arg, list):
                self.values[v] = arg[where] if isinstance(where, int) else arg[where[0] : where[1]]
            else:
                self.values[v] = f"{arg}[{where}]" if isinstance(where, int) else f"{arg}[{where[0]}:{where[1]}]"
                if not isinstance(where, int):
                    self.lists.add(v)
            return []
        if op == "live":
            self.values[v] = f"_live[{ins[0]}]"
            return []
        if op == "seed":
            self.values[v] = "_seed"
            return ["_seed = 1.0 / _m  # this example's share of J, 1/m"]
        if op == "stack":
            self.values[v] = [self.code(x) for x in ins]
            return []
        if op == "lane":
            whole = self.values[ins[0]]
            self.values[v] = whole[ins[1]] if isinstance(whole, list) else f"{whole}[{ins[1]}]"
            return []
        if op == "grad":
            return self.grad(ins[0], ins[1], ins[2], ins[3], e.note)
        if op == "skip":  # in the loop: an example whose gradient stops here sends nothing more back
            return (
                [
                    "if not "
                    + self.code(ins[0], 5)
                    + ":  # nothing is left to send back: the engine skips the rest too",
                    "    continue",
                ]
                if self.loop
                else []
            )
        if op == "detach":
            self.values[v] = self.code(ins[0])
            return []
        vector = [x for x in ins if isinstance(x, Var) and (isinstance(self.values.get(x), list) or x in self.lists)]
        if (
            vector and op in ("*", "contract", "neg") and [a for a in v.axes if a != "m"]  # type: ignore[misc]  # mypy infers this list as `vector`'s type, list[Var]
        ):  # a run times a number: the chain rule for each of its numbers
            if any(x in self.lists for x in vector):
                other = [self.code(x, 4) for x in ins if x is not vector[0]]
                factor = f"{other[0]} * " if other else "-"
                self.values[v] = f"[{factor}_e for _e in {self.code(vector[0])}]"
                self.lists.add(v)
                return []
            n = len(self.values[vector[0]])
            parts = [self.elements(x, n) if isinstance(x, Var) else [literal(x)] * n for x in ins]
            self.values[v] = ["-" + p[0] if op == "neg" else f"{p[0]} * {p[1]}" for p in zip(*parts)]
            self.zero_test[v] = next((x for x in ins if getattr(x, "maybe_zero", False) and x not in vector), None)
            return []
        text, binds = self.expression(op, ins, v)
        inline = e.note and op != "rule" or op == "contract"  # backward temporaries, and a dot's sum
        if inline and self.uses.get(v, 0) == 1 and v not in self.keep and v.name[1:].isdigit():
            self.values[v], self.binds[v] = text, binds  # used once: written where it is used
            return []
        self.values[v] = v.name
        return [f"{v.name} = {text}{self.comment(e)}"]

    def comment(self, e: Eqn) -> str:
        """The rule a backward line applies: ``# sigmoid: ∂a/∂z = a * (1.0 - a)``."""
        if not e.note:
            return ""
        if e.out in self.ir.local:  # a chain-rule product: its local derivative
            text = self.code(self.ir.local[e.out], 0)
            return f"  # {e.note} = {text if isinstance(text, str) else '...'}"
        return f"  # {e.note}"

    def expression(self, op: str, ins: tuple[Any, ...], v: Var) -> tuple[str, int]:
        if op in INFIX:
            b = BINDS[op]
            # the right operand of - and / binds tighter: a - (b - c)
            args = [self.code(x, b + (i > 0)) for i, x in enumerate(ins)]  # a - (b - c), a * (b * c)
            if op == "where":
                args = [self.code(ins[0], 1), self.code(ins[1], 1), self.code(ins[2], 0)]
            if op == "+" and args[1].startswith("-"):  # a + -b is a - b, the same bits
                return f"{args[0]} - {args[1][1:]}", b
            return INFIX[op].format(*args), b
        if op == "contract":  # per example: a dot of two runs, or a product (the loop sums the examples)
            a, b = (self.code(x, 4) for x in ins)
            if [a_ for a_ in v.axes if a_ != "m"]:
                raise ValueError("a vector-valued contract is written by grad")
            if isinstance(a, list) and isinstance(b, list):
                return f"_sum(({', '.join(f'{x} * {y}' for x, y in zip(a, b))}{',' * (len(a) == 1)}), 0.0)", 9
            if ins[0] in self.lists or ins[1] in self.lists:
                return f"_sum(_map(_mul, {a}, {b}), 0.0)", 9
            if ins[1] == 1.0 and not isinstance(ins[1], Var):  # g * 1.0 is g, the same bits
                return self.code(ins[0], 0), self.binds.get(ins[0], 9) if isinstance(ins[0], Var) else 9
            return f"{a} * {self.code(ins[1], 5)}", 4
        if op == "sum":
            run = self.code(ins[0])
            return (f"_sum(({', '.join(run)}{',' * (len(run) == 1)}))" if isinstance(run, list) else f"_sum({run})"), 9
        if op == "rule":
            rule = self.bind(f"_{_word(ins[0])}_rule", PRIMITIVES[ins[0]].local_derivatives)
            return f"{rule}({', '.join(self.code(x) for x in ins[1:])})", 9
        if op == "relu":  # forwards.relu, written out: a call per neuron costs more than the test
            x = self.code(ins[0], 1)
            return f"0.0 if {x} <= 0 else {x}", 0
        if op == "**":
            return f"{self.bind('_pow', PRIMITIVES['**'].forward)}({self.code(ins[0])}, {self.code(ins[1])})", 9
        forward = self.bind(f"_{_word(op)}", PRIMITIVES[op].forward)
        return f"{forward}({', '.join(self.code(x) for x in ins)})", 9

    def grad(self, arg: Var, where: Any, term: Any, local: Any, note: str) -> list[str]:
        """``term`` added into the gradient of argument ``arg`` at ``where`` (a number's index, a
        slice ``(start, stop)``, or None for all of it); ``local`` and ``note`` say which rule."""
        target = self.grads[arg]
        if isinstance(target, str) and arg not in self.lists:  # a one-number argument
            return [f"{target} += {self.code(term, 3)}{self.said(note, arg.name, local)}"]
        if isinstance(where, int):
            name = target[where] if isinstance(target, list) else f"{target}[{where}]"
            return [f"{name} += {self.code(term, 3)}{self.said(note, name[1:], local)}"]
        start, stop = (
            where if where is not None else (0, len(target) if isinstance(target, list) else self.ir.sizes[arg.axes[0]])
        )
        if isinstance(target, list):
            locals_ = self.elements(local, stop - start) if isinstance(local, Var) else [local] * (stop - start)
            parts = self.elements(term, stop - start)
            lines = [
                f"{name} += {part}{self.said(note, name[1:], d)}"
                for name, part, d in zip(target[start:stop], parts, locals_)
            ]
            g = self.zero_test.get(term)
            if g is not None and len(lines) > 1:  # as the engine skips a node whose gradient is 0 (a dead relu)
                return [f"if {self.code(g, 5)}:  # a gradient of exactly 0 sends nothing back"] + [
                    "    " + line for line in lines
                ]
            return lines
        return [f"{target}[{start}:{stop}] = [_a + _b for _a, _b in _zip({target}[{start}:{stop}], {self.code(term)})]"]

    def said(self, note: str, name: str, local: Any) -> str:
        """``  # dot: ∂z/∂w_0 = x_0``: the rule a gradient line applies."""
        if not note or ": ∂" not in note:
            return ""
        text = local if isinstance(local, str) else self.code(local, 0)
        return f"  # {note.rsplit('/∂', 1)[0]}/∂{name} = {text if isinstance(text, str) else '...'}"

    def bind(self, name: str, obj: Any) -> str:
        while name in self.namespace and self.namespace[name] is not obj:
            name += "_"
        self.namespace[name] = obj
        return name


def _word(op: str) -> str:
    return {"+": "add", "-": "sub", "*": "mul", "/": "div", "**": "pow"}.get(op, op)
