"""nn/deep.py: the course's two-layer and L-layer networks in numpy, against the scalar engine on the
same weights (parameters_from_mlp), against hand-computed numbers, and their argument checks."""

from __future__ import annotations

import math

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
    return J.data, deep.parameters_from_mlp(model, gradients=True)


@pytest.mark.parametrize("activation, nouts", [("tanh", [4, 1]), ("relu", [5, 3, 1]), ("tanh", [6, 4, 3, 1])])
def test_vectorized_gradients_agree_with_the_engines_on_the_same_weights(activation, nouts):
    X, Y = nn.datasets.make_planar(m=40, seed=3)
    model = nn.MLP(2, nouts, activation=activation, seed=5, init="xavier")
    J_engine, engine = engine_cost_and_gradients(model, X, Y)
    parameters = deep.parameters_from_mlp(model)
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
    accuracy = float(np.mean(deep.predict_deep(parameters, X, "tanh") == Y))
    assert accuracy >= 0.85 and costs[-1] < costs[0]
    logistic = vectorized.LogisticRegression(learning_rate=0.5, num_iterations=300).fit(X, Y)
    assert logistic.score(X, Y) < 0.65  # no straight line separates the classes


@pytest.mark.slow
def test_the_course_network_at_12288_pixels_starts_near_log_2_with_xavier():
    X, Y = nn.datasets.make_images(m=209, n_x=12288, seed=0)
    costs = {}
    for init in ("uniform", "xavier"):  # "he" is checked at 1,024 pixels in test_layers.py (each model takes 2 s)
        model = nn.MLP(12288, [20, 7, 5, 1], seed=1, init=init)
        AL, _ = deep.L_model_forward(X, deep.parameters_from_mlp(model), "relu")
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
        deep.parameters_from_mlp(nn.LogisticRegression(2))
