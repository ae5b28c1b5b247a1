"""The IR as array code, numpy or JAX (under ``jax.jit``), the examples of a batch along the last axis.

A variable is an array whose axes are its IR axes (``Z1``: the neurons of layer 1, then the examples,
the course's ``(n_1, m)``). An elementwise equation is one array operation, its inputs lined up by
their axes (``b1[:, None]``); a ``contract`` is a matrix product or a sum (``dW1 = dZ1 @ X.T``,
``db1 = dZ1.sum(axis=1)``); a gradient is added into its place in the argument. The formulas are
the engine's, so the numbers are its up to the last bit of ``exp`` and ``log`` and the summing order.
Imported when a function is compiled for arrays, so ``import autograd`` does not import numpy.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..rules import PRIMITIVES
from .ir import Eqn, Var, function, literal, use_counts

#: numpy's name of each op the table has (``xp`` is numpy or jax.numpy).
FUNCTIONS = {"exp": "exp", "log": "log", "sqrt": "sqrt", "sin": "sin", "cos": "cos", "tan": "tan", "tanh": "tanh",
             "sinh": "sinh", "cosh": "cosh", "asin": "arcsin", "acos": "arccos", "atan": "arctan", "asinh": "arcsinh",
             "acosh": "arccosh", "atanh": "arctanh", "log1p": "log1p", "expm1": "expm1", "log2": "log2",
             "log10": "log10", "abs": "abs"}  # fmt: skip
INFIX = {"+": "{0} + {1}", "-": "{0} - {1}", "*": "{0} * {1}", "/": "{0} / {1}", "**": "{0} ** {1}", "neg": "-{0}",
         ">": "{0} > {1}", "<": "{0} < {1}", ">=": "{0} >= {1}", "<=": "{0} <= {1}", "and": "{0} & {1}"}  # fmt: skip
#: Errors, not warnings, where the engine raises: the call then goes to the engine, which names the op.
ERRORS = {"divide": "raise", "over": "raise", "invalid": "raise", "under": "ignore"}


class ArrayCode:
    """Writes equations as array code; ``xp`` is the module's name in the code (``np`` or ``jnp``)."""

    def __init__(self, plan: Any, xp: str) -> None:
        self.ir, self.xp, self.uses = plan.ir, xp, use_counts(plan.ir.eqns)
        self.values: dict[Var, str] = {}
        self.compound: set[Var] = set()  # written in place as an expression: parenthesized where used
        self.assign: set[Var] = set()  # arguments whose gradient is one term, all of it: assigned
        self.grads: dict[Var, str] = {}
        self.namespace: dict[str, Any] = {"__builtins__": {"__import__": __import__}, "_nan": math.nan, "_inf": math.inf,
                                          "np": np, "_sigmoid": sigmoid, "_softplus": softplus, "_each": each,
                                          "_each_rule": each_rule, "_place": place, "_finite": finite}  # fmt: skip

    def shape(self, axes: tuple[str, ...]) -> str:
        dims = ["_m" if a == "m" else str(self.ir.sizes[a]) for a in axes]
        return f"({', '.join(dims)}{',' * (len(dims) == 1)})"

    def code(self, x: Any, axes: tuple[str, ...] | None = None, bare: bool = False) -> str:
        """``x`` as code, its axes lined up with ``axes`` (a transpose, ``None`` for the axes it lacks)."""
        if not isinstance(x, Var):
            return literal(x)
        text = f"({self.values[x]})" if x in self.compound else self.values[x]
        if axes is None or x.axes == axes or not x.axes:
            return self.values[x] if bare else text
        have = [a for a in axes if a in x.axes]
        if have != list(x.axes):  # another order: transpose first
            text = f"{self.xp}.transpose({text}, {tuple(x.axes.index(a) for a in have)})"
        return _aligned(text, tuple(have), axes)

    def lines(self, eqns: list[Eqn]) -> list[str]:
        return [line for line in map(self.eqn, eqns) if line]

    def eqn(self, e: Eqn) -> str:
        v, op, ins = e.out, e.op, e.ins
        if op == "grad":
            return self.grad(*ins)
        if op in ("skip", "detach"):
            self.values.update([(v, self.code(ins[0]))] if op == "detach" else [])
            return ""
        text = self.expression(op, ins, v.axes)
        if e.note and op not in ("rule", "seed") and self.uses.get(v) == 1 and v.name[1:].isdigit():
            self.values[v] = text  # a backward step read once: written where it is read
            self.compound.add(v)
            return ""
        self.values[v] = v.name
        return f"{v.name} = {text}" + (f"  # {e.note}" if e.note else "")

    def expression(self, op: str, ins: tuple[Any, ...], axes: tuple[str, ...]) -> str:
        xp, args = self.xp, [self.code(x, axes) for x in ins if isinstance(x, (Var, float, bool))]
        if op in INFIX:
            return INFIX[op].format(*args)
        if op in FUNCTIONS or op in ("sigmoid", "softplus"):
            return f"{xp}.{FUNCTIONS[op]}({args[0]})" if op in FUNCTIONS else f"_{op}({xp}, {args[0]})"
        if op == "where":
            return f"{xp}.where({', '.join(self.code(x, axes, bare=True) for x in ins)})"
        if op in ("relu", "leaky_relu"):  # the engine's forwards: x above 0, else 0 (0.01 x)
            return f"{xp}.where({args[0]} <= 0, {'0.0' if op == 'relu' else '0.01 * ' + args[0]}, {args[0]})"
        if op in ("take", "lane"):
            return view(self.code(ins[0]), ins[1])
        if op == "live":
            return f"_live[{ins[0]}]"
        if op == "seed":  # each example's share of J: 1/m for the mean
            return f"{xp}.full(_m, {'1.0 / _m' if ins[0] == 'mean' else '1.0'})"
        if op == "stack":
            return f"{xp}.stack([{', '.join(self.code(x, axes[1:]) for x in ins)}])"
        if op == "place":
            return f"_place({xp}, {self.code(ins[0])}, {ins[1]}, {self.shape(axes)})"
        if op == "sum":
            return f"{self.code(ins[0])}.sum(axis=0)"
        if op == "contract":
            return self.contract(ins[0], ins[1], axes)
        if xp == "jnp":  # what numpy runs one example at a time, JAX cannot trace
            what = (
                f"the rule of {ins[0]!r} asks for numbers (float(x), an if)"
                if op == "rule"
                else f"{op!r} has no formula"
            )
            raise ValueError(
                f"backend='jax': {what}, which JAX cannot trace; use backend='numpy', which runs it per example"
            )
        name, row = (
            (f"_{ins[0]}_rule", PRIMITIVES[ins[0]].local_derivatives)
            if op == "rule"
            else (f"_{op}_forward", PRIMITIVES[op].forward)
        )
        self.namespace[name] = row  # called on each example's numbers
        return f"{'_each_rule' if op == 'rule' else '_each'}({name}, {', '.join(args)})"

    def contract(self, a: Any, b: Any, out: tuple[str, ...]) -> str:
        """``a * b`` summed over the axes ``out`` does not have: a matrix product where it is one."""
        a, b = (b, a) if not isinstance(b, Var) else (a, b)
        if not isinstance(a, Var):  # a number times an array, summed
            summed = tuple(i for i, x in enumerate(b.axes) if x not in out)
            text = self.code(b) + (f".sum(axis={summed[0] if len(summed) == 1 else summed})" if summed else "")
            kept = tuple(x for x in b.axes if x in out)
            text = f"{self.xp}.broadcast_to({_aligned(text, kept, out)}, {self.shape(out)})" if kept != out else text
            return text if a == 1.0 else f"{text} * {self.code(a)}"
        gone = [x for x in dict.fromkeys(a.axes + b.axes) if x not in out]
        if (
            len(gone) != 1
            or gone[0] not in a.axes
            or gone[0] not in b.axes
            or max(len(a.axes), len(b.axes)) > 2
            or any(x in a.axes and x in b.axes for x in out)
        ):
            letters = {x: chr(97 + i) for i, x in enumerate(self.ir.axis_order)}
            spec = (
                ",".join("".join(letters[x] for x in v.axes) for v in (a, b)) + "->" + "".join(letters[x] for x in out)
            )
            return f"{self.xp}.einsum('{spec}', {self.code(a)}, {self.code(b)})"
        s = gone[0]
        for first, second in ((a, b), (b, a)):  # the order that needs no transpose of the result, if one does
            left = self.code(first) + ("" if first.axes[-1] == s else ".T")
            right = self.code(second) + ("" if second.axes[0] == s else ".T")
            if [x for x in first.axes if x != s] + [x for x in second.axes if x != s] == list(out):
                return f"{left} @ {right}"
        return f"({left} @ {right}).T"

    def grad(self, arg: Var, where: Any, term: Any) -> str:
        """``term`` added into the gradient of ``arg`` at ``where``: numpy adds in place, JAX by index."""
        target, value = self.grads[arg], self.code(term, bare=True)
        if arg in self.assign or where is None:
            return f"{target} = {value}" if arg in self.assign else f"{target} = {target} + {value}"
        if self.xp == "np":
            return f"{view(target, where)} += {value}"
        if not isinstance(where, int) and where[0] == "matrix":  # JAX adds to a slice: the rows, padded to the stride
            _, start, rows, stride, n = where
            where, value = (start, start + rows * stride), f"jnp.pad({value}, ((0, 0), (0, {stride - n}))).ravel()"
        return f"{target} = {target}.at{view('', where)}.add({value})"


