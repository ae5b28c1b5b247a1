"""Train MLP(2, [16, 16, 1]) on 100 two-moons points to 100% training accuracy, on the scalar engine.

The recipe is micrograd's demo: labels ±1, the max-margin (hinge) loss averaged over all the
examples plus 1e-4 times the sum of the squared parameters, and plain SGD whose learning rate
falls from 1.0 to 0.1 over 100 steps. Then the decision boundary is drawn.

The training step is compiled once (``autograd.compile``): the engine traces the loss of one
example, and each step runs the generated Python over the 100 examples, with the current weights,
giving the engine's numbers bit for bit, many times faster. ``--engine`` trains on the engine
instead, building and walking the whole graph at every step.

    python examples/moons_mlp.py [--out DIR] [--samples N] [--steps N] [--engine] [--progress | --no-progress]
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np
from tqdm.auto import tqdm

import nn
from autograd import compile, no_grad
from nn.losses import hinge, l2, mean

DATA_SEED = 2
MODEL_SEED = 4
ALPHA = 1e-4


def loss_and_accuracy(model: nn.MLP, X: list[list[float]], y: list[float]) -> tuple[object, float]:
    """``J`` = mean hinge loss + ALPHA * L2, and the fraction of points on the right side (on the engine)."""
    scores = [model(x) for x in X]
    J = mean([hinge(s, t) for s, t in zip(scores, y)]) + ALPHA * l2(model.parameters())
    accuracy = sum((s.data > 0) == (t > 0) for s, t in zip(scores, y)) / len(y)
    return J, accuracy


def compiled_step(model: nn.MLP, x: list[float], t: float):  # -> autograd's compiled function
    """``J`` and its gradients over a batch, compiled from one example ``(x, t)``.

    The function's first argument is the model's own parameters: ``model(x)`` uses exactly those
    Values, so tracing sees them as that argument, and each call reads the numbers passed in.
    """
    params = model.parameters()
    return compile(
        lambda params, x, t: hinge(model(x), t),
        params, x, t,
        wrt=0, per_example=(1, 2), reduce="mean", penalty=lambda params: ALPHA * l2(params),
    )  # fmt: skip


def compiled_scores(model: nn.MLP, x: list[float]):  # -> autograd's compiled function
    """Every example's score, forward only (no gradients: ``wrt=()``), for the accuracy."""
    return compile(lambda params, x: model(x), model.parameters(), x, wrt=(), per_example=(1,), reduce=None)


def train(
    model: nn.MLP, X: list[list[float]], y: list[float], steps: int, progress: bool | None = None, engine: bool = False
) -> list[tuple[float, float]]:
    """SGD with the learning rate 1.0 - 0.9 k / steps; returns (loss, accuracy) per step.

    Args:
        progress: show a progress bar (``tqdm.auto``: a widget in Jupyter); None shows one when
            standard error is a terminal or in Jupyter, and otherwise prints a line every 10 steps.
        engine: step on the engine (build the graph, ``backward()``) instead of the compiled step.
    """
    params = model.parameters()
    opt = nn.optim.SGD(params, lr=1.0)
    step, scores = (None, None) if engine else (compiled_step(model, X[0], y[0]), compiled_scores(model, X[0]))
    if progress is None:
        progress = sys.stderr.isatty() or "ipykernel" in sys.modules
    bar = tqdm(range(steps), desc="training", unit="step", disable=not progress)
    history = []
    for k in bar:
        if engine:
            J, accuracy = loss_and_accuracy(model, X, y)
            opt.zero_grad()
            J.backward()
            J = J.data
        else:
            J, grads = step(params, X, y)
            s, _ = scores(params, X)
            accuracy = sum((si > 0) == (t > 0) for si, t in zip(s, y)) / len(y)
            for p, g in zip(params, grads):
                p.grad = g
        opt.lr = 1.0 - 0.9 * k / steps
        opt.step()
        history.append((J, accuracy))
        bar.set_postfix({"loss": f"{J:.4f}", "accuracy": f"{accuracy:.1%}"})
        if not progress and (k % 10 == 0 or k == steps - 1):
            print(f"step {k + 1:3d}/{steps}  loss {J:.4f}  accuracy {accuracy:6.1%}")
    return history


