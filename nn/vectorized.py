"""Logistic regression vectorized with numpy, in the course's notation: no loop over examples.

The two-layer and L-layer networks of weeks 3 and 4 (``L_model_forward``, ``L_model_backward``, ...)
live in ``nn/deep.py`` and are imported here, so ``nn.vectorized`` holds the whole numpy path
(``predict_deep`` and ``parameters_from_mlp``, which reads a scalar ``nn.MLP``'s weights, are here).

``X`` has shape ``(n_x, m)`` (one column per example), ``Y`` shape ``(1, m)``, ``w`` shape
``(n_x, 1)`` and ``b`` is a number. Then for all ``m`` examples at once::

    Z = np.dot(w.T, X) + b          A = sigmoid(Z)
    dZ = A - Y    dw = (1/m) X dZᵀ   db = (1/m) Σ dZ

The cost is computed from ``Z`` rather than ``A`` (``log(1 + e^z)`` via ``np.logaddexp``), so a
large ``|z|`` gives neither an overflow warning nor ``log(0)``.

Every public function checks what it is given before computing anything: the shapes, labels
exactly 0 or 1, finite numbers in ``X`` and ``w``, and a finite number ``b``; an ``X`` with one
row per example (scikit-learn's layout) is reported as transposed.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd.extend import describe, finite_float

from . import checks, deep, layout
from .deep import (  # the networks of weeks 3 and 4, in nn/deep.py, are part of the vectorized path
    L_layer_model,
    L_model_backward,
    L_model_forward,
    compute_cost,
    initialize_parameters,
    initialize_parameters_deep,
    linear_activation_forward,
    linear_backward,
    sigmoid,
    update_parameters,
)
from .layers import MLP
from .layout import check_array, check_iterations, check_size
from .progress import progress_bar


def _check_b(where: str, b: Any) -> float:
    if isinstance(b, np.ndarray) and b.size == 1 and b.dtype.kind in "iuf":
        b = b.reshape(())[()]  # a 1-element array is a number here (as np.sum(dZ) / m may give)
    number = finite_float(b)  # None for an int like 10**400, too large for a float
    if number is None:
        raise ValueError(f"{where}: b must be a single finite number, got {describe(b)}")
    return number


def _check(
    where: str, w: Any, b: Any, X: Any, Y: Any | None = None, finite: bool = True
) -> tuple[np.ndarray, float, np.ndarray, Any]:
    """The arguments as arrays in the course's layout, or the error that names what is off.

    ``finite=False`` leaves out the look for NaN and infinities in ``X`` and ``w``, for a caller
    that looks only when its result is not finite (``propagate``).
    """
    X = layout.examples(where, X)
    n_x, m = X.shape
    w = layout.as_numbers(where, "w", w)
    if w.shape == (m, 1) and m != n_x:
        raise ValueError(
            f"{where}: {layout.TRANSPOSED} (X has shape {X.shape} and w has {m} rows; "
            f"if X is right, w must have shape (n_x, 1) = ({n_x}, 1))"
        )
    if w.shape != (n_x, 1):
        raise layout.shape_error(where, "w", f"(n_x, 1) = ({n_x}, 1) to match X of shape {X.shape}", w.shape)
    b = _check_b(where, b)
    if Y is not None:
        Y = layout.labels(where, Y, X)
    if finite:
        layout.check_finite(where, "X", X)
        layout.check_finite(where, "w", w)
    return w, b, X, Y


def initialize_with_zeros(n_x: int) -> tuple[np.ndarray, float]:
    """``w`` of zeros with shape ``(n_x, 1)`` and ``b = 0.0``.

    >>> w, b = initialize_with_zeros(2)
    >>> w.shape, b
    ((2, 1), 0.0)
    """
    n_x = checks.integer("initialize_with_zeros", "n_x", n_x)
    check_size("initialize_with_zeros", "w", n_x)
    return np.zeros((n_x, 1)), 0.0


def cost_from_logits(Z: Any, Y: Any) -> float:
    """``J = (1/m) Σ −(y log a + (1−y) log(1−a))`` with ``a = σ(z)``, computed stably from ``Z``; both ``(1, m)``.

    ``−(y log σ(z) + (1−y) log(1−σ(z))) = log(1 + e^z) − y·z``.

    >>> cost_from_logits(np.array([[0.0, 1000.0]]), np.array([[1, 1]]))
    0.34657359027997264
    """
    Z = check_array("cost_from_logits", "Z", Z, (1, "m"))
    return deep._cost_from_logits(Z, layout.labels("cost_from_logits", Y, Z))


def propagate(w: Any, b: Any, X: Any, Y: Any) -> tuple[dict[str, Any], float]:
    """Forward and backward pass over all ``m`` examples: ``(grads, cost)``.

    Returns:
        ``({"dw": array (n_x, 1), "db": float}, J)``.

    >>> grads, J = propagate(np.array([[1.0], [2.0]]), 2.0, np.array([[1.0, 2.0, -1.0], [3.0, 4.0, -3.2]]), np.array([[1, 0, 1]]))
    >>> grads["dw"].round(8).tolist(), round(grads["db"], 8), round(J, 8)
    ([[0.99845601], [2.39507239]], 0.00145558, 5.80154532)
    """
    w, b, X, Y = _check("propagate", w, b, X, Y, finite=False)
    with np.errstate(all="ignore"):  # a NaN or infinity in X or w is reported just below, by its place
        grads, J = _propagate(w, b, X, Y)
    if not (math.isfinite(J) and np.isfinite(grads["dw"]).all()):
        # Looking through all of X costs half a step at the course's size; a NaN or an infinity in
        # X or w always reaches J or dw (inf - inf and 0 * inf are NaN), so look only then.
        layout.check_finite("propagate", "X", X)
        layout.check_finite("propagate", "w", w)
        raise ValueError(
            f"propagate: z = wᵀX + b or the gradients overflowed float64 (J = {J!r}): X, w or b is too large; scale X down (standardize it) or start from a smaller w"
        )
    return grads, J


def _propagate(w: np.ndarray, b: float, X: np.ndarray, Y: np.ndarray) -> tuple[dict[str, Any], float]:
    """``propagate`` on arguments already checked (``optimize`` checks X and Y once, not every step)."""
    m = X.shape[1]
    Z = np.dot(w.T, X) + b
    A = sigmoid(Z)
    dZ = A - Y
    dw = np.dot(X, dZ.T) / m
    db = float(np.sum(dZ) / m)
    return {"dw": dw, "db": db}, deep._cost_from_logits(Z, Y)


def optimize(
    w: Any,
    b: Any,
    X: Any,
    Y: Any,
    num_iterations: int,
    learning_rate: float,
    print_cost: bool = False,
    progress: bool = False,
) -> tuple[dict[str, Any], dict[str, Any], list[float]]:
    """Gradient descent: ``w := w − α dw``, ``b := b − α db``, ``num_iterations`` times.

    ``print_cost`` prints ``J`` every 100 iterations, as the course does; ``progress`` draws a
    progress bar (``tqdm``: a widget in Jupyter, text in a terminal) that shows the cost.

    Returns:
        ``(params, grads, costs)``: ``{"w", "b"}`` after training, the last iteration's
        ``{"dw", "db"}``, and ``J`` recorded every 100 iterations (iteration 0, 100, ...).

    >>> params, grads, costs = optimize(np.zeros((1, 1)), 0.0, np.array([[1.0, -1.0]]), np.array([[1, 0]]), 101, 0.5)
    >>> len(costs), costs[0] > costs[1], float(params["w"][0, 0]) > 0
    (2, True, True)
    """
    w, b, X, Y = _check("optimize", w, b, X, Y)
    num_iterations = check_iterations("optimize", num_iterations, X.size)  # X.size multiply-adds a step
    learning_rate = checks.real("optimize", "learning_rate", learning_rate, low=0.0, low_open=True)
    w = w.copy()
    costs: list[float] = []
    grads: dict[str, Any] = {"dw": np.zeros_like(w), "db": 0.0}
    with progress_bar(num_iterations, progress, "optimize") as bar:
        for i in range(num_iterations):
            with np.errstate(over="ignore", invalid="ignore"):  # checked just below, with a clearer message
                grads, J = _propagate(w, b, X, Y)
                w = w - learning_rate * grads["dw"]
            b = b - learning_rate * grads["db"]
            if not (math.isfinite(J) and math.isfinite(b) and np.isfinite(w).all()):
                what = f"the cost is {J!r}" if not math.isfinite(J) else "w or b overflowed to inf or nan"
                raise ValueError(
                    f"optimize: gradient descent diverged at iteration {i} ({what}); lower the learning rate "
                    f"({learning_rate!r}), or scale X or the starting w down"
                )
            if i % 100 == 0:
                costs.append(J)
                bar.set_postfix(cost=f"{J:.4f}", refresh=False)
                if print_cost:
                    print(f"Cost after iteration {i}: {J:f}")
            bar.update()
    return {"w": w, "b": b}, grads, costs


def predict(w: Any, b: Any, X: Any) -> np.ndarray:
    """``(1, m)`` array of 0.0/1.0: 1 where ``a = σ(wᵀx + b) > 0.5``.

    >>> predict(np.array([[1.0]]), 0.0, np.array([[2.0, -3.0]]))
    array([[1., 0.]])
    """
    w, b, X, _ = _check("predict", w, b, X)
    Z = np.dot(w.T, X) + b
    return (Z > 0.0).astype(float)  # a > 0.5 exactly when z > 0


def predict_deep(parameters: dict[str, np.ndarray], X: Any, activation: str = "relu") -> np.ndarray:
    """``(1, m)`` array of 0.0/1.0: 1 where the network's ``AL > 0.5``."""
    AL, _ = L_model_forward(X, parameters, activation)
    return (AL > 0.5).astype(float)


