"""The course's two-layer (week 3) and L-layer (week 4) networks in numpy, under the assignments' names.

Layer ``l`` computes ``Z[l] = W[l] A[l-1] + b[l]`` and ``A[l] = g(Z[l])`` for all ``m`` examples at once,
with ``A[0] = X`` of shape ``(n_x, m)``; hidden layers use relu or tanh, the output layer sigmoid. Going
back, ``dZ[L] = A[L] − Y`` (sigmoid with the cross-entropy, as in week 2), then for every layer::

    dW[l] = (1/m) dZ[l] A[l-1]ᵀ     db[l] = (1/m) Σ dZ[l]     dA[l-1] = W[l]ᵀ dZ[l]
    dZ[l-1] = dA[l-1] * g'(Z[l-1])  (tanh: 1 − A², relu: 1 where Z > 0)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from autograd.extend import describe

from . import checks, layout
from .layers import INIT_STD, check_init
from .layout import check_array, check_iterations, check_seed, check_size

Parameters = dict[str, np.ndarray]
HIDDEN = ("relu", "tanh", "sigmoid")


def sigmoid(z: Any) -> Any:
    """``1 / (1 + e^-z)`` elementwise, without overflow for any ``z`` (scalar or array).

    >>> sigmoid(np.array([0.0, 1000.0, -1000.0]))
    array([0.5, 1. , 0. ])
    """
    if np.asarray(z).dtype.kind not in "biuf":
        raise TypeError(f"sigmoid: z must be a real number or an array of them, got {describe(z)}")
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


def _dims(where: str, name: str, layer_dims: Any) -> list[int]:
    """The widths ``[n_x, n_1, ..., n_L]``: two or more positive ints, with weights within ``MAX_NUMBERS``."""
    if isinstance(layer_dims, (str, bytes)) or not isinstance(layer_dims, Sequence) or len(layer_dims) < 2:
        raise ValueError(f"{where}: {name} is [n_x, n_1, ..., n_L], two widths or more; got {layer_dims!r}")
    dims = [checks.integer(where, f"layer width {n!r}", n) for n in layer_dims]
    check_size(where, f"the weights of layers {dims}", sum(a * b for a, b in zip(dims, dims[1:])))
    return dims


def initialize_parameters_deep(layer_dims: Sequence[int], init: str = "xavier", seed: int | None = None) -> Parameters:
    """``W1, b1, ..., WL, bL`` for layer widths ``layer_dims = [n_x, n_1, ..., n_L]``; biases are 0.

    ``init`` as in ``nn.MLP``: ``"small"`` (N(0, 1) · 0.01, week 3), ``"xavier"`` (/√n[l-1], week 4's
    application), ``"he"`` (·√(2/n[l-1])) or ``"uniform"`` (U(−1, 1)).

    >>> p = initialize_parameters_deep([5, 4, 1], seed=0)
    >>> sorted(p), p["W1"].shape, p["b1"].shape, p["W2"].shape
    (['W1', 'W2', 'b1', 'b2'], (4, 5), (4, 1), (1, 4))
    """
    dims = _dims("initialize_parameters_deep", "layer_dims", layer_dims)
    init = check_init("initialize_parameters_deep", init)
    rng = np.random.default_rng(check_seed("initialize_parameters_deep", seed))
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


def _layers(where: str, parameters: Any, X: np.ndarray) -> Parameters:
    """``parameters`` checked, each ``W[l]``, ``b[l]`` against the layer below, and their ``Z`` and ``A`` sized."""
    if not (isinstance(parameters, dict) and "W1" in parameters and all(isinstance(k, str) for k in parameters)):
        raise TypeError(f"{where}: parameters must be a dict with keys 'W1', 'b1', ...; got {describe(parameters)}")
    L = sum(1 for key in parameters if key.startswith("W"))
    checked, below = {}, X.shape[0]
    for l in range(1, L + 1):  # noqa: E741
        W, b = parameters.get(f"W{l}"), parameters.get(f"b{l}")
        if W is None or b is None:
            raise ValueError(f"{where}: parameters have {L} weight matrices but no {'W' if W is None else 'b'}{l}")
        why = f" to multiply X of shape ({below}, m)" if l == 1 else f" to multiply A{l - 1} = g(Z{l - 1})"
        W = checked[f"W{l}"] = check_array(where, f"W{l}", W, (f"n_{l}", below), why)
        checked[f"b{l}"] = check_array(where, f"b{l}", b, (len(W), 1), f" to match W{l}")
        below = len(W)
    check_size(where, "the layers' Z and A", 2 * X.shape[1] * sum(len(W) for W in list(checked.values())[::2]))
    return checked


def _linear_activation(where: str, l: int, A_prev: Any, W: Any, b: Any, g: str) -> Any:  # noqa: E741 - layer l, or 0
    with np.errstate(over="ignore", invalid="ignore"):  # looked for just below, to say more than numpy would
        Z = np.dot(W, A_prev) + b
    if not np.isfinite(Z).all():
        if l == 1:  # X is looked through only now: that costs as much as a layer at the course's size
            layout.check_finite(where, "X", A_prev)
        raise ValueError(
            f"{where}: {f'Z{l} = W{l} A{l - 1} + b{l}' if l else 'Z = W A_prev + b'} overflowed to inf or nan: the weights or the inputs are too large for float64; scale X (standardize it) or start from smaller weights"
        )
    A = FORWARD[g](Z)
    return A, ((A_prev, W, b), (Z, A))


def linear_activation_forward(A_prev: Any, W: Any, b: Any, activation: str) -> tuple[np.ndarray, Any]:
    """``A = g(W A_prev + b)`` and the cache the backward step needs: ``((A_prev, W, b), (Z, A))``."""
    where = "linear_activation_forward"
    A_prev, W, b = _linear_cache(where, "", (A_prev, W, b))
    return _linear_activation("linear_activation_forward", 0, A_prev, W, b, _activation(where, activation))


def L_model_forward(X: Any, parameters: Parameters, activation: str = "relu") -> tuple[np.ndarray, list[Any]]:
    """``(AL, caches)``: ``AL`` of shape ``(n_L, m)`` after ``L − 1`` relu or tanh layers and a sigmoid; a cache each.

    >>> p = {"W1": np.array([[1.0, -1.0]]), "b1": np.array([[0.5]]), "W2": np.array([[2.0]]), "b2": np.array([[0.0]])}
    >>> AL, caches = L_model_forward(np.array([[1.0, 0.0], [3.0, 0.0]]), p)
    >>> AL.round(6).tolist(), len(caches)
    ([[0.5, 0.731059]], 2)
    """
    where, X = "L_model_forward", layout.examples("L_model_forward", X)
    return _forward(where, X, _layers(where, parameters, X), _activation(where, activation))


def _forward(where: str, X: np.ndarray, parameters: Parameters, activation: str) -> tuple[np.ndarray, list[Any]]:
    """``L_model_forward`` on arguments already checked (``L_layer_model`` checks them once, not every step)."""
    A, caches, L = X, [], len(parameters) // 2
    for l in range(1, L + 1):  # noqa: E741
        g = activation if l < L else "sigmoid"
        A, cache = _linear_activation(where, l, A, parameters[f"W{l}"], parameters[f"b{l}"], g)
        caches.append((*cache, g))
    return A, caches


def _cost_from_logits(Z: np.ndarray, Y: np.ndarray) -> float:  # nn.vectorized.cost_from_logits, unchecked
    with np.errstate(under="ignore", over="ignore"):  # the callers check that the cost is finite
        return float(np.mean(np.logaddexp(0.0, Z) - Y * Z))


def compute_cost(AL: Any, Y: Any) -> float:
    """The cross-entropy ``J = −(1/m) Σ (Y log AL + (1 − Y) log(1 − AL))`` of ``AL`` and labels ``Y``, both ``(1, m)``.

    Each example takes only the log its label needs, so ``AL = 1`` with ``Y = 1`` costs 0, not NaN. From
    probabilities alone a confident mistake can cost inf: ``σ(40)`` rounds to 1.0, so with ``Y = 0`` the cost
    is inf, not 40. Given the output layer's ``Z``, ``cost_from_logits(Z, Y)`` is exact (L_layer_model uses it).

    >>> round(compute_cost(np.array([[0.8, 0.9, 0.4]]), np.array([[1, 1, 0]])), 6)
    0.279777
    """
    AL = check_array("compute_cost", "AL", AL, (1, "m"))
    Y = layout.labels("compute_cost", Y, AL)
    if not ((AL >= 0.0) & (AL <= 1.0)).all():
        raise ValueError(
            f"compute_cost: AL must hold probabilities in [0, 1] (the sigmoid's outputs); got {AL.min()}..{AL.max()}"
        )
    with np.errstate(divide="ignore"):  # log(0) where the label needs it: the cost is infinite, rightly
        losses = np.where(Y == 1.0, -np.log(AL), -np.log1p(-AL))
    return float(np.mean(losses))


def _linear_cache(where: str, of: str, cache: Any, rows: int | str = "n_l", m: int | str = "m") -> tuple[Any, ...]:
    """A layer's ``(A_prev, W, b)`` checked: ``W (rows, n_prev)``, ``A_prev (n_prev, m)``, ``b (rows, 1)``."""
    if not (isinstance(cache, tuple) and len(cache) == 3):  # `of` names the cache: " of caches[1]", or ""
        raise TypeError(f"{where}: the linear cache{of} must be a tuple (A_prev, W, b), got {describe(cache)}")
    W = check_array(where, f"W{of}", cache[1], (rows, "n_prev"))
    A_prev = check_array(where, f"A_prev{of}", cache[0], (W.shape[1], m), f" to match W of shape {W.shape}")
    return A_prev, W, check_array(where, f"b{of}", cache[2], (len(W), 1), f" to match W of shape {W.shape}")


