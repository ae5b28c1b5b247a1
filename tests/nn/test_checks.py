"""nn/checks.py: one set of rules for sizes and hyperparameters, NumPy scalars included, bools refused."""

from __future__ import annotations

import math

import numpy as np
import pytest

import nn
from nn import checks
from nn import vectorized as v


@pytest.mark.parametrize("n", [3, np.int64(3), np.int32(3), np.uint8(3)])
def test_integer_accepts_python_and_numpy_ints(n):
    assert checks.integer("f", "n", n) == 3 and type(checks.integer("f", "n", n)) is int


@pytest.mark.parametrize("n", [True, np.bool_(True), 3.0, "3", None, 0, -2])
def test_integer_refuses_bools_floats_and_small_values(n):
    with pytest.raises(ValueError, match="f: n must be a positive int, got"):
        checks.integer("f", "n", n)


@pytest.mark.parametrize("x", [0.5, np.float32(0.5), np.float64(0.5), np.float16(0.5)])
def test_real_accepts_python_and_numpy_reals(x):
    value = checks.real("f", "x", x, low=0.0, low_open=True)
    assert value == 0.5 and type(value) is float


@pytest.mark.parametrize("x", [True, np.bool_(True), "0.5", None, math.nan, math.inf, 10**400, np.float32("nan")])
def test_real_refuses_bools_strings_and_non_finite(x):
    with pytest.raises(ValueError, match="f: x must be a finite number"):
        checks.real("f", "x", x)


def test_every_user_of_the_checks_takes_numpy_scalars():
    lr, count = np.float32(0.5), np.int64(2)
    X, Y = np.array([[1.0, -1.0]]), np.array([[1, 0]])
    params, _, _ = v.optimize(np.zeros((1, 1)), 0.0, X, Y, count, lr)
    assert params["w"][0, 0] > 0
    X_moons, _ = nn.datasets.make_moons(np.int64(10), noise=np.float32(0.1), seed=0)
    assert X_moons.shape == (10, 2)
    assert nn.datasets.make_images(np.int32(3), np.int64(4))[0].shape == (4, 3)
    assert nn.datasets.train_test_split(np.zeros((4, 2)), np.zeros(4), np.float32(0.25))[1].shape == (1, 2)
    model = nn.LogisticRegression(np.int64(1))
    assert len(model.fit([[1.0], [-1.0]], [1, 0], learning_rate=lr, num_iterations=count)) == 2
    assert nn.MLP(np.int64(2), [np.int64(3), 1]).num_parameters() == 13
    assert nn.optim.SGD(model.parameters(), lr=lr, momentum=np.float32(0.5)).lr == 0.5
    assert nn.optim.Adam(model.parameters(), lr=lr, betas=(np.float32(0.5), np.float64(0.5))).betas == (0.5, 0.5)
