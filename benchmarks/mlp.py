"""One training step of MLP(2, [16, 16, 1]) on 100 moons, timed side by side with its peers in one run.

The step is micrograd's demo recipe: mean hinge loss over all 100 examples + 1e-4 * L2 of the
parameters, backward, one SGD update. The versions:

- micrograd 0.1.0 (``pip install -e ".[benchmark]"`` in the repository's folder; skipped if missing),
- chainrule's engine with ``nn.MLP``, starting from micrograd's exact weights,
- chainrule compiled (``autograd.compile``): the same ``nn.MLP`` traced once, the step generated
  as Python that loops over the examples (``backend="python"``), as numpy on arrays of all the
  examples (``"numpy"``, a layer as one matrix product) and as ``jax.jit`` code (``"jax"``),
- plain Python floats and loops, with gradients derived by hand (``mlp_by_hand.py``),
- numpy, batched over the examples, written by hand, for scale (``mlp_by_hand.py``),
- the peers (``peers.py``, each skipped with the reason if it cannot be imported): JAX,
  ``jax.jit`` of ``value_and_grad`` with the update, and PyTorch eager with ``torch.optim.SGD``,
  both in float64 on the CPU.

All start from the same weights, and each timed step starts from them again (the weights are put
back before each step, untimed): how many hinges are active decides how much work the backward
pass does, so a version timed while it trains would do less. The script checks that the
versions compute the same loss (to 1e-9) and the same updated parameters before it prints any
timing. Then the versions take turns, round by round, and it prints the best and the median of
each; the ratios of issue 18's targets are medians. Run it on one thread, as the targets are set:

    OMP_NUM_THREADS=1 python benchmarks/mlp.py [--repeats N]

(``peers.py`` keeps JAX and torch on one thread itself.)
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from typing import Any

import numpy as np
from mlp_by_hand import ALPHA, LR, SIZES, numpy_flat, numpy_layers, numpy_step, plain_step
from peers import Peer, jax_mlp, load_jax, load_torch, torch_mlp
from timing import one_thread_note, timings

import nn
from autograd import compile
from nn.losses import hinge, l2, mean

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


def compiled_array_step(step: Any, flat: np.ndarray, X: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """The same on arrays (backends numpy and JAX): the parameters one array, updated in one line."""
    loss, grads = step(flat, X, y)
    return loss, flat - LR * grads


def peers(start: list[float], X: np.ndarray, y: np.ndarray) -> dict[str, Peer]:
    """The JAX and torch steps from ``start`` on ``X`` (2, m) and ``y`` (1, m); a missing one is skipped, saying so."""
    found = {}
    jax, why = load_jax()
    if jax is None:
        print(why)
    else:
        found["JAX jit"] = jax_mlp(jax, start, X, y)
    torch, why = load_torch()
    if torch is None:
        print(why)
    else:
        found["torch eager"] = torch_mlp(torch, start, X, y)
    return found


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
        default=101,
        help="rounds: time each version this many times, keep the best and the median (micrograd a tenth as often)",
    )
    args = parser.parse_args(argv)
    if note := one_thread_note():
        print(note)

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
    X_rows, y_row, y_array = X_np.T.copy(), np.array([y]), np.array(y)
    layers = numpy_layers(start)
    numpy_loss = numpy_step(layers, X_rows, y_row)
    engine_grads = [p.grad for p in model.parameters()]
    compile_times = []
    for _ in range(max(3, min(args.repeats, 15))):
        began = time.perf_counter()
        compiled = compile_step(model, X[0], y[0])
        compile_times.append(1e3 * (time.perf_counter() - began))
    compiled_numpy = compile_step(model, X[0], y[0], backend="numpy")
    start_array = np.array(start)
    checks = {
        "plain floats": (plain, plain_after),
        "numpy": (numpy_loss, numpy_flat(layers)),
        "compiled": compiled_step(compiled, start, X, y),
        "compiled, numpy": compiled_array_step(compiled_numpy, start_array, X_rows, y_array),
    }
    the_peers = peers(start, X_rows, y_row)
    compiled_jax = None
    if "JAX jit" in the_peers:
        compiled_jax = compile_step(model, X[0], y[0], backend="jax")
        checks["compiled, JAX"] = compiled_array_step(compiled_jax, start_array, X_rows, y_array)
    for name, peer in the_peers.items():
        peer.reset()
        checks[name] = peer.result(peer.step())
    if MicroMLP is not None:
        micro_loss = micrograd_step(micro, MicroValue, X, y)
        checks["micrograd"] = (micro_loss, [float(p.data) for p in micro.parameters()])
    print(f"loss at the shared start: chainrule {ours:.15f}")
    ok = True
    for name, (loss, after) in checks.items():
        loss_gap = abs(loss - ours)
        param_gap = max(abs(a - b) for a, b in zip(list(after), ours_after))
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
        f"best {min(compile_times):.1f} ms, median {statistics.median(compile_times):.1f} ms of {len(compile_times)} "
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
        "numpy": (fresh_layers, lambda: numpy_step(timed_layers, X_rows, y_row)),
        "compiled": (reset, lambda: compiled_step(compiled, start, X, y)),
        "compiled, numpy": (reset, lambda: compiled_array_step(compiled_numpy, start_array, X_rows, y_array)),
    }
    if compiled_jax is not None:
        variants["compiled, JAX"] = (reset, lambda: compiled_array_step(compiled_jax, start_array, X_rows, y_array))
    variants.update((name, (peer.reset, peer.step)) for name, peer in the_peers.items())
    measured = timings(variants, args.repeats)
    micro_rounds = max(3, args.repeats // 10)
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
    medians = {name: median for name, (_, median) in measured.items()}
    print(
        f"\nms per training step from the start weights ({active} of {len(X)} hinges active), "
        f"best and median of {args.repeats} interleaved rounds (micrograd: {micro_rounds}, after the others):"
    )
    for name, (best, median) in sorted(measured.items(), key=lambda kv: kv[1][1]):
        print(
            f"  {name:<15} best {best:9.3f} ms  median {median:9.3f} ms   {median / medians['chainrule']:9.3g} x chainrule's median"
        )
    print("\nratios of medians (of bests in brackets):")

    def ratio(a: str, b: str) -> tuple[float, str]:
        value = medians[a] / medians[b]
        return value, f"{a} / {b} = {value:.3g}x ({times[a] / times[b]:.3g}x)"

    if "micrograd" in times:
        value = times["micrograd"] / times["chainrule"]
        print(
            f"  chainrule is {value:.1f}x faster than micrograd, best against best "
            f"({medians['micrograd'] / medians['chainrule']:.1f}x median against median, garbage collection included) "
            f"(target: >= 50x: {verdict(value >= 50)})"
        )
    value, text = ratio("chainrule", "plain floats")
    print(f"  {text} (target: <= 3x: {verdict(value <= 3)})")
    value, text = ratio("compiled", "plain floats")
    print(f"  {text} (issue 18's target: <= 0.45x: {verdict(value <= 0.45)})")
    if "JAX jit" in medians:
        value, text = ratio("compiled, numpy", "JAX jit")
        print(f"  {text} (issue 18's target: <= 1.5x: {verdict(value <= 1.5)})")
        print(f"  {ratio('compiled, JAX', 'JAX jit')[1]}")
    if "torch eager" in medians:
        value, text = ratio("compiled, numpy", "torch eager")
        print(f"  {text} (issue 18's target: faster than torch eager, < 1x: {verdict(value < 1)})")
    print(f"  {ratio('compiled, numpy', 'numpy')[1]} (the hand-written numpy)")
    print(f"  numpy is {medians['chainrule'] / medians['numpy']:.0f}x faster than chainrule")
    return 0


if __name__ == "__main__":
    sys.exit(main())
