"""Straight-line Python from a traced graph: the forward pass, then the backward pass, one line per node.

``Lines`` writes the lines; ``program.py`` puts them in a function. Forward: one line per
node, ``a = _sigmoid(z)``, in the graph's topological order. Backward: in the reverse order, as
``backprop.propagate`` walks it; each node's gradient is the sum of what its users sent, in the
order the engine adds them, and each input's is added into (``dw_0 += dz * x_0``), so the numbers
are the engine's, bit for bit. Where a gradient can be exactly 0 (it came through a rule with a
branch, like relu's), the updates of the inputs are skipped when it is (``if dz:``), as the engine
skips such a node. The local derivatives come from ``inline``, that is from the rule table. Names come from the graph's labels and the function's variables (``z``, ``a``), the
gradients' from theirs (``dz``, ``da``); anything else gets a generated name (``t3``). No label
reaches the source unless it is a plain identifier; comments quote them with line breaks escaped.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ..backprop import is_constant
from ..rules import PRIMITIVES
from ..value import Value
from . import inline
from .naming import OP_WORDS, Bindings, Names, comment, identifier

CHUNK = 50  # terms per line in a long sum of gradients: Python's compiler recurses once per operator


@dataclasses.dataclass
class Arg:
    """One argument of the compiled function: its name and its numbers, as leaves of the graph."""

    name: str
    leaves: list[Value]
    scalar: bool  # one number, not a list
    per_example: bool = False
    wrt: bool = True


@dataclasses.dataclass
class Plan:
    """Everything ``write`` needs: the traced graph and how the function takes its numbers."""

    name: str
    args: list[Arg]
    order: list[Value]  # the graph of f at the example, in topological order (the output last)
    live: list[Value] = dataclasses.field(default_factory=list)  # other leaves: read at each call
    variables: dict[Value, str] = dataclasses.field(default_factory=dict)  # f's own names for nodes
    batch: bool = False  # loop over per-example arguments, adding up
    reduce: str | None = "mean"  # of the examples' values: "mean", "sum", or None (all of them)
    penalty: list[Value] | None = None  # its graph, added after the loop
    vector: bool = False  # numpy arrays of examples instead of the loop


class Lines:
    """The lines for the nodes of a plan's graphs, and the names they use.

    >>> from autograd import Value
    >>> x = Value(3.0, label="x")
    >>> y = (x * 2.0).tanh()
    >>> lines = Lines(Plan("f", [Arg("x", [x], scalar=True)], list(y.nodes())))
    >>> _ = lines.name_leaves(); lines.name_nodes(list(y.nodes()), "y")
    >>> [lines.forward(v) for v in y.nodes() if v.parents]
    ['t1 = x * 2.0', 'y = _tanh(t1)']
    >>> lines.backward(list(y.nodes()), "1.0", total=False)[1:]
    ['dt1 = dy * (1.0 - y * y)  # tanh: ∂y/∂t1 = 1.0 - y * y', 'dx += dt1 * 2.0  # *: ∂t1/∂x = 2.0']
    """

    def __init__(self, plan: Plan) -> None:
        self.plan, self.names, self.bindings = plan, Names(), Bindings(plan.vector)
        self.var: dict[Value, str] = {}
        self.grad: dict[Value, str] = {}
        graphs = plan.order + (plan.penalty or [])
        self.wrt = {leaf for a in plan.args if a.wrt for leaf in a.leaves}
        examples = {leaf for a in plan.args if a.per_example for leaf in a.leaves}
        self.needs: dict[Value, bool] = {}
        self.batched: dict[Value, bool] = {}
        for v in graphs:
            leaf = not v.parents
            self.needs[v] = v in self.wrt if leaf else any(self.needs[p] for p in v.parents)
            self.batched[v] = v in examples if leaf else any(self.batched[p] for p in v.parents)
        self.temps = 0
        #: Whether a node's gradient can be exactly 0: it came through a rule with a branch (relu's
        #: 1.0 if x > 0 else 0.0). Then its inputs' updates are skipped when it is, as the engine skips it.
        self.maybe_zero: dict[Value, bool] = {}
        self.own: list[str] = []  # each argument's name in one example's code (name_leaves)
        self.batch: list[str] = []  # and as the function takes it

    # names

    def name_leaves(self) -> list[str]:
        """Claim the names of the arguments and leaves; return the function's parameters.

        ``self.own[i]`` names argument ``i`` as one example has it (``x``, or the number's own name),
        ``self.batch[i]`` as the function takes it (``X`` for the examples of a batch, else the same).
        """
        for a in self.plan.args:
            for i, leaf in enumerate(a.leaves):
                self.var[leaf] = self.names.derive(identifier(leaf.label) or f"{a.name}_{i}")
            own = self.var[a.leaves[0]] if a.scalar else self.names.derive(a.name)
            many = own.upper() if own.upper() != own else own + "_all"
            self.own.append(own)
            self.batch.append(self.names.derive(many) if a.per_example and self.plan.batch else own)
        for v in self.plan.live:
            self.var[v] = self.names.derive(identifier(v.label) or "p")
        return list(self.batch)

    def name_nodes(self, order: list[Value], root_name: str) -> None:
        root = order[-1]
        if root.parents and root not in self.var:
            self.var[root] = self.names.derive(identifier(root.label) or self.plan.variables.get(root) or root_name)
        for v in order:
            if v.parents and v not in self.var:
                wanted = identifier(v.label) or self.plan.variables.get(v)
                self.var[v] = self.names.derive(wanted) if wanted else self.names.fresh()

    def grad_name(self, v: Value) -> str:
        if v not in self.grad:
            self.grad[v] = self.names.derive("d" + self.var[v])
        return self.grad[v]

    def operand(self, v: Value) -> str:
        """``v`` in code: its name, or a constant's number."""
        return inline.atom(v.data) if is_constant(v) else self.var[v]

    # forward

    def forward(self, v: Value) -> str:
        vector = self.plan.vector and self.batched[v]
        code = inline.forward_text(
            PRIMITIVES[v.op].forward, [self.operand(p) for p in v.parents], self.bindings.bind, vector, v.op
        )
        line = f"{self.var[v]} = {code}"
        return line + (f"  # {comment(v.label)}" if v.label and identifier(v.label) != self.var[v] else "")

    # backward

    def backward(self, order: list[Value], seed: str, total: bool, why: str = "", loop: bool = False) -> list[str]:
        """The chain rule over ``order`` from its last node, seeded with ``seed`` (``why`` says what
        it is); ``total``: the gradients of inputs are summed over the examples (numpy arrays);
        ``loop``: inside the loop over examples, where an example whose gradient is 0 at a node that
        everything left passes through (a satisfied hinge) goes on to the next example at once."""
        root, out = order[-1], []
        if not root.parents:
            if root in self.wrt:
                out.append(f"{self.grad_name(root)} += {self.reduced(seed, total)}  # the output is this input")
            return out
        pending: dict[Value, list[tuple[str, str, bool]]] = {}
        for v in reversed(order):
            if not v.parents or not self.needs[v]:
                continue
            g = self.grad_name(v)
            funnel = loop and v is not root and set(pending) == {v}  # all that is left flows through v
            if v is root:
                out.append(
                    f"{g} = {seed}  # where the chain rule starts: {why or f'∂{self.var[v]}/∂{self.var[v]} = 1'}"
                )
                self.maybe_zero[v] = False
            else:
                terms = pending.pop(v)
                out.extend(self.sum_lines(g, terms))
                self.maybe_zero[v] = all(zero for _, _, zero in terms)
            out.extend(self.send(v, g, pending, total))
            if funnel and self.maybe_zero[v] and pending:
                out += [f"if not {g}:  # nothing is left to send back: the engine skips the rest too", "    continue"]
        return out

    def send(self, v: Value, g: str, pending: dict[Value, list[tuple[str, str, bool]]], total: bool) -> list[str]:
        """The chain rule at ``v``: ``g * ∂v/∂parent`` for each parent whose gradient is needed."""
        row, out = PRIMITIVES[v.op], []
        vector = self.plan.vector and self.batched[v]
        items = [p.data if is_constant(p) else self.var[p] for p in v.parents]
        ds: Any = inline.local_exprs(row.local_derivatives, self.var[v], items, self.bindings.bind, vector)
        if ds is None:  # the rule runs as it is, on this node's numbers
            self.temps += 1
            temps = [f"_l{self.temps}_{i}" for i in range(len(v.parents))]
            rule = self.bindings.bind(row.local_derivatives, f"{OP_WORDS.get(v.op, v.op)}_rule")
            args = ", ".join(self.operand(p) for p in (v, *v.parents))
            call = f"_each_rule({rule}, {args})" if vector else f"{rule}({args})"
            targets = f"({temps[0]},)" if len(temps) == 1 else ", ".join(temps)
            out.append(f"{targets} = {call}  # {comment(v.op)}: its rule from the table, called as it is")
            ds = [inline.Code(t, True) for t in temps]
        inputs = []  # the updates of the inputs' gradients
        for p, d in zip(v.parents, ds):
            if not self.needs[p]:
                continue
            term = _product(g, d)
            note = comment(f"{v.op}: ∂{self.var[v]}/∂{self.var[p]} = {_text(d)}")
            zero = (
                self.maybe_zero[v]
                or (isinstance(d, inline.Known) and d.value == 0)
                or (isinstance(d, inline.Code) and " if " in d.text)
            )
            if p.parents:
                pending.setdefault(p, []).append((term, note, zero))
            elif total and not isinstance(d, inline.Known):  # the examples' sum of g * d, in one np.dot
                inputs.append(f"{self.grad_name(p)} += _total_product({g}, {d.text}, _m)  # {note}")
            else:
                inputs.append(f"{self.grad_name(p)} += {self.reduced(term, total)}  # {note}")
        if self.maybe_zero[v] and not self.plan.vector and len(inputs) > 1:
            return (
                out
                + [f"if {g}:  # a gradient of exactly 0 sends nothing back; the engine skips it too"]
                + ["    " + i for i in inputs]
            )
        return out + inputs

    def reduced(self, term: str, total: bool) -> str:
        return f"_total({term}, _m)" if total else term

    def sum_lines(self, g: str, terms: list[tuple[str, str, bool]]) -> list[str]:
        if len(terms) == 1:
            return [f"{g} = {terms[0][0]}  # {terms[0][1]}"]
        ops = sorted({note.split(":")[0] for _, note, _ in terms})
        lines = [
            f"{g} = {_sum([t for t, _, _ in terms[:CHUNK]])}  # summed over its {len(terms)} uses ({comment(', '.join(ops))})"
        ]
        for i in range(CHUNK, len(terms), CHUNK):  # in the engine's order, a line at a time
            lines.append(f"{g} = {_sum([g] + [t for t, _, _ in terms[i : i + CHUNK]])}")
        return lines


def _sum(terms: list[str]) -> str:
    """``a + b + -c`` written ``a + b - c``: adding the negation is what subtracting is, the same bits."""
    return terms[0] + "".join(f" - {t[1:]}" if t.startswith("-") else f" + {t}" for t in terms[1:])


def _product(g: str, d: Any) -> str:
    """``g * d``, the chain rule's product; times 1 is ``g`` and times -1 is ``-g``, the same bits."""
    if isinstance(d, inline.Known):
        return g if d.value == 1 else f"-{g}" if d.value == -1 else f"{g} * {inline.atom(float(d.value))}"
    return f"{g} * {d.text}" if d.atomic else f"{g} * ({d.text})"


def _text(d: Any) -> str:
    return repr(float(d.value)) if isinstance(d, inline.Known) else d.text
