"""nn/logistic.py: logistic regression on the scalar engine: the course's hand derivation, and agreement with numpy."""

from __future__ import annotations

import math

import numpy as np
import pytest

import nn
from autograd import gradcheck
from nn import vectorized


def random_problem(n_x, m, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_x, m))  # the course's orientation: one column per example
    Y = (rng.random((1, m)) < 0.5).astype(float)
    w = rng.normal(size=(n_x, 1))
    b = float(rng.normal())
    return X, Y, w, b


def model_with(w, b):
    model = nn.LogisticRegression(len(w))
    model.load_state_dict({**{f"w.{i}": float(v) for i, v in enumerate(np.ravel(w))}, "b": b})
    return model


def test_per_example_gradient_is_the_course_hand_derivation():
    X, Y, w, b = random_problem(5, 4, seed=0)
    model = model_with(w, b)
    for i in range(4):
        x, y = X[:, i].tolist(), Y[0, i]
        model.zero_grad()
        model.loss(x, y).backward()
        z = sum(wj * xj for wj, xj in zip(w[:, 0], x)) + b
        a = 1.0 / (1.0 + math.exp(-z))
        dz = a - y
        assert [p.grad for p in model.w] == pytest.approx([xj * dz for xj in x], rel=1e-12)  # dw = x dz
        assert model.b.grad == pytest.approx(dz, rel=1e-12)  # db = dz
        assert model.forward(x).data == pytest.approx(a, rel=1e-15)
        assert model.loss(x, y).data == pytest.approx(-(y * math.log(a) + (1 - y) * math.log(1 - a)), rel=1e-12)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_scalar_and_vectorized_gradients_agree_to_1e_9(seed):
    X, Y, w, b = random_problem(n_x=7, m=23, seed=seed)
    model = model_with(w, b)
    J = model.cost(X.T.tolist(), Y[0].tolist())
    J.backward()
    grads, cost = vectorized.propagate(w, b, X, Y)
    dw_scalar = np.array([[p.grad] for p in model.w])
    assert np.linalg.norm(dw_scalar - grads["dw"]) / np.linalg.norm(grads["dw"]) <= 1e-9
    assert abs(model.b.grad - grads["db"]) / abs(grads["db"]) <= 1e-9
    assert abs(J.data - cost) / cost <= 1e-9


def test_loss_gradcheck_in_weights_and_bias():
    model = nn.LogisticRegression(3)
    x, y = [0.5, -1.2, 2.0], 1

    def f(w0, w1, w2, b):
        model.w, model.b = [w0, w1, w2], b
        return model.loss(x, y)

    assert gradcheck(f, 0.3, 0.1, -0.4, 0.2)


def test_loss_stays_finite_when_z_is_huge():
    model = model_with([1.0], 0.0)
    L = model.loss([1000.0], 0)
    L.backward()
    assert L.data == 1000.0 and model.w[0].grad == 1000.0  # dw = x (a - y) = 1000 (1 - 0)
    assert model.loss([1000.0], 1).data == 0.0


def test_cost_is_the_mean_loss():
    model = model_with([0.5, -0.25], 0.1)
    X, Y = [[1.0, 2.0], [-1.0, 0.5], [3.0, 3.0]], [1, 0, 1]
    expected = sum(model.loss(x, y).data for x, y in zip(X, Y)) / 3
    assert model.cost(X, Y).data == pytest.approx(expected, rel=1e-15)
    assert nn.LogisticRegression(2).cost(X, Y).data == pytest.approx(math.log(2), rel=1e-15)


def test_fit_matches_vectorized_gradient_descent_step_for_step():
    X, Y, _, _ = random_problem(n_x=4, m=30, seed=3)
    model = nn.LogisticRegression(4)
    costs = model.fit(X.T, Y[0], learning_rate=0.1, num_iterations=150)
    params, _, vec_costs = vectorized.optimize(np.zeros((4, 1)), 0.0, X, Y, 150, 0.1)
    assert len(costs) == 150
    assert costs[0] == pytest.approx(math.log(2), rel=1e-12)
    assert [costs[0], costs[100]] == pytest.approx(vec_costs, rel=1e-9)
    assert [p.data for p in model.w] == pytest.approx(params["w"][:, 0].tolist(), rel=1e-9)
    assert model.b.data == pytest.approx(params["b"], rel=1e-9)


