"""nn/progress.py: training shows a tqdm bar when asked, and the bar changes no result."""

from __future__ import annotations

import numpy as np
import pytest

import nn
from nn import vectorized
from nn.progress import progress_bar

X, Y = nn.datasets.make_images(m=30, n_x=12, seed=3)


def test_the_vectorized_optimize_gives_the_same_numbers_with_a_progress_bar(capsys):
    w, b = vectorized.initialize_with_zeros(12)
    quiet = vectorized.optimize(w, b, X, Y, 250, 0.05)
    assert capsys.readouterr().err == ""
    shown = vectorized.optimize(w, b, X, Y, 250, 0.05, progress=True)
    err = capsys.readouterr().err
    assert "optimize: 100%" in err and "250/250" in err and "cost=" in err
    assert np.array_equal(quiet[0]["w"], shown[0]["w"]) and quiet[0]["b"] == shown[0]["b"] and quiet[2] == shown[2]


def test_the_scalar_fit_gives_the_same_costs_with_a_progress_bar(capsys):
    rows, labels = X.T.tolist(), Y[0].tolist()
    quiet, shown = nn.LogisticRegression(12), nn.LogisticRegression(12)
    costs = quiet.fit(rows, labels, learning_rate=0.05, num_iterations=20)
    assert capsys.readouterr().err == ""
    assert shown.fit(rows, labels, learning_rate=0.05, num_iterations=20, progress=True) == costs
    assert "LogisticRegression.fit: 100%" in capsys.readouterr().err
    assert quiet.state_dict() == shown.state_dict()


def test_the_model_class_passes_progress_on(capsys):
    model = vectorized.LogisticRegression(learning_rate=0.05, num_iterations=120, progress=True).fit(X, Y)
    assert "optimize: 100%" in capsys.readouterr().err and len(model.costs) == 2


def test_print_cost_still_prints_as_the_course_does(capsys):
    w, b = vectorized.initialize_with_zeros(12)
    _, _, costs = vectorized.optimize(w, b, X, Y, 201, 0.05, print_cost=True)
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [f"Cost after iteration {i}: {J:f}" for i, J in zip((0, 100, 200), costs)]
    assert captured.out.startswith("Cost after iteration 0: 0.693147\n") and captured.err == ""


def test_progress_must_be_a_bool():
    with pytest.raises(TypeError, match="optimize: progress is True or False, got str 'yes'"):
        progress_bar(3, "yes", "optimize")  # type: ignore[arg-type]
