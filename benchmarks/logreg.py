"""One gradient step of logistic regression at the course's image scale: engine, compiled, numpy, peers.

n_x = 12288 (a flattened 64x64x3 picture), m = 209 examples of synthetic data
(``nn.datasets.make_images``). One step = the cost ``J``, its gradients ``dw, db`` and the update
``w := w − α dw``, ``b := b − α db``:

- on the scalar engine with ``nn.LogisticRegression`` (one fused ``dot`` node per example),
- compiled (``autograd.compile``): the loss of one example traced once, the generated Python looping
  over the examples, and the generated numpy (and JAX, when it can be imported) on the arrays of
  all the examples,
- the course's plain numpy (``propagate`` as the course writes it: ``A = sigmoid(w.T @ X + b)``,
  the cost, ``dw = X @ (A - Y).T / m``, ``db``), and the same through ``nn.vectorized.propagate``,
- the peers (``peers.py``, skipped with the reason if they cannot be imported): JAX
  ``jit(value_and_grad)`` of the course's cost with the update, and PyTorch eager.

The script checks that all give the same ``J`` and gradients, then prints the timings; first
``vectorized.propagate`` (with its argument checks) against the course's plain numpy, median of
interleaved rounds, one thread: ``OMP_NUM_THREADS=1 python benchmarks/logreg.py --propagate-only``.
Then the fast versions side by side, interleaved round by round (best and median; issue 18's
targets are ratios of medians), and last the engine and the compiled Python, which take a second
or more a step, best of ``--repeats``.

    OMP_NUM_THREADS=1 python benchmarks/logreg.py [--repeats N] [--n-x N] [--m M] [--rounds N]
        [--step-rounds N] [--compiles N] [--propagate-only]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from peers import jax_logreg, load_jax, load_torch, torch_logreg
from timing import nothing, one_thread_note, timings

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


def course_propagate(w: np.ndarray, b: float, X: np.ndarray, Y: np.ndarray) -> tuple[dict[str, Any], float]:
    """The course's plain numpy propagate, without any checks: the reference for ``vectorized.propagate``."""
    m = X.shape[1]
    A = 1 / (1 + np.exp(-(np.dot(w.T, X) + b)))
    cost = -1 / m * np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    dw = 1 / m * np.dot(X, (A - Y).T)
    db = 1 / m * np.sum(A - Y)
    return {"dw": dw, "db": db}, float(cost)


def median_times(variants: dict[str, Callable[[], Any]], rounds: int) -> dict[str, float]:
    """The median time of each variant over ``rounds`` rounds, the variants interleaved within each round
    (so a slow spell of the machine falls on all of them alike)."""
    times: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(rounds):
        for name, run in variants.items():
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    return {name: float(np.median(ts)) for name, ts in times.items()}


def course_step(
    w: np.ndarray, b: float, X: np.ndarray, Y: np.ndarray
) -> tuple[np.ndarray, float, dict[str, Any], float]:
    """One step of the course's plain numpy: its ``propagate``, then the update."""
    grads, J = course_propagate(w, b, X, Y)
    return w - LEARNING_RATE * grads["dw"], b - LEARNING_RATE * grads["db"], grads, J


def loss(w: list[float], b: float, x: list[float], y: float) -> Any:
    """The course's loss of one example, ``L(a, y)`` with ``a = σ(wᵀx + b)``, from the logit."""
    return bce_with_logits(dot(w, x, b), y)


def compiled_step(step: Any, w: list[float], b: float, X: Any, Y: Any) -> tuple[list[float], float, float, list[float]]:
    """One step with a compiled ``J``: returns ``dw``, ``db``, the cost it stepped with and the new ``w``."""
    J, (dw, db) = step(w, b, X, Y)
    return dw, db, J, [wj - LEARNING_RATE * g for wj, g in zip(w, dw)]


def compiled_array_step(step: Any, w: np.ndarray, b: float, X: np.ndarray, Y: np.ndarray) -> tuple[Any, ...]:
    """The same on arrays (backends numpy and JAX), ``w`` of shape (n_x,), updated in one line."""
    J, (dw, db) = step(w, b, X, Y)
    return dw, db, J, w - LEARNING_RATE * dw


def verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--repeats", type=int, default=3, help="time the engine and the compiled Python this many times, keep the best"
    )
    parser.add_argument("--n-x", type=int, default=12288)
    parser.add_argument("--m", type=int, default=209)
    parser.add_argument("--rounds", type=int, default=200, help="interleaved rounds for propagate against plain numpy")
    parser.add_argument(
        "--step-rounds", type=int, default=200, help="interleaved rounds of the fast steps side by side"
    )
    parser.add_argument("--compiles", type=int, default=11, help="compile the numpy step this many times")
    parser.add_argument("--propagate-only", action="store_true", help="stop after timing propagate against plain numpy")
    args = parser.parse_args(argv)
    if note := one_thread_note():
        print(note)

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

    # The checks of vectorized.propagate (shapes, labels; finiteness only when the result is not
    # finite) against the course's unchecked numpy: target within 1.1x. Run with OMP_NUM_THREADS=1.
    checked = median_times(
        {
            "course's plain numpy": lambda: course_propagate(w, b, X, Y),
            "vectorized.propagate": lambda: vectorized.propagate(w, b, X, Y),
        },
        args.rounds,
    )
    plain, ours = checked["course's plain numpy"], checked["vectorized.propagate"]
    print(
        f"\npropagate, median of {args.rounds} interleaved rounds: course's plain numpy {plain * 1e3:.2f} ms, "
        f"vectorized.propagate {ours * 1e3:.2f} ms: {ours / plain:.2f}x (target <= 1.1x: {'met' if ours <= 1.1 * plain else 'NOT met'})"
    )
    if args.propagate_only:
        return 0

    w_list, w_vec = w[:, 0].tolist(), w[:, 0].copy()
    example = (w_list, b, X_rows[0], Y_list[0])
    began = time.perf_counter()
    on_floats = compile(loss, *example, per_example=(2, 3))
    compile_floats = 1e3 * (time.perf_counter() - began)
    compile_times = []
    for _ in range(max(1, args.compiles)):
        began = time.perf_counter()
        on_arrays = compile(loss, *example, per_example=(2, 3), backend="numpy")
        compile_times.append(1e3 * (time.perf_counter() - began))
    jax, why_not_jax = load_jax()
    torch, why_not_torch = load_torch()
    for why in (why_not_jax, why_not_torch):
        if why:
            print(why)
    on_jax = compile(loss, *example, per_example=(2, 3), backend="jax") if jax is not None else None
    jax_step = jax_logreg(jax, w, b, X, Y, LEARNING_RATE) if jax is not None else None
    torch_step = torch_logreg(torch, w, b, X, Y, LEARNING_RATE) if torch is not None else None

    # Each version's (dw, db, J) against the numpy step's.
    _, _, course_grads, course_J = course_step(w, b, X, Y)
    results = {
        "compiled": compiled_step(on_floats, w_list, b, X_rows, Y_list)[:3],
        "compiled, numpy": compiled_array_step(on_arrays, w_vec, b, X, Y)[:3],
        "course's plain numpy": (course_grads["dw"], course_grads["db"], course_J),
    }
    if on_jax is not None and jax_step is not None:
        results["compiled, JAX"] = compiled_array_step(on_jax, w_vec, b, X, Y)[:3]
        results["JAX jit"] = jax_step()[:3]
    if torch_step is not None:
        results["torch eager"] = torch_step()[:3]
    for name, (dw, db, J) in results.items():
        dw_error = float(np.linalg.norm(np.ravel(np.asarray(dw)) - grads["dw"][:, 0]) / np.linalg.norm(grads["dw"]))
        db_error = abs(float(db) - grads["db"]) / abs(grads["db"])
        agree = dw_error <= 1e-9 and db_error <= 1e-9 and abs(float(J) - J_numpy) <= 1e-9
        print(
            f"{name}: J {float(J):.15f}, relative error of dw {dw_error:.1e}, of db {db_error:.1e}: {'OK' if agree else 'MISMATCH'}"
        )
        if not agree:
            return 1
    lines = len(on_arrays.source.splitlines())
    compiled_ms = statistics.median(compile_times)
    print(
        f"compiling: {compile_floats:.0f} ms (floats), {len(on_floats.source):,} characters of source; numpy: "
        f"{compile_times[0]:.1f} ms the first time, median {compiled_ms:.1f} ms, best {min(compile_times):.1f} ms of "
        f"{len(compile_times)} (issue 18's target: <= 50 ms: {verdict(compiled_ms <= 50)}), "
        f"{lines} lines of source (issue 18's target: <= 40: {verdict(lines <= 40)})"
    )

    variants = {
        "course's plain numpy": (nothing, lambda: course_step(w, b, X, Y)),
        "vectorized numpy": (nothing, lambda: numpy_step(w, b, X, Y)),
        "compiled, numpy": (nothing, lambda: compiled_array_step(on_arrays, w_vec, b, X, Y)),
    }
    if on_jax is not None and jax_step is not None:
        variants["compiled, JAX"] = (nothing, lambda: compiled_array_step(on_jax, w_vec, b, X, Y))
        variants["JAX jit"] = (nothing, jax_step)
    if torch_step is not None:
        variants["torch eager"] = (nothing, torch_step)
    measured = timings(variants, args.step_rounds)
    slow = {
        "scalar engine, fused dot": 1e3 * best_time(lambda: engine_step(model, X_rows, Y_list), args.repeats),
        "compiled": 1e3 * best_time(lambda: compiled_step(on_floats, w_list, b, X_rows, Y_list), args.repeats),
    }
    print(f"\nms per step, best and median of {args.step_rounds} interleaved rounds:")
    for name, (best, median) in sorted(measured.items(), key=lambda kv: kv[1][1]):
        print(f"  {name:<26} best {best:8.2f} ms  median {median:8.2f} ms")
    print(f"best of {args.repeats}:")
    for name, best in slow.items():
        print(f"  {name:<26} best {best:8.1f} ms")

    medians = {name: median for name, (_, median) in measured.items()}
    bests = {name: best for name, (best, _) in measured.items()}
    plain = "course's plain numpy"

    def ratio(a: str, b: str) -> tuple[float, str]:
        value = medians[a] / medians[b]
        return value, f"{a} / {b} = {value:.3g}x ({bests[a] / bests[b]:.3g}x)"

    print("ratios of medians (of bests in brackets):")
    value, text = ratio("compiled, numpy", plain)
    print(f"  {text} (issue 18's target: <= 1.3x: {verdict(value <= 1.3)})")
    for peer in ("JAX jit", "torch eager", "vectorized numpy"):
        if peer in medians:
            print(f"  {ratio(peer, plain)[1]}")
    if "compiled, JAX" in medians:
        print(f"  {ratio('compiled, JAX', 'JAX jit')[1]}")
    engine, numpy_time = slow["scalar engine, fused dot"], bests["vectorized numpy"]
    speedup = engine / numpy_time
    print(
        f"vectorized is {speedup:.0f}x faster than the scalar engine, best against best (target: >= 200x: {verdict(speedup >= 200)})"
    )
    print(
        f"compiled is {engine / slow['compiled']:.1f}x faster than the engine; on numpy {engine / bests['compiled, numpy']:.0f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
