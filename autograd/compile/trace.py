"""Tracing: ``f`` run once on Values, every node it makes recorded, then written as IR equations.

``f`` runs on the engine itself, so whatever the engine computes (an ``nn`` model, a ``defop``)
is traced. While it runs, ``modes.tracing`` reports to a ``Trace``: each new node in the order ``f``
makes it (so errors name the op ``f`` hits first, and a computation nobody reads is still done);
``no_grad`` and ``detach()``, which become ``detach`` equations (no gradient flows back through
them, as in the engine); and a comparison or a ``float()`` of a traced Value, which are refused
with ``TracingError`` naming the line of ``f``: the compiled code would keep the branch taken now.
"""

from __future__ import annotations

import os
import sys
from typing import Any, NamedTuple

from ..backprop import is_constant, topological_order
from ..errors import TracingError
from ..value import Value, node
from .ir import IR, Var

_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Argument(NamedTuple):
    """One argument of the compiled function: its name, its numbers as leaves, how it is used."""

    name: str
    leaves: list[Value]
    scalar: bool
    per_example: bool
    wrt: bool


class Trace:
    """What ``modes.tracing`` reports to while ``f`` runs in this thread."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.nodes: list[Value] = []  # every node made, in order
        self.cut: set[Value] = set()  # made inside no_grad: no gradient flows back through them

    def record(self, v: Value, recording: bool) -> None:
        self.nodes.append(v)
        if not recording and v.parents:
            self.cut.add(v)

    def detach(self, v: Value) -> Value:
        return node(v.data, "detach", (v,))

    def compare(self, v: Value, op: str, other: Any) -> None:
        right = (other.label or "a Value") if isinstance(other, Value) else repr(other)
        self.refuse(
            v,
            f"{v.label or 'a Value'} {op} {right} compares a traced Value ({_named(v)}), so a Python branch on it would keep the side taken now and give wrong numbers on the other side. Write kinks with relu, abs or leaky_relu, or your own primitive (autograd.extend.defop)",
        )

    def convert(self, v: Value) -> None:
        self.refuse(
            v,
            f"float() of a traced Value ({_named(v)}; math.sin(x) and the like call it) leaves the graph: the compiled code would keep today's number. Use autograd's functions (autograd.sin(x)) so that the derivative can be followed",
        )

    def refuse(self, v: Value, why: str) -> None:
        raise TracingError(
            f"compile {self.name}{_line_of_f()}: {why}; or use the engine (autograd.grad, .backward()), which follows every call"
        )


def _named(v: Value) -> str:
    return f"{v.label}={v.data!r}" if v.label else repr(v.data)


def _line_of_f() -> str:
    """`` (file.py, line 12)``: where the caller outside autograd, ``f``, is."""
    frame: Any = sys._getframe(2)
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(_PACKAGE + os.sep):
        frame = frame.f_back
    return "" if frame is None else f" ({os.path.basename(frame.f_code.co_filename)}, line {frame.f_lineno})"


# --- the Value graph as equations ----------------------------------------------------------------

#: The names the IR gives the results of these ops, the course's (``z = w·x + b``, ``a = sigmoid(z)``).
NAMES = {"dot": "z", "sigmoid": "a", "tanh": "a", "relu": "a", "leaky_relu": "a"}


class ForwardStep(NamedTuple):
    """One node (or, vectorized, a group of nodes) of the forward pass: what the backward pass reads.

    ``runs``: for a fused op (``dot``, ``sum``), how many of the op's inputs each of ``ins`` stands for.
    """

    out: Any
    op: str
    ins: tuple[Any, ...]
    runs: tuple[int, ...] = ()


class Graph:
    """The forward pass as equations: ``env`` maps each Value to its operand, ``items`` are the ops.

    Arguments are input variables; a number of one is a ``take`` (``w_3 = take w 3``), a run of
    them (a dot's weights) a ``take`` of a slice, or the argument itself; a Value ``f`` reads from
    outside is a ``live`` input, read at each call.
    """

    def __init__(self, ir: IR, args: list[Argument], inputs: list[Var], live: list[Value]) -> None:
        self.ir, self.args, self.inputs, self.live = ir, args, inputs, live
        self.env: dict[Value, Any] = {}
        self.arrays: set[Var] = set()  # the variables of groups (vectorize.py), whose lanes nodes read
        self.items: dict[Value, ForwardStep] = {}
        self.position: dict[Value, tuple[int, int]] = {}
        for a, (arg, var) in enumerate(zip(args, inputs)):
            for i, leaf in enumerate(arg.leaves):
                self.position[leaf] = (a, i)
                if arg.scalar:
                    self.env[leaf] = var

    def convert(self, v: Value, cut: bool) -> None:
        """Add node ``v`` (made by ``f``) to the equations; ``cut``: made inside ``no_grad``."""
        if v.parents and v not in self.env:
            self.add(v, cut)

    def operand(self, v: Value) -> Any:
        """``v`` in the equations: a Var, a number, or the ``take`` of an argument's number."""
        found = self.env.get(v)
        if found is not None:
            return found
        if is_constant(v):
            return v.data
        if v not in self.position:  # a Value f reads from outside (or makes with Value()): read at each call
            self.live.append(v)
            hint = v.label if v.label.isidentifier() and not v.label.startswith("_") else "p"
            out = self.ir.add(self.ir.var(hint, ()), "live", (len(self.live) - 1,))
        else:
            a, i = self.position[v]
            var = self.inputs[a]
            kept = self.ir.kept.get((var.name, i))  # w_3: the name kept for it (compile._reserve)
            named = Var(kept, var.axes[1:]) if kept else self.ir.var(f"{var.name}_{i}", var.axes[1:])
            out = self.ir.add(named, "take", (var, i))
        self.env[v] = out
        return out

    def origins(self, wanted: set[Var]) -> dict[Any, Any]:
        """What the backward pass sends on: an argument's gradient to the argument, a stack's to its numbers."""
        found: dict[Any, Any] = {var: ("arg", var, None) for var in wanted}
        for e in self.ir.eqns:
            if e.op == "take" and e.ins[0] in wanted:
                found[e.out] = ("arg", e.ins[0], e.ins[1])
            elif e.op == "stack":
                found[e.out] = ("stack", e.ins)
            elif e.op == "lane" and e.ins[0] in self.arrays:
                found[e.out] = ("lane", e.ins[0], e.ins[1])
        return found

    def backward_items(self, out: Value) -> list[ForwardStep]:
        """The items under ``out`` in the engine's order (its backward pass visits them reversed)."""
        return [self.items[v] for v in topological_order(out) if v in self.items]

    def run(self, parents: tuple[Value, ...], axis: str | None = None) -> Any:
        """A run of inputs (a dot's weights) along ``axis`` (``n<length>`` by default): the argument
        itself, or a ``take`` of a slice of it, else a ``stack`` of the numbers."""
        axis = axis or f"n{len(parents)}"
        self.ir.sizes.setdefault(axis, len(parents))
        if parents and all(p in self.position for p in parents):
            a, start = self.position[parents[0]]
            if not self.args[a].scalar and all(self.position[p] == (a, start + i) for i, p in enumerate(parents)):
                var = self.inputs[a]
                if var.axes[:1] == (axis,) and start == 0 and len(parents) == len(self.args[a].leaves):
                    return var
                return self.ir.add(
                    self.ir.var(f"{var.name}_{start}", (axis,) + var.axes[1:]),
                    "take",
                    (var, (start, start + len(parents))),
                )
        ins = tuple(self.operand(p) for p in parents)
        return self.ir.add(self.ir.var("", (axis,) + self.ir.axes_of(*ins)), "stack", ins)

    def new_axis(self, size: int) -> str:
        """A new axis of ``size`` (the neurons of a layer): ``k1``, ``k2``, ..."""
        axis = f"k{sum(a.startswith('k') for a in self.ir.sizes) + 1}"
        self.ir.sizes[axis] = size
        self.ir.axis_order.append(axis)
        return axis

    def add(self, v: Value, cut: bool) -> None:
        """The equation(s) of node ``v``; ``cut``: made inside no_grad (a ``detach`` of its result)."""
        op, ps = v.op, v.parents
        hint = v.label if v.label.isidentifier() and not v.label.startswith("_") else NAMES.get(op, "")
        if op == "detach":
            x = self.operand(ps[0])
            self.env[v] = self.ir.add(self.ir.var(hint, self.ir.axes_of(x)), "detach", (x,))
            return
        if op == "dot":
            n = len(ps) // 2
            x = self.run(ps[n : 2 * n])
            w = self.run(ps[:n], x.axes[0])
            ins = (w, x) + ((self.operand(ps[-1]),) if len(ps) % 2 else ())
            out, runs = self.dot(w, x, ins[2:], hint), (n, n, 1)[: len(ins)]
        elif op == "sum":
            ins, runs = (self.run(ps),), (len(ps),)
            out = self.ir.add(self.ir.var(hint, ins[0].axes[1:]), "sum", ins)
        else:
            ins, runs = tuple(self.operand(p) for p in ps), ()
            out = self.ir.add(self.ir.var(hint, self.ir.axes_of(*ins)), op, ins)
        self.items[v] = ForwardStep(out, op, ins, runs)
        self.env[v] = self.ir.add(self.ir.var(hint, out.axes), "detach", (out,)) if cut else out

    def dot(self, w: Any, x: Any, bias: tuple[Any, ...], hint: str) -> Var:
        """``w·x (+ b)``: the weighted sum over the run's axis, then the bias."""
        kept = tuple(a for a in self.ir.axes_of(w, x) if a != x.axes[0])
        total = self.ir.add(self.ir.var("" if bias else hint, kept), "contract", (w, x))
        return self.ir.add(self.ir.var(hint, self.ir.axes_of(total, *bias)), "+", (total, bias[0])) if bias else total
