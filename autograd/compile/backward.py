"""The backward pass as equations, made by the rule table applied to the forward pass's variables.

For each forward item, output first (in the engine's order, so the python backend adds the same
numbers in the same order), the gradient arriving at its output is the sum of what its uses sent,
and each input that leads to an argument asked for gets ``gradient * local derivative``. The
local derivatives come from ``PRIMITIVES[op].local_derivatives`` run on the IR's variables, so
every rule, ``defop`` ones included, is written here by running it; a rule that cannot run on
variables (it asks for a number: ``float(x)``, a Python ``if``) is called at run time instead
(a ``rule`` equation). What reaches an argument is collected by ``grad`` equations, which the
backends write as ``dw_0 += dz * x_0`` or ``dW1 = dZ1 @ X.T``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..errors import NotTraceable
from ..rules import PRIMITIVES
from .ir import IR, Var, building
from .trace import ForwardStep

CHUNK = 50


def needs(ir: IR, wanted: set[Var]) -> set[Var]:
    """The variables whose gradient leads to one of ``wanted`` (the arguments asked for)."""
    found = set(wanted)
    for e in ir.eqns:
        if e.op != "detach" and any(isinstance(x, Var) and x in found for x in e.ins):
            found.add(e.out)
    return found


class Backward:
    """The chain rule over a forward pass, written into ``ir``.

    ``needed``: the variables on a path to an argument asked for; ``origin``: for each variable
    that is (part of) an argument, ``("arg", argument, where)``; for a ``stack``, ``("stack", numbers)``.
    """

    def __init__(self, ir: IR, needed: set[Var], origin: dict[Var, Any]) -> None:
        self.ir, self.needed, self.origin = ir, needed, origin
        self.pending: dict[Var, list[Any]] = {}
        self.skipped = False  # a "skip" was written: an example whose gradient is 0 there stops
        self.local: Any = 1.0  # the local derivative of the product being sent (for comments)

    def run(self, items: Sequence[ForwardStep], root: Any, seed: Any) -> None:
        """From ``root`` seeded with ``seed`` back through ``items`` (given in forward order)."""
        ir = self.ir
        with building(ir):
            if isinstance(root, Var) and root in self.needed:
                self.send(root, seed)
            for item in reversed(items):
                terms = self.pending.pop(item.out, None)
                if not terms:
                    continue
                g = self.gradient(item.out, terms)
                if not self.pending and getattr(g, "maybe_zero", False) and not self.skipped:
                    ir.add(ir.var("_", ()), "skip", (g,))  # all that is left flows through g
                    self.skipped = True
                ir.note = item.op
                for x, d in zip(item.ins, self.local_derivatives(item)):
                    if isinstance(x, Var) and x in self.needed:
                        ir.note = f"{item.op}: ∂{item.out.name}/∂{x.name}"
                        self.local = d
                        self.send(x, self.product(g, d, x.axes))
                        ir.note = item.op
            ir.note = ""

    def gradient(self, out: Var, terms: list[Any]) -> Any:
        """The sum of what ``out``'s uses sent, in the order they sent it, named ``d<out>``."""
        ir = self.ir
        ir.note = f"summed over its {len(terms)} uses" if len(terms) > 1 else ""
        g = terms[0]
        for i, t in enumerate(terms[1:], 1):
            g = ir.emit("+", (g, t))
            if i % CHUNK == 0 and isinstance(
                g, Var
            ):  # a line every CHUNK terms: Python's compiler recurses per operator
                g.name = _rename(ir, g.name, f"d{out.name}")
        if isinstance(g, Var) and g.name.startswith("t") and g.name[1:].isdigit():
            g.name = _rename(ir, g.name, f"d{out.name}")
            g.maybe_zero = all(getattr(t, "maybe_zero", False) for t in terms)
        return g

    def send(self, x: Var, term: Any) -> None:
        """``term`` is part of ``x``'s gradient: kept for ``x``'s item, or sent on to the argument."""
        how = self.origin.get(x)
        if isinstance(term, Var) and not set(term.axes) <= set(x.axes):  # summed over what x does not have
            term = self.ir.emit("contract", (term, 1.0), axes=x.axes)
        if how is None:
            self.pending.setdefault(x, []).append(term)
        elif how[0] == "arg":  # (part of) an argument: ("arg", argument, index or slice or None)
            self.ir.add(self.ir.var("_", ()), "grad", (how[1], how[2], term, self.local))
        elif how[0] == "lane":  # one lane of a group's array: its part, in its row
            self.send(how[1], self.ir.add(self.ir.var("", how[1].axes), "place", (term, how[2])))
        else:  # ("stack", numbers): each gets its own part
            for i, element in enumerate(how[1]):
                if isinstance(element, Var) and element in self.needed:
                    spread = isinstance(term, Var) and x.axes[0] in term.axes  # else the same number for each
                    part = self.ir.add(self.ir.var("", element.axes), "lane", (term, i)) if spread else term
                    self.send(element, part)

    def product(self, g: Any, d: Any, axes: tuple[str, ...]) -> Any:
        """The chain rule's ``g * d``, summed over the axes the input does not have (a broadcast
        forward is a sum backward: over the examples, over the neurons that read one input)."""
        ir = self.ir
        if isinstance(d, float) and d == -1.0:
            term = ir.emit("neg", (g,))
        elif set(ir.axes_of(g, d)) <= set(axes):  # the same axes, or fewer: numpy broadcasts the rest
            term = ir.emit("*", (g, d))
        else:
            term = ir.emit("contract", (g, d), axes=axes)
        if isinstance(term, Var) and term is not g and term is not d:
            ir.local[term] = d
        return term

    def local_derivatives(self, item: ForwardStep) -> tuple[Any, ...]:
        """The rule of ``item``'s op run on its variables; for a fused op over runs, the rule run
        on positions says which input each local derivative is (``dot``: the weights' are the inputs)."""
        rule = PRIMITIVES[item.op].local_derivatives
        if item.runs:
            return _pairs(item, rule)
        try:
            ds = rule(item.out, *item.ins)
            return tuple(
                d if isinstance(d, Var) else float(d) for d in (ds if isinstance(ds, (tuple, list)) else (ds,))
            )
        except NotTraceable:
            ir = self.ir
            out = ir.add(ir.var("", ir.axes_of(item.out, *item.ins)), "rule", (item.op, item.out) + item.ins)
            return tuple(ir.add(ir.var("", out.axes), "lane", (out, i)) for i in range(len(item.ins)))


def _pairs(item: ForwardStep, rule: Any) -> tuple[Any, ...]:
    """For each input run of a fused node, its local derivative: a number, or another run."""
    starts = [sum(item.runs[:i]) for i in range(len(item.runs))]
    marks = rule(0.0, *range(sum(item.runs)))
    found: list[Any] = []
    for start, size in zip(starts, item.runs):
        part = list(marks[start : start + size])
        if not part or all(type(m) is float and m == part[0] for m in part):
            found.append(float(part[0]) if part else 0.0)
            continue
        same = [i for i, s in enumerate(starts) if item.runs[i] == size and part == list(range(s, s + size))]
        if not same:
            raise NotTraceable(f"the rule of {item.op} does not pair its inputs")
        found.append(item.ins[same[0]])
    return tuple(found)


def _rename(ir: IR, old: str, wanted: str) -> str:
    ir.names.discard(old)
    name, n = wanted, 1
    while name in ir.names:
        n += 1
        name = f"{wanted}_{n}"
    ir.names.add(name)
    return name
