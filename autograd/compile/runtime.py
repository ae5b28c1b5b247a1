"""A compiled function at run time: it checks its arguments, runs the generated code, and hands the
call to the engine where the engine does something else.

The code computes what the engine computes, except that a domain error comes out as Python's or
numpy's bare error, and where the engine skips a node whose gradient is 0 the code multiplies anyway
(a NaN where the slope is infinite). So an error, or a NaN or infinity in the results, sends the call
through the engine, on the traced nodes made again from the new numbers: it raises its own error,
naming the op ``f`` hits first (and the example), or gives its own numbers.
"""

from __future__ import annotations

import builtins
import dataclasses
import itertools
import linecache
import math
import weakref
from typing import Any

from ..derivatives import gradients
from ..errors import DomainError
from ..functions import sum as value_sum
from ..rules import PRIMITIVES
from ..value import Value
from . import arguments
from .trace import Argument, Trace, replay

_files = itertools.count(1)
#: Nodes and inputs at most that a call sent to the engine makes again (all its examples): about 5 s.
MAX_REPLAY = 6_000_000


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
    order: list[int] = dataclasses.field(default_factory=list)  # where each gradient asked for (wrt) comes from


class Compiled:
    """A function compiled by ``compile``; call it for ``(value, gradients)``. ``.source`` is its code, ``.ir`` its equations.

    >>> from autograd import compile
    >>> cube = compile(lambda x: x * x * x, 1.0)
    >>> cube(2.0), cube
    ((8.0, (12.0,)), <compiled <lambda>: 7 equations, one example, backend 'python'>)
    """

    def __init__(self, fn: Any, source: str, ir: str, plan: Compilation) -> None:
        self.source, self.ir, self.plan, self._fn, self.backend = source, ir, plan, fn, plan.backend
        # found once, not at every call: where each argument is named in errors, each gradient's structure
        self._where = [f"compiled {plan.name}: argument {a.name!r}" for a in plan.args]
        self._wrt = [(s, s is not None and all(e is None for e in s)) for a, s in zip(plan.args, plan.shapes) if a.wrt]
        self._replayed = sum(1 + len(v.parents) for v in plan.trace.nodes) + sum(
            len(a.leaves) for a in plan.args if a.per_example
        )  # what the engine makes again for each example

    def __repr__(self) -> str:
        kind = f"a batch ({self.plan.reduce or 'every value'})" if self.plan.batch else "one example"
        return f"<compiled {self.plan.name}: {len(self.plan.ir.eqns)} equations, {kind}, backend {self.backend!r}>"

    def __call__(self, *args: Any) -> tuple[Any, Any]:
        """``(value, gradients)`` at ``args``: one gradient per argument of ``wrt``, shaped like it."""
        plan, arrays = self.plan, self.plan.backend != "python"
        if len(args) != len(plan.args):
            raise TypeError(
                f"compiled {plan.name} takes {len(plan.args)} arguments, as it was compiled; got {len(args)}"
            )
        numbers, m = [], None
        for a, x, shape, where in zip(plan.args, args, plan.shapes, self._where):
            device = plan.backend == "jax" and hasattr(x, "devices") and x.dtype == "float64"  # else converted
            if not a.per_example:
                if arrays and not a.scalar and getattr(x, "shape", None) == (len(a.leaves),):
                    numbers.append(x if device else _array(arguments.real(x, where)))  # the numbers in order
                else:
                    flat = arguments.flat(x, shape, where)
                    numbers.append(_array(flat) if arrays else flat)  # numpy's numbers: x ** y is nan, not complex
                continue
            # the examples counted before their numbers are read (an array: along its last axis)
            size = x.shape[-1] if getattr(x, "ndim", 0) >= 1 else len(x) if isinstance(x, (list, tuple)) else None
            if size is not None and (size == 0 or (m is not None and size != m)):
                raise ValueError(
                    f"{where} has {size} examples; {'the others have ' + str(m) if m else 'it needs at least one'}"
                )
            if device and getattr(x, "ndim", 0) == 2 and x.shape[0] == len(a.leaves):
                batch = x  # already on JAX's device, in the layout (n, m): not copied back and forth
            else:
                batch = arguments.rows(x, shape, where) if arrays else arguments.examples(x, shape, where)
            numbers.append(batch[0] if arrays and a.scalar else batch)  # one number per example: an array of m
            m = size
        extra = ([[v.data for v in plan.live]] if plan.live else []) + ([m] if plan.batch else [])
        try:
            value, grads = self._fn(*numbers, *extra)
            if not _finite(value, grads):  # where the engine skips a zero gradient, or raises on NaN
                raise ArithmeticError
        except (ArithmeticError, ValueError):
            value, grads = self._engine(numbers, m)  # the engine's own numbers, or its error naming the op
        value = float(value) if arrays and plan.reduce is not None else value
        nested = tuple(_shaped(g, s, flat) for g, (s, flat) in zip(grads, self._wrt))
        nested = tuple(nested[k] for k in plan.order)
        return value, nested[0] if plan.single else nested

    def _engine(self, numbers: list[Any], m: int | None) -> tuple[Any, list[Any]]:
        """The call on the engine: the traced nodes made again from new leaves, then ``gradients``."""
        plan, arrays = self.plan, self.plan.backend != "python"
        changed = [op for op, row in plan.rules.items() if PRIMITIVES.get(op) is not row]
        if changed:  # the engine would use the new row, the code was written from the old: never both
            raise RuntimeError(
                f"compiled {plan.name}: {changed[0]!r} was redefined (autograd.extend.defop) after compiling, and this call needs the engine, which would use the new rule; compile again"
            )

        def leaves(i: int | None) -> dict[Value, Value]:  # the arguments' new leaves, for example i of a batch
            fresh: dict[Value, Value] = {}
            for a, x in zip(plan.args, numbers):
                if a.per_example == (i is not None):
                    x = x if i is None else x[:, i].tolist() if arrays and not a.scalar else x[i]
                    numbers_of_a = [x] if a.scalar else x
                    try:
                        fresh.update((leaf, Value(float(n), leaf.label)) for leaf, n in zip(a.leaves, numbers_of_a))
                    except DomainError as e:  # a nan: say in which argument
                        raise type(e)(f"argument {a.name!r}: {e}") from None
            return fresh

        try:
            shared = leaves(None)
        except DomainError as e:
            raise type(e)(f"compiled {plan.name}: {e}") from None
        if (m or 1) * self._replayed > MAX_REPLAY:
            raise ValueError(
                f"compiled {plan.name}: this call met an error, a nan or an infinity; the engine would say where, but making its {m:,} examples again ({(m or 1) * self._replayed:,} nodes and inputs) is over the limit of {MAX_REPLAY:,}{_first_nan(plan.args, numbers, arrays)}; call it on fewer examples"
            )
        if not plan.batch:
            total: Any = replay(plan.out, plan.trace, shared)
            value: Any = float(total)
        else:
            roots = []
            for i in range(m or 0):
                try:
                    roots.append(replay(plan.out, plan.trace, {**shared, **leaves(i)}))
                except DomainError as e:
                    raise type(e)(f"compiled {plan.name}, example {i}: {e}") from None
            total = value_sum(roots) * (1.0 / len(roots)) if plan.reduce == "mean" else value_sum(roots)
            total = total + replay(*plan.penalty, shared) if plan.penalty is not None else total
            value = [float(r) for r in roots] if plan.reduce is None else float(total)
        wrt = [shared[leaf] for a in plan.args if a.wrt for leaf in a.leaves]
        try:
            found = gradients(total, wrt) if isinstance(total, Value) else [0.0] * len(wrt)
        except DomainError as e:  # in a batch, the first example whose backward pass fails is named
            for i, root in enumerate(roots if plan.batch else []):
                try:
                    gradients(root, wrt)
                except DomainError as each:
                    raise type(each)(f"compiled {plan.name}, example {i}: {each}") from None
            raise type(e)(f"compiled {plan.name}: {e}") from None
        flat, grads = iter(found), []
        for a in (a for a in plan.args if a.wrt):
            part = list(itertools.islice(flat, len(a.leaves)))
            grads.append(part[0] if a.scalar else part)
        return value, grads


