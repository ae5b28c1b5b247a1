"""The backward pass as equations: the rule table run on the forward pass's variables.

Steps are visited output first, in the engine's order (so the python backend adds the same numbers in
the same order). A step's gradient is the sum of what its uses sent; each input on a path to an
argument asked for gets ``gradient * local derivative``, from ``PRIMITIVES[op].local_derivatives``
run on Vars. A rule that asks for numbers (``float(x)``, an ``if``) is called at run time instead (a
``rule`` equation). ``grad`` equations collect what reaches an argument.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..errors import NotTraceable
from ..rules import PRIMITIVES
from .ir import IR, Var, building
from .trace import ForwardStep

CHUNK = 50  # terms of a sum per line: Python's compiler recurses once per operator


def needs(ir: IR, wanted: set[Var]) -> set[Var]:
    """The variables whose gradient leads to one of ``wanted`` (the arguments asked for)."""
    found = set(wanted)
    for e in ir.eqns:
        if e.op != "detach" and any(isinstance(x, Var) and x in found for x in e.ins):
            found.add(e.out)
    return found


def backward(
    ir: IR, steps: Sequence[ForwardStep], root: Any, seed: Any, needed: set[Var], origin: dict[Any, Any]
) -> None:
    """From ``root``, seeded with ``seed``, back through ``steps`` (given in forward order)."""
    pending: dict[Var, list[Any]] = {}
    skipped = False

    def send(x: Var, term: Any) -> None:  # term is part of x's gradient: kept for x's step, or sent on
        how = origin.get(x)
        if isinstance(term, Var) and not set(term.axes) <= set(x.axes):  # summed over what x does not have
            term = ir.emit("contract", (term, 1.0), axes=x.axes)
        if how is None:
            pending.setdefault(x, []).append(term)
        elif how[0] == "arg":  # (part of) an argument: ("arg", argument, index or slice or None)
            ir.add(ir.var("_"), "grad", (how[1], how[2], term))
        elif how[0] == "lane":  # one lane of a group: its part, in its row
            send(how[1], ir.add(ir.var("", how[1].axes), "place", (term, how[2])))
        else:  # ("stack", *numbers): each gets its own part
            spread = isinstance(term, Var) and x.axes[0] in term.axes  # else the same number for each
            for i, element in enumerate(how[1:]):
                if isinstance(element, Var) and element in needed:
                    send(element, ir.add(ir.var("", element.axes), "lane", (term, i)) if spread else term)

    with building(ir):
        if isinstance(root, Var) and root in needed:
            send(root, seed)
        for step in reversed(steps):
            terms = pending.pop(step.out, None)
            if not terms:
                continue
            ir.note = f"summed over its {len(terms)} uses" if len(terms) > 1 else ""
            g = terms[0]
            for i, t in enumerate(terms[1:], 1):
                g = ir.emit("+", (g, t))
                if i % CHUNK == 0 and isinstance(g, Var):
                    ir.rename(g, f"d{step.out.name}")
            if isinstance(g, Var) and g.name[0] == "t" and g.name[1:].isdigit():
                ir.rename(g, f"d{step.out.name}")
                g.maybe_zero = all(getattr(t, "maybe_zero", False) for t in terms)
            if not pending and getattr(g, "maybe_zero", False) and not skipped:
                ir.add(ir.var("_"), "skip", (g,))  # all that is left flows through g: where it is 0, stop
                skipped = True
            ir.note = step.op
            for x, d in zip(step.ins, local_derivatives(ir, step)):
                if isinstance(x, Var) and x in needed:
                    ir.note = f"{step.op}: ∂{step.out.name}/∂{x.name}"
                    send(x, product(ir, g, d, x.axes))
                ir.note = step.op
        ir.note = ""


def product(ir: IR, g: Any, d: Any, axes: tuple[str, ...]) -> Any:
    """The chain rule's ``g * d``, summed over the axes the input does not have (a broadcast forward
    is a sum backward: over the examples, over the neurons that read one input)."""
    if isinstance(d, float) and d == -1.0:
        return ir.emit("neg", (g,))
    if set(ir.axes_of(g, d)) <= set(axes):  # the same axes, or fewer: numpy broadcasts the rest
        return ir.emit("*", (g, d))
    return ir.emit("contract", (g, d), axes=axes)


def local_derivatives(ir: IR, step: ForwardStep) -> tuple[Any, ...]:
    """The rule of ``step``'s op run on its variables. For ``dot`` and ``sum``, whose inputs are runs,
    the rule run on positions says which input each local derivative is (a weight's is its input)."""
    rule = PRIMITIVES[step.op].local_derivatives
    if step.runs:
        starts = [sum(step.runs[:i]) for i in range(len(step.runs))]
        marks = rule(0.0, *range(sum(step.runs)))
        found: list[Any] = []
        for start, size in zip(starts, step.runs):
            part = list(marks[start : start + size])
            if all(type(m) is float and m == part[0] for m in part):
                found.append(float(part[0]) if part else 0.0)
                continue
            same = [i for i, s in enumerate(starts) if step.runs[i] == size and part == list(range(s, s + size))]
            if not same:
                raise NotTraceable(f"the rule of {step.op} does not pair its inputs")
            found.append(step.ins[same[0]])
        return tuple(found)
    try:
        ds = rule(step.out, *step.ins)
        return tuple(d if isinstance(d, Var) else float(d) for d in (ds if isinstance(ds, (tuple, list)) else (ds,)))
    except NotTraceable:  # the rule asks for numbers: called at run time, one result per input
        out = ir.add(ir.var("", ir.axes_of(step.out, *step.ins)), "rule", (step.op, step.out, *step.ins))
        return tuple(ir.add(ir.var("", out.axes), "lane", (out, i)) for i in range(len(step.ins)))
