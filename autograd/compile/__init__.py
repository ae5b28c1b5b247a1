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
from ..backprop import topological_order
from ..rules import PRIMITIVES
from ..value import Value, constant
from . import arguments
from .backward import backward, needs
from .ir import IR, Var, own_name
from .runtime import Compilation, Compiled, load
from .trace import Argument, Graph, Trace
from .vectorize import VectorGraph

Indices = Union[int, Sequence[int], None]
#: Equations at most, after vectorization: Python compiles some 25,000 lines a second.
MAX_EQUATIONS = 60_000
#: Numbers in list arguments at most, on the python backend (its code gives each a name).
MAX_NAMED = 50_000
#: Numbers in list arguments at most, on numpy and JAX (tracing makes a leaf of each: about 2 s, 0.5 GB).
MAX_NUMBERS = 500_000
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
    da * (a * (1.0 - a))  # sigmoid: ∂a/∂z
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
    if len(set(chosen)) < len(chosen):
        raise ValueError(f"{where}: wrt {wrt!r} names an argument twice; name each once (its gradient comes once)")
    if any(i in per for i in chosen):
        raise ValueError(
            f"{where}: wrt {wrt!r} includes a per-example argument; gradients are summed over the examples only for the arguments they share (the parameters). For an example's own gradient, compile f for one example"
        )
    args: list[Argument] = []
    shapes: list[Any] = []
    traced: list[Any] = []  # the arguments as f is traced at: leaves in their structure
    seen: dict[Value, str] = {}
    named = 0  # numbers in list arguments
    for i, (x, label) in enumerate(zip(example_args, _parameter_names(f, n))):
        leaves: list[Value] = []
        shape, rebuilt = arguments.structure(x, label, where, leaves)
        args.append(Argument(label, leaves, shape is None, i in per, i in chosen))
        shapes.append(shape)
        traced.append(rebuilt)
        named += 0 if shape is None else len(leaves)
        if backend == "python" and named > MAX_NAMED:  # before f runs: the python code names each number
            raise ValueError(
                f"{where}: the arguments hold {named:,} numbers in lists, over the python backend's limit of {MAX_NAMED:,} (its code names each one); use backend='numpy', which takes them as arrays"
            )
        if named > MAX_NUMBERS:  # tracing f makes a leaf of each
            raise ValueError(
                f"{where}: the arguments hold {named:,} numbers in lists, over the limit of {MAX_NUMBERS:,} (f is traced on a Value for each); write the step with numpy arrays (nn.vectorized)"
            )
        for k, leaf in enumerate(leaves):  # a Value passed twice would have its gradient split in two
            here = label if shape is None else f"{label}[{k}]"
            if seen.setdefault(leaf, here) is not here:
                raise ValueError(
                    f"{where}: {seen[leaf]} and {here} are the same Value {describe(leaf)}; pass each Value once"
                )
    out, trace = _trace(name, f, traced)
    shared = [t for i, t in enumerate(traced) if i not in per]
    extra = _trace(f"{name} (its penalty)", penalty, shared) if penalty is not None else None
    if extra is not None:  # a Value of an example that f kept aside: the penalty would read one example's
        each = {leaf: a.name for a in args if a.per_example for leaf in a.leaves}
        read = next((each[v] for v in topological_order(extra[0]) if v in each), None)
        if read is not None:
            raise ValueError(
                f"{where}: the penalty reads {read!r}, which holds one example; the penalty is added once for all the examples, so it reads only the arguments they share"
            )
    plan = Compilation(name, args, shapes, out, trace, extra, bool(per), reduce, backend, isinstance(wrt, int))
    plan.order = [sorted(chosen).index(i) for i in chosen]  # the code gives the gradients in the arguments' order
    nodes = trace.nodes + (extra[1].nodes if extra is not None else [])
    plan.rules = {v.op: PRIMITIVES[v.op] for v in nodes if v.op in PRIMITIVES}  # the rows as compiled
    build(plan)
    return load(plan)


