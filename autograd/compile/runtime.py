"""A compiled function at run time: it checks its arguments, runs the generated code, and hands the
call to the engine when the engine would do something else.

The generated code computes what the engine computes, with the same float operations (python) or
the same formulas on arrays (numpy, JAX), except in two places: a domain error (``log(0)``, ``1 / 0``)
comes out of it as Python's or numpy's bare error, and where the engine skips a node whose
gradient is exactly 0, the code multiplies anyway, which differs only when that product is NaN (0
times an infinite slope). So an error, and a NaN or infinity anywhere in the results, send the call
through the engine on the traced nodes, made again from the new numbers in the order ``f`` made
them: it raises its own error, naming the op ``f`` hits first (and, in a batch, the example), or
gives its own numbers.
"""

from __future__ import annotations

import builtins
import dataclasses
import itertools
import linecache
import math
import weakref
from typing import Any

from ..backprop import is_constant
from ..derivatives import gradients
from ..errors import DomainError
from ..functions import sum as value_sum
from ..rules import PRIMITIVES
from ..value import Value, constant, node
from . import arguments
from .trace import Argument, Trace

_files = itertools.count(1)


@dataclasses.dataclass
class Compilation:
    """What ``compile`` made of ``f``: the trace, the equations, how the function takes its numbers."""

    name: str
    args: list[Argument]
    shapes: list[Any]
    out: Value
    trace: Trace
    penalty: tuple[Value, Trace] | None
    batch: bool
    reduce: str | None
    backend: str
    single: bool  # one argument asked for: its gradient comes alone, not in a tuple
    live: list[Value] = dataclasses.field(default_factory=list)  # Values f reads from outside
    ir: Any = None
    inputs: list[Any] = dataclasses.field(default_factory=list)
    roots: tuple[Any, Any] = (None, None)
    regions: list[int] = dataclasses.field(default_factory=list)  # where the forward, backward, penalty end
    batch_names: list[str] = dataclasses.field(default_factory=list)  # each argument as the function takes it
    grad_names: list[str] = dataclasses.field(default_factory=list)  # each argument's gradient in the code
    rules: dict[str, Any] = dataclasses.field(default_factory=dict)  # the table's rows as compiled
    ir_text: str = ""


class Compiled:
    """A function compiled by ``compile``; call it for ``(value, gradients)``. ``.source`` is its code, ``.ir`` its equations.

    >>> from autograd import compile
    >>> cube = compile(lambda x: x * x * x, 1.0)
    >>> cube(2.0), cube
    ((8.0, (12.0,)), <compiled <lambda>: 7 equations, one example, backend 'python'>)
    """

    def __init__(self, fn: Any, source: str, plan: Compilation) -> None:
        self.source, self.plan, self._fn, self.backend = source, plan, fn, plan.backend
        self.ir = plan.ir_text
        self._flat = {id(s) for s in plan.shapes if s is not None and all(e is None for e in s)}

    def __repr__(self) -> str:
        kind = f"a batch ({self.plan.reduce or 'every value'})" if self.plan.batch else "one example"
        return f"<compiled {self.plan.name}: {len(self.plan.ir.eqns)} equations, {kind}, backend {self.backend!r}>"

    def __call__(self, *args: Any) -> tuple[Any, Any]:
        """``(value, gradients)`` at ``args``: one gradient per argument of ``wrt``, shaped like it."""
        plan, name = self.plan, f"compiled {self.plan.name}"
        if len(args) != len(plan.args):
            raise TypeError(f"{name} takes {len(plan.args)} arguments, as it was compiled; got {len(args)}")
        numbers, m = [], None
        arrays = plan.backend != "python"
        for a, x, shape in zip(plan.args, args, plan.shapes):
            where = f"{name}: argument {a.name!r}"
            if not a.per_example:
                if arrays and not a.scalar and getattr(x, "shape", None) == (len(a.leaves),):
                    numbers.append(x if _on_device(x, plan) else _array(x))  # already the numbers, in order
                    continue
                flat = arguments.flat(x, shape, where)
                numbers.append(flat if not arrays or a.scalar else _array(flat))
                continue
            if _on_device(x, plan) and getattr(x, "ndim", 0) == 2 and x.shape[0] == len(a.leaves):
                batch = x  # already on JAX's device, in the layout (n, m): not copied back and forth
            elif arrays:
                batch = arguments.rows(x, len(a.leaves), where)
            else:
                batch = arguments.examples(x, shape, where)
            if arrays and a.scalar:
                batch = batch[0]  # one number per example: an array of m
            size = batch.shape[-1] if arrays else len(batch)
            if size == 0 or (m is not None and size != m):
                raise ValueError(
                    f"{where} has {size} examples; {'the others have ' + str(m) if m else 'it needs at least one'}"
                )
            numbers.append(batch)
            m = size
        extra = ([[v.data for v in plan.live]] if plan.live else []) + ([m] if plan.batch else [])
        try:
            value, grads = self._fn(*numbers, *extra)
        except (ArithmeticError, ValueError):
            value, grads = self._engine(numbers, m)  # the engine's own error, naming the op
        else:
            if not _finite(value, grads):  # where the engine skips a zero gradient, or raises on NaN
                value, grads = self._engine(numbers, m)
        if arrays and plan.reduce is not None:
            value = float(value)
        wrt_shapes = [s for a, s in zip(plan.args, plan.shapes) if a.wrt]
        nested = tuple(_shaped(g, s, self._flat) for g, s in zip(grads, wrt_shapes))
        return value, nested[0] if plan.single else nested

    def _engine(self, numbers: list[Any], m: int | None) -> tuple[Any, list[Any]]:
        """The call on the engine: the traced nodes made again from new leaves, then ``gradients``."""
        plan = self.plan
        changed = [op for op, row in plan.rules.items() if PRIMITIVES.get(op) is not row]
        if changed:  # the engine would use the new row, the code was written from the old: never both
            raise RuntimeError(
                f"compiled {plan.name}: {changed[0]!r} was redefined (autograd.extend.defop) after compiling, and this "
                "call needs the engine, which would use the new rule; compile again"
            )
        fresh: dict[Value, Value] = {}
        for a, x in zip(plan.args, numbers):
            if not a.per_example:
                fresh.update((leaf, Value(n, leaf.label)) for leaf, n in zip(a.leaves, [x] if a.scalar else x))
        if not plan.batch:
            total = _replay(plan.out, plan.trace, fresh)
            value: Any = float(total)
        else:
            roots = [self._example(i, numbers, fresh) for i in range(m or 0)]
            total = value_sum(roots)
            if plan.reduce == "mean":
                total = total * (1.0 / len(roots))
            if plan.penalty is not None:
                total = total + _replay(*plan.penalty, fresh)
            value = [float(r) for r in roots] if plan.reduce is None else float(total)
        wrt = [fresh[leaf] for a in plan.args if a.wrt for leaf in a.leaves]
        flat = gradients(total, wrt) if isinstance(total, Value) else [0.0] * len(wrt)
        grads, i = [], 0
        for a in plan.args:
            if a.wrt:
                part, i = flat[i : i + len(a.leaves)], i + len(a.leaves)
                grads.append(part[0] if a.scalar else part)
        return value, grads

    def _example(self, i: int, numbers: list[Any], fresh: dict[Value, Value]) -> Any:
        mine = dict(fresh)
        arrays = self.plan.backend != "python"
        for a, x in zip(self.plan.args, numbers):
            if a.per_example:
                example = (x[i] if a.scalar else x[:, i].tolist()) if arrays else x[i]
                mine.update(
                    (leaf, Value(float(n), leaf.label)) for leaf, n in zip(a.leaves, [example] if a.scalar else example)
                )
        try:
            return _replay(self.plan.out, self.plan.trace, mine)
        except DomainError as e:
            raise type(e)(f"compiled {self.plan.name}, example {i}: {e}") from None


