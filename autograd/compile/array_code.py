"""The IR as array code: numpy, or JAX under ``jax.jit``, the examples of a batch along the last axis.

Each variable is an array whose axes are its IR axes (``Z1`` has the neurons of layer 1, then the
examples: the course's ``(n_1, m)``). An elementwise equation is one array operation, its inputs
lined up by their axes (``b1[:, None]``); a ``contract`` is a matrix product or a sum
(``Z1 = W1 @ X``, ``dW1 = dZ1 @ X.T``, ``db1 = dZ1.sum(axis=1)``); an argument's gradient is
added into its place in the argument (``dP[0:48].reshape(16, 3)[:, :2] += dW1``). The formulas
are the engine's float forwards written for arrays, so each number is the engine's up to the last
bit of numpy's ``exp`` and ``log`` and the order in which the examples are summed.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..rules import PRIMITIVES
from . import arrays
from .ir import IR, Eqn, Var, literal, use_counts

#: numpy's name of each op the table has (``xp`` is numpy or jax.numpy).
FUNCTIONS = {"exp": "exp", "log": "log", "sqrt": "sqrt", "sin": "sin", "cos": "cos", "tan": "tan", "tanh": "tanh",
             "sinh": "sinh", "cosh": "cosh", "asin": "arcsin", "acos": "arccos", "atan": "arctan", "asinh": "arcsinh",
             "acosh": "arccosh", "atanh": "arctanh", "log1p": "log1p", "expm1": "expm1", "log2": "log2",
             "log10": "log10", "abs": "abs"}  # fmt: skip
INFIX = {"+": "{0} + {1}", "-": "{0} - {1}", "*": "{0} * {1}", "/": "{0} / {1}", "**": "{0} ** {1}", "neg": "-{0}",
         ">": "{0} > {1}", "<": "{0} < {1}", ">=": "{0} >= {1}", "<=": "{0} <= {1}", "and": "{0} & {1}"}  # fmt: skip
#: Errors, not warnings, for what the engine raises on: the call then goes to the engine, which says which op.
ERRORS = {"divide": "raise", "over": "raise", "invalid": "raise", "under": "ignore"}


class ArrayCode:
    """Writes equations as array code; ``xp`` is the module prefix (``np`` or ``jnp``)."""

    def __init__(self, ir: IR, xp: str) -> None:
        self.ir, self.xp = ir, xp
        self.values: dict[Var, str] = {}
        self.assign: set[Var] = set()  # arguments whose gradient is one term: assigned, not added
        self.grads: dict[Var, str] = {}  # each argument's gradient's name
        self.uses = use_counts(ir)
        # numpy imports when it raises a floating-point error: that much of the builtins, no more
        self.namespace: dict[str, Any] = {
            "__builtins__": {"__import__": __import__},
            "_nan": math.nan,
            "_inf": math.inf,
        }

    def shape(self, axes: tuple[str, ...]) -> str:
        dims = ["_m" if a == "m" else str(self.ir.sizes[a]) for a in axes]
        return f"({', '.join(dims)}{',' * (len(dims) == 1)})"

    def code(self, x: Any, axes: tuple[str, ...] | None = None) -> str:
        """``x`` as code, its axes lined up with ``axes`` (missing ones as ``None``, numpy's new axis)."""
        if not isinstance(x, Var):
            return literal(x)
        text = self.values[x]
        if axes is None or x.axes == axes or not x.axes:
            return text
        have = [a for a in axes if a in x.axes]
        if have != list(x.axes):  # another order: transpose first
            text = f"{self.xp}.transpose({text}, {tuple(x.axes.index(a) for a in have)})"
        if list(axes[len(axes) - len(have) :]) == have:  # numpy lines up trailing axes by itself
            return text
        return f"{text}[{', '.join(':' if a in x.axes else 'None' for a in axes)}]"

    def lines(self, eqns: list[Eqn]) -> list[str]:
        out: list[str] = []
        for e in eqns:
            line = self.eqn(e)
            if line:
                out.append(line)
        return out

    def eqn(self, e: Eqn) -> str:
        v, op, ins = e.out, e.op, e.ins
        if op == "grad":
            return self.grad(*ins)
        if op == "skip":
            return ""
        if op == "detach":
            self.values[v] = self.values[ins[0]] if isinstance(ins[0], Var) else self.code(ins[0])
            return ""
        text = self.expression(op, ins, v.axes)
        if e.note and op not in ("rule", "seed") and self.uses.get(v) == 1 and v.name[1:].isdigit():
            self.values[v] = f"({text})"  # a backward step used once: written where it is used
            return ""
        self.values[v] = v.name
        note = f"  # {e.note}" if e.note else ""
        return f"{v.name} = {text}{note}"

    def expression(self, op: str, ins: tuple[Any, ...], axes: tuple[str, ...]) -> str:
        xp = self.xp
        if op in INFIX:
            left, right = (self.code(x, axes) for x in (ins + (0.0,))[:2])
            return INFIX[op].format(left, right)
        if op == "where":
            return f"{xp}.where({', '.join(_bare(self.code(x, axes)) for x in ins)})"
        if op in FUNCTIONS:
            return f"{xp}.{FUNCTIONS[op]}({self.code(ins[0], axes)})"
        if op in ("sigmoid", "softplus"):
            return f"_{op}({xp}, {self.code(ins[0], axes)})"
        if op == "relu":
            x = self.code(ins[0], axes)
            return f"{xp}.where({x} <= 0, 0.0, {x})"
        if op == "leaky_relu":
            x = self.code(ins[0], axes)
            return f"{xp}.where({x} <= 0, 0.01 * {x}, {x})"
        if op == "take":
            return self.take(ins[0], ins[1])
        if op == "live":
            return f"_live[{ins[0]}]"
        if op == "seed":  # each example's share of J: 1/m for the mean
            return f"{self.xp}.full(_m, {'1.0 / _m' if ins[0] == 'mean' else '1.0'})"
        if op == "stack":
            return f"{xp}.stack([{', '.join(self.code(x, axes[1:]) for x in ins)}])"
        if op == "lane":
            return f"{self.code(ins[0])}[{ins[1]}]"
        if op == "place":
            return f"_place({xp}, {self.code(ins[0])}, {ins[1]}, {self.shape(axes)})"
        if op == "sum":
            return f"{self.code(ins[0])}.sum(axis=0)"
        if op == "contract":
            return self.contract(ins[0], ins[1], axes)
        if xp == "jnp" and (op == "rule" or op not in FUNCTIONS):  # what numpy would run per example
            what = (
                f"the rule of {ins[0]!r} asks for numbers (float(x), an if)"
                if op == "rule"
                else f"{op!r} has no formula"
            )
            raise ValueError(
                f"backend='jax': {what}, which JAX cannot trace; use backend='numpy', which runs it per example"
            )
        if op == "rule":
            self.namespace[f"_{ins[0]}_rule"] = PRIMITIVES[ins[0]].local_derivatives
            return f"_each_rule(_{ins[0]}_rule, {', '.join(self.code(x, axes) for x in ins[1:])})"
        self.namespace[f"_{op}_forward"] = PRIMITIVES[op].forward  # a row without an array version: each example
        return f"_each(_{op}_forward, {', '.join(self.code(x, axes) for x in ins)})"

    def contract(self, a: Any, b: Any, out: tuple[str, ...]) -> str:
        """``a * b`` summed over the axes ``out`` does not have: a matrix product where it is one."""
        if not isinstance(b, Var):
            a, b = b, a
        if not isinstance(a, Var):  # a number times an array, summed
            text = self.summed(b, out)
            return text if a == 1.0 else f"{text} * {self.code(a)}"
        gone = [x for x in set(a.axes) | set(b.axes) if x not in out]
        only_a = [x for x in gone if x not in b.axes]
        only_b = [x for x in gone if x not in a.axes]
        shared = [x for x in gone if x in a.axes and x in b.axes]
        if (
            only_a
            or only_b
            or len(shared) != 1
            or len(a.axes) > 2
            or len(b.axes) > 2
            or any(x in a.axes and x in b.axes for x in out)
        ):
            letters = {x: "abcdefghijklmnopqrstuvwxyz"[i] for i, x in enumerate(self.ir.axis_order)}
            spec = f"{''.join(letters[x] for x in a.axes)},{''.join(letters[x] for x in b.axes)}->{''.join(letters[x] for x in out)}"
            return f"{self.xp}.einsum('{spec}', {self.code(a)}, {self.code(b)})"
        (s,) = shared
        for first, second in ((a, b), (b, a)):  # the order that needs no transpose of the result, if one does
            left = self.code(first) if first.axes[-1] == s else f"{self.code(first)}.T"
            right = self.code(second) if second.axes[0] == s else f"{self.code(second)}.T"
            if [x for x in first.axes if x != s] + [x for x in second.axes if x != s] == list(out):
                return f"{left} @ {right}"
        return f"({left} @ {right}).T"

    def summed(self, x: Var, out: tuple[str, ...]) -> str:
        gone = tuple(i for i, a in enumerate(x.axes) if a not in out)
        text = self.values[x]
        if gone:
            text = f"{text}.sum(axis={gone[0] if len(gone) == 1 else gone})"
        kept = tuple(a for a in x.axes if a in out)
        if kept != out:  # axes it does not have: the same numbers along them
            return f"{self.xp}.broadcast_to({_aligned(text, kept, out)}, {self.shape(out)})"
        return text

    def take(self, arg: Var, where: Any) -> str:
        return view(self.values[arg], where)

    def grad(self, arg: Var, where: Any, term: Any, local: Any = None) -> str:
        """``term`` added into the gradient of ``arg`` at ``where``."""
        target = self.grads[arg]
        value = self.code(term)
        value = _bare(value)
        if arg in self.assign:
            return f"{target} = {value}"
        if where is None:
            return f"{target} = {target} + {value}"
        place = view(target, where)
        if self.xp == "np":
            return f"{place} += {value}"
        key = f"_at{len(self.namespace)}"  # JAX updates by index arrays: where the take reads
        self.namespace[key] = arrays.indices(where, self.ir.sizes.get(arg.axes[0], 1) if arg.axes else 1)
        return f"{target} = {target}.at[{key}].add({value})"


def view(name: str, where: Any) -> str:
    """The numbers of array ``name`` at ``where``: one (an index), a slice, a layer's rows, a stride."""
    if isinstance(where, int):
        return f"{name}[{where}]"
    if where[0] == "matrix":  # rows of a layer's weights, each ``stride`` apart
        _, start, rows, stride, n = where
        return f"{name}[{start}:{start + rows * stride}].reshape({rows}, {stride})[:, :{n}]"
    if where[0] == "strided":
        _, start, rows, stride = where
        return f"{name}[{start}:{start + (rows - 1) * stride + 1}:{stride}]"
    return f"{name}[{where[0]}:{where[1]}]"


def _bare(text: str) -> str:
    """``text`` without one pair of parentheses around all of it (where it stands alone)."""
    if not (text.startswith("(") and text.endswith(")")):
        return text
    depth = 0
    for i, c in enumerate(text):
        depth += (c == "(") - (c == ")")
        if depth == 0 and i < len(text) - 1:
            return text  # (a) + (b): the first pair closes early
    return text[1:-1]


def _aligned(text: str, have: tuple[str, ...], out: tuple[str, ...]) -> str:
    if list(out[len(out) - len(have) :]) == list(have):
        return text
    return f"{text}[{', '.join(':' if a in have else 'None' for a in out)}]"


def write(plan: Any) -> tuple[str, dict[str, Any]]:
    """The source of the compiled function on arrays, and the objects it uses by name."""
    jax = plan.backend == "jax"
    ir, inputs = plan.ir, plan.inputs
    code = ArrayCode(ir, "jnp" if jax else "np")
    ns = code.namespace
    if jax:
        try:
            import jax.numpy as jnp
        except ImportError:
            raise ImportError(
                f"compile {plan.name}: backend='jax' needs jax, which is not installed: pip install -e \".[jax]\" "
                "(or use backend='numpy')"
            ) from None
        ns["jnp"], ns["_jit"] = jnp, arrays.jit
    ns.update(
        np=np,
        _sigmoid=arrays.sigmoid,
        _softplus=arrays.softplus,
        _each=arrays.each,
        _each_rule=arrays.each_rule,
        _place=arrays.place,
    )
    params: list[str] = []
    body: list[str] = []
    whole = [e.ins[0] for e in ir.eqns if e.op == "grad" and e.ins[1] is None]
    for a, var in zip(plan.args, inputs):
        name = plan.batch_names[len(params)]
        code.grads[var] = plan.grad_names[len(params)]
        params.append(name)
        code.values[var] = name
        gets = sum(1 for e in ir.eqns if e.op == "grad" and e.ins[0] is var)
        if a.wrt and gets == 1 and whole.count(var) == 1:
            code.assign.add(var)  # one term, all of it: dw = dz @ X.T
        elif a.wrt:
            body.append(
                f"{code.grads[var]} = {code.xp}.zeros({len(a.leaves)})" if not a.scalar else f"{code.grads[var]} = 0.0"
            )
        if a.wrt and gets == 0:
            code.assign.discard(var)
    root, penalty_root = plan.roots
    r = plan.regions
    body += ["# forward, all examples at once"] + code.lines(ir.eqns[: r[0]])
    body += ["# backward"] + code.lines(ir.eqns[r[0] : r[1]])
    value = code.code(root)
    per_example = isinstance(root, Var) and "m" in root.axes
    total = f"{value}.sum()" if per_example else f"({value}) * _m"  # the sum over the examples
    total = (
        f"{total} / _m"
        if plan.reduce == "mean"
        else total
        if plan.reduce == "sum"
        else f"{code.xp}.broadcast_to({value}, (_m,))"
    )
    if plan.penalty is not None:
        body += ["# the penalty"] + code.lines(ir.eqns[r[1] : r[2]]) + code.lines(ir.eqns[r[2] : r[3]])
        total += f" + {code.code(penalty_root)}"
    body.append(f"J = {total}")
    grads = [code.grads[var] for a, var in zip(plan.args, inputs) if a.wrt]
    extra = (["_live"] if plan.live else []) + ["_m"]
    name = plan.name if plan.name.isidentifier() and plan.name.isascii() else "f"
    lines = [f"def {name}({', '.join(params + extra)}):"] + ["    " + line for line in body]
    lines.append(f"    return J, ({', '.join(grads)}{',' * (len(grads) == 1)})")
    header = f"# Compiled by autograd.compile from {name}, {'JAX' if jax else 'numpy'}: the examples along the last axis of each array."
    return header + "\n" + "\n".join(lines) + "\n", ns