def test_predict_and_fit_on_a_separable_problem():
    X = [[2.0, 1.0], [1.5, 2.0], [-1.0, -2.0], [-2.0, -0.5]]
    Y = [1, 1, 0, 0]
    model = nn.LogisticRegression(2)
    assert model.predict(X) == [0, 0, 0, 0]  # z = 0 exactly: a = 0.5 is not > 0.5
    model.fit(X, Y, learning_rate=0.5, num_iterations=100)
    assert model.predict(X) == Y


def test_fit_prints_cost_every_100_iterations(capsys):
    nn.LogisticRegression(1).fit([[1.0], [-1.0]], [1, 0], learning_rate=0.1, num_iterations=201, print_cost=True)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == [f"Cost after iteration {i}" for i in (0, 100, 200)]
    assert lines[0] == "Cost after iteration 0: 0.693147"


def test_repr_names_and_errors():
    model = nn.LogisticRegression(3)
    assert repr(model) == "LogisticRegression(n_x=3, 4 parameters)"
    assert [name for name, _ in model.named_parameters()] == ["w.0", "w.1", "w.2", "b"]
    assert model.w[2].label == "w.2"
    with pytest.raises(ValueError, match="n_x .* must be a positive int, got 0"):
        nn.LogisticRegression(0)
    with pytest.raises(
        ValueError,
        match=r"LogisticRegression.forward|LogisticRegression.logit: an example has 2 features, expected n_x=3",
    ):
        model.forward([1.0, 2.0])
    with pytest.raises(ValueError, match="LogisticRegression.cost: X has 2 examples but Y has 1 labels"):
        model.cost([[1, 2, 3], [4, 5, 6]], [1])
    with pytest.raises(
        ValueError, match=r"LogisticRegression.fit: example 1 has 2 features, expected n_x=3 \(X is a list of examples"
    ):
        model.fit([[1, 2, 3], [4, 5]], [1, 0])
    with pytest.raises(ValueError, match="learning_rate must be a finite number > 0, got 0"):
        model.fit([[1, 2, 3]], [1], learning_rate=0)
    with pytest.raises(ValueError, match="got no examples"):
        model.predict([])


def test_logit_of_a_non_sequence_or_a_numpy_row():
    model = nn.LogisticRegression(2)
    with pytest.raises(
        TypeError, match=r"LogisticRegression.logit: an input is a sequence of 2 numbers, got float 5.0"
    ):
        model.logit(5.0)
    with pytest.raises(TypeError, match=r"LogisticRegression.logit: one example at a time: pass X\[i\], not X"):
        model.logit(np.zeros((3, 2)))
    model.load_state_dict({"w.0": 1.0, "w.1": 2.0, "b": 0.5})
    assert model.logit(np.array([3.0, -1.0])).data == 1.5


