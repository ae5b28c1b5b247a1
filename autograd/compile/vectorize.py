"""Vectorization: the neurons of a layer become one matrix product, their activations one array.

The trace has one node per neuron: ``z_k = dot(w_k, x, b_k)``. Neurons that read the same input
``x``, whose weights lie in one argument ``stride`` numbers apart (an ``nn`` layer's parameters:
each neuron's weights, then its bias), are one ``lane`` each of a group: ``Z = W @ x + b`` with
``W`` the rows of the argument, an axis ``k`` for the neurons. A node that does the same op to
each lane of a group (``a_k = tanh(z_k)``) is a group too, ``A = tanh(Z)``, and the next layer's
neurons, whose input is the lanes of ``A`` in order, read ``A`` whole. Everything else stays one
equation per node; a node that reads one lane reads ``lane Z k``. The backward pass needs nothing
of its own: the rules, run on the groups' variables, broadcast over ``k``, and the chain rule
sums over it where a forward broadcast (``dx = W.T @ dZ``).
"""

from __future__ import annotations

from typing import Any

from ..rules import PRIMITIVES
from ..value import Value
from .ir import IR, Var
from .trace import NAMES, Argument, ForwardStep, Graph


class LaneGroup:
    """Nodes that are one array: a layer's ``dot`` nodes, or one op applied to each lane of a group."""

    def __init__(self, lanes: list[Value], axis: str, op: str, layer: int) -> None:
        self.lanes, self.axis, self.op, self.layer = lanes, axis, op, layer
        self.spec: Any = None  # for a layer: (argument, start, stride, n, bias argument, bias start, bias stride)
        self.var: Var | None = None


