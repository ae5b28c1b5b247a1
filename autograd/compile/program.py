"""The compiled function around the lines: its arguments, the loop over examples, the sum, the penalty.

``write(plan)`` returns the source of one Python function and the objects it refers to. Its
parameters are the compiled function's arguments, each a number or a flat list of numbers, then
``_live`` (the numbers of Values the function reads from outside, if any) and ``_m`` (the number
of examples, for a batch). It returns the value and one gradient per argument asked for. Three
layouts:

- one example: unpack, forward, gradients start at 0, backward, return;
- a batch, on floats: what is the same for every example once, then ``for x, y in _zip(X, Y):``
  around the forward and backward of one example; the values are summed as ``autograd.sum``
  does, the gradients added up example by example, as the engine adds them in
  ``mean([f(...) for each example]) + penalty(...)``; then the penalty and its gradients;
- a batch on numpy: the same lines once, each per-example number an array over the examples,
  the gradients of the arguments summed over them.
"""

from __future__ import annotations

from typing import Any

from ..value import Value
from .codegen import Lines, Plan
from .naming import comment, identifier


def write(plan: Plan) -> tuple[str, dict[str, Any]]:
    """The source of the compiled function and its globals (the objects it uses, by name).

    >>> from autograd import Value
    >>> from autograd.codegen import Arg
    >>> x = Value(3.0, label="x")
    >>> source, _ = write(Plan("square", [Arg("x", [x], scalar=True)], list((x * x).nodes())))
    >>> print(source.split("def ")[1])
    square(x):
        # forward
        square = x * x
        # backward: the gradients of the inputs start at 0 and add up what each use sends back
        dx = 0.0
        dsquare = 1.0  # where the chain rule starts: ∂square/∂square = 1
        dx += dsquare * x  # *: ∂square/∂x = x
        dx += dsquare * x  # *: ∂square/∂x = x
        return square, (dx,)
    <BLANKLINE>
    """
    lines = Lines(plan)
    params = lines.name_leaves()
    name = identifier(plan.name) or "f"
    lines.name_nodes(plan.order, name if len(name) <= 12 else "out")
    if plan.penalty:
        lines.name_nodes(plan.penalty, "penalty")
    total = lines.names.derive("J") if plan.batch else ""
    extra = (["_live"] if plan.live else []) + (["_m"] if plan.batch else [])
    if not plan.batch:
        body = _one_example(lines)
    elif plan.vector:
        body = _vectorized(lines, total)
    else:
        body = _loop(lines, total)
    head = [f"def {name}({', '.join(params + extra)}):"]
    source = "\n".join(head + ["    " + line if line else "" for line in body]) + "\n"
    legend = [
        f"# Compiled by autograd.compile from {name}: the forward pass, then the backward pass, one line per node.",
        "# d<name> is the gradient of the output by <name>; each backward line applies one rule of the table.",
        *lines.bindings.legend(source),
    ]
    return "\n".join(legend) + "\n" + source, dict(lines.bindings)


def _unpack(lines: Lines, per_example: bool) -> list[str]:
    """Give each number of the arguments its name: ``(w_0, w_1,) = w``. A number argument needs
    none (its parameter has the number's name), except a per-example one on numpy: rows of an array."""
    out = []
    for i, a in enumerate(lines.plan.args):
        rows = per_example and lines.plan.vector
        if a.per_example == per_example and a.leaves and (rows or not a.scalar):
            source = lines.batch[i] if rows else lines.own[i]
            out.append(f"{_targets([lines.var[leaf] for leaf in a.leaves])} = {source}")
    if lines.plan.live and not per_example:
        labels = ", ".join(v.label for v in lines.plan.live if v.label and identifier(v.label) != lines.var[v])
        note = comment(f"numbers read from outside{': ' + labels if labels else ''}")
        out.append(f"{_targets([lines.var[v] for v in lines.plan.live])} = _live  # {note}")
    return out


def _targets(names: list[str]) -> str:
    return f"({names[0]},)" if len(names) == 1 else ", ".join(names)


def _starts(lines: Lines) -> list[str]:
    """The gradients of the inputs start at 0, in one statement (Python compiles it faster than many)."""
    names = [lines.grad_name(leaf) for a in lines.plan.args if a.wrt for leaf in a.leaves]
    return [" = ".join(names) + " = 0.0"] if names else []