def plot(model: nn.MLP, X: np.ndarray, y01: np.ndarray, history: list[tuple[float, float]], out: str) -> list[str]:
    """Decision boundary and training curves as PNGs in ``out``; [] if matplotlib is missing."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print(
            'matplotlib is not installed, so the plots are skipped (run pip install -e ".[examples]" in the chainrule folder)'
        )
        return []
    h = 0.05
    xs = np.arange(X[:, 0].min() - 1, X[:, 0].max() + 1, h)
    ys = np.arange(X[:, 1].min() - 1, X[:, 1].max() + 1, h)
    grid_x, grid_y = np.meshgrid(xs, ys)
    with no_grad():  # numbers only: no graph is kept for the thousands of grid points
        scores = [model(p).data for p in np.c_[grid_x.ravel(), grid_y.ravel()].tolist()]
    Z = (np.array(scores) > 0).reshape(grid_x.shape)

    fig, ax = plt.subplots(figsize=(6, 5))
    ax.contourf(grid_x, grid_y, Z, cmap=plt.cm.Spectral, alpha=0.8)
    ax.scatter(X[:, 0], X[:, 1], c=y01, s=30, cmap=plt.cm.Spectral, edgecolors="k")
    ax.set_title(f"{model}\ndecision boundary after {len(history)} SGD steps")
    boundary = os.path.join(out, "moons_decision_boundary.png")
    fig.savefig(boundary, dpi=100, bbox_inches="tight")
    plt.close(fig)

    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.5))
    left.plot([J for J, _ in history])
    left.set(xlabel="step", ylabel="loss (hinge + L2)", title="loss")
    right.plot([100 * a for _, a in history])
    right.set(xlabel="step", ylabel="training accuracy (%)", title="accuracy")
    curves = os.path.join(out, "moons_training.png")
    fig.savefig(curves, dpi=100, bbox_inches="tight")
    plt.close(fig)
    return [boundary, curves]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default="out", help="folder for the pictures (default: out)")
    parser.add_argument("--samples", type=int, default=100, help="how many moons points (default: 100)")
    parser.add_argument("--steps", type=int, default=100, help="SGD steps (default: 100)")
    parser.add_argument("--small", action="store_true", help="a quick run: 30 points, 10 steps")
    parser.add_argument(
        "--engine", action="store_true", help="train on the engine instead of the compiled step (same numbers, slower)"
    )
    parser.add_argument(
        "--progress", action=argparse.BooleanOptionalAction, default=None,
        help="a progress bar (default: when standard error is a terminal; otherwise a line every 10 steps)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.small:
        args.samples, args.steps = 30, 10
    if args.samples < 2 or args.steps < 1:
        parser.error("--samples must be at least 2 and --steps at least 1")

    X_np, y01 = nn.datasets.make_moons(args.samples, noise=0.1, seed=DATA_SEED)
    X = X_np.tolist()
    y = (2 * y01 - 1).tolist()  # the hinge loss wants labels ±1
    model = nn.MLP(2, [16, 16, 1], seed=MODEL_SEED)
    print(f"{model} on {args.samples} moons points, {args.steps} SGD steps")

    start = time.perf_counter()
    history = train(model, X, y, args.steps, progress=args.progress, engine=args.engine)
    seconds = time.perf_counter() - start
    _, accuracy = loss_and_accuracy(model, X, y)
    how = "on the engine" if args.engine else "compiled, compiling included"
    print(
        f"trained in {seconds:.2f} s, {how} ({1e3 * seconds / args.steps:.1f} ms per step); final training accuracy {accuracy:.1%}"
    )

    os.makedirs(args.out, exist_ok=True)
    print(f"writing pictures to {os.path.abspath(args.out)}")
    for path in plot(model, X_np, y01, history, args.out):
        print(f"  {path}")
    model_path = os.path.join(args.out, "moons_mlp.json")
    model.save(model_path)
    print(f"  {model_path} (the trained parameters; nn.MLP(2, [16, 16, 1]).load(path) reads them back)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
