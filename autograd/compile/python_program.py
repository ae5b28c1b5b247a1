"""The compiled Python function around the lines: its arguments, the loop over examples, the penalty.

``write(plan)`` returns the source of one function and the objects it uses. Its parameters are the
arguments (a number, or a flat list of numbers; for a batch, a list of such examples), then
``_live`` (numbers read from outside) and ``_m`` (how many examples). Three layouts: one example
(unpack, forward, backward, return); a batch on floats (what is the same for every example once,
then ``for x, y in _zip(X, Y):`` around one example's forward and backward, then ``J`` and the
penalty); the array backends write their own (``array_code.write``).
"""

from __future__ import annotations

from typing import Any

from .ir import Var
from .python_code import UNROLL, PythonCode


def write(plan: Any) -> tuple[str, dict[str, Any]]:
    """The source of the compiled function, and the objects it uses by name (its globals).

    Its parameters are the arguments (a number, or a flat list of numbers; for a batch, a list of
    such examples), then ``_live`` (numbers read from outside) and ``_m`` (how many examples).
    """
    ir, inputs = plan.ir, plan.inputs
    root, penalty_root = plan.roots
    code = PythonCode(ir, {x for x in (root, penalty_root) if isinstance(x, Var)})
    head: list[str] = []
    params: list[str] = []  # the function's parameters
    each: list[tuple[str, str]] = []  # the loop's names: (one example's, all of them)
    inside: list[str] = []  # what the loop unpacks
    for a, var in zip(plan.args, inputs):
        name = var.name
        if a.per_example and plan.batch:
            many = plan.batch_names[len(params)]
            params.append(many)
            each.append((name, many))
        else:
            params.append(name)
        lines = inside if a.per_example and plan.batch else head
        if a.scalar:
            code.values[var] = name
        elif len(a.leaves) <= UNROLL:
            names = [plan.ir.kept[name, i] for i in range(len(a.leaves))]
            code.values[var] = names
            lines.append(f"{', '.join(names)}{',' * (len(names) == 1)} = {name}")
        else:
            code.values[var] = name
            code.lists.add(var)
    starts = []
    for a, var in zip(plan.args, inputs):
        if a.wrt:
            d = plan.grad_names[plan.args.index(a)]
            if a.scalar:
                code.grads[var] = d
                starts.append(d)
            elif var in code.lists:
                code.grads[var] = d
                head.append(f"{d} = [0.0] * {len(a.leaves)}")
            else:
                code.grads[var] = [f"d{element}" for element in code.values[var]]
                starts += code.grads[var]
    if starts:
        head.append(" = ".join(starts) + " = 0.0")
    r = plan.regions
    forward, backward = ir.eqns[: r[0]], ir.eqns[r[0] : r[1]]
    if not plan.batch:
        body = head + ["# forward"] + code.lines(forward)
        body += ["# backward: what each use sends back, by the chain rule"] + code.lines(backward) if backward else []
        value = code.code(root)
    else:
        once = [e for e in forward if "m" not in e.out.axes]  # the same for every example: computed once
        body = head + code.lines(once) + ["_values = []"]
        body += code.lines([e for e in backward if e.op == "seed"])
        targets = ", ".join(n for n, _ in each)
        loop = (
            f"for {targets} in {each[0][1]}:"
            if len(each) == 1
            else f"for {targets} in _zip({', '.join(m for _, m in each)}):"
        )
        rest = [e for e in forward if e not in once]
        inner = inside + ["# forward"] + code.lines(rest) + [f"_values.append({code.code(root)})"]
        steps = [e for e in backward if e.op != "seed"]
        code.loop = True
        inner += ["# backward"] + code.lines(steps) if steps else []
        code.loop = False
        body += [loop] + ["    " + line for line in inner]
        total = "_sum(_values)" + (" * (1.0 / _m)" if plan.reduce == "mean" else "")
        if plan.penalty is not None:
            body += ["# the penalty, once for all the examples"] + code.lines(ir.eqns[r[1] : r[2]])
            total += f" + {code.code(penalty_root, 4)}"
        body.append(f"J = {total if plan.reduce else '_values'}")
        if plan.penalty is not None:
            body += code.lines(ir.eqns[r[2] : r[3]])
        value = "J"
    grads = []
    for a, var in zip(plan.args, inputs):
        if a.wrt:
            g = code.grads[var]
            grads.append(f"[{', '.join(g)}]" if isinstance(g, list) else g)
    extra = (["_live"] if plan.live else []) + (["_m"] if plan.batch else [])
    name = plan.name if plan.name.isidentifier() and plan.name.isascii() else "f"
    lines = [f"def {name}({', '.join(params + extra)}):"] + ["    " + line for line in body]
    lines.append(f"    return {value}, ({', '.join(grads)}{',' * (len(grads) == 1)})")
    header = f"# Compiled by autograd.compile from {name}: the forward pass, then the backward pass; d<name> is the gradient of the output by <name>."
    return header + "\n" + "\n".join(lines) + "\n", code.namespace