def view(name: str, where: Any) -> str:
    """The code of the numbers of array ``name`` at ``where``: one, a slice, a layer's rows, a stride."""
    if isinstance(where, int):
        return f"{name}[{where}]"
    if where[0] == "matrix":  # a layer's weights: ``rows`` rows ``stride`` numbers apart, the first ``n`` of each
        _, start, rows, stride, n = where
        return f"{name}[{start}:{start + rows * stride}].reshape({rows}, {stride})[:, :{n}]"
    if where[0] == "strided":
        _, start, rows, stride = where
        return f"{name}[{start}:{start + (rows - 1) * stride + 1}:{stride}]"
    return f"{name}[{where[0]}:{where[1]}]"


def _aligned(text: str, have: tuple[str, ...], out: tuple[str, ...]) -> str:
    if list(out[len(out) - len(have) :]) == list(have):  # numpy lines up trailing axes by itself
        return text
    return f"{text}[{', '.join(':' if a in have else 'None' for a in out)}]"


def sigmoid(xp: Any, x: Any) -> Any:
    """``forwards.sigmoid`` on arrays: ``1 / (1 + e^-x)`` above 0, ``e^x / (1 + e^x)`` below."""
    e = xp.exp(-xp.abs(x))
    return xp.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def softplus(xp: Any, x: Any) -> Any:
    """``forwards.softplus`` on arrays: ``max(x, 0) + log1p(e^-|x|)``."""
    return xp.maximum(x, 0.0) + xp.log1p(xp.exp(-xp.abs(x)))