def build(plan: Compilation) -> None:
    """The equations of ``plan`` in ``plan.ir``: the forward pass, the backward pass, the penalty's."""
    arrays = plan.backend != "python"
    ir = IR({"m": 0} if plan.batch else {})
    advice = "trace one example, pass the rest with per_example=" if arrays else "use backend='numpy' (a layer as one matrix product)"  # fmt: skip

    def refusal(size: str) -> str:
        return f"compile {plan.name}: {size} equations, over the limit of {MAX_EQUATIONS:,}: Python would take seconds to compile them; {advice}, or use the engine (autograd.grad, .backward())"  # fmt: skip

    ir.limit, ir.refusal = MAX_EQUATIONS, refusal(f"at least {MAX_EQUATIONS + 1:,}")
    ir.names.update({"J", "np", "jnp"})
    for a in plan.args:
        axes = (() if a.scalar else (f"n{len(a.leaves)}",)) + (("m",) if a.per_example else ())
        ir.sizes.update({axes[0]: len(a.leaves)} if not a.scalar else {})
        plan.inputs.append(ir.var(a.name, axes))
    for a in plan.args:  # names the code writes: w_0, dw_0, dw, X (unless f has them)
        if not arrays and not a.scalar:
            ir.kept.update(((a.name, i), ir.var(f"{a.name}_{i}").name) for i in range(len(a.leaves)))
            ir.names.update(["d" + ir.kept[a.name, i] for i in range(len(a.leaves))])
        upper = a.name.upper() if a.name.upper() != a.name else a.name + "_all"
        plan.batch_names.append(ir.var(upper).name if a.per_example else a.name)
        plan.grad_names.append(ir.var(f"d{a.name}").name)
    graph = (VectorGraph if arrays else Graph)(ir, plan.args, plan.inputs, plan.live)  # arrays group layers
    wanted = {var for a, var in zip(plan.args, plan.inputs) if a.wrt}
    seed: Any = 1.0
    if plan.batch and (arrays or plan.reduce == "mean"):  # one share per example: (m,) on arrays
        seed = ir.var("_seed", ("m",) if arrays else ())
    roots: list[Any] = []
    for out, trace in [(plan.out, plan.trace)] + ([plan.penalty] if plan.penalty else []):
        for v in trace.nodes:
            graph.convert(v, v in trace.cut)
        root = graph.operand(out)
        if (
            not roots
            and isinstance(root, Var)
            and root.name[0] == "t"
            and root.name[1:].isdigit()
            and own_name(plan.name)
        ):
            ir.rename(root, plan.name if len(plan.name) <= 12 else "out")  # the output is named after f
        plan.regions.append(len(ir.eqns))
        if isinstance(seed, Var) and not roots:
            ir.add(seed, "seed", (plan.reduce,))
        backward(
            ir, graph.backward_items(out, trace), root, 1.0 if roots else seed, needs(ir, wanted), graph.origins(wanted)
        )
        plan.regions.append(len(ir.eqns))
        roots.append(root)
    plan.ir, plan.roots = ir, (roots[0], roots[1] if plan.penalty else None)
    size = len(ir.eqns) if arrays else sum(1 + len(e.ins) * (e.op in ("stack", "contract")) for e in ir.eqns)
    if size > MAX_EQUATIONS:  # on floats, a vector's numbers count one each
        raise ValueError(refusal(f"{size:,}"))


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
    return [i % n for i in items]  # in the order given: wrt=(1, 0) asks for the gradients in that order


def _parameter_names(f: Callable[..., Any], n: int) -> list[str]:
    """``f``'s parameter names where they can name code (``x0`` otherwise, or for two the code would confuse)."""
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
        name = (params[i] if i < len(params) and params[i].isascii() and params[i].isidentifier() else "").lstrip("_")
        taken = {x.lower() for x in names}  # two names the code would confuse (x and _x, x and X)
        if not name or name in ("J", "np", "jnp") or name.lower() in taken:
            name = next(c for c in (f"x{i}", f"arg{i}", *(f"arg{i}_{k}" for k in range(n))) if c.lower() not in taken)
        names.append(name)
    return names


__all__ = ["MAX_EQUATIONS", "MAX_NUMBERS", "Compiled", "compile"]
