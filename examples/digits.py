"""Logistic regression on real pictures, as the course does it: is this handwritten digit an 8?

The course classifies 64x64x3 photographs, flattened to columns of n_x = 12288 numbers. Here the
pictures are scikit-learn's bundled handwritten digits, 8x8 grey pixels (no download), flattened
the same way to n_x = 64 and scaled to [0, 1]. The course's vectorized logistic regression
(``nn.vectorized``) learns "8 or not" on three quarters of them and is tested on the rest; the
pictures it gets wrong are drawn.

    python examples/digits.py [--out DIR] [--iterations N] [--positive DIGIT] [--progress]

Needs ``pip install -e ".[examples]"`` (scikit-learn and matplotlib), run in the repository's folder.
"""

from __future__ import annotations

import argparse
import os
import sys

import numpy as np

import nn
from nn import vectorized


def _a(digit: int) -> str:
    return "an" if digit == 8 else "a"


def flatten(x_orig: np.ndarray) -> np.ndarray:
    """Pictures ``(m, 8, 8)`` as the course's ``X``: one column of 64 pixels per picture, in [0, 1]."""
    return x_orig.reshape(x_orig.shape[0], -1).T / 16.0


def plot_mistakes(x_orig: np.ndarray, y: np.ndarray, predicted: np.ndarray, positive: int, out: str) -> list[str]:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print(
            'matplotlib is not installed, so the plot is skipped (run pip install -e ".[examples]" in the chainrule folder)'
        )
        return []
    wrong = np.flatnonzero(predicted[0] != y[0])[:24]
    if wrong.size == 0:
        print("no test picture is misclassified: nothing to draw")
        return []
    columns = min(8, wrong.size)
    rows = -(-wrong.size // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(1.4 * columns, 1.6 * rows), squeeze=False)
    for ax in axes.ravel():
        ax.axis("off")
    for ax, i in zip(axes.ravel(), wrong):
        ax.imshow(x_orig[i], cmap="gray_r")
        said = f"{_a(positive)} {positive}" if predicted[0, i] else f"not {_a(positive)} {positive}"
        ax.set_title(f"said: {said}", fontsize=8)
    fig.suptitle(f"test pictures the model got wrong ({wrong.size} shown)")
    path = os.path.join(out, "digits_misclassified.png")
    fig.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(fig)
    return [path]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="out", help="folder for the picture (default: out)")
    parser.add_argument("--iterations", type=int, default=2000, help="gradient-descent iterations (default: 2000)")
    parser.add_argument("--learning-rate", type=float, default=0.5, help="(default: 0.5)")
    parser.add_argument("--positive", type=int, default=8, help="the digit labelled 1 (default: 8)")
    parser.add_argument(
        "--progress", action="store_true", help="show a progress bar instead of the cost every 100 iterations"
    )
    args = parser.parse_args(argv)
    if args.iterations < 1 or not args.learning_rate > 0 or not 0 <= args.positive <= 9:
        parser.error("--iterations must be at least 1, --learning-rate > 0 and --positive a digit 0-9")
    try:
        train_x_orig, train_y, test_x_orig, test_y = nn.datasets.load_digits(positive=args.positive)
    except ImportError as e:
        print(f"this example needs scikit-learn: {e}")
        return 1

    train_x, test_x = flatten(train_x_orig), flatten(test_x_orig)
    n_x, m = train_x.shape
    print(f"{m} training and {test_x.shape[1]} test pictures of {train_x_orig.shape[1]}x{train_x_orig.shape[2]} pixels, "
          f"flattened to n_x = {n_x}; {train_y.mean():.1%} of them are {args.positive}s")  # fmt: skip

    w, b = vectorized.initialize_with_zeros(n_x)
    params, _, costs = vectorized.optimize(
        w,
        b,
        train_x,
        train_y,
        args.iterations,
        args.learning_rate,
        print_cost=not args.progress,
        progress=args.progress,
    )
    w, b = params["w"], params["b"]
    train_accuracy = float(np.mean(vectorized.predict(w, b, train_x) == train_y))
    predicted = vectorized.predict(w, b, test_x)
    test_accuracy = float(np.mean(predicted == test_y))
    always_no = 1.0 - float(test_y.mean())
    print(f"train accuracy {train_accuracy:.1%}, test accuracy {test_accuracy:.1%} "
          f"(answering 'not {_a(args.positive)} {args.positive}' every time would score {always_no:.1%})")  # fmt: skip

    os.makedirs(args.out, exist_ok=True)
    print(f"writing pictures to {os.path.abspath(args.out)}")
    for path in plot_mistakes(test_x_orig, test_y, predicted, args.positive, args.out):
        print(f"  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