def _on_device(x: Any, plan: Compilation) -> bool:
    """Whether ``x`` is a JAX array, for the JAX backend: it is passed on as it is."""
    return plan.backend == "jax" and hasattr(x, "devices") and hasattr(x, "ndim")


def _array(numbers: Any) -> Any:
    import numpy as np

    return np.asarray(numbers, dtype=float)


def _shaped(g: Any, shape: Any, flat: set[int]) -> Any:
    """A gradient in its argument's structure: a number, a list (an array from numpy and JAX, for a
    flat list: ``flat`` holds the ids of the flat shapes, found once)."""
    if hasattr(g, "ndim"):
        if g.ndim == 0:
            return float(g)
        if id(shape) in flat:
            return g
        g = g.tolist()
    return arguments.nest(g, shape)


def _replay(out: Value, trace: Trace, fresh: dict[Value, Value]) -> Any:
    """What ``f`` did, done again by the engine from the leaves in ``fresh``, in the order ``f`` did it."""
    new = dict(fresh)

    def get(v: Value) -> Value:
        if v not in new:  # a constant, or a Value read from outside (as f would read it now)
            new[v] = constant(v.data) if is_constant(v) else v
        return new[v]

    for v in trace.nodes:
        if not v.parents or v in fresh:
            continue
        parents = tuple(get(p) for p in v.parents)
        if v.op == "detach":
            new[v] = parents[0].detach()
            continue
        made = node(PRIMITIVES[v.op].forward(*[p.data for p in parents]), v.op, parents)
        new[v] = made.detach() if v in trace.cut else made
    return get(out)


def _finite(value: Any, grads: Any) -> bool:
    if hasattr(value, "ndim") or any(hasattr(g, "ndim") for g in grads):  # arrays: one sum each tells
        import numpy as np

        return bool(np.isfinite(np.sum(value)) and all(np.isfinite(np.sum(g)) for g in grads))
    values = value if isinstance(value, list) else [value]
    flat = [g for grad in grads for g in (grad if isinstance(grad, list) else (grad,))]
    return all(map(math.isfinite, values)) and all(map(math.isfinite, flat))


def _with_errors(fn: Any) -> Any:
    """``fn`` with numpy's floating-point warnings as errors: the engine then says which op."""
    import numpy as np

    from .array_code import ERRORS

    def run(*args: Any) -> Any:
        with np.errstate(**ERRORS):  # type: ignore[arg-type]
            return fn(*args)

    return run


def load(plan: Compilation) -> Compiled:
    """Write the code of ``plan`` for its backend, compile it (ours, never user text) and wrap it."""
    from .ir import render

    if plan.backend == "python":
        from .python_program import write
    else:
        from .array_code import write
    source, namespace = write(plan)
    outputs = [x for x in plan.roots if x is not None]
    plan.ir_text = render(plan.ir, [(v, a.per_example) for v, a in zip(plan.inputs, plan.args)], outputs)
    filename = f"<autograd.compile {plan.name if plan.name.isidentifier() else 'f'} #{next(_files)}>"
    before = set(namespace)
    exec(builtins.compile(source, filename, "exec"), namespace)  # noqa: S102 - source written by the emitters
    (fn_name,) = set(namespace) - before
    fn = namespace[fn_name]
    if plan.backend == "jax":
        fn = namespace["_jit"](fn, plan)
    elif plan.backend == "numpy":
        fn = _with_errors(fn)
    compiled = Compiled(fn, source, plan)
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)  # tracebacks show the line
    weakref.finalize(compiled, linecache.cache.pop, filename, None)
    return compiled
