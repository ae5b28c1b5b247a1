"""The IR as Python on floats: the engine's float operations in its order, so its numbers bit for bit.

A vector argument is unpacked into names (``w_0, w_1 = w``); a forward line per node (``z =
_sum((w_0 * x_0, w_1 * x_1), 0.0) + b``), a backward line per gradient (``dz = da * (a * (1.0 - a))``),
an argument's gradient added up as the engine adds it (``dw_0 += dz * x_0``); a batch loops over its
examples (``for x, y in _zip(X, Y):``), what is the same for each computed once before the loop.
"""

from __future__ import annotations

import builtins
import math
from typing import Any

from ..rules import PRIMITIVES
from .ir import Eqn, Var, function, literal, use_counts

INFIX = {"+": "{0} + {1}", "-": "{0} - {1}", "*": "{0} * {1}", "/": "{0} / {1}", "neg": "-{0}", ">": "{0} > {1}",
         "<": "{0} < {1}", ">=": "{0} >= {1}", "<=": "{0} <= {1}", "and": "{0} and {1}", "where": "{1} if {0} else {2}"}  # fmt: skip
#: How tightly each op binds, for parentheses when an expression is written into another.
BINDS = {"where": 0, "and": 1, ">": 2, "<": 2, ">=": 2, "<=": 2, "+": 3, "-": 3, "*": 4, "/": 4, "neg": 5}
WORDS = {"+": "add", "-": "sub", "*": "mul", "/": "div", "**": "pow"}


