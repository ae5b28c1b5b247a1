"""The examples/ scripts run end to end (small sizes), the moons recipe really reaches 100%, and the
README's committed picture shows the course's numbers.

The plots need matplotlib and real_data.py needs scikit-learn: without the examples extra those
tests are skipped, saying so.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

ROOT = Path(__file__).resolve().parents[2]


def run(script, *args):
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / script), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "MPLBACKEND": "Agg"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def load_example(name):
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_logistic_regression_example_three_ways_agree(tmp_path):
    pytest.importorskip(
        "matplotlib", reason="matplotlib is not installed (the examples extra: pip install -e '.[examples]')"
    )
    out = run("logistic_regression.py", "--small", "--out", str(tmp_path))
    assert "the three agree: yes" in out
    assert f"writing pictures to {tmp_path}" in out
    assert (tmp_path / "logistic_regression_cost.png").stat().st_size > 1000
    for way in ("for-loop, scalar engine", "fused dot, scalar engine", "vectorized numpy"):
        assert way in out


@pytest.mark.slow
def test_moons_example_small_run_writes_pictures_and_model(tmp_path):
    pytest.importorskip(
        "matplotlib", reason="matplotlib is not installed (the examples extra: pip install -e '.[examples]')"
    )
    out = run("moons_mlp.py", "--small", "--out", str(tmp_path))
    assert "MLP(2 -> [16 relu, 16 relu, 1 linear], 337 parameters) on 30 moons points, 10 SGD steps" in out
    assert "step  10/10" in out
    for name in ("moons_decision_boundary.png", "moons_training.png"):
        assert (tmp_path / name).stat().st_size > 1000
    saved = json.loads((tmp_path / "moons_mlp.json").read_text())
    assert len(saved["parameters"]) == 337


@pytest.mark.slow
def test_moons_recipe_reaches_100_percent_training_accuracy():
    moons = load_example("moons_mlp")
    import nn

    X_np, y01 = nn.datasets.make_moons(100, noise=0.1, seed=moons.DATA_SEED)
    X, y = X_np.tolist(), (2 * y01 - 1).tolist()
    model = nn.MLP(2, [16, 16, 1], seed=moons.MODEL_SEED)
    history = moons.train(model, X, y, steps=100)
    _, accuracy = moons.loss_and_accuracy(model, X, y)
    assert accuracy == 1.0
    assert history[0][1] < 1.0 and history[-1][0] < history[0][0]


def test_moons_compiled_training_is_the_engine_training_bit_for_bit():
    # The compiled step gives the engine's J and gradients exactly, so the two trainings stay identical.
    moons = load_example("moons_mlp")
    import nn

    X_np, y01 = nn.datasets.make_moons(30, noise=0.1, seed=moons.DATA_SEED)
    X, y = X_np.tolist(), (2 * y01 - 1).tolist()
    compiled, engine = (nn.MLP(2, [16, 16, 1], seed=moons.MODEL_SEED) for _ in range(2))
    history = moons.train(compiled, X, y, steps=5, progress=False)
    assert history == moons.train(engine, X, y, steps=5, progress=False, engine=True)
    assert [p.data for p in compiled.parameters()] == [p.data for p in engine.parameters()]


def test_moons_progress_bar_is_tqdm_when_asked_and_lines_otherwise(capsys):
    moons = load_example("moons_mlp")
    import nn

    X_np, y01 = nn.datasets.make_moons(10, noise=0.1, seed=0)
    X, y = X_np.tolist(), (2 * y01 - 1).tolist()
    moons.train(nn.MLP(2, [4, 1], seed=0), X, y, steps=3, progress=True)
    captured = capsys.readouterr()
    assert "training: 100%" in captured.err and "3/3" in captured.err and captured.out == ""
    moons.train(nn.MLP(2, [4, 1], seed=0), X, y, steps=3, progress=False)
    captured = capsys.readouterr()
    assert captured.err == "" and "step   3/3  loss" in captured.out


def test_examples_carry_on_without_matplotlib(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    moons = load_example("moons_mlp")
    assert moons.main(["--samples", "10", "--steps", "2", "--out", str(tmp_path)]) == 0
    assert (
        'matplotlib is not installed, so the plots are skipped (run pip install -e ".[examples]" in the chainrule folder)'
        in capsys.readouterr().out
    )
    assert not list(tmp_path.glob("*.png"))


@pytest.mark.slow
def test_real_data_example_compares_with_scikit_learn(tmp_path):
    pytest.importorskip(
        "sklearn", reason="scikit-learn is not installed (the examples extra: pip install -e '.[examples]')"
    )
    pytest.importorskip(
        "matplotlib", reason="matplotlib is not installed (the examples extra: pip install -e '.[examples]')"
    )
    out = run("real_data.py", "--small", "--out", str(tmp_path))
    assert "427 training and 142 test examples, 30 features" in out
    assert "the same weights as the scalar engine: yes" in out
    assert "sklearn.linear_model.LogisticRegression" in out
    engine = float(out.split("nn.LogisticRegression (scalar engine)")[1].split("%")[0])
    assert engine > 90.0
    assert (tmp_path / "real_data_cost.png").exists()


def test_install_hints_work_from_a_clone():
    # chainrule is not on PyPI: "pip install chainrule[examples]" fails; '.[examples]' in the clone works.
    root = EXAMPLES.parent
    files = [
        *sorted((root / "nn").glob("*.py")),
        *(EXAMPLES / name for name in ("logistic_regression.py", "moons_mlp.py", "real_data.py")),
    ]
    files += [root / "benchmarks" / "mlp.py", root / "benchmarks" / "logreg.py"]
    for path in files:
        assert "install chainrule[" not in path.read_text(encoding="utf-8"), path


def test_example_prints_the_chain_rule_and_writes_its_pictures(tmp_path, dot_program):
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "computation_graph.py"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "  J = 33\n" in result.stdout
    assert "  ∂J/∂b = ∂J/∂u · (local) ∂u/∂b = 3 · 2 = 6\n" in result.stdout
    assert "L = 0.3133, dz = a - y = -0.2689\n" in result.stdout  # -log σ(1); σ(1) - 1
    # the sigmoid's step, in the replay too, says that the product is the course's dz = a - y
    shortcut = "∂L/∂z = ∂L/∂a · (local) ∂a/∂z = (-1.368) · 0.1966 = -0.2689, which simplifies to dz = a − y = 0.7311 − 1 = -0.2689"
    assert f"  {shortcut}\n" in result.stdout
    replay = (tmp_path / "logistic_replay.html").read_text(encoding="utf-8")
    assert "which simplifies to dz = a − y = 0.7311 − 1 = -0.2689" in replay
    names = re.findall(r"<g id=\"n\d+\" class=\"node\">\n<title>([^:<]*)", replay)
    assert {"w", "x", "b", "y", "z", "a", "L"} <= set(names)
    assert not [name for name in names if re.fullmatch(r"n\d+", name)]  # every node named as in the formula
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "course_graph.svg",
        "course_replay.html",
        "logistic_graph.svg",
        "logistic_replay.html",
        "mlp_graph.svg",
    ]


def test_readme_picture_is_the_course_graph_with_gradients_and_local_derivatives(read_svg):
    texts = read_svg((ROOT / "docs" / "course_graph.svg").read_text(encoding="utf-8")).texts
    for text in ("data 33", "grad 1", "data 5", "grad 3", "grad 6", "grad 9", "∂u/∂b = 2", "∂u/∂c = 3", "∂J/∂v = 3"):
        assert text in texts, text


@pytest.mark.slow
def test_digits_example_learns_eights_from_flattened_pictures(tmp_path):
    pytest.importorskip(
        "sklearn", reason="scikit-learn is not installed (the examples extra: pip install -e '.[examples]')"
    )
    pytest.importorskip(
        "matplotlib", reason="matplotlib is not installed (the examples extra: pip install -e '.[examples]')"
    )
    out = run("digits.py", "--out", str(tmp_path), "--iterations", "300")
    assert "1348 training and 449 test pictures of 8x8 pixels, flattened to n_x = 64" in out
    assert out.count("Cost after iteration") == 3
    train = float(out.split("train accuracy ")[1].split("%")[0])
    test, baseline = (
        float(out.split("test accuracy ")[1].split("%")[0]),
        float(out.split("would score ")[1].split("%")[0]),
    )
    assert test > baseline + 3 and train > 90  # better than answering "not an 8" every time
    assert (tmp_path / "digits_misclassified.png").exists()