def linear_backward(dZ: Any, linear_cache: tuple[np.ndarray, np.ndarray, np.ndarray]) -> tuple[np.ndarray, ...]:
    """``dA_prev = Wᵀ dZ``, ``dW = (1/m) dZ A_prevᵀ``, ``db = (1/m) Σ dZ`` (summed over the examples)."""
    A_prev, W, b = _linear_cache("linear_backward", "", linear_cache)
    grads = _backward(
        check_array("linear_backward", "dZ", dZ, (len(W), A_prev.shape[1])), [((A_prev, W, b), None, None)]
    )
    return grads["dA0"], grads["dW1"], grads["db1"]


def L_model_backward(AL: Any, Y: Any, caches: list[Any]) -> dict[str, np.ndarray]:
    """The gradients of ``compute_cost(AL, Y)``: ``dW{l}``, ``db{l}`` and ``dA{l-1}`` for every layer.

    The output layer starts from ``dZ[L] = AL − Y``: the course's ``dAL = −(Y/AL − (1−Y)/(1−AL))`` times
    the sigmoid's slope ``AL (1 − AL)``, simplified, so it is exact even where ``AL`` rounds to 0 or 1.
    """
    AL = check_array("L_model_backward", "AL", AL, (1, "m"))
    Y = layout.labels("L_model_backward", Y, AL)
    if not (isinstance(caches, (list, tuple)) and caches and all(isinstance(c, tuple) and len(c) == 3 for c in caches)):
        raise TypeError(
            f"L_model_backward: caches must be what L_model_forward returns, a list of ((A_prev, W, b), (Z, A), activation), one per layer; got {describe(caches)}"
        )
    rows = 1  # layer l's W has as many rows as layer l + 1's A_prev (the top one as AL), all with m columns
    for l in range(len(caches), 0, -1):  # noqa: E741
        rows = len(_linear_cache("L_model_backward", f" of caches[{l - 1}]", caches[l - 1][0], rows, AL.shape[1])[0])
    return _backward(AL - Y, caches)


