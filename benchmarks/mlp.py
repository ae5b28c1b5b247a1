"""One training step of MLP(2, [16, 16, 1]) on 100 moons, four ways, timed in one run.

The step is micrograd's demo recipe: mean hinge loss over all 100 examples + 1e-4 * L2 of the
parameters, backward, one SGD update. The four versions:

- micrograd 0.1.0 (``pip install ".[benchmark]"`` in the repository's folder; skipped if missing),
- chainrule's engine with ``nn.MLP``, starting from micrograd's exact weights,
- plain Python floats and loops, with gradients derived by hand (written below),
- numpy, batched over the examples, for scale.

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

import nn
from nn.losses import hinge, l2, mean

SIZES = [2, 16, 16, 1]
ALPHA = 1e-4
LR = 0.5


def timings(variants: dict[str, tuple[Callable[[], Any], Callable[[], Any]]], rounds: int) -> dict[str, tuple[float, float]]:
    """The fastest and the median of ``rounds`` runs of each ``(setup, step)``, in ms.

    ``setup`` runs before each timed ``step`` and is not timed: it puts the weights back to the
    start, so every version times the same step (how many hinges are active changes the work).
    The versions take turns, round by round, so a busy moment of the machine is shared among
    them. The best is the least disturbed; the median shows the typical step, garbage collection
    included (micrograd's closures make reference cycles that only the cycle collector frees).
    """
    times: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(rounds):
        for name, (setup, step) in variants.items():
            setup()
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


# --- plain floats, gradients by hand ---------------------------------------------------------


def unpack(flat: list[float]) -> list[tuple[list[list[float]], list[float]]]:
    """Split a flat parameter list (layer by layer, neuron by neuron, weights then bias) into (W, b) per layer."""
    layers, i = [], 0
    for nin, nout in zip(SIZES, SIZES[1:]):
        W, b = [], []
        for _ in range(nout):
            W.append(flat[i : i + nin])
            b.append(flat[i + nin])
            i += nin + 1
        layers.append((W, b))
    return layers


def plain_step(flat: list[float], X: list[list[float]], y: list[float]) -> tuple[float, list[float]]:
    """The loss at ``flat`` and the parameters after one SGD step, with hand-derived gradients."""
    (W1, b1), (W2, b2), (W3, b3) = unpack(flat)
    dW1 = [[0.0] * len(row) for row in W1]
    dW2 = [[0.0] * len(row) for row in W2]
    dW3 = [[0.0] * len(row) for row in W3]
    db1, db2, db3 = [0.0] * len(b1), [0.0] * len(b2), [0.0] * len(b3)
    m = len(X)
    data_loss = 0.0
    w3, out_b = W3[0], b3[0]
    for x, t in zip(X, y):
        h1 = [max(sum(w * v for w, v in zip(row, x)) + bj, 0.0) for row, bj in zip(W1, b1)]
        h2 = [max(sum(w * v for w, v in zip(row, h1)) + bj, 0.0) for row, bj in zip(W2, b2)]
        score = sum(w * v for w, v in zip(w3, h2)) + out_b
        margin = 1.0 - t * score
        if margin <= 0.0:
            continue  # hinge is flat here: this example sends no gradient back
        data_loss += margin
        d_score = -t / m  # ∂(margin/m)/∂score
        db3[0] += d_score
        d_h2 = []
        for k, h in enumerate(h2):
            dW3[0][k] += d_score * h
            d_h2.append(d_score * w3[k] if h > 0.0 else 0.0)  # relu passes gradient only where active
        d_h1 = [0.0] * len(h1)
        for j, g in enumerate(d_h2):
            if g == 0.0:
                continue
            db2[j] += g
            row, d_row = W2[j], dW2[j]
            for k, h in enumerate(h1):
                d_row[k] += g * h
                d_h1[k] += g * row[k]
        for j, g in enumerate(d_h1):
            if g == 0.0 or h1[j] <= 0.0:
                continue
            db1[j] += g
            d_row = dW1[j]
            for k, v in enumerate(x):
                d_row[k] += g * v
    loss = data_loss / m + ALPHA * sum(p * p for p in flat)
    grads = []
    for (dW, db) in ((dW1, db1), (dW2, db2), (dW3, db3)):
        for d_row, d_b in zip(dW, db):
            grads.extend(d_row)
            grads.append(d_b)
    updated = [p - LR * (g + 2.0 * ALPHA * p) for p, g in zip(flat, grads)]
    return loss, updated


# --- numpy -----------------------------------------------------------------------------------


def numpy_step(layers: list[list[np.ndarray]], X: np.ndarray, y: np.ndarray) -> float:
    """Batched over the examples: ``X`` of shape (2, m), ``y`` of shape (1, m); updates ``layers`` in place."""
    (W1, b1), (W2, b2), (W3, b3) = layers
    m = X.shape[1]
    Z1 = W1 @ X + b1
    A1 = np.maximum(Z1, 0.0)
    Z2 = W2 @ A1 + b2
    A2 = np.maximum(Z2, 0.0)
    S = W3 @ A2 + b3
    margin = 1.0 - y * S
    loss = float(np.sum(np.maximum(margin, 0.0)) / m + ALPHA * sum(np.sum(p * p) for layer in layers for p in layer))
    dS = np.where(margin > 0.0, -y / m, 0.0)
    dZ2 = (W3.T @ dS) * (Z2 > 0.0)
    dZ1 = (W2.T @ dZ2) * (Z1 > 0.0)
    grads = [(dS @ A2.T, dS.sum(1, keepdims=True)), (dZ2 @ A1.T, dZ2.sum(1, keepdims=True)), (dZ1 @ X.T, dZ1.sum(1, keepdims=True))]
    for layer, (dW, db) in zip(layers, reversed(grads)):
        layer[0] -= LR * (dW + 2.0 * ALPHA * layer[0])
        layer[1] -= LR * (db + 2.0 * ALPHA * layer[1])
    return loss


def numpy_layers(flat: list[float]) -> list[list[np.ndarray]]:
    return [[np.array(W), np.array(b).reshape(-1, 1)] for W, b in unpack(flat)]


def numpy_flat(layers: list[list[np.ndarray]]) -> list[float]:
    flat: list[float] = []
    for W, b in layers:
        for row, bj in zip(W.tolist(), b[:, 0].tolist()):
            flat.extend(row)
            flat.append(bj)
    return flat


def verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=15, help="time each version this many times, keep the best (micrograd a third as often)")
    args = parser.parse_args(argv)

    X_np, y01 = nn.datasets.make_moons(100, noise=0.1, seed=1)
    X = X_np.tolist()
    y = (2.0 * y01 - 1.0).tolist()

    try:
        from micrograd.engine import Value as MicroValue
        from micrograd.nn import MLP as MicroMLP
    except ImportError:
        MicroMLP = None
        print('micrograd is not installed (run pip install ".[benchmark]" in the chainrule folder); using our own random weights')

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
    checks = {"plain floats": (plain, plain_after), "numpy": (numpy_loss, numpy_flat(layers))}
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
        print(f"  {name:<13} {loss:.15f}  |loss diff| {loss_gap:.1e}  max |param diff| after the step {param_gap:.1e}  {'OK' if agree else 'MISMATCH'}")
    if not ok:
        print("the versions disagree: timings would compare different computations")
        return 1

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
    }
    measured = timings(variants, args.repeats)
    micro_rounds = max(3, args.repeats // 3)
    if MicroMLP is not None:
        measured.update(timings({"micrograd": (reset, lambda: micrograd_step(micro, MicroValue, X, y))}, micro_rounds))
    reset()
    active = sum(1 for x, t in zip(X, y) if 1.0 - t * model(x).data > 0.0)
    times = {name: best for name, (best, _) in measured.items()}
    print(f"\nms per training step from the start weights ({active} of {len(X)} hinges active), best and median of {args.repeats} rounds (micrograd: {micro_rounds}):")
    for name, (best, median) in sorted(measured.items(), key=lambda kv: kv[1]):
        print(f"  {name:<13} best {best:9.3f} ms  median {median:9.3f} ms   {best / times['chainrule']:9.3g} x chainrule's best")
    if "micrograd" in times:
        medians = {name: median for name, (_, median) in measured.items()}
        print(
            f"\nchainrule is {times['micrograd'] / times['chainrule']:.1f}x faster than micrograd, best against best "
            f"({medians['micrograd'] / medians['chainrule']:.1f}x median against median, garbage collection included) "
            f"(target: >= 50x: {verdict(times['micrograd'] / times['chainrule'] >= 50)})"
        )
    plain = times["chainrule"] / times["plain floats"]
    print(f"chainrule takes {plain:.2f}x the plain-float loops (target: <= 3x: {verdict(plain <= 3)})")
    print(f"numpy is {times['chainrule'] / times['numpy']:.0f}x faster than chainrule")
    return 0


if __name__ == "__main__":
    sys.exit(main())