class LogisticRegression:
    """The vectorized model with a scikit-learn-like interface, on course-shaped data.

    >>> X, Y = np.array([[1.0, 2.0, -1.0, -2.0]]), np.array([[1, 1, 0, 0]])
    >>> model = LogisticRegression(learning_rate=0.5, num_iterations=200).fit(X, Y)
    >>> model.predict(X), model.score(X, Y)
    (array([[1., 1., 0., 0.]]), 1.0)
    """

    def __init__(
        self, learning_rate: float = 0.005, num_iterations: int = 2000, print_cost: bool = False, progress: bool = False
    ) -> None:
        self.learning_rate = learning_rate
        self.num_iterations = num_iterations
        self.print_cost = print_cost
        self.progress = progress
        self.w: np.ndarray | None = None
        self.b = 0.0
        self.costs: list[float] = []

    def __repr__(self) -> str:
        return f"vectorized.LogisticRegression(learning_rate={self.learning_rate!r}, num_iterations={self.num_iterations!r})"

    def fit(self, X: Any, Y: Any) -> LogisticRegression:
        """Start from zeros and run ``optimize``; keeps ``w``, ``b`` and ``costs`` (every 100 iterations)."""
        X = layout.examples("LogisticRegression.fit", X)
        w, b = initialize_with_zeros(X.shape[0])
        params, _, self.costs = optimize(
            w, b, X, Y, self.num_iterations, self.learning_rate, self.print_cost, progress=self.progress
        )
        self.w, self.b = params["w"], params["b"]
        return self

    def _fitted(self, where: str) -> np.ndarray:
        if self.w is None:
            raise RuntimeError(f"LogisticRegression.{where}: call fit(X, Y) first")
        return self.w

    def predict(self, X: Any) -> np.ndarray:
        """``(1, m)`` array of 0.0/1.0 predictions."""
        return predict(self._fitted("predict"), self.b, X)

    def score(self, X: Any, Y: Any) -> float:
        """The fraction of the ``m`` examples predicted correctly, between 0 and 1."""
        predictions = self.predict(X)
        Y = layout.labels("LogisticRegression.score", Y, np.asarray(X, dtype=float))
        return float(np.mean(predictions == Y))