def _backward(dZ: np.ndarray, caches: list[Any]) -> dict[str, np.ndarray]:
    """The chain rule down the layers from the top layer's ``dZ``, on checked caches."""
    grads, m = {}, dZ.shape[1]
    for l in range(len(caches), 0, -1):  # noqa: E741
        A_prev, W, _ = caches[l - 1][0]
        grads[f"dW{l}"], grads[f"db{l}"] = np.dot(dZ, A_prev.T) / m, np.sum(dZ, axis=1, keepdims=True) / m
        grads[f"dA{l - 1}"] = np.dot(W.T, dZ)
        if l > 1:
            _, (Z, A), activation = caches[l - 2]
            dZ = grads[f"dA{l - 1}"] * SLOPE[activation](Z, A)
    return grads


def update_parameters(parameters: Parameters, grads: dict[str, np.ndarray], learning_rate: float) -> Parameters:
    """One step of gradient descent, ``W[l] := W[l] − α dW[l]``, ``b[l] := b[l] − α db[l]``, as new arrays."""
    learning_rate = checks.real("update_parameters", "learning_rate", learning_rate, low=0.0, low_open=True)
    if not (isinstance(parameters, dict) and isinstance(grads, dict)):
        raise TypeError(f"update_parameters takes two dicts, got {describe(parameters)} and {describe(grads)}")
    updated = {}
    for key, value in parameters.items():
        if f"d{key}" not in grads:
            raise ValueError(f"update_parameters: grads has no d{key} for parameter {key}")
        value = check_array("update_parameters", key, value, layout.as_numbers("update_parameters", key, value).shape)
        grad = check_array("update_parameters", f"d{key} (the gradient of {key})", grads[f"d{key}"], value.shape)
        with np.errstate(over="ignore", invalid="ignore"):  # checked just below
            updated[key] = check_array("update_parameters", f"the new {key}", value - learning_rate * grad, value.shape)
    return updated


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

    Week 3's network is ``L_layer_model(X, Y, [n_x, n_h, 1], 1.2, activation="tanh", init="small")``. The costs
    come from the output layer's ``Z`` (``cost_from_logits``), finite where ``compute_cost(AL, Y)`` can be inf.

    >>> X, Y = np.array([[-2.0, -1.0, 1.0, 2.0]]), np.array([[0, 0, 1, 1]])
    >>> parameters, costs = L_layer_model(X, Y, [1, 3, 1], learning_rate=0.5, num_iterations=200, seed=0)
    >>> L_model_forward(X, parameters)[0].round().tolist(), costs[0] > costs[-1]
    ([[0.0, 0.0, 1.0, 1.0]], True)
    """
    where = "L_layer_model"  # every argument is checked before the first step, so a mistake costs no wait
    X = layout.examples(where, X)
    layout.check_finite(where, "X", X)
    Y = layout.labels(where, Y, X)
    dims = _dims(where, "layers_dims", layers_dims)
    if dims[0] != X.shape[0] or dims[-1] != 1:
        raise ValueError(
            f"{where}: layers_dims must start with n_x = {X.shape[0]} (X has shape {X.shape}) and end with 1 (one output unit: a probability per example); got {dims}"
        )
    learning_rate = checks.real(where, "learning_rate", learning_rate, low=0.0, low_open=True)
    num_iterations = check_iterations(where, num_iterations, X.shape[1] * sum(a * b for a, b in zip(dims, dims[1:])))
    activation, init, seed = _activation(where, activation), check_init(where, init), check_seed(where, seed)
    parameters = _layers(where, initialize_parameters_deep(dims, init, seed), X)  # sizes Z and A too
    costs = []
    for i in range(num_iterations):
        try:  # the arguments are right (checked above), so an error now is an overflow: a step too long
            AL, caches = _forward(where, X, parameters, activation)
            J = _cost_from_logits(caches[-1][1][0], Y)
            grads = _backward(AL - Y, caches)  # L_model_backward on arrays L_model_forward has checked
            with np.errstate(over="ignore", invalid="ignore"):
                parameters = {key: value - learning_rate * grads[f"d{key}"] for key, value in parameters.items()}
            if not (math.isfinite(J) and all(np.isfinite(value).all() for value in parameters.values())):
                raise ValueError(f"the cost is {J!r}" if not math.isfinite(J) else "the weights overflowed")
        except ValueError as error:
            raise ValueError(
                f"{where}: gradient descent diverged at iteration {i}; lower the learning rate ({learning_rate!r}) or scale X down ({error})"
            ) from None
        if i % 100 == 0:
            costs.append(J)
            if print_cost:
                print(f"Cost after iteration {i}: {J:f}")
    return parameters, costs
