"""A compiled function at run time: it checks its arguments, runs the generated code, and hands
the call to the engine when the engine would do something else.

The generated code computes what the engine computes, with the same float operations, except in
two places: a domain error (``log(0)``, ``1 / 0``) comes out of it as Python's bare error, and
where the engine skips a node whose gradient is exactly 0, the code multiplies anyway, which
differs only when that product is NaN (0 times an infinite slope). So an error, and a NaN or
infinity anywhere in the results, send the call through the engine on the traced graph, built
again from the new numbers: it raises its own error, naming the op (and, in a batch, the example),
or gives its own numbers.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from .. import modes
from ..backprop import is_constant
from ..derivatives.reverse_mode import gradients
from ..errors import DomainError
from ..functions import sum as value_sum
from ..rules import PRIMITIVES
from ..value import Value, constant, node
from . import arguments
from .codegen import Plan


class Compiled:
    """A function compiled by ``compile``; call it for ``(value, gradients)``. ``source`` is its code.

    >>> from autograd import compile
    >>> cube = compile(lambda x: x * x * x, 1.0)
    >>> cube(2.0), cube
    ((8.0, (12.0,)), <compiled <lambda>: 3 nodes, one example, backend 'python'>)
    """

    def __init__(self, fn: Callable[..., Any], source: str, plan: Plan, shapes: list[Any], single: bool) -> None:
        self.source, self.plan, self._fn, self._shapes, self._single = source, plan, fn, shapes, single
        self.backend = "numpy" if plan.vector else "python"

    def __repr__(self) -> str:
        kind = f"a batch ({self.plan.reduce or 'every value'})" if self.plan.batch else "one example"
        return f"<compiled {self.plan.name}: {len(self.plan.order)} nodes, {kind}, backend {self.backend!r}>"

    def __call__(self, *args: Any) -> tuple[Any, Any]:
        """``(value, gradients)`` at ``args``: one gradient per argument of ``wrt``, shaped like it."""
        plan, name = self.plan, f"compiled {self.plan.name}"
        if len(args) != len(plan.args):
            raise TypeError(f"{name} takes {len(plan.args)} arguments, as it was compiled; got {len(args)}")
        numbers_, m = [], None
        for a, x, shape in zip(plan.args, args, self._shapes):
            where = f"{name}: argument {a.name!r}"
            if not a.per_example:
                numbers_.append(arguments.flat(x, shape, where))
                continue
            batch = arguments.rows(x, len(a.leaves), where) if plan.vector else arguments.examples(x, shape, where)
            size = batch.shape[1] if plan.vector else len(batch)
            if size == 0 or (m is not None and size != m):
                raise ValueError(
                    f"{where} has {size} examples; {'the others have ' + str(m) if m else 'it needs at least one'}"
                )
            numbers_.append(batch)
            m = size
        extra = ([[v.data for v in plan.live]] if plan.live else []) + ([m] if plan.batch else [])
        try:
            value, grads = self._run(numbers_, extra)
        except (ArithmeticError, ValueError):
            value, grads = self._engine(numbers_, m)  # the engine's own error, naming the op
        else:
            if not _finite(value, grads):  # where the engine skips a zero gradient, or raises on NaN
                value, grads = self._engine(numbers_, m)
        wrt_shapes = [s for a, s in zip(plan.args, self._shapes) if a.wrt]
        grads = tuple(arguments.nest(g, s) for g, s in zip(grads, wrt_shapes))
        return value, grads[0] if self._single else grads

    def _run(self, numbers_: list[Any], extra: list[Any]) -> tuple[Any, Any]:
        if not self.plan.vector:
            return self._fn(*numbers_, *extra)
        import numpy as np

        from .arrays import ERRORS

        with np.errstate(**ERRORS):
            return self._fn(*numbers_, *extra)

    def _engine(self, numbers_: list[Any], m: int | None) -> tuple[Any, list[Any]]:
        """The call on the engine: the traced graph built again from new leaves, then ``gradients``."""
        plan = self.plan
        fresh: dict[Value, Value] = {}
        for a, x in zip(plan.args, numbers_):
            if not a.per_example:
                fresh.update((leaf, Value(n, leaf.label)) for leaf, n in zip(a.leaves, [x] if a.scalar else x))
        with modes.enable_grad():
            if not plan.batch:
                total = _replay(plan.order, fresh)[plan.order[-1]]
                value = float(total)
            else:
                roots = [self._example(i, numbers_, fresh) for i in range(m or 0)]
                total = value_sum(roots)
                if plan.reduce == "mean":
                    total = total * (1.0 / len(roots))
                if plan.penalty:
                    total = total + _replay(plan.penalty, fresh)[plan.penalty[-1]]
                value = [float(r) for r in roots] if plan.reduce is None else float(total)
            wrt = [fresh[leaf] if leaf in fresh else Value(0.0) for a in plan.args if a.wrt for leaf in a.leaves]
            flat = gradients(total, wrt) if isinstance(total, Value) else [0.0] * len(wrt)
        grads, i = [], 0
        for a in plan.args:
            if a.wrt:
                part, i = flat[i : i + len(a.leaves)], i + len(a.leaves)
                grads.append(part[0] if a.scalar else part)
        return value, grads

    def _example(self, i: int, numbers_: list[Any], fresh: dict[Value, Value]) -> Any:
        mine = dict(fresh)
        for a, x in zip(self.plan.args, numbers_):
            if a.per_example:
                example = x[:, i].tolist() if self.plan.vector else x[i]
                mine.update(
                    (leaf, Value(n, leaf.label))
                    for leaf, n in zip(a.leaves, [example] if a.scalar and not self.plan.vector else example)
                )
        try:
            return _replay(self.plan.order, mine)[self.plan.order[-1]]
        except DomainError as e:
            raise type(e)(f"compiled {self.plan.name}, example {i}: {e}") from None


def _replay(order: list[Value], fresh: dict[Value, Value]) -> dict[Value, Value]:
    """The graph of ``order`` made again by the engine, from the leaves in ``fresh``."""
    new = dict(fresh)
    for v in order:
        if v in new:
            continue
        if not v.parents:  # a constant, or a Value read from outside (as f would read it now)
            new[v] = constant(v.data) if is_constant(v) else v
        else:
            parents = tuple(new[p] for p in v.parents)
            new[v] = node(PRIMITIVES[v.op].forward(*[p.data for p in parents]), v.op, parents)
    return new


def _finite(value: Any, grads: Any) -> bool:
    if isinstance(value, float):
        values = [value]
    elif isinstance(value, list):
        values = value
    else:  # an array of per-example values
        return bool(math.isfinite(float(value.sum()))) and _finite(0.0, grads)
    flat = [g for grad in grads for g in (grad if isinstance(grad, list) else (grad,))]
    return all(map(math.isfinite, values)) and all(map(math.isfinite, flat))
