"""Vectorization: the neurons of a layer become one matrix product, their activations one array.

Neurons ``z_k = dot(w_k, x, b_k)`` that read the same ``x``, their weights ``stride`` numbers apart
in one argument (an ``nn`` layer's parameters), are the lanes of one group, ``Z = W @ x + b`` along a
new axis ``k``; nodes applying one op to each lane of a group (``a_k = tanh(z_k)``) are a group too,
and a run of all a group's lanes is its array. The rules, run on the groups' variables, broadcast
over ``k``, and the chain rule sums over it where the forward broadcast: ``dx = W.T @ dZ``.
"""

from __future__ import annotations

from typing import Any

from ..rules import PRIMITIVES
from ..value import Value
from .ir import IR, Var
from .trace import NAMES, Argument, ForwardStep, Graph, Trace


class LaneGroup:
    """Nodes that are one array: a layer's ``dot`` nodes, or one op applied to each lane of a group."""

    def __init__(self, lanes: list[Value], axis: str, op: str, spec: Any = None) -> None:
        self.lanes, self.axis, self.op, self.spec = lanes, axis, op, spec
        self.var: Any = None  # spec, for a layer: (argument, start, stride, n, bias argument, its start, stride)


class VectorGraph(Graph):
    """A ``Graph`` that groups the nodes it is given into arrays before writing them (``flush``)."""

    def __init__(self, ir: IR, args: list[Argument], inputs: list[Var], live: list[Value]) -> None:
        super().__init__(ir, args, inputs, live)
        self.waiting: list[Value] = []
        self.cuts: set[Value] = set()  # made inside no_grad: never grouped
        self.group_of: dict[Value, tuple[LaneGroup, int]] = {}
        self.order: list[ForwardStep] = []

    def convert(self, v: Value, cut: bool) -> None:
        if v.parents and v not in self.env:
            self.waiting.append(v)
            self.cuts.update([v] if cut else [])

    def operand(self, v: Value) -> Any:
        if self.waiting:
            self.flush()
        if v in self.group_of and v not in self.env:  # one lane of a group, by itself
            group, k = self.group_of[v]
            self.env[v] = self.ir.add(
                self.ir.var("", tuple(a for a in group.var.axes if a != group.axis)), "lane", (group.var, k)
            )
        return super().operand(v)

    def backward_items(self, out: Value, trace: Trace) -> list[ForwardStep]:
        return self.order

    def flush(self) -> None:
        """Group the waiting nodes, then write each group where the first of its lanes was made (what a
        group reads, that lane reads too, or is a group whose first lane came before), the rest one by one."""
        nodes, self.waiting = self.waiting, []
        self.layers(nodes)
        while self.lanewise(nodes):
            pass
        for v in nodes:
            group, k = self.group_of.get(v, (None, 0))
            if group is None:
                self.add(v, v in self.cuts)
                self.order += [self.items[v]] if v in self.items else []
            elif group.var is None:
                self.add_group(group)

    def layers(self, nodes: list[Value]) -> None:
        """``dot`` nodes that read one input, their weights ``stride`` apart in one argument."""
        found: dict[Any, list[tuple[int, int, Value]]] = {}
        for v in nodes:
            n, ps = len(v.parents) // 2, v.parents
            if v.op != "dot" or v in self.cuts or n < 1:
                continue
            w, bias = self.slice_of(ps[:n]), self.position.get(ps[-1], (None, 0)) if len(ps) % 2 else (None, -1)
            if w is not None and (bias[0] is not None or not len(ps) % 2):
                found.setdefault((tuple(map(id, ps[n : 2 * n])), w[0], n, bias[0]), []).append((w[1], bias[1], v))
        for (_, arg, n, bias_arg), members in found.items():
            members.sort(key=lambda m: m[0])
            steps = {(b[0] - a[0], b[1] - a[1]) for a, b in zip(members, members[1:])}
            stride, bias_stride = steps.pop() if len(steps) == 1 else (0, 0)
            if len(members) < 2 or stride < n or members[0][0] + len(members) * stride > len(self.args[arg].leaves):
                continue  # the weights must be the rows of a reshape of the argument, one after the other
            if not self.shared(arg) or bias_arg is not None and (bias_stride == 0 or not self.shared(bias_arg)):
                continue
            axis = self.new_axis(len(members))
            spec = (arg, members[0][0], stride, n, bias_arg, members[0][1], bias_stride)
            self.grouped(LaneGroup([m[2] for m in members], axis, "dot", spec))

    def lanewise(self, nodes: list[Value]) -> int:
        """Nodes applying one op to each lane of a group (the same lane of each), and to the same other inputs."""
        found: dict[Any, dict[int, Value | None]] = {}
        for v in nodes:
            if v in self.group_of or v in self.cuts or v.op not in PRIMITIVES or v.op in ("dot", "sum"):
                continue
            lanes = {(self.group_of[p][0].axis, self.group_of[p][1]) for p in v.parents if p in self.group_of}
            if len(lanes) == 1:
                k = lanes.pop()[1]
                key = (
                    v.op,
                    tuple(
                        ("lane", id(self.group_of[p][0])) if p in self.group_of else ("same", id(p)) for p in v.parents
                    ),
                )
                slot = found.setdefault(key, {})
                slot[k] = None if k in slot else v
        made = 0
        for (op, _), slot in found.items():
            members: list[Any] = [slot.get(k) for k in range(len(slot))]
            if not all(members):
                continue  # a lane without a node, or with two
            first = next(self.group_of[p][0] for p in members[0].parents if p in self.group_of)
            if len(members) == len(first.lanes):
                self.grouped(LaneGroup(members, first.axis, op))
                made += 1
        return made

    def shared(self, a: int) -> bool:
        """Whether argument ``a`` is a list shared by the examples (a layer's weights and biases come from one)."""
        return not self.args[a].scalar and not self.args[a].per_example

    def grouped(self, group: LaneGroup) -> None:
        self.group_of.update((v, (group, k)) for k, v in enumerate(group.lanes))

    def new_axis(self, size: int) -> str:
        """A new axis of ``size`` (the neurons of a layer): ``k1``, ``k2``, ..."""
        axis = f"k{sum(a.startswith('k') for a in self.ir.sizes) + 1}"
        self.ir.sizes[axis] = size
        self.ir.axis_order.append(axis)
        return axis

    def add_group(self, group: LaneGroup) -> None:
        ir, v = self.ir, group.lanes[0]
        hint = NAMES[group.op].upper() + group.axis[1:] if group.op in NAMES else ""  # layer 1's axis is k1: Z1
        if group.op == "dot":  # Z = W @ x + b, W the rows of the argument
            arg, start, stride, n, bias_arg, bias_start, bias_stride = group.spec
            x = self.run(v.parents[n : 2 * n])
            w = ir.add(
                ir.var("W" + hint[1:], (group.axis, x.axes[0])),
                "take",
                (self.inputs[arg], ("matrix", start, len(group.lanes), stride, n)),
            )
            out = ir.add(ir.var("" if bias_arg is not None else hint, (group.axis, *x.axes[1:])), "contract", (w, x))
            ins: tuple[Any, ...] = (w, x)
            if bias_arg is not None:
                ins += (
                    ir.add(
                        ir.var("b" + hint[1:], (group.axis,)),
                        "take",
                        (self.inputs[bias_arg], ("strided", bias_start, len(group.lanes), bias_stride)),
                    ),
                )
                out = ir.add(ir.var(hint, ir.axes_of(out, ins[2])), "+", (out, ins[2]))
            item = ForwardStep(out, "dot", ins, (n, n, 1)[: len(ins)])
        else:
            lane = [any(w.parents[j] is not p for w in group.lanes) for j, p in enumerate(v.parents)]  # else the same
            ins = tuple(self.group_of[p][0].var if lane[j] else self.operand(p) for j, p in enumerate(v.parents))
            out = ir.add(ir.var(hint, ir.axes_of(*ins)), group.op, ins)
            item = ForwardStep(out, group.op, ins)
        group.var = out
        self.arrays.add(out)
        self.order.append(item)

    def run(self, parents: tuple[Value, ...], axis: str | None = None) -> Any:
        """A run that is all the lanes of one group, in order, is that group's array."""
        group = self.group_of.get(parents[0], (None,))[0] if parents else None
        if group is not None and list(parents) == group.lanes and axis in (None, group.axis) and group.var is not None:
            return group.var
        return super().run(parents, axis)
