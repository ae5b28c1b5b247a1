"""The course's week-4 network compiled: MLP(12288, [20, 7, 5, 1]) on 209 pictures, against numpy by hand.

The network of the course's "deep neural network, application" (relu hidden layers, a linear
output read as a logit), its loss ``nn.losses.bce_with_logits(model(x), y)`` per example, the
mean over the examples, one gradient-descent step:

- compiled (``autograd.compile(..., backend="numpy")``): one example traced, a layer written as one
  matrix product over all the examples; and with ``backend="jax"`` when JAX can be imported,
- an L-layer step written by hand in numpy, as the course writes it (``Z = W @ A_prev + b``,
  ``dW = dZ @ A_prev.T / m``, ``db = dZ.sum(axis=1) / m``, ``dA_prev = W.T @ dZ``).

The data are ``nn.datasets.make_images(m=209, n_x=12288, seed=0)``; the weights are small
(``init="small"``, N(0, 0.01²)), so the first cost is near log 2 = 0.69. The script checks that the
versions give the same loss and gradients (1e-10 relative, layer by layer), then times compiling
(issue 18's target: at most 1 s) and the step side by side, interleaved round by round, median of
many (target: compiled at most 2x the hand-written step). Run it on one thread:

    OMP_NUM_THREADS=1 python benchmarks/deep.py [--n-x N] [--m M] [--rounds N] [--compiles N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from typing import Any

import numpy as np
from peers import load_jax
from timing import nothing, one_thread_note, timings

import nn
from autograd import compile
from nn.losses import bce_with_logits

WIDTHS = [20, 7, 5, 1]
LEARNING_RATE = 0.0075  # the course's week 4
TOLERANCE = 1e-10

Layers = list[tuple[np.ndarray, np.ndarray]]


# --- by hand: the course's L-layer model in numpy -------------------------------------------


def numpy_step(layers: Layers, X: np.ndarray, Y: np.ndarray) -> tuple[float, Layers, Layers]:
    """The cost, the gradients ``(dW, db)`` of each layer and the layers after one step (new arrays)."""
    m, L = X.shape[1], len(layers)
    A, caches = X, []
    for i, (W, b) in enumerate(layers):  # the course's layer l is i + 1
        Z = W @ A + b
        caches.append((A, Z))
        A = np.maximum(Z, 0.0) if i < L - 1 else Z  # relu hidden layers, a linear output: the logit
    cost = float(np.mean(np.logaddexp(0.0, A) - A * Y))  # bce_with_logits: softplus(z) - z y
    dZ = 1.0 / (1.0 + np.exp(-A)) - Y  # sigmoid(z) - y
    grads: Layers = []
    for i in reversed(range(L)):
        A_prev, _ = caches[i]
        W = layers[i][0]
        grads.append((dZ @ A_prev.T / m, dZ.sum(axis=1, keepdims=True) / m))
        if i > 0:
            dA_prev = W.T @ dZ
            dZ = dA_prev * (caches[i - 1][1] > 0.0)  # relu passes the gradient where it was active
    grads.reverse()
    updated = [(W - LEARNING_RATE * dW, b - LEARNING_RATE * db) for (W, b), (dW, db) in zip(layers, grads)]
    return cost, grads, updated


def unflatten(flat: np.ndarray, sizes: list[int]) -> Layers:
    """Parameters in ``nn.MLP``'s order (layer by layer, neuron by neuron, weights then bias) as ``(W, b)`` per layer."""
    layers, i = [], 0
    for nin, nout in zip(sizes, sizes[1:]):
        block = flat[i : i + nout * (nin + 1)].reshape(nout, nin + 1)
        layers.append((block[:, :nin].copy(), block[:, nin:].copy()))
        i += nout * (nin + 1)
    return layers


# --- compiled ----------------------------------------------------------------------------------


def compile_step(model: nn.MLP, x: list[float], y: float, backend: str) -> Any:
    """The mean loss over the examples and its gradient by the model's parameters (the first argument)."""
    return compile(
        lambda params, x, y: bce_with_logits(model(x), y), model.parameters(), x, y,
        wrt=0, per_example=(1, 2), backend=backend,
    )  # fmt: skip


