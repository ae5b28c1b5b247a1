"""The same logistic regression three ways, to see why the course vectorizes.

1. A for-loop over the examples on the scalar engine, with a node for every ``w_j * x_j`` and
   every ``+``: the course's explicit loops, differentiated automatically.
2. The scalar engine with fused nodes: ``z = wᵀx + b`` as ONE ``dot`` node per example
   (``nn.LogisticRegression``).
3. Vectorized numpy: ``Z = np.dot(w.T, X) + b`` for all ``m`` examples at once (``nn.vectorized``).

All three compute the gradient of the same cost ``J`` at the same ``w, b``; the script checks that
they agree, times them, then trains with gradient descent and plots the cost curve.

    python examples/logistic_regression.py [--out DIR] [--n-x N] [--m M] [--small] [--progress]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from tqdm.auto import tqdm

import nn
from autograd import Value, softplus
from nn import vectorized


def loops_on_the_engine(w: np.ndarray, b: float, X: np.ndarray, Y: np.ndarray) -> tuple[np.ndarray, float, float]:
    """Way 1: every multiply and add is its own node, as in the course's two nested for-loops."""
    n_x, m = X.shape
    w_values = [Value(float(v)) for v in w[:, 0]]
    b_value = Value(b)
    J: Any = 0.0
    for i in range(m):
        z: Any = b_value
        for j in range(n_x):
            z = z + w_values[j] * float(X[j, i])
        y = float(Y[0, i])
        J = J + (softplus(z) - z * y)  # L(a, y) from the logit z (stable; same as the course's formula)
    J = J / m
    J.backward()
    return np.array([[v.grad] for v in w_values]), b_value.grad, J.data


def fused_on_the_engine(w: np.ndarray, b: float, X: np.ndarray, Y: np.ndarray) -> tuple[np.ndarray, float, float]:
    """Way 2: ``nn.LogisticRegression``, one fused ``dot`` node per example."""
    model = nn.LogisticRegression(X.shape[0])
    model.load_state_dict({**{f"w.{j}": float(v) for j, v in enumerate(w[:, 0])}, "b": b})
    J = model.cost(X.T.tolist(), Y[0].tolist())
    J.backward()
    return np.array([[p.grad] for p in model.w]), model.b.grad, J.data


def numpy_vectorized(w: np.ndarray, b: float, X: np.ndarray, Y: np.ndarray) -> tuple[np.ndarray, float, float]:
    """Way 3: the course's vectorized ``propagate``."""
    grads, J = vectorized.propagate(w, b, X, Y)
    return grads["dw"], grads["db"], J


def best_time(f: Callable[[], Any], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        f()
        best = min(best, time.perf_counter() - start)
    return best


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(b), 1e-300))


def plot(costs: list[float], engine_costs: list[float], out: str, learning_rate: float) -> list[str]:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print(
            'matplotlib is not installed, so the plot is skipped (run pip install -e ".[examples]" in the chainrule folder)'
        )
        return []
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(range(len(costs)), costs, label="vectorized numpy")
    ax.plot(
        range(len(engine_costs)), engine_costs, "o", markersize=4, label="scalar engine (fused dot), first iterations"
    )
    ax.set(xlabel="iteration", ylabel="cost J", title=f"gradient descent, learning rate = {learning_rate}")
    ax.legend()
    path = os.path.join(out, "logistic_regression_cost.png")
    fig.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(fig)
    return [path]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default="out", help="folder for the picture (default: out)")
    parser.add_argument("--n-x", type=int, default=1024, help="features per example (default: 1024, a 32x32 picture)")
    parser.add_argument("--m", type=int, default=209, help="training examples (default: 209, as in the course)")
    parser.add_argument("--iterations", type=int, default=2000, help="gradient-descent iterations (default: 2000)")
    parser.add_argument("--small", action="store_true", help="a quick run: n_x=32, m=40, 200 iterations")
    parser.add_argument("--progress", action="store_true", help="draw a progress bar while gradient descent runs")
    args = parser.parse_args(argv)
    if args.small:
        args.n_x, args.m, args.iterations = 32, 40, 200
    if args.n_x < 1 or args.m < 1 or args.iterations < 1:
        parser.error("--n-x, --m and --iterations must be at least 1")

    X, Y = nn.datasets.make_images(m=args.m, n_x=args.n_x, seed=0)
    n_x, m = X.shape
    rng = np.random.default_rng(1)
    w, b = rng.normal(0.0, 0.01, size=(n_x, 1)), 0.05  # small random w, so the gradients are not trivial
    print(f"logistic regression, n_x = {n_x} features, m = {m} examples (X {X.shape}, Y {Y.shape})")

    ways = [
        ("for-loop, scalar engine", loops_on_the_engine),
        ("fused dot, scalar engine", fused_on_the_engine),
        ("vectorized numpy", numpy_vectorized),
    ]
    results = {name: way(w, b, X, Y) for name, way in ways}
    dw_ref, db_ref, _ = results["vectorized numpy"]
    print("\ngradients at the same w, b (relative error against vectorized numpy):")
    for name, (dw, db, J) in results.items():
        print(
            f"  {name:<26} J = {J:.12f}  dw: {relative_error(dw, dw_ref):.1e}  db: {abs(db - db_ref) / abs(db_ref):.1e}"
        )
    worst = max(relative_error(dw, dw_ref) for dw, _, _ in results.values())
    print(f"  the three agree: {'yes' if worst <= 1e-9 else 'NO'} (largest relative error {worst:.1e})")

    print("\ntime for one gradient computation (best of several runs):")
    times = {
        name: best_time(lambda way=way: way(w, b, X, Y), 2 if "for-loop" in name else 3 if "engine" in name else 20)
        for name, way in ways
    }
    for name, t in times.items():
        print(f"  {name:<26} {t * 1e3:10.3f} ms   {t / times['vectorized numpy']:8.0f}x vectorized")
    print(
        f"  fusing w·x into one node: {times['for-loop, scalar engine'] / times['fused dot, scalar engine']:.1f}x faster than the loop"
    )
    print(
        f"  vectorizing with numpy:   {times['fused dot, scalar engine'] / times['vectorized numpy']:.0f}x faster than fused"
    )

    learning_rate = 0.005
    print(f"\ntraining: {args.iterations} iterations of gradient descent, learning rate {learning_rate}")
    w0, b0 = vectorized.initialize_with_zeros(n_x)
    costs = []
    for _ in tqdm(range(args.iterations), desc="gradient descent", disable=not args.progress):
        grads, J = vectorized.propagate(w0, b0, X, Y)
        costs.append(J)
        w0, b0 = w0 - learning_rate * grads["dw"], b0 - learning_rate * grads["db"]
    accuracy = float(np.mean(vectorized.predict(w0, b0, X) == Y))
    print(f"  vectorized: cost {costs[0]:.4f} -> {costs[-1]:.4f}, training accuracy {accuracy:.1%}")
    engine_iterations = min(args.iterations, 10)
    engine_costs = nn.LogisticRegression(n_x).fit(X.T, Y[0], learning_rate, engine_iterations)
    gap = max(abs(a - c) for a, c in zip(engine_costs, costs))
    print(f"  scalar engine, first {engine_iterations} iterations: same costs to {gap:.1e}")

    os.makedirs(args.out, exist_ok=True)
    print(f"\nwriting pictures to {os.path.abspath(args.out)}")
    for path in plot(costs, engine_costs, args.out, learning_rate):
        print(f"  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
