"""``compile``: trace a function once, then run its forward and backward pass as generated Python.

The engine builds a graph at every call and walks it back. ``compile(f, *example_args)`` calls
``f`` once on Values (tracing), writes that graph out as straight-line Python, one line per node,
with the derivatives of the rule table (``program.py``, ``codegen.py``, ``inline.py``), and
returns a function of new numbers of the same structure that gives ``(value, gradients)``: the
engine's numbers, bit for bit. Its ``.source`` is the backward pass a learner writes by hand.

What a trace cannot see: ``f`` must do the same operations for every input. A comparison of a
Value while tracing (``if x > 0``) is refused with ``TracingError``; a branch on ``x.data`` or
``float(x)`` cannot be seen, and its side taken at the example stays in the code.
"""

from __future__ import annotations

import builtins
import inspect
import itertools
import linecache
import numbers
import sys
import weakref
from collections.abc import Callable, Sequence
from typing import Any, Union

from .. import modes
from .._checks import describe, to_float
from ..backprop import is_constant, topological_order
from ..errors import TracingError
from ..value import Value, constant
from . import arguments, program
from .codegen import Arg, Plan
from .compiled import Compiled
from .naming import identifier

Indices = Union[int, Sequence[int], None]
#: Nodes plus their inputs, at most: a chain of that size is about a million characters of source,
#: 25,000 lines, which Python compiles in about a second; 200,000 took about nine.
MAX_SIZE = 50_000
_files = itertools.count(1)


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
            for each, a sequence of examples and loops over them in its code (one array with the
            examples along its last axis, for numpy), giving the ``reduce`` of ``f`` over them
            plus ``penalty``, and the gradients of that.
        reduce: ``"mean"`` (the course's J), ``"sum"``, or None: then the value is the list of the
            examples' values, and the gradients are those of their sum.
        penalty: a function of the other arguments, added once outside the loop: ``J = mean(f) +
            penalty``, with an L2 penalty on the parameters, say.
        backend: ``"python"`` (floats) or ``"numpy"`` (a batch as arrays, no loop).

    Raises:
        TracingError: ``f`` compared a Value (a Python branch, frozen at the example).
        ValueError: the graph is larger than ``MAX_SIZE``, or the arguments are not as described.

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
    if backend not in ("python", "numpy"):
        raise ValueError(f"{where}: backend must be 'python' or 'numpy', got {backend!r}")
    if reduce not in ("mean", "sum", None):
        raise ValueError(f"{where}: reduce must be 'mean', 'sum' or None, got {reduce!r}")
    if not per and (backend == "numpy" or penalty is not None):
        raise ValueError(
            f"{where}: backend='numpy' and penalty work on batches; name the per-example arguments with per_example="
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
        args.append(Arg(names[i], leaves, shape is None, i in per, i in chosen))
        shapes.append(shape)
        traced.append(rebuilt)
    _distinct(where, args)
    order, variables = _trace(where, f, traced)
    penalty_order = None
    if penalty is not None:
        penalty_order, _ = _trace(f"{where} (its penalty)", penalty, [t for i, t in enumerate(traced) if i not in per])
    plan = Plan(name, args, order, [], variables, bool(per), reduce, penalty_order, backend == "numpy")
    plan.live = _live(plan)
    size = sum(1 + len(v.parents) for v in order + (penalty_order or []))
    if size > MAX_SIZE:
        raise ValueError(
            f"{where}: the graph has {size:,} nodes and inputs, over the limit of {MAX_SIZE:,}: Python would take "
            "seconds to compile its source, more with every line. Trace one example and pass the rest with "
            "per_example=, or use the engine (autograd.grad, .backward())"
        )
    source, namespace = program.write(plan)
    return _load(source, namespace, plan, shapes, isinstance(wrt, int))


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
    return [(identifier(params[i]) if i < len(params) else None) or f"x{i}" for i in range(n)]


def _distinct(where: str, args: list[Arg]) -> None:
    seen: dict[Value, str] = {}
    for a in args:
        for i, leaf in enumerate(a.leaves):
            here = a.name if a.scalar else f"{a.name}[{i}]"
            if leaf in seen:
                raise ValueError(
                    f"{where}: {seen[leaf]} and {here} are the same Value {describe(leaf)}; pass each Value once"
                )
            seen[leaf] = here


def _trace(where: str, f: Callable[..., Any], args: list[Any]) -> tuple[list[Value], dict[Value, str]]:
    """``f``'s graph at ``args`` in topological order, and the names of ``f``'s own variables."""
    with modes.enable_grad(), modes.tracing(_Refusing(where.removeprefix("compile "))):
        out, variables = _call_naming(f, args)
    if not isinstance(out, Value):
        if isinstance(out, bool) or not isinstance(out, numbers.Real):
            raise TypeError(f"{where}: f must return one Value or number, got {describe(out)}")
        out = constant(to_float(out, where))
    return topological_order(out), variables


class _Refusing:
    """The tracer: a comparison of a traced Value is refused; no_grad makes leaves, as in the engine."""

    def __init__(self, name: str) -> None:
        self.name = name

    def record(self, v: Value, recording: bool) -> None:
        if not recording:
            v.op, v.parents = "", ()

    def compare(self, v: Value, op: str, other: Any) -> None:
        left = v.label or "a Value"
        right = (other.label or "a Value") if isinstance(other, Value) else repr(other)
        raise TracingError(
            f"compile {self.name}: {left} {op} {right} compares a traced Value ({v.label}={v.data!r}), so a Python "
            "branch on it would be frozen at the side taken now and give wrong numbers on the other side. Write "
            "kinks with relu, abs or leaky_relu, or your own primitive (autograd.defop); or use the engine "
            "(autograd.grad, value_and_grad, .backward()), which follows the branch at every call"
        )

    def convert(self, v: Value) -> None:
        pass

    def detach(self, v: Value) -> None:
        return None


def _call_naming(f: Callable[..., Any], args: list[Any]) -> tuple[Any, dict[Value, str]]:
    """``f(*args)``, and the Values among ``f``'s local variables when it returns (``z``, ``a``), by
    name: read from its frame by a profile hook, unless a profiler is running in this thread."""
    found: dict[Value, str] = {}
    code, caller = getattr(f, "__code__", None), sys._getframe()
    if code is None or sys.getprofile() is not None:
        return f(*args), found

    def hook(frame: Any, event: str, arg: Any) -> None:
        if event == "return" and frame.f_code is code and frame.f_back is caller:
            for name, value in frame.f_locals.items():
                if isinstance(value, Value) and identifier(name) == name:
                    found.setdefault(value, name)

    sys.setprofile(hook)
    try:
        return f(*args), found
    finally:
        sys.setprofile(None)


def _live(plan: Plan) -> list[Value]:
    """The leaves that are neither arguments nor constants: Values ``f`` reads from outside."""
    own = {leaf for a in plan.args for leaf in a.leaves}
    graph = plan.order + (plan.penalty or [])
    return list(dict.fromkeys(v for v in graph if not v.parents and not is_constant(v) and v not in own))


def _load(source: str, namespace: dict[str, Any], plan: Plan, shapes: list[Any], single: bool) -> Compiled:
    """Compile the generated source (ours, never user text) and wrap its function."""
    filename = f"<autograd.compile {identifier(plan.name) or 'f'} #{next(_files)}>"
    before = set(namespace)
    exec(builtins.compile(source, filename, "exec"), namespace)  # noqa: S102 - source written by program.write
    (fn_name,) = set(namespace) - before
    compiled = Compiled(namespace[fn_name], source, plan, shapes, single)
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)  # tracebacks show the line
    weakref.finalize(compiled, linecache.cache.pop, filename, None)
    return compiled
