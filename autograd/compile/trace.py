"""Tracing: ``f`` run once on the engine's Values, each node it makes recorded, then written as equations.

``modes.tracing`` reports to a ``Trace``: each new node in the order ``f`` makes it, ``detach()`` and
``no_grad`` (no gradient flows back), and comparisons or ``float()`` of a traced Value, refused with
``TracingError`` naming the line of ``f`` (the code would keep the branch taken now).
"""

from __future__ import annotations

import os
import sys
from typing import Any, NamedTuple

from ..backprop import is_constant, topological_order
from ..errors import TracingError
from ..rules import PRIMITIVES
from ..value import Value, constant, node
from .ir import IR, Var

_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
#: Nodes at most that ``f`` makes while it is traced (the engine makes a million in about 2 s).
MAX_NODES = 1_000_000
#: The course's names for the results of these ops (``z = w·x + b``, ``a = sigmoid(z)``).
NAMES = {"dot": "z", "sigmoid": "a", "tanh": "a", "relu": "a", "leaky_relu": "a"}


class Argument(NamedTuple):
    """One argument of the compiled function: its name, its numbers as leaves, how it is used."""

    name: str
    leaves: list[Value]
    scalar: bool
    per_example: bool
    wrt: bool


class ForwardStep(NamedTuple):
    """A node (or a group of them) as the backward pass reads it; ``runs``: for ``dot`` and ``sum``,
    how many of the node's inputs each of ``ins`` stands for."""

    out: Any
    op: str
    ins: tuple[Any, ...]
    runs: tuple[int, ...] = ()


