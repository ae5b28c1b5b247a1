"""The course's two-layer (week 3) and L-layer (week 4) networks in numpy, under the assignments' names.

Layer ``l`` computes ``Z[l] = W[l] A[l-1] + b[l]`` and ``A[l] = g(Z[l])`` for all ``m`` examples at once,
with ``A[0] = X`` of shape ``(n_x, m)``; hidden layers use relu or tanh, the output layer sigmoid. Going
back, ``dZ[L] = A[L] − Y`` (sigmoid with the cross-entropy, as in week 2), then for every layer::

    dW[l] = (1/m) dZ[l] A[l-1]ᵀ     db[l] = (1/m) Σ dZ[l]     dA[l-1] = W[l]ᵀ dZ[l]
    dZ[l-1] = dA[l-1] * g'(Z[l-1])  (tanh: 1 − A², relu: 1 where Z > 0)

``parameters_from_mlp`` reads the weights of a scalar ``nn.MLP`` into ``W1, b1, ...``: the same network
on both paths, so each gradient can be compared number for number with the engine's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from . import checks, layout
from .layers import INIT_STD, MLP, check_init

Parameters = dict[str, np.ndarray]
HIDDEN = ("relu", "tanh", "sigmoid")


def sigmoid(z: Any) -> Any:
    """``1 / (1 + e^-z)`` elementwise, without overflow for any ``z`` (scalar or array).

    >>> sigmoid(np.array([0.0, 1000.0, -1000.0]))
    array([0.5, 1. , 0. ])
    """
    z = np.asarray(z, dtype=float)
    with np.errstate(under="ignore"):  # e^-1000 rounding to 0 is the right answer, not a problem
        e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
        s = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return s if s.ndim else float(s)


FORWARD: dict[str, Callable[[Any], Any]] = {"relu": lambda Z: np.maximum(Z, 0.0), "tanh": np.tanh, "sigmoid": sigmoid}
#: g'(Z) from Z and A = g(Z), as the engine's rules compute it: tanh' = 1 − A², σ' = A (1 − A).
SLOPE: dict[str, Callable[[Any, Any], Any]] = {
    "relu": lambda Z, A: (Z > 0.0).astype(float),
    "tanh": lambda Z, A: 1.0 - A * A,
    "sigmoid": lambda Z, A: A * (1.0 - A),
}


def _activation(where: str, activation: Any) -> str:
    if activation not in HIDDEN:
        raise ValueError(f"{where}: unknown activation {activation!r}; choose one of {', '.join(map(repr, HIDDEN))}")
    return activation


def initialize_parameters_deep(layer_dims: Sequence[int], init: str = "xavier", seed: int | None = None) -> Parameters:
    """``W1, b1, ..., WL, bL`` for layer widths ``layer_dims = [n_x, n_1, ..., n_L]``; biases are 0.

    ``init`` as in ``nn.MLP``: ``"small"`` (N(0, 1) · 0.01, week 3), ``"xavier"`` (/√n[l-1], week 4's
    application), ``"he"`` (·√(2/n[l-1])) or ``"uniform"`` (U(−1, 1)).

    >>> p = initialize_parameters_deep([5, 4, 1], seed=0)
    >>> sorted(p), p["W1"].shape, p["b1"].shape, p["W2"].shape
    (['W1', 'W2', 'b1', 'b2'], (4, 5), (4, 1), (1, 4))
    """
    if isinstance(layer_dims, (str, bytes)) or not isinstance(layer_dims, Sequence) or len(layer_dims) < 2:
        raise ValueError(
            f"initialize_parameters_deep: layer_dims is [n_x, n_1, ..., n_L], two widths or more; got {layer_dims!r}"
        )
    dims = [checks.integer("initialize_parameters_deep", f"layer width {n!r}", n) for n in layer_dims]
    init = check_init("initialize_parameters_deep", init)
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(dims)):  # noqa: E741 - the course's l
        shape = (dims[l], dims[l - 1])
        if init == "uniform":
            parameters[f"W{l}"] = rng.uniform(-1.0, 1.0, size=shape)
        else:
            parameters[f"W{l}"] = rng.standard_normal(shape) * INIT_STD[init](dims[l - 1])
        parameters[f"b{l}"] = np.zeros((dims[l], 1))
    return parameters


def initialize_parameters(n_x: int, n_h: int, n_y: int, init: str = "small", seed: int | None = None) -> Parameters:
    """Week 3's two-layer network, ``W1 (n_h, n_x), b1, W2 (n_y, n_h), b2``, small weights by default."""
    return initialize_parameters_deep([n_x, n_h, n_y], init, seed)