def _first_nan(args: list[Argument], numbers: list[Any], arrays: bool) -> str:
    """Where the first nan of the per-example arguments is, as ``"; argument 'y' is nan in example 7"``."""
    import numpy as np

    found = []
    for a, x in zip(args, numbers):
        if a.per_example:
            table = np.asarray(x, dtype=float) if arrays else np.asarray(x, dtype=float).T  # examples last
            bad = np.isnan(table).reshape(-1, table.shape[-1]).any(axis=0)
            found += [(int(bad.argmax()), a.name)] if bad.any() else []
    return "; argument {1!r} is nan in example {0:,}".format(*min(found)) if found else ""


def _shaped(g: Any, shape: Any, flat: bool) -> Any:
    """A gradient in its argument's structure: a number, a list, or (numpy, JAX) the array of a flat list."""
    if hasattr(g, "ndim") and not g.ndim:
        return float(g)
    return g if flat or shape is None else arguments.nest(g.tolist() if hasattr(g, "ndim") else g, shape)


def _array(numbers: Any) -> Any:
    import numpy as np

    return np.asarray(numbers, dtype=float)


def _finite(value: Any, grads: Any) -> bool:
    if hasattr(value, "ndim") or any(hasattr(g, "ndim") for g in grads):  # arrays: one sum each tells
        import numpy as np

        return bool(np.isfinite(np.sum(value)) and all(np.isfinite(np.sum(g)) for g in grads))
    flat = [g for grad in grads for g in (grad if isinstance(grad, list) else (grad,))]
    return all(map(math.isfinite, value if isinstance(value, list) else [value])) and all(map(math.isfinite, flat))


def load(plan: Compilation) -> Compiled:
    """Write the code of ``plan`` for its backend, compile it (ours, never user text) and wrap it."""
    from .ir import render

    if plan.backend == "python":
        from .python_code import write
    else:
        from . import array_code
        from .array_code import write
    source, namespace = write(plan)
    ir = render(
        plan.ir, [(v, a.per_example) for v, a in zip(plan.inputs, plan.args)], [x for x in plan.roots if x is not None]
    )
    filename = f"<autograd.compile {plan.name if plan.name.isidentifier() else 'f'} #{next(_files)}>"
    before = set(namespace)
    exec(builtins.compile(source, filename, "exec"), namespace)  # noqa: S102 - source written by the emitters
    (fn,) = [namespace[k] for k in set(namespace) - before]
    if plan.backend == "jax":
        fn = array_code.jit(fn, plan)
    elif plan.backend == "numpy":
        fn = array_code.with_errors(fn)
    compiled = Compiled(fn, source, ir, plan)
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)  # tracebacks show the line
    weakref.finalize(compiled, linecache.cache.pop, filename, None)
    return compiled
