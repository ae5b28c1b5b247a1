"""One gradient step of logistic regression at the course's image scale: engine, compiled, numpy.

n_x = 12288 (a flattened 64x64x3 picture), m = 209 examples of synthetic data
(``nn.datasets.make_images``). One step = the cost ``J``, its gradients ``dw, db`` and the update
``w := w − α dw``, ``b := b − α db``:

- on the scalar engine with ``nn.LogisticRegression`` (one fused ``dot`` node per example),
- compiled (``autograd.compile``): the loss of one example traced once, the generated Python looping
  over the examples, and the same generated lines on numpy arrays of the examples,
- vectorized by hand with ``nn.vectorized.propagate`` (``Z = np.dot(w.T, X) + b``).

The script checks that all give the same ``J`` and gradients, then prints the timings.

    python benchmarks/logreg.py [--repeats N] [--n-x N] [--m M]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np

import nn
from autograd import compile, dot
from nn import vectorized
from nn.losses import bce_with_logits

LEARNING_RATE = 0.005


def best_time(step: Callable[[], Any], repeats: int) -> float:
    """The fastest of ``repeats`` runs of ``step``."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        step()
        best = min(best, time.perf_counter() - start)
    return best


def engine_step(
    model: nn.LogisticRegression, X_rows: list[list[float]], Y_list: list[float]
) -> tuple[np.ndarray, float, float]:
    """One step on the scalar engine; returns the gradients and the cost it stepped with."""
    model.zero_grad()
    J = model.cost(X_rows, Y_list)
    J.backward()
    dw = np.array([[p.grad] for p in model.w])
    db = model.b.grad
    for p in model.parameters():
        p.data -= LEARNING_RATE * p.grad
    return dw, db, J.data


def numpy_step(
    w: np.ndarray, b: float, X: np.ndarray, Y: np.ndarray
) -> tuple[np.ndarray, float, dict[str, Any], float]:
    """One vectorized step; returns the new ``w, b``, the gradients and the cost."""
    grads, J = vectorized.propagate(w, b, X, Y)
    return w - LEARNING_RATE * grads["dw"], b - LEARNING_RATE * grads["db"], grads, J


def loss(w: list[float], b: float, x: list[float], y: float) -> Any:
    """The course's loss of one example, ``L(a, y)`` with ``a = σ(wᵀx + b)``, from the logit."""
    return bce_with_logits(dot(w, x, b), y)


def compiled_step(step: Any, w: list[float], b: float, X: Any, Y: Any) -> tuple[list[float], float, float, list[float]]:
    """One step with a compiled ``J``: returns ``dw``, ``db``, the cost it stepped with and the new ``w``."""
    J, (dw, db) = step(w, b, X, Y)
    return dw, db, J, [wj - LEARNING_RATE * g for wj, g in zip(w, dw)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3, help="time the engine this many times, keep the best")
    parser.add_argument("--n-x", type=int, default=12288)
    parser.add_argument("--m", type=int, default=209)
    args = parser.parse_args(argv)

    X, Y = nn.datasets.make_images(m=args.m, n_x=args.n_x, seed=0)
    n_x, m = X.shape
    rng = np.random.default_rng(1)
    w, b = rng.normal(0.0, 0.01, size=(n_x, 1)), 0.05
    print(f"logistic regression, n_x = {n_x}, m = {m}: X {X.shape}, Y {Y.shape}; one gradient-descent step")

    # The engine takes one row per example; converting the data is not part of the step.
    X_rows, Y_list = X.T.tolist(), Y[0].tolist()
    model = nn.LogisticRegression(n_x)
    model.load_state_dict({**{f"w.{j}": float(v) for j, v in enumerate(w[:, 0])}, "b": b})

    dw_engine, db_engine, J_engine = engine_step(model, X_rows, Y_list)
    w_new, _, grads, J_numpy = numpy_step(w, b, X, Y)
    dw_error = float(np.linalg.norm(dw_engine - grads["dw"]) / np.linalg.norm(grads["dw"]))
    db_error = abs(db_engine - grads["db"]) / abs(grads["db"])
    w_error = float(np.max(np.abs(np.array([p.data for p in model.w]) - w_new[:, 0])))
    print(f"cost J: engine {J_engine:.15f}, numpy {J_numpy:.15f}")
    print(f"relative error of dw {dw_error:.1e}, of db {db_error:.1e}; max |w difference| after the step {w_error:.1e}")
    if not (dw_error <= 1e-9 and db_error <= 1e-9 and abs(J_engine - J_numpy) <= 1e-9):
        print("MISMATCH: the engine and numpy disagree, so the timings would compare different computations")
        return 1
    print("gradients equal (relative error <= 1e-9): OK")

    w_list = w[:, 0].tolist()
    began = time.perf_counter()
    on_floats = compile(loss, w_list, b, X_rows[0], Y_list[0], per_example=(2, 3))
    compile_floats = time.perf_counter() - began
    began = time.perf_counter()
    on_arrays = compile(loss, w_list, b, X_rows[0], Y_list[0], per_example=(2, 3), backend="numpy")
    compile_arrays = time.perf_counter() - began
    for name, (dw, db, J, _) in {
        "compiled": compiled_step(on_floats, w_list, b, X_rows, Y_list),
        "compiled, numpy": compiled_step(on_arrays, w_list, b, X, Y),
    }.items():
        dw_error = float(np.linalg.norm(np.array(dw) - grads["dw"][:, 0]) / np.linalg.norm(grads["dw"]))
        db_error = abs(db - grads["db"]) / abs(grads["db"])
        agree = dw_error <= 1e-9 and db_error <= 1e-9 and abs(J - J_numpy) <= 1e-9
        print(
            f"{name}: J {J:.15f}, relative error of dw {dw_error:.1e}, of db {db_error:.1e}: {'OK' if agree else 'MISMATCH'}"
        )
        if not agree:
            return 1
    print(
        f"compiling: {compile_floats * 1e3:.0f} ms (floats), {compile_arrays * 1e3:.0f} ms (numpy), {len(on_floats.source):,} characters of source"
    )

    times = {
        "scalar engine, fused dot": best_time(lambda: engine_step(model, X_rows, Y_list), args.repeats),
        "compiled": best_time(lambda: compiled_step(on_floats, w_list, b, X_rows, Y_list), args.repeats),
        "compiled, numpy": best_time(lambda: compiled_step(on_arrays, w_list, b, X, Y), args.repeats * 3),
        "vectorized numpy": best_time(lambda: numpy_step(w, b, X, Y), 50),
    }
    print(f"\nbest of {args.repeats} (engine, compiled), {args.repeats * 3} (compiled on numpy) and 50 (numpy):")
    for name, seconds in times.items():
        print(f"  {name:<26}{seconds * 1e3:10.1f} ms")
    engine, numpy_time = times["scalar engine, fused dot"], times["vectorized numpy"]
    ratio = engine / numpy_time
    print(
        f"vectorized is {ratio:.0f}x faster than the scalar engine (target: >= 200x: {'met' if ratio >= 200 else 'NOT met'})"
    )
    print(
        f"compiled is {engine / times['compiled']:.1f}x faster than the engine; on numpy {engine / times['compiled, numpy']:.0f}x, "
        f"which is {times['compiled, numpy'] / numpy_time:.1f}x the hand-written vectorized step"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