def each(fn: Any, *args: Any) -> np.ndarray:
    """``fn`` (a forward on floats) applied to each example's numbers."""
    return np.asarray(np.frompyfunc(fn, len(args), 1)(*args), dtype=float)  # a number alone gives a float


def each_rule(rule: Any, *args: Any) -> Any:
    """A rule's local derivatives, computed for each example: one array per input."""
    shape = np.broadcast_shapes(*(np.shape(a) for a in args))
    rows = [rule(*numbers) for numbers in zip(*(np.broadcast_to(a, shape).ravel().tolist() for a in args))]
    return tuple(np.array([float(d) for d in column]).reshape(shape) for column in zip(*rows))


def finite(xp: Any, *arrays: Any) -> Any:
    """Whether every number of ``arrays`` is finite, told by their total (a nan or an infinity makes it
    one; so does a sum of finite numbers beyond a float's range: then the engine just gives its numbers).
    One total is cheaper under ``jax.jit`` than a test per array (0.04 against 0.07 ms on the MLP step)."""
    return xp.isfinite(sum(xp.sum(a) for a in arrays))


def place(xp: Any, term: Any, lane: int, shape: tuple[int, ...]) -> Any:
    """An array of zeros with ``term`` in row ``lane``: one lane's part of a layer's gradient."""
    zeros = xp.zeros(shape)
    if hasattr(zeros, "at"):
        return zeros.at[lane].set(term)
    zeros[lane] = term
    return zeros


