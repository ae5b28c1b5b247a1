"""nn/deep.py: the course's two-layer and L-layer networks in numpy, against the scalar engine on the
same weights (parameters_from_mlp), against hand-computed numbers, and their argument checks."""

from __future__ import annotations

import math
import re
import warnings

import numpy as np
import pytest

import nn
from nn import deep, vectorized
from nn.losses import bce_with_logits, mean


def engine_cost_and_gradients(model, X, Y):
    """J = (1/m) Σ L(σ(model(x)), y) on the scalar engine, and its gradients read as dW1, db1, ..."""
    model.zero_grad()
    J = mean([bce_with_logits(model(X[:, i]), float(Y[0, i])) for i in range(X.shape[1])])
    J.backward()
    return J.data, vectorized.parameters_from_mlp(model, gradients=True)


@pytest.mark.parametrize("activation, nouts", [("tanh", [4, 1]), ("relu", [5, 3, 1]), ("tanh", [6, 4, 3, 1])])
def test_vectorized_gradients_agree_with_the_engines_on_the_same_weights(activation, nouts):
    X, Y = nn.datasets.make_planar(m=40, seed=3)
    model = nn.MLP(2, nouts, activation=activation, seed=5, init="xavier")
    J_engine, engine = engine_cost_and_gradients(model, X, Y)
    parameters = vectorized.parameters_from_mlp(model)
    AL, caches = vectorized.L_model_forward(X, parameters, activation)
    grads = vectorized.L_model_backward(AL, Y, caches)
    assert vectorized.compute_cost(AL, Y) == pytest.approx(J_engine, abs=1e-12)
    assert sorted(engine) == sorted(k for k in grads if not k.startswith("dA"))
    for key, value in engine.items():
        np.testing.assert_allclose(grads[key], value, rtol=0, atol=1e-12, err_msg=key)


def test_the_forward_of_a_two_layer_network_by_hand():
    # Z1 = [1 -1] x + 0.5: 1 - 3 + 0.5 = -1.5 and 0.5; A1 = tanh(Z1); Z2 = 2 A1; A2 = σ(Z2).
    p = {"W1": np.array([[1.0, -1.0]]), "b1": np.array([[0.5]]), "W2": np.array([[2.0]]), "b2": np.array([[0.0]])}
    AL, caches = deep.L_model_forward(np.array([[1.0, 0.0], [3.0, 0.0]]), p, "tanh")
    expected = [1 / (1 + math.exp(-2 * math.tanh(-1.5))), 1 / (1 + math.exp(-2 * math.tanh(0.5)))]
    assert AL.tolist() == [pytest.approx(expected, rel=1e-15)]
    grads = deep.L_model_backward(AL, np.array([[1, 0]]), caches)
    dZ2 = AL - np.array([[1, 0]])  # the course's dZ2 = A2 - Y
    A1 = np.tanh(np.array([[-1.5, 0.5]]))
    assert grads["dW2"].tolist() == [[pytest.approx(float((dZ2 * A1).sum() / 2), rel=1e-15)]]
    dZ1 = 2.0 * dZ2 * (1 - A1**2)  # dZ1 = W2ᵀ dZ2 * (1 - A1²)
    assert grads["dW1"].tolist() == [pytest.approx([float(dZ1[0, 0] / 2), 3 * float(dZ1[0, 0]) / 2], rel=1e-14)]
    assert grads["db1"][0, 0] == pytest.approx(float(dZ1.sum() / 2), rel=1e-14)


def test_compute_cost_matches_the_formula_and_takes_only_the_log_it_needs():
    AL, Y = np.array([[0.8, 0.9, 0.4]]), np.array([[1, 1, 0]])
    assert deep.compute_cost(AL, Y) == pytest.approx(-(math.log(0.8) + math.log(0.9) + math.log(0.6)) / 3, rel=1e-15)
    assert deep.compute_cost(np.array([[1.0, 0.0]]), np.array([[1, 0]])) == 0.0


@pytest.mark.parametrize("init, std", [("small", 0.01), ("xavier", 1 / math.sqrt(500)), ("he", math.sqrt(2 / 500))])
def test_initialize_parameters_deep_draws_each_init_with_its_spread(init, std):
    p = deep.initialize_parameters_deep([500, 40, 1], init, seed=0)
    assert p["W1"].std() == pytest.approx(std, rel=0.03)
    assert (p["b1"] == 0).all() and p["W2"].shape == (1, 40)
    assert (deep.initialize_parameters_deep([500, 40, 1], init, seed=0)["W1"] == p["W1"]).all()