class PythonCode:
    """Writes equations; ``values`` holds each variable's code: a name, an expression written where it
    is used (read once), or for a vector the list of its numbers' code."""

    def __init__(self, eqns: list[Eqn], keep: set[Var]) -> None:
        self.keep, self.uses = keep, use_counts(eqns)  # keep: read after the lines written (outputs)
        self.values: dict[Var, Any] = {}
        self.binds: dict[Var, int] = {}
        self.grads: dict[Var, Any] = {}  # each argument's gradient: a name, or a list of names
        self.zero_test: dict[Var, Var] = {}  # a vector of products: the factor that may be exactly 0
        self.loop = False  # writing the body of the loop over examples
        self.namespace: dict[str, Any] = {
            "_sum": builtins.sum,
            "_zip": zip,
            "_inf": math.inf,
            "_nan": math.nan,
            "__builtins__": {},
        }

    def code(self, x: Any, binds: int = 9) -> Any:
        """``x`` as code where an operator binding at ``binds`` is applied to it."""
        if not isinstance(x, Var):
            return literal(x)
        value = self.values[x]
        return f"({value})" if isinstance(value, str) and self.binds.get(x, 9) < binds else value

    def lines(self, eqns: list[Eqn]) -> list[str]:
        return [line for e in eqns for line in self.eqn(e)]

    def eqn(self, e: Eqn) -> list[str]:
        v, op, ins = e.out, e.op, e.ins
        vectors = [x for x in ins if isinstance(x, Var) and isinstance(self.values.get(x), list)]
        if op in ("take", "lane"):  # a number of a vector (a name, or a call's result), or a run of them
            whole, at = self.values[ins[0]], ins[1]
            if isinstance(at, int):
                self.values[v] = whole[at] if isinstance(whole, list) else f"{whole}[{at}]"
            else:
                self.values[v] = whole[slice(*at)]
        elif op == "live":
            self.values[v] = f"_live[{ins[0]}]"
        elif op == "stack":
            self.values[v] = [self.code(x) for x in ins]
        elif op == "detach":
            self.values[v] = self.code(ins[0])
        elif op == "seed":
            self.values[v] = "_seed"
            return ["_seed = 1.0 / _m  # this example's share of J, 1/m"]
        elif op == "grad":
            return self.grad(ins[0], ins[1], ins[2], e.note)
        elif op == "skip":  # in the loop, an example whose gradient stops here sends nothing more back
            skip = f"if not {self.code(ins[0], 5)}:  # nothing is left to send back: the engine skips the rest too"
            return [skip, "    continue"] if self.loop else []
        elif vectors and op in ("*", "contract", "neg") and any(a != "m" for a in v.axes):  # each number's chain rule
            n = len(self.values[vectors[0]])
            parts: list[Any] = [self.code(x, 4) if x in vectors else [self.code(x, 4)] * n for x in ins]
            self.values[v] = ["-" + p[0] if op == "neg" else f"{p[0]} * {p[1]}" for p in zip(*parts)]
            factor = [x for x in ins if getattr(x, "maybe_zero", False) and x not in vectors]
            self.zero_test.update([(v, factor[0])] if factor else [])
        else:
            text, binds = self.expression(op, ins)
            if (
                (e.note and op != "rule" or op == "contract")
                and self.uses.get(v) == 1
                and v not in self.keep
                and v.name[1:].isdigit()
            ):
                self.values[v], self.binds[v] = text, binds  # a temporary read once: written where it is read
                return []
            self.values[v] = v.name
            return [f"{v.name} = {text}" + (f"  # {e.note}" if e.note else "")]
        return []

    def expression(self, op: str, ins: tuple[Any, ...]) -> tuple[str, int]:
        """The code of ``op(*ins)``, and how tightly it binds."""
        if op == "where":
            return f"{self.code(ins[1], 1)} if {self.code(ins[0], 1)} else {self.code(ins[2], 0)}", 0
        if op in INFIX:
            b = BINDS[op]
            args = [self.code(x, b + (i > 0)) for i, x in enumerate(ins)]  # a - (b - c), a * (b * c)
            if op == "+" and args[1].startswith("-"):  # a + -b is a - b, the same bits
                return f"{args[0]} - {args[1][1:]}", b
            return INFIX[op].format(*args), b
        if op == "contract":  # per example: a dot of two runs, or a product (the loop sums the examples)
            a, b = self.code(ins[0], 4), self.code(ins[1], 5)
            if isinstance(a, list) and isinstance(b, list):
                return f"_sum(({', '.join(f'{x} * {y}' for x, y in zip(a, b))}{',' * (len(a) == 1)}), 0.0)", 9
            if ins[1] == 1.0 and not isinstance(ins[1], Var):  # g * 1.0 is g, the same bits
                return self.code(ins[0], 0), self.binds.get(ins[0], 9) if isinstance(ins[0], Var) else 9
            return f"{a} * {b}", 4
        if op == "sum":
            run = self.code(ins[0])
            return f"_sum(({', '.join(run)}{',' * (len(run) == 1)}))", 9
        if op == "relu":  # forwards.relu, written out: a call per neuron costs more than the test
            return f"0.0 if {self.code(ins[0], 1)} <= 0 else {self.code(ins[0], 1)}", 0
        if op == "rule":  # a rule that asks for numbers, called with them
            return self.call(f"_{WORDS.get(ins[0], ins[0])}_rule", PRIMITIVES[ins[0]].local_derivatives, ins[1:]), 9
        return self.call(f"_{WORDS.get(op, op)}", PRIMITIVES[op].forward, ins), 9

    def grad(self, arg: Var, where: Any, term: Any, note: str) -> list[str]:
        """``term`` added into the gradient of argument ``arg`` at ``where`` (an index, a slice, or None: all)."""
        target = self.grads[arg]
        if isinstance(target, str) or isinstance(where, int):
            targets, parts = [target if isinstance(target, str) else target[where]], [self.code(term, 3)]
        else:
            targets = target[slice(*where)] if where is not None else target
            value = self.code(term, 4)
            parts = value if isinstance(value, list) else [value] * len(targets)
        rule = note.rsplit("/∂", 1)[0] if "∂" in note else ""  # dot: ∂z/∂w_0
        lines = [f"{t} += {p}" + (f"  # {rule}/∂{t[1:]}" if rule else "") for t, p in zip(targets, parts)]
        zero = self.zero_test.get(term)
        if zero is not None and len(lines) > 1:  # as the engine skips a node whose gradient is 0 (a dead relu)
            return [f"if {self.code(zero, 5)}:  # a gradient of exactly 0 sends nothing back"] + [
                "    " + x for x in lines
            ]
        return lines

    def call(self, name: str, fn: Any, ins: tuple[Any, ...]) -> str:
        """``fn(*ins)``, ``fn`` bound in the code's namespace as ``name`` (``_log``)."""
        while name in self.namespace and self.namespace[name] is not fn:
            name += "_"
        self.namespace[name] = fn
        return f"{name}({', '.join(self.code(x) for x in ins)})"


