"""nn/vectorized.py: the vectorized numpy path: the course's numbers, central differences, stability, shapes."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest

from nn import vectorized as v

COURSE_W = np.array([[1.0], [2.0]])

COURSE_B = 2.0

COURSE_X = np.array([[1.0, 2.0, -1.0], [3.0, 4.0, -3.2]])

COURSE_Y = np.array([[1, 0, 1]])


def test_sigmoid_values_and_stability():
    assert v.sigmoid(0) == 0.5
    assert v.sigmoid(np.array([[2.0]]))[0, 0] == pytest.approx(1 / (1 + np.exp(-2.0)), rel=1e-15)
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        s = v.sigmoid(np.array([-1000.0, -50.0, 50.0, 1000.0]))
    assert s.tolist() == pytest.approx([0.0, np.exp(-50.0), 1.0, 1.0], rel=1e-12, abs=0)
    assert s[0] == 0.0 and s[3] == 1.0


def test_initialize_with_zeros():
    w, b = v.initialize_with_zeros(3)
    assert w.shape == (3, 1) and not w.any() and b == 0.0 and isinstance(b, float)
    with pytest.raises(ValueError, match="n_x must be a positive int, got 0"):
        v.initialize_with_zeros(0)


def test_propagate_reproduces_the_course_numbers():
    grads, J = v.propagate(COURSE_W, COURSE_B, COURSE_X, COURSE_Y)
    assert grads["dw"] == pytest.approx(np.array([[0.99845601], [2.39507239]]), abs=1e-8)
    assert grads["db"] == pytest.approx(0.00145557813678, abs=1e-13)
    assert J == pytest.approx(5.801545319394553, abs=1e-12)
    assert grads["dw"].shape == (2, 1) and isinstance(grads["db"], float)


def test_propagate_gradients_match_central_differences():
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(4, 9)), (rng.random((1, 9)) < 0.5).astype(float)
    w, b = rng.normal(size=(4, 1)), 0.3
    grads, _ = v.propagate(w, b, X, Y)
    eps = 1e-6
    for i in range(4):
        step = np.zeros((4, 1))
        step[i] = eps
        numeric = (v.propagate(w + step, b, X, Y)[1] - v.propagate(w - step, b, X, Y)[1]) / (2 * eps)
        assert grads["dw"][i, 0] == pytest.approx(numeric, rel=1e-6)
    numeric_b = (v.propagate(w, b + eps, X, Y)[1] - v.propagate(w, b - eps, X, Y)[1]) / (2 * eps)
    assert grads["db"] == pytest.approx(numeric_b, rel=1e-6)


def test_propagate_is_stable_for_huge_z():
    X = np.array([[1000.0, -1000.0, 1000.0, -1000.0]])
    Y = np.array([[1, 0, 0, 1]])
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        grads, J = v.propagate(np.array([[1.0]]), 0.0, X, Y)
    # two confident right answers cost 0, two confident wrong ones cost |z| = 1000 each
    assert J == 500.0
    # dz = a - y = [0, 0, 1, -1]; dw = mean(x dz) = (1000 + 1000) / 4; db = 0
    assert grads["dw"][0, 0] == 500.0 and grads["db"] == 0.0


def test_optimize_records_every_100_iterations_and_matches_a_manual_loop():
    params, grads, costs = v.optimize(COURSE_W, COURSE_B, COURSE_X, COURSE_Y, num_iterations=250, learning_rate=0.009)
    assert len(costs) == 3
    w, b = COURSE_W.copy(), COURSE_B
    manual = []
    for i in range(250):
        g, J = v.propagate(w, b, COURSE_X, COURSE_Y)
        if i % 100 == 0:
            manual.append(J)
        w, b = w - 0.009 * g["dw"], b - 0.009 * g["db"]
    assert costs == manual
    assert np.array_equal(params["w"], w) and params["b"] == b
    assert np.array_equal(grads["dw"], g["dw"]) and grads["db"] == g["db"]
    assert np.array_equal(COURSE_W, [[1.0], [2.0]])  # the caller's w is not modified


def test_optimize_course_values_after_100_iterations():
    params, grads, costs = v.optimize(COURSE_W, COURSE_B, COURSE_X, COURSE_Y, 100, 0.009)
    assert params["w"] == pytest.approx(np.array([[0.19033591], [0.12259159]]), abs=1e-8)
    assert params["b"] == pytest.approx(1.92535983008, abs=1e-10)
    assert grads["dw"] == pytest.approx(np.array([[0.67752042], [1.41625495]]), abs=1e-8)
    assert grads["db"] == pytest.approx(0.219194504541, abs=1e-11)
    assert costs == [pytest.approx(5.801545319394553, abs=1e-12)]


def test_optimize_prints_cost(capsys):
    v.optimize(COURSE_W, COURSE_B, COURSE_X, COURSE_Y, 101, 0.009, print_cost=True)
    assert capsys.readouterr().out.splitlines()[0] == "Cost after iteration 0: 5.801545"


def test_predict():
    w = np.array([[0.1124579], [0.23106775]])
    X = np.array([[1.0, -1.1, -3.2], [1.2, 2.0, 0.1]])
    prediction = v.predict(w, -0.3, X)
    assert prediction.shape == (1, 3)
    assert prediction.tolist() == [[1.0, 1.0, 0.0]]


def test_logistic_regression_class():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(3, 60))
    Y = (np.array([[1.0, -2.0, 0.5]]) @ X > 0).astype(int)
    model = v.LogisticRegression(learning_rate=0.5, num_iterations=300)
    with pytest.raises(RuntimeError, match=r"LogisticRegression.predict: call fit\(X, Y\) first"):
        model.predict(X)
    assert model.fit(X, Y) is model
    assert model.score(X, Y) == np.mean(model.predict(X) == Y) >= 0.95
    assert len(model.costs) == 3 and model.costs[0] > model.costs[-1]
    assert model.predict(X).shape == (1, 60)
    with pytest.raises(
        ValueError,
        match=r"score: Y must have shape \(1, m\) = \(1, 60\) to match X of shape \(3, 60\), got shape \(60,\); pass Y.reshape\(1, -1\)",
    ):
        model.score(X, Y[0])


@pytest.mark.parametrize(
    "args, message",
    [
        (
            (COURSE_W, COURSE_B, COURSE_X[0], COURSE_Y),
            r"propagate: X must have shape \(n_x, m\), one column per example, got shape \(3,\)",
        ),
        (
            (COURSE_W[:, 0], COURSE_B, COURSE_X, COURSE_Y),
            r"propagate: w must have shape \(n_x, 1\) = \(2, 1\) to match X of shape \(2, 3\), got shape \(2,\)",
        ),
        ((COURSE_W.T, COURSE_B, COURSE_X, COURSE_Y), r"w must have shape \(n_x, 1\) = \(2, 1\) .*got shape \(1, 2\)"),
        (
            (COURSE_W, COURSE_B, COURSE_X, COURSE_Y[0]),
            r"propagate: Y must have shape \(1, m\) = \(1, 3\) to match X of shape \(2, 3\), got shape \(3,\)",
        ),
        (
            (COURSE_W, COURSE_B, COURSE_X.T, COURSE_Y),
            r"propagate: X looks transposed: the course's layout is X of shape \(n_x, m\); pass X.T \(X has shape \(3, 2\) and w has 2 rows",
        ),
        (
            (np.zeros((3, 1)), COURSE_B, COURSE_X.T, COURSE_Y),
            r"propagate: X looks transposed: .*; pass X.T \(X has shape \(3, 2\) and Y has 3 labels, one per row of X\)",
        ),
        (
            (COURSE_W, np.array([1.0, 2.0]), COURSE_X, COURSE_Y),
            r"propagate: b must be a single finite number, got ndarray",
        ),
        ((COURSE_W, True, COURSE_X, COURSE_Y), r"b must be a single finite number, got bool True"),
        ((COURSE_W, None, COURSE_X, COURSE_Y), r"propagate: b must be a single finite number, got NoneType None"),
        ((COURSE_W, np.nan, COURSE_X, COURSE_Y), r"propagate: b must be a single finite number, got float nan"),
        ((COURSE_W, 10**400, COURSE_X, COURSE_Y), r"propagate: b must be a single finite number, got int 1000"),
        (
            (COURSE_W, COURSE_B, np.zeros((2, 0)), np.zeros((1, 0))),
            r"propagate: got no examples \(X has shape \(2, 0\)",
        ),
    ],
)
def test_wrong_shapes_name_expected_and_actual(args, message):
    with pytest.raises(ValueError, match=message):
        v.propagate(*args)


def test_optimize_stops_when_gradient_descent_diverges():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # and without numpy's overflow warnings on the way
        with pytest.raises(
            ValueError,
            match=r"optimize: gradient descent diverged at iteration 0 \(w or b overflowed to inf or nan\); lower the learning rate \(1e\+306\)",
        ):
            v.optimize(np.zeros((1, 1)), 0.0, [[1e3, -1e3]], [[0, 1]], 201, 1e306)
        with pytest.raises(ValueError, match=r"diverged at iteration 0 \(the cost is nan\)"):
            v.optimize(np.array([[1e300]]), 0.0, [[1e300, -1e300]], [[0, 1]], 5, 0.1)


def test_optimize_and_predict_check_too():
    with pytest.raises(ValueError, match="optimize: num_iterations must be an int >= 0"):
        v.optimize(COURSE_W, COURSE_B, COURSE_X, COURSE_Y, -1, 0.1)
    with pytest.raises(ValueError, match="optimize: learning_rate must be a finite number > 0"):
        v.optimize(COURSE_W, COURSE_B, COURSE_X, COURSE_Y, 1, 0.0)
    with pytest.raises(
        ValueError, match=r"predict: X looks transposed.*if X is right, w must have shape \(n_x, 1\) = \(2, 1\)"
    ):
        v.predict(np.zeros((3, 1)), 0.0, COURSE_X)


@pytest.mark.parametrize(
    "Y, message",
    [
        (
            2 * COURSE_Y - 1,
            r"propagate: label Y\[0, 1\] is -1.0; labels must be 0 or 1 \(turn labels ±1 into 0/1 with \(Y \+ 1\) / 2\)",
        ),
        (5 * COURSE_Y, r"propagate: label Y\[0, 0\] is 5.0; labels must be 0 or 1$"),
        (np.array([[1.0, 0.5, 0.0]]), r"propagate: label Y\[0, 1\] is 0.5; labels must be 0 or 1"),
        (np.array([[1.0, np.nan, 0.0]]), r"propagate: label Y\[0, 1\] is .*nan"),
    ],
)
def test_labels_must_be_0_or_1(Y, message):
    with pytest.raises(ValueError, match=message):
        v.propagate(COURSE_W, COURSE_B, COURSE_X, Y)


def test_score_checks_labels_too():
    model = v.LogisticRegression(num_iterations=1).fit(COURSE_X, COURSE_Y)
    with pytest.raises(ValueError, match=r"LogisticRegression.score: label Y\[0, 1\] is -1.0;"):
        model.score(COURSE_X, 2 * COURSE_Y - 1)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_X_and_w_are_refused(bad):
    X = COURSE_X.copy()
    X[1, 2] = bad
    expected = (
        f"propagate: X[1, 2] is {float(bad)!r} (1 entry is NaN or infinite); every entry of X must be a finite number"
    )
    with pytest.raises(ValueError, match=re.escape(expected)):
        v.propagate(COURSE_W, COURSE_B, X, COURSE_Y)
    w = COURSE_W.copy()
    w[0, 0] = bad
    with pytest.raises(ValueError, match=r"predict: w\[0, 0\] is .*; every entry of w must be a finite number"):
        v.predict(w, COURSE_B, COURSE_X)


def test_fit_on_transposed_X_says_so():
    with pytest.raises(ValueError, match=r"X looks transposed: the course's layout is X of shape \(n_x, m\); pass X.T"):
        v.LogisticRegression().fit(COURSE_X.T, COURSE_Y)


def test_b_as_a_numpy_number_or_one_element_array_is_accepted():
    for b in (np.float32(2.0), np.array(2.0), np.array([[2.0]]), 2):
        assert v.propagate(COURSE_W, b, COURSE_X, COURSE_Y)[1] == pytest.approx(5.801545319394553, abs=1e-6)


@pytest.mark.parametrize(
    "X, message",
    [
        (
            [[1.0, 2.0, 3.0], [1.0, 2.0]],
            r"propagate: X is ragged \(its rows have different lengths\), got list .*; it must be a rectangular array of numbers",
        ),
        (
            [["a", "b", "c"], ["1", "2", "3"]],
            r"propagate: X holds <U1 values, got list .*; it must be an array of real numbers",
        ),
        ([[None, 1.0, 2.0], [1.0, 2.0, 3.0]], r"propagate: X holds object values"),
    ],
)
def test_ragged_or_non_numeric_X_gets_a_clear_message(X, message):
    with pytest.raises(ValueError, match=message):
        v.propagate(COURSE_W, COURSE_B, X, COURSE_Y)


# Faults from an adversarial review: each test failed before its fix.


def test_cost_from_logits_checks_shapes_instead_of_broadcasting():
    with pytest.raises(
        ValueError,
        match=r"^cost_from_logits: Y must have shape \(1, m\) = \(1, 3\) .*, got shape \(3, 1\); pass Y.reshape\(1, -1\)$",
    ):
        v.cost_from_logits(np.array([[1.0, 2.0, 3.0]]), np.array([[1], [0], [1]]))
    with pytest.raises(
        ValueError, match=r"^cost_from_logits: Z must have shape \(1, m\) with m >= 1, got shape \(3,\)$"
    ):
        v.cost_from_logits(np.array([1.0, 2.0, 3.0]), np.array([[1, 0, 1]]))
    # lists work too: log(1 + e^0) - 0 = log 2 and log(1 + e^-2) + 2 - 2·... for y = 1, z = 2: log(1 + e^2) - 2
    assert v.cost_from_logits([[0.0, 2.0]], [[0, 1]]) == pytest.approx(
        (np.log(2) + np.log1p(np.exp(-2.0))) / 2, rel=1e-15
    )


def test_propagate_refuses_inputs_whose_z_overflows_instead_of_returning_nan():
    with pytest.raises(ValueError, match=r"^propagate: z = wᵀX \+ b or the gradients overflowed float64 \(J = nan\)"):
        v.propagate(np.array([[1e200]]), 0.0, np.array([[1e200]]), np.array([[1]]))


@pytest.mark.parametrize("z", [None, "a", [1.0, "a"]])
def test_sigmoid_of_something_not_a_number_is_a_type_error(z):
    with pytest.raises(TypeError, match=r"^sigmoid: z must be a real number or an array of them, got "):
        v.sigmoid(z)


def test_sizes_and_iterations_over_the_limits_are_refused_up_front():
    with pytest.raises(
        ValueError,
        match=r"^initialize_with_zeros: w would hold 1,000,000,000,000 numbers, more than MAX_NUMBERS = 100,000,000",
    ):
        v.initialize_with_zeros(10**12)
    with pytest.raises(
        ValueError, match=r"^optimize: num_iterations=1,000,000,000,000 is too many; at most 1,000,000 "
    ):
        v.optimize(COURSE_W, COURSE_B, COURSE_X, COURSE_Y, 10**12, 0.1)
    # at the course's size a step is 12,288 · 209 multiply-adds: MAX_WORK = 3e11 allows 116,813 of them
    X = np.zeros((12288, 209))
    with pytest.raises(
        ValueError, match=r"^optimize: num_iterations=116,814 is too many; at most 116,813 at this size"
    ):
        v.optimize(np.zeros((12288, 1)), 0.0, X, np.zeros((1, 209)), 116_814, 0.1)


def test_the_deep_networks_helpers_are_part_of_the_vectorized_path():
    p = {"W1": np.array([[1.0, -1.0]]), "b1": np.array([[0.5]]), "W2": np.array([[2.0]]), "b2": np.array([[0.0]])}
    assert v.predict_deep(p, np.array([[1.0, 0.0], [3.0, 0.0]])).tolist() == [
        [0.0, 1.0]
    ]  # z2 = 2 relu(-1.5), 2 relu(0.5)
