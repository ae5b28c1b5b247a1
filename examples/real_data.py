"""Logistic regression on real data: the Wisconsin breast-cancer set bundled with scikit-learn.

569 tumours, 30 measurements each, labelled benign (1) or malignant (0). The features are
standardized with the training set's mean and standard deviation, a fixed seeded quarter is held
out for testing, and three models are trained on the same split: ``nn.LogisticRegression`` on
the scalar engine, ``nn.vectorized.LogisticRegression`` in numpy, and scikit-learn's
``LogisticRegression`` as the reference. Needs ``pip install -e ".[examples]"``, run in the repository's folder.

    python examples/real_data.py [--out DIR] [--iterations N] [--small] [--progress]
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

import nn
from nn import vectorized

SPLIT_SEED = 0


def plot(costs: list[float], out: str) -> list[str]:
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
    ax.plot(costs)
    ax.set(
        xlabel="iteration", ylabel="training cost J", title="breast cancer: logistic regression on the scalar engine"
    )
    path = os.path.join(out, "real_data_cost.png")
    fig.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(fig)
    return [path]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default="out", help="folder for the picture (default: out)")
    parser.add_argument("--iterations", type=int, default=300, help="gradient-descent iterations (default: 300)")
    parser.add_argument("--learning-rate", type=float, default=0.5, help="(default: 0.5)")
    parser.add_argument("--small", action="store_true", help="a quick run: 20 iterations")
    parser.add_argument("--progress", action="store_true", help="draw a progress bar while the scalar engine trains")
    args = parser.parse_args(argv)
    if args.small:
        args.iterations = 20
    if args.iterations < 1 or not args.learning_rate > 0:
        parser.error("--iterations must be at least 1 and --learning-rate > 0")

    try:
        X, y = nn.datasets.load_breast_cancer()
        from sklearn.linear_model import LogisticRegression as SklearnLogisticRegression
    except ImportError as e:
        print(f"this example needs scikit-learn: {e}")
        return 1

    X_train, X_test, y_train, y_test = nn.datasets.train_test_split(X, y, test_fraction=0.25, seed=SPLIT_SEED)
    X_train, X_test = nn.datasets.standardize(X_train, X_test)
    print(
        f"breast cancer: {len(y_train)} training and {len(y_test)} test examples, {X.shape[1]} features (seed {SPLIT_SEED})"
    )

    # 1. The scalar engine, one example at a time (rows).
    model = nn.LogisticRegression(X.shape[1])
    start = time.perf_counter()
    costs = model.fit(
        X_train, y_train, learning_rate=args.learning_rate, num_iterations=args.iterations, progress=args.progress
    )
    seconds = time.perf_counter() - start
    engine_accuracy = float(np.mean(np.array(model.predict(X_test)) == y_test))
    print(f"\nscalar engine:  {args.iterations} iterations in {seconds:.1f} s, cost {costs[0]:.4f} -> {costs[-1]:.4f}")

    # 2. The same gradient descent vectorized (columns: the course's orientation).
    fast = vectorized.LogisticRegression(learning_rate=args.learning_rate, num_iterations=args.iterations)
    fast.fit(X_train.T, y_train.reshape(1, -1))
    vectorized_accuracy = fast.score(X_test.T, y_test.reshape(1, -1))
    same = np.allclose([p.data for p in model.w], fast.w[:, 0], rtol=1e-9, atol=1e-12)
    print(f"vectorized:     the same weights as the scalar engine: {'yes' if same else 'NO'}")

    # 3. The reference: scikit-learn (L2-regularized, its own solver).
    reference = SklearnLogisticRegression(max_iter=1000).fit(X_train, y_train)
    sklearn_accuracy = float(reference.score(X_test, y_test))

    print("\ntest accuracy on the held-out quarter:")
    print(f"  nn.LogisticRegression (scalar engine)    {engine_accuracy:.1%}")
    print(f"  nn.vectorized.LogisticRegression         {vectorized_accuracy:.1%}")
    print(f"  sklearn.linear_model.LogisticRegression  {sklearn_accuracy:.1%}")
    print(f"  difference, engine - scikit-learn:       {100 * (engine_accuracy - sklearn_accuracy):+.1f} points")

    os.makedirs(args.out, exist_ok=True)
    print(f"\nwriting pictures to {os.path.abspath(args.out)}")
    for path in plot(costs, args.out):
        print(f"  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