def test_week_3s_network_learns_the_planar_flower():
    X, Y = nn.datasets.make_planar(seed=0)
    parameters, costs = deep.L_layer_model(X, Y, [2, 4, 1], 1.2, 3000, activation="tanh", init="small", seed=2)
    accuracy = float(np.mean(vectorized.predict_deep(parameters, X, "tanh") == Y))
    assert accuracy >= 0.85 and costs[-1] < costs[0]
    logistic = vectorized.LogisticRegression(learning_rate=0.5, num_iterations=300).fit(X, Y)
    assert logistic.score(X, Y) < 0.65  # no straight line separates the classes


@pytest.mark.slow
def test_the_course_network_at_12288_pixels_starts_near_log_2_with_xavier():
    X, Y = nn.datasets.make_images(m=209, n_x=12288, seed=0)
    costs = {}
    for init in ("uniform", "xavier"):  # "he" is checked at 1,024 pixels in test_layers.py (each model takes 2 s)
        model = nn.MLP(12288, [20, 7, 5, 1], seed=1, init=init)
        AL, _ = deep.L_model_forward(X, vectorized.parameters_from_mlp(model), "relu")
        costs[init] = deep.compute_cost(np.clip(AL, 1e-300, 1 - 1e-16), Y)
    assert costs["uniform"] > 10  # 40.8 (41.2 when the issue was filed)
    assert costs["xavier"] == pytest.approx(math.log(2), abs=0.05), costs  # 0.6934