def _result(lines: Lines, value: str) -> str:
    grads = []
    for a in lines.plan.args:
        if a.wrt:
            names = [lines.grad_name(leaf) for leaf in a.leaves]
            grads.append(names[0] if a.scalar else f"[{', '.join(names)}]")
    return f"return {value}, ({grads[0]},)" if len(grads) == 1 else f"return {value}, ({', '.join(grads)})"


def _value(lines: Lines, root: Value) -> str:
    return lines.operand(root)


def _one_example(lines: Lines) -> list[str]:
    order = lines.plan.order
    body = _unpack(lines, False) + ["# forward"] + [lines.forward(v) for v in order if v.parents]
    if lines.wrt:
        body += ["# backward: the gradients of the inputs start at 0 and add up what each use sends back"]
        body += _starts(lines) + lines.backward(order, "1.0", total=False)
    return body + [_result(lines, _value(lines, order[-1]))]


_SHARE = {
    "mean": "this example's share of J, 1/m",
    "sum": "each example counts once in J",
    None: "each example counts once",
}


def _seed(lines: Lines) -> list[str]:
    """Each example's share of J: ``1 / m`` for the mean, as ``nn.losses.mean`` weighs it."""
    return ["_seed = 1.0 / _m" if lines.plan.reduce == "mean" else "_seed = 1.0"]


def _penalty(lines: Lines, total: str, value: str) -> list[str]:
    plan, out = lines.plan, []
    if plan.penalty:
        out += ["# the penalty, outside the sum over examples"] + [lines.forward(v) for v in plan.penalty if v.parents]
    reduce = {"mean": f"{value} * (1.0 / _m)", "sum": value, None: value}[plan.reduce]
    penalty = f" + {_value(lines, plan.penalty[-1])}" if plan.penalty else ""
    out.append(f"{total} = {reduce}{penalty}")
    if plan.penalty and lines.wrt:
        out += lines.backward(plan.penalty, "1.0", total=False)
    return out


def _loop(lines: Lines, total: str) -> list[str]:
    plan = lines.plan
    order = plan.order
    once = [lines.forward(v) for v in order if v.parents and not lines.batched[v]]
    body = _unpack(lines, False) + (["# the same for every example: computed once"] + once if once else [])
    body += (
        (["# the gradients of the inputs start at 0 and add up, example by example"] + _starts(lines))
        if lines.wrt
        else []
    )
    body += ["_values = []"] + _seed(lines)
    examples = [i for i, a in enumerate(plan.args) if a.per_example]
    targets, sources = [lines.own[i] for i in examples], [lines.batch[i] for i in examples]
    loop = (
        f"for {targets[0]} in {sources[0]}:"
        if len(examples) == 1
        else f"for {', '.join(targets)} in _zip({', '.join(sources)}):"
    )
    inner = _unpack(lines, True) + ["# forward"] + [lines.forward(v) for v in order if v.parents and lines.batched[v]]
    inner.append(f"_values.append({_value(lines, order[-1])})")
    if lines.wrt:
        inner += ["# backward"] + lines.backward(order, "_seed", total=False, why=_SHARE[plan.reduce], loop=True)
    body += [loop] + ["    " + line for line in inner]
    return body + _penalty(lines, total, "_sum(_values)" if plan.reduce else "_values") + [_result(lines, total)]


def _vectorized(lines: Lines, total: str) -> list[str]:
    order = lines.plan.order
    body = _unpack(lines, False) + _unpack(lines, True)
    body += ["# forward, all examples at once: each number that differs between examples is an array"]
    body += [lines.forward(v) for v in order if v.parents]
    if lines.wrt:
        body += ["# backward: the gradients of the inputs add up the examples' shares (_total sums an array)"]
        body += (
            _starts(lines) + _seed(lines) + lines.backward(order, "_seed", total=True, why=_SHARE[lines.plan.reduce])
        )
    value = _value(lines, order[-1])
    reduced = f"_total({value}, _m)" if lines.plan.reduce else f"_spread({value}, _m)"
    return body + _penalty(lines, total, reduced) + [_result(lines, total)]