class VectorGraph(Graph):
    """A ``Graph`` that groups a batch's nodes into arrays before writing them (``flush``)."""

    def __init__(self, ir: IR, args: list[Argument], inputs: list[Var], live: list[Value]) -> None:
        super().__init__(ir, args, inputs, live)
        self.waiting: list[Value] = []
        self.cuts: set[Value] = set()  # made inside no_grad
        self.layers_before = 0
        self.group_of: dict[Value, tuple[LaneGroup, int]] = {}
        self.order: list[ForwardStep] = []

    def convert(self, v: Value, cut: bool) -> None:
        if v.parents and v not in self.env:
            self.waiting.append(v)
            if cut:
                self.cuts.add(v)

    def operand(self, v: Value) -> Any:
        if self.waiting:
            self.flush()
        if v in self.group_of and v not in self.env:
            group, k = self.group_of[v]
            assert group.var is not None
            self.env[v] = self.ir.add(
                self.ir.var("", tuple(a for a in group.var.axes if a != group.axis)), "lane", (group.var, k)
            )
        return super().operand(v)

    def backward_items(self, out: Value) -> list[ForwardStep]:
        return self.order

    def flush(self) -> None:
        nodes, self.waiting = self.waiting, []
        groups = self.layers(nodes)
        self.layers_before += len(groups)
        while more := self.lanewise(nodes):
            groups += more
        units = _ordered(nodes, self.group_of)
        if units is None:  # a group that reads itself through another node: the layers alone
            for v in [v for v in nodes if v in self.group_of and self.group_of[v][0].op != "dot"]:
                del self.group_of[v]
            units = _ordered(nodes, self.group_of)
        assert units is not None  # the layers' groups read only inputs and earlier layers
        for unit in units:
            if isinstance(unit, LaneGroup):
                self.add_group(unit)
            else:
                self.add(unit, unit in self.cuts)
                self.order.append(self.items[unit]) if unit in self.items else None

    def layers(self, nodes: list[Value]) -> list[LaneGroup]:
        """``dot`` nodes that read one input with weights ``stride`` apart in one argument."""
        found: dict[Any, list[tuple[int, int, Value]]] = {}
        for v in nodes:
            if v.op != "dot" or v in self.cuts or len(v.parents) < 2:
                continue
            n = len(v.parents) // 2
            w = self.slice_of(v.parents[:n])
            bias = self.position.get(v.parents[-1], (None, 0)) if len(v.parents) % 2 else (None, -1)
            if w is None or (len(v.parents) % 2 and bias[0] is None):
                continue
            key = (tuple(map(id, v.parents[n : 2 * n])), w[0], n, bias[0])
            found.setdefault(key, []).append((w[1], bias[1], v))
        groups: list[LaneGroup] = []
        for (_, arg, n, bias_arg), members in found.items():
            members.sort(key=lambda m: m[0])
            if len(members) < 2:
                continue
            stride, bias_stride = members[1][0] - members[0][0], members[1][1] - members[0][1]
            if (
                any(b[0] - a[0] != stride or b[1] - a[1] != bias_stride for a, b in zip(members, members[1:]))
                or stride < n
            ):
                continue
            group = LaneGroup(
                [m[2] for m in members], self.new_axis(len(members)), "dot", len(groups) + self.layers_before + 1
            )
            group.spec = (arg, members[0][0], stride, n, bias_arg, members[0][1], bias_stride)
            groups.append(group)
            for k, m in enumerate(members):
                self.group_of[m[2]] = (group, k)
        return groups

    def lanewise(self, nodes: list[Value]) -> list[LaneGroup]:
        """Nodes that apply one op to each lane of a group, and to the same other inputs."""
        found: dict[Any, dict[int, Value]] = {}
        for v in nodes:
            if v in self.group_of or v in self.cuts or v.op not in PRIMITIVES or v.op in ("dot", "sum"):
                continue
            lanes = [self.group_of[p] for p in v.parents if p in self.group_of]
            if not lanes or len({k for _, k in lanes}) > 1 or len({g.axis for g, _ in lanes}) > 1:
                continue
            key = (
                v.op,
                tuple(("lane", id(self.group_of[p][0])) if p in self.group_of else ("same", id(p)) for p in v.parents),
            )
            slot = found.setdefault(key, {})
            slot[lanes[0][1]] = v if lanes[0][1] not in slot else None  # type: ignore[assignment]
        made = []
        for key, slot in found.items():
            first = (
                next(g for g, _ in (self.group_of[p] for p in next(iter(slot.values())).parents if p in self.group_of))
                if all(slot.values())
                else None
            )
            if first is None or len(slot) != len(first.lanes):
                continue
            group = LaneGroup([slot[k] for k in range(len(first.lanes))], first.axis, key[0], first.layer)
            made.append(group)
            for k, v in enumerate(group.lanes):
                self.group_of[v] = (group, k)
        return made

    def slice_of(self, parents: tuple[Value, ...]) -> tuple[int, int] | None:
        """``(argument, start)`` if ``parents`` are consecutive numbers of one argument."""
        first = self.position.get(parents[0])
        if first is None or first[0] >= len(self.args):
            return None
        a, start = first
        return first if all(self.position.get(p) == (a, start + i) for i, p in enumerate(parents)) else None

    def add_group(self, group: LaneGroup) -> None:
        ir, v = self.ir, group.lanes[0]
        hint = NAMES.get(group.op, "").upper() + str(group.layer) if group.op in NAMES else ""
        if group.op == "dot":
            arg, start, stride, n, bias_arg, bias_start, bias_stride = group.spec
            x = self.run(v.parents[n : 2 * n])
            var = self.inputs[arg]
            w = ir.add(
                ir.var("W" + hint[1:], (group.axis, x.axes[0])),
                "take",
                (var, ("matrix", start, len(group.lanes), stride, n)),
            )
            ins: tuple[Any, ...] = (w, x)
            total = ir.add(ir.var("" if bias_arg is not None else hint, (group.axis,) + x.axes[1:]), "contract", (w, x))
            out = total
            if bias_arg is not None:
                b = ir.add(
                    ir.var("b" + hint[1:], (group.axis,)),
                    "take",
                    (self.inputs[bias_arg], ("strided", bias_start, len(group.lanes), bias_stride)),
                )
                ins += (b,)
                out = ir.add(ir.var(hint, ir.axes_of(total, b)), "+", (total, b))
            item = ForwardStep(out, "dot", ins, (n, n, 1)[: len(ins)])
        else:
            ins = tuple(
                self.group_var(p) if p in self.group_of else super(VectorGraph, self).operand(p) for p in v.parents
            )
            out = ir.add(ir.var(hint, ir.axes_of(*ins)), group.op, ins)
            item = ForwardStep(out, group.op, ins)
        group.var = out
        self.arrays.add(out)
        self.order.append(item)

    def group_var(self, p: Value) -> Var:
        group = self.group_of[p][0]
        assert group.var is not None
        return group.var

    def run(self, parents: tuple[Value, ...], axis: str | None = None) -> Any:
        """A run that is all the lanes of one group, in order, is that group's array."""
        if parents and parents[0] in self.group_of:
            group = self.group_of[parents[0]][0]
            if list(parents) == group.lanes and (axis is None or axis == group.axis) and group.var is not None:
                return group.var
        return super().run(parents, axis)


def _ordered(nodes: list[Value], group_of: dict[Value, tuple[LaneGroup, int]]) -> list[Any] | None:
    """The nodes and groups in an order where each comes after what it reads (depth first), or
    None if a group reads itself through another node (then there is no such order)."""
    unit = {v: group_of[v][0] if v in group_of else v for v in nodes}
    done: set[int] = set()
    started: set[int] = set()
    out: list[Any] = []
    for start in nodes:
        stack = [(unit[start], False)]
        while stack:
            u, expanded = stack.pop()
            if id(u) in done:
                continue
            if expanded:
                done.add(id(u))
                out.append(u)
                continue
            if id(u) in started:
                return None  # a cycle
            started.add(id(u))
            stack.append((u, True))
            members = u.lanes if isinstance(u, LaneGroup) else [u]
            for v in members:
                for p in v.parents:
                    if p in unit and id(unit[p]) not in done:
                        stack.append((unit[p], False))
    return out
