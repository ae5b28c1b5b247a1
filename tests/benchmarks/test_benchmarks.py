"""The benchmarks/ scripts still run and still check what they compare (tiny sizes; no timing
asserted). Those that compare with micrograd are skipped without the benchmark extra."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def load(name):
    spec = importlib.util.spec_from_file_location(f"benchmark_{name}", BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BareValue = load("bare_engine").BareValue


def run(script, *args):
    result = subprocess.run(
        [sys.executable, str(BENCHMARKS / script), *args], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_bare_engine_on_the_course_example():
    # J = 3(a + bc) at a=5, b=3, c=2: dJ/da = 3, dJ/db = 3c = 6, dJ/dc = 3b = 9.
    a, b, c = BareValue(5.0), BareValue(3.0), BareValue(2.0)
    J = (a + b * c) * 3.0
    J.backward()
    assert (J.data, a.grad, b.grad, c.grad) == (33.0, 3.0, 6.0, 9.0)


def test_bare_engine_relu_and_a_shared_node():
    # y = relu(x*x) + x at x = -2: relu(4) = 4 passes, dy/dx = 2x + 1 = -3.
    x = BareValue(-2.0)
    y = (x * x).relu() + x
    y.backward()
    assert (y.data, x.grad) == (2.0, -3.0)
    z = BareValue(-2.0)
    w = (z * 1.0).relu() * 5.0  # a dead relu passes nothing back
    w.backward()
    assert z.grad == 0.0


@pytest.mark.slow
def test_engine_benchmark_runs_and_checks():
    # engine.py itself compares every node of the bare engine's graph with chainrule's before timing.
    pytest.importorskip(
        "micrograd", reason="micrograd is not installed (the benchmark extra: pip install -e '.[benchmark]')"
    )
    out = run("engine.py", "--terms", "300", "--repeats", "1", "--chain", "2000")
    assert out.count("chainrule is ") == 2 and out.count("bare node model is ") == 2, out
    assert "ok, y.grad = 2000 (expected 2000)" in out
    assert "micrograd 0.1.0  RecursionError" in out
    assert re.search(r"chainrule +\d+ bytes per node", out)  # measured there, not asserted here


@pytest.mark.slow
def test_mlp_benchmark_agrees_with_all_references():
    pytest.importorskip(
        "micrograd", reason="micrograd is not installed (the benchmark extra: pip install -e '.[benchmark]')"
    )
    out = run("mlp.py", "--repeats", "1")
    assert out.count(" OK") == 5, out  # plain floats, numpy, compiled, compiled on numpy, micrograd
    assert "from the start weights (86 of 100 hinges active)" in out  # every version steps from the same weights
    assert "compiled gradients: 337 of 337 equal to the engine's, largest relative difference 0.0e+00" in out
    assert "chainrule is " in out and "faster than micrograd" in out and "compiled takes " in out


def test_logreg_benchmark_gradients_agree():
    out = run("logreg.py", "--repeats", "1", "--n-x", "300", "--m", "50")
    assert "gradients equal (relative error <= 1e-9): OK" in out
    assert re.search(r"compiled: J [0-9.]+, relative error of dw [0-9.e+-]+, of db [0-9.e+-]+: OK", out), out
    assert re.search(r"compiled, numpy: J [0-9.]+, relative error of dw [0-9.e+-]+, of db [0-9.e+-]+: OK", out), out
