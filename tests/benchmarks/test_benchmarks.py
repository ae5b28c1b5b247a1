"""The benchmarks/ scripts still run and still check what they compare (tiny sizes; no timing
asserted). Those that compare with micrograd are skipped without the benchmark extra; the peers
JAX and torch are checked where they can be imported, and skipped by the scripts, saying so,
where they cannot."""

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


HAS_JAX = importlib.util.find_spec("jax") is not None
HAS_TORCH = importlib.util.find_spec("torch") is not None


def run(script, *args, without=()):
    """Run ``benchmarks/script`` with ``args``; the modules named in ``without`` cannot be imported in it."""
    command = [sys.executable, str(BENCHMARKS / script), *args]
    if without:
        hide = "; ".join(f"sys.modules[{name!r}] = None" for name in without)
        command = [
            sys.executable,
            "-c",
            f"import runpy, sys; {hide}; sys.path.insert(0, {str(BENCHMARKS)!r}); sys.argv = {[script, *args]!r}; "
            f"runpy.run_path({str(BENCHMARKS / script)!r}, run_name='__main__')",
        ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
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
    # plain floats, numpy, compiled, compiled on numpy, micrograd; with JAX, compiled on JAX and JAX jit; torch
    assert out.count(" OK") == 5 + 2 * HAS_JAX + HAS_TORCH and "MISMATCH" not in out, out
    assert "from the start weights (86 of 100 hinges active)" in out  # every version steps from the same weights
    assert "compiled gradients: 337 of 337 equal to the engine's, largest relative difference 0.0e+00" in out
    assert "faster than micrograd" in out and "compiled / plain floats = " in out
    assert ("compiled, numpy / JAX jit = " in out) == HAS_JAX
    assert ("compiled, numpy / torch eager = " in out) == HAS_TORCH


LOGREG_TINY = ("--repeats", "1", "--n-x", "300", "--m", "50", "--rounds", "3", "--step-rounds", "3", "--compiles", "2")


def agrees(name, out):
    return re.search(rf"{name}: J [0-9.]+, relative error of dw [0-9.e+-]+, of db [0-9.e+-]+: OK", out) is not None


def test_logreg_benchmark_gradients_agree():
    out = run("logreg.py", *LOGREG_TINY)
    assert "gradients equal (relative error <= 1e-9): OK" in out
    for name in ("compiled", "compiled, numpy", "course's plain numpy"):
        assert agrees(name, out), out
    for name, present in (("compiled, JAX", HAS_JAX), ("JAX jit", HAS_JAX), ("torch eager", HAS_TORCH)):
        assert agrees(name, out) == present, out
    assert "MISMATCH" not in out
    assert re.search(r"compiled, numpy / course's plain numpy = [0-9.]+x", out), out
    assert re.search(r"numpy: [0-9.]+ ms the first time, .*, \d+ lines of source", out), out


def test_logreg_benchmark_skips_a_peer_it_cannot_import():
    out = run("logreg.py", *LOGREG_TINY, without=("jax", "torch"))
    assert "JAX skipped: it cannot be imported" in out and "torch skipped: it cannot be imported" in out
    assert agrees("compiled, numpy", out) and not agrees("JAX jit", out) and not agrees("torch eager", out), out
    assert re.search(r"compiled, numpy / course's plain numpy = [0-9.]+x", out), out


def test_deep_benchmark_agrees_with_the_hand_written_numpy():
    out = run("deep.py", "--n-x", "40", "--m", "12", "--rounds", "2", "--compiles", "1")
    assert "MLP(40 -> [20 relu, 7 relu, 5 relu, 1 linear], 1013 parameters) on 12 examples" in out, out
    assert re.search(r"compiled, numpy +0\.69[0-9]+ +relative difference of the cost [0-9.e+-]+, .*: OK", out), out
    assert ("JAX skipped" in out) != HAS_JAX and "MISMATCH" not in out, out
    assert re.search(r"compiled, numpy / by hand, numpy = [0-9.]+x median against median", out), out
