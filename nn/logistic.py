"""Logistic regression on the scalar engine, in the course's notation, one example at a time.

``ŷ = a = σ(z)`` with ``z = wᵀx + b``; ``L(ŷ, y) = −(y log ŷ + (1−y) log(1−ŷ))``; ``J`` is the mean
of ``L`` over the ``m`` examples; gradient descent ``w := w − α ∂J/∂w``.

Examples are given as a sequence of ``m`` examples, each a sequence of ``n_x`` numbers (one row
per example: the transpose of the ``(n_x, m)`` matrix ``X`` of ``nn.vectorized``), and labels
``Y`` as a sequence of ``m`` numbers 0 or 1. The scalar engine works one example at a time, so
rows are its natural layout; given the course's ``X`` of shape ``(n_x, m)`` it says "X looks
transposed ... pass X.T", the words ``nn.vectorized`` uses for the opposite mistake.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from autograd import Parameter, Value, dot
from autograd.extend import describe

from . import checks
from .losses import bce_with_logits, mean
from .module import Module
from .progress import progress_bar

#: Iterations × examples × (features + 1) at most in one ``fit`` on the scalar engine (about two minutes).
MAX_FIT_WORK = 100_000_000


class LogisticRegression(Module):
    """``ŷ = σ(wᵀx + b)`` with ``n_x`` weights, all parameters starting at zero as in the course.

    The loss is computed from the logit ``z`` (``bce_with_logits``), so it stays finite however
    large ``|z|`` grows, and its gradient is exactly the course's hand derivation:
    ``dz = a − y``, ``dw = x·dz``, ``db = dz``.

    >>> model = LogisticRegression(2)
    >>> model.forward([1.0, 2.0]).data
    0.5
    >>> L = model.loss([1.0, 2.0], 1)
    >>> L.backward()
    >>> [w.grad for w in model.w], model.b.grad
    ([-0.5, -1.0], -0.5)
    """

    def __init__(self, n_x: int) -> None:
        self.n_x = n_x = checks.integer("LogisticRegression", "n_x (features per example)", n_x)
        checks.model_size("LogisticRegression", n_x + 1)
        self.w = [Parameter(0.0) for _ in range(n_x)]
        self.b = Parameter(0.0)
        self.label_parameters()

    def __repr__(self) -> str:
        return f"LogisticRegression(n_x={self.n_x}, {self.n_x + 1} parameters)"

    def _example(self, x: Sequence[Any], where: str) -> Sequence[Any]:
        try:
            x = checks.one_example(f"LogisticRegression.{where}", x, self.n_x)
        except ValueError:
            raise ValueError(
                f"LogisticRegression.{where}: an example has {len(x)} features, expected n_x={self.n_x}"
            ) from None
        numbers = [v.data if isinstance(v, Value) else v for v in x]
        if not all(map(math.isfinite, numbers)):  # inf would make z, a and L nan
            i = next(i for i, v in enumerate(numbers) if not math.isfinite(v))
            raise ValueError(
                f"LogisticRegression.{where}: feature {i} is {numbers[i]!r}; an example holds finite numbers"
            )
        return x

    def _examples(self, X: Sequence[Sequence[Any]], Y: Sequence[Any], where: str) -> None:
        checks.examples(f"LogisticRegression.{where}", X, self.n_x)
        if isinstance(Y, (str, bytes)) or not (isinstance(Y, Sequence) or getattr(Y, "ndim", 0) == 1):
            raise TypeError(
                f"LogisticRegression.{where}: Y is a list of labels 0 or 1, one per example; got {describe(Y)}"
            )
        if len(Y) != len(X):
            raise ValueError(f"LogisticRegression.{where}: X has {len(X)} examples but Y has {len(Y)} labels")

    def logit(self, x: Sequence[Any]) -> Value:
        """``z = wᵀx + b`` for one example, as one fused ``dot`` node."""
        return dot(self.w, self._example(x, "logit"), self.b)

    def forward(self, x: Sequence[Any]) -> Value:
        """``ŷ = a = σ(z)``, the predicted probability that ``y = 1`` for one example ``x``."""
        return self.logit(x).sigmoid()

    __call__ = forward

    def loss(self, x: Sequence[Any], y: Any) -> Value:
        """``L(ŷ, y)`` for one example, computed stably from ``z``."""
        return bce_with_logits(self.logit(x), y)

    def cost(self, X: Sequence[Sequence[Any]], Y: Sequence[Any]) -> Value:
        """``J = (1/m) Σ L(ŷ⁽ⁱ⁾, y⁽ⁱ⁾)`` over the ``m`` examples of ``X`` (rows) and labels ``Y``.

        >>> LogisticRegression(1).cost([[1.0], [2.0]], [0, 1]).data
        0.6931471805599453
        """
        self._examples(X, Y, "cost")
        return self._cost(X, Y)

    def _cost(self, X: Sequence[Sequence[Any]], Y: Sequence[Any]) -> Value:
        w, b = self.w, self.b
        return mean([bce_with_logits(dot(w, x, b), y) for x, y in zip(X, Y)])

    def predict(self, X: Sequence[Sequence[Any]]) -> list[int]:
        """1 where ``ŷ > 0.5`` (that is, ``z > 0``), else 0, for each example of ``X``.

        >>> LogisticRegression(1).predict([[1.0], [-1.0]])
        [0, 0]
        """
        checks.examples("LogisticRegression.predict", X, self.n_x)
        w = [p.data for p in self.w]
        b = self.b.data
        return [int(dot(w, x, b) > 0.0) for x in X]

    def fit(
        self,
        X: Sequence[Sequence[Any]],
        Y: Sequence[Any],
        learning_rate: float = 0.005,
        num_iterations: int = 2000,
        print_cost: bool = False,
        progress: bool = False,
    ) -> list[float]:
        """Batch gradient descent on ``J``: ``w := w − α dw``, ``b := b − α db``.

        ``print_cost`` prints ``J`` every 100 iterations, as the course does; ``progress`` draws a
        progress bar (``tqdm``: a widget in Jupyter, text in a terminal) that shows the cost.

        Returns:
            ``costs``: ``J`` before each iteration (one per iteration; the course records every 100th).

        >>> model = LogisticRegression(1)
        >>> costs = model.fit([[1.0], [-1.0]], [1, 0], learning_rate=1.0, num_iterations=50)
        >>> costs[0] > costs[-1], model.predict([[2.0], [-2.0]])
        (True, [1, 0])
        """
        learning_rate = checks.real("LogisticRegression.fit", "learning_rate", learning_rate, low=0.0, low_open=True)
        num_iterations = checks.integer("LogisticRegression.fit", "num_iterations", num_iterations, minimum=0)
        self._examples(X, Y, "fit")
        work = num_iterations * len(X) * (self.n_x + 1)
        if work > MAX_FIT_WORK:
            raise ValueError(
                f"LogisticRegression.fit: {num_iterations:,} iterations over {len(X):,} examples of {self.n_x:,} features are {work:,} steps of the scalar engine, over the limit of {MAX_FIT_WORK:,} (about two minutes); use fewer iterations, or nn.vectorized.LogisticRegression, which takes the course's X of shape (n_x, m)"
            )
        # The inputs become leaves once, not 30 new constant nodes per example in every iteration.
        X_leaves = [[Value(float(v)) for v in x] for x in X]
        leaves = [v for x in X_leaves for v in x]
        params = self.parameters()
        costs = []
        with progress_bar(num_iterations, progress, "LogisticRegression.fit") as bar:
            for i in range(num_iterations):
                self.zero_grad()
                for v in leaves:
                    v.grad = 0.0  # so that x.grad is this iteration's ∂J/∂x, not a running total
                J = self._cost(X_leaves, Y)  # checked once, above
                J.backward()
                updated = [p.data - learning_rate * p.grad for p in params]
                if not all(map(math.isfinite, updated)):  # refused before it is made: the model keeps its last numbers
                    raise ValueError(
                        f"LogisticRegression.fit: gradient descent diverged at iteration {i} (w or b would overflow to inf or nan); lower the learning rate ({learning_rate!r}), or scale X down"
                    )
                for p, number in zip(params, updated):
                    p.data = number
                costs.append(J.data)
                if print_cost and i % 100 == 0:
                    print(f"Cost after iteration {i}: {J.data:f}")
                bar.update()
                if i % 10 == 0:
                    bar.set_postfix(cost=f"{J.data:.4f}", refresh=False)
        return costs
