"""``autograd.compile``: trace a function once, then run its forward and backward pass as generated code.

The stages, a module each: ``trace.py`` runs ``f`` on Values and writes what it did as equations
(``ir.py``); ``backward.py`` adds the backward pass, by running the rule table on the equations'
variables; ``vectorize.py`` groups a layer's neurons into matrices (for arrays); ``python_code.py``
and ``array_code.py`` write the equations as Python on floats, or as numpy or JAX on arrays;
``runtime.py`` is the compiled function: it checks the arguments, runs the code, and hands a call
to the engine where the engine would do something else (raise, meet a NaN). See docs/compile.md.
"""

from __future__ import annotations

import inspect
import numbers
from collections.abc import Callable, Sequence
from typing import Any, Union

from .. import modes
from .._checks import describe, to_float
from ..rules import PRIMITIVES
from ..value import Value, constant
from . import arguments
from .backward import Backward, needs
from .ir import IR, Var
from .python_code import UNROLL
from .runtime import Compilation, Compiled, load
from .trace import Argument, Graph, Trace
from .vectorize import VectorGraph

Indices = Union[int, Sequence[int], None]
#: Equations at most, after vectorization: Python compiles some 25,000 lines a second.
MAX_EQUATIONS = 60_000
BACKENDS = ("python", "numpy", "jax")


def compile(  # noqa: A001 - autograd.compile, as jax.jit or torch.compile
    f: Callable[..., Any],
    *example_args: Any,
    wrt: Indices = None,
    per_example: Sequence[int] = (),
    reduce: str | None = "mean",
    penalty: Callable[..., Any] | None = None,
    backend: str = "python",
) -> Compiled:
    """Trace ``f`` at ``example_args`` and return it compiled: a function that gives ``(value, gradients)``.

    Args:
        f: a function of numbers, or lists of them (nested), that returns one number, written with
            Value operations (``+ * **``, ``autograd.sigmoid``, an ``nn`` model, a ``defop``).
        example_args: arguments to trace ``f`` at. Numbers become new leaves; a Value is used as it
            is, so ``model.parameters()`` can be an argument of a function that calls ``model``.
            Values ``f`` reaches otherwise are read at every call, without a gradient.
        wrt: the argument(s) to differentiate by: an index, or a sequence of them (then the
            gradients come as a tuple), or None for all (all that are not per example).
        per_example: the arguments that hold one example each: the compiled function then takes,
            for each, all the examples (a list with one entry per example; for ``numpy`` and
            ``jax``, an array with the examples along its last axis, the course's ``X`` of shape
            ``(n_x, m)``), giving the ``reduce`` of ``f`` over them plus ``penalty``, and its gradients.
        reduce: ``"mean"`` (the course's J), ``"sum"``, or None: then the value is every example's
            value, and the gradients are those of their sum.
        penalty: a function of the other arguments, added once: ``J = mean(f) + penalty``.
        backend: ``"python"`` (floats, the engine's numbers bit for bit), ``"numpy"`` (a batch as
            arrays, a layer as one matrix product) or ``"jax"`` (the same, as ``jax.jit`` code).

    Raises:
        TracingError: ``f`` compared a Value or turned it into a float (the code would keep today's branch).
        ValueError: the equations are more than ``MAX_EQUATIONS``, or the arguments are not as described.

    >>> from autograd import dot, log, sigmoid
    >>> def L(w, b, x, y):
    ...     z = dot(w, x, b)
    ...     a = sigmoid(z)
    ...     return -(y * log(a) + (1 - y) * log(1 - a))
    >>> step = compile(L, [0.0, 0.0], 0.0, [1.0, 2.0], 1.0, wrt=(0, 1))
    >>> value, (dw, db) = step([0.0, 0.0], 0.0, [1.0, 2.0], 1.0)
    >>> round(value, 6), dw, db
    (0.693147, [-0.5, -1.0], -0.5)
    >>> print(step.source.split("dz = ")[1].split("\\n")[0])
    da * (a * (1.0 - a))  # sigmoid: ∂a/∂z = a * (1.0 - a)
    """
    name = getattr(f, "__name__", type(f).__name__)
    where = f"compile {name}"
    if not callable(f):
        raise TypeError(f"compile: f must be callable, got {describe(f)}")
    n = len(example_args)
    per = _indices(where, "per_example", per_example, n)
    if backend not in BACKENDS:
        raise ValueError(f"{where}: backend must be one of {', '.join(map(repr, BACKENDS))}, got {backend!r}")
    if reduce not in ("mean", "sum", None):
        raise ValueError(f"{where}: reduce must be 'mean', 'sum' or None, got {reduce!r}")
    if not per and (backend != "python" or penalty is not None):
        raise ValueError(
            f"{where}: backend={backend!r} and penalty work on batches; name the per-example arguments with per_example="
        )
    if penalty is not None and (reduce is None or not callable(penalty)):
        raise ValueError(f"{where}: penalty must be a function, and goes with reduce='mean' or 'sum', not None")
    chosen = [i for i in range(n) if i not in per] if wrt is None else _indices(where, "wrt", wrt, n)
    if any(i in per for i in chosen):
        raise ValueError(
            f"{where}: wrt {wrt!r} includes a per-example argument; gradients are summed over the examples only "
            "for the arguments they share (the parameters). For an example's own gradient, compile f for one example"
        )
    names = _parameter_names(f, n)
    args, shapes, traced = [], [], []
    for i, x in enumerate(example_args):
        leaves: list[Value] = []
        shape, rebuilt = arguments.structure(x, names[i], where, leaves)
        args.append(Argument(names[i], leaves, shape is None, i in per, i in chosen))
        shapes.append(shape)
        traced.append(rebuilt)
    _distinct(where, args, example_args)
    out, trace = _trace(name, f, traced)
    shared = [t for i, t in enumerate(traced) if i not in per]
    extra = _trace(f"{name} (its penalty)", penalty, shared) if penalty is not None else None
    plan = Compilation(name, args, shapes, out, trace, extra, bool(per), reduce, backend, isinstance(wrt, int))
    nodes = trace.nodes + (extra[1].nodes if extra is not None else [])
    plan.rules = {v.op: PRIMITIVES[v.op] for v in nodes if v.op in PRIMITIVES}  # the rows as compiled
    build(plan)
    return load(plan)


