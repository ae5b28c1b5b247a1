"""One training step of MLP(2, [16, 16, 1]) on 100 moons, six ways, timed in one run.

The step is micrograd's demo recipe: mean hinge loss over all 100 examples + 1e-4 * L2 of the
parameters, backward, one SGD update. The six versions:

- micrograd 0.1.0 (``pip install -e ".[benchmark]"`` in the repository's folder; skipped if missing),
- chainrule's engine with ``nn.MLP``, starting from micrograd's exact weights,
- chainrule compiled (``autograd.compile``): the same ``nn.MLP`` traced once, the step generated
  as Python that loops over the examples, and the same generated lines on numpy arrays,
- plain Python floats and loops, with gradients derived by hand (``mlp_by_hand.py``),
- numpy, batched over the examples, written by hand, for scale (``mlp_by_hand.py``).

All start from the same weights, and each timed step starts from them again (the weights are put
back before each step, untimed): how many hinges are active decides how much work the backward
pass does, so a version timed while it trains would do less. The script checks that the
versions compute the same loss (to 1e-9) and the same updated parameters before it prints any
timing.

    python benchmarks/mlp.py [--repeats N]
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from mlp_by_hand import ALPHA, LR, SIZES, numpy_flat, numpy_layers, numpy_step, plain_step

import nn
from autograd import compile
from nn.losses import hinge, l2, mean


def timings(
    variants: dict[str, tuple[Callable[[], Any], Callable[[], Any]]], rounds: int, collect_each: bool = True
) -> dict[str, tuple[float, float]]:
    """The fastest and the median of ``rounds`` runs of each ``(setup, step)``, in ms.

    ``setup`` runs before each timed ``step`` and is not timed: it puts the weights back to the
    start, so every version times the same step (how many hinges are active changes the work).
    The versions take turns, round by round, so a busy moment of the machine is shared among
    them, and garbage is collected before each step, so none pays for another's. With
    ``collect_each=False`` it is collected once, before the first round: then each step also pays
    for collecting the reference cycles of the step before, as in a training loop (micrograd's
    closures make cycles that only the cycle collector frees; chainrule's graphs have none). The
    best is the least disturbed; the median shows the typical step.
    """
    times: dict[str, list[float]] = {name: [] for name in variants}
    gc.collect()
    for _ in range(rounds):
        for name, (setup, step) in variants.items():
            setup()
            if collect_each:
                gc.collect()
            start = time.perf_counter()
            step()
            times[name].append(1e3 * (time.perf_counter() - start))
    return {name: (min(t), statistics.median(t)) for name, t in times.items()}


# --- chainrule -------------------------------------------------------------------------------


def chainrule_step(model: nn.MLP, opt: nn.optim.SGD, X: list[list[float]], y: list[float]) -> float:
    scores = [model(x) for x in X]
    loss = mean([hinge(s, t) for s, t in zip(scores, y)]) + ALPHA * l2(opt.params)
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.data


# --- chainrule, compiled ---------------------------------------------------------------------


def compile_step(model: nn.MLP, x: list[float], t: float, backend: str = "python") -> Any:
    """The step's J and gradients, compiled from one example; ``model(x)`` uses the Parameters
    passed as the first argument (they are the model's own), the other arguments are per example."""
    return compile(
        lambda params, x, t: hinge(model(x), t), model.parameters(), x, t,
        wrt=0, per_example=(1, 2), penalty=lambda params: ALPHA * l2(params), backend=backend,
    )  # fmt: skip


def compiled_step(step: Any, flat: list[float], X: Any, y: Any) -> tuple[float, list[float]]:
    """The loss at ``flat`` and the parameters after one SGD step (the engine's update, p - lr * g)."""
    loss, grads = step(flat, X, y)
    return loss, [p - LR * g for p, g in zip(flat, grads)]


# --- micrograd -------------------------------------------------------------------------------


def micrograd_step(model: Any, value: Any, X: list[list[float]], y: list[float]) -> float:
    inputs = [[value(v) for v in x] for x in X]
    scores = [model(x) for x in inputs]
    losses = [(1 + -t * s).relu() for t, s in zip(y, scores)]
    loss = sum(losses) * (1.0 / len(losses)) + ALPHA * sum(p * p for p in model.parameters())
    model.zero_grad()
    loss.backward()
    for p in model.parameters():
        p.data -= LR * p.grad
    return loss.data


def verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--repeats",
        type=int,
        default=15,
        help="time each version this many times, keep the best (micrograd a third as often)",
    )
    args = parser.parse_args(argv)

    X_np, y01 = nn.datasets.make_moons(100, noise=0.1, seed=1)
    X = X_np.tolist()
    y = (2.0 * y01 - 1.0).tolist()

    try:
        from micrograd.engine import Value as MicroValue
        from micrograd.nn import MLP as MicroMLP
    except ImportError:
        MicroMLP = None
        print(
            'micrograd is not installed (run pip install -e ".[benchmark]" in the chainrule folder); using our own random weights'
        )

    if MicroMLP is not None:
        random.seed(1337)
        micro = MicroMLP(2, SIZES[1:])
        start = [float(p.data) for p in micro.parameters()]
    else:
        start = nn.MLP(2, SIZES[1:], seed=1337).parameters()
        start = [p.data for p in start]

    model = nn.MLP(2, SIZES[1:])
    names = [name for name, _ in model.named_parameters()]
    model.load_state_dict(dict(zip(names, start)))
    opt = nn.optim.SGD(model.parameters(), lr=LR)
    print(f"model: {model}; data: 100 moons; one step = forward, mean hinge + {ALPHA:g}*L2, backward, SGD")

    # Correctness first: one step from the same weights, all versions.
    ours = chainrule_step(model, opt, X, y)
    ours_after = [p.data for p in model.parameters()]
    plain, plain_after = plain_step(start, X, y)
    layers = numpy_layers(start)
    numpy_loss = numpy_step(layers, X_np.T, np.array([y]))
    engine_grads = [p.grad for p in model.parameters()]
    compile_times = []
    for _ in range(args.repeats):
        began = time.perf_counter()
        compiled = compile_step(model, X[0], y[0])
        compile_times.append(1e3 * (time.perf_counter() - began))
    compiled_numpy = compile_step(model, X[0], y[0], backend="numpy")
    X_rows, y_array = X_np.T.copy(), np.array(y)
    checks = {
        "plain floats": (plain, plain_after),
        "numpy": (numpy_loss, numpy_flat(layers)),
        "compiled": compiled_step(compiled, start, X, y),
        "compiled, numpy": compiled_step(compiled_numpy, start, X_rows, y_array),
    }
    if MicroMLP is not None:
        micro_loss = micrograd_step(micro, MicroValue, X, y)
        checks["micrograd"] = (micro_loss, [float(p.data) for p in micro.parameters()])
    print(f"loss at the shared start: chainrule {ours:.15f}")
    ok = True
    for name, (loss, after) in checks.items():
        loss_gap = abs(loss - ours)
        param_gap = max(abs(a - b) for a, b in zip(after, ours_after))
        agree = loss_gap <= 1e-9 and param_gap <= 1e-9
        ok = ok and agree
        print(
            f"  {name:<15} {loss:.15f}  |loss diff| {loss_gap:.1e}  max |param diff| after the step {param_gap:.1e}  {'OK' if agree else 'MISMATCH'}"
        )
    if not ok:
        print("the versions disagree: timings would compare different computations")
        return 1
    compiled_grads = compiled(start, X, y)[1]
    same = sum(a == b for a, b in zip(compiled_grads, engine_grads))
    worst = max(abs(a - b) / abs(b) if b else abs(a) for a, b in zip(compiled_grads, engine_grads))
    print(
        f"compiled gradients: {same} of {len(engine_grads)} equal to the engine's, largest relative difference {worst:.1e} "
        f"(target: <= 1e-15: {verdict(worst <= 1e-15)})"
    )
    print(
        f"compiling the step (trace, write, Python's compile): {compile_times[0]:.1f} ms the first time in this process, "
        f"best {min(compile_times):.1f} ms, median {statistics.median(compile_times):.1f} ms of {args.repeats} "
        f"(target: <= 50 ms: {verdict(min(compile_times) <= 50)})"
    )

    # Timings: every version steps from the same start weights, put back before each step.
    def reset() -> None:
        model.load_state_dict(dict(zip(names, start)))
        if MicroMLP is not None:
            for p, v in zip(micro.parameters(), start):
                p.data = v

    timed_layers: list[list[np.ndarray]] = []

    def fresh_layers() -> None:
        timed_layers[:] = numpy_layers(start)

    variants = {
        "chainrule": (reset, lambda: chainrule_step(model, opt, X, y)),
        "plain floats": (reset, lambda: plain_step(start, X, y)),
        "numpy": (fresh_layers, lambda: numpy_step(timed_layers, X_np.T, np.array([y]))),
        "compiled": (reset, lambda: compiled_step(compiled, start, X, y)),
        "compiled, numpy": (reset, lambda: compiled_step(compiled_numpy, start, X_rows, y_array)),
    }
    measured = timings(variants, args.repeats)
    micro_rounds = max(3, args.repeats // 3)
    if MicroMLP is not None:
        measured.update(
            timings(
                {"micrograd": (reset, lambda: micrograd_step(micro, MicroValue, X, y))},
                micro_rounds,
                collect_each=False,
            )
        )
    reset()
    active = sum(1 for x, t in zip(X, y) if 1.0 - t * model(x).data > 0.0)
    times = {name: best for name, (best, _) in measured.items()}
    print(
        f"\nms per training step from the start weights ({active} of {len(X)} hinges active), best and median of {args.repeats} rounds (micrograd: {micro_rounds}):"
    )
    for name, (best, median) in sorted(measured.items(), key=lambda kv: kv[1]):
        print(
            f"  {name:<15} best {best:9.3f} ms  median {median:9.3f} ms   {best / times['chainrule']:9.3g} x chainrule's best"
        )
    if "micrograd" in times:
        medians = {name: median for name, (_, median) in measured.items()}
        print(
            f"\nchainrule is {times['micrograd'] / times['chainrule']:.1f}x faster than micrograd, best against best "
            f"({medians['micrograd'] / medians['chainrule']:.1f}x median against median, garbage collection included) "
            f"(target: >= 50x: {verdict(times['micrograd'] / times['chainrule'] >= 50)})"
        )
    plain, floats = times["chainrule"] / times["plain floats"], times["plain floats"]
    print(f"chainrule takes {plain:.2f}x the plain-float loops (target: <= 3x: {verdict(plain <= 3)})")
    ratio = times["compiled"] / floats
    print(
        f"compiled takes {ratio:.2f}x the plain-float loops (target: <= 0.5x: {verdict(ratio <= 0.5)}), {times['chainrule'] / times['compiled']:.1f}x faster than chainrule"
    )
    if "micrograd" in times:
        print(f"compiled is {times['micrograd'] / times['compiled']:.0f}x faster than micrograd")
    print(
        f"compiled on numpy takes {times['compiled, numpy'] / floats:.3f}x the plain-float loops and "
        f"{times['compiled, numpy'] / times['numpy']:.1f}x the hand-written numpy"
    )
    print(f"numpy is {times['chainrule'] / times['numpy']:.0f}x faster than chainrule")
    return 0


if __name__ == "__main__":
    sys.exit(main())