def compiled_step(step: Any, flat: np.ndarray, X: np.ndarray, Y: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """The cost, the flat gradient and the parameters after one step."""
    cost, grads = step(flat, X, Y)
    return cost, grads, flat - LEARNING_RATE * grads


def largest_error(grads: np.ndarray, by_hand: Layers, sizes: list[int]) -> float:
    """The largest relative difference (norm of the difference over the norm) among the layers' dW and db."""
    errors = []
    for (dW, db), (hand_dW, hand_db) in zip(unflatten(grads, sizes), by_hand):
        for mine, theirs in ((dW, hand_dW), (db, hand_db)):
            errors.append(float(np.linalg.norm(mine - theirs) / np.linalg.norm(theirs)))
    return max(errors)


def verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n-x", type=int, default=12288)
    parser.add_argument("--m", type=int, default=209)
    parser.add_argument("--rounds", type=int, default=101, help="interleaved rounds of the steps side by side")
    parser.add_argument("--compiles", type=int, default=5, help="compile the numpy step this many times")
    args = parser.parse_args(argv)
    if note := one_thread_note():
        print(note)

    X, Y = nn.datasets.make_images(m=args.m, n_x=args.n_x, seed=0)
    n_x, m = X.shape
    sizes = [n_x, *WIDTHS]
    model = nn.MLP(n_x, WIDTHS, init="small", seed=0)
    flat = np.array([p.data for p in model.parameters()])
    print(f"{model} on {m} examples, X {X.shape}, Y {Y.shape}; one step = mean bce_with_logits, backward, update")

    compile_times = []
    for _ in range(max(1, args.compiles)):
        began = time.perf_counter()
        on_arrays = compile_step(model, X[:, 0].tolist(), float(Y[0, 0]), "numpy")
        compile_times.append(1e3 * (time.perf_counter() - began))
    compiled = {"compiled, numpy": on_arrays}
    jax, why = load_jax()
    if jax is None:
        print(why)
    else:
        compiled["compiled, JAX"] = compile_step(model, X[:, 0].tolist(), float(Y[0, 0]), "jax")

    # Correctness first: the same cost and gradients, layer by layer.
    layers = unflatten(flat, sizes)
    cost, by_hand, _ = numpy_step(layers, X, Y)
    print(f"cost at the start: by hand {cost:.15f}")
    for name, step in compiled.items():
        their_cost, grads, _ = compiled_step(step, flat, X, Y)
        cost_error = abs(their_cost - cost) / abs(cost)
        grad_error = largest_error(grads, by_hand, sizes)
        agree = cost_error <= TOLERANCE and grad_error <= TOLERANCE
        print(
            f"  {name:<16} {their_cost:.15f}  relative difference of the cost {cost_error:.1e}, "
            f"largest of a layer's dW or db {grad_error:.1e}: {'OK' if agree else 'MISMATCH'}"
        )
        if not agree:
            print("the versions disagree: timings would compare different computations")
            return 1
    compile_ms = statistics.median(compile_times)
    print(
        f"compiling (numpy): {compile_times[0]:.0f} ms the first time, median {compile_ms:.0f} ms, best "
        f"{min(compile_times):.0f} ms of {len(compile_times)}, {len(on_arrays.ir.splitlines())} lines of IR, "
        f"{len(on_arrays.source.splitlines())} of source (issue 18's target: <= 1 s: {verdict(compile_ms <= 1000)})"
    )

    variants = {"by hand, numpy": (nothing, lambda: numpy_step(layers, X, Y))}
    for name, step in compiled.items():
        variants[name] = (nothing, lambda step=step: compiled_step(step, flat, X, Y))
    measured = timings(variants, args.rounds)
    print(f"\nms per step, best and median of {args.rounds} interleaved rounds:")
    for name, (best, median) in measured.items():
        print(f"  {name:<16} best {best:8.2f} ms  median {median:8.2f} ms")
    (hand_best, hand_median), (best, median) = measured["by hand, numpy"], measured["compiled, numpy"]
    ratio = median / hand_median
    print(
        f"compiled, numpy / by hand, numpy = {ratio:.2f}x median against median ({best / hand_best:.2f}x best against best) "
        f"(issue 18's target: <= 2x: {verdict(ratio <= 2)})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