def _layers(where: str, parameters: Any, n_x: int) -> int:
    """How many layers ``parameters`` has, after checking each ``W[l]``, ``b[l]`` against the layer below."""
    if not isinstance(parameters, dict) or "W1" not in parameters:
        raise TypeError(f"{where}: parameters must be a dict with W1, b1, W2, b2, ...; got {type(parameters).__name__}")
    L = sum(1 for key in parameters if key.startswith("W"))
    below = n_x
    for l in range(1, L + 1):  # noqa: E741
        W, b = parameters.get(f"W{l}"), parameters.get(f"b{l}")
        if W is None or b is None:
            raise ValueError(f"{where}: parameters have {L} weight matrices but no {'W' if W is None else 'b'}{l}")
        width = np.shape(W)[0] if np.ndim(W) == 2 else -1
        if np.shape(W) != (width, below) or width < 1:
            hint = f"; W1 multiplies X of shape ({n_x}, m)" if l == 1 else ""
            raise layout.shape_error(where, f"W{l}", f"(n_{l}, {below})", np.shape(W), hint)
        if np.shape(b) != (width, 1):
            raise layout.shape_error(where, f"b{l}", f"({width}, 1) to match W{l}", np.shape(b))
        below = width
    return L


def linear_activation_forward(
    A_prev: np.ndarray, W: np.ndarray, b: np.ndarray, activation: str
) -> tuple[np.ndarray, Any]:
    """``A = g(W A_prev + b)`` and the cache the backward step needs: ``((A_prev, W, b), (Z, A))``."""
    Z = np.dot(W, A_prev) + b
    A = FORWARD[activation](Z)
    return A, ((A_prev, W, b), (Z, A))


def L_model_forward(X: Any, parameters: Parameters, activation: str = "relu") -> tuple[np.ndarray, list[Any]]:
    """``AL`` of shape ``(n_L, m)``: ``L − 1`` layers with ``activation`` (relu or tanh), then sigmoid.

    Returns:
        ``(AL, caches)``, one cache per layer for ``L_model_backward``.

    >>> p = {"W1": np.array([[1.0, -1.0]]), "b1": np.array([[0.5]]), "W2": np.array([[2.0]]), "b2": np.array([[0.0]])}
    >>> AL, caches = L_model_forward(np.array([[1.0, 0.0], [3.0, 0.0]]), p)
    >>> AL.round(6).tolist(), len(caches)
    ([[0.5, 0.731059]], 2)
    """
    X = layout.examples("L_model_forward", X)
    L = _layers("L_model_forward", parameters, X.shape[0])
    activation = _activation("L_model_forward", activation)
    A, caches = X, []
    for l in range(1, L + 1):  # noqa: E741
        A, cache = linear_activation_forward(
            A, parameters[f"W{l}"], parameters[f"b{l}"], activation if l < L else "sigmoid"
        )
        caches.append((*cache, activation if l < L else "sigmoid"))
    return A, caches


def compute_cost(AL: Any, Y: Any) -> float:
    """The cross-entropy ``J = −(1/m) Σ (Y log AL + (1 − Y) log(1 − AL))`` of ``AL`` and labels ``Y``, both ``(1, m)``.

    Each example takes only the log its label needs, so ``AL = 1`` with ``Y = 1`` costs 0, not NaN.

    >>> round(compute_cost(np.array([[0.8, 0.9, 0.4]]), np.array([[1, 1, 0]])), 6)
    0.279777
    """
    AL = layout.as_numbers("compute_cost", "AL", AL)
    if AL.ndim != 2 or AL.shape[0] != 1:
        raise layout.shape_error("compute_cost", "AL", "(1, m), one probability per example", AL.shape)
    Y = layout.labels("compute_cost", Y, AL)
    if not ((AL >= 0.0) & (AL <= 1.0)).all():
        raise ValueError(
            "compute_cost: AL must hold probabilities in [0, 1] (the sigmoid's outputs); got "
            f"{AL.min()!r}..{AL.max()!r}"
        )
    with np.errstate(divide="ignore"):  # log(0) where the label needs it: the cost is infinite, rightly
        losses = np.where(Y == 1.0, -np.log(AL), -np.log1p(-AL))
    return float(np.mean(losses))