def build(plan: Compilation) -> None:
    """The equations of ``plan``: the forward pass, the backward pass, and the penalty's, in ``plan.ir``."""
    batch, arrays = plan.batch, plan.backend != "python"
    ir = IR({"m": 0} if batch else {})
    inputs = []
    for a in plan.args:
        axes: tuple[str, ...] = () if a.scalar else (f"n{len(a.leaves)}",)
        if not a.scalar:
            ir.sizes[axes[0]] = len(a.leaves)
        inputs.append(ir.var(a.name, axes + (("m",) if a.per_example else ())))
    plan.batch_names = [_reserve(ir, plan, a) for a in plan.args]
    plan.grad_names = [ir.var(f"d{a.name}").name for a in plan.args]  # dw, or dw_2 if f has an argument dw
    graph = (VectorGraph if arrays else Graph)(ir, plan.args, inputs, plan.live)  # arrays group layers
    for v in plan.trace.nodes:
        graph.convert(v, v in plan.trace.cut)
    root = graph.operand(plan.out)
    if isinstance(root, Var) and root.name.startswith("t") and root.name[1:].isdigit() and plan.name.isidentifier():
        ir.names.discard(root.name)
        root.name = ir.var(plan.name if len(plan.name) <= 12 else "out").name  # the output is named after f
    plan.regions = [len(ir.eqns)]
    wanted = {var for a, var in zip(plan.args, inputs) if a.wrt}
    origin = graph.origins(wanted)
    needed = needs(ir, wanted)
    seed: Any = 1.0
    if batch and (arrays or plan.reduce == "mean"):  # on arrays, one share per example: (m,)
        seed = ir.add(ir.var("_seed", ("m",) if arrays else ()), "seed", (plan.reduce,))
    items = graph.backward_items(plan.out)
    Backward(ir, needed, origin).run(items, root, seed)
    plan.regions.append(len(ir.eqns))
    penalty_root = None
    if plan.penalty is not None:
        out, trace = plan.penalty
        for v in trace.nodes:
            graph.convert(v, v in trace.cut)
        penalty_root = graph.operand(out)
        plan.regions.append(len(ir.eqns))
        needed = needs(ir, wanted)
        Backward(ir, needed, graph.origins(wanted)).run(graph.backward_items(out), penalty_root, 1.0)
    plan.regions.append(len(ir.eqns))
    plan.ir, plan.inputs, plan.roots = ir, inputs, (root, penalty_root)
    size = len(ir.eqns) if arrays else sum(1 + (len(e.ins) if e.op in ("stack", "contract") else 0) for e in ir.eqns)
    if size > MAX_EQUATIONS:
        advice = (
            "use backend='numpy', which writes a layer as one matrix product"
            if not arrays
            else "trace one example and pass the rest with per_example="
        )
        raise ValueError(
            f"compile {plan.name}: {size:,} equations, over the limit of {MAX_EQUATIONS:,}: Python would take seconds to compile them; {advice}, or use the engine (autograd.grad, .backward())"
        )