def write(plan: Any) -> tuple[str, dict[str, Any]]:
    """The source of the compiled function on arrays, and the objects it uses by name."""
    jax, ir = plan.backend == "jax", plan.ir
    code = ArrayCode(plan, "jnp" if jax else "np")
    if jax:
        try:
            import jax.numpy as jnp
        except ImportError:
            raise ImportError(
                f"compile {plan.name}: backend='jax' needs jax, which is not installed: pip install -e \".[jax]\" (or use backend='numpy')"
            ) from None
        code.namespace["jnp"] = jnp
    body: list[str] = []
    grads = [e.ins for e in ir.eqns if e.op == "grad"]
    for a, var, name, d in zip(plan.args, plan.inputs, plan.batch_names, plan.grad_names):
        code.values[var], code.grads[var] = name, d
        terms = [g for g in grads if g[0] is var]
        if a.wrt and len(terms) == 1 and terms[0][1] is None and set(var.axes) <= set(getattr(terms[0][2], "axes", ())):
            code.assign.add(var)  # one term, all of it, on every axis: dw = dz @ X.T
        elif a.wrt:
            body.append(f"{d} = {code.xp}.zeros({len(a.leaves)})" if not a.scalar else f"{d} = 0.0")
    (root, penalty_root), r = plan.roots, plan.regions
    body += ["# forward, all examples at once"] + code.lines(ir.eqns[: r[0]])
    body += ["# backward"] + code.lines(ir.eqns[r[0] : r[1]])
    value = code.code(root)
    total = (
        f"{value}.sum()" if isinstance(root, Var) and "m" in root.axes else f"({value}) * _m"
    )  # summed over the examples
    total = {"mean": f"{total} / _m", "sum": total}.get(plan.reduce, f"{code.xp}.broadcast_to({value}, (_m,))")
    if plan.penalty is not None:
        body += ["# the penalty"] + code.lines(ir.eqns[r[1] : r[3]])
        total += f" + {code.code(penalty_root)}"
    wrt = [code.grads[var] for a, var in zip(plan.args, plan.inputs) if a.wrt]
    about = f", {'JAX' if jax else 'numpy'}: the examples along the last axis of each array."
    if jax:  # XLA has no floating-point errors (and drops what nothing reads): a forward value that is
        # not finite makes J nan, so the call goes to the engine, which raises its error or gives its numbers
        forward = ir.eqns[: r[0]] + (ir.eqns[r[1] : r[2]] if plan.penalty is not None else [])
        total = f"jnp.where(_finite(jnp, {', '.join(code.code(e.out) for e in forward)}), {total}, jnp.nan)"
    return function(plan, body + [f"J = {total}"], "J", wrt, about), code.namespace


def jit(fn: Any, plan: Any) -> Any:
    """``fn`` under ``jax.jit`` (``_m`` static), its results as numpy arrays."""
    import jax

    jitted = jax.jit(fn, static_argnums=(len(plan.args) + bool(plan.live),))

    def run(*args: Any) -> Any:
        value, grads = jitted(*args)
        return np.asarray(value), [np.asarray(g) for g in grads]

    return run


def with_errors(fn: Any) -> Any:
    """``fn`` with numpy's floating-point warnings as errors: the call then goes to the engine, which names the op."""

    def run(*args: Any) -> Any:
        with np.errstate(**ERRORS):  # type: ignore[arg-type]
            return fn(*args)

    return run