@pytest.mark.parametrize(
    "call, error, message",
    [
        (
            lambda m: m.fit([[math.inf, 1.0], [2.0, 1.0]], [0, 1]),
            ValueError,
            r"fit: X\[0\]\[0\] is float inf; every feature must be a finite number",
        ),
        (
            lambda m: m.predict([[1.0, 2.0], [math.nan, 1.0]]),
            ValueError,
            r"predict: X\[1\]\[0\] is float nan; .*missing values",
        ),
        (lambda m: m.cost([[1.0, -math.inf]], [1]), ValueError, r"cost: X\[0\]\[1\] is float -inf"),
        (
            lambda m: m.predict([[10**400, 1.0]]),
            ValueError,
            r"predict: X\[0\]\[0\] is int 1000.*; every feature must be a finite number",
        ),
        (
            lambda m: m.fit([["1.5", 2.0], [2.0, 1.0]], [0, 1]),
            TypeError,
            r"fit: X\[0\]\[0\] is str '1.5'; every feature must be a number",
        ),
        (
            lambda m: m.fit([1.0, 2.0], [0, 1]),
            TypeError,
            r"fit: example 0 is float 1.0; X is a list of examples, each a list of 2 numbers",
        ),
        (
            lambda m: m.fit("ab", [0, 1]),
            TypeError,
            r"fit: X is a list of examples, each a list of 2 numbers; got str 'ab'",
        ),
        (
            lambda m: m.fit([[1.0, 2.0]], None),
            TypeError,
            r"fit: Y is a list of labels 0 or 1, one per example; got NoneType None",
        ),
    ],
    ids=["inf", "nan", "-inf in cost", "huge int", "text", "flat list", "str", "no labels"],
)
def test_bad_data_is_refused_before_training(call, error, message):
    """The vectorized path refuses these; the scalar one did train on them (inf gave nan weights)."""
    model = nn.LogisticRegression(2)
    with pytest.raises(error, match=message):
        call(model)
    assert [p.data for p in model.parameters()] == [0.0, 0.0, 0.0]


def test_numpy_data_and_bool_features_are_accepted():
    """Bools are features like one-hot columns, 0 and 1 (as in nn.vectorized), wherever they appear."""
    X = np.array([[1.0, 2.0], [-1.0, -2.0]])
    model = nn.LogisticRegression(2)
    model.fit(X, np.array([1, 0]), learning_rate=0.5, num_iterations=20)
    assert model.predict(X) == [1, 0]
    assert model.predict([[True, False], [True, 2], [False, -1.5]]) == model.predict(
        [[1.0, 0.0], [1.0, 2.0], [0.0, -1.5]]
    )


def test_the_course_layout_is_reported_as_transposed_with_the_vectorized_paths_words():
    X = np.arange(12.0).reshape(3, 4)  # n_x = 3 features, m = 4 examples: the course's columns
    Y = [0, 1, 0, 1]
    with pytest.raises(ValueError, match=r"LogisticRegression\.fit: X looks transposed.*pass X\.T") as scalar:
        nn.LogisticRegression(3).fit(X, Y, num_iterations=1)
    assert "(m, 3)" in str(scalar.value) and "3 rows of 4 numbers" in str(scalar.value)
    with pytest.raises(ValueError, match=r"propagate: X looks transposed.*pass X\.T"):
        nn.vectorized.propagate(np.zeros((3, 1)), 0.0, X.T, np.array([Y]))
    assert nn.LogisticRegression(3).cost(X.T, Y).data == pytest.approx(np.log(2), rel=1e-15)


def test_an_infinite_feature_is_refused_not_turned_into_nan():
    model = nn.LogisticRegression(2)
    with pytest.raises(ValueError, match=r"^LogisticRegression.logit: feature 0 is inf; an example holds finite"):
        model.forward([math.inf, 1.0])
    with pytest.raises(ValueError, match=r"feature 1 is -inf"):
        model.loss([1.0, -math.inf], 1)


def test_fit_that_diverges_stops_and_keeps_the_last_finite_parameters():
    model = nn.LogisticRegression(2)
    X, Y = [[1e150, 1e150], [-1e150, -1e150]], [1, 0]
    with pytest.raises(ValueError, match=r"diverged at iteration 0 .*lower the learning rate \(1e\+300\)"):
        model.fit(X, Y, learning_rate=1e300, num_iterations=5)
    assert model.state_dict() == {"w.0": 0.0, "w.1": 0.0, "b": 0.0}


def test_fit_refuses_work_that_would_take_hours_before_it_starts():
    model = nn.LogisticRegression(2)
    with pytest.raises(
        ValueError, match=r"1,000,000,000 iterations over 100 examples of 2 features are 300,000,000,000 steps"
    ):
        model.fit([[1.0, 2.0]] * 100, [1] * 100, num_iterations=10**9)
    assert model.state_dict() == {"w.0": 0.0, "w.1": 0.0, "b": 0.0}