def _reserve(ir: IR, plan: Compilation, a: Argument) -> str:
    """Claim the names the emitters write for argument ``a`` (its numbers ``w_0, w_1, ...``, its
    gradient ``dw``, ``dw_0, ...``), so that no variable of the equations takes one; return the name
    of all its examples (``X`` for ``x``) when it is per example."""
    ir.names.update({"J", "np", "jnp"})
    if not a.scalar and len(a.leaves) <= UNROLL:
        for i in range(len(a.leaves)):
            ir.kept[a.name, i] = ir.var(f"{a.name}_{i}").name  # w_0, or w_0_2 if f has an argument w_0
        ir.names.update(f"d{name}" for (arg, _), name in ir.kept.items() if arg == a.name)
    if not (a.per_example and plan.batch):
        return a.name
    return ir.var(a.name.upper() if a.name.upper() != a.name else a.name + "_all").name


def _trace(name: str, f: Callable[..., Any], args: list[Any]) -> tuple[Value, Trace]:
    """``f(*args)`` run on Values with every node recorded; its result as a Value."""
    trace = Trace(name)
    with modes.enable_grad(), modes.tracing(trace):
        out = f(*args)
    if not isinstance(out, Value):
        if isinstance(out, bool) or not isinstance(out, numbers.Real):
            raise TypeError(f"compile {name}: f must return one Value or number, got {describe(out)}")
        out = constant(to_float(out, f"compile {name}"))
    return out, trace


def _indices(where: str, what: str, given: Indices, n: int) -> list[int]:
    items = [given] if isinstance(given, int) else list(given) if isinstance(given, (list, tuple, range)) else None
    if items is None or any(isinstance(i, bool) or not isinstance(i, int) or not -n <= i < n for i in items):
        raise ValueError(f"{where}: {what} must be argument positions between 0 and {n - 1}, got {given!r}")
    return sorted({i % n for i in items})


def _parameter_names(f: Callable[..., Any], n: int) -> list[str]:
    try:
        params = [
            p.name
            for p in inspect.signature(f).parameters.values()
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
    except (TypeError, ValueError):
        params = []
    names: list[str] = []
    for i in range(n):
        name = params[i] if i < len(params) and params[i].isascii() and params[i].isidentifier() else f"x{i}"
        name = name.lstrip("_") or f"x{i}"
        if name in names or name in ("J", "np", "jnp") or name.lower() in [x.lower() for x in names]:
            name = f"x{i}"  # two names the code would confuse (x and _x, x and X): the position's
        names.append(name if name not in names else f"arg{i}")
    return names


def _distinct(where: str, args: list[Argument], example_args: tuple[Any, ...]) -> None:
    """No Value is passed twice (its gradient would be split between two names)."""
    seen: dict[Value, str] = {}
    for a, x in zip(args, example_args):
        if not _holds_values(x):  # numbers only: the leaves are new
            continue
        for i, leaf in enumerate(a.leaves):
            here = a.name if a.scalar else f"{a.name}[{i}]"
            if leaf in seen:
                raise ValueError(
                    f"{where}: {seen[leaf]} and {here} are the same Value {describe(leaf)}; pass each Value once"
                )
            seen[leaf] = here


def _holds_values(x: Any) -> bool:
    if isinstance(x, Value):
        return True
    return (
        isinstance(x, (list, tuple))
        and not all(type(e) is float or type(e) is int for e in x)
        and any(_holds_values(e) for e in x)
    )


__all__ = ["MAX_EQUATIONS", "Compiled", "compile"]