@pytest.mark.parametrize(
    "call, message",
    [
        (
            lambda: deep.L_model_forward(np.zeros((3, 2)), deep.initialize_parameters(2, 4, 1)),
            r"W1 must have shape \(n_1, 3\)",
        ),
        (lambda: deep.L_model_forward(np.zeros((2, 5)), {"W1": np.zeros((4, 2))}), "no b1"),
        (
            lambda: deep.L_model_forward(np.zeros((2, 5)), deep.initialize_parameters(2, 4, 1), "elu"),
            "unknown activation 'elu'",
        ),
        (lambda: deep.initialize_parameters_deep([2, 4, 1], init="glorot"), "unknown init 'glorot'"),
        (lambda: deep.compute_cost(np.array([[0.5, 1.5]]), np.array([[1, 0]])), r"probabilities in \[0, 1\]"),
        (lambda: deep.compute_cost(np.array([[0.5, 0.5]]), np.array([[1, 2]])), r"label Y\[0, 1\] is 2.0"),
        (lambda: deep.update_parameters({"W1": np.zeros(1)}, {}, 0.1), "grads has no dW1"),
    ],
)
def test_bad_arguments_name_what_is_off(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_parameters_from_mlp_takes_only_an_mlp():
    with pytest.raises(TypeError, match="must be an nn.MLP, got LogisticRegression"):
        vectorized.parameters_from_mlp(nn.LogisticRegression(2))


# Faults from an adversarial review: each test failed before its fix.


def small_network():
    X, Y = nn.datasets.make_planar(m=20, seed=0)
    p = deep.initialize_parameters(2, 3, 1, seed=0)
    AL, caches = deep.L_model_forward(X, p)
    return X, Y, p, AL, caches, deep.L_model_backward(AL, Y, caches)


@pytest.mark.parametrize(
    "change, got",
    [({"db1": lambda g: g["db1"].ravel()}, r"\(3,\)"), ({"dW1": lambda g: g["db1"]}, r"\(3, 1\)")]
    + [({"dW1": lambda g: 1.0}, r"\(\)"), ({"dW1": lambda g: g["dW1"].T}, r"\(2, 3\)")],
)
def test_update_parameters_takes_each_gradient_only_in_its_parameters_shape(change, got):
    _, _, p, _, _, grads = small_network()
    ((key, make),) = change.items()
    expected = r"\(3, 1\)" if key == "db1" else r"\(3, 2\)"
    with pytest.raises(
        ValueError,
        match=rf"^update_parameters: {key} \(the gradient of {key[1:]}\) must have shape {expected}, got shape {got}$",
    ):
        deep.update_parameters(p, {**grads, key: make(grads)}, 0.1)


def test_update_parameters_names_what_is_not_a_dict_or_not_numbers():
    _, _, p, _, _, grads = small_network()
    with pytest.raises(TypeError, match=r"^update_parameters takes two dicts, got dict .* and NoneType None$"):
        deep.update_parameters(p, None, 0.1)
    with pytest.raises(TypeError, match=r"^update_parameters takes two dicts, got list "):
        deep.update_parameters(list(p.values()), grads, 0.1)
    with pytest.raises(
        ValueError, match=r"^update_parameters: dW1 \(the gradient of W1\) holds <U1 values, got str 'a'"
    ):
        deep.update_parameters(p, {**grads, "dW1": "a"}, 0.1)
    assert deep.update_parameters(p, grads, 0.5)["b2"] == p["b2"] - 0.5 * grads["db2"]


def test_L_layer_model_stops_at_the_iteration_where_gradient_descent_diverges():
    X, Y = nn.datasets.make_planar(20)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # and without numpy's overflow warnings on the way
        with pytest.raises(ValueError) as error:
            deep.L_layer_model(X, Y, [2, 4, 1], learning_rate=1e6, num_iterations=55)
    message = str(error.value)
    assert re.match(
        r"^L_layer_model: gradient descent diverged at iteration \d+; lower the learning rate \(1000000\.0\)", message
    )
    assert "overflowed to inf or nan" in message and "compute_cost" not in message


def test_compute_cost_names_a_nan_and_refuses_no_examples():
    with pytest.raises(ValueError, match=r"^compute_cost: AL\[0, 0\] is nan \(1 entry is NaN or infinite\)"):
        deep.compute_cost(np.array([[np.nan, 0.5]]), np.array([[1, 0]]))
    with pytest.raises(
        ValueError, match=r"^compute_cost: AL must have shape \(1, m\) with m >= 1, got shape \(1, 0\)$"
    ):
        deep.compute_cost(np.zeros((1, 0)), np.zeros((1, 0)))


def test_the_recorded_costs_come_from_the_logits_and_agree_with_the_engine():
    # σ(40) rounds to 1.0: from probabilities a confident mistake costs inf; from its logit, 40.
    assert deep.compute_cost(vectorized.sigmoid(np.array([[40.0, -40.0]])), [[0, 1]]) == math.inf
    assert vectorized.cost_from_logits([[40.0, -40.0]], [[0, 1]]) == pytest.approx(40.0, abs=1e-12)
    assert vectorized.cost_from_logits([[40.0]], [[0]]) == pytest.approx(bce_with_logits(40.0, 0), abs=1e-12)
    # One layer, one weight w: z = w x = ±1000 w, both examples labelled wrong, so each costs |z| = 1000 |w|.
    w = deep.initialize_parameters_deep([1, 1], seed=0)["W1"][0, 0]
    _, costs = deep.L_layer_model(
        np.array([[1000.0, -1000.0]]), np.array([[w < 0, w > 0]]), [1, 1], num_iterations=1, seed=0
    )
    assert costs == [pytest.approx(1000 * abs(w), rel=1e-15)]


def test_L_model_forward_refuses_parameters_that_are_not_finite_real_numbers_or_overflow():
    X, _, p, _, _, _ = small_network()
    for W2, message in [
        (np.full((1, 3), np.nan), r"^L_model_forward: W2\[0, 0\] is nan \(3 entries are NaN or infinite\)"),
        (p["W2"] + 1j, r"^L_model_forward: W2 holds complex128 values"),
        (np.array([["a", "b", "c"]]), r"^L_model_forward: W2 holds <U1 values"),
    ]:
        with pytest.raises(ValueError, match=message):
            deep.L_model_forward(X, {**p, "W2": W2})
    with pytest.raises(ValueError, match=r"^L_model_forward: Z1 = W1 A0 \+ b1 overflowed to inf or nan"):
        deep.L_model_forward(X, {**p, "W1": np.full((3, 2), 1e308)})
    with pytest.raises(ValueError, match=r"^L_model_forward: X\[1, 2\] is nan"):
        deep.L_model_forward(np.where(np.arange(40).reshape(2, 20) == 22, np.nan, X), p)
    with pytest.raises(
        TypeError, match=r"^L_model_forward: parameters must be a dict with keys 'W1', 'b1', ...; got dict"
    ):
        deep.L_model_forward(X, {**p, 1: 2})
    with pytest.raises(
        ValueError,
        match=r"^L_model_forward: the layers' Z and A would hold 2,000,000,000 numbers, more than MAX_NUMBERS",
    ):
        deep.L_model_forward(np.zeros((2, 10**4)), {"W1": np.zeros((10**5, 2)), "b1": np.zeros((10**5, 1))})


def test_the_steps_of_one_layer_check_their_arguments():
    X, _, p, _, caches, _ = small_network()
    W1, b1 = p["W1"], p["b1"]
    with pytest.raises(
        ValueError,
        match=r"^linear_activation_forward: unknown activation 'softmax'; choose one of 'relu', 'tanh', 'sigmoid'$",
    ):
        deep.linear_activation_forward(X, W1, b1, "softmax")
    with pytest.raises(
        ValueError,
        match=r"^linear_activation_forward: A_prev must have shape \(3, m\) with m >= 1 to match W of shape \(2, 3\), got shape \(2, 20\)$",
    ):
        deep.linear_activation_forward(X, W1.T, b1, "relu")
    with pytest.raises(
        ValueError,
        match=r"^linear_activation_forward: b must have shape \(3, 1\) to match W of shape \(3, 2\), got shape \(1, 20\)$",
    ):
        deep.linear_activation_forward(X, W1, np.zeros((1, 20)), "relu")
    with pytest.raises(ValueError, match=r"^linear_backward: dZ must have shape \(3, 20\), got shape \(3, 5\)$"):
        deep.linear_backward(np.zeros((3, 5)), caches[0][0])
    with pytest.raises(
        TypeError, match=r"^linear_backward: the linear cache must be a tuple \(A_prev, W, b\), got NoneType None$"
    ):
        deep.linear_backward(np.zeros((3, 20)), None)
    dA_prev, dW, db = deep.linear_backward(np.ones((3, 20)), caches[0][0])  # dW = (1/m) dZ A_prevᵀ, db = (1/m) Σ dZ
    assert np.array_equal(db, np.ones((3, 1))) and np.allclose(dW, np.tile(X.mean(axis=1), (3, 1)), rtol=1e-15)


@pytest.mark.parametrize(
    "AL, caches, error, message",
    [
        (
            lambda AL: AL[0],
            lambda c, c10: c,
            ValueError,
            r"AL must have shape \(1, m\) with m >= 1, got shape \(20,\)$",
        ),
        (
            lambda AL: AL,
            lambda c, c10: None,
            TypeError,
            r"caches must be what L_model_forward returns.*; got NoneType None$",
        ),
        (lambda AL: AL, lambda c, c10: [1, 2], TypeError, r"caches must be .*; got list \[1, 2\]$"),
        (lambda AL: AL, lambda c, c10: [], TypeError, r"caches must be .*; got list \[\]$"),
        (
            lambda AL: AL,
            lambda c, c10: c10,
            ValueError,
            r"A_prev of caches\[1\] must have shape \(3, 20\) .*, got shape \(3, 10\)$",
        ),
    ],
)
def test_L_model_backward_checks_AL_and_the_caches(AL, caches, error, message):
    X, Y, p, AL_, caches_, _ = small_network()
    caches10 = deep.L_model_forward(X[:, :10], p)[1]  # from m = 10 examples, not 20
    with pytest.raises(error, match="^L_model_backward: " + message):
        deep.L_model_backward(AL(AL_), Y, caches(caches_, caches10))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"layers_dims": 5}, r"layers_dims is \[n_x, n_1, ..., n_L\], two widths or more; got 5$"),
        (
            {"layers_dims": [3, 4, 1]},
            r"layers_dims must start with n_x = 2 \(X has shape \(2, 20\)\) and end with 1 .*; got \[3, 4, 1\]$",
        ),
        ({"layers_dims": [2, 4, 2]}, r"layers_dims must start with n_x = 2 .* end with 1 .*; got \[2, 4, 2\]$"),
        ({"learning_rate": math.nan, "num_iterations": 0}, r"learning_rate must be a finite number > 0, got nan$"),
        ({"activation": "elu", "num_iterations": 0}, r"unknown activation 'elu'"),
        ({"init": "glorot", "num_iterations": 0}, r"unknown init 'glorot'"),
        ({"num_iterations": 10**12}, r"num_iterations=1,000,000,000,000 is too many; at most 1,000,000 at this size"),
        ({"seed": -1}, r"seed must be None or an int >= 0, got -1$"),
        ({"seed": 1.5}, r"seed must be None or an int >= 0, got 1.5$"),
        ({"seed": True}, r"seed must be None or an int >= 0, got True$"),
    ],
)
def test_L_layer_model_checks_every_argument_before_the_first_step(kwargs, message):
    X, Y = nn.datasets.make_planar(20)
    kwargs = {"layers_dims": [2, 4, 1], **kwargs}
    with pytest.raises(ValueError, match="^L_layer_model: " + message):
        deep.L_layer_model(X, Y, **kwargs)


@pytest.mark.parametrize("seed", [-1, 1.5, True, "0"])
def test_initialize_parameters_deep_refuses_a_seed_as_make_moons_does(seed):
    with pytest.raises(
        ValueError, match=rf"^initialize_parameters_deep: seed must be None or an int >= 0, got {seed!r}$"
    ):
        deep.initialize_parameters_deep([2, 1], seed=seed)


def test_initialize_parameters_deep_refuses_weights_over_MAX_NUMBERS_up_front():
    with pytest.raises(
        ValueError,
        match=r"^initialize_parameters_deep: the weights of layers \[1000000, 1000000\] would hold 1,000,000,000,000 numbers, more than MAX_NUMBERS = 100,000,000 \(800 MB\)",
    ):
        deep.initialize_parameters_deep([10**6, 10**6])