def parameters_from_mlp(model: MLP, gradients: bool = False) -> dict[str, np.ndarray]:
    """A scalar ``nn.MLP``'s weights as ``W1, b1, ...`` (or, with ``gradients=True``, its ``.grad`` as ``dW1, db1, ...``).

    Row ``j`` of ``W[l]`` is neuron ``j`` of layer ``l − 1`` (``model.layers[l - 1].neurons[j].w``). The
    MLP's last layer is linear: its output is the logit ``Z[L]``, so the vectorized network (which
    applies the sigmoid) gives ``AL = σ(model(x))`` column by column.

    >>> model = MLP(3, [4, 1], activation="tanh", seed=0)
    >>> p = parameters_from_mlp(model)
    >>> p["W1"].shape, p["b2"].shape, float(p["W1"][0, 1]) == model.layers[0].neurons[0].w[1].data
    ((4, 3), (1, 1), True)
    """
    if not isinstance(model, MLP):
        raise TypeError(f"parameters_from_mlp: model must be an nn.MLP, got {type(model).__name__}")
    attribute, prefix = ("grad", "d") if gradients else ("data", "")
    found = {}
    for l, layer in enumerate(model.layers, start=1):  # noqa: E741
        found[f"{prefix}W{l}"] = np.array([[float(getattr(w, attribute)) for w in n.w] for n in layer.neurons])
        found[f"{prefix}b{l}"] = np.array([[float(getattr(n.b, attribute))] for n in layer.neurons])
    return found


__all__ = [
    "L_layer_model",
    "L_model_backward",
    "L_model_forward",
    "LogisticRegression",
    "compute_cost",
    "cost_from_logits",
    "initialize_parameters",
    "initialize_parameters_deep",
    "initialize_with_zeros",
    "linear_activation_forward",
    "linear_backward",
    "optimize",
    "parameters_from_mlp",
    "predict",
    "predict_deep",
    "propagate",
    "sigmoid",
    "update_parameters",
]