class Trace:
    """What ``modes.tracing`` reports to while ``f`` runs in this thread."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.nodes: list[Value] = []  # every node made, in order
        self.cut: set[Value] = set()  # made inside no_grad

    def record(self, v: Value, recording: bool) -> None:
        if len(self.nodes) >= MAX_NODES:  # refused while f runs, not after it made them all
            raise ValueError(
                f"compile {self.name}: f made more than {MAX_NODES:,} nodes, more than compile takes; trace one example and pass the rest with per_example=, or use the engine (autograd.grad, .backward())"
            )
        self.nodes.append(v)
        if not recording and v.parents:
            self.cut.add(v)

    def detach(self, v: Value) -> Value:
        return node(v.data, "detach", (v,))

    def compare(self, v: Value, op: str, other: Any) -> None:
        right = (other.label or "a Value") if isinstance(other, Value) else repr(other)
        self.refuse(
            f"{v.label or 'a Value'} {op} {right} compares a traced Value ({_named(v)}), so a Python branch on it would keep the side taken now and give wrong numbers on the other side. Write kinks with relu, abs or leaky_relu, or your own primitive (autograd.extend.defop)"
        )

    def convert(self, v: Value) -> None:
        self.refuse(
            f"float() of a traced Value ({_named(v)}; math.sin(x) and the like call it) leaves the graph: the compiled code would keep today's number. Use autograd's functions (autograd.sin(x)) so that the derivative can be followed"
        )

    def refuse(self, why: str) -> None:
        frame: Any = sys._getframe(2)  # the caller outside autograd: f
        while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(_PACKAGE + os.sep):
            frame = frame.f_back
        line = "" if frame is None else f" ({os.path.basename(frame.f_code.co_filename)}, line {frame.f_lineno})"
        raise TracingError(
            f"compile {self.name}{line}: {why}; or use the engine (autograd.grad, .backward()), which follows every call"
        )


def _named(v: Value) -> str:
    return f"{v.label}={v.data!r}" if v.label else repr(v.data)


class Graph:
    """The forward pass as equations: ``env`` maps each Value to its operand, ``items`` are its steps.

    An argument's number is a ``take`` of it, a run of them (a dot's weights) a ``take`` of a slice
    or the argument itself; a Value ``f`` reads from outside is ``live``, read at each call.
    """

    def __init__(self, ir: IR, args: list[Argument], inputs: list[Var], live: list[Value]) -> None:
        self.ir, self.args, self.inputs, self.live = ir, args, inputs, live
        self.env: dict[Value, Any] = {}
        self.items: dict[Value, ForwardStep] = {}
        self.arrays: set[Var] = set()  # the variables of groups (vectorize.py), whose lanes nodes read
        self.position = {leaf: (a, i) for a, arg in enumerate(args) for i, leaf in enumerate(arg.leaves)}
        self.env.update((arg.leaves[0], var) for arg, var in zip(args, inputs) if arg.scalar)

    def convert(self, v: Value, cut: bool) -> None:
        """Add node ``v`` (made by ``f``); ``cut``: made inside ``no_grad``."""
        if v.parents and v not in self.env:
            self.add(v, cut)

    def operand(self, v: Value) -> Any:
        """``v`` in the equations: a Var, a number, or the ``take`` of an argument's number."""
        if v in self.env:
            return self.env[v]
        if is_constant(v):
            return v.data
        if v not in self.position:  # read from outside f (or made with Value()): read at each call
            self.live.append(v)
            hint = v.label if v.label.isidentifier() and not v.label.startswith("_") else "p"
            out = self.ir.add(self.ir.var(hint), "live", (len(self.live) - 1,))
        else:
            a, i = self.position[v]
            var = self.inputs[a]
            kept = self.ir.kept.get((var.name, i))  # w_3: a name reserved for it (compile.build)
            out = self.ir.add(
                Var(kept, var.axes[1:]) if kept else self.ir.var(f"{var.name}_{i}", var.axes[1:]), "take", (var, i)
            )
        self.env[v] = out
        return out

    def origins(self, wanted: set[Var]) -> dict[Any, Any]:
        """Where the backward pass sends a variable's gradient on: to (part of) an argument asked for
        (``arg``), to the numbers of a ``stack``, to one row of a group (``lane``)."""
        found: dict[Any, Any] = {var: ("arg", var, None) for var in wanted}
        for e in self.ir.eqns:
            if e.op == "take" and e.ins[0] in wanted:
                found[e.out] = ("arg", e.ins[0], e.ins[1])
            elif e.op == "stack" or e.op == "lane" and e.ins[0] in self.arrays:
                found[e.out] = (e.op, *e.ins)
        return found

    def backward_items(self, out: Value, trace: Trace) -> list[ForwardStep]:
        """The steps under ``out`` in the engine's order (its backward pass visits them reversed): the
        order of the graph the engine makes of what ``f`` did, where a ``detach``, or a node made
        inside ``no_grad``, is a leaf (the trace keeps their parents, which would move them)."""
        made: dict[Value, Value] = {}
        root = replay(out, trace, {}, made)
        traced = {again: v for v, again in made.items()}
        return [self.items[traced[v]] for v in topological_order(root) if traced.get(v) in self.items]

    def slice_of(self, parents: tuple[Value, ...]) -> tuple[int, int] | None:
        """``(argument, start)`` if ``parents`` are consecutive numbers of one argument."""
        a, start = self.position.get(parents[0], (None, 0)) if parents else (None, 0)
        return (
            None
            if a is None or any(self.position.get(p) != (a, start + i) for i, p in enumerate(parents))
            else (a, start)
        )

    def run(self, parents: tuple[Value, ...], axis: str | None = None) -> Any:
        """Inputs of a ``dot`` or ``sum`` as one vector along ``axis``: the argument itself, a slice of it, or a ``stack``."""
        axis = axis or f"n{len(parents)}"
        self.ir.sizes.setdefault(axis, len(parents))
        a, start = self.slice_of(parents) or (None, 0)
        if a is not None and not self.args[a].scalar:
            var = self.inputs[a]
            if var.axes[:1] == (axis,) and start == 0 and len(parents) == len(self.args[a].leaves):
                return var
            return self.ir.add(
                self.ir.var(f"{var.name}_{start}", (axis, *var.axes[1:])), "take", (var, (start, start + len(parents)))
            )
        ins = tuple(self.operand(p) for p in parents)
        return self.ir.add(self.ir.var("", (axis, *self.ir.axes_of(*ins))), "stack", ins)

    def add(self, v: Value, cut: bool) -> None:
        """The equation(s) of node ``v``; made inside no_grad (``cut``), a ``detach`` of its result."""
        op, ps, ir = v.op, v.parents, self.ir
        hint = v.label if v.label.isidentifier() and not v.label.startswith("_") else NAMES.get(op, "")
        if op == "detach":
            x = self.operand(ps[0])
            self.env[v] = ir.add(ir.var(hint, ir.axes_of(x)), "detach", (x,))
            return
        runs: tuple[int, ...] = ()
        if op == "dot":  # w·x (+ b): a contract over the run's axis, then the bias
            n = len(ps) // 2
            x = self.run(ps[n : 2 * n])
            w = self.run(ps[:n], x.axes[0])
            ins, runs = (w, x, *(self.operand(p) for p in ps[2 * n :])), (n, n, 1)[: len(ps) - 2 * n + 2]
            total = ir.add(
                ir.var("" if len(ins) > 2 else hint, tuple(a for a in ir.axes_of(w, x) if a != x.axes[0])),
                "contract",
                (w, x),
            )
            out = ir.add(ir.var(hint, ir.axes_of(total, ins[2])), "+", (total, ins[2])) if len(ins) > 2 else total
        elif op == "sum":
            ins, runs = (self.run(ps),), (len(ps),)
            out = ir.add(ir.var(hint, ins[0].axes[1:]), "sum", ins)
        else:
            ins = tuple(self.operand(p) for p in ps)
            out = ir.add(ir.var(hint, ir.axes_of(*ins)), op, ins)
        self.items[v] = ForwardStep(out, op, ins, runs)
        self.env[v] = ir.add(ir.var(hint, out.axes), "detach", (out,)) if cut else out


def replay(out: Value, trace: Trace, fresh: dict[Value, Value], made: dict[Value, Value] | None = None) -> Any:
    """What ``f`` did, done again by the engine from the leaves in ``fresh``, in the order ``f`` did it;
    ``made`` (if given) gets each traced node's new node."""
    new = {} if made is None else made
    new.update(fresh)

    def get(v: Value) -> Value:  # a constant, or a Value read from outside (as f would read it now)
        return new.setdefault(v, constant(v.data) if is_constant(v) else v)

    for v in (v for v in trace.nodes if v.parents and v not in fresh):
        parents = tuple(map(get, v.parents))
        again = (
            parents[0]
            if v.op == "detach"
            else node(PRIMITIVES[v.op].forward(*[p.data for p in parents]), v.op, parents)
        )
        new[v] = again.detach() if v.op == "detach" or v in trace.cut else again
    return get(out)