def linear_backward(dZ: np.ndarray, linear_cache: tuple[np.ndarray, np.ndarray, np.ndarray]) -> tuple[np.ndarray, ...]:
    """``dA_prev = Wᵀ dZ``, ``dW = (1/m) dZ A_prevᵀ``, ``db = (1/m) Σ dZ`` (summed over the examples)."""
    A_prev, W, _ = linear_cache
    m = A_prev.shape[1]
    return np.dot(W.T, dZ), np.dot(dZ, A_prev.T) / m, np.sum(dZ, axis=1, keepdims=True) / m


def L_model_backward(AL: np.ndarray, Y: Any, caches: list[Any]) -> dict[str, np.ndarray]:
    """The gradients of ``compute_cost(AL, Y)``: ``dW{l}``, ``db{l}`` and ``dA{l-1}`` for every layer.

    The output layer starts from ``dZ[L] = AL − Y``: the course's ``dAL = −(Y/AL − (1−Y)/(1−AL))`` times
    the sigmoid's slope ``AL (1 − AL)``, simplified, so it is exact even where ``AL`` rounds to 0 or 1.
    """
    Y = layout.labels("L_model_backward", Y, np.asarray(AL))
    grads = {}
    dZ = AL - Y
    for l in range(len(caches), 0, -1):  # noqa: E741
        dA_prev, grads[f"dW{l}"], grads[f"db{l}"] = linear_backward(dZ, caches[l - 1][0])
        grads[f"dA{l - 1}"] = dA_prev
        if l > 1:
            _, (Z, A), activation = caches[l - 2]
            dZ = dA_prev * SLOPE[activation](Z, A)
    return grads


def update_parameters(parameters: Parameters, grads: dict[str, np.ndarray], learning_rate: float) -> Parameters:
    """One step of gradient descent, ``W[l] := W[l] − α dW[l]``, ``b[l] := b[l] − α db[l]``, as new arrays."""
    learning_rate = checks.real("update_parameters", "learning_rate", learning_rate, low=0.0, low_open=True)
    missing = [f"d{key}" for key in parameters if f"d{key}" not in grads]
    if missing:
        raise ValueError(f"update_parameters: grads has no {missing[0]} for parameter {missing[0][1:]}")
    return {key: value - learning_rate * grads[f"d{key}"] for key, value in parameters.items()}


def L_layer_model(
    X: Any,
    Y: Any,
    layers_dims: Sequence[int],
    learning_rate: float = 0.0075,
    num_iterations: int = 3000,
    print_cost: bool = False,
    activation: str = "relu",
    init: str = "xavier",
    seed: int | None = None,
) -> tuple[Parameters, list[float]]:
    """Train an L-layer network by gradient descent: ``(parameters, costs)``, ``J`` every 100 iterations.

    Week 3's network is ``L_layer_model(X, Y, [n_x, n_h, 1], 1.2, activation="tanh", init="small")``.

    >>> X, Y = np.array([[-2.0, -1.0, 1.0, 2.0]]), np.array([[0, 0, 1, 1]])
    >>> parameters, costs = L_layer_model(X, Y, [1, 3, 1], learning_rate=0.5, num_iterations=200, seed=0)
    >>> predict_deep(parameters, X).tolist(), costs[0] > costs[-1]
    ([[0.0, 0.0, 1.0, 1.0]], True)
    """
    X = layout.examples("L_layer_model", X)
    Y = layout.labels("L_layer_model", Y, X)
    num_iterations = checks.integer("L_layer_model", "num_iterations", num_iterations, minimum=0)
    parameters = initialize_parameters_deep([X.shape[0], *list(layers_dims)[1:]], init, seed)
    costs = []
    for i in range(num_iterations):
        AL, caches = L_model_forward(X, parameters, activation)
        if i % 100 == 0:
            costs.append(compute_cost(AL, Y))
            if print_cost:
                print(f"Cost after iteration {i}: {costs[-1]:f}")
        parameters = update_parameters(parameters, L_model_backward(AL, Y, caches), learning_rate)
    return parameters, costs


def predict_deep(parameters: Parameters, X: Any, activation: str = "relu") -> np.ndarray:
    """``(1, m)`` array of 0.0/1.0: 1 where the network's ``AL > 0.5``."""
    AL, _ = L_model_forward(X, parameters, activation)
    return (AL > 0.5).astype(float)


def parameters_from_mlp(model: MLP, gradients: bool = False) -> Parameters:
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
    "compute_cost",
    "initialize_parameters",
    "initialize_parameters_deep",
    "linear_activation_forward",
    "linear_backward",
    "parameters_from_mlp",
    "predict_deep",
    "update_parameters",
]