def write(plan: Any) -> tuple[str, dict[str, Any]]:
    """The source of the compiled function and the objects it uses by name. Its parameters are the
    arguments (a number, or a flat list; for a batch, a list of examples), ``_live`` and ``_m``."""
    ir, r, (root, penalty_root) = plan.ir, plan.regions, plan.roots
    code = PythonCode(ir.eqns, {x for x in plan.roots if isinstance(x, Var)})
    head: list[str] = []
    inside: list[str] = []  # the loop's
    each: list[tuple[str, str]] = []  # (an example's name, all the examples')
    zeros: list[str] = []
    for a, var, many, d in zip(plan.args, plan.inputs, plan.batch_names, plan.grad_names):
        each += [(var.name, many)] if a.per_example else []
        names = [] if a.scalar else [ir.kept[var.name, i] for i in range(len(a.leaves))]
        code.values[var] = var.name if a.scalar else names
        if names:  # w_0, w_1 = w
            (inside if a.per_example else head).append(f"{', '.join(names)}{',' * (len(names) == 1)} = {var.name}")
        if a.wrt:
            code.grads[var] = d if a.scalar else [f"d{n}" for n in names]
            zeros += [d] if a.scalar else code.grads[var]
    head += [" = ".join(zeros) + " = 0.0"] if zeros else []
    forward, backward = ir.eqns[: r[0]], ir.eqns[r[0] : r[1]]
    if not plan.batch:
        body = head + ["# forward"] + code.lines(forward)
        body += ["# backward: what each use sends back, by the chain rule"] + code.lines(backward) if backward else []
        value = code.code(root)
    else:
        once = [e for e in forward if "m" not in e.out.axes]  # the same for every example: computed once
        # a penalty that is an argument itself gets its 1.0 first: J's last + sends it there, in the engine
        leaf = plan.penalty is not None and not plan.penalty[0].parents
        early = code.lines(ir.eqns[r[2] : r[3]]) if leaf else []
        body = head + code.lines(once) + early + ["_values = []"] + code.lines([e for e in backward if e.op == "seed"])
        targets = ", ".join(n for n, _ in each)
        loop = (
            f"for {targets} in {each[0][1]}:"
            if len(each) == 1
            else f"for {targets} in _zip({', '.join(m for _, m in each)}):"
        )
        inner = (
            inside
            + ["# forward"]
            + code.lines([e for e in forward if e not in once])
            + [f"_values.append({code.code(root)})"]
        )
        code.loop = True
        steps = code.lines([e for e in backward if e.op != "seed"])
        code.loop = False
        body += [loop] + ["    " + line for line in inner + (["# backward"] + steps if steps else [])]
        total = "_sum(_values)" + (" * (1.0 / _m)" if plan.reduce == "mean" else "")
        if plan.penalty is not None:
            body += ["# the penalty, once for all the examples"] + code.lines(ir.eqns[r[1] : r[2]])
            total += f" + {code.code(penalty_root, 4)}"
        body += [f"J = {total if plan.reduce else '_values'}"] + code.lines(
            ir.eqns[r[2] : r[3]] if plan.penalty and not leaf else []
        )
        value = "J"
    grads = [f"[{', '.join(g)}]" if isinstance(g, list) else g for a, g in code.grads.items()]
    about = ": the forward pass, then the backward pass; d<name> is the gradient of the output by <name>."
    return function(plan, body, value, grads, about), code.namespace
